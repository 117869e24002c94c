// pyrax.utils: the helpers pyrax scripts call, camelCased. Every public name of pyrax's utils.py has
// a home here, or a reason it has none (README, "pyrax.utils"): DotDict (plain objects already read
// as `obj.key`), ResultsIterator (listings page with `for await`), add_method (assign the function),
// unauthenticated/isunauthenticated (pyrax's internal decorators), safe_issubclass and import_class
// (Python reflection), trace (the debugger: `debugger;`).
import { exec } from "node:child_process";
import { createHash, randomInt } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, open, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  waitUntil as poll,
  NotFoundError,
  ValidationError,
  type NimbusError,
  type WaitProgressCallback,
} from "@nimbus-sdk/common";
import { FolderNotFound, InvalidDateTimeString, MissingName, NoReloadError, UnexpectedStatus } from "./errors.js";
import { fnmatch } from "./resources/object-store/index.js";

// ------------------------------------------------------------------------------ waiting

/** pyrax's `wait_until` options: a callback when the wait ends, the interval, attempts, verbose output, a signal and progress. */
export interface WaitUntilOptions<T> {
  /** Called with the object once the wait ends (pyrax's `callback`); the returned promise resolves too. */
  callback?: (obj: T) => void;
  /** Seconds between two checks (pyrax's default 5). */
  interval?: number;
  /** Checks at most this many times, then returns the object as it is; 0 (default): until done. */
  attempts?: number;
  /** Print each check's value (and `verboseAtts`) as pyrax does. */
  verbose?: boolean;
  verboseAtts?: string | string[];
  /**
   * Called after every check with the object, the milliseconds waited and common's Progress (in percent
   * when the object has a numeric `progress`, as a building server has; else in checks).
   */
  onProgress?: WaitProgressCallback<T>;
  /** Seconds after which to give up with a TimeoutError (default: none). */
  timeout?: number;
  signal?: AbortSignal;
}

// Statuses a resource does not leave by itself: waiting past them would poll for ever.
const FAILED_STATUSES = new Set(["ERROR", "error", "killed", "FAILED", "failed", "error_deleting"]);
const GONE_STATUSES = ["DELETED", "deleted"];

type Reloadable = {
  id?: unknown;
  get?: (options?: { signal?: AbortSignal }) => Promise<unknown>;
  reload?: (options?: { signal?: AbortSignal }) => Promise<unknown>;
  manager?: { get?: (id: unknown, options?: { signal?: AbortSignal }) => Promise<unknown> };
};

// pyrax's order: the object's own get() (servers), else its manager's get(id); Glance images reload().
async function reload<T>(obj: T, signal?: AbortSignal): Promise<T> {
  const o = obj as Reloadable;
  if (typeof o.get === "function") {
    const fresh = await o.get({ signal });
    return (fresh && typeof fresh === "object" ? fresh : obj) as T;
  }
  if (typeof o.reload === "function") return ((await o.reload({ signal })) ?? obj) as T;
  if (typeof o.manager?.get === "function") return (await o.manager.get(o.id, { signal })) as T;
  throw new NoReloadError(`waitUntil cannot fetch this object again: it has no get(), reload() or manager.get()`, {
    field: "obj",
  });
}

/**
 * pyrax's `wait_until(obj, att, desired, callback, interval, attempts, verbose, verbose_atts)`: fetches
 * the object every `interval` seconds until `obj[att]` is one of `desired`, and returns it. After
 * `attempts` checks it returns the object as it is (the caller checks `obj[att]`, as in pyrax). Unlike
 * pyrax it never polls for ever: a status the resource cannot leave (ERROR …) that is not desired ends
 * the wait with UnexpectedStatus, the object then holding that last state; a resource that disappears
 * ends it with NotFound (or is returned as DELETED when that is desired).
 */
export async function waitUntil<T extends object>(
  obj: T,
  att: string,
  desired: unknown,
  callback?: ((obj: T) => void) | WaitUntilOptions<T>,
  options: WaitUntilOptions<T> = {},
): Promise<T> {
  const all: WaitUntilOptions<T> = typeof callback === "function" ? { ...options, callback } : (callback ?? options);
  const wanted = Array.isArray(desired) ? (desired as unknown[]) : [desired];
  const { interval = 5, attempts = 0, verbose = false, timeout, signal } = all;
  if (typeof att !== "string" || att === "")
    throw new ValidationError("waitUntil needs an attribute name", { field: "att" });
  for (const [field, value] of [
    ["interval", interval],
    ["attempts", attempts],
    ["timeout", timeout],
  ] as const) {
    if (value !== undefined && (typeof value !== "number" || !(value >= 0))) {
      throw new ValidationError(`waitUntil: ${field} must be a number >= 0, not ${JSON.stringify(value)}`, { field });
    }
  }
  const verboseAtts = all.verboseAtts === undefined ? [] : [all.verboseAtts].flat();
  let current = obj;
  let checks = 0;
  const started = Date.now();
  const value = () => (current as Record<string, unknown>)[att];
  const result = await poll(
    async ({ signal: checkSignal }) => {
      checks++;
      try {
        current = await reload(current, checkSignal);
      } catch (error) {
        const gone = GONE_STATUSES.find((s) => wanted.includes(s));
        if (!(error instanceof NotFoundError) || !gone) throw error;
        // Defined on the object itself: resources may expose the attribute as a getter only.
        Object.defineProperty(current, att, { value: gone, configurable: true, enumerable: true });
      }
      return current;
    },
    (latest) => {
      const now = value();
      if (verbose) {
        const extra = verboseAtts.map((a) => ` ${a}=${String((latest as Record<string, unknown>)[a])}`).join("");
        const elapsed = ((Date.now() - started) / 1000).toFixed(1);
        console.log(`Current value of ${att}: ${String(now)} (elapsed: ${elapsed.padStart(4)} seconds)${extra}`);
      }
      if (wanted.includes(now)) return true;
      if (typeof now === "string" && FAILED_STATUSES.has(now)) {
        const id = String((latest as { id?: unknown }).id ?? "");
        const fault = (latest as { fault?: { message?: string } }).fault?.message;
        throw new UnexpectedStatus(
          `${id ? `${id}: ` : ""}${att} became ${now} while waiting for ${wanted.map(String).join(" or ")}` +
            (fault ? ` (${fault})` : ""),
          { resourceId: id, resourceStatus: now },
        );
      }
      return attempts > 0 && checks >= attempts;
    },
    {
      interval: interval * 1000,
      timeout: timeout === undefined ? undefined : timeout * 1000,
      signal,
      onProgress: all.onProgress,
      percent: typeof (obj as { progress?: unknown }).progress === "number" ? percentOf : undefined,
      description: `${att} to be ${wanted.map(String).join(" or ")}`,
    },
  );
  all.callback?.(result);
  return result;
}

// Nova's build progress, 0 to 100.
function percentOf(obj: object): number | undefined {
  const progress = (obj as { progress?: unknown }).progress;
  return typeof progress === "number" ? progress : undefined;
}

/**
 * pyrax's `wait_for_build(obj, att, desired, …)`: waitUntil with pyrax's defaults for a build:
 * `status` in ACTIVE, ERROR, available or COMPLETED, every 20 seconds, verbose on `progress`.
 */
export async function waitForBuild<T extends object>(
  obj: T,
  att?: string | null | WaitUntilOptions<T>,
  desired?: unknown,
  options: WaitUntilOptions<T> = {},
): Promise<T> {
  const all = typeof att === "object" && att !== null ? att : options;
  const name = typeof att === "string" && att ? att : "status";
  const wanted = desired ?? ["ACTIVE", "ERROR", "available", "COMPLETED"];
  return waitUntil(obj, name, wanted, { interval: 20, verboseAtts: "progress", ...all });
}

// ------------------------------------------------------------------------------ checksums, names

/**
 * pyrax's `get_checksum`: the MD5 (hex) of text (UTF-8 by default), bytes, a readable stream, or the
 * file at a path (as pyrax, a string naming an existing file means that file).
 */
export async function getChecksum(
  content: string | Uint8Array | AsyncIterable<Uint8Array | string>,
  encoding: BufferEncoding = "utf8",
): Promise<string> {
  const md5 = createHash("md5");
  if (typeof content === "string") {
    const isFile = await stat(content).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!isFile) return md5.update(Buffer.from(content, encoding)).digest("hex");
    content = createReadStream(content);
  }
  if (content instanceof Uint8Array) return md5.update(content).digest("hex");
  if (content && typeof content === "object" && Symbol.asyncIterator in content) {
    for await (const chunk of content) md5.update(typeof chunk === "string" ? Buffer.from(chunk, encoding) : chunk);
    return md5.digest("hex");
  }
  throw new ValidationError("getChecksum takes text, bytes, a readable stream or a file path", { field: "content" });
}

function joinChars(chars: string[], length: number): string {
  // pyrax samples without replacement from the characters repeated enough times.
  const pool = Array.from({ length: Math.ceil(length / chars.length) + 1 }, () => chars).flat();
  let out = "";
  for (let i = 0; i < length; i++) out += pool.splice(randomInt(pool.length), 1)[0];
  return out;
}

/** pyrax's `random_ascii`: `length` ASCII letters. */
export function randomAscii(length = 20): string {
  return joinChars([..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"], length);
}

/** pyrax's `random_unicode`: `length` characters up to code point 1000. */
export function randomUnicode(length = 20): string {
  return joinChars(
    Array.from({ length }, () => String.fromCodePoint(randomInt(32, 1001))),
    length,
  );
}

/** pyrax's `coerce_string_to_list`: a value as a list; nothing as []. */
export function coerceStringToList<T>(val: T | T[] | null | undefined | ""): T[] {
  if (val === null || val === undefined || val === "" || (Array.isArray(val) && val.length === 0)) return [];
  return Array.isArray(val) ? val : [val];
}

/** pyrax's `match_pattern`: whether the name matches one of the shell patterns. */
export function matchPattern(nm: string, patterns: string | string[] | null | undefined): boolean {
  return coerceStringToList(patterns).some((pattern) => fnmatch(nm, pattern));
}

/** pyrax's `folder_size`: the bytes of the files under `pth`, ignoring paths that match `ignore`. */
export async function folderSize(pth: string, ignore?: string | string[]): Promise<number> {
  const info = await stat(pth).catch(() => undefined);
  if (!info?.isDirectory()) throw new FolderNotFound(`the folder ${pth} does not exist`);
  let total = 0;
  for (const entry of await readdir(pth, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || matchPattern(path, ignore ?? [])) continue;
    total += (await stat(path)).size;
  }
  return total;
}

/** pyrax's `get_id`: the `id` of an object, or the value itself. */
export function getId(idOrObj: unknown): unknown {
  if (typeof idOrObj === "string" || typeof idOrObj === "number") return idOrObj;
  if (idOrObj && typeof idOrObj === "object" && "id" in idOrObj) return idOrObj.id;
  return idOrObj;
}

/** pyrax's `get_name`: the `name` of an object, or the string itself; MissingName otherwise. */
export function getName(nameOrObj: unknown): string {
  if (typeof nameOrObj === "string") return nameOrObj;
  const name = nameOrObj && typeof nameOrObj === "object" ? (nameOrObj as { name?: unknown }).name : undefined;
  if (typeof name !== "string") throw new MissingName("the object has no name", { field: "name" });
  return name;
}

/** pyrax's `slugify`: lower case ASCII, punctuation dropped, spaces and dashes as single hyphens. */
export function slugify(value: unknown): string {
  return String(value)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^ -~\s]/g, "")
    .replace(/[^\w\s-]/g, "")
    .trim()
    .toLowerCase()
    .replace(/[-\s]+/g, "-");
}

// ------------------------------------------------------------------------------ dates

// pyrax accepts "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DD", as naive (local) times.
function parseDateTime(val: string): number[] {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(val);
  if (!match || (val.length !== 10 && val.length !== 19)) {
    throw new InvalidDateTimeString(
      `The supplied value '${val}' does not match either of the formats 'YYYY-MM-DD HH:MM:SS' or 'YYYY-MM-DD'.`,
      { field: "val" },
    );
  }
  return match.slice(1).map((part) => Number(part ?? 0));
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * pyrax's `iso_time_string`: "YYYY-MM-DDTHH:MM:SS" without fractions; with `showTzinfo`, "+0000" after
 * it. A string is taken as written; a Date in UTC.
 */
export function isoTimeString(val: string | Date | null | undefined, showTzinfo = false): string {
  if (!val) return "";
  const [y, mo, d, h, mi, s] =
    typeof val === "string"
      ? parseDateTime(val)
      : [
          val.getUTCFullYear(),
          val.getUTCMonth() + 1,
          val.getUTCDate(),
          val.getUTCHours(),
          val.getUTCMinutes(),
          val.getUTCSeconds(),
        ];
  const text = `${y}-${pad(mo!)}-${pad(d!)}T${pad(h!)}:${pad(mi!)}:${pad(s!)}`;
  return showTzinfo ? `${text}+0000` : text;
}

/** pyrax's `to_timestamp`: Unix seconds for a number (as is), a Date, or a string in local time. */
export function toTimestamp(val: number | string | Date): number {
  if (typeof val === "number") return val;
  if (val instanceof Date) return Math.floor(val.getTime() / 1000);
  const [y, mo, d, h, mi, s] = parseDateTime(val);
  return new Date(y!, mo! - 1, d!, h!, mi!, s!).getTime() / 1000;
}

/** pyrax's `rfc2822_format`: a string as is; a Date or Unix seconds as "Fri, 09 Nov 2001 01:08:47 -0000". */
export function rfc2822Format(val: string | number | Date): string {
  if (typeof val === "string") return val;
  const date = typeof val === "number" ? new Date(val * 1000) : val;
  return date.toUTCString().replace(/GMT$/, "-0000");
}

// ------------------------------------------------------------------------------ dicts, queries, errors

/** pyrax's `params_to_dict`: copies the named, non-null values of `localDict` into `dct`. */
export function paramsToDict<T extends Record<string, unknown>>(
  params: string[],
  dct: T,
  localDict: Record<string, unknown>,
): T {
  for (const param of params) {
    const value = localDict[param];
    if (value !== null && value !== undefined) (dct as Record<string, unknown>)[param] = value;
  }
  return dct;
}

/** pyrax's `dict_to_qs`: "key=value&…" of the non-null values (not encoded, as pyrax). */
export function dictToQs(dct: Record<string, unknown>): string {
  return Object.entries(dct)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join("&");
}

/** pyrax's `case_insensitive_update`: updates dct1 with dct2, keys equal but for case counted as one. */
export function caseInsensitiveUpdate(dct1: Record<string, unknown>, dct2: Record<string, unknown>): void {
  const lower = new Map(Object.keys(dct1).map((key) => [key.toLowerCase(), key]));
  for (const [key, value] of Object.entries(dct2)) dct1[lower.get(key.toLowerCase()) ?? key] = value;
}

/** pyrax's `update_exc`: adds text before (default) or after an error's message; returns the error. */
export function updateExc<E extends Error | NimbusError>(exc: E, msg: string, before = true, separator = "\n"): E {
  exc.message = before ? `${msg}${separator}${exc.message}` : `${exc.message}${separator}${msg}`;
  return exc;
}

/** pyrax's `env(*names, default="")`: the first of these environment variables that is set and not empty. */
export function env(...args: (string | { default?: string })[]): string {
  let fallback = "";
  for (const arg of args) {
    if (typeof arg === "object") {
      fallback = arg.default ?? "";
      continue;
    }
    const value = process.env[arg];
    if (value) return value;
  }
  return fallback;
}

// ------------------------------------------------------------------------------ processes, temp files

/** pyrax's `runproc`: runs a shell command; resolves to [stdout, stderr] (check stderr, as pyrax says). */
export function runproc(cmd: string, options: { signal?: AbortSignal } = {}): Promise<[string, string]> {
  return new Promise((resolve) => {
    exec(cmd, { signal: options.signal, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve([String(stdout), String(stderr) || (error && !stderr ? error.message : "")]);
    });
  });
}

/** pyrax's `SelfDeletingTempfile`: `fn` gets the path of a new empty file, removed when `fn` ends. */
export async function selfDeletingTempfile<R>(fn: (path: string) => R | Promise<R>): Promise<R> {
  return selfDeletingTempDirectory(async (dir) => {
    const path = join(dir, "tmp");
    await (await open(path, "wx", 0o600)).close();
    return fn(path);
  });
}

/** pyrax's `SelfDeletingTempDirectory`: `fn` gets a new folder, removed with its contents when `fn` ends. */
export async function selfDeletingTempDirectory<R>(fn: (path: string) => R | Promise<R>): Promise<R> {
  const dir = await mkdtemp(join(tmpdir(), "pyrax-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
