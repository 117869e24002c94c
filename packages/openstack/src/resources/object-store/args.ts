// What Cloud Files calls take after their required arguments: pyrax's positional arguments (in
// pyrax's order) or an options object, and the option names each call understands (see arguments.ts).
import type { CallOptions, ListObjectsOptions, StoreObjectOptions, UploadFileOptions } from "./types.js";

/** pyrax's `(content_type, etag)` after the data, or an options object. */
export type StoreObjectArgs =
  | [options?: StoreObjectOptions]
  | [contentType: string | undefined, etag?: string, options?: Omit<StoreObjectOptions, "contentType" | "etag">];
/** pyrax's `(obj_name, content_type, etag)` after the path, or an options object. */
export type UploadFileArgs =
  | [options?: UploadFileOptions]
  | [
      objName: string | undefined,
      contentType?: string,
      etag?: string,
      options?: Omit<UploadFileOptions, "objName" | "contentType" | "etag">,
    ];

export const HEADER_KEYS = ["contentType", "contentEncoding", "ttl", "deleteAt", "metadata", "headers"] as const;
export const STORE_KEYS = [...HEADER_KEYS, "returnNone", "etag", "contentLength"] as const;
export const UPLOAD_KEYS = [
  ...HEADER_KEYS,
  "objName",
  "etag",
  "checksum",
  "segmentSize",
  "concurrency",
  "segmentContainer",
  "leaveSegments",
  "onProgress",
] as const;
export const LIST_CONTAINERS_KEYS = ["prefix", "marker", "endMarker", "limit", "pageSize"] as const;

/** pyrax's `(marker, limit, prefix, delimiter, end_marker, full_listing)`, or an options object. */
export type ListArgs =
  | [options?: ListObjectsOptions]
  | [
      marker?: string,
      limit?: number,
      prefix?: string,
      delimiter?: string,
      endMarker?: string,
      fullListing?: boolean,
      options?: CallOptions,
    ];
export const LIST_POSITIONAL = ["marker", "limit", "prefix", "delimiter", "endMarker", "fullListing"] as const;
export const FETCH_KEYS = ["includeMeta", "range", "verify"] as const;
export const LIST_TYPES = { limit: "number", fullListing: "boolean" } as const;
