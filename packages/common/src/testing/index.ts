export type { StartServer, StartServerOptions, TestServer } from "./test-server.js";
export { freePort, listenOnLoopback } from "./ports.js";
export { ManagedProcess, type ManagedProcessOptions } from "./process.js";
export { ensureDebianPackages } from "./system-packages.js";
export { startKeyringSession, type KeyringSession, type KeyringSessionOptions } from "./keyring-session.js";
