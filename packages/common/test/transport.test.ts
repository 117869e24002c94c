import { Readable } from "node:stream";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  AbortError,
  AuthenticationError,
  BodyTooLargeError,
  ConfigError,
  ConnectionError,
  NimbusError,
  NotFoundError,
  ParseError,
  RateLimitError,
  ServerError,
  TimeoutError,
  Transport,
  ValidationError,
  type AuthStep,
  type HttpClientName,
  type Logger,
  type TransportOptions,
} from "../src/index.js";
import { PACKAGE_VERSION } from "../src/version.js";
import {
  makeCertificates,
  startHttpServer,
  startHttpsServer,
  startProxy,
  type Certificates,
  type Handler,
  type LocalServer,
} from "./helpers/local-servers.js";

const FAST_RETRY = { baseDelay: 5, maxDelay: 20 };

/** An auth step sending `from` as X-Auth-Token until a re-authentication (taking `delayMs`) swaps in `to`. */
function swappingToken(from: string, to: string, delayMs: number): { auth: AuthStep; readonly reauths: number } {
  let token = from;
  let reauths = 0;
  return {
    auth: {
      authorize: (request) => {
        request.headers["x-auth-token"] = token;
      },
      reauthenticate: async () => {
        reauths++;
        await new Promise((r) => setTimeout(r, delayMs));
        token = to;
        return true;
      },
    },
    get reauths() {
      return reauths;
    },
  };
}

function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (m: string) => void lines.push(m);
  return { lines, debug: push, info: push, warn: push, error: push };
}

describe.each<HttpClientName>(["undici", "ky"])("Transport with client %s", (client) => {
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
      retry: FAST_RETRY,
      debug: false,
      client,
      ...options,
    });
    opened.push(t);
    return t;
  }

  it("sends to the base URL with the user agent, headers and query, and reads JSON", async () => {
    const server = await serve((req, res) => {
      res.setHeader("content-type", "application/json");
      res.setHeader("x-request-id", "req-1");
      res.end(JSON.stringify({ path: req.url, ua: req.headers["user-agent"], custom: req.headers["x-custom"] }));
    });
    const t = transport({
      baseUrl: `${server.url}/v3`,
      headers: { "X-Custom": "yes" },
      userAgent: { package: "@nimbus-sdk/common", version: PACKAGE_VERSION, prefix: "my-app/2.0" },
    });
    const response = await t.request({
      url: "servers",
      query: { limit: 2, name: "a b", tag: ["x", "y"], skip: undefined },
    });
    expect(response.status).toBe(200);
    expect(response.requestId).toBe("req-1");
    const body = await response.json<{ path: string; ua: string; custom: string }>();
    expect(body.path).toBe("/v3/servers?limit=2&name=a+b&tag=x&tag=y");
    expect(body.ua).toBe(`my-app/2.0 nimbus-sdk-common/${PACKAGE_VERSION} node/${process.versions.node}`);
    expect(body.custom).toBe("yes");
  });

  it("sends JSON bodies and maps a 404 to NotFoundError with its context", async () => {
    const server = await serve((req, res) => {
      if (req.method === "POST") {
        res.setHeader("content-type", "application/json");
        res.end(req.body);
        return;
      }
      res.statusCode = 404;
      res.setHeader("content-type", "application/json");
      res.setHeader("x-request-id", "req-404");
      res.end(JSON.stringify({ error: { message: "Could not find server", code: 404, password: "leaked" } }));
    });
    const t = transport({ baseUrl: server.url });
    expect(await t.json({ method: "POST", url: "/echo", json: { a: 1 } })).toEqual({ a: 1 });
    expect(server.requests[0]!.headers["content-type"]).toBe("application/json");
    const error = await t.request({ url: "/servers/x?api_key=s3cret&limit=1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    const e = error as NotFoundError;
    expect(e.status).toBe(404);
    expect(e.method).toBe("GET");
    expect(e.url).toBe(`${server.url}/servers/x?api_key=REDACTED&limit=1`);
    expect(e.requestId).toBe("req-404");
    expect(e.message).toContain("Could not find server");
    expect(e.message).not.toContain("leaked");
    expect(e.message).not.toContain("s3cret");
  });

  it("returns okStatuses instead of throwing them", async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    const response = await transport().request({ url: server.url, okStatuses: [404] });
    expect(response.status).toBe(404);
  });

  it("retries idempotent requests on 503 and 429, honouring Retry-After", async () => {
    let calls = 0;
    const server = await serve((_req, res) => {
      calls++;
      if (calls === 1) {
        res.statusCode = 503;
        res.end();
      } else if (calls === 2) {
        res.statusCode = 429;
        res.setHeader("retry-after", "1");
        res.end();
      } else {
        res.end("ok");
      }
    });
    const started = Date.now();
    const text = await (await transport().request({ url: server.url })).text();
    expect(text).toBe("ok");
    expect(calls).toBe(3);
    // The server said "wait one second" and the client did.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("gives up after the retry limit with the last error", async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 502;
      res.end("bad gateway");
    });
    await expect(transport({ retry: { ...FAST_RETRY, limit: 2 } }).request({ url: server.url })).rejects.toBeInstanceOf(
      ServerError,
    );
    expect(server.requests).toHaveLength(3);
  });

  it("does not wait for a Retry-After beyond maxRetryAfter", async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 429;
      res.setHeader("retry-after", "3600");
      res.end();
    });
    const error = await transport()
      .request({ url: server.url })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(3_600_000);
    expect(server.requests).toHaveLength(1);
  });

  it("never replays a POST once it was sent, but does when declared idempotent", async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    await expect(transport().request({ method: "POST", url: server.url, body: "x" })).rejects.toBeInstanceOf(
      ServerError,
    );
    expect(server.requests).toHaveLength(1);
    await expect(
      transport({ retry: { ...FAST_RETRY, limit: 1 } }).request({
        method: "POST",
        url: server.url,
        body: "x",
        idempotent: true,
      }),
    ).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(3);
  });

  // Under jest's module sandbox, fetch's network errors lose their `code` on the way out (plain node
  // keeps UND_ERR_SOCKET), so this case runs for the default client only.
  (client === "ky" ? it.skip : it)("retries a GET after a connection reset, not a POST", async () => {
    let calls = 0;
    const server = await serve((req, res) => {
      calls++;
      if (calls === 1 || req.method === "POST") {
        req.socket.destroy();
        return;
      }
      res.end("recovered");
    });
    expect(await (await transport().request({ url: server.url })).text()).toBe("recovered");
    expect(calls).toBe(2);
    const error = await transport()
      .request({ method: "POST", url: server.url, body: "{}" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(calls).toBe(3);
  });

  it("retries even a POST when the connection was refused (nothing was sent)", async () => {
    const server = await startHttpServer((_req, res) => res.end());
    const url = server.url;
    await server.close();
    const logger = capture();
    const error = await transport({ retry: { ...FAST_RETRY, limit: 2 }, debug: true, logger })
      .request({ method: "POST", url, body: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain("ECONNREFUSED");
    // Three attempts: the first and two retries.
    expect(logger.lines.filter((line) => line.startsWith("-> POST"))).toHaveLength(3);
    expect(logger.lines.filter((line) => line.startsWith("retrying POST"))).toHaveLength(2);
  });

  it("replays a stream body only when given as a factory", async () => {
    let calls = 0;
    const server = await serve((req, res) => {
      calls++;
      if (calls % 2 === 1) {
        res.statusCode = 503;
        res.end();
        return;
      }
      res.end(req.body);
    });
    const t = transport();
    const body = () => Readable.from([Buffer.from("part1-"), Buffer.from("part2")]);
    expect(await (await t.request({ method: "PUT", url: server.url, body })).text()).toBe("part1-part2");
    await expect(t.request({ method: "PUT", url: server.url, body: body() })).rejects.toBeInstanceOf(ServerError);
  });

  it("times out with TimeoutError", async () => {
    const server = await serve(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 1000));
      res.end("late");
    });
    const error = await transport({ retry: { limit: 0 } })
      .request({ url: server.url, timeout: 100 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain("100 ms");
  });

  it("stops at once on abort, in flight or while waiting to retry", async () => {
    const server = await serve(async (req, res) => {
      if (req.url === "/slow") await new Promise((r) => setTimeout(r, 1000));
      res.statusCode = req.url === "/slow" ? 200 : 503;
      res.setHeader("retry-after", "10");
      res.end();
    });
    const t = transport({ retry: { limit: 3 } });
    const inFlight = t.request({ url: `${server.url}/slow`, signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect(await inFlight).toBeInstanceOf(AbortError);
    const controller = new AbortController();
    const waiting = t.request({ url: `${server.url}/busy`, signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(new Error("user gave up")), 100);
    const error = await waiting;
    expect(error).toBeInstanceOf(AbortError);
    expect(((error as AbortError).cause as Error).message).toBe("user gave up");
  });

  it("re-authenticates once on 401 and replays, sharing one re-authentication between concurrent calls", async () => {
    let valid = "token-2";
    const server = await serve((req, res) => {
      res.statusCode = req.headers["x-auth-token"] === valid ? 200 : 401;
      res.end(String(res.statusCode));
    });
    const tokens = swappingToken("token-1", "token-2", 20);
    const t = transport({ auth: tokens.auth });
    const results = await Promise.all([1, 2, 3].map(() => t.request({ url: server.url }).then((r) => r.text())));
    expect(results).toEqual(["200", "200", "200"]);
    expect(tokens.reauths).toBe(1);

    // A server that refuses the new credentials too: one replay, then the 401 is thrown.
    valid = "never";
    const error = await t.request({ url: server.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(tokens.reauths).toBe(2);
  });

  it("a 401 to the old credentials arriving after a re-authentication replays with the new ones, without another", async () => {
    let stale = 0;
    const server = await serve((req, res) => {
      if (req.headers["x-auth-token"] === "new") {
        res.end("200");
        return;
      }
      // The second stale request's 401 comes back only after the first's re-authentication is over.
      const delay = stale++ === 0 ? 0 : 300;
      setTimeout(() => {
        res.statusCode = 401;
        res.end("401");
      }, delay);
    });
    const tokens = swappingToken("old", "new", 0);
    const t = transport({ auth: tokens.auth });
    const first = t.request({ url: server.url }).then((r) => r.text());
    const second = t.request({ url: server.url }).then((r) => r.text());
    expect(await Promise.all([first, second])).toEqual(["200", "200"]);
    expect(tokens.reauths).toBe(1);
  });

  it("lets one caller give up during a shared re-authentication without failing the others", async () => {
    const server = await serve((req, res) => {
      res.statusCode = req.headers["x-auth-token"] === "fresh" ? 200 : 401;
      res.end(String(res.statusCode));
    });
    const t = transport({ auth: swappingToken("stale", "fresh", 150).auth });
    const controller = new AbortController();
    const impatient = t.request({ url: server.url, signal: controller.signal }).catch((e: unknown) => e);
    const patient = t.request({ url: server.url }).then((r) => r.text());
    setTimeout(() => controller.abort(), 50);
    expect(await impatient).toBeInstanceOf(AbortError);
    expect(await patient).toBe("200");
  });

  it("turns a failing re-authentication into a NimbusError", async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 401;
      res.end();
    });
    const t = transport({
      auth: {
        authorize: () => undefined,
        reauthenticate: async () => {
          throw new TypeError("identity service unreachable");
        },
      },
    });
    const error = await t.request({ url: server.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NimbusError);
    expect((error as Error).message).toContain("re-authentication failed: identity service unreachable");
  });

  it("throws the 401 when the auth step cannot renew", async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 401;
      res.end();
    });
    const t = transport({ auth: { authorize: () => undefined, reauthenticate: async () => false } });
    await expect(t.request({ url: server.url })).rejects.toBeInstanceOf(AuthenticationError);
    expect(server.requests).toHaveLength(1);
  });

  it("logs requests and responses with every secret redacted", async () => {
    const server = await serve((req, res) => {
      res.setHeader("content-type", "application/json");
      res.setHeader("x-subject-token", "SUBJECT-TOKEN-SECRET");
      res.setHeader("set-cookie", "session=COOKIE-SECRET");
      res.end(
        JSON.stringify({
          token: { id: "TOKEN-ID-SECRET", expires_at: "soon", catalog: [{ type: "compute", name: "nova" }] },
        }),
      );
    });
    const logger = capture();
    const t = transport({ debug: true, logger });
    const response = await t.request({
      method: "POST",
      url: `${server.url}/v3/auth/tokens?api_key=QUERY-SECRET&limit=5`,
      headers: { authorization: "Bearer AUTH-SECRET", "x-auth-token": "X-AUTH-SECRET", cookie: "c=COOKIE2-SECRET" },
      json: { auth: { identity: { password: { user: { name: "demo", password: "PASSWORD-SECRET" } } } } },
    });
    await response.json();
    const output = logger.lines.join("\n");
    expect(output).toContain("-> POST");
    expect(output).toContain("<- 200 POST");
    expect(output).toContain("limit=5");
    expect(output).toContain('"type":"compute"');
    expect(output).not.toMatch(/SECRET/);
  });

  it("refuses a body larger than maxBodyBytes and names the limit", async () => {
    const server = await serve((_req, res) => res.end("x".repeat(5000)));
    const error = await transport({ maxBodyBytes: 1000 })
      .request({ url: server.url })
      .then((r) => r.text())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect((error as BodyTooLargeError).limit).toBe(1000);
    expect((error as Error).message).toContain("1000-byte limit");
  });

  it("reports a body that is not JSON as ParseError with an excerpt", async () => {
    const server = await serve((_req, res) => res.end("<html><h1>proxy error</h1></html>"));
    const error = await transport()
      .json({ url: server.url })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).bodyExcerpt).toContain("proxy error");
  });

  it("keeps a secret in a body that is not JSON out of the ParseError, its excerpt and its cause", async () => {
    const bodies: [string, string][] = [
      ["text/plain", "gAAAAA-TOKEN-SECRET"],
      ["application/json", '{"token": {"id": "TOKEN-SECRET"'],
      ["text/html", "<html><input name=password value=FORM-SECRET></html>"],
    ];
    const server = await serve((req, res) => {
      const [type, body] = bodies[Number(req.url!.slice(1))]!;
      res.setHeader("content-type", type);
      res.end(body);
    });
    for (const index of bodies.keys()) {
      const error = await transport()
        .json({ url: `${server.url}/${index}` })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParseError);
      expect((error as Error).message).toContain("the response is not valid JSON");
      expect(inspect(error, { depth: 5 })).not.toMatch(/SECRET/);
      expect(JSON.stringify(error)).not.toMatch(/SECRET/);
    }
  });

  it("rejects a relative URL without a base URL before sending", async () => {
    await expect(transport().request({ url: "/no/base" })).rejects.toBeInstanceOf(ValidationError);
  });

  describe("TLS and proxies", () => {
    let certs: Certificates;
    let server: LocalServer;
    beforeAll(async () => {
      certs = makeCertificates();
      server = await startHttpsServer(certs, (_req, res) => res.end("secure"));
      opened.push(server);
    });
    afterAll(() => certs.remove());

    it("verifies certificates by default and says how to trust the CA", async () => {
      const error = await transport()
        .request({ url: server.url })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as Error).message).toMatch(/TLS certificate was not accepted \(\w+\)/);
      expect((error as Error).message).toContain("`ca` option");
      expect((error as Error).message).toContain("verify: false");
    });

    it("trusts a CA given as PEM text or as a file path, or no verification at all", async () => {
      for (const tls of [{ ca: certs.caPem }, { ca: certs.caPath }, { verify: false }]) {
        expect(await (await transport({ tls }).request({ url: server.url })).text()).toBe("secure");
      }
    });

    it("fails with ConfigError for a CA file that does not exist", () => {
      expect(() => transport({ tls: { ca: "/nonexistent/ca.pem" } })).toThrow(ConfigError);
    });

    it("goes through HTTPS_PROXY and HTTP_PROXY, except for NO_PROXY hosts", async () => {
      const proxy = await startProxy();
      opened.push(proxy);
      const plain = await serve((_req, res) => res.end("plain"));
      const proxied = transport({ tls: { ca: certs.caPem }, proxy: { http: proxy.url, https: proxy.url } });
      expect(await (await proxied.request({ url: server.url })).text()).toBe("secure");
      expect(await (await proxied.request({ url: `${plain.url}/p` })).text()).toBe("plain");
      // fetch tunnels plain HTTP too (CONNECT); undici's request API forwards it in absolute form.
      const host = (url: string) => url.replace(/^\w+:\/\//, "");
      expect(proxy.seen[0]).toBe(`CONNECT ${host(server.url)}`);
      expect([`GET ${plain.url}/p`, `CONNECT ${host(plain.url)}`]).toContain(proxy.seen[1]);

      const saved = { ...process.env };
      Object.assign(process.env, { HTTP_PROXY: proxy.url, NO_PROXY: "localhost" });
      try {
        const fromEnv = transport();
        expect(await (await fromEnv.request({ url: `${plain.url}/env` })).text()).toBe("plain");
        expect(proxy.seen).toHaveLength(3);
        const direct = transport({ proxy: false });
        expect(await (await direct.request({ url: `${plain.url}/direct` })).text()).toBe("plain");
        process.env.NO_PROXY = "127.0.0.1";
        expect(await (await transport().request({ url: `${plain.url}/bypass` })).text()).toBe("plain");
        expect(proxy.seen).toHaveLength(3);
      } finally {
        process.env = saved;
      }
    });
  });
});
