// pyrax's CloudBlockStorageSnapshot over a Cinder v3 snapshot.
import type { CloudBlockStorage } from "./client.js";
import type { UpdateOptions, VolumeCallOptions } from "./requests.js";

/** A Cinder snapshot's status. */
export type SnapshotStatus =
  | "creating"
  | "available"
  | "backing-up"
  | "deleting"
  | "error"
  | "deleted"
  | "unmanaging"
  | "restoring"
  | "error_deleting";

/** A Cinder snapshot as the API sends it. */
export interface SnapshotRecord {
  id: string;
  name: string | null;
  description: string | null;
  status: SnapshotStatus;
  /** GiB. */
  size: number;
  volume_id: string;
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string | null;
  "os-extended-snapshot-attributes:progress"?: string;
  "os-extended-snapshot-attributes:project_id"?: string;
  [field: string]: unknown;
}

/** A Cinder snapshot, as pyrax's `CloudBlockStorageSnapshot`: its fields, `update()`, `delete()` and waiting for a state. */
export class Snapshot {
  readonly manager: CloudBlockStorage;
  #record: SnapshotRecord;

  constructor(manager: CloudBlockStorage, record: SnapshotRecord) {
    this.manager = manager;
    this.#record = record;
  }

  get record(): SnapshotRecord {
    return this.#record;
  }
  get id(): string {
    return this.#record.id;
  }
  get name(): string {
    return this.#record.name ?? "";
  }
  get display_name(): string {
    return this.name;
  }
  get description(): string {
    return this.#record.description ?? "";
  }
  get display_description(): string {
    return this.description;
  }
  get status(): SnapshotStatus {
    return this.#record.status;
  }
  get size(): number {
    return this.#record.size;
  }
  get volume_id(): string {
    return this.#record.volume_id;
  }
  get metadata(): Readonly<Record<string, string>> {
    return this.#record.metadata ?? {};
  }
  get created_at(): string {
    return this.#record.created_at;
  }

  /** Fetches the snapshot again and refreshes this object. */
  async get(options: VolumeCallOptions = {}): Promise<this> {
    this.#record = (await this.manager.getSnapshot(this.id, options)).record;
    return this;
  }

  async reload(options: VolumeCallOptions = {}): Promise<this> {
    return this.get(options);
  }

  /** SnapshotNotAvailable unless the snapshot is available or in error (Cinder's rule, as pyrax checks it). */
  async delete(options: VolumeCallOptions = {}): Promise<void> {
    await this.manager.deleteSnapshot(this, options);
  }

  /** pyrax's `update(display_name, display_description)`, positional or as an object. */
  async update(
    displayName?: string | UpdateOptions,
    displayDescription?: string,
    options: VolumeCallOptions = {},
  ): Promise<this> {
    const updated = await this.manager.updateSnapshot(this, displayName, displayDescription, options);
    if (updated) this.#record = updated.record;
    return this;
  }

  async rename(name: string, options: VolumeCallOptions = {}): Promise<this> {
    return this.update({ displayName: name, signal: options.signal });
  }

  toJSON(): SnapshotRecord {
    return this.#record;
  }
}
