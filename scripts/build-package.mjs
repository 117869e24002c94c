// Builds the package in the current directory to ESM (tsc, with declarations) and CommonJS (the
// ESM output rewritten by swc), so both `import` and `require` users get the same code and types.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";

const require = createRequire(import.meta.url);
const swc = require("@swc/core");
const tsc = require.resolve("typescript/bin/tsc");

rmSync("dist", { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { stdio: "inherit" });

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

for (const file of files("dist/esm")) {
  const target = join("dist/cjs", relative("dist/esm", file));
  mkdirSync(join(target, ".."), { recursive: true });
  if (file.endsWith(".js")) {
    const { code } = swc.transformFileSync(file, {
      jsc: { target: "es2022", parser: { syntax: "ecmascript" } },
      module: { type: "commonjs" },
      sourceMaps: false,
      swcrc: false,
    });
    writeFileSync(target, code);
  } else if (file.endsWith(".d.ts")) {
    cpSync(file, target);
  }
}
writeFileSync("dist/cjs/package.json", '{ "type": "commonjs" }\n');
