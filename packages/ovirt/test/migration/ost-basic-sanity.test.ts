// oVirt/ovirt-system-tests basic-suite-3.6/test-scenarios/004_basic_sanity.py (the v3 SDK's system tests):
// a VM made from Blank, its NIC and disks, snapshots, start with a placement, migration, export, events.
// Each test ports one of its steps, following the README's table, and runs it against the simulator.
import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { params, type VmResource } from "../../src/index.js";
import { eventually, useEngine } from "./harness.js";

const session = useEngine();
const MB = 2 ** 20;
const GB = 2 ** 30;
const VM0_NAME = "vm0";
const DISK0_NAME = "vm0_disk0";

const vm0 = async (): Promise<VmResource> => (await session.api.vms.get(VM0_NAME))!;
const diskParams = (name: string, bootable: boolean) =>
  new params.Disk({
    name,
    size: 10 * GB,
    interface: "virtio",
    format: "cow",
    storage_domains: new params.StorageDomains({ storage_domain: [new params.StorageDomain({ name: "mydata" })] }),
    status: null,
    sparse: true,
    bootable,
  });

describe("OST 004_basic_sanity (v3)", () => {
  // add_vm_blank(): `params.VM(name=VM0_NAME, memory=512*MB, cluster=params.Cluster(name=...),
  // template=params.Template(name='Blank'), display=params.Display(type_='spice'),
  // memory_policy=params.MemoryPolicy(guaranteed=vm_memory / 2))`; then `api.vms.get(VM0_NAME).status.state
  // == 'down'`.
  it("api.vms.add(params.VM(..., display=params.Display(type_='spice'), memory_policy=...))", async () => {
    const vmMemory = 512 * MB;
    await session.api.vms.add(
      new params.VM({
        name: VM0_NAME,
        memory: vmMemory,
        cluster: new params.Cluster({ name: "Default" }),
        template: new params.Template({ name: "Blank" }),
        display: new params.Display({ type_: "spice" }),
        memory_policy: new params.MemoryPolicy({ guaranteed: vmMemory / 2 }),
      }),
    );
    const vm = await eventually(vm0, (v) => v.status?.state === "down");
    expect([vm.display?.type_, vm.memory_policy?.guaranteed]).toEqual(["spice", 256 * MB]);
  });

  // add_nic(): `api.vms.get(VM0_NAME).nics.add(params.NIC(name='eth0', interface='virtio',
  // network=params.Network(name='ovirtmgmt')))`.
  it("vm.nics.add(params.NIC(network=params.Network(name='ovirtmgmt')))", async () => {
    const nic = await (
      await vm0()
    ).nics.add(
      new params.NIC({ name: "eth0", interface: "virtio", network: new params.Network({ name: "ovirtmgmt" }) }),
    );
    expect([nic.name, nic.interface]).toEqual(["eth0", "virtio"]);
    expect(nic.mac?.address).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  });

  // add_disk(): `params.Disk(name=DISK0_NAME, size=10*GB, provisioned_size=1, interface='virtio',
  // format='cow', storage_domains=params.StorageDomains(storage_domain=[params.StorageDomain(name='nfs')]),
  // status=None, sparse=True, bootable=True)`; `api.vms.get(VM0_NAME).disks.add(disk_params)`; then
  // `api.vms.get(VM0_NAME).disks.get(DISK0_NAME).status.state == 'ok'`. The port drops `provisioned_size=1`
  // (next test): `size` is API v4's provisioned_size.
  it("vm.disks.add(params.Disk(size=...)) and vm.disks.get(name).status.state == 'ok'", async () => {
    await (await vm0()).disks.add(diskParams(DISK0_NAME, true));
    const disk = await eventually(
      async () => (await (await vm0()).disks.get(DISK0_NAME))!,
      (d) => d.status?.state === "ok",
    );
    // v3's `size` reads back from the disk the engine made.
    expect([disk.size, disk.get_size(), disk.bootable]).toEqual([10 * GB, 10 * GB, true]);
    expect(String(disk.status)).toBe("ok"); // a Status, also when read through the VM's attachments
  });

  // The same script also gives `provisioned_size=1`: in API v4 both are one member, so the port must
  // choose; giving both is refused before anything is sent, naming them.
  it("size and provisioned_size together: a ValidationError naming both", async () => {
    const both = new params.Disk({ name: "twice", size: 10 * GB, provisioned_size: 1, format: "cow" });
    const error = await (await vm0()).disks.add(both).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(
      /vm.disks.add.size and vm.disks.add.provisioned_size are both API v4's provisioned_size/,
    );
  });

  // add_directlun(): `params.Disk(name=..., interface='virtio_scsi', format='raw', lun_storage=
  // params.Storage(type_='iscsi', logical_unit=[params.LogicalUnit(id=..., address=..., port=3260,
  // target=...)]))`; then `api.vms.get(VM0_NAME).disks.get(DLUN_DISK_NAME)` is not None.
  it("a direct LUN disk: lun_storage=params.Storage(type_='iscsi', logical_unit=[...])", async () => {
    await (
      await vm0()
    ).disks.add(
      new params.Disk({
        name: "DirectLunDisk",
        interface: "virtio_scsi",
        format: "raw",
        lun_storage: new params.Storage({
          type_: "iscsi",
          logical_unit: [
            new params.LogicalUnit({
              id: "36001405lun",
              address: "192.168.200.2",
              port: 3260,
              target: "iqn.2014-07.org.ovirt:storage",
            }),
          ],
        }),
      }),
    );
    const lun = await (await vm0()).disks.get("DirectLunDisk");
    expect(lun).not.toBeUndefined();
    expect(lun!.lun_storage?.logical_units?.[0]?.id).toBe("36001405lun");
    expect(lun!.lun_storage?.logical_unit?.[0]?.id).toBe("36001405lun"); // v3's name, read back
  });

  // snapshot_merge(): `snapshots.add(params.Snapshot(description='dead_snap1', persist_memorystate=False,
  // disks=params.Disks(disk=[params.Disk(id=api.vms.get(VM0_NAME).disks.get(DISK0_NAME).id)])))`, then
  // `snapshots.list()[-1].snapshot_status == 'ok'`; a second one; `snapshots.list()[-2].delete()`; then two
  // snapshots left, the last 'ok'.
  it("snapshots: add with disks=params.Disks(disk=[...]), snapshot_status 'ok', list()[-2].delete()", async () => {
    const snapshot = (description: string) =>
      new params.Snapshot({
        description,
        persist_memorystate: false,
        disks: new params.Disks({ disk: [new params.Disk({ id: diskId })] }),
      });
    const diskId = (await (await vm0()).disks.get(DISK0_NAME))!.id!;
    const lastOk = async () =>
      eventually(
        async () => (await (await vm0()).snapshots.list()).at(-1)!,
        (s) => s.snapshot_status === "ok",
      );
    await (await vm0()).snapshots.add(snapshot("dead_snap1"));
    expect((await lastOk()).description).toBe("dead_snap1");
    await (await vm0()).snapshots.add(snapshot("dead_snap2"));
    expect((await lastOk()).description).toBe("dead_snap2");
    await (await (await vm0()).snapshots.list()).at(-2)!.delete();
    const left = await (await vm0()).snapshots.list();
    expect(left).toHaveLength(2);
    expect([left.at(-1)!.description, left.at(-1)!.snapshot_status]).toEqual(["dead_snap2", "ok"]);
  });

  // add_vm_template(): `params.VM(..., os=params.OperatingSystem(type_='other_linux'), timezone='Etc/GMT',
  // type_='server', serial_number=params.SerialNumber(policy='custom', value='12345678'),
  // cpu=params.CPU(architecture='X86_64', topology=params.CpuTopology(cores=1, threads=2, sockets=1)),
  // display=params.Display(type_='vnc'), memory_policy=params.MemoryPolicy(guaranteed=..., ballooning=False))`.
  it("a VM with os, timezone, type_, serial_number, cpu architecture 'X86_64' and topology", async () => {
    const vmMemory = 512 * MB;
    await session.api.vms.add(
      new params.VM({
        name: "vm1",
        description: "CirrOS imported from Glance as Template",
        memory: vmMemory,
        cluster: new params.Cluster({ name: "Default" }),
        template: new params.Template({ name: "Blank" }),
        display: new params.Display({ type_: "vnc" }),
        memory_policy: new params.MemoryPolicy({ guaranteed: vmMemory / 2, ballooning: false }),
        os: new params.OperatingSystem({ type_: "other_linux" }),
        timezone: "Etc/GMT",
        type_: "server",
        serial_number: new params.SerialNumber({ policy: "custom", value: "12345678" }),
        cpu: new params.CPU({
          architecture: "X86_64",
          topology: new params.CpuTopology({ cores: 1, threads: 2, sockets: 1 }),
        }),
      }),
    );
    const vm = await eventually(
      async () => (await session.api.vms.get("vm1"))!,
      (v) => v.status?.state === "down",
    );
    expect([vm.timezone, vm.time_zone?.name, vm.type_, vm.os?.type_]).toEqual([
      "Etc/GMT",
      "Etc/GMT",
      "server",
      "other_linux",
    ]);
    expect([vm.cpu?.architecture, vm.cpu?.topology?.threads, vm.serial_number?.value]).toEqual([
      "x86_64",
      2,
      "12345678",
    ]);
  });

  // vm_run(): `start_params = params.Action(vm=params.VM(placement_policy=params.VmPlacementPolicy(
  // host=params.Host(name=sorted(host_names)[0]))))`; `api.vms.get(VM0_NAME).start(start_params)`; then
  // `api.vms.get(VM0_NAME).status.state == 'up'`.
  it("vm.start(params.Action(vm=params.VM(placement_policy=params.VmPlacementPolicy(host=...))))", async () => {
    const { api, engine } = session;
    const startParams = new params.Action({
      vm: new params.VM({
        placement_policy: new params.VmPlacementPolicy({ host: new params.Host({ name: "host1" }) }),
      }),
    });
    await (await vm0()).start(startParams);
    const sent = engine.state.requests.filter((r) => r.path.endsWith("/start")).length;
    expect(sent).toBe(1);
    const vm = await eventually(vm0, (v) => v.status?.state === "up");
    expect(vm.host?.id).toBe((await api.hosts.get("host1"))!.id);
  });

  // vm_migrate(): `api.vms.get(VM0_NAME).migrate(params.Action(host=params.Host(name=...)))`, then
  // status.state 'up'.
  it("vm.migrate(params.Action(host=params.Host(name=...)))", async () => {
    const { api } = session;
    await api.hosts.add(
      new params.Host({ name: "host2", address: "192.168.200.4", cluster: new params.Cluster({ name: "Default" }) }),
    );
    await eventually(
      async () => (await api.hosts.get("host2"))!.status?.state,
      (s) => s === "up",
    );
    await (await vm0()).migrate(new params.Action({ host: new params.Host({ name: "host2" }) }));
    const vm = await eventually(vm0, (v) => v.status?.state === "up");
    expect(vm.host?.id).toBe((await api.hosts.get("host2"))!.id);
  });

  // hotplug_nic(): a second NIC, `params.NIC(name='eth1', network=params.Network(name='ovirtmgmt'),
  // interface='virtio')`, added to the running VM.
  it("hotplug: vm.nics.add(params.NIC(name='eth1', ...)) on a running VM", async () => {
    await (
      await vm0()
    ).nics.add(
      new params.NIC({ name: "eth1", network: new params.Network({ name: "ovirtmgmt" }), interface: "virtio" }),
    );
    expect((await (await vm0()).nics.list()).map((n) => n.name).sort()).toEqual(["eth0", "eth1"]);
  });

  // hotplug_disk(): a second disk, `bootable=False`, then `disks.get(DISK1_NAME).status.state == 'ok'`.
  it("hotplug: vm.disks.add(params.Disk(bootable=False)) and its status.state", async () => {
    await (await vm0()).disks.add(diskParams("vm1_disk1", false));
    const disk = await eventually(
      async () => (await (await vm0()).disks.get("vm1_disk1"))!,
      (d) => d.status?.state === "ok",
    );
    expect(disk.bootable).toBe(false);
  });

  // template_export(): `template.export(params.Action(storage_domain=api.storagedomains.get(...)))`, then
  // `api.templates.get(TEMPLATE).status.state == 'ok'`.
  it("template.export(params.Action(storage_domain=api.storagedomains.get(...)))", async () => {
    const { api } = session;
    const template = (await api.templates.get("Blank"))!;
    const ack = await template.export(new params.Action({ storage_domain: (await api.storagedomains.get("mydata"))! }));
    expect(ack.status?.state).toBe("complete");
    expect((await api.templates.get("Blank"))!.status!.state).toBe("ok");
  });

  // add_event(): `api.events.add(params.Event(description=..., custom_id=int('01234567890'),
  // severity='NORMAL', origin='ovirt-system-tests', cluster=params.Cluster(id=api.clusters.get(name=...).id)))`:
  // v3 took enum values in any case.
  it("api.events.add(params.Event(severity='NORMAL', custom_id=..., cluster=params.Cluster(id=...)))", async () => {
    const { api } = session;
    const event = await api.events.add(
      new params.Event({
        description: "ovirt-system-tests description",
        custom_id: Number("01234567890"),
        severity: "NORMAL",
        origin: "ovirt-system-tests",
        cluster: new params.Cluster({ id: (await api.clusters.get({ name: "Default" }))!.id }),
      }),
    );
    expect(event).toBeTruthy();
    expect([event.severity, event.custom_id]).toEqual(["normal", 1234567890]);
  });
});
