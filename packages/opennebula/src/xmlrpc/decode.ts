// XML-RPC decoding with a small scanner of its own rather than a general XML parser: XML-RPC is a
// fixed, shallow grammar, string values must keep their whitespace exactly (a general preset trims
// it), and oned's pool documents arrive as one huge <string> that should be sliced once, not walked.
// A body given as bytes is scanned as bytes: only the values are decoded to strings, so a 50 MB
// answer is never held as a 50 MB string besides its bytes.
// Safety as in common's XML preset: a DTD is refused (so no entity can expand), only XML's five
// entities and character references are decoded, size and depth are capped.
import { ParseError, Redactor, checkUtf8 } from "@nimbus-sdk/common";
import { ResponseTooLargeError, XmlRpcFault } from "../errors.js";
import type { XmlRpcMethodCall, XmlRpcStruct, XmlRpcValue } from "./types.js";

/** Limits and buffer handling of the XML-RPC decoder. */
export interface XmlRpcDecodeOptions {
  /** Largest document accepted, in bytes (default 256 MiB). */
  maxBytes?: number;
  /** Deepest nesting of arrays and structs accepted (default 64). */
  maxDepth?: number;
  /**
   * The Buffer given may be overwritten while decoding, which saves a copy of each long string (a pool
   * document); OneServer does this with the bodies it reads. Default false: the Buffer is left as it was.
   */
  overwrite?: boolean;
  /**
   * Bytes left out of the body given, at this offset: a document string that was streamed elsewhere
   * (stream.ts). Error offsets past it still count in the body as it came.
   */
  omitted?: { at: number; length: number };
}

/** The largest XML-RPC answer read by default, in bytes (256 MiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 64;
const EXCERPT = new Redactor();

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
/** Characters from which a text run is decoded through its bytes (decodeLongText). */
const LONG_TEXT = 64 * 1024;

type Tag = { name: string; kind: "open" | "close" | "empty"; at: number };

/**
 * What the scanner reads: a string (positions in characters) or UTF-8 bytes (positions in bytes). The
 * markup is ASCII, so tags read the same either way; text is decoded only where a value is taken.
 */
interface Source {
  readonly length: number;
  code(at: number): number;
  indexOf(search: string, from: number): number;
  startsWith(search: string, at: number): boolean;
  /** The text from start to end, decoded. */
  slice(start: number, end: number): string;
  /** The UTF-8 bytes of start to end, free to overwrite (decodeLongText works in place). */
  scratchBytes(start: number, end: number): Buffer;
  /** The position of byte `index` of scratchBytes(start, end), in this source's units (for errors). */
  positionOf(start: number, end: number, index: number): number;
}

class StringSource implements Source {
  constructor(readonly text: string) {}
  get length(): number {
    return this.text.length;
  }
  code(at: number): number {
    return this.text.charCodeAt(at);
  }
  indexOf(search: string, from: number): number {
    return this.text.indexOf(search, from);
  }
  startsWith(search: string, at: number): boolean {
    return this.text.startsWith(search, at);
  }
  slice(start: number, end: number): string {
    return this.text.slice(start, end);
  }
  scratchBytes(start: number, end: number): Buffer {
    return Buffer.from(this.text.slice(start, end), "utf8");
  }
  positionOf(start: number, end: number, index: number): number {
    return start + this.scratchBytes(start, end).toString("utf8", 0, index).length;
  }
}

class BytesSource implements Source {
  constructor(
    readonly bytes: Buffer,
    readonly overwrite: boolean,
  ) {}
  get length(): number {
    return this.bytes.length;
  }
  code(at: number): number {
    return this.bytes[at] ?? NaN;
  }
  indexOf(search: string, from: number): number {
    return this.bytes.indexOf(search, from, "latin1");
  }
  startsWith(search: string, at: number): boolean {
    for (let i = 0; i < search.length; i++) if (this.bytes[at + i] !== search.charCodeAt(i)) return false;
    return true;
  }
  slice(start: number, end: number): string {
    return this.bytes.toString("utf8", start, end);
  }
  scratchBytes(start: number, end: number): Buffer {
    const run = this.bytes.subarray(start, end);
    return this.overwrite ? run : Buffer.from(run);
  }
  positionOf(start: number, _end: number, index: number): number {
    return start + index;
  }
}

class Scanner {
  pos = 0;
  depth = 0;
  constructor(
    readonly text: Source,
    readonly what: string,
    readonly maxDepth: number,
    readonly omitted: XmlRpcDecodeOptions["omitted"],
  ) {}

  fail(problem: string, at = this.pos): never {
    const truncated = at >= this.text.length;
    const offset = this.omitted && at >= this.omitted.at ? at + this.omitted.length : at;
    throw parseFailure(this.what, problem, truncated ? undefined : offset, this.text.slice(0, 2000));
  }

  /** Skips whitespace, comments and processing instructions (the XML declaration among them). */
  skipMisc(): void {
    const t = this.text;
    for (;;) {
      while (this.pos < t.length && isSpace(t.code(this.pos))) this.pos++;
      if (t.startsWith("<!--", this.pos)) {
        const end = t.indexOf("-->", this.pos + 4);
        if (end < 0) this.fail("an unterminated comment", t.length);
        this.pos = end + 3;
      } else if (t.startsWith("<?", this.pos)) {
        const end = t.indexOf("?>", this.pos + 2);
        if (end < 0) this.fail("an unterminated processing instruction", t.length);
        this.pos = end + 2;
      } else if (t.startsWith("<!DOCTYPE", this.pos) || t.startsWith("<!doctype", this.pos)) {
        this.fail("a DTD (<!DOCTYPE>), which is refused for safety");
      } else {
        return;
      }
    }
  }

  /** The next tag, after whitespace and comments; any other text there is an error. */
  tag(): Tag {
    this.skipMisc();
    const t = this.text;
    const at = this.pos;
    if (at >= t.length) this.fail("expected an element");
    if (t.code(at) !== 60 /* < */) this.fail(`unexpected text "${t.slice(at, at + 20).trim()}"`);
    const close = t.code(at + 1) === 47; /* / */
    let i = at + (close ? 2 : 1);
    const nameStart = i;
    while (i < t.length && isNameChar(t.code(i))) i++;
    // A body cut right after "<" or "</" is a truncation, not a malformed tag.
    if (i === nameStart) this.fail(i >= t.length ? "a tag cut off" : "a malformed tag", i >= t.length ? i : at);
    const name = localName(t.slice(nameStart, i));
    // Attributes are allowed and ignored; quoted values may hold '>'.
    let quote = 0;
    for (; i < t.length; i++) {
      const c = t.code(i);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 34 || c === 39) quote = c;
      else if (c === 62 /* > */) break;
      else if (c === 60) this.fail(`a malformed <${name}> tag`, at);
    }
    if (i >= t.length) this.fail(`the tag <${name}> is cut off`, t.length);
    const empty = !close && t.code(i - 1) === 47;
    this.pos = i + 1;
    return { name, kind: close ? "close" : empty ? "empty" : "open", at };
  }

  open(name: string): Tag {
    const tag = this.tag();
    if (tag.name !== name || tag.kind === "close") this.fail(`expected <${name}> but found ${show(tag)}`, tag.at);
    return tag;
  }

  close(name: string): void {
    const tag = this.tag();
    if (tag.name !== name || tag.kind !== "close") this.fail(`expected </${name}> but found ${show(tag)}`, tag.at);
  }

  /** Character data up to the next tag, with CDATA sections and references decoded. */
  chars(): string {
    const t = this.text;
    let out = "";
    for (;;) {
      const lt = t.indexOf("<", this.pos);
      if (lt < 0) this.fail("text that never ends", t.length);
      out += this.decodeRefs(this.pos, lt);
      this.pos = lt;
      if (t.startsWith("<![CDATA[", lt)) {
        const end = t.indexOf("]]>", lt + 9);
        if (end < 0) this.fail("an unterminated CDATA section", t.length);
        out += t.slice(lt + 9, end);
        this.pos = end + 3;
      } else if (t.startsWith("<!--", lt)) {
        const end = t.indexOf("-->", lt + 4);
        if (end < 0) this.fail("an unterminated comment", t.length);
        this.pos = end + 3;
      } else {
        return out;
      }
    }
  }

  decodeRefs(start: number, end: number): string {
    const amp = this.text.indexOf("&", start);
    if (amp < 0 || amp >= end) return normaliseNewlines(this.text.slice(start, end));
    if (end - start >= LONG_TEXT) return this.decodeLongText(start, end);
    // Short runs: decoded to a string first; an error's offset counts from the start of the run.
    const t = this.text.slice(start, end);
    let out = "";
    let from = 0;
    for (let at = t.indexOf("&"); at >= 0; at = t.indexOf("&", from)) {
      const semi = t.indexOf(";", at);
      const offset = () => this.text.positionOf(start, end, Buffer.byteLength(t.slice(0, at)));
      if (semi < 0 || semi - at > 12) this.fail("a bare '&' (not an entity or character reference)", offset());
      const ref = t.slice(at + 1, semi);
      const chr = reference(ref) ?? this.fail(badReference(ref), offset());
      out += normaliseNewlines(t.slice(from, at)) + chr;
      from = semi + 1;
    }
    return out + normaliseNewlines(t.slice(from));
  }

  /**
   * decodeRefs for a long run (a pool document: megabytes, an entity every few characters): the same
   * rules applied to its UTF-8 bytes in one loop, several times faster than building the string.
   */
  decodeLongText(start: number, end: number): string {
    const source = this.text.scratchBytes(start, end);
    const { written } = unescapeInPlace(source, false, (problem, index) =>
      this.fail(problem, this.text.positionOf(start, end, index)),
    );
    return source.toString("utf8", 0, written);
  }

  /** `<value>…</value>`, the opening tag already read. */
  valueBody(open: Tag): XmlRpcValue {
    if (open.kind === "empty") return "";
    const text = this.chars();
    const tag = this.tag();
    if (tag.kind === "close") {
      if (tag.name !== "value") this.fail(`expected </value> but found ${show(tag)}`, tag.at);
      return text; // a bare value is a string
    }
    if (text.trim()) this.fail(`text before <${tag.name}> in a <value>`, tag.at);
    const value = this.typed(tag);
    this.close("value");
    return value;
  }

  typed(tag: Tag): XmlRpcValue {
    const { name } = tag;
    if (name === "array" || name === "struct") {
      if (++this.depth > this.maxDepth) this.fail(`arrays and structs nested deeper than ${this.maxDepth}`, tag.at);
      const value = name === "array" ? this.array(tag) : this.struct(tag);
      this.depth--;
      return value;
    }
    if (name === "nil") {
      if (tag.kind === "open") this.close("nil");
      return null;
    }
    const raw = tag.kind === "empty" ? "" : this.chars();
    if (tag.kind === "open") this.close(name);
    return this.scalar(name, raw, tag.at);
  }

  scalar(name: string, raw: string, at: number): XmlRpcValue {
    switch (name) {
      case "string":
        return raw;
      case "int":
      case "i4":
      case "i1":
      case "i2": {
        const text = raw.trim();
        if (!/^[+-]?\d+$/.test(text)) this.fail(`<${name}> holds "${text.slice(0, 40)}", not an integer`, at);
        const n = Number(text);
        return Number.isSafeInteger(n) ? n : BigInt(text);
      }
      case "i8": {
        const text = raw.trim();
        if (!/^[+-]?\d+$/.test(text)) this.fail(`<i8> holds "${text.slice(0, 40)}", not an integer`, at);
        return BigInt(text);
      }
      case "boolean": {
        const text = raw.trim();
        if (text === "1" || text === "true") return true;
        if (text === "0" || text === "false") return false;
        return this.fail(`<boolean> holds "${text.slice(0, 40)}", not 0 or 1`, at);
      }
      case "double": {
        const text = raw.trim();
        const n = Number(text);
        if (!text || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) || !Number.isFinite(n)) {
          this.fail(`<double> holds "${text.slice(0, 40)}", not a number`, at);
        }
        return n;
      }
      case "base64": {
        // Node decodes anything, skipping what is not base64: check first, as common's scanner would.
        const text = raw.replace(/[ \t\r\n]+/g, "");
        if (text.length % 4 !== 0 || !BASE64.test(text))
          this.fail(`<base64> holds "${text.slice(0, 40)}", not base64`, at);
        return Buffer.from(text, "base64");
      }
      case "dateTime.iso8601": {
        const date = parseDateTime(raw.trim());
        if (!date) this.fail(`<dateTime.iso8601> holds "${raw.trim().slice(0, 40)}", not a date`, at);
        return date;
      }
      default:
        return this.fail(`an unknown XML-RPC type <${name}>`, at);
    }
  }

  array(tag: Tag): XmlRpcValue[] {
    const items: XmlRpcValue[] = [];
    if (tag.kind === "empty") return items;
    const data = this.open("data");
    if (data.kind === "open") {
      for (;;) {
        const next = this.tag();
        if (next.kind === "close" && next.name === "data") break;
        if (next.name !== "value" || next.kind === "close")
          this.fail(`expected <value> but found ${show(next)}`, next.at);
        items.push(this.valueBody(next));
      }
    }
    this.close("array");
    return items;
  }

  struct(tag: Tag): XmlRpcStruct {
    const members: [string, XmlRpcValue][] = [];
    if (tag.kind === "empty") return {};
    for (;;) {
      const next = this.tag();
      if (next.kind === "close" && next.name === "struct") break;
      if (next.name !== "member" || next.kind !== "open")
        this.fail(`expected <member> but found ${show(next)}`, next.at);
      let name: string | undefined;
      let value: XmlRpcValue | undefined;
      let seenValue = false;
      for (;;) {
        const part = this.tag();
        if (part.kind === "close" && part.name === "member") break;
        if (part.name === "name" && part.kind !== "close") {
          name = part.kind === "empty" ? "" : this.chars();
          if (part.kind === "open") this.close("name");
        } else if (part.name === "value" && part.kind !== "close") {
          value = this.valueBody(part);
          seenValue = true;
        } else {
          this.fail(`expected <name> or <value> in a <member> but found ${show(part)}`, part.at);
        }
      }
      if (name === undefined || !seenValue) this.fail("a <member> without its <name> or <value>", next.at);
      members.push([name, value!]);
    }
    // fromEntries defines own properties: a member named "__proto__" cannot reach Object.prototype.
    return Object.fromEntries(members) as XmlRpcStruct;
  }

  end(): void {
    this.skipMisc();
    if (this.pos < this.text.length) this.fail("content after the root element");
  }
}

/** The ParseError of the XML-RPC decoders; `offset` undefined: the body ended too early. */
export function parseFailure(what: string, problem: string, offset: number | undefined, start: string): ParseError {
  const where = offset === undefined ? "the document ends too early (truncated?)" : `at offset ${offset}`;
  return new ParseError(`${what}: ${problem}; ${where}`, {
    bodyExcerpt: EXCERPT.body(start, "text/xml", 200),
  });
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DECIMAL_REF = /^#[0-9]{1,7}$/;
const HEX_REF = /^#x[0-9a-fA-F]{1,6}$/;

/** Whether XML 1.0 allows the character: not NUL or another C0 control but tab and line ends, no surrogate, not U+FFFE/U+FFFF. */
function isXmlChar(code: number): boolean {
  if (code < 0x20) return code === 9 || code === 10 || code === 13;
  if (code >= 0xd800 && code <= 0xdfff) return false;
  return code !== 0xfffe && code !== 0xffff && code <= 0x10ffff;
}

const badReference = (ref: string): string =>
  ref.startsWith("#") ? `a character reference XML refuses "&${ref};"` : `an unknown entity "&${ref};"`;

/** What `&ref;` stands for: one of XML's five entities or a character reference to a character XML allows. */
function reference(ref: string): string | undefined {
  if (!ref.startsWith("#")) return ENTITIES[ref];
  if (!DECIMAL_REF.test(ref) && !HEX_REF.test(ref)) return undefined;
  const code = ref[1] === "x" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
  return isXmlChar(code) ? String.fromCodePoint(code) : undefined;
}

/**
 * Unescapes `run` in place: XML's references and CR LF / lone CR line ends, as decodeRefs does. A reference
 * is never shorter than what it stands for in UTF-8, nor is CR LF, so writing never passes reading.
 * `written`: the bytes of the result at the start of `run`. With `more` (a streamed run, continued in the
 * next chunk) it stops before a reference or CR that the end of `run` may cut; `read` says where.
 */
export function unescapeInPlace(
  run: Buffer,
  more: boolean,
  fail: (problem: string, index: number) => never,
): { written: number; read: number } {
  // A plain Uint8Array view, because element access on it is faster than on a Buffer.
  const bytes = new Uint8Array(run.buffer, run.byteOffset, run.length);
  const length = bytes.length;
  let j = 0;
  let i = 0;
  for (; i < length; i++) {
    const b = bytes[i]!;
    if (b !== 38 /* & */ && b !== 13 /* \r */) {
      bytes[j++] = b;
      continue;
    }
    if (b === 13) {
      if (more && i + 1 === length) break;
      bytes[j++] = 10;
      if (bytes[i + 1] === 10) i++;
      continue;
    }
    // The entities XML-RPC servers write, matched byte by byte: &lt; &gt; &amp; &quot;
    const b1 = bytes[i + 1];
    if (b1 === 108 /* l */ && bytes[i + 2] === 116 && bytes[i + 3] === 59) {
      bytes[j++] = 60;
      i += 3;
    } else if (b1 === 103 /* g */ && bytes[i + 2] === 116 && bytes[i + 3] === 59) {
      bytes[j++] = 62;
      i += 3;
    } else if (b1 === 97 /* a */ && bytes[i + 2] === 109 && bytes[i + 3] === 112 && bytes[i + 4] === 59) {
      bytes[j++] = 38;
      i += 4;
    } else {
      let semi = i + 1;
      while (semi < length && semi - i <= 12 && bytes[semi] !== 59) semi++;
      if (more && semi >= length) break;
      if (semi >= length || bytes[semi] !== 59) fail("a bare '&' (not an entity or character reference)", i);
      const ref = String.fromCharCode(...bytes.subarray(i + 1, semi));
      const chr = reference(ref) ?? fail(badReference(ref), i);
      j += run.write(chr, j, "utf8");
      i = semi;
    }
  }
  return { written: j, read: i };
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function isNameChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 46 ||
    c === 45 ||
    c === 95 ||
    c === 58
  );
}

/** An element name without its namespace prefix ("soapenv:Body" -> "Body"). */
export function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}

function show(tag: Tag): string {
  return tag.kind === "close" ? `</${tag.name}>` : `<${tag.name}>`;
}

// XML turns CR LF and lone CR into LF; a CR that must survive is sent as &#13;.
function normaliseNewlines(text: string): string {
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

/** `YYYYMMDDTHH:MM:SS` or `YYYY-MM-DDTHH:MM:SS`, optional fraction and zone; no zone means UTC. */
export function parseDateTime(text: string): Date | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac ? Math.round(Number(frac) * 1000) : 0;
  let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  // Out-of-range fields (month 13, 31 February, 25 o'clock) would roll over: refused instead.
  const fields = [Number(mo), Number(d), Number(h), Number(mi), Number(s)];
  const check = new Date(Date.UTC(Number(y), fields[0]! - 1, fields[1]!, fields[2]!, fields[3]!, fields[4]!));
  if (
    check.getUTCMonth() + 1 !== fields[0] ||
    check.getUTCDate() !== fields[1] ||
    check.getUTCHours() !== fields[2] ||
    check.getUTCMinutes() !== fields[3] ||
    check.getUTCSeconds() !== fields[4]
  )
    return undefined;
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function scanner(xml: string | Buffer, what: string, options: XmlRpcDecodeOptions): Scanner {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const size = typeof xml === "string" ? Buffer.byteLength(xml) : xml.length;
  if (size > maxBytes) {
    throw new ResponseTooLargeError(`${what} is ${size} bytes, more than the ${maxBytes}-byte limit`, {
      limit: maxBytes,
    });
  }
  if (typeof xml !== "string") {
    // Values are decoded from the bytes where they are taken: the bytes are checked whole first, so that
    // a bad byte is an error rather than U+FFFD in a value (offsets count the body as it came).
    const { omitted } = options;
    checkUtf8(omitted ? xml.subarray(0, omitted.at) : xml, { what });
    if (omitted) checkUtf8(xml.subarray(omitted.at), { what, offset: omitted.at + omitted.length });
  }
  const text = typeof xml === "string" ? new StringSource(xml) : new BytesSource(xml, options.overwrite === true);
  const s = new Scanner(text, what, options.maxDepth ?? DEFAULT_MAX_DEPTH, options.omitted);
  // A byte order mark: U+FEFF in a string, EF BB BF in bytes.
  if (text.code(0) === 0xfeff) s.pos = 1;
  else if (text.code(0) === 0xef && text.code(1) === 0xbb && text.code(2) === 0xbf) s.pos = 3;
  s.skipMisc();
  if (s.pos >= text.length) s.fail("the body is empty");
  if (text.code(s.pos) !== 60) s.fail("the body is not XML");
  return s;
}

function expectRoot(s: Scanner, root: string): void {
  const tag = s.tag();
  if (tag.name !== root || tag.kind !== "open") {
    s.fail(`not an XML-RPC ${root}: the root element is ${show(tag)}`, tag.at);
  }
}

/** Decodes one `<value>…</value>` document fragment. */
export function decodeValue(xml: string, options: XmlRpcDecodeOptions = {}): XmlRpcValue {
  const s = scanner(xml, "the XML-RPC value", options);
  const value = s.valueBody(s.open("value"));
  s.end();
  return value;
}

/**
 * The value of a `<methodResponse>`; a `<fault>` is thrown as XmlRpcFault, and anything that is not
 * a complete XML-RPC response as ParseError naming the problem.
 */
export function decodeMethodResponse(xml: string | Buffer, options: XmlRpcDecodeOptions = {}): XmlRpcValue {
  const s = scanner(xml, "the XML-RPC response", options);
  expectRoot(s, "methodResponse");
  const part = s.tag();
  if (part.name === "fault" && part.kind === "open") {
    const fault = s.valueBody(s.open("value"));
    s.close("fault");
    s.close("methodResponse");
    s.end();
    const struct = (fault ?? {}) as Record<string, unknown>;
    const code = struct["faultCode"];
    const message = struct["faultString"];
    if (typeof code !== "number" && typeof code !== "bigint") s.fail("a <fault> without an integer faultCode", part.at);
    throw new XmlRpcFault(Number(code), typeof message === "string" ? message : String(message ?? ""));
  }
  if (part.name !== "params" || part.kind !== "open")
    s.fail(`expected <params> or <fault> but found ${show(part)}`, part.at);
  s.open("param");
  const value = s.valueBody(s.open("value"));
  s.close("param");
  s.close("params");
  s.close("methodResponse");
  s.end();
  return value;
}

/** A `<methodCall>`, for servers: the simulator and tests. */
export function decodeMethodCall(xml: string | Buffer, options: XmlRpcDecodeOptions = {}): XmlRpcMethodCall {
  const s = scanner(xml, "the XML-RPC call", options);
  expectRoot(s, "methodCall");
  s.open("methodName");
  const methodName = s.chars().trim();
  s.close("methodName");
  const params: XmlRpcValue[] = [];
  const next = s.tag();
  if (next.name === "params" && next.kind === "open") {
    for (;;) {
      const param = s.tag();
      if (param.kind === "close" && param.name === "params") break;
      if (param.name !== "param" || param.kind !== "open")
        s.fail(`expected <param> but found ${show(param)}`, param.at);
      params.push(s.valueBody(s.open("value")));
      s.close("param");
    }
    s.close("methodCall");
  } else if (
    !(next.name === "params" && next.kind === "empty") &&
    !(next.name === "methodCall" && next.kind === "close")
  ) {
    s.fail(`expected <params> but found ${show(next)}`, next.at);
  } else if (next.kind === "empty") {
    s.close("methodCall");
  }
  s.end();
  if (!methodName) s.fail("an empty <methodName>");
  return { methodName, params };
}
