// The simulator's XML, on the same generated wire metadata as the SDK's codec (src/wire/metadata.ts).
// Reading is strict as the engine's JAXB unmarshaller with its validation handler is: an element the
// model does not define, a list item with the wrong name or a value of the wrong XSD type refuses
// the whole body. The envelope the engine adds (`href`, `<link>`, `<actions>`) is accepted and
// dropped, so a client may send back what it fetched. Values are kept as their wire text.
import { ParseError, escapeXmlAttribute, escapeXmlText, scanXml, type XmlHandler } from "@nimbus-sdk/common";
import { enumValues, type WireMember, type WireStruct, findWireStruct } from "../wire/metadata.js";
import { invalidValue, syntaxError } from "./faults.js";

/** An XML value as the simulator holds it: text, a record of child elements, or a list. */
export type WireValue = string | WireRecord | WireValue[];
/** An XML element as the simulator holds it: child values by element name. */
export interface WireRecord {
  [xml: string]: WireValue | undefined;
}

export const isRecord = (value: WireValue | undefined): value is WireRecord =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Names the engine's XML envelope uses inside an entity, outside the model. */
const ENVELOPE_ELEMENTS = new Set(["link", "actions"]);

const INT_RANGE = {
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
  unsignedInt: [0n, 2n ** 32n - 1n],
} as const;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE_TIME = /^-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$/;

/** A member's text checked against its type, in the form the engine would write it back. */
function convert(member: WireMember, raw: string): string {
  if (member.kind === "enum") {
    const values = enumValues(member.type) ?? [];
    const value = raw.trim();
    // The engine looks enum values up without regard to case and writes them lowercase.
    if (values.includes(value.toLowerCase())) return value.toLowerCase();
    throw invalidValue(`Value "${value}" isn't valid for ${member.type}, it should be one of: ${values.join(", ")}`);
  }
  const xsd = member.xsd ?? "string";
  if (xsd === "string") return raw;
  const value = raw.trim();
  switch (xsd) {
    case "boolean":
      if (value === "true" || value === "1") return "true";
      if (value === "false" || value === "0") return "false";
      throw invalidValue(`Value "${value}" isn't a valid boolean, it should be "true" or "false"`);
    case "int":
    case "long":
    case "unsignedInt": {
      const [min, max] = INT_RANGE[xsd];
      if (!/^[+-]?\d+$/.test(value)) throw invalidValue(`Value "${value}" isn't a valid integer`);
      const n = BigInt(value);
      if (n < min || n > max) {
        throw invalidValue(`Value "${value}" isn't a valid integer, it should be between ${min} and ${max}`);
      }
      return n.toString();
    }
    case "decimal":
    case "double":
      if (DECIMAL.test(value) || (xsd === "double" && /^(-?INF|NaN)$/.test(value))) return value;
      throw invalidValue(`Value "${value}" isn't a valid decimal number`);
    case "dateTime":
      if (DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) return value;
      throw invalidValue(`Value "${value}" isn't a valid date, it should be like 2016-09-14T12:00:48.132+02:00`);
  }
}

type Frame =
  | { kind: "struct"; struct: WireStruct; record: WireRecord; member?: WireMember }
  | { kind: "list"; member: WireMember; items: WireValue[] }
  | { kind: "value"; member: WireMember; text: string }
  | { kind: "envelope" };

/**
 * Reads a request body whose root must be `<expected.xml>`. Throws the engine's 400 faults:
 * "Request syntactically incorrect." (with `usageLink`) for anything JAXB would refuse, "Invalid
 * value" for text that does not fit its type.
 */
export function readDocument(xml: string, expected: WireStruct, usageLink: string): WireRecord {
  const stack: Frame[] = [];
  let result: WireRecord | undefined;
  const refuse = () => syntaxError(usageLink);

  const openStruct = (struct: WireStruct, attributes: Record<string, string> | null, member?: WireMember) => {
    const record: WireRecord = {};
    for (const [name, value] of Object.entries(attributes ?? {})) {
      // JAXB ignores attributes it does not know (`href`, or `name` written as an attribute).
      if (struct.byXml.get(name)?.attribute) record[name] = value;
    }
    stack.push({ kind: "struct", struct, record, member });
  };
  const openMember = (member: WireMember, attributes: Record<string, string> | null) => {
    if (member.kind === "struct") openStruct(findWireStruct(member.type)!, attributes, member);
    else stack.push({ kind: "value", member, text: "" });
  };
  const store = (value: WireValue, member: WireMember) => {
    const parent = stack[stack.length - 1];
    if (parent?.kind === "list") parent.items.push(value);
    else if (parent?.kind === "struct") parent.record[member.xml] = value;
  };

  const handler: XmlHandler = {
    open(name, attributes) {
      const top = stack[stack.length - 1];
      if (!top) {
        if (result !== undefined || name !== expected.xml) throw refuse();
        openStruct(expected, attributes);
        return;
      }
      switch (top.kind) {
        case "envelope":
          stack.push(top);
          return;
        case "value":
          throw refuse();
        case "list":
          if (name !== top.member.item) throw refuse();
          openMember(top.member, attributes);
          return;
        case "struct": {
          if (ENVELOPE_ELEMENTS.has(name) && top.struct.byXml.has("id")) {
            stack.push({ kind: "envelope" });
            return;
          }
          const member = top.struct.byXml.get(name);
          if (!member || member.attribute) throw refuse();
          if (member.list) stack.push({ kind: "list", member, items: [] });
          else openMember(member, attributes);
        }
      }
    },
    text(value) {
      const top = stack[stack.length - 1];
      if (top?.kind === "value") top.text += value;
    },
    close() {
      const top = stack.pop()!;
      switch (top.kind) {
        case "envelope":
          return;
        case "value":
          store(convert(top.member, top.text), top.member);
          return;
        case "list":
          store(top.items, top.member);
          return;
        case "struct":
          if (top.member) store(top.record, top.member);
          else result = top.record;
      }
    },
  };
  try {
    scanXml(xml, handler);
  } catch (error) {
    if (error instanceof ParseError) throw refuse();
    throw error;
  }
  if (!result) throw refuse();
  return result;
}

/** An indented XML document, written as the engine's marshaller formats it. */
export class XmlOut {
  private readonly parts: string[] = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'];
  private depth = 0;

  private static attributes(attributes: Record<string, string | undefined> | undefined): string {
    let out = "";
    for (const [name, value] of Object.entries(attributes ?? {})) {
      if (value !== undefined) out += ` ${name}="${escapeXmlAttribute(value)}"`;
    }
    return out;
  }

  open(name: string, attributes?: Record<string, string | undefined>): this {
    this.parts.push(`${"    ".repeat(this.depth)}<${name}${XmlOut.attributes(attributes)}>\n`);
    this.depth++;
    return this;
  }

  close(name: string): this {
    this.depth--;
    this.parts.push(`${"    ".repeat(this.depth)}</${name}>\n`);
    return this;
  }

  /** `<name>text</name>`, or `<name attr="..."/>` without text. */
  leaf(name: string, text?: string, attributes?: Record<string, string | undefined>): this {
    const indent = "    ".repeat(this.depth);
    const attrs = XmlOut.attributes(attributes);
    this.parts.push(
      text === undefined
        ? `${indent}<${name}${attrs}/>\n`
        : `${indent}<${name}${attrs}>${escapeXmlText(text)}</${name}>\n`,
    );
    return this;
  }

  toString(): string {
    return this.parts.join("");
  }
}
