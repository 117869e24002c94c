// The write-or-check step every package generator ends with (docs/decisions/0004): each source is
// formatted with the repository's prettier settings, so `prettier --check .` agrees with it, then
// written to src/generated/ or, with --check, compared with the committed file.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";

/**
 * `outputs`: [file name under outDir, source] pairs. Resolves to the exit status: 1 when `check` finds
 * a committed file that differs from the generator's output, else 0.
 */
export async function writeGenerated({ tool, outDir, outputs, check }) {
  const prettier = await import("prettier");
  let status = 0;
  for (const [name, source] of outputs) {
    const file = resolve(outDir, name);
    const shown = relative(resolve(outDir, "../.."), file).replace(/\\/g, "/");
    const config = (await prettier.resolveConfig(file)) ?? {};
    let text;
    try {
      text = await prettier.format(source, { ...config, filepath: file });
    } catch (error) {
      throw new Error(`generated ${shown} does not parse: ${String(error.message).split("\n")[0]}`, { cause: error });
    }
    if (check) {
      if ((existsSync(file) ? readFileSync(file, "utf8") : "") !== text) {
        console.error(`${tool}: ${shown} is out of date; run "pnpm generate".`);
        status = 1;
      } else {
        console.log(`${tool}: ${shown} is up to date.`);
      }
    } else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      console.log(`${tool}: wrote ${shown}`);
    }
  }
  return status;
}

/**
 * A generated table's initialiser: `JSON.parse` of one entry a line. The compiled object literal
 * would be printed one value a line, indented (the CommonJS build's code printer); the JSON keeps the
 * installed JavaScript about the size of the source (docs/decisions/0028), and parses faster too.
 */
export function jsonTable(entries) {
  const lines = entries.map(
    ([key, value], i) => `${JSON.stringify(key)}: ${JSON.stringify(value)}${i < entries.length - 1 ? "," : ""}`,
  );
  const text = ["{", ...lines, "}"].join("\n").replace(/[\\`]|\$\{/g, (m) => `\\${m}`);
  return `JSON.parse(\`${text}\`)`;
}
