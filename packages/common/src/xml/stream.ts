// scanXml over a document that arrives in UTF-8 pieces cut anywhere (an HTTP body as it streams in):
// the bytes are held only until the complete children of the root element in them can be scanned, so
// a list of 10,000 entities is decoded while it is read and never held whole, as bytes or as a string.
// The handler sees the same events, and errors carry the same lines and columns, as scanXml over the
// whole document would give.
import { ParseError } from "../errors/index.js";
import { scanXml, type XmlHandler } from "./scan.js";
import { decodeUtf8 } from "./utf8.js";

/** Options of the XmlStreamScanner constructor. */
export interface XmlStreamOptions {
  /**
   * Bytes held before the complete children of the root in them are scanned (default 64 KiB): small,
   * so that what the handler builds from them is made while the answer is read.
   */
  pieceBytes?: number;
  /**
   * Runs each scan of a piece (default: runs it): a caller can rename the ParseError it throws, which
   * then carries the position in the whole document.
   */
  scan?: (run: () => void) => void;
}

/**
 * Forwards one piece's events to the handler. A piece is scanned as a document of its own: the root's
 * start tag, complete children of the root, the root's end tag; the root's events go through only in
 * the first piece (open) and the last (close), and so does root-level indentation, which scanXml
 * reports only in a piece without children.
 */
class PieceHandler implements XmlHandler {
  depth = 0;
  first = true;
  last = false;
  constructor(readonly target: XmlHandler) {}
  open(name: string, attributes: Record<string, string> | null): void {
    if (this.depth++ > 0 || this.first) this.target.open(name, attributes);
  }
  text(value: string): void {
    if (this.depth > 1 || this.first || value.trim() !== "") this.target.text(value);
  }
  close(name: string): void {
    if (--this.depth > 0 || this.last) this.target.close(name);
  }
}

/** Feeds `handler` with the events of a document written in pieces; call end() once all is written. */
export class XmlStreamScanner {
  readonly #handler: PieceHandler;
  readonly #pieceBytes: number;
  readonly #scanPiece: (run: () => void) => void;
  #pending: Buffer;
  #length = 0;
  /** Where the next markup scan starts, and the end of the last complete child of the root. */
  #scanned = 0;
  /**
   * For markup cut by the end of what was written (it starts at #scanned): how far it was searched for
   * its end, and the quote open there, so that a long cut tag is not searched from its start again
   * with every write (quadratic in an endless attribute value).
   */
  #resumeAt = 0;
  #resumeQuote = 0;
  /** Bytes of the document decoded so far, for the offset of invalid UTF-8. */
  #decoded = 0;
  #cut = 0;
  #depth = 0;
  /** The root's start tag, which begins every piece after the first, and its name. */
  #rootTag = "";
  #rootName = "";
  /** Line and column (of scanXml's) in the document where the pending bytes start. */
  #line = 1;
  #column = 1;

  constructor(handler: XmlHandler, options: XmlStreamOptions = {}) {
    this.#handler = new PieceHandler(handler);
    this.#pieceBytes = options.pieceBytes ?? 64 * 1024;
    this.#scanPiece = options.scan ?? ((run) => run());
    this.#pending = Buffer.allocUnsafe(2 * this.#pieceBytes);
  }

  write(bytes: Uint8Array): void {
    // Leading whitespace is not part of the document.
    if (this.#length === 0 && this.#handler.first) {
      let start = 0;
      while (start < bytes.length && (bytes[start] === 32 || (bytes[start]! >= 9 && bytes[start]! <= 13))) start++;
      bytes = bytes.subarray(start);
    }
    if (this.#length + bytes.length > this.#pending.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * this.#pending.length, this.#length + bytes.length));
      this.#pending.copy(grown, 0, 0, this.#length);
      this.#pending = grown;
    }
    this.#pending.set(bytes, this.#length);
    this.#length += bytes.length;
    this.#scan();
    if (this.#cut >= this.#pieceBytes) this.#decodePiece(false);
  }

  /** Scans what is left; throws scanXml's ParseError for a document that is not complete or not well-formed. */
  end(): void {
    this.#decodePiece(true);
  }

  /**
   * Follows the element depth through the markup written so far, to find where children of the root
   * end. Markup cut by the end of what was written is scanned again once more has come. Anything that
   * is not well-formed is left for scanXml to report.
   */
  #scan(): void {
    // A plain Uint8Array view and byte loops: much faster than Buffer's indexOf per tag.
    const b = new Uint8Array(this.#pending.buffer, this.#pending.byteOffset, this.#length);
    const length = b.length;
    let i = this.#scanned;
    while (i < length) {
      if (b[i] !== 60 /* < */) {
        i++;
        continue;
      }
      const next = b[i + 1];
      const resume = i === this.#scanned ? this.#resumeAt : 0;
      let end: number;
      if (next === 33 /* ! */ && i + 9 > length) end = -1;
      else if (next === 33 && b[i + 2] === 45 /* - */) end = endOf(b, 45, 45, 62 /* --> */, i + 4, resume);
      else if (next === 33 && b[i + 2] === 91 /* [ */) end = endOf(b, 93, 93, 62 /* ]]> */, i + 9, resume);
      else if (next === 63 /* ? */) end = endOf(b, -1, 63, 62 /* ?> */, i + 2, resume);
      else end = tagEnd(b, Math.max(i + 1, resume), resume > 0 ? this.#resumeQuote : 0);
      if (end < 0) {
        // Searched to the end unless "<!" came too close to it to tell a comment from CDATA.
        this.#resumeAt = next === 33 && i + 9 > length ? 0 : length;
        this.#resumeQuote = -1 - end;
        break;
      }
      this.#resumeAt = 0;
      if (next === 47 /* / */) {
        if (--this.#depth === 1) this.#cut = end;
      } else if (next !== 33 && next !== 63) {
        if (b[end - 2] === 47 /* / */) {
          if (this.#depth === 1) this.#cut = end;
        } else if (this.#depth++ === 0 && this.#rootName === "") {
          // Newlines out, so that a piece's own line numbers match the document's (see #decodePiece).
          this.#rootTag = this.#pending.toString("utf8", i, end).replace(/[\r\n]/g, " ");
          this.#rootName = /^<([^\s/>]+)/.exec(this.#rootTag)![1]!;
        }
      }
      i = end;
    }
    this.#scanned = i;
  }

  #decodePiece(last: boolean): void {
    const end = last ? this.#length : this.#cut;
    const first = this.#handler.first;
    // A piece ends after a ">" (or at the document's end), so it holds whole characters.
    const piece = decodeUtf8(this.#pending.subarray(0, end), { what: "the document", offset: this.#decoded });
    this.#decoded += end;
    const prefix = first ? "" : this.#rootTag;
    this.#handler.last = last;
    this.#scanPiece(() => {
      try {
        scanXml(last ? prefix + piece : `${prefix}${piece}</${this.#rootName}>`, this.#handler);
      } catch (error) {
        throw error instanceof ParseError ? this.#positioned(error, prefix.length) : error;
      }
    });
    this.#handler.first = false;
    let lastNewline = -1;
    for (let at = piece.indexOf("\n"); at >= 0; at = piece.indexOf("\n", at + 1)) {
      this.#line++;
      lastNewline = at;
    }
    this.#column = lastNewline < 0 ? this.#column + piece.length : piece.length - lastNewline;
    this.#pending.copy(this.#pending, 0, end, this.#length);
    this.#length -= end;
    this.#scanned -= end;
    if (this.#resumeAt > 0) this.#resumeAt -= end;
    this.#cut = 0;
  }

  /** scanXml's error for a piece, with the line and column it has in the whole document. */
  #positioned(error: ParseError, prefixLength: number): ParseError {
    const message = error.message.replace(/at line (\d+), column (\d+)/, (_, line: string, column: string) => {
      const l = Number(line);
      return l === 1
        ? `at line ${this.#line}, column ${this.#column + Number(column) - 1 - prefixLength}`
        : `at line ${this.#line + l - 1}, column ${column}`;
    });
    return new ParseError(message, { cause: error });
  }
}

/**
 * The end (just past it) of the bytes `first second third` (`second third` when first is -1) found at
 * or after `from`, searching on from `resume` (where an earlier search stopped); -1 when not all written yet.
 */
function endOf(bytes: Uint8Array, first: number, second: number, third: number, from: number, resume: number): number {
  for (let i = Math.max(from + 1, resume); i < bytes.length; i++) {
    if (bytes[i] === third && bytes[i - 1] === second && (first < 0 || (i - 2 >= from && bytes[i - 2] === first))) {
      return i + 1;
    }
  }
  return -1;
}

/**
 * The end (just past the ">") of a tag searched from `from` with `quote` open there, quoted attribute
 * values skipped; when cut, -1 - the quote open at the end.
 */
function tagEnd(bytes: Uint8Array, from: number, quote: number): number {
  for (let i = from; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return i + 1;
  }
  return -1 - quote;
}
