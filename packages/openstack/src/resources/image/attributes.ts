// Checks and conversions made before anything is sent to Glance: the API root, the JSON patch of
// an update, the body of a create and the query of a list (pure, exported for tests and for callers
// who build their own requests).
import { ValidationError } from "@nimbus-sdk/common";
import { checkOptions } from "../../arguments.js";
import { GLANCE_RESERVED_PREFIX, IMAGE_BASE_FIELDS } from "./image.js";
import {
  CONTAINER_FORMATS,
  DISK_FORMATS,
  IMAGE_SORT_KEYS,
  IMAGE_STATUSES,
  IMAGE_VISIBILITIES,
  READ_ONLY_IMAGE_FIELDS,
  type GlanceSchema,
  type ImageChanges,
  type ImageCreateAttributes,
  type ImageListOptions,
  type ImagePatchOperation,
  type ImageRecord,
  type ImageVisibility,
} from "./types.js";

// Reserved by Glance: refused (403) whatever the value.
const RESERVED_FIELDS = new Set(["location", "deleted", "deleted_at"]);

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

export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return values.includes(value as T);
}

/** Checks list filters and turns them into Glance's query parameters. */
const IMAGE_LIST_KEYS = [
  "name",
  "status",
  "visibility",
  "owner",
  "tag",
  "member_status",
  "size_min",
  "size_max",
  "container_format",
  "disk_format",
  "os_hidden",
  "protected",
  "sort_key",
  "sort_dir",
  "properties",
  "limit",
  "marker",
];

/**
 * The query string of an image listing: filters, sorting and paging, checked.
 *
 * @param options - Filters (status, visibility, name …), sort keys and directions, limit and marker.
 * @throws `ValidationError` for a filter value of the wrong type.
 */
export function imageListQuery(options: ImageListOptions = {}): Record<string, string | string[]> {
  checkOptions("list", options, IMAGE_LIST_KEYS);
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

/**
 * Checks `disk_format` and `container_format`: Glance's default values pass at once; another value is
 * looked up in the cloud's image schema. An unknown value is a ValidationError listing the allowed ones.
 */
export async function checkFormats(
  attributes: { disk_format?: unknown; container_format?: unknown },
  imageSchema: () => Promise<GlanceSchema>,
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
      const schemaEnum = (await imageSchema()).properties?.[field]?.enum;
      if (schemaEnum) allowed = schemaEnum.filter((v): v is string => typeof v === "string");
    } catch (error) {
      cause = error;
    }
    if (!allowed.includes(value)) {
      throw new ValidationError(
        `"${field}" ${JSON.stringify(value)} is not one this cloud accepts: ${allowed.join(", ")}`,
        {
          field,
          cause,
        },
      );
    }
  }
}
