// A stand-in for Rackspace's identity service (and Keystone v2.0, which Debian's Keystone no longer
// serves): no such server can be installed here, so this answers with the documented v2.0 shapes
// (POST /v2.0/tokens -> {"access": {"token", "user", "serviceCatalog"}}) and checks what it receives:
// a malformed auth body gets the 400 the real service gives, wrong credentials a 401.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeIdentity {
  url: string;
  /** Tokens issued so far, newest last. */
  issued: string[];
  /** When each token was issued and when it expires (ms since the epoch), in issue order. */
  lifetimes: { issuedAt: number; expiresAt: number }[];
  /** Bodies received on /v2.0/tokens. */
  received: unknown[];
  /** Requests seen by the fake object store, with the token they carried. */
  storeRequests: { token: string | undefined; status: number }[];
  /**
   * What the next requests to the object store get instead of its answer, oldest first: a status
   * (with `Retry-After`), a body reset half-way, or headers and half a body and then nothing.
   */
  storeFaults: ({ status: number; retryAfter?: string } | "reset-mid-body" | "stall")[];
  setTokenLifetime(ms: number): void;
  /** Revokes every token but the newest (as a password change or a second login policy would). */
  revokeOlderTokens(): void;
  close(): Promise<void>;
}

export const FAKE_USER = { username: "rackuser", apiKey: "0123456789abcdef", password: "rackpass", tenantId: "123456" };

export async function startFakeIdentity(): Promise<FakeIdentity> {
  const issued: string[] = [];
  const received: unknown[] = [];
  const storeRequests: FakeIdentity["storeRequests"] = [];
  const storeFaults: FakeIdentity["storeFaults"] = [];
  let lifetime = 24 * 3600_000;
  const expiry = new Map<string, number>();
  const lifetimes: FakeIdentity["lifetimes"] = [];
  let url = "";
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.url?.startsWith("/store/")) {
        const token = req.headers["x-auth-token"] as string | undefined;
        const ok = token !== undefined && (expiry.get(token) ?? 0) > Date.now();
        const fault = ok ? storeFaults.shift() : undefined;
        storeRequests.push({ token, status: typeof fault === "object" ? fault.status : ok ? 200 : 401 });
        if (fault === "reset-mid-body" || fault === "stall") {
          res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
          res.write("[", () => (fault === "stall" ? undefined : res.socket?.resetAndDestroy()));
          return;
        }
        if (fault) {
          if (fault.retryAfter) res.setHeader("retry-after", fault.retryAfter);
          return send(fault.status, { error: { code: fault.status, message: `refused with ${fault.status}` } });
        }
        // An account listing (Swift's JSON) for ?format=json, else a token check.
        if (ok && req.url.includes("format=json")) return send(200, []);
        return ok ? send(200, { ok: true }) : send(401, { unauthorized: { code: 401, message: "bad token" } });
      }
      if (req.method !== "POST" || req.url !== "/v2.0/tokens")
        return send(404, { itemNotFound: { code: 404, message: "no route" } });
      let body: { auth?: Record<string, Record<string, string> | string> };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return send(400, { badRequest: { code: 400, message: "Invalid json request body" } });
      }
      received.push(body);
      const auth = body.auth ?? {};
      const key = auth["RAX-KSKEY:apiKeyCredentials"] as Record<string, string> | undefined;
      const pass = auth.passwordCredentials as Record<string, string> | undefined;
      const token = auth.token as Record<string, string> | undefined;
      if (!key && !pass && !token) return send(400, { badRequest: { code: 400, message: "Invalid request body" } });
      const good =
        (key && key.username === FAKE_USER.username && key.apiKey === FAKE_USER.apiKey) ||
        (pass && pass.username === FAKE_USER.username && pass.password === FAKE_USER.password) ||
        (token && (expiry.get(token.id ?? "") ?? 0) > Date.now());
      if (!good) return send(401, { unauthorized: { code: 401, message: "Username or api key is invalid." } });
      const id = `tok-${issued.length + 1}-${Math.random().toString(36).slice(2)}`;
      issued.push(id);
      expiry.set(id, Date.now() + lifetime);
      lifetimes.push({ issuedAt: Date.now(), expiresAt: Date.now() + lifetime });
      const region = (r: string | undefined, path: string) => ({
        ...(r ? { region: r } : {}),
        tenantId: FAKE_USER.tenantId,
        publicURL: `${url}${path}`,
        internalURL: `${url}${path}-internal`,
      });
      send(200, {
        access: {
          token: {
            id,
            expires: new Date(Date.now() + lifetime).toISOString(),
            tenant: { id: FAKE_USER.tenantId, name: FAKE_USER.tenantId },
            "RAX-AUTH:authenticatedBy": [key ? "APIKEY" : "PASSWORD"],
          },
          user: { id: "u-1", name: FAKE_USER.username, "RAX-AUTH:defaultRegion": "DFW" },
          serviceCatalog: [
            {
              name: "cloudFiles",
              type: "object-store",
              endpoints: [region("DFW", "/store/dfw"), region("ORD", "/store/ord")],
            },
            { name: "cloudFilesCDN", type: "rax:object-cdn", endpoints: [region("DFW", "/cdn/dfw")] },
            { name: "cloudServersOpenStack", type: "compute", endpoints: [region("DFW", "/compute/dfw")] },
            { name: "cloudDNS", type: "rax:dns", endpoints: [region(undefined, "/dns")] },
          ],
        },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    issued,
    lifetimes,
    received,
    storeRequests,
    storeFaults,
    setTokenLifetime: (ms) => {
      lifetime = ms;
    },
    revokeOlderTokens: () => {
      for (const id of issued.slice(0, -1)) expiry.delete(id);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections(); // a stalled answer holds its connection open
        server.close(() => resolve());
      }),
  };
}
