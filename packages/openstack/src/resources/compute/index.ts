// pyrax.cloudservers (Nova): the public API of this folder.
export { CloudServers, type CloudServersOptions, type NovaRequest } from "./client.js";
export { Manager as ComputeManager, Resource as ComputeResource, type Criteria as FindCriteria } from "./base.js";
export { ComputeImage, ComputeImageManager, type ComputeImageListOptions } from "./compute-image.js";
export { Flavor, FlavorManager, type FlavorCreateOptions, type FlavorListOptions } from "./flavor.js";
export { Keypair, KeypairManager, type KeypairCreateOptions, type KeypairRef } from "./keypair.js";
export { Listing, nextLinkQuery, novaListing, type NovaLink, type PagingOptions } from "./listing.js";
export {
  MAX_SUPPORTED_MICROVERSION,
  MIN_MICROVERSION,
  chooseMicroversion,
  compareMicroversions,
  formatMicroversion,
  microversionHeaders,
  parseMicroversion,
  readVersionDocument,
  type ApiVersion,
  type ServerVersionRange,
} from "./microversion.js";
export { Server, ServerManager } from "./server.js";
export type {
  BlockDeviceMappingV2,
  Nic,
  RebootType,
  RebuildOptions,
  ServerCreateOptions,
  ServerListOptions,
  ServerSearchOptions,
} from "./server-requests.js";
export {
  ServerGroup,
  ServerGroupManager,
  type ServerGroupListOptions,
  type ServerGroupPolicy,
} from "./server-group.js";
export type {
  ComputeCallOptions,
  ComputeImageRecord,
  FlavorRecord,
  KeypairRecord,
  Ref as ComputeRef,
  ServerAddress,
  ServerGroupRecord,
  ServerRecord,
} from "./wire.js";
