// Writing objects: storeObject (text, bytes or a stream in one PUT) and uploadFile (a local file, in
// one PUT or as a static large object; see upload.ts). Either the object is stored and checked, or
// UploadFailed is thrown.
import { createHash } from "node:crypto";
import { basename } from "node:path";
import { Readable } from "node:stream";
import { ValidationError } from "@nimbus-sdk/common";
import type { Container } from "./container.js";
import { containerName, containerOf, type ContainerRef, type ObjectStoreContext } from "./context.js";
import {
  checkHeaderValue,
  checkInteger,
  checkMd5,
  deleteAtSeconds,
  validateContainerName,
  validateMetadata,
  validateObjectName,
} from "./names.js";
import { getObject, objectFromHeaders } from "./objects.js";
import { StorageObject } from "./storage-object.js";
import type { ObjectData, ObjectHeaderOptions, StoreObjectOptions, UploadFileOptions } from "./types.js";
import { putObject, type PutResult } from "./put.js";
import { MAX_SEGMENT_SIZE, uploadFile as uploadLocalFile } from "./upload.js";
import { OBJECT_META_PREFIX, prefixKeys } from "./wire.js";

/** The headers of a stored object from the options shared by storeObject, uploadFile and uploadFolder. */
export function objectHeaders(options: ObjectHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  if (options.headers !== undefined) {
    validateMetadata(options.headers, "headers");
    for (const [name, value] of Object.entries(options.headers)) headers[name.toLowerCase()] = value;
  }
  if (options.metadata !== undefined) {
    validateMetadata(options.metadata);
    Object.assign(headers, prefixKeys(options.metadata, OBJECT_META_PREFIX));
  }
  if (options.contentType !== undefined) headers["content-type"] = checkHeaderValue(options.contentType, "contentType");
  if (options.contentEncoding !== undefined) {
    headers["content-encoding"] = checkHeaderValue(options.contentEncoding, "contentEncoding");
  }
  if (options.ttl !== undefined && options.deleteAt !== undefined) {
    throw new ValidationError("pass either ttl or deleteAt, not both", { field: "ttl" });
  }
  if (options.ttl !== undefined) headers["x-delete-after"] = String(checkInteger(options.ttl, "ttl", 1));
  if (options.deleteAt !== undefined) headers["x-delete-at"] = String(deleteAtSeconds(options.deleteAt));
  return headers;
}

/** Headers with which the server decides what the client cannot know: the object is read back. */
const SERVER_DECIDES = ["x-object-manifest", "x-symlink-target", "x-detect-content-type"];

/**
 * The stored object from the PUT's answer (ETag, Last-Modified) and what was sent (bytes, content
 * type), or undefined when only a HEAD can tell: no content type sent (Swift picks one), a manifest
 * the caller sent, a symlink, content type detection. `large`: the PUT was the manifest of a static
 * large object uploadFile made, whose size (the file's) and ETag (of its segments') it knows.
 */
function objectFromPut(
  container: Container,
  oname: string,
  sent: Record<string, string>,
  put: PutResult,
  bytes: number,
  large = false,
): StorageObject | undefined {
  if (put.fromHead) return objectFromHeaders(container, oname, put.headers);
  const contentType = sent["content-type"];
  const lastModified = put.headers["last-modified"];
  if (contentType === undefined || lastModified === undefined || SERVER_DECIDES.some((h) => h in sent)) {
    return undefined;
  }
  return new StorageObject(container, {
    name: oname,
    bytes,
    contentType,
    hash: put.etag,
    lastModified,
    isLargeObject: large,
    subdir: false,
  });
}

async function* tapChunks(
  source: AsyncIterable<Uint8Array | string>,
  onChunk: (chunk: Buffer) => void,
): AsyncGenerator<Buffer> {
  for await (const piece of source) {
    const chunk =
      typeof piece === "string" ? Buffer.from(piece) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    onChunk(chunk);
    yield chunk;
  }
}

export async function storeObject(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  objName: string,
  data: ObjectData,
  options: StoreObjectOptions,
): Promise<StorageObject | undefined> {
  const cname = containerName(container);
  const oname = validateObjectName(objName, "objName");
  const headers = objectHeaders(options);
  checkInteger(options.contentLength, "contentLength", 0);
  if (options.etag !== undefined) headers.etag = checkMd5(options.etag);
  let body: () => AsyncIterable<Uint8Array>;
  let hash: ReturnType<typeof createHash> | undefined;
  let streamMd5: string | undefined;
  if (typeof data === "string" || data instanceof Uint8Array) {
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    body = () => Readable.from([bytes]);
    headers.etag ??= createHash("md5").update(data).digest("hex");
    headers["content-length"] = String(Buffer.byteLength(data));
  } else if (data && typeof data === "object" && Symbol.asyncIterator in data) {
    const md5 = createHash("md5");
    hash = md5;
    const stream = Readable.from(
      tapChunks(data, (chunk) => md5.update(chunk)),
      { objectMode: false },
    );
    body = () => stream;
    if (options.contentLength !== undefined) headers["content-length"] = String(options.contentLength);
  } else {
    throw new ValidationError("data must be a string, a Uint8Array/Buffer or a stream of bytes", { field: "data" });
  }
  const result = await putObject(ctx, {
    container: cname,
    obj: oname,
    headers,
    body,
    // A stream can be read once: a lost connection is not retried with what is left of it.
    replayable: hash === undefined,
    expectedEtag: () => (hash ? (streamMd5 ??= hash.digest("hex")) : headers.etag),
    signal: options.signal,
  });
  if (options.returnNone) return undefined;
  return (
    objectFromPut(containerOf(ctx, container), oname, headers, result, result.bytesSent) ??
    getObject(ctx, container, oname, { signal: options.signal })
  );
}

export async function uploadFile(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  path: string,
  options: UploadFileOptions,
): Promise<StorageObject> {
  const cname = containerName(container);
  if (typeof path !== "string" || path.length === 0) {
    throw new ValidationError("path must be a file path", { field: "path" });
  }
  const oname = validateObjectName(options.objName ?? basename(path), "objName");
  const headers = objectHeaders(options);
  const segmentSize = checkInteger(options.segmentSize, "segmentSize", 1, MAX_SEGMENT_SIZE) ?? ctx.segmentSize;
  const concurrency = checkInteger(options.concurrency, "concurrency", 1, 64) ?? ctx.concurrency;
  const segmentContainer = validateContainerName(options.segmentContainer ?? `${cname}_segments`, "segmentContainer");
  const result = await uploadLocalFile(ctx, {
    container: cname,
    obj: oname,
    path,
    headers,
    etag: options.etag === undefined ? undefined : checkMd5(options.etag),
    checksum: options.checksum ?? true,
    segmentSize,
    concurrency,
    segmentContainer,
    leaveSegments: options.leaveSegments ?? false,
    onProgress: options.onProgress,
    signal: options.signal,
  });
  const built = objectFromPut(
    containerOf(ctx, container),
    oname,
    headers,
    result,
    result.size,
    result.segmentCount > 0,
  );
  return built ?? getObject(ctx, container, oname, { signal: options.signal });
}
