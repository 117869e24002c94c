// python-tutum's active record (tutum/api/base.py: Restful, Immutable, Mutable) on the generated
// metadata: objects whose fields are the wire's snake_case names, `create` building a local object,
// `save` POSTing it when new and PATCHing only the fields changed since the last load, `refresh`,
// `delete`, and actions that POST `{detail}/{action}/` and reload the object from the answer.
//
// Fields live in one record behind a Proxy, so that assigning a field the resource does not have, or
// one only the server sets, fails at once with a typed error instead of being sent (or silently
// ignored, as in Python).
import { inspect } from "node:util";
import { PagedList, type Page } from "@nimbus-sdk/common";
import { NotSaved, ObjectNotFound, ReadOnlyField, ReadOnlyResource, UnknownField, TutumParseError } from "./errors.js";
import {
  ACTION_URI_HEADER,
  API_PREFIX,
  resources,
  type FieldMeta,
  type ListEnvelope,
  type ResourceFieldsMap,
  type ResourceMeta,
  type ResourceName,
} from "./generated/api.js";

// ---------------------------------------------------------------------------------------------------
// What a resource needs from its client

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";
/** A query parameter's value; an array sends the parameter once per item. */
export type QueryValue = string | number | boolean | readonly (string | number | boolean)[];

/** One raw API call through a {@link Tutum} client: method, path, query, JSON body and signal. */
export interface CallOptions {
  method: HttpMethod;
  /** A path relative to the API base ("application/"), a resource URI ("/api/v1/…") or a URL. */
  path: string;
  query?: Readonly<Record<string, QueryValue | undefined>>;
  json?: unknown;
  signal?: AbortSignal;
  /** Send without credentials (a trigger's call URL needs none). */
  anonymous?: boolean;
}

/** What a raw API call answers: the status, the parsed body and the headers. */
export interface CallResult<T> {
  status: number;
  /** The parsed JSON body; undefined for 204 or an empty body. */
  body: T | undefined;
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
}

export interface StreamCallOptions {
  /** A path relative to the stream root ("events", "service/{uuid}/logs/"). */
  path: string;
  query?: Readonly<Record<string, string | number | boolean | undefined>>;
  signal?: AbortSignal;
  /** Called each time the connection opens. */
  onOpen?: () => void;
}

/** What resources use to reach the API; a `Tutum` client implements it. */
export interface ResourceClient {
  call<T>(options: CallOptions): Promise<CallResult<T>>;
  /** The JSON messages of a websocket stream of the stream API. */
  stream<T>(options: StreamCallOptions): AsyncGenerator<T, unknown>;
}

const CLIENT = Symbol("@nimbus-sdk/tutum:client");
let defaultClientProvider: (() => ResourceClient) | undefined;

/** Set by client.ts: the client classes not bound to one (the named exports) use. */
export function setDefaultClientProvider(provider: () => ResourceClient): void {
  defaultClientProvider = provider;
}

function clientOf(ctor: object): ResourceClient {
  const bound = (ctor as { [CLIENT]?: ResourceClient })[CLIENT];
  if (bound) return bound;
  if (!defaultClientProvider) throw new Error("@nimbus-sdk/tutum: no default client (import the package's index)");
  return defaultClientProvider();
}

/** A subclass of `cls` whose calls go through `client` (one account), for `new Tutum(...).Application`. */
export function bindResource<C extends abstract new (...args: never[]) => Resource>(cls: C, client: ResourceClient): C {
  const Base = cls as unknown as abstract new (...args: never[]) => Resource;
  abstract class Bound extends Base {}
  Object.defineProperty(Bound, "name", { value: cls.name });
  Object.defineProperty(Bound, CLIENT, { value: client });
  return Bound as unknown as C;
}

// ---------------------------------------------------------------------------------------------------
// Types derived from the generated metadata

type Meta<N extends ResourceName> = (typeof resources)[N];
type FieldMetaOf<N extends ResourceName> = Meta<N>["fields"][number];
/** Every field of a resource as the server sends it (`ApplicationFields` …). */
export type FieldsOf<N extends ResourceName> = ResourceFieldsMap[N];
type ServerOnlyKey<N extends ResourceName> = Extract<FieldMetaOf<N>, { readonly: true; update: false }>["name"];
type CreatableKey<N extends ResourceName> = Extract<FieldMetaOf<N>, { create: true } | { readonly: false }>["name"];
type UriKey<N extends ResourceName> = Extract<FieldMetaOf<N>, { type: "uri" }>["name"];

/** The fields of an object: those only the server sets are `readonly`. */
export type ResourceData<N extends ResourceName> = Readonly<Pick<FieldsOf<N>, ServerOnlyKey<N> & keyof FieldsOf<N>>> &
  Omit<FieldsOf<N>, ServerOnlyKey<N>>;

/** What `create` accepts: the fields a client may send when creating; a URI field also takes an object. */
export type CreateInput<N extends ResourceName> = [CreatableKey<N> & keyof FieldsOf<N>] extends [never]
  ? Record<string, never>
  : { [K in CreatableKey<N> & keyof FieldsOf<N>]?: FieldsOf<N>[K] | (K extends UriKey<N> ? Resource : never) };

/** A filter value: sent as is; an object is sent as its resource URI; an array as repeated parameters. */
export type FilterValue = string | number | boolean | Resource | readonly (string | number | boolean)[];

/** `list` filters: the resource's fields and documented filters, and any Django lookup (`a__b`). */
export type Filters<N extends ResourceName> = {
  [K in Meta<N>["filters"][number] | (keyof FieldsOf<N> & string)]?: FilterValue;
} & { [lookup: `${string}__${string}`]: FilterValue | undefined };

/** The `signal` every call takes, to abort it. */
export interface CallSignal {
  signal?: AbortSignal;
}

/** Options of `list()`: how many objects in all, how many per page, and a signal. */
export interface ListOptions extends CallSignal {
  /** At most this many objects in all (python-tutum's `list(limit=N)`); pages stop being fetched. */
  limit?: number;
  /** Objects per page (Tastypie `limit`, 25 by default, 100 at most). */
  pageSize?: number;
}

/** Options of `refresh()`: whether to drop unsaved changes, and a signal. */
export interface RefreshOptions extends CallSignal {
  /** Reload even when there are unsaved changes, losing them (python-tutum's `force=True`). */
  force?: boolean;
}

declare const NAME: unique symbol;
const STATE = Symbol("@nimbus-sdk/tutum:state");

interface PreparedMeta {
  readonly raw: ResourceMeta;
  readonly fields: ReadonlyMap<string, FieldMeta>;
}

interface State {
  readonly data: Record<string, unknown>;
  /** JSON of each field as last loaded from the server: a field is changed when it differs. */
  snapshot: Map<string, string>;
  detailUri?: string;
  actionUri: string;
}

/** A resource class: what the statics need of `this`. */
export interface ResourceClass<T extends Resource = Resource> {
  new (fields?: never): T;
  readonly meta: ResourceMeta;
  readonly name: string;
}

const PREPARED = new WeakMap<object, PreparedMeta>();

function prepared(ctor: object): PreparedMeta {
  for (let c: object | null = ctor; c; c = Object.getPrototypeOf(c) as object | null) {
    const found = PREPARED.get(c);
    if (found) return found;
  }
  throw new Error("@nimbus-sdk/tutum: a resource class must be made by defineResource()");
}

// ---------------------------------------------------------------------------------------------------
// The base class

/**
 * python-tutum's active-record base: a resource's fields as properties, `save()` sending only what changed,
 * `refresh()`, `delete()`, the resource's actions, and class methods `list`, `fetch` and `create`.
 */
export abstract class Resource<N extends ResourceName = ResourceName> {
  declare readonly [NAME]: N;
  declare readonly [STATE]: State;

  constructor(fields?: object) {
    Object.defineProperty(this, STATE, {
      value: { data: {}, snapshot: new Map(), detailUri: undefined, actionUri: "" } satisfies State,
    });
    const proxy = new Proxy(this, HANDLER as unknown as ProxyHandler<this>);
    for (const [name, value] of Object.entries(fields ?? {})) {
      if (value !== undefined) (proxy as unknown as Record<string, unknown>)[name] = value;
    }
    return proxy;
  }

  /** The class's metadata (endpoint, primary key, fields with their flags, actions, states). */
  static get meta(): ResourceMeta {
    return prepared(this).raw;
  }

  // --- statics: python-tutum's classmethods ---

  /**
   * Objects matching `filters` (Django lookups: `name`, `state`, `uuid__startswith`,
   * `application__name` …). Await it for an array (every page fetched), or `for await` it to fetch
   * pages as you go.
   */
  static list<T extends Resource>(
    this: ResourceClass<T>,
    filters: Filters<NameOf<T>> = {} as Filters<NameOf<T>>,
    options: ListOptions = {},
  ): ResourceList<T> {
    const meta = prepared(this).raw;
    const client = clientOf(this);
    const query: Record<string, QueryValue | undefined> = {};
    for (const [key, value] of Object.entries(filters as Record<string, FilterValue | undefined>)) {
      if (value !== undefined && value !== null) query[key] = filterValue(value);
    }
    if (options.pageSize !== undefined) query.limit = options.pageSize;
    const fetchPage = async (offset: number | undefined, { signal }: { signal?: AbortSignal }) => {
      const pageQuery = offset === undefined ? query : { ...query, offset, limit: query.limit };
      const { body, headers } = await client.call<ListEnvelope<Record<string, unknown>>>({
        method: "GET",
        path: meta.endpoint,
        query: pageQuery,
        signal: signal ?? options.signal,
      });
      if (!body || !Array.isArray(body.objects)) {
        throw new TutumParseError(`GET ${meta.endpoint}: the answer is not a list envelope ({"meta", "objects"})`);
      }
      const items = body.objects.map((json) => {
        const instance = new this();
        load(instance, json, headers, false);
        return instance;
      });
      // python-tutum asks for offset+limit while `meta.next` is set, keeping the filters.
      const m = body.meta;
      if (!query.limit && m?.limit) query.limit = m.limit;
      const next = m?.next ? (m.offset ?? 0) + (m.limit || items.length) : undefined;
      return { items, next } satisfies Page<T, number>;
    };
    return new ResourceList<T>(fetchPage, { limit: options.limit, signal: options.signal });
  }

  /** The object whose primary key (uuid; name for Image, NodeType, Region, Provider; host for Registry) is `pk`. */
  static async fetch<T extends Resource>(this: ResourceClass<T>, pk: string, options: CallSignal = {}): Promise<T> {
    const meta = prepared(this).raw;
    const instance = new this();
    const path = `${meta.endpoint}${encodePath(pk)}/`;
    try {
      const { body, headers } = await clientOf(this).call<Record<string, unknown>>({
        method: "GET",
        path,
        signal: options.signal,
      });
      if (!body || typeof body !== "object") throw new TutumParseError(`GET ${path}: the answer is not an object`);
      load(instance, body, headers, true);
    } catch (error) {
      if (error instanceof ObjectNotFound && error.status === 404) {
        throw new ObjectNotFound(`no ${this.name} with ${meta.pk} '${pk}': ${error.message}`, {
          ...error.context,
          cause: error,
        });
      }
      throw error;
    }
    return instance;
  }

  /** A new local object; nothing is sent until `save()`. Unknown or server-only fields throw here. */
  static create<T extends Resource>(this: ResourceClass<T>, fields: CreateInput<NameOf<T>> = {}): T {
    const meta = prepared(this).raw;
    if (!meta.canCreate) {
      throw new ReadOnlyResource(
        `${this.name} objects cannot be created through the API` +
          (meta.canUpdate ? "; fetch an existing one to change it" : " (read-only resource)"),
      );
    }
    return new (this as unknown as new (fields: object) => T)(fields);
  }

  // --- instance: python-tutum's methods and properties ---

  /** The primary key's value (python-tutum's `pk`). */
  get pk(): string | undefined {
    const value = this[STATE].data[prepared(this.constructor).raw.pk];
    return value === undefined || value === null ? undefined : String(value);
  }

  /** Whether fields changed since the last load (python-tutum's `is_dirty`). */
  get isDirty(): boolean {
    return this.changedFields().length > 0;
  }

  /** The value of the `X-Tutum-Action-URI` header of the last answer: the Action it started, or "". */
  get tutum_action_uri(): string {
    return this[STATE].actionUri;
  }

  /** Names of the fields changed since the last load: what `save()` would send. */
  changedFields(): string[] {
    const { data, snapshot } = this[STATE];
    return Object.keys(data).filter((key) => snapshot.get(key) !== JSON.stringify(data[key]));
  }

  /**
   * Creates the object (POST to the collection) when it was never saved, otherwise sends the changed
   * fields only (PATCH); the answer reloads the object. Resolves true, also when nothing changed.
   */
  async save(options: CallSignal = {}): Promise<boolean> {
    const state = this[STATE];
    const meta = prepared(this.constructor).raw;
    const name = this.constructor.name;
    const isNew = state.detailUri === undefined;
    if (isNew && !meta.canCreate) {
      throw new ReadOnlyResource(`${name} objects cannot be created through the API; nothing was sent`);
    }
    if (!isNew && !meta.canUpdate) {
      throw new ReadOnlyResource(`${name} objects are read-only: save() is not supported; nothing was sent`);
    }
    const changed = this.changedFields();
    if (!isNew && changed.length === 0) return true;
    const body: Record<string, unknown> = {};
    for (const key of changed) body[key] = state.data[key];
    const result = await clientOf(this.constructor).call<Record<string, unknown>>({
      method: isNew ? "POST" : "PATCH",
      path: isNew ? meta.endpoint : state.detailUri!,
      json: body,
      signal: options.signal,
    });
    if (isObject(result.body)) load(this, result.body, result.headers, true);
    else markClean(state, result.headers);
    return true;
  }

  /**
   * Reloads the object. As in python-tutum, resolves false and sends nothing when there are unsaved
   * changes (unless `force`), true once reloaded.
   */
  async refresh(options: RefreshOptions = {}): Promise<boolean> {
    if (this.isDirty && !options.force) return false;
    const uri = requireDetailUri(this, "refresh");
    const result = await clientOf(this.constructor).call<Record<string, unknown>>({
      method: "GET",
      path: uri,
      signal: options.signal,
    });
    // false means "unsaved changes" (waitFor relies on it): an answer that is not an object is an error.
    if (!isObject(result.body)) throw new TutumParseError(`GET ${uri}: the answer is not an object`);
    load(this, result.body, result.headers, true);
    return true;
  }

  /** Deletes (terminates) the object; the answer, in a state like "Terminating", reloads it. Resolves true. */
  async delete(options: CallSignal = {}): Promise<boolean> {
    const meta = prepared(this.constructor).raw;
    if (!meta.canDelete) {
      throw new ReadOnlyResource(
        `${this.constructor.name} objects cannot be deleted through the API; nothing was sent`,
      );
    }
    const state = this[STATE];
    const uri = requireDetailUri(this, "delete");
    const result = await clientOf(this.constructor).call<Record<string, unknown>>({
      method: "DELETE",
      path: uri,
      signal: options.signal,
    });
    if (isObject(result.body)) {
      load(this, result.body, result.headers, true);
    } else {
      // Deleted and nothing came back (204): the object no longer has a detail URI, as in python-tutum.
      state.detailUri = undefined;
      markClean(state, result.headers);
    }
    return true;
  }

  /** The fields, as a plain object (a copy): what the server sent, plus local changes. */
  toJSON(): FieldsOf<N> {
    return structuredClone(this[STATE].data) as unknown as FieldsOf<N>;
  }

  /** python-tutum's `get_all_attributes()`: the fields and `tutum_action_uri`. */
  getAllAttributes(): FieldsOf<N> & { tutum_action_uri: string } {
    return { ...this.toJSON(), tutum_action_uri: this.tutum_action_uri };
  }

  [inspect.custom](_depth: number, options: object, format: typeof inspect): string {
    return `${this.constructor.name} ${format(this[STATE].data, options)}`;
  }

  /** POST `{detail}/{segment}/`; the answer reloads the object. python-tutum's `_perform_action`. */
  protected async performAction(
    segment: string,
    options: CallSignal & { query?: Record<string, QueryValue | undefined>; json?: unknown } = {},
  ): Promise<boolean> {
    const uri = requireDetailUri(this, segment);
    const result = await clientOf(this.constructor).call<Record<string, unknown>>({
      method: "POST",
      path: `${uri}${segment}/`,
      query: options.query,
      json: options.json ?? {},
      signal: options.signal,
    });
    if (isObject(result.body)) load(this, result.body, result.headers, true);
    return true;
  }

  /** GET `{detail}/{segment}/` and its `key` (python-tutum's `_expand_attribute`). */
  protected async readAttribute<T>(segment: string, key: string | undefined, options: CallSignal = {}): Promise<T> {
    const uri = requireDetailUri(this, segment);
    const result = await clientOf(this.constructor).call<Record<string, unknown>>({
      method: "GET",
      path: `${uri}${segment}/`,
      signal: options.signal,
    });
    return (key === undefined ? result.body : result.body?.[key]) as T;
  }

  /** The client this object's calls go through. */
  protected get client(): ResourceClient {
    return clientOf(this.constructor);
  }
}

/** The resource name ("Service" …) of a resource class's instances. */
export type NameOf<T extends Resource> = T[typeof NAME];

// Private members cannot be used here: methods run with the Proxy as `this`.
function requireDetailUri(resource: Resource, operation: string): string {
  const uri = resource[STATE].detailUri;
  if (uri === undefined) {
    throw new NotSaved(
      `You must save the object before performing this operation (${resource.constructor.name}.${operation})`,
    );
  }
  return uri;
}

/**
 * Makes the base class of a resource from its generated metadata: `class Service extends
 * defineResource("Service")`; `overrides` corrects what the API description allows but Tutum did not.
 */
export function defineResource<N extends ResourceName>(
  name: N,
  overrides: Partial<Pick<ResourceMeta, "canCreate" | "canUpdate" | "canDelete">> = {},
) {
  const raw: ResourceMeta = { ...(resources[name] as ResourceMeta), ...overrides };
  abstract class Defined extends Resource<N> {}
  Object.defineProperty(Defined, "name", { value: name });
  PREPARED.set(Defined, { raw, fields: new Map(raw.fields.map((f) => [f.name, f])) });
  return Defined as unknown as ResourceBase<N>;
}

/** The class `defineResource` returns: a constructor of typed objects, with the statics. */
export type ResourceBase<N extends ResourceName> = (new (fields?: CreateInput<N>) => Resource<N> & ResourceData<N>) &
  Pick<typeof Resource, "list" | "fetch" | "create" | "meta">;

/** The metadata of an object's class. */
export function metaOf(resource: Resource): ResourceMeta {
  return prepared(resource.constructor).raw;
}

/** The client an object's calls go through (its class's, else the module default). */
export function clientFor(resource: Resource): ResourceClient {
  return clientOf(resource.constructor);
}

/** The resource URI of an object, or undefined when it was never saved. */
export function detailUriOf(resource: Resource): string | undefined {
  return resource[STATE].detailUri;
}

// ---------------------------------------------------------------------------------------------------
// Loading, dirty tracking and the Proxy

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// python-tutum's `_loaddict`: the answer's fields are set, the object is clean, the detail URI known.
function load(
  resource: Resource,
  json: Record<string, unknown>,
  headers: Readonly<Record<string, string>>,
  header: boolean,
) {
  const state = resource[STATE];
  const meta = prepared(resource.constructor).raw;
  Object.assign(state.data, json);
  markClean(state, header ? headers : {});
  const resourceUri = state.data.resource_uri;
  const pk = state.data[meta.pk];
  if (typeof resourceUri === "string" && resourceUri !== "") state.detailUri = withSlash(resourceUri);
  else if (pk !== undefined && pk !== null) state.detailUri = `${meta.endpoint}${encodePath(String(pk))}/`;
}

function markClean(state: State, headers: Readonly<Record<string, string>>): void {
  state.snapshot = new Map(Object.entries(state.data).map(([k, v]) => [k, JSON.stringify(v)]));
  state.actionUri = headers[ACTION_URI_HEADER.toLowerCase()] ?? "";
}

function withSlash(path: string): string {
  return path.endsWith("/") ? path : `${path}/`;
}

/** A primary key in a path: each `/`-separated part encoded (an Image name keeps its slashes). */
export function encodePath(pk: string): string {
  return pk
    .replace(/^\/+|\/+$/g, "")
    .split("/")
    .map(encodeURIComponent)
    .join("/");
}

function filterValue(value: FilterValue): QueryValue {
  if (value instanceof Resource) return uriOf(value);
  return value as QueryValue;
}

function uriOf(resource: Resource): string {
  const uri = resource[STATE].data.resource_uri;
  if (typeof uri === "string" && uri !== "") return uri;
  const detail = resource[STATE].detailUri;
  if (detail) return detail.startsWith("/") ? detail : `${API_PREFIX}${detail}`;
  throw new NotSaved(`a ${resource.constructor.name} used as a value must be saved first (it has no resource URI)`);
}

function setField(target: Resource, name: string, value: unknown): void {
  const state = target[STATE];
  const { fields } = prepared(target.constructor);
  const field = fields.get(name);
  const cls = target.constructor.name;
  if (!field && !Object.hasOwn(state.data, name)) {
    const suggestion = closest(name, [...fields.keys()]);
    throw new UnknownField(
      `${cls} has no field '${name}'` +
        (suggestion ? ` (did you mean '${suggestion}'?)` : "") +
        `; its fields are listed in ${cls}.meta.fields`,
      { field: name },
    );
  }
  if (field) {
    const saved = state.detailUri !== undefined;
    const writable = saved ? field.update || (!field.readonly && !field.create) : field.create || !field.readonly;
    if (!writable) {
      const why =
        saved && field.create && !field.update
          ? "can only be set when creating the object"
          : "is read-only (set by the server)";
      throw new ReadOnlyField(`${cls}.${name} ${why}`, { field: name });
    }
  }
  state.data[name] = value instanceof Resource ? uriOf(value) : value;
}

const HANDLER: ProxyHandler<Resource> = {
  get(target, prop, receiver) {
    if (typeof prop === "symbol" || prop in target) return Reflect.get(target, prop, receiver);
    return target[STATE].data[prop];
  },
  set(target, prop, value, receiver) {
    if (typeof prop === "symbol" || prop in target) return Reflect.set(target, prop, value, receiver);
    setField(target, prop, value);
    return true;
  },
  has(target, prop) {
    return prop in target || (typeof prop === "string" && Object.hasOwn(target[STATE].data, prop));
  },
  deleteProperty(target, prop) {
    if (typeof prop === "string" && Object.hasOwn(target[STATE].data, prop)) {
      throw new ReadOnlyField(`${target.constructor.name}.${prop} cannot be deleted; assign null instead`, {
        field: prop,
      });
    }
    return Reflect.deleteProperty(target, prop);
  },
  ownKeys(target) {
    return [...new Set([...Reflect.ownKeys(target), ...Object.keys(target[STATE].data)])];
  },
  getOwnPropertyDescriptor(target, prop) {
    if (typeof prop === "string" && !Object.hasOwn(target, prop) && Object.hasOwn(target[STATE].data, prop)) {
      return { value: target[STATE].data[prop], writable: true, enumerable: true, configurable: true };
    }
    return Reflect.getOwnPropertyDescriptor(target, prop);
  },
};

// A suggestion for a mistyped field name: the closest by edit distance, when close enough.
function closest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

// ---------------------------------------------------------------------------------------------------
// Listings

/**
 * The result of `list()`: await it for an array of every match (pages followed for you), or iterate it
 * with `for await` to fetch pages on demand. `pages()` yields page by page.
 */
export class ResourceList<T> implements PromiseLike<T[]>, AsyncIterable<T> {
  readonly #paged: PagedList<T, number>;
  readonly #limit?: number;
  #all?: Promise<T[]>;

  constructor(
    fetchPage: (offset: number | undefined, options: { signal?: AbortSignal }) => Promise<Page<T, number>>,
    options: { limit?: number; signal?: AbortSignal } = {},
  ) {
    this.#paged = new PagedList(fetchPage, { signal: options.signal });
    this.#limit = options.limit;
  }

  /** Each page in turn (the last one cut at `limit`). */
  async *pages(): AsyncGenerator<readonly T[]> {
    let remaining = this.#limit ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0) return;
    for await (const page of this.#paged.pages()) {
      const items = page.length > remaining ? page.slice(0, remaining) : page;
      remaining -= items.length;
      yield items;
      if (remaining <= 0) return;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const page of this.pages()) yield* page;
  }

  /** Every match in one array (what awaiting the list gives). */
  all(): Promise<T[]> {
    this.#all ??= (async () => {
      const out: T[] = [];
      for await (const item of this) out.push(item);
      return out;
    })();
    return this.#all;
  }

  then<R1 = T[], R2 = never>(
    onfulfilled?: ((value: T[]) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.all().then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T[] | R> {
    return this.all().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T[]> {
    return this.all().finally(onfinally);
  }
}
