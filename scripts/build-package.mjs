// Builds the package in the current directory: one CommonJS build that both `import` and `require`
// load, so the installed package holds one copy of the code and of its types (docs/decisions/0028
// measured the footprint this keeps under 5 MB per provider):
// - tsc type-checks and writes the declarations, doc comments kept, into dist/cjs: a folder whose
//   package.json says CommonJS, so TypeScript reads them as CommonJS for `require` users (node16 too);
// - each source is tsc's per-file transpile (isolatedModules makes that the code tsc emits) without
//   comments, which live in the sources and the declarations, rewritten to CommonJS by swc;
// - each entry of the exports map gets an ESM door in dist/esm: a module that imports the CommonJS
//   entry and re-exports its names (the list read from the built entry, so it cannot drift), and a
//   declaration file, the entry's own with its relative imports pointed at dist/cjs, so the `import`
//   side keeps ESM semantics (a default export stays the default).
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";

const require = createRequire(import.meta.url);
const swc = require("@swc/core");
const ts = require("typescript");
const tsc = require.resolve("typescript/bin/tsc");

const CJS = "dist/cjs";

rmSync("dist", { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--emitDeclarationOnly", "--outDir", CJS], {
  stdio: "inherit",
});
// tsc indents declarations with four spaces a level; a tab a level says the same in a quarter of the
// bytes (vSphere's generated vim.d.ts: 0.16 MB less installed, docs/decisions/0028).
const tabs = (text, width) =>
  text.replace(new RegExp(`^(?: {${width}})+`, "gm"), (indent) => "\t".repeat(indent.length / width));
for (const path of readdirSync(CJS, { recursive: true }).filter((p) => p.endsWith(".d.ts"))) {
  const file = join(CJS, path);
  writeFileSync(file, tabs(readFileSync(file, "utf8"), 4));
}
// A declaration file beside a JavaScript source (vSphere's generated vim.d.ts, which types the values of
// vim.js) is that module's declarations as written: tsc does not emit it, so it is copied (formatted by
// prettier, two spaces a level). Other declaration files among the sources only serve the build.
const sources = readdirSync("src", { recursive: true });
const declaresJavaScript = (p) => p.endsWith(".d.ts") && sources.includes(p.replace(/\.d\.ts$/, ".js"));
for (const path of sources.filter(declaresJavaScript)) {
  write(join(CJS, path), tabs(readFileSync(join("src", path), "utf8"), 2));
}

const config = ts.getParsedCommandLineOfConfigFile(
  "tsconfig.build.json",
  {},
  { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
);
// Every source is an ES module (the package says "type": "module"); one file alone does not tell
// transpileModule so, hence the explicit module kind.
const compilerOptions = {
  ...config.options,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  removeComments: true,
  declaration: false,
  sourceMap: false,
};
// The TypeScript sources, and the JavaScript ones (vim.js) that a declaration file types.
const javascript = sources.filter((p) => p.endsWith(".js")).map((p) => resolve("src", p));
for (const source of [...config.fileNames.filter((file) => !file.endsWith(".d.ts")), ...javascript]) {
  const path = relative(config.options.rootDir, source).replace(/\.ts$/, ".js");
  const { outputText } = ts.transpileModule(readFileSync(source, "utf8"), { compilerOptions, fileName: source });
  const { code } = swc.transformSync(outputText, {
    jsc: { target: "es2022", parser: { syntax: "ecmascript" } },
    // import() stays import(): Node's CommonJS has it, and it loads an ESM-only optional peer (ky)
    // where require() cannot (jest's runtime), with the namespace the sources expect.
    module: { type: "commonjs", ignoreDynamic: true },
    sourceMaps: false,
    swcrc: false,
  });
  write(join(CJS, path), code);
}
writeFileSync(join(CJS, "package.json"), '{ "type": "commonjs" }\n');

const manifest = JSON.parse(readFileSync("package.json", "utf8"));
const requireBuilt = createRequire(resolve("package.json"));
for (const [subpath, conditions] of Object.entries(manifest.exports)) {
  if (typeof conditions === "string") continue; // ./package.json
  const { import: esm, require: cjs } = conditions;
  if (!esm?.default || !esm.types || !cjs?.default || !cjs.types) {
    throw new Error(`exports["${subpath}"] needs import and require entries, each with types and default`);
  }
  const names = Object.keys(requireBuilt(resolve(cjs.default))).filter((name) => name !== "__esModule");
  const named = names.filter((name) => name !== "default");
  write(
    esm.default,
    [
      `import cjs from "${pointer(esm.default, cjs.default)}";`,
      `export const {\n${named.map((name) => `  ${name},\n`).join("")}} = cjs;`,
      ...(names.includes("default") ? ["export default cjs.default;"] : []),
      "",
    ].join("\n"),
  );
  const from = dirname(cjs.types);
  const types = readFileSync(cjs.types, "utf8").replace(
    // from "./x", import("./x") and a side-effect import "./x" (a module augmentation: ovirt's v3 names)
    /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)(["'])(\.{1,2}\/[^"']*)\2/g,
    (_, lead, quote, specifier) => `${lead}${quote}${pointer(esm.types, join(from, specifier))}${quote}`,
  );
  write(esm.types, types);
}

/** The relative specifier that reaches `target` from the file `file`. */
function pointer(file, target) {
  const path = relative(dirname(file), target).split("\\").join("/");
  return path.startsWith(".") ? path : `./${path}`;
}

function write(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
