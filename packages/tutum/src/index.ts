// `import tutum from "@nimbus-sdk/tutum"`: the module object, as python-tutum's `import tutum`, with
// its settings as assignable properties (`tutum.user = "..."`) and the resource classes
// (`tutum.Application` ...). It is a `Tutum` client; `new Tutum({ ... })` makes another, for a second
// account. Everything is also a named export; the named classes use the module object's account.
import { getDefaultTutum } from "./client.js";

/**
 * The module object, as python-tutum's `import tutum`: a {@link Tutum} client whose settings are assignable
 * properties (`tutum.user`, `tutum.apikey`, `tutum.base_url` …, else ~/.tutum or TUTUM_USER / TUTUM_APIKEY),
 * with the resource classes (`tutum.Application`, `tutum.Service` …), `waitFor`, the events stream and the
 * exceptions (`tutum.TutumApiError` …).
 *
 * @throws `TutumAuthError` when no credentials are found or the API refuses them; `ObjectNotFound` for an
 * unknown resource; `TutumApiError` for the API's other errors.
 *
 * @example
 * ```ts
 * import tutum from "@nimbus-sdk/tutum";
 * tutum.user = "username";
 * tutum.apikey = "apikey";
 * const app = tutum.Application.create({ image: "tutum/hello-world", name: "web", target_num_containers: 2 });
 * await app.save();
 * await tutum.waitFor(app, "Running", { timeout: 120_000 });
 * for await (const c of tutum.Container.list({ application__name: "web" })) console.log(c.unique_name, c.state);
 * ```
 */
const tutum = getDefaultTutum();
export default tutum;

export { Tutum, getDefaultTutum, DEFAULT_REST_HOST, type CredentialInfo, type TutumOptions } from "./client.js";
export {
  AUTH_SCHEMES,
  CredentialResolver,
  DEFAULT_CONFIG_PATH,
  describeSource,
  readTutumFile,
  type AuthScheme,
  type CodeCredentials,
  type CredentialSource,
  type ResolvedCredentials,
} from "./credentials.js";
export * from "./errors.js";
export {
  Resource,
  ResourceList,
  bindResource,
  defineResource,
  detailUriOf,
  metaOf,
  type CallOptions,
  type CallResult,
  type CallSignal,
  type CreateInput,
  type FieldsOf,
  type FilterValue,
  type Filters,
  type ListOptions,
  type NameOf,
  type QueryValue,
  type RefreshOptions,
  type ResourceBase,
  type ResourceClass,
  type ResourceClient,
  type ResourceData,
} from "./resource.js";
export { Action } from "./resources/action.js";
export { Application, type ApplicationRedeployOptions } from "./resources/application.js";
export { AZ } from "./resources/az.js";
export { Container, type ContainerRedeployOptions } from "./resources/container.js";
export { Image } from "./resources/image.js";
export { NodeCluster } from "./resources/node-cluster.js";
export { NodeType } from "./resources/node-type.js";
export { Node } from "./resources/node.js";
export { Provider } from "./resources/provider.js";
export { Region } from "./resources/region.js";
export { Registry } from "./resources/registry.js";
export { Service, type RedeployOptions } from "./resources/service.js";
export { Stack } from "./resources/stack.js";
export { Tag, type Taggable } from "./resources/tag.js";
export { Trigger, type TriggerInput } from "./resources/trigger.js";
export { VolumeGroup } from "./resources/volume-group.js";
export { Volume } from "./resources/volume.js";
export { TutumEvents } from "./events.js";
export { followLogText, type LogLinesOptions } from "./logs.js";
export { TutumUtils, isUuid4, type FetchRemoteOptions, type UtilsClasses } from "./utils.js";
export { waitFor, type StateOf, type WaitForOptions } from "./wait.js";
export * from "./generated/api.js";
export { PACKAGE_NAME, PACKAGE_VERSION } from "./version.js";
// Telemetry is common's: one switch for every Nimbus package in the process.
export { setTelemetry, type CallRecord, type Telemetry } from "@nimbus-sdk/common";
