// The oVirt Python SDK's seed examples (the face) with @nimbus-sdk/ovirt, against the engine
// simulator started here over TLS; then what the SDK adds (waiting with progress, paging with
// for await, jobs) and the typed errors of bad input.
import { API, params, waitFor, waitForJob } from "@nimbus-sdk/ovirt";
import { startEngine } from "@nimbus-sdk/ovirt/testing";

export const name = "ovirt";
export const title = "@nimbus-sdk/ovirt: the oVirt Python SDK's idioms over API v4, on the engine simulator";

const q = (value) => JSON.stringify(value);
const names = (entities) => q(entities.map((e) => e.name));

export async function run({ step, show, failure }) {
  step("starting the oVirt engine simulator on 127.0.0.1 (https, a self-signed CA; each status step takes 150 ms)");
  const engine = await startEngine({ stepMs: 150 });
  show(`API ${engine.url}, CA file ${engine.caFile}`);
  const progress = (entity, ms) => show(`  ${String(Math.round(ms)).padStart(4)} ms  ${entity.status}`);
  let api;
  try {
    step('const api = await API.connect({ url, username: "admin@internal", password, caFile })');
    api = await API.connect({
      url: engine.url,
      username: engine.username,
      password: engine.password,
      caFile: engine.caFile,
    });
    show(`connected: ${api.product_info.name} ${api.product_info.version.full_version}, token from the SSO`);

    step("await api.vms.list()");
    show(names(await api.vms.list()));

    step('await api.vms.list({ query: "name=python_vm" })   (server-side search)');
    show(names(await api.vms.list({ query: "name=python_vm" })));

    step("await api.vms.list({ memory: 1073741824 })   (client-side constraint on any property path)");
    show(names(await api.vms.list({ memory: 1073741824 })));

    step('const vm = await api.vms.get({ name: "python_vm" })');
    const vm = await api.vms.get({ name: "python_vm" });
    show(`${vm.name}: ${vm.status}, ${vm.memory} bytes, description ${q(vm.description)}`);

    step('vm.description = "updated_desc"; const vm2 = await vm.update()');
    vm.description = "updated_desc";
    const vm2 = await vm.update();
    show(`vm2.description = ${q(vm2.description)}`);

    step(
      'const myVm = await api.vms.add(new params.VM({ name: "my_vm", cluster: ..."Default", template: ..."Blank" }))',
    );
    const myVm = await api.vms.add(
      new params.VM({
        name: "my_vm",
        cluster: await api.clusters.get({ name: "Default" }),
        template: await api.templates.get({ name: "Blank" }),
      }),
    );
    show(`${myVm.name} ${myVm.id}: ${myVm.status}, from template ${myVm.template.id}`);

    step(
      'const nic = await myVm.nics.add(new params.NIC({ name: "eth0", network: ...ovirtmgmt, interface: "e1000" }))',
    );
    const nic = await myVm.nics.add(
      new params.NIC({ name: "eth0", network: new params.Network({ name: "ovirtmgmt" }), interface: "e1000" }),
    );
    show(`${nic.name}: ${nic.interface}, MAC ${nic.mac.address} (the engine keeps the network's vNIC profile)`);

    step('await myVm.nics.list({ name: "eth0" }); await myVm.nics.list({ interface: "e1000" })');
    show(`${names(await myVm.nics.list({ name: "eth0" }))} ${names(await myVm.nics.list({ interface: "e1000" }))}`);

    step('const n = await myVm.nics.get({ name: "eth0" }); n.name = "eth01"; await n.update()');
    const n = await myVm.nics.get({ name: "eth0" });
    n.name = "eth01";
    await n.update();
    show(names(await myVm.nics.list()));

    step(
      'await myVm.disks.add(new params.Disk({ storage_domains: ..., size: 5368709120, type_: "data", interface: "virtio", format: "cow" }))',
    );
    show("(v3's size and type_ are API v4's provisioned_size and content_type; the disk is sent with the v4 names)");
    const sd = await api.storage_domains.get({ name: "mydata" });
    const disk = await myVm.disks.add(
      new params.Disk({
        storage_domains: new params.StorageDomains({ storage_domain: [sd] }),
        size: 5368709120,
        type_: "data",
        interface: "virtio",
        format: "cow",
      }),
    );
    show(`${disk.name}: ${disk.status}`);
    step('await waitFor(disk, "ok", { onProgress })   (beyond the oVirt SDKs)');
    await waitFor(disk, "ok", { intervalMs: 100, onProgress: progress });

    step('params.findRootClass("topology")');
    show(`params.${params.findRootClass("topology").name}`);

    step('const started = await myVm.start(); await waitFor(myVm, "up", { onProgress })');
    const started = await myVm.start();
    show(`action ${started.status}, job ${started.job?.id}`);
    await waitFor(myVm, "up", { intervalMs: 100, onProgress: progress });
    step("await waitForJob(api, started)");
    const job = await waitForJob(api, started, { intervalMs: 100 });
    show(`${q(job.description)}: ${job.status}`);

    step('await myVm.stop(); await waitFor(myVm, "down")');
    await myVm.stop();
    await waitFor(myVm, "down", { intervalMs: 100, onProgress: progress });

    step("for await (const page of api.vms.list({ pageSize: 2 }).pages())   (the search's `page N`)");
    for (const i of [1, 2, 3]) {
      await api.vms.add(new params.VM({ name: `web-${i}`, cluster: { name: "Default" }, template: { name: "Blank" } }));
    }
    for await (const page of api.vms.list({ pageSize: 2 }).pages()) show(`a page: ${names(page)}`);

    step("bad input: each is a typed error naming the problem");
    show(
      `a wrong password           -> ${await failure(() => API.connect({ url: engine.url, username: engine.username, password: "wrong", caFile: engine.caFile }))}`,
    );
    const issued = engine.state.tokens.issued;
    engine.expireTokens();
    show(
      `an expired token           -> (none: renewed once) ${names(await api.vms.list({ query: "name=python_vm" }))}, tokens issued ${issued} -> ${engine.state.tokens.issued}`,
    );
    show(`an unknown name in get     -> ${String(await api.vms.get({ name: "no_such_vm" }))} (v3's None)`);
    show(`... and in getOrThrow      -> ${await failure(() => api.vms.getOrThrow({ name: "no_such_vm" }))}`);
    show(`an unknown constraint      -> ${await failure(() => api.vms.list({ colour: "red" }))}`);
    show(`a value of the wrong type  -> ${await failure(() => new params.VM({ memory: "lots" }))}`);
    show(`v3's disk type "system"    -> ${await failure(() => new params.Disk({ type_: "system" }))}`);
    await myVm.start();
    show(`start() of a running VM    -> ${await failure(() => myVm.start())}`);
    const once = await API.connect({
      url: engine.url,
      username: engine.username,
      password: engine.password,
      caFile: engine.caFile,
      retry: { limit: 0 },
    });
    engine.failNext({ kind: "truncated-xml" });
    show(`malformed XML              -> ${await failure(() => once.vms.list())}`);
    engine.failNext({ kind: "html" });
    show(`a proxy's HTML error page  -> ${await failure(() => once.vms.list())}`);
    await once.disconnect();
    await engine.idle();

    step("await api.disconnect()   (or `await using api = await API.connect(...)`)");
    await api.disconnect();
    show(`token revoked: ${engine.state.tokens.revoked} revoked so far`);
    api = undefined;
  } finally {
    await api?.disconnect();
    await engine.close();
  }
}
