// A fast, safe XML pull scanner: one pass over the text, events to a handler, no tree. The SDKs'
// decoders build their typed objects straight from the events, which keeps big documents (a pool
// of 10,000 VMs) fast and small in memory. Safe like the parser preset: a DTD is refused, so no
// entity can be declared or expanded; only XML's five entities and character references decode.
import { ParseError } from "../errors/index.js";

/** The callbacks {@link scanXml} calls as it reads: start tags, text and end tags, in document order. */
export interface XmlHandler {
  /**
   * A start tag (an empty-element tag `<x/>` gives open then close). Names keep their prefix
   * (`soapenv:Body`); `attributes` is null when the tag has none, values are entity-decoded.
   */
  open(name: string, attributes: Record<string, string> | null): void;
  /**
   * Character data with entities decoded, CDATA verbatim; it may come in several pieces per element
   * (around comments and CDATA). A run of whitespace alone is reported only as the whole content
   * of an element without children: `<a>  </a>` keeps its spaces, indentation never shows.
   */
  text(value: string): void;
  close(name: string): void;
}

/** Limits of {@link scanXml}. */
export interface XmlScanOptions {
  /** Deepest element nesting accepted (default 256). */
  maxDepth?: number;
}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

const LT = 60; // <
const GT = 62; // >
const SLASH = 47; // /
const EQUALS = 61; // =
const BANG = 33; // !
const QUESTION = 63; // ?
const QUOTE = 34; // "
const APOSTROPHE = 39; // '

const isSpace = (code: number): boolean => code === 32 || code === 10 || code === 9 || code === 13;

// A name ends at whitespace, "/", ">" or "=": everything else is taken as written (the scanner
// checks structure, not every character class of the XML name production).
const endsName = (code: number): boolean => isSpace(code) || code === SLASH || code === GT || code === EQUALS;

function fail(xml: string, position: number, problem: string): never {
  let line = 1;
  let lineStart = 0;
  for (let i = xml.indexOf("\n"); i !== -1 && i < position; i = xml.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  throw new ParseError(`malformed XML at line ${line}, column ${position - lineStart + 1}: ${problem}`);
}

function decodeEntities(xml: string, raw: string, position: number): string {
  let out = "";
  let from = 0;
  for (let amp = raw.indexOf("&"); amp !== -1; amp = raw.indexOf("&", from)) {
    const semicolon = raw.indexOf(";", amp + 1);
    if (semicolon === -1 || semicolon - amp > 12) fail(xml, position + amp, "an '&' that starts no entity");
    const entity = raw.slice(amp + 1, semicolon);
    let decoded: string | undefined;
    if (entity.charCodeAt(0) === 35 /* # */) {
      const hex = entity.charCodeAt(1) === 120; /* x */
      const digits = entity.slice(hex ? 2 : 1);
      if (hex ? /^[0-9a-fA-F]{1,6}$/.test(digits) : /^[0-9]{1,7}$/.test(digits)) {
        const code = parseInt(digits, hex ? 16 : 10);
        if (code > 0 && code <= 0x10ffff) decoded = String.fromCodePoint(code);
      }
    } else {
      decoded = PREDEFINED_ENTITIES[entity];
    }
    if (decoded === undefined) fail(xml, position + amp, `an unknown entity "&${entity};"`);
    out += raw.slice(from, amp) + decoded;
    from = semicolon + 1;
  }
  return out + raw.slice(from);
}

function isBlank(xml: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(xml.charCodeAt(i))) return false;
  return true;
}

/** Reads the attributes of a start tag from `i` (after the name); returns where the tag's ">" or "/>" starts. */
function readAttributes(xml: string, i: number, into: Record<string, string>): number {
  const length = xml.length;
  for (;;) {
    while (i < length && isSpace(xml.charCodeAt(i))) i++;
    const code = xml.charCodeAt(i);
    if (code === GT || code === SLASH || i >= length) return i;
    const nameStart = i;
    while (i < length && !endsName(xml.charCodeAt(i))) i++;
    const name = xml.slice(nameStart, i);
    while (i < length && isSpace(xml.charCodeAt(i))) i++;
    if (name === "" || xml.charCodeAt(i) !== EQUALS) fail(xml, i, `an attribute without "=value" in a start tag`);
    i++;
    while (i < length && isSpace(xml.charCodeAt(i))) i++;
    const quote = xml.charCodeAt(i);
    if (quote !== QUOTE && quote !== APOSTROPHE) fail(xml, i, `the value of attribute "${name}" is not quoted`);
    const end = xml.indexOf(quote === QUOTE ? '"' : "'", i + 1);
    if (end === -1) fail(xml, i, `the value of attribute "${name}" is not closed (truncated document?)`);
    const raw = xml.slice(i + 1, end);
    if (raw.includes("<")) fail(xml, i, `the value of attribute "${name}" holds a "<"`);
    if (Object.hasOwn(into, name)) fail(xml, nameStart, `the attribute "${name}" appears twice`);
    into[name] = raw.includes("&") ? decodeEntities(xml, raw, i + 1) : raw;
    i = end + 1;
    if (!isSpace(xml.charCodeAt(i)) && xml.charCodeAt(i) !== GT && xml.charCodeAt(i) !== SLASH && i < length) {
      fail(xml, i, "attributes must be separated by whitespace");
    }
  }
}

/**
 * Scans `xml` once, calling `handler` for each start tag, piece of text and end tag. Throws a
 * ParseError naming the line and column for anything not well-formed: a truncated document, a
 * mismatched end tag, a DTD (refused for safety), an unknown entity. Comments, processing
 * instructions and the XML declaration are skipped.
 */
export function scanXml(xml: string, handler: XmlHandler, options: XmlScanOptions = {}): void {
  const maxDepth = options.maxDepth ?? 256;
  const length = xml.length;
  const open: string[] = [];
  let rootSeen = false;
  // True while the innermost open element has no child element yet: only then is whitespace content.
  let inLeaf = false;
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < length) {
    const lt = xml.indexOf("<", i);
    const textEnd = lt === -1 ? length : lt;
    if (textEnd > i) {
      if (open.length === 0) {
        if (!isBlank(xml, i, textEnd)) fail(xml, i, "text outside the root element");
      } else if (
        !isSpace(xml.charCodeAt(i)) ||
        (inLeaf && xml.charCodeAt(textEnd + 1) === SLASH) ||
        !isBlank(xml, i, textEnd)
      ) {
        const raw = xml.slice(i, textEnd);
        handler.text(raw.includes("&") ? decodeEntities(xml, raw, i) : raw);
      }
    }
    if (lt === -1) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === SLASH) {
      const end = xml.indexOf(">", lt + 2);
      if (end === -1) fail(xml, lt, "an end tag that is not closed (truncated document?)");
      const name = xml.slice(lt + 2, end).trimEnd();
      const expected = open.pop();
      if (expected === undefined) fail(xml, lt, `the end tag </${name}> has no start tag`);
      if (name !== expected) fail(xml, lt, `the end tag </${name}> does not match <${expected}>`);
      handler.close(name);
      inLeaf = false;
      i = end + 1;
    } else if (next === BANG) {
      if (xml.startsWith("<!--", lt)) {
        const end = xml.indexOf("-->", lt + 4);
        if (end === -1) fail(xml, lt, "a comment that is not closed (truncated document?)");
        i = end + 3;
      } else if (xml.startsWith("<![CDATA[", lt)) {
        if (open.length === 0) fail(xml, lt, "a CDATA section outside the root element");
        const end = xml.indexOf("]]>", lt + 9);
        if (end === -1) fail(xml, lt, "a CDATA section that is not closed (truncated document?)");
        handler.text(xml.slice(lt + 9, end));
        i = end + 3;
      } else if (xml.startsWith("<!DOCTYPE", lt)) {
        fail(xml, lt, "a DTD (<!DOCTYPE>), which is refused for safety");
      } else {
        fail(xml, lt, 'a "<!" that starts no comment or CDATA section');
      }
    } else if (next === QUESTION) {
      const end = xml.indexOf("?>", lt + 2);
      if (end === -1) fail(xml, lt, "a processing instruction that is not closed (truncated document?)");
      i = end + 2;
    } else {
      let j = lt + 1;
      while (j < length && !endsName(xml.charCodeAt(j))) j++;
      const name = xml.slice(lt + 1, j);
      if (name === "" || next === LT) fail(xml, lt, 'a "<" that starts no tag');
      if (open.length === 0 && rootSeen) fail(xml, lt, `a second root element <${name}>`);
      let attributes: Record<string, string> | null = null;
      if (xml.charCodeAt(j) !== GT && xml.charCodeAt(j) !== SLASH) {
        attributes = {};
        j = readAttributes(xml, j, attributes);
        if (Object.keys(attributes).length === 0) attributes = null;
      }
      if (j >= length) fail(xml, lt, `the start tag <${name}> is not closed (truncated document?)`);
      const selfClosing = xml.charCodeAt(j) === SLASH;
      if (selfClosing && xml.charCodeAt(j + 1) !== GT) fail(xml, j, `a "/" inside the start tag <${name}>`);
      if (open.length >= maxDepth) fail(xml, lt, `elements nest deeper than ${maxDepth} levels`);
      rootSeen = true;
      handler.open(name, attributes);
      if (selfClosing) {
        handler.close(name);
        i = j + 2;
      } else {
        open.push(name);
        i = j + 1;
      }
      inLeaf = !selfClosing;
    }
  }
  if (open.length > 0) {
    fail(xml, length, `the document ends inside <${open[open.length - 1]}> (truncated document?)`);
  }
  if (!rootSeen) fail(xml, length, "no root element");
}

/** An element of the small tree {@link parseXmlElement} builds: name, attributes (null when none), children and text. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string> | null;
  children: XmlElement[];
  /** The element's own text, its pieces joined. */
  text: string;
}

/** A small document as a tree (faults, tests); big payloads should use scanXml directly. */
export function parseXmlElement(xml: string, options?: XmlScanOptions): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  scanXml(
    xml,
    {
      open(name, attributes) {
        const element: XmlElement = { name, attributes, children: [], text: "" };
        if (stack.length > 0) stack[stack.length - 1]!.children.push(element);
        else root = element;
        stack.push(element);
      },
      text(value) {
        stack[stack.length - 1]!.text += value;
      },
      close() {
        stack.pop();
      },
    },
    options,
  );
  return root!;
}

const TEXT_SPECIALS = /[&<>\r]/g;
const ATTRIBUTE_SPECIALS = /[&<>"\t\n\r]/g;
const REPLACEMENTS: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};
const replace = (special: string): string => REPLACEMENTS[special]!;

/** Escapes element text (`\r` as a reference, so it survives end-of-line normalisation). */
export function escapeXmlText(value: string): string {
  TEXT_SPECIALS.lastIndex = 0;
  return TEXT_SPECIALS.test(value) ? value.replace(TEXT_SPECIALS, replace) : value;
}

/** Escapes an attribute value for double quotes (tabs and newlines as references, so they survive). */
export function escapeXmlAttribute(value: string): string {
  ATTRIBUTE_SPECIALS.lastIndex = 0;
  return ATTRIBUTE_SPECIALS.test(value) ? value.replace(ATTRIBUTE_SPECIALS, replace) : value;
}
