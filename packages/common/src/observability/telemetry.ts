// Observability: one report per call (a request and its retries), to a plain callback and/or an
// OpenTelemetry tracer. Off unless configured; when off the transport takes no extra step. Only what
// the transport already shows in its messages goes out: the redacted URL, never a header or a body.
import { ConfigError, NimbusError } from "../errors/index.js";

/** What one call did, reported when it ends (successfully or not). */
export interface CallRecord {
  /** The API the call went to: "compute", "object-store", "vim25", "opennebula", "ovirt-engine", "tutum" ... */
  service: string;
  /** The RPC method ("RetrieveProperties", "one.vm.info"), or the HTTP method when the API is REST. */
  operation: string;
  /** The HTTP method. */
  method: string;
  /** The URL with credentials and non-allow-listed query values removed (as in error messages). */
  url: string;
  /** The last response's status, when one came. */
  status?: number;
  /** From the start of the call to its end, body read included, in ms. */
  durationMs: number;
  /** How many times the request was sent again (retries and a resend after re-authentication). */
  retries: number;
  /** The server's request id, when it sent one. */
  requestId?: string;
  /** The error the call ended with (a NimbusError, unless a provider's reader threw something else). */
  error?: Error;
}

/** The part of an OpenTelemetry `Span` the SDK uses (structural, so the package needs no import of it). */
export interface TelemetrySpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

/** The part of an OpenTelemetry `Tracer` the SDK uses: `trace.getTracer(name)` returns one. */
export interface TelemetryTracer {
  startSpan(
    name: string,
    options: { kind: number; attributes: Record<string, string | number | boolean> },
  ): TelemetrySpan;
}

/**
 * Where calls are reported. Give it to a client (`telemetry` among its transport options) or to
 * `setTelemetry` for every client of every Nimbus package in the process.
 */
export interface Telemetry {
  /** Called once per call with its record; a callback that throws is logged as a warning and ignored. */
  onCall?: (call: CallRecord) => void;
  /**
   * true: a CLIENT span per call on `@opentelemetry/api`'s global tracer provider (an optional peer
   * dependency, loaded on the first call; the call fails with a ConfigError when it is not installed).
   * A tracer: the spans go to it instead.
   */
  openTelemetry?: boolean | { tracer: TelemetryTracer };
  /**
   * With `openTelemetry`: each request carries the call's span context in the headers of
   * `@opentelemetry/api`'s global propagator (W3C `traceparent` and `tracestate` once an SDK registers
   * it), so the server's traces join the application's. Default true; false keeps those headers off.
   */
  propagateContext?: boolean;
}

/** What the transport knows about a call before it is sent. */
export interface CallStart {
  service: string;
  operation?: string;
  method: string;
  /** Redacted. */
  url: string;
  /** Set for an RPC API ("soap", "xmlrpc"): spans are then named and attributed per the RPC conventions. */
  rpcSystem?: string;
  /** The instrumentation scope for the global tracer: the package making the call. */
  scope: { name: string; version: string };
}

/** What the transport fills in while the call runs. */
export interface CallProgress {
  url: string;
  status?: number;
  requestId?: string;
  retries: number;
  /** Headers every attempt carries for the trace (set before the call starts; the caller's own win). */
  headers?: Record<string, string>;
}

// Shared by every copy of the package loaded in the process (ESM and CommonJS builds, two versions).
const GLOBAL_KEY = Symbol.for("@nimbus-sdk/common/telemetry");
type GlobalSlot = { [GLOBAL_KEY]?: Telemetry };

/** Reports every call of every Nimbus client that has no `telemetry` of its own; undefined turns it off. */
export function setTelemetry(telemetry: Telemetry | undefined): void {
  (globalThis as GlobalSlot)[GLOBAL_KEY] = telemetry;
}

/** The process-wide telemetry set by `setTelemetry`, if any. */
export function getTelemetry(): Telemetry | undefined {
  return (globalThis as GlobalSlot)[GLOBAL_KEY];
}

type OpenTelemetryApi = typeof import("@opentelemetry/api");
let api: Promise<OpenTelemetryApi> | undefined;

// Literal specifier, so bundlers see the optional package; `import()` so nothing loads until asked.
function loadOpenTelemetry(): Promise<OpenTelemetryApi> {
  api ??= import("@opentelemetry/api").catch((cause: unknown) => {
    api = undefined;
    throw new ConfigError(
      "telemetry { openTelemetry } needs the @opentelemetry/api package: npm install @opentelemetry/api",
      { cause },
    );
  });
  return api;
}

const SPAN_KIND_CLIENT = 2;
const SPAN_STATUS_ERROR = 2;

/**
 * Runs `call` and reports it. `call` gets the progress record to fill in; the transport calls this
 * only when telemetry is on.
 */
export async function observeCall<T>(
  telemetry: Telemetry,
  start: CallStart,
  call: (progress: CallProgress) => Promise<T>,
  warn: (message: string) => void,
): Promise<T> {
  const progress: CallProgress = { url: start.url, retries: 0 };
  const started = performance.now();
  let span: TelemetrySpan | undefined;
  let run = () => call(progress);
  if (telemetry.openTelemetry) {
    const otel = await loadOpenTelemetry();
    const tracer =
      typeof telemetry.openTelemetry === "object"
        ? telemetry.openTelemetry.tracer
        : otel.trace.getTracer(start.scope.name, start.scope.version);
    const opened = tracer.startSpan(spanName(start), { kind: SPAN_KIND_CLIENT, attributes: startAttributes(start) });
    span = opened;
    // The span is the active one while the request runs, so an instrumented HTTP client nests under it.
    const active = otel.trace.setSpan(otel.context.active(), opened as never);
    run = () => otel.context.with(active, () => call(progress));
    if (telemetry.propagateContext !== false) {
      const carrier: Record<string, string> = {};
      otel.propagation.inject(active, carrier);
      progress.headers = Object.fromEntries(Object.entries(carrier).map(([k, v]) => [k.toLowerCase(), v]));
    }
  }
  let error: Error | undefined;
  try {
    return await run();
  } catch (thrown) {
    error = thrown instanceof Error ? thrown : new NimbusError("the call failed", { cause: thrown });
    throw thrown;
  } finally {
    const record: CallRecord = {
      service: start.service,
      operation: start.operation ?? start.method,
      method: start.method,
      url: progress.url,
      status: progress.status ?? (error instanceof NimbusError ? error.status : undefined),
      durationMs: performance.now() - started,
      retries: progress.retries,
      requestId: progress.requestId ?? (error instanceof NimbusError ? error.requestId : undefined),
      error,
    };
    if (span) endSpan(span, record);
    if (telemetry.onCall) {
      try {
        telemetry.onCall(record);
      } catch (cause) {
        // Reporting must never change a call's outcome.
        warn(`telemetry onCall threw: ${cause instanceof Error ? cause.name : typeof cause}`);
      }
    }
  }
}

// HTTP client spans are named by method (no low-cardinality route is known); RPC spans "service/method".
function spanName(start: CallStart): string {
  return start.rpcSystem && start.operation ? `${start.service}/${start.operation}` : start.method;
}

function startAttributes(start: CallStart): Record<string, string | number | boolean> {
  const attributes: Record<string, string | number | boolean> = {
    "http.request.method": start.method,
    "url.full": start.url,
    "nimbus.service": start.service,
    "nimbus.operation": start.operation ?? start.method,
  };
  if (URL.canParse(start.url)) {
    const url = new URL(start.url);
    attributes["server.address"] = url.hostname;
    attributes["server.port"] = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  }
  if (start.rpcSystem) {
    attributes["rpc.system"] = start.rpcSystem;
    attributes["rpc.service"] = start.service;
    if (start.operation) attributes["rpc.method"] = start.operation;
  }
  return attributes;
}

function endSpan(span: TelemetrySpan, record: CallRecord): void {
  // The URL may have changed (a re-authenticated request, a token in the query): the last one sent.
  span.setAttribute("url.full", record.url);
  if (record.status !== undefined) span.setAttribute("http.response.status_code", record.status);
  if (record.retries > 0) span.setAttribute("http.request.resend_count", record.retries);
  if (record.requestId) span.setAttribute("nimbus.request_id", record.requestId);
  // A 4xx or 5xx is an error to an HTTP client span, even one the caller accepts (an existence check's
  // 404, a SOAP fault's 500).
  const failedStatus = record.status !== undefined && record.status >= 400;
  if (record.error || failedStatus) {
    // The status code, else the error's class: never its message, which may quote the body.
    const type = failedStatus ? String(record.status) : record.error!.name;
    span.setAttribute("error.type", type);
    span.setStatus({ code: SPAN_STATUS_ERROR });
  }
  span.end();
}
