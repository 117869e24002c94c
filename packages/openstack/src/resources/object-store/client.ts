// Cloud Files / Swift: pyrax's StorageClient with camel-cased, async names. Names are checked
// before anything is sent; 404s become NoSuchContainer or NoSuchObject; uploads either store a
// verified object or throw UploadFailed; downloads check the content against the ETag.
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  ConflictError,
  NimbusError,
  PagedList,
  ValidationError,
  type NimbusResponse,
  type RequestOptions,
} from "@nimbus-sdk/common";
import {
  ChecksumMismatch,
  Conflict,
  FolderNotFound,
  MissingTemporaryURLKey,
  NoSuchContainer,
  NoSuchObject,
  notFoundAs,
} from "../../errors.js";
import { ServiceClient, type ServiceClientOptions } from "../../service-client.js";
import * as cdn from "./cdn.js";
import { Container } from "./container.js";
import {
  absoluteObjectPath,
  checkInteger,
  containerPath,
  objectPath,
  validateContainerName,
  validateMetadata,
  validateObjectName,
} from "./names.js";
import { StorageObject, type StorageObjectInfo } from "./storage-object.js";
import {
  eachLimited,
  syncFolder,
  walkFolder,
  type LocalFile,
  type RemoteEntry,
  type SyncEvent,
  type SyncSummary,
} from "./sync.js";
import { buildTempUrl, checkTempUrlInput, type TempUrlDigest } from "./temp-url.js";
import {
  DEFAULT_SEGMENT_SIZE,
  DEFAULT_UPLOAD_CONCURRENCY,
  MAX_SEGMENT_SIZE,
  uploadFailed,
  uploadFile as uploadLocalFile,
  type UploadProgress,
} from "./upload.js";
import {
  ACCOUNT_META_PREFIX,
  CONTAINER_META_PREFIX,
  OBJECT_META_PREFIX,
  bulkDeletePaths,
  fetchSloManifest,
  isTrue,
  metadataFromHeaders,
  prefixKeys,
  unquoteEtag,
  type BulkDeleteResult,
} from "./wire.js";

// ---------------------------------------------------------------------------------------------
// Options and results

/** Every call takes an AbortSignal. */
export interface CallOptions {
  signal?: AbortSignal;
}

export type ContainerRef = string | Container;
export type ObjectRef = string | StorageObject;
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

export interface AccountDetails {
  containerCount: number;
  objectCount: number;
  bytesUsed: number;
  /** Every `X-Account-*` header that is not metadata, prefix removed (`bytes-used`, `quota-bytes` …). */
  raw: Record<string, string>;
}

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

export interface SetAclOptions {
  /** Replaces the read ACL; an empty list removes it. Omit to leave it as is. */
  read?: readonly string[] | string;
  write?: readonly string[] | string;
}

interface ObjectHeaderOptions {
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
   * Resolve to undefined instead of the stored object, saving the HEAD request that reads it back
   * (pyrax's `return_none`): on a busy Swift, a third more objects per second.
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

export interface FetchedObject {
  data: Buffer;
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
  /** `X-Object-Meta-*`, prefix removed. */
  metadata: Record<string, string>;
}

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

export interface FolderUploadProgress {
  uploadedBytes: number;
  totalBytes: number;
  filesDone: number;
  fileCount: number;
  /** The object just stored. */
  objName: string;
}

export interface UploadFolderOptions extends CallOptions {
  /** The container (created when missing); by default one named after the folder. */
  container?: ContainerRef;
  /** fnmatch patterns (`*.pyc`) for file and folder names to leave out. */
  ignore?: string | readonly string[];
  /** Seconds until Swift deletes the uploaded objects. */
  ttl?: number;
  /** Files sent at once (default 4). */
  concurrency?: number;
  segmentSize?: number;
  /** Replaces pyrax's `get_uploaded(key)`. Cancel with the signal (pyrax's `cancel_folder_upload`). */
  onProgress?: (progress: FolderUploadProgress) => void;
}

export interface FolderUploadResult {
  container: Container;
  totalBytes: number;
  /** Object names stored, in the order they finished. */
  objectNames: string[];
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

// ---------------------------------------------------------------------------------------------

interface RawObjectEntry {
  name?: string;
  subdir?: string;
  hash?: string;
  bytes?: number;
  content_type?: string;
  last_modified?: string;
  slo_etag?: string;
}

interface RawContainerEntry {
  name: string;
  count?: number;
  bytes?: number;
  last_modified?: string;
}

const LISTING_LIMIT = 10_000;
/** Headers an object POST replaces; kept when metadata is updated (Swift's object-server allowed_headers). */
const PRESERVED_OBJECT_HEADERS = [
  "content-disposition",
  "content-encoding",
  "cache-control",
  "content-language",
  "expires",
  "x-robots-tag",
  "x-delete-at",
  "x-object-manifest",
];

const nameOf = (ref: { name: string } | string): string => (typeof ref === "object" && ref !== null ? ref.name : ref);
const toList = (value: string | readonly string[] | undefined): string[] =>
  value === undefined ? [] : typeof value === "string" ? [value] : [...value];

/** pyrax's `StorageClient` for Cloud Files and OpenStack Swift. */
export class CloudFiles extends ServiceClient {
  readonly cdnEndpoint?: URL;
  readonly #segmentSize: number;
  readonly #concurrency: number;
  readonly #accountUrl: URL;
  readonly #ctx: cdn.CdnContext;
  #tempUrlKey?: string;

  constructor(options: CloudFilesOptions) {
    super(options);
    this.cdnEndpoint = options.cdnEndpoint === undefined ? undefined : new URL(String(options.cdnEndpoint));
    this.#segmentSize = checkInteger(options.segmentSize, "segmentSize", 1, MAX_SEGMENT_SIZE) ?? DEFAULT_SEGMENT_SIZE;
    this.#concurrency =
      checkInteger(options.uploadConcurrency, "uploadConcurrency", 1, 64) ?? DEFAULT_UPLOAD_CONCURRENCY;
    this.#accountUrl = new URL(this.endpoint.href.replace(/\/+$/, ""));
    const transport = this.transport;
    this.#ctx = {
      endpoint: this.endpoint,
      cdnEndpoint: this.cdnEndpoint,
      request: (request: RequestOptions) => transport.request(request),
    };
  }

  // ------------------------------------------------------------------------------- account

  /** The account's counters (pyrax's `get_account_details`). Counts lag on Swift without its updaters. */
  async getAccountDetails(options: CallOptions = {}): Promise<AccountDetails> {
    const headers = await this.#headAccount(options.signal);
    const raw: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (name.startsWith("x-account-") && !name.startsWith("x-account-meta-")) raw[name.slice(10)] = value;
    }
    return {
      containerCount: Number(raw["container-count"] ?? 0),
      objectCount: Number(raw["object-count"] ?? 0),
      bytesUsed: Number(raw["bytes-used"] ?? 0),
      raw,
    };
  }

  /** pyrax's `get_account_info` tuple, as an object. */
  async getAccountInfo(options: CallOptions = {}): Promise<{ containerCount: number; bytesUsed: number }> {
    const { containerCount, bytesUsed } = await this.getAccountDetails(options);
    return { containerCount, bytesUsed };
  }

  async getAccountMetadata(options: MetadataOptions = {}): Promise<Record<string, string>> {
    return metadataFromHeaders(await this.#headAccount(options.signal), options.prefix ?? ACCOUNT_META_PREFIX);
  }

  async setAccountMetadata(
    metadata: Readonly<Record<string, string | number>>,
    options: SetMetadataOptions = {},
  ): Promise<void> {
    validateMetadata(metadata);
    const prefix = options.prefix ?? ACCOUNT_META_PREFIX;
    const headers = options.clear ? blanked(await this.getAccountMetadata(options), prefix) : {};
    Object.assign(headers, prefixKeys(metadata, prefix));
    await this.#send({ method: "POST", url: this.#accountUrl, headers, signal: options.signal });
  }

  async deleteAccountMetadata(options: MetadataOptions = {}): Promise<void> {
    const prefix = options.prefix ?? ACCOUNT_META_PREFIX;
    const headers = blanked(await this.getAccountMetadata(options), prefix);
    if (Object.keys(headers).length > 0) {
      await this.#send({ method: "POST", url: this.#accountUrl, headers, signal: options.signal });
    }
  }

  /** The account's temp URL key, or undefined when none is set; cached unless `cached: false`. */
  async getTempUrlKey(options: CallOptions & { cached?: boolean } = {}): Promise<string | undefined> {
    if ((options.cached ?? true) && this.#tempUrlKey) return this.#tempUrlKey;
    const headers = await this.#headAccount(options.signal);
    this.#tempUrlKey = headers["x-account-meta-temp-url-key"] || undefined;
    return this.#tempUrlKey;
  }

  /** Sets the account's temp URL key (a random one when omitted) and resolves to it. */
  async setTempUrlKey(key?: string, options: CallOptions = {}): Promise<string> {
    const value = key ?? randomUUID().replace(/-/g, "");
    if (typeof value !== "string" || value.length === 0 || /[\r\n\0]/.test(value)) {
      throw new ValidationError("the temp URL key must be a non-empty string without control characters", {
        field: "key",
      });
    }
    await this.setAccountMetadata({ "Temp-Url-Key": value }, { signal: options.signal });
    this.#tempUrlKey = value;
    return value;
  }

  /**
   * A URL that gives `method` access to the object for `seconds`, without a token: HMAC-SHA1 (or
   * sha256/sha512) of "METHOD\nexpires\npath" with the account's temp URL key.
   */
  async getTempUrl(
    container: ContainerRef,
    obj: ObjectRef,
    seconds: number,
    options: TempUrlOptions = {},
  ): Promise<string> {
    const cname = this.#cname(container);
    const oname = this.#oname(obj);
    checkTempUrlInput(seconds, options.method ?? "GET", options.digest ?? "sha1");
    const key = options.key ?? (await this.getTempUrlKey({ cached: options.cached, signal: options.signal }));
    if (!key) {
      throw new MissingTemporaryURLKey(
        "You must set the key for Temporary URLs before you can generate them. " +
          "This is done via the `setTempUrlKey()` method.",
      );
    }
    return buildTempUrl({
      endpoint: this.endpoint,
      container: cname,
      obj: oname,
      key,
      seconds,
      method: options.method,
      digest: options.digest,
      filename: options.filename,
      inline: options.inline,
    });
  }

  // ------------------------------------------------------------------------------- containers

  /** The containers, page by page: `for await (const c of cf.list())`, or `await cf.list().all()`. */
  list(options: ListContainersOptions = {}): PagedList<Container, string> {
    return new PagedList(
      this.#pager(options, async (marker, limit, signal) => {
        const entries = await this.#listContainersPage({ ...options, marker, limit, signal });
        return { items: entries.map((e) => this.#containerFromInfo(e)), last: entries.at(-1)?.name };
      }),
      { signal: options.signal },
    );
  }

  async listContainerNames(options: Omit<ListContainersOptions, "pageSize"> = {}): Promise<string[]> {
    return (await this.list(options).all()).map((c) => c.name);
  }

  /** One page of `{ name, count, bytes }` (pyrax's `list_containers_info`). */
  async listContainersInfo(options: Omit<ListContainersOptions, "pageSize"> = {}): Promise<ContainerInfo[]> {
    checkInteger(options.limit, "limit", 1, LISTING_LIMIT);
    return this.#listContainersPage(options);
  }

  /** Creates the container (no error when it exists) and returns it. */
  async createContainer(name: string, options: CreateContainerOptions = {}): Promise<Container> {
    const cname = validateContainerName(name, "name");
    let headers: Record<string, string> = {};
    if (options.metadata) {
      validateMetadata(options.metadata);
      headers = prefixKeys(options.metadata, options.prefix ?? CONTAINER_META_PREFIX);
    }
    await this.#send({ method: "PUT", url: containerPath(cname), headers, signal: options.signal });
    return this.getContainer(cname, options);
  }

  /** The container with its counts; NoSuchContainer when it does not exist. */
  async getContainer(container: ContainerRef, options: CallOptions = {}): Promise<Container> {
    const cname = this.#cname(container);
    const headers = await this.#headContainer(cname, options.signal);
    return new Container(this, {
      name: cname,
      objectCount: Number(headers["x-container-object-count"] ?? 0),
      totalBytes: Number(headers["x-container-bytes-used"] ?? 0),
    });
  }

  /** Deletes the container; with `delObjects`, its objects first (bulk delete). */
  async deleteContainer(container: ContainerRef, options: DeleteContainerOptions = {}): Promise<void> {
    const cname = this.#cname(container);
    const { signal } = options;
    if (options.delObjects) {
      const names = await this.listContainerObjectNames(cname, { fullListing: true, signal });
      const result = await this.bulkDelete(cname, names, { signal });
      if (result.errors.length > 0) {
        throw new NimbusError(
          `Could not delete ${result.errors.length} object(s) of '${cname}': ` +
            result.errors
              .slice(0, 3)
              .map(([name, status]) => `${name} (${status})`)
              .join(", "),
        );
      }
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await notFoundAs(
          this.#send({ method: "DELETE", url: containerPath(cname), signal }),
          NoSuchContainer,
          `Container '${cname}' doesn't exist`,
        );
        return;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        // Right after a bulk delete the container's listing may still count the objects.
        if (options.delObjects && attempt < 5) {
          await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
          continue;
        }
        throw new Conflict(`Container '${cname}' is not empty; pass { delObjects: true } to delete its objects too`, {
          ...error.context,
          cause: error,
        });
      }
    }
  }

  async getContainerMetadata(container: ContainerRef, options: MetadataOptions = {}): Promise<Record<string, string>> {
    const headers = await this.#headContainer(this.#cname(container), options.signal);
    return metadataFromHeaders(headers, options.prefix ?? CONTAINER_META_PREFIX);
  }

  /** Updates (or with `clear`, replaces) the container's metadata; an empty value removes a key. */
  async setContainerMetadata(
    container: ContainerRef,
    metadata: Readonly<Record<string, string | number>>,
    options: SetMetadataOptions = {},
  ): Promise<void> {
    const cname = this.#cname(container);
    validateMetadata(metadata);
    const prefix = options.prefix ?? CONTAINER_META_PREFIX;
    const headers = options.clear ? blanked(await this.getContainerMetadata(cname, options), prefix) : {};
    Object.assign(headers, prefixKeys(metadata, prefix));
    await this.#postContainer(cname, headers, options.signal);
  }

  async removeContainerMetadataKey(container: ContainerRef, key: string, options: MetadataOptions = {}): Promise<void> {
    await this.setContainerMetadata(container, { [key]: "" }, options);
  }

  /** Removes all metadata under the prefix (default `X-Container-Meta-`). */
  async deleteContainerMetadata(container: ContainerRef, options: MetadataOptions = {}): Promise<void> {
    const cname = this.#cname(container);
    const prefix = options.prefix ?? CONTAINER_META_PREFIX;
    const headers = blanked(await this.getContainerMetadata(cname, options), prefix);
    if (Object.keys(headers).length > 0) await this.#postContainer(cname, headers, options.signal);
  }

  async getContainerAcl(container: ContainerRef, options: CallOptions = {}): Promise<ContainerAcl> {
    const headers = await this.#headContainer(this.#cname(container), options.signal);
    const split = (value: string | undefined) =>
      (value ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    return { read: split(headers["x-container-read"]), write: split(headers["x-container-write"]) };
  }

  /** Sets the read and/or write ACL (`{ read: [".r:*", ".rlistings"] }` makes a container public). */
  async setContainerAcl(container: ContainerRef, acl: SetAclOptions, options: CallOptions = {}): Promise<void> {
    const cname = this.#cname(container);
    const headers: Record<string, string> = {};
    for (const which of ["read", "write"] as const) {
      if (acl[which] === undefined) continue;
      const entries = toList(acl[which]);
      for (const entry of entries) {
        if (!entry || /[,\r\n\0]/.test(entry) || /[^\u0020-\u007e]/.test(entry)) {
          throw new ValidationError(`acl.${which}: ${JSON.stringify(entry)} is not a valid ACL entry`, {
            field: `acl.${which}`,
          });
        }
      }
      if (entries.length === 0) headers[`x-remove-container-${which}`] = "x";
      else headers[`x-container-${which}`] = entries.join(",");
    }
    if (Object.keys(headers).length === 0) {
      throw new ValidationError("setContainerAcl needs `read` or `write`", { field: "acl" });
    }
    await this.#postContainer(cname, headers, options.signal);
  }

  /**
   * The index page of a static website (X-Container-Meta-Web-Index, read by Swift's staticweb and
   * by Rackspace's CDN). pyrax sent it to the CDN endpoint; the storage endpoint works on both clouds.
   */
  async setContainerWebIndexPage(container: ContainerRef, page: string, options: CallOptions = {}): Promise<void> {
    await this.setContainerMetadata(container, { "Web-Index": page }, options);
  }

  async setContainerWebErrorPage(container: ContainerRef, page: string, options: CallOptions = {}): Promise<void> {
    await this.setContainerMetadata(container, { "Web-Error": page }, options);
  }

  // ------------------------------------------------------------------------------- listings

  /** Objects page by page (pyrax's `object_listing_iterator`): `for await (const o of cf.objectListingIterator(c))`. */
  objectListingIterator(
    container: ContainerRef,
    options: ObjectIteratorOptions = {},
  ): PagedList<StorageObject, string> {
    const cname = this.#cname(container);
    const owner = this.#containerRef(container);
    return new PagedList(
      this.#pager(options, async (marker, limit, signal) => {
        const entries = await this.#listObjectsPage(cname, { ...options, marker, limit, signal });
        return {
          items: entries.map((e) => this.#objectFromListing(owner, e)),
          last: entries.length ? (entries.at(-1)!.name ?? entries.at(-1)!.subdir) : undefined,
        };
      }),
      { signal: options.signal },
    );
  }

  /** One page of objects, or all of them with `fullListing` (pyrax's `list_container_objects`). */
  async listContainerObjects(container: ContainerRef, options: ListObjectsOptions = {}): Promise<StorageObject[]> {
    if (options.fullListing) return this.objectListingIterator(container, options).all();
    checkInteger(options.limit, "limit", 1, LISTING_LIMIT);
    const cname = this.#cname(container);
    const owner = this.#containerRef(container);
    const entries = await this.#listObjectsPage(cname, options);
    return entries.map((e) => this.#objectFromListing(owner, e));
  }

  async listContainerObjectNames(container: ContainerRef, options: ListObjectsOptions = {}): Promise<string[]> {
    return (await this.listContainerObjects(container, options)).map((o) => o.name);
  }

  /** The pseudo-folders (names ending in "/") at the top of `prefix`. */
  async listContainerSubdirs(container: ContainerRef, options: ListSubdirsOptions = {}): Promise<StorageObject[]> {
    const all = await this.listContainerObjects(container, { ...options, delimiter: "/" });
    return all.filter((o) => o.subdir);
  }

  // ------------------------------------------------------------------------------- objects

  /** The object's properties (a HEAD); NoSuchObject when it does not exist. */
  async getObject(container: ContainerRef, obj: ObjectRef, options: CallOptions = {}): Promise<StorageObject> {
    const cname = this.#cname(container);
    const oname = this.#oname(obj);
    const headers = await this.#headObject(cname, oname, options.signal);
    const large = isTrue(headers["x-static-large-object"]) || headers["x-object-manifest"] !== undefined;
    return new StorageObject(this.#containerRef(container), {
      name: oname,
      bytes: Number(headers["content-length"] ?? 0),
      contentType: headers["content-type"] ?? "",
      hash: unquoteEtag(headers.etag) ?? "",
      lastModified: headers["last-modified"] ?? "",
      isLargeObject: large,
      subdir: false,
    });
  }

  /**
   * Stores `data` as the object. Text and bytes are sent with their MD5 as ETag (the server
   * rejects a mismatch); a stream is hashed as it is sent and compared with the server's ETag.
   * Rejects with UploadFailed (cause inside) whenever the object was not stored.
   */
  async storeObject(
    container: ContainerRef,
    objName: string,
    data: ObjectData,
    options: StoreObjectOptions & { returnNone: true },
  ): Promise<undefined>;
  async storeObject(
    container: ContainerRef,
    objName: string,
    data: ObjectData,
    options?: StoreObjectOptions,
  ): Promise<StorageObject>;
  async storeObject(
    container: ContainerRef,
    objName: string,
    data: ObjectData,
    options: StoreObjectOptions = {},
  ): Promise<StorageObject | undefined> {
    const cname = this.#cname(container);
    const oname = validateObjectName(objName, "objName");
    const headers = objectHeaders(options);
    checkInteger(options.contentLength, "contentLength", 0);
    if (options.etag !== undefined) headers.etag = checkMd5(options.etag);
    let body: string | Uint8Array | Readable;
    let hash: ReturnType<typeof createHash> | undefined;
    if (typeof data === "string" || data instanceof Uint8Array) {
      body = data;
      headers.etag ??= createHash("md5").update(data).digest("hex");
      headers["content-length"] = String(Buffer.byteLength(data));
    } else if (data && typeof data === "object" && Symbol.asyncIterator in data) {
      const md5 = createHash("md5");
      hash = md5;
      body = Readable.from(
        tapChunks(data, (chunk) => md5.update(chunk)),
        { objectMode: false },
      );
      if (options.contentLength !== undefined) headers["content-length"] = String(options.contentLength);
    } else {
      throw new ValidationError("data must be a string, a Uint8Array/Buffer or a stream of bytes", { field: "data" });
    }
    const label = `${cname}/${oname}`;
    try {
      const response = await notFoundAs(
        this.#ctx.request({ method: "PUT", url: objectPath(cname, oname), headers, body, signal: options.signal }),
        NoSuchContainer,
        `Container '${cname}' doesn't exist`,
      );
      await response.dump();
      const stored = unquoteEtag(response.headers.etag);
      const expected = hash ? hash.digest("hex") : headers.etag;
      if (stored !== undefined && stored !== expected) {
        // Only a stream sent without an ETag gets here; the server stored something else.
        await this.#send({ method: "DELETE", url: objectPath(cname, oname), okStatuses: [404] }).catch(() => undefined);
        throw new ChecksumMismatch(`${label}: the server stored ETag ${stored}, the data sent has MD5 ${expected}`);
      }
    } catch (error) {
      if (error instanceof NoSuchContainer) throw error;
      throw uploadFailed(label, error);
    }
    return options.returnNone ? undefined : this.getObject(container, oname, { signal: options.signal });
  }

  /**
   * Uploads a local file. Up to `segmentSize` it goes in one PUT verified by its MD5; larger files
   * become a static large object (segments in `<container>_segments`, `concurrency` at a time,
   * each verified, then a verified manifest). Memory stays bounded: segments are streamed from
   * the file. On failure the segments are deleted and UploadFailed is thrown.
   */
  async uploadFile(container: ContainerRef, path: string, options: UploadFileOptions = {}): Promise<StorageObject> {
    const cname = this.#cname(container);
    if (typeof path !== "string" || path.length === 0) {
      throw new ValidationError("path must be a file path", { field: "path" });
    }
    const oname = validateObjectName(options.objName ?? basename(path), "objName");
    const headers = objectHeaders(options);
    const segmentSize = checkInteger(options.segmentSize, "segmentSize", 1, MAX_SEGMENT_SIZE) ?? this.#segmentSize;
    const concurrency = checkInteger(options.concurrency, "concurrency", 1, 64) ?? this.#concurrency;
    const segmentContainer = validateContainerName(options.segmentContainer ?? `${cname}_segments`, "segmentContainer");
    await uploadLocalFile(this.#ctx, {
      container: cname,
      obj: oname,
      path,
      headers,
      etag: options.etag === undefined ? undefined : checkMd5(options.etag),
      checksum: options.checksum ?? true,
      segmentSize,
      concurrency,
      segmentContainer,
      leaveSegments: options.leaveSegments ?? false,
      onProgress: options.onProgress,
      signal: options.signal,
    });
    return this.getObject(container, oname, { signal: options.signal });
  }

  /** The content; with `includeMeta: true`, also its headers and metadata. */
  async fetchObject(
    container: ContainerRef,
    obj: ObjectRef,
    options: FetchObjectOptions & { includeMeta: true },
  ): Promise<FetchedObject>;
  async fetchObject(
    container: ContainerRef,
    obj: ObjectRef,
    options?: FetchObjectOptions & { includeMeta?: false },
  ): Promise<Buffer>;
  async fetchObject(
    container: ContainerRef,
    obj: ObjectRef,
    options: FetchObjectOptions = {},
  ): Promise<Buffer | FetchedObject> {
    const { response, label } = await this.#get(container, obj, options);
    const data = await response.bytes();
    const expected = expectedMd5(response, options.verify);
    if (expected !== undefined) {
      const actual = createHash("md5").update(data).digest("hex");
      if (actual !== expected) throw checksumMismatch(label, expected, actual);
    }
    if (!options.includeMeta) return data;
    const headers = { ...response.headers };
    return { data, headers, metadata: metadataFromHeaders(headers, OBJECT_META_PREFIX) };
  }

  /** The first `size` bytes (all of them when the object is smaller). */
  async fetchPartial(
    container: ContainerRef,
    obj: ObjectRef,
    size: number,
    options: CallOptions = {},
  ): Promise<Buffer> {
    checkInteger(size, "size", 1);
    try {
      return await this.fetchObject(container, obj, { ...options, range: { offset: 0, length: size } });
    } catch (error) {
      // An empty object has no byte 0.
      if (error instanceof NimbusError && error.status === 416) return Buffer.alloc(0);
      throw error;
    }
  }

  /** The content as a stream, with its headers; the stream errors with ChecksumMismatch if the bytes are wrong. */
  async fetchObjectStream(
    container: ContainerRef,
    obj: ObjectRef,
    options: FetchObjectOptions = {},
  ): Promise<ObjectStream> {
    const { response, label } = await this.#get(container, obj, options);
    const headers = { ...response.headers };
    const expected = expectedMd5(response, options.verify);
    const source = response.stream();
    // A generator, not a Transform: the check runs as the caller reads, so a mismatch is an error
    // on the stream they consume, never an unhandled one on a stream nobody reads yet.
    const stream =
      expected === undefined
        ? source
        : Readable.from(verifyMd5(source, expected, label), { objectMode: false, highWaterMark: 64 * 1024 });
    const length = Number(headers["content-length"]);
    return {
      stream,
      headers,
      metadata: metadataFromHeaders(headers, OBJECT_META_PREFIX),
      bytes: Number.isFinite(length) ? length : undefined,
      contentType: headers["content-type"],
      etag: unquoteEtag(headers.etag),
    };
  }

  /**
   * Writes the object to a file under `directory` (which must exist) and resolves to its path. The
   * bytes go to a temporary file first, renamed once checked, so a failed download leaves nothing.
   */
  async downloadObject(
    container: ContainerRef,
    obj: ObjectRef,
    directory: string,
    options: DownloadOptions = {},
  ): Promise<string> {
    const oname = this.#oname(obj);
    this.#cname(container);
    const info = await stat(directory).catch(() => undefined);
    if (!info?.isDirectory()) throw new FolderNotFound(`The directory '${directory}' does not exist.`);
    const target =
      options.structure === false ? join(directory, basename(oname)) : join(directory, ...oname.split("/"));
    if (!resolve(target).startsWith(resolve(directory))) {
      throw new ValidationError(`object '${oname}' would be written outside '${directory}'`, { field: "obj" });
    }
    await mkdir(dirname(target), { recursive: true });
    const { stream } = await this.fetchObjectStream(container, obj, options);
    const partial = `${target}.${randomUUID().slice(0, 8)}.part`;
    try {
      await pipeline(stream, createWriteStream(partial), { signal: options.signal });
      await rename(partial, target);
    } catch (error) {
      await unlink(partial).catch(() => undefined);
      throw error;
    }
    return target;
  }

  /** Deletes the object; a static large object's segments too unless `leaveSegments`. */
  async deleteObject(container: ContainerRef, obj: ObjectRef, options: DeleteObjectOptions = {}): Promise<void> {
    const cname = this.#cname(container);
    const oname = this.#oname(obj);
    const { signal } = options;
    let multipart = false;
    if (!options.leaveSegments) {
      const headers = await this.#headObject(cname, oname, signal);
      multipart = isTrue(headers["x-static-large-object"]);
    }
    const response = await notFoundAs(
      this.#ctx.request({
        method: "DELETE",
        url: objectPath(cname, oname),
        query: multipart ? { "multipart-manifest": "delete" } : undefined,
        headers: multipart ? { accept: "application/json" } : undefined,
        signal,
      }),
      NoSuchObject,
      `Object '${oname}' doesn't exist in container '${cname}'`,
    );
    if (!multipart) return response.dump();
    const body = (await response.json<{ "Response Status"?: string; Errors?: [string, string][] }>()) ?? {};
    const status = body["Response Status"] ?? "200 OK";
    if (!status.startsWith("2")) {
      const errors = (body.Errors ?? []).map(([name, why]) => `${name} (${why})`).join(", ");
      throw new NimbusError(
        `Deleting the large object ${cname}/${oname} failed: ${status}${errors ? `: ${errors}` : ""}`,
      );
    }
  }

  /** Swift deletes the object after `seconds` (X-Delete-After); its metadata is kept. */
  async deleteObjectInSeconds(
    container: ContainerRef,
    obj: ObjectRef,
    seconds: number,
    options: CallOptions = {},
  ): Promise<void> {
    checkInteger(seconds, "seconds", 1);
    await this.setObjectMetadata(
      container,
      obj,
      { "X-Delete-At": "", "X-Delete-After": seconds },
      { prefix: "", signal: options.signal },
    );
  }

  /** Swift deletes the object at `when` (a Date or Unix seconds; X-Delete-At). */
  async deleteObjectAt(
    container: ContainerRef,
    obj: ObjectRef,
    when: Date | number,
    options: CallOptions = {},
  ): Promise<void> {
    await this.setObjectMetadata(
      container,
      obj,
      { "X-Delete-At": deleteAtSeconds(when) },
      { prefix: "", signal: options.signal },
    );
  }

  /** Server-side copy; resolves to the new object's ETag. */
  async copyObject(
    container: ContainerRef,
    obj: ObjectRef,
    newContainer: ContainerRef,
    options: CopyObjectOptions = {},
  ): Promise<string> {
    const cname = this.#cname(container);
    const oname = this.#oname(obj);
    const target = this.#cname(newContainer, "newContainer");
    const newName = validateObjectName(options.newObjName ?? oname, "newObjName");
    if (target === cname && newName === oname && options.contentType === undefined) {
      throw new ValidationError("copying an object onto itself needs `newObjName` or `contentType`", {
        field: "newObjName",
      });
    }
    const headers: Record<string, string> = {
      "x-copy-from": absoluteObjectPath(cname, oname),
      "content-length": "0",
    };
    if (options.contentType !== undefined)
      headers["content-type"] = checkHeaderValue(options.contentType, "contentType");
    const response = await notFoundAs(
      this.#ctx.request({ method: "PUT", url: objectPath(target, newName), headers, signal: options.signal }),
      NoSuchObject,
      `Object '${oname}' doesn't exist in container '${cname}' (or container '${target}' doesn't exist)`,
    );
    await response.dump();
    return unquoteEtag(response.headers.etag) ?? "";
  }

  /** Copies, then deletes the original; resolves to the new ETag, or the new object with `newReference`. */
  async moveObject(
    container: ContainerRef,
    obj: ObjectRef,
    newContainer: ContainerRef,
    options: MoveObjectOptions & { newReference: true },
  ): Promise<StorageObject>;
  async moveObject(
    container: ContainerRef,
    obj: ObjectRef,
    newContainer: ContainerRef,
    options?: MoveObjectOptions & { newReference?: false },
  ): Promise<string>;
  async moveObject(
    container: ContainerRef,
    obj: ObjectRef,
    newContainer: ContainerRef,
    options: MoveObjectOptions = {},
  ): Promise<string | StorageObject> {
    const etag = await this.copyObject(container, obj, newContainer, options);
    await this.deleteObject(container, obj, { signal: options.signal });
    if (!options.newReference) return etag;
    return this.getObject(newContainer, options.newObjName ?? this.#oname(obj), { signal: options.signal });
  }

  /** Sets a new Content-Type, keeping content and metadata (a POST; pyrax copied the object onto itself). */
  async changeObjectContentType(
    container: ContainerRef,
    obj: ObjectRef,
    newContentType: string,
    options: CallOptions = {},
  ): Promise<void> {
    checkHeaderValue(newContentType, "newContentType");
    await this.setObjectMetadata(
      container,
      obj,
      { "Content-Type": newContentType },
      { prefix: "", signal: options.signal },
    );
  }

  async getObjectMetadata(
    container: ContainerRef,
    obj: ObjectRef,
    options: MetadataOptions = {},
  ): Promise<Record<string, string>> {
    const headers = await this.#headObject(this.#cname(container), this.#oname(obj), options.signal);
    return metadataFromHeaders(headers, options.prefix ?? OBJECT_META_PREFIX);
  }

  /**
   * Updates the object's metadata. Swift replaces all of an object's metadata on each POST, so the
   * current metadata (and Content-Disposition, X-Delete-At …) is read and sent again unless
   * `clear`; an empty value removes a key.
   */
  async setObjectMetadata(
    container: ContainerRef,
    obj: ObjectRef,
    metadata: Readonly<Record<string, string | number>>,
    options: SetMetadataOptions = {},
  ): Promise<void> {
    const cname = this.#cname(container);
    const oname = this.#oname(obj);
    validateMetadata(metadata);
    const current = await this.#headObject(cname, oname, options.signal);
    const headers: Record<string, string> = {};
    for (const name of PRESERVED_OBJECT_HEADERS) if (current[name] !== undefined) headers[name] = current[name];
    if (!options.clear) {
      for (const [name, value] of Object.entries(current)) if (name.startsWith("x-object-meta-")) headers[name] = value;
    }
    Object.assign(headers, prefixKeys(metadata, options.prefix ?? OBJECT_META_PREFIX));
    for (const [name, value] of Object.entries(headers)) if (value === "") delete headers[name];
    await notFoundAs(
      this.#send({ method: "POST", url: objectPath(cname, oname), headers, signal: options.signal }),
      NoSuchObject,
      `Object '${oname}' doesn't exist in container '${cname}'`,
    );
  }

  async removeObjectMetadataKey(
    container: ContainerRef,
    obj: ObjectRef,
    key: string,
    options: MetadataOptions = {},
  ): Promise<void> {
    await this.setObjectMetadata(container, obj, { [key]: "" }, options);
  }

  /** Deletes many objects of one container in one request per 10 000 (Swift's bulk middleware). */
  async bulkDelete(
    container: ContainerRef,
    objectNames: readonly string[],
    options: CallOptions = {},
  ): Promise<BulkDeleteResult> {
    const cname = this.#cname(container);
    if (!Array.isArray(objectNames))
      throw new ValidationError("objectNames must be an array", { field: "objectNames" });
    const paths = objectNames.map((name, i) =>
      absoluteObjectPath(cname, validateObjectName(name, `objectNames[${i}]`)),
    );
    if (paths.length === 0) return { deleted: 0, notFound: 0, status: "200 OK", errors: [] };
    return bulkDeletePaths(this.#ctx, paths, options);
  }

  // ------------------------------------------------------------------------------- folders

  /**
   * Uploads a folder and its subfolders; object names are paths relative to the folder. Resolves
   * when every file is stored; the first failure cancels the rest (files already stored stay).
   */
  async uploadFolder(folderPath: string, options: UploadFolderOptions = {}): Promise<FolderUploadResult> {
    const concurrency = checkInteger(options.concurrency, "concurrency", 1, 64) ?? DEFAULT_UPLOAD_CONCURRENCY;
    checkInteger(options.ttl, "ttl", 1);
    const { files } = await walkFolder(folderPath, {
      ignore: toList(options.ignore),
      includeHidden: true,
      signal: options.signal,
    });
    const name = options.container === undefined ? basename(resolve(folderPath)) : this.#cname(options.container);
    const container = await this.createContainer(name, { signal: options.signal });
    const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    const objectNames: string[] = [];
    let uploadedBytes = 0;
    await eachLimited(files, concurrency, async (file) => {
      try {
        await this.#uploadLocal(
          container.name,
          file,
          undefined,
          { ttl: options.ttl, segmentSize: options.segmentSize },
          signal,
        );
      } catch (error) {
        controller.abort(error);
        throw error;
      }
      uploadedBytes += file.size;
      objectNames.push(file.objName);
      options.onProgress?.({
        uploadedBytes,
        totalBytes,
        filesDone: objectNames.length,
        fileCount: files.length,
        objName: file.objName,
      });
    });
    return { container, totalBytes, objectNames };
  }

  /**
   * Uploads the files of a local folder that are missing from the container or differ (MD5, or
   * segment by segment for large objects), as pyrax does; with `delete`, removes objects that have no
   * local file. Failed files are counted in the summary, not thrown; cancelling throws.
   */
  async syncFolderToContainer(
    folderPath: string,
    container: ContainerRef,
    options: SyncOptions = {},
  ): Promise<SyncSummary> {
    const cname = this.#cname(container);
    const concurrency = checkInteger(options.concurrency, "concurrency", 1, 64) ?? DEFAULT_UPLOAD_CONCURRENCY;
    const folder = await stat(folderPath).catch(() => undefined);
    if (!folder?.isDirectory()) throw new FolderNotFound(`No such folder: '${folderPath}'`);
    await this.#headContainer(cname, options.signal);
    const ignore = toList(options.ignore);
    return syncFolder(
      {
        listAll: async (prefix, signal) => {
          const entries: RemoteEntry[] = [];
          let marker: string | undefined;
          for (;;) {
            const page = await this.#listObjectsPage(cname, { prefix, marker, limit: LISTING_LIMIT, signal });
            for (const e of page) {
              if (e.name === undefined) continue;
              entries.push({
                name: e.name,
                hash: e.hash ?? "",
                bytes: e.bytes ?? 0,
                lastModified: e.last_modified ?? "",
                sloEtag: e.slo_etag,
              });
            }
            if (page.length < LISTING_LIMIT) return entries;
            marker = page.at(-1)!.name ?? page.at(-1)!.subdir;
          }
        },
        largeObjectSegments: (name, signal) => fetchSloManifest(this.#ctx, objectPath(cname, name), { signal }),
        upload: (file, md5, replacesLargeObject, signal) =>
          this.#uploadLocal(
            cname,
            file,
            md5,
            // The listing says whether a large object is replaced; no HEAD per file needed.
            { segmentSize: options.segmentSize, leaveSegments: !replacesLargeObject },
            signal,
          ),
        deleteNames: async (names, signal) => {
          const result = await this.bulkDelete(cname, names, { signal });
          if (result.errors.length > 0) {
            throw new NimbusError(
              `Could not delete ${result.errors.length} extra object(s): ${result.errors
                .slice(0, 3)
                .map(([n, s]) => `${n} (${s})`)
                .join(", ")}`,
            );
          }
          return result.deleted;
        },
      },
      folderPath,
      {
        delete: options.delete,
        includeHidden: options.includeHidden,
        ignore,
        ignoreTimestamps: options.ignoreTimestamps,
        objectPrefix: options.objectPrefix,
        concurrency,
        onProgress: options.onProgress,
        signal: options.signal,
      },
    );
  }

  // ------------------------------------------------------------------------------- CDN (Rackspace)

  /** Names of the CDN-enabled containers. */
  async listPublicContainers(options: CallOptions = {}): Promise<string[]> {
    return cdn.listPublicContainers(this.#ctx, options.signal);
  }

  async makeContainerPublic(container: ContainerRef, options: MakePublicOptions = {}): Promise<void> {
    const ttl = checkInteger(options.ttl, "ttl", 1);
    await cdn.setCdnAccess(this.#ctx, this.#cname(container), true, ttl, options.signal);
  }

  async makeContainerPrivate(container: ContainerRef, options: CallOptions = {}): Promise<void> {
    await cdn.setCdnAccess(this.#ctx, this.#cname(container), false, undefined, options.signal);
  }

  /** The container's CDN headers; NotCDNEnabled when it is not published. */
  async getContainerCdnMetadata(container: ContainerRef, options: CallOptions = {}): Promise<Record<string, string>> {
    return cdn.getCdnHeaders(this.#ctx, this.#cname(container), options.signal);
  }

  async setContainerCdnMetadata(
    container: ContainerRef,
    metadata: cdn.CdnMetadata,
    options: CallOptions = {},
  ): Promise<void> {
    await cdn.setCdnMetadata(this.#ctx, this.#cname(container), metadata, options.signal);
  }

  /** pyrax's `cdn_enabled`, `cdn_uri`, `cdn_ssl_uri`, `cdn_streaming_uri`, `cdn_ios_uri`, `cdn_ttl`, `cdn_log_retention`. */
  async getContainerCdnInfo(container: ContainerRef, options: CallOptions = {}): Promise<cdn.CdnInfo> {
    return cdn.getCdnInfo(this.#ctx, this.#cname(container), options.signal);
  }

  async getCdnLogRetention(container: ContainerRef, options: CallOptions = {}): Promise<boolean> {
    return (await this.getContainerCdnInfo(container, options)).logRetention;
  }

  async setCdnLogRetention(container: ContainerRef, enabled: boolean, options: CallOptions = {}): Promise<void> {
    await cdn.setCdnLogRetention(this.#ctx, this.#cname(container), enabled, options.signal);
  }

  async getContainerStreamingUri(container: ContainerRef, options: CallOptions = {}): Promise<string | undefined> {
    return (await this.getContainerCdnInfo(container, options)).streamingUri;
  }

  async getContainerIosUri(container: ContainerRef, options: CallOptions = {}): Promise<string | undefined> {
    return (await this.getContainerCdnInfo(container, options)).iosUri;
  }

  /** Removes an object from the CDN edge before its TTL runs out. */
  async purgeCdnObject(container: ContainerRef, obj: ObjectRef, options: PurgeOptions = {}): Promise<void> {
    await cdn.purgeCdnObject(
      this.#ctx,
      this.#cname(container),
      this.#oname(obj),
      toList(options.emailAddresses),
      options.signal,
    );
  }

  // ------------------------------------------------------------------------------- internals

  #cname(container: ContainerRef, field = "container"): string {
    return validateContainerName(nameOf(container), field);
  }

  #oname(obj: ObjectRef, field = "obj"): string {
    return validateObjectName(nameOf(obj), field);
  }

  #containerRef(container: ContainerRef): Container {
    return container instanceof Container
      ? container
      : new Container(this, { name: container, objectCount: undefined, totalBytes: undefined });
  }

  #containerFromInfo(info: ContainerInfo): Container {
    return new Container(this, { name: info.name, objectCount: info.count, totalBytes: info.bytes });
  }

  #objectFromListing(container: Container, entry: RawObjectEntry): StorageObject {
    const info: StorageObjectInfo =
      entry.subdir !== undefined
        ? {
            name: entry.subdir,
            bytes: 0,
            contentType: "pseudo/subdirectory",
            hash: "",
            lastModified: "",
            isLargeObject: false,
            subdir: true,
          }
        : {
            name: entry.name ?? "",
            bytes: entry.bytes ?? 0,
            contentType: entry.content_type ?? "",
            hash: unquoteEtag(entry.slo_etag) ?? entry.hash ?? "",
            lastModified: entry.last_modified ?? "",
            isLargeObject: entry.slo_etag !== undefined,
            subdir: false,
          };
    return new StorageObject(container, info);
  }

  async #send(options: RequestOptions): Promise<NimbusResponse> {
    const response = await this.#ctx.request(options);
    await response.dump();
    return response;
  }

  async #headAccount(signal?: AbortSignal): Promise<Record<string, string>> {
    return { ...(await this.#send({ method: "HEAD", url: this.#accountUrl, signal })).headers };
  }

  async #headContainer(cname: string, signal?: AbortSignal): Promise<Record<string, string>> {
    const response = await notFoundAs(
      this.#send({ method: "HEAD", url: containerPath(cname), signal }),
      NoSuchContainer,
      `Container '${cname}' doesn't exist`,
    );
    return { ...response.headers };
  }

  async #headObject(cname: string, oname: string, signal?: AbortSignal): Promise<Record<string, string>> {
    const response = await notFoundAs(
      this.#send({ method: "HEAD", url: objectPath(cname, oname), signal }),
      NoSuchObject,
      `Object '${oname}' doesn't exist in container '${cname}'`,
    );
    return { ...response.headers };
  }

  async #postContainer(cname: string, headers: Record<string, string>, signal?: AbortSignal): Promise<void> {
    await notFoundAs(
      this.#send({ method: "POST", url: containerPath(cname), headers, signal }),
      NoSuchContainer,
      `Container '${cname}' doesn't exist`,
    );
  }

  async #get(
    container: ContainerRef,
    obj: ObjectRef,
    options: FetchObjectOptions,
  ): Promise<{ response: NimbusResponse; label: string }> {
    const cname = this.#cname(container);
    const oname = this.#oname(obj);
    const headers: Record<string, string> = {};
    if (options.range !== undefined) {
      const offset = checkInteger(options.range.offset, "range.offset", 0)!;
      const length = checkInteger(options.range.length, "range.length", 1);
      headers.range = `bytes=${offset}-${length === undefined ? "" : offset + length - 1}`;
    }
    const response = await notFoundAs(
      this.#ctx.request({ url: objectPath(cname, oname), headers, signal: options.signal }),
      NoSuchObject,
      `Object '${oname}' doesn't exist in container '${cname}'`,
    );
    return { response, label: `${cname}/${oname}` };
  }

  async #listContainersPage(options: Omit<ListContainersOptions, "pageSize">): Promise<ContainerInfo[]> {
    const response = await this.#ctx.request({
      url: this.#accountUrl,
      query: {
        format: "json",
        prefix: options.prefix,
        marker: options.marker,
        end_marker: options.endMarker,
        limit: options.limit,
      },
      signal: options.signal,
    });
    const entries = (await response.json<RawContainerEntry[]>()) ?? [];
    return entries.map((e) => ({
      name: e.name,
      count: e.count ?? 0,
      bytes: e.bytes ?? 0,
      lastModified: e.last_modified,
    }));
  }

  async #listObjectsPage(
    cname: string,
    options: {
      prefix?: string;
      delimiter?: string;
      marker?: string;
      endMarker?: string;
      limit?: number;
      signal?: AbortSignal;
    },
  ): Promise<RawObjectEntry[]> {
    const response = await notFoundAs(
      this.#ctx.request({
        url: containerPath(cname),
        query: {
          format: "json",
          prefix: options.prefix,
          delimiter: options.delimiter,
          marker: options.marker,
          end_marker: options.endMarker,
          limit: options.limit,
        },
        signal: options.signal,
      }),
      NoSuchContainer,
      `Container '${cname}' doesn't exist`,
    );
    return (await response.json<RawObjectEntry[]>()) ?? [];
  }

  /** A PagedList page function over Swift's marker paging, honouring `marker`, `limit` and `pageSize`. */
  #pager<T>(
    options: { marker?: string; limit?: number; pageSize?: number },
    fetch: (
      marker: string | undefined,
      limit: number,
      signal: AbortSignal | undefined,
    ) => Promise<{ items: T[]; last: string | undefined }>,
  ): (cursor: string | undefined, page: { signal?: AbortSignal }) => Promise<{ items: T[]; next?: string }> {
    const pageSize = checkInteger(options.pageSize, "pageSize", 1, LISTING_LIMIT) ?? LISTING_LIMIT;
    const limit = checkInteger(options.limit, "limit", 0);
    let remaining = limit;
    return async (cursor, { signal }) => {
      if (cursor === undefined) remaining = limit;
      const size = remaining === undefined ? pageSize : Math.min(pageSize, remaining);
      if (size === 0) return { items: [] };
      const { items, last } = await fetch(cursor ?? options.marker, size, signal);
      if (remaining !== undefined) remaining -= items.length;
      const more = items.length === size && (remaining === undefined || remaining > 0) && last !== undefined;
      return { items, next: more ? last : undefined };
    };
  }

  async #uploadLocal(
    cname: string,
    file: LocalFile,
    md5: string | undefined,
    options: { ttl?: number; segmentSize?: number; leaveSegments?: boolean },
    signal: AbortSignal | undefined,
  ): Promise<void> {
    await uploadLocalFile(this.#ctx, {
      container: cname,
      obj: validateObjectName(file.objName),
      path: file.path,
      headers: objectHeaders({ ttl: options.ttl }),
      etag: md5,
      checksum: true,
      segmentSize: checkInteger(options.segmentSize, "segmentSize", 1, MAX_SEGMENT_SIZE) ?? this.#segmentSize,
      concurrency: this.#concurrency,
      segmentContainer: validateContainerName(`${cname}_segments`, "segmentContainer"),
      leaveSegments: options.leaveSegments ?? false,
      signal,
    });
  }
}

/** pyrax's other name for the same class. */
export { CloudFiles as StorageClient };

// ---------------------------------------------------------------------------------------------

function blanked(current: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(current)) out[`${prefix}${key}`.toLowerCase()] = "";
  return out;
}

function checkHeaderValue(value: string, field: string): string {
  if (typeof value !== "string" || value.length === 0 || /[\r\n\0]/.test(value) || /[^\u0020-\u00ff\t]/.test(value)) {
    throw new ValidationError(`${field} must be a non-empty header value; got ${JSON.stringify(value)}`, { field });
  }
  return value;
}

function checkMd5(etag: string): string {
  if (typeof etag !== "string" || !/^[0-9a-f]{32}$/i.test(etag)) {
    throw new ValidationError(`etag must be an MD5 in hex (32 characters); got ${JSON.stringify(etag)}`, {
      field: "etag",
    });
  }
  return etag.toLowerCase();
}

function deleteAtSeconds(when: Date | number): number {
  const seconds = when instanceof Date ? Math.floor(when.getTime() / 1000) : when;
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new ValidationError(`deleteAt must be a valid Date or Unix time in seconds; got ${String(when)}`, {
      field: "deleteAt",
    });
  }
  return seconds;
}

/** The headers of a stored object from the options shared by storeObject, uploadFile and uploadFolder. */
function objectHeaders(options: ObjectHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  if (options.headers !== undefined) {
    validateMetadata(options.headers, "headers");
    for (const [name, value] of Object.entries(options.headers)) headers[name.toLowerCase()] = value;
  }
  if (options.metadata !== undefined) {
    validateMetadata(options.metadata);
    Object.assign(headers, prefixKeys(options.metadata, OBJECT_META_PREFIX));
  }
  if (options.contentType !== undefined) headers["content-type"] = checkHeaderValue(options.contentType, "contentType");
  if (options.contentEncoding !== undefined) {
    headers["content-encoding"] = checkHeaderValue(options.contentEncoding, "contentEncoding");
  }
  if (options.ttl !== undefined && options.deleteAt !== undefined) {
    throw new ValidationError("pass either ttl or deleteAt, not both", { field: "ttl" });
  }
  if (options.ttl !== undefined) headers["x-delete-after"] = String(checkInteger(options.ttl, "ttl", 1));
  if (options.deleteAt !== undefined) headers["x-delete-at"] = String(deleteAtSeconds(options.deleteAt));
  return headers;
}

/** The MD5 a response's body must have, or undefined when it cannot be checked. */
function expectedMd5(response: NimbusResponse, verify: boolean | undefined): string | undefined {
  if (verify === false || response.status !== 200) return undefined;
  const { headers } = response;
  if (isTrue(headers["x-static-large-object"]) || headers["x-object-manifest"] !== undefined) return undefined;
  const etag = unquoteEtag(headers.etag)?.toLowerCase();
  return etag !== undefined && /^[0-9a-f]{32}$/.test(etag) ? etag : undefined;
}

function checksumMismatch(label: string, expected: string, actual: string): ChecksumMismatch {
  return new ChecksumMismatch(`${label}: the content's MD5 is ${actual} but its ETag is ${expected}`);
}

async function* verifyMd5(source: Readable, expected: string, label: string): AsyncGenerator<Buffer> {
  const hash = createHash("md5");
  for await (const chunk of source) {
    hash.update(chunk as Buffer);
    yield chunk as Buffer;
  }
  const actual = hash.digest("hex");
  if (actual !== expected) throw checksumMismatch(label, expected, actual);
}

async function* tapChunks(
  source: AsyncIterable<Uint8Array | string>,
  onChunk: (chunk: Buffer) => void,
): AsyncGenerator<Buffer> {
  for await (const piece of source) {
    const chunk =
      typeof piece === "string" ? Buffer.from(piece) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    onChunk(chunk);
    yield chunk;
  }
}
