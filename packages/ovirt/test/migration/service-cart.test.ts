// aiminickwong/service-cart lib/rhevlib/helpers.py, a v3 helper library that builds a VM from a "flavor":
// connect and name the product, add the VM, its NIC on a named network and its disk, wait for the disk,
// boot it once from CD then disk (kickstart), make a template of it and drop the VM. Each test ports one
// helper, following the README's table, and runs it against the simulator.
import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { params, type VmResource } from "../../src/index.js";
import { eventually, useEngine } from "./harness.js";

const session = useEngine();
const MB = 2 ** 20;
const GB = 2 ** 30;
const FLAVOR = "cart_small";

const vm = async (): Promise<VmResource> => (await session.api.vms.get({ name: FLAVOR }))!;

/** wait_for_vm(): `while str(status) != str(api.vms.get(name=vm_name).status.state): sleep`, the states seen. */
async function waitForVm(status: string): Promise<string[]> {
  const seen: string[] = [];
  await eventually(
    async () => String((await session.api.vms.get({ name: FLAVOR }))!.status!.state),
    (state) => {
      if (seen.at(-1) !== state) seen.push(state);
      return state === status;
    },
  );
  return seen;
}

describe("service-cart rhevlib helpers (v3)", () => {
  // get_connection(): `print "Connected to %s successfully!" % api.get_product_info().name`.
  it("api.get_product_info().name", () => {
    const name = session.api.get_product_info()!.name;
    expect(typeof name).toBe("string");
    expect(`Connected to ${name} successfully!`).toMatch(/^Connected to .+ successfully!$/);
  });

  // add_vm(): `vm = api.vms.add(vm=params.VM(name=..., memory=..., cluster=api.clusters.get(name=...),
  // template=api.templates.get(name="Blank"), os=params.OperatingSystem(boot=[params.Boot(dev="hd")])))`,
  // the VM being what add returns.
  it("vm = api.vms.add(vm=params.VM(..., os=params.OperatingSystem(boot=[params.Boot(dev='hd')])))", async () => {
    const { api } = session;
    const added = await api.vms.add(
      new params.VM({
        name: FLAVOR,
        memory: 1024 * MB,
        cluster: await api.clusters.get({ name: "Default" }),
        template: await api.templates.get({ name: "Blank" }),
        os: new params.OperatingSystem({ boot: [new params.Boot({ dev: "hd" })] }),
      }),
    );
    expect([added.get_name(), added.memory, added.os!.boot![0]!.dev]).toEqual([FLAVOR, 1024 * MB, "hd"]);
    await waitForVm("down");
  });

  // add_nic(): `nic_network = api.networks.get(name=network_name)`, `vm.nics.add(params.NIC(name=nic_name,
  // interface="virtio", network=nic_network))`, then `nic.get_name()` and `vm.get_name()` for the message.
  it("vm.nics.add(params.NIC(..., network=api.networks.get(name=...))) and nic.get_name()", async () => {
    const { api } = session;
    const network = (await api.networks.get({ name: "ovirtmgmt" }))!;
    const nic = await (await vm()).nics.add(new params.NIC({ name: "eth0", interface: "virtio", network }));
    expect(`Network interface '${nic.get_name()}' added to '${(await vm()).get_name()}'.`).toBe(
      `Network interface 'eth0' added to '${FLAVOR}'.`,
    );
    const profile = (await api.vnicprofiles.get({ id: nic.vnic_profile!.id! }))!;
    expect(profile.network!.id).toBe(network.id);
  });

  // add_disk() and wait_for_disk(): `params.Disk(storage_domains=params.StorageDomains(storage_domain=[
  // api.storagedomains.get(name=...)]), size=..., type_=disk_type, interface="virtio", format="cow",
  // bootable=True)`, `disk = vm.disks.add(...)`, then `while str(status) !=
  // str(api.disks.get(disk.get_name()).status.state): sleep`. The helper's type_="system" has no v4
  // equivalent and is refused naming what v4 has; "data" is taken.
  it("vm.disks.add(params.Disk(..., bootable=True)); api.disks.get(disk.get_name()).status.state", async () => {
    const { api } = session;
    expect(
      () => new params.Disk({ size: 8 * GB, type_: "system", interface: "virtio", format: "cow", bootable: true }),
    ).toThrow(ValidationError);
    const sd = new params.StorageDomains({ storage_domain: [(await api.storagedomains.get({ name: "mydata" }))!] });
    const added = await (
      await vm()
    ).disks.add(
      new params.Disk({
        storage_domains: sd,
        size: 8 * GB,
        type_: "data",
        interface: "virtio",
        format: "cow",
        bootable: true,
      }),
    );
    const name = added.get_name()!;
    expect(name).toBeTruthy();
    const state = await eventually(
      async () => String((await api.disks.get(name))!.status!.state),
      (s) => s === "ok",
    );
    expect(state).toBe("ok");
  });

  // kickstart_vm(): `a = params.Action()`, `a.vm = params.VM(os=params.OperatingSystem(boot=[
  // params.Boot(dev="cdrom"), params.Boot(dev="hd")]))`, `vm.start(action=a)` (the keyword argument), then
  // wait_for_vm(..., "down") once the guest powers off.
  it("a = params.Action(); a.vm = params.VM(os=...); vm.start(action=a)", async () => {
    const a = new params.Action();
    a.vm = new params.VM({
      os: new params.OperatingSystem({ boot: [new params.Boot({ dev: "cdrom" }), new params.Boot({ dev: "hd" })] }),
    });
    const ack = await (await vm()).start({ action: a });
    expect(ack.status!.state).toBe("complete");
    expect(await waitForVm("up")).toContain("up");
    // A member given both in the action and beside it is refused rather than one of them dropped.
    await expect((await vm()).start({ action: new params.Action({ async: true }), async: false })).rejects.toThrow(
      /async is given both in action and beside it/,
    );
    await (await vm()).stop();
    expect(await waitForVm("down")).toContain("down");
  });

  // create_template(): `template = api.templates.get(template_name); if template: template.delete()`, then
  // `api.templates.add(params.Template(name=..., vm=api.vms.get(vm_name), cluster=api.clusters.get(...)))`,
  // wait_for_vm(api, vm_name, "down") while the engine copies the disks (the VM is image_locked), and
  // `vm.delete()`.
  it("templates.get(name) None-check, templates.add(params.Template(vm=...)), wait for the VM, vm.delete()", async () => {
    const { api } = session;
    const old = await api.templates.get(FLAVOR);
    if (old) await old.delete();
    expect(old).toBeUndefined();
    const template = await api.templates.add(
      new params.Template({ name: FLAVOR, vm: await api.vms.get(FLAVOR), cluster: await api.clusters.get("Default") }),
    );
    expect(template.get_name()).toBe(FLAVOR);
    expect((await vm()).status!.state).toBe("image_locked");
    expect(await waitForVm("down")).toEqual(["image_locked", "down"]);
    await (await vm()).delete();
    expect(await api.vms.get({ name: FLAVOR })).toBeUndefined();
    expect((await api.templates.get(FLAVOR))!.status!.state).toBe("ok");
  });
});
