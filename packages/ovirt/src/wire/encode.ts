// Typed objects to XML, driven by the wire metadata: members in model order, `id` as an attribute, lists
// inside their wrapper element, resources nested in another object as references. The same walk checks
// every value first, so a wrong name or type is a ValidationError before anything is sent.
import { ValidationError, escapeXmlAttribute, escapeXmlText } from "@nimbus-sdk/common";
import { AS_REFERENCE, LIST_ITEMS, STRUCT_TYPE, type Marked } from "./marks.js";
import { enumValues, isA, wireStruct, type WireMember, type WireStruct } from "./metadata.js";
import { stateOf } from "../status.js";
import { v3ListAsV4, v3ListItems, v3ToV4 } from "../v3/to-v4.js";

/** Members the engine adds around the model's (`href`, `link`, `actions`): accepted, never sent. */
const ENVELOPE = new Set(["href", "link", "actions"]);

/** Options of encoding a struct into the XML the engine reads: the root element's name. */
export interface EncodeOptions {
  /** The root element's name (default: the struct's, `vm`). */
  element?: string;
  /** Write only these members of the root object (an update sends what changed). */
  only?: ReadonlySet<string>;
  /** Names the root in error messages (default: the struct's name). */
  label?: string;
}

/** A value the checks walk: a plain object, a params object or a resource. */
type Fields = Record<string, unknown> & Marked;

/** `value` as the XML document of struct `typeName`; throws ValidationError for a wrong member or value. */
export function encodeObject(value: object, typeName: string, options: EncodeOptions = {}): string {
  value = v3ToV4(value, typeName, options.label ?? typeName);
  const struct = structOf(value as Fields, wireStruct(typeName), options.label ?? typeName);
  const out: string[] = [];
  writeStruct(out, options.element ?? struct.xml, struct, value as Fields, options.label ?? struct.name, options.only);
  return out.join("");
}

/** Checks `value` as struct `typeName` without writing it; `label` names it in messages (`VM`). */
export function checkObject(value: object, typeName: string, label: string): void {
  value = v3ToV4(value, typeName, label);
  const struct = structOf(value as Fields, wireStruct(typeName), label);
  writeStruct(null, struct.xml, struct, value as Fields, label, undefined);
}

/** The struct to write an object as: its own (a subtype of `expected`, say), or `expected`. */
function structOf(value: Fields, expected: WireStruct, label: string): WireStruct {
  const own = value[STRUCT_TYPE];
  if (own === undefined || own === expected.name) return expected;
  if (!isA(own, expected.name)) {
    throw new ValidationError(`${label} must be a ${expected.name}, not a ${own}`, { field: label });
  }
  return wireStruct(own);
}

function writeStruct(
  out: string[] | null,
  element: string,
  struct: WireStruct,
  value: Fields,
  label: string,
  only: ReadonlySet<string> | undefined,
): void {
  for (const key of Object.keys(value)) {
    if (!struct.byXml.has(key) && !ENVELOPE.has(key)) throw unknownMember(struct, key, label);
  }
  let attributes = "";
  const children: string[] | null = out ? [] : null;
  for (const member of struct.members) {
    if (only && !only.has(member.xml)) continue;
    const item = value[member.xml];
    if (item === undefined || item === null) continue;
    const path = `${label}.${member.xml}`;
    if (member.attribute) {
      const text = primitiveText(member, item, path);
      attributes += ` ${member.xml}="${escapeXmlAttribute(text)}"`;
    } else {
      writeMember(children, member, item, path);
    }
  }
  if (!out) return;
  out.push(
    children!.length ? `<${element}${attributes}>${children!.join("")}</${element}>` : `<${element}${attributes}/>`,
  );
}

function writeMember(out: string[] | null, member: WireMember, value: unknown, path: string): void {
  if (!member.list) {
    writeOne(out, member, member.xml, value, path);
    return;
  }
  const items = listItems(member, v3ListItems(value, path), path);
  out?.push(`<${member.xml}>`);
  items.forEach((item, i) => writeOne(out, member, member.item!, item, `${path}[${i}]`));
  out?.push(`</${member.xml}>`);
}

/** A list member's items: an array, a params list (`params.StorageDomains`) or `{ storage_domain: [...] }`. */
function listItems(member: WireMember, value: unknown, path: string): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "object" && value !== null) {
    const key = (value as Marked)[LIST_ITEMS] ?? member.item!;
    const keys = Object.keys(value);
    const items = (value as Record<string, unknown>)[key];
    if (Array.isArray(items) && keys.every((k) => k === key)) return items;
    if (items === undefined && keys.length === 0) return [];
  }
  throw new ValidationError(
    `${path} must be a list of ${member.type} (an array, or { ${member.item}: [...] }), not ${describe(value)}`,
    { field: path },
  );
}

function writeOne(out: string[] | null, member: WireMember, element: string, value: unknown, path: string): void {
  if (member.kind !== "struct") {
    const text = primitiveText(member, value, path);
    out?.push(`<${element}>${escapeXmlText(text)}</${element}>`);
    return;
  }
  value = v3ListAsV4(member.type, value, path);
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Date) {
    throw new ValidationError(`${path} must be a ${member.type} object, not ${describe(value)}`, { field: path });
  }
  // A v3 params object nested in a v4 one (or in a plain object) is sent as v4's members.
  const fields = v3ToV4(value, member.type, path) as Fields;
  const struct = structOf(fields, wireStruct(member.type), path);
  if (fields[AS_REFERENCE]) {
    writeReference(out, element, fields, path);
    return;
  }
  writeStruct(out, element, struct, fields, path, undefined);
}

/** An entity fetched from the engine, nested in another object: `<cluster id="..."/>` is all it takes. */
function writeReference(out: string[] | null, element: string, value: Fields, path: string): void {
  const { id, name } = value;
  if (typeof id === "string") out?.push(`<${element} id="${escapeXmlAttribute(id)}"/>`);
  else if (typeof name === "string") out?.push(`<${element}><name>${escapeXmlText(name)}</name></${element}>`);
  else throw new ValidationError(`${path} refers to an entity without an id or a name`, { field: path });
}

const INTEGER_TEXT = /^-?\d+$/;

/** The text of a primitive or enum value (also a query parameter's), after checking its type. */
export function primitiveText(member: Pick<WireMember, "type" | "kind">, value: unknown, path: string): string {
  const wrong = (what: string): never => {
    throw new ValidationError(`${path} must be ${what}, not ${describe(value)}`, { field: path });
  };
  value = stateOf(value); // a fetched entity's Status goes back as its value
  if (member.kind === "enum") {
    const values = enumValues(member.type)!;
    if (typeof value !== "string" || !values.includes(value)) wrong(`one of ${values.map((v) => `"${v}"`).join(", ")}`);
    return value as string;
  }
  switch (member.type) {
    case "String":
      return typeof value === "string" ? value : wrong("a string");
    case "Boolean":
      return typeof value === "boolean" ? String(value) : wrong("a boolean");
    case "Integer":
      if (typeof value === "number" && Number.isInteger(value)) return String(value);
      if (typeof value === "bigint") return String(value);
      // A long beyond 2^53 decodes as its digits (docs/decisions/0007), so such digits are taken back.
      if (typeof value === "string" && INTEGER_TEXT.test(value) && !Number.isSafeInteger(Number(value))) return value;
      return wrong("an integer");
    case "Decimal":
      return typeof value === "number" && Number.isFinite(value) ? String(value) : wrong("a finite number");
    case "Date":
      if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
      return typeof value === "string" && !Number.isNaN(Date.parse(value)) ? value : wrong("a Date");
    default:
      throw new Error(`no encoding for the primitive type ${member.type}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return "a Date";
  if (typeof value === "object") return `a ${(value as Marked)[STRUCT_TYPE] ?? "plain object"}`;
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return `${typeof value} ${String(value)}`;
}

/** "VM has no member size (did you mean provisioned_size, initial_size ...?)". */
function unknownMember(struct: WireStruct, key: string, label: string): ValidationError {
  const stem = key.replace(/_+$/, "").toLowerCase();
  const hints = stem
    ? struct.members.map((m) => m.xml).filter((name) => name === stem || name.split("_").includes(stem))
    : [];
  const hint = hints.length ? ` (did you mean ${hints.join(", ")}?)` : "";
  return new ValidationError(
    `${label} has no member "${key}"${hint}; the ${struct.name} type of the oVirt API v4 model does not define it`,
    {
      field: `${label}.${key}`,
    },
  );
}
