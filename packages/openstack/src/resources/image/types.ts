// Glance v2's records, enumerations and the options of pyrax.images' calls. Image attributes keep
// Glance's own (snake_case) names everywhere, as pyrax and the wire do; options that steer the SDK
// are camelCase. What names the Image resource (ImageRef, ImageWaitOptions) lives in image.ts.
import type { Readable, Writable } from "node:stream";
import type { Progress, WaitProgressCallback } from "@nimbus-sdk/common";

/** An image's status in the image service (queued, saving, active, killed, deleted …). */
export type ImageStatus =
  "queued" | "saving" | "active" | "killed" | "deleted" | "uploading" | "importing" | "pending_delete" | "deactivated";

/** Who sees an image: public, private, shared or community. */
export type ImageVisibility = "public" | "private" | "shared" | "community";

/** Glance's default `disk_format` values; a cloud may configure others (see `validateFormats`). */
export const DISK_FORMATS = [
  "ami",
  "ari",
  "aki",
  "vhd",
  "vhdx",
  "vmdk",
  "raw",
  "qcow2",
  "vdi",
  "iso",
  "ploop",
] as const;
/** Glance's default `container_format` values. */
export const CONTAINER_FORMATS = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"] as const;

/** An image's disk format (qcow2, raw, vmdk, iso …). */
export type DiskFormat = (typeof DISK_FORMATS)[number];
/** An image's container format (bare, ovf, ova, docker …). */
export type ContainerFormat = (typeof CONTAINER_FORMATS)[number];

/** Every image status. */
export const IMAGE_STATUSES: readonly ImageStatus[] = [
  "queued",
  "saving",
  "active",
  "killed",
  "deleted",
  "uploading",
  "importing",
  "pending_delete",
  "deactivated",
];
/** Every image visibility. */
export const IMAGE_VISIBILITIES: readonly ImageVisibility[] = ["public", "private", "shared", "community"];
/** The fields image listings can be sorted by. */
export const IMAGE_SORT_KEYS = [
  "name",
  "status",
  "container_format",
  "disk_format",
  "size",
  "id",
  "created_at",
  "updated_at",
] as const;
/** A field image listings can be sorted by. */
export type ImageSortKey = (typeof IMAGE_SORT_KEYS)[number];

/** Fields Glance sets itself; an update or create that touches one is refused before sending. */
export const READ_ONLY_IMAGE_FIELDS = [
  "id",
  "status",
  "checksum",
  "os_hash_algo",
  "os_hash_value",
  "size",
  "virtual_size",
  "created_at",
  "updated_at",
  "direct_url",
  "self",
  "file",
  "schema",
  "stores",
] as const;

/** A location of an image's data in the image service's store. */
export interface ImageLocation {
  url: string;
  metadata: Record<string, unknown>;
  validation_data?: { checksum?: string; os_hash_algo?: string; os_hash_value?: string };
}

/** An image as Glance v2 returns it; custom properties sit beside the base fields, as strings. */
export interface ImageRecord {
  id: string;
  name: string | null;
  status: ImageStatus;
  visibility: ImageVisibility;
  protected: boolean;
  os_hidden: boolean;
  /** MD5 of the data, hex; null until data is uploaded. */
  checksum: string | null;
  /** The multihash algorithm (sha512 by default). */
  os_hash_algo: string | null;
  os_hash_value: string | null;
  owner: string | null;
  size: number | null;
  virtual_size: number | null;
  container_format: string | null;
  disk_format: string | null;
  created_at: string;
  updated_at: string;
  tags: string[];
  min_ram: number;
  min_disk: number;
  /** `/v2/images/{id}`. */
  self: string;
  /** `/v2/images/{id}/file`. */
  file: string;
  schema: string;
  direct_url?: string;
  locations?: ImageLocation[];
  /** With several stores configured: where the data is (comma-separated). */
  stores?: string;
  [property: string]: unknown;
}

/** Base fields a caller may set on create and update. */
export interface ImageAttributes {
  name?: string | null;
  visibility?: ImageVisibility;
  protected?: boolean;
  os_hidden?: boolean;
  container_format?: ContainerFormat | (string & {}) | null;
  disk_format?: DiskFormat | (string & {}) | null;
  min_ram?: number;
  min_disk?: number;
  tags?: string[];
}

/** What `create` accepts: base fields, an optional id, and custom properties (strings). */
export interface ImageCreateAttributes extends ImageAttributes {
  /** A UUID of your choosing; Glance makes one otherwise. */
  id?: string;
  /** Custom properties (os_distro, hw_disk_bus …); Glance stores them as strings. */
  properties?: Record<string, string>;
}

/**
 * Changes for `update`: base fields, and custom properties by name (a string sets it, null removes it).
 * Fields left out (or undefined) are left alone.
 */
export type ImageChanges = ImageAttributes & { [property: string]: unknown };

/** Options every image call takes: a signal. */
export interface ImageCallOptions {
  signal?: AbortSignal;
}

/** Glance's list filters (pyrax's `list` keyword arguments). */
export interface ImageFilters {
  name?: string;
  status?: ImageStatus;
  /** "all" lists every image the caller may see, whatever its visibility. */
  visibility?: ImageVisibility | "all";
  owner?: string;
  /** Images carrying every tag given. */
  tag?: string | readonly string[];
  /** For shared images: the caller's membership status (Glance's default: accepted). */
  member_status?: ImageMemberStatus | "all";
  size_min?: number;
  size_max?: number;
  container_format?: string;
  disk_format?: string;
  os_hidden?: boolean;
  protected?: boolean;
  sort_key?: ImageSortKey | readonly ImageSortKey[];
  sort_dir?: "asc" | "desc" | readonly ("asc" | "desc")[];
  /** Custom properties to match exactly (os_distro=ubuntu …). */
  properties?: Record<string, string>;
}

export interface ImageListOptions extends ImageFilters, ImageCallOptions {
  /** Images per page (Glance caps it, 1000 by default). */
  limit?: number;
  /** List from the image after this id. */
  marker?: string;
}

/** common's Progress (bytes) with Glance's own names for the counts. */
export interface ImageTransferProgress extends Progress {
  /** Bytes sent or received so far. */
  bytes: number;
  /** The whole size, when known. */
  total?: number;
}

/** What `upload` sends: bytes, text (UTF-8), a stream, or a file by path. */
export type ImageUploadSource = string | Uint8Array | Readable | AsyncIterable<Uint8Array> | { file: string };

/** Options of an image upload: the image's fields, disk and container formats, a progress callback and a signal. */
export interface ImageUploadOptions extends ImageCallOptions {
  /** Called as data goes out (at most once per chunk). */
  onProgress?: (progress: ImageTransferProgress) => void;
  /** Compare the MD5 (and SHA-512) of what was sent with what Glance stored (default true). */
  verifyChecksum?: boolean;
  /** The data's size, for a stream (sent as Content-Length; progress then has a total). */
  size?: number;
  /** With several stores configured: which one receives the data. */
  store?: string;
}

/** Where `download` writes: a writable stream, or a file by path (written whole, or not at all). */
export type ImageDownloadTarget = Writable | { file: string };

/** Options of an image download: checksum verification, a progress callback and a signal. */
export interface ImageDownloadOptions extends ImageCallOptions {
  onProgress?: (progress: ImageTransferProgress) => void;
  /** Compare the MD5 of what arrived with Glance's checksum (default true). */
  verifyChecksum?: boolean;
  /** End a stream target when done (default true, as `pipe` does). */
  end?: boolean;
}

/** What an image download wrote: the bytes and the checksum. */
export interface ImageDownloadResult {
  bytes: number;
  /** MD5 of what arrived, hex. */
  md5: string;
  /** The checksum Glance announced (Content-MD5), if any. */
  checksum?: string;
  verified: boolean;
}

/** How `waitForStatus` polls; `I` is the image resource (see ImageWaitOptions). */
export interface WaitOptions<I> extends ImageCallOptions {
  /** ms between two checks (default 1000). */
  interval?: number;
  /** ms to wait at most (default: for ever). */
  timeout?: number;
  /** After every check: the image, the ms waited and common's Progress. */
  onProgress?: WaitProgressCallback<I>;
}

/** Whether a project accepted an image shared with it. */
export type ImageMemberStatus = "pending" | "accepted" | "rejected";

/** A project an image is shared with, and the member's status (pending, accepted, rejected). */
export interface ImageMember {
  /** pyrax's name for `member_id`: the project the image is shared with. */
  id: string;
  image_id: string;
  member_id: string;
  status: ImageMemberStatus;
  created_at: string;
  updated_at: string;
  schema: string;
}

/** An image task's status. */
export type ImageTaskStatus = "pending" | "processing" | "success" | "failure";

/** An image service task (import, export): its type, status, input and result. */
export interface ImageTask {
  id: string;
  type: string;
  status: ImageTaskStatus;
  input?: Record<string, unknown>;
  result?: Record<string, unknown> | null;
  message?: string;
  owner?: string;
  expires_at?: string | null;
  created_at: string;
  updated_at: string;
  self: string;
  schema: string;
  [field: string]: unknown;
}

/** A JSON schema document as Glance serves it under /v2/schemas. */
export interface GlanceSchema {
  name?: string;
  properties?: Record<string, { type?: string | string[]; enum?: (string | null)[]; [key: string]: unknown }>;
  [key: string]: unknown;
}

/** One operation of the JSON patch `update` sends. */
export type ImagePatchOperation =
  { op: "add" | "replace"; path: string; value: unknown } | { op: "remove"; path: string };
