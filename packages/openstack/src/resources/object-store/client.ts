// Cloud Files / Swift: pyrax's StorageClient with camel-cased, async names. Names are checked
// before anything is sent; 404s become NoSuchContainer or NoSuchObject; uploads either store a
// verified object or throw UploadFailed; downloads check the content against the ETag. Each call
// lives with its concern (account.ts, containers.ts, listing.ts, objects.ts, store.ts,
// download.ts, folders.ts, cdn.ts); this class is pyrax's face over them.
import type { AwaitablePagedList, PagedList, RequestOptions } from "@nimbus-sdk/common";
import { ValidationError } from "@nimbus-sdk/common";
import { callArgs, checkOptions, isOptionsObject } from "../../arguments.js";
import { ServiceClient } from "../../service-client.js";
import * as account from "./account.js";
import * as cdn from "./cdn.js";
import type { ObjectStoreClient } from "./client-api.js";
import type { Container } from "./container.js";
import * as containers from "./containers.js";
import {
  containerName,
  objectName,
  toList,
  type ContainerRef,
  type ObjectRef,
  type ObjectStoreContext,
} from "./context.js";
import * as download from "./download.js";
import * as folders from "./folders.js";
import { UPLOAD_FOLDER_KEYS, type FolderUploadResult, type UploadFolderOptions } from "./folders.js";
import * as listing from "./listing.js";
import { checkInteger } from "./names.js";
import * as objects from "./objects.js";
import type { StorageObject } from "./storage-object.js";
import * as store from "./store.js";
import type { SyncSummary } from "./sync.js";
import type {
  AccountDetails,
  CallOptions,
  CloudFilesOptions,
  ContainerAcl,
  ContainerInfo,
  CopyObjectOptions,
  CreateContainerOptions,
  DeleteContainerOptions,
  DeleteObjectOptions,
  DownloadOptions,
  FetchObjectOptions,
  FetchedObject,
  ListContainersOptions,
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
import { LIST_CONTAINERS_KEYS, STORE_KEYS, UPLOAD_KEYS, type StoreObjectArgs, type UploadFileArgs } from "./args.js";
import { DEFAULT_SEGMENT_SIZE, DEFAULT_UPLOAD_CONCURRENCY, MAX_SEGMENT_SIZE } from "./upload.js";
import type { BulkDeleteResult } from "./wire.js";

type Metadata = Readonly<Record<string, string | number>>;

/** pyrax's `StorageClient` for Cloud Files and OpenStack Swift. */
export class CloudFiles extends ServiceClient implements ObjectStoreClient<Container, StorageObject> {
  readonly cdnEndpoint?: URL;
  readonly #ctx: ObjectStoreContext;

  constructor(options: CloudFilesOptions) {
    super(options);
    this.cdnEndpoint = options.cdnEndpoint === undefined ? undefined : new URL(String(options.cdnEndpoint));
    const transport = this.transport;
    this.#ctx = {
      endpoint: this.endpoint,
      cdnEndpoint: this.cdnEndpoint,
      request: (request: RequestOptions) => transport.request(request),
      read: (request, reader) => transport.read(request, reader),
      accountUrl: new URL(this.endpoint.href.replace(/\/+$/, "")),
      client: this,
      segmentSize: checkInteger(options.segmentSize, "segmentSize", 1, MAX_SEGMENT_SIZE) ?? DEFAULT_SEGMENT_SIZE,
      concurrency: checkInteger(options.uploadConcurrency, "uploadConcurrency", 1, 64) ?? DEFAULT_UPLOAD_CONCURRENCY,
    };
  }

  // ------------------------------------------------------------------------------- account

  /** The account's counters (pyrax's `get_account_details`). Counts lag on Swift without its updaters. */
  async getAccountDetails(options: CallOptions = {}): Promise<AccountDetails> {
    checkOptions("getAccountDetails", options, []);
    return account.getAccountDetails(this.#ctx, options);
  }

  /** pyrax's `get_account_info` tuple, as an object. */
  async getAccountInfo(options: CallOptions = {}): Promise<{ containerCount: number; bytesUsed: number }> {
    checkOptions("getAccountInfo", options, []);
    const { containerCount, bytesUsed } = await this.getAccountDetails(options);
    return { containerCount, bytesUsed };
  }

  async getAccountMetadata(options: MetadataOptions = {}): Promise<Record<string, string>> {
    checkOptions("getAccountMetadata", options, ["prefix"]);
    return account.getAccountMetadata(this.#ctx, options);
  }

  async setAccountMetadata(metadata: Metadata, options: SetMetadataOptions = {}): Promise<void> {
    checkOptions("setAccountMetadata", options, ["prefix", "clear"]);
    return account.setAccountMetadata(this.#ctx, metadata, options);
  }

  async deleteAccountMetadata(options: MetadataOptions = {}): Promise<void> {
    checkOptions("deleteAccountMetadata", options, ["prefix"]);
    return account.deleteAccountMetadata(this.#ctx, options);
  }

  /** The account's temp URL key, or undefined when none is set; cached unless `cached: false`. */
  async getTempUrlKey(options: CallOptions & { cached?: boolean } = {}): Promise<string | undefined> {
    checkOptions("getTempUrlKey", options, ["cached"]);
    return account.getTempUrlKey(this.#ctx, options);
  }

  /** Sets the account's temp URL key (a random one when omitted) and resolves to it. */
  async setTempUrlKey(key?: string, options: CallOptions = {}): Promise<string> {
    checkOptions("setTempUrlKey", options, []);
    return account.setTempUrlKey(this.#ctx, key, options);
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
    checkOptions("getTempUrl", options);
    return account.getTempUrl(this.#ctx, container, obj, seconds, options);
  }

  // ------------------------------------------------------------------------------- containers

  /** The containers: `await cf.list()` gives them all in an array; `for await (const c of cf.list())` pages lazily. */
  list(options: ListContainersOptions = {}): AwaitablePagedList<Container, string> {
    return containers.listContainers(this.#ctx, callArgs("list", [options], [], LIST_CONTAINERS_KEYS));
  }

  /** pyrax's `get`: the container with its counts (as `getContainer`). */
  async get(container: ContainerRef, options: CallOptions = {}): Promise<Container> {
    checkOptions("get", options, []);
    return this.getContainer(container, options);
  }

  async listContainerNames(options: Omit<ListContainersOptions, "pageSize"> = {}): Promise<string[]> {
    return (await this.list(options).all()).map((c) => c.name);
  }

  /** One page of `{ name, count, bytes }` (pyrax's `list_containers_info`). */
  async listContainersInfo(options: Omit<ListContainersOptions, "pageSize"> = {}): Promise<ContainerInfo[]> {
    return containers.listContainersInfo(this.#ctx, options);
  }

  /** Creates the container (no error when it exists) and returns it. */
  async createContainer(name: string, options: CreateContainerOptions = {}): Promise<Container> {
    checkOptions("createContainer", options);
    return containers.createContainer(this.#ctx, name, options);
  }

  /** The container with its counts; NoSuchContainer when it does not exist. */
  async getContainer(container: ContainerRef, options: CallOptions = {}): Promise<Container> {
    checkOptions("getContainer", options, []);
    return containers.getContainer(this.#ctx, container, options);
  }

  /** Deletes the container; with `delObjects` (pyrax's positional `del_objects`), its objects first (bulk delete). */
  async deleteContainer(
    container: ContainerRef,
    ...args: [options?: DeleteContainerOptions] | [delObjects: boolean | undefined, options?: CallOptions]
  ): Promise<void> {
    const options = callArgs<DeleteContainerOptions>("deleteContainer", args, ["delObjects"], undefined, {
      delObjects: "boolean",
    });
    return containers.deleteContainer(this.#ctx, container, options);
  }

  async getContainerMetadata(container: ContainerRef, options: MetadataOptions = {}): Promise<Record<string, string>> {
    checkOptions("getContainerMetadata", options, ["prefix"]);
    return containers.getContainerMetadata(this.#ctx, container, options);
  }

  /** Updates (or with `clear`, replaces) the container's metadata; an empty value removes a key. */
  async setContainerMetadata(
    container: ContainerRef,
    metadata: Metadata,
    options: SetMetadataOptions = {},
  ): Promise<void> {
    checkOptions("setContainerMetadata", options, ["prefix", "clear"]);
    return containers.setContainerMetadata(this.#ctx, container, metadata, options);
  }

  async removeContainerMetadataKey(container: ContainerRef, key: string, options: MetadataOptions = {}): Promise<void> {
    checkOptions("removeContainerMetadataKey", options, ["prefix"]);
    await this.setContainerMetadata(container, { [key]: "" }, options);
  }

  /** Removes all metadata under the prefix (default `X-Container-Meta-`). */
  async deleteContainerMetadata(container: ContainerRef, options: MetadataOptions = {}): Promise<void> {
    checkOptions("deleteContainerMetadata", options, ["prefix"]);
    return containers.deleteContainerMetadata(this.#ctx, container, options);
  }

  async getContainerAcl(container: ContainerRef, options: CallOptions = {}): Promise<ContainerAcl> {
    checkOptions("getContainerAcl", options, []);
    return containers.getContainerAcl(this.#ctx, container, options);
  }

  /** Sets the read and/or write ACL (`{ read: [".r:*", ".rlistings"] }` makes a container public). */
  async setContainerAcl(container: ContainerRef, acl: SetAclOptions, options: CallOptions = {}): Promise<void> {
    checkOptions("setContainerAcl", options, []);
    return containers.setContainerAcl(this.#ctx, container, acl, options);
  }

  /**
   * The index page of a static website (X-Container-Meta-Web-Index, read by Swift's staticweb and
   * by Rackspace's CDN). pyrax sent it to the CDN endpoint; the storage endpoint works on both clouds.
   */
  async setContainerWebIndexPage(container: ContainerRef, page: string, options: CallOptions = {}): Promise<void> {
    checkOptions("setContainerWebIndexPage", options, []);
    await this.setContainerMetadata(container, { "Web-Index": page }, options);
  }

  async setContainerWebErrorPage(container: ContainerRef, page: string, options: CallOptions = {}): Promise<void> {
    checkOptions("setContainerWebErrorPage", options, []);
    await this.setContainerMetadata(container, { "Web-Error": page }, options);
  }

  // ------------------------------------------------------------------------------- listings

  /** Objects page by page (pyrax's `object_listing_iterator`): `for await (const o of cf.objectListingIterator(c))`. */
  objectListingIterator(
    container: ContainerRef,
    options: ObjectIteratorOptions = {},
  ): PagedList<StorageObject, string> {
    checkOptions("objectListingIterator", options);
    return listing.objectListingIterator(this.#ctx, container, options);
  }

  /** One page of objects, or all of them with `fullListing` (pyrax's `list_container_objects`). */
  async listContainerObjects(container: ContainerRef, options: ListObjectsOptions = {}): Promise<StorageObject[]> {
    checkOptions("listContainerObjects", options);
    return listing.listContainerObjects(this.#ctx, container, options);
  }

  async listContainerObjectNames(container: ContainerRef, options: ListObjectsOptions = {}): Promise<string[]> {
    checkOptions("listContainerObjectNames", options);
    return (await this.listContainerObjects(container, options)).map((o) => o.name);
  }

  /** The pseudo-folders (names ending in "/") at the top of `prefix`. */
  async listContainerSubdirs(container: ContainerRef, options: ListSubdirsOptions = {}): Promise<StorageObject[]> {
    checkOptions("listContainerSubdirs", options);
    const all = await this.listContainerObjects(container, { ...options, delimiter: "/" });
    return all.filter((o) => o.subdir);
  }

  // ------------------------------------------------------------------------------- objects

  /** The object's properties (a HEAD); NoSuchObject when it does not exist. */
  async getObject(container: ContainerRef, obj: ObjectRef, options: CallOptions = {}): Promise<StorageObject> {
    checkOptions("getObject", options, []);
    return objects.getObject(this.#ctx, container, obj, options);
  }

  /**
   * Stores `data` as the object. Text and bytes are sent with their MD5 as ETag (the server
   * rejects a mismatch); a stream is hashed as it is sent and compared with the server's ETag.
   * Rejects with UploadFailed (cause inside) unless the object is shown stored; its `outcome` says
   * whether nothing was stored or the state is unknown (see put.ts: a lost answer is settled by a HEAD).
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
    ...args: StoreObjectArgs
  ): Promise<StorageObject>;
  async storeObject(
    container: ContainerRef,
    objName: string,
    data: ObjectData,
    ...args: StoreObjectArgs
  ): Promise<StorageObject | undefined> {
    const options = callArgs<StoreObjectOptions>("storeObject", args, ["contentType", "etag"], STORE_KEYS);
    return store.storeObject(this.#ctx, container, objName, data, options);
  }

  /**
   * Uploads a local file. Up to `segmentSize` it goes in one PUT verified by its MD5; larger files
   * become a static large object (segments in `<container>_segments`, `concurrency` at a time,
   * each verified, then a verified manifest). Memory stays bounded: segments are streamed from
   * the file. On failure the segments are deleted and UploadFailed is thrown.
   */
  async uploadFile(container: ContainerRef, path: string, ...args: UploadFileArgs): Promise<StorageObject> {
    const options = callArgs<UploadFileOptions>("uploadFile", args, ["objName", "contentType", "etag"], UPLOAD_KEYS);
    return store.uploadFile(this.#ctx, container, path, options);
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
    checkOptions("fetchObject", options);
    return download.fetchObject(this.#ctx, container, obj, options);
  }

  /** The first `size` bytes (all of them when the object is smaller). */
  async fetchPartial(
    container: ContainerRef,
    obj: ObjectRef,
    size: number,
    options: CallOptions = {},
  ): Promise<Buffer> {
    checkOptions("fetchPartial", options, []);
    return download.fetchPartial(this.#ctx, container, obj, size, options);
  }

  /** The content as a stream, with its headers; the stream errors with ChecksumMismatch if the bytes are wrong. */
  async fetchObjectStream(
    container: ContainerRef,
    obj: ObjectRef,
    options: FetchObjectOptions = {},
  ): Promise<ObjectStream> {
    checkOptions("fetchObjectStream", options);
    return download.fetchObjectStream(this.#ctx, container, obj, options);
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
    checkOptions("downloadObject", options);
    return download.downloadObject(this.#ctx, container, obj, directory, options);
  }

  /** Deletes the object; a static large object's segments too unless `leaveSegments`. */
  async deleteObject(container: ContainerRef, obj: ObjectRef, options: DeleteObjectOptions = {}): Promise<void> {
    checkOptions("deleteObject", options);
    return objects.deleteObject(this.#ctx, container, obj, options);
  }

  /** Swift deletes the object after `seconds` (X-Delete-After); its metadata is kept. */
  async deleteObjectInSeconds(
    container: ContainerRef,
    obj: ObjectRef,
    seconds: number,
    options: CallOptions = {},
  ): Promise<void> {
    checkOptions("deleteObjectInSeconds", options, []);
    return objects.deleteObjectInSeconds(this.#ctx, container, obj, seconds, options);
  }

  /** Swift deletes the object at `when` (a Date or Unix seconds; X-Delete-At). */
  async deleteObjectAt(
    container: ContainerRef,
    obj: ObjectRef,
    when: Date | number,
    options: CallOptions = {},
  ): Promise<void> {
    checkOptions("deleteObjectAt", options, []);
    return objects.deleteObjectAt(this.#ctx, container, obj, when, options);
  }

  /** Server-side copy; resolves to the new object's ETag. */
  async copyObject(
    container: ContainerRef,
    obj: ObjectRef,
    newContainer: ContainerRef,
    options: CopyObjectOptions = {},
  ): Promise<string> {
    checkOptions("copyObject", options);
    return objects.copyObject(this.#ctx, container, obj, newContainer, options);
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
    checkOptions("moveObject", options);
    return objects.moveObject(this.#ctx, container, obj, newContainer, options);
  }

  /** Sets a new Content-Type, keeping content and metadata (a POST; pyrax copied the object onto itself). */
  async changeObjectContentType(
    container: ContainerRef,
    obj: ObjectRef,
    newContentType: string,
    options: CallOptions = {},
  ): Promise<void> {
    checkOptions("changeObjectContentType", options, []);
    return objects.changeObjectContentType(this.#ctx, container, obj, newContentType, options);
  }

  async getObjectMetadata(
    container: ContainerRef,
    obj: ObjectRef,
    options: MetadataOptions = {},
  ): Promise<Record<string, string>> {
    checkOptions("getObjectMetadata", options, ["prefix"]);
    return objects.getObjectMetadata(this.#ctx, container, obj, options);
  }

  /**
   * Updates the object's metadata. Swift replaces all of an object's metadata on each POST, so the
   * current metadata (and Content-Disposition, X-Delete-At …) is read and sent again unless
   * `clear`; an empty value removes a key.
   */
  async setObjectMetadata(
    container: ContainerRef,
    obj: ObjectRef,
    metadata: Metadata,
    options: SetMetadataOptions = {},
  ): Promise<void> {
    checkOptions("setObjectMetadata", options, ["prefix", "clear"]);
    return objects.setObjectMetadata(this.#ctx, container, obj, metadata, options);
  }

  async removeObjectMetadataKey(
    container: ContainerRef,
    obj: ObjectRef,
    key: string,
    options: MetadataOptions = {},
  ): Promise<void> {
    checkOptions("removeObjectMetadataKey", options, ["prefix"]);
    await this.setObjectMetadata(container, obj, { [key]: "" }, options);
  }

  /** Deletes many objects of one container in one request per 10 000 (Swift's bulk middleware). */
  async bulkDelete(
    container: ContainerRef,
    objectNames: readonly string[],
    options: CallOptions = {},
  ): Promise<BulkDeleteResult> {
    checkOptions("bulkDelete", options, []);
    return objects.bulkDelete(this.#ctx, container, objectNames, options);
  }

  // ------------------------------------------------------------------------------- folders

  /**
   * Uploads a folder and its subfolders; object names are paths relative to the folder. Resolves
   * when every file is stored; the first failure cancels the rest (files already stored stay).
   */
  async uploadFolder(
    folderPath: string,
    ...args:
      [options?: UploadFolderOptions] | [container: ContainerRef, options?: Omit<UploadFolderOptions, "container">]
  ): Promise<FolderUploadResult> {
    // pyrax's upload_folder(folder_path, container=None, ignore=None, ttl=None): the container may come second.
    const [first, second] = args as unknown[];
    const positional = first !== undefined && !isOptionsObject(first);
    if (args.length > (positional ? 2 : 1)) {
      throw new ValidationError("uploadFolder: it takes the folder, the container, then an options object", {
        field: "options",
      });
    }
    const given = checkOptions<UploadFolderOptions>(
      "uploadFolder",
      (positional ? second : first) as UploadFolderOptions,
      [...UPLOAD_FOLDER_KEYS],
    );
    if (positional && given.container !== undefined) {
      throw new ValidationError("uploadFolder: container was given twice", { field: "container" });
    }
    const options = positional ? { ...given, container: first as ContainerRef } : given;
    return folders.uploadFolder(this.#ctx, folderPath, options);
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
    checkOptions("syncFolderToContainer", options);
    return folders.syncFolderToContainer(this.#ctx, folderPath, container, options);
  }

  // ------------------------------------------------------------------------------- CDN (Rackspace)

  /** Names of the CDN-enabled containers. */
  async listPublicContainers(options: CallOptions = {}): Promise<string[]> {
    checkOptions("listPublicContainers", options, []);
    return cdn.listPublicContainers(this.#ctx, options.signal);
  }

  async makeContainerPublic(container: ContainerRef, options: MakePublicOptions = {}): Promise<void> {
    checkOptions("makeContainerPublic", options);
    const ttl = checkInteger(options.ttl, "ttl", 1);
    await cdn.setCdnAccess(this.#ctx, containerName(container), true, ttl, options.signal);
  }

  async makeContainerPrivate(container: ContainerRef, options: CallOptions = {}): Promise<void> {
    checkOptions("makeContainerPrivate", options, []);
    await cdn.setCdnAccess(this.#ctx, containerName(container), false, undefined, options.signal);
  }

  /** The container's CDN headers; NotCDNEnabled when it is not published. */
  async getContainerCdnMetadata(container: ContainerRef, options: CallOptions = {}): Promise<Record<string, string>> {
    checkOptions("getContainerCdnMetadata", options, []);
    return cdn.getCdnHeaders(this.#ctx, containerName(container), options.signal);
  }

  async setContainerCdnMetadata(
    container: ContainerRef,
    metadata: cdn.CdnMetadata,
    options: CallOptions = {},
  ): Promise<void> {
    checkOptions("setContainerCdnMetadata", options, []);
    await cdn.setCdnMetadata(this.#ctx, containerName(container), metadata, options.signal);
  }

  /** pyrax's `cdn_enabled`, `cdn_uri`, `cdn_ssl_uri`, `cdn_streaming_uri`, `cdn_ios_uri`, `cdn_ttl`, `cdn_log_retention`. */
  async getContainerCdnInfo(container: ContainerRef, options: CallOptions = {}): Promise<cdn.CdnInfo> {
    checkOptions("getContainerCdnInfo", options, []);
    return cdn.getCdnInfo(this.#ctx, containerName(container), options.signal);
  }

  async getCdnLogRetention(container: ContainerRef, options: CallOptions = {}): Promise<boolean> {
    checkOptions("getCdnLogRetention", options, []);
    return (await this.getContainerCdnInfo(container, options)).logRetention;
  }

  async setCdnLogRetention(container: ContainerRef, enabled: boolean, options: CallOptions = {}): Promise<void> {
    checkOptions("setCdnLogRetention", options, []);
    await cdn.setCdnLogRetention(this.#ctx, containerName(container), enabled, options.signal);
  }

  async getContainerStreamingUri(container: ContainerRef, options: CallOptions = {}): Promise<string | undefined> {
    checkOptions("getContainerStreamingUri", options, []);
    return (await this.getContainerCdnInfo(container, options)).streamingUri;
  }

  async getContainerIosUri(container: ContainerRef, options: CallOptions = {}): Promise<string | undefined> {
    checkOptions("getContainerIosUri", options, []);
    return (await this.getContainerCdnInfo(container, options)).iosUri;
  }

  /** Removes an object from the CDN edge before its TTL runs out. */
  async purgeCdnObject(container: ContainerRef, obj: ObjectRef, options: PurgeOptions = {}): Promise<void> {
    checkOptions("purgeCdnObject", options);
    await cdn.purgeCdnObject(
      this.#ctx,
      containerName(container),
      objectName(obj),
      toList(options.emailAddresses),
      options.signal,
    );
  }
}

/** pyrax's other name for the same class. */
export { CloudFiles as StorageClient };
