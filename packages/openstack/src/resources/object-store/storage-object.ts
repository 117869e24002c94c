// pyrax's StorageObject: what a listing or a HEAD says about one object, and its methods, each a
// call on the client with this object's container and name filled in.
import { callArgs } from "../../arguments.js";
import { FETCH_KEYS } from "./args.js";
import type {
  CallOptions,
  CopyObjectOptions,
  DownloadOptions,
  FetchObjectOptions,
  FetchedObject,
  MetadataOptions,
  MoveObjectOptions,
  ObjectStream,
  PurgeOptions,
  SetMetadataOptions,
  TempUrlOptions,
  DeleteObjectOptions,
} from "./types.js";
import type { Container } from "./container.js";

/** The fields of a listing entry or a HEAD, as the client hands them over. */
export interface StorageObjectInfo {
  name: string;
  bytes: number;
  contentType: string;
  /** The ETag, unquoted: the MD5 of the content, or for a large object the MD5 of its segments' ETags. */
  hash: string;
  /** As Swift gave it: `2024-05-01T12:00:00.123450` in listings, an HTTP date after a HEAD. */
  lastModified: string;
  /** A static or dynamic large object (its content lives in segments). */
  isLargeObject: boolean;
  /** A pseudo-folder from a listing with a delimiter (pyrax's "pseudo/subdirectory"). */
  subdir: boolean;
}

export class StorageObject implements StorageObjectInfo {
  readonly container: Container;
  readonly name: string;
  readonly bytes: number;
  readonly contentType: string;
  readonly hash: string;
  readonly lastModified: string;
  readonly isLargeObject: boolean;
  readonly subdir: boolean;

  constructor(container: Container, info: StorageObjectInfo) {
    this.container = container;
    this.name = info.name;
    this.bytes = info.bytes;
    this.contentType = info.contentType;
    this.hash = info.hash;
    this.lastModified = info.lastModified;
    this.isLargeObject = info.isLargeObject;
    this.subdir = info.subdir;
  }

  /** pyrax's alias of `bytes`. */
  get totalBytes(): number {
    return this.bytes;
  }

  /** pyrax's alias of `hash`. */
  get etag(): string {
    return this.hash;
  }

  /** `lastModified` as a Date (undefined for a subdir). */
  get modified(): Date | undefined {
    if (!this.lastModified) return undefined;
    const text = /^\d{4}-\d\d-\d\dT[\d:.]+$/.test(this.lastModified) ? `${this.lastModified}Z` : this.lastModified;
    const time = Date.parse(text);
    return Number.isFinite(time) ? new Date(time) : undefined;
  }

  /** The content (pyrax's `fetch`); `fetch(true)` or `{ includeMeta: true }` adds its headers and metadata. */
  fetch(...args: [options?: FetchObjectOptions & { includeMeta?: false }] | [includeMeta: false]): Promise<Buffer>;
  fetch(...args: [options: FetchObjectOptions & { includeMeta: true }] | [includeMeta: true]): Promise<FetchedObject>;
  async fetch(...args: [options?: FetchObjectOptions] | [includeMeta: boolean]): Promise<Buffer | FetchedObject> {
    const options = callArgs<FetchObjectOptions>("fetch", args, ["includeMeta"], FETCH_KEYS, {
      includeMeta: "boolean",
    });
    const client = this.container.client;
    return options.includeMeta
      ? client.fetchObject(this.container, this, { ...options, includeMeta: true })
      : client.fetchObject(this.container, this, { ...options, includeMeta: false });
  }

  /** pyrax's `get(include_meta=False)`: the same as `fetch`. */
  get(...args: [options?: FetchObjectOptions & { includeMeta?: false }] | [includeMeta: false]): Promise<Buffer>;
  get(...args: [options: FetchObjectOptions & { includeMeta: true }] | [includeMeta: true]): Promise<FetchedObject>;
  async get(...args: [options?: FetchObjectOptions] | [includeMeta: boolean]): Promise<Buffer | FetchedObject> {
    const options = callArgs<FetchObjectOptions>("get", args, ["includeMeta"], FETCH_KEYS, { includeMeta: "boolean" });
    return options.includeMeta
      ? this.fetch({ ...options, includeMeta: true })
      : this.fetch({ ...options, includeMeta: false });
  }

  /** The first `size` bytes. */
  fetchPartial(size: number, options?: CallOptions): Promise<Buffer> {
    return this.container.client.fetchPartial(this.container, this, size, options);
  }

  /** The content as a stream, checked against the ETag at its end. */
  fetchStream(options?: FetchObjectOptions): Promise<ObjectStream> {
    return this.container.client.fetchObjectStream(this.container, this, options);
  }

  /** Writes the content under `directory`; resolves to the file's path. */
  download(directory: string, options?: DownloadOptions): Promise<string> {
    return this.container.client.downloadObject(this.container, this, directory, options);
  }

  /** Copies this object; resolves to the copy's ETag. */
  copy(newContainer: string | Container, options?: CopyObjectOptions): Promise<string> {
    return this.container.client.copyObject(this.container, this, newContainer, options);
  }

  /** Copies then deletes this object (this reference is stale afterwards); resolves to the new object. */
  move(newContainer: string | Container, options?: Omit<MoveObjectOptions, "newReference">): Promise<StorageObject> {
    return this.container.client.moveObject(this.container, this, newContainer, { ...options, newReference: true });
  }

  changeContentType(newContentType: string, options?: CallOptions): Promise<void> {
    return this.container.client.changeObjectContentType(this.container, this, newContentType, options);
  }

  /** Removes the object from the CDN edge before its TTL runs out (Rackspace only). */
  purge(options?: PurgeOptions): Promise<void> {
    return this.container.client.purgeCdnObject(this.container, this, options);
  }

  getMetadata(options?: MetadataOptions): Promise<Record<string, string>> {
    return this.container.client.getObjectMetadata(this.container, this, options);
  }

  setMetadata(metadata: Readonly<Record<string, string | number>>, options?: SetMetadataOptions): Promise<void> {
    return this.container.client.setObjectMetadata(this.container, this, metadata, options);
  }

  removeMetadataKey(key: string, options?: MetadataOptions): Promise<void> {
    return this.container.client.removeObjectMetadataKey(this.container, this, key, options);
  }

  getTempUrl(seconds: number, options?: TempUrlOptions): Promise<string> {
    return this.container.client.getTempUrl(this.container, this, seconds, options);
  }

  deleteInSeconds(seconds: number, options?: CallOptions): Promise<void> {
    return this.container.client.deleteObjectInSeconds(this.container, this, seconds, options);
  }

  deleteAt(when: Date | number, options?: CallOptions): Promise<void> {
    return this.container.client.deleteObjectAt(this.container, this, when, options);
  }

  delete(options?: DeleteObjectOptions): Promise<void> {
    return this.container.client.deleteObject(this.container, this, options);
  }

  toString(): string {
    return `<Object '${this.name}' (${this.contentType})>`;
  }
}
