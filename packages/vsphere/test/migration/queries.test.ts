// Query idioms of public pyVmomi scripts, ported line by line with the README's table and run on vcsim:
// datastores and their capacity, host storage, events, alarms, sessions, the PropertyCollector over many VMs,
// and the calls vcsim (govmomi 0.24) lacks (guest operations, export, scheduled tasks), shown as the typed
// fault a script would catch. Each test names the script it comes from.
import { request } from "node:https";
import { describe, expect, it } from "@jest/globals";
import { Disconnect, WaitForTask, vim, vmodl, type ManagedClass } from "../../src/index.js";
import {
  connectTo,
  content,
  getAllObj as getAllObjIn,
  getObj as getObjIn,
  server,
  si,
  useVcsim,
} from "../helpers/connect.js";

const SAMPLES = "vmware/pyvmomi-community-samples";

useVcsim({ vm: 2 });

const getObj = <T extends vim.ManagedEntity>(type: ManagedClass<T>, name?: string) => getObjIn(content, type, name);

const faultOf = (call: Promise<unknown>): Promise<unknown> => call.catch((e: unknown) => e);

const getAllObj = <T extends vim.ManagedEntity>(type: ManagedClass<T>) => getAllObjIn(content, type);

describe("datastores and host storage", () => {
  it(`${SAMPLES} samples/list_dc_datastore_info.py: summary.capacity, freeSpace, uncommitted (None → 0)`, async () => {
    for (const dsObj of await getAllObj(vim.Datastore)) {
      const summary = await dsObj.summary;
      // longs are number | bigint: the script's arithmetic goes through Number() (exact below 2^53).
      const dsCapacity = Number(summary.capacity);
      const dsFreespace = Number(summary.freeSpace);
      const dsUncommitted = summary.uncommitted ? Number(summary.uncommitted) : 0;
      const dsProvisioned = dsCapacity - dsFreespace + dsUncommitted;
      expect(dsCapacity).toBeGreaterThan(0);
      expect(dsFreespace).toBeLessThanOrEqual(dsCapacity);
      expect(dsProvisioned).toBeGreaterThanOrEqual(0);
      expect([summary.name, summary.type, summary.accessible]).toEqual([await dsObj.name, "OTHER", true]);
    }
  });

  it(`${SAMPLES} samples/list_datastore_info.py: configManager.storageSystem.fileSystemVolumeInfo.mountInfo`, async () => {
    const datastores: Record<string, Record<string, unknown>> = {};
    for (const esxiHost of await getAllObj(vim.HostSystem)) {
      const storageSystem = (await esxiHost.configManager).storageSystem!;
      const hostFileSysVolMountInfo = (await storageSystem.fileSystemVolumeInfo)!.mountInfo;
      const datastoreDict: Record<string, unknown> = {};
      for (const hostMountInfo of hostFileSysVolMountInfo) {
        if (hostMountInfo.volume.type === "VMFS") {
          const volume = hostMountInfo.volume as vim.HostVmfsVolume;
          datastoreDict[volume.name] = { uuid: volume.uuid, capacity: volume.capacity, local: volume.local };
        }
      }
      datastores[await esxiHost.name] = datastoreDict;
    }
    // vcsim 0.24 reports no mounted volumes: an empty list (never None), so the script prints empty hosts.
    expect(Object.values(datastores)).toEqual(Object.keys(datastores).map(() => ({})));
    expect(Object.keys(datastores).length).toBeGreaterThan(0);
  });

  it(`${SAMPLES} samples/getorphanedvms.py: datastore.browser.SearchDatastoreSubFolders_Task, info.state polled`, async () => {
    const datacenter = (await content.rootFolder.childEntity)[0] as vim.Datacenter;
    const datastore = (await datacenter.datastore)[0]!;
    const dsName = `[${(await datastore.summary).name}]`;
    const search = new vim.HostDatastoreBrowserSearchSpec();
    const searchDs = await (await datastore.browser).SearchDatastoreSubFolders_Task(dsName, search);
    while ((await searchDs.info).state !== "success") await new Promise((r) => setTimeout(r, 10));
    const folders = (await searchDs.info).result as vim.HostDatastoreBrowserSearchResults[];
    expect(folders.length).toBeGreaterThan(0);
    for (const subFolder of folders) expect(subFolder.folderPath!.startsWith(dsName)).toBe(true);
    expect(folders.some((f) => f.folderPath!.endsWith("/DC0_H0_VM0"))).toBe(true);
  });
});

describe("datastore file transfer", () => {
  // requests.put(http_url, params=params, data=file_data, headers=headers, cookies=cookie, verify=...)
  const httpPut = (url: URL, cookie: string, data: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        url,
        {
          method: "PUT",
          ca: server.certificate,
          agent: false,
          headers: { Cookie: cookie, "Content-Type": "application/octet-stream" },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode!));
        },
      );
      req.on("error", reject);
      req.end(data);
    });

  it(`${SAMPLES} samples/upload_file_to_datastore.py: PUT /folder/<path>?dsName=&dcPath= with the session cookie`, async () => {
    const datacentersObjectView = await content.viewManager.CreateContainerView(
      content.rootFolder,
      [vim.Datacenter],
      true,
    );
    let datacenter: vim.Datacenter | undefined;
    let datastore: vim.Datastore | undefined;
    for (const dcObj of await datacentersObjectView.view) {
      const datastoresObjectView = await content.viewManager.CreateContainerView(dcObj, [vim.Datastore], true);
      for (const dsObj of await datastoresObjectView.view) {
        if ((await dsObj.info).name === "LocalDS_0") {
          datacenter = dcObj;
          datastore = dsObj;
        }
      }
      await datastoresObjectView.Destroy();
    }
    await datacentersObjectView.Destroy();
    const remoteFile = "/migration-upload.txt";
    const httpUrl = new URL(`/folder${remoteFile}`, server.url);
    httpUrl.searchParams.set("dsName", (await datastore!.info).name);
    httpUrl.searchParams.set("dcPath", await datacenter!.name);
    // pyVmomi's si._stub.cookie is the Set-Cookie line the script takes apart into name, value and path;
    // sessionCookie is already `name=value`, the Cookie header itself.
    const cookie = si._stub!.sessionCookie!;
    expect(cookie).toMatch(/^vmware_soap_session=[^;]+$/);
    expect(await httpPut(httpUrl, cookie, "uploaded by a ported script")).toBe(200);
    // The file is in the datastore: its browser finds it.
    const browser = await datastore!.browser;
    const spec = new vim.HostDatastoreBrowserSearchSpec({ matchPattern: ["migration-upload.txt"] });
    const result = await WaitForTask(await browser.SearchDatastore_Task(`[${(await datastore!.info).name}]`, spec));
    expect(result.file.map((f) => f.path)).toEqual(["migration-upload.txt"]);
  });
});

describe("events, alarms and sessions", () => {
  it(`${SAMPLES} samples/relocate_events.py: FindChild, EventFilterSpec.ByEntity(recursion="self"), QueryEvent`, async () => {
    const datacenter = (await content.rootFolder.childEntity)[0] as vim.Datacenter;
    const vm = (await content.searchIndex.FindChild(await datacenter.vmFolder, "DC0_H0_VM0")) as vim.VirtualMachine;
    expect(vm).toBeInstanceOf(vim.VirtualMachine);
    await WaitForTask(await vm.PowerOffVM_Task());
    await WaitForTask(await vm.PowerOnVM_Task());
    const byEntity = new vim.event.EventFilterSpec.ByEntity({ entity: vm, recursion: "self" });
    // The script asks for VmRelocatedEvent, DrsVmMigratedEvent and VmMigratedEvent, which vcsim never posts;
    // the same filter with the power events it posts.
    const ids = ["VmPoweredOffEvent", "VmPoweredOnEvent"];
    const filterSpec = new vim.event.EventFilterSpec({ entity: byEntity, eventTypeId: ids });
    const byUser = new vim.event.EventFilterSpec.ByUsername({ userList: [] });
    byUser.systemUser = false;
    expect(byUser.userList).toEqual([]);
    const eventManager = content.eventManager;
    const events = await eventManager.QueryEvent(filterSpec);
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (const event of events) {
      expect(event).toBeInstanceOf(vim.event.VmEvent);
      expect(ids).toContain(event._wsdlName);
      expect(event.vm!.vm).toBe(vm); // event.vm.name, and the reference itself
      expect(event.vm!.name).toBe("DC0_H0_VM0");
      expect(event.createdTime).toBeInstanceOf(Date);
      expect(event.datacenter!.name).toBe(await datacenter.name);
      expect(event.fullFormattedMessage).toMatch(/DC0_H0_VM0/);
    }
    expect(events.some((e) => e instanceof vim.event.VmPoweredOffEvent)).toBe(true);
    // The filter's `type` (pyVmomi's vmodl.TypeName[]) takes the event classes themselves; vcsim 0.24 ignores
    // that member (it filters by eventTypeId only), so this checks the query is accepted as sent.
    const byType = new vim.event.EventFilterSpec({ entity: byEntity, type: [vim.event.VmPoweredOffEvent] });
    const poweredOff = await eventManager.QueryEvent(byType);
    expect(poweredOff.some((e) => e instanceof vim.event.VmPoweredOffEvent)).toBe(true);
  });

  it(`${SAMPLES} samples/list_host_alarms.py: FindByUuid(datacenter=None, uuid=, vmSearch=False), FindByIp, triggeredAlarmState`, async () => {
    const INDEX = content.searchIndex;
    const host = await getObj(vim.HostSystem);
    const uuid = (await host.hardware)!.systemInfo.uuid;
    const HOST = await INDEX.FindByUuid(undefined, uuid, false);
    expect(HOST).toBe(host);
    const esxIp = (await host.config)!.network!.vnic[0]!.spec.ip!.ipAddress!;
    // FindByIp(ip=args.esx_ip, vmSearch=False): datacenter is the first position. Every vcsim host has
    // 127.0.0.1, so the first one with that address comes back.
    const byIp = (await INDEX.FindByIp(undefined, esxIp, false)) as vim.HostSystem;
    expect(byIp).toBeInstanceOf(vim.HostSystem);
    expect((await byIp.config)!.network!.vnic[0]!.spec.ip!.ipAddress).toBe(esxIp);
    // tools/alarm.py print_triggered_alarms: entity.triggeredAlarmState, a list (empty on vcsim).
    const alarms = await (HOST as vim.HostSystem).triggeredAlarmState;
    expect(alarms).toEqual([]);
    for (const alarm of alarms) expect(typeof (await alarm.alarm.info).name).toBe("string");
    // vcsim 0.24's AlarmManager answers no call: the typed fault.
    const fault = await content.alarmManager!.GetAlarm(host).catch((e: unknown) => e);
    expect(fault).toBeInstanceOf(vmodl.fault.MethodNotFound);
  });

  it(`${SAMPLES} samples/sessions_list.py: currentSession.key, sessionList, Logout, then currentSession`, async () => {
    const other = await connectTo(server);
    const otherContent = await other.RetrieveContent();
    const sessionId = (await otherContent.sessionManager.currentSession)!.key;
    const sessions = await otherContent.sessionManager.sessionList;
    expect(sessions.map((s) => s.key)).toContain(sessionId);
    for (const session of sessions) {
      expect(session.userName).toBe(server.username);
      expect(session.ipAddress).toBe("127.0.0.1");
    }
    await otherContent.sessionManager.Logout();
    // After an explicit Logout the server refuses the read, as pyVmomi sees it: no silent new login.
    await expect(otherContent.sessionManager.currentSession).rejects.toBeInstanceOf(vim.fault.NotAuthenticated);
    await Disconnect(other);
  });
});

describe("the PropertyCollector over many VMs", () => {
  it(`${SAMPLES} samples/filter_vms.py: an ObjectSpec per VM, PropertySpec(all=False), RetrievePropertiesEx`, async () => {
    const vms = await getAllObj(vim.VirtualMachine);
    await WaitForTask(await vms[0]!.PowerOffVM_Task());
    const objSpecs: vmodl.query.PropertyCollector.ObjectSpec[] = [];
    for (const vm of vms) objSpecs.push(new vmodl.query.PropertyCollector.ObjectSpec({ obj: vm }));
    const filterSpec = new vmodl.query.PropertyCollector.FilterSpec();
    filterSpec.objectSet = objSpecs;
    const propSet = new vmodl.query.PropertyCollector.PropertySpec({ all: false });
    propSet.type = vim.VirtualMachine;
    propSet.pathSet = ["runtime.powerState"];
    filterSpec.propSet = [propSet];
    const propCollector = content.propertyCollector;
    const options = new vmodl.query.PropertyCollector.RetrieveOptions();
    const result = (await propCollector.RetrievePropertiesEx([filterSpec], options))!;
    const poweredOn: vim.ManagedObject[] = [];
    for (const obj of result.objects) if (obj.propSet[0]!.val === "poweredOn") poweredOn.push(obj.obj);
    expect(poweredOn).toHaveLength(vms.length - 1);
    expect(poweredOn).not.toContain(vms[0]);
    expect(result.token).toBeUndefined(); // everything in one page: no token
    await WaitForTask(await vms[0]!.PowerOnVM_Task());
  });

  it(`${SAMPLES} samples/waitforupdates.py: a traversal from rootFolder, WaitForUpdatesEx(version, WaitOptions)`, async () => {
    // tools/serviceutil.py build_full_traversal, the part that reaches VMs: visitFolders and dcToVmf.
    const traversalSpec = vmodl.query.PropertyCollector.TraversalSpec;
    const selectionSpec = vmodl.query.PropertyCollector.SelectionSpec;
    const dcToVmf = new traversalSpec({ name: "dcToVmf", type: vim.Datacenter, path: "vmFolder", skip: false });
    dcToVmf.selectSet.push(new selectionSpec({ name: "visitFolders" }));
    const visitFolders = new traversalSpec({
      name: "visitFolders",
      type: vim.Folder,
      path: "childEntity",
      skip: false,
    });
    visitFolders.selectSet.push(new selectionSpec({ name: "visitFolders" }), new selectionSpec({ name: "dcToVmf" }));
    const traversal = [visitFolders, dcToVmf];
    const propCollector = await content.propertyCollector.CreatePropertyCollector();
    const filterSpec = new vmodl.query.PropertyCollector.FilterSpec();
    filterSpec.objectSet = [
      new vmodl.query.PropertyCollector.ObjectSpec({ obj: content.rootFolder, selectSet: traversal }),
    ];
    const propSpec = new vmodl.query.PropertyCollector.PropertySpec({ type: vim.VirtualMachine, all: false });
    propSpec.pathSet.push("name", "runtime.powerState");
    filterSpec.propSet = [propSpec];
    const pcFilter = await propCollector.CreateFilter(filterSpec, true);
    const waitopts = new vmodl.query.PropertyCollector.WaitOptions();
    waitopts.maxWaitSeconds = 0; // the script waits 30 s; 0 answers at once
    let result = (await propCollector.WaitForUpdatesEx("", waitopts))!;
    const seen = new Map<vim.ManagedObject, Map<string, unknown>>();
    for (const filterSet of result.filterSet) {
      for (const objectSet of filterSet.objectSet) {
        expect(["enter", "modify", "leave"]).toContain(objectSet.kind);
        expect(objectSet.changeSet.length).toBeGreaterThan(0);
        seen.set(objectSet.obj, new Map(objectSet.changeSet.map((change) => [change.name, change.val])));
      }
    }
    expect(seen.size).toBe((await getAllObj(vim.VirtualMachine)).length);
    const version = result.version;
    // Nothing changed since: `if result is None: continue`.
    expect(await propCollector.WaitForUpdatesEx(version, waitopts)).toBeUndefined();
    const vm = await getObj(vim.VirtualMachine, "DC0_C0_RP0_VM0");
    await WaitForTask(await vm.PowerOffVM_Task());
    result = (await propCollector.WaitForUpdatesEx(version, waitopts))!;
    const [objectSet] = result.filterSet[0]!.objectSet;
    expect([objectSet!.obj, objectSet!.kind]).toEqual([vm, "modify"]);
    expect(objectSet!.changeSet.map((c) => [c.name, c.val])).toEqual([["runtime.powerState", "poweredOff"]]);
    await pcFilter.Destroy();
    await propCollector.Destroy();
    await WaitForTask(await vm.PowerOnVM_Task());
  });

  it(`${SAMPLES} samples/vcenter_details.py: a view over ManagedEntity, counted by isinstance`, async () => {
    const objectView = await content.viewManager.CreateContainerView(content.rootFolder, [vim.ManagedEntity], true);
    let vms = 0;
    let hosts = 0;
    for (const obj of await objectView.view) {
      if (obj instanceof vim.VirtualMachine) vms += 1;
      else if (obj instanceof vim.HostSystem) hosts += 1;
    }
    await objectView.Destroy();
    expect(vms).toBe((await getAllObj(vim.VirtualMachine)).length);
    expect(hosts).toBe((await getAllObj(vim.HostSystem)).length);
  });
});

describe("inventory walks", () => {
  it(`${SAMPLES} samples/get_vm_names.py: hasattr(child, 'vmFolder'), hasattr(vm, 'childEntity') with a depth limit`, async () => {
    const MAX_DEPTH = 10;
    const names: string[] = [];
    const printVminfo = async (vm: vim.ManagedEntity, depth = 1): Promise<void> => {
      // hasattr(vm, 'childEntity'): a managed object's properties are members of its class.
      if ("childEntity" in vm) {
        if (depth > MAX_DEPTH) return;
        for (const child of await (vm as vim.Folder).childEntity) await printVminfo(child, depth + 1);
        return;
      }
      names.push((await (vm as vim.VirtualMachine).summary).config.name);
    };
    for (const child of await content.rootFolder.childEntity) {
      if ("vmFolder" in child) {
        const datacenter = child as vim.Datacenter;
        for (const vm of await (await datacenter.vmFolder).childEntity) await printVminfo(vm);
      }
    }
    expect(names.sort()).toEqual(
      (await Promise.all((await getAllObj(vim.VirtualMachine)).map((vm) => vm.name))).sort(),
    );
  });
});

describe("VM details, performance and sessions", () => {
  it(`${SAMPLES} samples/hello_world_vcenter.py and generate_html5_console.py: currentSession.key, AcquireCloneTicket`, async () => {
    const sessionId = (await (await si.content).sessionManager.currentSession)!.key;
    expect(sessionId).toMatch(/\S/);
    expect(content.about.fullName).toMatch(/^VMware vCenter Server/);
    const ticket = await content.sessionManager.AcquireCloneTicket();
    expect(typeof ticket).toBe("string");
    expect(ticket).not.toBe(sessionId);
  });

  it(`${SAMPLES} samples/virtual_machine_device_info.py: summary.config fields, runtime.host.name, bootTime, devices`, async () => {
    // The script's --vm-ip look-up (None for an unknown address), else get_obj by name.
    const byIp = (await content.searchIndex.FindByIp(undefined, "10.99.99.99", true)) as vim.VirtualMachine | undefined;
    expect(byIp).toBeUndefined();
    const vm = byIp ?? (await getObj(vim.VirtualMachine));
    const summary = await vm.summary;
    const details = {
      name: summary.config.name,
      "instance UUID": summary.config.instanceUuid,
      "bios UUID": summary.config.uuid,
      "path to VM": summary.config.vmPathName,
      "guest OS id": summary.config.guestId,
      "guest OS name": summary.config.guestFullName,
      "host name": await (await vm.runtime).host!.name,
      "last booted timestamp": (await vm.runtime).bootTime, // unset on vcsim: None
    };
    expect(details.name).toBe(await vm.name);
    expect(details["path to VM"]).toMatch(/^\[.+\] .+\.vmx$/);
    expect(details["guest OS id"]).toBe("otherGuest");
    expect(details["host name"]).toMatch(/^DC0_/);
    expect(details["last booted timestamp"]).toBeUndefined();
    for (const device of (await vm.config)!.hardware.device) {
      expect(typeof device.deviceInfo!.summary).toBe("string");
      expect(typeof device.key).toBe("number");
    }
  });

  it(`${SAMPLES} samples/vm_perf_example.py: perfCounter names, QueryAvailablePerfMetric(entity=), QueryStats(querySpec=[spec])`, async () => {
    const perfManager = content.perfManager;
    const counterInfo = new Map<string, number>();
    for (const counter of await perfManager.perfCounter) {
      const fullName = `${counter.groupInfo.key}.${counter.nameInfo.key}.${counter.rollupType}`;
      counterInfo.set(fullName, counter.key);
    }
    expect(counterInfo.has("cpu.usage.average")).toBe(true);
    const containerView = await content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], true);
    const [child] = await containerView.view;
    await containerView.Destroy();
    const counterIds = (await perfManager.QueryAvailablePerfMetric(child!)).map((m) => m.counterId);
    expect(counterIds.length).toBeGreaterThan(0);
    const metricIds = counterIds.map(
      (counter) => new vim.PerformanceManager.MetricId({ counterId: counter, instance: "*" }),
    );
    const spec = new vim.PerformanceManager.QuerySpec({ maxSample: 1, entity: child!, metricId: metricIds });
    const resultStats = await perfManager.QueryStats([spec]);
    expect(resultStats).toHaveLength(1);
    const names = [...counterInfo.keys()];
    const ids = [...counterInfo.values()];
    for (const val of (resultStats[0] as vim.PerfEntityMetric).value) {
      const series = val as vim.PerfMetricIntSeries;
      const counterinfoKToV = names[ids.indexOf(series.id.counterId)];
      expect(typeof counterinfoKToV).toBe("string");
      expect(typeof series.id.instance).toBe("string"); // '' for the aggregate
      // maxSample=1: one long each, but vcsim leaves out a series' zeros (Go's omitempty), so a counter
      // without sample data has none, and the script's val.value[0] would fail there in Python too.
      expect(series.value.length).toBeLessThanOrEqual(1);
      for (const value of series.value) expect(Number(value)).toBeGreaterThan(0);
    }
    const values = (resultStats[0] as vim.PerfEntityMetric).value as vim.PerfMetricIntSeries[];
    expect(values.some((series) => series.value.length === 1)).toBe(true);
  });

  it(`${SAMPLES} samples/virtual_machine_power_cycle_and_question.py: task.info.state polled, runtime.question None`, async () => {
    const vm = await getObj(vim.VirtualMachine, "DC0_C0_RP0_VM1");
    const done: string[] = [vim.TaskInfo.State.success, vim.TaskInfo.State.error];
    if ((await vm.runtime).powerState === vim.VirtualMachinePowerState.poweredOn) {
      const task = await vm.PowerOff();
      while (!done.includes((await task.info).state)) await new Promise((r) => setTimeout(r, 10));
    }
    expect((await vm.runtime).powerState).toBe("poweredOff");
    const task = await vm.PowerOn();
    const answers = new Map<string, string>();
    while (!done.includes((await task.info).state)) {
      // `if vm.runtime.question is not None:` (an optional member: undefined here)
      const question = (await vm.runtime).question;
      if (question !== undefined && !answers.has(question.id)) answers.set(question.id, "0");
    }
    expect((await task.info).state).toBe(vim.TaskInfo.State.success);
    expect((await vm.runtime).question).toBeUndefined();
    expect(answers.size).toBe(0);
  });
});

describe("what vcsim 0.24 cannot do: the typed fault a script catches", () => {
  const methodNotFound = async (call: Promise<unknown>, method: string) => {
    const fault = await call.catch((e: unknown) => e);
    expect(fault).toBeInstanceOf(vmodl.fault.MethodNotFound);
    expect(fault).toBeInstanceOf(vmodl.MethodFault); // the scripts' `except vmodl.MethodFault as error`
    expect((fault as vmodl.fault.MethodNotFound).method).toBe(method);
  };

  it(`${SAMPLES} samples/execute_program_in_vm.py: processManager.StartProgramInGuest(vm, creds, program_spec)`, async () => {
    const vm = await getObj(vim.VirtualMachine);
    expect((await vm.guest)!.toolsStatus).toBe("toolsNotInstalled"); // the script's tools_status check
    const creds = new vim.vm.guest.NamePasswordAuthentication({ username: "root", password: "secret" });
    const profileManager = (await content.guestOperationsManager!.processManager)!;
    const programSpec = new vim.vm.guest.ProcessManager.ProgramSpec({ programPath: "/bin/ls", arguments: "-l" });
    await methodNotFound(profileManager.StartProgramInGuest(vm, creds, programSpec), "StartProgramInGuest");
  });

  it(`${SAMPLES} samples/upload_file_to_vm.py: fileManager.InitiateFileTransferToGuest(vm, creds, path, attrs, size, True)`, async () => {
    const vm = await getObj(vim.VirtualMachine);
    const creds = new vim.vm.guest.NamePasswordAuthentication({ username: "root", password: "secret" });
    const dataToSend = "payload";
    const fileAttribute = new vim.vm.guest.FileManager.FileAttributes();
    const fileManager = (await content.guestOperationsManager!.fileManager)!;
    // vcsim has this call: with VMware Tools not running in the guest it fails as vCenter does, with
    // vim.fault.GuestOperationsUnavailable (the script's tools_status check is there for that).
    const fault = await faultOf(
      fileManager.InitiateFileTransferToGuest(vm, creds, "/tmp/payload", fileAttribute, dataToSend.length, true),
    );
    expect(fault).toBeInstanceOf(vim.fault.GuestOperationsUnavailable);
    expect(fault).toBeInstanceOf(vim.fault.GuestOperationsFault);
  });

  it(`${SAMPLES} samples/service_manager_esxtop_in_vc.py: serviceManager.QueryServiceList(location=[...])`, async () => {
    const location = `vmware.host.${await (await getObj(vim.HostSystem)).name}`;
    await methodNotFound(content.serviceManager!.QueryServiceList(undefined, [location]), "QueryServiceList");
  });

  it(`${SAMPLES} samples/export_vm.py: vm_obj.ExportVm() on a powered-off VM`, async () => {
    const vmObj = await getObj(vim.VirtualMachine, "DC0_H0_VM1");
    await WaitForTask(await vmObj.PowerOffVM_Task());
    expect((await vmObj.runtime).powerState).toBe(vim.VirtualMachine.PowerState.poweredOff);
    expect(typeof (await vmObj.config)!.instanceUuid).toBe("string");
    await methodNotFound(vmObj.ExportVm(), "ExportVm");
    const ovfParameters = new vim.OvfManager.CreateDescriptorParams();
    await methodNotFound(content.ovfManager!.CreateDescriptor(vmObj, ovfParameters), "CreateDescriptor");
    await WaitForTask(await vmObj.PowerOnVM_Task());
  });

  it(`${SAMPLES} samples/scheduled_poweroff.py: ScheduledTaskSpec with OnceTaskScheduler and MethodAction`, async () => {
    const vm = await getObj(vim.VirtualMachine);
    const spec = new vim.scheduler.ScheduledTaskSpec();
    spec.name = "PowerOff vm";
    spec.description = "poweroff vm";
    spec.scheduler = new vim.scheduler.OnceTaskScheduler();
    (spec.scheduler as vim.OnceTaskScheduler).runAt = new Date(Date.now() + 3_600_000);
    spec.action = new vim.action.MethodAction();
    // `spec.action.name = vim.VirtualMachine.PowerOff`: the method's WSDL name (README).
    (spec.action as vim.MethodAction).name = "PowerOffVM_Task";
    spec.enabled = true;
    await methodNotFound(content.scheduledTaskManager!.CreateScheduledTask(vm, spec), "CreateScheduledTask");
  });
});

describe("more of what vcsim 0.24 lacks", () => {
  it(`${SAMPLES} samples/set_vcenter_motd.py, reconfigure_host_for_ha.py, question answers: MethodNotFound`, async () => {
    const motd = await faultOf(content.sessionManager.UpdateServiceMessage("maintenance at 18:00"));
    expect(motd).toBeInstanceOf(vmodl.fault.MethodNotFound);
    const esx = await getObj(vim.HostSystem);
    expect(await faultOf(esx.ReconfigureHostForDAS_Task())).toBeInstanceOf(vmodl.fault.MethodNotFound);
    const vm = await getObj(vim.VirtualMachine);
    expect(await faultOf(vm.AnswerVM("question-1", "0"))).toBeInstanceOf(vmodl.fault.MethodNotFound);
  });

  it(`${SAMPLES} samples/vSphereAutoRestartManager.py: host.configManager.autoStartManager.config`, async () => {
    const host = await getObj(vim.HostSystem);
    const autoStartManager = (await host.configManager).autoStartManager!;
    expect(autoStartManager).toBeInstanceOf(vim.HostAutoStartManager);
    // vcsim 0.24 names the manager in configManager but has no such object: the typed fault names it.
    const fault = await faultOf(autoStartManager.config);
    expect(fault).toBeInstanceOf(vmodl.fault.ManagedObjectNotFound);
    expect((fault as vmodl.fault.ManagedObjectNotFound).obj).toBe(autoStartManager);
    const hostDefSettings = new vim.host.AutoStartManager.SystemDefaults({ enabled: true, startDelay: 10 });
    expect(hostDefSettings.enabled).toBe(true);
  });
});

describe("OVF import", () => {
  // The smallest descriptor govmomi's parser takes (it needs the System element of the hardware section).
  const ovf = [
    '<?xml version="1.0"?>',
    '<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"',
    ' xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"',
    ' xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData">',
    '<References/><VirtualSystem ovf:id="vm"><Info>vm</Info><Name>ovf-vm</Name>',
    "<VirtualHardwareSection><Info>hardware</Info><System><vssd:ElementName>hw</vssd:ElementName>",
    "<vssd:InstanceID>0</vssd:InstanceID><vssd:VirtualSystemType>vmx-13</vssd:VirtualSystemType></System>",
    "<Item><rasd:ElementName>1 CPU</rasd:ElementName><rasd:InstanceID>1</rasd:InstanceID>",
    "<rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>1</rasd:VirtualQuantity></Item>",
    "<Item><rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits><rasd:ElementName>memory</rasd:ElementName>",
    "<rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType>",
    "<rasd:VirtualQuantity>64</rasd:VirtualQuantity></Item></VirtualHardwareSection></VirtualSystem></Envelope>",
  ].join("");

  it(`${SAMPLES} samples/deploy_ovf.py: CreateImportSpec, ImportVApp, lease.state ready, HttpNfcLeaseComplete`, async () => {
    const datacenterObj = (await content.rootFolder.childEntity)[0] as vim.Datacenter;
    const datastoreObj = (await (await datacenterObj.datastoreFolder).childEntity)[0] as vim.Datastore;
    const clusterObj = (await (await datacenterObj.hostFolder).childEntity).find(
      (c) => c instanceof vim.ClusterComputeResource,
    ) as vim.ClusterComputeResource;
    const resourcePool = (await clusterObj.resourcePool)!;
    const manager = content.ovfManager!;
    const specParams = new vim.OvfManager.CreateImportSpecParams();
    specParams.entityName = "ovf-vm";
    const importSpec = await manager.CreateImportSpec(ovf, resourcePool, datastoreObj, specParams);
    expect(importSpec.error).toEqual([]);
    expect(importSpec.importSpec).toBeInstanceOf(vim.VirtualMachineImportSpec);
    const lease = await resourcePool.ImportVApp(importSpec.importSpec!, await datacenterObj.vmFolder);
    expect(lease).toBeInstanceOf(vim.HttpNfcLease);
    expect(await lease.state).toBe(vim.HttpNfcLease.State.ready);
    const info = (await lease.info)!;
    expect(info.deviceUrl).toEqual([]); // no disk in the descriptor: nothing to upload
    const entity = info.entity as vim.VirtualMachine;
    expect(await entity.name).toBe("ovf-vm");
    await lease.HttpNfcLeaseProgress(50);
    await lease.HttpNfcLeaseComplete();
    // vcsim forgets a completed lease (vCenter keeps it, state done): reading it is the typed fault.
    await expect(lease.state).rejects.toBeInstanceOf(vmodl.fault.ManagedObjectNotFound);
  });
});

// Last: it leaves the datastore inside a datastore cluster.
describe("datastore clusters", () => {
  it(`${SAMPLES} samples/list_datastore_cluster.py: a view of StoragePod, ds_cluster.childEntity names`, async () => {
    // A datastore cluster to list: datastoreFolder.CreateStoragePod, the datastore moved into it.
    const datacenter = await getObj(vim.Datacenter);
    const pod = await (await datacenter.datastoreFolder).CreateStoragePod("DSC-ops");
    const [datastore] = await datacenter.datastore;
    await WaitForTask(await pod.MoveIntoFolder_Task([datastore!]));
    const objView = await content.viewManager.CreateContainerView(content.rootFolder, [vim.StoragePod], true);
    const dsClusterList = await objView.view;
    await objView.Destroy();
    const listed: string[] = [];
    for (const dsCluster of dsClusterList) {
      if ((await dsCluster.name) === "DSC-ops") {
        for (const ds of await dsCluster.childEntity) listed.push(await ds.name);
      }
    }
    expect(listed).toEqual([await datastore!.name]);
    // Moving it back is vmodl.fault.NotSupported on vcsim 0.24, so the datastore stays in the pod: this runs last.
    const back = await faultOf(
      (await datacenter.datastoreFolder).MoveIntoFolder_Task([datastore!]).then((task) => WaitForTask(task)),
    );
    expect(back).toBeInstanceOf(vmodl.fault.NotSupported);
  });
});
