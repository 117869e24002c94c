// The PyONE examples, line by line, against the simulator: what the README's table promises.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { LCM_STATE, MARKETPLACEAPP_STATES, OneServer, VM_STATE, templateRoot } from "../src/index.js";
import { startServer, type OneTestServer } from "../src/testing/index.js";

let sim: OneTestServer;
let one: OneServer;

beforeAll(async () => {
  sim = await startServer({ transitionMs: 20 });
  one = new OneServer(sim.endpoint, { session: sim.session, timeout: 30_000 });
});

afterAll(async () => {
  await one.close();
  await sim.close();
  expect(sim.errors()).toEqual([]);
});

describe("PyONE's examples in TypeScript", () => {
  it("read, edit and send back a host's TEMPLATE", async () => {
    const hostpool = await one.hostpool.info();
    const host = hostpool.HOST[0]!;
    expect(host.ID).toBe(0);
    expect(typeof host.TEMPLATE["ARCH"]).toBe("string");
    expect(templateRoot(host.TEMPLATE)).toBe("TEMPLATE");
    host.TEMPLATE["NOTES"] = "Just updated";
    await one.host.update(0, host.TEMPLATE, 1);
    expect((await one.host.info(0)).TEMPLATE["NOTES"]).toBe("Just updated");
  });

  it("update with a flat dictionary and with a root key", async () => {
    await one.marketapp.update(0, { LABELS: "HD" }, 1);
    expect((await one.marketapp.info(0)).TEMPLATE["LABELS"]).toBe("HD");
    expect((await one.marketapp.info(0)).STATE).toBe(MARKETPLACEAPP_STATES.READY);
    await one.template.update(1, { TEMPLATE: { NAME: "abc", MEMORY: "1024", ATT1: "value1" } }, 1);
    expect((await one.template.info(1)).TEMPLATE).toMatchObject({ MEMORY: "1024", ATT1: "value1" });
  });

  it("allocate a host, instantiate a template, list and terminate VMs", async () => {
    const hostId = await one.host.allocate("localhost", "kvm", "kvm", 0);
    expect((await one.host.info(hostId)).NAME).toBe("localhost");
    const vmTemplate = (await one.templatepool.info(-1, -1, -1)).VMTEMPLATE[0]!;
    expect(vmTemplate.ID).toBe(0);
    const id = await one.template.instantiate(0, "my_VM");
    const myVm = (await one.vmpool.info(-1, -1, -1, -1)).VM.find((vm) => vm.ID === id)!;
    expect(myVm.NAME).toBe("my_VM");
    // The simulator's scheduler deploys at once, and terminate is refused in PROLOG and BOOT as
    // OpenNebula refuses it: let the VM reach RUNNING first, so the test does not race the deploy.
    await sim.idle();
    expect((await one.vm.info(id)).LCM_STATE).toBe(LCM_STATE.RUNNING);
    await one.vm.action("terminate", id);
    await sim.idle();
    expect((await one.vm.info(id)).STATE).toBe(VM_STATE.DONE);
  });
});
