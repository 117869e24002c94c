// Idioms of public scripts written against pyrax's cloud_networks and openstacksdk's network proxy,
// ported line by line and run against the real Neutron (and Nova) of the shared stack. Each names its
// source; each asserts what the Python code relied on (return shapes, None, errors).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { BadRequest, CloudServers, NetworkInUse, NetworkNotFound, exc, utils } from "../../src/index.js";
import { CloudNetworks, PUBLIC_NET_ID, SERVICE_NET_ID, type Network } from "../../src/resources/network/index.js";
import { sharedComputeCloud, type ComputeCloud } from "../helpers/stack.js";

const RUN = randomBytes(3).toString("hex");
const FAST = { interval: 0.3, timeout: 90 };
jest.setTimeout(180_000);

describe("pyrax cloud_networks / openstacksdk network idioms", () => {
  let cloud: ComputeCloud;
  let cnw: CloudNetworks;
  let conn: { network: CloudNetworks };
  let cs: CloudServers;
  let admin: CloudNetworks;
  let extNetId: string | undefined;
  const networks: string[] = [];
  const groups: string[] = [];
  const track = (network: Network) => (networks.push(network.id), network);

  beforeAll(async () => {
    cloud = await sharedComputeCloud();
    cnw = new CloudNetworks({ endpoint: cloud.endpoint("network"), region: cloud.region, auth: cloud.auth });
    // openstacksdk's conn.network is the same client.
    conn = { network: cnw };
    cs = new CloudServers({ endpoint: cloud.endpoint("compute"), region: cloud.region, auth: cloud.auth });
    const login = await cloud.login(cloud.stack.admin);
    admin = new CloudNetworks({
      endpoint: cloud.stack.networkUrls![cloud.region]!,
      region: cloud.region,
      auth: { authorize: (request) => void (request.headers["x-auth-token"] = login.token) },
    });
  }, 15 * 60_000);

  afterAll(async () => {
    for (const id of groups) await cnw.deleteSecurityGroup(id).catch(() => undefined);
    for (const id of networks) await cnw.delete(id).catch(() => undefined);
    if (extNetId) await admin.delete(extNetId).catch(() => undefined);
    await Promise.allSettled([cnw?.close(), cs?.close(), admin?.close()]);
  }, 120_000);

  it("pyrax samples/cloud_networks/create_network.py: list label/cidr/id, then create(name, cidr=…)", async () => {
    // nets = cnw.list(); for net in nets: print net.label, net.cidr, net.id
    for (const net of await cnw.list()) {
      expect(typeof net.label).toBe("string");
      expect(net.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(net.cidr === undefined || /\/\d+$/.test(net.cidr)).toBe(true);
    }
    // new_net = cnw.create(new_network_name, cidr=new_network_cidr)
    const newNet = track(await cnw.create(`SAMPLE_NETWORK_${RUN}`, { cidr: "192.168.0.0/24" }));
    expect(newNet.label).toBe(`SAMPLE_NETWORK_${RUN}`);
    expect(newNet.cidr).toBe("192.168.0.0/24");
    expect((await cnw.list()).map((n) => n.id)).toContain(newNet.id);
  });

  it("pyrax samples/cloud_networks/create_bastion.py: get_server_networks for a bastion and an isolated server", async () => {
    const newNet = track(await cnw.create(`bastion_${RUN}`, { cidr: "192.168.1.0/24" }));
    // networks = new_net.get_server_networks(public=True, private=True)
    const bastionNics = newNet.getServerNetworks({ public: true, private: true });
    expect(bastionNics).toEqual([{ "net-id": newNet.id }, { "net-id": PUBLIC_NET_ID }, { "net-id": SERVICE_NET_ID }]);
    // networks = new_net.get_server_networks(public=False, private=False)
    const networks = newNet.getServerNetworks(false, false);
    // isolated = cs.servers.create("isolated", img_id, flavor_id, nics=networks)
    const isolated = await cs.servers.create(`isolated-${RUN}`, cloud.stack.image!.id, "1", { nics: networks });
    try {
      // pyrax.utils.wait_until(isolated, "status", ("ERROR", "ACTIVE"), attempts=0, interval=10, verbose=True)
      await utils.waitUntil(isolated, "status", ["ERROR", "ACTIVE"], { ...FAST, attempts: 0 });
      // isolated = cs.servers.get(iso_id); pprint(isolated.networks)
      const fresh = await cs.servers.get(isolated.id);
      expect(fresh.status).toBe("ACTIVE");
      expect(Object.keys(fresh.networks)).toEqual([`bastion_${RUN}`]);
      expect(fresh.networks[`bastion_${RUN}`]![0]).toMatch(/^192\.168\.1\.\d+$/);
      // The script relied on the network staying while the server is on it.
      await expect(newNet.delete()).rejects.toThrow(NetworkInUse);
    } finally {
      await cs.servers.delete(isolated.id);
      await utils
        .waitUntil({ status: "", get: () => cs.servers.get(isolated.id) }, "status", "DELETED", FAST)
        .catch(() => undefined);
    }
  });

  it("pyrax samples/cloud_networks/delete_network.py: find_network_by_label, except exc.NetworkNotFound", async () => {
    // try: net = cnw.find_network_by_label(network_name) except exc.NetworkNotFound: print(msg); exit()
    let caught = false;
    try {
      await cnw.findNetworkByLabel(`SAMPLE_MISSING_${RUN}`);
    } catch (error) {
      if (!(error instanceof exc.NetworkNotFound)) throw error;
      caught = true;
    }
    expect(caught).toBe(true);
    const created = await cnw.create(`SAMPLE_DEL_${RUN}`, { cidr: "192.168.2.0/24" });
    const net = await cnw.findNetworkByLabel(`SAMPLE_DEL_${RUN}`);
    // net.delete()
    await net.delete();
    await expect(cnw.get(created.id)).rejects.toThrow(NetworkNotFound);
  });

  it("pyrax docs/cloud_networks.md: the pseudo-network ids are on the client, and label and name are one", async () => {
    // pyrax.cloud_networks.PUBLIC_NET_ID / SERVICE_NET_ID
    expect(cnw.PUBLIC_NET_ID).toBe("00000000-0000-0000-0000-000000000000");
    expect(cnw.SERVICE_NET_ID).toBe("11111111-1111-1111-1111-111111111111");
    // cnw.create("my_net", cidr=...) with name= instead of label=: the same network
    const net = track(await cnw.create(undefined, `named_${RUN}`, "192.168.3.0/24"));
    expect(net.label).toBe(net.name);
    expect((await cnw.findNetworkByName(`named_${RUN}`)).id).toBe(net.id);
  });

  it("openstacksdk examples/network/create.py: find-or-create a network, subnet, router and security group", async () => {
    const name = `netty_${RUN}`;
    const run = async () => {
      // network = conn.network.find_network(name); if network is None: network = conn.network.create_network(name=name)
      let network = await conn.network.findNetwork(name);
      if (network === undefined) network = track(await conn.network.create({ name }));
      // subnet = conn.network.find_subnet(name); if subnet is None: conn.network.create_subnet(**args)
      let subnet = await conn.network.findSubnet(name);
      if (subnet === undefined) {
        subnet = await conn.network.createSubnet({
          name,
          network_id: network.id,
          ip_version: "4",
          dns_nameservers: ["206.164.176.34"],
          cidr: "10.3.3.0/24",
        });
      }
      // extnet = conn.network.find_network("Ext-Net"); router = conn.network.find_router(name)
      const extnet = await conn.network.findNetwork(`Ext-Net-${RUN}`);
      let router = await conn.network.findRouter(name);
      if (router === undefined) {
        // router = conn.network.create_router(name=name, external_gateway_info={"network_id": extnet.id})
        router = await conn.network.createRouter({ name, external_gateway_info: { network_id: extnet!.id } });
        // conn.network.router_add_interface(router, subnet.id)
        await conn.network.routerAddInterface(router, subnet.id);
      }
      // sg = conn.network.find_security_group(name); if sg is None: create, open 80 and 22, allow ping
      let sg = await conn.network.findSecurityGroup(name);
      if (sg === undefined) {
        sg = await conn.network.createSecurityGroup({ name });
        groups.push(sg.id);
        for (const port of [80, 22]) await conn.network.securityGroupOpenPort(sg.id, port);
        await conn.network.securityGroupAllowPing(sg.id);
      }
      return { network, subnet, sg, router };
    };
    // The cloud's external network, as an administrator sets it up.
    extNetId = (
      await admin.create(`Ext-Net-${RUN}`, { cidr: "172.24.60.0/24", attributes: { "router:external": true } })
    ).id;
    const first = await run();
    // Run again: everything is found, nothing is made twice.
    const second = await run();
    expect(second.network.id).toBe(first.network.id);
    expect(second.subnet.id).toBe(first.subnet.id);
    expect(second.sg.id).toBe(first.sg.id);
    expect(second.router.id).toBe(first.router.id);
    expect(first.router.external_gateway_info?.network_id).toBe(extNetId);
    const routerPorts = await cnw.ports({ device_id: first.router.id, network_id: first.network.id });
    expect(routerPorts.map((p) => p.fixed_ips[0]!.ip_address)).toEqual(["10.3.3.1"]);
    expect(first.subnet).toMatchObject({ ip_version: 4, cidr: "10.3.3.0/24" });
    const ingress = await cnw.securityGroupRules({ security_group_id: first.sg.id, direction: "ingress" });
    expect(ingress.map((r) => `${r.protocol}:${r.port_range_min ?? ""}`).sort()).toEqual(["icmp:", "tcp:22", "tcp:80"]);
  });

  it("openstacksdk examples/network/delete.py: router interface, ports of the subnet, router, subnet, network", async () => {
    const name = `teardown_${RUN}`;
    const net = track(await cnw.create(name));
    const made = await cnw.createSubnet({ name, network_id: net.id, cidr: "10.4.4.0/24" });
    const madeRouter = await cnw.createRouter({ name });
    await cnw.addInterfaceToRouter(madeRouter, made.id);
    // router = conn.network.find_router(name)
    const router = await conn.network.findRouter(name);
    expect(router?.id).toBe(madeRouter.id);
    await cnw.createPort({ network_id: net.id, fixed_ips: [{ subnet_id: made.id }] });
    await cnw.createPort({ network_id: net.id, fixed_ips: [{ subnet_id: made.id }] });
    // subnet = conn.network.find_subnet(name)
    const subnet = await conn.network.findSubnet(name);
    expect(subnet?.id).toBe(made.id);
    // if router: try: conn.network.router_remove_interface(router, subnet.id) except Exception: pass
    if (router) await conn.network.routerRemoveInterface(router, subnet!.id).catch(() => undefined);
    // for port in conn.network.get_subnet_ports(subnet.id): conn.delete(port)
    for await (const port of conn.network.getSubnetPorts(subnet!.id)) await port.delete();
    // if router is not None: conn.delete(router); if subnet: conn.delete(subnet)
    if (router !== undefined) await router.delete();
    await subnet!.delete();
    // network = conn.network.find_network(name); if network is not None: conn.delete(network)
    const network = await conn.network.findNetwork(name);
    if (network !== undefined) await network.delete();
    expect(await conn.network.findNetwork(name)).toBeUndefined();
    expect(await conn.network.findSubnet(name)).toBeUndefined();
    expect(await conn.network.findRouter(name)).toBeUndefined();
  });

  it("openstacksdk examples/network/security_group_rules.py: open a port with string ports, allow ping", async () => {
    // example_sec_group = conn.network.create_security_group(name='openstacksdk-example-security-group')
    const group = await conn.network.createSecurityGroup({ name: `openstacksdk-example-security-group-${RUN}` });
    groups.push(group.id);
    // create_security_group_rule(..., protocol='HTTPS', port_range_max='443', port_range_min='443', ethertype='IPv4')
    // Neutron knows no protocol named HTTPS: the Python call got a 400, and so does this one.
    const https = await conn.network
      .createSecurityGroupRule({
        security_group_id: group.id,
        direction: "ingress",
        remote_ip_prefix: "0.0.0.0/0",
        protocol: "HTTPS",
        port_range_max: "443",
        port_range_min: "443",
        ethertype: "IPv4",
      })
      .catch((e: unknown) => e);
    expect(https).toBeInstanceOf(BadRequest);
    // With protocol='tcp' the string ports are taken.
    const tcp = await conn.network.createSecurityGroupRule({
      security_group_id: group.id,
      direction: "ingress",
      remote_ip_prefix: "0.0.0.0/0",
      protocol: "tcp",
      port_range_max: "443",
      port_range_min: "443",
      ethertype: "IPv4",
    });
    expect(tcp).toMatchObject({ port_range_min: 443, port_range_max: 443, protocol: "tcp" });
    // allow_ping: protocol='icmp', port_range_max=None, port_range_min=None
    const ping = await conn.network.createSecurityGroupRule({
      security_group_id: group.id,
      direction: "ingress",
      remote_ip_prefix: "0.0.0.0/0",
      protocol: "icmp",
      port_range_max: null,
      port_range_min: null,
      ethertype: "IPv4",
    });
    expect(ping).toMatchObject({ protocol: "icmp", port_range_min: null, port_range_max: null });
  });

  it("openstacksdk examples/network/list.py and find.py: iterate networks(), find_network gives None", async () => {
    const net = track(await cnw.create(`listed_${RUN}`));
    // for network in conn.network.networks(): print(network)
    const names: string[] = [];
    for await (const network of conn.network.networks()) names.push(network.name);
    expect(names).toContain(`listed_${RUN}`);
    // network = conn.network.find_network(examples.connect.NETWORK_NAME); print(network)
    expect((await conn.network.findNetwork(`listed_${RUN}`))?.id).toBe(net.id);
    expect((await conn.network.findNetwork(net.id))?.name).toBe(`listed_${RUN}`);
    expect(await conn.network.findNetwork(`absent_${RUN}`)).toBeUndefined();
  });
});
