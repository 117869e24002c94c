// @nimbus-sdk/ovirt: the oVirt Python SDK v3's idioms (API, params, collections, resources with update())
// over the engine's REST API v4, generated from the API model.
export { PACKAGE_NAME, PACKAGE_VERSION } from "./version.js";
export { API, type ConnectOptions } from "./api.js";
/** The v3 SDK's `params` module: a class per type of the model to build what `add()`, `update()` and the actions send (`new params.VM({ name })`). */
export * as params from "./params.js";
/** The model's types as the engine sends them, one interface per struct and a string union per enum. */
export type * as types from "./generated/types.js";
export * from "./generated/resources.js";
export type * from "./generated/views.js";
export { VmDisks } from "./vm-disks.js";
import "./v3/read-names.js"; // the types of v3's names on fetched entities (disk.size)
export {
  Collection,
  ListRequest,
  type AddOptions,
  type GetOptions,
  type ListOptions,
  type Selector,
} from "./collections.js";
export { Resource, type QueryOptions } from "./resource.js";
export { Status, type V3View } from "./status.js";
export type { V3List } from "./accessors.js";
export type { V3Boot } from "./v3/boot-list.js";
export type { ActionOptions, CallOptions } from "./node.js";
export type { Constraint } from "./constraints.js";
export {
  ActionFailed,
  AuthError,
  BadRequest,
  Disconnected,
  Conflict,
  Forbidden,
  NotFound,
  RequestError,
  ServerFault,
  TooManyRequests,
  WaitFailed,
  type FaultDetails,
  type FaultErrorOptions,
} from "./errors.js";
export type { TransportSettings } from "./connection.js";
export type { SsoOptions } from "./sso.js";
export { MODEL_VERSION } from "./generated/wire.js";
export { decodeDocument, decodeList, decodeObject, type DecodeOptions, type DecodedDocument } from "./wire/decode.js";
export { encodeObject, type EncodeOptions } from "./wire/encode.js";
export { DEFAULT_WAIT_TIMEOUT_MS, waitFor, waitForJob, type WaitOptions } from "./wait.js";
// Telemetry is common's: one switch for every Nimbus package in the process.
export { setTelemetry, type CallRecord, type Telemetry } from "@nimbus-sdk/common";
