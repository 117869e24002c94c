// `@nimbus-sdk/ovirt/testing`: a stateful oVirt engine simulator on 127.0.0.1. No engine can run in
// a test, so this package ships one: the SSO, the v4 REST API generated from the same model as the SDK
// (every service of the tree answers), VMs whose status changes over time, disks that stay locked
// while they are created, jobs, the engine's faults, and failures on demand.
import { randomBytes } from "node:crypto";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { AbortError } from "@nimbus-sdk/common";
import { listenOnLoopback, type StartServerOptions, type TestServer } from "@nimbus-sdk/common/testing";
import { Engine, type ProductVersion } from "./engine.js";
import { seedEngine } from "./seed.js";
import {
  API_PREFIX,
  createHandler,
  LOGOUT_PATH,
  TOKEN_PATH,
  type InjectedFailure,
  type RecordedRequest,
  type ServerContext,
} from "./server.js";
import { Sso } from "./sso.js";
import { makeSelfSignedIdentity, type TlsIdentity } from "./tls.js";
import type { WireRecord } from "./xml.js";

export type { InjectedFailure, RecordedRequest } from "./server.js";
export type { WireRecord, WireValue } from "./xml.js";
export type { ProductVersion } from "./engine.js";

/** Options of {@link startEngine}: https or http, how fast states move, the version, and what to seed. */
export interface EngineSimulatorOptions extends Omit<StartServerOptions, "allowInstall"> {
  /** `https` (default: a self-signed certificate made by openssl, returned as `caFile`) or `http`. */
  protocol?: "https" | "http";
  /** Default `admin@internal`. */
  username?: string;
  /** Default: random. */
  password?: string;
  /** How long each status step lasts (down -> wait_for_launch -> powering_up -> up, disk locked -> ok), ms. Default 200. */
  stepMs?: number;
  /** How long an SSO token lives, ms. Default: a day (`expireTokens()` ends them at once). */
  tokenLifetimeMs?: number;
  /** Seed the Default data center and cluster, a host, storage, ovirtmgmt, Blank and a VM `python_vm` (default true). */
  seed?: boolean;
  /** What `<product_info>` reports (default 4.5.5). */
  version?: Partial<ProductVersion>;
}

/** The simulator's state, as stored: wire member names, values as wire text. */
export interface EngineState {
  /** The entities of a collection path (`vms`, `vms/<id>/nics`, `jobs`), copies in the order they were added. */
  list(collection: string): WireRecord[];
  get(collection: string, id: string): WireRecord | undefined;
  /** The first entity of a collection with this name. */
  find(collection: string, name: string): WireRecord | undefined;
  /** Changes members behind the API's back (a host `non_responsive`, a VM `paused`); false for an unknown entity. */
  tamper(collection: string, id: string, members: WireRecord): boolean;
  /** SSO tokens issued (a client renewing once after a 401 asks twice), revoked by logout, still valid. */
  readonly tokens: { readonly issued: number; readonly revoked: number; readonly active: number };
  /** The last 500 requests, oldest first (`authorization` redacted). */
  readonly requests: readonly RecordedRequest[];
}

/** A running engine simulator on 127.0.0.1: its API URL, credentials, CA file, recorded requests and `stop()`. */
export interface EngineSimulator extends TestServer, AsyncDisposable {
  /** The API entry point, `https://127.0.0.1:<port>/ovirt-engine/api`. */
  url: string;
  /** `https://127.0.0.1:<port>/ovirt-engine/sso/oauth/token`. */
  ssoUrl: string;
  /** `https://127.0.0.1:<port>/ovirt-engine/services/sso-logout`. */
  logoutUrl: string;
  username: string;
  password: string;
  credentials: { username: string; password: string };
  /** The PEM file of the self-signed certificate (https only), for a client's `caFile`. */
  caFile?: string;
  stepMs: number;
  state: EngineState;
  /** Ends every SSO session: the next API request answers 401, and a client must log in again. */
  expireTokens(): void;
  /** The next `count` (default 1) requests to the API (or the SSO) get `failure` instead of their answer. */
  failNext(failure: InjectedFailure, options?: { count?: number; target?: "api" | "sso" }): void;
  /** Resolves once every pending status change has happened. */
  idle(): Promise<void>;
  /**
   * Holds every pending status change until the returned function is called: a test can look at a
   * transitional status without racing `stepMs` on a slow machine.
   */
  hold(): () => void;
  /** Stops listening, cancels pending changes, removes the certificate; calling it again does nothing. */
  close(): Promise<void>;
  /** The same as close(), by the name every package's test server has. */
  stop(): Promise<void>;
}

const DEFAULT_VERSION: ProductVersion = { major: 4, minor: 5, build: 5, revision: 1, full: "4.5.5-1.el8" };

/**
 * Starts the schema-checking oVirt engine simulator on 127.0.0.1: API v4's XML, checked against the model,
 * with the SSO, states that move on their own, and recorded requests.
 *
 * @param options - https or http, how fast states move, the version and the seed.
 * @example
 * ```ts
 * import { API } from "@nimbus-sdk/ovirt";
 * import { startEngine } from "@nimbus-sdk/ovirt/testing";
 * await using engine = await startEngine({ stepMs: 10 });
 * const api = await API.connect({ url: engine.url, ...engine.credentials, caFile: engine.caFile });
 * console.log((await api.vms.list()).length);
 * ```
 */
export async function startEngine(options: EngineSimulatorOptions = {}): Promise<EngineSimulator> {
  const signal = options.signal;
  const cancelled = () =>
    new AbortError("starting the oVirt engine simulator was cancelled", { cause: signal?.reason });
  if (signal?.aborted) throw cancelled();
  const username = options.username ?? "admin@internal";
  const password = options.password ?? randomBytes(12).toString("base64url");
  const stepMs = options.stepMs ?? 200;
  if (!username.includes("@")) throw new TypeError(`username '${username}' needs a profile, as in admin@internal`);
  if (!(stepMs >= 0)) throw new TypeError("stepMs must be >= 0");
  const protocol = options.protocol ?? "https";

  const tls: TlsIdentity | undefined = protocol === "https" ? await makeSelfSignedIdentity(signal) : undefined;
  let origin = `${protocol}://127.0.0.1`;
  const engine = new Engine({ stepMs, origin: () => origin, version: { ...DEFAULT_VERSION, ...options.version } });
  if (options.seed !== false) seedEngine(engine, { withVm: true });
  const sso = new Sso(username, password, options.tokenLifetimeMs ?? 24 * 3600 * 1000);
  const ctx: ServerContext = { engine, sso, failures: [], requests: [] };
  const handler = createHandler(ctx);
  const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createHttpServer(handler);

  let port: number;
  try {
    port = await listenOnLoopback(server, { port: options.port, signal, what: "the oVirt engine simulator" });
  } catch (error) {
    engine.stop();
    await tls?.remove();
    throw error;
  }
  origin = `${protocol}://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      signal?.removeEventListener("abort", onStopSignal);
      engine.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await tls?.remove();
    })();
    return closing;
  };
  const onStopSignal = () => void close();
  signal?.addEventListener("abort", onStopSignal, { once: true });

  const { store } = engine;
  const copy = (record: WireRecord | undefined) => (record ? structuredClone(record) : undefined);
  const state: EngineState = {
    list: (collection) => store.list(collection).map((e) => structuredClone(e.record)),
    get: (collection, id) => copy(store.get(collection, id)?.record),
    find: (collection, name) => copy(store.list(collection).find((e) => e.record.name === name)?.record),
    tamper(collection, id, members) {
      const entity = store.get(collection, id);
      if (!entity) return false;
      Object.assign(entity.record, structuredClone(members));
      return true;
    },
    tokens: {
      get issued() {
        return sso.issued;
      },
      get revoked() {
        return sso.revoked;
      },
      get active() {
        return sso.active;
      },
    },
    requests: ctx.requests,
  };

  return {
    url: `${origin}${API_PREFIX}`,
    ssoUrl: `${origin}${TOKEN_PATH}`,
    logoutUrl: `${origin}${LOGOUT_PATH}`,
    username,
    password,
    credentials: { username, password },
    caFile: tls?.caFile,
    stepMs,
    state,
    expireTokens: () => sso.expireAll(),
    failNext(failure, { count = 1, target = "api" } = {}) {
      for (let i = 0; i < count; i++) ctx.failures.push({ failure, target });
    },
    idle: () => engine.idle(),
    hold: () => engine.hold(),
    close,
    stop: close,
    [Symbol.asyncDispose]: close,
  };
}

/** `startEngine` under the name every package's `/testing` entry uses. */
export const startServer: (options?: EngineSimulatorOptions) => Promise<EngineSimulator> = startEngine;
