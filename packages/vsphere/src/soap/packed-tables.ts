import { brotliDecompressSync } from "node:zlib";

/**
 * The wire tables src/generated/wire.ts holds packed (scripts/generate.mjs: one JSON document, Brotli,
 * base64), as plain records by table name. Unpacked once, when wire.ts loads.
 */
export function unpackTables<Name extends string>(
  packed: string,
): Readonly<Record<Name, Readonly<Record<string, string>>>> {
  return JSON.parse(brotliDecompressSync(Buffer.from(packed, "base64")).toString("utf8"));
}
