// The HTTP face of the simulated engine: the SSO endpoints, the bearer check of the API, the
// `Version` header, `<fault>` bodies for refusals, HTML pages where the engine's application server
// writes them (401, unknown URLs), and failures injected on demand (a truncated document, a proxy's
// HTML error page) so clients can be tested against what real deployments sometimes answer.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Engine } from "./engine.js";
import { EngineFault } from "./faults.js";
import type { Sso } from "./sso.js";
import { XmlOut } from "./xml.js";

export const API_PREFIX = "/ovirt-engine/api";
export const TOKEN_PATH = "/ovirt-engine/sso/oauth/token";
export const LOGOUT_PATH = "/ovirt-engine/services/sso-logout";

/** A failure the simulator answers instead of the real thing, for testing clients. */
export type InjectedFailure =
  /** The real answer cut in the middle (a dropped connection behind a proxy). */
  | { kind: "truncated-xml" }
  /** An HTML page, as a reverse proxy or a login portal answers (default status 502). */
  | { kind: "html"; status?: number }
  /** A bare status (503 while the engine restarts, 429 from a throttling proxy with its `Retry-After` ...). */
  | { kind: "status"; status: number; retryAfter?: string }
  /** The real answer with its whole Content-Length, but the connection closed half-way through the body. */
  | { kind: "cut-body" }
  /** The connection is closed without an answer. */
  | { kind: "reset" }
  /** A success status whose `<action>` holds a `<fault>`: a command that failed after it was accepted. */
  | { kind: "action-fault"; reason?: string; detail?: string };

/** A request the simulator received: method, path, query, headers and body, for a test to check. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  /** Request headers, `authorization` redacted. */
  headers: Record<string, string>;
}

export interface ServerContext {
  engine: Engine;
  sso: Sso;
  /** Failures waiting to be answered, oldest first, each for `target` requests. */
  failures: Array<{ failure: InjectedFailure; target: "api" | "sso" }>;
  requests: RecordedRequest[];
}

const MAX_BODY = 10 * 1024 * 1024;
const MAX_RECORDED = 500;

interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

const XML = "application/xml;charset=UTF-8";

/** The page the engine's application server (Undertow) writes for an error without an entity. */
function serverPage(status: number, message: string): Reply {
  return {
    status,
    body: `<html><head><title>Error</title></head><body>${message}</body></html>`,
    headers: { "Content-Type": "text/html;charset=UTF-8" },
  };
}

function proxyPage(status: number): Reply {
  return {
    status,
    headers: { "Content-Type": "text/html; charset=iso-8859-1" },
    body:
      '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n' +
      `<title>${status} Proxy Error</title>\n</head><body>\n<h1>Proxy Error</h1>\n` +
      "<p>The proxy server received an invalid\nresponse from an upstream server.<br />\n" +
      "The proxy server could not handle the request</p>\n</body></html>\n",
  };
}

function faultReply(fault: EngineFault): Reply {
  if (fault.reason === undefined) return { status: fault.status };
  const body = new XmlOut()
    .open("fault")
    .leaf("reason", fault.reason)
    .leaf("detail", fault.detail ?? "")
    .close("fault")
    .toString();
  return { status: fault.status, body, headers: { "Content-Type": XML } };
}

function actionFault(reason = "Operation Failed", detail = "[Internal Engine Error]"): Reply {
  const body = new XmlOut()
    .open("action")
    .leaf("status", "failed")
    .open("fault")
    .leaf("reason", reason)
    .leaf("detail", detail)
    .close("fault")
    .close("action")
    .toString();
  return { status: 200, body, headers: { "Content-Type": XML } };
}

function json(status: number, payload: Record<string, unknown> | ""): Reply {
  return {
    status,
    body: payload === "" ? "" : JSON.stringify(payload),
    headers: { "Content-Type": "application/json" },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Servlet parameters: the query's and, for a form body, the body's. */
function formParameters(url: URL, req: IncomingMessage, body: string): URLSearchParams {
  const params = new URLSearchParams(url.searchParams);
  if ((header(req, "content-type") ?? "").includes("application/x-www-form-urlencoded")) {
    for (const [key, value] of new URLSearchParams(body)) params.append(key, value);
  }
  return params;
}

function apiReply(ctx: ServerContext, req: IncomingMessage, url: URL, body: string): Reply {
  const rest = url.pathname.slice(API_PREFIX.length);
  const segments = rest.split("/").filter(Boolean);
  // `/ovirt-engine/api/v4/...` is the same as the `Version: 4` header.
  if (segments[0] === "v4") segments.shift();
  else if (/^v\d+$/.test(segments[0] ?? "")) return serverPage(404, "Not Found");
  const auth = ctx.sso.check(header(req, "authorization"));
  if (auth !== "ok") {
    const reply = serverPage(401, "Unauthorized");
    reply.headers!["WWW-Authenticate"] = 'Bearer realm="RESTAPI"';
    return reply;
  }
  const version = header(req, "version");
  if (version !== undefined && version.trim() !== "4") {
    return faultReply(
      new EngineFault(
        400,
        "Operation Failed",
        `Version "${version}" isn't supported; this engine speaks version 4 only.`,
      ),
    );
  }
  const contentType = header(req, "content-type") ?? "";
  if (body !== "" && contentType !== "" && !/xml/i.test(contentType)) return { status: 415 };
  const accept = header(req, "accept");
  if (accept !== undefined && !/xml|\*\/\*/i.test(accept)) return { status: 406 };
  try {
    const reply = ctx.engine.handle({
      method: (req.method ?? "GET").toUpperCase(),
      segments: segments.map(decodeURIComponent),
      query: url.searchParams,
      body,
      correlationId: header(req, "correlation-id"),
      allContentHeader: header(req, "all-content") === "true",
    });
    const headers: Record<string, string> = reply.xml === undefined ? {} : { "Content-Type": XML };
    if (reply.location) headers.Location = reply.location;
    return { status: reply.status, body: reply.xml, headers };
  } catch (error) {
    if (error instanceof EngineFault) return faultReply(error);
    throw error;
  }
}

function route(ctx: ServerContext, req: IncomingMessage, body: string): Reply {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const path = url.pathname;
  if (path === TOKEN_PATH) {
    const params = formParameters(url, req, body);
    const reply = ctx.sso.token(params, header(req, "accept"));
    if (reply.status === 200) {
      const session = String((reply.body as { access_token: string }).access_token).slice(0, 12);
      const from = req.socket.remoteAddress ?? "127.0.0.1";
      ctx.engine.recordEvent(
        30,
        `User ${params.get("username")}-authz connecting from '${from}' using session '${session}' logged in.`,
      );
    }
    return json(reply.status, reply.body);
  }
  if (path === LOGOUT_PATH) {
    const before = ctx.sso.revoked;
    const reply = ctx.sso.logout(formParameters(url, req, body));
    if (ctx.sso.revoked > before) ctx.engine.recordEvent(31, `User ${ctx.sso.username}-authz logged out.`);
    return json(reply.status, reply.body);
  }
  if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) return apiReply(ctx, req, url, body);
  return serverPage(404, "Not Found");
}

function record(ctx: ServerContext, req: IncomingMessage): void {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = name === "authorization" ? "<redacted>" : Array.isArray(value) ? value.join(", ") : value;
  }
  ctx.requests.push({ method: req.method ?? "GET", path: url.pathname, query: url.search, headers });
  if (ctx.requests.length > MAX_RECORDED) ctx.requests.splice(0, ctx.requests.length - MAX_RECORDED);
}

export function createHandler(ctx: ServerContext) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("error", () => res.destroy());
    req.on("end", () => {
      record(ctx, req);
      const send = (reply: Reply) => {
        const headers = { ...reply.headers };
        if (reply.body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(reply.body));
        res.writeHead(reply.status, headers);
        res.end(reply.body);
      };
      if (size > MAX_BODY) {
        send(serverPage(413, "Request Entity Too Large"));
        return;
      }
      const path = (req.url ?? "/").split("?")[0]!;
      const target = path === TOKEN_PATH || path === LOGOUT_PATH ? "sso" : "api";
      const index = ctx.failures.findIndex((f) => f.target === target);
      const injected = index >= 0 ? ctx.failures.splice(index, 1)[0]!.failure : undefined;
      if (injected?.kind === "reset") {
        res.socket?.destroy();
        return;
      }
      if (injected?.kind === "html") return send(proxyPage(injected.status ?? 502));
      if (injected?.kind === "status") {
        const retryAfter = injected.retryAfter === undefined ? undefined : { "Retry-After": injected.retryAfter };
        return send({ status: injected.status, headers: retryAfter });
      }
      if (injected?.kind === "action-fault") return send(actionFault(injected.reason, injected.detail));
      let reply: Reply;
      try {
        reply = route(ctx, req, Buffer.concat(chunks).toString("utf8"));
      } catch (error) {
        reply = serverPage(500, `Internal error of the simulator: ${String(error)}`);
      }
      if (injected?.kind === "truncated-xml" && reply.body) {
        reply = { ...reply, status: 200, body: reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2))) };
      }
      if (injected?.kind === "cut-body" && reply.body) {
        res.writeHead(reply.status, { ...reply.headers, "Content-Length": String(Buffer.byteLength(reply.body)) });
        res.write(reply.body.slice(0, Math.floor(reply.body.length / 2)), () => res.socket?.destroy());
        return;
      }
      send(reply);
    });
  };
}
