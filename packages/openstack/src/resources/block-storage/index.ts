// Cloud Block Storage over Cinder v3 (pyrax's cloud_blockstorage): the public API of this folder.
// `new CloudBlockStorage({ ...serviceClientOptions, computeEndpoint })` is the client a context builds
// for the catalog's "volume"; `computeEndpoint` (the same region's Nova) is needed by attach and detach.
export { CloudBlockStorage, type CloudBlockStorageOptions } from "./client.js";
export {
  cinderApiRoot,
  volumeCreateBody,
  type Ref as VolumeRef,
  type SnapshotCreateOptions,
  type UpdateOptions as VolumeUpdateOptions,
  type VolumeCallOptions,
  type VolumeCreateOptions,
  type VolumeDeleteOptions,
  type VolumeListOptions,
} from "./requests.js";
export { Volume, type VolumeAttachment, type VolumeRecord, type VolumeStatus } from "./volume.js";
export { Snapshot, type SnapshotRecord, type SnapshotStatus } from "./snapshot.js";
export { VolumeType, type VolumeTypeCreateAttributes, type VolumeTypeRecord } from "./volume-type.js";
export { ServerVolumes, type ServerVolumeAttachment } from "./server-volumes.js";
export {
  MAX_VOLUME_MICROVERSION,
  MIN_VOLUME_MICROVERSION,
  chooseVolumeMicroversion,
  readVolumeVersions,
  type VolumeVersionRange,
} from "./microversion.js";
