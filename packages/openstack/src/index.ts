// `import pyrax from "@nimbus-sdk/openstack"`: the module object, with pyrax's module-level state
// (settings from ~/.pyrax.cfg, credentials, default clients). Everything else is a named export.
import { Pyrax } from "./pyrax.js";

/**
 * The module object, as pyrax's `import pyrax`: settings (`setSetting`, ~/.pyrax.cfg environments),
 * authentication (`setCredentials`, `setCredentialFile`, `keyringAuth`), and after it the service clients
 * `cloudfiles`, `images`, `cloudservers`, `cloud_networks` and `cloud_blockstorage` (null before, as in pyrax).
 *
 * @throws {@link AuthenticationFailed} for refused credentials; {@link NotFound} and the other `exc` errors
 * for the services' answers; common's `ConnectionError` or `TimeoutError` when nothing answers.
 *
 * @example
 * ```ts
 * import pyrax from "@nimbus-sdk/openstack";
 * pyrax.setSetting("identity_type", "keystone");
 * pyrax.setSetting("auth_endpoint", "https://keystone.example:5000/v3");
 * await pyrax.setCredentials("demo", "secret", { tenantName: "demo" });
 * const cf = pyrax.cloudfiles!;
 * await cf.createContainer("photos");
 * await cf.uploadFile("photos", "./holiday.jpg", { onProgress: (p) => console.log(p) });
 * for await (const image of pyrax.images!.iterate({ status: "active" })) console.log(image.name);
 * await pyrax.close();
 * ```
 */
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
/** pyrax's `pyrax.exceptions`: every error this package throws, by pyrax's names (`exc.NotFound`, `exc.NoSuchContainer` …). */
export * as exc from "./errors.js";
/** pyrax's `pyrax.utils`: waiting helpers, checksums, random names and the like. */
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
