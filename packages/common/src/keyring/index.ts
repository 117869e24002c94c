export { DEFAULT_KEYRING_BACKEND, Keyring } from "./keyring.js";
export { PYTHON_KEYRING_APPLICATION } from "./secret-tool-backend.js";
export type {
  KeyringBackend,
  KeyringBackendName,
  KeyringCallOptions,
  KeyringErrorCode,
  KeyringModuleLoader,
  KeyringModuleName,
  KeyringOptions,
  SecretToolOptions,
} from "./types.js";
