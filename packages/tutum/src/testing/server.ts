// HTTP face of the simulator: routing under /api/v1/, the checks in Tastypie's order (unknown URL
// 404, method 405, credentials 401, unknown object 404, request 400), list envelopes with
// limit/offset, answers in the shapes of shapes.ts, and `{"error": "..."}` for every refusal.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  ACTION_URI_HEADER,
  API_PREFIX,
  resources,
  type ActionMeta,
  type ResourceMeta,
  type ResourceName,
} from "../generated/api.js";
import type { Lifecycle, Outcome, RequestInfo } from "./lifecycle.js";
import { present, type PayloadShapes } from "./shapes.js";
import { FilterError, Store, type Entry, type Json, type JsonObject } from "./store.js";
import { ApiError, checkActionQuery, checkListQuery, parseJsonBody } from "./validate.js";

export interface ServerContext {
  store: Store;
  lifecycle: Lifecycle;
  user: string;
  apikey: string;
  password: string;
  shapes: PayloadShapes;
}

type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

/** A path understood before any lookup, so that 405 can come before 401 and 401 before 404. */
type Route =
  | { type: "auth" }
  | { type: "collection"; kind: ResourceName }
  | { type: "detail"; kind: ResourceName; ids: string[] }
  | { type: "segment"; kind: ResourceName; id: string; action: ActionMeta; actions: ActionMeta[] }
  | { type: "sub"; sub: "Trigger" | "WebhookHandler"; serviceId: string; childId?: string; call: boolean }
  | { type: "imageTag"; image: string; tag: string; build: boolean };

const MAX_BODY = 1024 * 1024;
const ENDPOINTS = new Map<string, ResourceName>();
for (const [name, meta] of Object.entries(resources) as Array<[ResourceName, ResourceMeta]>) {
  if (!meta.parent && !meta.endpoint.includes("{")) ENDPOINTS.set(meta.endpoint.replace(/\/$/, ""), name);
}
/** Objects whose URI has more than one segment after the endpoint (`region/{provider}/{name}/`, image names). */
const NESTED = new Set<ResourceName>(["Region", "NodeType", "AZ", "Provider", "Image", "Registry"]);
/** In api.json but not served: the July-2014 standalone container create was dropped by Tutum itself. */
const DISABLED = new Set(["Container.create"]);

function methodsOf(route: Route): HttpMethod[] {
  const m = (kinds: string[], kind: ResourceName): HttpMethod[] => {
    const out = new Set<HttpMethod>();
    for (const a of resources[kind].actions as readonly ActionMeta[]) {
      if (!kinds.includes(a.kind) || DISABLED.has(`${kind}.${a.kind}`)) continue;
      out.add(a.method as HttpMethod);
    }
    return [...out];
  };
  switch (route.type) {
    case "auth":
      return ["GET"];
    case "collection":
      return m(["list", "create"], route.kind);
    case "detail":
      return m(["fetch", "update", "delete"], route.kind);
    case "segment":
      return [...new Set(route.actions.map((a) => a.method as HttpMethod))];
    case "sub":
      if (route.call) return ["POST"];
      if (route.childId) return route.sub === "Trigger" ? ["GET", "DELETE"] : ["DELETE"];
      return ["GET", "POST"];
    case "imageTag":
      return route.build ? ["POST"] : ["GET"];
  }
}

function parseRoute(path: string): Route | undefined {
  if (!path.startsWith(API_PREFIX) || !path.endsWith("/")) return undefined;
  const segments = path.slice(API_PREFIX.length, -1).split("/").map(decodeURIComponent);
  if (segments.some((s) => s === "")) return undefined;
  const [endpoint, ...rest] = segments;
  if (endpoint === "auth" && rest.length === 0) return { type: "auth" };
  const kind = ENDPOINTS.get(endpoint ?? "");
  if (!kind) return undefined;
  if (rest.length === 0) return { type: "collection", kind };
  if (kind === "Image") {
    const t = rest.indexOf("tag");
    if (t > 0 && (rest.length === t + 2 || (rest.length === t + 3 && rest[t + 2] === "build"))) {
      return { type: "imageTag", image: rest.slice(0, t).join("/"), tag: rest[t + 1]!, build: rest.length === t + 3 };
    }
    return { type: "detail", kind, ids: rest };
  }
  if (kind === "Service" && rest.length >= 2) {
    const [id, ...sub] = rest;
    const tail = sub.join("/");
    const m = /^(trigger|webhook\/handler)(?:\/([^/]+))?(\/call)?$/.exec(tail);
    if (m && !(m[3] && !m[2])) {
      return {
        type: "sub",
        sub: m[1] === "trigger" ? "Trigger" : "WebhookHandler",
        serviceId: id!,
        childId: m[2],
        call: Boolean(m[3]),
      };
    }
  }
  if (rest.length === 1) return { type: "detail", kind, ids: rest };
  const segment = rest.slice(1).join("/");
  const actions = (resources[kind].actions as readonly ActionMeta[]).filter(
    (a) => (a.kind === "action" || a.kind === "read") && a.segment === segment,
  );
  if (actions.length) return { type: "segment", kind, id: rest[0]!, action: actions[0]!, actions };
  if (NESTED.has(kind)) return { type: "detail", kind, ids: rest };
  return undefined;
}

class Reply {
  constructor(
    readonly status: number,
    readonly body: Json | undefined,
    readonly headers: Record<string, string> = {},
  ) {}
}

export function createHandler(ctx: ServerContext) {
  const { store, lifecycle } = ctx;

  const credentialsOk = (header: string | undefined, allowPassword: boolean): "ok" | "missing" | "bad" => {
    if (!header || header.trim() === "") return "missing";
    const value = header.trim();
    const space = value.indexOf(" ");
    if (space < 0) return "bad";
    const scheme = value.slice(0, space).toLowerCase();
    const token = value.slice(space + 1).trim();
    let user: string | undefined;
    let secret: string;
    if (scheme === "apikey") {
      // `ApiKey user:key` (<= 0.20.1), `Apikey user:key` or `Apikey key` (0.20.2).
      const colon = token.indexOf(":");
      if (colon >= 0) {
        user = token.slice(0, colon);
        secret = token.slice(colon + 1);
      } else secret = token;
    } else if (scheme === "basic") {
      const decoded = Buffer.from(token, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon < 0) return "bad";
      user = decoded.slice(0, colon);
      secret = decoded.slice(colon + 1);
    } else return "bad";
    if (user !== undefined && user !== ctx.user) return "bad";
    if (secret === ctx.apikey) return "ok";
    if (allowPassword && scheme === "basic" && secret === ctx.password) return "ok";
    return "bad";
  };

  const lookup = (kind: ResourceName, ids: string[]): Entry => {
    const joined = ids.join("/");
    let entry = store.get(kind, joined);
    if (!entry && NESTED.has(kind)) {
      // Nested URI (`region/digitalocean/lon1/`) or the short form python-tutum's fetch() builds.
      entry = store.resolve(`${resources[kind].path}${joined}/`);
      if (entry && entry.kind !== kind) entry = undefined;
    }
    if (!entry) throw new ApiError(404, `No ${resources[kind].className.toLowerCase()} found for '${joined}'`);
    return entry;
  };

  const listReply = (
    kind: ResourceName,
    path: string,
    query: URLSearchParams,
    scope?: (e: Entry) => boolean,
  ): Reply => {
    const q = checkListQuery(kind, query);
    // `include_related` (actions) changes nothing here: every action is listed.
    const filters = q.filters.filter(([key]) => key !== "include_related");
    let entries = store.filter(kind, filters);
    if (scope) entries = entries.filter(scope);
    const total = entries.length;
    const page = entries.slice(q.offset, q.offset + q.limit);
    const link = (offset: number) => {
      const params = new URLSearchParams(query);
      params.set("limit", String(q.limit));
      params.set("offset", String(offset));
      return `${path}?${params.toString()}`;
    };
    return new Reply(200, {
      meta: {
        limit: q.limit,
        next: q.offset + q.limit < total ? link(q.offset + q.limit) : null,
        offset: q.offset,
        previous: q.offset > 0 ? link(Math.max(0, q.offset - q.limit)) : null,
        total_count: total,
      },
      objects: page.map((e) => view(e, "list")),
    });
  };

  const view = (entry: Entry, v: "list" | "detail"): JsonObject => {
    if (entry.kind === "Trigger" || entry.kind === "WebhookHandler") return { ...entry.data };
    return present(entry, v, ctx.shapes);
  };

  const outcomeReply = (o: Outcome): Reply => {
    const headers: Record<string, string> = {};
    if (o.action) headers[ACTION_URI_HEADER] = String(o.action.data.resource_uri);
    if (o.status === 204) return new Reply(204, undefined, headers);
    const body = o.entry ? view(o.entry, "detail") : (o.body ?? {});
    return new Reply(o.status, body, headers);
  };

  const noQuery = (query: URLSearchParams) => checkActionQuery(undefined, query);

  async function handle(req: IncomingMessage, raw: string): Promise<Reply> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    const method = (req.method ?? "GET").toUpperCase();
    const route = parseRoute(path);
    if (!route) {
      // Django's APPEND_SLASH: a GET without the trailing slash is redirected.
      if (!path.endsWith("/") && parseRoute(`${path}/`) && method === "GET") {
        return new Reply(301, undefined, { Location: `${path}/${url.search}` });
      }
      throw new ApiError(404, `No such resource: ${path}`);
    }
    const allowed = methodsOf(route);
    if (!allowed.includes(method as HttpMethod)) {
      throw new ApiError(405, `Method ${method} not allowed on ${path}`, { Allow: allowed.join(", ") });
    }
    const open = route.type === "sub" && route.call;
    if (!open) {
      const auth = credentialsOk(req.headers.authorization, route.type === "auth");
      if (auth !== "ok") {
        throw new ApiError(
          401,
          auth === "missing" ? "Authentication credentials were not provided" : "Invalid credentials",
          { "WWW-Authenticate": 'Basic realm="tutum"' },
        );
      }
    }
    const info: RequestInfo = {
      method,
      path,
      body: raw,
      userAgent: String(req.headers["user-agent"] ?? ""),
      ip: req.socket.remoteAddress ?? "127.0.0.1",
    };
    const body = method === "POST" || method === "PATCH" ? parseJsonBody(raw, req.headers["content-type"]) : undefined;
    const query = url.searchParams;

    switch (route.type) {
      case "auth":
        noQuery(query);
        return new Reply(200, {
          meta: { limit: 25, next: null, offset: 0, previous: null, total_count: 1 },
          objects: [{ username: ctx.user, key: ctx.apikey }],
        });
      case "collection": {
        if (method === "GET") {
          if (route.kind === "Tag") return tagList(query, path);
          return listReply(route.kind, path, query);
        }
        noQuery(query);
        return outcomeReply(lifecycle.create(route.kind, body, info));
      }
      case "detail": {
        const entry = lookup(route.kind, route.ids);
        noQuery(query);
        const actions = resources[route.kind].actions as readonly ActionMeta[];
        if (method === "GET") return new Reply(200, view(entry, "detail"));
        if (method === "PATCH")
          return outcomeReply(
            lifecycle.update(
              entry,
              body,
              info,
              actions.find((a) => a.kind === "update")!,
            ),
          );
        return outcomeReply(
          lifecycle.remove(
            entry,
            info,
            actions.find((a) => a.kind === "delete")!,
          ),
        );
      }
      case "segment": {
        const entry = lookup(route.kind, [route.id]);
        const action = route.actions.find((a) => a.method === method) ?? route.action;
        const params = checkActionQuery(action, query);
        if (action.kind === "read") {
          if (action.segment === "logs") return new Reply(200, { logs: lifecycle.logsOf(entry) });
          if (action.segment === "export") return new Reply(200, lifecycle.exportStack(entry));
          throw new ApiError(404, `No such resource: ${path}`);
        }
        return outcomeReply(lifecycle.act(entry, action, body, params, info));
      }
      case "sub": {
        const service = lookup("Service", [route.serviceId]);
        const serviceUri = String(service.data.resource_uri);
        if (!route.childId) {
          noQuery(query);
          if (method === "GET") return listReply(route.sub, path, query, (e) => e.parent === serviceUri);
          if (route.sub === "WebhookHandler") return outcomeReply(lifecycle.createWebhookHandlers(service, body));
          return outcomeReply(lifecycle.create("Trigger", body, info, service));
        }
        const child = store.get(route.sub, route.childId);
        if (!child || child.parent !== serviceUri)
          throw new ApiError(404, `No such ${route.sub.toLowerCase()}: ${route.childId}`);
        noQuery(query);
        if (route.call) return outcomeReply(lifecycle.callTrigger(child, info));
        if (method === "GET") return new Reply(200, view(child, "detail"));
        const del = (resources[route.sub].actions as readonly ActionMeta[]).find((a) => a.kind === "delete")!;
        return outcomeReply(lifecycle.remove(child, info, del));
      }
      case "imageTag": {
        const image = lookup("Image", [route.image]);
        noQuery(query);
        const tag = lifecycle.imageTag(image, route.tag);
        if (!tag) throw new ApiError(404, `No tag '${route.tag}' for image '${image.pk}'`);
        if (!route.build) return new Reply(200, tag);
        if (body !== undefined) throw new ApiError(400, "The build action takes no body");
        const action = lifecycle.recordAction("Image Build", image, info, true);
        return new Reply(202, tag, { [ACTION_URI_HEADER]: String(action.data.resource_uri) });
      }
    }
  }

  /** `GET tag/`: the node tags in use, `origin` user. */
  function tagList(query: URLSearchParams, path: string): Reply {
    const names = new Set<string>();
    for (const kind of ["Node", "NodeCluster"] as const) {
      for (const e of store.all(kind)) {
        for (const t of Array.isArray(e.data.tags) ? e.data.tags : []) {
          if (t && typeof t === "object" && !Array.isArray(t) && typeof t.name === "string") names.add(t.name);
        }
      }
    }
    const tags = new Store();
    for (const name of [...names].sort()) tags.insert("Tag", { name, origin: "user" });
    const q = checkListQuery("Tag", query);
    const found = tags.filter("Tag", q.filters);
    const page = found.slice(q.offset, q.offset + q.limit);
    const link = (offset: number) => `${path}?limit=${q.limit}&offset=${offset}`;
    return new Reply(200, {
      meta: {
        limit: q.limit,
        next: q.offset + q.limit < found.length ? link(q.offset + q.limit) : null,
        offset: q.offset,
        previous: q.offset > 0 ? link(Math.max(0, q.offset - q.limit)) : null,
        total_count: found.length,
      },
      objects: page.map((e) => ({ ...e.data })),
    });
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => {
      const send = (reply: Reply) => {
        const headers: Record<string, string> = { ...reply.headers };
        let payload: string | undefined;
        if (reply.body !== undefined) {
          payload = JSON.stringify(reply.body);
          headers["Content-Type"] = "application/json";
          headers["Content-Length"] = String(Buffer.byteLength(payload));
        }
        res.writeHead(reply.status, headers);
        res.end(payload);
      };
      if (tooLarge) {
        send(new Reply(413, { error: "Request body too large" }));
        return;
      }
      handle(req, Buffer.concat(chunks).toString("utf8"))
        .then(send)
        .catch((error: unknown) => {
          if (error instanceof ApiError) send(new Reply(error.status, { error: error.message }, error.headers));
          else if (error instanceof FilterError) send(new Reply(400, { error: error.message }));
          else send(new Reply(500, { error: `Internal error of the simulator: ${String(error)}` }));
        });
    });
    req.on("error", () => res.destroy());
  };
}
