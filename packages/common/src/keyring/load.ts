import { KeyringError } from "../errors/index.js";
import { isModuleNotFound, loadFailedError, missingModuleError } from "./errors.js";
import type { KeyringModuleLoader, KeyringModuleName } from "./types.js";

/**
 * The default loader. Literal specifiers, so bundlers see the optional packages; `import()` so that
 * nothing native loads until a keyring call is made (the CommonJS build keeps it an `import()`).
 */
export const importKeyringModule: KeyringModuleLoader = (name: KeyringModuleName) =>
  name === "keytar" ? import("keytar") : import("@napi-rs/keyring");

/** `import()` of a CommonJS package gives a namespace; its `module.exports` may sit under `default`. */
function exportsOf(namespace: unknown): Record<string, unknown> | undefined {
  if (typeof namespace !== "object" || namespace === null) return undefined;
  const ns = namespace as Record<string, unknown>;
  return typeof ns.default === "object" && ns.default !== null ? (ns.default as Record<string, unknown>) : ns;
}

/**
 * Loads an optional package and checks it has the named functions; every failure is a KeyringError
 * that says what to install.
 */
export async function loadModule(
  load: KeyringModuleLoader,
  name: KeyringModuleName,
  backend: string,
  required: readonly string[],
): Promise<Record<string, unknown>> {
  let namespace: unknown;
  try {
    namespace = await load(name);
  } catch (error) {
    // "Cannot find module '../build/Release/keytar.node'" is a broken install, not a missing package.
    const message = error instanceof Error ? error.message : "";
    if (isModuleNotFound(error) && !message.includes(".node")) throw missingModuleError(backend, error);
    throw loadFailedError(backend, error);
  }
  for (const candidate of [exportsOf(namespace), namespace as Record<string, unknown> | undefined]) {
    if (candidate && required.every((fn) => typeof candidate[fn] === "function")) return candidate;
  }
  throw new KeyringError(
    `keyring backend "${backend}": the installed ${name} does not export ${required.join(", ")}; ` +
      "install the version this package supports (see its peerDependencies)",
    { code: "MODULE_LOAD_FAILED" },
  );
}
