// generateDS's getters and setters, as v3 scripts call them (`vm.get_name()`, `vm.set_description("x")`,
// `host.get_cpu().get_topology()`): built at run time from the wire metadata, once per struct, on the
// prototypes of the params and resource classes and on one shared prototype per struct for nested objects,
// so the bundle holds no method per member.
import { wireStruct } from "./wire/metadata.js";
import { v3Aliases } from "./v3/to-v4.js";
import { withStatusObjects } from "./status.js";
import { V3_READ_BASES } from "./v3/boot-list.js";
import type { Status } from "./status.js";
import type { InitValue } from "./params-base.js";

const getters = new Map<string, () => unknown>();
const setters = new Map<string, (value: unknown) => void>();
const installed = new WeakSet<object>();
const nestedPrototypes = new Map<string, object>();

function getter(name: string): () => unknown {
  let fn = getters.get(name);
  if (!fn) {
    fn = function (this: Record<string, unknown>) {
      return this[name];
    };
    getters.set(name, fn);
  }
  return fn;
}

function setter(name: string): (value: unknown) => void {
  let fn = setters.get(name);
  if (!fn) {
    fn = function (this: Record<string, unknown>, value: unknown) {
      this[name] = value;
    };
    setters.set(name, fn);
  }
  return fn;
}

/** Defines `get_<member>`/`set_<member>` for every member of struct `typeName` on `prototype` (once). */
export function installAccessors(prototype: object, typeName: string): void {
  if (installed.has(prototype)) return;
  installed.add(prototype);
  const struct = wireStruct(typeName);
  // generateDS's spelling of `type` (a Python builtin), for reading as for writing.
  if (struct.byXml.has("type") && !("type_" in prototype)) {
    Object.defineProperty(prototype, "type_", { get: getter("type"), set: setter("type"), configurable: true });
  }
  // v3's names of members v4 renamed (`disk.size`, `placement_policy.host`), with their accessors.
  for (const alias of v3Aliases(typeName)) {
    if (alias.name in prototype) continue;
    Object.defineProperty(prototype, alias.name, {
      get(this: Record<string, unknown>) {
        return alias.get(this);
      },
      set(this: Record<string, unknown>, item: unknown) {
        alias.set(this, item);
      },
      configurable: true,
    });
    for (const [key, value] of [
      [`get_${alias.name}`, function (this: Record<string, unknown>) { return alias.get(this); }], // prettier-ignore
      [`set_${alias.name}`, function (this: Record<string, unknown>, item: unknown) { alias.set(this, item); }], // prettier-ignore
    ] as const) {
      Object.defineProperty(prototype, key, { value, writable: true, configurable: true });
    }
  }
  for (const name of struct.byXml.keys()) {
    for (const [key, fn] of [
      [`get_${name}`, getter(name)],
      [`set_${name}`, setter(name)],
    ] as const) {
      // A hand-written method of the same name wins.
      if (!(key in prototype)) Object.defineProperty(prototype, key, { value: fn, writable: true, configurable: true });
    }
  }
}

function nestedPrototype(typeName: string): object {
  let prototype = nestedPrototypes.get(typeName);
  if (!prototype) {
    prototype = Object.create(V3_READ_BASES[typeName] ?? Object.prototype) as object;
    installAccessors(prototype, typeName);
    nestedPrototypes.set(typeName, prototype);
  }
  return prototype;
}

/** Gives the plain objects nested in `value` (a struct `typeName`'s members) their struct's accessors. */
export function withNestedAccessors(value: object, typeName: string): void {
  const struct = wireStruct(typeName);
  // The members the object has, not every one of the model's (a Vm has over 100): the same objects are
  // reached, since only own members hold plain objects and arrays.
  for (const key of Object.keys(value)) {
    const member = struct.byXml.get(key);
    if (member === undefined) continue;
    const child = (value as Record<string, unknown>)[key];
    if (member.list && member.item && Array.isArray(child)) asV3List(child, member.item);
    if (member.kind !== "struct") continue;
    for (const item of Array.isArray(child) ? child : [child]) {
      if (typeof item !== "object" || item === null || Object.getPrototypeOf(item) !== Object.prototype) continue;
      Object.setPrototypeOf(item, nestedPrototype(member.type));
      withStatusObjects(item as Record<string, unknown>); // v3's status objects, nested ones too (0018)
      withNestedAccessors(item as object, member.type);
    }
  }
}

/**
 * v3 read a list member through its list object: `disk.storage_domains.storage_domain[0]`,
 * `disk.get_storage_domains().get_storage_domain()`. The array answers to its item name too (not enumerable,
 * so not in JSON), giving itself.
 */
function asV3List(list: unknown[], item: string): void {
  if (Object.hasOwn(list, item)) return;
  // One function for every list: arrays given the same functions share V8's hidden class; a closure of
  // their own per array turned each into a hash table (about 0.8 KB per list).
  Object.defineProperty(list, item, { get: itself, configurable: true });
  Object.defineProperty(list, `get_${item}`, { value: itself, configurable: true });
}

function itself<T>(this: T): T {
  return this;
}

type Leaf = string | number | boolean | bigint | Date | Status;

/** What a getter gives: nested structs with their accessors too. */
export type Accessed<V> = V extends Leaf
  ? V
  : V extends readonly (infer I)[]
    ? Accessed<I>[]
    : V extends object
      ? WithAccessors<V>
      : V;

/** generateDS's `get_<member>()` and `set_<member>(value)` for every member of `T`. */
export type Accessors<T> = {
  [K in keyof T & string as `get_${K}`]-?: () => Accessed<NonNullable<T[K]>> | undefined;
} & {
  [K in keyof T & string as `set_${K}`]-?: (value: InitValue<NonNullable<T[K]>> | null | undefined) => void;
} & ("type" extends keyof T ? { type_?: T["type" & keyof T] } : unknown);

/** A struct's members with generateDS's accessors. */
export type WithAccessors<T> = T & Accessors<T>;

/** Gives a plain object of struct `typeName` (an action's answer) and the objects nested in it their accessors. */
export function asAccessed<T extends object>(value: T, typeName: string): T {
  if (Object.getPrototypeOf(value) === Object.prototype) Object.setPrototypeOf(value, nestedPrototype(typeName));
  withNestedAccessors(value, typeName);
  return value;
}

/**
 * A list member as read from the engine: an array that also answers to its item name and `get_<item>()`, as
 * v3's list objects did (`disk.storage_domains.storage_domain[0]`, `disk.get_storage_domains().get_storage_domain()`).
 */
export type V3List<I, K extends string> = I[] & { readonly [P in K]: I[] } & { readonly [P in `get_${K}`]: () => I[] };
