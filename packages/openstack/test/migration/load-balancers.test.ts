// Idioms of public scripts written against pyrax's cloud_loadbalancers, ported line by line and run
// against the real Octavia of the shared stack. Each names its source; each asserts what the Python
// code relied on (lb.nodes after a wait, node.update() pushing a diff, NotFound on a gone node ...).
// On OpenStack a VIP comes from a subnet: the scripts' `clb.VirtualIP(type="PUBLIC")` takes the one
// `connectToCloudLoadbalancers({ vipSubnets })` names, the only line a port adds.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { Pyrax, exc, type CloudLoadBalancer, type CloudLoadBalancers, type Node } from "../../src/index.js";
import { sharedComputeCloud, type ComputeCloud } from "../helpers/stack.js";

const RUN = randomBytes(3).toString("hex");
const SUBNET = "8d2b0f4e-3c1a-4e6b-9f70-5a4c3b2d1e0f";
jest.setTimeout(300_000);

describe("pyrax cloud_loadbalancers idioms", () => {
  let cloud: ComputeCloud;
  let pyrax: Pyrax;
  let clb: CloudLoadBalancers;
  const made: string[] = [];
  let lb: CloudLoadBalancer;

  beforeAll(async () => {
    cloud = await sharedComputeCloud();
    pyrax = new Pyrax({ configPath: "/nonexistent/pyrax.cfg", env: {} });
    pyrax.setSetting("identity_type", "keystone");
    pyrax.setSetting("auth_endpoint", cloud.stack.url);
    const { username, password, projectName } = cloud.stack.credentials;
    await pyrax.setCredentials(username, password, { tenantName: projectName });
    await pyrax.connectToCloudLoadbalancers({ vipSubnets: { PUBLIC: SUBNET } });
  }, 15 * 60_000);

  afterAll(async () => {
    for (const id of made) await clb?.delete(id).catch(() => undefined);
    await pyrax?.close();
  });

  it("creates a load balancer as pyrax's samples/cloud_loadbalancers/create_lb.py does", async () => {
    // clb = pyrax.cloud_loadbalancers
    clb = pyrax.cloudLoadbalancers!;
    // lb_name = pyrax.utils.random_ascii(length=8)
    const lbName = `${pyrax.utils.randomAscii(8)}-${RUN}`;
    // node = clb.Node(address="10.177.1.1", port=80, condition="ENABLED")
    const node = clb.Node({ address: "10.177.1.1", port: 80, condition: "ENABLED" });
    // vip = clb.VirtualIP(type="PUBLIC")
    const vip = clb.VirtualIP({ type: "PUBLIC" });
    // lb = clb.create(lb_name, port=80, protocol="HTTP", nodes=[node], virtual_ips=[vip])
    lb = await clb.create(lbName, { port: 80, protocol: "HTTP", nodes: [node], virtualIps: [vip] });
    made.push(lb.id);
    // print("Node:", node.to_dict()); print("Virtual IP:", vip.to_dict())
    expect(node.toDict()).toEqual({
      address: "10.177.1.1",
      port: 80,
      condition: "ENABLED",
      type: undefined,
      id: undefined,
      weight: 1,
    });
    expect(vip.toDict()).toEqual({ type: "PUBLIC", ipVersion: "IPV4" });
    // pyrax's default algorithm is RANDOM, which Octavia lacks: an unnamed algorithm is ROUND_ROBIN.
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", { interval: 0.5 });
    expect(lb.algorithm).toBe("ROUND_ROBIN");
  });

  it("reads attributes as samples/cloud_loadbalancers/get_lb_attributes.py and list_algorithms.py do", async () => {
    // lb = clb.list()[0]   (the shared stack holds others' load balancers: this run's, by name)
    const listed = (await clb.list()).find((l) => l.id === lb.id)!;
    // print("Name:", lb.name) ... print("Protocol:", lb.protocol)
    expect([listed.name, listed.id, listed.status, listed.algorithm, listed.protocol]).toEqual([
      lb.name,
      lb.id,
      "ACTIVE",
      "ROUND_ROBIN",
      "HTTP",
    ]);
    // print("Nodes:", lb.nodes): pyrax loads a listed load balancer's nodes when asked
    expect(listed.nodes!.map((n) => n.address)).toEqual(["10.177.1.1"]);
    expect(listed.virtual_ips.map((v) => v.type)).toEqual(["PUBLIC"]);
    // print(clb.algorithms); print(clb.protocols)
    expect(await clb.algorithms).toContain("LEAST_CONNECTIONS");
    expect(await clb.protocols).toContain("TCP");
  });

  it("adds and removes a node as samples/cloud_loadbalancers/add_remove_node.py does", async () => {
    // new_node = clb.Node(address="10.177.1.2", port=80, condition="ENABLED")
    const newNode = clb.Node({ address: "10.177.1.2", port: 80, condition: "ENABLED" });
    // lb.add_nodes([new_node])
    await lb.addNodes([newNode]);
    // pyrax.utils.wait_until(lb, "status", "ACTIVE", interval=1, attempts=30, verbose=True)
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", { interval: 1, attempts: 30 });
    // added_node = [node for node in lb.nodes if node.address == new_node.address][0]
    const addedNode = lb.nodes!.filter((node) => node.address === newNode.address)[0]!;
    expect(addedNode.id).toBe(newNode.id);
    // added_node.delete()
    await addedNode.delete();
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", { interval: 1, attempts: 30 });
    // print("After removing node:", lb.nodes)
    expect(lb.nodes!.map((n) => n.address)).toEqual(["10.177.1.1"]);
  });

  it("toggles a node's condition as samples/cloud_loadbalancers/node_condition.py does", async () => {
    // node = lb.nodes[0]
    const node = lb.nodes![0]!;
    // node.condition = "DISABLED" if node.condition == "ENABLED" else "ENABLED"
    node.condition = node.condition === "ENABLED" ? "DISABLED" : "ENABLED";
    // node.update()
    await node.update();
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", { interval: 0.5 });
    expect(lb.nodes![0]!.condition).toBe("DISABLED");
    // a node without changes sends nothing (pyrax's `if not diff: return`)
    await lb.nodes![0]!.update();
    expect(lb.status).toBe("ACTIVE");
  });

  it("switches session persistence as samples/cloud_loadbalancers/session_persistence.py does", async () => {
    // orig = lb.session_persistence
    const orig = await lb.getSessionPersistence();
    expect(orig).toBe("");
    // lb.session_persistence = "HTTP_COOKIE"  (a property setter in pyrax; a call here, as it is a request)
    await lb.setSessionPersistence("HTTP_COOKIE");
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", { interval: 0.5 });
    expect(lb.session_persistence).toBe("HTTP_COOKIE");
    // lb.session_persistence = ""
    await lb.setSessionPersistence("");
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", { interval: 0.5 });
    expect(lb.session_persistence).toBe("");
  });

  it("builds nodes as samples/cloud_loadbalancers/create_node.py does", () => {
    // node = clb.Node(address="10.1.1.1", port=80, condition="DISABLED")
    const node = clb.Node({ address: "10.1.1.1", port: 80, condition: "DISABLED" });
    expect([node.address, node.port, node.condition]).toEqual(["10.1.1.1", 80, "DISABLED"]);
    // "Actually, 'condition' is optional; it will default to 'ENABLED'."
    const nodeDefault = clb.Node({ address: "10.1.1.2", port: 80 });
    expect(nodeDefault.condition).toBe("ENABLED");
  });

  it("builds virtual IPs as samples/cloud_loadbalancers/create_vip.py does", () => {
    // vip = clb.VirtualIP(): type PUBLIC, address None, ip_version IPV4, id None
    const vip = clb.VirtualIP();
    expect([vip.type, vip.address, vip.ip_version, vip.id]).toEqual(["PUBLIC", undefined, "IPV4", undefined]);
    // vip = clb.VirtualIP(type="SERVICENET", address="1.2.3.4", ipVersion="IPV4", id=999)
    const given = clb.VirtualIP({ type: "SERVICENET", address: "1.2.3.4", ipVersion: "IPV4", id: 999 });
    expect(given.toJSON()).toEqual({ type: "SERVICENET", address: "1.2.3.4", ipVersion: "IPV4", id: "999" });
    expect(() => clb.VirtualIP({ type: "PRIVATE" })).toThrow(exc.InvalidVirtualIPType);
  });

  it("lists protocols as samples/cloud_loadbalancers/list_protocols.py does", async () => {
    // print("Protocols:", clb.protocols): Octavia's listener protocols
    const protocols = await clb.protocols;
    expect(Array.isArray(protocols)).toBe(true);
    expect(protocols).toEqual(expect.arrayContaining(["HTTP", "HTTPS", "TCP", "UDP"]));
  });

  // The next four samples use settings Octavia has no counterpart for (settings.ts): reading gives what
  // Octavia keeps (nothing), and a change is refused by name (InvalidLoadBalancerParameters), never dropped.
  it("toggles content caching as samples/cloud_loadbalancers/content_caching.py does: Octavia caches nothing", async () => {
    // lb = clb.list()[0]; orig = lb.content_caching
    const target = (await clb.list()).find((l) => l.id === lb.id)!;
    const orig = await target.getContentCaching();
    expect(orig).toBe(false);
    // lb.content_caching = not orig
    const error = await target.setContentCaching(!orig).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(exc.InvalidLoadBalancerParameters);
    expect(error).toMatchObject({ message: expect.stringMatching(/^contentCaching: Octavia caches no content/) });
    await target.setContentCaching(false);
    expect(await target.getContentCaching()).toBe(false);
  });

  it("edits metadata as samples/cloud_loadbalancers/metadata.py does: Octavia keeps none (tags only)", async () => {
    const target = (await clb.list()).find((l) => l.id === lb.id)!;
    // orig_meta = lb.get_metadata()
    expect(await target.getMetadata()).toEqual({});
    // lb.set_metadata({"a": "one", "b": "two", "c": "three"}); lb.update_metadata({"d": "four"})
    await expect(target.setMetadata({ a: "one", b: "two", c: "three" })).rejects.toThrow(
      exc.InvalidLoadBalancerParameters,
    );
    await expect(target.updateMetadata({ d: "four" })).rejects.toThrow(/metadata: Octavia keeps no metadata/);
    // lb.delete_metadata(): there is nothing to delete
    await target.deleteMetadata();
    expect(await target.getMetadata()).toEqual({});
  });

  it("configures SSL termination as samples/cloud_loadbalancers/ssl_termination.py does: not in Octavia's form", async () => {
    const target = (await clb.list()).find((l) => l.id === lb.id)!;
    // orig = lb.get_ssl_termination(): {} when none is configured
    const orig = await target.getSslTermination();
    expect(orig).toEqual({});
    // lb.add_ssl_termination(securePort=443, secureTrafficOnly=False, certificate=..., privatekey=...)
    const error = await target
      .addSslTermination({
        securePort: 443,
        secureTrafficOnly: false,
        certificate: "dummy_certificate",
        privatekey: "dummy_private_key",
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(exc.InvalidLoadBalancerParameters);
    expect(error).toMatchObject({ message: expect.stringMatching(/TERMINATED_HTTPS listener.*Barbican/) });
    // The call's own checks come first, as pyrax's: a missing key is named.
    await expect(target.addSslTermination({ securePort: 443, certificate: "c" })).rejects.toThrow(
      exc.MissingLoadBalancerParameters,
    );
  });

  it("asks for usage as samples/cloud_loadbalancers/get_usage.py does: Octavia keeps no usage records", async () => {
    // usage = clb.get_usage()
    await expect(clb.getUsage()).rejects.toThrow(exc.NotImplementedYet);
  });

  it("throttles connections with pyrax's lb.add_connection_throttle / get / delete: maxConnections only on Octavia", async () => {
    const target = await clb.get(lb.id);
    // lb.get_connection_throttle(): {} when none is set
    expect(await target.getConnectionThrottle()).toEqual({});
    // lb.add_connection_throttle(maxConnectionRate=50, maxConnections=100, minConnections=10, rateInterval=60):
    // Octavia keeps a listener's connection limit only, so the others are refused by name ...
    const error = await target
      .addConnectionThrottle({ maxConnectionRate: 50, maxConnections: 100, minConnections: 10, rateInterval: 60 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(exc.InvalidLoadBalancerParameters);
    expect(error).toMatchObject({ message: expect.stringMatching(/^connectionThrottle\.maxConnectionRate: Octavia/) });
    // ... and lb.add_connection_throttle(maxConnections=100) is the listener's connection_limit.
    await target.addConnectionThrottle({ maxConnections: 100 });
    await pyrax.utils.waitUntil(target, "status", "ACTIVE", { interval: 0.5 });
    expect(await target.getConnectionThrottle()).toEqual({ maxConnections: 100 });
    expect((await clb.octavia.listeners.getRecord(target.octavia!.listener!.id)).connection_limit).toBe(100);
    // lb.delete_connection_throttle()
    await target.deleteConnectionThrottle();
    await pyrax.utils.waitUntil(target, "status", "ACTIVE", { interval: 0.5 });
    expect(await target.getConnectionThrottle()).toEqual({});
    await expect(target.addConnectionThrottle()).rejects.toThrow(exc.MissingLoadBalancerParameters);
  });

  it("manages nodes as Ansible's rax_clb_nodes module does", async () => {
    // Source: ansible community.general plugins/modules/rax_clb_nodes.py
    // def _get_node(lb, node_id=None, address=None, port=None): first node of lb.nodes matching all given
    const getNode = (balancer: CloudLoadBalancer, nodeId?: string, address?: string, port?: number): Node | undefined =>
      (balancer.nodes ?? []).find((node) => {
        const matchList: boolean[] = [];
        if (nodeId !== undefined) matchList.push(node.id === nodeId);
        if (address !== undefined) matchList.push(node.address === address);
        if (port !== undefined) matchList.push(node.port === port);
        return matchList.length > 0 && matchList.every(Boolean);
      });
    // lb = pyrax.cloud_loadbalancers.get(load_balancer_id)
    let balancer = await pyrax.cloudLoadbalancers!.get(lb.id);
    expect(getNode(balancer, undefined, "10.177.1.9", 8080)).toBeUndefined();
    // node = pyrax.cloudloadbalancers.Node(address=address, port=port, condition=condition, weight=weight, type=typ)
    const node = clb.Node({ address: "10.177.1.9", port: 8080, condition: "ENABLED", weight: 2, type: "PRIMARY" });
    // resp, body = lb.add_nodes([node])   (here: the nodes as made, ids included)
    const [added] = await balancer.addNodes([node]);
    expect(added!.id).toBeDefined();
    // pyrax.utils.wait_until(lb, "status", "ACTIVE", interval=1, attempts=wait_timeout)
    await pyrax.utils.waitUntil(balancer, "status", "ACTIVE", { interval: 1, attempts: 60 });
    // if lb.status != 'ACTIVE': module.fail_json(...)
    expect(balancer.status).toBe("ACTIVE");
    // mutable = {'condition': condition, 'type': typ, 'weight': weight}, minus unchanged; lb.update_node(node, diff=mutable)
    const existing = getNode(balancer, undefined, "10.177.1.9", 8080)!;
    const mutable: Record<string, unknown> = { condition: "DRAINING", type: "SECONDARY", weight: 2 };
    for (const name of Object.keys(mutable)) {
      if (mutable[name] === undefined || mutable[name] === (existing as unknown as Record<string, unknown>)[name])
        delete mutable[name];
    }
    expect(mutable).toEqual({ condition: "DRAINING", type: "SECONDARY" });
    await balancer.updateNode(existing, mutable);
    await pyrax.utils.waitUntil(balancer, "status", "ACTIVE", { interval: 1, attempts: 60 });
    expect(getNode(balancer, existing.id)).toMatchObject({ condition: "DRAINING", type: "SECONDARY" });
    // state == 'absent': lb.delete_node(node), and `except pyrax.exc.NotFound` for one already gone
    await balancer.deleteNode(existing);
    await pyrax.utils.waitUntil(balancer, "status", "ACTIVE", { interval: 1, attempts: 60 });
    await expect(balancer.deleteNode(existing)).rejects.toBeInstanceOf(exc.NotFound);
    balancer = await clb.get(lb.id);
    expect(getNode(balancer, existing.id)).toBeUndefined();
  });

  it("finds, creates and updates load balancers as Ansible's rax_clb module does", async () => {
    // Source: ansible community.general plugins/modules/rax_clb.py
    const name = `clb-${RUN}`;
    // balancer_list = clb.list(); while balancer_list: retrieved = clb.list(marker=balancer_list.pop().id) ...
    const balancerList = await clb.list();
    while (balancerList.length) {
      const retrieved = await clb.list({ marker: balancerList.pop()!.id });
      balancerList.push(...retrieved);
      if (retrieved.length < 2) break;
    }
    // balancers = [b for b in balancer_list if name in (b.name, b.id)]
    let balancers = balancerList.filter((b) => name === b.name || name === b.id);
    expect(balancers).toEqual([]);
    // virtual_ips = [clb.VirtualIP(type=vip_type, id=vip_id)]   (vip_id None)
    const virtualIps = [clb.VirtualIP({ type: "PUBLIC", id: undefined })];
    // balancer = clb.create(name, metadata=metadata, port=port, algorithm=algorithm, protocol=protocol,
    //                       timeout=timeout, virtual_ips=virtual_ips)   (metadata None without `meta`)
    const balancer = await clb.create(name, {
      metadata: null,
      port: 80,
      algorithm: "LEAST_CONNECTIONS",
      protocol: "HTTP",
      timeout: 30,
      virtualIps,
    });
    made.push(balancer.id);
    await pyrax.utils.waitUntil(balancer, "status", "ACTIVE", { interval: 0.5 });
    // atts = {'name', 'algorithm', 'port', 'protocol', 'timeout'}; changed when getattr(balancer, att) != value
    const atts = { name, algorithm: "ROUND_ROBIN", port: 80, protocol: "HTTP", timeout: 30 };
    const changed = Object.entries(atts).some(
      ([att, value]) => (balancer as unknown as Record<string, unknown>)[att] !== value,
    );
    expect(changed).toBe(true);
    // balancer.update(**atts): the unchanged port and protocol are no change, so Octavia can take it
    await balancer.update(atts);
    await pyrax.utils.waitUntil(balancer, "status", "ACTIVE", { interval: 0.5 });
    expect(balancer.algorithm).toBe("ROUND_ROBIN");
    // A real change of port is refused by name (Octavia keeps a listener's port): nothing sent.
    await expect(balancer.update({ ...atts, port: 8080 })).rejects.toBeInstanceOf(exc.InvalidLoadBalancerParameters);
    balancers = (await clb.list()).filter((b) => name === b.name || name === b.id);
    expect(balancers.map((b) => b.id)).toEqual([balancer.id]);
    // state == 'absent': balancer.delete(), then wait_until(balancer, 'status', 'DELETED')
    await balancer.delete();
    await pyrax.utils.waitUntil(balancer, "status", "DELETED", { interval: 0.5 });
    expect(balancer.status).toBe("DELETED");
  });
});
