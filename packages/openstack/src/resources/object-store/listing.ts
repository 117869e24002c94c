// Listings: Swift's marker paging as PagedLists, and the objects of a container as StorageObjects.
import { PagedList } from "@nimbus-sdk/common";
import { NoSuchContainer, notFoundAs } from "../../errors.js";
import type { Container } from "./container.js";
import { containerName, containerOf, type ContainerRef, type ObjectStoreContext } from "./context.js";
import { checkInteger, containerPath } from "./names.js";
import { StorageObject, type StorageObjectInfo } from "./storage-object.js";
import type { ListObjectsOptions, ObjectIteratorOptions } from "./types.js";
import { unquoteEtag } from "./wire.js";

/** Swift's largest page (and its default). */
export const LISTING_LIMIT = 10_000;

/** An entry of a container listing (`?format=json`). */
export interface RawObjectEntry {
  name?: string;
  subdir?: string;
  hash?: string;
  bytes?: number;
  content_type?: string;
  last_modified?: string;
  slo_etag?: string;
}

/** A PagedList page function over Swift's marker paging, honouring `marker`, `limit` and `pageSize`. */
export function pager<T>(
  options: { marker?: string; limit?: number; pageSize?: number },
  fetch: (
    marker: string | undefined,
    limit: number,
    signal: AbortSignal | undefined,
  ) => Promise<{ items: T[]; last: string | undefined }>,
): (cursor: string | undefined, page: { signal?: AbortSignal }) => Promise<{ items: T[]; next?: string }> {
  const pageSize = checkInteger(options.pageSize, "pageSize", 1, LISTING_LIMIT) ?? LISTING_LIMIT;
  const limit = checkInteger(options.limit, "limit", 0);
  let remaining = limit;
  return async (cursor, { signal }) => {
    if (cursor === undefined) remaining = limit;
    const size = remaining === undefined ? pageSize : Math.min(pageSize, remaining);
    if (size === 0) return { items: [] };
    const { items, last } = await fetch(cursor ?? options.marker, size, signal);
    if (remaining !== undefined) remaining -= items.length;
    const more = items.length === size && (remaining === undefined || remaining > 0) && last !== undefined;
    return { items, next: more ? last : undefined };
  };
}

/** One page of a container's listing. */
export async function listObjectsPage(
  ctx: ObjectStoreContext,
  cname: string,
  options: {
    prefix?: string;
    delimiter?: string;
    marker?: string;
    endMarker?: string;
    limit?: number;
    signal?: AbortSignal;
  },
): Promise<RawObjectEntry[]> {
  const entries = await notFoundAs(
    ctx.read(
      {
        url: containerPath(cname),
        query: {
          format: "json",
          prefix: options.prefix,
          delimiter: options.delimiter,
          marker: options.marker,
          end_marker: options.endMarker,
          limit: options.limit,
        },
        signal: options.signal,
      },
      (response) => response.json<RawObjectEntry[] | undefined>(),
    ),
    NoSuchContainer,
    `Container '${cname}' doesn't exist`,
  );
  return entries ?? [];
}

function objectFromListing(container: Container, entry: RawObjectEntry): StorageObject {
  const info: StorageObjectInfo =
    entry.subdir !== undefined
      ? {
          name: entry.subdir,
          bytes: 0,
          contentType: "pseudo/subdirectory",
          hash: "",
          lastModified: "",
          isLargeObject: false,
          subdir: true,
        }
      : {
          name: entry.name ?? "",
          bytes: entry.bytes ?? 0,
          contentType: entry.content_type ?? "",
          hash: unquoteEtag(entry.slo_etag) ?? entry.hash ?? "",
          lastModified: entry.last_modified ?? "",
          isLargeObject: entry.slo_etag !== undefined,
          subdir: false,
        };
  return new StorageObject(container, info);
}

export function objectListingIterator(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  options: ObjectIteratorOptions,
): PagedList<StorageObject, string> {
  const cname = containerName(container);
  const owner = containerOf(ctx, container);
  return new PagedList(
    pager(options, async (marker, limit, signal) => {
      const entries = await listObjectsPage(ctx, cname, { ...options, marker, limit, signal });
      return {
        items: entries.map((e) => objectFromListing(owner, e)),
        last: entries.length ? (entries.at(-1)!.name ?? entries.at(-1)!.subdir) : undefined,
      };
    }),
    { signal: options.signal },
  );
}

export async function listContainerObjects(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  options: ListObjectsOptions,
): Promise<StorageObject[]> {
  if (options.fullListing) return objectListingIterator(ctx, container, options).all();
  checkInteger(options.limit, "limit", 1, LISTING_LIMIT);
  const cname = containerName(container);
  const owner = containerOf(ctx, container);
  const entries = await listObjectsPage(ctx, cname, options);
  return entries.map((e) => objectFromListing(owner, e));
}
