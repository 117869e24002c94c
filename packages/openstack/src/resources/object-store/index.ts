// Cloud Files / Swift (pyrax's object_storage): the public API of this folder.
export { CloudFiles, StorageClient } from "./client.js";
export { type ContainerRef, type ObjectRef } from "./context.js";
export { type FolderUploadProgress, type FolderUploadResult, type UploadFolderOptions } from "./folders.js";
export {
  type AccountDetails,
  type ByteRange,
  type CallOptions,
  type CloudFilesOptions,
  type ContainerAcl,
  type ContainerInfo,
  type CopyObjectOptions,
  type CreateContainerOptions,
  type DeleteContainerOptions,
  type DeleteObjectOptions,
  type DownloadOptions,
  type FetchObjectOptions,
  type FetchedObject,
  type ListContainersOptions,
  type ListObjectsOptions,
  type ListSubdirsOptions,
  type MakePublicOptions,
  type MetadataOptions,
  type MoveObjectOptions,
  type ObjectData,
  type ObjectIteratorOptions,
  type ObjectStream,
  type PurgeOptions,
  type SetAclOptions,
  type SetMetadataOptions,
  type StoreObjectOptions,
  type SyncOptions,
  type TempUrlOptions,
  type UploadFileOptions,
} from "./types.js";
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
