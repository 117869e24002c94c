import { ConfigError } from "../errors/index.js";

/** The section whose keys every other section inherits, as in Python's ConfigParser. */
export const INI_DEFAULT_SECTION = "DEFAULT";

/** One `key = value` of an INI file and the line it starts on, for error messages. */
export interface IniEntry {
  readonly value: string;
  readonly line: number;
}

/** One `[section]` of an INI file. */
export interface IniSection {
  readonly name: string;
  readonly line: number;
  /** Keys lowercased (ConfigParser's `optionxform`), in file order. */
  readonly entries: ReadonlyMap<string, IniEntry>;
}

interface MutableSection {
  name: string;
  line: number;
  entries: Map<string, { lines: string[]; line: number }>;
}

const SECTION_HEADER = /^\[([^\]]+)\]/;
// The key ends at the first `=` or `:`, as ConfigParser's OPTCRE: a value may hold either.
const OPTION_LINE = /^(.*?)\s*[=:]\s*(.*)$/;

/**
 * An INI file read with the rules of Python 3's ConfigParser (strict, no interpolation): `[section]`
 * headers, `key = value` or `key: value`, full-line `#` and `;` comments, indented continuation lines,
 * lowercased keys, and a `[DEFAULT]` section whose keys every section inherits.
 */
export class IniDocument {
  /** Where the text came from (a path), named by every error. */
  readonly source: string;
  /** The `[DEFAULT]` section's entries. */
  readonly defaults: ReadonlyMap<string, IniEntry>;
  /** Every section but `[DEFAULT]`, in file order. */
  readonly sections: readonly IniSection[];
  readonly #byName: ReadonlyMap<string, IniSection>;

  private constructor(source: string, defaults: ReadonlyMap<string, IniEntry>, sections: readonly IniSection[]) {
    this.source = source;
    this.defaults = defaults;
    this.sections = sections;
    this.#byName = new Map(sections.map((s) => [s.name, s]));
  }

  /** Parses INI text; a malformed line throws a ConfigError naming `source` and the line number. */
  static parse(text: string, source = "<string>"): IniDocument {
    const fail = (line: number, why: string): never => {
      // Never quote the line: in a credential file it may hold a password.
      throw new ConfigError(`${source}, line ${line}: ${why}`);
    };
    const defaults: MutableSection = { name: INI_DEFAULT_SECTION, line: 0, entries: new Map() };
    const sections = new Map<string, MutableSection>();
    let current: MutableSection | undefined;
    let currentKey: string | undefined;
    // A line indented deeper than the key's line continues its value, as in ConfigParser.
    let keyIndent = Number.MAX_SAFE_INTEGER;

    const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
    lines.forEach((raw, index) => {
      const lineNo = index + 1;
      const trimmed = raw.trim();
      const isComment = trimmed.startsWith("#") || trimmed.startsWith(";");
      if (trimmed === "" || isComment) {
        // Blank lines inside a value are kept (and trailing ones dropped at the end); comments are not.
        if (!isComment && current && currentKey !== undefined) current.entries.get(currentKey)?.lines.push("");
        return;
      }
      const indent = raw.length - raw.trimStart().length;
      if (current && currentKey !== undefined && indent > keyIndent) {
        current.entries.get(currentKey)?.lines.push(trimmed);
        return;
      }
      keyIndent = indent;
      const header = SECTION_HEADER.exec(trimmed);
      if (header) {
        const name = (header[1] ?? "").trim();
        if (name === "") fail(lineNo, "empty section name");
        currentKey = undefined;
        if (name === INI_DEFAULT_SECTION) {
          current = defaults;
          return;
        }
        if (sections.has(name)) fail(lineNo, `section [${name}] appears twice`);
        current = { name, line: lineNo, entries: new Map() };
        sections.set(name, current);
        return;
      }
      if (!current) return fail(lineNo, "a setting before the first [section] header");
      const option = OPTION_LINE.exec(trimmed);
      if (!option) return fail(lineNo, "expected `key = value`, `key: value` or `[section]`");
      const key = (option[1] ?? "").trim().toLowerCase();
      if (key === "") return fail(lineNo, "a value with no key before the `=` or `:`");
      if (current.entries.has(key)) fail(lineNo, `key '${key}' appears twice in section [${current.name}]`);
      current.entries.set(key, { lines: [option[2] ?? ""], line: lineNo });
      currentKey = key;
    });

    const freeze = (s: MutableSection): Map<string, IniEntry> =>
      new Map([...s.entries].map(([k, e]) => [k, { value: e.lines.join("\n").trimEnd(), line: e.line }]));
    return new IniDocument(
      source,
      freeze(defaults),
      [...sections.values()].map((s) => ({ name: s.name, line: s.line, entries: freeze(s) })),
    );
  }

  /** The section names, `[DEFAULT]` excluded, in file order. */
  sectionNames(): string[] {
    return this.sections.map((s) => s.name);
  }

  /** Whether the file has this section (`[DEFAULT]` does not count, as in ConfigParser). */
  hasSection(name: string): boolean {
    return this.#byName.has(name);
  }

  /** A key of a section, else of `[DEFAULT]`; undefined when neither has it or the section is absent. */
  get(section: string, key: string): IniEntry | undefined {
    const own = this.#byName.get(section);
    if (!own) return undefined;
    const k = key.toLowerCase();
    return own.entries.get(k) ?? this.defaults.get(k);
  }

  /** The keys a section sees: its own, then those it inherits from `[DEFAULT]`. */
  keys(section: string): string[] {
    const own = this.#byName.get(section);
    if (!own) return [];
    return [...new Set([...own.entries.keys(), ...this.defaults.keys()])];
  }
}
