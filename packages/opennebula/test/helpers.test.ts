// The helpers beyond PyONE (iteratePool, findByName, waitForState) against the simulator, whose
// pools page, whose VMs move through oned's LCM states over time, and whose documents follow the XSDs.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { AbortError, NotFoundError, TimeoutError, ValidationError } from "@nimbus-sdk/common";
import {
  AmbiguousNameError,
  LCM_STATE,
  OneNoExistsException,
  OneServer,
  VM_STATE,
  VmStateError,
  findByName,
  iteratePool,
  waitForState,
  type VM,
} from "../src/index.js";
import { startServer, type OneTestServer } from "../src/testing/index.js";

let sim: OneTestServer;
let one: OneServer;
const calls: unknown[][] = [];

beforeAll(async () => {
  sim = await startServer({ transitionMs: 30 });
  sim.seedVms(23, { name: "paged" });
  one = new OneServer(sim.endpoint, { session: sim.session });
});

afterAll(async () => {
  await one.close();
  await sim.close();
  expect(sim.errors()).toEqual([]);
});

/** A OneServer whose calls are recorded, to see how the helpers page. */
function recording(): OneServer {
  const server = new OneServer(sim.endpoint, { session: sim.session });
  const call = server.call.bind(server);
  server.call = (method, params = [], options) => {
    calls.push([method, ...params]);
    return call(method, params, options);
  };
  return server;
}

const template = (name: string) => ({ NAME: name, CPU: "1", MEMORY: "128", DISK: { IMAGE_ID: "0" } });

describe("iteratePool", () => {
  it("pages with oned's offset and negative page size, until a short page", async () => {
    const server = recording();
    try {
      calls.length = 0;
      const vms = await iteratePool(server, "vmpool", { pageSize: 10 }).all();
      const all = (await server.vmpool.info(-2, -1, -1)).VM;
      expect(vms.map((vm) => vm.ID)).toEqual(all.map((vm) => vm.ID));
      expect(all.length).toBeGreaterThanOrEqual(23);
      const paged = calls.filter((c) => c[0] === "one.vmpool.info").slice(0, -1);
      expect(paged.map((c) => c.slice(1))).toEqual(
        Array.from({ length: Math.floor(all.length / 10) + 1 }, (_, i) => [-2, i * 10, -10, -1]),
      );
    } finally {
      await server.close();
    }
  });

  it("yields items with for await, typed as the pool's document says; pages() gives the pages", async () => {
    let count = 0;
    for await (const vm of iteratePool(one, "vmpool", { pageSize: 7 })) {
      expect(typeof vm.ID).toBe("number");
      expect(Array.isArray(vm.HISTORY_RECORDS?.HISTORY ?? [])).toBe(true);
      count++;
    }
    const sizes: number[] = [];
    for await (const page of iteratePool(one, "vmpool", { pageSize: 7 }).pages()) sizes.push(page.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(count);
    expect(sizes.slice(0, -1).every((n) => n === 7)).toBe(true);
  });

  it("lists full VM bodies with { extended: true }, and the pools oned does not page in one call", async () => {
    const [vm] = await iteratePool(one, "vmpool", { extended: true, pageSize: 2 }).all();
    const full: VM = vm!;
    expect(Array.isArray(full.TEMPLATE.DISK)).toBe(true);
    const hosts = await iteratePool(one, "hostpool").all();
    expect(hosts.length).toBeGreaterThan(0);
    expect(typeof hosts[0]!.TEMPLATE).toBe("object");
  });

  it("stops on the signal, and refuses a page size oned would read as 'all'", async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await (async () => {
      for await (const vm of iteratePool(one, "vmpool", { pageSize: 5, signal: controller.signal })) {
        seen.push(vm.ID!);
        if (seen.length === 5) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(seen).toHaveLength(5);
    expect(() => iteratePool(one, "vmpool", { pageSize: 1 })).toThrow(ValidationError);
    expect(() => iteratePool(one, "nopool" as "vmpool")).toThrow(/"nopool" is not a pool/);
  });
});

describe("findByName", () => {
  it("finds the one object of that name, else OneNoExistsException or AmbiguousNameError with the ids", async () => {
    const id = await one.template.allocate(template("lookup-unique"));
    const found = await findByName(one, "templatepool", "lookup-unique");
    expect(found.ID).toBe(id);
    expect(found.TEMPLATE["MEMORY"]).toBe("128");

    const missing = await findByName(one, "vmpool", "no-such-vm").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OneNoExistsException);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as Error).message).toBe('vmpool: no vm named "no-such-vm"');

    const first = await one.template.instantiate(id, "twin");
    const second = await one.template.instantiate(id, "twin");
    const twins = await findByName(one, "vmpool", "twin").catch((e: unknown) => e);
    expect(twins).toBeInstanceOf(AmbiguousNameError);
    expect((twins as AmbiguousNameError).ids).toEqual([first, second]);
    expect(await findByName(one, "hostpool", (await one.hostpool.info()).HOST[0]!.NAME!)).toBeDefined();
  });
});

describe("waitForState", () => {
  it("waits for RUNNING through the LCM states, reporting progress", async () => {
    const tid = await one.template.allocate(template("waited"));
    const id = await one.template.instantiate(tid, "waited-vm");
    const seen: string[] = [];
    const vm = await waitForState(one, id, "RUNNING", {
      interval: 10,
      timeout: 10_000,
      onProgress: (v) => seen.push(`${v.STATE}/${v.LCM_STATE}`),
    });
    expect([vm.STATE, vm.LCM_STATE]).toEqual([VM_STATE.ACTIVE, LCM_STATE.RUNNING]);
    expect(seen.at(-1)).toBe(`${VM_STATE.ACTIVE}/${LCM_STATE.RUNNING}`);

    await one.vm.action("poweroff", id);
    const off = await waitForState(one, id, { state: "POWEROFF" }, { interval: 10, timeout: 10_000 });
    expect(off.STATE).toBe(VM_STATE.POWEROFF);
  });

  it("fails at once with VmStateError when the VM is DONE, and honours timeout and signal", async () => {
    const tid = await one.template.allocate(template("doomed"));
    const id = await one.template.instantiate(tid, "doomed-vm");
    await waitForState(one, id, "RUNNING", { interval: 10, timeout: 10_000 });
    await one.vm.action("terminate-hard", id);
    const error = await waitForState(one, id, "SUSPENDED", { interval: 10, timeout: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VmStateError);
    expect(error).toMatchObject({ vmId: id, stateName: "DONE" });
    expect((error as Error).message).toMatch(new RegExp(`^VM ${id} is DONE, .* waiting for SUSPENDED$`));
    // DONE is fine when it is the target.
    expect((await waitForState(one, id, "DONE", { interval: 10 })).STATE).toBe(VM_STATE.DONE);

    const running = await one.template.instantiate(tid, "kept-running");
    await waitForState(one, running, "RUNNING", { interval: 10, timeout: 10_000 });
    await expect(waitForState(one, running, "STOPPED", { interval: 10, timeout: 50 })).rejects.toThrow(TimeoutError);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await expect(waitForState(one, running, "STOPPED", { interval: 10, signal: controller.signal })).rejects.toThrow(
      AbortError,
    );
  });

  it("fails fast with VmStateError when the VM rests where only an action moves it", async () => {
    const tid = await one.template.allocate(template("resting"));
    const held = await one.template.instantiate(tid, "held-vm", true);
    const started = Date.now();
    const error = await waitForState(one, held, "RUNNING", { interval: 10, restingGrace: 100, timeout: 10_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VmStateError);
    expect(error).toMatchObject({ vmId: held, stateName: "HOLD" });
    expect((error as Error).message).toMatch(/is HOLD, where it waits for an action/);
    expect(Date.now() - started).toBeLessThan(5000);

    const off = await one.template.instantiate(tid, "off-vm");
    await waitForState(one, off, "RUNNING", { interval: 10, timeout: 10_000 });
    await one.vm.action("poweroff", off);
    // While SHUTDOWN_POWEROFF is under way, a wait for POWEROFF goes on; resting there, one for RUNNING fails.
    await waitForState(one, off, "POWEROFF", { interval: 10, restingGrace: 0, timeout: 10_000 });
    await expect(
      waitForState(one, off, "RUNNING", { interval: 10, restingGrace: 50, timeout: 10_000 }),
    ).rejects.toMatchObject({ stateName: "POWEROFF" });
    // After the action that leaves the state, the same wait succeeds.
    await one.vm.action("resume", off);
    const resumed = await waitForState(one, off, "RUNNING", { interval: 10, restingGrace: 50, timeout: 10_000 });
    expect(resumed.LCM_STATE).toBe(LCM_STATE.RUNNING);
  });

  it("refuses a target that names no state, and passes on oned's errors", async () => {
    await expect(waitForState(one, 0, "SPINNING" as "RUNNING")).rejects.toThrow(ValidationError);
    await expect(waitForState(one, 999_999, "RUNNING", { interval: 10 })).rejects.toThrow(OneNoExistsException);
  });
});
