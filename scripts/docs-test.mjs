// Checks that scripts/docs.mjs really fails on an export without a doc comment: a throw-away package
// with one documented and one bare export (a function, in a namespace too) must be refused, naming
// exactly the bare ones, and pass once they are documented. A type alias counts as documented when its
// target is, and a value merged with a documented declaration of its name is documented by it. Prints
// a PASS/FAIL line per check.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildReference } from "./docs.mjs";

const work = mkdtempSync(join(tmpdir(), "nimbus-docs-test-"));
let failed = 0;
function check(name, pass, detail) {
  if (!pass) failed++;
  console.log(`${pass ? "PASS" : "FAIL"}  ${name}${pass ? "" : `: ${detail}`}`);
}

function writePackage(source) {
  mkdirSync(join(work, "src"), { recursive: true });
  writeFileSync(
    join(work, "package.json"),
    JSON.stringify({ name: "@nimbus-sdk/fixture", version: "0.0.0", exports: { ".": "./dist/index.js" } }),
  );
  writeFileSync(
    join(work, "tsconfig.build.json"),
    JSON.stringify({
      compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "es2022", strict: true, types: [] },
      include: ["src"],
    }),
  );
  writeFileSync(join(work, "src/index.ts"), source);
}

const BARE = `
/** Documented. */
export const documented = 1;
export function bare(x: number): number { return x; }
/** A namespace. */
export namespace space {
  /** Documented too. */
  export const inner = 2;
  export interface Bare { x: number }
  /** A documented target. */
  export interface Target { y: number }
  // Merged with the interface: its value side, documented by the interface's comment.
  export declare const Target: { new (): Target };
  // Aliases are documented by their targets: this one's is, Loose's is not.
  export type Alias = Target;
  export type Loose = Bare;
}
`;

try {
  writePackage(BARE);
  const refused = await buildReference(work, join(work, "out"), { check: true, quiet: true });
  const names = refused.undocumented.map((entry) => entry.split(" ")[0]).sort();
  check(
    "an export without a doc comment fails the reference, named",
    refused.warnings > 0 && JSON.stringify(names) === JSON.stringify(["bare", "space.Bare", "space.Loose"]),
    `warnings ${refused.warnings}, undocumented ${JSON.stringify(names)}`,
  );

  writePackage(
    BARE.replace("export function bare", "/** Now documented. */\nexport function bare").replace(
      "export interface Bare",
      "/** Now documented. */\n  export interface Bare",
    ),
  );
  const accepted = await buildReference(work, join(work, "out"), { check: true, quiet: true });
  check(
    "the same package with every export documented passes",
    accepted.warnings === 0 && accepted.errors === 0 && accepted.undocumented.length === 0,
    `warnings ${accepted.warnings}, undocumented ${JSON.stringify(accepted.undocumented)}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`docs test: ${failed ? `${failed} check(s) FAILED` : "all checks passed"}`);
process.exit(failed ? 1 : 0);
