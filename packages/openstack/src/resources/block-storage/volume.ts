// pyrax's CloudBlockStorageVolume over a Cinder v3 volume: Cinder's fields to read (with pyrax's
// display_name and display_description beside v3's name and description), and the calls about the
// volume on the object itself. Each call that answers with the volume refreshes the fields.
import type { CloudBlockStorage } from "./client.js";
import type { Ref, SnapshotCreateOptions, UpdateOptions, VolumeCallOptions, VolumeDeleteOptions } from "./requests.js";
import type { Snapshot } from "./snapshot.js";
import type { ServerVolumeAttachment } from "./server-volumes.js";

/** One attachment as Cinder lists it on a volume (`id` is the volume's id, for Nova). */
export interface VolumeAttachment {
  id: string;
  attachment_id: string;
  volume_id: string;
  server_id: string;
  host_name: string | null;
  device: string;
  attached_at?: string;
}

/** A Cinder volume's status. */
export type VolumeStatus =
  | "creating"
  | "available"
  | "reserved"
  | "attaching"
  | "detaching"
  | "in-use"
  | "maintenance"
  | "deleting"
  | "awaiting-transfer"
  | "error"
  | "error_deleting"
  | "backing-up"
  | "restoring-backup"
  | "error_backing-up"
  | "error_restoring"
  | "error_extending"
  | "downloading"
  | "uploading"
  | "retyping"
  | "extending";

/** A Cinder volume as the API sends it. */
export interface VolumeRecord {
  id: string;
  name: string | null;
  description: string | null;
  status: VolumeStatus;
  size: number;
  volume_type: string | null;
  metadata: Record<string, string>;
  attachments: VolumeAttachment[];
  availability_zone: string;
  /** "true" or "false", as Cinder sends it. */
  bootable: string;
  encrypted: boolean;
  multiattach?: boolean;
  snapshot_id: string | null;
  source_volid: string | null;
  created_at: string;
  updated_at: string | null;
  user_id?: string;
  "os-vol-tenant-attr:tenant_id"?: string;
  volume_image_metadata?: Record<string, string>;
  [field: string]: unknown;
}

/** A Cinder volume, as pyrax's `CloudBlockStorageVolume`: attach, detach, snapshot, update, delete and wait. */
export class Volume {
  readonly manager: CloudBlockStorage;
  #record: VolumeRecord;

  constructor(manager: CloudBlockStorage, record: VolumeRecord) {
    this.manager = manager;
    this.#record = record;
  }

  /** Cinder's answer, as last received. */
  get record(): VolumeRecord {
    return this.#record;
  }

  get id(): string {
    return this.#record.id;
  }
  get name(): string {
    return this.#record.name ?? "";
  }
  /** pyrax's name (Cinder v1's) for `name`. */
  get display_name(): string {
    return this.name;
  }
  get description(): string {
    return this.#record.description ?? "";
  }
  /** pyrax's name (Cinder v1's) for `description`. */
  get display_description(): string {
    return this.description;
  }
  get status(): VolumeStatus {
    return this.#record.status;
  }
  /** GiB. */
  get size(): number {
    return this.#record.size;
  }
  get volume_type(): string | null {
    return this.#record.volume_type;
  }
  get metadata(): Readonly<Record<string, string>> {
    return this.#record.metadata ?? {};
  }
  get attachments(): readonly VolumeAttachment[] {
    return this.#record.attachments ?? [];
  }
  get availability_zone(): string {
    return this.#record.availability_zone;
  }
  get bootable(): boolean {
    return String(this.#record.bootable) === "true";
  }
  get snapshot_id(): string | null {
    return this.#record.snapshot_id;
  }
  get source_volid(): string | null {
    return this.#record.source_volid;
  }
  get created_at(): string {
    return this.#record.created_at;
  }

  /** Fetches the volume again and refreshes this object (pyrax's `get`, which `utils.waitUntil` calls). */
  async get(options: VolumeCallOptions = {}): Promise<this> {
    this.#record = (await this.manager.get(this.id, options)).record;
    return this;
  }

  /** pyrax's `reload`: the same as `get`. */
  async reload(options: VolumeCallOptions = {}): Promise<this> {
    return this.get(options);
  }

  /** Attaches through Nova (pyrax's `attach_to_instance`); the volume becomes in-use shortly after. */
  async attachToInstance(
    instance: Ref,
    mountpoint?: string | null,
    options: VolumeCallOptions = {},
  ): Promise<ServerVolumeAttachment> {
    return this.manager.attachToInstance(this, instance, mountpoint, options);
  }

  /** Detaches from the server it is attached to; nothing happens when it is not attached (pyrax's `detach`). */
  async detach(options: VolumeCallOptions = {}): Promise<void> {
    await this.manager.detach(this, options);
  }

  /**
   * pyrax's `delete(force=False)`; with force, detaches first and deletes the volume's snapshots with it.
   * Positional `delete(true)` or `delete({ force: true })`.
   */
  async delete(force: boolean | VolumeDeleteOptions = false, options: VolumeCallOptions = {}): Promise<void> {
    await this.manager.deleteVolume(this, force, options);
  }

  /**
   * pyrax's `update(display_name, display_description)`, positional or as `{ displayName, displayDescription }`
   * (v3's `name`, `description` and `metadata` too). Nothing given: nothing is sent.
   */
  async update(
    displayName?: string | UpdateOptions,
    displayDescription?: string,
    options: VolumeCallOptions = {},
  ): Promise<this> {
    const updated = await this.manager.update(this, displayName, displayDescription, options);
    if (updated) this.#record = updated.record;
    return this;
  }

  async rename(name: string, options: VolumeCallOptions = {}): Promise<this> {
    return this.update({ displayName: name, signal: options.signal });
  }

  /**
   * pyrax's `create_snapshot(name, description, force)`: positional, or `(name, { description, force })`.
   * An attached volume needs `force: true` (else VolumeNotAvailable).
   */
  async createSnapshot(
    name?: string | SnapshotCreateOptions,
    description?: string | SnapshotCreateOptions,
    force?: boolean,
    options: VolumeCallOptions = {},
  ): Promise<Snapshot> {
    return this.manager.createSnapshot(this, name, description, force, options);
  }

  /** This volume's snapshots. */
  async listSnapshots(options: VolumeCallOptions = {}): Promise<Snapshot[]> {
    return this.manager.snapshotsOf(this, options);
  }

  /** Deletes every snapshot of this volume and waits until they are gone. */
  async deleteAllSnapshots(options: VolumeCallOptions = {}): Promise<void> {
    await this.manager.deleteAllSnapshots(this, options);
  }

  toJSON(): VolumeRecord {
    return this.#record;
  }
}
