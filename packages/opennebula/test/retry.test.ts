// Which calls OneServer sends again, through common's fault proxy in front of the simulator: a read-only
// method (methods.ts's `readOnly`) after a lost connection, a cut body or a 429/502/503, from scratch;
// any other method never once it may have reached oned.
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { AbortError, ConnectionError, ServerError } from "@nimbus-sdk/common";
import { startFaultProxy, type Fault, type FaultProxy } from "@nimbus-sdk/common/testing";
import { OneServer, methods, type MethodMeta, type MethodName } from "../src/index.js";
import { startServer, type OneTestServer } from "../src/testing/index.js";

jest.setTimeout(30_000);

let sim: OneTestServer;
let proxy: FaultProxy;
let one: OneServer;
let direct: OneServer;
let vmId: number;

beforeAll(async () => {
  sim = await startServer({ transitionMs: 20 });
  vmId = sim.seedVms(20)[0]!;
  proxy = await startFaultProxy({ target: new URL(sim.endpoint).origin });
  one = new OneServer(proxy.rewrite(sim.endpoint), {
    session: sim.session,
    proxy: false,
    timeout: 1500,
    retry: { limit: 2, baseDelay: 10, maxDelay: 50, maxRetryAfter: 1000 },
  });
  direct = new OneServer(sim.endpoint, { session: sim.session, proxy: false });
});

afterAll(async () => {
  await one?.close();
  await direct?.close();
  await proxy?.stop();
  await sim?.close();
  expect(sim.errors()).toEqual([]);
});

const rpc = { method: "POST", path: "/RPC2" };

/** `call` with `fault` in its first request; the faults the proxy recorded meanwhile, one per request. */
async function faulted<T>(fault: Fault, call: () => Promise<T>) {
  const before = proxy.records.length;
  const trial = await proxy.trial(fault, rpc, call);
  return { ...trial, requests: proxy.records.slice(before).map((r) => `${r.fault}${r.forwarded ? "" : " (kept)"}`) };
}

const readOnlyFlag = (name: string) => (methods[name as MethodName] as MethodMeta).readOnly;

describe("the read-only methods", () => {
  const readOnly = (Object.keys(methods) as MethodName[]).filter((name) => readOnlyFlag(name) === true);

  it("are the info, monitoring, accounting, showback, version, config and raftstatus reads", () => {
    expect(readOnly).toHaveLength(55);
    for (const name of [
      "one.vm.info",
      "one.vmpool.info",
      "one.vmpool.infoextended",
      "one.vmpool.infoset",
      "one.vmpool.monitoring",
      "one.host.monitoring",
      "one.vmpool.accounting",
      "one.vmpool.showback",
      "one.userquota.info",
      "one.acl.info",
      "one.hooklog.info",
      "one.system.version",
      "one.system.config",
      "one.zone.raftstatus",
    ]) {
      expect([name, readOnlyFlag(name)]).toEqual([name, true]);
    }
  });

  it("leave out every call that changes state, those named like reads included", () => {
    for (const name of [
      "one.user.login", // issues a token
      "one.vmpool.calculateshowback", // stores showback records
      "one.host.status",
      "one.user.quota",
      "one.system.sql",
      "one.system.sqlquery",
      "one.zone.voterequest",
      "one.vm.action",
      "one.template.allocate",
    ]) {
      expect([name, readOnlyFlag(name)]).toEqual([name, undefined]);
    }
    // An integer answer is the ID or code of a write.
    expect(readOnly.filter((name) => methods[name].result.type === "int")).toEqual([]);
  });
});

describe("a read", () => {
  it("cut mid-body is sent again from scratch and its document decoded whole", async () => {
    const expected = (await direct.vmpool.info(-2, -1, -1, -1)).VM.map((vm) => vm.ID);
    const { value, error, requests } = await faulted({ kind: "reset-during-body" }, () =>
      one.vmpool.info(-2, -1, -1, -1),
    );
    expect(error).toBeUndefined();
    expect(value!.VM.map((vm) => vm.ID)).toEqual(expected);
    expect(requests).toEqual(["reset-during-body", "none"]);
  });

  it("answering a string recovers from a 503 with Retry-After", async () => {
    const { value, error, requests } = await faulted({ kind: "status", status: 503, retryAfter: 0 }, () =>
      one.system.version(),
    );
    expect(error).toBeUndefined();
    expect(value).toBe(await direct.system.version());
    expect(requests).toEqual(["status (kept)", "none"]);
  });

  it("made through call() by its XML-RPC name is sent again too", async () => {
    const { value, error, requests } = await faulted({ kind: "reset-before-body" }, () =>
      one.call<string>("one.vm.info", [vmId]),
    );
    expect(error).toBeUndefined();
    expect(value).toContain(`<ID>${vmId}</ID>`);
    expect(requests).toEqual(["reset-before-body", "none"]);
  });

  it("faulted on every attempt ends in a ConnectionError after the retry limit", async () => {
    const before = proxy.records.length;
    proxy.setFaults([{ ...rpc, fault: "reset-before-body" }]);
    try {
      await expect(one.vm.info(vmId)).rejects.toBeInstanceOf(ConnectionError);
    } finally {
      proxy.setFaults(undefined);
    }
    expect(proxy.records.length - before).toBe(3);
  });

  it("cancelled while it waits to be sent again ends in an AbortError, and is not sent again", async () => {
    const controller = new AbortController();
    const { error, requests } = await faulted({ kind: "status", status: 429, retryAfter: 1 }, () => {
      const call = one.vm.info(vmId, false, { signal: controller.signal });
      setTimeout(() => controller.abort(), 200);
      return call;
    });
    expect(error).toBeInstanceOf(AbortError);
    expect(requests).toEqual(["status (kept)"]);
  });
});

describe("a write", () => {
  const held = async (name: string) =>
    (await direct.templatepool.info(-2, -1, -1)).VMTEMPLATE.filter((t) => t.NAME === name).map((t) => t.ID);

  it("whose connection is lost after oned got it is not sent again: one template, an error", async () => {
    const { error, requests } = await faulted({ kind: "reset-before-body" }, () =>
      one.template.allocate('NAME = "retry_reset"\nCPU = "1"\nMEMORY = "64"'),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(requests).toEqual(["reset-before-body"]);
    // oned allocated it once; the caller was told the outcome is unknown, not that nothing was stored.
    expect(await held("retry_reset")).toHaveLength(1);
  });

  it("cut mid-body is not sent again", async () => {
    const { error, requests } = await faulted({ kind: "reset-during-body" }, () =>
      one.template.allocate('NAME = "retry_cut"\nCPU = "1"\nMEMORY = "64"'),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(requests).toEqual(["reset-during-body"]);
    expect(await held("retry_cut")).toHaveLength(1);
  });

  it("answered 503 with Retry-After is not sent again, and nothing is stored", async () => {
    const { error, requests } = await faulted({ kind: "status", status: 503, retryAfter: 0 }, () =>
      one.template.allocate('NAME = "retry_503"\nCPU = "1"\nMEMORY = "64"'),
    );
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(503);
    expect(requests).toEqual(["status (kept)"]);
    expect(await held("retry_503")).toEqual([]);
  });
});
