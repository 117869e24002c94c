// Checks that packages are versioned independently: in a copy of the workspace's manifests, a
// changeset naming one package bumps that package only, and a bump of common reaches a provider only
// through its dependency range.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = process.cwd();
const packages = readdirSync(join(root, "packages"));
const versions = (dir) =>
  Object.fromEntries(
    packages.map((p) => [p, JSON.parse(readFileSync(join(dir, "packages", p, "package.json"), "utf8")).version]),
  );

function run(changeset) {
  const dir = mkdtempSync(join(tmpdir(), "nimbus-changesets-"));
  try {
    for (const f of ["package.json", "pnpm-workspace.yaml"]) cpSync(join(root, f), join(dir, f));
    mkdirSync(join(dir, ".changeset"));
    cpSync(join(root, ".changeset/config.json"), join(dir, ".changeset/config.json"));
    for (const extra of ["bench", "demo"]) cpSync(join(root, extra, "package.json"), join(dir, extra, "package.json"));
    for (const p of packages) {
      mkdirSync(join(dir, "packages", p), { recursive: true });
      for (const f of ["package.json", "CHANGELOG.md"])
        cpSync(join(root, "packages", p, f), join(dir, "packages", p, f));
    }
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
    writeFileSync(join(dir, ".changeset", "only-one.md"), changeset);
    execFileSync(process.execPath, [join(root, "node_modules/@changesets/cli/bin.js"), "version"], {
      cwd: dir,
      stdio: "pipe",
    });
    return versions(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const before = versions(root);
let failed = 0;
function check(label, after, expectChanged) {
  const changed = packages.filter((p) => after[p] !== before[p]).sort();
  const ok = JSON.stringify(changed) === JSON.stringify([...expectChanged].sort());
  console.log(`${ok ? "PASS" : "FAIL"} ${label}: changed ${changed.join(", ") || "nothing"}`);
  if (!ok) failed++;
}
check("a changeset for tutum bumps tutum only", run('---\n"@nimbus-sdk/tutum": minor\n---\n\nx\n'), ["tutum"]);
check("a patch of common leaves the providers alone", run('---\n"@nimbus-sdk/common": patch\n---\n\nx\n'), ["common"]);
process.exitCode = failed ? 1 : 0;
