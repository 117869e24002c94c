// XML to typed objects in one pass over common's scanXml events, driven by the wire metadata: no tree in
// between, so a 10,000-VM list decodes at scanner speed into little more memory than its objects take.
//
//   - `id` and `href` attributes become properties; `<link rel href/>` elements are kept in `link`, the
//     `<actions>` block in `actions` (both as { rel, href });
//   - lists become arrays; Boolean members booleans; Integer members numbers, or the decimal string when the
//     value is beyond 2^53 (no precision is lost silently); Decimal members numbers; Date members Dates;
//     enum values stay the engine's strings (a newer engine's new value included);
//   - elements and attributes the model does not define (a newer engine's) are skipped with their content,
//     and reported to `onUnknown` when given; text inside a struct element (the "..." of documentation
//     examples) is ignored.
import { ParseError, scanXml, type XmlHandler } from "@nimbus-sdk/common";
import type { Link } from "../generated/types.js";
import { isA, structByElement, structByPlural, wireStruct, type WireMember, type WireStruct } from "./metadata.js";

/** Options of decoding the engine's XML into the model's types. */
export interface DecodeOptions {
  /**
   * Called for each element or attribute the model does not define where it appears, with its path
   * (`vm/foo`, `vm/cluster/@name`); it is skipped either way. Throw from it to refuse such documents.
   */
  onUnknown?: (path: string) => void;
}

/** What a document held: its root element, the struct it is, and the decoded object or list of objects. */
export interface DecodedDocument {
  element: string;
  struct: WireStruct;
  list: boolean;
  value: Record<string, unknown> | Record<string, unknown>[];
}

const STRUCT = 0;
const LIST = 1;
const VALUE = 2;
const ACTIONS = 3;
const LINK = 4;

type Target = Record<string, unknown> | unknown[];

/** One open element being decoded. Frames are reused from depth to depth: no allocation per element. */
interface Frame {
  kind: number;
  target: Target;
  /** STRUCT: the struct being filled. */
  struct: WireStruct | undefined;
  /** LIST: the list member (undefined for the root of a list document); VALUE: the member. */
  member: WireMember | undefined;
  name: string;
}

/**
 * A copy of a string the scanner cut from the document, so that the object keeping it does not keep the
 * document's text too: V8 makes a longer substring a view of its parent (a 64 KiB piece of a streamed
 * answer, or the whole body). Measured on 10,000 VMs: the decoded list holds 1.1x the document instead
 * of 1.9x. Short strings are copies already.
 */
function own(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}

const slowStructs = new Map<WireStruct, boolean>();

/**
 * Whether an object of `struct` may have more members than V8 keeps in fast mode when they are set by
 * computed names (`object[name] = value`): past 4 in the object and 12 beside it, V8 turns the object into a
 * hash table, about 4 times the size (1.6 KB instead of 0.37 KB for 40 members). Such objects are copied
 * once complete (`{ ...object }` builds a fast one). Measured on a 10,000-VM list: the VM objects.
 */
function mayBeSlow(struct: WireStruct): boolean {
  let slow = slowStructs.get(struct);
  if (slow === undefined) {
    // The model's members, plus `href`, `link` and `actions`.
    slow = struct.byXml.size + 3 > 16;
    slowStructs.set(struct, slow);
  }
  return slow;
}

const KNOWN_STRINGS = 4096;

const ZERO = /^\s*[-+]?0+\s*$/;
const DIGITS = /^\s*[-+]?\d+\s*$/;

class Decoder implements XmlHandler {
  readonly #frames: Frame[] = [];
  #depth = 0;
  // Depth inside an element being skipped (unknown to the model); 0 when not skipping.
  #skipping = 0;
  #text = "";
  readonly #strings = new Map<string, string>();
  readonly #onUnknown?: (path: string) => void;
  root: Target | undefined;

  constructor(
    readonly rootStruct: WireStruct,
    readonly rootList: boolean,
    options: DecodeOptions,
  ) {
    this.#onUnknown = options.onUnknown;
  }

  open(name: string, attributes: Record<string, string> | null): void {
    if (this.#skipping > 0) {
      this.#skipping++;
      return;
    }
    if (this.#depth === 0) {
      this.#checkRoot(name);
      if (this.rootList) {
        this.root = [];
        this.#push(LIST, this.root, undefined, undefined, name);
      } else {
        this.root = this.#object(this.rootStruct, attributes, name);
        this.#push(STRUCT, this.root, this.rootStruct, undefined, name);
      }
      return;
    }
    const frame = this.#frames[this.#depth - 1]!;
    const kind = frame.kind;
    if (kind === STRUCT) {
      const member = frame.struct!.byXml.get(name);
      const object = frame.target as Record<string, unknown>;
      if (member !== undefined && !member.attribute) {
        if (member.list) {
          const items: unknown[] = [];
          object[name] = items;
          this.#push(LIST, items, undefined, member, name);
        } else if (member.kind === "struct") {
          const child = wireStruct(member.type);
          const value = this.#object(child, attributes, name);
          object[name] = value;
          this.#push(STRUCT, value, child, undefined, name);
        } else {
          this.#text = "";
          this.#push(VALUE, object, undefined, member, name);
        }
      } else if (name === "link") {
        ((object.link ??= []) as Link[]).push(this.#link(attributes));
        this.#push(LINK, object, undefined, undefined, name);
      } else if (name === "actions") {
        const actions: Link[] = [];
        object.actions = actions;
        this.#push(ACTIONS, actions, undefined, undefined, name);
      } else {
        this.#unknown(name);
      }
    } else if (kind === LIST) {
      const member = frame.member;
      const items = frame.target as unknown[];
      if (member === undefined) {
        // The root of a list document: its items are the struct's elements.
        if (name === this.rootStruct.xml) {
          const value = this.#object(this.rootStruct, attributes, name);
          items.push(value);
          this.#push(STRUCT, value, this.rootStruct, undefined, name);
        } else this.#unknown(name);
      } else if (name === member.item) {
        if (member.kind === "struct") {
          const child = wireStruct(member.type);
          const value = this.#object(child, attributes, name);
          items.push(value);
          this.#push(STRUCT, value, child, undefined, name);
        } else {
          this.#text = "";
          this.#push(VALUE, items, undefined, member, name);
        }
      } else this.#unknown(name);
    } else if (kind === ACTIONS && name === "link") {
      (frame.target as Link[]).push(this.#link(attributes));
      this.#push(LINK, frame.target, undefined, undefined, name);
    } else {
      this.#unknown(name);
    }
  }

  text(value: string): void {
    if (this.#skipping === 0 && this.#depth > 0 && this.#frames[this.#depth - 1]!.kind === VALUE) this.#text += value;
  }

  close(): void {
    if (this.#skipping > 0) {
      this.#skipping--;
      return;
    }
    const frame = this.#frames[this.#depth - 1]!;
    if (frame.kind === VALUE) {
      const value = this.#convert(frame.member!, this.#text);
      if (Array.isArray(frame.target)) frame.target.push(value);
      else frame.target[frame.member!.xml] = value;
    } else if (frame.kind === STRUCT) {
      const object = frame.target as Record<string, unknown>;
      // An array holds 17 slots from its first push on: a copy holds its items only (a VM's links, 0.1 KB).
      if (object.link !== undefined) object.link = (object.link as Link[]).slice();
      if (mayBeSlow(frame.struct!)) this.#replace(frame, { ...object });
    } else if ((frame.kind === LIST && this.#depth > 1) || frame.kind === ACTIONS) {
      this.#replace(frame, (frame.target as unknown[]).slice());
    }
    this.#depth--;
  }

  /** Puts `value` where the object or array of `frame` (the innermost open frame) was placed. */
  #replace(frame: Frame, value: Target): void {
    if (this.#depth === 1) {
      this.root = value;
      return;
    }
    const parent = this.#frames[this.#depth - 2]!;
    if (parent.kind === LIST) {
      const items = parent.target as unknown[];
      items[items.length - 1] = value;
    } else (parent.target as Record<string, unknown>)[frame.name] = value;
  }

  #push(kind: number, target: Target, struct: WireStruct | undefined, member: WireMember | undefined, name: string) {
    const frame = this.#frames[this.#depth];
    if (frame === undefined) this.#frames.push({ kind, target, struct, member, name });
    else {
      frame.kind = kind;
      frame.target = target;
      frame.struct = struct;
      frame.member = member;
      frame.name = name;
    }
    this.#depth++;
  }

  #object(struct: WireStruct, attributes: Record<string, string> | null, name: string): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    if (attributes === null) return object;
    for (const key in attributes) {
      const value = attributes[key]!;
      const member = struct.byXml.get(key);
      if (member?.attribute) object[key] = this.#convert(member, value, name);
      else if (key === "href") object.href = this.#own(value);
      else this.#onUnknown?.(`${this.#path(name)}/@${key}`);
    }
    return object;
  }

  #link(attributes: Record<string, string> | null): Link {
    return { rel: this.#own(attributes?.rel ?? ""), href: this.#own(attributes?.href ?? "") };
  }

  /**
   * `text` as a string of its own (see own()), the same string for the same text: values repeated from entity
   * to entity (enum values, links' `rel`, the `href` and `id` of the cluster or template every VM refers to)
   * are held once. Measured on 10,000 VMs: 10 MB less, and fewer copies made.
   */
  #own(text: string): string {
    const known = this.#strings.get(text);
    if (known !== undefined) return known;
    const copy = own(text);
    // Cleared when full: a list of unique values costs a bounded map, and repeated ones come back at once.
    if (this.#strings.size >= KNOWN_STRINGS) this.#strings.clear();
    this.#strings.set(copy, copy);
    return copy;
  }

  #unknown(name: string): void {
    this.#onUnknown?.(this.#path(name));
    this.#skipping = 1;
  }

  /** "vms/vm/cpu": the open elements, and `last` after them. */
  #path(last?: string): string {
    const names = this.#frames.slice(0, this.#depth).map((f) => f.name);
    if (last !== undefined) names.push(last);
    return names.join("/");
  }

  /** `text` as `member`'s type; `attributeOf` names the element when the member is one of its attributes. */
  #convert(member: WireMember, text: string, attributeOf?: string): unknown {
    switch (member.type) {
      case "String":
        return this.#own(text);
      case "Boolean":
        if (text === "true" || text === "1") return true;
        if (text === "false" || text === "0") return false;
        return this.#invalid(member, text, "a boolean", attributeOf);
      case "Integer": {
        const number = +text;
        if (Number.isSafeInteger(number) && (number !== 0 || ZERO.test(text))) return number;
        // Beyond 2^53 a number would round: the digits are kept (docs/decisions/0007).
        if (DIGITS.test(text)) return text.trim().replace(/^\+/, "");
        return this.#invalid(member, text, "an integer", attributeOf);
      }
      case "Decimal": {
        const trimmed = text.trim();
        const number = trimmed === "INF" ? Infinity : trimmed === "-INF" ? -Infinity : +trimmed;
        if (trimmed !== "" && (!Number.isNaN(number) || trimmed === "NaN")) return number;
        return this.#invalid(member, text, "a number", attributeOf);
      }
      case "Date": {
        const date = new Date(text);
        if (!Number.isNaN(date.getTime())) return date;
        const trimmed = new Date(text.trim());
        return Number.isNaN(trimmed.getTime()) ? this.#invalid(member, text, "a date", attributeOf) : trimmed;
      }
      default:
        // Enums: the engine's spelling as it is, so a newer engine's value is not lost.
        return this.#own(text);
    }
  }

  /** A document of another element (a `<fault>` where `<vms>` was due, a `<host>` for a Vm) is refused. */
  #checkRoot(name: string): void {
    const struct = this.rootStruct;
    const expected = this.rootList ? struct.plural : struct.xml;
    if (name === expected) return;
    const found = this.rootList ? structByPlural(name) : structByElement(name);
    if (found && isA(found.name, struct.name)) return;
    const what = this.rootList ? `a list of ${struct.name}` : `a ${struct.name}`;
    throw new ParseError(
      `expected <${expected ?? struct.xml}> (${what}) as the document element, found <${name}>` +
        (name === "fault" ? " (the engine sent a fault with a success status)" : ""),
    );
  }

  #invalid(member: WireMember, text: string, what: string, attributeOf?: string): never {
    const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
    const path = attributeOf === undefined ? this.#path() : `${this.#path(attributeOf)}/@${member.xml}`;
    throw new ParseError(`the engine's XML has ${shown} at ${path}, which is not ${what}`);
  }
}

function run(xml: string, struct: WireStruct, list: boolean, options: DecodeOptions): Target {
  const decoder = new Decoder(struct, list, options);
  scanXml(xml, decoder);
  return decoder.root!;
}

/** The root element's name, read without scanning the document. */
export function rootElementName(xml: string): string | undefined {
  const match = /<([A-Za-z_][\w.-]*)/.exec(xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, ""));
  return match?.[1];
}

/**
 * Decodes a document of one struct `typeName` (`<vm>`, `<action>`), or of a struct deriving from it.
 * Throws ParseError for malformed XML, another document element, or a value of the wrong type.
 */
export function decodeObject(xml: string, typeName: string, options: DecodeOptions = {}): Record<string, unknown> {
  return run(xml, wireStruct(typeName), false, options) as Record<string, unknown>;
}

/** Decodes a list document of struct `typeName` (`<vms><vm/>...</vms>`) into an array; ParseError as decodeObject. */
export function decodeList(xml: string, typeName: string, options: DecodeOptions = {}): Record<string, unknown>[] {
  return run(xml, wireStruct(typeName), true, options) as Record<string, unknown>[];
}

/** A decoder fed with scan events (common's XmlStreamScanner, as a body streams in) and its result. */
export interface StreamDecoder<T> {
  handler: XmlHandler;
  /** The decoded value, once the whole document went through `handler`. */
  result(): T;
}

/** decodeList's decoder for a document that comes in pieces: the same objects and errors. */
export function listDecoder(typeName: string, options: DecodeOptions = {}): StreamDecoder<Record<string, unknown>[]> {
  const decoder = new Decoder(wireStruct(typeName), true, options);
  return { handler: decoder, result: () => decoder.root as Record<string, unknown>[] };
}

/**
 * Decodes any document the model describes, finding the struct from the root element: `<vm>` is one Vm,
 * `<vms>` a list of them. Throws ParseError when the model has no such element.
 */
export function decodeDocument(xml: string, options: DecodeOptions = {}): DecodedDocument {
  const element = rootElementName(xml);
  const one = element === undefined ? undefined : structByElement(element);
  const many = one || element === undefined ? undefined : structByPlural(element);
  const struct = one ?? many;
  if (!struct || element === undefined) {
    // Scanning first names a malformed document's problem before saying the element is unknown.
    scanXml(xml, { open() {}, text() {}, close() {} });
    throw new ParseError(`the oVirt API model has no document element <${element}>`);
  }
  const value = run(xml, struct, many !== undefined, options) as DecodedDocument["value"];
  return { element, struct, list: many !== undefined, value };
}
