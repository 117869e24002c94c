// The pipeline every request of every provider goes through: user agent, auth, retries, timeouts,
// abort, debug logging with redaction, and error mapping. Providers plug in only an AuthStep and an
// ErrorMapper.
import { setTimeout as sleep } from "node:timers/promises";
import type { Dispatcher } from "undici";
import { AbortError, NimbusError, RateLimitError, ValidationError, errorClassForStatus } from "../errors/index.js";
import { debugFromEnv, type Logger, stderrLogger } from "../logging/logger.js";
import { Redactor, type RedactionAllowList } from "../logging/redact.js";
import { getTelemetry, observeCall, type CallProgress, type Telemetry } from "../observability/telemetry.js";
import { createDispatcher, type ConnectionOptions } from "./dispatcher.js";
import { abortError, isBodyFailure, networkError } from "./network-errors.js";
import { DEFAULT_MAX_BODY_BYTES, NimbusResponse } from "./response.js";
import {
  RETRY_STATUSES,
  backoffDelay,
  isIdempotent,
  isRetryableNetworkError,
  parseRetryAfter,
  type RetryOptions,
} from "./retry.js";
import { kySender, undiciSender, type BodyData, type HttpClientName, type Sender } from "./senders.js";
import { userAgent } from "./user-agent.js";

/** A request as the auth step sees it, before it is sent: it may add headers or query parameters. */
export interface OutgoingRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
}

/** A provider's authentication, plugged into the pipeline. */
export interface AuthStep {
  /** Adds credentials to the request; called before every attempt, so a renewed token is used. */
  authorize(request: OutgoingRequest, options: { signal?: AbortSignal }): void | Promise<void>;
  /**
   * Called once per request after a 401. Resolve true when new credentials were obtained and the
   * request should be sent again, false when nothing can be done (the 401 is then thrown).
   * Concurrent 401s share one call.
   */
  reauthenticate?(options: { signal?: AbortSignal }): Promise<boolean>;
}

/** What a provider's error mapper receives for a response that is not a success. */
export interface FailedResponse {
  method: string;
  /** Redacted URL. */
  url: string;
  status: number;
  headers: Readonly<Record<string, string>>;
  /** The body, whole (up to 64 KiB), for the provider to parse; never put it in a message as is. */
  body: string;
  requestId?: string;
  /** A redacted excerpt of the body, safe for messages. */
  bodyExcerpt: string;
  /** `Retry-After` in ms, when the server sent one. */
  retryAfterMs?: number;
}

/** Returns the provider's error for a failed response, or undefined for the default mapping. */
export type ErrorMapper = (response: FailedResponse) => NimbusError | undefined;

/** Everything a {@link Transport} is built from; only `userAgent` is required. */
export interface TransportOptions extends ConnectionOptions {
  /** Relative request paths are resolved against it. */
  baseUrl?: string | URL;
  /** ms allowed for the response headers, and between two chunks of the body (default 60 s). */
  timeout?: number;
  /** The package making the calls, for the User-Agent header. */
  userAgent: { package: string; version: string; prefix?: string };
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  retry?: RetryOptions;
  auth?: AuthStep;
  errorMapper?: ErrorMapper;
  /** Log every request and response (redacted). Default: the `NIMBUS_DEBUG` environment variable. */
  debug?: boolean;
  logger?: Logger;
  /** Names whose values may appear in logs and errors, on top of the defaults. */
  redaction?: RedactionAllowList;
  /** Response headers that carry the server's request id, first found wins. */
  requestIdHeaders?: string[];
  /** Largest body read into memory by `text()`/`json()`/`bytes()` (default 256 MiB). */
  maxBodyBytes?: number;
  /** Which HTTP client sends (default "undici"); see docs/decisions/0001-http-client.md. */
  client?: HttpClientName;
  /** With client "ky": the `fetch` to use instead of the global one. */
  fetch?: typeof fetch;
  /** A connection pool to share between transports; the transport then does not close it. */
  dispatcher?: Dispatcher;
  /** Report every call (default: what `setTelemetry` set, else nothing); see `Telemetry`. */
  telemetry?: Telemetry;
  /** The API this transport talks to, for telemetry ("compute", "vim25" ...; default: the URL's host). */
  service?: string;
  /** For an RPC API ("soap", "xmlrpc"): telemetry then names spans "service/operation" (RPC conventions). */
  rpcSystem?: string;
}

/**
 * The transport settings a provider's entry object (OneServer, SmartConnect, API.connect ...) takes
 * from its user and hands to its Transport as they are; the provider adds its own (TLS, session ...).
 */
export interface ClientTransportOptions {
  /** ms allowed for the response headers, and between two chunks of the body (default 60 000). */
  timeout?: number;
  /** Log every request and response, redacted (default: the `NIMBUS_DEBUG` environment variable). */
  debug?: boolean;
  logger?: Logger;
  /** A proxy, or false for none (default: HTTP(S)_PROXY and NO_PROXY). */
  proxy?: ConnectionOptions["proxy"];
  retry?: RetryOptions;
  /** Put before the SDK's own User-Agent. */
  userAgentPrefix?: string;
  /** A connection pool to share; the client then does not close it. */
  dispatcher?: Dispatcher;
  /** Report every call to a callback or an OpenTelemetry tracer (default: `setTelemetry`'s, else off). */
  telemetry?: Telemetry;
}

type QueryValue = string | number | boolean | undefined | null | readonly (string | number | boolean)[];

/** One request sent by {@link Transport.request}: method, URL, query, headers, body, signal and per-call overrides. */
export interface RequestOptions {
  method?: string;
  /** Absolute URL, or a path resolved against the base URL. */
  url: string | URL;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string | undefined>;
  /** The body; a function is called for each attempt, which makes a stream body replayable. */
  body?: BodyData | (() => BodyData);
  /** A value sent as JSON (sets Content-Type). */
  json?: unknown;
  signal?: AbortSignal;
  /** Overrides the transport's timeout for this call. */
  timeout?: number;
  /** Declare a POST or PATCH safe to replay (default: by method). */
  idempotent?: boolean;
  /** Statuses returned instead of thrown, besides 2xx (e.g. [404] for an existence check). */
  okStatuses?: readonly number[];
  /** The RPC method this request carries ("RetrieveProperties", "one.vm.info"), for telemetry. */
  operation?: string;
}

const DEFAULT_REQUEST_ID_HEADERS = ["x-request-id", "request-id", "x-correlation-id"];
const MAX_ERROR_BODY = 64 * 1024;

/**
 * The HTTP pipeline every provider sends through: base URL, User-Agent, TLS and proxy, timeouts, retries of
 * idempotent requests with backoff and `Retry-After`, re-authentication on 401, redacted debug logging and
 * typed errors. One transport keeps one connection pool; call `close()` when done.
 *
 * @throws {@link NotFoundError}, {@link AuthenticationError} and the other {@link HttpError} subclasses for an
 * error status; {@link ConnectionError}, {@link TimeoutError}, {@link AbortError} when no answer came;
 * {@link BodyTooLargeError} or {@link ParseError} for a body it cannot read.
 *
 * @example
 * ```ts
 * import { Transport } from "@nimbus-sdk/common";
 * const transport = new Transport({
 *   baseUrl: "https://cloud.example.com/v2/",
 *   userAgent: { package: "my-tool", version: "1.0.0" },
 *   retry: { limit: 3 },
 * });
 * const servers = await transport.json<{ servers: unknown[] }>({ url: "servers", signal: AbortSignal.timeout(30_000) });
 * await transport.close();
 * ```
 */
export class Transport {
  readonly redactor: Redactor;
  readonly #options: TransportOptions;
  readonly #baseUrl?: URL;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #send: Sender;
  readonly #headers: Record<string, string>;
  readonly #logger: Logger;
  #debug: boolean;
  readonly #requestIdHeaders: string[];
  #reauthentication?: Promise<boolean>;
  // Counts completed re-authentications: a 401 to a request authorized before the latest one is the old
  // credentials' answer, and is replayed with the new ones instead of re-authenticating again.
  #authGeneration = 0;

  constructor(options: TransportOptions) {
    this.#options = options;
    if (options.baseUrl !== undefined) {
      const base = String(options.baseUrl);
      this.#baseUrl = parseUrl(base.endsWith("/") ? base : `${base}/`, "baseUrl");
    }
    this.#dispatcher = options.dispatcher ?? createDispatcher(options);
    this.#ownsDispatcher = !options.dispatcher;
    this.#send = options.client === "ky" ? kySender(this.#dispatcher, options.fetch) : undiciSender(this.#dispatcher);
    const { package: pkg, version, prefix } = options.userAgent;
    this.#headers = { "user-agent": userAgent(pkg, version, prefix), ...lowerCaseKeys(options.headers ?? {}) };
    this.redactor = new Redactor(options.redaction);
    this.#logger = options.logger ?? stderrLogger;
    this.#debug = options.debug ?? debugFromEnv();
    this.#requestIdHeaders = [...(options.requestIdHeaders ?? []), ...DEFAULT_REQUEST_ID_HEADERS].map((h) =>
      h.toLowerCase(),
    );
  }

  /** Whether requests and responses are logged (redacted); can be switched at any time. */
  get debug(): boolean {
    return this.#debug;
  }

  set debug(on: boolean) {
    this.#debug = on;
  }

  get baseUrl(): URL | undefined {
    return this.#baseUrl;
  }

  /** Sends a request through the pipeline; resolves on success (or an `okStatuses` status). */
  async request(options: RequestOptions): Promise<NimbusResponse> {
    return this.#exchange(options, async (response) => response);
  }

  /**
   * `request`, then `read` of the answer (e.g. `(r) => r.text()`). A body that fails while `read` reads
   * it (reset, cut short, stalled) is sent again as a failed connection is, for an idempotent request
   * with a replayable body: it takes one of the same retries, within the same budget.
   */
  async read<T>(options: RequestOptions, read: (response: NimbusResponse) => Promise<T>): Promise<T> {
    return this.#exchange(options, read);
  }

  /** `request` and the body parsed as JSON (sent again after a failed body, as `read`). */
  async json<T = unknown>(options: RequestOptions): Promise<T> {
    return this.#exchange(options, (response) => response.json<T>());
  }

  async #exchange<T>(options: RequestOptions, read: (response: NimbusResponse) => Promise<T>): Promise<T> {
    const telemetry = this.#options.telemetry ?? getTelemetry();
    if (!telemetry) return this.#attempts(options, read, undefined);
    const method = (options.method ?? "GET").toUpperCase();
    const url = this.redactor.url(this.#resolve(options.url, options.query));
    const { package: name, version } = this.#options.userAgent;
    const start = {
      service: this.#options.service ?? (URL.canParse(url) ? new URL(url).hostname : "unknown"),
      operation: options.operation,
      method,
      url,
      rpcSystem: this.#options.rpcSystem,
      scope: { name, version },
    };
    return observeCall(
      telemetry,
      start,
      (call) => this.#attempts(options, read, call),
      (m) => this.#logger.warn(m),
    );
  }

  // `call` is the telemetry record to fill in, undefined when telemetry is off.
  async #attempts<T>(
    options: RequestOptions,
    read: (response: NimbusResponse) => Promise<T>,
    call: CallProgress | undefined,
  ): Promise<T> {
    const method = (options.method ?? "GET").toUpperCase();
    const url = this.#resolve(options.url, options.query);
    const idempotent = options.idempotent ?? isIdempotent(method);
    const retry = this.#options.retry ?? {};
    const limit = retry.limit ?? 3;
    const budget = retry.budget ?? 60_000;
    const timeout = options.timeout ?? this.#options.timeout ?? 60_000;
    const { signal } = options;
    const replayable = options.body === undefined || typeof options.body === "function" || isBuffered(options.body);
    let waited = 0;
    let reauthenticated = false;
    let replayedWithNewer = false;

    for (let attempt = 0; ; attempt++) {
      if (call) call.retries = attempt;
      throwIfAborted(signal, method, this.redactor.url(url));
      const headers = { ...this.#headers, ...call?.headers, ...lowerCaseKeys(options.headers ?? {}) };
      let body = typeof options.body === "function" ? options.body() : options.body;
      if (options.json !== undefined) {
        body = JSON.stringify(options.json);
        headers["content-type"] ??= "application/json";
      }
      const outgoing: OutgoingRequest = { method, url: new URL(url), headers };
      const generation = this.#authGeneration;
      await this.#options.auth?.authorize(outgoing, { signal });
      const safeUrl = this.redactor.url(outgoing.url);
      if (call) call.url = safeUrl;
      const started = performance.now();
      if (this.#debug) this.#logRequest(outgoing, safeUrl, body);

      let sent;
      try {
        sent = await this.#send({ url: outgoing.url, method, headers: outgoing.headers, body, signal, timeout });
      } catch (cause) {
        if (cause instanceof NimbusError) throw cause;
        const error = networkError(cause, { method, url: safeUrl, timeout, signal }, "send");
        const delay = backoffDelay(attempt, retry);
        if (
          !(error instanceof AbortError) &&
          attempt < limit &&
          replayable &&
          waited + delay <= budget &&
          isRetryableNetworkError(cause, idempotent)
        ) {
          waited += delay;
          await this.#retryAfterFailure(delay, error, signal, method, safeUrl);
          continue;
        }
        throw error;
      }

      const requestId = this.#requestIdHeaders.map((h) => sent.headers[h]).find(Boolean);
      if (call) {
        call.status = sent.status;
        call.requestId = requestId;
      }
      if (this.#debug) {
        const ms = (performance.now() - started).toFixed(0);
        this.#logger.debug(
          `<- ${sent.status} ${method} ${safeUrl} (${ms} ms) headers=${JSON.stringify(this.redactor.headers(sent.headers))}`,
        );
      }
      const contentType = sent.headers["content-type"];
      const response = new NimbusResponse(sent, {
        method,
        url: safeUrl,
        requestId,
        maxBodyBytes: this.#options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        timeout,
        signal,
        redactor: this.redactor,
        onBody: this.#debug
          ? (text) => this.#logger.debug(`<- body ${this.redactor.body(text, contentType)}`)
          : undefined,
      });
      const { status } = sent;
      if ((status >= 200 && status < 300) || options.okStatuses?.includes(status)) {
        try {
          return await read(response);
        } catch (error) {
          // A body cut short or stalled is a connection lost after the request was sent.
          const delay = backoffDelay(attempt, retry);
          if (
            isBodyFailure(error) &&
            !(error instanceof AbortError) &&
            idempotent &&
            replayable &&
            attempt < limit &&
            waited + delay <= budget
          ) {
            waited += delay;
            await this.#retryAfterFailure(delay, error as NimbusError, signal, method, safeUrl);
            continue;
          }
          throw error;
        }
      }

      if (status === 401 && replayable && this.#options.auth?.reauthenticate) {
        if (!replayedWithNewer && generation !== this.#authGeneration) {
          replayedWithNewer = true;
          await response.dump();
          continue;
        }
      }
      if (status === 401 && !reauthenticated && replayable && this.#options.auth?.reauthenticate) {
        reauthenticated = true;
        await response.dump();
        if (await this.#reauthenticate(signal)) continue;
        throw await this.#httpError(response, method, safeUrl, requestId, sent.headers);
      }

      if (RETRY_STATUSES.has(status) && idempotent && replayable && attempt < limit) {
        const retryAfter = parseRetryAfter(sent.headers["retry-after"]);
        const delay = retryAfter ?? backoffDelay(attempt, retry);
        if (delay <= (retry.maxRetryAfter ?? 60_000) && waited + delay <= budget) {
          await response.dump();
          if (this.#debug)
            this.#logger.debug(`retrying ${method} ${safeUrl} in ${Math.round(delay)} ms after ${status}`);
          waited += delay;
          await this.#wait(delay, signal, method, safeUrl);
          continue;
        }
      }
      throw await this.#httpError(response, method, safeUrl, requestId, sent.headers);
    }
  }

  /** Closes the connection pool (unless it was passed in). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  #resolve(target: string | URL, query: RequestOptions["query"]): URL {
    const url =
      target instanceof URL
        ? new URL(target)
        : /^[a-z][a-z0-9+.-]*:/i.test(target) || !this.#baseUrl
          ? parseUrl(target, "url")
          : new URL(target.replace(/^\//, ""), this.#baseUrl);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
    }
    return url;
  }

  // One re-authentication serves every request that got a 401 meanwhile. It runs without any one
  // caller's signal (one caller giving up must not fail the others); each caller waits with its own.
  async #reauthenticate(signal?: AbortSignal): Promise<boolean> {
    this.#reauthentication ??= Promise.resolve()
      .then(() => this.#options.auth!.reauthenticate!({}))
      .then((renewed) => {
        if (renewed) this.#authGeneration++;
        return renewed;
      })
      .catch((cause: unknown) => {
        if (cause instanceof NimbusError) throw cause;
        throw new NimbusError(`re-authentication failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
      })
      .finally(() => {
        this.#reauthentication = undefined;
      });
    if (!signal) return this.#reauthentication;
    const shared = this.#reauthentication;
    return new Promise<boolean>((resolve, reject) => {
      const onAbort = () => reject(new AbortError("cancelled while re-authenticating", { cause: signal.reason }));
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      shared.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  async #retryAfterFailure(
    delay: number,
    error: NimbusError,
    signal: AbortSignal | undefined,
    method: string,
    url: string,
  ): Promise<void> {
    if (this.#debug) this.#logger.debug(`retrying ${method} ${url} in ${Math.round(delay)} ms: ${error.message}`);
    await this.#wait(delay, signal, method, url);
  }

  async #wait(ms: number, signal: AbortSignal | undefined, method: string, url: string): Promise<void> {
    try {
      await sleep(ms, undefined, { signal });
    } catch {
      throwIfAborted(signal, method, url);
    }
  }

  async #httpError(
    response: NimbusResponse,
    method: string,
    url: string,
    requestId: string | undefined,
    headers: Record<string, string>,
  ): Promise<NimbusError> {
    let body = "";
    try {
      const raw = response.stream();
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of raw) {
        chunks.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (size >= MAX_ERROR_BODY) {
          raw.destroy();
          break;
        }
      }
      body = Buffer.concat(chunks).toString("utf8").slice(0, MAX_ERROR_BODY);
    } catch {
      // The body is only decoration for the error; the status is what matters.
    }
    if (this.#debug && body) this.#logger.debug(`<- body ${this.redactor.body(body, headers["content-type"])}`);
    const failed: FailedResponse = {
      method,
      url,
      status: response.status,
      headers,
      body,
      requestId,
      bodyExcerpt: this.redactor.body(body, headers["content-type"], 300),
      retryAfterMs: parseRetryAfter(headers["retry-after"]),
    };
    const mapped = this.#options.errorMapper?.(failed);
    if (mapped) return mapped;
    const ErrorClass = errorClassForStatus(failed.status);
    const message =
      `${method} ${url} failed with ${failed.status}` +
      (failed.bodyExcerpt ? `: ${failed.bodyExcerpt}` : "") +
      (requestId ? ` (request id ${requestId})` : "");
    const context = { method, url, status: failed.status, requestId, bodyExcerpt: failed.bodyExcerpt };
    return ErrorClass === RateLimitError
      ? new RateLimitError(message, { ...context, retryAfterMs: failed.retryAfterMs })
      : new ErrorClass(message, context);
  }

  #logRequest(request: OutgoingRequest, safeUrl: string, body: BodyData | undefined): void {
    const headers = JSON.stringify(this.redactor.headers(request.headers));
    let shown = "";
    if (typeof body === "string" || body instanceof Uint8Array) {
      const text = typeof body === "string" ? body : Buffer.from(body).toString("utf8");
      shown = ` body ${this.redactor.body(text, request.headers["content-type"])}`;
    } else if (body !== undefined) {
      shown = " body [stream]";
    }
    this.#logger.debug(`-> ${request.method} ${safeUrl} headers=${headers}${shown}`);
  }
}

function throwIfAborted(signal: AbortSignal | undefined, method: string, url: string): void {
  if (signal?.aborted) throw abortError(signal, method, url);
}

function isBuffered(body: BodyData): boolean {
  return typeof body === "string" || body instanceof Uint8Array;
}

function lowerCaseKeys(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}

function parseUrl(value: string, what: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new ValidationError(`${what} is not an absolute URL: ${JSON.stringify(value)}`, { field: what });
  }
}
