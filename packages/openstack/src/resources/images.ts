// pyrax.images: Glance v2 images (list, get, create, upload, download, update, delete), their tags,
// members and tasks, and the JSON schemas Glance publishes. Image attributes keep Glance's own
// (snake_case) names everywhere, as pyrax and the wire do; options that steer the SDK are camelCase.
import { createHash, getHashes, randomBytes, type Hash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable, Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { NotFoundError, PagedList, ValidationError, waitUntil, type Page } from "@nimbus-sdk/common";
import {
  ChecksumMismatch,
  NoSuchImage,
  NotFound,
  notFoundAs,
  NoUniqueMatch,
  UnexpectedStatus,
  UploadFailed,
} from "../errors.js";
import { ServiceClient, type ServiceClientOptions } from "../service-client.js";
import { GLANCE_RESERVED_PREFIX, IMAGE_BASE_FIELDS, Image } from "./image.js";

export { customProperties, Image, IMAGE_BASE_FIELDS } from "./image.js";

// ---------------------------------------------------------------------------------------------
// Types

export type ImageStatus =
  "queued" | "saving" | "active" | "killed" | "deleted" | "uploading" | "importing" | "pending_delete" | "deactivated";

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

export type DiskFormat = (typeof DISK_FORMATS)[number];
export type ContainerFormat = (typeof CONTAINER_FORMATS)[number];

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
export const IMAGE_VISIBILITIES: readonly ImageVisibility[] = ["public", "private", "shared", "community"];
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
// Reserved by Glance: refused (403) whatever the value.
const RESERVED_FIELDS = new Set(["location", "deleted", "deleted_at"]);

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

/** One page of `list`. */
export interface ImagePage {
  images: Image[];
  /** The marker of the next page (pass it as `marker`); undefined on the last page. */
  nextMarker?: string;
}

/** An image, its id, or the record Glance returned for it. */
export type ImageRef = string | Image | ImageRecord;

export interface ImageTransferProgress {
  /** Bytes sent or received so far. */
  bytes: number;
  /** The whole size, when known. */
  total?: number;
}

/** What `upload` sends: bytes, text (UTF-8), a stream, or a file by path. */
export type ImageUploadSource = string | Uint8Array | Readable | AsyncIterable<Uint8Array> | { file: string };

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

export interface ImageDownloadOptions extends ImageCallOptions {
  onProgress?: (progress: ImageTransferProgress) => void;
  /** Compare the MD5 of what arrived with Glance's checksum (default true). */
  verifyChecksum?: boolean;
  /** End a stream target when done (default true, as `pipe` does). */
  end?: boolean;
}

export interface ImageDownloadResult {
  bytes: number;
  /** MD5 of what arrived, hex. */
  md5: string;
  /** The checksum Glance announced (Content-MD5), if any. */
  checksum?: string;
  verified: boolean;
}

export interface ImageWaitOptions extends ImageCallOptions {
  /** ms between two checks (default 1000). */
  interval?: number;
  /** ms to wait at most (default: for ever). */
  timeout?: number;
  onProgress?: (image: Image, elapsedMs: number) => void;
}

export type ImageMemberStatus = "pending" | "accepted" | "rejected";

export interface ImageMember {
  image_id: string;
  member_id: string;
  status: ImageMemberStatus;
  created_at: string;
  updated_at: string;
  schema: string;
}

export type ImageTaskStatus = "pending" | "processing" | "success" | "failure";

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

// ---------------------------------------------------------------------------------------------
// Pure helpers (exported for tests and for callers who build their own requests)

/**
 * The Glance v2 API root for a catalog endpoint, which may be the bare service URL
 * (`http://host:9292`), carry a path prefix (`http://host/image`), or already name a version.
 */
export function glanceApiRoot(endpoint: string | URL): URL {
  const url = new URL(String(endpoint));
  url.search = "";
  url.hash = "";
  const segments = url.pathname.split("/").filter(Boolean);
  const last = segments.at(-1);
  // v1 was removed from Glance (Rocky); old catalogs still carry it, and v2 lives beside it.
  if (last && /^v\d+(\.\d+)?$/i.test(last)) segments.pop();
  segments.push("v2");
  url.pathname = `/${segments.join("/")}/`;
  return url;
}

const READ_ONLY = new Set<string>(READ_ONLY_IMAGE_FIELDS);
// Base fields that accept null; the others can only be replaced (Glance refuses to remove them).
const NULLABLE_FIELDS = new Set(["name", "container_format", "disk_format", "owner"]);

function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

function checkFieldName(key: string, what: string): void {
  if (READ_ONLY.has(key)) {
    throw new ValidationError(
      `${what}: "${key}" is read-only (Glance sets it); read-only fields: ${READ_ONLY_IMAGE_FIELDS.join(", ")}`,
      { field: key },
    );
  }
  if (RESERVED_FIELDS.has(key) || key.startsWith(GLANCE_RESERVED_PREFIX)) {
    throw new ValidationError(`${what}: "${key}" is reserved by Glance and cannot be set`, { field: key });
  }
  if (key.length === 0 || key.length > 255) {
    throw new ValidationError(`${what}: property names must have 1 to 255 characters`, { field: key });
  }
}

function checkBaseValue(key: string, value: unknown, what: string): void {
  const fail = (expected: string): never => {
    throw new ValidationError(`${what}: "${key}" must be ${expected}, not ${JSON.stringify(value)}`, { field: key });
  };
  if (value === null) {
    if (!NULLABLE_FIELDS.has(key)) fail(`set (Glance does not let "${key}" be removed)`);
    return;
  }
  switch (key) {
    case "name":
    case "owner":
      if (typeof value !== "string" || value.length > 255) fail("a string of at most 255 characters");
      return;
    case "visibility":
      if (!IMAGE_VISIBILITIES.includes(value as ImageVisibility)) fail(`one of ${IMAGE_VISIBILITIES.join(", ")}`);
      return;
    case "protected":
    case "os_hidden":
      if (typeof value !== "boolean") fail("true or false");
      return;
    case "min_ram":
    case "min_disk":
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0) fail("a whole number >= 0");
      return;
    case "tags":
      if (!Array.isArray(value) || value.some((t) => typeof t !== "string" || t.length === 0 || t.length > 255)) {
        fail("an array of strings of 1 to 255 characters");
      }
      return;
    case "container_format":
    case "disk_format":
      if (typeof value !== "string") fail("a string");
      return;
    case "locations":
      if (!Array.isArray(value)) fail("an array of locations");
      return;
  }
}

function checkCustomValue(key: string, value: unknown, what: string): void {
  if (value !== null && typeof value !== "string") {
    throw new ValidationError(
      `${what}: custom property "${key}" must be a string (Glance stores custom properties as strings), ` +
        `not ${typeof value}; use String(value), or null to remove it`,
      { field: key },
    );
  }
}

/**
 * The JSON patch that turns `current` into the image with `changes` applied: base fields are replaced,
 * custom properties added or replaced (as `current` says), and null removes a custom property. A change
 * to a read-only or reserved field, or a value of the wrong type, is a ValidationError naming the field.
 */
export function computeImagePatch(current: ImageRecord | undefined, changes: ImageChanges): ImagePatchOperation[] {
  if (changes === null || typeof changes !== "object" || Array.isArray(changes)) {
    throw new ValidationError("update: changes must be an object of field names to new values", { field: "changes" });
  }
  const patch: ImagePatchOperation[] = [];
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    checkFieldName(key, "update");
    const path = `/${escapePointer(key)}`;
    if (IMAGE_BASE_FIELDS.has(key)) {
      checkBaseValue(key, value, "update");
      patch.push({ op: "replace", path, value });
      continue;
    }
    checkCustomValue(key, value, "update");
    const exists = current !== undefined && Object.hasOwn(current, key);
    if (value === null) {
      // Removing what is not there is a 409 from Glance; a missing property is already "removed".
      if (exists || current === undefined) patch.push({ op: "remove", path });
    } else {
      patch.push({ op: exists ? "replace" : "add", path, value });
    }
  }
  return patch;
}

/** Checks `create`'s attributes and turns them into Glance's request body. */
export function imageCreateBody(attributes: ImageCreateAttributes): Record<string, unknown> {
  if (attributes === null || typeof attributes !== "object" || Array.isArray(attributes)) {
    throw new ValidationError("create: attributes must be an object", { field: "attributes" });
  }
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || key === "properties") continue;
    if (key === "id") {
      if (typeof value !== "string" || !UUID.test(value)) {
        throw new ValidationError(`create: "id" must be a UUID, not ${JSON.stringify(value)}`, { field: "id" });
      }
      body.id = value;
      continue;
    }
    checkFieldName(key, "create");
    if (!IMAGE_BASE_FIELDS.has(key)) {
      throw new ValidationError(
        `create: "${key}" is not one of Glance's image fields; put custom properties under "properties"`,
        { field: key },
      );
    }
    checkBaseValue(key, value, "create");
    body[key] = value;
  }
  for (const [key, value] of Object.entries(attributes.properties ?? {})) {
    if (value === undefined) continue;
    checkFieldName(key, "create");
    if (IMAGE_BASE_FIELDS.has(key)) {
      throw new ValidationError(`create: "${key}" is a base field; give it beside "properties", not inside`, {
        field: key,
      });
    }
    if (typeof value !== "string") checkCustomValue(key, value, "create");
    body[key] = value;
  }
  return body;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return values.includes(value as T);
}

/** Checks list filters and turns them into Glance's query parameters. */
export function imageListQuery(options: ImageListOptions = {}): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  const fail = (field: string, expected: string, value: unknown): never => {
    throw new ValidationError(`list: "${field}" must be ${expected}, not ${JSON.stringify(value)}`, { field });
  };
  const nonNegative = (field: "limit" | "size_min" | "size_max", min: number) => {
    const value = options[field];
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < min) fail(field, `a whole number >= ${min}`, value);
    query[field] = String(value);
  };
  nonNegative("limit", 1);
  nonNegative("size_min", 0);
  nonNegative("size_max", 0);
  for (const field of ["name", "owner", "marker", "container_format", "disk_format"] as const) {
    const value = options[field];
    if (value === undefined) continue;
    if (typeof value !== "string") fail(field, "a string", value);
    query[field] = value;
  }
  if (options.status !== undefined) {
    if (!isOneOf(IMAGE_STATUSES, options.status)) fail("status", `one of ${IMAGE_STATUSES.join(", ")}`, options.status);
    query.status = options.status;
  }
  if (options.visibility !== undefined) {
    const allowed = [...IMAGE_VISIBILITIES, "all"] as const;
    if (!isOneOf(allowed, options.visibility)) fail("visibility", `one of ${allowed.join(", ")}`, options.visibility);
    query.visibility = options.visibility;
  }
  if (options.member_status !== undefined) {
    const allowed = ["pending", "accepted", "rejected", "all"] as const;
    if (!isOneOf(allowed, options.member_status)) {
      fail("member_status", `one of ${allowed.join(", ")}`, options.member_status);
    }
    query.member_status = options.member_status;
  }
  if (options.tag !== undefined) {
    const tags = typeof options.tag === "string" ? [options.tag] : [...options.tag];
    if (tags.some((t) => typeof t !== "string" || t === "")) fail("tag", "a non-empty string or strings", options.tag);
    query.tag = tags;
  }
  for (const field of ["os_hidden", "protected"] as const) {
    const value = options[field];
    if (value === undefined) continue;
    if (typeof value !== "boolean") fail(field, "true or false", value);
    query[field] = String(value);
  }
  if (options.sort_key !== undefined) {
    const keys = typeof options.sort_key === "string" ? [options.sort_key] : [...options.sort_key];
    for (const key of keys)
      if (!isOneOf(IMAGE_SORT_KEYS, key)) fail("sort_key", `one of ${IMAGE_SORT_KEYS.join(", ")}`, key);
    query.sort_key = keys;
  }
  if (options.sort_dir !== undefined) {
    const dirs = typeof options.sort_dir === "string" ? [options.sort_dir] : [...options.sort_dir];
    for (const dir of dirs) if (dir !== "asc" && dir !== "desc") fail("sort_dir", "asc or desc", dir);
    query.sort_dir = dirs;
  }
  for (const [key, value] of Object.entries(options.properties ?? {})) {
    if (
      IMAGE_BASE_FIELDS.has(key) ||
      key in query ||
      ["limit", "marker", "sort", "member_status", "tag"].includes(key)
    ) {
      throw new ValidationError(`list: "${key}" is not a custom property; use the filter of that name`, {
        field: key,
      });
    }
    if (typeof value !== "string") fail(key, "a string", value);
    query[key] = value;
  }
  return query;
}

/** The query of Glance's `next` link ("/v2/images?marker=…&limit=2"), as parameters. */
export function nextPageQuery(next: string): Record<string, string[]> {
  const query: Record<string, string[]> = {};
  for (const [key, value] of new URL(next, "http://glance.invalid").searchParams) (query[key] ??= []).push(value);
  return query;
}

function idOf(ref: ImageRef): string {
  const id = typeof ref === "string" ? ref : ref?.id;
  if (typeof id !== "string" || id.trim() === "") {
    throw new ValidationError("image must be an Image, an image record or a non-empty image id", { field: "image" });
  }
  return id;
}

function recordOf(ref: ImageRef): ImageRecord | undefined {
  if (typeof ref === "string") return undefined;
  return ref instanceof Image ? ref.record : ref;
}

function supportedHash(algorithm: string | null | undefined): string | undefined {
  if (!algorithm) return undefined;
  const name = algorithm.toLowerCase();
  return getHashes().includes(name) ? name : undefined;
}

const CHUNK = 64 * 1024;
const PATCH_CONTENT_TYPE = "application/openstack-images-v2.1-json-patch";
// Statuses an image never leaves: waiting past them would wait for ever. (An admin can reactivate a
// deactivated image, so that one is waited through.)
const DEAD_ENDS: readonly ImageStatus[] = ["killed", "deleted", "pending_delete"];

interface Hashes {
  md5: Hash;
  multihash?: Hash;
  bytes: number;
}

// ---------------------------------------------------------------------------------------------
// The client

/** pyrax.images: Glance v2. */
export class Images extends ServiceClient {
  /** The v2 API root, whatever version (or none) the catalog's endpoint names. */
  readonly apiRoot: URL;
  readonly projectId?: string;
  #imageSchema?: Promise<GlanceSchema>;

  constructor(options: ServiceClientOptions) {
    super(options);
    this.apiRoot = glanceApiRoot(this.endpoint);
    this.projectId = options.projectId;
  }

  /** The URL of a path under /v2 (segments are encoded). */
  url(...segments: string[]): URL {
    return new URL(segments.map((s) => encodeURIComponent(s)).join("/"), this.apiRoot);
  }

  // --- listing -------------------------------------------------------------------------------

  /** One page of images (pyrax's `list`); `nextMarker` asks for the next. */
  async list(options: ImageListOptions = {}): Promise<ImagePage> {
    const page = await this.#page(imageListQuery(options), options.signal);
    return { images: page.items as Image[], nextMarker: page.next?.marker?.[0] };
  }

  /** Every image matching the filters, following Glance's `next` links, in one array (pyrax's `list_all`). */
  async listAll(options: ImageListOptions = {}): Promise<Image[]> {
    return this.iterate(options).all();
  }

  /**
   * The images matching the filters, fetched a page at a time as they are consumed:
   * `for await (const image of images.iterate({ limit: 100 }))`, or `.pages()`.
   */
  iterate(options: ImageListOptions = {}): PagedList<Image, Record<string, string[]>> {
    const first = imageListQuery(options);
    return new PagedList((cursor, { signal }) => this.#page(cursor ?? first, signal), { signal: options.signal });
  }

  async #page(
    query: Record<string, string | string[]>,
    signal: AbortSignal | undefined,
  ): Promise<Page<Image, Record<string, string[]>>> {
    const body = await this.transport.json<{ images: ImageRecord[]; next?: string }>({
      url: this.url("images"),
      query,
      signal,
    });
    // `next` is rooted at /v2 and ignores any path prefix of the endpoint: keep only its query.
    return {
      items: body.images.map((r) => new Image(this, r)),
      next: body.next ? nextPageQuery(body.next) : undefined,
    };
  }

  /**
   * The one image matching the filters (usually `{ name }`): NoSuchImage when none does,
   * NoUniqueMatch when several do.
   */
  async find(filters: ImageFilters, options: ImageCallOptions = {}): Promise<Image> {
    const given = Object.entries(filters ?? {}).filter(([, v]) => v !== undefined);
    if (given.length === 0)
      throw new ValidationError("find needs at least one filter, such as name", { field: "name" });
    const matches = await this.listAll({ ...filters, signal: options.signal });
    const described = given.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ");
    if (matches.length === 0) throw new NoSuchImage(`no image matches ${described}`);
    if (matches.length > 1) {
      const ids = matches.map((m) => m.id);
      throw new NoUniqueMatch(
        `${matches.length} images match ${described} (${ids.slice(0, 5).join(", ")}${ids.length > 5 ? ", …" : ""}); ` +
          "give more filters or use the id",
        { matches: ids },
      );
    }
    return matches[0]!;
  }

  // --- single images -------------------------------------------------------------------------

  /** The image with that id; NoSuchImage when there is none. */
  async get(image: ImageRef, options: ImageCallOptions = {}): Promise<Image> {
    const id = idOf(image);
    const record = await this.#onImage(id, () =>
      this.transport.json<ImageRecord>({ url: this.url("images", id), signal: options.signal }),
    );
    return new Image(this, record);
  }

  /**
   * Registers a new image (status queued, no data yet); `upload` gives it data. Formats are checked
   * against Glance's schema before anything is created.
   */
  async create(attributes: ImageCreateAttributes, options: ImageCallOptions = {}): Promise<Image> {
    const body = imageCreateBody(attributes);
    await this.validateFormats(body, options);
    const record = await this.transport.json<ImageRecord>({
      method: "POST",
      url: this.url("images"),
      json: body,
      signal: options.signal,
    });
    return new Image(this, record);
  }

  /**
   * Applies changes as a JSON patch: `{ name: "new", tags: ["a"], os_distro: "debian", old_prop: null }`.
   * With an id, the image is fetched first to tell added custom properties from replaced ones.
   */
  async update(image: ImageRef, changes: ImageChanges, options: ImageCallOptions = {}): Promise<Image> {
    const id = idOf(image);
    // Validate before any request: a bad change must not cost a round trip.
    computeImagePatch(recordOf(image), changes);
    await this.validateFormats(changes, options);
    const current = recordOf(image) ?? (await this.get(id, options)).record;
    const patch = computeImagePatch(current, changes);
    if (patch.length === 0) return image instanceof Image ? image : new Image(this, current);
    const record = await this.#onImage(id, () =>
      this.transport.json<ImageRecord>({
        method: "PATCH",
        url: this.url("images", id),
        headers: { "content-type": PATCH_CONTENT_TYPE },
        body: JSON.stringify(patch),
        // Setting values can be replayed safely; removing twice fails, so such a patch is sent once.
        idempotent: patch.every((op) => op.op !== "remove"),
        signal: options.signal,
      }),
    );
    return new Image(this, record);
  }

  /** pyrax's `change_image_name`. */
  async changeImageName(image: ImageRef, name: string, options: ImageCallOptions = {}): Promise<Image> {
    return this.update(image, { name }, options);
  }

  /** Deletes the image and its data; NoSuchImage when it is not there, Forbidden when it is protected. */
  async delete(image: ImageRef, options: ImageCallOptions = {}): Promise<void> {
    const id = idOf(image);
    await this.#onImage(id, async () => {
      const response = await this.transport.request({ method: "DELETE", url: this.url("images", id), ...options });
      await response.dump();
    });
  }

  /**
   * Waits until the image has the status (or one of them), polling with `get`. Fails early with
   * UnexpectedStatus when it reaches a status it cannot leave (killed, deleted …); waiting for
   * "deleted" also ends when the image is gone.
   */
  async waitForStatus(
    image: ImageRef,
    status: ImageStatus | readonly ImageStatus[],
    options: ImageWaitOptions = {},
  ): Promise<Image> {
    const id = idOf(image);
    const wanted: readonly ImageStatus[] = typeof status === "string" ? [status] : status;
    for (const s of wanted) {
      if (!isOneOf(IMAGE_STATUSES, s)) {
        throw new ValidationError(`waitForStatus: unknown status ${JSON.stringify(s)}`, { field: "status" });
      }
    }
    let last = recordOf(image);
    return waitUntil(
      async ({ signal }) => {
        try {
          const current = await this.get(id, { signal });
          last = current.record;
          return current;
        } catch (error) {
          if (wanted.includes("deleted") && error instanceof NotFoundError) {
            return new Image(this, { ...(last ?? ({ id } as ImageRecord)), status: "deleted" });
          }
          throw error;
        }
      },
      (current) => {
        if (wanted.includes(current.status)) return true;
        if (DEAD_ENDS.includes(current.status)) {
          throw new UnexpectedStatus(`image ${id} became ${current.status} while waiting for ${wanted.join(" or ")}`, {
            resourceId: id,
            resourceStatus: current.status,
          });
        }
        return false;
      },
      {
        interval: options.interval,
        timeout: options.timeout,
        signal: options.signal,
        onProgress: options.onProgress,
        description: `image ${id} to be ${wanted.join(" or ")}`,
      },
    );
  }

  /** Makes an active image's data unavailable to non-admins; Glance's policy decides who may. */
  async deactivate(image: ImageRef, options: ImageCallOptions = {}): Promise<void> {
    await this.#action(image, "deactivate", options);
  }

  /** Undoes `deactivate`. */
  async reactivate(image: ImageRef, options: ImageCallOptions = {}): Promise<void> {
    await this.#action(image, "reactivate", options);
  }

  async #action(image: ImageRef, action: string, options: ImageCallOptions): Promise<void> {
    const id = idOf(image);
    await this.#onImage(id, async () => {
      const response = await this.transport.request({
        method: "POST",
        url: this.url("images", id, "actions", action),
        idempotent: true,
        signal: options.signal,
      });
      await response.dump();
    });
  }

  // --- data ----------------------------------------------------------------------------------

  /**
   * Uploads the image's data (`PUT /v2/images/{id}/file`); the image must be queued and have its
   * disk and container formats. Resolves to the image as Glance then reports it (active). With
   * `verifyChecksum` (default), the MD5 of what was sent must equal Glance's `checksum`, and the
   * SHA-512 its `os_hash_value` when that is the algorithm; else ChecksumMismatch.
   */
  async upload(image: ImageRef, source: ImageUploadSource, options: ImageUploadOptions = {}): Promise<Image> {
    const id = idOf(image);
    const known = recordOf(image);
    if (known) {
      for (const field of ["disk_format", "container_format"] as const) {
        if (!known[field]) {
          throw new ValidationError(`upload: image ${id} has no ${field}; set it with update() before uploading data`, {
            field,
          });
        }
      }
    }
    const { body, size, replayable } = await this.#uploadBody(source, options);
    let hashes: Hashes = { md5: createHash("md5"), bytes: 0 };
    const onProgress = options.onProgress;
    const counted = (): AsyncIterable<Uint8Array> => {
      // A fresh count per attempt: a retried upload starts again from its first byte.
      const state: Hashes = { md5: createHash("md5"), multihash: createHash("sha512"), bytes: 0 };
      hashes = state;
      return (async function* () {
        for await (const chunk of body()) {
          const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Uint8Array);
          state.md5.update(bytes);
          state.multihash?.update(bytes);
          state.bytes += bytes.byteLength;
          yield bytes;
          onProgress?.({ bytes: state.bytes, total: size });
        }
      })();
    };
    const headers: Record<string, string | undefined> = {
      "content-type": "application/octet-stream",
      "content-length": size === undefined ? undefined : String(size),
      "x-image-meta-store": options.store,
    };
    await this.#onImage(id, async () => {
      const response = await this.transport.request({
        method: "PUT",
        url: this.url("images", id, "file"),
        headers,
        body: replayable ? counted : counted(),
        signal: options.signal,
      });
      await response.dump();
    });

    const after = await this.get(id, { signal: options.signal });
    if (after.status === "killed") {
      throw new UploadFailed(`Glance accepted the data of image ${id} but marked the image killed; delete it`);
    }
    if (options.verifyChecksum === false) return after;
    const md5 = hashes.md5.digest("hex");
    const sha = hashes.multihash?.digest("hex");
    // Glance takes data once: a corrupt image cannot be fixed by uploading again, only replaced.
    const state =
      `Image ${id} is now ${after.status} with the data Glance stored, which is not what was sent: ` +
      "delete it, create a new image and upload again";
    if (after.checksum && after.checksum.toLowerCase() !== md5) {
      throw new ChecksumMismatch(
        `upload of image ${id}: MD5 of the ${hashes.bytes} bytes sent is ${md5}, Glance stored ${after.checksum}` +
          ` (size ${after.size}). ${state}.`,
      );
    }
    if (sha && after.os_hash_algo?.toLowerCase() === "sha512" && after.os_hash_value?.toLowerCase() !== sha) {
      throw new ChecksumMismatch(
        `upload of image ${id}: SHA-512 of the data sent differs from Glance's os_hash_value. ${state}.`,
      );
    }
    return after;
  }

  async #uploadBody(
    source: ImageUploadSource,
    options: ImageUploadOptions,
  ): Promise<{
    body: () => Iterable<Uint8Array> | AsyncIterable<Uint8Array | string>;
    size?: number;
    replayable: boolean;
  }> {
    if (typeof source === "string" || source instanceof Uint8Array) {
      const bytes = typeof source === "string" ? Buffer.from(source, "utf8") : source;
      return {
        body: function* () {
          for (let at = 0; at < bytes.byteLength; at += CHUNK) yield bytes.subarray(at, at + CHUNK);
        },
        size: bytes.byteLength,
        replayable: true,
      };
    }
    if (source && typeof source === "object" && "file" in source && typeof source.file === "string") {
      const path = source.file;
      let info;
      try {
        info = await stat(path);
      } catch (cause) {
        throw new ValidationError(`upload: cannot read ${path}: ${(cause as Error).message}`, { field: "file", cause });
      }
      if (!info.isFile()) throw new ValidationError(`upload: ${path} is not a file`, { field: "file" });
      return {
        body: () => createReadStream(path, { highWaterMark: CHUNK, signal: options.signal }),
        size: info.size,
        replayable: true,
      };
    }
    if (source instanceof Readable || (source && typeof source === "object" && Symbol.asyncIterator in source)) {
      if (options.size !== undefined && (!Number.isInteger(options.size) || options.size < 0)) {
        throw new ValidationError(`upload: size must be a whole number >= 0, not ${options.size}`, { field: "size" });
      }
      const stream = source as AsyncIterable<Uint8Array>;
      return { body: () => stream, size: options.size, replayable: false };
    }
    throw new ValidationError("upload: the data must be a string, bytes, a readable stream or { file: path }", {
      field: "data",
    });
  }

  /**
   * Downloads the image's data to a stream or a file. A file is written under a temporary name and
   * renamed when complete and verified, so it is never left half written. The MD5 of what arrived is
   * checked against Glance's checksum (ChecksumMismatch; a stream target has then already received it).
   */
  async download(
    image: ImageRef,
    target: ImageDownloadTarget,
    options: ImageDownloadOptions = {},
  ): Promise<ImageDownloadResult> {
    const id = idOf(image);
    const isFile = target !== null && typeof target === "object" && "file" in target && typeof target.file === "string";
    if (!isFile && !(target && typeof (target as Writable).write === "function")) {
      throw new ValidationError("download: the target must be a writable stream or { file: path }", {
        field: "target",
      });
    }
    const known = recordOf(image);
    const response = await this.#onImage(id, () =>
      this.transport.request({ url: this.url("images", id, "file"), signal: options.signal }),
    );
    if (response.status === 204) {
      await response.dump();
      throw new NotFound(`image ${id} has no data yet${known ? ` (status ${known.status})` : ""}: upload some first`, {
        method: "GET",
        url: this.url("images", id, "file").href,
        status: 204,
        requestId: response.requestId,
      });
    }
    const checksum = response.headers["content-md5"] ?? known?.checksum ?? undefined;
    const lengthHeader = response.headers["content-length"];
    const total = lengthHeader === undefined ? (known?.size ?? undefined) : Number(lengthHeader);
    const md5 = createHash("md5");
    const algo = supportedHash(known?.os_hash_algo);
    const multihash = algo && known?.os_hash_value ? createHash(algo) : undefined;
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        md5.update(chunk);
        multihash?.update(chunk);
        bytes += chunk.length;
        options.onProgress?.({ bytes, total });
        callback(null, chunk);
      },
    });
    // What differs from what Glance announced, if anything.
    const check = (): { result: ImageDownloadResult; mismatch?: string } => {
      const digest = md5.digest("hex");
      const result: ImageDownloadResult = { bytes, md5: digest, checksum, verified: false };
      if (options.verifyChecksum === false) return { result };
      if (checksum && checksum.toLowerCase() !== digest) {
        return {
          result,
          mismatch: `the MD5 of the ${bytes} bytes received is ${digest}, Glance's checksum ${checksum}`,
        };
      }
      if (multihash && multihash.digest("hex") !== known?.os_hash_value?.toLowerCase()) {
        return { result, mismatch: `the ${algo} of the ${bytes} bytes received differs from Glance's os_hash_value` };
      }
      return { result: { ...result, verified: Boolean(checksum) } };
    };
    const source = response.stream();
    if (isFile) {
      const file = (target as { file: string }).file;
      const partial = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString("hex")}.part`);
      try {
        await pipeline(source, counter, createWriteStream(partial), { signal: options.signal });
        const { result, mismatch } = check();
        if (mismatch) throw new ChecksumMismatch(`download of image ${id}: ${mismatch}; ${file} was not written`);
        await rename(partial, file);
        return result;
      } catch (error) {
        await unlink(partial).catch(() => undefined);
        throw error;
      }
    }
    await pipeline(source, counter, target as Writable, { signal: options.signal, end: options.end ?? true });
    const { result, mismatch } = check();
    if (mismatch) {
      throw new ChecksumMismatch(
        `download of image ${id}: ${mismatch}; the stream has already received that data: discard it`,
      );
    }
    return result;
  }

  // --- tags ----------------------------------------------------------------------------------

  /** pyrax's `add_image_tag`: adds one tag (adding a tag it has already is no error). */
  async addTag(image: ImageRef, tag: string, options: ImageCallOptions = {}): Promise<void> {
    const id = idOf(image);
    checkTag(tag);
    await this.#onImage(id, async () => {
      await (
        await this.transport.request({ method: "PUT", url: this.url("images", id, "tags", tag), ...options })
      ).dump();
    });
  }

  /** pyrax's `delete_image_tag`; NotFound when the image does not have the tag (or does not exist). */
  async deleteTag(image: ImageRef, tag: string, options: ImageCallOptions = {}): Promise<void> {
    const id = idOf(image);
    checkTag(tag);
    await (
      await this.transport.request({ method: "DELETE", url: this.url("images", id, "tags", tag), ...options })
    ).dump();
  }

  // --- members -------------------------------------------------------------------------------

  /** pyrax's `list_image_members`. */
  async listImageMembers(image: ImageRef, options: ImageCallOptions = {}): Promise<ImageMember[]> {
    const id = idOf(image);
    const body = await this.#onImage(id, () =>
      this.transport.json<{ members: ImageMember[] }>({ url: this.url("images", id, "members"), ...options }),
    );
    return body.members;
  }

  /** pyrax's `get_image_member`. */
  async getImageMember(image: ImageRef, memberId: string, options: ImageCallOptions = {}): Promise<ImageMember> {
    const id = idOf(image);
    checkMember(memberId);
    return this.transport.json<ImageMember>({ url: this.url("images", id, "members", memberId), ...options });
  }

  /**
   * pyrax's `add_image_member`: shares the image with a project. Glance accepts members only on
   * images whose visibility is "shared" (Forbidden otherwise).
   */
  async addImageMember(image: ImageRef, projectId: string, options: ImageCallOptions = {}): Promise<ImageMember> {
    const id = idOf(image);
    checkMember(projectId);
    return this.#onImage(id, () =>
      this.transport.json<ImageMember>({
        method: "POST",
        url: this.url("images", id, "members"),
        json: { member: projectId },
        ...options,
      }),
    );
  }

  /** pyrax's `delete_image_member`. */
  async deleteImageMember(image: ImageRef, projectId: string, options: ImageCallOptions = {}): Promise<void> {
    const id = idOf(image);
    checkMember(projectId);
    await (
      await this.transport.request({
        method: "DELETE",
        url: this.url("images", id, "members", projectId),
        ...options,
      })
    ).dump();
  }

  /**
   * pyrax's `update_image_member`: the project an image was shared with accepts, rejects or
   * postpones it. The member is `projectId` (default: the client's project).
   */
  async updateImageMember(
    image: ImageRef,
    status: ImageMemberStatus,
    options: ImageCallOptions & { projectId?: string } = {},
  ): Promise<ImageMember> {
    const id = idOf(image);
    if (!isOneOf(["pending", "accepted", "rejected"] as const, status)) {
      throw new ValidationError(`member status must be pending, accepted or rejected, not ${JSON.stringify(status)}`, {
        field: "status",
      });
    }
    const member = options.projectId ?? this.projectId;
    if (!member) {
      throw new ValidationError("updateImageMember needs the member's projectId (the client was given none)", {
        field: "projectId",
      });
    }
    return this.transport.json<ImageMember>({
      method: "PUT",
      url: this.url("images", id, "members", member),
      json: { status },
      signal: options.signal,
    });
  }

  // --- tasks ---------------------------------------------------------------------------------

  /** pyrax's `list_tasks` (Glance allows tasks to admins only by default). */
  async listTasks(
    options: ImageCallOptions & { status?: ImageTaskStatus; type?: string; limit?: number } = {},
  ): Promise<ImageTask[]> {
    const tasks: ImageTask[] = [];
    let query: Record<string, string | string[] | number | undefined> = {
      status: options.status,
      type: options.type,
      limit: options.limit,
    };
    for (;;) {
      const body = await this.transport.json<{ tasks: ImageTask[]; next?: string }>({
        url: this.url("tasks"),
        query,
        signal: options.signal,
      });
      tasks.push(...body.tasks);
      if (!body.next || body.tasks.length === 0) return tasks;
      query = nextPageQuery(body.next);
    }
  }

  /** pyrax's `get_task`. */
  async getTask(taskId: string, options: ImageCallOptions = {}): Promise<ImageTask> {
    if (!taskId) throw new ValidationError("getTask needs a task id", { field: "taskId" });
    return this.transport.json<ImageTask>({ url: this.url("tasks", taskId), ...options });
  }

  /** Creates a task of any type Glance knows (`{ type: "import", input: {...} }`). */
  async createTask(
    task: { type: string; input: Record<string, unknown> },
    options: ImageCallOptions = {},
  ): Promise<ImageTask> {
    if (!task?.type) throw new ValidationError("createTask needs a type", { field: "type" });
    return this.transport.json<ImageTask>({ method: "POST", url: this.url("tasks"), json: task, ...options });
  }

  // --- schemas -------------------------------------------------------------------------------

  /** The JSON schema of an image (pyrax's `get_image_schema`); its enums list this cloud's formats. */
  async getImageSchema(options: ImageCallOptions = {}): Promise<GlanceSchema> {
    return this.#schema("image", options);
  }
  async getImagesSchema(options: ImageCallOptions = {}): Promise<GlanceSchema> {
    return this.#schema("images", options);
  }
  async getImageMemberSchema(options: ImageCallOptions = {}): Promise<GlanceSchema> {
    return this.#schema("member", options);
  }
  async getImageMembersSchema(options: ImageCallOptions = {}): Promise<GlanceSchema> {
    return this.#schema("members", options);
  }
  async getImageTaskSchema(options: ImageCallOptions = {}): Promise<GlanceSchema> {
    return this.#schema("task", options);
  }
  async getImageTasksSchema(options: ImageCallOptions = {}): Promise<GlanceSchema> {
    return this.#schema("tasks", options);
  }

  #schema(name: string, options: ImageCallOptions): Promise<GlanceSchema> {
    return this.transport.json<GlanceSchema>({ url: this.url("schemas", name), ...options });
  }

  /**
   * Checks `disk_format` and `container_format` before sending: Glance's default values pass at once;
   * another value is looked up in this cloud's image schema (fetched once), since operators may
   * configure their own lists. An unknown value is a ValidationError listing the allowed ones.
   */
  async validateFormats(
    attributes: { disk_format?: unknown; container_format?: unknown },
    options: ImageCallOptions = {},
  ): Promise<void> {
    const checks = [
      ["disk_format", attributes.disk_format, DISK_FORMATS],
      ["container_format", attributes.container_format, CONTAINER_FORMATS],
    ] as const;
    for (const [field, value, defaults] of checks) {
      if (value === undefined || value === null) continue;
      if (typeof value !== "string") {
        throw new ValidationError(`"${field}" must be a string, not ${JSON.stringify(value)}`, { field });
      }
      if ((defaults as readonly string[]).includes(value)) continue;
      let allowed: readonly string[] = defaults;
      let cause: unknown;
      try {
        this.#imageSchema ??= this.getImageSchema(options).catch((error: unknown) => {
          this.#imageSchema = undefined;
          throw error;
        });
        const schemaEnum = (await this.#imageSchema).properties?.[field]?.enum;
        if (schemaEnum) allowed = schemaEnum.filter((v): v is string => typeof v === "string");
      } catch (error) {
        cause = error;
      }
      if (!allowed.includes(value)) {
        throw new ValidationError(
          `"${field}" ${JSON.stringify(value)} is not one this cloud accepts: ${allowed.join(", ")}`,
          { field, cause },
        );
      }
    }
  }

  /** Runs a call about one image, turning a 404 into NoSuchImage. */
  #onImage<T>(id: string, call: () => Promise<T>): Promise<T> {
    return notFoundAs(call(), NoSuchImage, `no image with id ${id}`);
  }
}

function checkTag(tag: string): void {
  if (typeof tag !== "string" || tag.length === 0 || tag.length > 255) {
    throw new ValidationError(`a tag must be a string of 1 to 255 characters, not ${JSON.stringify(tag)}`, {
      field: "tag",
    });
  }
}

function checkMember(member: string): void {
  if (typeof member !== "string" || member.trim() === "") {
    throw new ValidationError("a member is a project id (a non-empty string)", { field: "member" });
  }
}
