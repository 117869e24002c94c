// oVirt/ovirt-system-tests basic-suite-3.6/test-scenarios/002_bootstrap.py (the v3 SDK's system tests):
// a data center, its quota, a cluster, hosts, storage domains attached to the data center, networks.
// Each test ports one of its steps, following the README's table, and runs it against the simulator.
import { describe, expect, it } from "@jest/globals";
import { params, type DataCenterResource } from "../../src/index.js";
import { eventually, useEngine } from "./harness.js";

const session = useEngine();
const DC_NAME = "test-dc";
const CLUSTER_NAME = "test-cluster";

const testDc = async (): Promise<DataCenterResource> => (await session.api.datacenters.get(DC_NAME))!;

describe("OST 002_bootstrap (v3)", () => {
  // add_dc(): `api.datacenters.add(params.DataCenter(name=DC_NAME, local=False, version=params.Version(
  // major=3, minor=6)))`, asserted truthy.
  it("api.datacenters.add(params.DataCenter(..., version=params.Version(...)))", async () => {
    const dc = await session.api.datacenters.add(
      new params.DataCenter({ name: DC_NAME, local: false, version: new params.Version({ major: 4, minor: 7 }) }),
    );
    expect(dc).toBeTruthy();
    expect([dc.name, dc.local, dc.version?.major]).toEqual([DC_NAME, false, 4]);
  });

  // add_dc_quota(): `dc = api.datacenters.get(name=DC_NAME)`, `dc.quotas.add(params.Quota(name=...,
  // description=..., data_center=dc, cluster_soft_limit_pct=99))`.
  it("dc.quotas.add(params.Quota(..., data_center=dc))", async () => {
    const dc = (await session.api.datacenters.get({ name: DC_NAME }))!;
    const quota = await dc.quotas.add(
      new params.Quota({
        name: "DC-QUOTA",
        description: "DC-QUOTA-DESCRIPTION",
        data_center: dc,
        cluster_soft_limit_pct: 99,
      }),
    );
    expect([quota.name, quota.cluster_soft_limit_pct]).toEqual(["DC-QUOTA", 99]);
  });

  // add_cluster(): `params.Cluster(name=..., cpu=params.CPU(id='Intel Conroe Family'), version=...,
  // data_center=params.DataCenter(name=DC_NAME))`: v3 named the CPU by its id, v4 by its type.
  it("api.clusters.add(params.Cluster(cpu=params.CPU(id=CLUSTER_CPU_FAMILY), ...))", async () => {
    const cluster = await session.api.clusters.add(
      new params.Cluster({
        name: CLUSTER_NAME,
        cpu: new params.CPU({ id: "Intel Conroe Family" }),
        version: new params.Version({ major: 4, minor: 7 }),
        data_center: new params.DataCenter({ name: DC_NAME }),
      }),
    );
    expect(cluster.cpu?.type).toBe("Intel Conroe Family");
    // Read back under v3's name too.
    expect((cluster.cpu as { id?: string } | undefined)?.id).toBe("Intel Conroe Family");
    expect(cluster.data_center?.id).toBe((await testDc()).id);
  });

  // add_hosts(): `api.hosts.add(params.Host(name=..., address=..., cluster=params.Cluster(name=...),
  // root_password=..., override_iptables=True))`, then `_host_is_up()`: `api.hosts.get(name).status.state`
  // 'up' (or 'install_failed', an error).
  it("api.hosts.add(params.Host(...)) and waiting for status.state 'up'", async () => {
    const { api } = session;
    await api.hosts.add(
      new params.Host({
        name: "host2",
        address: "192.168.200.3",
        cluster: new params.Cluster({ name: CLUSTER_NAME }),
        root_password: "123456",
        override_iptables: true,
      }),
    );
    const state = await eventually(
      async () => (await api.hosts.get("host2"))!.status!.state,
      (s) => s === "up" || s === "install_failed",
    );
    expect(state).toBe("up");
  });

  // add_generic_nfs_storage_domain() and _add_storage_domain(): `params.StorageDomain(name=...,
  // data_center=params.DataCenter(name=DC_NAME), type_='data', storage_format='v3', host=params.Host(
  // name=api.hosts.list().pop().name), storage=params.Storage(type_='nfs', address=..., path=...))`;
  // `sd = api.storagedomains.add(p)`; `api.datacenters.get(DC_NAME).storagedomains.add(
  // api.storagedomains.get(sd.name))`; then `dc.storagedomains.get(sd.name).status.state == 'active'`.
  it("api.storagedomains.add, dc.storagedomains.add, and the attached domain's status.state", async () => {
    const { api } = session;
    const dc = await testDc();
    const sd = await api.storagedomains.add(
      new params.StorageDomain({
        name: "nfs",
        data_center: new params.DataCenter({ name: DC_NAME }),
        type_: "data",
        storage_format: "v5",
        host: new params.Host({ name: (await api.hosts.list()).pop()!.name }),
        storage: new params.Storage({ type_: "nfs", address: "192.168.200.2", path: "/exports/nfs_clean/share1" }),
      }),
    );
    expect(sd).toBeTruthy();
    expect(sd.status!.state).toBe("unattached");
    expect(await (await testDc()).storagedomains.add((await api.storagedomains.get(sd.name!))!)).toBeTruthy();
    const state = await eventually(
      async () => (await dc.storagedomains.get(sd.name!))!.status!.state,
      (s) => s !== "locked",
    );
    expect(state).toBe("active");
  });

  // add_iscsi_storage_domain(): `storage=params.Storage(type_='iscsi', volume_group=params.VolumeGroup(
  // logical_unit=[params.LogicalUnit(id=..., address=..., port=3260, target=...)]))`.
  it("an iSCSI domain: params.VolumeGroup(logical_unit=[params.LogicalUnit(...)])", async () => {
    const { api } = session;
    const sd = await api.storagedomains.add(
      new params.StorageDomain({
        name: "iscsi",
        type_: "data",
        host: new params.Host({ name: "host2" }),
        storage: new params.Storage({
          type_: "iscsi",
          volume_group: new params.VolumeGroup({
            logical_unit: ["36001405a", "36001405b"].map(
              (id) =>
                new params.LogicalUnit({
                  id,
                  address: "192.168.200.2",
                  port: 3260,
                  target: "iqn.2014-07.org.ovirt:storage",
                }),
            ),
          }),
        }),
      }),
    );
    expect(sd.storage?.volume_group?.logical_units?.map((lun) => lun.id)).toEqual(["36001405a", "36001405b"]);
    expect(sd.storage?.type).toBe("iscsi");
  });

  // add_iso_storage_domain(): `type_='iso'`, the same attach.
  it("an ISO domain, type_='iso', attached and active", async () => {
    const { api } = session;
    const iso = await api.storagedomains.add(
      new params.StorageDomain({
        name: "iso",
        type_: "iso",
        host: new params.Host({ name: "host2" }),
        storage: new params.Storage({ type_: "nfs", address: "192.168.200.2", path: "/exports/iso" }),
      }),
    );
    const dc = await testDc();
    await dc.storagedomains.add((await api.storagedomains.get({ name: iso.name! }))!);
    const attached = await eventually(
      async () => (await dc.storagedomains.get(iso.name!))!,
      (d) => d.status?.state === "active",
    );
    expect(attached.type_).toBe("iso");
  });

  // set_dc_quota_audit(): `dc = api.datacenters.get(name=DC_NAME)`, `dc.set_quota_mode('audit')`,
  // `dc.update()`.
  it("dc.set_quota_mode('audit'); dc.update()", async () => {
    const dc = (await session.api.datacenters.get({ name: DC_NAME }))!;
    dc.set_quota_mode("audit");
    expect((await dc.update()).quota_mode).toBe("audit");
    expect((await testDc()).get_quota_mode()).toBe("audit");
  });

  // add_quota_storage_limits() / add_quota_cluster_limits(): `quota = dc.quotas.get(name=DC_QUOTA_NAME)`,
  // `quota.quotastoragelimits.add(params.QuotaStorageLimit(limit=500))`,
  // `quota.quotaclusterlimits.add(params.QuotaClusterLimit(vcpu_limit=20, memory_limit=10000))`.
  it("quota.quotastoragelimits.add / quota.quotaclusterlimits.add", async () => {
    const quota = (await (await testDc()).quotas.get({ name: "DC-QUOTA" }))!;
    expect((await quota.quotastoragelimits.add(new params.QuotaStorageLimit({ limit: 500 }))).limit).toBe(500);
    const limit = await quota.quotaclusterlimits.add(
      new params.QuotaClusterLimit({ vcpu_limit: 20, memory_limit: 10000 }),
    );
    expect([limit.vcpu_limit, limit.memory_limit]).toEqual([20, 10000]);
  });

  // add_vm_network(): `params.Network(name=..., data_center=params.DataCenter(name=DC_NAME),
  // description=..., vlan=params.VLAN(id='100'))`; `api.networks.add(VLAN100)`;
  // `api.clusters.get(CLUSTER_NAME).networks.add(VLAN100)`. v3 took the VLAN id as digits.
  it("api.networks.add(params.Network(vlan=params.VLAN(id='100'))) and cluster.networks.add", async () => {
    const { api } = session;
    const vlan100 = new params.Network({
      name: "VLAN100_Network",
      data_center: new params.DataCenter({ name: DC_NAME }),
      description: "VM Network on VLAN 100",
      vlan: new params.VLAN({ id: "100" }),
    });
    const network = await api.networks.add(vlan100);
    expect(network.vlan?.id).toBe(100);
    expect(await (await api.clusters.get(CLUSTER_NAME))!.networks.add(vlan100)).toBeTruthy();
    const inCluster = await (await api.clusters.get(CLUSTER_NAME))!.networks.list();
    expect(inCluster.map((n) => n.name)).toContain("VLAN100_Network");
  });

  // add_non_vm_network(): `usages=params.Usages()` (no usage: not a VM network), `mtu=9000`.
  it("a non-VM network: usages=params.Usages(), mtu=9000", async () => {
    const network = await session.api.networks.add(
      new params.Network({
        name: "VLAN200_Network",
        data_center: new params.DataCenter({ name: DC_NAME }),
        vlan: new params.VLAN({ id: "200" }),
        usages: new params.Usages(),
        mtu: 9000,
      }),
    );
    expect([network.mtu, network.usages ?? []]).toEqual([9000, []]);
  });

  // remove_default_dc(): `api.datacenters.get(name='Default').delete()`, asserted truthy (here on a data
  // center of its own, which the rest of this file does not use).
  it("api.datacenters.get(name=...).delete()", async () => {
    const { api } = session;
    await api.datacenters.add(new params.DataCenter({ name: "spare", local: false }));
    await (await api.datacenters.get({ name: "spare" }))!.delete();
    expect(await api.datacenters.get({ name: "spare" })).toBeUndefined();
  });
});
