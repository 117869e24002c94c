import { KeyringError, NimbusError } from "../errors/index.js";
import { REDACTED } from "../logging/redact.js";
import type { KeyringErrorCode } from "./types.js";

/** What a failed call was doing, for the message. */
export interface KeyringCallContext {
  backend: string;
  operation: "get" | "set" | "delete" | "load";
  service?: string;
  account?: string;
  /** The secret being stored: removed from every message, and the cause dropped if it shows it. */
  secret?: string;
}

const MAX_DETAIL = 300;

// The libraries' own words for each situation, as measured against gnome-keyring 42 (keytar 7.9.0,
// @napi-rs/keyring 2.1.2, secret-tool 0.20.5): see docs/decisions/0002-keyring-backend.md.
const NO_SESSION_BUS =
  /autolaunch|DBUS_SESSION_BUS_ADDRESS|Could not connect|Failed to connect to socket|Connection refused|connection is closed|session bus/i;
const NO_SECRET_SERVICE = /not provided by any \.service files|ServiceUnknown|org\.freedesktop\.secrets\b/i;
const LOCKED = /locked|prompt was dismissed|Object does not exist at path|no result found/i;
const AMBIGUOUS = /matched by \d+ credentials|ambiguous/i;

const HOW_TO_START =
  "Run inside a desktop session, or start a private one: dbus-run-session -- sh -c " +
  "'gnome-keyring-daemon --unlock --components=secrets < password-file; your-command'";

/** `text` with every occurrence of the secret replaced, shortened to a readable excerpt. */
export function scrub(text: string, secret?: string): string {
  const clean = secret ? text.split(secret).join(REDACTED) : text;
  return clean.length > MAX_DETAIL ? `${clean.slice(0, MAX_DETAIL)}…` : clean;
}

function mentionsSecret(error: unknown, secret: string | undefined): boolean {
  if (!secret) return false;
  // Walk the cause chain: native bindings nest the D-Bus error two levels deep.
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 10; depth++) {
    const text = e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : String(e);
    if (text.includes(secret)) return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}

function describe(context: KeyringCallContext): string {
  const target = context.service === undefined ? "" : ` "${context.service}"/"${context.account ?? ""}"`;
  return `keyring (${context.backend}) ${context.operation}${target} failed`;
}

/** The code for a message from keytar, @napi-rs/keyring or secret-tool. */
export function classify(message: string): KeyringErrorCode {
  if (NO_SESSION_BUS.test(message)) return "NO_SESSION_BUS";
  if (NO_SECRET_SERVICE.test(message)) return "NO_SECRET_SERVICE";
  if (LOCKED.test(message)) return "LOCKED";
  if (AMBIGUOUS.test(message)) return "AMBIGUOUS";
  return "BACKEND_FAILED";
}

/** A KeyringError for a backend failure: a clear reason and what to do, never the secret. */
export function keyringError(error: unknown, context: KeyringCallContext): NimbusError {
  // Our own errors (and a custom backend's NimbusErrors) already say what happened.
  if (error instanceof NimbusError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const detail = scrub(raw, context.secret);
  const code = classify(raw);
  const cause = mentionsSecret(error, context.secret) ? undefined : error;
  const head = describe(context);
  switch (code) {
    case "NO_SESSION_BUS":
      return new KeyringError(
        `${head}: no D-Bus session bus, so the OS secret service cannot be reached (${detail}). ${HOW_TO_START}`,
        { code, cause },
      );
    case "NO_SECRET_SERVICE":
      return new KeyringError(
        `${head}: no secret service (gnome-keyring-daemon, KWallet ...) on the D-Bus session bus (${detail}). ${HOW_TO_START}`,
        { code, cause },
      );
    case "LOCKED":
      return new KeyringError(
        `${head}: the keyring is locked or has no default collection (${detail}). Unlock it by logging in to the ` +
          "desktop, or start gnome-keyring-daemon with --unlock",
        { code, cause },
      );
    case "AMBIGUOUS":
      return new KeyringError(
        `${head}: more than one keyring item matches, written by different libraries (${detail}). Remove them ` +
          'with deletePassword on the "secret-tool" backend (it clears every match), then store the secret again',
        { code, cause },
      );
    default:
      return new KeyringError(`${head}: ${detail}`, { code, cause });
  }
}

/** The error for a package or command that is not installed, naming the command that installs it. */
export function missingModuleError(backend: string, cause: unknown): KeyringError {
  const code: KeyringErrorCode = "MODULE_NOT_FOUND";
  switch (backend) {
    case "keytar":
      return new KeyringError(
        "keyring backend \"keytar\" needs the optional package keytar: run 'npm install keytar'. It compiles " +
          "against libsecret on Linux, so install 'libsecret-1-dev pkg-config' first " +
          '(Debian: sudo apt-get install libsecret-1-dev pkg-config); or choose the "napi" backend',
        { code, cause },
      );
    case "napi":
      return new KeyringError(
        "keyring backend \"napi\" needs the optional package @napi-rs/keyring: run 'npm install @napi-rs/keyring'",
        { code, cause },
      );
    default:
      return new KeyringError(
        `keyring backend "${backend}" needs the secret-tool command: install libsecret-tools ` +
          "(Debian: sudo apt-get install libsecret-tools)",
        { code, cause },
      );
  }
}

/** The error for a package that is installed but whose native part does not load. */
export function loadFailedError(backend: string, cause: unknown): KeyringError {
  const detail = scrub(cause instanceof Error ? cause.message : String(cause));
  const advice =
    backend === "keytar"
      ? "install its runtime library (Debian: sudo apt-get install libsecret-1-0) or rebuild it with 'npm rebuild keytar'"
      : "reinstall @napi-rs/keyring so npm fetches the prebuilt binary for this platform";
  return new KeyringError(`keyring backend "${backend}" could not load its native module (${detail}): ${advice}`, {
    code: "MODULE_LOAD_FAILED",
    cause,
  });
}

/** True for Node's "cannot find package" errors from `import()` and `require()`. */
export function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}
