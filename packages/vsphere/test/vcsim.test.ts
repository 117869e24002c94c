// pyVmomi's classic flows against vcsim (API 6.5) through the package's launcher: connect with version
// negotiation, walk the inventory, read properties lazily and in bulk, call methods, wait for tasks,
// follow changes, reconfigure, disconnect; and the typed errors a user meets on the way.
import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { Disconnect, SmartConnect, WaitForTask, WaitForTasks, vim, vmodl } from "../src/index.js";
import { connectTo, content, server, si, useVcsim } from "./helpers/connect.js";

const requests: string[] = [];
const logger = { debug: (m: string) => void requests.push(m), info() {}, warn() {}, error() {} };

useVcsim({ vm: 3 }, { logger });

/** The SOAP operations sent while `action` ran (from the redacted debug log). */
async function sent(action: () => Promise<unknown>): Promise<string[]> {
  si._stub!.debug = true;
  requests.length = 0;
  try {
    await action();
  } finally {
    si._stub!.debug = false;
  }
  return requests.filter((r) => r.startsWith("-> POST")).map((r) => /<(\w+) xmlns="urn:vim25">/.exec(r)?.[1] ?? "?");
}

async function allVms(): Promise<vim.VirtualMachine[]> {
  const view = await content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], true);
  try {
    return await view.view;
  } finally {
    await view.DestroyView();
  }
}

describe("SmartConnect", () => {
  it("negotiates the API version vcsim offers (6.5) and logs in with the session cookie", async () => {
    expect(si._stub!.version).toBe("6.5");
    expect(si._stub!.versionId).toBe("urn:vim25/6.5");
    expect(si._stub!.sessionCookie).toMatch(/^vmware_soap_session=/);
    expect(content.about.apiVersion).toBe("6.5");
    expect(content.about.fullName).toContain("vCenter Server");
    const session = await content.sessionManager!.currentSession;
    expect(session?.userName).toBe(server.username);
  });

  it("RetrieveContent reads the ServiceContent once; si.content reads it as a property", async () => {
    expect(await sent(() => si.RetrieveContent())).toEqual([]);
    const again = await si.content;
    expect(again).toBeInstanceOf(vim.ServiceContent);
    expect(again.rootFolder._moId).toBe(content.rootFolder._moId);
  });
});

describe("the README's quick start", () => {
  it("runs as written", async () => {
    const { host, port, username: user, password: pwd } = server;
    const si = await SmartConnect({ host, user, pwd, port, disableSslCertValidation: true });
    const content = await si.RetrieveContent();
    const view = await content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], true);
    const lines: string[] = [];
    for (const vm of await view.view) lines.push(`${await vm.name} ${(await vm.runtime).powerState}`);
    expect(lines).toHaveLength(6);
    const vm = (await view.view)[0]!;
    if ((await vm.runtime).powerState === "poweredOff") await WaitForTask(await vm.PowerOnVM_Task());
    const task = await vm.PowerOffVM_Task();
    await WaitForTask(task, { onProgress: (pct) => lines.push(`${pct ?? "?"}%`) });
    const rows = await si.collect(view, vim.VirtualMachine, ["name", "runtime.powerState"]);
    expect(rows.find((r) => r.obj._moId === vm._moId)?.["runtime.powerState"]).toBe("poweredOff");
    await WaitForTask(await vm.PowerOnVM_Task());
    await view.DestroyView();
    await Disconnect(si);
  });
});

describe("the inventory", () => {
  it("walks folders, datacenters and views with lazy properties, one round trip per read", async () => {
    expect(await content.rootFolder.name).toBe("Datacenters");
    const [datacenter] = (await content.rootFolder.childEntity) as vim.Datacenter[];
    expect(datacenter).toBeInstanceOf(vim.Datacenter);
    expect(await datacenter!.name).toBe("DC0");
    const vmFolder = await datacenter!.vmFolder;
    expect(vmFolder).toBeInstanceOf(vim.Folder);
    expect(await sent(() => vmFolder.name)).toEqual(["RetrievePropertiesEx"]);
    const parent = await vmFolder.parent;
    expect(parent?._moId).toBe(datacenter!._moId);
  });

  it("lists VMs through a container view, with their power state", async () => {
    const view = await content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], true);
    expect(view).toBeInstanceOf(vim.ContainerView);
    const vms = await view.view;
    expect(vms).toHaveLength(6);
    for (const vm of vms) {
      expect(vm).toBeInstanceOf(vim.VirtualMachine);
      expect(await vm.name).toMatch(/_VM\d$/);
      expect(["poweredOn", "poweredOff", "suspended"]).toContain((await vm.runtime).powerState);
    }
    await view.DestroyView();
  });

  it("reads an unset array property as [] and an unset optional one as undefined", async () => {
    const [vm] = await allVms();
    expect(await vm!.rootSnapshot).toEqual([]);
    expect(await vm!.snapshot).toBeUndefined();
  });
});

describe("si.collect", () => {
  it("reads name and power state of every VM of a view in one request", async () => {
    const view = await content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], true);
    let rows: Awaited<ReturnType<typeof si.collect<vim.VirtualMachine, ["name", "runtime.powerState"]>>> = [];
    expect(
      await sent(async () => {
        rows = await si.collect(view, vim.VirtualMachine, ["name", "runtime.powerState"]);
      }),
    ).toEqual(["RetrievePropertiesEx"]);
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(row.obj).toBeInstanceOf(vim.VirtualMachine);
      expect(typeof row.name).toBe("string");
      const state: vim.VirtualMachinePowerState | undefined = row["runtime.powerState"];
      expect(["poweredOn", "poweredOff", "suspended"]).toContain(state);
    }
    const names: string[] = [];
    for await (const row of si.collect(view, "VirtualMachine", ["name"], { pageSize: 2 }))
      names.push(row.name as string);
    expect(names.sort()).toEqual(rows.map((r) => r.name).sort());
    await view.DestroyView();
  });

  it("reads a list of objects, and one object", async () => {
    const hosts = (await si.collect(content.rootFolder, vim.Folder, ["name", "childType"])) as unknown as {
      name: string;
      childType: string[];
    }[];
    expect(hosts).toEqual([
      expect.objectContaining({ name: "Datacenters", childType: expect.arrayContaining(["Datacenter"]) }),
    ]);
    const vms = await allVms();
    const rows = await si.collect(vms.slice(0, 2), vim.VirtualMachine, ["summary.config.memorySizeMB"]);
    expect(rows.map((r) => r.obj._moId)).toEqual(vms.slice(0, 2).map((vm) => vm._moId));
    expect(rows.every((r) => typeof r["summary.config.memorySizeMB"] === "number")).toBe(true);
  });

  it("names an unknown property before sending", async () => {
    const view = content.rootFolder;
    expect(() => si.collect(view, vim.VirtualMachine, ["nmae"])).toThrow(
      'VirtualMachine has no property nmae (in the path "nmae")',
    );
    // Every segment is checked, as far as the declared types go.
    expect(() => si.collect(view, vim.VirtualMachine, ["runtime.powerStat"])).toThrow(
      new ValidationError('VirtualMachineRuntimeInfo has no field powerStat (in the path "runtime.powerStat")'),
    );
    expect(() => si.collect(view, vim.VirtualMachine, ["summary.config.memorySizeMb"])).toThrow(
      'VirtualMachineConfigSummary has no field memorySizeMb (in the path "summary.config.memorySizeMb")',
    );
  });

  it("reads no rows from no objects, without a request", async () => {
    expect(await sent(async () => expect(await si.collect([], vim.VirtualMachine, ["name"])).toEqual([]))).toEqual([]);
  });
});

describe("methods and tasks", () => {
  it("powers a VM off with a task, reporting progress, then reconfigures its memory", async () => {
    const vms = await allVms();
    let vm: vim.VirtualMachine | undefined;
    for (const candidate of vms) if ((await candidate.runtime).powerState === "poweredOn") vm = candidate;
    expect(vm).toBeDefined();
    const task = await vm!.PowerOffVM_Task();
    expect(task).toBeInstanceOf(vim.Task);
    const progress: (number | undefined)[] = [];
    await expect(
      WaitForTask(task, { onProgress: (p) => void progress.push(p), timeoutMs: 30_000 }),
    ).resolves.toBeUndefined();
    // vcsim's tasks report no percentage (the replay tests show reported ones).
    expect(progress.every((p) => p === undefined)).toBe(true);
    expect((await vm!.runtime).powerState).toBe("poweredOff");
    expect((await task.info).state).toBe("success");

    const spec = new vim.VirtualMachineConfigSpec({ memoryMB: 3072 });
    await WaitForTask(await vm!.ReconfigVM_Task(spec));
    expect((await vm!.config)?.hardware.memoryMB).toBe(3072);
  });

  it("resolves a task's result: CloneVM_Task gives the new VM", async () => {
    const [source] = await allVms();
    const datacenter = ((await content.rootFolder.childEntity) as vim.Datacenter[])[0]!;
    const folder = await datacenter.vmFolder;
    const pool = (await source!.resourcePool)!;
    const clone = await WaitForTask(
      await source!.CloneVM_Task(
        folder,
        "clone-1",
        new vim.VirtualMachineCloneSpec({
          location: new vim.VirtualMachineRelocateSpec({ pool }),
          powerOn: false,
          template: false,
        }),
      ),
    );
    expect(clone).toBeInstanceOf(vim.VirtualMachine);
    expect(await clone.name).toBe("clone-1");
    await WaitForTask(await clone.Destroy_Task());
  });

  it("waits for several tasks; a failed task throws its fault", async () => {
    const vms = await allVms();
    const off: vim.VirtualMachine[] = [];
    for (const vm of vms) if ((await vm.runtime).powerState === "poweredOff") off.push(vm);
    const results = await WaitForTasks(await Promise.all(off.map((vm) => vm.PowerOnVM_Task())));
    expect(results).toHaveLength(off.length);
    const error = await WaitForTask(await off[0]!.PowerOnVM_Task()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(vim.fault.InvalidPowerState);
    expect(error).toBeInstanceOf(vim.fault.InvalidState);
    expect((error as vim.InvalidPowerState).existingState).toBe("poweredOn");
    expect((error as Error).message).toMatch(
      /^task task-\d+ \(VirtualMachine\.powerOn\) failed: .*\(vim\.fault\.InvalidPowerState: /,
    );
  });

  it("rejects a wrong argument type with a ValidationError, before sending", async () => {
    const [vm] = await allVms();
    let error: unknown;
    const operations = await sent(async () => {
      error = await vm!
        .ReconfigVM_Task({ memoryMB: "lots" } as unknown as vim.VirtualMachineConfigSpec)
        .catch((e: unknown) => e);
    });
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("spec.memoryMB");
    expect(operations).toEqual([]);
    await expect(
      content.viewManager.CreateContainerView(content.propertyCollector as never, [vim.VirtualMachine], true),
    ).rejects.toThrow(
      "CreateContainerView: container must be a ManagedEntity (got PropertyCollector:propertyCollector)",
    );
  });

  it("throws ManagedObjectNotFound for a reference that no longer exists", async () => {
    const view = await content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], true);
    await view.DestroyView();
    const error = await view.view.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(vmodl.fault.ManagedObjectNotFound);
    expect((error as vim.ManagedObjectNotFound).obj._moId).toBe(view._moId);
    expect((error as Error).message).toContain("(vmodl.fault.ManagedObjectNotFound: obj=vim.ContainerView:");
    const gone = new vim.VirtualMachine("vm-does-not-exist", si._stub);
    await expect(gone.PowerOnVM_Task()).rejects.toBeInstanceOf(vmodl.fault.ManagedObjectNotFound);
  });
});

describe("si.watch (WaitForUpdatesEx)", () => {
  it("yields the current values, then each change, until the loop is left", async () => {
    const [vm] = await allVms();
    const seen: string[] = [];
    const controller = new AbortController();
    for await (const update of si.watch([vm!], vim.VirtualMachine, ["runtime.powerState"], {
      signal: controller.signal,
    })) {
      expect(update.obj._moId).toBe(vm!._moId);
      const state = update.changes.find((c) => c.name === "runtime.powerState")?.val as string;
      seen.push(`${update.kind}:${state}`);
      if (seen.length === 1)
        await WaitForTask(await (state === "poweredOn" ? vm!.PowerOffVM_Task() : vm!.PowerOnVM_Task()));
      else break;
    }
    expect(seen[0]).toMatch(/^enter:powered(On|Off)$/);
    expect(seen[1]).toMatch(/^modify:powered(On|Off)$/);
    expect(seen[1]!.slice(7)).not.toBe(seen[0]!.slice(6));
  });

  it("stops with an AbortError when its signal aborts", async () => {
    const controller = new AbortController();
    const updates = si.watch(content.rootFolder, vim.Folder, ["name"], {
      signal: controller.signal,
      maxWaitSeconds: 30,
    });
    expect((await updates.next()).value?.kind).toBe("enter");
    setTimeout(() => controller.abort(), 100);
    await expect(updates.next()).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("Disconnect", () => {
  it("logs out: the session is gone for the server", async () => {
    const other = await connectTo(server);
    const otherContent = await other.RetrieveContent();
    const key = (await otherContent.sessionManager!.currentSession)!.key;
    await Disconnect(other);
    const sessions = (await content.sessionManager!.sessionList) as vim.UserSession[];
    expect(sessions.map((s) => s.key)).not.toContain(key);
    await expect(otherContent.rootFolder.name).rejects.toThrow("was closed (Disconnect)");
  });
});
