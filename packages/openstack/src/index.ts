// `import pyrax from "@nimbus-sdk/openstack"`: the module object, with pyrax's module-level state
// (settings from ~/.pyrax.cfg, credentials, default clients). Everything else is a named export.
import { Pyrax } from "./pyrax.js";

const pyrax = new Pyrax();
export default pyrax;

export { Pyrax, type PyraxOptions } from "./pyrax.js";
export {
  Context,
  withRegions,
  type AuthOptions,
  type ClientTimingOptions,
  type ContextOptions,
  type CredentialOptions,
  type ImplementedService,
  type PendingService,
  type RegionServices,
  type RegionalContext,
} from "./context.js";
export * as exc from "./errors.js";
export * as utils from "./utils.js";
export * from "./errors.js";
export { BaseIdentity, type Credentials, type IdentityOptions, type TokenGrant } from "./identity/base.js";
export { GLOBAL_REGION, type Endpoint, type EndpointInterface, type Service } from "./identity/catalog.js";
export { KeystoneIdentity } from "./identity/keystone-v3.js";
export { KeystoneV2Identity } from "./identity/keystone-v2.js";
export { RACKSPACE_AUTH_ENDPOINT, RaxIdentity } from "./identity/rackspace.js";
export { createIdentity, registerIdentityType, type IdentityFactory } from "./identity/registry.js";
export * from "./resources/block-storage/index.js";
export * from "./resources/compute/index.js";
export * from "./resources/load-balancer/index.js";
export * from "./resources/database/index.js";
export * from "./resources/dns/index.js";
export * from "./resources/network/index.js";
export * from "./resources/object-store/index.js";
export * from "./resources/image/index.js";
export { ServiceClient, OPENSTACK_SAFE_NAMES, type ServiceClientOptions } from "./service-client.js";
export { readCloudsYaml, readOsEnvironment, type CloudConfig } from "./settings/clouds-yaml.js";
export {
  PYRAX_SETTINGS,
  loadPyraxSettings,
  type PyraxSettingName,
  type PyraxSettings,
} from "./settings/pyrax-settings.js";
export { PACKAGE_NAME, PACKAGE_VERSION } from "./version.js";
// Telemetry is common's: one switch for every Nimbus package in the process.
export { setTelemetry, type CallRecord, type Telemetry } from "@nimbus-sdk/common";
