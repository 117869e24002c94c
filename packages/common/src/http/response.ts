import { Readable } from "node:stream";
import { BodyTooLargeError, ParseError, type NimbusError } from "../errors/index.js";
import { MAX_REDACTED_DEPTH, Redactor } from "../logging/redact.js";
import { decodeUtf8 } from "../xml/utf8.js";
import { networkError } from "./network-errors.js";
import type { SentResponse } from "./senders.js";

/**
 * Largest body `text()`, `json()` and `bytes()` read by default (256 MiB); `stream()` has no limit.
 * `text()` and `json()` refuse a body that is not UTF-8 (ParseError naming the byte).
 */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024;

export interface ResponseContext {
  method: string;
  /** The redacted URL, for messages. */
  url: string;
  requestId?: string;
  maxBodyBytes: number;
  /** The timeout in force (ms between two chunks of the body), for the message of a stalled body. */
  timeout?: number;
  signal?: AbortSignal;
  /** Called with the body text once it is read, for debug logging. */
  onBody?: (text: string) => void;
  /** Redacts the excerpt of a body that does not parse (default: the default allow-list). */
  redactor?: Redactor;
}

/**
 * A successful answer. Read the body once, by one of `text`, `json`, `bytes`, `stream` or `dump`. A body
 * that fails while it is read throws (or, from `stream`, emits) a ConnectionError (reset, cut short), a
 * TimeoutError (stalled) or an AbortError, never the HTTP client's own error.
 */
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
    try {
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
    } catch (cause) {
      throw this.#failure(cause);
    }
    if (whole) return whole.subarray(0, size);
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  }

  async text(): Promise<string> {
    const { method, url, requestId } = this.#context;
    const context = { method, url, status: this.status, requestId };
    const text = decodeUtf8(await this.bytes(), { what: "the response body", context });
    this.#context.onBody?.(text);
    return text;
  }

  /** The body parsed as JSON; an empty body gives `undefined`. */
  async json<T = unknown>(): Promise<T> {
    const text = await this.text();
    if (!text) return undefined as T;
    let value: unknown;
    try {
      value = JSON.parse(text);
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
    // V8 parses any depth, but code that recurses over the value (JSON.stringify included) would overflow.
    if (nestsDeeper(value, MAX_REDACTED_DEPTH)) {
      const { method, url, requestId } = this.#context;
      throw new ParseError(`${method} ${url}: the JSON response nests deeper than ${MAX_REDACTED_DEPTH} levels`, {
        method,
        url,
        status: this.status,
        requestId,
      });
    }
    return value as T;
  }

  /** The body as a Node stream, unbuffered; a failure while it flows is emitted as a typed error. */
  stream(): Readable {
    const body = this.#body;
    const typed = new Readable({
      read: () => void body.resume(),
      destroy: (error, callback) => {
        if (!body.readableEnded) this.#abandon(); // the consumer stopped early: drop the connection
        callback(error);
      },
    });
    // As undici's own body: an error nobody listens for is not a crash; a consumer still gets it.
    typed.on("error", () => undefined);
    // A body already read (by dump) or failed ends at once: its events were emitted before.
    if (body.errored) typed.destroy(this.#failure(body.errored));
    else if (body.readableEnded || body.destroyed) typed.push(null);
    else {
      body.on("data", (chunk: Buffer) => {
        if (!typed.push(chunk)) body.pause();
      });
      body.once("end", () => typed.push(null));
      body.once("error", (cause) => typed.destroy(this.#failure(cause)));
    }
    return typed;
  }

  #failure(cause: unknown): NimbusError {
    const { method, url, timeout, signal, requestId } = this.#context;
    return networkError(cause, { method, url, timeout, signal, status: this.status, requestId }, "body");
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

/** Whether arrays and objects in `value` nest deeper than `limit` (walked without recursion). */
function nestsDeeper(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, depth] = next;
    if (node === null || typeof node !== "object") continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return false;
}
