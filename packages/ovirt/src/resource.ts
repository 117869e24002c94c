// The base of every entity service's class (src/generated/resources.ts): a fetched entity whose members
// are its own properties (wire names: `vm.memory`, `vm.cpu.topology.cores`), edited in place and sent
// back with `update()` (v3's idiom: only what changed goes out), removed with `delete()`.
import { NimbusError, ValidationError } from "@nimbus-sdk/common";
import { decodeObject } from "./wire/decode.js";
import { encodeObject } from "./wire/encode.js";
import { AS_REFERENCE, STRUCT_TYPE } from "./wire/marks.js";
import { bindNode, childContext, nodeContext, sendMethod, type CallOptions, type NodeContext } from "./node.js";
import { stateOf, withStatusObjects } from "./status.js";
import { restore, snapshot, type Snapshot } from "./snapshot.js";
import { installAccessors, withNestedAccessors } from "./accessors.js";
import { v3ClassOf, type V3Object } from "./v3/params-object.js";

/** Options of update and delete: the call options, and the method's query parameters (`async`, `force` ...). */
export interface QueryOptions extends CallOptions {
  /** Links to inline: `"nics,disk_attachments.disk"` or `["nics", "disk_attachments.disk"]`. */
  follow?: string | readonly string[];
  [param: string]: string | readonly string[] | number | boolean | AbortSignal | undefined;
}

type ResourceClass<R> = new (context: NodeContext, data?: object) => R;

const shadowedByClass = new WeakMap<object, Set<string>>();

/** Names a class's prototype chain defines (sub-collection getters, actions): data of those names is not copied. */
function shadowedNames(prototype: object): Set<string> {
  let names = shadowedByClass.get(prototype);
  if (!names) {
    names = new Set();
    for (let p: object | null = prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      for (const name of Object.getOwnPropertyNames(p)) names.add(name);
    }
    shadowedByClass.set(prototype, names);
  }
  return names;
}

function same(a: unknown, b: unknown): boolean {
  // A Status is its value: an entity's status is unchanged until another value is set.
  [a, b] = [stateOf(a), stateOf(b)];
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const keysB = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * An entity of the v3 SDK (a VM, a host …): its fields as properties, `update()` sending what changed,
 * `delete()`, its actions (`start()`, `stop()` …), sub-collections and `status.state`.
 */
export class Resource<T extends object> {
  declare readonly [STRUCT_TYPE]: string;
  declare readonly [AS_REFERENCE]: true;

  /**
   * `data`, decoded for this entity, becomes the entity: its prototype is set to the class's, so its members
   * are neither copied nor redefined (defining 40 members on a new object took 27 µs per VM), and nothing
   * else may hold it. The members as fetched are kept as a snapshot for `update()` and `toJSON()`.
   */
  constructor(context: NodeContext, data: object = {}) {
    const prototype = Object.getPrototypeOf(this) as object;
    const entity = data as Record<string, unknown>;
    const type = context.service.type ?? "Identified";
    // Before the status objects and accessors go on, which the members as fetched do not have.
    originals.set(entity, snapshot(entity));
    // Members named as the class's sub-collections or methods (a `follow`ed `nics`) are in the snapshot only.
    const shadowed = shadowedNames(prototype);
    for (const key of Object.keys(entity)) if (shadowed.has(key)) delete entity[key];
    bindNode(entity, context);
    Object.defineProperty(entity, STRUCT_TYPE, { value: type });
    Object.defineProperty(entity, AS_REFERENCE, { value: true });
    // generateDS's get_x()/set_x(); the plain Resource serves several types, so it gets none.
    if (prototype !== Resource.prototype) installAccessors(prototype, type);
    withStatusObjects(entity);
    withNestedAccessors(entity, type);
    // Last: V8 shares no hidden class between objects given members after their prototype changed (a
    // hidden class and its descriptors per VM, 1.8 KB).
    Object.setPrototypeOf(entity, prototype);
    return entity as unknown as Resource<T>;
  }

  /**
   * Sends the members changed since the entity was fetched (PUT), and resolves to the entity as the engine
   * now has it; this object stays as it was. Query parameters of the model's update (`next_run`, `async`
   * ...) go in `options`.
   */
  async update(options: QueryOptions = {}): Promise<this> {
    const context = nodeContext(this);
    const type = this[STRUCT_TYPE];
    const original = restore(originals.get(this)!) as Record<string, unknown>;
    const changed = new Set(
      Object.keys(this).filter((key) => !same((this as Record<string, unknown>)[key], original[key])),
    );
    const body = encodeObject(this, type, { only: changed, label: context.path });
    const reply = await sendMethod(context, "update", options, body);
    return again(
      this,
      context,
      context.connection.decode(reply, (xml) => decodeObject(xml, type)),
    );
  }

  /**
   * Removes the entity (DELETE); query parameters of the model's remove (`force`, `detach_only` ...) go in
   * `options`. v3's `delete(params.StorageDomain(host=params.Host(name=h), format=True))` and
   * `delete(params.Action(force=True))` are taken too: what v3 sent in that body are v4's query parameters.
   */
  async delete(body: QueryOptions | V3Object = {}, options: QueryOptions = {}): Promise<void> {
    const context = nodeContext(this);
    const first = v3ClassOf(body) ? removeParameters(this, body, `${context.path}.remove`) : body;
    await sendMethod(context, "remove", { ...first, ...options });
  }

  /** The entity as the engine has it now (GET); query parameters of the model's get (`follow` ...) go in `options`. */
  async reload(options: QueryOptions = {}): Promise<this> {
    const context = nodeContext(this);
    return again(this, context, await fetchEntity(context, options));
  }

  /** The members as fetched, links shadowed by sub-collections (`follow`ed `nics`) included. */
  toJSON(): T {
    return restore(originals.get(this)!) as T;
  }
}

/**
 * The members of v3's delete body as the remove's query parameters: the entity's own name or id (which
 * the call already names) are left out, a referenced entity (`host=params.Host(name=...)`) is its id or
 * name; anything else the remove does not take is refused by the query check.
 */
function removeParameters(entity: object, body: object, label: string): QueryOptions {
  const own = entity as Record<string, unknown>;
  const query: QueryOptions = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    if ((key === "name" || key === "id") && value === own[key]) continue;
    if (typeof value !== "object") {
      query[key] = value as string | number | boolean;
      continue;
    }
    const { id, name } = value as { id?: unknown; name?: unknown };
    const ref = id ?? name;
    if (typeof ref !== "string") {
      throw new ValidationError(`${label}.${key} must name an entity by id or name`, { field: `${label}.${key}` });
    }
    query[key] = ref;
  }
  return query;
}

/** The members of each entity as fetched. */
const originals = new WeakMap<object, Snapshot>();

/** An entity of `entity`'s class from `data` (the engine's answer to an update or a reload). */
function again<R extends object>(entity: R, context: NodeContext, data: object): R {
  return new (entity.constructor as ResourceClass<R>)(context, data);
}

/** GETs the entity at `context` (with the get method's query parameters) and decodes it. */
export async function fetchEntity(context: NodeContext, options: QueryOptions): Promise<Record<string, unknown>> {
  const type = context.service.type;
  if (!type) throw new NimbusError(`${context.service.name} returns no entity`);
  const reply = await sendMethod(context, "get", options);
  return context.connection.decode(reply, (xml) => decodeObject(xml, type));
}

/** The collection or service that locator `name` of `node` leads to. */
export function locate<N>(node: object, name: string, nodeClass: new (context: NodeContext) => N): N {
  return new nodeClass(childContext(nodeContext(node), name));
}
