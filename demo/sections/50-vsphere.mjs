// pyVmomi's classic flows with @nimbus-sdk/vsphere, against vcsim (govmomi's vCenter simulator, built
// here from Debian's Go and govmomi packages when needed): connect, walk the inventory, list VMs with
// their power state, power one off with a task and its progress, reconfigure its memory, disconnect;
// then the typed errors of bad input.
import { freePort } from "@nimbus-sdk/common/testing";
import { Disconnect, SmartConnect, WaitForTask, vim } from "@nimbus-sdk/vsphere";
import { startVcsim } from "@nimbus-sdk/vsphere/testing";

export const name = "vsphere";
export const title = "@nimbus-sdk/vsphere: pyVmomi's classic flows on vcsim";

export async function run({ step, show, failure }) {
  step("starting vcsim on 127.0.0.1 (building it from Debian's golang-go and govmomi packages first if needed)");
  const started = performance.now();
  const server = await startVcsim({
    onProgress: (what) => show(`${((performance.now() - started) / 1000).toFixed(1)} s  ${what}`),
  });
  show(`${server.url}, user ${server.username}, a self-signed certificate`);
  const connection = { host: server.host, port: server.port, user: server.username, pwd: server.password };
  try {
    step(`const si = await SmartConnect({ host, port, user, pwd: "…", disableSslCertValidation: true })`);
    const si = await SmartConnect({ ...connection, disableSslCertValidation: true });
    step("const content = await si.RetrieveContent()");
    const content = await si.RetrieveContent();
    show(`${content.about.fullName}, API ${content.about.apiVersion}`);

    step("walk the inventory: datacenters, their folders, clusters and hosts");
    for (const datacenter of await content.rootFolder.childEntity) {
      show(`datacenter ${await datacenter.name}`);
      const hostFolder = await datacenter.hostFolder;
      for (const compute of await hostFolder.childEntity) {
        const hosts = await Promise.all((await compute.host).map((host) => host.name));
        show(
          `  ${compute instanceof vim.ClusterComputeResource ? "cluster" : "host"} ${await compute.name}: ${hosts.join(", ")}`,
        );
      }
      const vmFolder = await datacenter.vmFolder;
      show(`  vmFolder ${await vmFolder.name}: ${(await vmFolder.childEntity).length} entries`);
      const datastores = await Promise.all((await datacenter.datastore).map((ds) => ds.name));
      show(`  datastores: ${datastores.join(", ")}`);
    }

    step("const view = await content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], true)");
    const view = await content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], true);
    step("for (const vm of await view.view) console.log(await vm.name, (await vm.runtime).powerState)");
    const vms = await view.view;
    for (const vm of vms) show(`${await vm.name}  ${(await vm.runtime).powerState}`);
    step('await si.collect(view, vim.VirtualMachine, ["name", "runtime.powerState"])   (one round trip for all)');
    for (const row of await si.collect(view, vim.VirtualMachine, ["name", "runtime.powerState"])) {
      show(`${row.obj._moId}  ${row.name}  ${row["runtime.powerState"]}`);
    }

    const vm = vms[0];
    const vmName = await vm.name;
    step(`const task = await vm.PowerOffVM_Task(); await WaitForTask(task, { onProgress })   (${vmName})`);
    const task = await vm.PowerOffVM_Task();
    show(`${task._moId}: ${(await task.info).descriptionId}`);
    let reports = 0;
    await WaitForTask(task, {
      onProgress: (percent, info) =>
        show(`  ${info.state}${percent === undefined ? "" : ` ${percent}%`} (${++reports})`),
    });
    show(`${(await task.info).state}; ${vmName} is now ${(await vm.runtime).powerState}`);
    if (reports === 0)
      show("(vcsim finishes its tasks at once and reports no percentage: onProgress had nothing to say)");

    step(
      "const spec = new vim.VirtualMachineConfigSpec({ memoryMB: 2048 }); await WaitForTask(await vm.ReconfigVM_Task(spec))",
    );
    show(`memory before: ${(await vm.config).hardware.memoryMB} MB`);
    const spec = new vim.VirtualMachineConfigSpec({ memoryMB: 2048 });
    await WaitForTask(await vm.ReconfigVM_Task(spec));
    show(`memory after:  ${(await vm.config).hardware.memoryMB} MB`);

    step("bad input: each is a typed error naming the problem");
    show(`a task that fails (power off twice) -> ${await failure(WaitForTask(await vm.PowerOffVM_Task()))}`);
    const wrong = SmartConnect({ ...connection, pwd: "wrong", disableSslCertValidation: true });
    show(`a wrong password                    -> ${await failure(wrong)}`);
    const refused = SmartConnect({ ...connection, port: await freePort(), disableSslCertValidation: true });
    show(`a port nobody listens on            -> ${await failure(refused)}`);
    show(`a self-signed certificate, verified -> ${await failure(SmartConnect(connection))}`);
    const trusted = await SmartConnect({ ...connection, ca: server.certificate });
    const session = await (await trusted.RetrieveContent()).sessionManager.currentSession;
    show(`the same with { ca: its certificate } -> connected as ${session.userName}`);
    await Disconnect(trusted);

    step("await view.DestroyView(); then reading the destroyed view");
    await view.DestroyView();
    show(`a moref that no longer exists       -> ${await failure(view.view)}`);

    step("await Disconnect(si)");
    await Disconnect(si);
    show(`after Disconnect, a call            -> ${await failure(vm.name)}`);
  } finally {
    await server.close();
  }
}
