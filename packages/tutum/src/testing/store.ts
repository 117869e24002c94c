// The simulator's state: every object by resource and primary key, indexed by resource URI, with
// Django-style filtering over it. Objects are kept as the superset of their wire fields; shapes.ts
// picks what each answer shows.
import { randomUUID } from "node:crypto";
import { API_PREFIX, resourceByEndpoint, resources, type ResourceName } from "../generated/api.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Entry {
  readonly kind: ResourceName;
  readonly pk: string;
  /** Wire fields (every field the object may show in any shape). */
  data: JsonObject;
  /** Insertion order: lists answer in it. */
  readonly seq: number;
  /** Log lines of a container, service or application, oldest first. */
  logs: string[];
  /** Which payload family the object belongs to (2014 application containers differ from service ones). */
  family: "application" | "service";
  /** Resource URI of the owner: a container's application or service, a node's cluster, a trigger's service. */
  parent?: string;
}

/** RFC 2822 dates as Tutum wrote them: `Mon, 24 Mar 2014 23:58:15 +0000` (day not zero-padded). */
export function rfc2822(date: Date = new Date()): string {
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${days[date.getUTCDay()]}, ${date.getUTCDate()} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

export function newUuid(): string {
  return randomUUID();
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `/api/v1/service/{uuid}/` without the trailing-slash and host variations a client may send. */
export function normalizeUri(value: string): string {
  let v = value.trim();
  const at = v.indexOf(API_PREFIX);
  if (at > 0) v = v.slice(at);
  if (!v.endsWith("/")) v += "/";
  return v;
}

export class FilterError extends Error {}

type Lookup =
  | "exact"
  | "iexact"
  | "startswith"
  | "istartswith"
  | "contains"
  | "icontains"
  | "gte"
  | "lte"
  | "gt"
  | "lt"
  | "in"
  | "isnull";
const LOOKUPS = new Set<string>([
  "exact",
  "iexact",
  "startswith",
  "istartswith",
  "contains",
  "icontains",
  "gte",
  "lte",
  "gt",
  "lt",
  "in",
  "isnull",
]);

export class Store {
  private readonly tables = new Map<ResourceName, Map<string, Entry>>();
  private readonly byUri = new Map<string, Entry>();
  private seq = 0;

  insert(kind: ResourceName, data: JsonObject, family: Entry["family"] = "service", parent?: string): Entry {
    const pkField = resources[kind].pk;
    const pk = String(data[pkField]);
    const entry: Entry = { kind, pk, data, seq: this.seq++, logs: [], family, parent };
    let table = this.tables.get(kind);
    if (!table) this.tables.set(kind, (table = new Map()));
    if (table.has(pk)) throw new Error(`${kind} ${pk} exists`);
    table.set(pk, entry);
    const uri = data.resource_uri;
    if (typeof uri === "string") this.byUri.set(normalizeUri(uri), entry);
    return entry;
  }

  remove(entry: Entry): void {
    this.tables.get(entry.kind)?.delete(entry.pk);
    const uri = entry.data.resource_uri;
    if (typeof uri === "string") this.byUri.delete(normalizeUri(uri));
  }

  get(kind: ResourceName, pk: string): Entry | undefined {
    return this.tables.get(kind)?.get(pk);
  }

  all(kind: ResourceName): Entry[] {
    return [...(this.tables.get(kind)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }

  /** The object a resource URI names, in either the nested (`region/{provider}/{name}/`) or short form. */
  resolve(uri: string): Entry | undefined {
    const path = normalizeUri(uri);
    const direct = this.byUri.get(path);
    if (direct) return direct;
    if (!path.startsWith(API_PREFIX)) return undefined;
    const segments = path.slice(API_PREFIX.length, -1).split("/");
    const kind = (resourceByEndpoint as Record<string, ResourceName | undefined>)[segments[0] ?? ""];
    if (!kind || segments.length < 2) return undefined;
    return this.get(kind, segments.slice(1).join("/")) ?? this.get(kind, segments[segments.length - 1] ?? "");
  }

  /** Objects of `kind` matching Django-style `filters` (already checked against the resource's filter list). */
  filter(kind: ResourceName, filters: ReadonlyArray<[string, string]>): Entry[] {
    return this.all(kind).filter((entry) => filters.every(([key, value]) => this.matches(entry, key, value)));
  }

  private matches(entry: Entry, key: string, expected: string): boolean {
    const parts = key.split("__");
    let lookup: Lookup = "exact";
    if (parts.length > 1 && LOOKUPS.has(parts[parts.length - 1] ?? "")) lookup = parts.pop() as Lookup;
    const values = this.follow([entry.data], parts);
    if (lookup === "isnull") {
      const wantNull = parseBoolean(expected, key);
      return wantNull ? values.every((v) => v === null) : values.some((v) => v !== null);
    }
    const wanted = lookup === "in" ? expected.split(",") : [expected];
    return values.some((actual) => wanted.some((w) => compare(actual, w, lookup, key)));
  }

  /** Walks `a__b__c` through related objects: a URI value is replaced by the object it names. */
  private follow(objects: Json[], path: string[]): Json[] {
    let current: Json[] = objects;
    for (let i = 0; i < path.length; i++) {
      const name = path[i] ?? "";
      const next: Json[] = [];
      for (const item of current) {
        let obj: Json = item;
        if (typeof obj === "string" && i > 0) obj = this.resolve(obj)?.data ?? null;
        if (!isObject(obj)) continue;
        const value = obj[name];
        if (value === undefined) continue;
        if (Array.isArray(value)) next.push(...(value.length ? value : []));
        else next.push(value);
      }
      // Related lookups on an array of URIs (`services__name`) or of objects (`categories__name`).
      current = next.map((v) => (typeof v === "string" && i + 1 < path.length ? (this.resolve(v)?.data ?? v) : v));
    }
    return current;
  }
}

function parseBoolean(text: string, key: string): boolean {
  const t = text.toLowerCase();
  if (t === "true" || t === "1") return true;
  if (t === "false" || t === "0") return false;
  throw new FilterError(`Invalid boolean value for filter '${key}': '${text}'`);
}

function compare(actual: Json, expected: string, lookup: Lookup, key: string): boolean {
  if (actual === null) return false;
  if (typeof actual === "boolean") return actual === parseBoolean(expected, key);
  if (typeof actual === "number") {
    const n = Number(expected);
    if (!Number.isFinite(n)) throw new FilterError(`Invalid number for filter '${key}': '${expected}'`);
    return numeric(actual, n, lookup);
  }
  if (typeof actual !== "string") return false;
  if (lookup === "gte" || lookup === "lte" || lookup === "gt" || lookup === "lt") {
    const a = Date.parse(actual);
    const e = Date.parse(expected);
    if (Number.isNaN(e)) throw new FilterError(`Invalid date for filter '${key}': '${expected}'`);
    if (Number.isNaN(a)) return false;
    return numeric(a, e, lookup);
  }
  let a = actual;
  let e = expected;
  if (a.startsWith(API_PREFIX) && e.includes(API_PREFIX)) {
    a = normalizeUri(a);
    e = normalizeUri(e);
  }
  switch (lookup) {
    case "startswith":
      return a.startsWith(e);
    case "istartswith":
      return a.toLowerCase().startsWith(e.toLowerCase());
    case "contains":
      return a.includes(e);
    case "icontains":
      return a.toLowerCase().includes(e.toLowerCase());
    case "iexact":
      return a.toLowerCase() === e.toLowerCase();
    default:
      return a === e;
  }
}

function numeric(a: number, e: number, lookup: Lookup): boolean {
  switch (lookup) {
    case "gte":
      return a >= e;
    case "lte":
      return a <= e;
    case "gt":
      return a > e;
    case "lt":
      return a < e;
    default:
      return a === e;
  }
}
