// pyrax's Container: a container's name and counts, and the client's calls with the container
// filled in (container.storeObject(...), container.listObjects(), container.getTempUrl(...) …).
import { ValidationError, type PagedList } from "@nimbus-sdk/common";
import { callArgs } from "../../arguments.js";
import {
  LIST_POSITIONAL,
  LIST_TYPES,
  STORE_KEYS,
  UPLOAD_KEYS,
  type ListArgs,
  type StoreObjectArgs,
  type UploadFileArgs,
} from "./args.js";
import type { CdnInfo } from "./cdn.js";
import type { ObjectStoreClient } from "./client-api.js";
import type { StorageObject } from "./storage-object.js";
import type { SyncSummary } from "./sync.js";
import type {
  CallOptions,
  ContainerAcl,
  CopyObjectOptions,
  DeleteContainerOptions,
  DeleteObjectOptions,
  DownloadOptions,
  FetchObjectOptions,
  FetchedObject,
  ListObjectsOptions,
  ListSubdirsOptions,
  MakePublicOptions,
  MetadataOptions,
  MoveObjectOptions,
  ObjectData,
  ObjectIteratorOptions,
  ObjectStream,
  PurgeOptions,
  SetAclOptions,
  SetMetadataOptions,
  StoreObjectOptions,
  SyncOptions,
  TempUrlOptions,
  UploadFileOptions,
} from "./types.js";
import type { BulkDeleteResult } from "./wire.js";

type ObjectRef = string | StorageObject;

/** A Cloud Files container, as pyrax's `Container`: its objects (list, fetch, upload, delete), metadata, CDN and temporary URLs. */
export class Container {
  /** The client this container came from (a CloudFiles). */
  readonly client: ObjectStoreClient<Container, StorageObject>;
  readonly name: string;
  /**
   * As of the HEAD or listing this object came from; `reload()` refreshes them. Undefined for a
   * container the client only knew by name (e.g. the `container` of an object listed by name).
   */
  objectCount: number | undefined;
  totalBytes: number | undefined;

  constructor(
    client: ObjectStoreClient<Container, StorageObject>,
    info: { name: string; objectCount: number | undefined; totalBytes: number | undefined },
  ) {
    this.client = client;
    this.name = info.name;
    this.objectCount = info.objectCount;
    this.totalBytes = info.totalBytes;
  }

  /** Reads the counts again. */
  async reload(options?: CallOptions): Promise<this> {
    const fresh = await this.client.getContainer(this.name, options);
    this.objectCount = fresh.objectCount;
    this.totalBytes = fresh.totalBytes;
    return this;
  }

  // Metadata, ACLs, static web

  getMetadata(options?: MetadataOptions): Promise<Record<string, string>> {
    return this.client.getContainerMetadata(this, options);
  }
  setMetadata(metadata: Readonly<Record<string, string | number>>, options?: SetMetadataOptions): Promise<void> {
    return this.client.setContainerMetadata(this, metadata, options);
  }
  removeMetadataKey(key: string, options?: MetadataOptions): Promise<void> {
    return this.client.removeContainerMetadataKey(this, key, options);
  }
  deleteMetadata(options?: MetadataOptions): Promise<void> {
    return this.client.deleteContainerMetadata(this, options);
  }
  getAcl(options?: CallOptions): Promise<ContainerAcl> {
    return this.client.getContainerAcl(this, options);
  }
  setAcl(acl: SetAclOptions, options?: CallOptions): Promise<void> {
    return this.client.setContainerAcl(this, acl, options);
  }
  setWebIndexPage(page: string, options?: CallOptions): Promise<void> {
    return this.client.setContainerWebIndexPage(this, page, options);
  }
  setWebErrorPage(page: string, options?: CallOptions): Promise<void> {
    return this.client.setContainerWebErrorPage(this, page, options);
  }

  // CDN (Rackspace)

  getCdnInfo(options?: CallOptions): Promise<CdnInfo> {
    return this.client.getContainerCdnInfo(this, options);
  }
  makePublic(options?: MakePublicOptions): Promise<void> {
    return this.client.makeContainerPublic(this, options);
  }
  makePrivate(options?: CallOptions): Promise<void> {
    return this.client.makeContainerPrivate(this, options);
  }
  purgeCdnObject(obj: ObjectRef, options?: PurgeOptions): Promise<void> {
    return this.client.purgeCdnObject(this, obj, options);
  }

  // Listing

  /** The object's properties (a HEAD); NoSuchObject when it does not exist. */
  getObject(obj: string, options?: CallOptions): Promise<StorageObject> {
    return this.client.getObject(this, obj, options);
  }
  /** pyrax's alias of `getObject`. */
  get(obj: string, options?: CallOptions): Promise<StorageObject> {
    return this.getObject(obj, options);
  }
  /**
   * One page of objects (pyrax's `list`, alias `get_objects`; Swift's page holds up to 10 000), or all
   * of them with `fullListing`: pyrax's positional `(marker, limit, prefix, delimiter, end_marker,
   * full_listing)` or an options object.
   */
  async list(...args: ListArgs): Promise<StorageObject[]> {
    return this.client.listContainerObjects(
      this,
      callArgs<ListObjectsOptions>("list", args, LIST_POSITIONAL, undefined, LIST_TYPES),
    );
  }
  /** pyrax's `get_objects`: the same as `list`. */
  getObjects(...args: ListArgs): Promise<StorageObject[]> {
    return this.list(...args);
  }
  /** The names of `list`'s objects (pyrax's `list_object_names`, alias `get_object_names`). */
  async getObjectNames(...args: ListArgs): Promise<string[]> {
    return (await this.list(...args)).map((o) => o.name);
  }
  /** One page of objects; `fullListing: true` for all of them. */
  listObjects(options?: ListObjectsOptions): Promise<StorageObject[]> {
    return this.client.listContainerObjects(this, options);
  }
  /** Every object, all pages (pyrax's `list_all`). */
  listAll(options?: Omit<ListObjectsOptions, "fullListing">): Promise<StorageObject[]> {
    return this.client.listContainerObjects(this, { ...options, fullListing: true });
  }
  listObjectNames(...args: ListArgs): Promise<string[]> {
    return this.getObjectNames(...args);
  }
  listSubdirs(options?: ListSubdirsOptions): Promise<StorageObject[]> {
    return this.client.listContainerSubdirs(this, options);
  }
  /** `for await (const obj of container.objectListingIterator())`: pages fetched as needed. */
  objectListingIterator(options?: ObjectIteratorOptions): PagedList<StorageObject, string> {
    return this.client.objectListingIterator(this, options);
  }

  // Objects

  /** pyrax's `store_object(obj_name, data, content_type, etag)`: positional or an options object after the data. */
  async storeObject(objName: string, data: ObjectData, ...args: StoreObjectArgs): Promise<StorageObject> {
    const options = callArgs<StoreObjectOptions>("storeObject", args, ["contentType", "etag"], STORE_KEYS);
    if (options.returnNone)
      throw new ValidationError("container.storeObject: returnNone is only for the client's storeObject", {
        field: "returnNone",
      });
    return this.client.storeObject(this, objName, data, options);
  }
  /** pyrax's `upload_file(file_or_path, obj_name, content_type, etag)`: positional or an options object after the path. */
  async uploadFile(path: string, ...args: UploadFileArgs): Promise<StorageObject> {
    const options = callArgs<UploadFileOptions>("uploadFile", args, ["objName", "contentType", "etag"], UPLOAD_KEYS);
    return this.client.uploadFile(this, path, options);
  }
  fetchObject(obj: ObjectRef, options?: FetchObjectOptions & { includeMeta?: false }): Promise<Buffer>;
  fetchObject(obj: ObjectRef, options: FetchObjectOptions & { includeMeta: true }): Promise<FetchedObject>;
  fetchObject(obj: ObjectRef, options: FetchObjectOptions = {}): Promise<Buffer | FetchedObject> {
    return options.includeMeta
      ? this.client.fetchObject(this, obj, { ...options, includeMeta: true })
      : this.client.fetchObject(this, obj, { ...options, includeMeta: false });
  }
  fetchPartial(obj: ObjectRef, size: number, options?: CallOptions): Promise<Buffer> {
    return this.client.fetchPartial(this, obj, size, options);
  }
  fetchObjectStream(obj: ObjectRef, options?: FetchObjectOptions): Promise<ObjectStream> {
    return this.client.fetchObjectStream(this, obj, options);
  }
  downloadObject(obj: ObjectRef, directory: string, options?: DownloadOptions): Promise<string> {
    return this.client.downloadObject(this, obj, directory, options);
  }
  deleteObject(obj: ObjectRef, options?: DeleteObjectOptions): Promise<void> {
    return this.client.deleteObject(this, obj, options);
  }
  deleteObjectInSeconds(obj: ObjectRef, seconds: number, options?: CallOptions): Promise<void> {
    return this.client.deleteObjectInSeconds(this, obj, seconds, options);
  }
  deleteObjectAt(obj: ObjectRef, when: Date | number, options?: CallOptions): Promise<void> {
    return this.client.deleteObjectAt(this, obj, when, options);
  }
  /** Deletes every object (bulk delete), keeping the container. */
  async deleteAllObjects(options?: CallOptions): Promise<BulkDeleteResult> {
    const names = await this.client.listContainerObjectNames(this, { fullListing: true, signal: options?.signal });
    return this.client.bulkDelete(this, names, options);
  }
  bulkDelete(objectNames: readonly string[], options?: CallOptions): Promise<BulkDeleteResult> {
    return this.client.bulkDelete(this, objectNames, options);
  }
  copyObject(obj: ObjectRef, newContainer: string | Container, options?: CopyObjectOptions): Promise<string> {
    return this.client.copyObject(this, obj, newContainer, options);
  }
  moveObject(
    obj: ObjectRef,
    newContainer: string | Container,
    options: MoveObjectOptions & { newReference: true },
  ): Promise<StorageObject>;
  moveObject(
    obj: ObjectRef,
    newContainer: string | Container,
    options?: MoveObjectOptions & { newReference?: false },
  ): Promise<string>;
  moveObject(
    obj: ObjectRef,
    newContainer: string | Container,
    options: MoveObjectOptions = {},
  ): Promise<string | StorageObject> {
    return options.newReference
      ? this.client.moveObject(this, obj, newContainer, { ...options, newReference: true })
      : this.client.moveObject(this, obj, newContainer, { ...options, newReference: false });
  }
  changeObjectContentType(obj: ObjectRef, newContentType: string, options?: CallOptions): Promise<void> {
    return this.client.changeObjectContentType(this, obj, newContentType, options);
  }
  getTempUrl(obj: ObjectRef, seconds: number, options?: TempUrlOptions): Promise<string> {
    return this.client.getTempUrl(this, obj, seconds, options);
  }
  getObjectMetadata(obj: ObjectRef, options?: MetadataOptions): Promise<Record<string, string>> {
    return this.client.getObjectMetadata(this, obj, options);
  }
  setObjectMetadata(
    obj: ObjectRef,
    metadata: Readonly<Record<string, string | number>>,
    options?: SetMetadataOptions,
  ): Promise<void> {
    return this.client.setObjectMetadata(this, obj, metadata, options);
  }
  removeObjectMetadataKey(obj: ObjectRef, key: string, options?: MetadataOptions): Promise<void> {
    return this.client.removeObjectMetadataKey(this, obj, key, options);
  }
  /** Uploads what changed in a local folder (see CloudFiles.syncFolderToContainer). */
  syncFolder(folderPath: string, options?: SyncOptions): Promise<SyncSummary> {
    return this.client.syncFolderToContainer(folderPath, this, options);
  }

  /** Deletes the container; `delete(true)` (pyrax's `del_objects`) or `{ delObjects: true }` deletes its objects first. */
  async delete(
    ...args: [options?: DeleteContainerOptions] | [delObjects: boolean | undefined, options?: CallOptions]
  ): Promise<void> {
    return this.client.deleteContainer(
      this,
      callArgs<DeleteContainerOptions>("delete", args, ["delObjects"], undefined, { delObjects: "boolean" }),
    );
  }

  toString(): string {
    return `<Container '${this.name}'>`;
  }
}
