import { readFileSync } from "node:fs";
import { ConfigError, ValidationError } from "../errors/index.js";
import { stderrLogger, type Logger } from "../logging/logger.js";
import { INI_DEFAULT_SECTION, IniDocument, type IniEntry } from "./ini.js";
import { expandHome } from "./paths.js";
import {
  isOfType,
  parseSettingText,
  validateTable,
  type SettingDefinition,
  type SettingName,
  type SettingResult,
  type SettingsTable,
  type SettingTypeMap,
  type SettingType,
  type SettingValue,
} from "./settings-table.js";
import { warnOnce } from "./warnings.js";

/** The environment used until another is chosen; it always exists, as in pyrax. */
export const DEFAULT_ENVIRONMENT = "default";

/** The legacy section name that means the default environment (pyrax before 1.4). */
export const LEGACY_DEFAULT_SECTION = "settings";

type AnyValue = SettingTypeMap[SettingType];

/** Options of {@link ConfigEnvironments}. */
export interface ConfigEnvironmentsOptions {
  /** The INI file of environments, e.g. `~/.pyrax.cfg`; a missing file means variables and defaults only. */
  path?: string;
  /** Keys that are credentials but not settings (pyrax: username, password, api_key): ignored, with a warning. */
  credentialKeys?: readonly string[];
  /** Where the table's environment variables are read, at each `get`; `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The home directory `~` stands for; `os.homedir()` by default. */
  homedir?: string;
  /** Receives the warnings (credentials in the config file); standard error by default. */
  logger?: Logger;
  /** The environment to start in; `default` otherwise. */
  environment?: string;
  /** Called after the environment changes, e.g. to drop the credentials of the previous cloud as pyrax does. */
  onEnvironmentChange?: (environment: string, previous: string) => void;
}

/** Where a setting's value came from, for diagnostics. */
export type SettingSource =
  | { readonly kind: "set" }
  | {
      readonly kind: "file";
      readonly path: string;
      readonly section: string;
      readonly key: string;
      readonly line: number;
    }
  | { readonly kind: "env"; readonly variable: string }
  | { readonly kind: "default" }
  | { readonly kind: "unset" };

interface FileValue {
  readonly value: AnyValue;
  readonly source: Extract<SettingSource, { kind: "file" }>;
}

// One environment's values. When no section is named `default` or `settings`, `default` and the first
// section share one layer, so a `set` through either name shows through both, as in pyrax.
interface Layer {
  readonly fromFile: ReadonlyMap<string, FileValue>;
  readonly overrides: Map<string, AnyValue>;
}

/**
 * A provider's settings, read with pyrax's rules: one INI section per environment; the section named
 * `default`, else `settings`, else the first is the default environment; a value in the file wins
 * over the setting's environment variable, which wins over its default.
 *
 * The file is read synchronously, at construction and on `reload()`: it is small and read once at
 * startup, and that keeps `get` synchronous, as code ported from pyrax expects.
 */
export class ConfigEnvironments<const T extends SettingsTable = SettingsTable> {
  /** The table this object was built from. */
  readonly table: T;
  /** The config file's path with `~` expanded, or undefined when none was given. */
  readonly path: string | undefined;
  readonly #rows: ReadonlyMap<string, SettingDefinition>;
  readonly #options: ConfigEnvironmentsOptions;
  readonly #logger: Logger;
  #layers = new Map<string, Layer>();
  #current = DEFAULT_ENVIRONMENT;
  #loaded = false;

  constructor(table: T, options: ConfigEnvironmentsOptions = {}) {
    validateTable(table);
    this.table = table;
    this.#rows = new Map(table.map((row) => [row.name, row]));
    this.#options = options;
    this.#logger = options.logger ?? stderrLogger;
    this.path = options.path === undefined ? undefined : expandHome(options.path, options.homedir);
    this.reload();
    if (options.environment !== undefined) this.#current = this.#layerName(options.environment);
  }

  /** Whether the config file existed when last read. */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** The current environment's name. */
  get environment(): string {
    return this.#current;
  }

  /** Switches environment; an unknown name throws a ConfigError listing the known ones. */
  set environment(name: string) {
    this.setEnvironment(name);
  }

  /** The current environment's name (pyrax's `get_environment`). */
  getEnvironment(): string {
    return this.#current;
  }

  /** Switches environment (pyrax's `set_environment`); an unknown name throws a ConfigError listing the known ones. */
  setEnvironment(name: string): void {
    const previous = this.#current;
    this.#current = this.#layerName(name);
    if (name !== previous) this.#options.onEnvironmentChange?.(name, previous);
  }

  /** Every environment: `default` first, then the file's sections in order (pyrax's `list_environments`). */
  listEnvironments(): string[] {
    return [...this.#layers.keys()];
  }

  /**
   * A setting's value in `env` (the current environment by default): a value `set` in this session,
   * else the file's, else the environment variable's, else the default. Unknown names throw a ConfigError.
   */
  get<N extends SettingName<T>>(name: N, env?: string): SettingResult<T, N> {
    return this.#resolve(name, env).value as SettingResult<T, N>;
  }

  /** Where `get(name, env)` takes its value from. */
  source(name: SettingName<T>, env?: string): SettingSource {
    return this.#resolve(name, env).source;
  }

  /** Every setting of `env` (the current environment by default), by name. */
  values(env?: string): { [N in SettingName<T>]: SettingResult<T, N> } {
    const out: Record<string, AnyValue | undefined> = {};
    for (const row of this.table) out[row.name] = this.#resolve(row.name, env).value;
    return out as { [N in SettingName<T>]: SettingResult<T, N> };
  }

  /**
   * Sets a setting for the rest of the session in `env` (the current environment by default); it wins
   * over the file and the environment. The file is not written. A value of the wrong type throws a ValidationError.
   */
  set<N extends SettingName<T>>(name: N, value: SettingValue<T, N>, env?: string): void {
    const row = this.#row(name);
    const layer = this.#layer(env);
    if (!isOfType(value, row.type)) {
      const shown = row.secret ? "the value" : JSON.stringify(value);
      throw new ValidationError(`setting '${row.name}' takes a ${row.type}, not ${shown}`, { field: row.name });
    }
    layer.overrides.set(row.name, value);
  }

  /**
   * Reads the config file again. Values `set` in this session are dropped, as pyrax's `read_config`
   * replaces them; the current environment is kept when the file still defines it.
   */
  reload(): void {
    const doc = this.#read();
    this.#loaded = doc !== undefined;
    const sections = doc?.sectionNames() ?? [];
    const defaultSection = sections.includes(DEFAULT_ENVIRONMENT)
      ? DEFAULT_ENVIRONMENT
      : sections.includes(LEGACY_DEFAULT_SECTION)
        ? LEGACY_DEFAULT_SECTION
        : sections[0];

    const layers = new Map<string, Layer>();
    const layerOf = (section: string | undefined): Layer => ({
      fromFile: doc && section !== undefined ? this.#sectionValues(doc, section) : new Map(),
      overrides: new Map(),
    });
    layers.set(DEFAULT_ENVIRONMENT, layerOf(defaultSection));
    for (const section of sections) {
      if (section === defaultSection) {
        // `settings` stands for `default` and is not listed; a first section serving as default is both.
        if (section !== LEGACY_DEFAULT_SECTION) layers.set(section, layers.get(DEFAULT_ENVIRONMENT) as Layer);
      } else {
        layers.set(section, layerOf(section));
      }
    }
    if (doc) this.#warnAboutCredentials(doc);

    this.#layers = layers;
    if (!layers.has(this.#current)) {
      this.#logger.warn(`environment '${this.#current}' is no longer in ${this.path}; using '${DEFAULT_ENVIRONMENT}'`);
      this.#current = DEFAULT_ENVIRONMENT;
    }
  }

  #read(): IniDocument | undefined {
    if (this.path === undefined) return undefined;
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (error) {
      // No file is the common case (pyrax reads ~/.pyrax.cfg only when it exists).
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new ConfigError(`cannot read config file ${this.path}: ${(error as Error).message}`, { cause: error });
    }
    return IniDocument.parse(text, this.path);
  }

  // Parses a section's known settings once, so a value of the wrong type fails at load, naming its line.
  #sectionValues(doc: IniDocument, section: string): Map<string, FileValue> {
    const own = doc.sections.find((s) => s.name === section)?.entries ?? new Map<string, IniEntry>();
    const values = new Map<string, FileValue>();
    for (const row of this.table) {
      const names = [row.name, ...(row.aliases ?? [])];
      // The section's own keys, under any name, before those inherited from [DEFAULT].
      const candidates = [
        ...names.map((key) => ({ key, from: section, entry: own.get(key) })),
        ...names.map((key) => ({ key, from: INI_DEFAULT_SECTION, entry: doc.defaults.get(key) })),
      ];
      const found = candidates.find((c) => c.entry !== undefined);
      if (!found?.entry) continue;
      const { key, from, entry } = found;
      const where = `${doc.source}, section [${from}], key '${key}' (line ${entry.line})`;
      const value = readText(row, entry.value, where);
      if (value !== undefined) {
        values.set(row.name, {
          value,
          source: { kind: "file", path: doc.source, section: from, key, line: entry.line },
        });
      }
    }
    for (const key of doc.keys(section)) {
      if (!this.#isKnownKey(key)) {
        this.#logger.debug(`${doc.source}: key '${key}' of section [${section}] is not a setting; ignored`);
      }
    }
    return values;
  }

  #isKnownKey(key: string): boolean {
    return (
      this.table.some((row) => row.name === key || row.aliases?.includes(key)) ||
      (this.#options.credentialKeys ?? []).includes(key)
    );
  }

  // pyrax warns when login credentials sit in the config file, a well-known path; names only, never values.
  #warnAboutCredentials(doc: IniDocument): void {
    const secretKeys = new Set([
      ...(this.#options.credentialKeys ?? []).map((k) => k.toLowerCase()),
      ...this.table.filter((row) => row.secret).flatMap((row) => [row.name, ...(row.aliases ?? [])]),
    ]);
    const found: string[] = [];
    const scan = (section: string, entries: ReadonlyMap<string, IniEntry>): void => {
      for (const [key, entry] of entries) {
        if (secretKeys.has(key) && entry.value !== "") found.push(`[${section}] ${key}`);
      }
    };
    scan(INI_DEFAULT_SECTION, doc.defaults);
    for (const section of doc.sections) scan(section.name, section.entries);
    if (found.length === 0) return;
    const ignored = (this.#options.credentialKeys ?? []).length > 0 ? " Keys that are not settings are ignored." : "";
    warnOnce(
      this.#logger,
      "credentials-in-config",
      doc.source,
      `credentials found in config file ${doc.source} (${found.join(", ")}).${ignored} ` +
        "Move them to a credential file readable only by you (chmod 600), or to the keyring.",
    );
  }

  #resolve(name: string, env: string | undefined): { value: AnyValue | undefined; source: SettingSource } {
    const row = this.#row(name);
    const layer = this.#layer(env);
    if (layer.overrides.has(row.name)) return { value: layer.overrides.get(row.name), source: { kind: "set" } };
    const fromFile = layer.fromFile.get(row.name);
    if (fromFile) return fromFile;
    if (row.env !== undefined) {
      const text = (this.#options.env ?? process.env)[row.env];
      if (text !== undefined) {
        const value = readText(row, text, `environment variable ${row.env}`);
        if (value !== undefined) return { value, source: { kind: "env", variable: row.env } };
      }
    }
    if (row.default !== undefined) return { value: row.default, source: { kind: "default" } };
    return { value: undefined, source: { kind: "unset" } };
  }

  #row(name: string): SettingDefinition {
    const row = this.#rows.get(name);
    if (row) return row;
    const known = this.table.map((r) => r.name).join(", ");
    throw new ConfigError(`unknown setting '${name}'; known settings: ${known}`);
  }

  #layerName(env: string): string {
    if (this.#layers.has(env)) return env;
    const where = this.#loaded ? ` in ${this.path}` : this.path ? ` (no file at ${this.path})` : "";
    throw new ConfigError(
      `unknown environment '${env}'${where}; known environments: ${this.listEnvironments().join(", ")}`,
    );
  }

  #layer(env: string | undefined): Layer {
    return this.#layers.get(this.#layerName(env ?? this.#current)) as Layer;
  }
}

// An empty value is an empty string for a string setting, and "not set" for a boolean or a number:
// `verify_ssl =` or `CLOUD_DEBUG=` falls back to the next source instead of failing.
function readText(row: SettingDefinition, text: string, where: string): AnyValue | undefined {
  if (row.type !== "string" && text.trim() === "") return undefined;
  return parseSettingText(row, text, where);
}
