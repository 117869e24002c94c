// An image's data: upload (counted, hashed, checked against what Glance stored) and download
// (to a stream, or to a file written whole or not at all, checked against Glance's checksum).
import { createHash, getHashes, randomBytes, type Hash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable, Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ProgressTracker, ValidationError } from "@nimbus-sdk/common";
import { ChecksumMismatch, NotFound, UploadFailed } from "../../errors.js";
import type { GlanceContext } from "./client-api.js";
import { idOf, onImage, recordOf, type ImageRef } from "./image.js";
import type {
  ImageDownloadOptions,
  ImageDownloadResult,
  ImageDownloadTarget,
  ImageRecord,
  ImageUploadOptions,
  ImageUploadSource,
} from "./types.js";

const CHUNK = 64 * 1024;

interface Hashes {
  md5: Hash;
  multihash?: Hash;
  bytes: number;
}

function supportedHash(algorithm: string | null | undefined): string | undefined {
  if (!algorithm) return undefined;
  const name = algorithm.toLowerCase();
  return getHashes().includes(name) ? name : undefined;
}

/**
 * Uploads the image's data (`PUT /v2/images/{id}/file`); the image must be queued and have its
 * disk and container formats. Resolves to the image as Glance then reports it (active). With
 * `verifyChecksum` (default), the MD5 of what was sent must equal Glance's `checksum`, and the
 * SHA-512 its `os_hash_value` when that is the algorithm; else ChecksumMismatch.
 */
export async function upload(
  ctx: GlanceContext,
  image: ImageRef,
  source: ImageUploadSource,
  options: ImageUploadOptions,
): Promise<ImageRecord> {
  const id = idOf(image);
  const known = recordOf(image);
  if (known) {
    for (const field of ["disk_format", "container_format"] as const) {
      if (!known[field]) {
        throw new ValidationError(`upload: image ${id} has no ${field}; set it with update() before uploading data`, {
          field,
        });
      }
    }
  }
  const { body, size, replayable } = await uploadBody(source, options);
  let hashes: Hashes = { md5: createHash("md5"), bytes: 0 };
  const onProgress = options.onProgress;
  const tracker = new ProgressTracker("upload", "bytes", size);
  const counted = (): AsyncIterable<Uint8Array> => {
    // A fresh count per attempt: a retried upload starts again from its first byte.
    const state: Hashes = { md5: createHash("md5"), multihash: createHash("sha512"), bytes: 0 };
    hashes = state;
    return (async function* () {
      for await (const chunk of body()) {
        const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Uint8Array);
        state.md5.update(bytes);
        state.multihash?.update(bytes);
        state.bytes += bytes.byteLength;
        yield bytes;
        onProgress?.({ ...tracker.report(state.bytes), bytes: state.bytes, total: size });
      }
    })();
  };
  const headers: Record<string, string | undefined> = {
    "content-type": "application/octet-stream",
    "content-length": size === undefined ? undefined : String(size),
    "x-image-meta-store": options.store,
  };
  await onImage(id, async () => {
    const response = await ctx.request({
      method: "PUT",
      url: ctx.url("images", id, "file"),
      headers,
      body: replayable ? counted : counted(),
      signal: options.signal,
    });
    await response.dump();
  });

  const after = await ctx.get(id, options.signal);
  if (after.status === "killed") {
    throw new UploadFailed(`Glance accepted the data of image ${id} but marked the image killed; delete it`);
  }
  if (options.verifyChecksum === false) return after;
  const md5 = hashes.md5.digest("hex");
  const sha = hashes.multihash?.digest("hex");
  // Glance takes data once: a corrupt image cannot be fixed by uploading again, only replaced.
  const state =
    `Image ${id} is now ${after.status} with the data Glance stored, which is not what was sent: ` +
    "delete it, create a new image and upload again";
  if (after.checksum && after.checksum.toLowerCase() !== md5) {
    throw new ChecksumMismatch(
      `upload of image ${id}: MD5 of the ${hashes.bytes} bytes sent is ${md5}, Glance stored ${after.checksum}` +
        ` (size ${after.size}). ${state}.`,
    );
  }
  if (sha && after.os_hash_algo?.toLowerCase() === "sha512" && after.os_hash_value?.toLowerCase() !== sha) {
    throw new ChecksumMismatch(
      `upload of image ${id}: SHA-512 of the data sent differs from Glance's os_hash_value. ${state}.`,
    );
  }
  return after;
}

async function uploadBody(
  source: ImageUploadSource,
  options: ImageUploadOptions,
): Promise<{
  body: () => Iterable<Uint8Array> | AsyncIterable<Uint8Array | string>;
  size?: number;
  replayable: boolean;
}> {
  if (typeof source === "string" || source instanceof Uint8Array) {
    const bytes = typeof source === "string" ? Buffer.from(source, "utf8") : source;
    return {
      body: function* () {
        for (let at = 0; at < bytes.byteLength; at += CHUNK) yield bytes.subarray(at, at + CHUNK);
      },
      size: bytes.byteLength,
      replayable: true,
    };
  }
  if (source && typeof source === "object" && "file" in source && typeof source.file === "string") {
    const path = source.file;
    let info;
    try {
      info = await stat(path);
    } catch (cause) {
      throw new ValidationError(`upload: cannot read ${path}: ${(cause as Error).message}`, { field: "file", cause });
    }
    if (!info.isFile()) throw new ValidationError(`upload: ${path} is not a file`, { field: "file" });
    return {
      body: () => createReadStream(path, { highWaterMark: CHUNK, signal: options.signal }),
      size: info.size,
      replayable: true,
    };
  }
  if (source instanceof Readable || (source && typeof source === "object" && Symbol.asyncIterator in source)) {
    if (options.size !== undefined && (!Number.isInteger(options.size) || options.size < 0)) {
      throw new ValidationError(`upload: size must be a whole number >= 0, not ${options.size}`, { field: "size" });
    }
    const stream = source as AsyncIterable<Uint8Array>;
    return { body: () => stream, size: options.size, replayable: false };
  }
  throw new ValidationError("upload: the data must be a string, bytes, a readable stream or { file: path }", {
    field: "data",
  });
}

/**
 * Downloads the image's data to a stream or a file. A file is written under a temporary name and
 * renamed when complete and verified, so it is never left half written. The MD5 of what arrived is
 * checked against Glance's checksum (ChecksumMismatch; a stream target has then already received it).
 */
export async function download(
  ctx: GlanceContext,
  image: ImageRef,
  target: ImageDownloadTarget,
  options: ImageDownloadOptions,
): Promise<ImageDownloadResult> {
  const id = idOf(image);
  const isFile = target !== null && typeof target === "object" && "file" in target && typeof target.file === "string";
  if (!isFile && !(target && typeof (target as Writable).write === "function")) {
    throw new ValidationError("download: the target must be a writable stream or { file: path }", {
      field: "target",
    });
  }
  const known = recordOf(image);
  const response = await onImage(id, () => ctx.request({ url: ctx.url("images", id, "file"), signal: options.signal }));
  if (response.status === 204) {
    await response.dump();
    throw new NotFound(`image ${id} has no data yet${known ? ` (status ${known.status})` : ""}: upload some first`, {
      method: "GET",
      url: ctx.url("images", id, "file").href,
      status: 204,
      requestId: response.requestId,
    });
  }
  const checksum = response.headers["content-md5"] ?? known?.checksum ?? undefined;
  const lengthHeader = response.headers["content-length"];
  const total = lengthHeader === undefined ? (known?.size ?? undefined) : Number(lengthHeader);
  const md5 = createHash("md5");
  const algo = supportedHash(known?.os_hash_algo);
  const multihash = algo && known?.os_hash_value ? createHash(algo) : undefined;
  let bytes = 0;
  const tracker = new ProgressTracker("download", "bytes", total);
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      md5.update(chunk);
      multihash?.update(chunk);
      bytes += chunk.length;
      options.onProgress?.({ ...tracker.report(bytes), bytes, total });
      callback(null, chunk);
    },
  });
  // What differs from what Glance announced, if anything.
  const check = (): { result: ImageDownloadResult; mismatch?: string } => {
    const digest = md5.digest("hex");
    const result: ImageDownloadResult = { bytes, md5: digest, checksum, verified: false };
    if (options.verifyChecksum === false) return { result };
    if (checksum && checksum.toLowerCase() !== digest) {
      return {
        result,
        mismatch: `the MD5 of the ${bytes} bytes received is ${digest}, Glance's checksum ${checksum}`,
      };
    }
    if (multihash && multihash.digest("hex") !== known?.os_hash_value?.toLowerCase()) {
      return { result, mismatch: `the ${algo} of the ${bytes} bytes received differs from Glance's os_hash_value` };
    }
    return { result: { ...result, verified: Boolean(checksum) } };
  };
  const source = response.stream();
  if (isFile) {
    const file = (target as { file: string }).file;
    const partial = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString("hex")}.part`);
    try {
      await pipeline(source, counter, createWriteStream(partial), { signal: options.signal });
      const { result, mismatch } = check();
      if (mismatch) throw new ChecksumMismatch(`download of image ${id}: ${mismatch}; ${file} was not written`);
      await rename(partial, file);
      return result;
    } catch (error) {
      await unlink(partial).catch(() => undefined);
      throw error;
    }
  }
  await pipeline(source, counter, target as Writable, { signal: options.signal, end: options.end ?? true });
  const { result, mismatch } = check();
  if (mismatch) {
    throw new ChecksumMismatch(
      `download of image ${id}: ${mismatch}; the stream has already received that data: discard it`,
    );
  }
  return result;
}
