// A new process's first connection to vCenter (vcsim): SmartConnect and RetrieveContent, each in a
// process of its own, timed from its first line (node's or Python's own start-up excluded), with the
// process's peak RSS. Ours against pyVmomi and the npm `soap` package loading VMware's WSDL.
import { fileURLToPath } from "node:url";
import { hasVimWsdl } from "../lib/vsphere-soap.mjs";
import {
  connectOptions,
  DEBIAN_PYTHON,
  debianVersion,
  loadSdk,
  PYVMOMI_PACKAGE,
  PYVMOMI_SCRIPT,
  pyvmomiSettings,
  startSimulator,
} from "../lib/vsphere.mjs";
import { lastJsonLine, runChild } from "../lib/child.mjs";
import { packageVersion } from "../lib/versions.mjs";

const CHILD = fileURLToPath(new URL("../lib/vsphere-cold-child.mjs", import.meta.url));
const OURS = "ours (SmartConnect + RetrieveContent)";
const PYVMOMI = "pyVmomi 6.7.1 (Debian)";
const SOAP = "soap 1.13.0 (load the vim25 WSDL, RetrieveServiceContent, Login)";
const EMPTY = "empty node process (floor)";

/** Runs one fresh process and turns its report into the harness's OperationReport. */
async function fresh(command, args) {
  const t0 = process.hrtime.bigint();
  const report = lastJsonLine(await runChild(command, args, { timeoutMs: 60_000 }));
  const processMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return {
    elapsedUs: report.elapsedUs,
    cpuUs: report.cpuUs,
    metrics: {
      ownCpuMs: report.cpuUs / 1000,
      ownMs: report.elapsedUs / 1000,
      processMs,
      peakRssMB: (report.maxRssKiB * 1024) / 1e6,
    },
  };
}

const node = (state, mode) =>
  fresh(process.execPath, [
    CHILD,
    JSON.stringify({ mode, connect: connectOptions(state.server), server: state.soapServer }),
  ]);

export default {
  name: "vsphere-cold-start",
  title: "a new process's SmartConnect + RetrieveContent (vcsim): own time and peak RSS",
  description:
    "One operation: a new process connects to vcsim (HTTPS, self-signed certificate, verification off) and " +
    "reads the service content. Ours: a node process imports @nimbus-sdk/vsphere, `SmartConnect` (GET " +
    "/sdk/vimServiceVersions.xml, RetrieveServiceContent, Login) and `si.RetrieveContent()`. pyVmomi: a " +
    "/usr/bin/python3 process imports pyVmomi, `SmartConnect` and `RetrieveContent`. soap: a node process " +
    "imports soap, `createClientAsync` on VMware's vim25 WSDL (read from ../shared/specs/vsphere, run only where it " +
    "is present), RetrieveServiceContent and Login. Empty: a node process that does nothing (the RSS floor). " +
    "The time and CPU columns are the process's own, from its first line to the end of the work (the " +
    "interpreter's start-up left out): `own ms` is wall time, which includes waiting for vcsim's answers and, " +
    "on a busy machine, for a core; `own CPU ms` is the process's CPU time (user + system) over the same span, " +
    "the client's own cost, which the goal is about. `process ms` is the whole process as the benchmark sees " +
    "it, from spawn to exit (start-up, the work, disconnecting and exit included); `peak RSS MB` is the " +
    "process's VmHWM over its whole life.",
  baseline: PYVMOMI,
  goals: [
    {
      variant: OURS,
      metric: "ownCpuMs",
      max: 150,
      text: "under 150 ms of our own time (issue): the process's CPU time after node's own start-up",
    },
    { variant: OURS, metric: "peakRssMB", max: 80, text: "under 80 MB peak RSS (issue)" },
  ],
  metrics: [
    { key: "ownCpuMs", label: "own CPU ms", digits: 1 },
    { key: "ownMs", label: "own ms", digits: 1 },
    { key: "processMs", label: "process ms", digits: 1 },
    { key: "peakRssMB", label: "peak RSS MB", digits: 1 },
  ],
  work: { perOp: 1, unit: "starts" },
  warmupRounds: 1,
  rounds: 10,
  opsPerRound: 2,

  versions() {
    return {
      "@nimbus-sdk/vsphere": packageVersion(import.meta.url, "@nimbus-sdk/vsphere"),
      soap: packageVersion(import.meta.url, "soap"),
      "python3-pyvmomi (Debian)": this.pyvmomiVersion ?? "unknown",
      node: process.version,
    };
  },

  async setup() {
    await loadSdk();
    const { server, startMs } = await startSimulator({});
    this.pyvmomiVersion = await debianVersion(PYVMOMI_PACKAGE);
    const { url, username, password } = server;
    return { server, startMs, soapServer: { url, username, password } };
  },

  variants: {
    [OURS]: (state) => node(state, "ours"),
    [PYVMOMI]: (state) => fresh(DEBIAN_PYTHON, [PYVMOMI_SCRIPT, pyvmomiSettings(state.server, "cold")]),
    ...(hasVimWsdl() ? { [SOAP]: (state) => node(state, "soap") } : {}),
    [EMPTY]: (state) => node(state, "empty"),
  },

  async teardown(state) {
    if (!state) return undefined;
    await state.server.close();
    return {
      vcsimStartSeconds: Math.round(state.startMs / 100) / 10,
      soap: hasVimWsdl() ? "measured" : "skipped: ../shared/specs/vsphere/vimService.wsdl is absent",
      // Where the CPU goes, and what changed: docs/decisions/0027.
      before:
        "ours 173.3 ms of CPU (p25-p75 168.5-183.6) and 74.0 MB, pyVmomi 140.5 ms, on 2026-12-06 at load average " +
        "18.5 -> 13.4, before vsphere imported @nimbus-sdk/common/client (17 modules fewer) and common loaded " +
        "node:child_process on first use",
    };
  },
};
