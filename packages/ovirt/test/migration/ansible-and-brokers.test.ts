// ansible/ansible-modules-extras cloud/misc/ovirt.py (Ansible's v3 module), the v3 SDK's own documented
// brokers (oVirt/ovirt-engine-sdk branch sdk_3.6, src/ovirtsdk/infrastructure/brokers.py) and the v3
// schema's shapes (api.xsd): each test ports an idiom, following the README's table, against the simulator.
import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { params, type VmResource } from "../../src/index.js";
import { eventually, useEngine } from "./harness.js";

const session = useEngine();
const vm = async (name = "python_vm"): Promise<VmResource> => (await session.api.vms.get(name))!;

describe("Ansible's ovirt module (v3)", () => {
  // create_vm(), vmdisk_alloc 'thin': `params.Disk(size=..., wipe_after_delete=True, sparse=True,
  // interface=vmdisk_int, type_="System", format='cow', storage_domains=params.StorageDomains(
  // storage_domain=[conn.storagedomains.get(name=sdomain)]))`, `vm.disks.add(vmdisk)`: v3's disk type
  // "system" has no API v4 equivalent, and the error says what v4 has instead; without it the disk is made.
  it("create_vm()'s disk: type_='System' refused naming content_type; the rest adds the disk", async () => {
    const { api } = session;
    const sd = (await api.storagedomains.get({ name: "mydata" }))!;
    const disk = (extra: object) =>
      new params.Disk({
        size: 2 * 2 ** 30,
        wipe_after_delete: true,
        sparse: true,
        interface: "virtio",
        format: "cow",
        storage_domains: new params.StorageDomains({ storage_domain: [sd] }),
        ...extra,
      });
    expect(() => disk({ type_: "System" })).toThrow(ValidationError);
    expect(() => disk({ type_: "System" })).toThrow(
      /params.Disk.type_ "System" has no API v4 equivalent: v4 has content_type instead \(one of data, ovf_store, /,
    );
    const added = await (await vm()).disks.add(disk({ type_: "data" }));
    expect([added.size, added.content_type, added.wipe_after_delete]).toEqual([2 * 2 ** 30, "data", true]);
  });

  // create_vm(): `params.NIC(name='nic1', network=params.Network(name=vmnetwork), interface='virtio')`,
  // `vm.nics.add(nic_net1)`.
  it("create_vm()'s NIC: vm.nics.add(params.NIC(network=params.Network(name=...)))", async () => {
    const nic = await (
      await vm()
    ).nics.add(
      new params.NIC({ name: "nic1", network: new params.Network({ name: "ovirtmgmt" }), interface: "virtio" }),
    );
    expect(nic.name).toBe("nic1");
  });

  // create_vm_template(): `params.VM(name=vmname, cluster=conn.clusters.get(name=zone),
  // template=conn.templates.get(name=image), disks=params.Disks(clone=True))`, `conn.vms.add(vmparams)`:
  // v3's Disks.clone is v4's `clone` parameter of the add.
  it("create_vm_template(): disks=params.Disks(clone=True) is sent as add's clone=true", async () => {
    const { api, engine } = session;
    const created = await api.vms.add(
      new params.VM({
        name: "from_template",
        cluster: (await api.clusters.get({ name: "Default" }))!,
        template: (await api.templates.get({ name: "Blank" }))!,
        disks: new params.Disks({ clone: true }),
      }),
    );
    const post = engine.state.requests.filter((r) => r.method === "POST" && r.path.endsWith("/vms")).at(-1)!;
    expect(post.query).toContain("clone=true");
    expect(created.name).toBe("from_template");
  });

  // vm_remove(): `vm = conn.vms.get(name=vmname)`, `vm.delete()`; get_vm() then finds None.
  it("vm_remove(): vm.delete(), then conn.vms.get(name=...) is None", async () => {
    const { api } = session;
    await (await vm("from_template")).delete();
    expect(await api.vms.get({ name: "from_template" })).toBeUndefined();
  });
});

describe("the v3 SDK's brokers and schema", () => {
  // brokers.py VM.preview_snapshot(action=params.Action()) (`@param action.snapshot.id`),
  // VM.commit_snapshot(), VM.undo_snapshot(); a snapshot's `snapshot_status` ('ok', 'locked', 'in_preview').
  it("vm.preview_snapshot(params.Action(snapshot=...)), snapshot_status in_preview, commit_snapshot()", async () => {
    const source = await vm();
    const snapshot = await source.snapshots.add(new params.Snapshot({ description: "before upgrade" }));
    await eventually(
      async () => (await source.snapshots.get({ id: snapshot.id! }))!.snapshot_status,
      (s) => s === "ok",
    );
    const ack = await source.preview_snapshot(
      new params.Action({ snapshot: new params.Snapshot({ id: snapshot.id }) }),
    );
    expect(ack.status?.state).toBe("complete");
    const previewed = await eventually(
      async () => (await source.snapshots.get({ id: snapshot.id! }))!.snapshot_status,
      (s) => s === "in_preview",
    );
    expect(previewed).toBe("in_preview");
    await eventually(vm, (v) => v.status?.state === "down");
    await (await vm()).commit_snapshot();
    expect(
      await eventually(
        async () => (await source.snapshots.get({ id: snapshot.id! }))!.snapshot_status,
        (s) => s === "ok",
      ),
    ).toBe("ok");
    // Nothing is in preview any more: a second commit is the engine's refusal.
    await eventually(vm, (v) => v.status?.state === "down");
    await expect((await vm()).commit_snapshot()).rejects.toMatchObject({ status: 409 });
  });

  it("vm.undo_snapshot() ends a preview, the snapshot ok again", async () => {
    const source = await vm();
    const [snapshot] = await source.snapshots.list({ description: "before upgrade" });
    await source.preview_snapshot(new params.Action({ snapshot: new params.Snapshot({ id: snapshot!.id }) }));
    await eventually(
      async () => (await source.snapshots.get({ id: snapshot!.id! }))!.snapshot_status,
      (s) => s === "in_preview",
    );
    await eventually(vm, (v) => v.status?.state === "down");
    await (await vm()).undo_snapshot();
    expect(
      await eventually(
        async () => (await source.snapshots.get({ id: snapshot!.id! }))!.snapshot_status,
        (s) => s === "ok",
      ),
    ).toBe("ok");
  });

  // brokers.py Disks.get(name=None, alias=None, id=None): `api.disks.get(alias=...)`, v3's name of a disk.
  it("api.disks.get(alias=...)", async () => {
    const { api } = session;
    const disk = await api.disks.get({ alias: "status_disk_missing" });
    expect(disk).toBeUndefined();
    const [first] = await (await vm()).disks.list();
    const byAlias = await api.disks.get({ alias: first!.alias! });
    expect(byAlias?.id).toBe(first!.id);
    expect((await (await vm()).disks.get({ alias: first!.alias! }))?.id).toBe(first!.id);
  });

  // oVirt/ovirt-system-tests basic-suite-3.6 002_bootstrap.py _add_storage_domain(): `if
  // dc.storagedomains.get(sd.name).status.state == 'maintenance': sd.activate()`, then waits for 'active'.
  it("dc.storagedomains.get(name).deactivate() / activate(): maintenance, then active", async () => {
    const { api } = session;
    const dc = (await api.datacenters.get({ name: "Default" }))!;
    const attached = (await dc.storagedomains.get("mydata"))!;
    expect(attached.status!.state).toBe("active");
    await attached.deactivate();
    const state = await eventually(
      async () => (await dc.storagedomains.get("mydata"))!.status!.state,
      (s) => s === "maintenance",
    );
    expect(state).toBe("maintenance");
    const again = (await dc.storagedomains.get("mydata"))!;
    if (again.status!.state === "maintenance") await again.activate();
    expect(
      await eventually(
        async () => (await dc.storagedomains.get("mydata"))!.status!.state,
        (s) => s === "active",
      ),
    ).toBe("active");
  });

  // api.xsd: a host's SPM (`<spm><status><state>spm</state></status></spm>`) has a Status of its own: v3
  // scripts read `host.get_spm().get_status().get_state()`. Nested statuses are status objects too.
  it("a nested status: host.spm.status.state and its getters", async () => {
    const host = (await session.api.hosts.get("host1"))!;
    expect(host.spm?.status?.state).toBe("spm");
    expect(host.get_spm()?.get_status()?.get_state()).toBe("spm");
    expect(JSON.parse(JSON.stringify(host)).spm.status).toBe("spm");
  });

  // api.xsd: v3's lists came in list objects (Disk.storage_domains is a StorageDomains holding
  // `storage_domain`), read as `disk.storage_domains.storage_domain[0].id` or with the getters
  // `disk.get_storage_domains().get_storage_domain()[0].get_id()`.
  it("a list read through v3's list object: disk.storage_domains.storage_domain[0]", async () => {
    const { api } = session;
    const sd = (await api.storagedomains.get("mydata"))!;
    const [disk] = await (await vm()).disks.list();
    // Typed as v3 read them (V3List): no cast.
    expect(disk!.storage_domains!.storage_domain[0]!.id).toBe(sd.id);
    expect(disk!.get_storage_domains()!.get_storage_domain()[0]!.get_id()).toBe(sd.id);
    // v4's array stays one, and JSON keeps v4's shape.
    expect(disk!.storage_domains![0]!.id).toBe(sd.id);
    expect(Object.keys(JSON.parse(JSON.stringify(disk!.storage_domains)))).toEqual(["0"]);
  });

  // api.xsd VmPlacementPolicy: `host` (one) beside `hosts`; v3 scripts read `vm.placement_policy.host`.
  // A VM the engine made has its placement (migratable by default), read with v3's names.
  it("placement_policy on a fetched VM: affinity, and host as v3 named the one host", async () => {
    const { api } = session;
    const host1 = (await api.hosts.get("host1"))!;
    await api.vms.add(
      new params.VM({
        name: "pinned",
        cluster: new params.Cluster({ name: "Default" }),
        template: new params.Template({ name: "Blank" }),
        placement_policy: new params.VmPlacementPolicy({
          host: new params.Host({ name: "host1" }),
          affinity: "pinned",
        }),
      }),
    );
    const pinned = (await api.vms.get("pinned"))!;
    expect([pinned.placement_policy?.affinity, pinned.placement_policy?.hosts?.[0]?.id]).toEqual(["pinned", host1.id]);
    expect(pinned.placement_policy?.host?.id).toBe(host1.id);
    expect(pinned.get_placement_policy()?.get_host()?.get_id()).toBe(host1.id);
    expect((await vm()).placement_policy?.affinity ?? "migratable").toBe("migratable");
  });
});
