// Runs every package's unit tests with the Node that runs this script: each test file except those of
// openstack that start OpenStack services (Keystone, Swift, Glance, Nova ...: they import
// helpers/stack.js, helpers/cloud.js or src/testing/, from test/ or test/migration/), which stay with the machine's Node.
// Usage: node scripts/unit-tests.mjs <label> [package ...] (default: every package); jest's results go to
// packages/<p>/.test-results-<label>.json.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [label, ...only] = process.argv.slice(2);
if (!/^[\w-]+$/.test(label ?? "")) throw new Error("usage: node scripts/unit-tests.mjs <label> [package ...]");
const unknown = only.filter((dir) => !existsSync(join(root, "packages", dir, "test")));
if (unknown.length) throw new Error(`no tests in packages/${unknown.join(", packages/")}`);
const STARTS_OPENSTACK = /from "(\.\.?\/)+(helpers\/(stack|cloud)|src\/testing\/[^"]*)\.js"/;

function* testFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* testFiles(path);
    else if (entry.name.endsWith(".test.ts")) yield path;
  }
}

let failed = 0;
for (const dir of readdirSync(join(root, "packages")).sort()) {
  const packageDir = join(root, "packages", dir);
  if (!existsSync(join(packageDir, "test")) || (only.length && !only.includes(dir))) continue;
  const files = [...testFiles(join(packageDir, "test"))]
    .filter((file) => dir !== "openstack" || !STARTS_OPENSTACK.test(readFileSync(file, "utf8")))
    .map((file) => relative(packageDir, file))
    .sort();
  const result = spawnSync(
    process.execPath,
    [
      "--experimental-vm-modules",
      "--no-warnings=ExperimentalWarning",
      join(root, "node_modules/jest/bin/jest.js"),
      "--json",
      `--outputFile=.test-results-${label}.json`,
      // A test that leaks a handle fails on Node 20's run already; here it must not hang CI.
      "--forceExit",
      "--runTestsByPath",
      ...files,
    ],
    { cwd: packageDir, stdio: ["ignore", "ignore", "inherit"] },
  );
  if (result.status !== 0) failed++;
  console.log(
    `${result.status === 0 ? "PASS" : "FAIL"}  ${dir} on Node ${process.versions.node}: ${files.length} test files`,
  );
}
process.exit(failed ? 1 : 0);
