// What every compute resource and manager shares, as in novaclient's base module: resources carry
// the wire's fields as properties and refresh themselves; managers find by attributes.
import { NotFound, NoUniqueMatch } from "../../errors.js";
import { ValidationError } from "@nimbus-sdk/common";
import type { CloudServers } from "./client.js";
import type { Listing } from "./listing.js";
import type { ComputeCallOptions } from "./wire.js";

/** A resource: the record's fields are its properties (`server.status`, `server["OS-EXT-STS:vm_state"]`). */
export abstract class Resource<R extends { id?: unknown }, M = unknown> {
  /** The record as Nova last sent it. */
  record: R;
  readonly #manager: M;

  constructor(manager: M, record: R) {
    this.#manager = manager;
    this.record = record;
    this.#assign(record);
  }

  /** The manager that made this resource (on the prototype: not a field, not enumerable). */
  get manager(): M {
    return this.#manager;
  }

  /** Takes the fields of a fresher record (fields it lacks, such as adminPass, are kept). */
  protected refreshFrom(record: R): this {
    this.record = { ...this.record, ...record };
    this.#assign(record);
    return this;
  }

  // A field named like a method or getter (networks, get …) stays in `record` only. The names are
  // gathered once per class: a listing builds hundreds of resources.
  #assign(record: R): void {
    const reserved = reservedNames(Object.getPrototypeOf(this) as object);
    for (const key of Object.keys(record)) {
      if (!reserved.has(key)) (this as Record<string, unknown>)[key] = record[key as keyof R];
    }
  }

  toJSON(): R {
    return this.record;
  }
}

const reservedByPrototype = new WeakMap<object, ReadonlySet<string>>();

/** "record" and every name a resource's prototype chain has (methods, getters, Object's own). */
function reservedNames(proto: object): ReadonlySet<string> {
  let names = reservedByPrototype.get(proto);
  if (!names) {
    const found = new Set(["record"]);
    for (let p: object | null = proto; p; p = Object.getPrototypeOf(p) as object | null) {
      for (const name of Object.getOwnPropertyNames(p)) found.add(name);
    }
    reservedByPrototype.set(proto, (names = found));
  }
  return names;
}

/** Criteria for `find`/`findall`: each field must equal the value (novaclient compares with ==). */
export type Criteria = Record<string, unknown>;

/** novaclient's ManagerWithFind: `find` for exactly one match, `findall` for every one. */
export abstract class Manager<T extends { id: string }> {
  readonly client: CloudServers;
  /** What the resource is called in messages ("server", "flavor" …). */
  protected abstract readonly noun: string;

  constructor(client: CloudServers) {
    this.client = client;
  }

  abstract get(ref: unknown, options?: ComputeCallOptions): Promise<T>;

  /** Every item, for `findall` to filter; a manager may send some criteria to the server. */
  protected abstract listForFind(criteria: Criteria, options: ComputeCallOptions): Listing<T>;

  /** Every resource whose fields equal the criteria. */
  async findall(criteria: Criteria = {}, options: ComputeCallOptions = {}): Promise<T[]> {
    if (criteria === null || typeof criteria !== "object" || Array.isArray(criteria)) {
      throw new ValidationError(`findall: the criteria must be an object of field names to values`, {
        field: "criteria",
      });
    }
    const wanted = Object.entries(criteria).filter(([, value]) => value !== undefined);
    const found: T[] = [];
    for await (const item of this.listForFind(criteria, options)) {
      const fields = item as unknown as Record<string, unknown>;
      if (wanted.every(([key, value]) => sameValue(fields[key], value))) found.push(item);
    }
    return found;
  }

  /** The one resource matching: NotFound when none does, NoUniqueMatch when several do. */
  async find(criteria: Criteria, options: ComputeCallOptions = {}): Promise<T> {
    const described = Object.entries(criteria ?? {})
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
      .join(", ");
    if (!described) throw new ValidationError("find needs at least one criterion, such as name", { field: "criteria" });
    const matches = await this.findall(criteria, options);
    if (matches.length === 0) throw new NotFound(`no ${this.noun} matches ${described}`, { status: 404 });
    if (matches.length > 1) {
      const ids = matches.map((m) => m.id);
      throw new NoUniqueMatch(
        `${matches.length} ${this.noun}s match ${described} (${ids.slice(0, 5).join(", ")}${ids.length > 5 ? ", …" : ""})`,
        { matches: ids },
      );
    }
    return matches[0]!;
  }
}

// Python's == between a JSON value and what a script passes: numbers and strings compare as
// themselves, objects by content.
function sameValue(actual: unknown, wanted: unknown): boolean {
  if (actual === wanted) return true;
  if (actual && wanted && typeof actual === "object" && typeof wanted === "object") {
    return JSON.stringify(actual) === JSON.stringify(wanted);
  }
  return false;
}
