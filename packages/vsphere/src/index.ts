// @nimbus-sdk/vsphere: pyVmomi's idioms over the vim25 SOAP API. SmartConnect returns the
// ServiceInstance; `vim` and `vmodl` hold every type of the API (classes built on first use); managed
// objects read their properties lazily (`await vm.name`) and call the API's methods by their names.
export {
  SmartConnect,
  SmartConnectNoSSL,
  Disconnect,
  resolveConnection,
  type SmartConnectOptions,
  type ServiceInstance,
} from "./connect.js";
export { WaitForTask, WaitForTasks, type TaskResult, type WaitForTaskOptions } from "./task.js";
export {
  PropertyQuery,
  type CollectOptions,
  type CollectSource,
  type CollectedRow,
  type PropertyPathValue,
  type PropertyUpdate,
  type WatchOptions,
} from "./collector.js";
export type { ServiceInstanceHelpers } from "./service-instance.js";
export type { PathValue } from "./property-path.js";
export { vim, vmodl, type VimNamespace, type VmodlNamespace } from "./generated/vim.js";
export { API_VERSION } from "./generated/wire.js";
export type {
  CallOptions,
  DataClass,
  DataInit,
  DataObjectBase,
  EnumValues,
  Input,
  ManagedClass,
  ManagedObjectBase,
  PropertyPathReader,
  TypeName,
} from "./model/base.js";
export { DataObject, MethodFaultBase } from "./model/data.js";
export { ManagedObject } from "./model/managed.js";
export { SoapStub, VSPHERE_SAFE_NAMES, type SoapStubOptions } from "./soap/stub.js";
export { PACKAGE_NAME, PACKAGE_VERSION } from "./version.js";
// Telemetry is common's: one switch for every Nimbus package in the process.
export { setTelemetry, type CallRecord, type Telemetry } from "@nimbus-sdk/common/client";
