/** Options every keyring call accepts. */
export interface KeyringCallOptions {
  /** Cancels the call; checked before it starts, and passed on where the backend can stop midway. */
  signal?: AbortSignal;
}

/**
 * What a keyring backend does: one secret per service and account. The `Keyring` facade validates
 * arguments and turns failures into `KeyringError`, so a backend may throw whatever its library throws.
 */
export interface KeyringBackend {
  /** Short name for error messages ("keytar", "napi", "secret-tool" or your own). */
  readonly name: string;
  /** The stored secret, or null when there is none. */
  getPassword(service: string, account: string, options?: KeyringCallOptions): Promise<string | null>;
  /** Stores the secret, replacing the one stored under the same service and account. */
  setPassword(service: string, account: string, password: string, options?: KeyringCallOptions): Promise<void>;
  /** Removes the secret; false when there was none. */
  deletePassword(service: string, account: string, options?: KeyringCallOptions): Promise<boolean>;
}

/** The backends the package ships. */
export type KeyringBackendName = "keytar" | "napi" | "secret-tool";

/** The optional npm packages a backend loads on first use. */
export type KeyringModuleName = "keytar" | "@napi-rs/keyring";

/** Loads an optional package; the default is a dynamic `import()`. Tests inject failures through it. */
export type KeyringModuleLoader = (name: KeyringModuleName) => Promise<unknown>;

/** Why a `KeyringError` was thrown, in its `code`. */
export type KeyringErrorCode =
  /** The npm package (keytar, @napi-rs/keyring) or the secret-tool command is not installed. */
  | "MODULE_NOT_FOUND"
  /** The package is installed but its native part could not be loaded. */
  | "MODULE_LOAD_FAILED"
  /** No D-Bus session bus (Linux): DBUS_SESSION_BUS_ADDRESS is unset or points nowhere. */
  | "NO_SESSION_BUS"
  /** A bus, but no secret service (gnome-keyring-daemon, KWallet ...) on it. */
  | "NO_SECRET_SERVICE"
  /** The keyring collection is locked, missing, or the unlock prompt was dismissed. */
  | "LOCKED"
  /** More than one item matches the service and account (written by different libraries). */
  | "AMBIGUOUS"
  /** secret-tool did not answer in time. */
  | "TIMEOUT"
  /** Anything else the backend reported. */
  | "BACKEND_FAILED";

/** Options of the `secret-tool` backend (libsecret-tools on Debian). */
export interface SecretToolOptions {
  /** The command to run; default "secret-tool" from PATH. */
  command?: string;
  /** Environment of the command; default `process.env` (it needs DBUS_SESSION_BUS_ADDRESS). */
  env?: NodeJS.ProcessEnv;
  /** Milliseconds before a call is given up, as a locked keyring can wait for a prompt forever; default 30000. */
  timeout?: number;
}

/** Options of the `Keyring` facade. */
export interface KeyringOptions {
  /** Which backend stores the secrets, or your own; default "keytar". */
  backend?: KeyringBackendName | KeyringBackend;
  /** How "keytar" and "napi" load their package; default a dynamic `import()`. */
  load?: KeyringModuleLoader;
  /** Options of the "secret-tool" backend. */
  secretTool?: SecretToolOptions;
}
