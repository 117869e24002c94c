// Strict UTF-8: a server's bytes that are not UTF-8 are an error, not U+FFFD in a value (a name or a
// password that silently differs from what the server holds).
import { isUtf8 } from "node:buffer";
import { ParseError, type ErrorContext } from "../errors/index.js";

const FATAL = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Options of {@link decodeUtf8}: how the bytes are named in an error message and where they start. */
export interface Utf8Options {
  /** Names the bytes in the message (default "the body"). */
  what?: string;
  /** Added to the byte positions in the message (the bytes are a piece of a longer document). */
  offset?: number;
  /** The request the bytes answer, for the error. */
  context?: ErrorContext;
}

/**
 * `bytes` as text; a ParseError naming the byte offset of the first invalid sequence when they are
 * not UTF-8. A leading byte order mark is kept, as Buffer's toString keeps it.
 */
export function decodeUtf8(bytes: Uint8Array, options: Utf8Options = {}): string {
  try {
    return FATAL.decode(bytes);
  } catch {
    throw invalidUtf8(bytes, options);
  }
}

/** Throws decodeUtf8's ParseError when `bytes` are not UTF-8 (for a decoder that reads the bytes themselves). */
export function checkUtf8(bytes: Uint8Array, options: Utf8Options = {}): void {
  if (!isUtf8(bytes)) throw invalidUtf8(bytes, options);
}

function invalidUtf8(bytes: Uint8Array, { what = "the body", offset = 0, context }: Utf8Options): ParseError {
  const at = invalidUtf8Offset(bytes);
  const problem = at.truncated ? "a character cut off by the end" : "a byte sequence that is not UTF-8";
  const request = context?.method && context.url ? `${context.method} ${context.url}: ` : "";
  return new ParseError(`${request}${what} is not valid UTF-8: ${problem} at byte ${offset + at.index}`, context);
}

/** Where the first invalid sequence starts (its lead byte), following the WHATWG decoder's rules. */
function invalidUtf8Offset(bytes: Uint8Array): { index: number; truncated: boolean } {
  const length = bytes.length;
  let i = 0;
  while (i < length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let needed: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) needed = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      needed = 2;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      needed = 3;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return { index: i, truncated: false };
    for (let k = 1; k <= needed; k++) {
      if (i + k >= length) return { index: i, truncated: true };
      const next = bytes[i + k]!;
      if (next < (k === 1 ? low : 0x80) || next > (k === 1 ? high : 0xbf)) return { index: i, truncated: false };
    }
    i += needed + 1;
  }
  return { index: length, truncated: false };
}
