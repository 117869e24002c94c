export type { StartServer, StartServerOptions, TestServer } from "./test-server.js";
export { freePort, listenOnLoopback } from "./ports.js";
export { ManagedProcess, type ManagedProcessOptions } from "./process.js";
export { ensureDebianPackages } from "./system-packages.js";
export {
  writeSelfSignedCertificate,
  type SelfSignedCertificate,
  type SelfSignedCertificateOptions,
} from "./certificate.js";
export { startKeyringSession, type KeyringSession, type KeyringSessionOptions } from "./keyring-session.js";
export {
  startFaultProxy,
  EVERY_FAULT,
  type Fault,
  type FaultKind,
  type FaultPlan,
  type FaultProxy,
  type FaultProxyOptions,
  type FaultRecord,
  type FaultRequest,
  type FaultRule,
  type FaultTrial,
} from "./fault-proxy.js";
export {
  HOSTILE_DEPTH,
  chunked,
  deepJson,
  deepXml,
  endless,
  entityBomb,
  externalEntity,
  invalidUtf8,
  measure,
  startHostileServer,
  undeclaredEntity,
  type HostileAnswer,
  type HostileServer,
} from "./hostile.js";
