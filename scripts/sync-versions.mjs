// Keeps each package's src/version.ts equal to its package.json version (changesets bumps only
// package.json). `--check` only reports a difference and exits 1, for CI.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const check = process.argv.includes("--check");
const root = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..", "packages");
let stale = 0;
for (const dir of readdirSync(root)) {
  const { name, version } = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
  const file = join(root, dir, "src", "version.ts");
  const wanted =
    "// Written by scripts/sync-versions.mjs from package.json; CI checks that the two agree.\n" +
    "/** This package's npm name. */\n" +
    `export const PACKAGE_NAME = "${name}";\n` +
    "/** This package's version, as in its package.json. */\n" +
    `export const PACKAGE_VERSION = "${version}";\n`;
  if (readFileSync(file, "utf8") === wanted) continue;
  stale++;
  if (check) console.error(`${file} does not match ${name}@${version}: run pnpm version-packages`);
  else writeFileSync(file, wanted);
}
if (check && stale) process.exit(1);
