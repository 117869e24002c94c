// v3's shapes of lists read from the engine: `os.boot` as a list of Boot objects, and list members read through
// v3's list objects. Each test ports an idiom of a public v3 script (or of v3's api.xsd) named above it and runs
// it against the simulator. None casts: the package's typecheck covers test/, so the types are tested too.
import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { params, type VmResource } from "../../src/index.js";
import { useEngine } from "./harness.js";

const session = useEngine();

async function addVm(name: string, boot: string[]): Promise<VmResource> {
  const { api } = session;
  // flerxu/rhel7-init-pack abc.py: `vm_os = params.OperatingSystem(boot=[params.Boot(dev="hd")])`, then
  // `api.vms.add(vm=params.VM(name=vm_name, memory=vm_memory, cluster=vm_cluster, template=vm_template, os=vm_os))`.
  return api.vms.add(
    new params.VM({
      name,
      memory: 512 * 2 ** 20,
      cluster: await api.clusters.get({ name: "Default" }),
      template: await api.templates.get({ name: "Blank" }),
      os: new params.OperatingSystem({ boot: boot.map((dev) => new params.Boot({ dev })) }),
    }),
  );
}

describe("os.boot, v3's list of Boot objects", () => {
  // RHEV QE's ART tests (template inheritance, VMOs.setup_class): the default boot device is
  // `blank_temp.get_os().get_boot()[0].get_dev()`; api.xsd: OperatingSystem holds `boot` maxOccurs="unbounded".
  it("reads back as v3 gave it: os.boot[0].dev, get_boot()[i].get_dev(), length, map and for...of", async () => {
    const vm = await addVm("boot_vm", ["hd", "cdrom"]);
    const fetched = (await session.api.vms.get("boot_vm"))!;
    for (const read of [vm, fetched]) {
      const boot = read.os!.boot!;
      expect(boot.length).toBe(2);
      expect(boot[0]!.dev).toBe("hd");
      expect(read.get_os()!.get_boot()![1]!.get_dev()).toBe("cdrom");
      expect(boot.map((b) => b.dev)).toEqual(["hd", "cdrom"]);
      const devs: (string | undefined)[] = [];
      for (const b of boot) devs.push(b.get_dev());
      expect(devs).toEqual(["hd", "cdrom"]);
      expect(boot[2]).toBeUndefined();
    }
  });

  // The same object is API v4's Boot: `vm.os.boot.devices`, and, with v3's list objects, the ART idiom of
  // the 4.x era `template_obj.get_os().get_boot().get_devices().get_device()`. JSON keeps v4's shape.
  it("is v4's Boot too: boot.devices, get_devices().get_device(), JSON { devices }", async () => {
    const vm = (await session.api.vms.get("boot_vm"))!;
    expect(vm.os!.boot!.devices).toEqual(["hd", "cdrom"]);
    expect(vm.get_os()!.get_boot()!.get_devices()!.get_device()).toEqual(["hd", "cdrom"]);
    expect(JSON.parse(JSON.stringify(vm)).os.boot).toEqual({ devices: ["hd", "cdrom"] });
    expect(JSON.parse(JSON.stringify(vm.os!.boot))).toEqual({ devices: ["hd", "cdrom"] });
    expect(Object.keys(vm.os!.boot!)).toEqual(["devices"]);
    expect(structuredClone(vm.os)!.boot).toEqual({ devices: ["hd", "cdrom"] });
  });

  // v3 changed the boot order of a fetched VM in place and sent it with update(): an item's dev, a new list
  // (`vm.get_os().set_boot([params.Boot(dev="network")])`), or a whole OperatingSystem.
  it("goes out as v4's devices on update(), whichever way it was changed", async () => {
    const vm = (await session.api.vms.get("boot_vm"))!;
    vm.os!.boot![0]!.dev = "network";
    const first = await vm.update();
    expect(first.os!.boot!.devices).toEqual(["network", "cdrom"]);

    first.get_os()!.set_boot([new params.Boot({ dev: "cdrom" }), new params.Boot({ dev: "hd" })]);
    const second = await first.update();
    expect(second.os!.boot!.map((b) => b.dev)).toEqual(["cdrom", "hd"]);

    second.set_os(new params.OperatingSystem({ boot: [new params.Boot({ dev: "hd" })] }));
    const third = await second.update();
    expect((await third.reload()).os!.boot!.devices).toEqual(["hd"]);

    third.os!.boot!.set_devices(["network", "hd"]); // v4's member, with generateDS's setter
    expect((await third.update()).os!.boot![0]!.get_dev()).toBe("network");
  });

  it("refuses a boot item without a dev, or a device v4 does not have, before sending", async () => {
    const vm = (await session.api.vms.get("boot_vm"))!;
    const sent = session.engine.state.requests.length;
    vm.os!.set_boot([{}]);
    await expect(vm.update()).rejects.toThrow(ValidationError);
    await expect(vm.update()).rejects.toThrow(/os\.boot\[0\] must be a Boot with a dev/);
    vm.os!.set_boot([new params.Boot({ dev: "floppy" })]);
    await expect(vm.update()).rejects.toThrow(/must be one of "cdrom", "hd", "network"/);
    expect(session.engine.state.requests.length).toBe(sent);
  });
});

describe("list members read through v3's list objects, typed", () => {
  // api.xsd: VmPlacementPolicy holds `hosts`, a Hosts list object (`<hosts><host id="..."/></hosts>`), read as
  // `vm.placement_policy.hosts.host[0].id` or `vm.get_placement_policy().get_hosts().get_host()`.
  it("vm.placement_policy.hosts.host[0] and its getters", async () => {
    const { api } = session;
    const host1 = (await api.hosts.get("host1"))!;
    const vm = await api.vms.add(
      new params.VM({
        name: "placed",
        cluster: new params.Cluster({ name: "Default" }),
        template: new params.Template({ name: "Blank" }),
        placement_policy: new params.VmPlacementPolicy({
          hosts: new params.Hosts({ host: [new params.Host({ id: host1.id })] }),
          affinity: "pinned",
        }),
      }),
    );
    expect(vm.placement_policy!.hosts!.host[0]!.id).toBe(host1.id);
    expect(vm.get_placement_policy()!.get_hosts()!.get_host()[0]!.get_id()).toBe(host1.id);
    // Still v4's array.
    expect(vm.placement_policy!.hosts!.map((h) => h.id)).toEqual([host1.id]);
  });
});
