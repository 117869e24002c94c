import { createServer, request as httpRequest, Agent, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { ValidationError } from "../errors/index.js";
import { listenOnLoopback } from "./ports.js";

/**
 * What the fault proxy can do to one request.
 * - `reset-before-body`: the request reaches the server, then the client's connection is reset before any
 *   byte of the response (a write may have happened; the client cannot know).
 * - `reset-during-body`: the server's status line, headers and half its body, then a reset.
 * - `truncate`: the server's headers with a Content-Length, fewer body bytes, then a clean close.
 * - `status`: the proxy answers 429, 502 or 503 with `Retry-After` itself; the server never sees the request.
 * - `stall`: the server's status line and headers, then silence until the client gives up (or `stop()`).
 * - `garbage`: the request reaches the server; the client gets bytes that are not HTTP, then a close.
 * - `html`: the request reaches the server; the client gets an HTML page (a gateway's) instead of its answer.
 * - `kill-session`: the proxy awaits `killSession()` (the test's way to end the server's login sessions),
 *   then forwards the request untouched.
 */
export type FaultKind =
  "reset-before-body" | "reset-during-body" | "truncate" | "status" | "stall" | "garbage" | "html" | "kill-session";

/** A fault with its parameters; a bare {@link FaultKind} means its defaults. */
export type Fault =
  | { kind: Exclude<FaultKind, "status" | "html"> }
  /** `status` defaults to 503, `retryAfter` (seconds, or an HTTP date) to 1. */
  | { kind: "status"; status?: number; retryAfter?: number | string }
  /** `status` defaults to 200: a captive portal or a misrouted gateway answering "success". */
  | { kind: "html"; status?: number };

/** One request as a plan sees it. */
export interface FaultRequest {
  /** 1-based position among every request the proxy received. */
  seq: number;
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: IncomingMessage["headers"];
}

/** One line of a fault plan: the first rule whose conditions all hold picks the fault. */
export interface FaultRule {
  fault: Fault | FaultKind;
  /** Only these methods (case-insensitive). */
  method?: string | readonly string[];
  /** A string matches paths that start with it; a RegExp is tested against path and query. */
  path?: string | RegExp;
  /** Only the nth requests (1-based) among those matching `method` and `path`. */
  nth?: number | readonly number[];
  /** Probability (0..1) per matching request, drawn from the proxy's seeded generator. */
  rate?: number;
  /** At most this many injections by this rule. */
  times?: number;
}

/** A list of rules, or a function that picks a fault (or none) per request. */
export type FaultPlan = readonly FaultRule[] | ((request: FaultRequest) => Fault | FaultKind | undefined);

/** What the proxy did with one request. */
export interface FaultRecord extends Omit<FaultRequest, "headers"> {
  /** The fault injected, or `none` when the request passed through. */
  fault: FaultKind | "none";
  /** Whether the request reached the target. */
  forwarded: boolean;
  /** The target's status, when it answered. */
  upstreamStatus?: number;
  /** Why the target could not be reached (the client's connection is then reset). */
  upstreamError?: string;
}

/** How one call went under one fault (see {@link FaultProxy.trial}). */
export interface FaultTrial<T> {
  /** What the call resolved to, when it did. */
  value?: T;
  /** What it threw, when it did. */
  error?: unknown;
  failed: boolean;
  /** How long it took, ms. */
  ms: number;
  /** How many faults were injected meanwhile (0 when no request matched). */
  injected: number;
}

/** Options of {@link startFaultProxy}: the target origin and the faults to inject. */
export interface FaultProxyOptions {
  /** The one origin every request is forwarded to, e.g. `http://127.0.0.1:5000`. */
  target: string;
  /** Default: no fault (a pass-through proxy). `setFaults()` replaces it later. */
  faults?: FaultPlan;
  /** Seed of the generator behind `rate` (default 1): the same seed and requests give the same faults. */
  seed?: number;
  /** Ends the target's login sessions, for `kill-session`. */
  killSession?: () => void | Promise<void>;
  /** Port on 127.0.0.1; default: a free one. */
  port?: number;
  /** Aborting it before the proxy listens cancels the start; after, it stops the proxy. */
  signal?: AbortSignal;
}

/** A running fault-injecting proxy (see {@link startFaultProxy}): its URL, the requests it saw, and its faults. */
export interface FaultProxy extends AsyncDisposable {
  /** `http://127.0.0.1:<port>`: point the client here instead of the target. */
  readonly url: string;
  /** Every request so far, in arrival order. */
  readonly records: readonly FaultRecord[];
  /** How many faults were injected (of one kind, or of all). */
  injected(kind?: FaultKind): number;
  /** Replaces the plan; rule counters (`nth`, `times`) start again. */
  setFaults(faults: FaultPlan | undefined): void;
  /**
   * Runs `call` with `fault` injected into its first request that matches `where`, then puts the plan
   * back; never throws what `call` throws, but reports it.
   */
  trial<T>(
    fault: Fault | FaultKind,
    where: Omit<FaultRule, "fault" | "times">,
    call: () => Promise<T>,
  ): Promise<FaultTrial<T>>;
  /** `url` with the target's origin replaced by the proxy's (other URLs are returned unchanged). */
  rewrite(url: string): string;
  /** Closes the listener, every client and target connection, and stalled answers. Calling it again does nothing. */
  stop(): Promise<void>;
}

/** One of each fault, with 429, 502 and 503 each: what a suite runs every call through. */
export const EVERY_FAULT: readonly Fault[] = [
  { kind: "reset-before-body" },
  { kind: "reset-during-body" },
  { kind: "truncate" },
  { kind: "status", status: 429 },
  { kind: "status", status: 502 },
  { kind: "status", status: 503 },
  { kind: "stall" },
  { kind: "garbage" },
  { kind: "html" },
  { kind: "kill-session" },
];

const KINDS: readonly FaultKind[] = [
  "reset-before-body",
  "reset-during-body",
  "truncate",
  "status",
  "stall",
  "garbage",
  "html",
  "kill-session",
];

// Hop-by-hop headers describe one connection; the proxy sets its own on each side.
// `expect` too: the proxy has already answered 100-continue and sends the target the whole body.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "proxy-connection",
  "te",
  "expect",
]);

const GARBAGE = Buffer.from("\x00\x13\x37SSH-2.0-not-http\r\n\xff\xfe", "latin1");

const HTML_PAGE =
  "<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head>" +
  "<body><h1>Service Unavailable</h1><p>The gateway could not reach the application.</p></body></html>\n";

function normalize(fault: Fault | FaultKind): Fault {
  const value = typeof fault === "string" ? ({ kind: fault } as Fault) : fault;
  if (!KINDS.includes(value.kind)) throw new ValidationError(`unknown fault kind '${String(value.kind)}'`);
  return value;
}

// mulberry32: small, fast and the same on every platform, which is all a test plan needs.
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface CompiledPlan {
  pick(request: FaultRequest): Fault | undefined;
  usesKillSession: boolean;
}

function compile(plan: FaultPlan | undefined, random: () => number): CompiledPlan {
  if (plan === undefined) return { pick: () => undefined, usesKillSession: false };
  if (typeof plan === "function") {
    return {
      pick: (request) => {
        const fault = plan(request);
        return fault === undefined ? undefined : normalize(fault);
      },
      usesKillSession: false,
    };
  }
  const rules = plan.map((rule) => {
    if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) {
      throw new ValidationError(`rate must be between 0 and 1, got ${rule.rate}`);
    }
    const methods = rule.method === undefined ? undefined : [rule.method].flat().map((m) => m.toUpperCase());
    const nth = rule.nth === undefined ? undefined : new Set([rule.nth].flat());
    return { rule, fault: normalize(rule.fault), methods, nth, seen: 0, injected: 0 };
  });
  return {
    usesKillSession: rules.some((r) => r.fault.kind === "kill-session"),
    pick: (request) => {
      let picked: (typeof rules)[number] | undefined;
      for (const r of rules) {
        if (r.methods && !r.methods.includes(request.method.toUpperCase())) continue;
        const { path } = r.rule;
        if (typeof path === "string" && !request.path.startsWith(path)) continue;
        if (path instanceof RegExp && !path.test(request.path)) continue;
        // Every matching rule counts the request, so `nth` does not depend on the rules before it.
        r.seen += 1;
        if (picked) continue;
        if (r.nth && !r.nth.has(r.seen)) continue;
        if (r.rule.times !== undefined && r.injected >= r.rule.times) continue;
        if (r.rule.rate !== undefined && !(random() < r.rule.rate)) continue;
        picked = r;
      }
      if (!picked) return undefined;
      picked.injected += 1;
      return picked.fault;
    },
  };
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function forwardHeaders(headers: IncomingMessage["headers"]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

/**
 * Starts an HTTP/1.1 proxy on 127.0.0.1 that forwards every request to one `target` and injects the
 * faults its plan picks: resets, truncated and stalled bodies, 429/502/503 with Retry-After, non-HTTP
 * bytes, HTML pages, killed sessions. It records what it did with each request, so a test can assert
 * both the client's behaviour and how many faults it really met. Bodies are buffered whole (this is a
 * test tool for small payloads), and only built-in modules are used.
 *
 * @example
 * ```ts
 * import { Transport } from "@nimbus-sdk/common";
 * import { startFaultProxy } from "@nimbus-sdk/common/testing";
 * const proxy = await startFaultProxy({ target: "http://127.0.0.1:5000", faults: [{ method: "GET", nth: 2, fault: "truncate" }] });
 * try {
 *   const transport = new Transport({ baseUrl: proxy.url, userAgent: { package: "my-test", version: "1.0.0" } });
 *   // ... calls; each must succeed or throw a NimbusError
 *   await transport.json({ url: "/items" });
 *   await transport.json({ url: "/items" });
 *   console.log(proxy.injected("truncate")); // 1
 * } finally {
 *   await proxy.stop();
 * }
 * ```
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  if (target.protocol !== "http:") throw new ValidationError(`target must be an http:// URL, got ${target.protocol}`);
  const random = generator(options.seed ?? 1);
  const setPlan = (faults: FaultPlan | undefined): CompiledPlan => {
    const compiled = compile(faults, random);
    if (compiled.usesKillSession && !options.killSession) {
      throw new ValidationError("a 'kill-session' fault needs the killSession option");
    }
    return compiled;
  };
  let plan = setPlan(options.faults);
  const records: FaultRecord[] = [];
  const sockets = new Set<Socket>();
  const resets = new Set<NodeJS.Timeout>();
  const agent = new Agent({ keepAlive: true });
  let stopped: Promise<void> | undefined;
  let seq = 0;

  const upstream = (req: IncomingMessage, body: Buffer) =>
    new Promise<{ response: IncomingMessage; body: Buffer }>((resolve, reject) => {
      const headers = forwardHeaders(req.headers);
      headers.host = target.host;
      if (body.length > 0 || req.headers["content-length"] !== undefined)
        headers["content-length"] = String(body.length);
      const outgoing = httpRequest(
        { agent, host: target.hostname, port: target.port || 80, method: req.method, path: req.url, headers },
        (response) => readAll(response).then((data) => resolve({ response, body: data }), reject),
      );
      outgoing.once("error", reject);
      outgoing.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    seq += 1;
    const request: FaultRequest = { seq, method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers };
    // Picked on arrival, before the body, so that concurrent requests are counted in the order they came.
    const fault = plan.pick(request);
    const record: FaultRecord = {
      seq,
      method: request.method,
      path: request.path,
      fault: fault?.kind ?? "none",
      forwarded: false,
    };
    records.push(record);
    const socket = req.socket;
    const body = await readAll(req);

    if (fault?.kind === "status") {
      const status = fault.status ?? 503;
      const text = `injected ${status}\n`;
      res.writeHead(status, {
        "retry-after": String(fault.retryAfter ?? 1),
        "content-type": "text/plain",
        "content-length": Buffer.byteLength(text),
      });
      res.end(text);
      return;
    }
    if (fault?.kind === "kill-session") {
      // A plan function can pick it without the hook: say so rather than pretend a session ended.
      if (!options.killSession) {
        record.upstreamError = "kill-session needs the killSession option";
        socket.destroy();
        return;
      }
      await options.killSession();
    }
    if (stopped) return;

    let answer: { response: IncomingMessage; body: Buffer };
    record.forwarded = true;
    try {
      answer = await upstream(req, body);
    } catch (error) {
      record.upstreamError = (error as Error).message;
      socket.destroy();
      return;
    }
    const { response } = answer;
    record.upstreamStatus = response.statusCode;
    const headers = forwardHeaders(response.headers);
    // HEAD and 204/304 carry the target's Content-Length without a body: keep it as it was.
    const bodiless = request.method === "HEAD" || response.statusCode === 204 || response.statusCode === 304;
    if (!bodiless) headers["content-length"] = String(answer.body.length);
    const half = answer.body.subarray(0, Math.floor(answer.body.length / 2));
    // Headers go out at once, so that a reset or close right after comes after them on the wire.
    const sendHead = () => {
      res.writeHead(response.statusCode ?? 502, response.statusMessage, headers);
      res.flushHeaders();
    };

    switch (fault?.kind) {
      case "reset-before-body":
        socket.resetAndDestroy();
        return;
      case "reset-during-body":
        sendHead();
        res.write(half, () => {
          // A reset that overtakes unread bytes reads as a clean end on Linux: give the client a moment first.
          const timer = setTimeout(() => {
            resets.delete(timer);
            socket.resetAndDestroy();
          }, 20);
          resets.add(timer);
        });
        return;
      case "truncate":
        // A body of one byte or none cannot be cut shorter than its length; claim one more byte.
        if (!bodiless && answer.body.length < 2) headers["content-length"] = String(answer.body.length + 1);
        sendHead();
        res.write(bodiless ? Buffer.alloc(0) : answer.body.length < 2 ? answer.body : half, () => socket.end());
        return;
      case "stall":
        sendHead();
        return;
      case "garbage":
        socket.end(GARBAGE);
        return;
      case "html":
        res.writeHead(fault.status ?? 200, {
          "content-type": "text/html; charset=utf-8",
          "content-length": Buffer.byteLength(HTML_PAGE),
        });
        res.end(HTML_PAGE);
        return;
      default:
        res.writeHead(response.statusCode ?? 502, response.statusMessage, headers);
        res.end(bodiless ? undefined : answer.body);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    // A client reset is a normal event here; without a listener it would be thrown.
    socket.on("error", () => undefined);
  });
  server.on("clientError", (_error, socket) => socket.destroy());

  const port = await listenOnLoopback(server, { port: options.port, signal: options.signal, what: "the fault proxy" });
  const url = `http://127.0.0.1:${port}`;
  const onAbort = () => void proxy.stop();

  const proxy: FaultProxy = {
    url,
    records,
    injected: (kind) => records.filter((r) => r.fault !== "none" && (kind === undefined || r.fault === kind)).length,
    setFaults(faults) {
      plan = setPlan(faults);
    },
    async trial(fault, where, call) {
      const previous = plan;
      const before = proxy.injected();
      plan = setPlan([{ ...where, fault, times: 1 }]);
      const started = performance.now();
      try {
        return {
          value: await call(),
          failed: false,
          ms: performance.now() - started,
          injected: proxy.injected() - before,
        };
      } catch (error) {
        return { error, failed: true, ms: performance.now() - started, injected: proxy.injected() - before };
      } finally {
        plan = previous;
      }
    },
    rewrite(value) {
      if (value.startsWith(target.origin)) return url + value.slice(target.origin.length);
      const parsed = new URL(value);
      return parsed.origin === target.origin ? url + parsed.pathname + parsed.search + parsed.hash : value;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        options.signal?.removeEventListener("abort", onAbort);
        server.close(() => resolve());
        for (const timer of resets) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        agent.destroy();
      });
      return stopped;
    },
    [Symbol.asyncDispose]: () => proxy.stop(),
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  return proxy;
}
