import { describe, expect, it, jest } from "@jest/globals";
import { AbortError, NimbusError } from "../src/errors/index.js";
import { type Page, PagedList } from "../src/paging/paginate.js";

/** Pages of `size` numbers up to `total`, with the next offset as cursor. */
function numbers(total: number, size: number) {
  return jest.fn(
    async (cursor: number | undefined, _options: { signal?: AbortSignal }): Promise<Page<number, number>> => {
      const start = cursor ?? 0;
      const items = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => start + i);
      return { items, next: start + size < total ? start + size : undefined };
    },
  );
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe("PagedList", () => {
  it("iterates over every item with for await, passing each cursor in turn", async () => {
    const fetchPage = numbers(7, 3);
    expect(await collect(new PagedList(fetchPage))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(fetchPage.mock.calls.map(([cursor]) => cursor)).toEqual([undefined, 3, 6]);
  });

  it("gives the pages themselves", async () => {
    expect(await collect(new PagedList(numbers(5, 2)).pages())).toEqual([[0, 1], [2, 3], [4]]);
  });

  it("collects everything with all()", async () => {
    const fetchPage = numbers(10, 4);
    expect(await new PagedList(fetchPage).all()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fetchPage).toHaveBeenCalledTimes(3);
  });

  it("does not show the empty page a server answers after a full last page", async () => {
    const full = async (cursor: number | undefined): Promise<Page<number, number>> => {
      const start = cursor ?? 0;
      const items = start < 4 ? [start, start + 1] : [];
      return { items, next: items.length === 2 ? start + 2 : undefined };
    };
    expect(await collect(new PagedList(full).pages())).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(await collect(new PagedList(async () => ({ items: [] as number[] })).pages())).toEqual([[]]);
  });

  it("handles an empty listing", async () => {
    const fetchPage = numbers(0, 5);
    expect(await new PagedList(fetchPage).all()).toEqual([]);
    expect(fetchPage).toHaveBeenCalledTimes(1);
  });

  it("fetches nothing until iterated, and no page beyond the one it stops in", async () => {
    const fetchPage = numbers(100, 10);
    const list = new PagedList(fetchPage);
    expect(fetchPage).not.toHaveBeenCalled();
    const seen: number[] = [];
    for await (const n of list) {
      seen.push(n);
      if (n === 14) break;
    }
    expect(seen).toHaveLength(15);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it("fetches a page only when the previous one is used up", async () => {
    const fetchPage = numbers(6, 2);
    const iterator = new PagedList(fetchPage)[Symbol.asyncIterator]();
    await iterator.next();
    expect(fetchPage).toHaveBeenCalledTimes(1);
    await iterator.next();
    expect(fetchPage).toHaveBeenCalledTimes(1);
    await iterator.next();
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it("starts again from the first page on a second iteration", async () => {
    const fetchPage = numbers(4, 2);
    const list = new PagedList(fetchPage);
    expect(await list.all()).toEqual([0, 1, 2, 3]);
    expect(await list.all()).toEqual([0, 1, 2, 3]);
    expect(fetchPage).toHaveBeenCalledTimes(4);
  });

  it("fails when the server hands back a cursor it already gave", async () => {
    const pages: Record<string, Page<string, string>> = {
      start: { items: ["a"], next: "m1" },
      m1: { items: ["b"], next: "m2" },
      m2: { items: ["c"], next: "m1" },
    };
    const fetchPage = jest.fn(async (cursor: string | undefined) => pages[cursor ?? "start"]!);
    const seen: string[] = [];
    const error = await (async () => {
      for await (const item of new PagedList(fetchPage)) seen.push(item);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NimbusError);
    expect((error as Error).message).toContain("page cursor m1 twice");
    expect(seen).toEqual(["a", "b", "c"]);
    expect(fetchPage).toHaveBeenCalledTimes(3);
  });

  it("fails when a page names itself as the next, comparing object cursors by value", async () => {
    const fetchPage = jest.fn(async (cursor: URL | undefined) => ({
      items: [cursor ? "again" : "first"],
      next: new URL("http://h/page?marker=x"),
    }));
    await expect(new PagedList(fetchPage).all()).rejects.toThrow(/page cursor "http:\/\/h\/page\?… twice/);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it("passes the signal to fetchPage", async () => {
    const controller = new AbortController();
    const fetchPage = numbers(1, 5);
    await new PagedList(fetchPage, { signal: controller.signal }).all();
    expect(fetchPage).toHaveBeenCalledWith(undefined, { signal: controller.signal });
  });

  it("throws an AbortError when the signal is aborted between pages", async () => {
    const controller = new AbortController();
    const fetchPage = numbers(100, 10);
    const reason = new Error("enough");
    const seen: number[] = [];
    const run = async () => {
      for await (const n of new PagedList(fetchPage, { signal: controller.signal })) {
        seen.push(n);
        if (n === 12) controller.abort(reason);
      }
    };
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toBe(reason);
    // The page in hand is finished; the next one is never asked for.
    expect(seen).toHaveLength(20);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it("throws an AbortError without fetching when already aborted", async () => {
    const fetchPage = numbers(10, 5);
    await expect(new PagedList(fetchPage, { signal: AbortSignal.abort() }).all()).rejects.toThrow(AbortError);
    expect(fetchPage).not.toHaveBeenCalled();
  });

  it("lets an error from fetchPage propagate", async () => {
    const failure = new Error("503");
    const fetchPage = jest.fn(async (cursor: number | undefined) => {
      if (cursor === 2) throw failure;
      return { items: [1, 2], next: 2 };
    });
    await expect(new PagedList(fetchPage).all()).rejects.toBe(failure);
  });
});
