// @nimbus-sdk/common's building blocks, as a provider package uses them, against a small local
// HTTP service started here (token auth, a flaky endpoint, a paged listing, a slow state change).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConfigEnvironments,
  NotFoundError,
  PagedList,
  ParseError,
  Transport,
  defineSettings,
  waitUntil,
} from "@nimbus-sdk/common";
import { SafeXmlParser } from "@nimbus-sdk/common/xml";

export const name = "common";
export const title = "@nimbus-sdk/common: transport, auth, retries, paging, polling, config, safe XML";

function startService() {
  let validToken = "token-1";
  let flaky = 0;
  let state = { status: "BUILD", progress: 0 };
  const items = Array.from({ length: 7 }, (_, i) => ({ id: `srv-${i + 1}`, name: `web-${i + 1}` }));
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const json = (status, body, headers = {}) => {
      res.writeHead(status, { "content-type": "application/json", "x-request-id": `req-${Date.now()}`, ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/tokens") return json(201, { token: { id: (validToken = `token-${Date.now()}`) } });
    if (req.headers["x-auth-token"] !== validToken) return json(401, { error: { message: "token expired" } });
    if (url.pathname === "/flaky" && flaky++ < 2)
      return json(503, { error: { message: "busy" } }, { "retry-after": "0" });
    if (url.pathname === "/flaky") return json(200, { ok: true, attempts: flaky });
    if (url.pathname === "/servers") {
      const start = Number(url.searchParams.get("marker") ?? 0);
      const page = items.slice(start, start + 3);
      return json(200, { servers: page, next: start + 3 < items.length ? start + 3 : null });
    }
    if (url.pathname === "/servers/srv-1") {
      state = { status: state.progress >= 100 ? "ACTIVE" : "BUILD", progress: Math.min(100, state.progress + 40) };
      return json(200, { server: { id: "srv-1", ...state } });
    }
    return json(404, { error: { message: `no such resource ${url.pathname}` } });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        expireToken: () => (validToken = "expired"),
        stop: () => new Promise((r) => server.close(r)),
      });
    }),
  );
}

export async function run({ step, show }) {
  const service = await startService();
  const home = mkdtempSync(join(tmpdir(), "nimbus-demo-"));
  try {
    step(`a token-authenticated service runs on ${service.url}`);
    let token = "none";
    const login = new Transport({ baseUrl: service.url, userAgent: { package: "@nimbus-sdk/demo", version: "0" } });
    const auth = {
      authorize: (request) => void (request.headers["x-auth-token"] = token),
      reauthenticate: async ({ signal }) => {
        const body = await login.json({ method: "POST", url: "tokens", json: { password: "demo-secret" }, signal });
        token = body.token.id;
        show(`(re-authenticated: new token obtained)`);
        return true;
      },
    };
    const debugLines = [];
    const api = new Transport({
      baseUrl: service.url,
      userAgent: { package: "@nimbus-sdk/demo", version: "0" },
      auth,
      retry: { baseDelay: 10 },
      debug: true,
      logger: { debug: (m) => debugLines.push(m), info: show, warn: show, error: show },
    });

    step("GET /flaky: the first call has no token (401, re-authenticates), then two 503s are retried");
    const flaky = await api.json({ url: "flaky" });
    show(`-> ${JSON.stringify(flaky)}`);
    step("the debug log of those calls, redacted (tokens and passwords never appear):");
    for (const line of debugLines.slice(0, 4)) show(line.length > 160 ? `${line.slice(0, 160)}…` : line);

    step("list servers page by page with for await (3 per page)");
    const servers = new PagedList(async (marker, { signal }) => {
      const page = await api.json({ url: "servers", query: { marker }, signal });
      return { items: page.servers, next: page.next ?? undefined };
    });
    for await (const server of servers) show(`${server.id}  ${server.name}`);

    step("the token expires; the next call renews it transparently");
    service.expireToken();
    show(`servers on the first page: ${(await api.json({ url: "servers" })).servers.length}`);

    step("wait until srv-1 is ACTIVE, with progress");
    const done = await waitUntil(
      async ({ signal }) => (await api.json({ url: "servers/srv-1", signal })).server,
      (server) => server.status === "ACTIVE",
      { interval: 50, timeout: 5000, onProgress: (s) => show(`status ${s.status}, ${s.progress}%`) },
    );
    show(`-> ${done.status}`);

    step("a missing resource is a typed error");
    await api.json({ url: "servers/nope" }).catch((error) => {
      show(`${error.name} (instanceof NotFoundError: ${error instanceof NotFoundError}), status ${error.status}`);
      show(error.message);
    });

    step("config environments as pyrax reads ~/.pyrax.cfg (the provider declares the table)");
    const cfg = join(home, ".pyrax.cfg");
    writeFileSync(cfg, "[default]\nregion = ORD\n\n[private]\nregion = RegionOne\nverify_ssl = false\n");
    const settings = new ConfigEnvironments(
      defineSettings([
        { name: "region", type: "string", env: "CLOUD_REGION", description: "region" },
        { name: "verify_ssl", type: "boolean", default: true, env: "CLOUD_VERIFY_SSL", description: "TLS checks" },
      ]),
      { path: cfg, env: {} },
    );
    show(`environments: ${settings.listEnvironments().join(", ")}; current: ${settings.getEnvironment()}`);
    show(`region=${settings.get("region")} verify_ssl=${settings.get("verify_ssl")}`);
    settings.setEnvironment("private");
    show(`after setEnvironment("private"): region=${settings.get("region")} verify_ssl=${settings.get("verify_ssl")}`);

    step("XML from a server is parsed safely: an entity-expansion bomb is refused");
    const parser = new SafeXmlParser();
    show(JSON.stringify(parser.parse('<vm id="7"><name>web &amp; db</name></vm>')));
    try {
      parser.parse('<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>');
    } catch (error) {
      show(`${error.name}: ${error.message} (ParseError: ${error instanceof ParseError})`);
    }
    await Promise.all([api.close(), login.close()]);
  } finally {
    rmSync(home, { recursive: true, force: true });
    await service.stop();
  }
}
