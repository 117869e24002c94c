// The base of the Rackspace-wire simulators (Cloud DNS, Cloud Load Balancers, Cloud Databases v1.0):
// Rackspace's identity (POST /v2.0/tokens with an API key or a password; the catalog lists each
// simulated service) and a small router that serves each service under /<prefix>/v1.0/<tenant>/,
// checking the token and the tenant of every request, parsing JSON bodies, and answering unknown
// paths with Rackspace's fault shape. Rackspace's real services cannot run here: these simulate the
// documented request and response shapes, and check what they receive.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as a simulator route's handler receives it. */
export interface SimRequest {
  method: string;
  /** The path below the service's `/v1.0/<tenant>` root, with a leading slash: "/domains/12". */
  path: string;
  query: URLSearchParams;
  /** The parsed JSON body (undefined when there is none). */
  body: unknown;
  headers: IncomingMessage["headers"];
  /** The service's public root URL (`http://127.0.0.1:<port>/<prefix>/v1.0/<tenant>`), for links. */
  root: string;
}

/** What a simulator route's handler answers: a status, and a JSON body and headers. */
export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One route of a simulated service: a method, a path pattern and its handler. */
export interface SimRoute {
  method: string;
  /** Matched against the whole `path`; its groups are passed to the handler. */
  path: RegExp;
  handle(request: SimRequest, ...groups: string[]): SimResponse | Promise<SimResponse>;
}

/** One simulated service: its catalog entry and its routes. */
export interface SimService {
  /** Catalog type ("rax:dns", "rax:load-balancer", "rax:database"). */
  type: string;
  /** Catalog name ("cloudDNS", "cloudLoadBalancers", "cloudDatabases"). */
  name: string;
  /** The first path segment of its URLs ("dns"). */
  prefix: string;
  /** Regions it has endpoints in; none: one endpoint without a region (Cloud DNS is global). */
  regions?: readonly string[];
  routes: readonly SimRoute[];
}

/** A running Rackspace simulator, as `startRackspaceSimulator` returns it: its endpoints, credentials and request log. */
export interface RackspaceSimulator {
  /** The identity endpoint to give as `auth_endpoint` (`http://127.0.0.1:<port>/v2.0/`). */
  authEndpoint: string;
  /** The server's root. */
  url: string;
  username: string;
  apiKey: string;
  password: string;
  tenantId: string;
  /** Every service request received, oldest first (method, path below the root, status). */
  requests: { method: string; path: string; status: number }[];
  /** The service's root URL (`…/<prefix>/v1.0/<tenant>`). */
  serviceUrl(prefix: string): string;
  stop(): Promise<void>;
}

/** Rackspace's fault body: `{ "<name>": { code, message, details } }`. */
export function fault(status: number, name: string, message: string, details?: string): SimResponse {
  return { status, body: { [name]: { code: status, message, ...(details === undefined ? {} : { details }) } } };
}

/** Rackspace's 400 badRequest fault, with these details. */
export const badRequest = (details: string) => fault(400, "badRequest", `Validation error: ${details}`, details);
/** Rackspace's 404 itemNotFound fault, naming what was not found. */
export const itemNotFound = (what: string) => fault(404, "itemNotFound", `${what} not found`);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Starts the identity and the services on 127.0.0.1 (a free port); `stop()` closes it. */
export async function startRackspaceSimulator(services: readonly SimService[]): Promise<RackspaceSimulator> {
  const username = "simuser";
  const apiKey = randomBytes(16).toString("hex");
  const password = randomBytes(12).toString("base64url");
  const tenantId = String(100000 + Math.floor(Math.random() * 800000));
  const tokens = new Set<string>();
  const requests: RackspaceSimulator["requests"] = [];
  let url = "";
  const serviceUrl = (prefix: string) => `${url}/${prefix}/v1.0/${tenantId}`;

  const login = (body: unknown): SimResponse => {
    const auth = (body as { auth?: Record<string, { username?: string; apiKey?: string; password?: string }> })?.auth;
    const key = auth?.["RAX-KSKEY:apiKeyCredentials"];
    const pass = auth?.passwordCredentials;
    if (!key && !pass) return fault(400, "badRequest", "Invalid request body: no credentials");
    const good = key
      ? key.username === username && key.apiKey === apiKey
      : pass!.username === username && pass!.password === password;
    if (!good) return fault(401, "unauthorized", "Username or api key is invalid.");
    const token = randomBytes(16).toString("hex");
    tokens.add(token);
    const endpoint = (region?: string, prefix = "") => ({
      ...(region ? { region } : {}),
      tenantId,
      publicURL: serviceUrl(prefix),
    });
    return {
      status: 200,
      body: {
        access: {
          token: {
            id: token,
            expires: new Date(Date.now() + 24 * 3600_000).toISOString(),
            tenant: { id: tenantId, name: tenantId },
          },
          user: { id: "sim-user", name: username, "RAX-AUTH:defaultRegion": "DFW" },
          serviceCatalog: services.map((s) => ({
            name: s.name,
            type: s.type,
            endpoints: s.regions?.length
              ? s.regions.map((r) => endpoint(r, s.prefix))
              : [endpoint(undefined, s.prefix)],
          })),
        },
      },
    };
  };

  const route = async (req: IncomingMessage, raw: string): Promise<SimResponse> => {
    const target = new URL(req.url ?? "/", url);
    let body: unknown;
    if (raw !== "") {
      try {
        body = JSON.parse(raw);
      } catch {
        return fault(400, "badRequest", "Invalid JSON request body");
      }
    }
    if (target.pathname === "/v2.0/tokens") {
      return req.method === "POST" ? login(body) : fault(405, "badMethod", "Method not allowed");
    }
    const [, prefix, version, tenant, ...rest] = target.pathname.split("/");
    const service = services.find((s) => s.prefix === prefix);
    if (!service || version !== "v1.0") return itemNotFound("resource");
    if (!tokens.has(String(req.headers["x-auth-token"] ?? ""))) {
      return fault(401, "unauthorized", "No valid token provided. Please use the 'X-Auth-Token' header.");
    }
    if (tenant !== tenantId) return fault(401, "unauthorized", "The token is not valid for this account.");
    if (raw !== "" && !String(req.headers["content-type"] ?? "").startsWith("application/json")) {
      return fault(415, "unsupportedMediaType", "The content type must be application/json");
    }
    const path = `/${rest.map(decodeURIComponent).join("/")}`.replace(/\/$/, "") || "/";
    const request: SimRequest = {
      method: req.method ?? "GET",
      path,
      query: target.searchParams,
      body,
      headers: req.headers,
      root: serviceUrl(service.prefix),
    };
    let allowed = false;
    for (const r of service.routes) {
      const match = r.path.exec(path);
      if (!match || match[0] !== path) continue;
      allowed = true;
      if (r.method === request.method) return r.handle(request, ...match.slice(1));
    }
    return allowed ? fault(405, "badMethod", `${request.method} is not allowed on ${path}`) : itemNotFound("resource");
  };

  const server: Server = createServer((req, res) => {
    void readBody(req)
      .then((raw) => route(req, raw))
      .catch((error: unknown) => fault(500, "serviceFault", `simulator error: ${(error as Error).message}`))
      .then((answer) => {
        const path = new URL(req.url ?? "/", url).pathname;
        if (path !== "/v2.0/tokens") requests.push({ method: req.method ?? "GET", path, status: answer.status });
        const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
        res.writeHead(answer.status, {
          ...(text ? { "content-type": "application/json" } : {}),
          "x-simulator": "nimbus-rackspace",
          ...answer.headers,
        });
        res.end(text);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    authEndpoint: `${url}/v2.0/`,
    url,
    username,
    apiKey,
    password,
    tenantId,
    requests,
    serviceUrl,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
