// One Neutron v2.0 collection (networks, subnets, ports …): list with `*_links` paging, get, create,
// update, delete and find, each failure mapped to the resource's own error classes. The typed calls
// of CloudNetworks and the resource objects' own methods all go through one of these.
import { NotFoundError, ValidationError, type Transport } from "@nimbus-sdk/common";
import type { NimbusError } from "@nimbus-sdk/common";
import { checkOptions } from "../../arguments.js";
import { Conflict, NoUniqueMatch, NotFound, OverLimit } from "../../errors.js";
import { nextLinkQuery, novaListing, type Listing, type NovaLink, type PagingOptions } from "../compute/listing.js";

/** A Neutron record: its id, and every other field under Neutron's own (snake_case) name. */
export interface NeutronRecord {
  id: string;
  [field: string]: unknown;
}

/** A list filter value: Neutron matches any of several values given as an array. */
export type FilterValue = string | number | boolean | readonly (string | number | boolean)[];

/** Options every network call takes: a signal. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** openstacksdk's `find_*` options: by default a missing resource is undefined, not an error. */
export interface FindOptions extends CallOptions {
  /** false: throw NotFound (or the resource's own class) when nothing matches. */
  ignoreMissing?: boolean;
}

/** Paging and filters of a listing: any field of the resource, by Neutron's name (`{ network_id }`). */
export interface ListOptions extends PagingOptions {
  /** Sort by these fields (Neutron's `sort_key`), each with `sortDir`'s direction. */
  sortKey?: string | readonly string[];
  sortDir?: "asc" | "desc" | readonly ("asc" | "desc")[];
  [filter: string]: FilterValue | AbortSignal | undefined;
}

type ErrorClass = new (message: string, options: object) => NimbusError;

/** What distinguishes one collection: its URL path, the JSON keys and the fields a caller may send. */
export interface Kind<T, R extends NeutronRecord> {
  /** URL path and plural key: "networks", "security-groups" (the JSON key then uses "_"). */
  path: string;
  /** The singular JSON key: "network", "security_group", "floatingip". */
  single: string;
  /** For messages: "network", "security group". */
  label: string;
  /** Fields `create` may send; anything else is a ValidationError naming it. */
  createFields: readonly string[];
  /** Fields `update` may send. */
  updateFields: readonly string[];
  /** The class a 404 becomes (default NotFound). */
  notFound?: ErrorClass;
  /** Neutron's "…InUse" error types and the class each becomes. */
  inUse?: Readonly<Record<string, ErrorClass>>;
  /** The class Neutron's OverQuota becomes (default OverLimit). */
  overQuota?: ErrorClass;
  wrap(collection: NeutronCollection<T, R>, record: R): T;
}

const CONTROL_KEYS = new Set(["limit", "marker", "pageSize", "signal", "sortKey", "sortDir"]);

function checkBody(kind: { label: string }, fields: readonly string[], body: object, what: string): void {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ValidationError(`${what}: the ${kind.label} attributes must be an object`, { field: "attributes" });
  }
  for (const key of Object.keys(body)) {
    if (!fields.includes(key)) {
      throw new ValidationError(
        `${what}: "${key}" is not a ${kind.label} field that can be set here; allowed: ${fields.join(", ")}`,
        { field: key },
      );
    }
  }
}

function defined(body: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

/** Turns listing options into Neutron's query, checking each value's type before anything is sent. */
export function neutronListQuery(options: object): Record<string, string | string[] | undefined> {
  const query: Record<string, string | string[] | undefined> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || CONTROL_KEYS.has(key)) continue;
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.some((v) => !["string", "number", "boolean"].includes(typeof v))) {
      throw new ValidationError(`list: filter "${key}" must be a string, number, boolean or an array of them`, {
        field: key,
      });
    }
    query[key] = values.map(String);
  }
  const { sortKey, sortDir } = options as { sortKey?: string | string[]; sortDir?: string | string[] };
  if (sortKey !== undefined) query.sort_key = typeof sortKey === "string" ? [sortKey] : [...sortKey];
  if (sortDir !== undefined) {
    const dirs = typeof sortDir === "string" ? [sortDir] : [...sortDir];
    for (const d of dirs) {
      if (d !== "asc" && d !== "desc")
        throw new ValidationError(`list: sortDir must be asc or desc`, { field: "sortDir" });
    }
    query.sort_dir = dirs;
  }
  return query;
}

/** A Neutron collection (networks, subnets, ports …): list (an array when awaited, or `for await`), get, create, update and delete. */
export class NeutronCollection<T, R extends NeutronRecord> {
  readonly kind: Kind<T, R>;
  readonly #transport: Transport;
  readonly #root: URL;

  constructor(transport: Transport, root: URL, kind: Kind<T, R>) {
    this.#transport = transport;
    this.#root = root;
    this.kind = kind;
  }

  url(...segments: string[]): URL {
    return new URL([this.kind.path, ...segments].map((s) => encodeURIComponent(s)).join("/"), this.#root);
  }

  /** The resources matching the filters: an array when awaited, page by page with `for await`. */
  list(options: ListOptions = {}, onPage?: (items: T[], signal?: AbortSignal) => Promise<void>): Listing<T> {
    const plural = this.kind.path.replace(/-/g, "_");
    // Neutron reads `marker` only beside `limit`: a marker alone is sent with pages of 1000.
    const paging = options.marker !== undefined && options.limit === undefined && options.pageSize === undefined;
    return novaListing(
      neutronListQuery(options),
      paging ? { ...options, pageSize: 1000 } : options,
      async (query, signal) => {
        const body = await this.#mapped(
          this.#transport.json<Record<string, unknown>>({ url: this.url(), query, signal }),
        );
        const items = ((body[plural] ?? []) as R[]).map((r) => this.kind.wrap(this, r));
        await onPage?.(items, signal);
        return {
          items,
          next: nextLinkQuery(body[`${plural}_links`] as NovaLink[] | undefined),
        };
      },
    );
  }

  async getRecord(id: string, options: CallOptions = {}): Promise<R> {
    checkOptions(`${this.kind.path}.get`, options, []);
    const body = await this.#mapped(
      this.#transport.json<Record<string, R>>({ url: this.url(checkId(id, this.kind.label)), signal: options.signal }),
    );
    return body[this.kind.single]!;
  }

  async get(id: string, options: CallOptions = {}): Promise<T> {
    return this.kind.wrap(this, await this.getRecord(id, options));
  }

  /** Checks the attributes against the kind's fields, then sends them. */
  async createRecord(attributes: object, options: CallOptions = {}): Promise<R> {
    checkOptions(`${this.kind.path}.create`, options, []);
    checkBody(this.kind, this.kind.createFields, attributes, "create");
    const body = await this.#mapped(
      this.#transport.json<Record<string, R>>({
        method: "POST",
        url: this.url(),
        json: { [this.kind.single]: defined(attributes) },
        signal: options.signal,
      }),
    );
    return body[this.kind.single]!;
  }

  async create(attributes: object, options: CallOptions = {}): Promise<T> {
    return this.kind.wrap(this, await this.createRecord(attributes, options));
  }

  async update(id: string, changes: object, options: CallOptions = {}): Promise<T> {
    return this.kind.wrap(this, await this.updateRecord(id, changes, options));
  }

  async updateRecord(id: string, changes: object, options: CallOptions = {}): Promise<R> {
    checkOptions(`${this.kind.path}.update`, options, []);
    checkBody(this.kind, this.kind.updateFields, changes, "update");
    const body = await this.#mapped(
      this.#transport.json<Record<string, R>>({
        method: "PUT",
        url: this.url(checkId(id, this.kind.label)),
        json: { [this.kind.single]: defined(changes) },
        signal: options.signal,
      }),
    );
    return body[this.kind.single]!;
  }

  async delete(id: string, options: CallOptions = {}): Promise<void> {
    checkOptions(`${this.kind.path}.delete`, options, []);
    const response = await this.#mapped(
      this.#transport.request({
        method: "DELETE",
        url: this.url(checkId(id, this.kind.label)),
        signal: options.signal,
      }),
    );
    await response.dump();
  }

  /** `PUT /{path}/{id}/{action}` (a router's add_router_interface …): Neutron's answer, as JSON. */
  async action<A>(id: string, action: string, body: object, options: CallOptions = {}): Promise<A> {
    checkOptions(`${this.kind.path}.action`, options, []);
    return this.#mapped(
      this.#transport.json<A>({
        method: "PUT",
        url: this.url(checkId(id, this.kind.label), action),
        json: body,
        signal: options.signal,
      }),
    );
  }

  /**
   * The one resource with this id or name (openstacksdk's `find_*`): undefined when there is none (NotFound
   * with `ignoreMissing: false`), NoUniqueMatch when several have the name.
   */
  async find(nameOrId: string, options: FindOptions & { ignoreMissing: false }): Promise<T>;
  async find(nameOrId: string, options?: FindOptions): Promise<T | undefined>;
  async find(nameOrId: string, options: FindOptions = {}): Promise<T | undefined> {
    checkOptions(`${this.kind.path}.find`, options, ["ignoreMissing"]);
    checkId(nameOrId, this.kind.label);
    try {
      return await this.get(nameOrId, { signal: options.signal });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    const matches = await this.list({ name: nameOrId, signal: options.signal });
    if (matches.length === 1) return matches[0]!;
    const NotFoundClass = this.kind.notFound ?? NotFound;
    if (matches.length === 0) {
      if (options.ignoreMissing !== false) return undefined;
      throw new NotFoundClass(`no ${this.kind.label} has the id or name "${nameOrId}"`, {});
    }
    const ids = matches.map((m) => (m as { id: string }).id);
    throw new NoUniqueMatch(`${ids.length} ${this.kind.path} are named "${nameOrId}" (${ids.join(", ")}); use the id`, {
      matches: ids,
    });
  }

  // Neutron names each failure in its body (NeutronError.type, kept as the error's `code`).
  async #mapped<V>(work: Promise<V>): Promise<V> {
    try {
      return await work;
    } catch (error) {
      if (!(error instanceof Conflict || error instanceof NotFoundError)) throw error;
      const context = { ...error.context, cause: error };
      const InUse = error.code ? this.kind.inUse?.[error.code] : undefined;
      if (InUse) throw new InUse(error.message, context);
      if (error.code === "OverQuota") {
        const Quota = this.kind.overQuota ?? OverLimit;
        throw new Quota(error.message, context);
      }
      const NotFoundClass = this.kind.notFound;
      if (error instanceof NotFoundError && NotFoundClass && !((error as object) instanceof NotFoundClass)) {
        throw new NotFoundClass(error.message, context);
      }
      throw error;
    }
  }
}

export function checkId(id: unknown, label: string): string {
  if (typeof id !== "string" || id.trim() === "") {
    throw new ValidationError(`a ${label} id must be a non-empty string, not ${JSON.stringify(id)}`, {
      field: label.replace(/ (\w)/g, (_m, c: string) => c.toUpperCase()),
    });
  }
  return id;
}

/** The id of a resource object, a record, or an id string. */
export function idOf(ref: string | { id: string } | undefined, label: string): string {
  return checkId(typeof ref === "string" ? ref : ref?.id, label);
}
