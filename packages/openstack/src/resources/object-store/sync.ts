// syncFolderToContainer and uploadFolder: walk a local folder, decide per file what to do (pure
// functions, unit-tested), and hand the uploads to the client a few at a time.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { AbortError, ProgressTracker, type Progress } from "@nimbus-sdk/common";
import { FolderNotFound } from "../../errors.js";
import { md5File } from "./upload.js";
import type { ManifestSegment } from "./wire.js";

/** Python's fnmatch: `*` (any run, '/' included), `?`, `[seq]`, `[!seq]`; case-sensitive. */
export function fnmatch(name: string, pattern: string): boolean {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "[") {
      const close = pattern.indexOf("]", pattern[i + 1] === "!" || pattern[i + 1] === "]" ? i + 2 : i + 1);
      if (close < 0) {
        source += "\\[";
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith("!");
      if (negate) body = body.slice(1);
      body = body.replace(/\\/g, "\\\\").replace(/\^/g, "\\^");
      source += `[${negate ? "^" : ""}${body}]`;
      i = close;
    } else source += c.replace(/[.+^${}()|\\/\]]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s").test(name);
}

/** True when `name` matches one of `patterns` (pyrax's utils.match_pattern). */
export function matchesAny(name: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => fnmatch(name, pattern));
}

export interface LocalFile {
  /** The object name it maps to: the prefix, then the path relative to the folder with '/'. */
  objName: string;
  path: string;
  size: number;
  mtimeMs: number;
}

export interface WalkOptions {
  ignore?: readonly string[];
  includeHidden?: boolean;
  objectPrefix?: string;
  signal?: AbortSignal;
}

/**
 * Every file under `root`, depth first, names sorted. Ignore patterns apply to each file and folder
 * name (an ignored folder is not entered); names starting with "." are skipped unless
 * `includeHidden`. Symbolic links to files are followed; links to folders are not (no cycles).
 */
export async function walkFolder(
  root: string,
  options: WalkOptions = {},
): Promise<{ files: LocalFile[]; ignored: number }> {
  const rootInfo = await stat(root).catch(() => undefined);
  if (!rootInfo?.isDirectory()) throw new FolderNotFound(`No such folder: '${root}'`);
  const patterns = [...(options.ignore ?? []), ...(options.includeHidden ? [] : [".*"])];
  const prefix = (options.objectPrefix ?? "").replace(/^\/+|\/+$/g, "");
  const files: LocalFile[] = [];
  let ignored = 0;
  const visit = async (dir: string, relative: string): Promise<void> => {
    if (options.signal?.aborted)
      throw new AbortError("the folder walk was cancelled", { cause: options.signal.reason });
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (matchesAny(entry.name, patterns)) {
        ignored++;
        continue;
      }
      const path = join(dir, entry.name);
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        await visit(path, rel);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) continue;
      files.push({ objName: prefix ? `${prefix}/${rel}` : rel, path, size: info.size, mtimeMs: info.mtimeMs });
    }
  };
  await visit(root, "");
  return { files, ignored };
}

/** An object of the container listing, as sync needs it. */
export interface RemoteEntry {
  name: string;
  hash: string;
  bytes: number;
  /** Swift's listing time (UTC, no zone), e.g. `2024-05-01T12:00:00.123450`. */
  lastModified: string;
  /** Present for static large objects: their hash is the manifest's, not the content's. */
  sloEtag?: string;
}

export type SyncDecision =
  { action: "upload"; reason: "new" | "changed" } | { action: "skip"; reason: "duplicate" | "older" };

/**
 * pyrax's rule: upload a file that is missing remotely or differs; when it differs and timestamps
 * count, upload only if the local file was modified after the remote object was stored.
 */
export function decideSync(input: {
  remote: RemoteEntry | undefined;
  sameContent: boolean;
  localMtimeMs: number;
  ignoreTimestamps: boolean;
}): SyncDecision {
  const { remote, sameContent, localMtimeMs, ignoreTimestamps } = input;
  if (!remote) return { action: "upload", reason: "new" };
  if (sameContent) return { action: "skip", reason: "duplicate" };
  if (!ignoreTimestamps) {
    const remoteMs = Date.parse(
      /[zZ]|[+-]\d\d:?\d\d$/.test(remote.lastModified) ? remote.lastModified : `${remote.lastModified}Z`,
    );
    // pyrax compares the remote time cut to the second with the local one.
    if (Number.isFinite(remoteMs) && Math.floor(remoteMs / 1000) * 1000 >= localMtimeMs) {
      return { action: "skip", reason: "older" };
    }
  }
  return { action: "upload", reason: "changed" };
}

/** Remote names under `prefix` with no local file, leaving alone names the ignore patterns match. */
export function extraObjects(
  remoteNames: readonly string[],
  localNames: ReadonlySet<string>,
  ignore: readonly string[],
): string[] {
  return remoteNames.filter((name) => {
    if (localNames.has(name)) return false;
    return !name.split("/").some((part) => matchesAny(part, ignore));
  });
}

/** Whether a local file has the content of a static large object, segment by segment. */
export async function sameAsLargeObject(
  path: string,
  size: number,
  segments: readonly ManifestSegment[],
  signal?: AbortSignal,
): Promise<boolean> {
  if (segments.reduce((sum, s) => sum + s.bytes, 0) !== size) return false;
  let offset = 0;
  for (const segment of segments) {
    if (segment.bytes > 0) {
      const md5 = await md5File(path, { start: offset, end: offset + segment.bytes - 1, signal });
      if (md5 !== segment.hash) return false;
    }
    offset += segment.bytes;
  }
  return true;
}

/**
 * What happened to one file or object during a sync, for `onProgress` (pyrax's `verbose`), with common's
 * Progress in files: `done` of the `total` local files handled; deletions come after, at fraction 1.
 */
export interface SyncEvent extends Progress {
  objName: string;
  action: "uploaded" | "duplicate" | "older" | "failed" | "deleted";
  /** For "failed": the error. */
  error?: Error;
}

/** pyrax's `_sync_summary`, camel-cased, plus each failure's error. */
export interface SyncSummary {
  /** Local files considered (ignored ones excluded). */
  total: number;
  uploaded: number;
  /** Files and folders skipped by the ignore patterns and the hidden-file rule. */
  ignored: number;
  /** Not uploaded: the remote object is newer than the local file. */
  older: number;
  /** Not uploaded: the remote object has the same content. */
  duplicate: number;
  failed: number;
  failureReasons: string[];
  failures: { objName: string; error: Error }[];
  deleted: number;
}

/** What sync needs from the client; an interface so the decision logic can be tested without a server. */
export interface SyncTarget {
  listAll(prefix: string, signal?: AbortSignal): Promise<RemoteEntry[]>;
  largeObjectSegments(name: string, signal?: AbortSignal): Promise<ManifestSegment[]>;
  /** `replacesLargeObject`: the object being replaced is a static large object (its segments must go). */
  upload(file: LocalFile, md5: string | undefined, replacesLargeObject: boolean, signal?: AbortSignal): Promise<void>;
  deleteNames(names: readonly string[], signal?: AbortSignal): Promise<number>;
}

export interface SyncRunOptions extends WalkOptions {
  delete?: boolean;
  ignoreTimestamps?: boolean;
  concurrency: number;
  onProgress?: (event: SyncEvent) => void;
}

type SyncOutcome = Pick<SyncEvent, "objName" | "action" | "error">;

export async function syncFolder(target: SyncTarget, folder: string, options: SyncRunOptions): Promise<SyncSummary> {
  const { signal } = options;
  const ignore = [...(options.ignore ?? [])];
  const walked = await walkFolder(folder, options);
  const prefix = (options.objectPrefix ?? "").replace(/^\/+|\/+$/g, "");
  const listed = await target.listAll(prefix ? `${prefix}/` : "", signal);
  const remote = new Map(listed.map((entry) => [entry.name, entry]));
  const summary: SyncSummary = {
    total: walked.files.length,
    uploaded: 0,
    ignored: walked.ignored,
    older: 0,
    duplicate: 0,
    failed: 0,
    failureReasons: [],
    failures: [],
    deleted: 0,
  };
  const tracker = new ProgressTracker("sync", "files", walked.files.length);
  let handled = 0;
  const emit = (outcome: SyncOutcome, finished = false) =>
    options.onProgress?.({ ...(finished ? tracker.finish(handled) : tracker.report(++handled)), ...outcome });

  const handle = async (file: LocalFile): Promise<void> => {
    const entry = remote.get(file.objName);
    let md5: string | undefined;
    let sameContent = false;
    if (entry?.sloEtag !== undefined) {
      const segments = await target.largeObjectSegments(file.objName, signal);
      sameContent = await sameAsLargeObject(file.path, file.size, segments, signal);
    } else if (entry) {
      md5 = entry.bytes === file.size ? await md5File(file.path, { signal }) : undefined;
      sameContent = md5 !== undefined && md5 === entry.hash;
    }
    const decision = decideSync({
      remote: entry,
      sameContent,
      localMtimeMs: file.mtimeMs,
      ignoreTimestamps: options.ignoreTimestamps ?? false,
    });
    if (decision.action === "skip") {
      summary[decision.reason]++;
      emit({ objName: file.objName, action: decision.reason });
      return;
    }
    await target.upload(file, md5, entry?.sloEtag !== undefined, signal);
    summary.uploaded++;
    emit({ objName: file.objName, action: "uploaded" });
  };

  await eachLimited(walked.files, options.concurrency, async (file) => {
    try {
      await handle(file);
    } catch (error) {
      if (signal?.aborted) throw error;
      const err = error instanceof Error ? error : new Error(String(error));
      summary.failed++;
      summary.failureReasons.push(`${file.objName}: ${err.message}`);
      summary.failures.push({ objName: file.objName, error: err });
      emit({ objName: file.objName, action: "failed", error: err });
    }
  });

  if (options.delete) {
    const local = new Set(walked.files.map((f) => f.objName));
    const extras = extraObjects([...remote.keys()], local, ignore);
    if (extras.length > 0) {
      try {
        summary.deleted = await target.deleteNames(extras, signal);
        for (const objName of extras) emit({ objName, action: "deleted" }, true);
      } catch (error) {
        if (signal?.aborted) throw error;
        const err = error instanceof Error ? error : new Error(String(error));
        summary.failed++;
        summary.failureReasons.push(`deleting extra objects: ${err.message}`);
        summary.failures.push({ objName: extras.join(", ").slice(0, 200), error: err });
      }
    }
  }
  return summary;
}

/** Runs `fn` on each item, at most `limit` at a time; the first rejection stops new work and is thrown. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
}
