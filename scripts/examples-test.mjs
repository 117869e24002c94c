// Type-checks every `@example` TypeScript block of the packages' doc comments (hand-written sources)
// against the built packages, as a user's file would import them. Expects built packages (scripts/test.sh
// builds first). Each example is its own module in a temporary folder inside demo/, whose node_modules
// resolve @nimbus-sdk/*. Prints one PASS/FAIL line and exits non-zero on a type error.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const EXAMPLE = /@example\s*\n(?:[ \t]*\*.*\n)*?[ \t]*\*?[ \t]*```ts\n([\s\S]*?)[ \t]*\*?[ \t]*```/g;

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "generated") yield* sources(path);
    else if (entry.isFile() && entry.name.endsWith(".ts")) yield path;
  }
}

const examples = [];
for (const dir of readdirSync(join(root, "packages"))) {
  for (const file of sources(join(root, "packages", dir, "src"))) {
    for (const match of readFileSync(file, "utf8").matchAll(EXAMPLE)) {
      const code = match[1].replace(/^[ \t]*\* ?/gm, "");
      examples.push({ from: relative(root, file), code });
    }
  }
}

const work = mkdtempSync(join(root, "demo", ".examples-"));
let failed = false;
try {
  examples.forEach(({ from, code }, i) =>
    writeFileSync(join(work, `example${i + 1}.ts`), `// ${from}\n${code}\nexport {};\n`),
  );
  writeFileSync(
    join(work, "tsconfig.json"),
    JSON.stringify({
      extends: "../../tsconfig.base.json",
      compilerOptions: { noEmit: true, lib: ["es2023", "esnext.disposable"] },
      include: ["*.ts"],
    }),
  );
  try {
    execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", work], { encoding: "utf8" });
  } catch (error) {
    failed = true;
    const byFile = (line) =>
      line.replace(/^(?:\S*\/)?example(\d+)\.ts/, (_, n) => `${examples[n - 1].from} (example ${n})`);
    console.log(`${error.stdout ?? ""}${error.stderr ?? ""}`.trim().split("\n").map(byFile).join("\n"));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`${failed ? "FAIL" : "PASS"}  the ${examples.length} examples of the doc comments type-check`);
process.exit(failed ? 1 : 0);
