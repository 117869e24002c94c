// startServer({ services: ["loadBalancer"] }): Keystone, RabbitMQ and Octavia (api and worker with the
// noop drivers, on sqlite) from Debian's packages, everything on 127.0.0.1, and nothing left after stop().
import { existsSync } from "node:fs";
import { afterAll, describe, expect, it, jest } from "@jest/globals";
import { startServer, type OpenStackTestServer } from "../src/testing/index.js";
import { keystoneLogin } from "./helpers/cloud.js";
import { alive, groupMembers, listeningPorts, nonLoopbackListeners, processesMentioning } from "./helpers/procfs.js";

jest.setTimeout(15 * 60_000);

describe('startServer({ services: ["loadBalancer"] })', () => {
  let server: OpenStackTestServer | undefined;
  afterAll(() => server?.stop());

  it("starts Octavia on 127.0.0.1, builds a load balancer to ACTIVE, and leaves nothing after stop()", async () => {
    server = await startServer({ services: ["loadBalancer"] });
    expect(server.services).toEqual(["loadBalancer"]);
    expect(server.regions).toEqual(["RegionOne"]);
    expect(server.loadBalancerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.processes.map((p) => p.name)).toEqual(
      expect.arrayContaining(["octavia-api", "octavia-worker", "rabbitmq"]),
    );
    const groups = server.processes.map((p) => p.pid);
    expect(nonLoopbackListeners([...listeningPorts(groupMembers(groups)).values()].flat())).toEqual([]);

    // The catalog lists Octavia; the demo user (role load-balancer_member) builds a load balancer to ACTIVE.
    const { token, catalog } = await keystoneLogin(server.url, server.credentials);
    const entry = catalog.find((c) => c.type === "load-balancer")!;
    expect(entry.endpoints.find((e) => e.interface === "public")!.url).toBe(server.loadBalancerUrl);
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${server!.loadBalancerUrl}/v2/lbaas/${path}`, {
        method,
        headers: { "x-auth-token": token, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return {
        status: response.status,
        body: (await response.json().catch(() => undefined)) as Record<string, Record<string, string>>,
      };
    };
    const created = await call("POST", "loadbalancers", {
      loadbalancer: { name: "launcher", vip_subnet_id: "0a6f8e2c-1d3b-4c5a-8e7f-9b0c1d2e3f4a" },
    });
    expect(created.status).toBe(201);
    const id = created.body.loadbalancer!.id!;
    let status = "";
    for (let i = 0; i < 600 && status !== "ACTIVE" && status !== "ERROR"; i++) {
      status = (await call("GET", `loadbalancers/${id}`)).body.loadbalancer!.provisioning_status!;
      if (status !== "ACTIVE") await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe("ACTIVE");

    const dirs = server.tempDirs;
    await server.stop();
    server = undefined;
    for (const pid of groups) expect(alive(pid)).toBe(false);
    expect(groupMembers(groups)).toEqual([]);
    expect(processesMentioning(dirs[0]!)).toEqual([]);
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
  });
});
