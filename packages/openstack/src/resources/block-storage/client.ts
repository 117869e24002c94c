// pyrax.cloud_blockstorage over Cinder v3: volumes, snapshots and volume types with pyrax's calls
// (positional as pyrax takes them, or one options object), attach and detach through Nova, and
// Cinder's microversions negotiated once per client (or the one asked for).
import { setTimeout as sleep } from "node:timers/promises";
import {
  BadRequestError,
  ConflictError,
  HttpError,
  NotFoundError,
  ValidationError,
  waitUntil,
  type NimbusResponse,
  type RequestOptions,
  type Transport,
} from "@nimbus-sdk/common";
import {
  NoEndpointForService,
  NoUniqueMatch,
  NotFound,
  SnapshotNotAvailable,
  UnexpectedStatus,
  VolumeAttachmentFailed,
  VolumeCloneTooSmall,
  VolumeDetachmentFailed,
  VolumeHasSnapshots,
  VolumeNotAvailable,
} from "../../errors.js";
import { checkOptions } from "../../arguments.js";
import { openStackTransport, ServiceClient, type ServiceClientOptions } from "../../service-client.js";
import { nextLinkQuery, novaListing, type Listing, type NovaLink } from "../compute/listing.js";
import { compareMicroversions, parseMicroversion } from "../compute/microversion.js";
import { neutronListQuery } from "../network/collection.js";
import { chooseVolumeMicroversion, readVolumeVersions } from "./microversion.js";
import {
  checkMetadata,
  cinderApiRoot,
  idOf,
  matching,
  updateFields,
  volumeCreateBody,
  type Ref,
  type SnapshotCreateOptions,
  type UpdateOptions,
  type VolumeCallOptions,
  type VolumeCreateOptions,
  type VolumeDeleteOptions,
  type VolumeListOptions,
} from "./requests.js";
import { ServerVolumes, type ServerVolumeAttachment } from "./server-volumes.js";
import { Snapshot, type SnapshotRecord } from "./snapshot.js";
import { VolumeType, type VolumeTypeCreateAttributes, type VolumeTypeRecord } from "./volume-type.js";
import { Volume, type VolumeRecord } from "./volume.js";

export interface CloudBlockStorageOptions extends ServiceClientOptions {
  /** The compute endpoint of the same region, for attach and detach (called only when needed). */
  computeEndpoint?: () => string | URL;
  /** A Cinder microversion to use ("3.44"), or "latest" (default: the newest both sides support). */
  microversion?: string;
}

const MOUNTPOINT = /^\/dev\/[a-z0-9]+$/;
// From 3.66 Cinder snapshots attached volumes without `force` (and refuses force=false): pyrax's
// force keeps its meaning when snapshots are created at 3.65 at most.
const SNAPSHOT_FORCE_MICROVERSION = "3.65";
// How long a forced delete waits for a detach, or deleteAllSnapshots for the deletes: then TimeoutError.
const SETTLE_TIMEOUT = 300_000;
// pyrax waits this long before retrying a snapshot delete that collided with another in progress.
const RETRY_INTERVAL = 5000;

/** pyrax.cloud_blockstorage, over Cinder v3. */
export class CloudBlockStorage extends ServiceClient {
  readonly name = "Cloud Block Storage";
  readonly apiRoot: URL;
  readonly #options: CloudBlockStorageOptions;
  #requested?: string;
  #negotiated?: Promise<string>;
  #microversion?: string;
  #computeTransport?: Transport;
  readonly #serverVolumes = new ServerVolumes(() => this.#compute());

  constructor(options: CloudBlockStorageOptions) {
    super(options);
    this.#options = options;
    this.apiRoot = cinderApiRoot(this.endpoint);
    this.useMicroversion(options.microversion);
  }

  // --- microversions -------------------------------------------------------------------------

  /** The microversion in use, once negotiated (after the first call, or `negotiateMicroversion`). */
  get microversion(): string | undefined {
    return this.#microversion;
  }

  /** Ask for a microversion ("3.44", "latest"), or undefined for the newest both sides support. */
  useMicroversion(version: string | undefined): void {
    if (version !== undefined && version !== "latest") parseMicroversion(version);
    this.#requested = version;
    this.#negotiated = undefined;
    this.#microversion = undefined;
  }

  /** Reads the server's versions document (once) and settles the microversion every call sends. */
  async negotiateMicroversion(options: VolumeCallOptions = {}): Promise<string> {
    this.#negotiated ??= (async () => {
      const root = new URL(this.apiRoot.pathname.replace(/\/v3\/.*$/, "/"), this.apiRoot);
      const response = await this.transport.request({ url: root, okStatuses: [300], signal: options.signal });
      const version = chooseVolumeMicroversion(readVolumeVersions(await response.json()), this.#requested);
      this.#microversion = version;
      return version;
    })();
    try {
      return await this.#negotiated;
    } catch (error) {
      this.#negotiated = undefined;
      throw error;
    }
  }

  /** `cap`: the newest version whose behaviour this call keeps (pyrax's meaning of an argument). */
  async #request(options: RequestOptions, cap?: string): Promise<NimbusResponse> {
    const negotiated = await this.negotiateMicroversion({ signal: options.signal });
    const version = cap && compareMicroversions(negotiated, cap) > 0 ? cap : negotiated;
    const url = typeof options.url === "string" ? new URL(options.url, this.apiRoot) : options.url;
    return this.transport.request({
      ...options,
      url,
      headers: { ...options.headers, "openstack-api-version": `volume ${version}` },
    });
  }

  async #json<T>(options: RequestOptions, cap?: string): Promise<T> {
    return (await this.#request(options, cap)).json<T>();
  }

  #listing<T, R>(path: string, key: string, options: VolumeListOptions, wrap: (record: R) => T): Listing<T> {
    return novaListing(neutronListQuery(options), options, async (query, signal) => {
      const body = await this.#json<Record<string, unknown>>({ url: path, query, signal });
      return {
        items: ((body[key] ?? []) as R[]).map(wrap),
        next: nextLinkQuery(body[`${key}_links`] as NovaLink[] | undefined),
      };
    });
  }

  // --- volumes ---------------------------------------------------------------------------------

  /** pyrax's `list(limit, marker)` (or one options object with filters): every volume, in detail. */
  list(limit?: number, marker?: string): Listing<Volume>;
  list(options?: VolumeListOptions): Listing<Volume>;
  list(limitOrOptions?: number | VolumeListOptions, marker?: string): Listing<Volume> {
    const options = typeof limitOrOptions === "object" ? limitOrOptions : { limit: limitOrOptions, marker };
    return this.#listing("volumes/detail", "volumes", options, (r: VolumeRecord) => new Volume(this, r));
  }

  async get(volume: Ref, options: VolumeCallOptions = {}): Promise<Volume> {
    const id = idOf(volume, "volume");
    const body = await this.#json<{ volume: VolumeRecord }>({
      url: `volumes/${encodeURIComponent(id)}`,
      signal: options.signal,
    });
    return new Volume(this, body.volume);
  }

  /**
   * pyrax's `findall(**attrs)`: the volumes whose attributes equal those given (`{ name, status }`),
   * compared here as pyrax does (Cinder's own list filters depend on the cloud's filter policy).
   */
  async findall(attrs: Record<string, unknown> & VolumeCallOptions = {}): Promise<Volume[]> {
    const { signal, ...wanted } = attrs;
    return matching(await this.list({ signal }), wanted);
  }

  /** pyrax's `find(**attrs)`: the one matching volume; NotFound or NoUniqueMatch otherwise. */
  async find(attrs: Record<string, unknown> & VolumeCallOptions): Promise<Volume> {
    const matches = await this.findall(attrs);
    const { signal: _signal, ...shown } = attrs ?? {};
    if (matches.length === 0) throw new NotFound(`no volume matches ${JSON.stringify(shown)}`);
    if (matches.length > 1) {
      throw new NoUniqueMatch(`${matches.length} volumes match ${JSON.stringify(shown)}`, {
        matches: matches.map((v) => v.id),
      });
    }
    return matches[0]!;
  }

  /**
   * pyrax's `create(name, size, volume_type, description, metadata, snapshot_id, clone_id,
   * availability_zone, image)`, positional, or `create({ name, size, ... })`, or `create(name, { size, ... })`.
   */
  async create(options: VolumeCreateOptions): Promise<Volume>;
  async create(name: string, options: VolumeCreateOptions): Promise<Volume>;
  async create(
    name?: string,
    size?: number,
    volumeType?: string,
    description?: string,
    metadata?: Record<string, string>,
    snapshotId?: Ref,
    cloneId?: Ref,
    availabilityZone?: string,
    image?: Ref,
    options?: VolumeCallOptions,
  ): Promise<Volume>;
  async create(...args: unknown[]): Promise<Volume> {
    const [first, second] = args;
    let options: VolumeCreateOptions;
    if (typeof first === "object" && first !== null) options = first as VolumeCreateOptions;
    else if (typeof second === "object" && second !== null) options = { ...(second as object), name: first as string };
    else {
      const names = ["name", "size", "volumeType", "description", "metadata", "snapshotId", "cloneId"] as const;
      const more = ["availabilityZone", "image"] as const;
      options = Object.fromEntries(
        [...names, ...more].map((key, i) => [key, args[i]]).filter(([, v]) => v !== undefined),
      ) as VolumeCreateOptions;
      const last = args[9] as VolumeCallOptions | undefined;
      if (last?.signal) options.signal = last.signal;
    }
    const { signal } = options;
    const body = volumeCreateBody(options);
    try {
      const answer = await this.#json<{ volume: VolumeRecord }>({
        method: "POST",
        url: "volumes",
        json: { volume: body },
        signal,
      });
      return new Volume(this, answer.volume);
    } catch (error) {
      if (error instanceof BadRequestError && /clone|source volume|>= original/i.test(error.message)) {
        throw new VolumeCloneTooSmall(error.message, { ...error.context, cause: error });
      }
      throw error;
    }
  }

  /**
   * pyrax's `update(volume, display_name, display_description)`, or `update(volume, { displayName, ... })`.
   * With nothing to change nothing is sent and undefined returned; else the updated volume.
   */
  async update(
    volume: Ref,
    displayName?: string | UpdateOptions,
    displayDescription?: string,
    options: VolumeCallOptions = {},
  ): Promise<Volume | undefined> {
    const id = idOf(volume, "volume");
    const { fields, signal } = updateFields(displayName, displayDescription);
    if (Object.keys(fields).length === 0) return undefined;
    const body = await this.#json<{ volume: VolumeRecord }>({
      method: "PUT",
      url: `volumes/${encodeURIComponent(id)}`,
      json: { volume: fields },
      signal: signal ?? options.signal,
    });
    return new Volume(this, body.volume);
  }

  async rename(volume: Ref, name: string, options: VolumeCallOptions = {}): Promise<Volume | undefined> {
    return this.update(volume, { displayName: name, signal: options.signal });
  }

  /** pyrax's BaseClient `delete(item)`: the volume, without force. */
  async delete(volume: Ref, options: VolumeCallOptions = {}): Promise<void> {
    await this.deleteVolume(volume, false, options);
  }

  /**
   * pyrax's `delete_volume(volume, force=False)`. Without force, a volume with snapshots fails with
   * VolumeHasSnapshots and an attached one with VolumeNotAvailable; with force it is detached first
   * and its snapshots are deleted with it.
   */
  async deleteVolume(
    volume: Ref,
    force: boolean | VolumeDeleteOptions = false,
    options: VolumeCallOptions = {},
  ): Promise<void> {
    const id = idOf(volume, "volume");
    const { force: forced = false, signal = options.signal } =
      typeof force === "object" ? checkOptions("deleteVolume", force, ["force"]) : { force };
    if (forced) {
      const current = await this.get(id, { signal });
      if (current.attachments.length > 0) {
        await this.detach(current, { signal });
        await this.#waitForStatus(current, ["available", "error"], signal);
      }
    }
    try {
      const response = await this.#request({
        method: "DELETE",
        url: `volumes/${encodeURIComponent(id)}`,
        query: forced ? { cascade: "true" } : undefined,
        signal,
      });
      await response.dump();
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      // Cinder gives one message for every reason; find out which one holds.
      const snapshots = await this.snapshotsOf(id, { signal }).catch((): Snapshot[] => []);
      const context = { ...error.context, cause: error };
      if (snapshots.length > 0) {
        throw new VolumeHasSnapshots(
          `volume ${id} has ${snapshots.length} snapshot(s) (${snapshots.map((s) => s.id).join(", ")}); ` +
            "delete them first, or delete the volume with force: true",
          context,
        );
      }
      throw new VolumeNotAvailable(`volume ${id} cannot be deleted now: ${error.message}`, context);
    }
  }

  // --- attach and detach, through Nova ---------------------------------------------------------

  /** pyrax's `attach_to_instance(volume, instance, mountpoint)`; the mountpoint may be left to Nova. */
  async attachToInstance(
    volume: Ref,
    instance: Ref,
    mountpoint?: string | null,
    options: VolumeCallOptions = {},
  ): Promise<ServerVolumeAttachment> {
    const volumeId = idOf(volume, "volume");
    const serverId = idOf(instance, "instance");
    if (mountpoint !== undefined && mountpoint !== null && !MOUNTPOINT.test(mountpoint)) {
      throw new ValidationError(`mountpoint must look like /dev/vdb, not ${JSON.stringify(mountpoint)}`, {
        field: "mountpoint",
      });
    }
    try {
      return await this.#serverVolumes.createServerVolume(serverId, volumeId, mountpoint ?? null, options);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      const context = { ...error.context, cause: error };
      if (
        (error instanceof BadRequestError || error instanceof ConflictError) &&
        /in-use|attached|status/i.test(error.message)
      ) {
        throw new VolumeNotAvailable(`volume ${volumeId} cannot be attached: ${error.message}`, context);
      }
      throw new VolumeAttachmentFailed(error.message, context);
    }
  }

  /** pyrax's `detach(volume)`: looks up where the volume is attached now; not attached, nothing happens. */
  async detach(volume: Ref, options: VolumeCallOptions = {}): Promise<void> {
    const current = volume instanceof Volume ? await volume.get(options) : await this.get(volume, options);
    const attachment = current.attachments[0];
    if (!attachment) return;
    try {
      await this.#serverVolumes.deleteServerVolume(attachment.server_id, current.id, options);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      throw new VolumeDetachmentFailed(error.message, { ...error.context, cause: error });
    }
  }

  #compute(): Transport {
    if (!this.#computeTransport) {
      const endpoint = this.#options.computeEndpoint?.();
      if (!endpoint) {
        throw new NoEndpointForService("attach and detach go through Nova, and no compute endpoint was given");
      }
      this.#computeTransport = openStackTransport(String(endpoint).replace(/\/?$/, "/"), {
        ...this.#options,
        debug: this.transport.debug,
        service: "compute",
      });
    }
    return this.#computeTransport;
  }

  override setDebug(on: boolean): void {
    super.setDebug(on);
    if (this.#computeTransport) this.#computeTransport.debug = on;
  }

  override async close(): Promise<void> {
    await this.#computeTransport?.close();
    await super.close();
  }

  // --- snapshots -------------------------------------------------------------------------------

  /**
   * pyrax's `create_snapshot(volume, name, description, force)`, or `(volume, name, { description, force })`.
   * An attached volume needs force (else VolumeNotAvailable), as does one busy with another snapshot.
   */
  async createSnapshot(
    volume: Ref,
    name?: string | SnapshotCreateOptions,
    description?: string | SnapshotCreateOptions,
    force?: boolean,
    options: VolumeCallOptions = {},
  ): Promise<Snapshot> {
    const volumeId = idOf(volume, "volume");
    const opts: SnapshotCreateOptions =
      typeof name === "object"
        ? name
        : typeof description === "object"
          ? { ...description, name }
          : { name, description, force, signal: options.signal };
    checkOptions("createSnapshot", opts, ["name", "description", "force", "metadata"]);
    checkMetadata(opts.metadata);
    try {
      const body = await this.#json<{ snapshot: SnapshotRecord }>(
        {
          method: "POST",
          url: "snapshots",
          json: {
            snapshot: {
              volume_id: volumeId,
              name: opts.name ?? "",
              description: opts.description ?? "",
              force: opts.force === true,
              ...(opts.metadata ? { metadata: opts.metadata } : {}),
            },
          },
          signal: opts.signal,
        },
        SNAPSHOT_FORCE_MICROVERSION,
      );
      return new Snapshot(this, body.snapshot);
    } catch (error) {
      const busy = error instanceof ConflictError && /in-progress/i.test(error.message);
      const attached = error instanceof BadRequestError && /must be available|in-use|attached/i.test(error.message);
      if (busy || attached) {
        throw new VolumeNotAvailable(
          attached
            ? "Cannot create a snapshot from an attached volume. Detach the volume first, or pass force: true."
            : "The volume is creating a snapshot already; wait until that completes.",
          { ...(error as HttpError).context, cause: error },
        );
      }
      throw error;
    }
  }

  /** Every snapshot (pyrax's `list_snapshots()`), or those matching Cinder's filters (`{ volume_id }`). */
  listSnapshots(options: VolumeListOptions = {}): Listing<Snapshot> {
    return this.#listing("snapshots/detail", "snapshots", options, (r: SnapshotRecord) => new Snapshot(this, r));
  }

  /** The snapshots of one volume (pyrax's `volume.list_snapshots()`), picked out of the listing as pyrax does. */
  async snapshotsOf(volume: Ref, options: VolumeCallOptions = {}): Promise<Snapshot[]> {
    const volumeId = idOf(volume, "volume");
    return (await this.listSnapshots({ signal: options.signal })).filter((s) => s.volume_id === volumeId);
  }

  async getSnapshot(snapshot: Ref, options: VolumeCallOptions = {}): Promise<Snapshot> {
    const id = idOf(snapshot, "snapshot");
    const body = await this.#json<{ snapshot: SnapshotRecord }>({
      url: `snapshots/${encodeURIComponent(id)}`,
      signal: options.signal,
    });
    return new Snapshot(this, body.snapshot);
  }

  /** SnapshotNotAvailable unless it is available or in error; a delete colliding with another is retried once. */
  async deleteSnapshot(snapshot: Ref, options: VolumeCallOptions = {}): Promise<void> {
    const id = idOf(snapshot, "snapshot");
    const send = async () =>
      (
        await this.#request({ method: "DELETE", url: `snapshots/${encodeURIComponent(id)}`, signal: options.signal })
      ).dump();
    try {
      await send().catch(async (error: unknown) => {
        if (!(error instanceof ConflictError && /in-progress/i.test(error.message))) throw error;
        await sleep(RETRY_INTERVAL, undefined, { signal: options.signal });
        await send();
      });
    } catch (error) {
      if (error instanceof BadRequestError && /status/i.test(error.message)) {
        throw new SnapshotNotAvailable(`snapshot ${id} must be available or in error to be deleted: ${error.message}`, {
          ...error.context,
          cause: error,
        });
      }
      throw error;
    }
  }

  /** pyrax's `update_snapshot(snapshot, display_name, display_description)`, or with an options object. */
  async updateSnapshot(
    snapshot: Ref,
    displayName?: string | UpdateOptions,
    displayDescription?: string,
    options: VolumeCallOptions = {},
  ): Promise<Snapshot | undefined> {
    const id = idOf(snapshot, "snapshot");
    const { fields, signal } = updateFields(displayName, displayDescription);
    if (Object.keys(fields).length === 0) return undefined;
    const body = await this.#json<{ snapshot: SnapshotRecord }>({
      method: "PUT",
      url: `snapshots/${encodeURIComponent(id)}`,
      json: { snapshot: fields },
      signal: signal ?? options.signal,
    });
    return new Snapshot(this, body.snapshot);
  }

  async renameSnapshot(snapshot: Ref, name: string, options: VolumeCallOptions = {}) {
    return this.updateSnapshot(snapshot, { displayName: name, signal: options.signal });
  }

  /** Deletes every snapshot of the volume, then waits until Cinder has removed them. */
  async deleteAllSnapshots(volume: Ref, options: VolumeCallOptions = {}): Promise<void> {
    const volumeId = idOf(volume, "volume");
    const snapshots = await this.snapshotsOf(volumeId, options);
    for (const snapshot of snapshots) await this.deleteSnapshot(snapshot, options);
    for (const snapshot of snapshots) {
      await waitUntil(
        async ({ signal }) => {
          try {
            return (await this.getSnapshot(snapshot.id, { signal })).status;
          } catch (error) {
            if (error instanceof NotFoundError) return "deleted";
            throw error;
          }
        },
        (status) => {
          if (status === "error_deleting") {
            throw new UnexpectedStatus(`snapshot ${snapshot.id} could not be deleted (error_deleting)`, {
              resourceId: snapshot.id,
              resourceStatus: status,
            });
          }
          return status === "deleted";
        },
        {
          interval: 500,
          timeout: SETTLE_TIMEOUT,
          signal: options.signal,
          description: `snapshot ${snapshot.id} to be deleted`,
        },
      );
    }
  }

  async #waitForStatus(volume: Volume, statuses: string[], signal?: AbortSignal): Promise<void> {
    await waitUntil(
      ({ signal: s }) => volume.get({ signal: s }),
      (v) => statuses.includes(v.status),
      {
        interval: 500,
        timeout: SETTLE_TIMEOUT,
        signal,
        description: `volume ${volume.id} to be ${statuses.join(" or ")}`,
      },
    );
  }

  // --- volume types ----------------------------------------------------------------------------

  /** pyrax's `list_types()`. */
  listTypes(options: VolumeListOptions = {}): Listing<VolumeType> {
    return this.#listing("types", "volume_types", options, (r: VolumeTypeRecord) => new VolumeType(this, r));
  }

  async getType(type: Ref, options: VolumeCallOptions = {}): Promise<VolumeType> {
    const id = idOf(type, "type");
    const body = await this.#json<{ volume_type: VolumeTypeRecord }>({
      url: `types/${encodeURIComponent(id)}`,
      signal: options.signal,
    });
    return new VolumeType(this, body.volume_type);
  }

  /** A new volume type (administrators only). */
  async createType(attributes: VolumeTypeCreateAttributes, options: VolumeCallOptions = {}): Promise<VolumeType> {
    if (typeof attributes?.name !== "string" || attributes.name === "") {
      throw new ValidationError("createType needs a name", { field: "name" });
    }
    checkMetadata(attributes.extra_specs, "extra_specs");
    const { is_public: isPublic, ...rest } = attributes;
    const body = await this.#json<{ volume_type: VolumeTypeRecord }>({
      method: "POST",
      url: "types",
      json: {
        volume_type: { ...rest, ...(isPublic === undefined ? {} : { "os-volume-type-access:is_public": isPublic }) },
      },
      signal: options.signal,
    });
    return new VolumeType(this, body.volume_type);
  }

  async deleteType(type: Ref, options: VolumeCallOptions = {}): Promise<void> {
    const id = idOf(type, "type");
    const response = await this.#request({
      method: "DELETE",
      url: `types/${encodeURIComponent(id)}`,
      signal: options.signal,
    });
    await response.dump();
  }

  /** pyrax's `get_limits()`: the project's absolute limits and usage. */
  async getLimits(options: VolumeCallOptions = {}): Promise<Record<string, unknown>> {
    return this.#json<Record<string, unknown>>({ url: "limits", signal: options.signal });
  }
}
