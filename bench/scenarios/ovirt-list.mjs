// Listing 10,000 VMs from the oVirt engine simulator, each list in a fresh client process: ours
// (api.vms.list, the answer decoded as it streams in) against the same answer read whole and then
// decoded (an undici GET + decodeList), so the memory the streaming saves shows. ovirtsdk4, the peer the
// issue compares with, is neither on npm nor in Debian (only on PyPI, which the benchmark machines
// cannot reach): it is not run here, see the notes.
import { fileURLToPath } from "node:url";
import { Agent, request } from "undici";
import { readFileSync } from "node:fs";
import { API, params } from "@nimbus-sdk/ovirt";
import { startServer } from "@nimbus-sdk/ovirt/testing";
import { lastJsonLine, runChild } from "../lib/child.mjs";
import { eachLimited } from "../lib/openstack.mjs";
import { packageVersion } from "../lib/versions.mjs";

// BENCH_OVIRT_VMS lowers the count for a quick check of the scenario itself.
const VMS = Number(process.env.BENCH_OVIRT_VMS ?? 10_000);
const MiB = 1024 ** 2;
const CHILD = fileURLToPath(new URL("../lib/ovirt-list-child.mjs", import.meta.url));
const vmName = (i) => `vm-${String(i).padStart(5, "0")}`;
const OURS = "ours (api.vms.list, streamed)";
const WHOLE = "whole answer, then decodeList";

/** The list's answer as the engine sends it, and its size in bytes. */
async function answerBytes(engine) {
  const dispatcher = new Agent({ connect: { ca: readFileSync(engine.caFile, "utf8") } });
  try {
    const sso = await request(engine.ssoUrl, {
      method: "POST",
      dispatcher,
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "password",
        scope: "ovirt-app-api",
        username: engine.username,
        password: engine.password,
      }).toString(),
    });
    const { access_token: token } = await sso.body.json();
    const { body } = await request(`${engine.url}/vms`, {
      dispatcher,
      headers: { authorization: `Bearer ${token}`, version: "4", accept: "application/xml" },
    });
    return (await body.arrayBuffer()).byteLength;
  } finally {
    await dispatcher.close();
  }
}

function operation(mode) {
  return async (state) => {
    const { engine } = state;
    const output = await runChild(process.execPath, ["--expose-gc", CHILD], {
      input: JSON.stringify({
        mode,
        url: engine.url,
        ssoUrl: engine.ssoUrl,
        username: engine.username,
        password: engine.password,
        caFile: engine.caFile,
      }),
      timeoutMs: 180_000,
    });
    const report = lastJsonLine(output);
    // The seeded python_vm is listed too.
    if (report.count !== VMS + 1) throw new Error(`${mode}: ${report.count} VMs came back, not ${VMS + 1}`);
    if (report.last !== vmName(VMS - 1)) throw new Error(`${mode}: the last name is ${report.last}`);
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
  };
}

export default {
  name: "ovirt-list",
  title: "10,000 VMs listed from the oVirt engine simulator: decoded as the answer streams in",
  description:
    `One operation: a child node process started for that call alone lists the ${VMS + 1} VMs of the engine ` +
    'simulator ("@nimbus-sdk/ovirt/testing", HTTPS, in the benchmark process, which renders the list for every ' +
    "request) after listing 100 of them (not measured, so the code is compiled) and a full GC. Ours: " +
    "`api.vms.list()`, which decodes the answer as it streams in (common's XmlStreamScanner feeding the wire " +
    "decoder, 64 KiB pieces) into typed Vm resources. `whole answer, then decodeList`: an undici GET with the same " +
    'headers and an SSO token, the body read whole as text, then `decodeList(xml, "Vm")` into plain typed ' +
    "objects: how the list was read before. Time: the child's own clock around the call (request, the " +
    "simulator's rendering, transfer, decode); CPU: the child's user + system time for it. Peak RSS: the child's " +
    "VmHWM over its whole life, in MB (10^6 bytes); `RSS growth ÷ answer` is (VmHWM − RSS just before the call) " +
    "÷ the answer's size in bytes.",
  baseline: WHOLE,
  goals: [
    {
      variant: OURS,
      metric: "rssGrowthRatio",
      max: 2.5,
      text:
        "peak RSS growth at most 2.5x the answer's size (issue; ovirtsdk4 3.9x there): the growth over the RSS " +
        "before the call, median of the rounds, not the whole process (see the notes)",
    },
    {
      variant: OURS,
      maxRatio: 0.6 / 0.68,
      text:
        "time at most 0.6x ovirtsdk4's (issue), which cannot run here: the issue measured the whole-answer " +
        "path at 0.68x ovirtsdk4's, so 0.6x is at most 0.88x of it",
    },
  ],
  work: { perOp: 0, unit: "MiB" },
  metrics: [
    { key: "msPerMiB", label: "ms per MiB", digits: 2 },
    { key: "peakRssMB", label: "peak RSS MB", digits: 1 },
    { key: "rssGrowthRatio", label: "RSS growth ÷ answer", digits: 2 },
  ],
  warmupRounds: 1,
  rounds: 5,
  opsPerRound: 1,

  versions() {
    return { "@nimbus-sdk/ovirt": packageVersion(import.meta.url, "@nimbus-sdk/ovirt"), node: process.version };
  },

  async setup() {
    const started = performance.now();
    // stepMs 0: the new VMs are `down` at once, no status timers left running.
    const engine = await startServer({ stepMs: 0 });
    try {
      const api = await API.connect({
        url: engine.url,
        username: engine.username,
        password: engine.password,
        caFile: engine.caFile,
      });
      const cluster = { name: "Default" };
      const template = { name: "Blank" };
      await eachLimited(VMS, 8, (i) =>
        api.vms.add(new params.VM({ name: vmName(i), cluster, template })),
      );
      await api.disconnect();
      const bytes = await answerBytes(engine);
      // The throughput column counts MiB of answer per operation.
      this.work.perOp = bytes / MiB;
      return { engine, bytes, setupMs: performance.now() - started };
    } catch (error) {
      await engine.stop();
      throw error;
    }
  },

  variants: {
    [WHOLE]: operation("whole"),
    [OURS]: operation("ours"),
  },

  async teardown(state) {
    await state.engine.stop();
    return {
      answerMB: Math.round(state.bytes / 1e4) / 100,
      vms: VMS + 1,
      setupSeconds: Math.round(state.setupMs / 100) / 10,
      ovirtsdk4:
        "not run: ovirtsdk4 is published on PyPI only (no npm or Debian package), which the benchmark machines " +
        "cannot reach; the issue's figures for it (3.9x memory growth, the whole-answer list at 0.68x its time) " +
        "were measured elsewhere",
      memoryMeasure:
        "the growth of the client's peak RSS over its RSS just before the call, divided by the answer's size: a " +
        "whole-process peak RSS counts node itself (about 45-50 MB before any work), which no client can shed, so " +
        "a goal on it measures node, not the decode",
    };
  },
};
