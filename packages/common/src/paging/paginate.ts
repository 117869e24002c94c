import { AbortError, NimbusError } from "../errors/index.js";

/** One page of a paged listing, and how to ask for the next. */
export interface Page<T, C> {
  items: readonly T[];
  /** The cursor of the next page (a marker, an offset, a URL); undefined on the last page. */
  next?: C;
}

/**
 * A listing that can be awaited page by page or iterated item by item with `for await`; pages are
 * fetched lazily, one at a time, and `signal` stops between pages.
 */
export class PagedList<T, C> implements AsyncIterable<T> {
  readonly #fetchPage: (cursor: C | undefined, options: { signal?: AbortSignal }) => Promise<Page<T, C>>;
  readonly #signal?: AbortSignal;

  constructor(
    fetchPage: (cursor: C | undefined, options: { signal?: AbortSignal }) => Promise<Page<T, C>>,
    options: { signal?: AbortSignal } = {},
  ) {
    this.#fetchPage = fetchPage;
    this.#signal = options.signal;
  }

  /** Each page in turn. */
  async *pages(): AsyncGenerator<readonly T[]> {
    let cursor: C | undefined;
    const seen = new Set<string>();
    for (;;) {
      if (this.#signal?.aborted) throw new AbortError("the listing was cancelled", { cause: this.#signal.reason });
      const page = await this.#fetchPage(cursor, { signal: this.#signal });
      // A server that only learns it is done by fetching one page more (a full last page) answers
      // with an empty one: that page is not shown, unless it is the only one.
      if (page.items.length > 0 || cursor === undefined) yield page.items;
      cursor = page.next;
      if (cursor === undefined) break;
      // A server that hands back a cursor it already gave would make this loop for ever; stopping
      // quietly would hide that the listing is incomplete.
      const key = typeof cursor === "object" ? JSON.stringify(cursor) : String(cursor);
      if (seen.has(key)) {
        // A next-link's query may be signed: only its path is named.
        const shown = key.replace(/\?.*$/, "?…");
        throw new NimbusError(`the server returned the page cursor ${shown} twice; the listing cannot go on`);
      }
      seen.add(key);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const items of this.pages()) yield* items;
  }

  /** Every item of every page, in one array. */
  async all(): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this) out.push(item);
    return out;
  }
}

/**
 * A PagedList that is also awaitable: `await list` gives every item in one array (as the Python SDKs'
 * lists are lists), while `for await` still fetches page by page. The array is fetched once.
 */
export class AwaitablePagedList<T, C> extends PagedList<T, C> implements PromiseLike<T[]> {
  #all?: Promise<T[]>;

  then<R1 = T[], R2 = never>(
    onFulfilled?: ((value: T[]) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.#all ??= this.all();
    return this.#all.then(onFulfilled, onRejected);
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T[] | R> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<T[]> {
    return this.then().finally(onFinally);
  }
}
