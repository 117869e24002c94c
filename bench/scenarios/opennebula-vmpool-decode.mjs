// A vmpool.info of 10,000 VMs from the oned simulator, decoded by a fresh client process: ours
// (OneServer, typed VM objects) against the way a Node user does it today, the npm `xmlrpc` client
// plus an @xmldom/xmldom DOM parse of the embedded document. Each decode runs in a child process, so
// its time and peak RSS are the client's own.
import { fileURLToPath } from "node:url";
import { startServer } from "@nimbus-sdk/opennebula/testing";
import { lastJsonLine, runChild } from "../lib/child.mjs";
import { packageVersion } from "../lib/versions.mjs";

const VMS = 10_000;
const MiB = 1024 ** 2;
const CHILD = fileURLToPath(new URL("../lib/opennebula-vmpool-child.mjs", import.meta.url));

/** What one vmpool.info answer weighs on the wire (the methodResponse, the escaped document in it). */
async function responseBytes(server) {
  const body =
    `<?xml version="1.0"?><methodCall><methodName>one.vmpool.info</methodName><params>` +
    [server.session, -2, -1, -1, -1]
      .map(
        (p) => `<param><value>${typeof p === "string" ? `<string>${p}</string>` : `<int>${p}</int>`}</value></param>`,
      )
      .join("") +
    `</params></methodCall>`;
  const response = await fetch(server.url, { method: "POST", body });
  return (await response.arrayBuffer()).byteLength;
}

async function decodeInChild(state, mode) {
  const output = await runChild(process.execPath, ["--expose-gc", CHILD], {
    input: JSON.stringify({ mode, endpoint: state.server.endpoint, session: state.server.session }),
    timeoutMs: 120_000,
  });
  const report = lastJsonLine(output);
  if (report.count !== VMS) throw new Error(`${mode}: ${report.count} VMs came back, not ${VMS}`);
  if (report.last.ID !== VMS - 1 || report.last.STATE !== 3 || report.last.LCM_STATE !== 3) {
    throw new Error(`${mode}: the last VM came back as ${JSON.stringify(report.last)}`);
  }
  const growthBytes = (report.maxRssKiB - report.rssBeforeKiB) * 1024;
  return {
    elapsedUs: report.elapsedUs,
    cpuUs: report.cpuUs,
    metrics: {
      msPerMiB: report.elapsedUs / 1000 / (state.bytes / MiB),
      peakRssMB: (report.maxRssKiB * 1024) / 1e6,
      rssGrowthRatio: growthBytes / state.bytes,
    },
  };
}

const scenario = {
  name: "opennebula-vmpool-decode",
  title: "vmpool.info of 10,000 VMs decoded: OneServer's typed objects against npm xmlrpc + an xmldom DOM parse",
  description:
    `One operation: one.vmpool.info(-2, -1, -1, -1) answered by the oned simulator ("@nimbus-sdk/opennebula/testing", ` +
    `in the benchmark process, ${VMS} RUNNING VMs, each with a disk, a NIC and a history record; the answer is kept ` +
    "between calls, so the server side is a loopback write of the same bytes for both variants), called and decoded " +
    "by a child node process started for that call alone. `xmlrpc + xmldom` is the npm xmlrpc client's methodCall " +
    "(sax-based) followed by @xmldom/xmldom's DOMParser on the embedded VM_POOL document, reading ID, NAME, STATE " +
    "and LCM_STATE of every VM; ours is OneServer's `vmpool.info`, which decodes the answer into typed VM objects " +
    "(every field, numbers as numbers, TEMPLATE and USER_TEMPLATE as dictionaries, DISK and NIC as arrays). Both " +
    "children first decode a page of 100 VMs (not measured) so the code is compiled, then run a full GC. Time: the " +
    "child's own clock around the call (request, transfer, decode); CPU: the child's user + system time for it. " +
    "`ms per MiB` divides that time by the answer's size. Peak RSS: the child's VmHWM (its peak RSS) over its whole " +
    "life, in MB (10^6 bytes); `RSS growth ÷ answer` is (VmHWM − RSS just before the call) ÷ the answer's size " +
    "in bytes.",
  baseline: "xmlrpc + xmldom (npm)",
  goals: [
    {
      variant: "ours (OneServer, typed)",
      maxRatio: 1 / 3,
      text: "at least 3x faster than npm xmlrpc + an xmldom DOM parse (issue)",
    },
    {
      variant: "ours (OneServer, typed)",
      metric: "msPerMiB",
      max: 20,
      text: "at least 50 MiB/s, i.e. at most 20 ms per MiB of answer (issue)",
    },
    {
      variant: "ours (OneServer, typed)",
      metric: "rssGrowthRatio",
      max: 3,
      text: "peak RSS at most 3x the answer's size (issue): the growth over the RSS before the call, median of the rounds",
    },
  ],
  // Set in setup, once the answer's size is known.
  work: { perOp: 1, unit: "MiB" },
  metrics: [
    { key: "msPerMiB", label: "ms per MiB", digits: 1 },
    { key: "peakRssMB", label: "peak RSS MB", digits: 1 },
    { key: "rssGrowthRatio", label: "RSS growth ÷ answer", digits: 2 },
  ],
  // A child's start and a decode take about a second: 2 variants x (1 + 7) rounds, about 20 seconds.
  warmupRounds: 1,
  rounds: 7,
  opsPerRound: 1,

  versions() {
    return {
      "@nimbus-sdk/opennebula": packageVersion(import.meta.url, "@nimbus-sdk/opennebula"),
      xmlrpc: packageVersion(import.meta.url, "xmlrpc"),
      "@xmldom/xmldom": packageVersion(import.meta.url, "@xmldom/xmldom"),
    };
  },

  async setup() {
    const t0 = performance.now();
    const server = await startServer({ vms: VMS });
    const startMs = performance.now() - t0;
    try {
      const bytes = await responseBytes(server);
      scenario.work = { perOp: Math.round((bytes / MiB) * 1000) / 1000, unit: "MiB" };
      return { server, bytes, startMs };
    } catch (error) {
      await server.close();
      throw error;
    }
  },

  variants: {
    "xmlrpc + xmldom (npm)": (state) => decodeInChild(state, "xmlrpc"),
    "ours (OneServer, typed)": (state) => decodeInChild(state, "ours"),
  },

  async teardown(state) {
    if (!state) return undefined;
    const errors = state.server.errors();
    await state.server.close();
    if (errors.length) throw new Error(`the simulator failed: ${errors.map((e) => e.message).join("; ")}`);
    return {
      vms: VMS,
      answerBytes: state.bytes,
      simulatorStartSeconds: Math.round(state.startMs / 100) / 10,
    };
  },
};

export default scenario;
