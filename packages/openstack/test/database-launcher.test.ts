// startServer({ services: ["database"] }) on its own: Keystone and Trove only (no bus, no compute), a
// project quota set through Trove's management API, and stop() leaving no process or directory.
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { OverLimit, Pyrax } from "../src/index.js";
import { startServer, type KeystoneCredentials, type OpenStackTestServer } from "../src/testing/index.js";

jest.setTimeout(15 * 60_000);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startServer({ services: ["database"] })', () => {
  let server: OpenStackTestServer;
  const login = async (credentials: KeystoneCredentials) => {
    const pyrax = new Pyrax({ configPath: "/nonexistent/pyrax.cfg", env: {} });
    pyrax.setSetting("identity_type", "keystone");
    pyrax.setSetting("auth_endpoint", server.url);
    await pyrax.setCredentials(credentials.username, credentials.password, { tenantName: credentials.projectName });
    return pyrax;
  };

  beforeAll(async () => {
    server = await startServer({ services: ["database"] });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("runs Keystone and Trove only, with Trove in the catalog of the one region", async () => {
    expect(server.services).toEqual(["database"]);
    expect(server.regions).toEqual(["RegionOne"]);
    expect(server.processes.map((p) => p.name)).toContain("trove");
    expect(server.processes.map((p) => p.name)).not.toContain("rabbitmq");
    const versions = await fetch(`${server.databaseUrl}/`);
    expect(versions.status).toBe(200);
    expect(JSON.stringify(await versions.json())).toContain("v1.0");
    const pyrax = await login(server.credentials);
    try {
      expect(pyrax.identity.services.database).toBeDefined();
      expect((await pyrax.cloudDatabases!.listDatastores()).map((d) => d.name)).toEqual(["mysql"]);
    } finally {
      await pyrax.close();
    }
  });

  it("refuses a create over the project's instance quota with OverLimit (413)", async () => {
    const admin = await login(server.admin);
    const demo = await login(server.credentials);
    try {
      // Trove's management API (admin only) sets the demo project's quota of instances to 0.
      const quota = await fetch(
        `${server.databaseUrl}/v1.0/${server.admin.projectId}/mgmt/quotas/${server.credentials.projectId}`,
        {
          method: "PUT",
          headers: { "x-auth-token": admin.identity.token!, "content-type": "application/json" },
          body: JSON.stringify({ quotas: { instances: 0 } }),
        },
      );
      expect(quota.status).toBe(200);
      const error = await demo.cloudDatabases!.create("over-quota", 1, 1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OverLimit);
      expect((error as OverLimit).message).toMatch(/quota exceeded.*instances/i);
      expect(await demo.cloudDatabases!.list()).toEqual([]);
    } finally {
      await admin.close();
      await demo.close();
    }
  });

  it("stop() leaves no process and no directory", async () => {
    const pids = server.processes.map((p) => p.pid);
    const dirs = server.tempDirs;
    await server.stop();
    expect(pids.filter(alive)).toEqual([]);
    expect(dirs.filter((d) => existsSync(d))).toEqual([]);
  });
});
