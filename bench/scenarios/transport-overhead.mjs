// What the common Transport's pipeline (user agent, retry bookkeeping, auth hook, redacted URL,
// error mapping, NimbusResponse) adds to one small GET, against the bare clients underneath it.
// "Transport (undici)" runs with telemetry off, the default: that figure is what off costs. The
// "telemetry on" variant reports every call to a callback that does nothing (decision 0024).
import { createRequire } from "node:module";
import { Transport } from "@nimbus-sdk/common";
import { Agent, request } from "undici";
import { startLoopbackServer } from "../lib/loopback-server.mjs";
import { packageVersion } from "../lib/versions.mjs";

const PATH = "/v2/servers/small";
const BODY = JSON.stringify({ server: { id: "5a4f1d2c", name: "web-1", status: "ACTIVE", flavor: { id: "2" } } });
// The same pool settings as the Transport's own default dispatcher (createDispatcher).
const AGENT_OPTIONS = { connections: 16, keepAliveTimeout: 30_000, connect: { timeout: 30_000 } };
const USER_AGENT = { package: "@nimbus-sdk/bench", version: "0.0.0" };

export default {
  name: "transport-overhead",
  title: "Transport per-request overhead on a small GET",
  description:
    `One operation: a sequential GET of ${PATH} (a JSON body of ${Buffer.byteLength(BODY)} bytes, read and parsed) ` +
    "over a kept-alive connection to a loopback HTTP server running in a child process. " +
    "The Transports make their own pool with the same settings as the bare clients' Agent (proxy off).",
  baseline: "undici.request",
  goals: [
    {
      variant: "Transport (undici)",
      maxRatio: 1.1,
      text: "the transport's per-request overhead on a small GET, default client (telemetry off)",
    },
  ],
  // Many short rounds even out noise better than a few long ones (the ratio varied 0.86-1.02x over
  // five runs of 60 x 150, 0.98-1.00x over five of 300 x 30). About 8 s on 2 cores.
  warmupRounds: 20,
  rounds: 300,
  opsPerRound: 30,

  versions() {
    const common = createRequire(import.meta.url).resolve("@nimbus-sdk/common");
    return {
      undici: packageVersion(import.meta.url, "undici"),
      ky: packageVersion(common, "ky"),
      "node bundled undici (fetch)": process.versions.undici,
    };
  },

  async setup({ plannedOps }) {
    const server = await startLoopbackServer({
      routes: { [PATH]: { body: BODY } },
      maxRequests: plannedOps + 100,
    });
    const url = `${server.origin}${PATH}`;
    const agent = new Agent(AGENT_OPTIONS);
    const transportOptions = { baseUrl: server.origin, userAgent: USER_AGENT, proxy: false, debug: false };
    return {
      server,
      url,
      agent,
      transports: {
        undici: new Transport({ ...transportOptions, client: "undici" }),
        ky: new Transport({ ...transportOptions, client: "ky" }),
        observed: new Transport({ ...transportOptions, client: "undici", telemetry: { onCall() {} } }),
      },
      plannedOps,
    };
  },

  variants: {
    "undici.request": async ({ url, agent }) => {
      const { statusCode, body } = await request(url, { dispatcher: agent });
      if (statusCode !== 200) throw new Error(`status ${statusCode}`);
      return body.json();
    },
    "Transport (undici)": async ({ transports }) => (await transports.undici.request({ url: PATH })).json(),
    "Transport (undici), telemetry on": async ({ transports }) =>
      (await transports.observed.request({ url: PATH })).json(),
    "Transport (ky)": async ({ transports }) => (await transports.ky.request({ url: PATH })).json(),
    "fetch + same Agent": async ({ url, agent }) => {
      const response = await fetch(url, { dispatcher: agent });
      if (response.status !== 200) throw new Error(`status ${response.status}`);
      return response.json();
    },
  },

  async teardown({ server, agent, transports, plannedOps }) {
    await Promise.all([agent.close(), transports.undici.close(), transports.ky.close(), transports.observed.close()]);
    const requestsServed = await server.stop();
    if (requestsServed !== plannedOps) {
      throw new Error(`the server answered ${requestsServed} requests, ${plannedOps} were planned`);
    }
    return { requestsServed, serverProcess: "separate child process on 127.0.0.1" };
  },
};
