// The documents oned answers (vm.info, vmpool.info …) decoded into the objects schema.ts types, in
// one pass over common's scanXml events with no tree in between (a pool of 10,000 VMs is tens of MB).
// Lenient, because real XML often breaks the XSD (addon-pyone#6, #12; one#1821):
// - names are taken without a namespace prefix; attributes are ignored (oned writes none);
// - elements the XSD does not declare are kept: text as a string, children as a nested object, a
//   repeated one as an array;
// - declared repeated elements are always arrays (empty when none came back), declared numbers are
//   numbers, an empty one (<ETIME/>) is left out, and a value that is not a plain decimal number (or an
//   integer beyond 2^53) stays the string it was (the types say number: the one edge they do not show);
// - presence is not enforced: a member the XSD makes mandatory (typed as required) that oned left out
//   is simply absent;
// - TEMPLATE and USER_TEMPLATE become plain dictionaries (TemplateDictionary) that remember their
//   root; they are always present; their vectors that an XSD declares repeated (DISK, NIC …) are always arrays.
import { ParseError, decodeUtf8, scanXml, type XmlHandler } from "@nimbus-sdk/common";
import {
  TEMPLATE_VECTOR_KEYS,
  documentSchemas,
  methodDocuments,
  type DocumentId,
  type DocumentResults,
  type Documents,
  type ElementSchema,
  type XmlDocument,
} from "./generated/schema.js";
import { setTemplateRoot } from "./template.js";
import { localName } from "./xmlrpc/decode.js";

// How an element is being decoded (numbers rather than strings: compared on every event).
/** A leaf declared xs:integer, xs:decimal … */
const NUMBER = 0;
/** A leaf declared xs:string (or a restriction of it). */
const STRING = 1;
/** An element with declared children. */
const ELEMENT = 2;
/** TEMPLATE / USER_TEMPLATE. */
const TEMPLATE = 3;
/** Anything undeclared, xs:anyType, and everything inside a template. */
const FREE = 4;
type Mode = typeof NUMBER | typeof STRING | typeof ELEMENT | typeof TEMPLATE | typeof FREE;

type DecodedObject = Record<string, unknown>;

/** A declared element's children, indexed once per schema list. */
interface Compiled {
  readonly byName: Map<string, ElementSchema>;
  /** Children that must be there after decoding: arrays (repeated) and templates. */
  readonly alwaysPresent: readonly ElementSchema[];
}

const compiledLists = new WeakMap<readonly ElementSchema[], Compiled>();
const NO_CHILDREN: readonly ElementSchema[] = [];

function compile(children: readonly ElementSchema[] = NO_CHILDREN): Compiled {
  let compiled = compiledLists.get(children);
  if (compiled === undefined) {
    compiled = {
      byName: new Map(children.map((c) => [c.name, c])),
      alwaysPresent: children.filter((c) => c.repeated === true || c.kind === "template"),
    };
    compiledLists.set(children, compiled);
  }
  return compiled;
}

const TEMPLATE_VECTORS = new Set(TEMPLATE_VECTOR_KEYS);
const INTEGER = /^-?\d{1,15}$/;
const LONG_INTEGER = /^-?\d{16,}$/;
const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * A declared number; undefined for an empty element (`<ETIME/>`: the member is left out); the text as
 * it came when it is not a number a double holds exactly (an integer beyond 2^53, a word).
 */
function toNumber(raw: string): number | string | undefined {
  const text = raw.trim();
  if (text === "") return undefined;
  if (INTEGER.test(text)) return Number(text);
  if (LONG_INTEGER.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : text;
  }
  return DECIMAL.test(text) ? Number(text) : text;
}

/** Adds a child's value: declared repeated ones always into an array, others into one once they repeat. */
function addChild(target: DecodedObject, name: string, value: unknown, repeated: boolean): void {
  if (name === "__proto__") {
    // An element may be called anything; this one must not reach the object's prototype.
    const own = Object.getOwnPropertyDescriptor(target, name)?.value as unknown;
    const next = own === undefined ? (repeated ? [value] : value) : Array.isArray(own) ? [...own, value] : [own, value];
    Object.defineProperty(target, name, { value: next, enumerable: true, writable: true, configurable: true });
    return;
  }
  const existing = target[name];
  // Inherited members (toString …) are functions; no decoded value is.
  if (existing === undefined || typeof existing === "function") target[name] = repeated ? [value] : value;
  else if (Array.isArray(existing)) existing.push(value);
  else target[name] = [existing, value];
}

class Frame {
  mode: Mode = FREE;
  name = "";
  /** The element's object, once it has one (always for Element and Template, at the first child for Free). */
  object: DecodedObject | null = null;
  text = "";
  /** Goes into an array in its parent. */
  repeated = false;
  /** A template vector an XSD declares repeated: an empty one is an empty dictionary, not "". */
  vector = false;
  compiled: Compiled | null = null;
}

/** Builds the decoded object from scanXml's events; frames are reused by depth. */
class DocumentBuilder implements XmlHandler {
  readonly #frames: Frame[] = [];
  #depth = 0;
  result: unknown = undefined;

  constructor(readonly root: ElementSchema | null) {}

  open(qualifiedName: string): void {
    const name = localName(qualifiedName);
    const depth = this.#depth++;
    const frame = (this.#frames[depth] ??= new Frame());
    frame.name = name;
    frame.text = "";
    frame.object = null;
    frame.compiled = null;
    frame.vector = false;
    frame.repeated = false;
    let schema: ElementSchema | undefined;
    if (depth === 0) schema = this.root?.name === name ? this.root : findDocument(name)?.element;
    else {
      const parent = this.#frames[depth - 1]!;
      switch (parent.mode) {
        case ELEMENT:
          schema = parent.compiled!.byName.get(name);
          break;
        case TEMPLATE:
          frame.vector = TEMPLATE_VECTORS.has(name);
          frame.repeated = frame.vector;
          break;
        case NUMBER:
        case STRING:
          // A declared leaf that has children after all: keep them rather than fail.
          parent.mode = FREE;
          parent.object = {};
          break;
        default:
          parent.object ??= {};
      }
    }
    if (schema === undefined) {
      frame.mode = FREE;
      return;
    }
    // The schema's copy of the name is an internalized literal: a much faster property key than a
    // slice of the document.
    frame.name = schema.name;
    frame.repeated = schema.repeated === true;
    switch (schema.kind) {
      case "number":
        frame.mode = NUMBER;
        break;
      case "string":
        frame.mode = STRING;
        break;
      case "template":
        frame.mode = TEMPLATE;
        frame.object = setTemplateRoot({}, name);
        break;
      case "element":
        frame.mode = ELEMENT;
        frame.object = {};
        frame.compiled = compile(schema.children);
        break;
      default:
        frame.mode = FREE;
    }
  }

  text(value: string): void {
    const frame = this.#frames[this.#depth - 1]!;
    frame.text = frame.text === "" ? value : frame.text + value;
  }

  close(): void {
    const depth = --this.#depth;
    const frame = this.#frames[depth]!;
    const value = frameValue(frame);
    // Drop references so a reused frame does not keep a finished subtree alive.
    frame.object = null;
    frame.text = "";
    if (depth === 0) this.result = value;
    else if (value !== undefined) addChild(this.#frames[depth - 1]!.object!, frame.name, value, frame.repeated);
  }
}

function frameValue(frame: Frame): unknown {
  const object = frame.object;
  switch (frame.mode) {
    case NUMBER:
      return toNumber(frame.text);
    case STRING:
      return frame.text;
    case ELEMENT: {
      // Text where children were declared: keep what came.
      if (frame.text !== "" && isEmpty(object!)) return frame.text;
      for (const child of frame.compiled!.alwaysPresent) {
        if (object![child.name] === undefined) {
          object![child.name] = child.repeated ? [] : setTemplateRoot({}, child.name);
        }
      }
      return object;
    }
    case TEMPLATE:
      return frame.text !== "" && isEmpty(object!) ? frame.text : object;
    default:
      if (object !== null) return object;
      return frame.vector && frame.text === "" ? {} : frame.text;
  }
}

function isEmpty(object: DecodedObject): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return false;
  return true;
}

function findDocument(root: string) {
  for (const id in documentSchemas) {
    const schema = documentSchemas[id as DocumentId];
    if (schema.root === root) return schema;
  }
  return undefined;
}

function decodeWith(xml: string, element: ElementSchema | null): unknown {
  const builder = new DocumentBuilder(element);
  scanXml(xml, builder);
  // A root with text only is not a document; an empty object keeps the promised shape.
  return typeof builder.result === "object" ? builder.result : {};
}

/**
 * Decodes an OpenNebula XML document. With `document` ("VM_POOL", "VM_POOL_EXTENDED" …) the XSD of
 * that document applies; without, the one whose root element the XML has (the first declared for
 * VM_POOL and VNET_POOL: their short forms), else it decodes free-form. Throws a ParseError for XML
 * that is not well-formed.
 */
export function decodeDocument<D extends DocumentId>(xml: string, document: D): Documents[D];
export function decodeDocument(xml: string): Documents[DocumentId] | XmlDocument;
export function decodeDocument(xml: string, document?: DocumentId): unknown {
  if (document !== undefined && !Object.hasOwn(documentSchemas, document)) {
    throw new ParseError(`no OpenNebula document is called ${JSON.stringify(document)}`);
  }
  return decodeWith(xml, document === undefined ? null : documentSchemas[document].element);
}

/** A method that answers an XML document (one.vm.info, one.vmpool.info …). */
export type DocumentMethod = keyof DocumentResults;

/** The element a method's answer is, as methodDocuments says (null: no XSD describes it). */
function methodElement(method: DocumentMethod): ElementSchema | null {
  const target = methodDocuments[method];
  if (target === null) return null;
  let element: ElementSchema = documentSchemas[target.id].element;
  for (const step of target.path) element = element.children!.find((c) => c.name === step)!;
  return element;
}

const methodElements = new Map<string, ElementSchema | null>();

function methodElementCached(method: DocumentMethod): ElementSchema | null {
  let element = methodElements.get(method);
  if (element === undefined) {
    element = Object.hasOwn(methodDocuments, method) ? methodElement(method) : null;
    methodElements.set(method, element);
  }
  return element;
}

/** Runs `decode`, a ParseError in it named as the document of `method`'s answer. */
function asMethodDocument<T>(method: DocumentMethod, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof ParseError) {
      throw new ParseError(`${method}: the XML document in the answer is not well-formed: ${error.message}`, {
        method,
        cause: error,
      });
    }
    throw error;
  }
}

/** Decodes the XML answer of `method` as the document it returns (what OneServer's methods do). */
export function decodeMethodDocument<M extends DocumentMethod>(method: M, xml: string): DocumentResults[M] {
  const element = methodElementCached(method);
  return asMethodDocument(method, () => decodeWith(xml, element) as DocumentResults[M]);
}

/**
 * Bytes of unescaped document held before the complete children of the root in them are decoded: small,
 * so that collections run while the answer is read and reuse its memory (measured in decision 0008).
 */
const PIECE_BYTES = 64 * 1024;

/**
 * Forwards one piece's events to the builder. A piece is scanned as a document of its own: the root's
 * start tag, complete children of the root, the root's end tag; the root's events go through only in the
 * first piece (open) and the last (close), and so does root-level indentation, which scanXml reports
 * only in a piece without children.
 */
class PieceHandler implements XmlHandler {
  depth = 0;
  first = true;
  last = false;
  constructor(readonly builder: DocumentBuilder) {}
  open(name: string): void {
    if (this.depth++ > 0 || this.first) this.builder.open(name);
  }
  text(value: string): void {
    if (this.depth > 1 || this.first || value.trim() !== "") this.builder.text(value);
  }
  close(): void {
    if (--this.depth > 0 || this.last) this.builder.close();
  }
}

/**
 * The document of `method`'s answer decoded as its UTF-8 arrives in pieces cut anywhere (OneServer
 * streams a pool's answer): each complete child of the root (a <VM> of a VM_POOL) is decoded soon
 * after it is complete and its bytes dropped, so the document is never held whole, as bytes or as a
 * string. The result and its errors, positions included, are those of decodeMethodDocument.
 */
export class MethodDocumentStream {
  readonly #method: DocumentMethod;
  readonly #builder: DocumentBuilder;
  readonly #handler: PieceHandler;
  #pending = Buffer.allocUnsafe(2 * PIECE_BYTES);
  #length = 0;
  /** Where the next markup scan starts, and the end of the last complete child of the root. */
  #scanned = 0;
  /**
   * For markup cut by the end of what was written (it starts at #scanned): how far it was searched for
   * its end, and the quote open there, so that a long cut tag is not searched from its start again
   * with every write (quadratic in an endless attribute value).
   */
  #resumeAt = 0;
  #resumeQuote = 0;
  /** Bytes of the document decoded so far, for the offset of invalid UTF-8. */
  #decoded = 0;
  #cut = 0;
  #depth = 0;
  /** The root's start tag, which begins every piece after the first, and its name. */
  #rootTag = "";
  #rootName = "";
  /** Line and column (of scanXml's) in the document where the pending bytes start. */
  #line = 1;
  #column = 1;

  constructor(method: DocumentMethod) {
    this.#method = method;
    this.#builder = new DocumentBuilder(methodElementCached(method));
    this.#handler = new PieceHandler(this.#builder);
  }

  write(bytes: Buffer): void {
    // Leading whitespace is not part of the document (decodeMethodDocument is given it trimmed).
    if (this.#length === 0 && this.#handler.first) {
      let start = 0;
      while (start < bytes.length && (bytes[start] === 32 || (bytes[start]! >= 9 && bytes[start]! <= 13))) start++;
      bytes = bytes.subarray(start);
    }
    if (this.#length + bytes.length > this.#pending.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * this.#pending.length, this.#length + bytes.length));
      this.#pending.copy(grown, 0, 0, this.#length);
      this.#pending = grown;
    }
    bytes.copy(this.#pending, this.#length);
    this.#length += bytes.length;
    this.#scan();
    if (this.#cut >= PIECE_BYTES) this.#decodePiece(false);
  }

  /** The decoded document, once all of it was written. */
  end(): DocumentResults[DocumentMethod] {
    this.#decodePiece(true);
    const result = this.#builder.result;
    return (typeof result === "object" ? result : {}) as DocumentResults[DocumentMethod];
  }

  /**
   * Follows the element depth through the markup written so far, to find where children of the root
   * end. Markup cut by the end of what was written is scanned again once more has come. Anything that
   * is not well-formed is left for scanXml to report.
   */
  #scan(): void {
    // A plain Uint8Array view and byte loops: much faster than Buffer's indexOf per tag.
    const b = new Uint8Array(this.#pending.buffer, this.#pending.byteOffset, this.#length);
    const length = b.length;
    let i = this.#scanned;
    while (i < length) {
      if (b[i] !== 60 /* < */) {
        i++;
        continue;
      }
      const next = b[i + 1];
      const resume = i === this.#scanned ? this.#resumeAt : 0;
      let end: number;
      if (next === 33 /* ! */ && i + 9 > length) end = -1;
      else if (next === 33 && b[i + 2] === 45 /* - */) end = endOf(b, 45, 45, 62 /* --> */, i + 4, resume);
      else if (next === 33 && b[i + 2] === 91 /* [ */) end = endOf(b, 93, 93, 62 /* ]]> */, i + 9, resume);
      else if (next === 63 /* ? */) end = endOf(b, -1, 63, 62 /* ?> */, i + 2, resume);
      else end = tagEnd(b, Math.max(i + 1, resume), resume > 0 ? this.#resumeQuote : 0);
      if (end < 0) {
        // Searched to the end unless "<!" came too close to it to tell a comment from CDATA.
        this.#resumeAt = next === 33 && i + 9 > length ? 0 : length;
        this.#resumeQuote = -1 - end;
        break;
      }
      this.#resumeAt = 0;
      if (next === 47 /* / */) {
        if (--this.#depth === 1) this.#cut = end;
      } else if (next !== 33 && next !== 63) {
        if (b[end - 2] === 47 /* / */) {
          if (this.#depth === 1) this.#cut = end;
        } else if (this.#depth++ === 0 && this.#rootName === "") {
          // Newlines out, so that a piece's own line numbers match the document's (see #decodePiece).
          this.#rootTag = this.#pending.toString("utf8", i, end).replace(/[\r\n]/g, " ");
          this.#rootName = /^<([^\s/>]+)/.exec(this.#rootTag)![1]!;
        }
      }
      i = end;
    }
    this.#scanned = i;
  }

  #decodePiece(last: boolean): void {
    const end = last ? this.#length : this.#cut;
    const first = this.#handler.first;
    // A piece ends after a ">" (or at the document's end), so it holds whole characters.
    const piece = decodeUtf8(this.#pending.subarray(0, end), { what: "the document", offset: this.#decoded });
    this.#decoded += end;
    const prefix = first ? "" : this.#rootTag;
    this.#handler.last = last;
    asMethodDocument(this.#method, () => {
      try {
        scanXml(last ? prefix + piece : `${prefix}${piece}</${this.#rootName}>`, this.#handler);
      } catch (error) {
        throw error instanceof ParseError ? this.#positioned(error, prefix.length) : error;
      }
    });
    this.#handler.first = false;
    let lastNewline = -1;
    for (let at = piece.indexOf("\n"); at >= 0; at = piece.indexOf("\n", at + 1)) {
      this.#line++;
      lastNewline = at;
    }
    this.#column = lastNewline < 0 ? this.#column + piece.length : piece.length - lastNewline;
    this.#pending.copy(this.#pending, 0, end, this.#length);
    this.#length -= end;
    this.#scanned -= end;
    if (this.#resumeAt > 0) this.#resumeAt -= end;
    this.#cut = 0;
  }

  /** scanXml's error for a piece, with the line and column it has in the whole document. */
  #positioned(error: ParseError, prefixLength: number): ParseError {
    const message = error.message.replace(/at line (\d+), column (\d+)/, (_, line: string, column: string) => {
      const l = Number(line);
      return l === 1
        ? `at line ${this.#line}, column ${this.#column + Number(column) - 1 - prefixLength}`
        : `at line ${this.#line + l - 1}, column ${column}`;
    });
    return new ParseError(message, { cause: error });
  }
}

/**
 * The end (just past it) of the bytes `first second third` (`second third` when first is -1) found at
 * or after `from`, searching on from `resume` (where an earlier search stopped); -1 when not all written yet.
 */
function endOf(bytes: Uint8Array, first: number, second: number, third: number, from: number, resume: number): number {
  for (let i = Math.max(from + 1, resume); i < bytes.length; i++) {
    if (bytes[i] === third && bytes[i - 1] === second && (first < 0 || (i - 2 >= from && bytes[i - 2] === first))) {
      return i + 1;
    }
  }
  return -1;
}

/**
 * The end (just past the ">") of a tag searched from `from` with `quote` open there, quoted attribute
 * values skipped; when cut, -1 - the quote open at the end.
 */
function tagEnd(bytes: Uint8Array, from: number, quote: number): number {
  for (let i = from; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return i + 1;
  }
  return -1 - quote;
}
