// The base of every collection service's class (src/generated/resources.ts), in the v3 proxy style:
// `list()` (server-side `query`, client-side constraints on any property path, `for await` by pages),
// `get({ name } | { id })`, `add(new params.X(...))`.
import { PagedList, ValidationError } from "@nimbus-sdk/common";
import { NotFound } from "./errors.js";
import {
  bindNode,
  childContext,
  methodRequest,
  nodeContext,
  nodeUrl,
  requireMethod,
  sendMethod,
  type CallOptions,
  type NodeContext,
} from "./node.js";
import type { Init } from "./params-base.js";
import { Resource, fetchEntity, type QueryOptions } from "./resource.js";
import { compileConstraints, type Constraint } from "./constraints.js";
import { decodeList, decodeObject, listDecoder } from "./wire/decode.js";
import { encodeObject } from "./wire/encode.js";
import { v3ClassOf, type V3Object } from "./v3/params-object.js";
import { v3ToV4 } from "./v3/to-v4.js";
import { waitUntilUnlocked } from "./wait.js";
import { wireStruct } from "./wire/metadata.js";

export type { CallOptions } from "./node.js";

/** What every `add` takes besides the model's query parameters. */
export interface AddOptions {
  /**
   * v3's `expect="201-created"`: the engine then answers once its asynchronous work (disk images being
   * copied) has ended. undici cannot send an `Expect` header, so `add` reads the new entity again until
   * it is no longer locked (`image_locked`, `locked`) and resolves to it as last read.
   */
  expect?: "201-created";
}

/** Refuses an `expect` other than v3's one value, before anything is sent. */
export function checkExpect(expect: unknown): void {
  if (expect !== undefined && expect !== "201-created") {
    throw new ValidationError(
      `expect must be "201-created" (the one expectation the engine knows), not ${JSON.stringify(expect)}`,
      {
        field: "expect",
      },
    );
  }
}

/** Options of `list`: the engine's list parameters, plus client-side constraints under any other key. */
export interface ListOptions {
  /** The engine's search language: `name=web*`, `status=up and cluster=Default` (sent as `search`). */
  query?: string;
  /** Same as `query`, under the engine's name. */
  search?: string;
  /** At most this many entities (the engine's `max`). */
  max?: number;
  /** Links to inline: `"nics,disk_attachments.disk"` or `["nics", "disk_attachments.disk"]`. */
  follow?: string | readonly string[];
  all_content?: boolean;
  case_sensitive?: boolean;
  filter?: boolean;
  /** Entities per request when iterating with `for await` (default 100), by the search's `page N`. */
  pageSize?: number;
  signal?: AbortSignal;
  timeout?: number;
  /**
   * Any other key is a constraint checked on each entity, by property path: `{ memory: 1073741824 }`,
   * `{ "cpu.topology.cores": 2 }`, `{ name: "web*" }` (`*` is a wildcard in strings). A path the type
   * does not have is a ValidationError before anything is sent.
   */
  [constraint: string]: unknown;
}

/** Options of `get`: the get method's query parameters (`follow`, `all_content` ...) and the call options. */
export type GetOptions = QueryOptions;

/**
 * `{ id }` or `{ name }`, or the name alone (v3's positional `api.vms.get("my_vm")`); `{ alias }` for disks
 * (v3's `disks.get(alias="...")`).
 */
export type Selector =
  | { id: string; name?: never; alias?: never }
  | { name: string; id?: never; alias?: never }
  | { alias: string; id?: never; name?: never }
  | string;

const LIST_OPTION_NAMES = new Set(["query", "search", "max", "pageSize", "signal", "timeout"]);
const DEFAULT_PAGE_SIZE = 100;

type ItemClass<R> = new (context: NodeContext, data?: object) => R;

/**
 * The result of `list()`: await it for every matching entity in one array (one request, as the Python
 * SDK does), or iterate it with `for await` to fetch page by page.
 */
export class ListRequest<R> implements PromiseLike<R[]>, AsyncIterable<R> {
  readonly #fetchAll: () => Promise<R[]>;
  readonly #paged: PagedList<R, number>;
  #all?: Promise<R[]>;

  constructor(fetchAll: () => Promise<R[]>, paged: PagedList<R, number>) {
    this.#fetchAll = fetchAll;
    this.#paged = paged;
  }

  then<A = R[], B = never>(
    onFulfilled?: ((value: R[]) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.#all ??= this.#fetchAll();
    return this.#all.then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<R[] | B> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<R[]> {
    return this.then().finally(onFinally);
  }

  /** Each page in turn (the entities of a page that meet the constraints). */
  pages(): AsyncGenerator<readonly R[]> {
    return this.#paged.pages();
  }

  [Symbol.asyncIterator](): AsyncIterator<R> {
    return this.#paged[Symbol.asyncIterator]();
  }
}

/**
 * A collection of the v3 SDK (`api.vms`, `vm.nics` …): `list()` (an array when awaited, or `for await`),
 * `get()` by name or id (undefined when nothing matches), `add()`, and `getOrThrow()`.
 */
export class Collection<T extends object, R, A extends object = QueryOptions> {
  constructor(context: NodeContext) {
    bindNode(this, context);
  }

  /**
   * The entities of the collection: all of them, those the engine's search `query` finds, and of those
   * the ones meeting the constraints given under any other key.
   */
  list(given: ListOptions | string = {}): ListRequest<R> {
    // v3's positional query: `api.vms.list("cluster=Default")`.
    const options = typeof given === "string" ? { query: given } : given;
    const context = nodeContext(this);
    const method = requireMethod(context, "list");
    const { query, search, max, pageSize = DEFAULT_PAGE_SIZE, signal, timeout } = options;
    checkPaging(options, `${context.path}.list`);
    const type = this.#type();
    const engineParams: Record<string, unknown> = {};
    const constraints: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(options)) {
      if (LIST_OPTION_NAMES.has(key) || value === undefined) continue;
      if (method.input.some((p) => p.xml === key && p.where === "query")) engineParams[key] = value;
      else constraints[key] = value;
    }
    const matches = compileConstraints(type, constraints, `${context.path}.list`);
    const text = query ?? search;
    const searchable = method.input.some((p) => p.xml === "search");
    if (text !== undefined && !searchable) {
      throw new ValidationError(`${context.path} cannot be searched: the engine takes no query on it`, {
        field: "query",
      });
    }
    // Decoded as the answer streams in: a list of thousands is never held whole.
    const fetchRaw = (params: Record<string, unknown>, fetchSignal?: AbortSignal) =>
      context.connection.receive(methodRequest(context, "list", { ...params, signal: fetchSignal, timeout }), () =>
        listDecoder(type),
      );
    const fetchAll = async () =>
      this.#wrap((await fetchRaw({ ...engineParams, search: text, max }, signal)).filter(matches));
    const paged = new PagedList<R, number>(
      async (cursor, { signal: pageSignal }) => {
        if (!searchable)
          return { items: this.#wrap((await fetchRaw({ ...engineParams, max }, pageSignal)).filter(matches)) };
        // Every page is asked with the same size, which the engine's `page N` counts in; `max` cuts the last.
        const page = cursor ?? 1;
        const search = `${text ?? ""} page ${page}`.trim();
        const raw = await fetchRaw({ ...engineParams, search, max: pageSize }, pageSignal);
        const left = max === undefined ? raw.length : Math.max(0, max - (page - 1) * pageSize);
        // A short page is the last one, and so is the one that reaches `max`.
        const more = raw.length === pageSize && (max === undefined || page * pageSize < max);
        return { items: this.#wrap(raw.slice(0, left).filter(matches)), next: more ? page + 1 : undefined };
      },
      { signal },
    );
    return new ListRequest(fetchAll, paged);
  }

  /**
   * The entity with this id (GET), or the first with this name (a search, or the list where there is none);
   * `undefined` when there is none, as v3's `get()` gave None (`if (!(await api.vms.get({ name })))`).
   */
  async get(selector: Selector, options: GetOptions = {}): Promise<R | undefined> {
    return this.#find(selector, options, false);
  }

  /** As `get`, but nothing found is a `NotFound` (the engine's 404 fault, or one naming the name). */
  async getOrThrow(selector: Selector, options: GetOptions = {}): Promise<R> {
    return (await this.#find(selector, options, true))!;
  }

  async #find(given: Selector, options: GetOptions, throwing: boolean): Promise<R | undefined> {
    const context = nodeContext(this);
    const selector = typeof given === "string" ? { name: given } : given;
    if (selector && typeof selector.id === "string") {
      const locator = context.service.idLocator;
      if (!locator) throw new ValidationError(`${context.path} has no entities by id`, { field: "id" });
      const entity = childContext(context, locator.name, selector.id);
      try {
        return new (this.#itemClass())(entity, await fetchEntity(entity, options));
      } catch (error) {
        if (!throwing && error instanceof NotFound) return undefined;
        throw error;
      }
    }
    // A disk's alias is its name in v3 (and a member of its own in v4).
    const hasAlias = wireStruct(this.#type()).byXml.has("alias");
    const key = hasAlias && typeof selector?.alias === "string" ? "alias" : "name";
    const name = selector?.[key];
    if (typeof name !== "string") {
      const takes = hasAlias ? "{ id }, { name } or { alias }" : "{ id } or { name }";
      throw new ValidationError(`${context.path}.get takes ${takes}`, { field: "selector" });
    }
    const searchable = requireMethod(context, "list").input.some((p) => p.xml === "search");
    const found = await this.list({
      ...options,
      ...(searchable ? { query: `${key}=${searchValue(name)}` } : {}),
      [key]: name as Constraint,
    });
    if (found.length === 0 && throwing) {
      throw new NotFound(
        `${context.path || "api"}: no ${this.#type()} ${key === "alias" ? "with alias" : "named"} ${JSON.stringify(name)}`,
        {
          url: nodeUrl(context),
          status: 404,
        },
      );
    }
    return found[0];
  }

  /**
   * Creates an entity from a params object (or a plain object of its members); resolves to the entity as
   * the engine made it. Query parameters of the model's add (`clone`, `filter` ...) go in `options`, and
   * v3's `expect: "201-created"`: resolve once the entity is no longer locked by the engine's work.
   */
  async add(value: Init<T> | T | V3Object | Resource<object>, options: A & AddOptions = {} as A): Promise<R> {
    const { expect, ...sent } = options;
    checkExpect(expect);
    options = sent as A;
    const context = nodeContext(this);
    const method = requireMethod(context, "add");
    const bodyParam = method.input.find((p) => p.where === "body");
    if (!bodyParam) throw new ValidationError(`${context.path}.add takes no entity`, { field: "add" });
    if (typeof value !== "object" || value === null) {
      throw new ValidationError(`${context.path}.add takes a ${bodyParam.type} object`, { field: bodyParam.xml });
    }
    const label = `${context.path}.add`;
    if (v3ClassOf(value)) {
      // A v3 params object: its members as v4's, and those v4 made parameters of add (`Disks.clone`).
      const parameters: Record<string, unknown> = {};
      value = v3ToV4(value, bodyParam.type, label, parameters) as Init<T>;
      options = { ...parameters, ...options } as A;
    }
    // The document's root is the type's element (`disk_attachment`), whatever the parameter is called.
    const body = bodyParam.list
      ? encodeList(value, bodyParam.type, label)
      : encodeObject(value, bodyParam.type, { label });
    const reply = await sendMethod(context, "add", options, body);
    // The one add taking a list (bricks) answers with the list: its first item is the entity made.
    const created = context.connection.decode(reply, (xml) =>
      bodyParam.list ? (decodeList(xml, bodyParam.type)[0] ?? {}) : decodeObject(xml, bodyParam.type),
    );
    const id = typeof created.id === "string" ? created.id : undefined;
    const locator = context.service.idLocator;
    const entity = locator && id !== undefined ? childContext(context, locator.name, id) : context;
    const resource = new (this.#itemClass())(entity, created);
    if (!expect) return resource;
    const { signal } = options as CallOptions;
    return (await waitUntilUnlocked(resource as Resource<object>, { signal })) as R;
  }

  #type(): string {
    const { service } = nodeContext(this);
    if (!service.type) throw new ValidationError(`${service.name} lists no entities`);
    return service.type;
  }

  /** The class of the entities; a collection without an entity service (`user.groups`) has plain resources. */
  #itemClass(): ItemClass<R> {
    const itemClass = (this.constructor as unknown as { itemClass?: ItemClass<R> }).itemClass;
    return itemClass ?? (Resource as unknown as ItemClass<R>);
  }

  #wrap(items: Record<string, unknown>[]): R[] {
    const context = nodeContext(this);
    const locator = context.service.idLocator;
    const ItemClass = this.#itemClass();
    return items.map((data) => {
      const id = typeof data.id === "string" ? data.id : "";
      return new ItemClass(locator ? childContext(context, locator.name, id) : context, data);
    });
  }
}

/**
 * Checks `list`'s paging options before anything is sent: `pageSize` a whole number of at least 1 (0 would
 * ask for empty pages for ever), `max` a whole number of at least 0.
 */
export function checkPaging(options: Pick<ListOptions, "max" | "pageSize">, label: string): void {
  const { max, pageSize } = options;
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1)) {
    throw new ValidationError(`${label}: pageSize must be a whole number of at least 1, not ${String(pageSize)}`, {
      field: "pageSize",
    });
  }
  if (max !== undefined && !(Number.isInteger(max) && max >= 0)) {
    throw new ValidationError(`${label}: max must be a whole number of at least 0, not ${String(max)}`, {
      field: "max",
    });
  }
}

/** A value in the engine's search language: quoted when it has spaces or quotes. */
function searchValue(value: string): string {
  return /^[\w.*@-]+$/.test(value) ? value : `"${value.replace(/(["\\])/g, "\\$1")}"`;
}

/** A list document (`<bricks><brick/>...</bricks>`), for the one add that takes a list. */
function encodeList(value: object, type: string, label: string): string {
  const struct = wireStruct(type);
  const items = Array.isArray(value) ? value : [value];
  const body = items.map((item, i) => encodeObject(item as object, type, { label: `${label}[${i}]` })).join("");
  return `<${struct.plural}>${body}</${struct.plural}>`;
}
