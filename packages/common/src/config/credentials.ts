import { readFileSync } from "node:fs";
import { ConfigError } from "../errors/index.js";
import { stderrLogger, type Logger } from "../logging/logger.js";
import { IniDocument } from "./ini.js";
import { expandHome } from "./paths.js";
import { checkCredentialFileMode } from "./warnings.js";

/** One key of a credential-file section. */
export interface CredentialKeyDefinition<N extends string = string> {
  /** The key in the file, lowercase. */
  readonly name: N;
  /** Other keys accepted in its place (pyrax reads `password` when `api_key` is absent). */
  readonly aliases?: readonly string[];
  /** `false` for an optional key; keys are required otherwise, as pyrax's reader requires them. */
  readonly required?: boolean;
}

/** A section a provider accepts in a credential file (pyrax: `[keystone]`, `[rackspace_cloud]`). */
export interface CredentialSectionDefinition<S extends string = string> {
  readonly section: S;
  readonly keys: readonly CredentialKeyDefinition[];
}

type KeyValues<K extends readonly CredentialKeyDefinition[]> = {
  readonly [R in K[number] as R["name"]]: R extends { readonly required: false } ? string | undefined : string;
};

/** The credentials read from a file: which of the declared sections was found, and its keys. */
export type CredentialFile<S extends readonly CredentialSectionDefinition[]> = {
  [I in keyof S]: {
    /** The file's path, `~` expanded. */
    readonly path: string;
    readonly section: S[I]["section"];
    readonly values: KeyValues<S[I]["keys"]>;
  };
}[number];

/** Options of {@link readCredentialFile}. */
export interface ReadCredentialFileOptions {
  /** The home directory `~` stands for; `os.homedir()` by default. */
  homedir?: string;
  /** Receives the warning about a file other users can read; standard error by default. */
  logger?: Logger;
}

/**
 * Reads a credential file (an INI file, as pyrax's `set_credential_file`): the first of `sections`
 * found in the file, in the order declared, with each of its keys. A missing file, section or required
 * key throws a ConfigError naming the path; no message ever quotes a value. A file other users can
 * read is accepted, with a warning naming the chmod that fixes it.
 */
export function readCredentialFile<const S extends readonly CredentialSectionDefinition[]>(
  path: string,
  sections: S,
  options: ReadCredentialFileOptions = {},
): CredentialFile<S> {
  const file = expandHome(path, options.homedir);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new ConfigError(`credential file ${file} does not exist`, { cause: error });
    throw new ConfigError(`cannot read credential file ${file}: ${(error as Error).message}`, { cause: error });
  }
  checkCredentialFileMode(file, options.logger ?? stderrLogger);
  const doc = IniDocument.parse(text, file);

  const wanted = sections.find((s) => doc.hasSection(s.section));
  if (!wanted) {
    const expected = sections.map((s) => `[${s.section}]`).join(" or ");
    const found = doc.sectionNames().map((s) => `[${s}]`);
    throw new ConfigError(
      `credential file ${file} has no ${expected} section` + (found.length ? ` (it has ${found.join(", ")})` : ""),
    );
  }
  const values: Record<string, string | undefined> = {};
  for (const key of wanted.keys) {
    const names = [key.name, ...(key.aliases ?? [])];
    // An empty value is as good as none: it cannot authenticate anyone.
    const value = names.map((n) => doc.get(wanted.section, n)?.value).find((v) => v !== undefined && v !== "");
    if (value === undefined && key.required !== false) {
      const accepted = names.map((n) => `'${n}'`).join(" or ");
      throw new ConfigError(`credential file ${file}, section [${wanted.section}]: missing key ${accepted}`);
    }
    values[key.name] = value;
  }
  return { path: file, section: wanted.section, values } as CredentialFile<S>;
}
