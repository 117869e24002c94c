// uploadFile: a file up to the segment size goes in one PUT whose ETag (the file's MD5) the server
// checks; a larger one becomes a static large object: segments streamed from the file (never held
// in memory), hashed as they are sent and checked against the server's ETag, a few at a time, then
// a manifest the server checks again. If anything fails, the segments already sent are deleted
// (kept only while the manifest may still be stored) and UploadFailed is thrown, whose outcome
// says what is known of the object (see put.ts).
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { AbortError, NimbusError, ProgressTracker, ValidationError, type Progress } from "@nimbus-sdk/common";
import {
  ChecksumMismatch,
  FileNotFound,
  InvalidObjectName,
  NoSuchContainer,
  notFoundAs,
  UploadFailed,
  type UploadOutcome,
} from "../../errors.js";
import { MAX_OBJECT_NAME_BYTES, absoluteObjectPath, containerPath, objectPath } from "./names.js";
import { putObject, uploadFailed, type PutResult } from "./put.js";
import {
  anySignal,
  bulkDeletePaths,
  encodeManifestName,
  fetchSloManifest,
  isTrue,
  unquoteEtag,
  type SwiftContext,
} from "./wire.js";

/** Files up to this size go in one PUT (1 GiB); larger ones are split into segments of this size. */
export const DEFAULT_SEGMENT_SIZE = 1024 ** 3;
/** Swift's largest object, so the largest segment (5 GiB). */
export const MAX_SEGMENT_SIZE = 5 * 1024 ** 3;
/** Swift's default max_manifest_segments. */
export const MAX_SEGMENTS = 1000;
/** How many segments of a large upload are sent at once by default. */
export const DEFAULT_UPLOAD_CONCURRENCY = 4;

export interface SegmentPlan {
  index: number;
  offset: number;
  length: number;
}

/** How a large file is uploaded: the segment size and count, and whether a manifest joins the segments. */
export interface UploadPlan {
  /** The segment size used: the one asked for, raised when the file would need more than `maxSegments`. */
  segmentSize: number;
  /** Empty when the file goes in one PUT. */
  segments: SegmentPlan[];
}

/** Splits `size` bytes into segments; pure, for tests. */
export function planSegments(size: number, segmentSize = DEFAULT_SEGMENT_SIZE, maxSegments = MAX_SEGMENTS): UploadPlan {
  if (size <= segmentSize) return { segmentSize, segments: [] };
  let chosen = segmentSize;
  if (Math.ceil(size / chosen) > maxSegments) chosen = Math.ceil(size / maxSegments);
  if (chosen > MAX_SEGMENT_SIZE) {
    throw new ValidationError(
      `a file of ${size} bytes needs more than ${maxSegments} segments of at most ${MAX_SEGMENT_SIZE} bytes`,
      { field: "segmentSize" },
    );
  }
  const segments: SegmentPlan[] = [];
  for (let offset = 0, index = 0; offset < size; offset += chosen, index++) {
    segments.push({ index, offset, length: Math.min(chosen, size - offset) });
  }
  return { segmentSize: chosen, segments };
}

/** swiftclient's segment naming: `<object>/slo/<timestamp>/<size>/<segment size>/<index, 8 digits>`. */
export function segmentName(obj: string, timestamp: string, size: number, segmentSize: number, index: number): string {
  return `${obj}/slo/${timestamp}/${size}/${segmentSize}/${String(index).padStart(8, "0")}`;
}

/** The ETag Swift gives a static large object: the MD5 of its segments' ETags, concatenated. */
export function sloEtag(segmentEtags: readonly string[]): string {
  return createHash("md5").update(segmentEtags.join(""), "ascii").digest("hex");
}

/**
 * Bytes per read from a file being hashed or sent: node's default 64 KiB costs about 0.5 s of client CPU
 * (and 0.2 s of Swift's) per GiB in per-chunk overhead (bench/scenarios/openstack-large-upload.mjs).
 */
const FILE_READ_BYTES = 1024 * 1024;

/** The MD5 of a file, or of its bytes `start..end` (inclusive), read as a stream. */
export async function md5File(
  path: string,
  options: { start?: number; end?: number; signal?: AbortSignal } = {},
): Promise<string> {
  const hash = createHash("md5");
  const stream = createReadStream(path, {
    start: options.start,
    end: options.end,
    signal: options.signal,
    highWaterMark: FILE_READ_BYTES,
  });
  try {
    for await (const chunk of stream) hash.update(chunk as Buffer);
  } catch (error) {
    if (options.signal?.aborted)
      throw new AbortError(`reading ${path} was cancelled`, { cause: options.signal.reason });
    throw error;
  }
  return hash.digest("hex");
}

/** A fresh stream of `path` (or part of it) that feeds `onChunk` as it is read. */
export function tappedFileStream(
  path: string,
  range: { start: number; end: number } | undefined,
  onChunk: (chunk: Buffer) => void,
): Readable {
  const source = createReadStream(path, { ...range, highWaterMark: FILE_READ_BYTES });
  async function* tap(): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      onChunk(chunk as Buffer);
      yield chunk as Buffer;
    }
  }
  return Readable.from(tap(), { objectMode: false });
}

/** common's Progress (bytes; its fraction never goes back) with the upload's own counters. */
export interface UploadProgress extends Progress {
  /** Bytes sent so far (a retried part counts again from zero). */
  bytesUploaded: number;
  totalBytes: number;
  /** Segments stored and checked; for a single PUT, 0 then 1. */
  partsDone: number;
  /** 1 for a single PUT. */
  partCount: number;
}

export interface UploadFileRequest {
  container: string;
  obj: string;
  path: string;
  /** Headers of the final object: content type, metadata, delete-after/at … (lower-case names). */
  headers: Record<string, string>;
  /** The file's MD5 when the caller knows it (saves reading a small file twice). */
  etag?: string;
  /** Hash what is sent and compare it with the server's ETags (default true). */
  checksum: boolean;
  segmentSize: number;
  concurrency: number;
  segmentContainer: string;
  /** Keep the segments of the object this upload replaces (default: delete them once the new one is stored). */
  leaveSegments: boolean;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

/** The final PUT's result (for a large object, its manifest's: the ETag is the MD5 of the segments' ETags). */
export interface UploadResult extends PutResult {
  size: number;
  /** 0 when the file went in one PUT. */
  segmentCount: number;
}

interface StoredSegment {
  name: string;
  etag: string;
  size: number;
}

/** Uploads a local file as one object or as a static large object; see the module comment. */
export async function uploadFile(ctx: SwiftContext, request: UploadFileRequest): Promise<UploadResult> {
  const { container, obj, path, signal } = request;
  const info = await statFile(path);
  const size = info.size;
  const plan = planSegments(size, request.segmentSize);

  // The object this upload replaces may be a large object whose segments would be orphaned.
  const previous = request.leaveSegments ? undefined : await previousSegments(ctx, container, obj, signal);

  const outcome =
    plan.segments.length === 0
      ? await singlePut(ctx, request, size)
      : await segmentedPut(ctx, request, plan, size, info.mtimeMs);

  if (previous && previous.length > 0) {
    const kept = new Set(outcome.segmentNames);
    const stale = previous.filter((name) => !kept.has(name)).map(encodeManifestName);
    // Best effort: the new object is stored; stale segments only cost space.
    await deleteQuietly(ctx, stale).catch(() => undefined);
  }
  return { ...outcome, size, segmentCount: plan.segments.length };
}

async function statFile(path: string): Promise<{ size: number; mtimeMs: number }> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileNotFound(
      code === "ENOENT" ? `The file '${path}' does not exist.` : `The file '${path}' cannot be read (${code}).`,
      { cause: error },
    );
  }
  if (!info.isFile()) throw new FileNotFound(`'${path}' is not a file.`);
  return { size: info.size, mtimeMs: info.mtimeMs };
}

async function previousSegments(
  ctx: SwiftContext,
  container: string,
  obj: string,
  signal?: AbortSignal,
): Promise<string[] | undefined> {
  const head = await ctx.request({ method: "HEAD", url: objectPath(container, obj), okStatuses: [404], signal });
  await head.dump();
  if (head.status === 404 || !isTrue(head.headers["x-static-large-object"])) return undefined;
  const manifest = await fetchSloManifest(ctx, objectPath(container, obj), { signal });
  return manifest.map((segment) => segment.name);
}

interface PutOutcome extends PutResult {
  /** Decoded `/container/object` names of the new segments. */
  segmentNames: string[];
}

async function singlePut(ctx: SwiftContext, request: UploadFileRequest, size: number): Promise<PutOutcome> {
  const { container, obj, path, signal, onProgress } = request;
  let sent = 0;
  const tracker = new ProgressTracker("upload", "bytes", size);
  const report = () =>
    onProgress?.({ ...tracker.report(sent), bytesUploaded: sent, totalBytes: size, partsDone: 0, partCount: 1 });
  let md5: string | undefined;
  try {
    md5 = request.etag ?? (request.checksum ? await md5File(path, { signal }) : undefined);
  } catch (error) {
    throw uploadFailed(`${container}/${obj}`, error, "not-stored", "; it failed before anything was sent");
  }
  const result = await putObject(ctx, {
    container,
    obj,
    headers: { ...request.headers, "content-length": String(size), ...(md5 ? { etag: md5 } : {}) },
    body: () => {
      sent = 0;
      return tappedFileStream(path, undefined, (chunk) => {
        sent += chunk.length;
        report();
      });
    },
    expectedEtag: () => md5,
    signal,
  });
  onProgress?.({ ...tracker.finish(size), bytesUploaded: size, totalBytes: size, partsDone: 1, partCount: 1 });
  return { ...result, segmentNames: [] };
}

async function segmentedPut(
  ctx: SwiftContext,
  request: UploadFileRequest,
  plan: UploadPlan,
  size: number,
  mtimeMs: number,
): Promise<PutOutcome> {
  const { container, obj, path, segmentContainer, onProgress } = request;
  const timestamp = (Date.now() / 1000).toFixed(6);
  const names = plan.segments.map((s) => segmentName(obj, timestamp, size, plan.segmentSize, s.index));
  const longest = names.at(-1) ?? "";
  if (Buffer.byteLength(longest) > MAX_OBJECT_NAME_BYTES) {
    throw new InvalidObjectName(
      `Invalid object name ${JSON.stringify(obj)}: its segment names (${longest.length} characters) would exceed ` +
        `${MAX_OBJECT_NAME_BYTES} bytes; use a shorter name`,
      { field: "obj" },
    );
  }

  // Before sending gigabytes, make sure the manifest will have somewhere to go.
  const head = await notFoundAs(
    ctx.request({ method: "HEAD", url: containerPath(container), signal: request.signal }),
    NoSuchContainer,
    `Container '${container}' doesn't exist`,
  );
  await head.dump();

  // Segments expire with the object: X-Delete-After becomes one X-Delete-At for all of them.
  const { "x-delete-after": deleteAfter, ...finalHeaders } = request.headers;
  if (deleteAfter !== undefined)
    finalHeaders["x-delete-at"] = String(Math.floor(Date.now() / 1000) + Number(deleteAfter));
  const segmentHeaders: Record<string, string> = { "content-type": "application/octet-stream" };
  if (finalHeaders["x-delete-at"] !== undefined) segmentHeaders["x-delete-at"] = finalHeaders["x-delete-at"];

  const controller = new AbortController();
  const signal = anySignal(request.signal, controller.signal);
  let manifestSent = false;
  let expected = "";
  const started: string[] = [];
  const stored: StoredSegment[] = new Array(plan.segments.length);
  const sent = new Array<number>(plan.segments.length).fill(0);
  let done = 0;
  let failure: unknown;
  const tracker = new ProgressTracker("upload", "bytes", size);
  const partCount = plan.segments.length;
  const report = () => {
    const bytesUploaded = sent.reduce((a, b) => a + b, 0);
    onProgress?.({ ...tracker.report(bytesUploaded), bytesUploaded, totalBytes: size, partsDone: done, partCount });
  };

  const putSegment = async (segment: SegmentPlan): Promise<StoredSegment> => {
    const name = names[segment.index]!;
    // Without checksums the server's ETag goes into the manifest as it is (nothing is compared).
    let hash: Hash | undefined;
    const response = await ctx.request({
      method: "PUT",
      url: objectPath(segmentContainer, name),
      headers: { ...segmentHeaders, "content-length": String(segment.length) },
      body: () => {
        hash = request.checksum ? createHash("md5") : undefined;
        sent[segment.index] = 0;
        return tappedFileStream(path, { start: segment.offset, end: segment.offset + segment.length - 1 }, (chunk) => {
          hash?.update(chunk);
          sent[segment.index]! += chunk.length;
          report();
        });
      },
      signal,
    });
    await response.dump();
    const etag = unquoteEtag(response.headers.etag);
    const md5 = hash?.digest("hex") ?? etag ?? "";
    if (etag !== md5) {
      throw new ChecksumMismatch(
        `segment ${segmentContainer}/${name}: the server stored ETag ${etag}, we sent MD5 ${md5}`,
      );
    }
    return { name, etag: md5, size: segment.length };
  };

  try {
    await ensureContainer(ctx, segmentContainer, signal);
    const queue = [...plan.segments];
    const worker = async () => {
      while (failure === undefined && queue.length > 0) {
        const segment = queue.shift()!;
        started.push(names[segment.index]!);
        try {
          stored[segment.index] = await putSegment(segment);
          done++;
          report();
        } catch (error) {
          failure ??= error;
          controller.abort(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(request.concurrency, plan.segments.length) }, worker));
    if (failure !== undefined) throw failure;

    const after = await stat(path);
    if (after.size !== size || after.mtimeMs !== mtimeMs) {
      throw new NimbusError(`the file '${path}' changed while it was being uploaded`);
    }

    const manifest = stored.map((s) => ({ path: `/${segmentContainer}/${s.name}`, etag: s.etag, size_bytes: s.size }));
    expected = sloEtag(stored.map((s) => s.etag));
    const { "content-length": _ignored, etag: _etag, ...headers } = finalHeaders;
    manifestSent = true;
    const manifestBody = Buffer.from(JSON.stringify(manifest));
    const result = await putObject(ctx, {
      container,
      obj,
      query: { "multipart-manifest": "put" },
      headers: { ...headers, etag: expected, "content-length": String(manifestBody.length) },
      body: () => Readable.from([manifestBody]),
      expectedEtag: () => expected,
      // The proxy HEADs every segment before it answers.
      timeout: 60_000 + plan.segments.length * 200,
      signal: request.signal,
    });
    onProgress?.({ ...tracker.finish(size), bytesUploaded: size, totalBytes: size, partsDone: done, partCount });
    return { ...result, segmentNames: stored.map((s) => `/${segmentContainer}/${s.name}`) };
  } catch (error) {
    if (error instanceof NoSuchContainer) throw error;
    const label = `${container}/${obj}`;
    // Before the manifest went out nothing was written under the object's name. After, put.ts has
    // checked what the server holds, except on cancel: then our manifest, if stored, is removed
    // before its segments go, so no broken object remains.
    let outcome: UploadOutcome = "not-stored";
    let removed = "";
    if (manifestSent) {
      outcome = error instanceof UploadFailed ? error.outcome : "unknown";
      if (error instanceof AbortError || (error instanceof UploadFailed && error.cause instanceof AbortError)) {
        outcome = await removeOwnManifest(ctx, container, obj, expected);
        if (outcome === "not-stored") removed = "; the manifest the server had stored was deleted";
      }
    }
    if (outcome === "unknown") {
      // The manifest may still be stored: its segments stay, so that object would be whole.
      const note = `; its ${started.length} segment(s) were kept in '${segmentContainer}' in case the server stores the manifest`;
      throw uploadFailed(label, error, outcome, note);
    }
    const paths = started.map((name) => absoluteObjectPath(segmentContainer, name));
    const left = await deleteQuietly(ctx, paths);
    const note =
      removed +
      (left.length === 0
        ? started.length > 0
          ? `; the ${started.length} segment(s) already sent were deleted`
          : ""
        : `; ${left.length} segment(s) could not be deleted from '${segmentContainer}' (${left.slice(0, 3).join(", ")}${left.length > 3 ? ", …" : ""})`);
    throw uploadFailed(label, error, outcome, note);
  }
}

/** After a cancel: removes the manifest if the server stored it; "not-stored" only when that is certain. */
async function removeOwnManifest(
  ctx: SwiftContext,
  container: string,
  obj: string,
  etag: string,
): Promise<UploadOutcome> {
  const signal = AbortSignal.timeout(30_000);
  try {
    const head = await ctx.request({ method: "HEAD", url: objectPath(container, obj), okStatuses: [404], signal });
    await head.dump();
    // Not there (yet): the server may still be storing it.
    if (head.status === 404 || unquoteEtag(head.headers.etag) !== etag) return "unknown";
    const response = await ctx.request({
      method: "DELETE",
      url: objectPath(container, obj),
      okStatuses: [404],
      signal,
    });
    await response.dump();
    return "not-stored";
  } catch {
    return "unknown";
  }
}

async function ensureContainer(ctx: SwiftContext, container: string, signal?: AbortSignal): Promise<void> {
  const response = await ctx.request({ method: "PUT", url: containerPath(container), signal });
  await response.dump();
}

/** Deletes encoded paths, by bulk delete when the cloud has it, else one by one; returns those left. */
export async function deleteQuietly(ctx: SwiftContext, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  // Cleanup runs after the caller's signal may have fired; it gets its own time limit.
  const signal = AbortSignal.timeout(120_000);
  try {
    const result = await bulkDeletePaths(ctx, paths, { signal });
    if (result.errors.length === 0) return [];
  } catch {
    // Fall back to single deletes below.
  }
  const left: string[] = [];
  for (const path of paths) {
    try {
      const response = await ctx.request({ method: "DELETE", url: path.replace(/^\//, ""), okStatuses: [404], signal });
      await response.dump();
    } catch {
      left.push(path);
    }
  }
  return left;
}
