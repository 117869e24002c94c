// PyONE's examples (the face) with @nimbus-sdk/opennebula, in order, against the oned
// simulator started here; then what the SDK adds (waitForState, for await over pages, lookup by
// name) and the typed errors of bad input.
import { LCM_STATE, OneServer, VM_STATE, findByName, iteratePool, nameOf, waitForState } from "@nimbus-sdk/opennebula";
import { startServer } from "@nimbus-sdk/opennebula/testing";

export const name = "opennebula";
export const title = "@nimbus-sdk/opennebula: PyONE's examples on the oned simulator";

const q = (value) => JSON.stringify(value);
const vmState = (vm) =>
  vm.STATE === VM_STATE.ACTIVE ? nameOf("LCM_STATE", vm.LCM_STATE) : nameOf("VM_STATE", vm.STATE);

export async function run({ step, show, failure }) {
  step("starting the oned simulator on 127.0.0.1 (each transitional VM state lasts 200 ms)");
  const sim = await startServer({ transitionMs: 200 });
  show(`XML-RPC endpoint ${sim.endpoint}; sessions for ${Object.keys(sim.users).join(" and ")}`);
  const clients = [];
  const client = (endpoint, options) => {
    const c = new OneServer(endpoint, options);
    clients.push(c);
    return c;
  };
  try {
    step('const one = new OneServer("http://…/RPC2", { session: "oneadmin:…", timeout: 30_000 })');
    const one = client(sim.endpoint, { session: sim.session, timeout: 30_000 });
    show(q(one.toJSON()));

    step("const hostpool = await one.hostpool.info(); const host = hostpool.HOST[0]");
    const hostpool = await one.hostpool.info();
    const host = hostpool.HOST[0];
    show(`${hostpool.HOST.length} hosts; host.ID ${q(host.ID)}, host.NAME ${q(host.NAME)}`);
    step('host.TEMPLATE["ARCH"]');
    show(q(host.TEMPLATE["ARCH"]));

    step('host.TEMPLATE["NOTES"] = "Just updated"; await one.host.update(0, host.TEMPLATE, 1)');
    host.TEMPLATE["NOTES"] = "Just updated";
    show(
      `-> ${q(await one.host.update(0, host.TEMPLATE, 1))} (the template goes back as XML under its root, TEMPLATE)`,
    );
    show(`host 0 now: NOTES ${q((await one.host.info(0)).TEMPLATE["NOTES"])}`);

    step('await one.marketapp.update(0, { LABELS: "HD" }, 1)   (a flat dict: ATT="value" lines)');
    show(`-> ${q(await one.marketapp.update(0, { LABELS: "HD" }, 1))}`);
    const app = await one.marketapp.info(0);
    show(`${q(app.NAME)}: LABELS ${q(app.TEMPLATE["LABELS"])}, state ${nameOf("MARKETPLACEAPP_STATE", app.STATE)}`);

    step(
      'await one.template.update(1, { TEMPLATE: { NAME: "abc", MEMORY: "1024", ATT1: "value1" } }, 1)   (a root: XML)',
    );
    show(`-> ${q(await one.template.update(1, { TEMPLATE: { NAME: "abc", MEMORY: "1024", ATT1: "value1" } }, 1))}`);
    const t1 = (await one.template.info(1)).TEMPLATE;
    show(`template 1: MEMORY ${q(t1["MEMORY"])}, ATT1 ${q(t1["ATT1"])}, CPU ${q(t1["CPU"])} (merged, CPU kept)`);

    step('await one.host.allocate("localhost", "kvm", "kvm", 0)');
    const hostId = await one.host.allocate("localhost", "kvm", "kvm", 0);
    show(`-> ${hostId}, state ${nameOf("HOST_STATE", (await one.host.info(hostId)).STATE)} until the first monitoring`);

    step("const vmTemplate = (await one.templatepool.info(-1, -1, -1)).VMTEMPLATE[0]");
    const vmTemplate = (await one.templatepool.info(-1, -1, -1)).VMTEMPLATE[0];
    show(`${q(vmTemplate.NAME)}: CPU ${q(vmTemplate.TEMPLATE["CPU"])}, MEMORY ${q(vmTemplate.TEMPLATE["MEMORY"])} MB`);
    show(`DISK ${q(vmTemplate.TEMPLATE["DISK"])}, NIC ${q(vmTemplate.TEMPLATE["NIC"])}   (vectors: always arrays)`);

    step('const id = await one.template.instantiate(0, "my_VM")');
    const id = await one.template.instantiate(0, "my_VM");
    show(`-> ${id}`);

    step("const myVm = (await one.vmpool.info(-1, -1, -1, -1)).VM[0]");
    const myVm = (await one.vmpool.info(-1, -1, -1, -1)).VM[0];
    show(`${q(myVm.NAME)} (ID ${myVm.ID}): ${vmState(myVm)}, ${myVm.TEMPLATE["MEMORY"]} MB`);

    step('beyond PyONE: await waitForState(one, id, "RUNNING", { interval: 100, onProgress })');
    let last = "";
    const running = await waitForState(one, id, "RUNNING", {
      interval: 100,
      timeout: 30_000,
      onProgress: (vm, ms) => {
        const now = vmState(vm);
        if (now !== last) show(`${String(Math.round(ms)).padStart(5)} ms  ${(last = now)}`);
      },
    });
    const nic = running.TEMPLATE["NIC"][0];
    const history = running.HISTORY_RECORDS.HISTORY.at(-1);
    show(`running on ${history.HOSTNAME} as ${running.DEPLOY_ID}, NIC ${nic.IP} (${nic.MAC}) on ${q(nic.NETWORK)}`);

    step('await one.vm.action("terminate", myVm.ID)   (the issue\'s line has 0: here the id listed above)');
    show(`-> ${q(await one.vm.action("terminate", myVm.ID))}`);
    const done = await waitForState(one, myVm.ID, "DONE", { interval: 100, timeout: 30_000 });
    show(`VM ${done.ID} is ${vmState(done)}`);

    step("beyond PyONE: for await over a pool of 2,000 VMs, 500 per call (oned's paging: start, end < -1)");
    sim.seedVms(2000, { name: "batch" });
    let pages = 0;
    for await (const page of iteratePool(one, "vmpool", { pageSize: 500 }).pages()) {
      pages++;
      show(`page ${pages}: ${page.length} VMs, ${page[0].NAME} … ${page.at(-1).NAME}`);
    }
    step('beyond PyONE: await findByName(one, "vmpool", "batch-1234")');
    const found = await findByName(one, "vmpool", "batch-1234");
    show(`ID ${found.ID}, ${vmState(found)}, LCM_STATE ${found.LCM_STATE} = LCM_STATE.RUNNING (${LCM_STATE.RUNNING})`);

    step("a template value with quotes, a backslash, a dollar and newlines: sent as XML, kept exactly");
    const tricky = 'say "hi"\\n C:\\temp $HOME\nsecond line';
    await one.vm.update(id, { NOTE: tricky }, 1);
    const kept = (await one.vm.info(id)).USER_TEMPLATE["NOTE"];
    show(`${q(tricky)} -> ${q(kept)}  (${kept === tricky ? "identical" : "CHANGED"})`);

    step("bad input: each is a typed error naming the problem");
    const wrong = client(sim.endpoint, { session: "oneadmin:wrong-password" });
    show(`a wrong session                -> ${await failure(wrong.vmpool.info(-2, -1, -1, -1))}`);
    show(`an unknown id                  -> ${await failure(one.vm.info(99_999))}`);
    show(`a parameter of the wrong type  -> ${await failure(one.vm.info("zero"))}`);
    show(`  (caught before sending; sent anyway, oned faults: ${await failure(one.call("one.vm.info", ["zero"]))})`);
    show(`an action in the wrong state   -> ${await failure(one.vm.action("resume", id))}`);
    show(
      `a template oned cannot parse   -> ${await failure(one.call("one.template.allocate", ['NAME="x"\nDISK=[IMAGE_ID="0"']))}`,
    );
    const user = client(sim.endpoint, { session: sim.users["user"] });
    show(`a normal user on oneadmin's VM -> ${await failure(user.vm.action("poweroff", found.ID))}`);
    sim.breakNextAnswer("truncated");
    show(`a truncated response           -> ${await failure(one.hostpool.info())}`);
    sim.breakNextAnswer("html");
    show(`a proxy's HTML, not XML-RPC    -> ${await failure(one.hostpool.info())}`);
    const down = client("http://127.0.0.1:9/RPC2", { session: sim.session, retry: { limit: 0 }, timeout: 2_000 });
    show(`a server that is down          -> ${await failure(down.system.version())}`);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await sim.close();
  }
}
