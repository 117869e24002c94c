import type { Readable } from "node:stream";
import { BodyTooLargeError, ParseError } from "../errors/index.js";
import { Redactor } from "../logging/redact.js";
import type { SentResponse } from "./senders.js";

/** Largest body `text()`, `json()` and `bytes()` read by default (256 MiB); `stream()` has no limit. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024;

export interface ResponseContext {
  method: string;
  /** The redacted URL, for messages. */
  url: string;
  requestId?: string;
  maxBodyBytes: number;
  /** Called with the body text once it is read, for debug logging. */
  onBody?: (text: string) => void;
  /** Redacts the excerpt of a body that does not parse (default: the default allow-list). */
  redactor?: Redactor;
}

/** A successful answer. Read the body once, by one of `text`, `json`, `bytes`, `stream` or `dump`. */
export class NimbusResponse {
  readonly status: number;
  /** Header names are lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly requestId?: string;
  readonly #body: Readable;
  readonly #context: ResponseContext;

  constructor(sent: SentResponse, context: ResponseContext) {
    this.status = sent.status;
    this.headers = sent.headers;
    this.requestId = context.requestId;
    this.#body = sent.body;
    this.#context = context;
  }

  async bytes(): Promise<Buffer> {
    const { maxBodyBytes, method, url, requestId } = this.#context;
    const declared = Number(this.headers["content-length"]);
    const tooLarge = () =>
      new BodyTooLargeError(`${method} ${url}: the response body is larger than the ${maxBodyBytes}-byte limit`, {
        limit: maxBodyBytes,
        method,
        url,
        status: this.status,
        requestId,
      });
    if (declared > maxBodyBytes) {
      this.#abandon();
      throw tooLarge();
    }
    // With a declared length the chunks are copied into one buffer as they come, so a big body is
    // held once, not as chunks plus their concatenation.
    let whole = Number.isSafeInteger(declared) && declared > 0 ? Buffer.allocUnsafe(declared) : undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.#body) {
      const piece = chunk as Buffer;
      if (size + piece.length > maxBodyBytes) {
        this.#abandon();
        throw tooLarge();
      }
      if (whole && size + piece.length <= whole.length) {
        piece.copy(whole, size);
      } else {
        if (whole) chunks.push(whole.subarray(0, size)); // more than declared: keep reading, as chunks
        whole = undefined;
        chunks.push(piece);
      }
      size += piece.length;
    }
    if (whole) return whole.subarray(0, size);
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  }

  async text(): Promise<string> {
    const text = (await this.bytes()).toString("utf8");
    this.#context.onBody?.(text);
    return text;
  }

  /** The body parsed as JSON; an empty body gives `undefined`. */
  async json<T = unknown>(): Promise<T> {
    const text = await this.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      const { method, url, requestId, redactor = new Redactor() } = this.#context;
      // V8 quotes the start of the text in its message ("gAAAA…" is not valid JSON): keep only the why.
      const why = withoutQuotedText((cause as Error).message);
      throw new ParseError(`${method} ${url}: the response is not valid JSON (${why})`, {
        method,
        url,
        status: this.status,
        requestId,
        bodyExcerpt: redactor.body(text, this.headers["content-type"], 200),
        cause: new SyntaxError(why),
      });
    }
  }

  /** The body as a Node stream, unbuffered. */
  stream(): Readable {
    return this.#body;
  }

  // Stop reading and drop the connection; the error undici then emits on the body is expected.
  #abandon(): void {
    this.#body.on("error", () => undefined).destroy();
  }

  /** Discard the body, so the connection can be reused. */
  async dump(): Promise<void> {
    this.#body.resume();
    await new Promise<void>((resolve) => {
      if (this.#body.readableEnded || this.#body.destroyed) return resolve();
      this.#body
        .once("end", resolve)
        .once("close", resolve)
        .once("error", () => resolve());
    });
  }
}

function withoutQuotedText(message: string): string {
  return message.replace(/,?\s*"[\s\S]*"(\.\.\.)? is not valid JSON\s*$/, "") || "invalid JSON";
}
