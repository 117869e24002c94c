// wefixit-AT/oVirtBackup (backup.py, vmtools.py), a v3 backup tool: snapshot a VM, wait for the snapshot,
// clone it into a VM, export the clone, delete snapshot and clone. Each test ports one of its steps,
// following the README's table, and runs it against the simulator.
import { describe, expect, it } from "@jest/globals";
import { params, type VmResource } from "../../src/index.js";
import { eventually, useEngine } from "./harness.js";

const session = useEngine();
const DESCRIPTION = "oVirtBackup";
const CLONE = "python_vm_BACKUP_1";

const vm = async (): Promise<VmResource> => (await session.api.vms.get("python_vm"))!;

/** vmtools.py wait_for_snapshot_operation(): until the first snapshot so described is "ok", or none is left. */
async function waitForSnapshotOperation(of: VmResource): Promise<void> {
  await eventually(
    () => of.snapshots.list({ description: DESCRIPTION }),
    (snapshots) => snapshots.length === 0 || String(snapshots[0]!.get_snapshot_status()).includes("ok"),
  );
}

describe("oVirtBackup (v3)", () => {
  // backup.py main(): `if api.storagedomains.get(config.get_export_domain()) is None: ... exit`, the same
  // for the cluster and the VMs (`if not api.vms.get(vm_from_list)`).
  it("checks the configuration: api.storagedomains.get(name) is None, api.clusters.get(name)", async () => {
    const { api } = session;
    expect(await api.storagedomains.get("no-such-export")).toBeUndefined();
    expect(await api.storagedomains.get("mydata")).toBeDefined();
    expect(await api.clusters.get("Default")).toBeDefined();
    expect(await api.vms.get("python_vm")).toBeTruthy();
  });

  // main() with --all-vms: `vms = api.vms.list(max=400)`, `[vm.name for vm in vms]`.
  it("api.vms.list(max=400)", async () => {
    const names = (await session.api.vms.list({ max: 400 })).map((v) => v.name);
    expect(names).toContain("python_vm");
  });

  // vmtools.py check_free_space(): `for disk in vm.disks.list(): if disk.size is not None: vm_size +=
  // disk.size`, then `sd.available - vm_size` for `sd = api.storagedomains.get(...)`.
  it("check_free_space(): disk.size summed over vm.disks.list(), against sd.available", async () => {
    const { api } = session;
    const sd = (await api.storage_domains.get("mydata"))!;
    await (
      await vm()
    ).disks.add(
      new params.Disk({
        name: "backup_disk",
        size: 3 * 2 ** 30,
        format: "cow",
        interface: "virtio",
        storage_domains: new params.StorageDomains({ storage_domain: [sd] }),
      }),
    );
    let vmSize = 0;
    for (const disk of await (await vm()).disks.list()) if (disk.size !== undefined) vmSize += disk.size;
    expect(vmSize).toBe(3 * 2 ** 30);
    const storage = (await api.storagedomains.get("mydata"))!;
    expect(storage.available! - vmSize).toBeGreaterThan(0);
    await eventually(
      async () => (await (await vm()).disks.get("backup_disk"))!.status?.state,
      (s) => s === "ok",
    );
  });

  // backup.py: `vm.snapshots.add(params.Snapshot(description=..., vm=vm, persist_memorystate=...))`, then
  // VMTools.wait_for_snapshot_operation(vm, config, "creation").
  it("vm.snapshots.add(params.Snapshot(description=..., vm=vm)) and waiting on get_snapshot_status()", async () => {
    const source = await vm();
    const added = await source.snapshots.add(
      new params.Snapshot({ description: DESCRIPTION, vm: source, persist_memorystate: false }),
    );
    expect(added.snapshot_status).toBe("locked");
    await waitForSnapshotOperation(source);
    const [snapshot] = await source.snapshots.list({ description: DESCRIPTION });
    expect(snapshot!.get_snapshot_status()).toBe("ok");
  });

  // backup.py: `snapshots = vm.snapshots.list(description=...)`, `params.Snapshots(snapshot=[params.Snapshot(
  // id=snapshots[0].id)])`, `api.vms.add(params.VM(name=vm_clone_name, memory=vm.get_memory(),
  // cluster=api.clusters.get(...), snapshots=snapshots_param))`, then wait_for_vm_operation(): until
  // `str(vm.get_status().state).lower() == "down"`.
  it("clones the snapshot: api.vms.add(params.VM(..., snapshots=params.Snapshots(snapshot=[...])))", async () => {
    const { api } = session;
    const source = await vm();
    const snapshots = await source.snapshots.list({ description: DESCRIPTION });
    const snapshotsParam = new params.Snapshots({ snapshot: [new params.Snapshot({ id: snapshots[0]!.id })] });
    await api.vms.add(
      new params.VM({
        name: CLONE,
        memory: source.get_memory(),
        cluster: (await api.clusters.get("Default"))!,
        snapshots: snapshotsParam,
      }),
    );
    const sent = session.engine.state.requests.filter((r) => r.method === "POST" && r.path.endsWith("/vms"));
    expect(sent.length).toBeGreaterThan(0);
    const clone = await eventually(
      async () => (await api.vms.get(CLONE))!,
      (v) => String(v.get_status()!.state).toLowerCase() === "down",
    );
    expect(clone.memory).toBe(source.memory);
  });

  // vmtools.py delete_snapshots(): each snapshot so described `i.delete()`, then
  // wait_for_snapshot_operation(vm, config, "deletion") until none is listed.
  it("deletes the backup snapshots: snapshot.delete(), until vm.snapshots.list(description=...) is empty", async () => {
    const source = await vm();
    for (const snapshot of await source.snapshots.list({ description: DESCRIPTION })) await snapshot.delete();
    await waitForSnapshotOperation(source);
    expect(await source.snapshots.list({ description: DESCRIPTION })).toEqual([]);
  });

  // backup.py: `vm_clone.export(params.Action(storage_domain=api.storagedomains.get(export_domain)))`.
  it("exports the clone: vm_clone.export(params.Action(storage_domain=...))", async () => {
    const { api } = session;
    const clone = (await api.vms.get(CLONE))!;
    const ack = await clone.export(new params.Action({ storage_domain: (await api.storagedomains.get("mydata"))! }));
    expect(ack.get_status()!.get_state()).toBe("complete");
  });

  // vmtools.py delete_old_backups(): `api.storagedomains.get(export_domain).vms.list(name=...)` (v3's
  // client-side name match, `*` a wildcard).
  it("lists an export domain's VMs by name: api.storagedomains.get(...).vms.list(name='x*')", async () => {
    const exported = await (await session.api.storagedomains.get("mydata"))!.vms.list({ name: "python_vm_BACKUP*" });
    expect(exported).toEqual([]);
  });

  // vmtools.py delete_vm(): `for i in api.vms.list(query="name=python_vm_BACKUP*")`: `vm = api.vms.get(name)`,
  // `vm.delete_protected = False`, `vm = vm.update()`, `vm.delete()`, then `while api.vms.get(name) is not
  // None: sleep`.
  it("deletes the clone: delete_protected = False, update(), delete(), until get() is None", async () => {
    const { api } = session;
    for (const found of await api.vms.list({ query: "name=python_vm_BACKUP*" })) {
      const name = String(found.get_name());
      let clone = (await api.vms.get(name))!;
      clone.delete_protected = false;
      clone = await clone.update();
      await clone.delete();
      await eventually(
        () => api.vms.get(name),
        (v) => v === undefined,
      );
    }
    expect(await api.vms.get(CLONE)).toBeUndefined();
  });
});
