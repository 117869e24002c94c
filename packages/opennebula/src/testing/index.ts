// `@nimbus-sdk/opennebula/testing`: a stateful oned simulator on 127.0.0.1. It speaks XML-RPC on
// /RPC2 as oned 7.0 does (the same faults, failure arrays and messages), keeps a small cloud whose
// VMs move through oned's LCM states over time, and writes every document in the shape its XSD
// demands. No oned can run in a test, so this is what the SDK's tests (and yours) run against.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { AbortError, ParseError } from "@nimbus-sdk/common";
import {
  ensureDebianPackages,
  listenOnLoopback,
  type StartServerOptions,
  type TestServer,
} from "@nimbus-sdk/common/testing";
import { decodeMethodCall } from "../xmlrpc/decode.js";
import { encodeFault, encodeMethodResponse } from "../xmlrpc/encode.js";
import { FAULT, RpcFault } from "./failure.js";
import type { Kind, ObjectOf } from "./objects.js";
import { dispatch, readOnly, type Simulator } from "./rpc.js";
import { seedVms, seedWorld, type SeedVmsOptions } from "./seed.js";
import { Lifecycle } from "./vm.js";
import { World } from "./world.js";

export { World, type Caller } from "./world.js";
export { OneTemplate, TemplateParseError, type Attribute, type VectorValue } from "./template.js";
export type { Kind, ObjectOf, OneObject, VmObject } from "./objects.js";
export type { SeedVmsOptions } from "./seed.js";
export { SchemaViolation } from "./document.js";

/** The Debian packages the schema conformance tests use (`xmllint`). */
export const OPENNEBULA_TEST_PACKAGES: readonly string[] = ["libxml2-utils"];

/** Installs the missing packages when running as root and allowed, otherwise a ConfigError names the command. */
export function ensureOpenNebulaTestPackages(
  options: { allowInstall?: boolean } = {},
  packages: readonly string[] = OPENNEBULA_TEST_PACKAGES,
): void {
  ensureDebianPackages(packages, options);
}

/** Options of the simulator's {@link startServer}. */
export interface OneSimulatorOptions extends StartServerOptions {
  /** oneadmin's password (default: random). */
  adminPassword?: string;
  /** The normal user of group "users" (default `user` with a random password). */
  user?: { name?: string; password?: string };
  /** How long each transitional state lasts (PROLOG, BOOT, SHUTDOWN …, a new host's INIT), in ms. Default 100. */
  transitionMs?: number;
  /** Deploy PENDING VMs on a monitored host by themselves, as oned's scheduler does (default true). */
  scheduler?: boolean;
  /** Running VMs to create before listening (for benchmarks), owned by oneadmin. */
  vms?: number;
  /** Largest request body accepted, in bytes (default 64 MiB). */
  maxRequestBytes?: number;
}

/** A running oned simulator: its endpoint, oneadmin's session, its world of objects, and `stop()`. */
export interface OneTestServer extends TestServer, AsyncDisposable {
  /** The XML-RPC endpoint, `http://127.0.0.1:<port>/RPC2` (what ONE_XMLRPC holds). */
  url: string;
  /** The same as `url`, under the name OneServer's first argument has. */
  endpoint: string;
  /** oneadmin's session, `oneadmin:<password>`. */
  session: string;
  /** A session per seeded user: `oneadmin`, and the normal user (`user` unless renamed). */
  users: Readonly<Record<string, string>>;
  credentials: { username: string; password: string };
  transitionMs: number;
  /** The simulated cloud: pools by kind, to inspect or tamper with behind the API's back. */
  state: World;
  /** An object as the simulator holds it. */
  inspect<K extends Kind>(kind: K, id: number): ObjectOf<K> | undefined;
  /** Adds `count` RUNNING VMs (a disk and a NIC each) and returns their ids. */
  seedVms(count: number, options?: SeedVmsOptions): number[];
  /** Resolves once no transition is pending. */
  idle(): Promise<void>;
  /**
   * Spoils the next answer (whatever the call), to see what a client makes of it: "truncated" sends the
   * first half of the real answer, "html" a proxy's 502 page with status 200.
   */
  breakNextAnswer(how: BrokenAnswer): void;
  /** Problems of the simulator itself (a document its XSD would refuse …); empty in a good run. */
  errors(): Error[];
  /** Stops listening, closes connections, cancels transitions; calling it again does nothing. */
  close(): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_MAX_REQUEST = 64 * 1024 * 1024;

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = "text/xml; charset=utf-8"): void {
  res.writeHead(status, {
    "Content-Type": type,
    "Content-Length": Buffer.byteLength(body),
    Server: "Xmlrpc-c_Abyss/1.51.0",
  });
  res.end(body);
}

/**
 * The last answers to read-only calls (info methods), by request body, while nothing changed and no
 * login token expired: a benchmark asking for the same 10,000-VM pool again gets it at once.
 */
class AnswerCache {
  private readonly answers = new Map<string, Buffer>();
  private version = -1;
  constructor(private readonly world: World) {}

  get(body: string): Buffer | undefined {
    if (this.version !== this.world.version || this.world.now() >= this.world.nextTokenExpiry()) {
      this.answers.clear();
      this.version = this.world.version;
    }
    return this.answers.get(body);
  }

  set(body: string, answer: Buffer): void {
    if (this.answers.size >= 16) this.answers.clear();
    this.answers.set(body, answer);
  }
}

/** How the next answer is spoiled, to show clients' errors: cut in half, or a proxy's HTML page instead. */
export type BrokenAnswer = "truncated" | "html";

function handler(sim: Simulator, maxBytes: number, errors: Error[], spoil: { next?: BrokenAnswer }) {
  const cache = new AnswerCache(sim.world);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    if (path !== "/RPC2") return send(res, 404, "Not Found", "text/plain");
    if (req.method !== "POST") return send(res, 405, "Method Not Allowed", "text/plain");
    const body = await readBody(req, maxBytes);
    if (!body) return send(res, 413, "Request Entity Too Large", "text/plain");
    const broken = spoil.next;
    spoil.next = undefined;
    if (broken === "html") {
      return send(res, 200, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
    }
    const text = body.toString("utf8");
    if (broken === "truncated") {
      const call = decodeMethodCall(text, { maxBytes });
      const whole = Buffer.from(encodeMethodResponse(dispatch(sim, call.methodName, call.params)));
      return send(res, 200, whole.subarray(0, whole.length >> 1));
    }
    const cached = cache.get(text);
    if (cached) return send(res, 200, cached);
    let answer: string;
    try {
      const call = decodeMethodCall(text, { maxBytes });
      const version = sim.world.version;
      answer = encodeMethodResponse(dispatch(sim, call.methodName, call.params));
      if (readOnly(call.methodName) && sim.world.version === version) {
        const bytes = Buffer.from(answer);
        cache.set(text, bytes);
        return send(res, 200, bytes);
      }
    } catch (error) {
      if (error instanceof RpcFault) {
        answer = encodeFault(error.faultCode, error.faultString);
      } else if (error instanceof ParseError) {
        answer = encodeFault(FAULT.PARSE, `Call XML not a proper XML-RPC call.  ${error.message}`);
      } else {
        errors.push(error as Error);
        return send(res, 500, `OpenNebula simulator error: ${(error as Error).message}`, "text/plain");
      }
    }
    send(res, 200, answer);
  };
}

/**
 * Starts the schema-checking oned simulator on 127.0.0.1: XML-RPC answers as oned 7.0.2 gives them,
 * checked against the XSDs. Stop it with `stop()` or `await using`.
 *
 * @param options - oneadmin's password, the port, and what to seed.
 * @example
 * ```ts
 * import { OneServer } from "@nimbus-sdk/opennebula";
 * import { startServer } from "@nimbus-sdk/opennebula/testing";
 * await using server = await startServer();
 * const one = new OneServer(server.endpoint, { session: server.session });
 * console.log((await one.vmpool.info(-2, -1, -1, -1)).VM.length);
 * ```
 */
export async function startServer(options: OneSimulatorOptions = {}): Promise<OneTestServer> {
  const signal = options.signal;
  if (signal?.aborted)
    throw new AbortError("starting the OpenNebula simulator was cancelled", { cause: signal.reason });
  const transitionMs = options.transitionMs ?? 100;
  if (!(transitionMs >= 0)) throw new TypeError("transitionMs must be >= 0");
  const adminPassword = options.adminPassword ?? randomBytes(12).toString("hex");
  const userName = options.user?.name ?? "user";
  const userPassword = options.user?.password ?? randomBytes(12).toString("hex");

  const world = new World();
  const lifecycle = new Lifecycle(world, { transitionMs, scheduler: options.scheduler ?? true });
  seedWorld(world, { adminPassword, user: { name: userName, password: userPassword } });
  if (options.vms) seedVms(world, options.vms);
  const sim: Simulator = { world, lifecycle };
  const errors: Error[] = [];

  const spoil: { next?: BrokenAnswer } = {};
  const handle = handler(sim, options.maxRequestBytes ?? DEFAULT_MAX_REQUEST, errors, spoil);
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      errors.push(error);
      if (!res.headersSent) send(res, 500, `OpenNebula simulator error: ${error.message}`, "text/plain");
    });
  });
  const port = await listenOnLoopback(server, { port: options.port, signal, what: "the OpenNebula simulator" });
  const url = `http://127.0.0.1:${port}/RPC2`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      signal?.removeEventListener("abort", onStopSignal);
      lifecycle.stop();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };
  const onStopSignal = () => void close();
  signal?.addEventListener("abort", onStopSignal, { once: true });

  const session = `oneadmin:${adminPassword}`;
  return {
    url,
    endpoint: url,
    session,
    users: { oneadmin: session, [userName]: `${userName}:${userPassword}` },
    credentials: { username: "oneadmin", password: adminPassword },
    transitionMs,
    state: world,
    inspect: (kind, id) => world.get(kind, id),
    seedVms: (count, seedOptions) => seedVms(world, count, seedOptions).map((vm) => vm.id),
    idle: () => lifecycle.idle(),
    breakNextAnswer: (how) => {
      spoil.next = how;
    },
    errors: () => [...errors],
    close,
    stop: close,
    [Symbol.asyncDispose]: close,
  };
}
