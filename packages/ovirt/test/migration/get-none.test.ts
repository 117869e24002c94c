// v3's `get()` gave None when nothing matched, and scripts branch and loop on it. Each test is a port,
// following the README's table, of an idiom from a public v3 script (named above it).
import { describe, expect, it } from "@jest/globals";
import { NotFound, params } from "../../src/index.js";
import { tick, useEngine } from "./harness.js";

const session = useEngine();

describe("get() finding nothing is undefined (v3's None)", () => {
  // ansible/ansible-modules-extras cloud/misc/ovirt.py, get_vm(): `vm = conn.vms.get(name=vmname);
  // if vm == None: name = "empty"`, and main() creates the VM only when it is "empty".
  it("get({ name }) of a missing VM: undefined, so the create-if-absent branch runs", async () => {
    const { api } = session;
    const getVm = async (name: string) => ((await api.vms.get({ name })) === undefined ? "empty" : name);
    expect(await getVm("ansible_vm")).toBe("empty");
    await api.vms.add(
      new params.VM({
        name: "ansible_vm",
        cluster: await api.clusters.get({ name: "Default" }),
        template: await api.templates.get({ name: "Blank" }),
      }),
    );
    expect(await getVm("ansible_vm")).toBe("ansible_vm");
  });

  // ansible/ansible-modules-extras cloud/misc/ovirt.py, vm_restart(): `conn.vms.get(vmname)`, the name
  // as the first positional argument.
  it("get(name) with the name alone, as v3's positional argument", async () => {
    const vm = await session.api.vms.get("python_vm");
    expect(vm?.name).toBe("python_vm");
    expect(await session.api.vms.get("no_such_vm")).toBeUndefined();
  });

  // The remove-and-wait loop, `while api.vms.get(id=i): sleep`, over the same None as
  // ansible/ansible-modules-extras cloud/misc/ovirt.py get_vm().
  it("get({ id }) of a removed VM: undefined, so `while (await get({ id }))` ends", async () => {
    const { api } = session;
    const vm = await api.vms.add(
      new params.VM({
        name: "doomed_vm",
        cluster: await api.clusters.get({ name: "Default" }),
        template: await api.templates.get({ name: "Blank" }),
      }),
    );
    await session.engine.idle();
    await vm.delete();
    let polls = 0;
    while (await api.vms.get({ id: vm.id! })) {
      polls += 1;
      if (polls > 100) throw new Error("the VM never went away");
      await tick();
    }
    expect(await api.vms.get({ id: vm.id! })).toBeUndefined();
  });

  // Sub-collections gave None too (v3's brokers.py get() on every collection).
  it("a sub-collection's get: undefined for a NIC the VM does not have, and for vm.disks", async () => {
    const vm = await session.api.vms.getOrThrow({ name: "python_vm" });
    expect(await vm.nics.get({ name: "no_such_nic" })).toBeUndefined();
    expect(await vm.disks.get({ name: "no_such_disk" })).toBeUndefined();
  });

  it("getOrThrow, for new code: the NotFound get() used to throw", async () => {
    const { api } = session;
    await expect(api.vms.getOrThrow({ name: "no_such_vm" })).rejects.toBeInstanceOf(NotFound);
    await expect(api.vms.getOrThrow({ id: "00000000-0000-0000-0000-00000000dead" })).rejects.toMatchObject({
      status: 404,
    });
    const vm = await api.vms.getOrThrow("python_vm");
    await expect(vm.disks.getOrThrow("no_such_disk")).rejects.toBeInstanceOf(NotFound);
  });

  it("an error other than nothing found still throws from get()", async () => {
    session.engine.failNext({ kind: "status", status: 500 });
    await expect(session.api.vms.get({ id: "00000000-0000-0000-0000-00000000beef" })).rejects.not.toBeInstanceOf(
      NotFound,
    );
  });
});
