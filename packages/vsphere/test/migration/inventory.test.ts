// Inventory idioms of public pyVmomi scripts, ported line by line and run on vcsim: each test names the
// script (repository and path) and asserts what the Python relied on.
import { describe, expect, it } from "@jest/globals";
import { SmartConnect, WaitForTask, vim, vmodl } from "../../src/index.js";
import { content, server, useVcsim } from "../helpers/connect.js";

const SAMPLES = "vmware/pyvmomi-community-samples";

useVcsim({ vm: 2 });

async function datacenter(): Promise<vim.Datacenter> {
  return ((await content.rootFolder.childEntity) as vim.Datacenter[])[0]!;
}

describe("inventory idioms", () => {
  it(`${SAMPLES} samples/HelloWorldvCenter.py: a wrong password is caught as vmodl.MethodFault, with e.msg`, async () => {
    const error = await SmartConnect({
      host: server.url,
      user: server.username,
      pwd: "wrong",
      ca: server.certificate,
      env: {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(vmodl.MethodFault);
    expect(error).toBeInstanceOf(vim.fault.InvalidLogin);
    expect((error as Error).message).toContain("InvalidLogin");
  });

  it(`${SAMPLES} samples/get_hosts_memsize.py: hosts of a view (host_view.Destroy()) as dict keys, memorySize`, async () => {
    const hostView = await content.viewManager.CreateContainerView(content.rootFolder, [vim.HostSystem], true);
    const hosts = await hostView.view;
    await hostView.Destroy();
    const memSize = new Map<vim.HostSystem, number | bigint>();
    for (const host of hosts) memSize.set(host, (await host.hardware)!.memorySize);
    // A reference read again is the same key, as a pyVmomi object hashes by type and id.
    const again = await content.viewManager.CreateContainerView(content.rootFolder, [vim.HostSystem], true);
    for (const host of await again.view) expect(memSize.get(host)).toBeGreaterThan(0);
    await again.Destroy();
    expect(memSize.size).toBe(hosts.length);
  });

  it(`${SAMPLES} samples/create_folder_in_datacenter.py: hostFolder.CreateFolder and vmFolder.CreateFolder`, async () => {
    const dc = await datacenter();
    const hostFolder = await (await dc.hostFolder).CreateFolder("migration-folder");
    const vmFolder = await (await dc.vmFolder).CreateFolder("migration-folder");
    expect(await (await dc.hostFolder).childEntity).toContain(hostFolder);
    expect(await (await dc.vmFolder).childEntity).toContain(vmFolder);
    await WaitForTask(await hostFolder.Destroy());
    await WaitForTask(await vmFolder.Destroy());
  });

  it(`${SAMPLES} samples/convert_template.py: PowerOff, MarkAsTemplate, MarkAsVirtualMachine(pool)`, async () => {
    const dc = await datacenter();
    let cluster: vim.ClusterComputeResource | undefined;
    for (const entity of await (
      await dc.hostFolder
    ).childEntity) {
      if ((await entity.name) === "DC0_C0") cluster = entity as vim.ClusterComputeResource;
    }
    const pool = (await cluster!.resourcePool)!;
    const [vm] = await pool.vm;
    const clone = await WaitForTask(
      await vm!.Clone(
        (await vm!.parent) as vim.Folder,
        "to-template",
        new vim.vm.CloneSpec({ location: new vim.vm.RelocateSpec() }),
      ),
    );
    if ((await clone.runtime).powerState === "poweredOn") await WaitForTask(await clone.PowerOff());
    await clone.MarkAsTemplate();
    expect((await clone.config)!.template).toBe(true);
    await clone.MarkAsVirtualMachine(pool);
    expect((await clone.config)!.template).toBe(false);
    expect(await clone.resourcePool).toBe(pool);
    await WaitForTask(await clone.Destroy());
  });

  it(`${SAMPLES} samples/find_by_inv_path.py: searchIndex.FindByInventoryPath gives the inventory's object`, async () => {
    const dc = await datacenter();
    const [vm] = (await (await dc.vmFolder).childEntity) as vim.VirtualMachine[];
    const found = await content.searchIndex.FindByInventoryPath(`${await dc.name}/vm/${await vm!.name}`);
    expect(found).toBe(vm);
    expect(await content.searchIndex.FindByInventoryPath("DC0/vm/no-such-vm")).toBeUndefined();
  });

  it(`${SAMPLES} samples/getvmsbycluster.py: datacenter.hostFolder.childEntity → cluster.resourcePool.vm`, async () => {
    const dc = await datacenter();
    const names: string[] = [];
    for (const entity of await (
      await dc.hostFolder
    ).childEntity) {
      if (!(entity instanceof vim.ClusterComputeResource)) continue;
      for (const vm of await (await entity.resourcePool)!.vm) names.push(await vm.name);
    }
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => name.startsWith("DC0_C0"))).toBe(true);
  });

  it(`${SAMPLES} samples/getallvms.py: vm.summary.runtime.powerState and summary.config.template (False)`, async () => {
    const view = await content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], true);
    for (const vm of await view.view) {
      const summary = await vm.summary;
      expect(summary.config.template).toBe(false);
      expect(["poweredOn", "poweredOff", "suspended"]).toContain(summary.runtime.powerState);
      expect(summary.config.numCpu).toBeGreaterThan(0);
    }
    await view.Destroy();
  });
});
