// Device, host and datastore idioms of public pyVmomi scripts, ported line by line (each test names the
// script) and run on vcsim: they lean on pyVmomi's defaults (specs built empty and filled in member by
// member), isinstance on device classes, arrays that are always there, and references equal by identity.
import { describe, expect, it } from "@jest/globals";
import { WaitForTask, WaitForTasks, vim, type ManagedClass } from "../../src/index.js";
import { content, getObj as getObjIn, useVcsim } from "../helpers/connect.js";

const SAMPLES = "vmware/pyvmomi-community-samples";

useVcsim({ vm: 2 });

const getObj = <T extends vim.ManagedEntity>(type: ManagedClass<T>, name?: string) => getObjIn(content, type, name);

const nics = async (vm: vim.VirtualMachine) =>
  (await vm.config)!.hardware.device.filter((d) => d instanceof vim.vm.device.VirtualEthernetCard);

describe("device idioms", () => {
  it(`${SAMPLES} samples/create_vm.py: FileInfo and ConfigSpec by keywords, CreateVM_Task, IDE 0 by isinstance`, async () => {
    const datastore = await getObj(vim.Datastore);
    const datacenter = await getObj(vim.Datacenter);
    const vmFolder = await datacenter.vmFolder;
    const cluster = await getObj(vim.ClusterComputeResource);
    // The script writes "[ds] name.vmx"; vcsim wants a directory in the path (or none: "[ds]").
    const vmxPath = `[${(await datastore.info).name}]`;
    // None for the directories, as the script passes them: the optional members stay unset.
    const vmxFile = new vim.vm.FileInfo({
      logDirectory: undefined,
      snapshotDirectory: undefined,
      suspendDirectory: undefined,
      vmPathName: vmxPath,
    });
    const config = new vim.vm.ConfigSpec({
      name: "migration-created",
      memoryMB: 128,
      numCPUs: 1,
      files: vmxFile,
      guestId: "otherGuest",
      version: "vmx-13",
    });
    const task = await vmFolder.CreateVM_Task(config, (await cluster.resourcePool)!);
    await WaitForTasks([task]);
    const vm = await getObj(vim.VirtualMachine, "migration-created");
    let controller: vim.VirtualIDEController | undefined;
    for (const dev of (await vm.config)!.hardware.device) {
      if (dev instanceof vim.vm.device.VirtualIDEController && dev.deviceInfo?.label === "IDE 0") controller = dev;
    }
    expect(controller).toBeDefined();
    expect(controller!.device).toEqual(expect.any(Array)); // an array member, present even when empty
    expect(typeof (await vm.summary).config.instanceUuid).toBe("string");
    await WaitForTask(await vm.Destroy());
  });

  it(`${SAMPLES} samples/add_nic_to_vm.py: an E1000 built member by member, Description() without a label`, async () => {
    const vm = await getObj(vim.VirtualMachine);
    const network = await getObj(vim.Network);
    const before = (await nics(vm)).length;
    const spec = new vim.vm.ConfigSpec();
    const nicChanges: vim.VirtualDeviceConfigSpec[] = [];
    const nicSpec = new vim.vm.device.VirtualDeviceSpec();
    nicSpec.operation = vim.vm.device.VirtualDeviceSpec.Operation.add;
    const device = new vim.vm.device.VirtualE1000();
    nicSpec.device = device;
    device.deviceInfo = new vim.Description();
    device.deviceInfo.summary = "vCenter API test";
    const backing = new vim.vm.device.VirtualEthernetCard.NetworkBackingInfo();
    backing.useAutoDetect = false;
    backing.network = network;
    backing.deviceName = await network.name;
    device.backing = backing;
    device.connectable = new vim.vm.device.VirtualDevice.ConnectInfo();
    device.connectable.startConnected = true;
    device.connectable.allowGuestControl = true;
    device.connectable.connected = false;
    device.connectable.status = "untried";
    device.wakeOnLanEnabled = true;
    device.addressType = "assigned";
    nicChanges.push(nicSpec);
    spec.deviceChange = nicChanges;
    // The script relies on deviceInfo.label and key going out as pyVmomi's defaults ("" and 0).
    expect([device.deviceInfo.label, device.key]).toEqual(["", 0]);
    await WaitForTask(await vm.ReconfigVM_Task(spec));
    const after = await nics(vm);
    expect(after).toHaveLength(before + 1);
    expect(after.some((n) => (n.backing as vim.VirtualEthernetCardNetworkBackingInfo).network === network)).toBe(true);
  });

  it(`${SAMPLES} samples/change_vm_nic_state.py: the device found by label, edited with a new ConnectInfo`, async () => {
    const vm = await getObj(vim.VirtualMachine);
    // The script builds "Network adapter <n>"; vcsim labels its NICs its own way, so the first one's is taken.
    const nicLabel = (await nics(vm))[0]!.deviceInfo!.label;
    let virtualNic: vim.VirtualEthernetCard | undefined;
    for (const dev of (await vm.config)!.hardware.device) {
      if (dev instanceof vim.vm.device.VirtualEthernetCard && dev.deviceInfo!.label === nicLabel) {
        virtualNic = dev;
      }
    }
    expect(virtualNic).toBeDefined();
    const nicSpec = new vim.vm.device.VirtualDeviceSpec();
    nicSpec.operation = vim.vm.device.VirtualDeviceSpec.Operation.edit;
    nicSpec.device = virtualNic!;
    const connectable = new vim.vm.device.VirtualDevice.ConnectInfo();
    connectable.connected = false;
    connectable.startConnected = false; // 'disconnect'
    nicSpec.device.connectable = connectable;
    const spec = new vim.vm.ConfigSpec();
    spec.deviceChange = [nicSpec];
    await WaitForTask(await vm.ReconfigVM_Task(spec));
    const edited = (await nics(vm)).find((n) => n.key === virtualNic!.key)!;
    expect(edited.connectable!.startConnected).toBe(false);
  });

  it(`${SAMPLES} samples/delete_nic_from_vm.py: the labelled NIC removed with Operation.remove`, async () => {
    const vm = await getObj(vim.VirtualMachine);
    const before = await nics(vm);
    const label = before.at(-1)!.deviceInfo!.label;
    const nic = before.find((d) => d.deviceInfo!.label === label)!;
    const spec = new vim.vm.ConfigSpec({
      deviceChange: [
        new vim.vm.device.VirtualDeviceSpec({
          operation: vim.vm.device.VirtualDeviceSpec.Operation.remove,
          device: nic,
        }),
      ],
    });
    await WaitForTask(await vm.ReconfigVM_Task(spec));
    expect(await nics(vm)).toHaveLength(before.length - 1);
  });
});

describe("host and datastore idioms", () => {
  it(`${SAMPLES} samples/get_hosts_pnic.py: host.config.network.pnic per host, hosts as dict keys`, async () => {
    const hostView = await content.viewManager.CreateContainerView(content.rootFolder, [vim.HostSystem], true);
    const hosts = [...(await hostView.view)];
    await hostView.Destroy();
    const hostPnics = new Map<vim.HostSystem, vim.PhysicalNic[]>();
    for (const host of hosts) hostPnics.set(host, (await host.config)!.network!.pnic);
    expect(hostPnics.size).toBe(hosts.length);
    for (const pnics of hostPnics.values()) {
      for (const pnic of pnics) expect(pnic.device).toMatch(/^vmnic\d+$/);
    }
  });

  it(`${SAMPLES} samples/get_hosts_cpuinfo.py: hardware.cpuInfo cores, threads and hz`, async () => {
    const host = await getObj(vim.HostSystem);
    const cpu = (await host.hardware)!.cpuInfo;
    expect(cpu.numCpuCores).toBeGreaterThan(0);
    expect(cpu.numCpuThreads).toBeGreaterThanOrEqual(cpu.numCpuCores);
    // hz is a long: a number here, where a bigint could be beyond 2^53.
    expect(Number(cpu.hz)).toBeGreaterThan(0);
  });

  it(`${SAMPLES} samples/get_hosts_fullname.py: summary.config.product.fullName of each host`, async () => {
    const host = await getObj(vim.HostSystem);
    expect((await host.summary).config!.product!.fullName).toMatch(/ESX/);
  });

  it(`${SAMPLES} samples/get_datastore_url.py: datastoreFolder.childEntity by name, then info.url`, async () => {
    const datacenter = await getObj(vim.Datacenter);
    const wanted = await (await getObj(vim.Datastore)).name;
    let found: vim.Datastore | undefined;
    for (const datastore of await (
      await datacenter.datastoreFolder
    ).childEntity) {
      if ((await datastore.name) === wanted) found = datastore as vim.Datastore;
    }
    expect((await found!.info).url).toMatch(/^(ds:\/\/|\/)/);
  });

  it(`${SAMPLES} samples/find_vms_using_datastore.py: ds.vm, and each VM's datastore list holding the datastore`, async () => {
    const datastore = await getObj(vim.Datastore);
    const vms = await datastore.vm;
    expect(vms.length).toBeGreaterThan(0);
    for (const vm of vms) expect(await vm.datastore).toContain(datastore);
  });

  it(`${SAMPLES} samples/create_vm.py --power-on: datacenter.PowerOnMultiVM_Task([vm]), tasks.wait_for_tasks`, async () => {
    const datacenter = await getObj(vim.Datacenter);
    const vm = await getObj(vim.VirtualMachine);
    if ((await vm.runtime).powerState === "poweredOn") await WaitForTask(await vm.PowerOffVM_Task());
    await WaitForTasks([await datacenter.PowerOnMultiVM_Task([vm])]);
    expect((await vm.runtime).powerState).toBe(vim.VirtualMachine.PowerState.poweredOn);
  });
});
