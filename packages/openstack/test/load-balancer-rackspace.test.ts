// pyrax.cloudLoadbalancers where identity_type is rackspace: the same face speaking Rackspace Cloud Load
// Balancers v1.0. Rackspace's service cannot run here: this is a SIMULATOR of the documented request and
// response shapes (src/testing/rackspace/load-balancers.ts), which checks what it receives.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  CloudLoadBalancers,
  ImmutableEntity,
  InvalidNodeParameters,
  NotFound,
  OverLimit,
  Pyrax,
} from "../src/index.js";
import { rackspaceLoadBalancers, startRackspaceSimulator, type RackspaceSimulator } from "../src/testing/index.js";

const FAST = { interval: 0.05, timeout: 10 };

describe("pyrax.cloudLoadbalancers on Rackspace Cloud Load Balancers v1.0 (a simulator of the documented API)", () => {
  let sim: RackspaceSimulator;
  let pyrax: Pyrax;
  let clb: CloudLoadBalancers;

  beforeAll(async () => {
    sim = await startRackspaceSimulator([rackspaceLoadBalancers({ settleMs: 150, maxLoadBalancers: 2 })]);
    pyrax = new Pyrax({ configPath: "/nonexistent/pyrax.cfg", env: {} });
    pyrax.setSetting("identity_type", "rackspace");
    pyrax.setSetting("auth_endpoint", sim.authEndpoint);
    await pyrax.setCredentials(sim.username, sim.apiKey);
    clb = pyrax.cloudLoadbalancers!;
  });

  afterAll(async () => {
    await pyrax?.close();
    await sim?.stop();
  });

  it("speaks the catalog's rax:load-balancer endpoint of the region", async () => {
    expect(clb).toBeInstanceOf(CloudLoadBalancers);
    expect(clb.endpoint.href).toBe(`${sim.serviceUrl("loadbalancers")}/`);
    expect((await pyrax.connectToCloudLoadbalancers({ region: "ORD" })).region).toBe("ORD");
    expect(await clb.algorithms).toContain("RANDOM");
    expect(await clb.protocols).toContain("MYSQL");
  });

  it("runs the issue's snippet on Rackspace's one-object load balancer", async () => {
    const node = clb.Node({ address: "10.0.0.5", port: 80, condition: "ENABLED" });
    const vip = clb.VirtualIP({ type: "PUBLIC" });
    const lb = await clb.create("web-lb", {
      port: 80,
      protocol: "HTTP",
      nodes: [node],
      virtualIps: [vip],
      algorithm: "ROUND_ROBIN",
    });
    expect(lb.status).toBe("BUILD");
    expect(sim.requests.at(-1)).toMatchObject({ method: "POST", status: 202 });
    // Still BUILD: Rackspace answers 422, which is ImmutableEntity as on Octavia.
    const busy = await lb.update({ algorithm: "LEAST_CONNECTIONS" }).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(ImmutableEntity);
    expect(busy).toMatchObject({ status: 422 });
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", FAST);
    expect([lb.port, lb.protocol, lb.algorithm, lb.virtual_ips[0]!.type]).toEqual([
      80,
      "HTTP",
      "ROUND_ROBIN",
      "PUBLIC",
    ]);
    expect(lb.nodes!.map((n) => [n.address, n.condition])).toEqual([["10.0.0.5", "ENABLED"]]);

    const [added] = await lb.addNodes([clb.Node({ address: "10.0.0.6", port: 80 })]);
    expect(added!.id).toMatch(/^\d+$/);
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", FAST);
    await lb.update({ algorithm: "LEAST_CONNECTIONS" });
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", FAST);
    expect(lb.algorithm).toBe("LEAST_CONNECTIONS");
    await lb.addHealthMonitor({ type: "HTTP", delay: 10, timeout: 5, attemptsBeforeDeactivation: 3, path: "/" });
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", FAST);
    expect(await lb.getHealthMonitor()).toMatchObject({ type: "HTTP", delay: 10, path: "/" });

    const nodes = await lb.listNodes();
    expect(nodes.map((n) => n.address)).toEqual(["10.0.0.5", "10.0.0.6"]);
    nodes[0]!.condition = "DRAINING";
    await nodes[0]!.update();
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", FAST);
    expect(lb.nodes![0]!.condition).toBe("DRAINING");
    await lb.deleteNode(nodes[1]!);
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", FAST);

    await lb.setSessionPersistence("SOURCE_IP");
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", FAST);
    expect(await lb.getSessionPersistence()).toBe("SOURCE_IP");
    await lb.setConnectionLogging(true);
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", FAST);
    expect(await lb.getConnectionLogging()).toBe(true);
    // lb.add_connection_throttle(maxConnectionRate=50, maxConnections=100, minConnections=10, rateInterval=60)
    expect(await lb.getConnectionThrottle()).toEqual({});
    await lb.addConnectionThrottle(50, 100, 10, 60);
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", FAST);
    const throttle = { maxConnectionRate: 50, maxConnections: 100, minConnections: 10, rateInterval: 60 };
    expect(await lb.getConnectionThrottle()).toEqual(throttle);
    await lb.deleteConnectionThrottle();
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", FAST);
    expect(await lb.getConnectionThrottle()).toEqual({});
    // samples/cloud_loadbalancers/content_caching.py: lb.content_caching = not orig
    const orig = await lb.getContentCaching();
    expect(orig).toBe(false);
    await lb.setContentCaching(!orig);
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", FAST);
    expect(await lb.getContentCaching()).toBe(true);
    // samples/cloud_loadbalancers/ssl_termination.py: {} at first, add, then update(enabled=not enabled)
    expect(await lb.getSslTermination()).toEqual({});
    await expect(lb.updateSslTermination({ enabled: false })).rejects.toThrow(/addSslTermination first/);
    await lb.addSslTermination({
      securePort: 443,
      secureTrafficOnly: false,
      certificate: "dummy_certificate",
      privatekey: "dummy_private_key",
    });
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", FAST);
    const ssl = await lb.getSslTermination();
    expect(ssl).toEqual({ securePort: 443, secureTrafficOnly: false, enabled: true });
    await lb.updateSslTermination({ enabled: !ssl.enabled });
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", FAST);
    expect(await lb.getSslTermination()).toEqual({ securePort: 443, secureTrafficOnly: false, enabled: false });
    await expect(lb.updateSslTermination({ certificate: "x" } as never)).rejects.toThrow(/certificate/);
    await lb.deleteSslTermination();
    await pyrax.utils.waitUntil(lb, "status", "ACTIVE", FAST);
    expect(await lb.getSslTermination()).toEqual({});

    expect((await clb.list()).map((l) => [l.name, l.status])).toEqual([["web-lb", "ACTIVE"]]);
    expect((await clb.find({ name: "web-lb" })).id).toBe(lb.id);

    // A node address the service refuses: its 400, as pyrax's node error.
    const bad = await lb.addNodes(clb.Node({ address: "not-an-ip", port: 80 })).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidNodeParameters);
    expect(bad).toMatchObject({ status: 400 });

    await lb.delete();
    await pyrax.utils.waitUntil(lb, "status", "DELETED", FAST);
    await expect(clb.get(lb.id)).rejects.toBeInstanceOf(NotFound);
  });

  it("throws OverLimit when the account's load balancer limit is reached (Rackspace's 413)", async () => {
    const make = (name: string) =>
      clb.create(name, 3306, "MYSQL", [], [clb.VirtualIP("SERVICENET")], "RANDOM", { timeout: 60 });
    const first = await make("db-1");
    const second = await make("db-2");
    expect(first.algorithm).toBe("RANDOM");
    await expect(make("db-3")).rejects.toBeInstanceOf(OverLimit);
    for (const lb of [first, second]) {
      await pyrax.utils.waitUntil(lb, "status", "ACTIVE", FAST);
      await lb.delete();
    }
  });
});
