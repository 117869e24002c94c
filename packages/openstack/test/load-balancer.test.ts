// pyrax.cloudLoadbalancers against the real Octavia of the shared stack (api and worker, amphora provider
// with the noop drivers): every call of the snippet, the mapping of pyrax's one load balancer onto
// Octavia's load balancer, listener, pool, members and health monitor, the typed errors (a change while
// PENDING_UPDATE, a bad node address, the quota), and Octavia's own objects for openstacksdk users.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import {
  CloudLoadBalancer,
  CloudLoadBalancers,
  ImmutableEntity,
  InvalidLoadBalancerParameters,
  InvalidNodeCondition,
  InvalidNodeParameters,
  InvalidSessionPersistenceType,
  InvalidVirtualIPType,
  MissingLoadBalancerParameters,
  NotFound,
  OverLimit,
  ProtocolMismatch,
  Pyrax,
  UnattachedNode,
} from "../src/index.js";
import { sharedComputeCloud, type ComputeCloud } from "./helpers/stack.js";

const RUN = randomBytes(3).toString("hex");
const named = (label: string) => `${label}-${RUN}`;
// The noop drivers accept any subnet id; a real cloud's would be a Neutron subnet.
const SUBNET = "4f1c6a9e-0b7d-4d2a-9a51-2f0e7b6c1d11";
jest.setTimeout(300_000);

describe("pyrax.cloudLoadbalancers on Octavia", () => {
  let cloud: ComputeCloud;
  let pyrax: Pyrax;
  let clb: CloudLoadBalancers;
  const made: string[] = [];
  const active = (lb: CloudLoadBalancer) => pyrax.utils.waitUntil(lb, "status", "ACTIVE", { interval: 0.5 });

  beforeAll(async () => {
    cloud = await sharedComputeCloud();
    if (!cloud.stack.loadBalancerUrl)
      throw new Error("the shared stack runs no Octavia (services must include loadBalancer)");
    pyrax = new Pyrax({ configPath: "/nonexistent/pyrax.cfg", env: {} });
    pyrax.setSetting("identity_type", "keystone");
    pyrax.setSetting("auth_endpoint", cloud.stack.url);
  }, 15 * 60_000);

  afterAll(async () => {
    for (const id of made) await clb?.delete(id).catch(() => undefined);
    await pyrax?.close();
  });

  it("is null before authentication, then Octavia's client", async () => {
    expect(pyrax.cloudLoadbalancers).toBeNull();
    const { username, password, projectName } = cloud.stack.credentials;
    await pyrax.setCredentials(username, password, { tenantName: projectName });
    clb = pyrax.cloudLoadbalancers!;
    expect(clb).toBeInstanceOf(CloudLoadBalancers);
    expect(clb.octavia.root.href).toBe(`${cloud.stack.loadBalancerUrl}/v2/lbaas/`);
    expect(await pyrax.connectToCloudLoadbalancers({ vipSubnets: { PUBLIC: SUBNET } })).toBe(clb);
    expect(await clb.algorithms).toEqual(["ROUND_ROBIN", "LEAST_CONNECTIONS", "SOURCE_IP", "SOURCE_IP_PORT"]);
    expect(await clb.protocols).toContain("HTTP");
  });

  it("runs the issue's snippet: create, wait, add nodes, update, health monitor, nodes, list, delete", async () => {
    const node = clb.Node({ address: "10.0.0.5", port: 80, condition: "ENABLED" });
    const vip = clb.VirtualIP({ type: "PUBLIC" });
    const lb = await clb.create(named("web-lb"), {
      port: 80,
      protocol: "HTTP",
      nodes: [node],
      virtualIps: [vip],
      algorithm: "ROUND_ROBIN",
    });
    made.push(lb.id);
    await active(lb);
    expect(lb.status).toBe("ACTIVE");
    expect([lb.name, lb.port, lb.protocol, lb.algorithm]).toEqual([named("web-lb"), 80, "HTTP", "ROUND_ROBIN"]);
    expect(lb.nodes!.map((n) => [n.address, n.port, n.condition, n.type])).toEqual([
      ["10.0.0.5", 80, "ENABLED", "PRIMARY"],
    ]);
    expect(lb.virtual_ips).toHaveLength(1);
    expect(lb.virtual_ips[0]!.type).toBe("PUBLIC");
    expect(lb.virtual_ips[0]!.address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // Behind it: one Octavia load balancer, listener, pool and member.
    expect(lb.octavia!.lb.vip_subnet_id).toBe(SUBNET);
    expect(lb.octavia!.listener!.protocol_port).toBe(80);
    expect(lb.octavia!.members!.map((m) => m.address)).toEqual(["10.0.0.5"]);

    const added = await lb.addNodes([clb.Node({ address: "10.0.0.6", port: 80 })]);
    expect(added[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(added[0]!.parent).toBe(lb);
    await active(lb);
    await lb.update({ algorithm: "LEAST_CONNECTIONS" });
    await active(lb);
    expect(lb.algorithm).toBe("LEAST_CONNECTIONS");
    await lb.addHealthMonitor({ type: "HTTP", delay: 10, timeout: 5, attemptsBeforeDeactivation: 3, path: "/" });
    await active(lb);
    expect(await lb.getHealthMonitor()).toMatchObject({
      type: "HTTP",
      delay: 10,
      timeout: 5,
      attemptsBeforeDeactivation: 3,
      path: "/",
    });

    const nodes = await lb.listNodes();
    expect(nodes.map((n) => n.address).sort()).toEqual(["10.0.0.5", "10.0.0.6"]);
    await lb.deleteNode(nodes.find((n) => n.address === "10.0.0.5")!);
    await active(lb);
    expect((await lb.listNodes()).map((n) => n.address)).toEqual(["10.0.0.6"]);

    const listed = await clb.list();
    expect(listed.find((l) => l.id === lb.id)).toMatchObject({
      name: named("web-lb"),
      port: 80,
      protocol: "HTTP",
      nodeCount: 1,
    });
    const paged: string[] = [];
    for await (const l of clb.list({ pageSize: 1 })) paged.push(l.id);
    expect(paged).toContain(lb.id);

    await lb.delete();
    const gone = await pyrax.utils.waitUntil(lb, "status", "DELETED", { interval: 0.5 });
    expect(gone.status).toBe("DELETED");
    await expect(clb.get(lb.id)).rejects.toBeInstanceOf(NotFound);
  });

  it("gets, finds, updates and maps nodes, health monitors and session persistence", async () => {
    const lb = await clb.create(
      named("tcp-lb"),
      443,
      "HTTPS",
      [clb.Node("192.0.2.21", 8443), clb.Node({ address: "192.0.2.22", port: 8443, type: "SECONDARY", weight: 5 })],
      [clb.VirtualIP({ type: "PUBLIC", subnetId: SUBNET })],
      "WEIGHTED_LEAST_CONNECTIONS",
      { sessionPersistence: "SOURCE_IP", timeout: 45, healthMonitor: { type: "CONNECT", delay: 5, timeout: 3 } },
    );
    made.push(lb.id);
    await active(lb);
    expect([lb.algorithm, lb.timeout, lb.session_persistence]).toEqual(["LEAST_CONNECTIONS", 45, "SOURCE_IP"]);
    expect(await lb.getHealthMonitor()).toEqual({
      type: "CONNECT",
      delay: 5,
      timeout: 3,
      attemptsBeforeDeactivation: 3,
    });
    expect(lb.nodes!.find((n) => n.address === "192.0.2.22")).toMatchObject({ type: "SECONDARY", weight: 5 });

    expect((await clb.get(lb.id)).name).toBe(named("tcp-lb"));
    expect((await clb.find({ name: named("tcp-lb") })).id).toBe(lb.id);
    expect(await clb.findall({ name: named("nothing") })).toEqual([]);
    await expect(clb.find({ name: named("nothing") })).rejects.toBeInstanceOf(NotFound);

    // A node's condition is the member's admin_state_up; DRAINING is weight 0.
    const node = lb.nodes!.find((n) => n.address === "192.0.2.21")!;
    node.condition = "DISABLED";
    await node.update();
    await active(lb);
    expect(lb.nodes!.find((n) => n.address === "192.0.2.21")!.condition).toBe("DISABLED");
    expect(lb.octavia!.members!.find((m) => m.address === "192.0.2.21")!.admin_state_up).toBe(false);
    await lb.updateNode(
      lb.nodes!.find((n) => n.address === "192.0.2.21")!,
      { condition: "DRAINING" },
    );
    await active(lb);
    expect(lb.nodes!.find((n) => n.address === "192.0.2.21")).toMatchObject({ condition: "DRAINING", weight: 0 });

    await lb.update(named("renamed"), undefined, undefined, undefined, undefined, 30);
    await active(lb);
    expect([lb.name, lb.timeout]).toEqual([named("renamed"), 30]);

    await lb.setSessionPersistence("HTTP_COOKIE");
    await active(lb);
    expect(await lb.getSessionPersistence()).toBe("HTTP_COOKIE");
    await lb.setSessionPersistence("");
    await active(lb);
    expect(await lb.getSessionPersistence()).toBe("");
    await lb.deleteHealthMonitor();
    await active(lb);
    expect(await lb.getHealthMonitor()).toEqual({});
    expect(await lb.getStats()).toMatchObject({ bytes_in: 0, total_connections: 0 });
    expect(await lb.getConnectionLogging()).toBe(false);
    await lb.delete();
  });

  it("refuses what Octavia cannot do and what pyrax refuses, before sending anything", async () => {
    const base = { port: 80, protocol: "HTTP", virtualIps: [clb.VirtualIP({ subnetId: SUBNET })] };
    await expect(clb.create(named("x"), { ...base, algorithm: "RANDOM" })).rejects.toBeInstanceOf(
      InvalidLoadBalancerParameters,
    );
    await expect(clb.create(named("x"), { ...base, virtualIps: [] })).rejects.toBeInstanceOf(
      MissingLoadBalancerParameters,
    );
    await expect(clb.create(named("x"), { ...base, halfClosed: true })).rejects.toThrow(/halfClosed/);
    await expect(clb.create(named("x"), { ...base, colour: "red" } as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(
      clb.create(named("x"), { ...base, virtualIps: [clb.VirtualIP({ type: "SERVICENET" })] }),
    ).rejects.toThrow(/no subnet for a SERVICENET VIP/);
    const draining = clb.Node({ address: "10.0.0.9", port: 80, condition: "DRAINING" });
    await expect(clb.create(named("x"), { ...base, nodes: [draining] })).rejects.toBeInstanceOf(InvalidNodeCondition);
    await expect(
      clb.create(named("x"), { ...base, protocol: "TCP", healthMonitor: { type: "HTTP" } }),
    ).rejects.toBeInstanceOf(ProtocolMismatch);
    await expect(clb.create(named("x"), { ...base, healthMonitor: { type: "HTTP", bodyRegex: "OK" } })).rejects.toThrow(
      /bodyRegex/,
    );
    expect(() => clb.Node({ address: "10.0.0.1" })).toThrow(InvalidNodeParameters);
    expect(() => clb.VirtualIP({ type: "PRIVATE" })).toThrow(InvalidVirtualIPType);
    await expect(clb.Node({ address: "10.0.0.1", port: 80 }).delete()).rejects.toBeInstanceOf(UnattachedNode);
    expect(await clb.findall({ name: named("x") })).toEqual([]);
  });

  it("throws ImmutableEntity for a change while PENDING_UPDATE; waitUntil ACTIVE is the remedy", async () => {
    const lb = await clb.create(named("busy"), { port: 8080, protocol: "TCP", virtualIps: [clb.VirtualIP()] });
    made.push(lb.id);
    await active(lb);
    // Two changes at once: Octavia sets PENDING_UPDATE while answering the one it takes first, and
    // refuses the other. (One after the other, the noop driver could finish the first in between.)
    const outcomes = await Promise.allSettled([
      lb.update({ name: named("busy-1") }),
      lb.update({ name: named("busy-1") }),
    ]);
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as unknown] : []));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(ImmutableEntity);
    expect(refused[0]).toMatchObject({ status: 409 });
    await active(lb);
    await lb.update({ name: named("busy-2") });
    await active(lb);
    expect(lb.name).toBe(named("busy-2"));

    // A node with an address Octavia cannot use: its 400, as pyrax's node error, nothing added.
    const bad = await lb.addNodes(clb.Node({ address: "not-an-ip", port: 80 })).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidNodeParameters);
    expect(bad).toMatchObject({ status: 400 });
    expect((bad as Error).message).toMatch(/address/);
    expect(await lb.listNodes()).toEqual([]);
    await expect(lb.setSessionPersistence("COOKIE")).rejects.toBeInstanceOf(InvalidSessionPersistenceType);
    await lb.delete();
  });

  it("throws OverLimit when the project's load balancer quota is used up", async () => {
    const admin = new Pyrax({ configPath: "/nonexistent/pyrax.cfg", env: {} });
    admin.setSetting("identity_type", "keystone");
    admin.setSetting("auth_endpoint", cloud.stack.url);
    const { username, password, projectName } = cloud.stack.admin;
    await admin.setCredentials(username, password, { tenantName: projectName });
    const adminClb = admin.cloudLoadbalancers!;
    const project = cloud.stack.credentials.projectId;
    try {
      expect(await adminClb.octavia.updateQuota(project, { load_balancer: 0 })).toMatchObject({ load_balancer: 0 });
      const error = await clb
        .create(named("over"), { port: 80, protocol: "HTTP", virtualIps: [clb.VirtualIP()] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OverLimit);
      expect(error).toMatchObject({ status: 403 });
      expect((error as Error).message).toMatch(/Quota has been met/);
    } finally {
      await adminClb.octavia.updateQuota(project, { load_balancer: -1 });
      await admin.close();
    }
  });

  it("gives openstacksdk users Octavia's own objects: listeners, pools, members, health monitors, L7 policies", async () => {
    const o = clb.octavia;
    const lb = await o.loadbalancers.create({ name: named("native"), vip_subnet_id: SUBNET });
    made.push(lb.id);
    expect(lb.provisioning_status).toBe("PENDING_CREATE");
    await clb.octavia.waitForLoadBalancer(lb, { interval: 0.5 });
    const listener = await o.listeners.create({
      name: named("l"),
      loadbalancer_id: lb.id,
      protocol: "HTTP",
      protocol_port: 80,
    });
    await clb.octavia.waitForLoadBalancer(lb, { interval: 0.5 });
    const pool = await o.pools.create({
      name: named("p"),
      listener_id: listener.id,
      protocol: "HTTP",
      lb_algorithm: "SOURCE_IP",
    });
    await clb.octavia.waitForLoadBalancer(lb, { interval: 0.5 });
    const member = await o.members(pool.id).create({ address: "192.0.2.31", protocol_port: 8080, weight: 3 });
    await clb.octavia.waitForLoadBalancer(lb, { interval: 0.5 });
    const hm = await o.healthmonitors.create({
      pool_id: pool.id,
      type: "HTTP",
      delay: 5,
      timeout: 3,
      max_retries: 2,
      url_path: "/health",
    });
    await clb.octavia.waitForLoadBalancer(lb, { interval: 0.5 });
    const other = await o.pools.create({
      name: named("p2"),
      loadbalancer_id: lb.id,
      protocol: "HTTP",
      lb_algorithm: "ROUND_ROBIN",
    });
    await clb.octavia.waitForLoadBalancer(lb, { interval: 0.5 });
    const policy = await o.l7policies.create({
      listener_id: listener.id,
      action: "REDIRECT_TO_POOL",
      redirect_pool_id: other.id,
    });
    await clb.octavia.waitForLoadBalancer(lb, { interval: 0.5 });
    const rule = await o.rules(policy.id).create({ type: "PATH", compare_type: "STARTS_WITH", value: "/api" });
    await clb.octavia.waitForLoadBalancer(lb, { interval: 0.5 });

    expect((await o.members(pool.id).get(member.id)).record).toMatchObject({
      weight: 3,
      provisioning_status: "ACTIVE",
    });
    expect((await o.healthmonitors.get(hm.id)).record.url_path).toBe("/health");
    expect((await o.rules(policy.id).list()).map((r) => r.id)).toEqual([rule.id]);
    expect((await o.l7policies.find(policy.id))!.record.redirect_pool_id).toBe(other.id);
    expect(await o.listeners.find(named("nothing"))).toBeUndefined();
    expect((await o.loadbalancers.list({ name: named("native") })).map((x) => x.id)).toEqual([lb.id]);
    await (await o.pools.get(pool.id)).update({ lb_algorithm: "ROUND_ROBIN" });
    await clb.octavia.waitForLoadBalancer(lb, { interval: 0.5 });
    expect((await o.pools.get(pool.id)).record.lb_algorithm).toBe("ROUND_ROBIN");
    // The pyrax face reads the same objects: port, protocol, algorithm, nodes.
    const seen = await clb.get(lb.id);
    expect([seen.port, seen.protocol, seen.algorithm, seen.nodes!.map((n) => n.address)]).toEqual([
      80,
      "HTTP",
      "ROUND_ROBIN",
      ["192.0.2.31"],
    ]);
    await expect(o.pools.update(pool.id, { protocol: "TCP" })).rejects.toBeInstanceOf(ValidationError);

    await clb.octavia.deleteLoadBalancer(lb, { cascade: true });
    await pyrax.utils.waitUntil(seen, "status", "DELETED", { interval: 0.5 });
  });
});
