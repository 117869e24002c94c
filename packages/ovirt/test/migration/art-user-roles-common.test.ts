// RHEV QE's ART user-roles tests, AlertBear/ovirt-manager-auto
// art/tests/rhevm/unittests/user_roles_tests/common.py: the v3 helpers those tests set up and tear down
// with (hosts to maintenance and back, roles' permits, VM pools, floating disks, templates, storage domain
// removal). Each test ports one helper, following the README's table, and runs it against the simulator.
import { describe, expect, it } from "@jest/globals";
import { params, RequestError, type VmResource } from "../../src/index.js";
import { eventually, useEngine } from "./harness.js";

const session = useEngine();
const MB = 2 ** 20;
const GB = 2 ** 30;

const vmNamed = async (name: string): Promise<VmResource> => (await session.api.vms.get(name))!;

describe("ART user_roles_tests common.py (v3)", () => {
  // activeDeactiveHost(): `host.deactivate()`, waitForState(host, 'maintenance'), `host.activate()`,
  // waitForState(host, 'up'); waitForState reads `API.hosts.get(obj.name).status.state`.
  it("host.deactivate() then activate(), polling hosts.get(name).status.state", async () => {
    const { api } = session;
    const host = (await api.hosts.get("host1"))!;
    const state = async () => (await api.hosts.get(host.name!))!.status!.state;
    await host.deactivate();
    expect(await eventually(state, (s) => s === "maintenance")).toBe("maintenance");
    await host.activate();
    expect(await eventually(state, (s) => s === "up")).toBe("up");
  });

  // createHost() / removeHost(): `API.hosts.add(params.Host(name=..., address=..., cluster=cluster,
  // root_password=...))`, `API.hosts.get(hostName) is not None`, waitForState(host, 'up', failStates=
  // 'install_failed'); then `host.deactivate()`, waitForState(host, 'maintenance'), `host.delete()` and
  // `updateObject(host) is None`. v3's `host.delete(params.Action(force=True))` is the remove's force=true.
  it("hosts.add(params.Host(..., root_password=...)) up; deactivate, delete(); delete(params.Action(force=True))", async () => {
    const { api, engine } = session;
    for (const name of ["roles_host", "roles_host2"]) {
      await api.hosts.add(
        new params.Host({
          name,
          address: `${name}.example.com`,
          cluster: await api.clusters.get("Default"),
          root_password: "secret",
        }),
      );
      expect(await api.hosts.get(name)).toBeDefined();
      await eventually(
        async () => (await api.hosts.get(name))!.status!.state,
        (s) => s === "up" || s === "install_failed",
      );
      expect((await api.hosts.get(name))!.status!.state).toBe("up");
    }
    const host = (await api.hosts.get("roles_host"))!;
    await host.deactivate();
    await eventually(
      async () => (await api.hosts.get("roles_host"))!.status!.state,
      (s) => s === "maintenance",
    );
    await host.delete();
    expect(await api.hosts.get("roles_host")).toBeUndefined();

    // An operational host is refused, as the engine does, which is why removeHost() deactivates first.
    const host2 = (await api.hosts.get("roles_host2"))!;
    await expect(host2.delete()).rejects.toThrow(/Host is operational/);
    await host2.deactivate();
    await eventually(
      async () => (await api.hosts.get("roles_host2"))!.status!.state,
      (s) => s === "maintenance",
    );
    await host2.delete(new params.Action({ force: true }));
    const sent = engine.state.requests.filter((r) => r.method === "DELETE").at(-1)!;
    expect(new URLSearchParams(sent.query).get("force")).toBe("true");
    expect(await api.hosts.get("roles_host2")).toBeUndefined();
  });

  // getRolePermissions(): `[perm.get_name() for perm in API.roles.get(roleName).get_permits().list()]`:
  // generateDS's getter of a sub-collection gives the collection itself.
  it("API.roles.get('SuperUser').get_permits().list() gives the permits' names", async () => {
    const role = (await session.api.roles.get("SuperUser"))!;
    const permits = await role.get_permits().list();
    expect(Array.isArray(permits)).toBe(true);
    expect(permits.map((perm) => perm.get_name())).toContain("create_vm");
    expect(permits.map((perm) => perm.get_name())).toEqual((await role.permits.list()).map((p) => p.name));
  });

  // createVm(): `API.vms.add(params.VM(name=vmName, memory=memory, cluster=cluster, template=template))`,
  // `API.vms.get(vmName)`, then `vm.disks.add(params.Disk(storage_domains=params.StorageDomains(
  // storage_domain=[API.storagedomains.get(storage)]), size=diskSize, status=None, interface='virtio',
  // format='cow', sparse=True, bootable=True))` and waitForState(vm, 'down').
  it("createVm(): vms.add(params.VM(...)), then disks.add(params.Disk(..., status=None, bootable=True))", async () => {
    const { api } = session;
    await api.vms.add(
      new params.VM({
        name: "roles_vm",
        memory: GB,
        cluster: await api.clusters.get("Default"),
        template: await api.templates.get("Blank"),
      }),
    );
    const vm = await vmNamed("roles_vm");
    expect(vm).toBeDefined();
    const disk = await vm.disks.add(
      new params.Disk({
        storage_domains: new params.StorageDomains({ storage_domain: [(await api.storagedomains.get("mydata"))!] }),
        size: 512 * MB,
        status: null,
        interface: "virtio",
        format: "cow",
        sparse: true,
        bootable: true,
      }),
    );
    expect([disk.size, disk.bootable, disk.interface]).toEqual([512 * MB, true, "virtio"]);
    await eventually(
      async () => (await vmNamed("roles_vm")).status!.state,
      (s) => s === "down",
    );
  });

  // stopVm_(): `vm.stop()` on a VM that is not running raises RequestError, which the helper swallows when
  // `'vm is not running' in e.detail.lower()`.
  it("vm.stop() of a down VM: RequestError whose detail says the VM is not running", async () => {
    const vm = await vmNamed("roles_vm");
    expect(vm.status!.state).toBe("down");
    const error = await vm.stop().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).detail!.toLowerCase()).toContain("vm is not running");
  });

  // createDisk(): `API.disks.add(params.Disk(name=diskName, provisioned_size=10, size=10, status=None,
  // interface='virtio', format='cow', sparse=True, bootable=False, storage_domains=param))` (v3 had both
  // sizes; they agree); getDisksByName(): `for disk in API.disks.list(): if disk.get_name() == diskName`.
  it("API.disks.add(params.Disk(provisioned_size=10, size=10, ...)); found by get_name() in disks.list()", async () => {
    const { api } = session;
    const disk = await api.disks.add(
      new params.Disk({
        name: "roles_disk",
        provisioned_size: 10 * GB,
        size: 10 * GB,
        status: null,
        interface: "virtio",
        format: "cow",
        sparse: true,
        bootable: false,
        storage_domains: new params.StorageDomains({ storage_domain: [(await api.storagedomains.get("mydata"))!] }),
      }),
    );
    expect(disk).toBeDefined();
    const found = (await api.disks.list()).find((d) => d.get_name() === "roles_disk")!;
    expect([found.id, found.provisioned_size]).toEqual([disk.id, 10 * GB]);
    await eventually(
      async () => (await api.disks.get({ id: disk.id! }))!.status!.state,
      (s) => s === "ok",
    );
  });

  // editDiskProperties(): `before = disk.get_shareable()`, `disk.set_shareable(not before); disk.update()`,
  // then the disk read again has the other value.
  it("disk.set_shareable(...); disk.update() flips the floating disk's shareable", async () => {
    const { api } = session;
    const byName = async () => (await api.disks.list()).find((d) => d.get_name() === "roles_disk")!;
    const disk = await byName();
    const before = disk.get_shareable();
    disk.set_shareable(!before);
    await disk.update();
    expect((await byName()).get_shareable()).toBe(!before);
  });

  // attachDiskToVm(): `vm.disks.add(disk)` with the floating disk as read, then `vm.disks.get(diskName)`,
  // `disk.status.state`, and `disk.activate()` when it is not 'ok'. A v3 engine kept the interface the disk
  // was made with; API v4 keeps it on the attachment only, so a floating disk has none and the engine refuses
  // the attachment until the script names one: the port's one added line.
  it("vm.disks.add(floating disk) attaches it once it names its interface; vm.disks.get(name)", async () => {
    const { api } = session;
    const vm = await vmNamed("roles_vm");
    const floating = (await api.disks.list()).find((d) => d.get_name() === "roles_disk")!;
    const refused = await vm.disks.add(floating).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RequestError);
    expect((refused as RequestError).message).toMatch(/\[interface\] required/);
    floating.set_interface("virtio");
    await vm.disks.add(floating);
    const attached = (await vm.disks.get("roles_disk"))!;
    expect(attached.id).toBe(floating.id);
    expect(attached.status!.state).toBe("ok");
    expect((await vm.disks.list()).map((d) => d.id)).toContain(floating.id);
  });

  // createTemplate() / removeTemplate(): `API.templates.add(params.Template(name=..., vm=vm))`,
  // `API.templates.get(templateName) is not None`; `template.delete()`, then
  // `while updateObject(template) is not None: sleep`.
  it("templates.add(params.Template(name, vm=vm)); template.delete() until templates.get(name) is None", async () => {
    const { api } = session;
    expect(await api.templates.get("roles_template")).toBeUndefined();
    await api.templates.add(new params.Template({ name: "roles_template", vm: await vmNamed("roles_vm") }));
    const template = (await api.templates.get("roles_template"))!;
    expect(template.get_name()).toBe("roles_template");
    await eventually(
      async () => (await api.templates.get("roles_template"))!.status!.state,
      (s) => s === "ok",
    );
    await template.delete();
    await eventually(
      () => api.templates.get(template.name!),
      (t) => t === undefined,
    );
  });

  // createVmPool() / addVmToPool(): `API.vmpools.add(params.VmPool(name=..., cluster=cluster,
  // template=template, size=1))`; `vmpool.set_size(int(vmpool.get_size()) + 1); vmpool.update()`, then
  // `API.vmpools.get(name).get_size()` differs.
  it("vmpools.add(params.VmPool(..., size=1)); set_size(get_size() + 1); update()", async () => {
    const { api } = session;
    expect(await api.vmpools.get("roles_pool")).toBeUndefined();
    await api.vmpools.add(
      new params.VmPool({
        name: "roles_pool",
        cluster: await api.clusters.get("Default"),
        template: await api.templates.get("Blank"),
        size: 1,
      }),
    );
    const vmpool = (await api.vmpools.get("roles_pool"))!;
    const sizeBefore = vmpool.get_size()!;
    vmpool.set_size(sizeBefore + 1);
    await vmpool.update();
    expect((await api.vmpools.get("roles_pool"))!.get_size()).toBe(sizeBefore + 1);
  });

  // checkDataCenterStatus(): `dc.status.state`, and `for sd in dc.storagedomains.list(): sd.get_name(),
  // str(sd.status.state)`.
  it("dc.status.state and str(sd.status.state) of each of dc.storagedomains.list()", async () => {
    const dc = (await session.api.datacenters.get("Default"))!;
    expect(dc.status!.state).toBe("up");
    const domains = await dc.storagedomains.list();
    expect(domains.map((sd) => [sd.get_name(), String(sd.status)])).toEqual([["mydata", "active"]]);
  });

  // removeNonMasterStorage(): `storage.delete(params.StorageDomain(name=storageName,
  // host=params.Host(name=host), format=doFormat))`, then `API.storagedomains.get(storageName) is None`.
  it("storage.delete(params.StorageDomain(host=params.Host(name=...), format=True)) of an unattached domain", async () => {
    const { api, engine } = session;
    await api.storagedomains.add(
      new params.StorageDomain({
        name: "roles_export",
        type_: "export",
        host: new params.Host({ name: "host1" }),
        storage: new params.Storage({ type_: "nfs", address: "nfs.example.com", path: "/exports/roles" }),
      }),
    );
    const storage = (await api.storagedomains.get("roles_export"))!;
    // What the remove cannot take is refused before anything is sent, naming it (another domain's name here).
    const before = engine.state.requests.length;
    await expect(storage.delete(new params.StorageDomain({ name: "mydata", format: true }))).rejects.toThrow(
      /remove takes no parameter "name"/,
    );
    expect(engine.state.requests.length).toBe(before);
    await storage.delete(
      new params.StorageDomain({ name: "roles_export", host: new params.Host({ name: "host1" }), format: true }),
    );
    expect(await api.storagedomains.get("roles_export")).toBeUndefined();
    const sent = engine.state.requests.filter((r) => r.method === "DELETE").at(-1)!;
    expect(new URLSearchParams(sent.query).get("host")).toBe("host1");
    expect(new URLSearchParams(sent.query).get("format")).toBe("true");
  });
});
