// Telemetry against a real @opentelemetry/api with the SDK's in-memory exporter, and a real HTTP server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { SpanKind, SpanStatusCode, propagation, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-base";
import {
  ConnectionError,
  NotFoundError,
  Transport,
  setTelemetry,
  type CallRecord,
  type Logger,
  type TransportOptions,
} from "../src/index.js";
import { PACKAGE_VERSION } from "../src/version.js";
import { startHttpServer, type LocalServer } from "./helpers/local-servers.js";

// The secrets redact.test.ts hides, planted in every place a request or an answer can carry them.
const SECRETS = ["hunter2", "s3cr3t", "tok-123", "key-456", "sig-789", "sess-abc", "cookie-val"];

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

let server: LocalServer;
// The trace headers of each request the server received, in order.
const received: { traceparent?: string; tracestate?: string }[] = [];
const transports: Transport[] = [];

beforeAll(async () => {
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  let flaky = 0;
  server = await startHttpServer((req, res) => {
    received.push({ traceparent: req.headers.traceparent as string, tracestate: req.headers.tracestate as string });
    res.setHeader("x-request-id", "req-42");
    res.setHeader("set-cookie", "session=cookie-val");
    if (req.url!.startsWith("/flaky") && flaky++ % 2 === 0) {
      res.statusCode = 503;
      res.end();
      return;
    }
    if (req.url!.startsWith("/missing")) {
      res.statusCode = 404;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ error: { message: "no such thing", password: "hunter2", token: "tok-123" } }));
      return;
    }
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ ok: true, auth: { token: "tok-123" } }));
  });
});

afterEach(() => {
  setTelemetry(undefined);
  exporter.reset();
  received.length = 0;
});

afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
  await server.close();
  await provider.shutdown();
  trace.disable();
});

function transport(options: Partial<TransportOptions> = {}): Transport {
  const t = new Transport({
    baseUrl: server.url,
    userAgent: { package: "@nimbus-sdk/common", version: PACKAGE_VERSION },
    retry: { baseDelay: 1, maxDelay: 2 },
    debug: false,
    ...options,
  });
  transports.push(t);
  return t;
}

function spans(): ReadableSpan[] {
  return exporter.getFinishedSpans();
}

describe("telemetry: plain callback", () => {
  it("reports each call once, with its service, operation, status, retries, request id and duration", async () => {
    const calls: CallRecord[] = [];
    const t = transport({ service: "compute", telemetry: { onCall: (c) => calls.push(c) } });
    await t.json({ url: "/flaky/servers", query: { limit: 5 } });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call).toMatchObject({
      service: "compute",
      operation: "GET",
      method: "GET",
      url: `${server.url}/flaky/servers?limit=5`,
      status: 200,
      retries: 1,
      requestId: "req-42",
    });
    expect(call!.durationMs).toBeGreaterThan(0);
    expect(call!.error).toBeUndefined();
  });

  it("reports a failed call with its error, and one that never got an answer", async () => {
    const calls: CallRecord[] = [];
    const t = transport({ telemetry: { onCall: (c) => calls.push(c) } });
    await expect(t.request({ url: "/missing" })).rejects.toBeInstanceOf(NotFoundError);
    expect(calls[0]).toMatchObject({ service: "127.0.0.1", status: 404, requestId: "req-42", retries: 0 });
    expect(calls[0]!.error).toBeInstanceOf(NotFoundError);

    const refused = transport({
      baseUrl: "http://127.0.0.1:9",
      retry: { limit: 0 },
      telemetry: { onCall: (c) => calls.push(c) },
    });
    await expect(refused.request({ url: "/x" })).rejects.toBeInstanceOf(ConnectionError);
    expect(calls[1]!.status).toBeUndefined();
    expect(calls[1]!.error).toBeInstanceOf(ConnectionError);
  });

  it("setTelemetry reports every client without telemetry of its own, until it is set to undefined", async () => {
    const calls: CallRecord[] = [];
    const t = transport();
    await t.request({ url: "/a" });
    setTelemetry({ onCall: (c) => calls.push(c) });
    await t.request({ url: "/b" });
    setTelemetry(undefined);
    await t.request({ url: "/c" });
    expect(calls.map((c) => new URL(c.url).pathname)).toEqual(["/b"]);
  });

  it("a callback that throws does not change the call's outcome; it is logged as a warning", async () => {
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn: (m) => void warnings.push(m), error() {} };
    const t = transport({
      logger,
      telemetry: {
        onCall: () => {
          throw new Error("observer bug");
        },
      },
    });
    expect(await t.json({ url: "/ok" })).toMatchObject({ ok: true });
    expect(warnings).toEqual(["telemetry onCall threw: Error"]);
  });
});

describe("telemetry: OpenTelemetry", () => {
  it("HTTP: a CLIENT span per call named by method, attributed as the HTTP client conventions say", async () => {
    const t = transport({ service: "object-store", telemetry: { openTelemetry: true } });
    await t.request({ url: "/flaky/v1/AUTH_x/photos", query: { limit: 2 } });
    expect(spans()).toHaveLength(1);
    const [span] = spans();
    expect(span!.name).toBe("GET");
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.instrumentationScope).toMatchObject({ name: "@nimbus-sdk/common", version: PACKAGE_VERSION });
    const port = Number(new URL(server.url).port);
    expect(span!.attributes).toEqual({
      "http.request.method": "GET",
      "url.full": `${server.url}/flaky/v1/AUTH_x/photos?limit=2`,
      "server.address": "127.0.0.1",
      "server.port": port,
      "http.response.status_code": 200,
      "http.request.resend_count": 1,
      "nimbus.service": "object-store",
      "nimbus.operation": "GET",
      "nimbus.request_id": "req-42",
    });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it("RPC: the span is named service/method with rpc.system, rpc.service and rpc.method", async () => {
    const t = transport({
      service: "opennebula",
      rpcSystem: "xmlrpc",
      telemetry: { openTelemetry: { tracer: provider.getTracer("mine") } },
    });
    await t.request({ method: "POST", url: "/RPC2", body: "<methodCall/>", operation: "one.vm.info" });
    const [span] = spans();
    expect(span!.name).toBe("opennebula/one.vm.info");
    expect(span!.instrumentationScope.name).toBe("mine");
    expect(span!.attributes).toMatchObject({
      "rpc.system": "xmlrpc",
      "rpc.service": "opennebula",
      "rpc.method": "one.vm.info",
      "http.request.method": "POST",
      "http.response.status_code": 200,
    });
  });

  it("every attempt carries the call's span as W3C traceparent; propagateContext: false sends none", async () => {
    const t = transport({ telemetry: { openTelemetry: true } });
    await t.request({ url: "/flaky/a" });
    const [span] = spans();
    const { traceId, spanId } = span!.spanContext();
    // The first attempt got a 503 and was sent again: both carry the same span's context.
    expect(received.map((r) => r.traceparent)).toEqual([`00-${traceId}-${spanId}-01`, `00-${traceId}-${spanId}-01`]);

    // A caller's own header wins over the propagated one.
    received.length = 0;
    await t.request({
      url: "/ok",
      headers: { TraceParent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
    });
    expect(received[0]!.traceparent).toBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

    received.length = 0;
    const quiet = transport({ telemetry: { openTelemetry: true, propagateContext: false } });
    await quiet.request({ url: "/ok" });
    expect(received).toEqual([{ traceparent: undefined, tracestate: undefined }]);
    // Telemetry off: no trace header either.
    received.length = 0;
    await transport({}).request({ url: "/ok" });
    expect(received[0]!.traceparent).toBeUndefined();
  });

  it("a failed call ends its span with ERROR and error.type (the status, else the error's class)", async () => {
    const t = transport({ telemetry: { openTelemetry: true } });
    await expect(t.request({ url: "/missing" })).rejects.toBeInstanceOf(NotFoundError);
    const refused = transport({
      baseUrl: "http://127.0.0.1:9",
      retry: { limit: 0 },
      telemetry: { openTelemetry: true },
    });
    await expect(refused.request({ url: "/x" })).rejects.toBeInstanceOf(ConnectionError);
    const [missing, unreachable] = spans();
    expect(missing!.status.code).toBe(SpanStatusCode.ERROR);
    expect(missing!.attributes["error.type"]).toBe("404");
    expect(missing!.attributes["http.response.status_code"]).toBe(404);
    expect(unreachable!.status.code).toBe(SpanStatusCode.ERROR);
    expect(unreachable!.attributes["error.type"]).toBe("ConnectionError");
    expect(unreachable!.attributes["http.response.status_code"]).toBeUndefined();
  });
});

describe("telemetry: accepted error statuses", () => {
  it("a 404 the caller accepts is no error to the caller, but marks the HTTP client span ERROR", async () => {
    const calls: CallRecord[] = [];
    const t = transport({ telemetry: { onCall: (c) => calls.push(c), openTelemetry: true } });
    expect((await t.request({ url: "/missing", okStatuses: [404] })).status).toBe(404);
    expect(calls[0]).toMatchObject({ status: 404 });
    expect(calls[0]!.error).toBeUndefined();
    expect(spans()[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans()[0]!.attributes["error.type"]).toBe("404");
  });
});

describe("telemetry: never a secret", () => {
  it("no secret from the URL, headers, query, body or error body reaches a span or a record", async () => {
    const calls: CallRecord[] = [];
    const base = new URL(server.url);
    base.username = "admin";
    base.password = "hunter2";
    const t = transport({
      baseUrl: base,
      headers: { Authorization: "Bearer tok-123", Cookie: "session=sess-abc", "X-Auth-Token": "tok-123" },
      auth: {
        authorize(request) {
          request.url.searchParams.set("api_key", "key-456");
        },
      },
      telemetry: { onCall: (c) => calls.push(c), openTelemetry: true },
    });
    await t.json({
      method: "POST",
      url: "/ok",
      query: { temp_url_sig: "sig-789", token: "tok-123", limit: 1 },
      json: { auth: { passwordCredentials: { password: "hunter2" } } },
    });
    await expect(t.request({ url: "/missing", query: { password: "s3cr3t" } })).rejects.toBeInstanceOf(NotFoundError);
    const shown = JSON.stringify(
      spans().map((s) => ({ name: s.name, attributes: s.attributes, status: s.status, events: s.events })),
    );
    const records = JSON.stringify(calls.map((c) => ({ ...c, error: c.error && String(c.error.name) })));
    expect(shown).toContain("REDACTED");
    expect(records).toContain("REDACTED");
    for (const secret of SECRETS) {
      expect(shown).not.toContain(secret);
      expect(records).not.toContain(secret);
    }
    expect(spans()).toHaveLength(2);
  });
});

describe("telemetry: off", () => {
  it("is off by default: no span without telemetry", async () => {
    await transport().request({ url: "/ok" });
    expect(spans()).toHaveLength(0);
  });
});
