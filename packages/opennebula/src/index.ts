// The public face of @nimbus-sdk/opennebula, named as PyONE's module is (OneServer, OneException …).
import * as constantsModule from "./constants.js";
import * as errorsModule from "./errors.js";
import { findByName as findByNameHelper, iteratePool as iteratePoolHelper } from "./pools.js";
import { OneServer as OneServerClass } from "./server.js";
import { waitForState as waitForStateHelper } from "./wait.js";

export { PACKAGE_NAME, PACKAGE_VERSION } from "./version.js";
export {
  OneServer,
  DEFAULT_ENDPOINT,
  OPENNEBULA_SAFE_NAMES,
  defaultEndpoint,
  defaultSession,
  type OneServerOptions,
} from "./server.js";
export type { CallOptions } from "./methods.js";
export {
  AmbiguousNameError,
  ONE_ERROR_CODE,
  OneActionException,
  OneAllocateException,
  OneApiException,
  OneAuthenticationException,
  OneAuthorizationException,
  OneException,
  OneInternalException,
  OneLockedException,
  OneNoExistsException,
  OneReplicationException,
  ResponseTooLargeError,
  VmStateError,
  XmlRpcFault,
  oneErrorClass,
  oneResult,
  withoutSession,
  type OneErrorDetails,
  type OneResultOptions,
  type VmStateDetails,
} from "./errors.js";
export {
  encodeFault,
  encodeMethodCall,
  encodeMethodResponse,
  encodeValue,
  escapeXml,
  formatDateTime,
} from "./xmlrpc/encode.js";
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  decodeMethodCall,
  decodeMethodResponse,
  decodeValue,
  parseDateTime,
  type XmlRpcDecodeOptions,
} from "./xmlrpc/decode.js";
export {
  XmlRpcTyped,
  asDouble,
  asI8,
  asInt,
  type XmlRpcMethodCall,
  type XmlRpcScalarType,
  type XmlRpcStruct,
  type XmlRpcValue,
} from "./xmlrpc/types.js";
export {
  bindMethods,
  prepareCall,
  type BindOptions,
  type IgnoredArgument,
  type OneMethod,
  type OneMethods,
  type RpcCaller,
} from "./methods.js";
export * from "./constants.js";
export { methods } from "./generated/methods.js";
export type {
  MethodMeta,
  MethodName,
  MethodParams,
  MethodResults,
  ParamMeta,
  TemplateInput,
} from "./generated/methods.js";
export * from "./generated/schema.js";
export {
  setTemplateRoot,
  templateRoot,
  templateToString,
  type TemplateDict,
  type TemplateDictionary,
  type TemplateEntry,
  type TemplateValue,
} from "./template.js";
export { decodeDocument, decodeMethodDocument, type DocumentMethod } from "./document.js";
export {
  findByName,
  iteratePool,
  type DocumentPoolOptions,
  type PoolItem,
  type PoolName,
  type PoolOptions,
  type PoolOptionsArgument,
  type VmPoolOptions,
} from "./pools.js";
export { DEFAULT_WAIT_TIMEOUT, waitForState, type VmStateTarget, type WaitForStateOptions } from "./wait.js";

// The module object as a default export (`import pyone from "@nimbus-sdk/opennebula"`): what a PyONE script
// reaches as `pyone.X` — OneServer, the exceptions and the enums — plus this SDK's helpers.

/**
 * The module object, as `import pyone from "@nimbus-sdk/opennebula"`: what a PyONE script reaches as
 * `pyone.X` (OneServer, the exceptions and the enums) plus this SDK's helpers.
 */
const pyone = Object.freeze({
  ...constantsModule,
  ...errorsModule,
  OneServer: OneServerClass,
  findByName: findByNameHelper,
  iteratePool: iteratePoolHelper,
  waitForState: waitForStateHelper,
});
// Telemetry is common's: one switch for every Nimbus package in the process.
export { setTelemetry, type CallRecord, type Telemetry } from "@nimbus-sdk/common";
export default pyone;
