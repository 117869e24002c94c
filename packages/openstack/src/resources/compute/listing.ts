// Listings that are arrays when awaited (as novaclient's lists are lists) and page lazily with
// `for await`; pages follow Nova's `*_links` next links, up to an optional total `limit`.
import { AwaitablePagedList, ValidationError, type Page } from "@nimbus-sdk/common";

/** `await list` gives every item in an array; `for await (const x of list)` fetches page by page. */
export class Listing<T> extends AwaitablePagedList<T, Record<string, string[]>> {}

/** Paging options every Nova listing takes. */
export interface PagingOptions {
  /** At most this many items in all (novaclient's `limit`; -1 or undefined: every one). */
  limit?: number;
  /** Start after the item with this id (or name, for key pairs). */
  marker?: string;
  /** Items per request (default: Nova's own maximum, 1000 unless configured). */
  pageSize?: number;
  signal?: AbortSignal;
}

/** A link as Nova lists it beside a collection. */
export interface NovaLink {
  rel: string;
  href: string;
}

/** The query of the `next` link in `links`, if there is one. */
export function nextLinkQuery(links: readonly NovaLink[] | undefined): Record<string, string[]> | undefined {
  const next = links?.find((l) => l.rel === "next");
  if (!next) return undefined;
  const query: Record<string, string[]> = {};
  for (const [key, value] of new URL(next.href, "http://nova.invalid").searchParams) (query[key] ??= []).push(value);
  return query;
}

function checkCount(value: number | undefined, field: string, min: number): void {
  if (value === undefined || (field === "limit" && value === -1)) return;
  if (!Number.isInteger(value) || value < min) {
    throw new ValidationError(`${field} must be a whole number >= ${min}, not ${JSON.stringify(value)}`, { field });
  }
}

/**
 * A Listing over one Nova collection. `fetch(query, signal)` gets one page: its items and the query
 * of the next page (from the next link). `base` holds the filters, sent with every page.
 */
export function novaListing<T>(
  base: Record<string, string | string[] | undefined>,
  options: PagingOptions,
  fetch: (query: Record<string, string | string[]>, signal?: AbortSignal) => Promise<Page<T, Record<string, string[]>>>,
): Listing<T> {
  checkCount(options.limit, "limit", 1);
  checkCount(options.pageSize, "pageSize", 1);
  const total = options.limit === undefined || options.limit === -1 ? Infinity : options.limit;
  const filters: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined) filters[key] = value;
  let seen = 0;
  return new Listing(
    async (cursor, { signal }) => {
      if (cursor === undefined) seen = 0;
      const query: Record<string, string | string[]> = { ...filters, ...cursor };
      if (cursor === undefined && options.marker !== undefined) query.marker = options.marker;
      const size = Math.min(options.pageSize ?? Infinity, total - seen);
      if (size !== Infinity) query.limit = String(size);
      else delete query.limit;
      const page = await fetch(query, signal);
      const items = page.items.slice(0, total - seen);
      seen += items.length;
      return { items, next: seen < total && items.length > 0 ? page.next : undefined };
    },
    { signal: options.signal },
  );
}
