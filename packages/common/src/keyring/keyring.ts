import { AbortError, ValidationError } from "../errors/index.js";
import { keyringError, type KeyringCallContext } from "./errors.js";
import { KeytarBackend } from "./keytar-backend.js";
import { importKeyringModule } from "./load.js";
import { NapiBackend } from "./napi-backend.js";
import { SecretToolBackend } from "./secret-tool-backend.js";
import type { KeyringBackend, KeyringCallOptions, KeyringOptions } from "./types.js";

/** The backend a `Keyring` uses when none is chosen. */
export const DEFAULT_KEYRING_BACKEND = "keytar";

function createBackend(options: KeyringOptions): KeyringBackend {
  const backend = options.backend ?? DEFAULT_KEYRING_BACKEND;
  if (typeof backend === "object") return backend;
  switch (backend) {
    case "keytar":
      return new KeytarBackend(options.load ?? importKeyringModule);
    case "napi":
      return new NapiBackend(options.load ?? importKeyringModule);
    case "secret-tool":
      return new SecretToolBackend(options.secretTool);
    default:
      throw new ValidationError(`unknown keyring backend "${String(backend)}": use keytar, napi or secret-tool`, {
        field: "backend",
      });
  }
}

function requireText(value: unknown, field: string): void {
  // The message names the field, never the value: it may be the secret.
  if (typeof value !== "string" || value.length === 0) {
    throw new ValidationError(`keyring: ${field} must be a non-empty string`, { field });
  }
}

/**
 * The OS keyring, like Python's `keyring` module: one secret per service and account. Creating one
 * loads nothing; the backend's package is imported on the first call. On Linux, keytar and napi keep
 * the D-Bus connection of their first call for the life of the process, so set
 * DBUS_SESSION_BUS_ADDRESS before it.
 */
export class Keyring {
  readonly #backend: KeyringBackend;

  constructor(options: KeyringOptions = {}) {
    this.#backend = createBackend(options);
  }

  /** The backend's name: "keytar", "napi", "secret-tool" or a custom backend's. */
  get backendName(): string {
    return this.#backend.name;
  }

  /** The secret stored for the service and account, or null when there is none. */
  getPassword(service: string, account: string, options: KeyringCallOptions = {}): Promise<string | null> {
    return this.#call({ operation: "get", service, account }, options, () =>
      this.#backend.getPassword(service, account, options),
    );
  }

  /** Stores the secret for the service and account, replacing any stored before. */
  setPassword(service: string, account: string, password: string, options: KeyringCallOptions = {}): Promise<void> {
    return this.#call({ operation: "set", service, account, secret: password }, options, () => {
      requireText(password, "password");
      return this.#backend.setPassword(service, account, password, options);
    });
  }

  /** Removes the secret for the service and account; false when there was none. */
  deletePassword(service: string, account: string, options: KeyringCallOptions = {}): Promise<boolean> {
    return this.#call({ operation: "delete", service, account }, options, () =>
      this.#backend.deletePassword(service, account, options),
    );
  }

  async #call<T>(
    context: Omit<KeyringCallContext, "backend">,
    options: KeyringCallOptions,
    run: () => Promise<T>,
  ): Promise<T> {
    const { signal } = options;
    const cancelled = () =>
      new AbortError(`keyring (${this.#backend.name}) ${context.operation} was cancelled`, { cause: signal?.reason });
    if (signal?.aborted) throw cancelled();
    requireText(context.service, "service");
    requireText(context.account, "account");
    try {
      return await run();
    } catch (error) {
      if (error instanceof ValidationError) throw error;
      if (signal?.aborted && !(error instanceof AbortError)) throw cancelled();
      throw keyringError(error, { ...context, backend: this.#backend.name });
    }
  }
}
