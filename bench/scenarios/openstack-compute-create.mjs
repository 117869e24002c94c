// Creating 20 servers at once on a real Nova and waiting for each to be ACTIVE: how many HTTP requests
// a server costs, ours (cs.servers.create + pyrax.utils.waitUntil) against openstacksdk's
// create_server + wait_for_server (Debian's, in a /usr/bin/python3 child), both checking every 2 s
// (openstacksdk's default interval). Requests are counted where they leave for the wire: ours from the
// transport's HTTP debug lines (one "-> METHOD url" per attempt, retries included), openstacksdk's by
// wrapping requests' HTTPAdapter.send. Sign-in is done before counting starts; the servers are deleted
// after each side, outside the count and the clock. Wall time is set by Nova's fake compute host, which
// builds ten at a time (max_concurrent_builds).
// Ours sends one request more per server than openstacksdk: servers.create fetches the new server
// (GET) after the POST, for the full record novaclient would lazy-load, and waitUntil then checks at once.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { ensureDebianPackages } from "@nimbus-sdk/common/testing";
import { startServer } from "@nimbus-sdk/openstack/testing";
import { lastJsonLine, runChild } from "../lib/child.mjs";
import { DEBIAN_PYTHON, debianVersion, eachLimited, signedInPyrax } from "../lib/openstack.mjs";
import { packageVersion } from "../lib/versions.mjs";

// BENCH_COMPUTE_SERVERS lowers the count for a quick check of the scenario itself.
const SERVERS = Number(process.env.BENCH_COMPUTE_SERVERS ?? 20);
const INTERVAL_S = 2;
const SCRIPT = fileURLToPath(new URL("../lib/nova-create.py", import.meta.url));
const OURS = "ours (create + utils.waitUntil)";
const SDK = "openstacksdk (Debian) create_server + wait_for_server";

/** The shared dev stack when NIMBUS_OPENSTACK_STACK names one (not stopped here), else a private one. */
async function stack() {
  const given = process.env.NIMBUS_OPENSTACK_STACK;
  if (given) return { server: JSON.parse(readFileSync(given, "utf8")), owned: false, startMs: 0 };
  const started = performance.now();
  const server = await startServer({ services: ["compute"] });
  return { server, owned: true, startMs: Math.round(performance.now() - started) };
}

/** Per-server figures from a request count by method. */
function perServer(byMethod) {
  const total = Object.values(byMethod).reduce((a, b) => a + b, 0);
  const per = (n) => (n ?? 0) / SERVERS;
  return { requestsPerServer: per(total), getsPerServer: per(byMethod.GET), postsPerServer: per(byMethod.POST) };
}

export default {
  name: "openstack-compute-create",
  title: `${SERVERS} servers created at once and waited for until ACTIVE on a real Nova`,
  description:
    `One operation: create ${SERVERS} servers concurrently (Nova's fake virt driver, no network, flavor 1, the ` +
    `stack's image) and wait until every one is ACTIVE, checking each every ${INTERVAL_S} s. Ours = ` +
    "`cs.servers.create(name, image, flavor, { nics: 'none' })` then `pyrax.utils.waitUntil(server, 'status', " +
    `'ACTIVE', { interval: ${INTERVAL_S} })\`, all at once in one process; openstacksdk = ` +
    "`conn.compute.create_server(…, networks='none')` then `conn.compute.wait_for_server(server, " +
    `interval=${INTERVAL_S})\` in ${SERVERS} threads of one /usr/bin/python3 child. The requests column counts ` +
    "every HTTP request sent from the first create to the last ACTIVE (sign-in before, deletion after: not " +
    "counted), divided by the number of servers. Wall time is Nova's build time (ten builds at a time); the " +
    "CPU column is each client's own process.",
  baseline: OURS,
  // One warm-up round (a fresh Nova's first builds are slower), then two with the order swapped.
  warmupRounds: 1,
  rounds: 2,
  opsPerRound: 1,
  metrics: [
    { key: "requestsPerServer", label: "requests/server" },
    { key: "getsPerServer", label: "GETs/server" },
    { key: "postsPerServer", label: "POSTs/server" },
  ],

  versions() {
    return {
      "@nimbus-sdk/openstack": packageVersion(import.meta.url, "@nimbus-sdk/openstack"),
      "python3-openstacksdk (Debian)": this.sdkVersion ?? "unknown",
      "python3-nova (Debian, server)": this.novaVersion ?? "unknown",
    };
  },

  async setup() {
    ensureDebianPackages(["python3-openstacksdk"]);
    this.sdkVersion = await debianVersion("python3-openstacksdk");
    this.novaVersion = await debianVersion("python3-nova");
    const { server, owned, startMs } = await stack();
    const state = { server, owned, startMs, byMethod: {}, counting: false };
    try {
      // Every request the transport sends is logged as "-> METHOD url …" once HTTP debug is on.
      const count = (line) => {
        const match = state.counting && /^-> ([A-Z]+) /.exec(line);
        if (match) state.byMethod[match[1]] = (state.byMethod[match[1]] ?? 0) + 1;
      };
      const logger = { debug: count, info: () => undefined, warn: () => undefined, error: () => undefined };
      state.pyrax = await signedInPyrax(server, { logger });
      state.pyrax.setHttpDebug(true);
      state.cs = state.pyrax.cloudservers;
      await state.cs.getApiVersion(); // finds the endpoint and negotiates the microversion before counting
      return state;
    } catch (error) {
      await this.teardown(state);
      throw error;
    }
  },

  variants: {
    [OURS]: async (state) => {
      const { cs, pyrax, server } = state;
      const prefix = `bench-create-${randomBytes(3).toString("hex")}`;
      state.byMethod = {};
      state.counting = true;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const settled = await Promise.allSettled(
        Array.from({ length: SERVERS }, async (_, i) => {
          const created = await cs.servers.create(`${prefix}-${i}`, server.image.id, "1", { nics: "none" });
          return pyrax.utils.waitUntil(created, "status", "ACTIVE", { interval: INTERVAL_S, timeout: 900 });
        }),
      );
      const elapsedUs = (performance.now() - t0) * 1000;
      const cpu = process.cpuUsage(cpu0);
      state.counting = false;
      const metrics = perServer(state.byMethod);
      state.oursByMethod = state.byMethod;
      // Deleted whatever happened, and waited for: the other side's builds should not share the host.
      const made = settled.filter((s) => s.status === "fulfilled").map((s) => s.value);
      const leftovers = await cs.servers.list({ searchOpts: { name: `^${prefix}-` } });
      await eachLimited(leftovers.length, 8, async (i) => {
        await cs.servers.delete(leftovers[i].id);
        await pyrax.utils.waitUntil(leftovers[i], "status", "DELETED", { interval: 1, timeout: 600 });
      });
      const failed = settled.find((s) => s.status === "rejected");
      if (failed) throw failed.reason;
      if (made.some((s) => s.status !== "ACTIVE")) throw new Error(`${OURS}: a server did not become ACTIVE`);
      return { elapsedUs, cpuUs: cpu.user + cpu.system, metrics };
    },
    [SDK]: async (state) => {
      const c = state.server.credentials;
      const settings = JSON.stringify({
        authUrl: state.server.url,
        username: c.username,
        password: c.password,
        projectName: c.projectName,
        userDomainName: c.userDomainName,
        projectDomainName: c.projectDomainName,
        region: state.server.region,
        prefix: `bench-create-${randomBytes(3).toString("hex")}`,
        count: SERVERS,
        imageId: state.server.image.id,
        flavorId: "1",
        interval: INTERVAL_S,
      });
      const report = lastJsonLine(await runChild(DEBIAN_PYTHON, [SCRIPT, settings], { timeoutMs: 1_800_000 }));
      if (report.active !== SERVERS) throw new Error(`${SDK}: ${report.active} of ${SERVERS} servers ACTIVE`);
      state.sdkByMethod = report.byMethod;
      return { elapsedUs: report.elapsedUs, cpuUs: report.cpuUs, metrics: perServer(report.byMethod) };
    },
  },

  async teardown(state) {
    if (!state) return undefined;
    await state.pyrax?.close();
    if (state.owned) await state.server.stop();
    return {
      servers: SERVERS,
      checkIntervalS: INTERVAL_S,
      requestsByMethod: { [OURS]: state.oursByMethod, [SDK]: state.sdkByMethod },
      stackStartMs: state.startMs,
      reusedStack: !state.owned,
    };
  },
};
