// The property collector helpers: `si.collect` reads properties of many objects in one round trip per
// page (RetrievePropertiesEx, then ContinueRetrievePropertiesEx), awaited whole or iterated with
// `for await`; `si.watch` turns WaitForUpdatesEx into an async iterator of property changes.
import { ValidationError } from "@nimbus-sdk/common/client";
import type { vim } from "./generated/vim.js";
import type { CallOptions, Input, ManagedClass, ManagedObjectBase } from "./model/base.js";
import { dataClass } from "./model/data.js";
import { isManagedSubtype, managedType, resolvePropertyPath } from "./soap/metadata.js";
import type { SoapStub } from "./soap/stub.js";

/** Where to read from: a view (its objects), a list of objects, or one object. */
export type CollectSource = vim.ManagedObject | readonly vim.ManagedObject[];

/** The type of the value at a property path ("runtime.powerState") of a managed type. */
export type PropertyPathValue<T, P extends string> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? DataPathValue<Awaited<T[Head]>, Rest>
    : unknown
  : P extends keyof T
    ? Awaited<T[P]>
    : unknown;

type DataPathValue<T, P extends string> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof NonNullable<T>
    ? DataPathValue<NonNullable<T>[Head], Rest>
    : unknown
  : P extends keyof NonNullable<T>
    ? NonNullable<T>[P]
    : unknown;

/** One object's properties: `obj` and each path asked for (absent when the server has no value). */
export type CollectedRow<T, P extends readonly string[]> = { readonly obj: T } & {
  readonly [K in P[number]]?: PropertyPathValue<T, K>;
};

export interface CollectOptions extends CallOptions {
  /** Objects per page (RetrieveOptions.maxObjects); default: the server's choice. */
  pageSize?: number;
}

export interface WatchOptions extends CallOptions {
  /** Seconds each WaitForUpdatesEx call waits for a change before asking again (default 60). */
  maxWaitSeconds?: number;
}

/** A change the property collector reported for one object. */
export interface PropertyUpdate<T> {
  readonly obj: T;
  /** "enter": first report (all paths), "modify": some changed, "leave": the object left the set. */
  readonly kind: vim.ObjectUpdateKind;
  readonly changes: readonly { readonly name: string; readonly op: vim.PropertyChangeOp; readonly val: unknown }[];
}

/** A listing that is awaited whole (`await`) or iterated row by row (`for await`), one request per page. */
export class PropertyQuery<R> implements PromiseLike<R[]>, AsyncIterable<R> {
  readonly #pages: () => AsyncGenerator<R[]>;

  constructor(pages: () => AsyncGenerator<R[]>) {
    this.#pages = pages;
  }

  /** Each page of rows in turn. */
  pages(): AsyncGenerator<R[]> {
    return this.#pages();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<R> {
    for await (const page of this.#pages()) yield* page;
  }

  /** Every row of every page. */
  async all(): Promise<R[]> {
    const rows: R[] = [];
    for await (const page of this.#pages()) for (const row of page) rows.push(row);
    return rows;
  }

  then<A = R[], B = never>(
    onFulfilled?: ((rows: R[]) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.all().then(onFulfilled, onRejected);
  }
}

function typeNameOf(type: ManagedClass<unknown> | string): string {
  const name = typeof type === "string" ? type : type?._wsdlName;
  if (typeof name !== "string" || !managedType(name)) {
    throw new ValidationError(`the type must be a managed type such as vim.VirtualMachine (got ${String(name)})`, {
      field: "type",
    });
  }
  return name;
}

function checkPaths(type: string, paths: readonly string[]): void {
  if (!Array.isArray(paths) || paths.length === 0 || paths.some((p) => typeof p !== "string" || !p)) {
    throw new ValidationError(`the property paths must be a non-empty array of strings, e.g. ["name"]`, {
      field: "paths",
    });
  }
  for (const path of paths) {
    const { missing, owner } = resolvePropertyPath(managedType(type)!, path);
    if (missing === undefined) continue;
    const what = owner === type ? `${type} has no property ${missing}` : `${owner} has no field ${missing}`;
    throw new ValidationError(`${what} (in the path "${path}")`, { field: "paths" });
  }
}

function stubOf(from: CollectSource): SoapStub {
  const first = (Array.isArray(from) ? from[0] : from) as ManagedObjectBase | undefined;
  const stub = first?._stub;
  if (!stub) throw new ValidationError("collect/watch needs managed objects bound to a connection", { field: "from" });
  return stub;
}

/** The PropertyFilterSpec that reads `paths` of every `type` object of `from`. */
export function filterSpec(from: CollectSource, type: string, paths: readonly string[]): Input<vim.PropertyFilterSpec> {
  let objectSet: Input<vim.ObjectSpec>[];
  if (Array.isArray(from)) {
    objectSet = from.map((obj: vim.ManagedObject) => ({ obj }));
  } else if (isManagedSubtype((from as vim.ManagedObject)._wsdlName, "ManagedObjectView")) {
    const view = from as vim.ManagedObject;
    const traversal = new (dataClass("TraversalSpec")!)({
      name: "traverseView",
      type: view._wsdlName,
      path: "view",
      skip: false,
    });
    objectSet = [{ obj: view, skip: true, selectSet: [traversal as vim.TraversalSpec] }];
  } else {
    objectSet = [{ obj: from as vim.ManagedObject }];
  }
  return { propSet: [{ type, pathSet: [...paths] }], objectSet };
}

/** `si.collect(view, vim.VirtualMachine, ["name", "runtime.powerState"])`: see ServiceInstanceHelpers. */
export function collect<T, const P extends readonly string[]>(
  from: CollectSource,
  type: ManagedClass<T> | string,
  paths: P,
  options: CollectOptions = {},
): PropertyQuery<CollectedRow<T, P>> {
  const typeName = typeNameOf(type);
  checkPaths(typeName, paths);
  // No objects, no rows: nothing to ask (and no connection to ask it through).
  if (Array.isArray(from) && from.length === 0) return new PropertyQuery(async function* () {});
  const stub = stubOf(from);
  const spec = filterSpec(from, typeName, paths);
  return new PropertyQuery(async function* () {
    const { propertyCollector: pc } = await stub.serviceContent(options);
    const retrieveOptions = options.pageSize === undefined ? {} : { maxObjects: options.pageSize };
    let result = await pc.RetrievePropertiesEx([spec], retrieveOptions, options);
    let token = result?.token;
    try {
      while (result) {
        yield result.objects.map((content) => {
          const row: Record<string, unknown> = { obj: content.obj };
          for (const property of content.propSet ?? []) row[property.name] = property.val;
          return row as CollectedRow<T, P>;
        });
        token = result.token;
        result = token ? await pc.ContinueRetrievePropertiesEx(token, options) : undefined;
      }
      token = undefined;
    } finally {
      // A listing left before its last page frees the server's copy of the rest.
      if (token) await pc.CancelRetrievePropertiesEx(token).catch(() => undefined);
    }
  });
}

/** `si.watch(view, vim.VirtualMachine, ["runtime.powerState"])`: see ServiceInstanceHelpers. */
export async function* watch<T, const P extends readonly string[]>(
  from: CollectSource,
  type: ManagedClass<T> | string,
  paths: P,
  options: WatchOptions = {},
): AsyncGenerator<PropertyUpdate<T>> {
  const typeName = typeNameOf(type);
  checkPaths(typeName, paths);
  const stub = stubOf(from);
  const maxWaitSeconds = options.maxWaitSeconds ?? 60;
  if (!Number.isInteger(maxWaitSeconds) || maxWaitSeconds < 1) {
    throw new ValidationError(`maxWaitSeconds must be a whole number of seconds, at least 1 (got ${maxWaitSeconds})`, {
      field: "maxWaitSeconds",
    });
  }
  const { propertyCollector } = await stub.serviceContent(options);
  // A collector of its own: its filter and version do not mix with anyone else's updates.
  const pc = await propertyCollector.CreatePropertyCollector(options);
  try {
    await pc.CreateFilter(filterSpec(from, typeName, paths), false, options);
    // Each call waits up to maxWaitSeconds for a change: its default timeout allows for that.
    const callOptions = { signal: options.signal, timeout: options.timeout ?? (maxWaitSeconds + 30) * 1000 };
    let version = "";
    for (;;) {
      const set = await pc.WaitForUpdatesEx(version, { maxWaitSeconds }, callOptions);
      if (!set) continue;
      version = set.version;
      for (const filter of set.filterSet ?? []) {
        for (const update of filter.objectSet ?? []) {
          yield {
            obj: update.obj as T,
            kind: update.kind,
            changes: (update.changeSet ?? []).map((c) => ({ name: c.name, op: c.op, val: c.val })),
          };
        }
      }
    }
  } finally {
    await pc.DestroyPropertyCollector().catch(() => undefined);
  }
}
