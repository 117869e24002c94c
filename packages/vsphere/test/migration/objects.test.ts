// Idioms of public pyVmomi scripts, ported line by line and run on vcsim: each test names the script it
// comes from (repository and path) and asserts what the Python relied on. This file: data object defaults
// (pyVmomi fills unset members with their type's empty value) and managed object identity (pyVmomi compares
// references by type and id).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "@jest/globals";
import { WaitForTask, vim, type ManagedClass } from "../../src/index.js";
import { content, getObj as getObjIn, si, useVcsim } from "../helpers/connect.js";

const SAMPLES = "vmware/pyvmomi-community-samples";

useVcsim({ vm: 2 });

const getObj = <T extends vim.ManagedEntity>(type: ManagedClass<T>, name?: string) => getObjIn(content, type, name);

describe("data objects: pyVmomi's member defaults", () => {
  it(`${SAMPLES} samples/add_disk_to_vm.py: a VirtualDisk with neither key nor backing.fileName`, async () => {
    const vm = await getObj<vim.VirtualMachine>(vim.VirtualMachine);
    const before = (await vm.config)!.hardware.device!;
    let unitNumber = 0;
    let controller: vim.VirtualDevice | undefined;
    for (const device of before) {
      // `hasattr(device.backing, 'fileName')`: a file-backed device.
      if (device.backing && "fileName" in device.backing) unitNumber = Number(device.unitNumber) + 1;
      if (device instanceof vim.VirtualSCSIController) controller = device;
    }
    expect(controller).toBeDefined();
    const disk = new vim.VirtualDisk();
    disk.backing = new vim.VirtualDiskFlatVer2BackingInfo();
    (disk.backing as vim.VirtualDiskFlatVer2BackingInfo).thinProvisioned = true;
    (disk.backing as vim.VirtualDiskFlatVer2BackingInfo).diskMode = "persistent";
    disk.unitNumber = unitNumber === 7 ? 8 : unitNumber;
    disk.capacityInKB = 1024 * 1024;
    disk.controllerKey = controller!.key;
    // What pyVmomi gives the members the script left unset.
    expect(disk.key).toBe(0);
    expect((disk.backing as vim.VirtualDiskFlatVer2BackingInfo).fileName).toBe("");
    const diskSpec = new vim.VirtualDeviceConfigSpec();
    diskSpec.fileOperation = "create";
    diskSpec.operation = vim.VirtualDeviceConfigSpecOperation.add;
    diskSpec.device = disk;
    const spec = new vim.VirtualMachineConfigSpec();
    spec.deviceChange = [diskSpec];
    await WaitForTask(await vm.ReconfigVM_Task(spec));
    const after = (await vm.config)!.hardware.device!;
    expect(after.filter((d) => d instanceof vim.VirtualDisk)).toHaveLength(
      before.filter((d) => d instanceof vim.VirtualDisk).length + 1,
    );
  });

  it(`${SAMPLES} samples/clone_vm.py: a CloneSpec without template, powerOn set alone`, async () => {
    const template = await getObj<vim.VirtualMachine>(vim.VirtualMachine);
    const pool = (await template.resourcePool)!;
    const relospec = new vim.VirtualMachineRelocateSpec();
    relospec.pool = pool;
    const clonespec = new vim.VirtualMachineCloneSpec();
    clonespec.location = relospec;
    clonespec.powerOn = false;
    expect(clonespec.template).toBe(false);
    const folder = (await template.parent) as vim.Folder;
    const clone = await WaitForTask(await template.CloneVM_Task(folder, "migration-clone", clonespec));
    expect(clone).toBeInstanceOf(vim.VirtualMachine);
    expect(await clone.name).toBe("migration-clone");
    expect((await clone.config)!.template).toBe(false);
    await WaitForTask(await clone.Destroy_Task());
  });

  it(`${SAMPLES} samples/snapshot_operations.py: walking childSnapshotList down to the leaves`, async () => {
    const vm = await getObj<vim.VirtualMachine>(vim.VirtualMachine);
    await WaitForTask(await vm.CreateSnapshot_Task("first", "", false, false));
    await WaitForTask(await vm.CreateSnapshot_Task("second", "", false, false));
    const names: string[] = [];
    const walk = (snapshots: vim.VirtualMachineSnapshotTree[]): void => {
      for (const snapshot of snapshots) {
        names.push(snapshot.name);
        walk(snapshot.childSnapshotList!); // a leaf's list is [], as in pyVmomi
      }
    };
    walk((await vm.snapshot)!.rootSnapshotList);
    expect(names).toEqual(["first", "second"]);
    await WaitForTask(await vm.RemoveAllSnapshots_Task());
  });

  it("bennie/vmQuick list-snapshots.py: `if snap.childSnapshotList:` on a leaf", async () => {
    const vm = await getObj<vim.VirtualMachine>(vim.VirtualMachine);
    await WaitForTask(await vm.CreateSnapshot_Task("only", "", false, false));
    const [root] = (await vm.snapshot)!.rootSnapshotList;
    expect(root!.childSnapshotList!.length > 0).toBe(false); // Python: an empty list is falsy
    expect(root!.childSnapshotList).toEqual([]);
    await WaitForTask(await vm.RemoveAllSnapshots_Task());
  });

  it(`${SAMPLES} samples/getallvms.py: summary.guest.ipAddress unset is None, summary.config.name set`, async () => {
    const vm = await getObj<vim.VirtualMachine>(vim.VirtualMachine);
    const summary = await vm.summary;
    expect(typeof summary.config.name).toBe("string");
    expect(summary.config.template).toBe(false);
    // Optional members stay unset (None): `if summary.guest.ipAddress:` reads falsy.
    expect(summary.guest?.ipAddress ?? undefined).toBeUndefined();
  });

  it(`${SAMPLES} samples/add_vm_extra_config_tags.py: OptionValue(key, value) into extraConfig`, async () => {
    const vm = await getObj<vim.VirtualMachine>(vim.VirtualMachine);
    const spec = new vim.VirtualMachineConfigSpec();
    const option = new vim.OptionValue();
    expect(option.key).toBe("");
    option.key = "migration.tag";
    option.value = "yes";
    spec.extraConfig!.push(option); // pyVmomi: spec.extraConfig.append(opt) on the default []
    await WaitForTask(await vm.ReconfigVM_Task(spec));
    const extra = (await vm.config)!.extraConfig!;
    expect(extra.find((o) => o.key === "migration.tag")?.value).toBe("yes");
  });

  it(`${SAMPLES} samples/change_vm_vif.py: VirtualDeviceSpec(operation=edit) over an existing NIC`, async () => {
    const vm = await getObj<vim.VirtualMachine>(vim.VirtualMachine);
    const nic = (await vm.config)!.hardware.device!.find((d) => d instanceof vim.VirtualEthernetCard)!;
    const nicspec = new vim.VirtualDeviceConfigSpec({ operation: "edit", device: nic });
    nic.connectable = new vim.VirtualDeviceConnectInfo();
    nic.connectable.startConnected = true;
    nic.connectable.allowGuestControl = true;
    // `connected` and `status` left unset: pyVmomi sends connected=false.
    expect(nic.connectable.connected).toBe(false);
    await WaitForTask(await vm.ReconfigVM_Task(new vim.VirtualMachineConfigSpec({ deviceChange: [nicspec] })));
    const edited = (await vm.config)!.hardware.device!.find((d) => d.key === nic.key)!;
    expect(edited.connectable?.startConnected).toBe(true);
  });

  it("an unset required member of a plain object literal goes out as pyVmomi's empty value too", async () => {
    const vm = await getObj<vim.VirtualMachine>(vim.VirtualMachine);
    // CustomizationSpec-free reconfigure with a literal OptionValue whose key is missing: sent as "".
    const spec = { extraConfig: [{ value: "x" } as vim.OptionValue] };
    await expect(vm.ReconfigVM_Task(spec)).resolves.toBeInstanceOf(vim.Task);
  });
});

describe("managed objects: one object per reference", () => {
  it(`${SAMPLES} samples/snapshot_operations.py: snapshot.snapshot == vm.snapshot.currentSnapshot`, async () => {
    const vm = await getObj<vim.VirtualMachine>(vim.VirtualMachine);
    await WaitForTask(await vm.CreateSnapshot_Task("a", "", false, false));
    const created = await WaitForTask(await vm.CreateSnapshot_Task("b", "", false, false));
    const info = (await vm.snapshot)!;
    const find = (trees: vim.VirtualMachineSnapshotTree[]): vim.VirtualMachineSnapshotTree | undefined => {
      for (const tree of trees) {
        if (tree.snapshot === info.currentSnapshot) return tree;
        const found = find(tree.childSnapshotList!);
        if (found) return found;
      }
      return undefined;
    };
    expect(find(info.rootSnapshotList)?.name).toBe("b");
    expect(created).toBe(info.currentSnapshot);
    await WaitForTask(await vm.RemoveAllSnapshots_Task());
  });

  // ansible-collections/community.vmware plugins/module_utils/vmware.py get_all_hosts_by_cluster
  // (list(cluster_obj.host)), then `[host for host in hosts if not host == vm.runtime.host]`.
  it("community.vmware: the cluster's other hosts than the VM's", async () => {
    const cluster = await getObj<vim.ClusterComputeResource>(vim.ClusterComputeResource);
    const [vm] = await (await cluster.resourcePool)!.vm;
    const hosts = await cluster.host;
    const current = (await vm!.runtime).host!;
    const others = hosts.filter((host) => host !== current);
    expect(others).toHaveLength(hosts.length - 1);
    expect(hosts.indexOf(current)).toBeGreaterThanOrEqual(0);
    expect(hosts.includes(current)).toBe(true);
  });

  it(`${SAMPLES} samples/change_vm_vif.py: vm.runtime.host.network entries are the inventory's networks`, async () => {
    const vm = await getObj<vim.VirtualMachine>(vim.VirtualMachine);
    const hostNetworks = await (await vm.runtime).host!.network;
    const network = await getObj<vim.Network>(vim.Network, await hostNetworks[0]!.name);
    expect(hostNetworks).toContain(network);
    expect(new Set([...hostNetworks, network]).size).toBe(hostNetworks.length);
  });

  it("a reference built by hand is the object the server handed out (vim.VirtualMachine(moId, si._stub))", async () => {
    const vm = await getObj<vim.VirtualMachine>(vim.VirtualMachine);
    expect(new vim.VirtualMachine(vm._moId, si._stub)).toBe(vm);
    expect(new vim.VirtualMachine(vm._moId)).not.toBe(vm); // unbound: no connection to share it with
    expect(new vim.HostSystem(vm._moId, si._stub)).not.toBe(vm); // another type, another object
  });

  it("a reference nobody holds is collected (the map holds its objects weakly)", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    let ref: WeakRef<vim.VirtualMachine> | undefined;
    (() => {
      ref = new WeakRef(new vim.VirtualMachine("vm-unheld", si._stub));
    })();
    for (let i = 0; i < 5 && ref!.deref(); i++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      gc();
    }
    expect(ref!.deref()).toBeUndefined();
  });
});
