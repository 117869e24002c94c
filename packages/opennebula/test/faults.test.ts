// OpenNebula reads and writes through common's fault proxy, in front of the simulator: every fault kind
// (but kill-session: each XML-RPC call carries "user:password", there is no login session to end),
// once per call. Each call must succeed with the right answer or throw a NimbusError, within twice its
// timeout, with no unhandled rejection (jest-circus fails the running test on one: it replaces the
// process's listeners with its own); after a write the simulator must hold what the SDK reported: the
// template whose id it returned, and none after an error answer (status >= 400) from oned or a gateway.
// Other failures are an unknown outcome. Reads are read-only methods, sent again by the SDK: each recovers
// from a reset, a cut or stalled body and a 429/502/503 with Retry-After, in exactly one more request;
// garbage and an HTML page end in a NimbusError. A write is never sent twice: every fault ends it in a
// NimbusError after its one request.
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { NimbusError } from "@nimbus-sdk/common";
import { EVERY_FAULT, startFaultProxy, type Fault, type FaultProxy, type FaultRule } from "@nimbus-sdk/common/testing";
import { OneServer } from "../src/index.js";
import { startServer, type OneTestServer } from "../src/testing/index.js";

jest.setTimeout(30_000);

const TIMEOUT = 1500;

let sim: OneTestServer;
let proxy: FaultProxy;
let one: OneServer;
let direct: OneServer;
let vmId: number;
const tally = { calls: 0, injected: 0, outcomes: {} as Record<string, number> };

beforeAll(async () => {
  sim = await startServer({ transitionMs: 20 });
  vmId = sim.seedVms(3)[0]!;
  proxy = await startFaultProxy({ target: new URL(sim.endpoint).origin });
  one = new OneServer(proxy.rewrite(sim.endpoint), {
    session: sim.session,
    proxy: false,
    timeout: TIMEOUT,
    retry: { limit: 2, baseDelay: 50, maxDelay: 200, maxRetryAfter: 1000 },
  });
  direct = new OneServer(sim.endpoint, { session: sim.session, proxy: false });
});

afterAll(async () => {
  console.log(`opennebula faults: ${JSON.stringify(tally)}`);
  await one?.close();
  await direct?.close();
  await proxy?.stop();
  await sim?.close();
  expect(sim.errors()).toEqual([]);
});

const label = (fault: Fault) => (fault.kind === "status" ? `status ${fault.status}` : fault.kind);

/**
 * `call` with `fault` injected into its first request matching `where`: the rules every call keeps. Adds
 * `requests`: how many requests the call sent.
 */
async function underFault<T>(fault: Fault, where: Omit<FaultRule, "fault">, call: () => Promise<T>) {
  const before = proxy.records.length;
  const trial = await proxy.trial(fault, where, call);
  const requests = proxy.records.length - before;
  tally.calls += 1;
  tally.injected += trial.injected;
  const outcome = trial.failed ? (trial.error as Error).name : "ok";
  tally.outcomes[outcome] = (tally.outcomes[outcome] ?? 0) + 1;
  expect(trial.injected).toBe(1);
  if (trial.failed && !(trial.error instanceof NimbusError)) {
    throw new Error(`not a NimbusError: ${outcome}: ${(trial.error as Error).message}`, { cause: trial.error });
  }
  expect(trial.ms).toBeLessThan(2 * TIMEOUT);
  // A late rejection surfaces now, failing this test rather than the next.
  await new Promise((resolve) => setImmediate(resolve));
  return { ...trial, requests };
}

/** The faults a read recovers from by being sent once more. */
const READ_RECOVERS = new Set(["reset-before-body", "reset-during-body", "truncate", "status", "stall"]);

/** A read's outcome: the value after exactly one more request, or (garbage, html) an error after one. */
function expectRead(fault: Fault, trial: { failed: boolean; error?: unknown; requests: number }) {
  if (READ_RECOVERS.has(fault.kind)) {
    expect(trial.error).toBeUndefined();
    expect(trial.requests).toBe(2);
  } else {
    expect(trial.failed).toBe(true);
    expect(trial.requests).toBe(1);
  }
}

const FAULTS = EVERY_FAULT.filter((fault) => fault.kind !== "kill-session");
const rpc = { method: "POST", path: "/RPC2" };

it("without a fault every call passes through the proxy", async () => {
  expect((await one.vm.info(vmId)).ID).toBe(vmId);
  expect(proxy.records.at(-1)).toMatchObject({ fault: "none", forwarded: true, upstreamStatus: 200 });
});

describe.each(FAULTS.map((fault) => [label(fault), fault] as const))("%s", (_name, fault) => {
  it("vmpool.info: every VM, or a NimbusError", async () => {
    const trial = await underFault(fault, rpc, () => one.vmpool.info(-2, -1, -1, -1));
    expectRead(fault, trial);
    const { value } = trial;
    if (value) expect(value.VM.map((vm) => vm.ID)).toContain(vmId);
  });

  it("vm.info: the VM, or a NimbusError", async () => {
    const trial = await underFault(fault, rpc, () => one.vm.info(vmId));
    expectRead(fault, trial);
    const { value } = trial;
    if (value) expect(value.NAME).toBe(sim.inspect("vm", vmId)?.name);
  });

  it("templatepool.info: the templates, or a NimbusError", async () => {
    const trial = await underFault(fault, rpc, () => one.templatepool.info(-2, -1, -1));
    expectRead(fault, trial);
    const { value } = trial;
    if (value) {
      expect(value.VMTEMPLATE.map((t) => t.ID)).toEqual(
        (await direct.templatepool.info(-2, -1, -1)).VMTEMPLATE.map((t) => t.ID),
      );
    }
  });

  it("template.allocate: the simulator holds what the SDK reported", async () => {
    const name = `w_${label(fault).replace(/\W+/g, "_")}`;
    const { value, error, failed, requests } = await underFault(fault, rpc, () =>
      one.template.allocate(`NAME = "${name}"\nMEMORY = "128"\nCPU = "1"`),
    );
    // Never sent again, so never recovered: the fault's outcome is the caller's to know.
    expect(failed).toBe(true);
    expect(requests).toBe(1);
    const held = (await direct.templatepool.info(-2, -1, -1)).VMTEMPLATE.filter((t) => t.NAME === name);
    if (value !== undefined) {
      expect(held.map((t) => t.ID)).toEqual([value]);
      expect(held[0]!.TEMPLATE["MEMORY"]).toBe("128");
    } else if ((error as NimbusError).status! >= 400) {
      expect(held).toEqual([]);
    }
  });
});
