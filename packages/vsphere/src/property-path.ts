// `await vm.get("runtime.host.name")`: a property path read in one await, crossing managed object
// references. The property collector resolves a path inside one object only, so each object the path
// reaches costs one RetrievePropertiesEx: runtime.host.name is two round trips (the VM's runtime.host,
// then the host's name), and a path through an array of references reads each of them.
import { ValidationError } from "@nimbus-sdk/common/client";
import type { CallOptions, ManagedObjectBase } from "./model/base.js";
import { dataType, findProperty, managedType, type FieldInfo, type ManagedTypeInfo } from "./soap/metadata.js";

type OrUndefined<T, R> = undefined extends T ? R | undefined : R;

/** The type of the value at `path` of T, references followed ("runtime.host.name" of a VM: string). */
export type PathValue<T, P extends string> =
  NonNullable<T> extends readonly (infer E)[]
    ? PathValue<E, P>[]
    : P extends `${infer Head}.${infer Rest}`
      ? Head extends keyof NonNullable<T>
        ? OrUndefined<T, PathValue<Awaited<NonNullable<T>[Head]>, Rest>>
        : unknown
      : P extends keyof NonNullable<T>
        ? OrUndefined<T, Awaited<NonNullable<T>[P]>>
        : unknown;

/** What a path is read from: a managed object reference bound to a connection. */
type Reference = Pick<ManagedObjectBase, "_moId" | "_wsdlName" | "_stub">;

const isManaged = (value: unknown): value is Reference =>
  typeof value === "object" && value !== null && typeof (value as { _moId?: unknown })._moId === "string";

/**
 * Splits `path` of the managed type into the part the server reads in one go (up to the first reference or
 * array of data objects) and the rest, after checking every segment against the schema (an anyType value
 * ends the check: its type is the server's).
 */
function split(type: ManagedTypeInfo, path: string): { here: string; rest: string[] } {
  const segments = path.split(".");
  const fail = (problem: string): never => {
    throw new ValidationError(`${type.name}.get("${path}"): ${problem}`, { field: "path" });
  };
  let cut = segments.length;
  let field: FieldInfo | undefined =
    findProperty(type, segments[0]!) ?? fail(`${type.name} has no property ${segments[0]}`);
  for (let i = 1; i < segments.length && field; i++) {
    const segment = segments[i]!;
    const kind: string = field.type.kind;
    if ((kind === "moref" || field.array) && cut === segments.length) cut = i;
    if (kind === "moref") {
      const target = managedType((field.type as { target: string }).target);
      field = target && (findProperty(target, segment) ?? fail(`${target.name} has no property ${segment}`));
    } else if (kind === "data") {
      const owner = dataType(field.type.name)!;
      field = owner.fieldsByName.get(segment) ?? fail(`${owner.name} has no field ${segment}`);
    } else if (kind === "any") field = undefined;
    else fail(`${segments.slice(0, i).join(".")} is a ${field.type.name}, with no ${segment}`);
  }
  return { here: segments.slice(0, cut).join("."), rest: segments.slice(cut) };
}

/** Reads `path` of `mo`, following references: one round trip per managed object reached. */
export async function readPropertyPath(mo: Reference, path: string, options: CallOptions = {}): Promise<unknown> {
  const stub = mo._stub;
  if (!stub)
    throw new ValidationError(`${String(mo)}.get: this reference is not bound to a connection`, { field: "this" });
  const type = managedType(mo._wsdlName);
  if (!type) throw new ValidationError(`${mo._wsdlName} is not a managed type this SDK knows`, { field: "this" });
  const { here, rest } = split(type, path);
  const value = await stub.retrieveProperty(mo, here, options);
  return rest.length ? walk(value, rest, options) : value;
}

// The rest of a path below a value already read: into data objects here, through references by reading.
function walk(value: unknown, rest: string[], options: CallOptions): unknown {
  if (value === undefined || value === null || rest.length === 0) return value;
  if (Array.isArray(value)) return Promise.all(value.map((item) => walk(item, rest, options)));
  if (isManaged(value)) return readPropertyPath(value, rest.join("."), options);
  if (typeof value !== "object") return undefined;
  const [head, ...tail] = rest;
  return walk((value as Record<string, unknown>)[head!], tail, options);
}
