// Administration idioms of public pyVmomi scripts, ported line by line with the README's table and run on
// vcsim: datacenters and clusters, folders and resource pools (create, rename, move), host networking,
// advanced settings and custom attributes. Each test names the script; faults are asserted by pyVmomi's names.
import { describe, expect, it } from "@jest/globals";
import { WaitForTask, vim, vmodl, type ManagedClass } from "../../src/index.js";
import { content, getObj as getObjIn, useVcsim } from "../helpers/connect.js";

const SAMPLES = "vmware/pyvmomi-community-samples";
const COMMUNITY = "ansible-collections/community.vmware";

useVcsim({ vm: 2 });

const getObj = <T extends vim.ManagedEntity>(type: ManagedClass<T>, name?: string) => getObjIn(content, type, name);

const faultOf = (call: Promise<unknown>): Promise<unknown> => call.catch((e: unknown) => e);

describe("datacenters, clusters and folders", () => {
  it(`${SAMPLES} samples/make_dc_and_cluster.py: tools/datacenter.py CreateDatacenter, tools/cluster.py CreateClusterEx`, async () => {
    // create_datacenter(dc_name=..., service_instance=si): folder defaults to content.rootFolder.
    const folder = content.rootFolder;
    expect(folder).toBeInstanceOf(vim.Folder);
    const dcMoref = await folder.CreateDatacenter("DC-migrated");
    expect(dcMoref).toBeInstanceOf(vim.Datacenter);
    // create_cluster(datacenter=dc, name=...): cluster_spec defaults to an empty vim.cluster.ConfigSpecEx().
    const clusterSpec = new vim.cluster.ConfigSpecEx();
    const hostFolder = await dcMoref.hostFolder;
    const cluster = await hostFolder.CreateClusterEx("C-migrated", clusterSpec);
    expect(cluster).toBeInstanceOf(vim.ClusterComputeResource);
    expect([await cluster.name, await cluster.parent]).toEqual(["C-migrated", hostFolder]);
    // tools/datacenter.py documents vim.fault.DuplicateName for a taken name; vcsim 0.24 makes a second
    // datacenter instead, while a cluster's name is checked.
    const clash = await faultOf(hostFolder.CreateClusterEx("C-migrated", clusterSpec));
    expect(clash).toBeInstanceOf(vim.fault.DuplicateName);
    expect((clash as vim.fault.DuplicateName).name).toBe("C-migrated");
    // A datacenter that still holds a cluster is not destroyed: the task's typed fault.
    expect(await faultOf(dcMoref.Destroy_Task().then((task) => WaitForTask(task)))).toBeInstanceOf(
      vim.fault.ResourceInUse,
    );
    // vcsim 0.24 cannot destroy a cluster (vmodl.fault.MethodNotFound), so both stay.
    expect(await faultOf(cluster.Destroy_Task())).toBeInstanceOf(vmodl.fault.MethodNotFound);
  });

  it(`${SAMPLES} samples/create_folder_in_datacenter.py twice: vim.fault.DuplicateName with its name and object`, async () => {
    const datacenter = await getObj(vim.Datacenter);
    const vmFolder = await datacenter.vmFolder;
    await vmFolder.CreateFolder("ops");
    const fault = await faultOf(vmFolder.CreateFolder("ops"));
    expect(fault).toBeInstanceOf(vim.fault.DuplicateName);
    expect((fault as vim.fault.DuplicateName).name).toBe("ops"); // the fault's field, as pyVmomi's e.name
    expect((fault as vim.fault.DuplicateName).object).toBe(vmFolder);
  });

  // community.vmware vmware_folder (folder_obj.Rename_Task) and vmware_guest_move (MoveIntoFolder_Task([vm])).
  it(`${COMMUNITY} vmware_folder rename and vmware_guest_move: Rename_Task, MoveIntoFolder_Task(list)`, async () => {
    const datacenter = await getObj(vim.Datacenter);
    const vmFolder = await datacenter.vmFolder;
    const folderObj = await vmFolder.CreateFolder("team-a");
    await WaitForTask(await folderObj.Rename_Task("team-b"));
    expect(await folderObj.name).toBe("team-b");
    const vm = await getObj(vim.VirtualMachine, "DC0_H0_VM1");
    await WaitForTask(await folderObj.MoveIntoFolder_Task([vm]));
    expect(await vm.parent).toBe(folderObj);
    expect(await folderObj.childEntity).toEqual([vm]);
    // A datacenter cannot go into a VM folder: the task fails with vmodl.fault.NotSupported.
    const fault = await faultOf(folderObj.MoveIntoFolder_Task([datacenter]).then((task) => WaitForTask(task)));
    expect(fault).toBeInstanceOf(vmodl.fault.NotSupported);
    await WaitForTask(await vmFolder.MoveIntoFolder_Task([vm]));
    expect(await vm.parent).toBe(vmFolder);
  });

  // community.vmware vmware_resource_pool: ResourceConfigSpec of two ResourceAllocationInfo with SharesInfo,
  // CreateResourcePool(name, spec), UpdateConfig, Destroy.
  it(`${COMMUNITY} vmware_resource_pool: CreateResourcePool, DuplicateName, UpdateConfig, Destroy`, async () => {
    const cluster = await getObj(vim.ClusterComputeResource);
    const parent = (await cluster.resourcePool)!;
    const allocation = () => {
      const info = new vim.ResourceAllocationInfo();
      info.reservation = 0;
      info.expandableReservation = true;
      info.limit = -1;
      info.shares = new vim.SharesInfo({ level: "normal", shares: 0 });
      return info;
    };
    const rpSpec = new vim.ResourceConfigSpec();
    rpSpec.cpuAllocation = allocation();
    rpSpec.memoryAllocation = allocation();
    const pool = await parent.CreateResourcePool("rp-ops", rpSpec);
    expect(pool).toBeInstanceOf(vim.ResourcePool);
    expect(await parent.resourcePool).toContain(pool);
    expect((await pool.config).cpuAllocation.shares!.level).toBe(vim.SharesInfo.Level.normal);
    const clash = await faultOf(parent.CreateResourcePool("rp-ops", rpSpec));
    expect(clash).toBeInstanceOf(vim.fault.DuplicateName);
    await pool.UpdateConfig("rp-ops2", undefined);
    expect(await pool.name).toBe("rp-ops2");
    // Moving VMs into a pool: vcsim 0.24 lacks MoveIntoResourcePool.
    const vm = await getObj(vim.VirtualMachine, "DC0_C0_RP0_VM0");
    const missing = await faultOf(pool.MoveIntoResourcePool([vm]));
    expect(missing).toBeInstanceOf(vmodl.fault.MethodNotFound);
    await WaitForTask(await pool.Destroy_Task());
    expect(await parent.resourcePool).not.toContain(pool);
  });
});

describe("host networking and settings", () => {
  it(`${SAMPLES} samples/add_vswitch_to_host.py, add_portgroup_to_vswitch.py, get_hosts_vswitch.py, del_*`, async () => {
    const hostView = await content.viewManager.CreateContainerView(content.rootFolder, [vim.HostSystem], true);
    const hosts = [...(await hostView.view)];
    await hostView.Destroy();
    const host = hosts[0]!;
    const networkSystem = (await host.configManager).networkSystem!;
    const vswitchSpec = new vim.host.VirtualSwitch.Specification();
    vswitchSpec.numPorts = 1024;
    vswitchSpec.mtu = 1450;
    expect(await networkSystem.AddVirtualSwitch("vSwitch-ops", vswitchSpec)).toBeUndefined();
    const portgroupSpec = new vim.host.PortGroup.Specification();
    portgroupSpec.vswitchName = "vSwitch-ops";
    portgroupSpec.name = "pg-ops";
    portgroupSpec.vlanId = Number("42"); // int(vlan_id)
    const networkPolicy = new vim.host.NetworkPolicy();
    networkPolicy.security = new vim.host.NetworkPolicy.SecurityPolicy();
    networkPolicy.security.allowPromiscuous = true;
    networkPolicy.security.macChanges = false;
    networkPolicy.security.forgedTransmits = false;
    portgroupSpec.policy = networkPolicy;
    await networkSystem.AddPortGroup(portgroupSpec);
    // get_hosts_vswitch.py reads host.config.network.vswitch, which vcsim 0.24 does not update; the same
    // NetworkInfo is the networkSystem's networkInfo (what vCenter returns in both places).
    const networkInfo = (await networkSystem.networkInfo)!;
    expect(networkInfo.vswitch.map((s) => s.name)).toContain("vSwitch-ops");
    // list_vlan_in_portgroups.py: the port group's spec.vlanId
    const portgroup = networkInfo.portgroup.find((p) => p.spec.name === "pg-ops")!;
    expect([portgroup.spec.vswitchName, portgroup.spec.vlanId]).toEqual(["vSwitch-ops", 42]);
    expect(await faultOf(networkSystem.AddVirtualSwitch("vSwitch-ops", vswitchSpec))).toBeInstanceOf(
      vim.fault.AlreadyExists,
    );
    await networkSystem.RemovePortGroup("pg-ops");
    await networkSystem.RemoveVirtualSwitch("vSwitch-ops");
    expect((await networkSystem.networkInfo)!.vswitch.map((s) => s.name)).not.toContain("vSwitch-ops");
    expect(await faultOf(networkSystem.RemoveVirtualSwitch("vSwitch-ops"))).toBeInstanceOf(vim.fault.NotFound);
  });

  it(`${SAMPLES} samples/update_esxi_advanced_settings.py: advancedOption.UpdateOptions(changedValue=[option])`, async () => {
    const cluster = await getObj(vim.ClusterComputeResource);
    for (const host of await cluster.host) {
      const optionManager = (await host.configManager).advancedOption!;
      const option = new vim.option.OptionValue({ key: "Config.HostAgent.log.level", value: "verbose" });
      // `if option_manager.UpdateOptions(changedValue=[option]):` reads None: the script reports a failure
      // even on success (the call returns nothing, in pyVmomi and here).
      expect(await optionManager.UpdateOptions([option])).toBeUndefined();
      const [read] = await optionManager.QueryOptions("Config.HostAgent.log.level");
      expect([read!.key, read!.value]).toEqual(["Config.HostAgent.log.level", "verbose"]);
    }
    const optionManager = (await (await cluster.host)[0]!.configManager).advancedOption!;
    expect(await faultOf(optionManager.QueryOptions("No.Such.Option"))).toBeInstanceOf(vim.fault.InvalidName);
  });
});

// community.vmware vmware_guest_custom_attributes: customFieldsManager.AddCustomFieldDef(name=, moType=
// vim.VirtualMachine), SetField(entity=, key=, value=), vm.customValue read back by key; govc's and many
// scripts' vm.setCustomValue(key, value).
describe("custom attributes", () => {
  it(`${COMMUNITY} vmware_guest_custom_attributes: AddCustomFieldDef, SetField, customValue, availableField`, async () => {
    const cfm = content.customFieldsManager!;
    const vm = await getObj(vim.VirtualMachine, "DC0_H0_VM0");
    // moType=vim.VirtualMachine: a class where pyVmomi's vmodl.TypeName is expected, sent as its name.
    const fieldDef = await cfm.AddCustomFieldDef("owner", vim.VirtualMachine);
    expect(fieldDef).toBeInstanceOf(vim.CustomFieldDef);
    expect([fieldDef.name, fieldDef.managedObjectType]).toEqual(["owner", "VirtualMachine"]);
    expect((await cfm.field).map((f) => f.name)).toContain("owner");
    await cfm.SetField(vm, fieldDef.key, "ops-team");
    const value = (await vm.customValue).find((v) => v.key === fieldDef.key) as vim.CustomFieldStringValue;
    expect(value).toBeInstanceOf(vim.CustomFieldStringValue);
    expect(value.value).toBe("ops-team");
    expect((await vm.availableField).map((f) => f.name)).toContain("owner");
    const clash = await faultOf(cfm.AddCustomFieldDef("owner", vim.VirtualMachine));
    expect(clash).toBeInstanceOf(vim.fault.DuplicateName);
    expect((clash as vim.fault.DuplicateName).name).toBe("owner");
  });

  it("vm.setCustomValue(key, value): vcsim answers <SetCustomValueResponse>, which is read as pyVmomi reads it", async () => {
    const cfm = content.customFieldsManager!;
    const vm = await getObj(vim.VirtualMachine, "DC0_H0_VM1");
    const fieldDef = await cfm.AddCustomFieldDef("cost-center", undefined);
    expect(await vm.setCustomValue("cost-center", "cc-42")).toBeUndefined();
    const value = (await vm.customValue).find((v) => v.key === fieldDef.key) as vim.CustomFieldStringValue;
    expect(value.value).toBe("cc-42");
  });
});

describe("distributed switches", () => {
  it(`${SAMPLES} samples/add_vm_nic_to_dvs.py: search_port (FetchDVPorts(criteria)), port_find, a DVS port backing`, async () => {
    const portgroup = await getObj(vim.dvs.DistributedVirtualPortgroup, "DC0_DVPG0");
    const dvs = (await portgroup.config).distributedVirtualSwitch!;
    expect(dvs).toBeInstanceOf(vim.DistributedVirtualSwitch);
    const criteria = new vim.dvs.PortCriteria();
    criteria.connected = false;
    criteria.inside = true;
    // The script assigns the key alone; the member is an array (a string is refused, never sent as one).
    criteria.portgroupKey = [await portgroup.key];
    // vcsim 0.24 ignores the criteria and answers one port per port group, keyed by the port group's key.
    const searchPortkey = (await dvs.FetchDVPorts(criteria)).map((port) => port.key);
    const portKey = searchPortkey.find((key) => key === "dvportgroup-13") ?? searchPortkey[0]!;
    let port: vim.DistributedVirtualPort | undefined;
    for (const candidate of await dvs.FetchDVPorts()) if (candidate.key === portKey) port = candidate;
    const vm = await getObj(vim.VirtualMachine, "DC0_C0_RP0_VM1");
    const spec = new vim.vm.ConfigSpec();
    const nicSpec = new vim.vm.device.VirtualDeviceSpec();
    nicSpec.operation = vim.vm.device.VirtualDeviceSpec.Operation.add;
    const device = new vim.vm.device.VirtualE1000();
    nicSpec.device = device;
    device.deviceInfo = new vim.Description();
    device.deviceInfo.summary = "vCenter API";
    const backing = new vim.vm.device.VirtualEthernetCard.DistributedVirtualPortBackingInfo();
    device.backing = backing;
    backing.port = new vim.dvs.PortConnection();
    backing.port.portgroupKey = port!.portgroupKey; // None on vcsim's ports: left unset
    backing.port.switchUuid = port!.dvsUuid;
    backing.port.portKey = port!.key;
    device.connectable = new vim.vm.device.VirtualDevice.ConnectInfo();
    device.connectable.startConnected = true;
    device.addressType = "assigned";
    device.macAddress = "00:50:56:aa:bb:cc";
    spec.deviceChange = [nicSpec];
    await WaitForTask(await vm.ReconfigVM_Task(spec));
    const added = (await vm.config)!.hardware.device.find(
      (d) => d instanceof vim.vm.device.VirtualEthernetCard && d.macAddress === "00:50:56:aa:bb:cc",
    )!;
    const addedBacking = added.backing as vim.VirtualEthernetCardDistributedVirtualPortBackingInfo;
    expect(addedBacking).toBeInstanceOf(vim.vm.device.VirtualEthernetCard.DistributedVirtualPortBackingInfo);
    expect(addedBacking.port.switchUuid).toBe((await dvs.summary).uuid);
  });

  it(`${SAMPLES} samples/getvnicinfo.py: a NIC's backing.port, dvSwitchManager.QueryDvsByUuid (not in vcsim)`, async () => {
    const vm = await getObj(vim.VirtualMachine, "DC0_H0_VM0");
    const dvsNics: vim.VirtualEthernetCard[] = [];
    for (const dev of (await vm.config)!.hardware.device) {
      if (dev instanceof vim.vm.device.VirtualEthernetCard && "port" in dev.backing!) dvsNics.push(dev);
    }
    expect(dvsNics.length).toBeGreaterThan(0);
    const { port } = dvsNics[0]!.backing as vim.VirtualEthernetCardDistributedVirtualPortBackingInfo;
    const portGroupKey = port.portgroupKey!;
    const dvsUuid = port.switchUuid;
    expect(await (await getObj(vim.dvs.DistributedVirtualPortgroup, "DC0_DVPG0")).key).toBe(portGroupKey);
    const fault = await faultOf(content.dvSwitchManager!.QueryDvsByUuid(dvsUuid));
    expect(fault).toBeInstanceOf(vmodl.fault.MethodNotFound);
    expect((fault as vmodl.fault.MethodNotFound).method).toBe("QueryDvsByUuid");
  });

  it(`${SAMPLES} samples/configure_dvs_port_group.py: DistributedVirtualPortgroupSelection, DVSManagerExportEntity_Task`, async () => {
    const dvPg = await getObj(vim.dvs.DistributedVirtualPortgroup, "DC0_DVPG0");
    const dvPgSs = new vim.dvs.DistributedVirtualPortgroupSelection();
    dvPgSs.portgroupKey.push(await dvPg.key); // .append on pyVmomi's default []
    dvPgSs.dvsUuid = (await (await dvPg.config).distributedVirtualSwitch!.summary).uuid;
    const fault = await faultOf(content.dvSwitchManager!.DVSManagerExportEntity_Task([dvPgSs]));
    expect(fault).toBeInstanceOf(vmodl.fault.MethodNotFound); // vcsim 0.24 has no export/import
  });
});

// samples/tools/disk.py retrieve_fcd and retrieve_fcd_snapshot find a disk by config.name and a snapshot by
// description, through content.vStorageObjectManager.
describe("first class disks", () => {
  // ServiceContent types the manager as its base; vCenter's (and vcsim's) is a VcenterVStorageObjectManager,
  // the object's class here as in pyVmomi, whose methods the script calls: a cast tells TypeScript.
  const vStorage = () => {
    const storage = content.vStorageObjectManager as vim.VcenterVStorageObjectManager;
    expect(storage).toBeInstanceOf(vim.vslm.vcenter.VStorageObjectManager);
    return storage;
  };
  const retrieveFcd = async (datastore: vim.Datastore, vdisk: string) => {
    const storage = vStorage();
    for (const disk of await storage.ListVStorageObject(datastore)) {
      const diskInfo = await storage.RetrieveVStorageObject(disk, datastore);
      if (diskInfo.config.name === vdisk) return diskInfo;
    }
    throw new Error(`no disk ${vdisk}`);
  };

  it(`${SAMPLES} samples/fcd_create_vdisk.py, fcd_create_vdisk_snapshot.py, fcd_list_vdisk_snapshots.py`, async () => {
    const datastore = await getObj(vim.Datastore);
    const spec = new vim.vslm.CreateSpec();
    spec.name = "fcd-ops";
    spec.capacityInMB = 16;
    spec.backingSpec = new vim.vslm.CreateSpec.DiskFileBackingSpec();
    (spec.backingSpec as vim.VslmCreateSpecDiskFileBackingSpec).provisioningType = "thin";
    spec.backingSpec.datastore = datastore;
    const storage = vStorage();
    const created = await WaitForTask(await storage.CreateDisk_Task(spec));
    expect(created).toBeInstanceOf(vim.vslm.VStorageObject);
    const vdisk = await retrieveFcd(datastore, "fcd-ops");
    expect(vdisk.config.id.id).toBe(created.config.id.id);
    expect(vdisk.config.backing.datastore).toBe(datastore);
    const task = await storage.VStorageObjectCreateSnapshot_Task(vdisk.config.id, datastore, "snap-ops");
    const snapshotId = await WaitForTask(task);
    expect(snapshotId).toBeInstanceOf(vim.vslm.ID);
    const snapshots = (await storage.RetrieveSnapshotInfo(vdisk.config.id, vdisk.config.backing.datastore)).snapshots;
    expect(snapshots.map((s) => [s.id!.id, s.description])).toEqual([[snapshotId.id, "snap-ops"]]);
    expect(snapshots[0]!.createTime).toBeInstanceOf(Date);
  });

  it(`${SAMPLES} samples/fcd_attach_vdisk_to_vm.py: a VirtualDisk whose backing.fileName is the FCD's filePath`, async () => {
    const datastore = await getObj(vim.Datastore);
    const vdisk = await retrieveFcd(datastore, "fcd-ops");
    const vm = await getObj(vim.VirtualMachine, "DC0_C0_RP0_VM1");
    let controller: vim.VirtualSCSIController | undefined;
    let unitNumber = 0;
    for (const dev of (await vm.config)!.hardware.device) {
      if (dev.backing && "fileName" in dev.backing) {
        unitNumber = Number(dev.unitNumber) + 1;
        if (unitNumber === 7) unitNumber += 1; // unit 7 is the SCSI controller's
      }
      if (dev instanceof vim.vm.device.VirtualSCSIController) controller = dev;
    }
    const spec = new vim.vm.ConfigSpec();
    const diskSpec = new vim.vm.device.VirtualDeviceSpec();
    diskSpec.operation = vim.vm.device.VirtualDeviceSpec.Operation.add;
    diskSpec.device = new vim.vm.device.VirtualDisk();
    const backing = new vim.vm.device.VirtualDisk.FlatVer2BackingInfo();
    diskSpec.device.backing = backing;
    backing.diskMode = "persistent";
    backing.fileName = (vdisk.config.backing as vim.BaseConfigInfoFileBackingInfo).filePath;
    backing.thinProvisioned = true;
    diskSpec.device.unitNumber = unitNumber;
    diskSpec.device.controllerKey = controller!.key;
    spec.deviceChange = [diskSpec];
    await WaitForTask(await vm.ReconfigVM_Task(spec));
    const attached = (await vm.config)!.hardware.device.filter(
      (d) =>
        d instanceof vim.vm.device.VirtualDisk &&
        (d.backing as vim.VirtualDiskFlatVer2BackingInfo).fileName === backing.fileName,
    );
    expect(attached).toHaveLength(1);
  });

  it(`${SAMPLES} samples/fcd_delete_vdisk_snapshot.py and fcd_delete_vdisk.py: DeleteSnapshot_Task, DeleteVStorageObject_Task`, async () => {
    const datastore = await getObj(vim.Datastore);
    const storage = vStorage();
    const vdisk = await retrieveFcd(datastore, "fcd-ops");
    const snaps = await storage.RetrieveSnapshotInfo(vdisk.config.id, datastore);
    const snapshot = snaps.snapshots.find((s) => s.description === "snap-ops")!;
    await WaitForTask(await storage.DeleteSnapshot_Task(vdisk.config.id, datastore, snapshot.id!));
    expect((await storage.RetrieveSnapshotInfo(vdisk.config.id, datastore)).snapshots).toEqual([]);
    await WaitForTask(await storage.DeleteVStorageObject_Task(vdisk.config.id, datastore));
    await expect(retrieveFcd(datastore, "fcd-ops")).rejects.toThrow(/no disk fcd-ops/);
  });
});
