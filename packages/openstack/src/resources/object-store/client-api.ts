// The calls a Container and a StorageObject make on their client, so the resources depend on this
// small interface rather than on the client's module (CloudFiles implements it). The resource types
// are parameters, `ObjectStoreClient<Container, StorageObject>`, so this file imports neither.
import type { PagedList } from "@nimbus-sdk/common";
import type { CdnInfo } from "./cdn.js";
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

type Metadata = Readonly<Record<string, string | number>>;

/** `C` is the container resource, `O` the object resource; each call also takes their names. */
export interface ObjectStoreClient<C, O> {
  // containers
  getContainer(container: string | C, options?: CallOptions): Promise<C>;
  deleteContainer(container: string | C, options?: DeleteContainerOptions): Promise<void>;
  getContainerMetadata(container: string | C, options?: MetadataOptions): Promise<Record<string, string>>;
  setContainerMetadata(container: string | C, metadata: Metadata, options?: SetMetadataOptions): Promise<void>;
  removeContainerMetadataKey(container: string | C, key: string, options?: MetadataOptions): Promise<void>;
  deleteContainerMetadata(container: string | C, options?: MetadataOptions): Promise<void>;
  getContainerAcl(container: string | C, options?: CallOptions): Promise<ContainerAcl>;
  setContainerAcl(container: string | C, acl: SetAclOptions, options?: CallOptions): Promise<void>;
  setContainerWebIndexPage(container: string | C, page: string, options?: CallOptions): Promise<void>;
  setContainerWebErrorPage(container: string | C, page: string, options?: CallOptions): Promise<void>;
  getContainerCdnInfo(container: string | C, options?: CallOptions): Promise<CdnInfo>;
  makeContainerPublic(container: string | C, options?: MakePublicOptions): Promise<void>;
  makeContainerPrivate(container: string | C, options?: CallOptions): Promise<void>;
  syncFolderToContainer(folderPath: string, container: string | C, options?: SyncOptions): Promise<SyncSummary>;

  // listings
  objectListingIterator(container: string | C, options?: ObjectIteratorOptions): PagedList<O, string>;
  listContainerObjects(container: string | C, options?: ListObjectsOptions): Promise<O[]>;
  listContainerObjectNames(container: string | C, options?: ListObjectsOptions): Promise<string[]>;
  listContainerSubdirs(container: string | C, options?: ListSubdirsOptions): Promise<O[]>;

  // objects
  getObject(container: string | C, obj: string | O, options?: CallOptions): Promise<O>;
  storeObject(container: string | C, objName: string, data: ObjectData, options?: StoreObjectOptions): Promise<O>;
  uploadFile(container: string | C, path: string, options?: UploadFileOptions): Promise<O>;
  fetchObject(
    container: string | C,
    obj: string | O,
    options: FetchObjectOptions & { includeMeta: true },
  ): Promise<FetchedObject>;
  fetchObject(
    container: string | C,
    obj: string | O,
    options?: FetchObjectOptions & { includeMeta?: false },
  ): Promise<Buffer>;
  fetchPartial(container: string | C, obj: string | O, size: number, options?: CallOptions): Promise<Buffer>;
  fetchObjectStream(container: string | C, obj: string | O, options?: FetchObjectOptions): Promise<ObjectStream>;
  downloadObject(container: string | C, obj: string | O, directory: string, options?: DownloadOptions): Promise<string>;
  deleteObject(container: string | C, obj: string | O, options?: DeleteObjectOptions): Promise<void>;
  deleteObjectInSeconds(container: string | C, obj: string | O, seconds: number, options?: CallOptions): Promise<void>;
  deleteObjectAt(container: string | C, obj: string | O, when: Date | number, options?: CallOptions): Promise<void>;
  bulkDelete(container: string | C, objectNames: readonly string[], options?: CallOptions): Promise<BulkDeleteResult>;
  copyObject(
    container: string | C,
    obj: string | O,
    newContainer: string | C,
    options?: CopyObjectOptions,
  ): Promise<string>;
  moveObject(
    container: string | C,
    obj: string | O,
    newContainer: string | C,
    options: MoveObjectOptions & { newReference: true },
  ): Promise<O>;
  moveObject(
    container: string | C,
    obj: string | O,
    newContainer: string | C,
    options?: MoveObjectOptions & { newReference?: false },
  ): Promise<string>;
  changeObjectContentType(
    container: string | C,
    obj: string | O,
    newContentType: string,
    options?: CallOptions,
  ): Promise<void>;
  getObjectMetadata(container: string | C, obj: string | O, options?: MetadataOptions): Promise<Record<string, string>>;
  setObjectMetadata(
    container: string | C,
    obj: string | O,
    metadata: Metadata,
    options?: SetMetadataOptions,
  ): Promise<void>;
  removeObjectMetadataKey(
    container: string | C,
    obj: string | O,
    key: string,
    options?: MetadataOptions,
  ): Promise<void>;
  getTempUrl(container: string | C, obj: string | O, seconds: number, options?: TempUrlOptions): Promise<string>;
  purgeCdnObject(container: string | C, obj: string | O, options?: PurgeOptions): Promise<void>;
}
