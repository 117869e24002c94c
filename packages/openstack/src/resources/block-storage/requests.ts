// What the Block Storage calls take (gophercloud's "requests"): the option types, and the checks and
// bodies made from them before anything is sent.
import { ValidationError } from "@nimbus-sdk/common";
import { checkOptions } from "../../arguments.js";
import { InvalidSize } from "../../errors.js";
import type { PagingOptions } from "../compute/listing.js";
import type { FilterValue } from "../network/collection.js";
/** Options every volume call takes: a signal. */
export interface VolumeCallOptions {
  signal?: AbortSignal;
}

/** A resource object, its record, or its id. */
export type Ref = string | { id: string };

/** Paging and filters (Cinder's names: `{ name, status, volume_id }`). */
export interface VolumeListOptions extends PagingOptions {
  sortKey?: string | readonly string[];
  sortDir?: "asc" | "desc" | readonly ("asc" | "desc")[];
  [filter: string]: FilterValue | AbortSignal | undefined;
}

/** pyrax's `create(name, size, volume_type, description, metadata, snapshot_id, clone_id, availability_zone, image)`. */
export interface VolumeCreateOptions extends VolumeCallOptions {
  name?: string;
  /** GiB; may be left out when copying a snapshot or a volume (the copy is as large). */
  size?: number;
  volumeType?: string | { name: string };
  description?: string;
  /** String values only, as Cinder stores them. */
  metadata?: Record<string, string>;
  snapshotId?: Ref;
  /** A volume to clone. */
  cloneId?: Ref;
  availabilityZone?: string;
  /** A Glance image (id or object) to copy onto the volume. */
  image?: Ref;
  multiattach?: boolean;
}

/** Options of updating a volume or snapshot: the new name and description, and a signal. */
export interface UpdateOptions extends VolumeCallOptions {
  /** pyrax's names (sent only when not empty, as pyrax does). */
  displayName?: string;
  displayDescription?: string;
  /** v3's names (sent as given, "" included). */
  name?: string;
  description?: string;
  metadata?: Record<string, string>;
}

/** Options of deleting a volume: also delete its snapshots (pyrax's `force`), and a signal. */
export interface VolumeDeleteOptions extends VolumeCallOptions {
  /** Detach first, and delete the volume's snapshots with it (Cinder's cascade). */
  force?: boolean;
}

/** Options of creating a snapshot: name, description, force (of an attached volume) and a signal. */
export interface SnapshotCreateOptions extends VolumeCallOptions {
  name?: string;
  description?: string;
  /** Snapshot an attached volume. */
  force?: boolean;
  metadata?: Record<string, string>;
}

/** The Cinder v3 root for a catalog endpoint; a v1 or v2 endpoint (older catalogs) is read as v3 beside it. */
export function cinderApiRoot(endpoint: string | URL): URL {
  const url = new URL(String(endpoint));
  url.search = "";
  url.hash = "";
  url.pathname = url.pathname.replace(/\/v[12](\.0)?(?=\/|$)/, "/v3").replace(/\/?$/, "/");
  return url;
}

export function idOf(ref: Ref | undefined, field: string): string {
  const id = typeof ref === "string" ? ref : ref?.id;
  if (typeof id !== "string" || id.trim() === "") {
    throw new ValidationError(`${field} must be an object with an id or a non-empty id`, { field });
  }
  return id;
}

export function checkMetadata(metadata: unknown, field = "metadata"): void {
  if (metadata === undefined) return;
  if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) {
    throw new ValidationError(`${field} must be an object of strings`, { field });
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== "string") {
      throw new ValidationError(`${field}.${key} must be a string (Cinder stores metadata as strings)`, { field });
    }
  }
}

/** Checks `create`'s options and turns them into Cinder's request body. */
export function volumeCreateBody(options: VolumeCreateOptions): Record<string, unknown> {
  checkOptions("create", options, [
    "name",
    "size",
    "volumeType",
    "description",
    "metadata",
    "snapshotId",
    "cloneId",
    "availabilityZone",
    "image",
    "multiattach",
  ]);
  const copying = options.snapshotId !== undefined || options.cloneId !== undefined;
  if (!(options.size === undefined && copying) && (!Number.isInteger(options.size) || options.size! < 1)) {
    throw new InvalidSize(`Volume sizes must be whole numbers of GiB >= 1, not ${JSON.stringify(options.size)}`, {
      field: "size",
    });
  }
  checkMetadata(options.metadata);
  const type = options.volumeType;
  const volume: Record<string, unknown> = {
    size: options.size,
    name: options.name,
    description: options.description,
    volume_type: typeof type === "object" && type !== null ? type.name : type,
    metadata: options.metadata,
    snapshot_id: options.snapshotId === undefined ? undefined : idOf(options.snapshotId, "snapshotId"),
    source_volid: options.cloneId === undefined ? undefined : idOf(options.cloneId, "cloneId"),
    availability_zone: options.availabilityZone,
    imageRef: options.image === undefined ? undefined : idOf(options.image, "image"),
    multiattach: options.multiattach,
  };
  return Object.fromEntries(Object.entries(volume).filter(([, v]) => v !== undefined));
}

// pyrax's (display_name, display_description) positional pair, or one options object, as v3 fields.
export function updateFields(first: string | UpdateOptions | undefined, displayDescription: string | undefined) {
  const options: UpdateOptions =
    typeof first === "object"
      ? checkOptions("update", first, ["displayName", "displayDescription", "name", "description", "metadata"])
      : { displayName: first, displayDescription };
  checkMetadata(options.metadata);
  const fields: Record<string, unknown> = {};
  if (options.displayName) fields.name = options.displayName;
  if (options.displayDescription) fields.description = options.displayDescription;
  if (options.name !== undefined) fields.name = options.name;
  if (options.description !== undefined) fields.description = options.description;
  if (options.metadata !== undefined) fields.metadata = options.metadata;
  return { fields, signal: options.signal };
}

// pyrax's findall: every attribute given equals the object's (its getter, else Cinder's field).
export function matching<T extends { record: object }>(items: T[], wanted: Record<string, unknown>): T[] {
  return items.filter((item) =>
    Object.entries(wanted).every(([key, value]) => {
      const own = key in item ? (item as Record<string, unknown>)[key] : (item.record as Record<string, unknown>)[key];
      return own === value || (typeof value === "object" && JSON.stringify(own) === JSON.stringify(value));
    }),
  );
}
