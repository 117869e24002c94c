// Adds up the jest results of every package into one closing line: "N passed, N failed, N skipped";
// .test-results-<label>.json are the same tests run on another Node (scripts/test-node-versions.sh).
import { existsSync, readdirSync, readFileSync } from "node:fs";

let passed = 0,
  failed = 0,
  skipped = 0;
const resultFiles = readdirSync("packages").flatMap((dir) =>
  existsSync(`packages/${dir}/package.json`)
    ? readdirSync(`packages/${dir}`)
        .filter((name) => /^\.test-results(-[\w-]+)?\.json$/.test(name))
        .map((name) => `packages/${dir}/${name}`)
    : [],
);
for (const file of resultFiles) {
  const r = JSON.parse(readFileSync(file, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
  skipped += r.numPendingTests + r.numTodoTests;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
