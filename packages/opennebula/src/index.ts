// The public face of @nimbus-sdk/opennebula, named as PyONE's module is (OneServer, OneException …).
export { PACKAGE_NAME, PACKAGE_VERSION } from "./version.js";
export {
  OneServer,
  DEFAULT_ENDPOINT,
  OPENNEBULA_SAFE_NAMES,
  defaultEndpoint,
  defaultSession,
  type CallOptions,
  type OneServerOptions,
} from "./server.js";
export {
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
  XmlRpcFault,
  oneErrorClass,
  oneResult,
  withoutSession,
  type OneErrorDetails,
  type OneResultOptions,
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
  XmlResult,
} from "./generated/methods.js";
export { templateToString, type TemplateDict, type TemplateValue } from "./template.js";
