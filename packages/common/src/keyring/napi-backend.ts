import { loadModule } from "./load.js";
import type { KeyringBackend, KeyringCallOptions, KeyringModuleLoader } from "./types.js";

// The part of @napi-rs/keyring 2 we use, typed here so the published types do not depend on it.
interface AsyncEntry {
  getPassword(signal?: AbortSignal): Promise<string | null>;
  setPassword(password: string, signal?: AbortSignal): Promise<void>;
  deletePassword(signal?: AbortSignal): Promise<boolean>;
}
interface EntryOptions {
  linux?: { store?: "secret-service" | "keyutils" };
}
interface NapiKeyringModule {
  AsyncEntry: new (service: string, account: string, options?: EntryOptions) => AsyncEntry;
}

// Without this pin, @napi-rs/keyring falls back to the Linux kernel keyring when no secret service
// answers: a read then returns null instead of failing, and what is stored is gone after a reboot and
// invisible to Python's keyring. Other platforms ignore the option.
const ENTRY_OPTIONS: EntryOptions = { linux: { store: "secret-service" } };

/**
 * @napi-rs/keyring (keyring-rs, maintained, prebuilt binaries). On Linux its items carry {service,
 * username}, the same attributes Python's keyring searches by, so each reads what the other stored.
 */
export class NapiBackend implements KeyringBackend {
  readonly name = "napi";
  readonly #load: KeyringModuleLoader;
  #module?: Promise<NapiKeyringModule>;

  constructor(load: KeyringModuleLoader) {
    this.#load = load;
  }

  async getPassword(service: string, account: string, options: KeyringCallOptions = {}): Promise<string | null> {
    return (await this.#entry(service, account)).getPassword(options.signal);
  }

  async setPassword(
    service: string,
    account: string,
    password: string,
    options: KeyringCallOptions = {},
  ): Promise<void> {
    await (await this.#entry(service, account)).setPassword(password, options.signal);
  }

  async deletePassword(service: string, account: string, options: KeyringCallOptions = {}): Promise<boolean> {
    return (await this.#entry(service, account)).deletePassword(options.signal);
  }

  async #entry(service: string, account: string): Promise<AsyncEntry> {
    const napi = await this.#napi();
    // The constructor connects to the secret service and throws synchronously when there is none.
    return new napi.AsyncEntry(service, account, ENTRY_OPTIONS);
  }

  #napi(): Promise<NapiKeyringModule> {
    this.#module ??= loadModule(this.#load, "@napi-rs/keyring", this.name, ["AsyncEntry"]).then(
      (m) => m as unknown as NapiKeyringModule,
      (error: unknown) => {
        this.#module = undefined;
        throw error;
      },
    );
    return this.#module;
  }
}
