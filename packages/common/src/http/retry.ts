// When a failed attempt may be sent again, and after how long.

/** How failed attempts are retried: how many times, the backoff, and which methods and statuses qualify. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3; 0 turns retrying off). */
  limit?: number;
  /** First backoff delay in ms, doubled on each retry (default 300). */
  baseDelay?: number;
  /** Longest single backoff delay in ms (default 10 s). */
  maxDelay?: number;
  /** A `Retry-After` longer than this (ms) is not waited for: the error is thrown (default 60 s). */
  maxRetryAfter?: number;
  /** Total time, in ms, that one call may spend waiting between attempts (default 60 s). */
  budget?: number;
}

export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);

// Failures that happen before a byte of the request was sent: safe to replay even a POST.
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "EAI_AGAIN"]);
// Failures after the request may have reached the server: replayed only when idempotent.
const CONNECTION_LOST_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "ECONNABORTED",
]);

/**
 * Whether a request with this HTTP method may be sent again after a failure (GET, HEAD, OPTIONS, PUT, DELETE …).
 *
 * @param method - An HTTP method, in any case.
 */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** The network error code (`ECONNRESET` …) behind an error, looking through `cause` chains. */
export function networkErrorCode(error: unknown): string | undefined {
  return errorCodes(error).find((code) => NOT_SENT_CODES.has(code) || CONNECTION_LOST_CODES.has(code));
}

/** The string `code`s along an error's `cause` chain, outermost first (a cycle is walked once). */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  for (let e = error; e && typeof e === "object" && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
  }
  return codes;
}

export function isRetryableNetworkError(error: unknown, idempotent: boolean): boolean {
  const code = networkErrorCode(error);
  return code !== undefined && (NOT_SENT_CODES.has(code) || (idempotent && CONNECTION_LOST_CODES.has(code)));
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  // Every HTTP date form has an hh:mm:ss time; Date.parse alone takes "-1" or "in 5" for dates in 2001.
  if (!/\d\d:\d\d:\d\d/.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random, so clients spread out. */
export function backoffDelay(retry: number, options: RetryOptions, random = Math.random): number {
  const ceiling = Math.min(options.maxDelay ?? 10_000, (options.baseDelay ?? 300) * 2 ** retry);
  return ceiling / 2 + random() * (ceiling / 2);
}
