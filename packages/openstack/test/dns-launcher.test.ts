// startServer({ services: ["dns"] }): Keystone, RabbitMQ and Designate (api, central, worker, mdns on a
// MariaDB of its own) from Debian's packages, everything on 127.0.0.1, and nothing left after stop().
import { existsSync } from "node:fs";
import { Resolver } from "node:dns/promises";
import { afterAll, describe, expect, it, jest } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { startServer, type OpenStackTestServer } from "../src/testing/index.js";
import { keystoneLogin } from "./helpers/cloud.js";
import { alive, groupMembers, listeningPorts, nonLoopbackListeners, processesMentioning } from "./helpers/procfs.js";

jest.setTimeout(15 * 60_000);

describe('startServer({ services: ["dns"] })', () => {
  let server: OpenStackTestServer | undefined;
  afterAll(() => server?.stop());

  it("refuses an unknown service before starting anything", async () => {
    await expect(startServer({ services: ["dns", "bind9" as never] })).rejects.toThrow(ValidationError);
  });

  it("starts Designate on 127.0.0.1, serves a zone over DNS, and leaves nothing after stop()", async () => {
    server = await startServer({ services: ["dns"] });
    expect(server.services).toEqual(["dns"]);
    expect(server.regions).toEqual(["RegionOne"]);
    expect(server.dnsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const names = server.processes.map((p) => p.name).sort();
    expect(names).toEqual(
      expect.arrayContaining(["designate-api", "designate-central", "designate-mdns", "designate-worker", "rabbitmq"]),
    );
    expect(names).toContain("designate-mariadb");
    const groups = server.processes.map((p) => p.pid);
    expect(nonLoopbackListeners([...listeningPorts(groupMembers(groups)).values()].flat())).toEqual([]);

    // The catalog lists Designate; a zone made through it goes ACTIVE and mdns answers for it.
    const { token, catalog } = await keystoneLogin(server.url, server.credentials);
    const entry = catalog.find((c) => c.type === "dns")!;
    expect(entry.endpoints.find((e) => e.interface === "public")!.url).toBe(server.dnsUrl);
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${server!.dnsUrl}/v2/${path}`, {
        method,
        headers: { "x-auth-token": token, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, string> };
    };
    const zone = await call("POST", "zones", { name: "launcher.example.", email: "a@example.org" });
    expect(zone.status).toBe(202);
    let status = "";
    for (let i = 0; i < 300 && status !== "ACTIVE"; i++) {
      status = (await call("GET", `zones/${zone.body.id}`)).body.status ?? "";
      if (status !== "ACTIVE") await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe("ACTIVE");
    const resolver = new Resolver();
    resolver.setServers([`127.0.0.1:${server.dnsPort}`]);
    expect((await resolver.resolveSoa("launcher.example")).hostmaster).toBe("a.example.org");

    const dirs = server.tempDirs;
    await server.stop();
    server = undefined;
    for (const pid of groups) expect(alive(pid)).toBe(false);
    expect(groupMembers(groups)).toEqual([]);
    expect(processesMentioning(dirs[0]!)).toEqual([]);
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
  });
});
