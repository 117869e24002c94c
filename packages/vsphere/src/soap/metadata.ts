// The wire metadata of src/generated/wire.ts, decoded entry by entry on first use: a connection that only
// logs in and reads a few properties decodes a few dozen of the 3,800 types, not all of them.
import {
  DATA_TYPES,
  ENUM_TYPES,
  MANAGED_TYPES,
  OPERATIONS,
  PRIMITIVE_ARRAY_TYPES,
  PY_METHODS,
  PY_NAMES,
  READ_ONLY_OPERATIONS,
  VMODL_QUERY_TYPES,
  VMODL_TYPES,
} from "../generated/wire.js";
import { compareVersions } from "./versions.js";

export type PrimitiveKind =
  | "string"
  | "int"
  | "long"
  | "short"
  | "byte"
  | "boolean"
  | "float"
  | "double"
  | "dateTime"
  | "base64Binary"
  | "anyURI";

/** What a value of some wire type is: how to encode and decode it. */
export type ValueType =
  | { readonly kind: "primitive"; readonly name: PrimitiveKind }
  | { readonly kind: "enum"; readonly name: string }
  | { readonly kind: "data"; readonly name: string }
  /** A ManagedObjectReference; `target` is the managed type it must be ("" for any). */
  | { readonly kind: "moref"; readonly name: "ManagedObjectReference"; readonly target: string }
  | { readonly kind: "any"; readonly name: "anyType" }
  /** An ArrayOfX type, met only as the xsi:type of an anyType value. */
  | { readonly kind: "array"; readonly name: string; readonly item: ValueType };

/** A field of a data type, or a parameter or the result of an operation. */
export interface FieldInfo {
  readonly name: string;
  readonly type: ValueType;
  readonly array: boolean;
  readonly optional: boolean;
  /** The API version a field or parameter newer than the WSDL appeared in: not sent to older servers. */
  readonly since?: string;
}

export interface TypeInfo {
  readonly name: string;
  readonly base: TypeInfo | undefined;
  /** Every field, the base type's first, in wire order. */
  readonly fields: readonly FieldInfo[];
  readonly fieldsByName: ReadonlyMap<string, FieldInfo>;
  /** Extends MethodFault: its class is an error. */
  readonly isFault: boolean;
}

export interface ManagedTypeInfo {
  readonly name: string;
  readonly base: ManagedTypeInfo | undefined;
  /** Own properties (the base type's are on the base), typed as fields; `array`: unset reads as []. */
  readonly properties: readonly FieldInfo[];
  /** Own methods: operation names. */
  readonly methods: readonly string[];
}

export interface OperationInfo {
  readonly name: string;
  /** Parameters after `_this`, in wire order. */
  readonly params: readonly FieldInfo[];
  /** Undefined for a void operation. */
  readonly result: FieldInfo | undefined;
  /** The API version an operation newer than the WSDL appeared in. */
  readonly since?: string;
}

const PRIMITIVES: Readonly<Record<string, PrimitiveKind>> = {
  s: "string",
  i: "int",
  l: "long",
  h: "short",
  y: "byte",
  b: "boolean",
  f: "float",
  d: "double",
  t: "dateTime",
  B: "base64Binary",
  u: "anyURI",
};

const PRIMITIVE_BY_NAME = new Map<string, ValueType>(
  Object.values(PRIMITIVES).map((name) => [name, { kind: "primitive", name }]),
);
const ANY: ValueType = { kind: "any", name: "anyType" };
const ANY_MOREF: ValueType = { kind: "moref", name: "ManagedObjectReference", target: "" };
const valueTypes = new Map<string, ValueType>();

function valueTypeOfCode(code: string): ValueType {
  let type = valueTypes.get(code);
  if (type) return type;
  if (code === "*") type = ANY;
  else if (code.startsWith("@")) type = { kind: "moref", name: "ManagedObjectReference", target: code.slice(1) };
  else if (PRIMITIVES[code]) type = PRIMITIVE_BY_NAME.get(PRIMITIVES[code]!)!;
  else if (Object.hasOwn(ENUM_TYPES, code)) type = { kind: "enum", name: code };
  else type = { kind: "data", name: code };
  valueTypes.set(code, type);
  return type;
}

function parseField(spec: string): FieldInfo {
  const colon = spec.indexOf(":");
  const slash = spec.indexOf("/", colon);
  const since = slash === -1 ? undefined : spec.slice(slash + 1);
  let code = spec.slice(colon + 1, slash === -1 ? undefined : slash);
  const optional = code.endsWith("?");
  if (optional) code = code.slice(0, -1);
  const array = code.endsWith("[]");
  if (array) code = code.slice(0, -2);
  const field = { name: spec.slice(0, colon), type: valueTypeOfCode(code), array, optional };
  return since ? { ...field, since } : field;
}

/** Whether a field, parameter or operation appeared after `version` (pyVmomi leaves such fields out). */
export function isNewerThan(item: { readonly since?: string }, version: string): boolean {
  return item.since !== undefined && compareVersions(item.since, version) > 0;
}

/** `build`, remembering each name's answer (undefined too): every type is decoded or built once. */
export function onceByName<T>(build: (name: string) => T | undefined): (name: string) => T | undefined {
  const built = new Map<string, T | null>();
  return (name) => {
    let entry = built.get(name);
    if (entry === undefined) {
      entry = build(name) ?? null;
      built.set(name, entry);
    }
    return entry ?? undefined;
  };
}

/** A lookup into one of wire.ts's tables that decodes an entry the first time it is asked for. */
function lazyTable<T>(
  table: Readonly<Record<string, string>>,
  decode: (name: string, spec: string) => T,
): (name: string) => T | undefined {
  return onceByName((name) => (Object.hasOwn(table, name) ? decode(name, table[name]!) : undefined));
}

/** The data type of that WSDL name, or undefined when this SDK does not know it. */
export const dataType = lazyTable(DATA_TYPES, (name, spec): TypeInfo => {
  const [baseName, fieldSpecs] = spec.split(";") as [string, string];
  const base = baseName ? dataType(baseName) : undefined;
  const own = fieldSpecs ? fieldSpecs.split(",").map(parseField) : [];
  const fields = base ? [...base.fields, ...own] : own;
  return {
    name,
    base,
    fields,
    fieldsByName: new Map(fields.map((f) => [f.name, f])),
    isFault: name === "MethodFault" || base?.isFault === true,
  };
});

/** Whether `type` is `ancestor` or derives from it. */
export function isSubtype(type: TypeInfo, ancestor: TypeInfo): boolean {
  for (let t: TypeInfo | undefined = type; t; t = t.base) if (t === ancestor) return true;
  return false;
}

/** The values of an enum, or undefined when this SDK does not know it. */
export const enumType = lazyTable(ENUM_TYPES, (_name, spec): ReadonlySet<string> => new Set(spec.split("|")));

/** The managed type of that WSDL name, or undefined when this SDK does not know it. */
export const managedType = lazyTable(MANAGED_TYPES, (name, spec): ManagedTypeInfo => {
  const [baseName, properties, methods] = spec.split(";") as [string, string, string];
  return {
    name,
    base: baseName ? managedType(baseName) : undefined,
    properties: properties ? properties.split(",").map(parseField) : [],
    methods: methods ? methods.split(",") : [],
  };
});

/** Whether the managed type `name` is `ancestor` or derives from it (unknown types: false). */
export function isManagedSubtype(name: string, ancestor: string): boolean {
  for (let t = managedType(name); t; t = t.base) if (t.name === ancestor) return true;
  return false;
}

/** The property of that name of the managed type or one of its bases. */
export function findProperty(type: ManagedTypeInfo, property: string): FieldInfo | undefined {
  for (let t: ManagedTypeInfo | undefined = type; t; t = t.base) {
    const found = t.properties.find((p) => p.name === property);
    if (found) return found;
  }
  return undefined;
}

/** The operation of that name, or undefined when this SDK does not know it. */
export const operation = lazyTable(OPERATIONS, (name, spec): OperationInfo => {
  const [params, result, since] = spec.split(";") as [string, string, string | undefined];
  const info = {
    name,
    params: params ? params.split(",").map(parseField) : [],
    result: result ? parseField(`returnval:${result}`) : undefined,
  };
  return since ? { ...info, since } : info;
});

/**
 * What a property path ("runtime.powerState") of a managed type leads to: the field at its end, or the first
 * segment that is not a property or field (`missing`) and the type that lacks it (`owner`). The walk stops,
 * without a verdict, at an anyType value or a managed object reference, whose fields the declared type does
 * not tell.
 */
export function resolvePropertyPath(
  type: ManagedTypeInfo,
  path: string,
): { readonly field: FieldInfo | undefined; readonly missing?: string; readonly owner?: string } {
  const segments = path.split(".");
  let field = findProperty(type, segments[0]!);
  if (!field) return { field, missing: segments[0], owner: type.name };
  for (const segment of segments.slice(1)) {
    if (field.type.kind !== "data") return { field: undefined };
    const owner: string = field.type.name;
    const next: FieldInfo | undefined = dataType(owner)!.fieldsByName.get(segment);
    if (!next) return { field: undefined, missing: segment, owner };
    field = next;
  }
  return { field };
}

/**
 * The value type an `xsi:type` names ("xsd:string", "VirtualMachineConfigInfo", "ArrayOfString" ...), its
 * prefix ignored; undefined for a type this SDK does not know.
 */
export function valueTypeOfWireName(qualifiedName: string): ValueType | undefined {
  const name = qualifiedName.slice(qualifiedName.indexOf(":") + 1);
  const cached = valueTypes.get(name);
  if (cached) return cached;
  let type: ValueType | undefined = PRIMITIVE_BY_NAME.get(name);
  if (!type) {
    if (name === "anyType") type = ANY;
    else if (name === "ManagedObjectReference") type = ANY_MOREF;
    else if (Object.hasOwn(ENUM_TYPES, name)) type = { kind: "enum", name };
    else if (Object.hasOwn(DATA_TYPES, name)) type = { kind: "data", name };
    else if (name.startsWith("ArrayOf")) {
      const itemCode = Object.hasOwn(PRIMITIVE_ARRAY_TYPES, name) ? PRIMITIVE_ARRAY_TYPES[name]! : undefined;
      // An array of a type this SDK does not know is still an array: its items are read as anyType.
      const item = itemCode ? valueTypeOfCode(itemCode) : valueTypeOfWireName(name.slice("ArrayOf".length));
      type = { kind: "array", name, item: item ?? ANY };
    }
  }
  if (type) valueTypes.set(name, type);
  return type;
}

/** The ArrayOfX name of an array of values of `item` (for the xsi:type of an anyType array). */
export function arrayTypeName(item: ValueType): string {
  if (item.kind === "primitive" || item.kind === "any") {
    for (const [name, code] of Object.entries(PRIMITIVE_ARRAY_TYPES)) {
      if (valueTypeOfCode(code) === item || (item.kind === "any" && code === "*")) return name;
    }
  }
  return `ArrayOf${item.name}`;
}

let vmodlNames: { core: ReadonlySet<string>; query: ReadonlySet<string> } | undefined;

/** Where pyVmomi files a data type: core-types.xsd's under vmodl, query-types.xsd's under vmodl.query. */
export function schemaNamespace(name: string): "vim" | "vmodl" | "vmodl.query" | undefined {
  vmodlNames ??= { core: new Set(VMODL_TYPES.split(",")), query: new Set(VMODL_QUERY_TYPES.split(",")) };
  if (vmodlNames.core.has(name)) return "vmodl";
  if (vmodlNames.query.has(name)) return "vmodl.query";
  return Object.hasOwn(DATA_TYPES, name) ? "vim" : undefined;
}

const pairs = (spec: string): [string, string][] =>
  spec ? spec.split(",").map((entry) => entry.split("=", 2) as [string, string]) : [];

/**
 * pyVmomi's names filed under `owner` ("" for `vim`, ".vm" for its package vm, else a WSDL type: TaskInfo
 * for vim.TaskInfo.State): name -> the WSDL type, or ".package" for a package.
 */
export const pyvmomiNames = lazyTable(PY_NAMES, (_owner, spec): ReadonlyMap<string, string> => new Map(pairs(spec)));

/** pyVmomi's method names of a managed type's own operations: [alias, operation] (Clone, CloneVM_Task). */
export const pyvmomiMethods = lazyTable(PY_METHODS, (_type, spec) => pairs(spec));

let readOnly: ReadonlySet<string> | undefined;

/** Whether the operation only reads (Query…, Find…, Retrieve…, WaitForUpdatesEx …): safe to send again. */
export function isReadOnlyOperation(name: string): boolean {
  readOnly ??= new Set(READ_ONLY_OPERATIONS.split(","));
  return readOnly.has(name);
}
