// ansible/ansible lib/ansible/modules/cloud/misc/rhevm.py (Ansible's `rhevm` module, v3 only): its RHEVConn
// class edits a VM member by member (memory, memory policy, CPUs, CPU shares, delete protection, boot order,
// placement host), adds disks and NICs and polls them, starts, migrates and stops the VM, and reads it back
// for the module's facts. Each test ports one of its methods, following the README's table, and runs it
// against the simulator.
import { describe, expect, it } from "@jest/globals";
import { params, RequestError, type VmResource } from "../../src/index.js";
import { eventually, useEngine } from "./harness.js";

const session = useEngine();
const GB = 2 ** 30;
const NAME = "rhevm_vm";

/** get_VM(): `self.conn.vms.get(name=vm_name)`. */
const getVM = async (): Promise<VmResource> => (await session.api.vms.get({ name: NAME }))!;

/** wait_VM(): `while VM.status.state != state: VM = self.get_VM(vmname); time.sleep(10)`. */
const waitVM = (state: string) =>
  eventually(
    async () => (await getVM()).status!.state,
    (s) => s === state,
  );

describe("Ansible rhevm module (v3)", () => {
  // createVM(): `params.VM(name=..., cluster=conn.clusters.get(name=...), os=params.OperatingSystem(type_=os),
  // template=conn.templates.get(name="Blank"), type_=actiontype)`, `conn.vms.add(vmparams)`.
  it("createVM(): vms.add(params.VM(..., os=params.OperatingSystem(type_=...), type_='server'))", async () => {
    const { api } = session;
    await api.vms.add(
      new params.VM({
        name: NAME,
        cluster: await api.clusters.get({ name: "Default" }),
        os: new params.OperatingSystem({ type_: "rhel_7x64" }),
        template: await api.templates.get({ name: "Blank" }),
        type_: "server",
      }),
    );
    expect(await waitVM("down")).toBe("down");
  });

  // set_Memory(), set_Memory_Policy(), set_CPU(), set_CPU_share(): each fetches the VM, assigns one member
  // (nested ones in place: `VM.memory_policy.guaranteed = ...`, `VM.cpu.topology.cores = ...`) and calls
  // `VM.update()`.
  it("VM.memory = ...; VM.memory_policy.guaranteed = ...; VM.cpu.topology.cores = ...; VM.cpu_shares = ...", async () => {
    let VM = await getVM();
    VM.memory = 2 * GB;
    await VM.update();
    VM = await getVM();
    VM.memory_policy!.guaranteed = GB;
    await VM.update();
    VM = await getVM();
    VM.cpu!.topology!.cores = 2;
    await VM.update();
    VM = await getVM();
    VM.cpu_shares = 1024;
    await VM.update();
    const now = await getVM();
    expect([now.memory, now.memory_policy!.guaranteed, now.cpu!.topology!.cores, now.cpu_shares]).toEqual([
      2 * GB,
      GB,
      2,
      1024,
    ]);
  });

  // createDisk(): `VM.disks.add(params.Disk(name=..., size=GB*n, wipe_after_delete=True, sparse=...,
  // interface=..., format=..., bootable=..., storage_domains=params.StorageDomains(storage_domain=[
  // conn.storagedomains.get(name=...)])))`, then `VM.update()` with nothing changed, then
  // `while currentdisk.status.state != 'ok': currentdisk = VM.disks.get(name=diskname)`.
  it("createDisk(): VM.disks.add(...); VM.update(); poll VM.disks.get(name=...).status.state", async () => {
    const { api } = session;
    const VM = await getVM();
    await VM.disks.add(
      new params.Disk({
        name: `${NAME}_Disk0`,
        size: 3 * GB,
        wipe_after_delete: true,
        sparse: true,
        interface: "virtio",
        format: "cow",
        bootable: true,
        storage_domains: new params.StorageDomains({
          storage_domain: [(await api.storagedomains.get({ name: "mydata" }))!],
        }),
      }),
    );
    const updated = await VM.update();
    expect(updated.memory).toBe(2 * GB);
    const disk = await eventually(
      async () => (await VM.disks.get({ name: `${NAME}_Disk0` }))!,
      (d) => d.status!.state === "ok",
    );
    expect([disk.size, disk.bootable]).toEqual([3 * GB, true]);
  });

  // createNIC(): `CLUSTER = conn.clusters.get(id=VM.cluster.id)`, `DC = conn.datacenters.get(id=
  // CLUSTER.data_center.id)`, `VM.nics.add(params.NIC(name=..., network=DC.networks.get(name=vlan),
  // interface=...))`, `VM.update()`, then `while currentnic.active is not True: currentnic =
  // VM.nics.get(name=nicname)`: v3's `active` is v4's `plugged`.
  it("createNIC(): network=DC.networks.get(name=...); poll VM.nics.get(name=...).active", async () => {
    const { api } = session;
    const VM = await getVM();
    const CLUSTER = (await api.clusters.get({ id: VM.cluster!.id! }))!;
    const DC = (await api.datacenters.get({ id: CLUSTER.data_center!.id! }))!;
    await VM.nics.add(
      new params.NIC({ name: "nic1", network: await DC.networks.get({ name: "ovirtmgmt" }), interface: "virtio" }),
    );
    await VM.update();
    const nic = await eventually(
      async () => (await VM.nics.get({ name: "nic1" }))!,
      (n) => n.active === true,
    );
    expect([nic.active, nic.get_active(), nic.plugged]).toEqual([true, true, true]);
    // And written as v3 wrote it: params.NIC(active=False) is sent as plugged=false.
    const unplugged = await VM.nics.add(
      new params.NIC({ name: "nic2", network: new params.Network({ name: "ovirtmgmt" }), active: false }),
    );
    expect([unplugged.plugged, unplugged.active]).toEqual([false, false]);
  });

  // set_BootOrder(): `VM.os.boot = [params.Boot(dev=device) for device in boot_order]; VM.update()`;
  // setBootOrder() compares `[str(boot_dev.dev) for boot_dev in VM.os.get_boot()]` first. The assignment
  // works at run time, but TypeScript types `os.boot` as it reads (v4's Boot, also v3's list): the port
  // uses generateDS's setter of it, `VM.os.set_boot(...)`, which v3 had too.
  it("VM.os.boot = [params.Boot(dev=...), ...]; VM.update(); [b.dev for b in VM.os.get_boot()]", async () => {
    const VM = await getVM();
    const current = [...VM.os!.get_boot()!].map((b) => String(b.dev));
    const wanted = ["network", "hd"];
    expect(current).not.toEqual(wanted);
    VM.os!.set_boot(wanted.map((dev) => new params.Boot({ dev })));
    await VM.update();
    expect([...(await getVM()).os!.get_boot()!].map((b) => String(b.dev))).toEqual(wanted);
  });

  // set_VM_Host(): `VM.placement_policy.host = conn.hosts.get(name=vmhost); VM.update()`.
  it("VM.placement_policy.host = hosts.get(name=...); VM.update()", async () => {
    const { api } = session;
    const VM = await getVM();
    const HOST = (await api.hosts.get({ name: "host1" }))!;
    VM.placement_policy!.host = HOST;
    await VM.update();
    expect((await getVM()).placement_policy!.host!.id).toBe(HOST.id);
  });

  // set_DeleteProtection() and remove_VM(): `VM.delete_protected = True; VM.update()`; a delete then fails
  // with the engine's error, which remove_VM() reports with str(e).
  it("VM.delete_protected = True; VM.update(); VM.delete() fails with RequestError", async () => {
    let VM = await getVM();
    VM.delete_protected = true;
    await VM.update();
    VM = await getVM();
    expect(VM.delete_protected).toBe(true);
    const error = await VM.delete().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect(String(error)).toMatch(/Delete protection is enabled/);
    VM.delete_protected = false;
    await VM.update();
  });

  // start_VM() + wait_VM(), then migrate_VM(): `HOST = conn.hosts.get(id=VM.host.id)`; unless it is the one
  // asked, `VM.migrate(action=params.Action(host=params.Host(name=vmhost)))`.
  it("VM.start(); wait up; VM.migrate(action=params.Action(host=params.Host(name=...)))", async () => {
    const { api } = session;
    await api.hosts.add(
      new params.Host({ name: "host2", address: "host2.example.com", cluster: await api.clusters.get("Default") }),
    );
    await eventually(
      async () => (await api.hosts.get({ name: "host2" }))!.status!.state,
      (s) => s === "up",
    );
    await (await getVM()).start();
    expect(await waitVM("up")).toBe("up");
    const VM = await getVM();
    const HOST = (await api.hosts.get({ id: VM.host!.id! }))!;
    const target = HOST.name === "host1" ? "host2" : "host1";
    await VM.migrate({ action: new params.Action({ host: new params.Host({ name: target }) }) });
    const placed = await eventually(
      async () => (await getVM()).host?.id,
      (id) => id !== undefined && id !== HOST.id,
    );
    expect((await api.hosts.get({ id: placed! }))!.name).toBe(target);
    expect(await waitVM("up")).toBe("up");
  });

  // getVM() (the module's facts): `VM.get_os().type_`, `VM.cpu.topology.cores`, `int(VM.memory) // GB`,
  // `VM.memory_policy.guaranteed`, `VM.delete_protected`, each of `VM.disks.list()` with `DISK.name`,
  // `DISK.size`, `DISK.interface` and `conn.storagedomains.get(id=DISK.get_storage_domains()
  // .get_storage_domain()[0].id).name`, each of `VM.nics.list()` with `NIC.name`, `NIC.interface`,
  // `NIC.mac.address`; `conn.clusters.get(id=VM.cluster.id).name`.
  it("getVM(): the facts read from the VM, its disks and NICs", async () => {
    const { api } = session;
    const VM = await getVM();
    const disks = await Promise.all(
      (await VM.disks.list()).map(async (DISK) => ({
        name: DISK.name,
        size: Math.floor(DISK.size! / GB),
        domain: (await api.storagedomains.get({ id: DISK.get_storage_domains()!.get_storage_domain()[0]!.id! }))!.name,
        interface: DISK.interface,
      })),
    );
    const ifaces = (await VM.nics.list()).map((NIC) => ({
      name: NIC.name,
      interface: NIC.interface,
      mac: NIC.mac!.address,
    }));
    const facts = {
      os: VM.get_os()!.type_,
      cpu_cores: VM.cpu!.topology!.cores,
      memory: Math.floor(VM.memory! / GB),
      mem_pol: Math.floor(VM.memory_policy!.guaranteed! / GB),
      del_prot: VM.delete_protected,
      cluster: (await api.clusters.get({ id: VM.cluster!.id! }))!.name,
    };
    expect(facts).toEqual({
      os: "rhel_7x64",
      cpu_cores: 2,
      memory: 2,
      mem_pol: 1,
      del_prot: false,
      cluster: "Default",
    });
    expect(disks).toEqual([{ name: `${NAME}_Disk0`, size: 3, domain: "mydata", interface: "virtio" }]);
    expect(ifaces.map((i) => i.name).sort()).toEqual(["nic1", "nic2"]);
    for (const iface of ifaces) expect(iface.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  });

  // stop_VM(), del_NIC() and remove_VM(): `VM.stop()`, wait down, `self.get_VM(vmname).nics.get(nicname)
  // .delete()`, `VM.delete()`.
  it("VM.stop(); wait down; VM.nics.get(name).delete(); VM.delete()", async () => {
    const { api } = session;
    await (await getVM()).stop();
    expect(await waitVM("down")).toBe("down");
    await (await (await getVM()).nics.get("nic2"))!.delete();
    expect((await (await getVM()).nics.list()).map((n) => n.name)).toEqual(["nic1"]);
    await (await getVM()).delete();
    expect(await api.vms.get({ name: NAME })).toBeUndefined();
  });
});
