// Containers: listing, create, get, delete, metadata and ACLs.
import { AwaitablePagedList, ConflictError, NimbusError, ValidationError } from "@nimbus-sdk/common";
import { Conflict, NoSuchContainer, notFoundAs } from "../../errors.js";
import { Container } from "./container.js";
import { containerName, toList, type ContainerRef, type ObjectStoreContext } from "./context.js";
import { LISTING_LIMIT, pager } from "./listing.js";
import { checkInteger, containerPath, validateContainerName, validateMetadata } from "./names.js";
import type {
  CallOptions,
  ContainerAcl,
  ContainerInfo,
  CreateContainerOptions,
  DeleteContainerOptions,
  ListContainersOptions,
  MetadataOptions,
  SetAclOptions,
  SetMetadataOptions,
} from "./types.js";
import { CONTAINER_META_PREFIX, blanked, metadataFromHeaders, prefixKeys, send } from "./wire.js";

interface RawContainerEntry {
  name: string;
  count?: number;
  bytes?: number;
  last_modified?: string;
}

export async function headContainer(
  ctx: ObjectStoreContext,
  cname: string,
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  const response = await notFoundAs(
    send(ctx, { method: "HEAD", url: containerPath(cname), signal }),
    NoSuchContainer,
    `Container '${cname}' doesn't exist`,
  );
  return { ...response.headers };
}

async function postContainer(
  ctx: ObjectStoreContext,
  cname: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<void> {
  await notFoundAs(
    send(ctx, { method: "POST", url: containerPath(cname), headers, signal }),
    NoSuchContainer,
    `Container '${cname}' doesn't exist`,
  );
}

/** One page of `{ name, count, bytes }`. */
export async function listContainersPage(
  ctx: ObjectStoreContext,
  options: Omit<ListContainersOptions, "pageSize">,
): Promise<ContainerInfo[]> {
  const entries =
    (await ctx.read(
      {
        url: ctx.accountUrl,
        query: {
          format: "json",
          prefix: options.prefix,
          marker: options.marker,
          end_marker: options.endMarker,
          limit: options.limit,
        },
        signal: options.signal,
      },
      (response) => response.json<RawContainerEntry[] | undefined>(),
    )) ?? [];
  return entries.map((e) => ({
    name: e.name,
    count: e.count ?? 0,
    bytes: e.bytes ?? 0,
    lastModified: e.last_modified,
  }));
}

export function listContainers(
  ctx: ObjectStoreContext,
  options: ListContainersOptions,
): AwaitablePagedList<Container, string> {
  return new AwaitablePagedList(
    pager(options, async (marker, limit, signal) => {
      const entries = await listContainersPage(ctx, { ...options, marker, limit, signal });
      const items = entries.map(
        (e) => new Container(ctx.client, { name: e.name, objectCount: e.count, totalBytes: e.bytes }),
      );
      return { items, last: entries.at(-1)?.name };
    }),
    { signal: options.signal },
  );
}

export async function listContainersInfo(
  ctx: ObjectStoreContext,
  options: Omit<ListContainersOptions, "pageSize">,
): Promise<ContainerInfo[]> {
  checkInteger(options.limit, "limit", 1, LISTING_LIMIT);
  return listContainersPage(ctx, options);
}

export async function createContainer(
  ctx: ObjectStoreContext,
  name: string,
  options: CreateContainerOptions,
): Promise<Container> {
  const cname = validateContainerName(name, "name");
  let headers: Record<string, string> = {};
  if (options.metadata) {
    validateMetadata(options.metadata);
    headers = prefixKeys(options.metadata, options.prefix ?? CONTAINER_META_PREFIX);
  }
  await send(ctx, { method: "PUT", url: containerPath(cname), headers, signal: options.signal });
  return getContainer(ctx, cname, options);
}

export async function getContainer(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  options: CallOptions,
): Promise<Container> {
  const cname = containerName(container);
  const headers = await headContainer(ctx, cname, options.signal);
  return new Container(ctx.client, {
    name: cname,
    objectCount: Number(headers["x-container-object-count"] ?? 0),
    totalBytes: Number(headers["x-container-bytes-used"] ?? 0),
  });
}

export async function deleteContainer(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  options: DeleteContainerOptions,
): Promise<void> {
  const cname = containerName(container);
  const { signal } = options;
  if (options.delObjects) {
    const names = await ctx.client.listContainerObjectNames(cname, { fullListing: true, signal });
    const result = await ctx.client.bulkDelete(cname, names, { signal });
    if (result.errors.length > 0) {
      throw new NimbusError(
        `Could not delete ${result.errors.length} object(s) of '${cname}': ` +
          result.errors
            .slice(0, 3)
            .map(([name, status]) => `${name} (${status})`)
            .join(", "),
      );
    }
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await notFoundAs(
        send(ctx, { method: "DELETE", url: containerPath(cname), signal }),
        NoSuchContainer,
        `Container '${cname}' doesn't exist`,
      );
      return;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // Right after a bulk delete the container's listing may still count the objects.
      if (options.delObjects && attempt < 5) {
        await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
        continue;
      }
      throw new Conflict(`Container '${cname}' is not empty; pass { delObjects: true } to delete its objects too`, {
        ...error.context,
        cause: error,
      });
    }
  }
}

export async function getContainerMetadata(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  options: MetadataOptions,
): Promise<Record<string, string>> {
  const headers = await headContainer(ctx, containerName(container), options.signal);
  return metadataFromHeaders(headers, options.prefix ?? CONTAINER_META_PREFIX);
}

export async function setContainerMetadata(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  metadata: Readonly<Record<string, string | number>>,
  options: SetMetadataOptions,
): Promise<void> {
  const cname = containerName(container);
  validateMetadata(metadata);
  const prefix = options.prefix ?? CONTAINER_META_PREFIX;
  const headers = options.clear ? blanked(await getContainerMetadata(ctx, cname, options), prefix) : {};
  Object.assign(headers, prefixKeys(metadata, prefix));
  await postContainer(ctx, cname, headers, options.signal);
}

export async function deleteContainerMetadata(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  options: MetadataOptions,
): Promise<void> {
  const cname = containerName(container);
  const prefix = options.prefix ?? CONTAINER_META_PREFIX;
  const headers = blanked(await getContainerMetadata(ctx, cname, options), prefix);
  if (Object.keys(headers).length > 0) await postContainer(ctx, cname, headers, options.signal);
}

export async function getContainerAcl(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  options: CallOptions,
): Promise<ContainerAcl> {
  const headers = await headContainer(ctx, containerName(container), options.signal);
  const split = (value: string | undefined) =>
    (value ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  return { read: split(headers["x-container-read"]), write: split(headers["x-container-write"]) };
}

export async function setContainerAcl(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  acl: SetAclOptions,
  options: CallOptions,
): Promise<void> {
  const cname = containerName(container);
  const headers: Record<string, string> = {};
  for (const which of ["read", "write"] as const) {
    if (acl[which] === undefined) continue;
    const entries = toList(acl[which]);
    for (const entry of entries) {
      if (!entry || /[,\r\n\0]/.test(entry) || /[^\u0020-\u007e]/.test(entry)) {
        throw new ValidationError(`acl.${which}: ${JSON.stringify(entry)} is not a valid ACL entry`, {
          field: `acl.${which}`,
        });
      }
    }
    if (entries.length === 0) headers[`x-remove-container-${which}`] = "x";
    else headers[`x-container-${which}`] = entries.join(",");
  }
  if (Object.keys(headers).length === 0) {
    throw new ValidationError("setContainerAcl needs `read` or `write`", { field: "acl" });
  }
  await postContainer(ctx, cname, headers, options.signal);
}
