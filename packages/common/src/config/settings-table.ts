import { ConfigError, ValidationError } from "../errors/index.js";

/** The types a setting can hold. */
export type SettingType = "string" | "boolean" | "number";

/** The TypeScript type behind each setting type. */
export interface SettingTypeMap {
  string: string;
  boolean: boolean;
  number: number;
}

/** One row of the settings table a provider declares. */
export interface SettingDefinition<N extends string = string, K extends SettingType = SettingType> {
  /** The key in the INI file and in `get`/`set`; lowercase, since INI keys are read lowercased. */
  readonly name: N;
  readonly type: K;
  /** The value when neither the file nor the environment variable sets it. */
  readonly default?: SettingTypeMap[K];
  /** Environment variable read when the file does not set the value (pyrax's `CLOUD_*`). */
  readonly env?: string;
  /** Older names still accepted in the file (pyrax's `http_debug` for `debug`); the name wins. */
  readonly aliases?: readonly string[];
  /** A credential: its value never appears in a message, and finding it in a config file warns. */
  readonly secret?: boolean;
  /** One line for documentation and error messages. */
  readonly description: string;
}

/** A provider's settings table. */
export type SettingsTable = readonly SettingDefinition[];

/** The names a table declares. */
export type SettingName<T extends SettingsTable> = T[number]["name"];

type RowOf<T extends SettingsTable, N extends string> = Extract<T[number], { readonly name: N }>;

/** The type a setting holds once set. */
export type SettingValue<T extends SettingsTable, N extends SettingName<T>> = SettingTypeMap[RowOf<T, N>["type"]];

/** What `get` returns: the value, or undefined when the setting has no default and nothing sets it. */
export type SettingResult<T extends SettingsTable, N extends SettingName<T>> =
  RowOf<T, N> extends { readonly default: SettingTypeMap[SettingType] }
    ? SettingValue<T, N>
    : SettingValue<T, N> | undefined;

/**
 * Declares a settings table, keeping each row's literal name and type so `get` and `set` are typed
 * per setting; checks the table once (names lowercase and unique, defaults of the declared type).
 */
export function defineSettings<const T extends SettingsTable>(table: T): T {
  validateTable(table);
  return table;
}

/** Throws a ValidationError when a table cannot work: a provider's bug, caught at load time. */
export function validateTable(table: SettingsTable): void {
  const seen = new Map<string, string>();
  for (const row of table) {
    for (const key of [row.name, ...(row.aliases ?? [])]) {
      if (!/^[a-z0-9_.-]+$/.test(key)) {
        throw new ValidationError(
          `setting key '${key}' must be lowercase letters, digits, '_', '.' or '-', since INI keys are read lowercased`,
          { field: row.name },
        );
      }
      const owner = seen.get(key);
      if (owner !== undefined) {
        throw new ValidationError(`setting key '${key}' is declared by both '${owner}' and '${row.name}'`, {
          field: row.name,
        });
      }
      seen.set(key, row.name);
    }
    if (!["string", "boolean", "number"].includes(row.type)) {
      throw new ValidationError(`setting '${row.name}' has unknown type '${String(row.type)}'`, { field: row.name });
    }
    if (row.default !== undefined && !isOfType(row.default, row.type)) {
      throw new ValidationError(`the default of setting '${row.name}' is not a ${row.type}`, { field: row.name });
    }
  }
}

/** Whether a JavaScript value has a setting type. */
export function isOfType(value: unknown, type: SettingType): boolean {
  return type === "number" ? typeof value === "number" && Number.isFinite(value) : typeof value === type;
}

// ConfigParser's BOOLEAN_STATES, which `getboolean` accepts case-insensitively.
const BOOLEAN_WORDS: ReadonlyMap<string, boolean> = new Map([
  ["1", true],
  ["yes", true],
  ["true", true],
  ["on", true],
  ["0", false],
  ["no", false],
  ["false", false],
  ["off", false],
]);

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a boolean as ConfigParser's `getboolean`: 1/yes/true/on or 0/no/false/off, any case. */
export function parseBoolean(text: string): boolean | undefined {
  return BOOLEAN_WORDS.get(text.trim().toLowerCase());
}

/**
 * Reads a setting's text (from a file or an environment variable) as its declared type; `where` names
 * the file, section and key or the variable, for the ConfigError thrown on a value of the wrong type.
 */
export function parseSettingText<K extends SettingType>(
  row: SettingDefinition<string, K>,
  text: string,
  where: string,
): SettingTypeMap[K] {
  // A secret's text is never shown, even when it is malformed.
  const shown = row.secret ? "the value" : `'${text}'`;
  if (row.type === "boolean") {
    const value = parseBoolean(text);
    if (value === undefined) {
      throw new ConfigError(`${where}: ${shown} is not a boolean (use true/false, yes/no, on/off or 1/0)`);
    }
    return value as SettingTypeMap[K];
  }
  if (row.type === "number") {
    const trimmed = text.trim();
    if (!NUMBER.test(trimmed)) throw new ConfigError(`${where}: ${shown} is not a number`);
    return Number(trimmed) as SettingTypeMap[K];
  }
  return text as SettingTypeMap[K];
}
