// oned's templates as the simulator keeps them: single attributes (`NAME="value"`) and vector
// attributes (`DISK=[IMAGE_ID="0",SIZE="1024"]`), read from oned's attribute=value syntax or from
// XML, written back as oned writes them (attributes sorted by name, values in CDATA).
//
// The text syntax follows oned's lexer (src/parsers/template_parser.l), quirks included:
// - a quoted value may span lines and holds any character but `"`; `\"` stands for `"` and is the
//   only escape (`\\` stays two backslashes, so a value cannot end with a backslash);
// - an unquoted value stops at blanks, newlines, `=`, `#`, `,`, `[` and `]`;
// - a value containing `]]>` is refused (oned aborts the parse rather than break its CDATA);
// - names are upper-cased; `#` starts a comment line.
import { parseXmlElement } from "@nimbus-sdk/common";

/** A vector attribute's values, by upper-case name. */
export type VectorValue = Map<string, string>;

export type SingleAttribute = { readonly name: string; value: string };
export type VectorAttribute = { readonly name: string; vector: VectorValue };
/** An attribute of a {@link OneTemplate}: a single value or a vector of them. */
export type Attribute = SingleAttribute | VectorAttribute;

/** A template that oned refused to parse; `message` is oned's ("Parse error: …"). */
export class TemplateParseError extends Error {}

const isVector = (a: Attribute): a is VectorAttribute => "vector" in a;

/** A template as oned's parser reads it: attributes in insertion order, written sorted by name. */
export class OneTemplate {
  /** In insertion order; written sorted by name, as oned's multimap keeps them. */
  readonly attributes: Attribute[] = [];

  constructor(attributes: Iterable<Attribute> = []) {
    for (const a of attributes) this.attributes.push(a);
  }

  /** Parses attribute=value text, or XML when the text starts with `<` (oned's parse_str_or_xml). */
  static parse(text: string): OneTemplate {
    return text.startsWith("<") ? parseXmlTemplate(text) : parseTextTemplate(text);
  }

  /** A template from a plain object: strings are single attributes, objects vectors, arrays repeats. */
  static from(values: Readonly<Record<string, TemplateInit>>): OneTemplate {
    const t = new OneTemplate();
    for (const [name, value] of Object.entries(values)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (typeof item === "object") t.add(name, item);
        else t.add(name, String(item));
      }
    }
    return t;
  }

  clone(): OneTemplate {
    return new OneTemplate(
      this.attributes.map((a): Attribute => (isVector(a) ? { name: a.name, vector: new Map(a.vector) } : { ...a })),
    );
  }

  /** The first single attribute of that name. */
  get(name: string): string | undefined {
    const key = name.toUpperCase();
    for (const a of this.attributes) if (a.name === key && "value" in a) return a.value;
    return undefined;
  }

  /** Every vector attribute of that name, live (changes show in the template). */
  vectors(name: string): VectorValue[] {
    const key = name.toUpperCase();
    const out: VectorValue[] = [];
    for (const a of this.attributes) if (a.name === key && isVector(a)) out.push(a.vector);
    return out;
  }

  add(name: string, value: string | VectorValue | Readonly<Record<string, string>>): void {
    const key = name.toUpperCase();
    if (typeof value === "string") this.attributes.push({ name: key, value });
    else this.attributes.push({ name: key, vector: value instanceof Map ? value : toVector(value) });
  }

  /** Replaces every attribute of that name with one single attribute. */
  set(name: string, value: string): void {
    this.erase(name);
    this.add(name, value);
  }

  erase(name: string): number {
    const key = name.toUpperCase();
    let removed = 0;
    for (let i = this.attributes.length - 1; i >= 0; i--) {
      if (this.attributes[i]!.name === key) {
        this.attributes.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }

  /** Removes the attributes `keep` says no to, returning them (oned moves known ones between templates). */
  extract(keep: (name: string) => boolean): Attribute[] {
    const moved: Attribute[] = [];
    for (let i = 0; i < this.attributes.length;) {
      if (keep(this.attributes[i]!.name)) i++;
      else moved.push(...this.attributes.splice(i, 1));
    }
    return moved;
  }

  /** oned's Template::merge (update type 1): each name given replaces every attribute of that name. */
  merge(from: OneTemplate): void {
    for (const a of from.attributes) this.erase(a.name);
    for (const a of from.clone().attributes) {
      if (isVector(a) && a.vector.size === 0) continue;
      this.attributes.push(a);
    }
  }

  /** The names in oned's order (sorted, repeats kept in insertion order). */
  sorted(): Attribute[] {
    return [...this.attributes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** oned's `<ROOT><NAME><![CDATA[v]]></NAME><DISK><A><![CDATA[1]]></A></DISK></ROOT>`. */
  toXml(root: string): string {
    let xml = `<${root}>`;
    for (const a of this.sorted()) xml += attributeXml(a);
    return `${xml}</${root}>`;
  }
}

export type TemplateInit =
  | string
  | number
  | Readonly<Record<string, string>>
  | ReadonlyArray<string | number | Readonly<Record<string, string>>>;

function toVector(values: Readonly<Record<string, string>>): VectorValue {
  const v: VectorValue = new Map();
  for (const [k, value] of Object.entries(values)) v.set(k.toUpperCase(), value);
  return v;
}

/** Text in CDATA as oned writes it; a `]]>` inside is split across two sections so the XML stays whole. */
export function cdata(value: string): string {
  return `<![CDATA[${value.includes("]]>") ? value.replace(/]]>/g, "]]]]><![CDATA[>") : value}]]>`;
}

export function attributeXml(a: Attribute): string {
  if ("value" in a) return `<${a.name}>${cdata(a.value)}</${a.name}>`;
  let xml = `<${a.name}>`;
  for (const key of [...a.vector.keys()].sort()) xml += `<${key}>${cdata(a.vector.get(key)!)}</${key}>`;
  return `${xml}</${a.name}>`;
}

export function attributeIsVector(a: Attribute): a is VectorAttribute {
  return isVector(a);
}

// ---------------------------------------------------------------------------------------------------
// XML form: the root's child elements; one holding elements is a vector of their texts.

function parseXmlTemplate(text: string): OneTemplate {
  let root;
  try {
    root = parseXmlElement(text);
  } catch {
    throw new TemplateParseError("Parse error: XML Template malformed.");
  }
  const t = new OneTemplate();
  for (const child of root.children) {
    if (child.children.length === 0) t.add(child.name, child.text);
    else t.add(child.name, new Map(child.children.map((c) => [c.name.toUpperCase(), c.text])));
  }
  return t;
}

// ---------------------------------------------------------------------------------------------------
// Text form: a lexer with oned's rules (longest match, VALUE state after `=`) and its grammar.

type Token =
  | { type: "VARIABLE" | "STRING"; text: string; at: number }
  | { type: "EQUAL" | "EQUAL_EMPTY" | "COMMA" | "OBRACKET" | "CBRACKET" | "CCDATA" | "END"; at: number };

const BLANK = (c: string | undefined) => c === " " || c === "\t";
const WORD = /[A-Za-z0-9_]/;
const UNQUOTED_STOP = new Set(["=", "#", " ", "\t", "\n", ",", "[", "]"]);

class Lexer {
  pos = 0;
  valueState = false;
  constructor(readonly text: string) {}

  private blanks(from: number, newlines: boolean): number {
    let i = from;
    while (BLANK(this.text[i]) || (newlines && this.text[i] === "\n")) i++;
    return i;
  }

  next(): Token {
    return this.valueState ? this.value() : this.initial();
  }

  private initial(): Token {
    const t = this.text;
    for (;;) {
      const at = this.pos;
      // A comment line: blanks, `#`, up to the end of the line.
      const hash = this.blanks(at, false);
      if (t[hash] === "#") {
        const nl = t.indexOf("\n", hash);
        this.pos = nl < 0 ? t.length : nl + 1;
        continue;
      }
      const afterWs = this.blanks(at, true);
      const c = t[afterWs];
      if (c === "," || c === "]") {
        this.pos = this.blanks(afterWs + 1, true);
        return { type: c === "," ? "COMMA" : "CBRACKET", at: afterWs };
      }
      const eqAt = this.blanks(at, false);
      if (t[eqAt] === "=") {
        const after = this.blanks(eqAt + 1, false);
        if (t[after] === "\n") {
          this.pos = after + 1;
          return { type: "EQUAL_EMPTY", at: eqAt };
        }
        this.pos = after;
        this.valueState = true;
        return { type: "EQUAL", at: eqAt };
      }
      if (afterWs > at) {
        this.pos = afterWs;
        continue;
      }
      if (at >= t.length) return { type: "END", at };
      if (WORD.test(c ?? "")) {
        let end = at;
        while (end < t.length && WORD.test(t[end]!)) end++;
        this.pos = end;
        return { type: "VARIABLE", text: t.slice(at, end), at };
      }
      throw this.error(`unexpected character '${c}'`, at);
    }
  }

  private value(): Token {
    const t = this.text;
    const at = this.pos;
    this.valueState = false;
    const bracket = this.blanks(at, false);
    if (t[bracket] === "[") {
      this.pos = this.blanks(bracket + 1, true);
      return { type: "OBRACKET", at: bracket };
    }
    // Candidates by length; on a tie flex takes the earlier rule (CDATA, quoted, unquoted).
    const lineEnd = t.indexOf("\n", at) < 0 ? t.length : t.indexOf("\n", at);
    const cdataLength = t.slice(at, lineEnd).includes("]]>") ? lineEnd - at : 0;
    let quotedEnd = -1;
    if (t[at] === '"') {
      for (let i = at + 1; i < t.length; i++) {
        if (t[i] !== '"') continue;
        quotedEnd = i;
        if (t[i - 1] !== "\\") break;
      }
    }
    const quotedLength = quotedEnd < 0 ? 0 : quotedEnd + 1 - at;
    let unquotedEnd = at;
    while (unquotedEnd < t.length && !UNQUOTED_STOP.has(t[unquotedEnd]!)) unquotedEnd++;
    const unquotedLength = unquotedEnd - at;
    const longest = Math.max(cdataLength, quotedLength, unquotedLength);
    if (longest === 0) throw this.error("a value is missing after '='", at);
    this.pos = at + longest;
    if (cdataLength === longest) return { type: "CCDATA", at };
    const raw = quotedLength === longest ? t.slice(at + 1, at + longest - 1) : t.slice(at, at + longest);
    return { type: "STRING", text: raw.replace(/\\"/g, '"'), at };
  }

  where(at: number): string {
    const before = this.text.slice(0, at);
    const line = before.split("\n").length;
    const column = at - (before.lastIndexOf("\n") + 1);
    return `at line ${line}, columns ${column}:${column + 1}`;
  }

  error(problem: string, at: number): TemplateParseError {
    return new TemplateParseError(`Parse error: syntax error, ${problem} ${this.where(at)}`);
  }
}

function parseTextTemplate(text: string): OneTemplate {
  const lexer = new Lexer(text);
  const t = new OneTemplate();
  const expect = (token: Token, ...types: Token["type"][]): Token => {
    if (!types.includes(token.type)) {
      const found = token.type === "END" ? "end of file" : token.type;
      throw lexer.error(`unexpected ${found}, expecting ${types.join(" or ")}`, token.at);
    }
    return token;
  };
  const stringOf = (token: Token): string => {
    if (token.type === "CCDATA") throw lexer.error("a value holds ']]>', which oned refuses", token.at);
    return (expect(token, "STRING") as { text: string }).text;
  };
  for (let token = lexer.next(); token.type !== "END"; token = lexer.next()) {
    const name = (expect(token, "VARIABLE") as { text: string }).text;
    const op = expect(lexer.next(), "EQUAL", "EQUAL_EMPTY");
    if (op.type === "EQUAL_EMPTY") {
      t.add(name, "");
      continue;
    }
    const value = lexer.next();
    if (value.type !== "OBRACKET") {
      t.add(name, stringOf(value));
      continue;
    }
    const vector: VectorValue = new Map();
    let next = lexer.next();
    while (next.type !== "CBRACKET") {
      const key = (expect(next, "VARIABLE") as { text: string }).text.toUpperCase();
      expect(lexer.next(), "EQUAL");
      const value = stringOf(lexer.next());
      if (!vector.has(key)) vector.set(key, value);
      next = expect(lexer.next(), "COMMA", "CBRACKET");
      if (next.type === "COMMA") next = lexer.next();
    }
    t.add(name, vector);
  }
  return t;
}
