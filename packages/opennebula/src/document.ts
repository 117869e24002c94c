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
import { ParseError, XmlStreamScanner, scanXml, type XmlHandler } from "@nimbus-sdk/common";
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
 * The document of `method`'s answer decoded as its UTF-8 arrives in pieces cut anywhere (OneServer
 * streams a pool's answer): each complete child of the root (a <VM> of a VM_POOL) is decoded soon
 * after it is complete and its bytes dropped (common's XmlStreamScanner), so the document is never held
 * whole, as bytes or as a string. The result and its errors, positions included, are those of
 * decodeMethodDocument.
 */
export class MethodDocumentStream {
  readonly #builder: DocumentBuilder;
  readonly #scanner: XmlStreamScanner;

  constructor(method: DocumentMethod) {
    this.#builder = new DocumentBuilder(methodElementCached(method));
    this.#scanner = new XmlStreamScanner(this.#builder, { scan: (run) => asMethodDocument(method, run) });
  }

  write(bytes: Buffer): void {
    this.#scanner.write(bytes);
  }

  /** The decoded document, once all of it was written. */
  end(): DocumentResults[DocumentMethod] {
    this.#scanner.end();
    const result = this.#builder.result;
    return (typeof result === "object" ? result : {}) as DocumentResults[DocumentMethod];
  }
}
