// oVirt reads and writes through common's fault proxy, in front of the engine simulator (plain HTTP;
// the SSO login goes through the proxy too, faults only hit the API): every fault kind, once per call.
// Each call must succeed with the right answer or throw a NimbusError, within twice its timeout, with no
// unhandled rejection (jest-circus fails the running test on one: it replaces the process's listeners
// with its own); after a write the engine must hold what the SDK reported: a VM it returned, and none
// after an error answer (status >= 400) from the engine or a gateway. Other failures are an unknown outcome.
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { NimbusError } from "@nimbus-sdk/common";
import { EVERY_FAULT, startFaultProxy, type Fault, type FaultProxy, type FaultRule } from "@nimbus-sdk/common/testing";
import { API, params } from "../src/index.js";
import { startEngine, type EngineSimulator } from "../src/testing/index.js";

jest.setTimeout(30_000);

const TIMEOUT = 1500;
const API_PATH = "/ovirt-engine/api";

let engine: EngineSimulator;
let proxy: FaultProxy;
let api: API;
let cluster: Awaited<ReturnType<API["clusters"]["get"]>>;
let template: Awaited<ReturnType<API["templates"]["get"]>>;
const tally = { calls: 0, injected: 0, outcomes: {} as Record<string, number> };

beforeAll(async () => {
  engine = await startEngine({ protocol: "http", stepMs: 20 });
  proxy = await startFaultProxy({ target: new URL(engine.url).origin, killSession: () => engine.expireTokens() });
  api = await API.connect({
    url: proxy.rewrite(engine.url),
    username: engine.username,
    password: engine.password,
    proxy: false,
    timeout: TIMEOUT,
    retry: { limit: 2, baseDelay: 50, maxDelay: 200, maxRetryAfter: 1000 },
  });
  cluster = await api.clusters.get({ name: "Default" });
  template = await api.templates.get({ name: "Blank" });
});

afterAll(async () => {
  console.log(`ovirt faults: ${JSON.stringify(tally)}`);
  await api?.disconnect().catch(() => undefined);
  await proxy?.stop();
  await engine?.close();
});

const label = (fault: Fault) => (fault.kind === "status" ? `status ${fault.status}` : fault.kind);

/** `call` with `fault` injected into its first request matching `where`: the rules every call keeps. */
async function underFault<T>(fault: Fault, where: Omit<FaultRule, "fault">, call: () => Promise<T>) {
  const first = proxy.records.length;
  const trial = await proxy.trial(fault, where, call);
  tally.calls += 1;
  tally.injected += trial.injected;
  const outcome = trial.failed ? (trial.error as Error).name : "ok";
  tally.outcomes[outcome] = (tally.outcomes[outcome] ?? 0) + 1;
  expect(trial.injected).toBe(1);
  if (trial.failed && !(trial.error instanceof NimbusError)) {
    throw new Error(`not a NimbusError: ${outcome}: ${(trial.error as Error).message}`, { cause: trial.error });
  }
  expect(trial.ms).toBeLessThan(2 * TIMEOUT);
  // The session really ended: the server refused the old one at least once.
  if (fault.kind === "kill-session")
    expect(proxy.records.slice(first).some((r) => r.upstreamStatus! >= 400)).toBe(true);
  // A late rejection surfaces now, failing this test rather than the next.
  await new Promise((resolve) => setImmediate(resolve));
  return trial;
}

const reads = { method: "GET", path: API_PATH };

describe.each(EVERY_FAULT.map((fault) => [label(fault), fault] as const))("%s", (_name, fault) => {
  it("vms.list: every VM, or a NimbusError", async () => {
    const { value } = await underFault(fault, reads, async () => await api.vms.list());
    if (value) expect(value.map((vm) => vm.name)).toContain("python_vm");
  });

  it("vms.get by name: the VM, or a NimbusError", async () => {
    const { value } = await underFault(fault, reads, () => api.vms.get({ name: "python_vm" }));
    if (value) expect(value.id).toBe(engine.state.find("vms", "python_vm")?.id);
  });

  it("clusters.list: the clusters, or a NimbusError", async () => {
    const { value } = await underFault(fault, reads, async () => await api.clusters.list());
    if (value) expect(value.map((c) => c.name)).toEqual(engine.state.list("clusters").map((c) => c.name));
  });

  it("vms.add: the engine holds what the SDK reported", async () => {
    const name = `w_${label(fault).replace(/\W+/g, "_")}`;
    const vm = new params.VM({ name, cluster, template, memory: 1073741824 });
    const { value, error } = await underFault(fault, { method: "POST", path: `${API_PATH}/vms` }, () =>
      api.vms.add(vm),
    );
    const held = engine.state.find("vms", name);
    if (value) {
      expect(held?.id).toBe(value.id);
      expect(value.name).toBe(name);
      expect(held?.memory).toBe("1073741824");
    } else if ((error as NimbusError).status! >= 400) {
      expect(held).toBeUndefined();
    }
  });
});

it("a seeded run: reads and writes in turn, a third of all requests (SSO logins too) faulted at random", async () => {
  const adds: { name: string; id?: string; refused: boolean }[] = [];
  proxy.setFaults(EVERY_FAULT.map((fault) => ({ fault, rate: 0.04 })));
  const first = proxy.records.length;
  try {
    for (let i = 0; i < 30; i += 1) {
      const name = `seeded_${i}`;
      const calls = [
        async () => await api.vms.list(),
        () => api.vms.get({ name: "python_vm" }),
        () => api.vms.add(new params.VM({ name, cluster, template, memory: 1073741824 })),
      ];
      const started = performance.now();
      let error: unknown;
      let value: unknown;
      try {
        value = await calls[i % 3]!();
      } catch (e) {
        error = e;
      }
      tally.calls += 1;
      const outcome = error === undefined ? "ok" : (error as Error).name;
      tally.outcomes[outcome] = (tally.outcomes[outcome] ?? 0) + 1;
      if (error !== undefined && !(error instanceof NimbusError)) {
        throw new Error(`call ${i}, not a NimbusError: ${outcome}: ${(error as Error).message}`, { cause: error });
      }
      expect(performance.now() - started).toBeLessThan(2 * TIMEOUT);
      if (i % 3 === 2) {
        adds.push({
          name,
          id: (value as { id?: string } | undefined)?.id,
          refused: ((error as NimbusError | undefined)?.status ?? 0) >= 400,
        });
      }
    }
  } finally {
    proxy.setFaults(undefined);
  }
  const injected = proxy.records.slice(first).filter((r) => r.fault !== "none").length;
  tally.injected += injected;
  // The plan really bit (ten rules at 4% each fault about a third of the requests).
  expect(injected).toBeGreaterThan(5);
  for (const add of adds) {
    const held = engine.state.find("vms", add.name);
    if (add.id) expect(held?.id).toBe(add.id);
    else if (add.refused) expect(held).toBeUndefined();
  }
});
