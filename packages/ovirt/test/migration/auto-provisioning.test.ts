// amedeos/ovirt-autoProvisioning (src/addNewVM.py, src/changeNetworkProfile.py, src/deleteVM.py), v3 scripts
// that check a data center and cluster, pick a template by OS, create a VM, rename its disk, set its CPUs,
// move a NIC to another network and delete the VM. Each test ports one of their steps, following the
// README's table, and runs it against the simulator.
import { describe, expect, it } from "@jest/globals";
import { params, type VmResource } from "../../src/index.js";
import { eventually, useEngine } from "./harness.js";

const session = useEngine();
const GB = 2 ** 30;
const VMNAME = "autoprov_vm";

const vm = async (): Promise<VmResource> => (await session.api.vms.get({ name: VMNAME }))!;

describe("ovirt-autoProvisioning (v3)", () => {
  // addNewVM.py checkDCExist(): `dc = api.datacenters.get(name=...)`, `if dc == None: exit`, then
  // `dc.get_status().state != "up"` stops the script.
  it("a data center's get_status().state, and None for a missing one", async () => {
    const { api } = session;
    expect(await api.datacenters.get({ name: "NoSuchDC" })).toBeUndefined();
    const dc = (await api.datacenters.get({ name: "Default" }))!;
    expect(dc.get_status()!.state).toBe("up");
  });

  // addNewVM.py checkCluster(): `c1.get_data_center().get_id() == dc.get_id()`, the cluster's data center
  // being a reference that carries only the id.
  it("cluster.get_data_center().get_id() equals the data center's get_id()", async () => {
    const { api } = session;
    const dc = (await api.datacenters.get({ name: "Default" }))!;
    const cluster = (await api.clusters.get({ name: "Default" }))!;
    expect(cluster.get_data_center()!.get_id()).toBe(dc.get_id());
  });

  // addNewVM.py getTemplateFromOS(): `api.templates.list("datacenter=" + dc)` (the query as the first
  // positional argument; the engine searches templates by their cluster's data center), then
  // `t.get_os().get_type() == osversion` and the name's number (`rhel-6-base`) on each.
  it("api.templates.list('datacenter=...') and t.get_os().get_type()", async () => {
    const { api } = session;
    const source = (await api.vms.get({ name: "python_vm" }))!;
    source.set_os(new params.OperatingSystem({ type_: "rhel_6x64" }));
    await source.update();
    await api.templates.add(
      new params.Template({ name: "rhel-6-base", vm: source, cluster: await api.clusters.get("Default") }),
    );
    const templates = await api.templates.list("datacenter=Default");
    expect(Array.isArray(templates)).toBe(true);
    const forOs = templates.filter((t) => t.get_os()!.get_type() === "rhel_6x64").map((t) => t.get_name());
    expect(forOs).toEqual(["rhel-6-base"]);
    expect(await api.templates.list("datacenter=OtherDC")).toEqual([]);
  });

  // addNewVM.py: `api.vms.add(params.VM(name=..., memory=MEMORY*GB, cluster=api.clusters.get(CLUSTER),
  // template=api.templates.get(templatename), description=..., memory_policy=params.MemoryPolicy(
  // guaranteed=int(MEMORY*GB*0.70)), disks=params.Disks(clone=False)))`, both gets by positional name, then
  // `while vm.get_status().state != 'down': sleep; vm = api.vms.get(name=VMNAME)`.
  it("vms.add(params.VM(..., memory_policy=..., disks=params.Disks(clone=False))) then waits for down", async () => {
    const { api } = session;
    expect(await api.vms.get({ name: VMNAME })).toBeUndefined();
    await api.vms.add(
      new params.VM({
        name: VMNAME,
        memory: 2 * GB,
        cluster: await api.clusters.get("Default"),
        template: await api.templates.get("rhel-6-base"),
        description: "Created by addNewVM.py",
        memory_policy: new params.MemoryPolicy({ guaranteed: Math.trunc(2 * GB * 0.7) }),
        disks: new params.Disks({ clone: false }),
      }),
    );
    const created = await eventually(vm, (v) => v.get_status()!.state === "down");
    expect([created.memory, created.memory_policy?.guaranteed]).toEqual([2 * GB, Math.trunc(2 * GB * 0.7)]);
    expect(created.get_description()).toBe("Created by addNewVM.py");
    // `clone` went as add's query parameter, not inside the VM.
    const post = session.engine.state.requests.filter((r) => r.method === "POST" && r.path.endsWith("/vms")).at(-1)!;
    expect(post.query).toContain("clone=false");
  });

  // addNewVM.py updateDiskAlias(): `vmdisk = vm.disks.list()[0]`; `if vmdisk.get_status().state == 'ok':
  // vmdisk.set_alias(vmname + '_Disk1'); vmdisk.update()`.
  it("vm.disks.list()[0].get_status().state, set_alias() and update()", async () => {
    const { api } = session;
    const sd = (await api.storagedomains.get({ name: "mydata" }))!;
    const added = await (
      await vm()
    ).disks.add(
      new params.Disk({
        storage_domains: new params.StorageDomains({ storage_domain: [sd] }),
        size: GB,
        interface: "virtio",
        format: "cow",
      }),
    );
    await eventually(
      async () => (await api.disks.get({ id: added.id! }))!,
      (d) => d.status?.state === "ok",
    );
    const vmdisk = (await (await vm()).disks.list())[0]!;
    expect(vmdisk.get_status()!.state).toBe("ok");
    vmdisk.set_alias(`${VMNAME}_Disk1`);
    await vmdisk.update();
    expect((await api.disks.get({ id: added.id! }))!.get_alias()).toBe(`${VMNAME}_Disk1`);
    expect((await (await vm()).disks.list())[0]!.alias).toBe(`${VMNAME}_Disk1`);
  });

  // addNewVM.py updateCpuNumber(): `c1 = vm.get_cpu(); c1.set_topology(params.CpuTopology(cores=1,
  // sockets=cpunum)); vm.set_cpu(c1); vm.update()`, the VM down.
  it("vm.get_cpu().set_topology(params.CpuTopology(...)); vm.set_cpu(c1); vm.update()", async () => {
    const current = await vm();
    expect(current.get_status()!.state).toBe("down");
    const c1 = current.get_cpu()!;
    c1.set_topology(new params.CpuTopology({ cores: 1, sockets: 4 }));
    current.set_cpu(c1);
    await current.update();
    const topology = (await vm()).get_cpu()!.get_topology()!;
    expect([topology.get_sockets(), topology.get_cores()]).toEqual([4, 1]);
  });

  // changeNetworkProfile.py getCluster() and getNetworkProfile(): `c1 = vm.get_cluster()`,
  // `api.clusters.get(id=c1.get_id()).get_name()`, `c1.networks.list()` scanned by get_name(), then
  // `c1.networks.get(name=...)`.
  it("api.clusters.get(id=vm.get_cluster().get_id()), cluster.networks.list() and get(name=...)", async () => {
    const { api } = session;
    const c1 = (await vm()).get_cluster()!;
    const cluster = (await api.clusters.get({ id: c1.get_id()! }))!;
    expect(cluster.get_name()).toBe("Default");
    const names = (await cluster.networks.list()).map((n) => n.get_name());
    expect(names).toContain("ovirtmgmt");
    expect((await cluster.networks.get({ name: "ovirtmgmt" }))!.get_name()).toBe("ovirtmgmt");
    expect(await cluster.networks.get({ name: "InternetPROD" })).toBeUndefined();
  });

  // changeNetworkProfile.py setNetworkProfile(): for each of `vm.nics.list()` whose `get_name()` is the one
  // asked, `n.network = np1; n.update()`, np1 being `c1.networks.get(name=...)` (the cluster's network).
  it("nic.network = cluster.networks.get(name=...); nic.update() moves the NIC to that network", async () => {
    const { api } = session;
    const dc = (await api.datacenters.get({ name: "Default" }))!;
    const cluster = (await api.clusters.get({ name: "Default" }))!;
    const prod = await api.networks.add(new params.Network({ name: "InternetPROD", data_center: dc }));
    await cluster.networks.add(new params.Network({ id: prod.id }));
    await (
      await vm()
    ).nics.add(
      new params.NIC({ name: "eth0", network: new params.Network({ name: "ovirtmgmt" }), interface: "virtio" }),
    );

    const np1 = (await cluster.networks.get({ name: "InternetPROD" }))!;
    for (const n of await (await vm()).nics.list()) {
      if (n.get_name() !== "eth0") continue;
      n.network = np1;
      await n.update();
    }
    const [eth0] = await (await vm()).nics.list({ name: "eth0" });
    const profile = (await api.vnicprofiles.get({ id: eth0!.vnic_profile!.id! }))!;
    expect(profile.network!.id).toBe(prod.id);
  });

  // deleteVM.py: checkVM() requires `vm.get_status().state == 'down'`, then `api.vms.get(name=...).delete()`.
  it("vm.delete() of a VM that is down; get(name=...) is None afterwards", async () => {
    const { api } = session;
    const doomed = await vm();
    expect(doomed.get_status()!.state).toBe("down");
    await doomed.delete();
    await eventually(
      () => api.vms.get({ name: VMNAME }),
      (v) => v === undefined,
    );
  });
});
