// Cloud Files' options and results: what the calls take and give back, apart from the resources
// (Container, StorageObject) and the folder calls, which name the resources (see folders.ts).
import type { Readable } from "node:stream";
import type { Progress } from "@nimbus-sdk/common";
import type { ServiceClientOptions } from "../../service-client.js";
import type { SyncEvent } from "./sync.js";
import type { TempUrlDigest } from "./temp-url.js";
import type { UploadProgress } from "./upload.js";

/** Every call takes an AbortSignal. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** What `storeObject` accepts: text (stored as UTF-8), bytes, or a stream of bytes. */
export type ObjectData = string | Uint8Array | Readable | AsyncIterable<Uint8Array>;

export interface CloudFilesOptions extends ServiceClientOptions {
  /** Rackspace's CDN management endpoint (catalog type "rax:object-cdn"); without it CDN calls throw NotCDNEnabled. */
  cdnEndpoint?: string | URL;
  /** Default segment size of `uploadFile` (1 GiB). */
  segmentSize?: number;
  /** Default number of segments `uploadFile` sends at once (4). */
  uploadConcurrency?: number;
}

export interface MetadataOptions extends CallOptions {
  /**
   * The header prefix the keys are relative to: `X-Container-Meta-`, `X-Object-Meta-` or
   * `X-Account-Meta-` by default; `""` for raw header names (pyrax's `prefix`).
   */
  prefix?: string;
}

export interface SetMetadataOptions extends MetadataOptions {
  /** Remove the existing metadata first, keeping only what is passed. */
  clear?: boolean;
}

/** The Cloud Files account's totals, as pyrax's `get_account_details()`: containers, objects and bytes. */
export interface AccountDetails {
  containerCount: number;
  objectCount: number;
  bytesUsed: number;
  /** Every `X-Account-*` header that is not metadata, prefix removed (`bytes-used`, `quota-bytes` …). */
  raw: Record<string, string>;
}

/** A container as a listing shows it: name, object count and bytes. */
export interface ContainerInfo {
  name: string;
  /** Number of objects. */
  count: number;
  bytes: number;
  lastModified?: string;
}

export interface ListContainersOptions extends CallOptions {
  prefix?: string;
  /** Start after this name. */
  marker?: string;
  /** Stop before this name. */
  endMarker?: string;
  /** At most this many in all. */
  limit?: number;
  /** Names per request (Swift's maximum and default: 10 000). */
  pageSize?: number;
}

export interface ObjectIteratorOptions extends CallOptions {
  prefix?: string;
  /** With "/", objects below a folder are rolled up into one `subdir` entry. */
  delimiter?: string;
  marker?: string;
  endMarker?: string;
  /** At most this many in all. */
  limit?: number;
  /** Entries per request (default 10 000). */
  pageSize?: number;
}

export interface ListObjectsOptions extends CallOptions {
  prefix?: string;
  delimiter?: string;
  marker?: string;
  endMarker?: string;
  /** Entries in this page (Swift returns at most 10 000). */
  limit?: number;
  /** Every page (pyrax's `full_listing`); `limit` then caps the total. */
  fullListing?: boolean;
}

export interface ListSubdirsOptions extends CallOptions {
  prefix?: string;
  marker?: string;
  limit?: number;
  fullListing?: boolean;
}

export interface CreateContainerOptions extends CallOptions {
  metadata?: Readonly<Record<string, string | number>>;
  /** Prefix for the metadata keys (default `X-Container-Meta-`). */
  prefix?: string;
}

export interface DeleteContainerOptions extends CallOptions {
  /** Delete the objects first (pyrax's `del_objects`); otherwise a non-empty container is a Conflict. */
  delObjects?: boolean;
}

/** Swift container ACLs: `.r:*` (anyone may read), `.rlistings`, `project:user`, `project:*` … */
export interface ContainerAcl {
  read: string[];
  write: string[];
}

/** Options of setting a container's read and write ACLs. */
export interface SetAclOptions {
  /** Replaces the read ACL; an empty list removes it. Omit to leave it as is. */
  read?: readonly string[] | string;
  write?: readonly string[] | string;
}

/** Headers of a stored object, shared by storeObject, uploadFile and uploadFolder. */
export interface ObjectHeaderOptions {
  contentType?: string;
  contentEncoding?: string;
  /** Seconds until Swift deletes the object (sets X-Delete-After; pyrax's `ttl`). */
  ttl?: number;
  /** When Swift deletes the object (sets X-Delete-At): a Date or Unix seconds. */
  deleteAt?: Date | number;
  /** Object metadata; keys get `X-Object-Meta-` unless they have it. */
  metadata?: Readonly<Record<string, string | number>>;
  /** Other headers, sent as given (e.g. Content-Disposition, Cache-Control). */
  headers?: Readonly<Record<string, string>>;
}

export interface StoreObjectOptions extends ObjectHeaderOptions, CallOptions {
  /**
   * Resolve to undefined instead of the stored object (pyrax's `return_none`), saving the HEAD that
   * reads it back where the server decides something (no `contentType` sent, a manifest …).
   */
  returnNone?: boolean;
  /** The MD5 of the data; the server rejects the upload when it differs. Computed for text and bytes. */
  etag?: string;
  /** The length of a stream; without it the stream is sent chunked. */
  contentLength?: number;
}

export interface UploadFileOptions extends ObjectHeaderOptions, CallOptions {
  /** The object's name; the file's base name by default. */
  objName?: string;
  /** The file's MD5, when already known; saves a read of files sent in one PUT. */
  etag?: string;
  /**
   * Hash every byte sent and compare with the server's ETags (default true). Off, the upload skips
   * the client's MD5 work (about 1.3 s per GiB on one core) and trusts the server's ETags.
   */
  checksum?: boolean;
  /** Larger files become static large objects of segments this size (default 1 GiB, at most 5 GiB). */
  segmentSize?: number;
  /** Segments sent at once (default 4). */
  concurrency?: number;
  /** Where segments go (default `<container>_segments`). */
  segmentContainer?: string;
  /** Keep the segments of a large object this upload replaces (default: delete them once stored). */
  leaveSegments?: boolean;
  onProgress?: (progress: UploadProgress) => void;
}

/** A part of an object to fetch: from `start` (inclusive), to `end` (inclusive) or to the end. */
export interface ByteRange {
  /** First byte, from 0. */
  offset: number;
  /** Bytes to read; to the end when omitted. */
  length?: number;
}

export interface FetchObjectOptions extends CallOptions {
  /** Only these bytes (no checksum check then). */
  range?: ByteRange;
  /** Check the content against the ETag (default true; large objects and ranges are never checked). */
  verify?: boolean;
  /** Also return the response headers and metadata (pyrax's `include_meta`). */
  includeMeta?: boolean;
}

/** An object's content with its headers, as `fetchObject` answers it with `includeMeta`. */
export interface FetchedObject {
  data: Buffer;
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
  /** `X-Object-Meta-*`, prefix removed. */
  metadata: Record<string, string>;
}

/** An object's content as a stream, with its headers. */
export interface ObjectStream {
  /** The content; it errors with ChecksumMismatch at its end when the bytes do not match the ETag. */
  stream: Readable;
  headers: Record<string, string>;
  metadata: Record<string, string>;
  /** Content-Length, when the server sent it. */
  bytes?: number;
  contentType?: string;
  /** The ETag, unquoted. */
  etag?: string;
}

export interface DownloadOptions extends CallOptions {
  /** Recreate the object name's folders under the directory (default true); else use its base name. */
  structure?: boolean;
  verify?: boolean;
  /** Called as the bytes arrive: common's Progress in bytes (with a total when the server sent a length). */
  onProgress?: (progress: Progress) => void;
}

export interface DeleteObjectOptions extends CallOptions {
  /** For a static large object, delete only the manifest (pyrax's behaviour); default: segments too. */
  leaveSegments?: boolean;
}

export interface CopyObjectOptions extends CallOptions {
  /** Required when copying within one container (unless `contentType` changes). */
  newObjName?: string;
  contentType?: string;
}

export interface MoveObjectOptions extends CopyObjectOptions {
  /** Resolve to the moved object instead of its ETag. */
  newReference?: boolean;
}

export interface TempUrlOptions extends CallOptions {
  /** GET (default), HEAD, PUT, POST or DELETE. */
  method?: string;
  /** The account's temp URL key; read from the account (and cached) when omitted. */
  key?: string;
  /** Use the cached key (default true). */
  cached?: boolean;
  /** sha1 (default, as pyrax) or sha256/sha512. */
  digest?: TempUrlDigest;
  /** Download under this file name. */
  filename?: string;
  /** Show in the browser instead of downloading. */
  inline?: boolean;
}

export interface MakePublicOptions extends CallOptions {
  /** Seconds the CDN caches objects. */
  ttl?: number;
}

export interface PurgeOptions extends CallOptions {
  /** Addresses that get a confirmation when the purge is done. */
  emailAddresses?: string | readonly string[];
}

export interface SyncOptions extends CallOptions {
  /** Delete objects (under the prefix) that have no local file; objects matching `ignore` are kept. */
  delete?: boolean;
  /** Include names starting with "." (default false). */
  includeHidden?: boolean;
  ignore?: string | readonly string[];
  /** Upload whenever the content differs, even when the remote object is newer. */
  ignoreTimestamps?: boolean;
  /** Put the files under this pseudo-folder. */
  objectPrefix?: string;
  /** Files handled at once (default 4). */
  concurrency?: number;
  segmentSize?: number;
  /** Each decision as it is made (pyrax's `verbose`). */
  onProgress?: (event: SyncEvent) => void;
}
