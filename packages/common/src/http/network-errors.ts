// undici's (and fetch's) own errors as NimbusErrors: one mapping for a request that failed before its
// answer and for a body that failed while it was read, so no SocketError, BodyTimeoutError or
// "terminated" TypeError leaves the SDK.
import { AbortError, ConnectionError, NimbusError, TimeoutError } from "../errors/index.js";
import { errorCodes, networkErrorCode } from "./retry.js";

/** Node's error codes for a server certificate that failed verification. */
export const TLS_CERTIFICATE_ERROR_CODES: ReadonlySet<string> = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_UNTRUSTED",
]);

export interface ExchangeContext {
  method: string;
  /** The redacted URL. */
  url: string;
  /** The timeout in force, for the message. */
  timeout?: number;
  signal?: AbortSignal;
  /** Known once the answer's headers came: a body failure carries them. */
  status?: number;
  requestId?: string;
}

// Errors of a body that failed after its headers came, which the transport may send again (see
// Transport.read); kept here rather than as a property, so the error's shape stays the public one.
const bodyFailures = new WeakSet<NimbusError>();

/** Whether `error` is a body that failed while it was read (reset, cut short, stalled). */
export function isBodyFailure(error: unknown): boolean {
  return error instanceof NimbusError && bodyFailures.has(error);
}

export function abortError(signal: AbortSignal, method: string, url: string): AbortError {
  return new AbortError(`${method} ${url}: cancelled`, { method, url, cause: signal.reason });
}

/** The NimbusError for a failed exchange: `phase` "send" before the answer came, "body" while it was read. */
export function networkError(cause: unknown, context: ExchangeContext, phase: "send" | "body"): NimbusError {
  const { method, url, timeout, signal, status, requestId } = context;
  if (cause instanceof NimbusError) return cause;
  if (signal?.aborted) return abortError(signal, method, url);
  const code = errorCodes(cause)[0];
  const options = { method, url, status, requestId, code, cause };
  const timedOut =
    (code !== undefined && /TIMEOUT/.test(code) && code !== "UND_ERR_CONNECT_TIMEOUT") ||
    (cause as Error)?.name === "TimeoutError";
  let error: NimbusError;
  if (phase === "body") {
    const reason = networkErrorCode(cause) ?? code ?? (cause as Error)?.message ?? String(cause);
    error = timedOut
      ? new TimeoutError(
          `${method} ${url}: the response body stalled${timeout === undefined ? "" : ` (no data for ${timeout} ms)`}`,
          options,
        )
      : new ConnectionError(
          `${method} ${url}: the connection failed before the response body's end (${reason})`,
          options,
        );
    bodyFailures.add(error);
    return error;
  }
  if (timedOut) return new TimeoutError(`${method} ${url}: no answer within ${timeout} ms`, options);
  if (code && TLS_CERTIFICATE_ERROR_CODES.has(code)) {
    return new ConnectionError(
      `${method} ${url}: the server's TLS certificate was not accepted (${code}). ` +
        "Trust its CA with the `ca` option (PEM text or a file path), or turn verification off " +
        "with `verify: false` (insecure: only for test servers).",
      options,
    );
  }
  const reason = networkErrorCode(cause) ?? code ?? (cause as Error)?.message ?? String(cause);
  return new ConnectionError(`${method} ${url}: cannot reach the server (${reason})`, options);
}
