// Versions of what a benchmark measured, for its report.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The version of an installed package, as resolved from `fromFile`. */
export function packageVersion(fromFile, name) {
  const require = createRequire(fromFile);
  let dir;
  try {
    dir = dirname(require.resolve(name));
  } catch {
    return "unknown";
  }
  while (dir !== dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      if (manifest.name === name) return manifest.version;
    } catch {
      // no package.json at this level
    }
    dir = dirname(dir);
  }
  return "unknown";
}
