import { AbortError, KeyringError } from "../errors/index.js";
import { missingModuleError, scrub } from "./errors.js";
import type { KeyringBackend, KeyringCallOptions, SecretToolOptions } from "./types.js";

/** The `application` attribute Python's keyring (SecretService and libsecret backends) writes and filters by. */
export const PYTHON_KEYRING_APPLICATION = "Python keyring library";

const DEFAULT_TIMEOUT = 30_000;

interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * libsecret's `secret-tool` command, with Python keyring's schema: it reads and deletes by {service,
 * username} and stores {service, username, application: "Python keyring library"}, so pyrax and
 * other Python programs share secrets with it both ways. Linux only; needs libsecret-tools.
 */
export class SecretToolBackend implements KeyringBackend {
  readonly name = "secret-tool";
  readonly #command: string;
  readonly #env: NodeJS.ProcessEnv | undefined;
  readonly #timeout: number;

  constructor(options: SecretToolOptions = {}) {
    this.#command = options.command ?? "secret-tool";
    this.#env = options.env;
    this.#timeout = options.timeout ?? DEFAULT_TIMEOUT;
  }

  async getPassword(service: string, account: string, options: KeyringCallOptions = {}): Promise<string | null> {
    const result = await this.#run(["lookup", ...query(service, account)], options);
    if (result.status === 0) return result.stdout;
    // secret-tool says nothing and exits 1 when no item matches.
    if (result.status === 1 && result.stderr.trim() === "") return null;
    throw this.#failure(result);
  }

  async setPassword(
    service: string,
    account: string,
    password: string,
    options: KeyringCallOptions = {},
  ): Promise<void> {
    await this.#store(service, account, password, options);
    // Another library's item for the same pair (@napi-rs/keyring writes no `application`) would shadow
    // ours in lookups and make keyring-rs report "ambiguous": keep exactly one. Storing first means a
    // failed store never loses the old secret.
    const search = await this.#run(["search", "--all", ...query(service, account)], options);
    const items = search.stdout.split("\n").filter((line) => /^\[\/.*\]$/.test(line)).length;
    if (items > 1) {
      const cleared = await this.#run(["clear", ...query(service, account)], options);
      if (cleared.status !== 0) throw this.#failure(cleared);
      await this.#store(service, account, password, options);
    }
  }

  async deletePassword(service: string, account: string, options: KeyringCallOptions = {}): Promise<boolean> {
    // Removes every unlocked item of the pair, whichever library wrote it.
    const result = await this.#run(["clear", ...query(service, account)], options);
    if (result.status === 0) return true;
    if (result.status === 1 && result.stderr.trim() === "") return false;
    throw this.#failure(result);
  }

  async #store(service: string, account: string, password: string, options: KeyringCallOptions): Promise<void> {
    // The label Python's keyring gives, so a password manager shows both the same way.
    const args = [
      "store",
      `--label=Password for '${account}' on '${service}'`,
      ...query(service, account),
      "application",
      PYTHON_KEYRING_APPLICATION,
    ];
    // The secret goes through stdin, never argv (which any local user can read in /proc).
    const result = await this.#run(args, options, password);
    if (result.status !== 0) throw this.#failure(result, password);
  }

  #failure(result: RunResult, secret?: string): Error {
    const message = scrub(result.stderr.trim().replace(/^secret-tool: /, ""), secret);
    return new Error(message || `secret-tool exited with status ${result.status ?? "unknown"}`);
  }

  async #run(args: string[], options: KeyringCallOptions, input?: string): Promise<RunResult> {
    // Loaded on first use: node:child_process costs every process that imports this package about 3 ms
    // of CPU, and most never reach the keyring (decision 0027).
    const { spawn } = await import("node:child_process");
    return new Promise((resolve, reject) => {
      // English messages, as errors are classified by their text.
      const env = { ...(this.#env ?? process.env), LC_ALL: "C.UTF-8", LANGUAGE: "" };
      const child = spawn(this.#command, args, {
        env,
        stdio: ["pipe", "pipe", "pipe"],
        signal: options.signal,
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, this.#timeout);
      child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
      child.stdin.on("error", () => {
        // The command may exit before reading stdin (no bus); its exit status tells why.
      });
      child.once("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (error.code === "ENOENT") reject(missingModuleError(this.name, error));
        else if (error.name === "AbortError")
          reject(new AbortError(`keyring (${this.name}) ${args[0]} was cancelled`, { cause: options.signal?.reason }));
        else reject(error);
      });
      child.once("close", (status) => {
        clearTimeout(timer);
        if (timedOut) {
          // A locked collection makes secret-tool wait for an unlock prompt that may never come.
          reject(
            new KeyringError(
              `keyring (${this.name}) ${args[0]} gave no answer within ${this.#timeout} ms; the keyring may be ` +
                "locked and waiting for an unlock prompt",
              { code: "TIMEOUT" },
            ),
          );
          return;
        }
        resolve({
          status,
          stdout: Buffer.concat(stdout).toString("utf8"),
          stderr: Buffer.concat(stderr).toString("utf8"),
        });
      });
      child.stdin.end(input ?? "");
    });
  }
}

function query(service: string, account: string): string[] {
  return ["service", service, "username", account];
}
