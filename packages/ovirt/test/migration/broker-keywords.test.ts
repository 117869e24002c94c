// The v3 brokers' keyword arguments beside the entity: `correlation_id=` and `expect=`.
//
// `correlation_id=`: the v3 SDK's brokers take it on add, update, delete and every action
// (oVirt/ovirt-engine-sdk, branch sdk_3.6, ovirtsdk/infrastructure/brokers.py: `VMs.add(vm,
// correlation_id=None, expect=None)`, `VM.start(action=params.Action(), correlation_id=None)`,
// `VM.delete(action=..., async=None, correlation_id=None)`) and send it as the call's Correlation-Id
// header; scripts then find the engine's jobs of that call with `api.jobs.list(query="correlation_id=...")`.
import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { params } from "../../src/index.js";
import { eventually, useEngine } from "./harness.js";

const session = useEngine();

// A VM of the Blank template in the Default cluster, as the scripts' params.VM(...) makes it.
const blankVm = (name: string) =>
  new params.VM({
    name,
    cluster: new params.Cluster({ name: "Default" }),
    template: new params.Template({ name: "Blank" }),
  });

// The Correlation-Id header of the last request to a path ending in `suffix`.
function sentCorrelationId(suffix: string): string | undefined {
  const requests = session.engine.state.requests.filter((r) => r.path.endsWith(suffix));
  return requests.at(-1)?.headers["correlation-id"];
}

describe("correlation_id= on a call", () => {
  it("add, an action, update and delete send it as that call's Correlation-Id; the next call does not", async () => {
    const { api } = session;
    const vm = await api.vms.add(blankVm("correlated"), { correlation_id: "add-1" });
    expect(sentCorrelationId("/vms")).toBe("add-1");
    await eventually(
      () => api.vms.get({ id: vm.id! }),
      (v) => v?.status?.state === "down",
    );

    await vm.start({ correlation_id: "start-1" });
    expect(sentCorrelationId(`/vms/${vm.id}/start`)).toBe("start-1");
    const jobs = await eventually(
      () => api.jobs.list({ query: "correlation_id=start-1" }),
      (found) => found.length === 1 && found[0]!.status?.state === "finished",
    );
    expect(jobs[0]!.description).toContain("correlated");
    await vm.stop();
    expect(sentCorrelationId(`/vms/${vm.id}/stop`)).toBeUndefined();
    await eventually(
      () => api.vms.get({ id: vm.id! }),
      (v) => v?.status?.state === "down",
    );

    vm.description = "with a correlation id";
    await vm.update({ correlation_id: "update-1" });
    expect(sentCorrelationId(`/vms/${vm.id}`)).toBe("update-1");
    await vm.delete({ correlation_id: "delete-1" });
    expect(sentCorrelationId(`/vms/${vm.id}`)).toBe("delete-1");
  });

  it("VM.delete(action=params.Action(force=True), correlation_id=...): the action's members and the id both go", async () => {
    const { api, engine } = session;
    const vm = await api.vms.add(blankVm("removed-by-action"));
    await eventually(
      () => api.vms.get({ id: vm.id! }),
      (v) => v?.status?.state === "down",
    );
    await vm.delete(new params.Action({ force: true }), { correlation_id: "delete-2" });
    const sent = engine.state.requests.filter((r) => r.method === "DELETE").at(-1)!;
    expect(new URLSearchParams(sent.query).get("force")).toBe("true");
    expect(sent.headers["correlation-id"]).toBe("delete-2");
    // The same with the query parameters as options first, and the call options after them.
    const other = await api.vms.add(blankVm("removed-by-options"));
    await eventually(
      () => api.vms.get({ id: other.id! }),
      (v) => v?.status?.state === "down",
    );
    await other.delete({ force: true }, { correlation_id: "delete-3" });
    const again = engine.state.requests.filter((r) => r.method === "DELETE").at(-1)!;
    expect(new URLSearchParams(again.query).get("force")).toBe("true");
    expect(again.headers["correlation-id"]).toBe("delete-3");
  });

  it("a correlation_id that is no string is refused before anything is sent", async () => {
    const { api, engine } = session;
    const before = engine.state.requests.length;
    const vm = new params.VM({ name: "never", cluster: new params.Cluster({ name: "Default" }) });
    await expect(api.vms.add(vm, { correlation_id: 42 as never })).rejects.toThrow(/correlation_id must be a string/);
    expect(engine.state.requests.length).toBe(before);
  });
});

// `expect="201-created"`: v3's `add(entity, expect=...)` sends it as the Expect header, and the engine then
// answers once the add's asynchronous work has ended. A public classroom-provisioning script on the v3 SDK
// (Adfinis SyGroup's `rhev` module, create_standalone_vm and add_vm_nic) calls `api.vms.add(vm=...,
// expect="201-created")` and `vm.nics.add(nic, expect="201-created")`, then reads `vm.status.state`
// and `nic.get_mac().get_address()` at once; another adds a disk with `vm.disks.add(disk,
// expect='201-created')` and then checks that no disk of the VM is locked.
describe('expect="201-created" on add', () => {
  it("vm.disks.add(disk, expect=...) resolves once the disk is no longer locked", async () => {
    const { api } = session;
    const vm = await api.vms.add(blankVm("expecting"), { expect: "201-created" });
    expect(vm.status?.state).toBe("down");
    const nic = await vm.nics.add(new params.NIC({ name: "nic0", interface: "virtio" }), { expect: "201-created" });
    expect(nic.get_mac()?.get_address()).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);

    const sd = await api.storagedomains.get({ name: "mydata" });
    const disk = await vm.disks.add(
      new params.Disk({
        storage_domains: new params.StorageDomains({ storage_domain: [sd!] }),
        size: 1 << 30,
        interface: "virtio",
        format: "cow",
      }),
      { expect: "201-created" },
    );
    expect(disk.status?.state).toBe("ok");
    const locked = (await vm.disks.list()).filter((d) => d.status?.state === "locked");
    expect(locked).toEqual([]);

    // The same through a collection's own add: a floating disk, and a template made from the VM.
    const floating = await api.disks.add(
      new params.Disk({
        alias: "floating",
        storage_domains: new params.StorageDomains({ storage_domain: [sd!] }),
        size: 1 << 30,
        format: "raw",
      }),
      { expect: "201-created" },
    );
    expect(floating.status?.state).toBe("ok");
    const template = await api.templates.add(new params.Template({ name: "expected_template", vm }), {
      expect: "201-created",
    });
    expect(template.status?.state).toBe("ok");
  }, 30_000);

  it("without it, add resolves at once with the disk still locked (as the v3 SDK did)", async () => {
    const { api } = session;
    const vm = await api.vms.add(blankVm("not_expecting"));
    const sd = await api.storagedomains.get({ name: "mydata" });
    // Held, so that a loaded machine cannot let the disk's image be made before the answer is read.
    const release = session.engine.hold();
    try {
      const disk = await vm.disks.add(
        new params.Disk({
          storage_domains: new params.StorageDomains({ storage_domain: [sd!] }),
          size: 1 << 30,
          interface: "virtio",
          format: "cow",
        }),
      );
      expect(disk.status?.state).toBe("locked");
    } finally {
      release();
    }
  });

  it("an expectation the engine does not know is refused before anything is sent", async () => {
    const { api, engine } = session;
    const before = engine.state.requests.length;
    const vm = new params.VM({ name: "never", cluster: new params.Cluster({ name: "Default" }) });
    await expect(api.vms.add(vm, { expect: "100-continue" as never })).rejects.toThrow(ValidationError);
    expect(engine.state.requests.length).toBe(before);
  });
});
