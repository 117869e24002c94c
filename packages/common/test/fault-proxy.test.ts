// The fault proxy against a plain loopback server, read with raw sockets so each fault is seen as
// the bytes (or the reset) a client gets.
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { AbortError, ValidationError } from "../src/index.js";
import { EVERY_FAULT, startFaultProxy, type FaultProxy } from "../src/testing/index.js";

const BODY = JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: `item-${i}` })) });

let server: Server;
let target: string;
const received: { method: string; path: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ method: req.method!, path: req.url!, body: Buffer.concat(chunks).toString() });
    res.writeHead(200, { "content-type": "application/json", "x-request-id": "req-1" });
    res.end(req.method === "HEAD" ? undefined : BODY);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface Raw {
  /** Everything received before the connection ended. */
  data: string;
  /** The socket error code, when it ended by one (ECONNRESET). */
  error?: string;
  status?: number;
  headers: Record<string, string>;
  body: string;
}

/** One request on its own connection; resolves when the connection ends. `onData` sees the bytes so far. */
function raw(url: string, method = "GET", path = "/things", body = "", onData?: (data: string) => void): Promise<Raw> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), "127.0.0.1");
    let data = "";
    let error: string | undefined;
    const done = () => {
      const [head = "", ...rest] = data.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const match = /^HTTP\/1\.1 (\d{3})/.exec(statusLine);
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]),
      );
      resolve({ data, error, status: match ? Number(match[1]) : undefined, headers, body: rest.join("\r\n\r\n") });
    };
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      data += chunk;
      onData?.(data);
    });
    socket.on("error", (e: NodeJS.ErrnoException) => (error = e.code));
    socket.on("close", done);
    socket.write(
      `${method} ${path} HTTP/1.1\r\nHost: example\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}

async function withProxy(
  options: Omit<Parameters<typeof startFaultProxy>[0], "target">,
  run: (p: FaultProxy) => Promise<void>,
) {
  const proxy = await startFaultProxy({ target, ...options });
  try {
    await run(proxy);
  } finally {
    await proxy.stop();
  }
}

describe("startFaultProxy", () => {
  // First, while nothing else of this file is still closing.
  it("stop() leaves no socket, server or timer behind, even with stalled and open connections", async () => {
    // Counts of what a proxy can leave behind; jest's own timers come and go, so a leak shows as more.
    const count = () => {
      const all = process.getActiveResourcesInfo();
      const of = (type: string) => all.filter((r) => r === type).length;
      return { TCPServerWrap: of("TCPServerWrap"), TCPSocketWrap: of("TCPSocketWrap"), Timeout: of("Timeout") };
    };
    const before = count();
    const proxy = await startFaultProxy({ target, faults: [{ nth: 1, fault: "stall" }] });
    let headersSeen!: () => void;
    const seen = new Promise<void>((resolve) => (headersSeen = resolve));
    const stalled = raw(proxy.url, "GET", "/things", "", (data) => data.includes("\r\n\r\n") && headersSeen());
    // A keep-alive client connection left open, and a target connection in the proxy's pool.
    const idle = connect(Number(new URL(proxy.url).port), "127.0.0.1");
    await once(idle, "connect");
    idle.on("error", () => undefined);
    await seen;
    const during = count();
    await proxy.stop();
    await proxy.stop();
    await stalled;
    if (!idle.closed) await once(idle, "close");
    // Server-side sockets of the target close on their own event turn.
    server.closeIdleConnections();
    await new Promise((resolve) => setImmediate(resolve));
    const after = count();
    // The proxy's server and its four sockets were counted, and went (compared with `during`, not
    // `before`: a handle of an earlier file may close meanwhile, as one did in a CI run on Node 22).
    expect(after.TCPServerWrap).toBeLessThanOrEqual(during.TCPServerWrap - 1);
    expect(after.TCPSocketWrap).toBeLessThanOrEqual(during.TCPSocketWrap - 4);
    expect(after.TCPServerWrap).toBeLessThanOrEqual(before.TCPServerWrap);
    expect(after.TCPSocketWrap).toBeLessThanOrEqual(before.TCPSocketWrap);
    expect(after.Timeout).toBeLessThanOrEqual(before.Timeout);
  });

  it("passes requests through to the target untouched when no fault is planned", async () => {
    await withProxy({}, async (proxy) => {
      expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const before = received.length;
      const answer = await raw(proxy.url, "PUT", "/things/a?x=1", "payload");
      expect(answer.status).toBe(200);
      expect(answer.headers["x-request-id"]).toBe("req-1");
      expect(answer.body).toBe(BODY);
      expect(received.slice(before)).toEqual([{ method: "PUT", path: "/things/a?x=1", body: "payload" }]);
      expect(proxy.records).toEqual([
        { seq: 1, method: "PUT", path: "/things/a?x=1", fault: "none", forwarded: true, upstreamStatus: 200 },
      ]);
      expect(proxy.injected()).toBe(0);
    });
  });

  it("reset-before-body: the target gets the request, the client a reset and no byte", async () => {
    await withProxy({ faults: [{ fault: "reset-before-body" }] }, async (proxy) => {
      const before = received.length;
      const answer = await raw(proxy.url, "POST", "/things", "new");
      expect(answer).toMatchObject({ data: "", error: "ECONNRESET" });
      expect(received.slice(before)).toEqual([{ method: "POST", path: "/things", body: "new" }]);
      expect(proxy.records[0]).toMatchObject({ fault: "reset-before-body", forwarded: true, upstreamStatus: 200 });
    });
  });

  it("reset-during-body: status and headers, part of the body, then a reset", async () => {
    await withProxy({ faults: [{ fault: "reset-during-body" }] }, async (proxy) => {
      const answer = await raw(proxy.url);
      expect(answer.status).toBe(200);
      expect(answer.error).toBe("ECONNRESET");
      expect(Number(answer.headers["content-length"])).toBe(BODY.length);
      expect(BODY.startsWith(answer.body)).toBe(true);
      expect(answer.body.length).toBeLessThan(BODY.length);
      expect(proxy.injected("reset-during-body")).toBe(1);
    });
  });

  it("truncate: fewer bytes than Content-Length, then a clean close", async () => {
    await withProxy({ faults: [{ fault: "truncate" }] }, async (proxy) => {
      const answer = await raw(proxy.url);
      expect(answer.error).toBeUndefined();
      expect(answer.status).toBe(200);
      expect(Number(answer.headers["content-length"])).toBe(BODY.length);
      expect(answer.body.length).toBeGreaterThan(0);
      expect(answer.body.length).toBeLessThan(BODY.length);
      expect(BODY.startsWith(answer.body)).toBe(true);
    });
  });

  it("status: 429, 502 and 503 with Retry-After, answered by the proxy; the target never sees them", async () => {
    await withProxy(
      {
        faults: [
          { nth: 1, fault: { kind: "status", status: 429, retryAfter: 2 } },
          { nth: 2, fault: { kind: "status", status: 502 } },
          { nth: 3, fault: "status" },
        ],
      },
      async (proxy) => {
        const before = received.length;
        const answers = [await raw(proxy.url), await raw(proxy.url), await raw(proxy.url)];
        expect(answers.map((a) => [a.status, a.headers["retry-after"]])).toEqual([
          [429, "2"],
          [502, "1"],
          [503, "1"],
        ]);
        expect(received.length).toBe(before);
        expect(proxy.records.map((r) => r.forwarded)).toEqual([false, false, false]);
        expect(proxy.injected("status")).toBe(3);
      },
    );
  });

  it("stall: headers, then nothing until the proxy stops", async () => {
    const proxy = await startFaultProxy({ target, faults: [{ fault: "stall" }] });
    let headersSeen!: () => void;
    const seen = new Promise<void>((resolve) => (headersSeen = resolve));
    const pending = raw(proxy.url, "GET", "/things", "", (data) => data.includes("\r\n\r\n") && headersSeen());
    await seen;
    await proxy.stop();
    const answer = await pending;
    expect(answer.status).toBe(200);
    expect(Number(answer.headers["content-length"])).toBe(BODY.length);
    expect(answer.body).toBe("");
  });

  it("garbage: the target gets the request, the client bytes that are not HTTP", async () => {
    await withProxy({ faults: [{ fault: "garbage" }] }, async (proxy) => {
      const before = received.length;
      const answer = await raw(proxy.url, "DELETE", "/things/a");
      expect(answer.data.length).toBeGreaterThan(0);
      expect(answer.data.startsWith("HTTP/")).toBe(false);
      expect(answer.status).toBeUndefined();
      expect(received.slice(before)).toMatchObject([{ method: "DELETE" }]);
    });
  });

  it("html: a gateway's HTML page where the target's JSON was", async () => {
    await withProxy({ faults: [{ fault: "html" }, { fault: { kind: "html", status: 502 } }] }, async (proxy) => {
      const answer = await raw(proxy.url);
      expect(answer.status).toBe(200);
      expect(answer.headers["content-type"]).toMatch(/^text\/html/);
      expect(answer.body).toMatch(/^<!DOCTYPE html>/);
      expect(proxy.records[0]).toMatchObject({ fault: "html", forwarded: true });
    });
  });

  it("kill-session: runs the hook before forwarding; without a hook the plan is refused", async () => {
    let kills = 0;
    await withProxy(
      { faults: [{ nth: 2, fault: "kill-session" }], killSession: () => void (kills += 1) },
      async (proxy) => {
        expect((await raw(proxy.url)).status).toBe(200);
        expect(kills).toBe(0);
        expect((await raw(proxy.url)).body).toBe(BODY);
        expect(kills).toBe(1);
        expect(proxy.records.map((r) => r.fault)).toEqual(["none", "kill-session"]);
      },
    );
    await expect(startFaultProxy({ target, faults: [{ fault: "kill-session" }] })).rejects.toThrow(ValidationError);
    await withProxy({ faults: () => "kill-session" }, async (proxy) => {
      expect((await raw(proxy.url)).data).toBe("");
      expect(proxy.records[0]).toMatchObject({ fault: "kill-session", forwarded: false, upstreamError: /killSession/ });
    });
  });

  it("plans by method, path, nth and times; setFaults starts the counters again", async () => {
    await withProxy(
      {
        faults: [
          { method: "put", path: "/objects/", fault: "truncate", times: 1 },
          { path: /\?page=\d+$/, nth: [2, 3], fault: "status" },
        ],
      },
      async (proxy) => {
        await raw(proxy.url, "PUT", "/objects/a", "x");
        await raw(proxy.url, "PUT", "/objects/b", "x");
        await raw(proxy.url, "GET", "/objects/a");
        for (const page of [1, 2, 3, 4]) await raw(proxy.url, "GET", `/list?page=${page}`);
        expect(proxy.records.map((r) => r.fault)).toEqual([
          "truncate",
          "none",
          "none",
          "none",
          "status",
          "status",
          "none",
        ]);
        proxy.setFaults([{ nth: 1, fault: "html" }]);
        await raw(proxy.url);
        await raw(proxy.url);
        expect(proxy.records.slice(-2).map((r) => r.fault)).toEqual(["html", "none"]);
        expect(proxy.injected()).toBe(4);
      },
    );
    await expect(startFaultProxy({ target, faults: [{ rate: 2, fault: "stall" }] })).rejects.toThrow(/rate/);
    await expect(startFaultProxy({ target, faults: [{ fault: "nope" as "stall" }] })).rejects.toThrow(/unknown fault/);
    await expect(startFaultProxy({ target: "https://127.0.0.1:1" })).rejects.toThrow(ValidationError);
  });

  it("a seeded rate picks the same requests on every run, and a plan function sees each request", async () => {
    const run = async (seed: number) => {
      let picks = "";
      await withProxy({ seed, faults: [{ rate: 0.5, fault: "status" }] }, async (proxy) => {
        for (let i = 0; i < 16; i += 1) await raw(proxy.url);
        picks = proxy.records.map((r) => (r.fault === "none" ? "." : "x")).join("");
      });
      return picks;
    };
    const first = await run(7);
    expect(await run(7)).toBe(first);
    expect(first).toMatch(/x/);
    expect(first).toMatch(/\./);
    expect(await run(8)).not.toBe(first);

    const seen: string[] = [];
    await withProxy(
      {
        faults: (request) => (seen.push(`${request.seq} ${request.method}`), request.seq === 2 ? "garbage" : undefined),
      },
      async (proxy) => {
        await raw(proxy.url);
        await raw(proxy.url, "POST");
        expect(proxy.records.map((r) => r.fault)).toEqual(["none", "garbage"]);
      },
    );
    expect(seen).toEqual(["1 GET", "2 POST"]);
  });

  it("trial injects one fault into the call's first matching request, reports the outcome and restores the plan", async () => {
    await withProxy({ faults: [{ method: "DELETE", fault: "html" }] }, async (proxy) => {
      const twice = async () => [(await raw(proxy.url, "POST")).status, (await raw(proxy.url, "POST")).status];
      const passed = await proxy.trial({ kind: "status", status: 429 }, { method: "POST" }, twice);
      expect(passed).toMatchObject({ failed: false, value: [429, 200], injected: 1 });
      expect(passed.ms).toBeGreaterThan(0);
      const thrown = await proxy.trial("truncate", { path: "/nowhere" }, () => Promise.reject(new Error("no")));
      expect(thrown).toMatchObject({ failed: true, error: new Error("no"), injected: 0 });
      expect((await raw(proxy.url, "DELETE")).headers["content-type"]).toMatch(/html/);
      expect(proxy.records.map((r) => r.fault)).toEqual(["status", "none", "html"]);
    });
  });

  it("every fault kind is in EVERY_FAULT, and rewrite points the target's URLs at the proxy", async () => {
    expect(new Set(EVERY_FAULT.map((f) => f.kind))).toEqual(
      new Set([
        "reset-before-body",
        "reset-during-body",
        "truncate",
        "status",
        "stall",
        "garbage",
        "html",
        "kill-session",
      ]),
    );
    await withProxy({}, async (proxy) => {
      expect(proxy.rewrite(`${target}/v1/AUTH_x?a=1`)).toBe(`${proxy.url}/v1/AUTH_x?a=1`);
      expect(proxy.rewrite("http://other.example/v1")).toBe("http://other.example/v1");
    });
  });

  it("a target that does not answer resets the client and is recorded", async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((resolve) => dead.close(resolve));
    const proxy = await startFaultProxy({ target: `http://127.0.0.1:${port}` });
    const answer = await raw(proxy.url);
    expect(answer.status).toBeUndefined();
    expect(proxy.records[0]).toMatchObject({ forwarded: true, upstreamError: expect.stringMatching(/ECONNREFUSED/) });
    await proxy.stop();
  });

  it("an aborted signal cancels the start, and aborting later stops the proxy", async () => {
    await expect(startFaultProxy({ target, signal: AbortSignal.abort() })).rejects.toThrow(AbortError);
    const controller = new AbortController();
    const proxy = await startFaultProxy({ target, signal: controller.signal });
    controller.abort();
    await proxy.stop();
    const answer = await raw(proxy.url);
    expect(answer.error).toBe("ECONNREFUSED");
  });
});
