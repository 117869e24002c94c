// Writes the simulator's documents in the XSDs' shape, driven by the generated schema table
// (src/generated/schema.ts): children in the order the XSD's sequence wants, every mandatory
// element present, nothing undeclared where the XSD is closed. A document that would break its XSD
// throws here, so a test catches the simulator's mistake instead of a client tripping over it.
import { escapeXmlText } from "@nimbus-sdk/common";
import { documentSchemas, type DocumentId, type ElementSchema } from "../generated/schema.js";
import { attributeIsVector, attributeXml, cdata, OneTemplate, type Attribute, type VectorValue } from "./template.js";

/** An element's content before it is written: objects by child name, arrays for repeated children. */
export type DocValue = string | number | bigint | DocObject | readonly DocValue[] | OneTemplate | VectorValue | RawXml;
export interface DocObject {
  readonly [child: string]: DocValue | undefined;
}

/** Written verbatim: a child element already serialised (cached VM bodies in pools). */
export class RawXml {
  constructor(readonly xml: string) {}
}

/** A bug of the simulator: it was about to send a document its XSD refuses. */
export class SchemaViolation extends Error {}

const isPlain = (v: unknown): v is DocObject =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof OneTemplate) &&
  !(v instanceof Map) &&
  !(v instanceof RawXml);

function leaf(schema: ElementSchema, value: DocValue, path: string): string {
  if (typeof value === "object") throw new SchemaViolation(`${path} should be a ${schema.kind}, not an object`);
  const text = String(value);
  if (schema.kind === "number") {
    const pattern = schema.type === "integer" || schema.type === "long" ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
    if (!pattern.test(text)) throw new SchemaViolation(`${path} should be an xs:${schema.type}, not "${text}"`);
    return `<${schema.name}>${text}</${schema.name}>`;
  }
  return `<${schema.name}>${escapeXmlText(text)}</${schema.name}>`;
}

/** A template attribute where the XSD declares its shape (VM TEMPLATE's SNAPSHOT, SCHED_ACTION, VIDEO …). */
function declaredAttribute(schema: ElementSchema, a: Attribute, path: string): string {
  if (schema.kind === "element" && schema.children && schema.children.length > 0) {
    if (!attributeIsVector(a)) throw new SchemaViolation(`${path} should be a vector attribute`);
    let xml = `<${a.name}>`;
    const declared = new Set<string>();
    for (const child of schema.children) {
      declared.add(child.name);
      const v = a.vector.get(child.name);
      if (v === undefined) {
        if (!child.optional) throw new SchemaViolation(`${path}/${child.name} is mandatory`);
        continue;
      }
      xml += `<${child.name}>${cdata(v)}</${child.name}>`;
    }
    for (const key of a.vector.keys()) {
      if (!declared.has(key)) throw new SchemaViolation(`${path}/${key} is not in the XSD`);
    }
    return `${xml}</${a.name}>`;
  }
  if ((schema.kind === "string" || schema.kind === "number") && attributeIsVector(a)) {
    throw new SchemaViolation(`${path} should be a single attribute, not a vector`);
  }
  return attributeXml(a);
}

/**
 * A TEMPLATE: free-form ones as oned writes them (sorted by name); where the XSD declares the
 * children (VM's TEMPLATE), only those, in its order. oned's short pool bodies show the same subset.
 */
function template(schema: ElementSchema, value: OneTemplate, path: string): string {
  if (!schema.children || schema.children.length === 0) return value.toXml(schema.name);
  let xml = `<${schema.name}>`;
  for (const child of schema.children) {
    const matches = value.attributes.filter((a) => a.name === child.name);
    if (matches.length === 0 && !child.optional) throw new SchemaViolation(`${path}/${child.name} is mandatory`);
    if (matches.length > 1 && !child.repeated) throw new SchemaViolation(`${path}/${child.name} may appear once`);
    for (const a of matches) xml += declaredAttribute(child, a, `${path}/${child.name}`);
  }
  return `${xml}</${schema.name}>`;
}

function element(schema: ElementSchema, value: DocValue, path: string): string {
  if (value instanceof RawXml) return value.xml;
  switch (schema.kind) {
    case "number":
    case "string":
      return leaf(schema, value, path);
    case "template":
      if (!(value instanceof OneTemplate)) throw new SchemaViolation(`${path} should be a template`);
      return template(schema, value, path);
    case "any":
      if (value instanceof OneTemplate) return value.toXml(schema.name);
      if (value instanceof Map) return attributeXml({ name: schema.name, vector: value });
      if (typeof value === "object") throw new SchemaViolation(`${path} should be a template or text`);
      return `<${schema.name}>${cdata(String(value))}</${schema.name}>`;
    case "element":
      break;
  }
  if (value instanceof Map && schema.open) return attributeXml({ name: schema.name, vector: value });
  if (!isPlain(value)) throw new SchemaViolation(`${path} should be an element with children`);
  let xml = `<${schema.name}>`;
  const declared = new Set<string>();
  for (const child of schema.children ?? []) {
    declared.add(child.name);
    const v = value[child.name];
    const childPath = `${path}/${child.name}`;
    if (v === undefined) {
      if (!child.optional) throw new SchemaViolation(`${childPath} is mandatory`);
      continue;
    }
    if (child.repeated) {
      if (!Array.isArray(v)) throw new SchemaViolation(`${childPath} repeats: give an array`);
      for (const item of v as readonly DocValue[]) xml += element(child, item, childPath);
    } else {
      if (Array.isArray(v)) throw new SchemaViolation(`${childPath} appears once, not as an array`);
      xml += element(child, v as DocValue, childPath);
    }
  }
  for (const [key, v] of Object.entries(value)) {
    if (declared.has(key) || v === undefined) continue;
    if (!schema.open) throw new SchemaViolation(`${path}/${key} is not in the XSD`);
    xml += `<${key}>${cdata(String(v))}</${key}>`;
  }
  return `${xml}</${schema.name}>`;
}

/** The document `id` with `content` as its root's children, as oned sends it (no namespace). */
export function writeDocument(id: DocumentId, content: DocObject): string {
  const schema = documentSchemas[id].element;
  return element(schema, content, schema.name);
}

/** One repeated child of a document's root, alone (a pool's VM, cached between answers). */
export function writeChild(id: DocumentId, child: string, content: DocObject): string {
  const schema = documentSchemas[id].element.children?.find((c) => c.name === child);
  if (!schema) throw new SchemaViolation(`${id} has no child ${child}`);
  return element(schema, content, `${documentSchemas[id].root}/${child}`);
}

/** The schema of a document's element by path, e.g. `childSchema("VM", "TEMPLATE")`. */
export function childSchema(id: DocumentId, ...path: string[]): ElementSchema {
  let schema = documentSchemas[id].element;
  for (const name of path) {
    const next = schema.children?.find((c) => c.name === name);
    if (!next) throw new SchemaViolation(`${[schema.name, ...path].join("/")}: no ${name} in the XSD`);
    schema = next;
  }
  return schema;
}
