// A methodResponse decoded as its body streams in, for the methods that answer an XML document: oned's
// `[true, "<VM_POOL>…", 0]` is almost all that one escaped string, so its text is unescaped chunk by
// chunk (in the chunk's own bytes) and handed to a document decoder, and the whole body is never held
// (a 10,000-VM pool is 22 MB). Only the envelope around the string is kept, and decoded by
// decodeMethodResponse at the end, so faults, `[false, …]` answers and malformed envelopes behave as
// with a whole body; an answer that does not start the way a successful document answer does is
// simply read whole and decoded the same way.
import type { Readable } from "node:stream";
import { ResponseTooLargeError } from "../errors.js";
import { decodeMethodResponse, parseFailure, unescapeInPlace } from "./decode.js";
import type { XmlRpcValue } from "./types.js";

/** Where the unescaped document string goes, in UTF-8 pieces cut anywhere. */
export interface DocumentSink {
  write(bytes: Buffer): void;
}

export interface StreamedResponse {
  /** The answer's value; with `streamed`, its document string was left out (it is ""). */
  value: XmlRpcValue;
  /** Whether the document string went to the sink. */
  streamed: boolean;
}

/**
 * `<methodResponse><params><param><value><array><data><value><boolean>1</boolean></value><value><string>`
 * followed by an escaped "<": the only start after which the string is streamed. Tested on the body's
 * first bytes as latin1 (the markup is ASCII).
 */
const DOCUMENT_START =
  /^(?:\xEF\xBB\xBF)?\s*(?:<\?xml[^<>]*\?>\s*)?<methodResponse>\s*<params>\s*<param>\s*<value>\s*<array>\s*<data>\s*<value>\s*<boolean>\s*(?:1|true)\s*<\/boolean>\s*<\/value>\s*<value>(?:\s*<string>)?(?=\s*&lt;)/;
const EMPTY = Buffer.alloc(0);
/** Bytes read before deciding whether the answer is streamed (the start above fits well within). */
const DECIDE_AFTER = 1024;

/** Body bytes, with the limit of `maxBytes`: the ResponseTooLargeError OneServer also gives for a whole body. */
export function responseTooLarge(maxBytes: number): ResponseTooLargeError {
  return new ResponseTooLargeError(
    `the response is larger than the ${maxBytes}-byte limit (maxResponseBytes); ` +
      `page through large pools (start, end < -1) or raise the limit`,
    { limit: maxBytes },
  );
}

/**
 * Reads a methodResponse from `body` (Buffers, which are overwritten); a document string in a successful
 * answer goes to `sink` as it comes (at the end without `declaredBytes`). Throws as decodeMethodResponse
 * does, and ResponseTooLargeError past `maxBytes` (checked against `declaredBytes`, the Content-Length,
 * before reading).
 */
export async function decodeStreamedResponse(
  body: AsyncIterable<Buffer>,
  sink: DocumentSink,
  options: { maxBytes: number; declaredBytes?: number },
): Promise<StreamedResponse> {
  const { maxBytes } = options;
  if ((options.declaredBytes ?? 0) > maxBytes) {
    // Left unread, the body would keep its connection open (and a dispatcher's close waiting) for ever.
    (body as Partial<Readable>).on?.("error", () => undefined).destroy?.();
    throw responseTooLarge(maxBytes);
  }
  // Without a declared length (a chunked answer) nothing says the body ends within the limit: the
  // unescaped document is held, not decoded, until it does, so that an endless answer costs the limit's
  // bytes rather than the objects decoded from them (about three times as much).
  const held: Buffer[] | undefined = options.declaredBytes === undefined ? [] : undefined;
  /** The envelope: everything before the document string (all of the body when not streamed) … */
  let head: Buffer[] = [];
  let headLength = 0;
  /** … and everything after it. */
  const tail: Buffer[] = [];
  // Widened: the closures below change it, which narrowing does not see.
  let phase = "deciding" as "deciding" | "whole" | "document" | "tail";
  let size = 0;
  /** Body offset of the next document byte, and of the document string's start. */
  let offset = 0;
  let documentStart = 0;
  /** The end of the last chunk: a reference or CR that may continue in the next one. */
  let carry: Buffer | null = null;

  const document = (chunk: Buffer): void => {
    const bytes: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const start = offset - (carry?.length ?? 0);
    carry = null;
    const lt = bytes.indexOf(60 /* < */);
    const run = lt < 0 ? bytes : bytes.subarray(0, lt);
    const { written, read } = unescapeInPlace(run, lt < 0, (problem, index) => {
      throw parseFailure("the XML-RPC response", problem, start + index, Buffer.concat(head).toString("utf8"));
    });
    if (written > 0) {
      if (held) held.push(run.subarray(0, written));
      else sink.write(run.subarray(0, written));
    }
    if (lt >= 0) {
      phase = "tail";
      tail.push(bytes.subarray(lt));
    } else if (read < run.length) carry = Buffer.from(run.subarray(read));
    offset = start + bytes.length;
  };

  const decide = (): void => {
    const bytes = Buffer.concat(head, headLength);
    const match = DOCUMENT_START.exec(bytes.toString("latin1", 0, DECIDE_AFTER));
    if (!match) {
      phase = "whole";
      head = [bytes];
      return;
    }
    phase = "document";
    documentStart = match[0].length;
    // A copy, so the chunk the document starts in is not kept for the envelope's few bytes.
    head = [Buffer.from(bytes.subarray(0, documentStart))];
    offset = documentStart;
    document(bytes.subarray(documentStart));
  };

  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw responseTooLarge(maxBytes);
    if (phase === "document") document(chunk as Buffer);
    else if (phase === "tail") tail.push(chunk as Buffer);
    else {
      head.push(chunk as Buffer);
      headLength += (chunk as Buffer).length;
      if (phase === "deciding" && headLength >= DECIDE_AFTER) decide();
    }
  }
  if (phase === "deciding") decide();
  if (phase === "whole")
    return { value: decodeMethodResponse(head[0]!, { maxBytes, overwrite: true }), streamed: false };
  if (held) {
    for (let i = 0; i < held.length; i++) {
      const piece = held[i]!;
      held[i] = EMPTY; // each piece goes as the sink takes it
      sink.write(piece);
    }
  }
  // Cut short inside the string, the envelope alone says "truncated"; else it is decoded with the
  // string left out, and offsets in errors still count the body as it came.
  const envelope = Buffer.concat([...head, ...tail]);
  const value = decodeMethodResponse(envelope, {
    maxBytes,
    overwrite: true,
    omitted: { at: documentStart, length: size - envelope.length },
  });
  if (phase === "tail" && (value as XmlRpcValue[])[1] !== "") {
    // More string after the streamed text (a CDATA section): no server writes that, and it is refused.
    throw parseFailure(
      "the XML-RPC response",
      "a document string continued after markup (CDATA or a comment)",
      documentStart + size - envelope.length,
      head[0]!.toString("utf8"),
    );
  }
  return { value, streamed: true };
}
