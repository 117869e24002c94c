// Reading objects: whole, partly, as a stream or into a file, checked against the ETag.
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { NimbusError, ParseError, ProgressTracker, ValidationError, type NimbusResponse } from "@nimbus-sdk/common";
import { ChecksumMismatch, FolderNotFound, NoSuchObject, notFoundAs } from "../../errors.js";
import { containerName, objectName, type ContainerRef, type ObjectRef, type ObjectStoreContext } from "./context.js";
import { checkInteger, objectPath } from "./names.js";
import type { CallOptions, DownloadOptions, FetchObjectOptions, FetchedObject, ObjectStream } from "./types.js";
import { OBJECT_META_PREFIX, isTrue, metadataFromHeaders, unquoteEtag } from "./wire.js";

/** An object's GET (with its range), its label for messages, and its 404 as NoSuchObject. */
function objectGet(container: ContainerRef, obj: ObjectRef, options: FetchObjectOptions) {
  const cname = containerName(container);
  const oname = objectName(obj);
  const headers: Record<string, string> = {};
  if (options.range !== undefined) {
    const offset = checkInteger(options.range.offset, "range.offset", 0)!;
    const length = checkInteger(options.range.length, "range.length", 1);
    headers.range = `bytes=${offset}-${length === undefined ? "" : offset + length - 1}`;
  }
  return {
    request: { url: objectPath(cname, oname), headers, signal: options.signal },
    label: `${cname}/${oname}`,
    notFound: <T>(work: Promise<T>) =>
      notFoundAs(work, NoSuchObject, `Object '${oname}' doesn't exist in container '${cname}'`),
  };
}

/**
 * The MD5 a response's body must have, or undefined when it cannot be checked. Swift sends an ETag
 * with every whole object, so a 200 without one is not Swift's answer (a gateway's page, say) and is
 * refused rather than handed over as the object's bytes.
 */
function expectedMd5(response: NimbusResponse, verify: boolean | undefined, label: string): string | undefined {
  if (verify === false || response.status !== 200) return undefined;
  const { headers } = response;
  if (headers.etag === undefined) {
    throw new ParseError(
      `${label}: the answer has no ETag, which Swift sends with every object (content-type ${headers["content-type"] ?? "none"}); pass verify: false to take it as it is`,
    );
  }
  if (isTrue(headers["x-static-large-object"]) || headers["x-object-manifest"] !== undefined) return undefined;
  const etag = unquoteEtag(headers.etag)?.toLowerCase();
  return etag !== undefined && /^[0-9a-f]{32}$/.test(etag) ? etag : undefined;
}

function checksumMismatch(label: string, expected: string, actual: string): ChecksumMismatch {
  return new ChecksumMismatch(`${label}: the content's MD5 is ${actual} but its ETag is ${expected}`);
}

async function* verifyMd5(source: Readable, expected: string, label: string): AsyncGenerator<Buffer> {
  const hash = createHash("md5");
  for await (const chunk of source) {
    hash.update(chunk as Buffer);
    yield chunk as Buffer;
  }
  const actual = hash.digest("hex");
  if (actual !== expected) throw checksumMismatch(label, expected, actual);
}

export async function fetchObject(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  obj: ObjectRef,
  options: FetchObjectOptions,
): Promise<Buffer | FetchedObject> {
  const { request, label, notFound } = objectGet(container, obj, options);
  // Read whole through ctx.read: a body that fails mid-way is fetched again.
  return notFound(
    ctx.read(request, async (response) => {
      const data = await response.bytes();
      const expected = expectedMd5(response, options.verify, label);
      if (expected !== undefined) {
        const actual = createHash("md5").update(data).digest("hex");
        if (actual !== expected) throw checksumMismatch(label, expected, actual);
      }
      if (!options.includeMeta) return data;
      const headers = { ...response.headers };
      return { data, headers, metadata: metadataFromHeaders(headers, OBJECT_META_PREFIX) };
    }),
  );
}

export async function fetchPartial(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  obj: ObjectRef,
  size: number,
  options: CallOptions,
): Promise<Buffer> {
  checkInteger(size, "size", 1);
  try {
    return (await fetchObject(ctx, container, obj, { ...options, range: { offset: 0, length: size } })) as Buffer;
  } catch (error) {
    // An empty object has no byte 0.
    if (error instanceof NimbusError && error.status === 416) return Buffer.alloc(0);
    throw error;
  }
}

export async function fetchObjectStream(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  obj: ObjectRef,
  options: FetchObjectOptions,
): Promise<ObjectStream> {
  const { request, label, notFound } = objectGet(container, obj, options);
  const response = await notFound(ctx.request(request));
  const headers = { ...response.headers };
  let expected: string | undefined;
  try {
    expected = expectedMd5(response, options.verify, label);
  } catch (error) {
    await response.dump();
    throw error;
  }
  const source = response.stream();
  // A generator, not a Transform: the check runs as the caller reads, so a mismatch is an error
  // on the stream they consume, never an unhandled one on a stream nobody reads yet.
  const stream =
    expected === undefined
      ? source
      : Readable.from(verifyMd5(source, expected, label), { objectMode: false, highWaterMark: 64 * 1024 });
  const length = Number(headers["content-length"]);
  return {
    stream,
    headers,
    metadata: metadataFromHeaders(headers, OBJECT_META_PREFIX),
    bytes: Number.isFinite(length) ? length : undefined,
    contentType: headers["content-type"],
    etag: unquoteEtag(headers.etag),
  };
}

/** The bytes go to a temporary file first, renamed once checked, so a failed download leaves nothing. */
export async function downloadObject(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  obj: ObjectRef,
  directory: string,
  options: DownloadOptions,
): Promise<string> {
  const oname = objectName(obj);
  containerName(container);
  const info = await stat(directory).catch(() => undefined);
  if (!info?.isDirectory()) throw new FolderNotFound(`The directory '${directory}' does not exist.`);
  const target = options.structure === false ? join(directory, basename(oname)) : join(directory, ...oname.split("/"));
  if (!resolve(target).startsWith(resolve(directory))) {
    throw new ValidationError(`object '${oname}' would be written outside '${directory}'`, { field: "obj" });
  }
  await mkdir(dirname(target), { recursive: true });
  const { stream, bytes: total } = await fetchObjectStream(ctx, container, obj, options);
  const partial = `${target}.${randomUUID().slice(0, 8)}.part`;
  const { onProgress } = options;
  const tracker = new ProgressTracker("download", "bytes", total);
  let received = 0;
  const counted = async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      received += chunk.length;
      onProgress?.(tracker.report(received));
      yield chunk;
    }
  };
  try {
    await pipeline(stream, counted, createWriteStream(partial), { signal: options.signal });
    onProgress?.(tracker.finish(received));
    await rename(partial, target);
  } catch (error) {
    await unlink(partial).catch(() => undefined);
    throw error;
  }
  return target;
}
