// Cloud Files / Swift (pyrax's object_storage): the public API of this folder.
export {
  CloudFiles,
  StorageClient,
  type AccountDetails,
  type ByteRange,
  type CallOptions,
  type CloudFilesOptions,
  type ContainerAcl,
  type ContainerInfo,
  type ContainerRef,
  type CopyObjectOptions,
  type CreateContainerOptions,
  type DeleteContainerOptions,
  type DeleteObjectOptions,
  type DownloadOptions,
  type FetchObjectOptions,
  type FetchedObject,
  type FolderUploadProgress,
  type FolderUploadResult,
  type ListContainersOptions,
  type ListObjectsOptions,
  type ListSubdirsOptions,
  type MakePublicOptions,
  type MetadataOptions,
  type MoveObjectOptions,
  type ObjectData,
  type ObjectIteratorOptions,
  type ObjectRef,
  type ObjectStream,
  type PurgeOptions,
  type SetAclOptions,
  type SetMetadataOptions,
  type StoreObjectOptions,
  type SyncOptions,
  type TempUrlOptions,
  type UploadFileOptions,
  type UploadFolderOptions,
} from "./client.js";
export { Container } from "./container.js";
export { StorageObject, type StorageObjectInfo } from "./storage-object.js";
export { DEFAULT_CDN_TTL, type CdnInfo, type CdnMetadata } from "./cdn.js";
export { MAX_CONTAINER_NAME_BYTES, MAX_OBJECT_NAME_BYTES, validateContainerName, validateObjectName } from "./names.js";
export { fnmatch, type SyncEvent, type SyncSummary } from "./sync.js";
export { buildTempUrl, tempUrlSignature, type TempUrlDigest, type TempUrlMethod } from "./temp-url.js";
export {
  DEFAULT_SEGMENT_SIZE,
  DEFAULT_UPLOAD_CONCURRENCY,
  MAX_SEGMENT_SIZE,
  MAX_SEGMENTS,
  planSegments,
  type UploadPlan,
  type UploadProgress,
} from "./upload.js";
export type { BulkDeleteResult } from "./wire.js";
