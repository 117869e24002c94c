// The last step of the pipeline: one HTTP exchange, no retries, no error mapping. Two clients are
// offered; docs/decisions/0001-http-client.md explains why undici's request API is the default.
import { Readable } from "node:stream";
import type { Options as KyOptions, KyInstance } from "ky";
import { ConfigError } from "../errors/index.js";
import type { Dispatcher } from "undici";

/** A request body: text, bytes, a Node stream or any async iterable of byte chunks. */
export type BodyData = string | Uint8Array | Readable | AsyncIterable<Uint8Array>;

export interface SendRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: BodyData;
  signal?: AbortSignal;
  /** ms allowed for the response headers, and between two chunks of the body. */
  timeout: number;
}

export interface SentResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

export type Sender = (request: SendRequest) => Promise<SentResponse>;

/** The HTTP client a {@link Transport} sends with: undici (the default) or ky (an optional peer dependency). */
export type HttpClientName = "undici" | "ky";

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

export function undiciSender(dispatcher: Dispatcher): Sender {
  return async ({ url, method, headers, body, signal, timeout }) => {
    const response = await dispatcher.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: method as Dispatcher.HttpMethod,
      headers,
      body: body as Dispatcher.DispatchOptions["body"],
      signal,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    return { status: response.statusCode, headers: flattenHeaders(response.headers), body: response.body };
  };
}

/**
 * The same exchange through ky on `fetch` (or a `fetch` of the caller's, e.g. an instrumented one).
 * ky is an optional peer dependency: it is loaded on the first request, and only for this client.
 */
export function kySender(dispatcher: Dispatcher, fetchImplementation?: typeof fetch): Sender {
  let client: Promise<KyInstance> | undefined;
  const load = async (): Promise<KyInstance> => {
    let ky: KyInstance;
    try {
      ky = (await import("ky")).default;
    } catch (cause) {
      throw new ConfigError('client "ky" needs the ky package: npm install ky@1', { cause });
    }
    return ky.create({
      retry: 0,
      throwHttpErrors: false,
      // undici's options pass through ky to fetch; ky's types do not know them.
      dispatcher,
      ...(fetchImplementation ? { fetch: fetchImplementation } : {}),
    } as unknown as KyOptions);
  };
  return async ({ url, method, headers, body, signal, timeout }) => {
    const ky = await (client ??= load());
    const response = await ky(url, {
      method,
      headers,
      body: body as KyOptions["body"],
      signal,
      timeout,
      duplex: body instanceof Readable || isAsyncIterable(body) ? "half" : undefined,
    } as KyOptions);
    return {
      status: response.status,
      headers: flattenHeaders(Object.fromEntries(response.headers)),
      body: response.body
        ? Readable.fromWeb(response.body as import("node:stream/web").ReadableStream)
        : Readable.from([]),
    };
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}
