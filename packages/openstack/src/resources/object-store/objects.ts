// Objects already stored: their properties, metadata, expiry, copy, move and delete.
import { NimbusError, ValidationError } from "@nimbus-sdk/common";
import { NoSuchObject, notFoundAs } from "../../errors.js";
import type { Container } from "./container.js";
import {
  containerName,
  containerOf,
  objectName,
  type ContainerRef,
  type ObjectRef,
  type ObjectStoreContext,
} from "./context.js";
import {
  absoluteObjectPath,
  checkHeaderValue,
  checkInteger,
  deleteAtSeconds,
  objectPath,
  validateMetadata,
  validateObjectName,
} from "./names.js";
import { StorageObject } from "./storage-object.js";
import type {
  CallOptions,
  CopyObjectOptions,
  DeleteObjectOptions,
  MetadataOptions,
  MoveObjectOptions,
  SetMetadataOptions,
} from "./types.js";
import {
  OBJECT_META_PREFIX,
  bulkDeletePaths,
  isTrue,
  metadataFromHeaders,
  prefixKeys,
  send,
  unquoteEtag,
  type BulkDeleteResult,
} from "./wire.js";

/** Headers an object POST replaces; kept when metadata is updated (Swift's object-server allowed_headers). */
const PRESERVED_OBJECT_HEADERS = [
  "content-disposition",
  "content-encoding",
  "cache-control",
  "content-language",
  "expires",
  "x-robots-tag",
  "x-delete-at",
  "x-object-manifest",
];

export async function headObject(
  ctx: ObjectStoreContext,
  cname: string,
  oname: string,
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  const response = await notFoundAs(
    send(ctx, { method: "HEAD", url: objectPath(cname, oname), signal }),
    NoSuchObject,
    `Object '${oname}' doesn't exist in container '${cname}'`,
  );
  return { ...response.headers };
}

/** The object a HEAD (or a GET) describes. */
export function objectFromHeaders(container: Container, oname: string, headers: Record<string, string>): StorageObject {
  const large = isTrue(headers["x-static-large-object"]) || headers["x-object-manifest"] !== undefined;
  return new StorageObject(container, {
    name: oname,
    bytes: Number(headers["content-length"] ?? 0),
    contentType: headers["content-type"] ?? "",
    hash: unquoteEtag(headers.etag) ?? "",
    lastModified: headers["last-modified"] ?? "",
    isLargeObject: large,
    subdir: false,
  });
}

export async function getObject(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  obj: ObjectRef,
  options: CallOptions,
): Promise<StorageObject> {
  const cname = containerName(container);
  const oname = objectName(obj);
  const headers = await headObject(ctx, cname, oname, options.signal);
  return objectFromHeaders(containerOf(ctx, container), oname, headers);
}

export async function deleteObject(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  obj: ObjectRef,
  options: DeleteObjectOptions,
): Promise<void> {
  const cname = containerName(container);
  const oname = objectName(obj);
  const { signal } = options;
  let multipart = false;
  if (!options.leaveSegments) {
    const headers = await headObject(ctx, cname, oname, signal);
    multipart = isTrue(headers["x-static-large-object"]);
  }
  const response = await notFoundAs(
    ctx.request({
      method: "DELETE",
      url: objectPath(cname, oname),
      query: multipart ? { "multipart-manifest": "delete" } : undefined,
      headers: multipart ? { accept: "application/json" } : undefined,
      signal,
    }),
    NoSuchObject,
    `Object '${oname}' doesn't exist in container '${cname}'`,
  );
  if (!multipart) return response.dump();
  const body = (await response.json<{ "Response Status"?: string; Errors?: [string, string][] }>()) ?? {};
  const status = body["Response Status"] ?? "200 OK";
  if (!status.startsWith("2")) {
    const errors = (body.Errors ?? []).map(([name, why]) => `${name} (${why})`).join(", ");
    throw new NimbusError(
      `Deleting the large object ${cname}/${oname} failed: ${status}${errors ? `: ${errors}` : ""}`,
    );
  }
}

export async function deleteObjectInSeconds(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  obj: ObjectRef,
  seconds: number,
  options: CallOptions,
): Promise<void> {
  checkInteger(seconds, "seconds", 1);
  await setObjectMetadata(
    ctx,
    container,
    obj,
    { "X-Delete-At": "", "X-Delete-After": seconds },
    { prefix: "", signal: options.signal },
  );
}

export async function deleteObjectAt(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  obj: ObjectRef,
  when: Date | number,
  options: CallOptions,
): Promise<void> {
  await setObjectMetadata(
    ctx,
    container,
    obj,
    { "X-Delete-At": deleteAtSeconds(when) },
    { prefix: "", signal: options.signal },
  );
}

export async function copyObject(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  obj: ObjectRef,
  newContainer: ContainerRef,
  options: CopyObjectOptions,
): Promise<string> {
  const cname = containerName(container);
  const oname = objectName(obj);
  const target = containerName(newContainer, "newContainer");
  const newName = validateObjectName(options.newObjName ?? oname, "newObjName");
  if (target === cname && newName === oname && options.contentType === undefined) {
    throw new ValidationError("copying an object onto itself needs `newObjName` or `contentType`", {
      field: "newObjName",
    });
  }
  const headers: Record<string, string> = {
    "x-copy-from": absoluteObjectPath(cname, oname),
    "content-length": "0",
  };
  if (options.contentType !== undefined) headers["content-type"] = checkHeaderValue(options.contentType, "contentType");
  const response = await notFoundAs(
    ctx.request({ method: "PUT", url: objectPath(target, newName), headers, signal: options.signal }),
    NoSuchObject,
    `Object '${oname}' doesn't exist in container '${cname}' (or container '${target}' doesn't exist)`,
  );
  await response.dump();
  return unquoteEtag(response.headers.etag) ?? "";
}

export async function moveObject(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  obj: ObjectRef,
  newContainer: ContainerRef,
  options: MoveObjectOptions,
): Promise<string | StorageObject> {
  const etag = await copyObject(ctx, container, obj, newContainer, options);
  await deleteObject(ctx, container, obj, { signal: options.signal });
  if (!options.newReference) return etag;
  return getObject(ctx, newContainer, options.newObjName ?? objectName(obj), { signal: options.signal });
}

export async function changeObjectContentType(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  obj: ObjectRef,
  newContentType: string,
  options: CallOptions,
): Promise<void> {
  checkHeaderValue(newContentType, "newContentType");
  await setObjectMetadata(
    ctx,
    container,
    obj,
    { "Content-Type": newContentType },
    { prefix: "", signal: options.signal },
  );
}

export async function getObjectMetadata(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  obj: ObjectRef,
  options: MetadataOptions,
): Promise<Record<string, string>> {
  const headers = await headObject(ctx, containerName(container), objectName(obj), options.signal);
  return metadataFromHeaders(headers, options.prefix ?? OBJECT_META_PREFIX);
}

/**
 * Swift replaces all of an object's metadata on each POST, so the current metadata (and
 * Content-Disposition, X-Delete-At …) is read and sent again unless `clear`.
 */
export async function setObjectMetadata(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  obj: ObjectRef,
  metadata: Readonly<Record<string, string | number>>,
  options: SetMetadataOptions,
): Promise<void> {
  const cname = containerName(container);
  const oname = objectName(obj);
  validateMetadata(metadata);
  const current = await headObject(ctx, cname, oname, options.signal);
  const headers: Record<string, string> = {};
  for (const name of PRESERVED_OBJECT_HEADERS) if (current[name] !== undefined) headers[name] = current[name];
  if (!options.clear) {
    for (const [name, value] of Object.entries(current)) if (name.startsWith("x-object-meta-")) headers[name] = value;
  }
  Object.assign(headers, prefixKeys(metadata, options.prefix ?? OBJECT_META_PREFIX));
  for (const [name, value] of Object.entries(headers)) if (value === "") delete headers[name];
  await notFoundAs(
    send(ctx, { method: "POST", url: objectPath(cname, oname), headers, signal: options.signal }),
    NoSuchObject,
    `Object '${oname}' doesn't exist in container '${cname}'`,
  );
}

export async function bulkDelete(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  objectNames: readonly string[],
  options: CallOptions,
): Promise<BulkDeleteResult> {
  const cname = containerName(container);
  if (!Array.isArray(objectNames)) throw new ValidationError("objectNames must be an array", { field: "objectNames" });
  const paths = objectNames.map((name, i) => absoluteObjectPath(cname, validateObjectName(name, `objectNames[${i}]`)));
  if (paths.length === 0) return { deleted: 0, notFound: 0, status: "200 OK", errors: [] };
  return bulkDeletePaths(ctx, paths, options);
}
