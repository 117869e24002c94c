// pyrax.cloud_networks over a real Neutron (Debian's Zed packages, ML2 with a binding-only driver) with
// Nova and Keystone: the shared stack of the run (test/helpers/stack.ts), regions DFW and ORD.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { AbortError, ConflictError, NotFoundError, ValidationError, type AuthStep } from "@nimbus-sdk/common";
import {
  CloudServers,
  Conflict,
  NetworkCIDRInvalid,
  NetworkCIDRMalformed,
  NetworkCountExceeded,
  NetworkInUse,
  NetworkLabelNotUnique,
  NetworkNotFound,
  NoUniqueMatch,
  NotFound,
  OverLimit,
  utils,
} from "../src/index.js";
import { CloudNetworks, Network } from "../src/resources/network/index.js";
import { sharedComputeCloud, type ComputeCloud } from "./helpers/stack.js";

const RUN = randomBytes(3).toString("hex");
const FAST = { interval: 0.3, timeout: 90 };
// Two cores shared with other test runs: a Neutron call can take seconds.
jest.setTimeout(120_000);

function tokenAuth(token: string): AuthStep {
  return { authorize: (request) => void (request.headers["x-auth-token"] = token) };
}

describe("pyrax.cloud_networks against a real Neutron", () => {
  let cloud: ComputeCloud;
  let cnw: CloudNetworks;
  let admin: CloudNetworks;
  let cs: CloudServers;
  const networks: string[] = [];
  const adminNetworks: string[] = [];

  // The networks a test makes are deleted at the end even when it fails half-way.
  const track = <T extends { id: string }>(item: T, list = networks): T => {
    list.push(item.id);
    return item;
  };

  beforeAll(async () => {
    cloud = await sharedComputeCloud();
    cnw = new CloudNetworks({ endpoint: cloud.endpoint("network"), region: cloud.region, auth: cloud.auth });
    const login = await cloud.login(cloud.stack.admin);
    admin = new CloudNetworks({
      endpoint: cloud.stack.networkUrls![cloud.region]!,
      region: cloud.region,
      auth: tokenAuth(login.token),
    });
    cs = new CloudServers({
      endpoint: cloud.endpoint("compute"),
      region: cloud.region,
      auth: cloud.auth,
      projectId: cloud.stack.credentials.projectId,
    });
  }, 15 * 60_000);

  afterAll(async () => {
    for (const id of networks) await cnw.delete(id).catch(() => undefined);
    for (const id of adminNetworks) await admin.delete(id).catch(() => undefined);
    await Promise.allSettled([cnw?.close(), admin?.close(), cs?.close()]);
  }, 120_000);

  it("creates an isolated network with its subnet, as pyrax's create(label, cidr=…)", async () => {
    const net = track(await cnw.create(`iso-${RUN}`, { cidr: "192.168.10.0/24" }));
    expect(net).toBeInstanceOf(Network);
    expect(net.label).toBe(`iso-${RUN}`);
    expect(net.name).toBe(`iso-${RUN}`);
    expect(net.cidr).toBe("192.168.10.0/24");
    expect(net.isIsolated).toBe(true);
    expect(net.subnets).toHaveLength(1);
    // What Neutron holds, read back through a fresh client call.
    const subnet = await cnw.getSubnet(net.subnets[0]!);
    expect(subnet).toMatchObject({ cidr: "192.168.10.0/24", ip_version: 4, network_id: net.id });
    // pyrax's positional create(label, name, cidr), and a network without a subnet.
    const positional = track(await cnw.create(`pos-${RUN}`, undefined, "192.168.11.0/24"));
    expect(positional.cidr).toBe("192.168.11.0/24");
    const bare = track(await cnw.create({ name: `bare-${RUN}`, attributes: { mtu: 1400 } }));
    expect(bare.cidr).toBeUndefined();
    expect(bare.record.mtu).toBe(1400);
  });

  it("lists networks with their CIDRs: an array when awaited, page by page with for await", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(track(await cnw.create(`page-${RUN}-${i}`, { cidr: `10.${60 + i}.0.0/24` })).id);
    }
    const all = await cnw.list();
    expect(Array.isArray(all)).toBe(true);
    const mine = all.filter((n) => n.label.startsWith(`page-${RUN}-`));
    expect(mine.map((n) => n.cidr).sort()).toEqual(["10.60.0.0/24", "10.61.0.0/24", "10.62.0.0/24"]);
    // One page per network, fetched as consumed; the CIDRs are filled on every page.
    const pages: number[] = [];
    const seen: string[] = [];
    for await (const page of cnw.list({ pageSize: 1, sortKey: "name", sortDir: "asc" }).pages()) {
      pages.push(page.length);
      for (const n of page) if (n.label.startsWith(`page-${RUN}-`)) seen.push(`${n.label}=${n.cidr}`);
    }
    expect(pages.every((n) => n === 1)).toBe(true);
    expect(seen).toEqual([0, 1, 2].map((i) => `page-${RUN}-${i}=10.${60 + i}.0.0/24`));
    // pyrax's list(limit, marker): at most `limit`, after `marker`.
    expect(await cnw.list(2)).toHaveLength(2);
    const sorted = await cnw.list({ sortKey: "id", sortDir: "asc" });
    const marker = sorted[0]!.id;
    const after = (await cnw.list({ marker, sortKey: "id", sortDir: "asc" })).map((n) => n.id);
    // Other tests share the stack: compare only this test's networks.
    expect(after).not.toContain(marker);
    expect(after.every((id) => id > marker)).toBe(true);
    expect(after.filter((id) => ids.includes(id)).sort()).toEqual(ids.filter((id) => id > marker).sort());
    // Filters by Neutron's names.
    expect((await cnw.list({ name: `page-${RUN}-1` })).map((n) => n.id)).toEqual([ids[1]]);
  });

  it("finds a network by label, and says when none or several have it", async () => {
    const net = track(await cnw.create(`find-${RUN}`, { cidr: "10.70.0.0/24" }));
    expect((await cnw.findNetworkByLabel(`find-${RUN}`)).id).toBe(net.id);
    expect((await cnw.findNetworkByName(`find-${RUN}`)).cidr).toBe("10.70.0.0/24");
    expect((await cnw.find({ label: `find-${RUN}` })).id).toBe(net.id);
    expect((await cnw.findNetwork(`find-${RUN}`))?.id).toBe(net.id);
    expect(await cnw.findNetwork(`none-${RUN}`)).toBeUndefined();
    await expect(cnw.findNetwork(`none-${RUN}`, { ignoreMissing: false })).rejects.toThrow(NetworkNotFound);
    const missing = cnw.findNetworkByLabel(`none-${RUN}`);
    await expect(missing).rejects.toThrow(NetworkNotFound);
    await expect(missing).rejects.toThrow(NotFoundError);
    const twin = track(await cnw.create(`find-${RUN}`, { cidr: "10.71.0.0/24" }));
    const error = await cnw.findNetworkByLabel(`find-${RUN}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkLabelNotUnique);
    expect(error).toBeInstanceOf(NoUniqueMatch);
    expect((error as NetworkLabelNotUnique).matches.sort()).toEqual([net.id, twin.id].sort());
  });

  it("refuses a bad CIDR before sending anything, and rolls back when Neutron refuses the subnet", async () => {
    await expect(cnw.create(`bad-${RUN}`, { cidr: "192.168.0.0/33" })).rejects.toThrow(NetworkCIDRMalformed);
    await expect(cnw.create(`bad-${RUN}`, { cidr: "192.168.0.0/31" })).rejects.toThrow(NetworkCIDRInvalid);
    await expect(cnw.create(`bad-${RUN}`, { cidr: "192.168.0.9/24" })).rejects.toThrow(/host bits/);
    // Nothing was created by the refused calls.
    expect(await cnw.list({ name: `bad-${RUN}` })).toEqual([]);
    // A subnet Neutron itself refuses (an allocation pool outside the CIDR): the network goes again.
    const refused = await cnw
      .create(`bad-${RUN}`, {
        cidr: "10.72.0.0/24",
        subnet: { allocation_pools: [{ start: "10.99.0.2", end: "10.99.0.10" }] },
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NetworkCIDRInvalid);
    expect((refused as NetworkCIDRInvalid).field).toBe("cidr");
    expect(((refused as Error).cause as { status?: number }).status).toBe(400);
    expect(await cnw.list({ name: `bad-${RUN}` })).toEqual([]);
    await expect(cnw.create("")).rejects.toThrow(expect.objectContaining({ field: "label" }) as never);
  });

  it("gives Nova the nics it takes, and will not delete a network a server is on (NetworkInUse)", async () => {
    const net = track(await cnw.create(`srv-${RUN}`, { cidr: "10.73.0.0/24" }));
    const nics = net.getServerNetworks();
    expect(nics).toEqual([{ "net-id": net.id }]);
    expect(cnw.getServerNetworks(net, { key: "uuid" })).toEqual([{ uuid: net.id }]);
    const server = await cs.servers.create(`srv-${RUN}`, cloud.stack.image!.id, "1", { nics });
    try {
      await utils.waitUntil(server, "status", "ACTIVE", FAST);
      expect(server.networks[`srv-${RUN}`]![0]).toMatch(/^10\.73\.0\.\d+$/);
      const ports = await cnw.ports({ device_id: server.id });
      expect(ports.map((p) => p.network_id)).toEqual([net.id]);
      const error = await cnw.delete(net).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkInUse);
      expect(error).toBeInstanceOf(Conflict);
      expect(error).toMatchObject({ status: 409, code: "NetworkInUse" });
      await expect(net.delete()).rejects.toThrow(NetworkInUse);
    } finally {
      await cs.servers.delete(server.id);
      await utils.waitUntil(
        { id: server.id, status: "", get: () => cs.servers.get(server.id) },
        "status",
        "DELETED",
        FAST,
      );
    }
    // Nova removes the port as the server goes; then the network can go.
    const portsLeft = { count: -1, get: async () => ({ count: (await cnw.ports({ device_id: server.id })).length }) };
    await utils.waitUntil(portsLeft, "count", 0, FAST);
    await net.delete();
    await expect(cnw.get(net.id)).rejects.toThrow(NetworkNotFound);
    await expect(cnw.delete(net.id)).rejects.toThrow(NetworkNotFound);
  }, 180_000);

  it("updates, refreshes and deletes networks; a wrong field is refused before sending", async () => {
    const net = track(await cnw.create(`upd-${RUN}`, { cidr: "10.74.0.0/24" }));
    const renamed = await cnw.update(net, { label: `upd2-${RUN}`, description: "renamed" });
    expect(renamed.label).toBe(`upd2-${RUN}`);
    expect(renamed.cidr).toBe("10.74.0.0/24");
    await net.get();
    expect(net.label).toBe(`upd2-${RUN}`);
    expect(net.description).toBe("renamed");
    await net.update({ admin_state_up: false });
    expect(net.admin_state_up).toBe(false);
    await expect(cnw.update(net, { status: "DOWN" } as never)).rejects.toThrow(
      expect.objectContaining({ field: "status" }) as never,
    );
    await expect(cnw.get("")).rejects.toThrow(ValidationError);
    await cnw.delete(net);
    await expect(net.get()).rejects.toThrow(NetworkNotFound);
  });

  it("manages subnets and ports; a subnet with ports cannot be deleted", async () => {
    const net = track(await cnw.create({ label: `sub-${RUN}` }));
    const subnet = await cnw.createSubnet({
      network_id: net.id,
      cidr: "10.75.0.0/24",
      name: `sub-${RUN}`,
      dns_nameservers: ["10.75.0.2"],
    });
    expect(subnet).toMatchObject({ ip_version: 4, cidr: "10.75.0.0/24", gateway_ip: "10.75.0.1" });
    expect(subnet.dns_nameservers).toEqual(["10.75.0.2"]);
    const v6 = await cnw.createSubnet({ network_id: net.id, cidr: "fd00:75::/64" });
    expect(v6.ip_version).toBe(6);
    expect((await cnw.subnets({ network_id: net.id })).map((s) => s.id).sort()).toEqual([subnet.id, v6.id].sort());
    expect((await cnw.updateSubnet(subnet, { name: `sub2-${RUN}` })).name).toBe(`sub2-${RUN}`);
    expect((await cnw.findSubnet(`sub2-${RUN}`))?.id).toBe(subnet.id);
    await expect(cnw.createSubnet({ network_id: net.id, cidr: "10.76.0.1/24" })).rejects.toThrow(NetworkCIDRInvalid);

    const port = await cnw.createPort({
      network_id: net.id,
      name: `port-${RUN}`,
      fixed_ips: [{ subnet_id: subnet.id, ip_address: "10.75.0.50" }],
    });
    expect(port.fixed_ips).toEqual([{ subnet_id: subnet.id, ip_address: "10.75.0.50" }]);
    expect(port.mac_address).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect((await cnw.getSubnetPorts(subnet)).map((p) => p.id)).toEqual([port.id]);
    expect((await cnw.getPort(port.id)).name).toBe(`port-${RUN}`);
    await port.update({ name: `port2-${RUN}` });
    expect(port.name).toBe(`port2-${RUN}`);
    const inUse = await cnw.deleteSubnet(subnet).catch((e: unknown) => e);
    expect(inUse).toBeInstanceOf(ConflictError);
    expect(inUse).toMatchObject({ status: 409, code: "SubnetInUse" });
    await cnw.deletePort(port);
    await expect(cnw.getPort(port.id)).rejects.toThrow(NotFound);
    await cnw.deleteSubnet(subnet);
    await cnw.deleteSubnet(v6.id);
    expect(await cnw.subnets({ network_id: net.id })).toEqual([]);
  });

  it("manages security groups and rules; a duplicate rule is a Conflict, a bad port range never leaves", async () => {
    const group = await cnw.createSecurityGroup({ name: `sg-${RUN}`, description: "web" });
    try {
      expect(group.description).toBe("web");
      // Neutron adds the two egress rules itself.
      expect(group.security_group_rules.filter((r) => r.direction === "egress")).toHaveLength(2);
      const ssh = await cnw.securityGroupOpenPort(group.id, 22);
      expect(ssh).toMatchObject({ protocol: "tcp", port_range_min: 22, port_range_max: 22, direction: "ingress" });
      const ping = await cnw.securityGroupAllowPing(group);
      expect(ping.protocol).toBe("icmp");
      const https = await cnw.createSecurityGroupRule({
        security_group_id: group.id,
        direction: "ingress",
        protocol: "tcp",
        port_range_min: "443",
        port_range_max: "443",
        remote_ip_prefix: "10.0.0.0/8",
      });
      expect(https.port_range_min).toBe(443);
      const duplicate = await cnw.securityGroupOpenPort(group.id, 22).catch((e: unknown) => e);
      expect(duplicate).toBeInstanceOf(Conflict);
      expect(duplicate).toMatchObject({ code: "SecurityGroupRuleExists" });
      await expect(
        cnw.createSecurityGroupRule({
          security_group_id: group.id,
          direction: "ingress",
          port_range_min: 90,
          port_range_max: 80,
        }),
      ).rejects.toThrow(expect.objectContaining({ field: "port_range_min" }) as never);
      const rules = await cnw.securityGroupRules({ security_group_id: group.id, direction: "ingress" });
      expect(rules.map((r) => r.id).sort()).toEqual([ssh.id, ping.id, https.id].sort());
      await cnw.deleteSecurityGroupRule(ping);
      await expect(cnw.getSecurityGroupRule(ping.id)).rejects.toThrow(NotFound);
      await group.get();
      expect(group.security_group_rules.map((r) => r.id)).not.toContain(ping.id);
      expect((await cnw.updateSecurityGroup(group, { description: "web+" })).description).toBe("web+");
      expect((await cnw.findSecurityGroup(`sg-${RUN}`))?.id).toBe(group.id);
    } finally {
      await cnw.deleteSecurityGroup(group);
    }
    await expect(cnw.getSecurityGroup(group.id)).rejects.toThrow(NotFound);
  });

  it("turns a used-up network quota into NetworkCountExceeded (OverLimit)", async () => {
    // In the admin project, so the demo user's tests running beside this one keep their quota.
    const adminProject = await adminProjectId();
    const count = (await admin.list({ project_id: adminProject })).length;
    await setNetworkQuota(adminProject, count);
    try {
      const error = await admin.create(`quota-${RUN}`).catch((e: unknown) => e);
      if (error instanceof Network) adminNetworks.push(error.id);
      expect(error).toBeInstanceOf(NetworkCountExceeded);
      expect(error).toBeInstanceOf(OverLimit);
      expect(error).toMatchObject({ status: 409, code: "OverQuota" });
    } finally {
      await setNetworkQuota(adminProject, undefined);
    }
  });

  it("stops listing when the signal fires", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(cnw.list({ signal: controller.signal })).rejects.toThrow(AbortError);
    await expect(cnw.get("x", { signal: controller.signal })).rejects.toThrow(AbortError);
  });

  it("routers and floating IPs need Neutron's L3 plugin", async () => {
    const extensions = await neutronGet("extensions");
    const aliases = (extensions.extensions as { alias: string }[]).map((e) => e.alias);
    if (!aliases.includes("router")) {
      console.warn(
        "SKIPPED: routers and floating IPs: the test stack's Neutron runs without the L3 router plugin " +
          '(service_plugins = ""), so /v2.0/routers and /v2.0/floatingips do not exist there',
      );
      await expect(cnw.routers()).rejects.toThrow(NotFound);
      return;
    }
    const external = track(
      await admin.create(`ext-${RUN}`, { cidr: "172.24.50.0/24", attributes: { "router:external": true } }),
      adminNetworks,
    );
    const internal = track(await cnw.create(`int-${RUN}`, { cidr: "10.80.0.0/24" }));
    const router = await cnw.createRouter({ name: `r-${RUN}`, external_gateway_info: { network_id: external.id } });
    try {
      expect(router.external_gateway_info?.network_id).toBe(external.id);
      const iface = await cnw.addInterfaceToRouter(router, internal.subnets[0]);
      expect(iface.subnet_id).toBe(internal.subnets[0]);
      const port = await cnw.createPort({ network_id: internal.id });
      const ip = await cnw.createIp({ floating_network_id: external.id, port_id: port.id });
      expect(ip.floating_ip_address).toMatch(/^172\.24\.50\.\d+$/);
      expect(ip.fixed_ip_address).toBe(port.fixed_ips[0]!.ip_address);
      expect(await cnw.findAvailableIp()).toBeUndefined();
      await cnw.updateIp(ip, { port_id: null });
      expect((await cnw.findAvailableIp())?.id).toBe(ip.id);
      await cnw.deleteIp(ip);
      await cnw.deletePort(port);
      await cnw.removeInterfaceFromRouter(router, { subnet_id: internal.subnets[0]! });
      await cnw.removeGatewayFromRouter(router);
      expect((await cnw.getRouter(router)).external_gateway_info).toBeNull();
    } finally {
      await cnw.deleteRouter(router);
    }
  });

  async function neutronGet(path: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${cloud.endpoint("network").replace(/\/+$/, "")}/v2.0/${path}`, {
      headers: { "x-auth-token": cloud.token },
    });
    return (await response.json()) as Record<string, unknown>;
  }

  async function adminToken(): Promise<string> {
    return (await cloud.login(cloud.stack.admin)).token;
  }

  async function adminProjectId(): Promise<string> {
    const token = await adminToken();
    const response = await fetch(`${cloud.stack.url}/auth/tokens`, {
      headers: { "x-auth-token": token, "x-subject-token": token },
    });
    return ((await response.json()) as { token: { project: { id: string } } }).token.project.id;
  }

  async function setNetworkQuota(project: string, networks: number | undefined): Promise<void> {
    const url = `${cloud.stack.networkUrls![cloud.region]}/v2.0/quotas/${project}`;
    const headers = { "x-auth-token": await adminToken(), "content-type": "application/json" };
    const response =
      networks === undefined
        ? await fetch(url, { method: "DELETE", headers })
        : await fetch(url, { method: "PUT", headers, body: JSON.stringify({ quota: { network: networks } }) });
    if (response.status >= 300) throw new Error(`quota: ${response.status} ${await response.text()}`);
  }
});
