// The write-or-check step every package generator ends with (docs/decisions/0004): each source is
// formatted with the repository's prettier settings, so `prettier --check .` agrees with it, then
// written to src/generated/ or, with --check, compared with the committed file.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { brotliCompressSync, brotliDecompressSync, constants } from "node:zlib";

/**
 * `outputs`: [file name under outDir, source] pairs. Resolves to the exit status: 1 when `check` finds
 * a committed file that differs from the generator's output, else 0. A file holding `packedTables`
 * is compared by what they unpack to: another Node's Brotli may pack the same tables into other bytes.
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
      if (unpacked(existsSync(file) ? readFileSync(file, "utf8") : "") !== unpacked(text)) {
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

/**
 * Named tables as one Brotli-compressed JSON document in base64, for a generated module to read back
 * with `JSON.parse(brotliDecompressSync(Buffer.from(packed, "base64")))`: vSphere's wire tables are
 * 577 KB of JSON text and 136 KB packed, on every install (docs/decisions/0028).
 */
export function packedTables(tables) {
  const json = Buffer.from(JSON.stringify(tables));
  const packed = brotliCompressSync(json, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: json.length,
    },
  });
  return `${PACKED_MARK}${packed.toString("base64")}"`;
}

const PACKED_MARK = '/* packed tables */ "';

/** A generated source with its packed tables, if any, replaced by the JSON they hold. */
function unpacked(text) {
  return text.replace(/\/\* packed tables \*\/ "([A-Za-z0-9+/=]*)"/g, (_, base64) =>
    brotliDecompressSync(Buffer.from(base64, "base64")).toString("utf8"),
  );
}
