// Listing 10,000 VMs, each list in a fresh client process: ours (api.vms.list, the answer decoded as it
// streams in) against the same answer read whole and then decoded (an undici GET + decodeList), so the
// memory the streaming saves shows. The list is bench/lib/ovirt-vms.mjs's document (as an engine 4.5 writes
// it, the ovirt-decode scenario's), served from memory by a loopback server that answers the SSO and the
// entry point as the engine simulator does (recorded from it at set-up): the simulator itself renders a
// 10,000-VM list anew for every request, which on the shared machine took minutes and would time the
// server, not the client. ovirtsdk4, the peer the issue compares with, is neither on npm nor in Debian
// (only on PyPI, which the benchmark machines cannot reach): it runs where Debian's python3 can import it
// (bench/lib/ovirtsdk4-list.py), and the notes say how it was built and measured here.
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { startServer } from "@nimbus-sdk/ovirt/testing";
import { lastJsonLine, runChild } from "../lib/child.mjs";
import { OVIRTSDK4_ABSENT, ovirtsdk4Version as peerVersion, PYTHON } from "../lib/ovirtsdk4.mjs";
import { vmsXml } from "../lib/ovirt-vms.mjs";
import { packageVersion } from "../lib/versions.mjs";

// BENCH_OVIRT_VMS lowers the count for a quick check of the scenario itself.
const VMS = Number(process.env.BENCH_OVIRT_VMS ?? 10_000);
const MiB = 1024 ** 2;
const CHILD = fileURLToPath(new URL("../lib/ovirt-list-child.mjs", import.meta.url));
const PEER_CHILD = fileURLToPath(new URL("../lib/ovirtsdk4-list.py", import.meta.url));
const TOKEN = "bench-token";
const vmName = (i) => `vm-${String(i).padStart(5, "0")}`;
const OURS = "ours (api.vms.list, streamed)";
const WHOLE = "whole answer, then decodeList";
const PEER = "ovirtsdk4 (Python)";
// The whole-answer read's time over ovirtsdk4's, medians of runs with both (see the notes): what the time
// goal is restated with where ovirtsdk4 is not installed.
const WHOLE_OVER_PEER = 0.27;

/** The simulator's entry point document (`GET /ovirt-engine/api`), which API.connect reads. */
async function recordedEntryPoint() {
  const engine = await startServer({ protocol: "http" });
  try {
    const sso = await fetch(engine.ssoUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "password",
        scope: "ovirt-app-api",
        username: engine.username,
        password: engine.password,
      }),
    });
    const { access_token: token } = await sso.json();
    const answer = await fetch(engine.url, {
      headers: { authorization: `Bearer ${token}`, version: "4", accept: "application/xml" },
    });
    return Buffer.from(await answer.arrayBuffer());
  } finally {
    await engine.stop();
  }
}

/** Serves the SSO, the entry point and the VM lists from memory on 127.0.0.1. */
async function startReplay(entryPoint, lists) {
  const server = createServer((request, response) => {
    const url = new URL(request.url, "http://127.0.0.1");
    const send = (status, type, body) => {
      response.writeHead(status, { "content-type": type, "content-length": body.length });
      response.end(body);
    };
    request.resume();
    if (url.pathname === "/ovirt-engine/sso/oauth/token") {
      return send(200, "application/json", Buffer.from(JSON.stringify({ access_token: TOKEN, token_type: "bearer" })));
    }
    if (url.pathname === "/ovirt-engine/services/sso-logout") return send(200, "application/json", Buffer.from("{}"));
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return send(401, "text/plain", Buffer.from("no"));
    if (url.pathname === "/ovirt-engine/api" || url.pathname === "/ovirt-engine/api/") {
      return send(200, "application/xml", entryPoint);
    }
    if (url.pathname === "/ovirt-engine/api/vms") {
      return send(200, "application/xml", url.searchParams.get("max") === "100" ? lists.page : lists.all);
    }
    return send(404, "text/plain", Buffer.from("not recorded"));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    url: `${base}/ovirt-engine/api`,
    ssoUrl: `${base}/ovirt-engine/sso/oauth/token`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function operation(mode) {
  return async (state) => {
    const { replay } = state;
    const [command, args] = mode === "ovirtsdk4" ? [PYTHON, [PEER_CHILD]] : [process.execPath, ["--expose-gc", CHILD]];
    const output = await runChild(command, args, {
      input: JSON.stringify({
        mode,
        url: replay.url,
        ssoUrl: replay.ssoUrl,
        username: "admin@internal",
        password: "x",
      }),
      timeoutMs: 180_000,
    });
    const report = lastJsonLine(output);
    if (report.count !== VMS) throw new Error(`${mode}: ${report.count} VMs came back, not ${VMS}`);
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
  title: "10,000 VMs listed (oVirt API v4): decoded as the answer streams in, against read whole then decoded",
  description:
    `One operation: a child node process started for that call alone lists ${VMS} VMs after listing 100 of them ` +
    "(not measured, so the code is compiled) and a full GC. The answers are bench/lib/ovirt-vms.mjs's documents " +
    "(as an engine 4.5 writes them; the ovirt-decode scenario's), served from memory over HTTP on 127.0.0.1 by the " +
    "benchmark process, which also answers the SSO and the entry point recorded from the engine simulator " +
    '("@nimbus-sdk/ovirt/testing"): the simulator renders a list anew for every request, minutes for 10,000 VMs on ' +
    "the shared machine. Ours: `API.connect`, then `api.vms.list()`, which decodes the answer as it streams in " +
    "(common's XmlStreamScanner feeding the wire decoder, 64 KiB pieces) into typed Vm resources. `whole answer, " +
    "then decodeList`: an undici GET with the same headers and the SSO token, the body read whole as text, then " +
    '`decodeList(xml, "Vm")` into plain typed objects: how the list was read before. Time: the child\'s own clock ' +
    "around the call (request, transfer, decode); CPU: the child's user + system time for it. Peak RSS: the " +
    "child's VmHWM over its whole life, in MB (10^6 bytes); `RSS growth ÷ answer` is (VmHWM − RSS just before the " +
    "call) ÷ the answer's size in bytes.",
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
    peerVersion
      ? { variant: OURS, maxRatio: 0.6, than: PEER, text: "time at most 0.6x ovirtsdk4's (issue), in the same run" }
      : {
          variant: OURS,
          maxRatio: 0.6 / WHOLE_OVER_PEER,
          text:
            `time at most 0.6x ovirtsdk4's (issue); ovirtsdk4 is not installed, so against the whole-answer read, ` +
            `measured at ${WHOLE_OVER_PEER}x ovirtsdk4's time on this kind of machine (see the notes)`,
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
    const entryPoint = await recordedEntryPoint();
    const lists = { page: Buffer.from(vmsXml(100)), all: Buffer.from(vmsXml(VMS)) };
    const replay = await startReplay(entryPoint, lists);
    // The throughput column counts MiB of answer per operation.
    this.work.perOp = lists.all.length / MiB;
    return { replay, bytes: lists.all.length, setupMs: performance.now() - started };
  },

  variants: {
    [WHOLE]: operation("whole"),
    [OURS]: operation("ours"),
    ...(peerVersion ? { [PEER]: operation("ovirtsdk4") } : {}),
  },

  async teardown(state) {
    await state.replay.close();
    return {
      answerMB: Math.round(state.bytes / 1e4) / 100,
      vms: VMS,
      setupSeconds: Math.round(state.setupMs / 100) / 10,
      ovirtsdk4: peerVersion
        ? `run: ovirtsdk4 ${peerVersion} with Debian's python3, bench/lib/ovirtsdk4-list.py, same server and answers`
        : `${OVIRTSDK4_ABSENT}, and scores the time goal against it. Measured so on 2026-12-06, three runs of 5 ` +
          "rounds: ovirtsdk4 3186, 2072 and 2005 ms; the whole-answer read 873, 627 and 568 ms (0.27x, 0.30x " +
          "and 0.28x ovirtsdk4's); ours 1228, 926 and 806 ms (0.39x, 0.45x, 0.40x); RSS growth ovirtsdk4 5.3x " +
          "the answer, ours 2.0-2.35x. Without it the goal is restated with the lowest of those ratios",
      youngGeneration:
        "in either variant V8's young generation grows to its two 16 MB semi-spaces (34 MB) under the allocation " +
        "rate: about 17 MB of ours' growth (0.6x the answer), 25 MB of the whole-answer read's (v8." +
        "getHeapSpaceStatistics before and after the call, measured apart from the rounds); a fixed cost of " +
        "node's heap settings, not per VM",
      memoryMeasure:
        "the growth of the client's peak RSS over its RSS just before the call, divided by the answer's size: a " +
        "whole-process peak RSS counts node itself (about 45-50 MB before any work), which no client can shed, so " +
        "a goal on it measures node, not the decode",
    };
  },
};
