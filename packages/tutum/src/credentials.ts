// Where the Authorization header comes from, in the seed's order: what the code set, then ~/.tutum's
// [auth] section, then TUTUM_USER/TUTUM_APIKEY. TUTUM_AUTH (the whole header, set by Tutum inside
// containers with an API role) comes right after the code. Resolved again for every request, as
// python-tutum 0.21.2 does, so assigning `tutum.user` later takes effect.
import { ConfigError, expandHome, readCredentialFile, type Logger } from "@nimbus-sdk/common";
import { existsSync } from "node:fs";
import { TutumAuthError } from "./errors.js";

/** `ApiKey user:apikey` (python-tutum up to 0.20.1, the seed) or `Basic base64(user:apikey)` (0.21+). */
export type AuthScheme = "ApiKey" | "Basic";

/** The Authorization schemes Tutum accepts: ApiKey (user:apikey) and Basic. */
export const AUTH_SCHEMES: readonly AuthScheme[] = ["ApiKey", "Basic"];

/** The file python-tutum reads, `[auth]` with `user`, `apikey` and (0.20.2+) `basic_auth`. */
export const DEFAULT_CONFIG_PATH = "~/.tutum";

/** What the code set on a client or the module object. */
export interface CodeCredentials {
  user?: string | null;
  apikey?: string | null;
  /** A whole Authorization header value, as TUTUM_AUTH. */
  tutum_auth?: string | null;
  /** base64 of `user:apikey` (or `user:password`), sent as `Basic <value>`. */
  basic_auth?: string | null;
}

export interface CredentialSourceOptions {
  authScheme: AuthScheme;
  /** Environment variables; `process.env` when absent. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The INI file; `~/.tutum` by default. */
  configPath?: string;
  /** The home directory `~` stands for. */
  homedir?: string;
  /** Receives the warning about a credential file other users can read. */
  logger?: Logger;
}

/** Where the credentials in use came from, for messages and diagnostics; never the secret itself. */
export type CredentialSource =
  | { kind: "code"; detail: "tutum_auth" | "user/apikey" | "basic_auth" }
  | { kind: "env"; detail: "TUTUM_AUTH" | "TUTUM_USER/TUTUM_APIKEY" | "TUTUM_USER/TUTUM_PASS" }
  | { kind: "file"; path: string; detail: "user/apikey" | "basic_auth" };

/** Credentials as python-tutum finds them: the Authorization header and where it came from. */
export interface ResolvedCredentials {
  /** The Authorization header value. */
  header: string;
  /** The user name when known (not for TUTUM_AUTH or basic_auth). */
  user?: string;
  source: CredentialSource;
}

/** A readable description of a source: "~/.tutum [auth] user/apikey", "TUTUM_AUTH", "tutum.user/apikey". */
export function describeSource(source: CredentialSource): string {
  switch (source.kind) {
    case "code":
      return source.detail === "user/apikey" ? "user/apikey set in code" : `${source.detail} set in code`;
    case "env":
      return `the environment (${source.detail})`;
    case "file":
      return `${source.path} [auth] ${source.detail}`;
  }
}

interface FileCredentials {
  path: string;
  user?: string;
  apikey?: string;
  basic_auth?: string;
}

// The seed's README writes `user = "username"`; ConfigParser would keep the quotes, which can never
// authenticate, so they are taken off.
function unquote(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const m = /^(["'])(.*)\1$/.exec(trimmed);
  const out = m ? m[2]! : trimmed;
  return out === "" ? undefined : out;
}

/** Reads `[auth]` of ~/.tutum; undefined when the file or the section is absent. */
export function readTutumFile(options: Pick<CredentialSourceOptions, "configPath" | "homedir" | "logger"> = {}) {
  const path = expandHome(options.configPath ?? DEFAULT_CONFIG_PATH, options.homedir);
  if (!existsSync(path)) return undefined;
  try {
    const file = readCredentialFile(
      path,
      [
        {
          section: "auth",
          keys: [
            { name: "user", required: false },
            { name: "apikey", required: false },
            { name: "basic_auth", required: false },
          ],
        },
      ] as const,
      { homedir: options.homedir, logger: options.logger },
    );
    const found: FileCredentials = {
      path: file.path,
      user: unquote(file.values.user),
      apikey: unquote(file.values.apikey),
      basic_auth: unquote(file.values.basic_auth),
    };
    return found;
  } catch (error) {
    // python-tutum ignores a file it cannot read; a file without [auth] is not ours to complain about,
    // but a malformed one is worth saying so (it would otherwise fail later as "no credentials").
    if (error instanceof ConfigError && /has no \[auth\] section/.test(error.message)) return undefined;
    throw new TutumAuthError(`cannot use the credential file ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function header(scheme: AuthScheme, user: string, secret: string): string {
  return scheme === "Basic"
    ? `Basic ${Buffer.from(`${user}:${secret}`, "utf8").toString("base64")}`
    : `ApiKey ${user}:${secret}`;
}

const nonEmpty = (value: string | null | undefined): value is string => typeof value === "string" && value !== "";

/**
 * A cache of the credential file, so it is read once per client (python-tutum reads it at import);
 * `reload()` reads it again.
 */
export class CredentialResolver {
  #file: FileCredentials | undefined | null = null;
  readonly #options: Omit<CredentialSourceOptions, "authScheme">;

  constructor(options: Omit<CredentialSourceOptions, "authScheme"> = {}) {
    this.#options = options;
  }

  reload(): void {
    this.#file = null;
  }

  #fileCredentials(): FileCredentials | undefined {
    if (this.#file === null) this.#file = readTutumFile(this.#options);
    return this.#file;
  }

  /** The credentials a request would be sent with, or undefined when there are none anywhere. */
  tryResolve(code: CodeCredentials, authScheme: AuthScheme): ResolvedCredentials | undefined {
    const env = this.#options.env ?? process.env;
    if (nonEmpty(code.tutum_auth)) return { header: code.tutum_auth, source: { kind: "code", detail: "tutum_auth" } };
    if (nonEmpty(code.user) && nonEmpty(code.apikey)) {
      return {
        header: header(authScheme, code.user, code.apikey),
        user: code.user,
        source: { kind: "code", detail: "user/apikey" },
      };
    }
    if (nonEmpty(code.basic_auth)) {
      return { header: `Basic ${code.basic_auth}`, source: { kind: "code", detail: "basic_auth" } };
    }
    if (nonEmpty(env.TUTUM_AUTH)) return { header: env.TUTUM_AUTH, source: { kind: "env", detail: "TUTUM_AUTH" } };
    const file = this.#fileCredentials();
    if (file && nonEmpty(file.user) && nonEmpty(file.apikey)) {
      return {
        header: header(authScheme, file.user, file.apikey),
        user: file.user,
        source: { kind: "file", path: file.path, detail: "user/apikey" },
      };
    }
    if (file && nonEmpty(file.basic_auth)) {
      return { header: `Basic ${file.basic_auth}`, source: { kind: "file", path: file.path, detail: "basic_auth" } };
    }
    if (nonEmpty(env.TUTUM_USER) && nonEmpty(env.TUTUM_APIKEY)) {
      return {
        header: header(authScheme, env.TUTUM_USER, env.TUTUM_APIKEY),
        user: env.TUTUM_USER,
        source: { kind: "env", detail: "TUTUM_USER/TUTUM_APIKEY" },
      };
    }
    // A password is not an API key: only Basic can carry it (python-tutum 0.20.2+).
    if (nonEmpty(env.TUTUM_USER) && nonEmpty(env.TUTUM_PASS)) {
      return {
        header: header("Basic", env.TUTUM_USER, env.TUTUM_PASS),
        user: env.TUTUM_USER,
        source: { kind: "env", detail: "TUTUM_USER/TUTUM_PASS" },
      };
    }
    return undefined;
  }

  /** As `tryResolve`, but no credentials anywhere is a TutumAuthError naming the places looked at. */
  resolve(code: CodeCredentials, authScheme: AuthScheme): ResolvedCredentials {
    const found = this.tryResolve(code, authScheme);
    if (found) return found;
    const env = this.#options.env ?? process.env;
    const file = this.#fileCredentials();
    const path = expandHome(this.#options.configPath ?? DEFAULT_CONFIG_PATH, this.#options.homedir);
    const partial: string[] = [];
    if (nonEmpty(code.user) !== nonEmpty(code.apikey)) {
      partial.push(
        nonEmpty(code.user) ? "tutum.user is set but tutum.apikey is not" : "tutum.apikey is set but tutum.user is not",
      );
    }
    if (file && nonEmpty(file.user) !== nonEmpty(file.apikey)) {
      partial.push(`${file.path} [auth] has ${nonEmpty(file.user) ? "user but no apikey" : "apikey but no user"}`);
    }
    if (nonEmpty(env.TUTUM_USER) !== nonEmpty(env.TUTUM_APIKEY) && !nonEmpty(env.TUTUM_PASS)) {
      partial.push(
        nonEmpty(env.TUTUM_USER)
          ? "TUTUM_USER is set but TUTUM_APIKEY is not"
          : "TUTUM_APIKEY is set but TUTUM_USER is not",
      );
    }
    throw new TutumAuthError(
      "no Tutum credentials: set tutum.user and tutum.apikey in code, or put user and apikey in the [auth] " +
        `section of ${path}, or set TUTUM_USER and TUTUM_APIKEY (TUTUM_AUTH may hold a whole Authorization ` +
        "header); nothing was sent" +
        (partial.length ? ` (${partial.join("; ")})` : ""),
    );
  }
}
