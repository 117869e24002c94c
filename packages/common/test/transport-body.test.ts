// A response body that fails while it is read (the connection reset mid-body, the body cut short of
// its Content-Length, a body that stalls) against real loopback servers: every such failure is a typed
// NimbusError with the method, the redacted URL and the cause, and an idempotent request read through
// the transport (json, read) is sent again, as after a failed connection.
import { afterAll, describe, expect, it } from "@jest/globals";
import type { ServerResponse } from "node:http";
import {
  AbortError,
  ConnectionError,
  NimbusError,
  TimeoutError,
  Transport,
  type HttpClientName,
  type TransportOptions,
} from "../src/index.js";
import { PACKAGE_VERSION } from "../src/version.js";
import { startHttpServer, type Handler, type LocalServer } from "./helpers/local-servers.js";

const BODY = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item-${i}` })) });

/** Headers and half of the body, as if the whole was coming. */
function startBody(res: ServerResponse, body = BODY): void {
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.write(body.slice(0, body.length / 2));
}

/** The connection reset (RST) half-way through the body. */
const resetMidBody: Handler = (_req, res) => {
  startBody(res);
  setImmediate(() => res.socket?.resetAndDestroy());
};

/** The connection closed cleanly (FIN) half-way through a body of declared length. */
const truncate: Handler = (_req, res) => {
  startBody(res);
  setImmediate(() => res.socket?.end());
};

/** Half the body, then nothing: the socket stays open. */
const stall: Handler = (_req, res) => {
  startBody(res);
};

const whole: Handler = (_req, res) => {
  res.setHeader("content-type", "application/json");
  res.end(BODY);
};

/** `first` for the first `times` requests, then `then`. */
function failing(times: number, first: Handler, then: Handler = whole): Handler {
  let count = 0;
  return (req, res) => (count++ < times ? first(req, res) : then(req, res));
}

describe.each<HttpClientName>(["undici", "ky"])("a failed response body, client %s", (client) => {
  const opened: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((o) => o.close()));
  });

  async function serve(handler: Handler): Promise<LocalServer> {
    const server = await startHttpServer(handler);
    opened.push(server);
    return server;
  }

  function transport(options: Partial<TransportOptions> = {}): Transport {
    const t = new Transport({
      userAgent: { package: "@nimbus-sdk/common", version: PACKAGE_VERSION },
      retry: { baseDelay: 5, maxDelay: 20 },
      debug: false,
      client,
      ...options,
    });
    opened.push(t);
    return t;
  }

  async function failure(work: Promise<unknown>): Promise<NimbusError> {
    const error = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NimbusError);
    return error as NimbusError;
  }

  it.each([
    ["reset", resetMidBody],
    ["cut short of its Content-Length", truncate],
  ])("a GET whose body is %s is sent again, and succeeds", async (_what, handler) => {
    const server = await serve(failing(2, handler));
    const body = await transport().json<{ items: unknown[] }>({ url: `${server.url}/items` });
    expect(body.items).toHaveLength(200);
    expect(server.requests).toHaveLength(3);
  });

  it("read() retries the same way, and hands the reader a fresh response", async () => {
    const server = await serve(failing(1, resetMidBody));
    const text = await transport().read({ url: `${server.url}/items` }, (response) => response.text());
    expect(text).toBe(BODY);
    expect(server.requests).toHaveLength(2);
  });

  it("a body that keeps failing ends, after the retries, as a ConnectionError with method, redacted URL and cause", async () => {
    const server = await serve(resetMidBody);
    const error = await failure(
      transport({ retry: { limit: 2, baseDelay: 5 } }).json({ url: `${server.url}/items?sig=s3cr3t-value` }),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.method).toBe("GET");
    expect(error.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/items\?sig=/);
    expect(error.url).not.toContain("s3cr3t-value");
    expect(error.message).not.toContain("s3cr3t-value");
    expect(error.message).toMatch(/before the response body's end/);
    expect(error.status).toBe(200);
    // The HTTP client's own error, kept as the cause (fetch's TypeError comes from another realm under jest).
    expect((error.cause as Error).message).toEqual(expect.any(String));
    expect(error.cause).not.toBeInstanceOf(NimbusError);
    // fetch's "terminated" carries no code when the web stream, not the socket, reports the end.
    if (client === "undici") expect(error.code).toMatch(/^(UND_ERR_|E[A-Z]+)/);
    expect(server.requests).toHaveLength(3);
  });

  it("a POST whose body fails is not sent again: a typed ConnectionError after one request", async () => {
    const server = await serve(resetMidBody);
    const error = await failure(transport().json({ method: "POST", url: `${server.url}/items`, json: { a: 1 } }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.method).toBe("POST");
    expect(server.requests).toHaveLength(1);
  });

  it("a POST declared idempotent is sent again", async () => {
    const server = await serve(failing(1, truncate));
    const body = await transport().json<{ items: unknown[] }>({
      method: "POST",
      url: `${server.url}/items`,
      json: { a: 1 },
      idempotent: true,
    });
    expect(body.items).toHaveLength(200);
    expect(server.requests).toHaveLength(2);
  });

  it("with retries off, a failed body is thrown at once", async () => {
    const server = await serve(truncate);
    const error = await failure(transport({ retry: { limit: 0 } }).json({ url: `${server.url}/items` }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(server.requests).toHaveLength(1);
  });

  it("a body read from request() by the caller is typed, and not sent again", async () => {
    const server = await serve(resetMidBody);
    const response = await transport().request({ url: `${server.url}/items` });
    const error = await failure(response.bytes());
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.url).toMatch(/\/items$/);
    expect(server.requests).toHaveLength(1);
  });

  it("a streamed body that fails emits a typed ConnectionError", async () => {
    const server = await serve(truncate);
    const response = await transport().request({ url: `${server.url}/items` });
    const read = async () => {
      let size = 0;
      for await (const chunk of response.stream()) size += (chunk as Buffer).length;
      return size;
    };
    const error = await failure(read());
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.method).toBe("GET");
    expect(server.requests).toHaveLength(1);
  });

  it("a streamed body nobody reads fails quietly, its error kept typed", async () => {
    const server = await serve(resetMidBody);
    const body = (await transport().request({ url: `${server.url}/items` })).stream();
    await new Promise((resolve) => body.once("close", resolve));
    expect(body.errored).toBeInstanceOf(ConnectionError);
  });

  it("a streamed body that succeeds arrives whole, and one left early frees the connection", async () => {
    const server = await serve(whole);
    const t = transport();
    const chunks: Buffer[] = [];
    for await (const chunk of (await t.request({ url: `${server.url}/items` })).stream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(BODY);
    for await (const _chunk of (await t.request({ url: `${server.url}/items` })).stream()) break;
    expect(await t.json({ url: `${server.url}/items` })).toEqual(JSON.parse(BODY));
  });

  it("a body aborted through the signal while it is read is an AbortError, not sent again", async () => {
    const server = await serve(stall);
    const controller = new AbortController();
    const reading = transport().read({ url: `${server.url}/items`, signal: controller.signal }, async (response) => {
      const text = response.text();
      controller.abort(new Error("user gave up"));
      return text;
    });
    const error = await failure(reading);
    expect(error).toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(1);
  });
});

// fetch (client "ky") has no per-request body timeout; its dispatcher's applies.
describe("a stalled response body, client undici", () => {
  const opened: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((o) => o.close()));
  });

  it("is a TimeoutError (not a ParseError), sent again for a GET until the retries run out", async () => {
    const server = await startHttpServer(stall);
    const t = new Transport({
      userAgent: { package: "@nimbus-sdk/common", version: PACKAGE_VERSION },
      retry: { limit: 1, baseDelay: 5 },
      timeout: 150,
      debug: false,
    });
    opened.push(server, t);
    const error = await t.json({ url: `${server.url}/items` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toMatch(/the response body stalled \(no data for 150 ms\)/);
    expect((error as TimeoutError).code).toBe("UND_ERR_BODY_TIMEOUT");
    expect(server.requests).toHaveLength(2);
  });

  it("read from stream() by the caller is a TimeoutError too", async () => {
    const server = await startHttpServer(stall);
    const t = new Transport({
      userAgent: { package: "@nimbus-sdk/common", version: PACKAGE_VERSION },
      timeout: 150,
      debug: false,
    });
    opened.push(server, t);
    const response = await t.request({ url: `${server.url}/items` });
    const error = await (async () => {
      for await (const _chunk of response.stream()) continue;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(server.requests).toHaveLength(1);
  });
});
