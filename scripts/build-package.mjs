// Builds the package in the current directory to ESM and CommonJS, so both `import` and `require`
// users get the same code and types, at the installed size docs/decisions/0028 measured:
// - tsc type-checks and writes the declarations once, doc comments kept, into dist/cjs: a folder
//   whose package.json says CommonJS, so TypeScript reads them as CommonJS modules and a `require`
//   user's types resolve under node16/nodenext;
// - the ESM JavaScript is tsc's per-file transpile of each source (isolatedModules makes that the
//   same code tsc emits) without comments, which are in the sources and the declarations;
// - the CommonJS JavaScript is that ESM output rewritten by swc;
// - each `import` types entry of the exports map is that entry's declaration file, its relative
//   imports pointed at dist/cjs: an ESM-format door into the one set of declarations, so the
//   `import` side keeps ESM semantics (a default export stays the default).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";

const require = createRequire(import.meta.url);
const swc = require("@swc/core");
const ts = require("typescript");
const tsc = require.resolve("typescript/bin/tsc");

const ESM = "dist/esm";
const CJS = "dist/cjs";

rmSync("dist", { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--emitDeclarationOnly", "--outDir", CJS], {
  stdio: "inherit",
});

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
for (const source of config.fileNames.filter((file) => !file.endsWith(".d.ts"))) {
  const path = relative(config.options.rootDir, source).replace(/\.ts$/, ".js");
  const { outputText } = ts.transpileModule(readFileSync(source, "utf8"), { compilerOptions, fileName: source });
  write(join(ESM, path), outputText);
  const { code } = swc.transformSync(outputText, {
    jsc: { target: "es2022", parser: { syntax: "ecmascript" } },
    module: { type: "commonjs" },
    sourceMaps: false,
    swcrc: false,
  });
  write(join(CJS, path), code);
}
writeFileSync(join(CJS, "package.json"), '{ "type": "commonjs" }\n');

const manifest = JSON.parse(readFileSync("package.json", "utf8"));
for (const conditions of Object.values(manifest.exports)) {
  const esmTypes = conditions.import?.types;
  const cjsTypes = conditions.require?.types;
  if (!esmTypes || !cjsTypes) continue;
  const from = dirname(join(".", cjsTypes));
  const to = dirname(join(".", esmTypes));
  const text = readFileSync(cjsTypes, "utf8").replace(
    /(\bfrom\s*|\bimport\s*\(\s*)(["'])(\.{1,2}\/[^"']*)\2/g,
    (_, lead, quote, specifier) => {
      const target = relative(to, join(from, specifier)).split("\\").join("/");
      return `${lead}${quote}${target.startsWith(".") ? target : `./${target}`}${quote}`;
    },
  );
  write(esmTypes, text);
}

function write(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
