// Idioms of public pyVmomi scripts that use pyVmomi's own spellings, ported without renaming and run on
// vcsim: its dotted type names (vim.vm.ConfigSpec, vim.TaskInfo.State) and its short method names
// (RetrieveContents, CreateSnapshot, Destroy). Each test names the script it comes from.
import { describe, expect, it } from "@jest/globals";
import { WaitForTask, vim, vmodl, type ManagedClass } from "../../src/index.js";
import { content, getAllObj as getAllObjIn, useVcsim } from "../helpers/connect.js";

const SAMPLES = "vmware/pyvmomi-community-samples";

useVcsim({ vm: 2 });

const getAllObj = <T extends vim.ManagedEntity>(type: ManagedClass<T>) => getAllObjIn(content, type);

describe("pyVmomi's type names", () => {
  it("are the WSDL's classes, and every name of pyVmomi's table resolves", () => {
    expect(vim.vm.ConfigSpec).toBe(vim.VirtualMachineConfigSpec);
    expect(vim.vm.device.VirtualDisk).toBe(vim.VirtualDisk);
    expect(vim.vm.device.VirtualDisk.FlatVer2BackingInfo).toBe(vim.VirtualDiskFlatVer2BackingInfo);
    expect(vim.vm.device.VirtualDeviceSpec.Operation.add).toBe("add");
    expect(vim.TaskInfo.State.success).toBe("success");
    expect(vim.VirtualMachine.PowerState.poweredOff).toBe("poweredOff");
    expect(vim.PerformanceManager.MetricId).toBe(vim.PerfMetricId);
    expect(vim.ServiceInstanceContent).toBe(vim.ServiceContent);
    expect(new vim.vm.ConfigSpec({ memoryMB: 256 })).toBeInstanceOf(vim.VirtualMachineConfigSpec);
    expect(Object.keys(vim.vm)).toContain("ConfigSpec");
    expect("vm" in vim).toBe(true);
    // The same names are types: a ported script's annotations compile unchanged.
    const spec: vim.vm.ConfigSpec = new vim.vm.ConfigSpec();
    const state: vim.TaskInfo.State = vim.TaskInfo.State.success;
    const disk: vim.vm.device.VirtualDisk.FlatVer2BackingInfo = new vim.vm.device.VirtualDisk.FlatVer2BackingInfo();
    expect([spec.deviceChange, state, disk.fileName]).toEqual([[], "success", ""]);
  });

  it("include those pyVmomi added after 6.7.1, up to 8.0.3 (vim.vm.VirtualNuma, CloudinitPrep, Disable)", () => {
    expect(vim.vm.VirtualNuma).toBe(vim.VirtualMachineVirtualNuma);
    expect(vim.vm.customization.CloudinitPrep).toBe(vim.CustomizationCloudinitPrep);
    expect(vim.TaskInfoFilterSpec).toBeDefined();
    const numa: vim.vm.VirtualNuma = new vim.vm.VirtualNuma({ coresPerNumaNode: 4 });
    expect(numa).toBeInstanceOf(vim.VirtualMachineVirtualNuma);
    // A short method name of pyVmomi 8 (CryptoManagerHost.Disable for CryptoManagerHostDisable).
    expect(typeof new vim.CryptoManagerHost("cryptoManager").Disable).toBe("function");
  });
});

describe("pyVmomi's method names", () => {
  it(`${SAMPLES} samples/tools/pchelper.py collect_properties: collector.RetrieveContents([filter_spec])`, async () => {
    const view = await content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], true);
    const objSpec = new vmodl.query.PropertyCollector.ObjectSpec();
    objSpec.obj = view;
    objSpec.skip = true;
    const traversalSpec = new vmodl.query.PropertyCollector.TraversalSpec();
    traversalSpec.name = "traverseEntities";
    traversalSpec.path = "view";
    traversalSpec.skip = false;
    traversalSpec.type = view.constructor as ManagedClass<vim.ContainerView>; // view_ref.__class__
    objSpec.selectSet = [traversalSpec];
    const propertySpec = new vmodl.query.PropertyCollector.PropertySpec();
    propertySpec.type = vim.VirtualMachine;
    propertySpec.pathSet = ["name"];
    const filterSpec = new vmodl.query.PropertyCollector.FilterSpec();
    filterSpec.objectSet = [objSpec];
    filterSpec.propSet = [propertySpec];
    const props = await content.propertyCollector.RetrieveContents([filterSpec]);
    const data = props.map((obj) => Object.fromEntries(obj.propSet!.map((p) => [p.name, p.val])));
    expect(data).toHaveLength(4);
    expect(data.every((row) => typeof row.name === "string")).toBe(true);
    await view.Destroy();
  });

  it(`${SAMPLES} samples/tools/tasks.py wait_for_tasks: CreateFilter, WaitForUpdates, TaskInfo.State`, async () => {
    const [vm] = await getAllObj(vim.VirtualMachine);
    const task = await vm!.CreateSnapshot("pc", "", false, false);
    const pc = await content.propertyCollector.CreatePropertyCollector();
    const objSpecs = [new vmodl.query.PropertyCollector.ObjectSpec({ obj: task })];
    const propSpec = new vmodl.query.PropertyCollector.PropertySpec({ type: vim.Task, pathSet: [], all: true });
    const filterSpec = new vmodl.query.PropertyCollector.FilterSpec({ objectSet: objSpecs, propSet: [propSpec] });
    const filter = await pc.CreateFilter(filterSpec, true);
    let version = "";
    let state: string | undefined;
    while (state !== vim.TaskInfo.State.success && state !== vim.TaskInfo.State.error) {
      const update = await pc.WaitForUpdates(version);
      for (const filterSet of update.filterSet!) {
        for (const objSet of filterSet.objectSet!) {
          for (const change of objSet.changeSet!) {
            if (change.name === "info") state = (change.val as vim.TaskInfo).state;
            else if (change.name === "info.state") state = change.val as string;
          }
        }
      }
      version = update.version;
    }
    expect(state).toBe("success");
    await filter.Destroy();
    await pc.Destroy();
    await WaitForTask(await vm!.RemoveAllSnapshots());
  });

  it(`${SAMPLES} samples/clone_vm.py: vim.vm.RelocateSpec, vim.vm.CloneSpec, template.Clone(...)`, async () => {
    const [template] = await getAllObj(vim.VirtualMachine);
    const relospec = new vim.vm.RelocateSpec();
    relospec.pool = (await template!.resourcePool)!;
    const clonespec = new vim.vm.CloneSpec();
    clonespec.location = relospec;
    clonespec.powerOn = false;
    const task = await template!.Clone((await template!.parent) as vim.Folder, "spelled-clone", clonespec);
    const clone = await WaitForTask(task);
    expect(await clone.name).toBe("spelled-clone");
    await WaitForTask(await clone.Destroy());
  });

  it(`${SAMPLES} samples/add_disk_to_vm.py: vim.vm.device.VirtualDeviceSpec and vm.Reconfigure`, async () => {
    const [vm] = await getAllObj(vim.VirtualMachine);
    const devices = (await vm!.config)!.hardware.device!;
    const controller = devices.find((d) => d instanceof vim.vm.device.VirtualSCSIController)!;
    const diskSpec = new vim.vm.device.VirtualDeviceSpec();
    diskSpec.fileOperation = vim.vm.device.VirtualDeviceSpec.FileOperation.create;
    diskSpec.operation = vim.vm.device.VirtualDeviceSpec.Operation.add;
    const disk = new vim.vm.device.VirtualDisk();
    disk.backing = new vim.vm.device.VirtualDisk.FlatVer2BackingInfo({ diskMode: "persistent" });
    disk.unitNumber = 3;
    disk.capacityInKB = 1024;
    disk.controllerKey = controller.key;
    diskSpec.device = disk;
    const spec = new vim.vm.ConfigSpec();
    spec.deviceChange = [diskSpec];
    await WaitForTask(await vm!.Reconfigure(spec));
    const disks = (await vm!.config)!.hardware.device!.filter((d) => d instanceof vim.vm.device.VirtualDisk);
    expect(disks.some((d) => d.unitNumber === 3 && d.controllerKey === controller.key)).toBe(true);
  });

  it(`${SAMPLES} samples/esxi_perf_sample.py: vim.PerformanceManager.MetricId / QuerySpec and QueryStats`, async () => {
    const [host] = await getAllObj(vim.HostSystem);
    const perfManager = content.perfManager;
    const counters = await perfManager.perfCounter;
    const cpu = counters.find((c) => c.groupInfo.key === "cpu" && c.nameInfo.key === "usage")!;
    expect(cpu).toBeDefined();
    const metricId = new vim.PerformanceManager.MetricId({ counterId: cpu.key, instance: "" });
    const query = new vim.PerformanceManager.QuerySpec({ entity: host!, metricId: [metricId], maxSample: 1 });
    const stats = await perfManager.QueryStats([query]);
    expect(Array.isArray(stats)).toBe(true);
    expect(await perfManager.QueryPerf([query])).toHaveLength(stats.length);
  });

  it(`${SAMPLES} samples/destroy_vm.py: FindByUuid, PowerOff, Destroy with pyVmomi's names`, async () => {
    const [vm] = await getAllObj(vim.VirtualMachine);
    const uuid = (await vm!.config)!.uuid;
    const found = (await content.searchIndex.FindByUuid(undefined, uuid, true)) as vim.VirtualMachine;
    expect(found).toBe(vm);
    const clone = await WaitForTask(
      await found.Clone(
        (await found.parent) as vim.Folder,
        "to-destroy",
        new vim.vm.CloneSpec({ location: new vim.vm.RelocateSpec(), powerOn: true }),
      ),
    );
    if ((await clone.runtime).powerState === vim.VirtualMachine.PowerState.poweredOn) {
      await WaitForTask(await clone.PowerOff());
    }
    await WaitForTask(await clone.Destroy());
    await expect(clone.name).rejects.toBeInstanceOf(vmodl.fault.ManagedObjectNotFound);
  });
});
