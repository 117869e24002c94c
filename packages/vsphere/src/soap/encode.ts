// The SOAP request writer, driven by the wire metadata: every argument is checked against its declared
// type while it is written, so a wrong one is a ValidationError naming it before anything is sent.
// Values of a subtype carry xsi:type (a TraversalSpec where a SelectionSpec is declared); anyType values
// carry the type of the JavaScript value (xsd:string, xsd:int, ArrayOfString, a data object's type).
import { escapeXmlAttribute, escapeXmlText, ValidationError } from "@nimbus-sdk/common/client";
import { API_VERSION } from "../generated/wire.js";
import { isRawField, primitiveDefault, wsdlNameOf } from "../model/data.js";
import {
  arrayTypeName,
  dataType,
  enumType,
  isManagedSubtype,
  isNewerThan,
  isSubtype,
  valueTypeOfWireName,
  type FieldInfo,
  type OperationInfo,
  type PrimitiveKind,
  type TypeInfo,
  type ValueType,
} from "./metadata.js";

const ENVELOPE_START =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" ' +
  'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>';
const ENVELOPE_END = "</soapenv:Body></soapenv:Envelope>";

/** A managed object reference as the writer takes it: a managed object, or { type, value }. */
interface MoRefLike {
  type: string;
  value: string;
}

const INT_RANGES: Partial<Record<PrimitiveKind, [number, number]>> = {
  int: [-2147483648, 2147483647],
  short: [-32768, 32767],
  byte: [-128, 127],
};

/**
 * Writes the request envelope of `op` on `target` with `args` (positional, in the WSDL's order). Fields and
 * parameters newer than `version` (the connection's API version; default the schema's) are left out when
 * unset, as pyVmomi leaves them.
 */
export function encodeRequest(
  op: OperationInfo,
  target: MoRefLike,
  args: readonly unknown[],
  version: string = API_VERSION,
): string {
  const writer = new RequestWriter(op.name, version);
  let xml = `${ENVELOPE_START}<${op.name} xmlns="urn:vim25">`;
  xml += moRefElement("_this", target);
  op.params.forEach((param, i) => {
    if (!writer.skipsNewer(param, args[i], param.name)) xml += writer.field(param, args[i], param.name);
  });
  return `${xml}</${op.name}>${ENVELOPE_END}`;
}

function moRefElement(name: string, ref: MoRefLike, xsiType = ""): string {
  return `<${name}${xsiType} type="${escapeXmlAttribute(ref.type)}">${escapeXmlText(ref.value)}</${name}>`;
}

/** The { type, value } of a managed object or of a ManagedObjectReference-shaped object; else undefined. */
function asMoRef(value: unknown): MoRefLike | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as { _moId?: unknown; _wsdlName?: unknown; type?: unknown; value?: unknown };
  if (typeof v._moId === "string" && typeof v._wsdlName === "string") return { type: v._wsdlName, value: v._moId };
  if (typeof v.type === "string" && typeof v.value === "string" && Object.keys(value).length === 2) {
    return { type: v.type, value: v.value };
  }
  return undefined;
}

const isManaged = (value: object): boolean => typeof (value as { _moId?: unknown })._moId === "string";

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return "a Date";
  if (typeof value === "object") {
    const ref = asMoRef(value);
    if (ref) return `${ref.type}:${ref.value}`;
    const name = wsdlNameOf(value);
    return name ? `a ${name}` : "a plain object";
  }
  return typeof value === "function" ? "a function" : `a ${typeof value}`;
}

class RequestWriter {
  readonly #op: string;
  readonly #version: string;

  constructor(op: string, version: string) {
    this.#op = op;
    this.#version = version;
  }

  /**
   * Whether a field or parameter newer than the connection's version is left out: yes when unset or holding
   * the default pyVmomi fills in ([], "", 0, false); a value the caller set is an error, never dropped.
   */
  skipsNewer(field: FieldInfo, value: unknown, path: string): boolean {
    if (!isNewerThan(field, this.#version)) return false;
    const unset =
      value === undefined ||
      value === null ||
      (Array.isArray(value) && value.length === 0) ||
      (!field.array && value === primitiveDefault(field.type));
    if (!unset) this.#fail(path, `needs vSphere API ${field.since}; this connection speaks ${this.#version}`);
    return true;
  }

  #fail(path: string, problem: string): never {
    throw new ValidationError(`${this.#op}: ${path} ${problem}`, { field: path });
  }

  /** A field or parameter: nothing when absent (if optional), one element per item of an array. */
  field(field: FieldInfo, value: unknown, path: string): string {
    if (value === undefined || value === null) {
      if (!field.optional) this.#fail(path, `is required (${typeLabel(field.type)}${field.array ? "[]" : ""})`);
      return "";
    }
    if (!field.array) return this.value(field.name, field.type, value, path);
    if (!Array.isArray(value))
      this.#fail(path, `must be an array of ${typeLabel(field.type)} (got ${describe(value)})`);
    if (value.length === 0 && !field.optional) this.#fail(path, `needs at least one ${typeLabel(field.type)}`);
    let xml = "";
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined || item === null) this.#fail(`${path}[${i}]`, "is empty");
      xml += this.value(field.name, field.type, item, `${path}[${i}]`);
    }
    return xml;
  }

  /** One element `<name>` holding `value` of the declared `type`. */
  value(name: string, type: ValueType, value: unknown, path: string, xsiType = ""): string {
    switch (type.kind) {
      case "primitive":
        return `<${name}${xsiType}>${this.#primitive(type.name, value, path)}</${name}>`;
      case "enum": {
        const values = enumType(type.name)!;
        if (typeof value !== "string" || !values.has(value)) {
          const shown = typeof value === "string" ? JSON.stringify(value.slice(0, 40)) : describe(value);
          const some = [...values].slice(0, 8).join(", ");
          this.#fail(path, `must be a ${type.name}: one of ${some}${values.size > 8 ? ", …" : ""} (got ${shown})`);
        }
        return `<${name}${xsiType}>${escapeXmlText(value)}</${name}>`;
      }
      case "moref": {
        const ref = asMoRef(value);
        if (!ref)
          this.#fail(
            path,
            `must be a managed object${type.target ? ` (${type.target})` : ""} (got ${describe(value)})`,
          );
        if (type.target && type.target !== "ManagedObject" && !isManagedSubtype(ref.type, type.target)) {
          // A type this SDK does not know may be a newer subtype: let the server judge it.
          if (isManagedSubtype(ref.type, "ManagedObject")) {
            this.#fail(path, `must be a ${type.target} (got ${ref.type}:${ref.value})`);
          }
        }
        return moRefElement(name, ref, xsiType);
      }
      case "data":
        return this.#data(name, dataType(type.name)!, value, path, xsiType);
      case "any":
        return this.#any(name, value, path);
      case "array":
        if (!Array.isArray(value)) this.#fail(path, `must be an array (got ${describe(value)})`);
        return `<${name} xsi:type="${type.name}">${value
          .map((item: unknown, i) => this.value(itemElementName(type.item), type.item, item, `${path}[${i}]`))
          .join("")}</${name}>`;
    }
  }

  #data(name: string, declared: TypeInfo, value: unknown, path: string, xsiType: string): string {
    if (
      typeof value !== "object" ||
      value === null ||
      Array.isArray(value) ||
      value instanceof Date ||
      isManaged(value)
    ) {
      this.#fail(path, `must be a ${declared.name} (got ${describe(value)})`);
    }
    const wireName = wsdlNameOf(value);
    // An object decoded from a type this SDK does not know is an instance of a known class: write that.
    const className = (Object.getPrototypeOf(value) as { _wsdlName?: string } | null)?._wsdlName;
    const actual =
      wireName === undefined ? declared : (dataType(wireName) ?? (className ? dataType(className) : undefined));
    if (!actual) this.#fail(path, `must be a ${declared.name} (got a ${wireName})`);
    if (!isSubtype(actual, declared)) this.#fail(path, `must be a ${declared.name} (got a ${actual.name})`);
    const typeAttribute = actual !== declared ? ` xsi:type="${actual.name}"` : xsiType;
    return `<${name}${typeAttribute}>${this.#fields(actual, value, path)}</${name}>`;
  }

  #fields(type: TypeInfo, value: object, path: string): string {
    const record = value as Record<string, unknown>;
    let xml = "";
    for (const field of type.fields) {
      if (this.skipsNewer(field, record[field.name], `${path}.${field.name}`)) continue;
      // As pyVmomi sends it: an unset required string, boolean or number goes out as "", false or 0.
      const member = record[field.name] ?? (field.optional || field.array ? undefined : primitiveDefault(field.type));
      xml += this.field(field, member, `${path}.${field.name}`);
    }
    const isError = value instanceof Error;
    for (const key of Object.keys(value)) {
      if (type.fieldsByName.has(key) || isRawField(value, key)) continue;
      // A fault object also carries its error context (name, method, url ...), which is not sent.
      if (isError && ERROR_KEYS.has(key)) continue;
      this.#fail(`${path}.${key}`, `is not a field of ${type.name}`);
    }
    return xml;
  }

  // An anyType value: its xsi:type says what the JavaScript value is.
  #any(name: string, value: unknown, path: string): string {
    const type = anyValueType(value);
    if (!type) {
      this.#fail(path, `takes any vim value, but ${describe(value)} has no vim type (build it with new vim.<Type>(…))`);
    }
    if (type.kind === "data") {
      return this.#data(name, dataType(type.name)!, value, path, ` xsi:type="${type.name}"`);
    }
    const xsiType =
      type.kind === "primitive" ? `xsd:${type.name}` : type.kind === "moref" ? "ManagedObjectReference" : type.name;
    return this.value(name, type, value, path, ` xsi:type="${xsiType}"`);
  }

  #primitive(kind: PrimitiveKind, value: unknown, path: string): string {
    switch (kind) {
      case "string":
      case "anyURI":
        if (typeof value === "string") return escapeXmlText(value);
        // A class where a type name is expected: CreateContainerView(folder, [vim.VirtualMachine], true).
        if (typeof value === "function" && typeof (value as { _wsdlName?: unknown })._wsdlName === "string") {
          return (value as unknown as { _wsdlName: string })._wsdlName;
        }
        return this.#fail(path, `must be a string (got ${describe(value)})`);
      case "boolean":
        if (typeof value !== "boolean") this.#fail(path, `must be a boolean (got ${describe(value)})`);
        return value ? "true" : "false";
      case "int":
      case "short":
      case "byte":
      case "long": {
        if (kind === "long" && typeof value === "bigint") return value.toString();
        const range = INT_RANGES[kind] ?? [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
        if (typeof value !== "number" || !Number.isInteger(value) || value < range[0] || value > range[1]) {
          this.#fail(path, `must be an integer (xsd:${kind}, ${range[0]} to ${range[1]}) (got ${describe(value)})`);
        }
        return String(value);
      }
      case "float":
      case "double":
        if (typeof value !== "number") this.#fail(path, `must be a number (got ${describe(value)})`);
        return Number.isNaN(value) ? "NaN" : value === Infinity ? "INF" : value === -Infinity ? "-INF" : String(value);
      case "dateTime": {
        const date = value instanceof Date ? value : typeof value === "string" ? new Date(value) : undefined;
        if (!date || Number.isNaN(date.getTime())) this.#fail(path, `must be a Date (got ${describe(value)})`);
        return date.toISOString();
      }
      case "base64Binary":
        if (!(value instanceof Uint8Array)) this.#fail(path, `must be a Uint8Array or Buffer (got ${describe(value)})`);
        return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
    }
  }
}

const ERROR_KEYS = new Set([
  "name",
  "message",
  "stack",
  "cause",
  "method",
  "url",
  "status",
  "code",
  "requestId",
  "bodyExcerpt",
]);

/** The vim type of a JavaScript value written where anyType is declared; undefined when it has none. */
function anyValueType(value: unknown): ValueType | undefined {
  switch (typeof value) {
    case "string":
      return valueTypeOfWireName("string");
    case "boolean":
      return valueTypeOfWireName("boolean");
    case "bigint":
      return valueTypeOfWireName("long");
    case "number":
      if (!Number.isInteger(value)) return valueTypeOfWireName("double");
      return valueTypeOfWireName(value >= -2147483648 && value <= 2147483647 ? "int" : "long");
    case "object": {
      if (value === null) return undefined;
      if (value instanceof Date) return valueTypeOfWireName("dateTime");
      if (value instanceof Uint8Array) return valueTypeOfWireName("base64Binary");
      if (asMoRef(value)) return valueTypeOfWireName("ManagedObjectReference");
      if (Array.isArray(value)) {
        const items = value.map(anyValueType);
        const first = items[0];
        if (!first || items.some((t) => t?.name !== first.name)) return undefined;
        return valueTypeOfWireName(arrayTypeName(first));
      }
      const name = wsdlNameOf(value);
      return name === undefined ? undefined : valueTypeOfWireName(name);
    }
    default:
      return undefined;
  }
}

/** The element name of an ArrayOfX's items (the XSD names them after their type). */
function itemElementName(item: ValueType): string {
  return item.kind === "any" ? "anyType" : item.name;
}

function typeLabel(type: ValueType): string {
  return type.kind === "moref" ? type.target || "ManagedObject" : type.name;
}
