// pyrax.cloudLoadbalancers on a real Octavia v2 (Debian's python3-octavia: octavia-api and octavia-worker
// with the amphora provider and the noop drivers), started here beside Keystone and RabbitMQ.
import { Pyrax } from "@nimbus-sdk/openstack";
import { startServer } from "@nimbus-sdk/openstack/testing";

export const name = "openstack-load-balancers";
export const title = "@nimbus-sdk/openstack: pyrax.cloudLoadbalancers on a local Octavia";

// The noop network driver takes any subnet id; on a real cloud this is a Neutron subnet.
const SUBNET = "2b1e9c4d-7a35-4f08-b6d2-93e0c5a1f4e7";

export async function run({ step, show, failure }) {
  step('starting Keystone, RabbitMQ and Octavia on 127.0.0.1: startServer({ services: ["loadBalancer"] })');
  const cloud = await startServer({
    services: ["loadBalancer"],
    onProgress: (what, ms) => show(`${(ms / 1000).toFixed(1)} s  ${what}`),
  });
  const pyrax = new Pyrax({ configPath: "/nonexistent/pyrax.cfg", env: {} });
  try {
    pyrax.setSetting("identity_type", "keystone");
    pyrax.setSetting("auth_endpoint", cloud.url);
    const { username, password, projectName } = cloud.credentials;
    await pyrax.setCredentials(username, password, { tenantName: projectName });
    const clb = await pyrax.connectToCloudLoadbalancers({ vipSubnets: { PUBLIC: SUBNET } });
    const active = (lb) => pyrax.utils.waitUntil(lb, "status", "ACTIVE", { interval: 0.5 });

    step(
      'clb.create("web-lb", { port: 80, protocol: "HTTP", nodes: [node], virtualIps: [vip], algorithm: "ROUND_ROBIN" })',
    );
    const node = clb.Node({ address: "10.0.0.5", port: 80, condition: "ENABLED" });
    const vip = clb.VirtualIP({ type: "PUBLIC" });
    const started = Date.now();
    const lb = await clb.create("web-lb", {
      port: 80,
      protocol: "HTTP",
      nodes: [node],
      virtualIps: [vip],
      algorithm: "ROUND_ROBIN",
    });
    show(`${lb.id}  ${lb.status}`);
    step('pyrax.utils.waitUntil(lb, "status", "ACTIVE")');
    await active(lb);
    show(
      `${lb.name} is ${lb.status} after ${((Date.now() - started) / 1000).toFixed(1)} s: VIP ${lb.virtual_ips[0].address}`,
    );
    show(`behind it on Octavia: listener ${lb.octavia.listener.id}, pool ${lb.octavia.pool.id}`);

    step("a change while Octavia is still busy is ImmutableEntity; waitUntil ACTIVE is the remedy");
    await lb.addNodes([clb.Node({ address: "10.0.0.6", port: 80 })]);
    show(await failure(lb.update({ algorithm: "LEAST_CONNECTIONS" })));
    await active(lb);
    await lb.update({ algorithm: "LEAST_CONNECTIONS" });
    await active(lb);
    show(`algorithm now ${lb.algorithm}`);

    step('lb.addHealthMonitor({ type: "HTTP", delay: 10, timeout: 5, attemptsBeforeDeactivation: 3, path: "/" })');
    await lb.addHealthMonitor({ type: "HTTP", delay: 10, timeout: 5, attemptsBeforeDeactivation: 3, path: "/" });
    await active(lb);
    show(JSON.stringify(await lb.getHealthMonitor()));

    step("lb.listNodes(); lb.deleteNode(n); clb.list()");
    const nodes = await lb.listNodes();
    for (const n of nodes) show(`node ${n.address}:${n.port}  ${n.condition}  ${n.id}`);
    await lb.deleteNode(nodes[0]);
    await active(lb);
    for (const l of await clb.list())
      show(`${l.name}  ${l.protocol}:${l.port}  ${l.algorithm}  ${l.nodeCount} node(s)  ${l.status}`);

    step("a node whose address is no IP address: Octavia's 400 as pyrax's InvalidNodeParameters");
    show(await failure(lb.addNodes(clb.Node({ address: "web01.internal", port: 80 }))));

    step("lb.delete(), then waitUntil DELETED");
    await lb.delete();
    await pyrax.utils.waitUntil(lb, "status", "DELETED", { interval: 0.5 });
    show(`listed now: ${(await clb.list()).length} load balancer(s)`);
  } finally {
    await pyrax.close();
    await cloud.stop();
  }
}
