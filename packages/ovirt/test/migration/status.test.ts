// v3's status objects: every wait loop of a v3 script reads `x.status.state` (or generateDS's
// `x.status.get_state()`). Each test ports, following the README's table, an idiom of a public v3 script
// named above it, and runs it against the simulator.
import { describe, expect, it } from "@jest/globals";
import { params } from "../../src/index.js";
import { tick, useEngine } from "./harness.js";

const session = useEngine();

/** Polls `read` until it gives `want`, as the scripts' `while ...: time.sleep(n)` loops do. */
async function until<T>(read: () => Promise<T>, want: T): Promise<T> {
  for (let polls = 0; polls < 400; polls++) {
    const now = await read();
    if (now === want) return now;
    await tick();
  }
  throw new Error(`never reached ${String(want)}`);
}

describe("status objects (v3's status.state)", () => {
  // ansible/ansible-modules-extras cloud/misc/ovirt.py: vm_status() returns
  // `conn.vms.get(name=vmname).status.state`; main() starts the VM unless it is 'up', stops it unless 'down'.
  it("a VM's status.state drives ansible's started / shutdown states", async () => {
    const { api } = session;
    const vmStatus = async (name: string) => (await api.vms.get({ name }))!.status!.state;
    expect(await vmStatus("python_vm")).toBe("down");
    const vm = (await api.vms.get({ name: "python_vm" }))!;
    await vm.start();
    expect(await until(() => vmStatus("python_vm"), "up")).toBe("up");
    await vm.stop();
    expect(await until(() => vmStatus("python_vm"), "down")).toBe("down");
  });

  // RedHatQE/wrapanapi wrapanapi/rhevm.py: suspend_vm() tests `vm.status.get_state() == 'down'`;
  // usage_and_quota() skips VMs whose `get_status().state != 'up'`.
  it("status.get_state(), generateDS's getter of the state", async () => {
    const vm = (await session.api.vms.get({ name: "python_vm" }))!;
    expect(vm.status!.get_state()).toBe("down");
    const running = (await session.api.vms.list()).filter((v) => v.status?.state === "up");
    expect(running.map((v) => v.name)).not.toContain("python_vm");
  });

  // iranzo/rhevm-utils rhev-poweron.py: `for host in api.hosts.list(): if host.status.state ==
  // "maintenance"`, then activate_host(): `if api.hosts.get(id=target).status.state == "maintenance":
  // api.hosts.get(id=target).activate()`.
  it("a host's status.state: maintenance found in a list, activated, up again", async () => {
    const { api } = session;
    const host = (await api.hosts.get({ name: "host1" }))!;
    expect(host.status!.state).toBe("up");
    await host.deactivate();
    await until(async () => (await api.hosts.get({ id: host.id! }))!.status!.state, "maintenance");
    const inMaintenance = (await api.hosts.list()).filter((h) => h.status?.state === "maintenance");
    expect(inMaintenance.map((h) => h.id)).toEqual([host.id]);
    const target = (await api.hosts.get({ id: host.id! }))!;
    if (target.status!.state === "maintenance") await target.activate();
    expect(await until(async () => (await api.hosts.get({ id: host.id! }))!.status!.state, "up")).toBe("up");
  });

  // RedHatQE/wrapanapi wrapanapi/rhevm.py: start_vm() does `ack = vm.start()` and returns True when
  // `ack.get_status().get_state() == 'complete'` (v3's answer to an action: `action.status.state`).
  it("an action's answer: status.state of the <action>", async () => {
    const vm = (await session.api.vms.get({ name: "python_vm" }))!;
    const ack = await vm.start();
    expect(ack.status?.state).toBe("complete");
    expect(ack.status?.get_state()).toBe("complete");
    await session.engine.idle();
    await (await vm.reload()).stop();
    await session.engine.idle();
  });

  // README quick start's disk wait, as v3 scripts wrote it: `while api.disks.get(id=d.id).status.state !=
  // 'ok': sleep` (ansible/ansible-modules-extras cloud/misc/ovirt.py adds the disk, then the NIC).
  it("a disk's status.state goes from locked to ok", async () => {
    const { api } = session;
    const vm = (await api.vms.get({ name: "python_vm" }))!;
    const sd = (await api.storage_domains.get({ name: "mydata" }))!;
    const disk = await vm.disks.add(
      new params.Disk({
        name: "status_disk",
        storage_domains: new params.StorageDomains({ storage_domain: [sd] }),
        size: 2 ** 30,
        interface: "virtio",
        format: "cow",
      }),
    );
    expect(disk.status!.state).toBe("locked");
    expect(await until(async () => (await api.disks.get({ id: disk.id! }))!.status!.state, "ok")).toBe("ok");
  });

  // A job read as v3 did: `api.jobs.get(id=...).status.state` until 'finished'.
  it("a job's status.state, from the action's answer naming it", async () => {
    const { api } = session;
    const vm = (await api.vms.get({ name: "python_vm" }))!;
    const ack = await vm.start();
    const state = await until(async () => (await api.jobs.get({ id: ack.job!.id! }))!.status!.state, "finished");
    expect(state).toBe("finished");
    await session.engine.idle();
    await (await vm.reload()).stop();
    await session.engine.idle();
  });

  // ffromani/ovirt-tools scripts/vmstatus.py prints `'VM %s: %s' % (name, api.vms.get(name).status.state)`;
  // v4-style code keeps reading the value as a string, and JSON keeps v4's shape.
  it("both styles: status.state, String(status), `${status}`, == and JSON all give the value", async () => {
    const vm = (await session.api.vms.get("python_vm"))!;
    expect(`VM ${vm.name}: ${vm.status!.state}`).toBe("VM python_vm: down");
    expect(String(vm.status)).toBe("down");
    expect(`${vm.status}`).toBe("down");
    expect(vm.status!.valueOf()).toBe("down");
    expect(JSON.parse(JSON.stringify(vm)).status).toBe("down");
    expect(vm.toJSON().status).toBe("down");
    // Nothing else is wrapped: a plain string member stays a string.
    expect(typeof vm.name).toBe("string");
  });

  it("update() after reading a status: the Status goes back as its value (no ValidationError), the engine keeps its own", async () => {
    const { api, engine } = session;
    const vm = (await api.vms.get("python_vm"))!;
    // The engine moves on behind this object's back; a stale status sent back would overwrite it.
    engine.state.tamper("vms", vm.id!, { status: "paused" });
    vm.description = "status kept";
    const updated = await vm.update();
    expect(updated.description).toBe("status kept");
    expect(updated.status?.state).toBe("paused");
    expect(engine.state.get("vms", vm.id!)?.status).toBe("paused");
    engine.state.tamper("vms", vm.id!, { status: "down" });
  });
});
