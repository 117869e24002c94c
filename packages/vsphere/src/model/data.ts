// Data object and fault classes, built from the wire metadata the first time a type is used (3,800 eager
// classes would cost every process start). A fault class extends common's NimbusError, so
// `catch (e) { if (e instanceof vim.fault.InvalidLogin) … }` works, across copies of the package too.
import { inspect } from "node:util";
import { NimbusError, ValidationError, type NimbusErrorOptions } from "@nimbus-sdk/common/client";
import { dataType, onceByName, schemaNamespace, type TypeInfo, type ValueType } from "../soap/metadata.js";
import { brand, isInstanceOf } from "./brand.js";

/** Names of the properties a decoded object kept from a newer server: shown, but never sent back. */
const RAW_FIELDS = Symbol("vsphere.rawFields");

export interface DataConstructor {
  new (init?: object, options?: NimbusErrorOptions & { message?: string }): object;
  readonly _wsdlName: string;
}

/** The base of every data object class. */
export class DataObject {
  constructor(init?: object) {
    assignDefaults(this);
    if (init !== undefined) assignInit(this, init);
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return isInstanceOf(this, "data", (this as { _wsdlName?: string })._wsdlName, value);
  }
}
brand(DataObject, "data");

/** The base of every fault class (vmodl.MethodFault's parent): an error with the fault's fields. */
export class MethodFaultBase extends NimbusError {
  static override readonly errorKind: string = "@nimbus-sdk/vsphere:MethodFaultBase";

  constructor(init?: object, options: NimbusErrorOptions & { message?: string } = {}) {
    super(options.message ?? new.target.name, options);
    assignDefaults(this);
    if (init !== undefined) assignInit(this, init);
  }

  /** The context and every fault field, for structured logs. */
  override toJSON(): ReturnType<NimbusError["toJSON"]> & Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    const info = typeOf(this);
    for (const f of info?.fields ?? []) {
      const value = (this as unknown as Record<string, unknown>)[f.name];
      if (value !== undefined) fields[f.name] = value;
    }
    return { ...super.toJSON(), _wsdlName: wsdlNameOf(this), ...fields };
  }
}

function typeOf(value: object): TypeInfo | undefined {
  const name = (Object.getPrototypeOf(value) as { _wsdlName?: string })._wsdlName;
  return name === undefined ? undefined : dataType(name);
}

/**
 * pyVmomi's member defaults (VmomiSupport's DataObject.__init__): every array is [], and a required
 * string, boolean or number is "", false or 0; a required enum, date, binary, data object or reference stays
 * unset. A fault keeps its error's own name, message, url and method (its context when built with options).
 */
const memberDefaults = onceByName((name): readonly [string, unknown][] | undefined => {
  const info = dataType(name);
  if (!info) return undefined;
  const defaults: [string, unknown][] = [];
  for (const f of info.fields) {
    if (f.array) defaults.push([f.name, ARRAY_DEFAULT]);
    else if (!f.optional && !(info.isFault && ERROR_OWN_FIELDS.has(f.name))) {
      const value = primitiveDefault(f.type);
      if (value !== undefined) defaults.push([f.name, value]);
    }
  }
  return defaults;
});

const ARRAY_DEFAULT = Symbol("array");
const ERROR_OWN_FIELDS = new Set(["name", "message", "stack", "cause", "url", "method"]);

/** The empty value pyVmomi gives a required member of that type; undefined when it gives None. */
export function primitiveDefault(type: ValueType): string | boolean | number | undefined {
  if (type.kind !== "primitive") return undefined;
  switch (type.name) {
    case "string":
    case "anyURI":
      return "";
    case "boolean":
      return false;
    case "dateTime":
    case "base64Binary":
      return undefined;
    default:
      return 0;
  }
}

function assignDefaults(target: object): void {
  const name = (Object.getPrototypeOf(target) as { _wsdlName?: string })._wsdlName;
  const defaults = name === undefined ? undefined : memberDefaults(name);
  if (!defaults) return;
  const record = target as Record<string, unknown>;
  for (const [field, value] of defaults) record[field] = value === ARRAY_DEFAULT ? [] : value;
}

function assignInit(target: object, init: object): void {
  const info = typeOf(target);
  const isFault = target instanceof Error;
  for (const [key, value] of Object.entries(init)) {
    if (info && !info.fieldsByName.has(key) && !(isFault && key === "message")) {
      throw new ValidationError(`${info.name} has no field ${key}`, { field: key });
    }
    (target as Record<string, unknown>)[key] = value;
  }
}

/** The class of a data or fault type, built on first use; undefined for a type this SDK does not know. */
export const dataClass = onceByName((name): DataConstructor | undefined => {
  const info = dataType(name);
  if (!info) return undefined;
  const base: abstract new (...args: never[]) => object = info.base
    ? dataClass(info.base.name)!
    : info.name === "MethodFault"
      ? MethodFaultBase
      : DataObject;
  // A computed key names the class after the WSDL type (error.name, stack traces, inspect).
  const cls = { [name]: class extends (base as typeof DataObject) {} }[name] as unknown as DataConstructor;
  Object.defineProperty(cls, "_wsdlName", { value: name });
  Object.defineProperty(cls.prototype, "_wsdlName", { value: name });
  if (info.isFault) Object.defineProperty(cls, "errorKind", { value: `@nimbus-sdk/vsphere:${name}` });
  return cls;
});

/** The WSDL type name of a data object (the server's, for a type newer than this SDK). */
export function wsdlNameOf(value: object): string | undefined {
  return (value as { _wsdlName?: string })._wsdlName;
}

/**
 * Marks an object decoded from a type this SDK does not know: it is an instance of the nearest known
 * class, and reports the server's type name.
 */
export function markUnknownType(value: object, wireName: string): void {
  Object.defineProperty(value, "_wsdlName", { value: wireName, enumerable: false });
}

/** Records that a property of a decoded object is not a field of its type (a newer server's). */
export function markRawField(value: object, field: string): void {
  let raw = (value as { [RAW_FIELDS]?: Set<string> })[RAW_FIELDS];
  if (!raw) {
    raw = new Set();
    Object.defineProperty(value, RAW_FIELDS, { value: raw, enumerable: false });
  }
  raw.add(field);
}

/** Whether the property was kept from a newer server's answer (so it is not sent back). */
export function isRawField(value: object, field: string): boolean {
  return (value as { [RAW_FIELDS]?: Set<string> })[RAW_FIELDS]?.has(field) === true;
}

/** pyVmomi's namespaced name of a fault type, for messages: "vim.fault.InvalidLogin". */
export function faultDisplayName(name: string): string {
  const namespace = schemaNamespace(name);
  if (namespace === "vim") return `vim.fault.${name}`;
  if (namespace === "vmodl.query" || name === "MethodFault" || name === "RuntimeFault") return `${namespace}.${name}`;
  return namespace === "vmodl" ? `vmodl.fault.${name}` : name;
}

/**
 * A fault's own scalar fields, as "name=value" for a message: what was wrong (invalidProperty=spec.name,
 * obj=VirtualMachine:vm-42). Strings longer than 80 characters are cut.
 */
export function describeFaultFields(fault: object): string {
  const info = typeOf(fault);
  const parts: string[] = [];
  for (const f of info?.fields ?? []) {
    if (f.array || f.name === "faultCause" || f.name === "faultMessage") continue;
    const value = (fault as Record<string, unknown>)[f.name];
    if (value === undefined || value === null) continue;
    if (f.type.kind === "moref") parts.push(`${f.name}=${String(value)}`);
    else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      const text = String(value);
      parts.push(`${f.name}=${text.length > 80 ? `${text.slice(0, 80)}…` : text}`);
    }
  }
  return parts.join(", ");
}

/**
 * Gives a decoded fault (built before its context was known) its message and error context:
 * "<what>: <server's text> (vim.fault.X: field=value, …)", with `code` the fault's WSDL name.
 */
export function setFaultContext(
  fault: Error,
  what: string,
  text: string | undefined,
  context: Omit<NimbusErrorOptions, "cause" | "code"> = {},
): Error {
  const type = wsdlNameOf(fault) ?? "MethodFault";
  const fields = describeFaultFields(fault);
  const message = `${what}: ${text || type} (${faultDisplayName(type)}${fields ? `: ${fields}` : ""})`;
  return Object.assign(fault, { ...context, message, code: type });
}

// Data objects print as their type and fields, as pyVmomi's do.
Object.defineProperty(DataObject.prototype, inspect.custom, {
  value(this: DataObject, depth: number, options: { stylize: (s: string, style: string) => string }) {
    const name = wsdlNameOf(this) ?? "DataObject";
    if (depth < 0) return options.stylize(`[vim.${name}]`, "special");
    return `vim.${name} ${inspect({ ...this }, { ...options, depth: depth - 1 } as Parameters<typeof inspect>[1])}`;
  },
});
