import { loadModule } from "./load.js";
import type { KeyringBackend, KeyringCallOptions, KeyringModuleLoader } from "./types.js";

// The part of keytar 7 we use, typed here so the published types do not depend on an optional package.
interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/**
 * keytar (atom/node-keytar, archived): libsecret on Linux, Keychain on macOS, Credential Vault on
 * Windows. On Linux its items carry {service, account}, which Python's keyring does not read.
 */
export class KeytarBackend implements KeyringBackend {
  readonly name = "keytar";
  readonly #load: KeyringModuleLoader;
  #module?: Promise<KeytarModule>;

  constructor(load: KeyringModuleLoader) {
    this.#load = load;
  }

  async getPassword(service: string, account: string, _options?: KeyringCallOptions): Promise<string | null> {
    return (await this.#keytar()).getPassword(service, account);
  }

  async setPassword(service: string, account: string, password: string, _options?: KeyringCallOptions): Promise<void> {
    await (await this.#keytar()).setPassword(service, account, password);
  }

  async deletePassword(service: string, account: string, _options?: KeyringCallOptions): Promise<boolean> {
    return (await this.#keytar()).deletePassword(service, account);
  }

  #keytar(): Promise<KeytarModule> {
    // Loaded once, on first use; a failed load is retried next time (the user may install it meanwhile).
    this.#module ??= loadModule(this.#load, "keytar", this.name, ["getPassword", "setPassword", "deletePassword"]).then(
      (m) => m as unknown as KeytarModule,
      (error: unknown) => {
        this.#module = undefined;
        throw error;
      },
    );
    return this.#module;
  }
}
