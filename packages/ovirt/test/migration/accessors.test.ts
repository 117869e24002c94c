// generateDS's getters and setters (`get_name()`, `set_description(...)`), which v3 scripts use as much as
// the attributes. Each test ports, following the README's table, an idiom of a public v3 script named above
// it, and runs it against the simulator.
import { describe, expect, it } from "@jest/globals";
import { params } from "../../src/index.js";
import { tick, useEngine } from "./harness.js";

const session = useEngine();

describe("getters and setters (generateDS's get_x / set_x)", () => {
  // ansible/ansible-modules-extras cloud/misc/ovirt.py, get_vm(): `name = vm.get_name()`.
  it("get_name() of a fetched VM", async () => {
    const vm = (await session.api.vms.get({ name: "python_vm" }))!;
    expect(vm.get_name()).toBe("python_vm");
    expect(vm.get_id()).toBe(vm.id);
  });

  // ansible/ansible-modules-extras cloud/misc/ovirt.py, vm_restart(): `vm.stop()`, then
  // `while conn.vms.get(vmname).get_status().get_state() != 'down': time.sleep(5)`, then `vm.start()`.
  it("get_status().get_state() in ansible's restart loop", async () => {
    const { api, engine } = session;
    const vm = (await api.vms.get({ name: "python_vm" }))!;
    await vm.start();
    await engine.idle();
    await vm.stop();
    let polls = 0;
    while ((await api.vms.get("python_vm"))!.get_status()!.get_state() !== "down") {
      if (++polls > 400) throw new Error("the VM never went down");
      await tick();
    }
    await vm.start();
    await engine.idle();
    expect((await api.vms.get("python_vm"))!.get_status()!.get_state()).toBe("up");
    await (await vm.reload()).stop();
    await engine.idle();
  });

  // RedHatQE/wrapanapi wrapanapi/rhevm.py, rename_vm(): `vm.set_name(new_vm_name); vm.update()`.
  it("set_name() then update() renames the VM on the engine", async () => {
    const { api } = session;
    const vm = (await api.vms.get({ name: "python_vm" }))!;
    vm.set_name("renamed_vm");
    expect(vm.name).toBe("renamed_vm");
    const updated = await vm.update();
    expect(updated.get_name()).toBe("renamed_vm");
    expect(await api.vms.get({ name: "python_vm" })).toBeUndefined();
    const back = (await api.vms.get({ name: "renamed_vm" }))!;
    back.set_name("python_vm");
    await back.update();
    expect((await api.vms.get({ id: vm.id! }))!.name).toBe("python_vm");
  });

  // RedHatQE/wrapanapi wrapanapi/rhevm.py, _rename_template(): `template = api.templates.get(name=old)`,
  // `if template is None: raise`, `template.set_name(new)`, `template.update()`; _wait_template_ok() waits
  // for `api.templates.get(name=...).get_status().state == "ok"`.
  it("a template: None when missing, set_description() and update() when found", async () => {
    const { api } = session;
    expect(await api.templates.get({ name: "no_such_template" })).toBeUndefined();
    const template = (await api.templates.get({ name: "Blank" }))!;
    template.set_description("the blank template");
    const updated = await template.update();
    expect(updated.get_description()).toBe("the blank template");
  });

  // RedHatQE/wrapanapi wrapanapi/rhevm.py, vm_hardware_configuration(): `vm.get_memory()`,
  // `cpu = vm.get_cpu()`, `cpu.topology.cores * cpu.topology.sockets`; usage_and_quota():
  // `topology = host.get_cpu().get_topology()`.
  it("nested getters: get_cpu().get_topology() on a VM and a host", async () => {
    const { api } = session;
    const vm = (await api.vms.get({ name: "python_vm" }))!;
    expect(vm.get_memory()).toBe(vm.memory);
    const topology = vm.get_cpu()!.get_topology()!;
    expect(topology.get_cores()).toBe(vm.cpu!.topology!.cores);
    expect(topology.cores! * topology.sockets!).toBeGreaterThan(0);
    const host = (await api.hosts.get({ name: "host1" }))!;
    const hostTopology = host.get_cpu()!.get_topology()!;
    expect(hostTopology.get_sockets()).toBe(host.cpu!.topology!.sockets);
  });

  // RedHatQE/wrapanapi wrapanapi/rhevm.py, start_vm(): `ack = vm.start()`,
  // `if ack.get_status().get_state() == 'complete': return True`.
  it("the action's answer has getters too: ack.get_status().get_state()", async () => {
    const vm = (await session.api.vms.get({ name: "python_vm" }))!;
    const ack = await vm.start();
    expect(ack.get_status()!.get_state()).toBe("complete");
    await session.engine.idle();
    await (await vm.reload()).stop();
    await session.engine.idle();
  });

  // generateDS's params classes (oVirt/ovirt-engine-sdk branch sdk_3.6, src/ovirtsdk/xml/params.py) are
  // built empty and filled with setters: `vm = params.VM(); vm.set_name(...); vm.set_cluster(...)`.
  it("params classes: set_x() builds the object, get_x() reads it, add() sends it", async () => {
    const { api } = session;
    const vm = new params.VM();
    vm.set_name("setter_vm");
    vm.set_memory(2 ** 30);
    vm.set_cluster(await api.clusters.get({ name: "Default" }));
    vm.set_template(await api.templates.get({ name: "Blank" }));
    const cpu = new params.CPU();
    cpu.set_topology(new params.CpuTopology({ cores: 2, sockets: 1 }));
    vm.set_cpu(cpu);
    expect(vm.get_name()).toBe("setter_vm");
    expect(vm.get_cpu()?.topology?.cores).toBe(2);
    const added = await api.vms.add(vm);
    expect([added.get_name(), added.get_memory(), added.get_cpu()?.get_topology()?.get_cores()]).toEqual([
      "setter_vm",
      2 ** 30,
      2,
    ]);
  });

  it("the accessors live on shared prototypes: no own property per member, JSON unchanged", async () => {
    const vm = (await session.api.vms.get({ name: "python_vm" }))!;
    const other = (await session.api.vms.list())[0]!;
    expect(Object.hasOwn(vm, "get_name")).toBe(false);
    expect(vm.get_name).toBe(other.get_name);
    expect(Object.keys(JSON.parse(JSON.stringify(vm))).some((key) => key.startsWith("get_"))).toBe(false);
    expect(Object.keys(new params.VM({ name: "x" }))).toEqual(["name"]);
  });
});
