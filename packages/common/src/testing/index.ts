export type { StartServer, StartServerOptions, TestServer } from "./test-server.js";
export { freePort } from "./ports.js";
export { ManagedProcess, type ManagedProcessOptions } from "./process.js";
export { ensureDebianPackages } from "./system-packages.js";
