// `@nimbus-sdk/tutum/testing`: a stateful Tutum API simulator on 127.0.0.1. Tutum's service is gone,
// so this package ships the server its tests (and yours) run against. It checks what it receives as
// Tutum did and answers in the shapes of Tutum's real payloads.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { AbortError } from "@nimbus-sdk/common";
import { listenOnLoopback, type StartServerOptions, type TestServer } from "@nimbus-sdk/common/testing";
import { Lifecycle, type SimulatorEvent, type SimulatorLogLine } from "./lifecycle.js";
import { seedActions, seedCatalogue } from "./seed.js";
import { createHandler } from "./server.js";
import { present, type PayloadShapes } from "./shapes.js";
import { Store, type Json, type JsonObject } from "./store.js";
import { attachStreams } from "./streams.js";

export type { PayloadShapes } from "./shapes.js";
export type { SimulatorEvent, SimulatorLogLine } from "./lifecycle.js";

/** Options of the simulator's {@link startServer}. */
export interface TutumServerOptions extends StartServerOptions {
  /** Port on 127.0.0.1; default: a free one. */
  port?: number;
  /** Account name (default `tutumuser`). */
  user?: string;
  /** API key (default: 40 random hex digits, as Tutum's). */
  apikey?: string;
  /** Password for `GET /api/v1/auth/` with Basic user:password (default: random). */
  password?: string;
  /** How long transitional states last (Starting, Scaling, Stopping, Terminating ...), in ms. Default 300. */
  transitionMs?: number;
  /** Payload shapes: "2015" (python-tutum 0.13+, default) or "2014" (the first service-era payloads). */
  shapes?: PayloadShapes;
  /** Seed a deployed node cluster with one node and a short action history (default true). */
  seed?: boolean;
  /** Cancels the start; once started, aborting stops the server. */
  signal?: AbortSignal;
}

/** A running Tutum API simulator: its base URL, credentials, controls for state transitions, and `stop()`. */
export interface TutumTestServer extends TestServer {
  /** The API base, `http://127.0.0.1:<port>/api/v1/` (what `TUTUM_BASE_URL` held). */
  url: string;
  /** `http://127.0.0.1:<port>`, the REST host (`TUTUM_REST_HOST`). */
  restHost: string;
  /** `ws://127.0.0.1:<port>`, the stream host (`TUTUM_STREAM_HOST`): `/v1/events`, `/v1/{service|container}/{uuid}/logs/`. */
  streamHost: string;
  credentials: { user: string; apikey: string };
  /** For `GET /api/v1/auth/` with Basic user:password. */
  password: string;
  /** Every header form Tutum accepted, ready to send. */
  authorization: { apiKey: string; apikeyTransitional: string; basic: string };
  transitionMs: number;
  shapes: PayloadShapes;
  /** Resolves once no transition is pending (every Starting/Stopping/... has settled). */
  idle(): Promise<void>;
  /**
   * Holds every transition (nothing settles) until the returned function is called, so that a test can
   * look at a transitional state without racing the delay on a slow machine.
   */
  hold(): () => void;
  /** The events recorded so far (what `/v1/events` streams), oldest first. */
  events(): SimulatorEvent[];
  /** An object as the API shows it in a detail answer, by resource URI; undefined when unknown. */
  inspect(resourceUri: string): JsonObject | undefined;
  /**
   * Changes an object behind the API's back, to reach states clients cannot cause (a node
   * `Unreachable`, a container `Stopped with errors`). Returns false for an unknown URI.
   */
  tamper(resourceUri: string, fields: Record<string, Json>): boolean;
  /** Stops listening, closes connections and cancels pending transitions; calling it again does nothing. */
  stop(): Promise<void>;
}

export type { SimulatorEvent as TutumEvent, SimulatorLogLine as TutumLogLine };

/**
 * Starts the schema-checking Tutum API simulator on 127.0.0.1: the REST API and the event stream, with the
 * resources' state machines from api.json.
 *
 * @param options - The account (user, apikey, password), the port (default: a free one) and a signal.
 * @example
 * ```ts
 * import { Tutum } from "@nimbus-sdk/tutum";
 * import { startServer } from "@nimbus-sdk/tutum/testing";
 * const server = await startServer();
 * const client = new Tutum({ ...server.credentials, base_url: server.url });
 * console.log((await client.Service.list()).length);
 * await server.stop();
 * ```
 */
export async function startServer(options: TutumServerOptions = {}): Promise<TutumTestServer> {
  const signal = options.signal;
  if (signal?.aborted) throw new AbortError("starting the Tutum simulator was cancelled", { cause: signal.reason });
  const user = options.user ?? "tutumuser";
  const apikey = options.apikey ?? randomBytes(20).toString("hex");
  const password = options.password ?? randomBytes(12).toString("base64url");
  const transitionMs = options.transitionMs ?? 300;
  const shapes = options.shapes ?? "2015";
  if (!/^[A-Za-z0-9_.@+-]+$/.test(user)) throw new TypeError(`user '${user}' has characters Tutum did not allow`);
  if (apikey.includes(":") || apikey === "") throw new TypeError("apikey must be non-empty and without ':'");
  if (!(transitionMs >= 0)) throw new TypeError("transitionMs must be >= 0");

  let origin = "http://127.0.0.1";
  const store = new Store();
  const lifecycle = new Lifecycle(store, { user, transitionMs, shapes, origin: () => origin });
  seedCatalogue(store);
  if (options.seed !== false) {
    const request = { method: "POST", path: "/api/v1/nodecluster/", body: "", userAgent: "seed", ip: "127.0.0.1" };
    const created = lifecycle.create(
      "NodeCluster",
      { name: "default", node_type: "/api/v1/nodetype/digitalocean/1gb/", region: "/api/v1/region/digitalocean/lon1/" },
      request,
    );
    const cluster = created.entry!;
    store.remove(created.action!);
    cluster.data.actions = [];
    const node = lifecycle.createNode(cluster, "Deployed");
    cluster.data.state = "Deployed";
    cluster.data.deployed_datetime = node.data.deployed_datetime ?? null;
    seedActions(store, user, String(cluster.data.resource_uri), String(node.data.resource_uri));
    lifecycle.events.length = 0;
  }

  const server: Server = createServer(createHandler({ store, lifecycle, user, apikey, password, shapes }));
  const streams = attachStreams(server, { lifecycle, store, user, apikey });
  const port = await listenOnLoopback(server, { port: options.port, signal, what: "the Tutum simulator" });
  origin = `http://127.0.0.1:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      signal?.removeEventListener("abort", onStopSignal);
      lifecycle.stop();
      streams.close();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return stopping;
  };
  const onStopSignal = () => void stop();
  signal?.addEventListener("abort", onStopSignal, { once: true });

  return {
    url: `${origin}/api/v1/`,
    restHost: origin,
    streamHost: `ws://127.0.0.1:${port}`,
    credentials: { user, apikey },
    password,
    authorization: {
      apiKey: `ApiKey ${user}:${apikey}`,
      apikeyTransitional: `Apikey ${user}:${apikey}`,
      basic: `Basic ${Buffer.from(`${user}:${apikey}`).toString("base64")}`,
    },
    transitionMs,
    shapes,
    idle: () => lifecycle.idle(),
    hold: () => lifecycle.hold(),
    events: () => [...lifecycle.events],
    inspect(resourceUri) {
      const entry = store.resolve(resourceUri);
      return entry ? present(entry, "detail", shapes) : undefined;
    },
    tamper(resourceUri, fields) {
      const entry = store.resolve(resourceUri);
      if (!entry) return false;
      Object.assign(entry.data, fields);
      return true;
    },
    stop,
  };
}
