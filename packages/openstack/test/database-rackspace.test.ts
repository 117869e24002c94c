// pyrax.cloudDatabases speaking Rackspace Cloud Databases v1.0 (identity_type rackspace). Rackspace's
// service cannot run here: these tests run against a SIMULATOR of its documented shapes
// (src/testing/rackspace/databases.ts), which checks what it receives and moves instances and backups
// through BUILD/NEW before ACTIVE/COMPLETED, one status per poll.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  BadRequest,
  CloudDatabases,
  InstanceNotAvailable,
  InvalidVolumeResize,
  NoSuchDatabase,
  NoSuchDatabaseUser,
  NotFound,
  Pyrax,
} from "../src/index.js";
import { rackspaceDatabases, startRackspaceSimulator, type RackspaceSimulator } from "../src/testing/index.js";

const FAST = { interval: 0.01, timeout: 10 };

describe("pyrax.cloudDatabases on Rackspace Cloud Databases v1.0 (a simulator of the documented API)", () => {
  let sim: RackspaceSimulator;
  let pyrax: Pyrax;
  let cdb: CloudDatabases;

  beforeAll(async () => {
    sim = await startRackspaceSimulator([rackspaceDatabases()]);
    pyrax = new Pyrax({ configPath: "/nonexistent/pyrax.cfg", env: {} });
    pyrax.setSetting("identity_type", "rackspace");
    pyrax.setSetting("auth_endpoint", sim.authEndpoint);
    await pyrax.setCredentials(sim.username, sim.apiKey);
    cdb = pyrax.cloudDatabases!;
  });

  afterAll(async () => {
    await pyrax?.close();
    await sim?.stop();
  });

  it("speaks the catalog's rax:database endpoint of the region", async () => {
    expect(cdb).toBeInstanceOf(CloudDatabases);
    expect(cdb.endpoint.href).toBe(`${sim.serviceUrl("databases")}/`);
    expect((await pyrax.connectToCloudDatabases({ region: "ORD" })).region).toBe("ORD");
  });

  it("runs the issue's snippet: create with a flavor object, wait ACTIVE, databases, users, root, restart, backup, delete", async () => {
    const flavor = await cdb.getFlavor(1);
    expect(flavor.name).toBe("512MB Instance");
    const inst = await cdb.create("db1", { flavor, volume: 2, datastore: "mysql", version: "5.6" });
    expect(inst.status).toBe("BUILD");
    // Not ACTIVE yet: the service refuses actions with 422.
    await expect(inst.createDatabase("early")).rejects.toThrow(InstanceNotAvailable);
    await pyrax.utils.waitUntil(inst, "status", "ACTIVE", FAST);
    await inst.createDatabase("app");
    const user = await inst.createUser("appuser", "pw", { databaseNames: ["app"] });
    expect(user.databases.map((d) => d.name)).toEqual(["app"]);
    expect((await inst.listDatabases()).map((d) => d.name)).toEqual(["app"]);
    expect((await inst.listUsers()).map((u) => u.name)).toEqual(["appuser"]);
    await inst.createDatabase("reports");
    await inst.grantUserAccess("appuser", ["reports"]);
    expect((await inst.listUserAccess("appuser")).map((d) => d.name).sort()).toEqual(["app", "reports"]);
    await inst.revokeUserAccess("appuser", "reports");
    await expect(inst.grantUserAccess("appuser", "nope")).rejects.toThrow(NoSuchDatabase);
    await expect(inst.getUser("ghost")).rejects.toThrow(NoSuchDatabaseUser);
    await user.changePassword("pw2");
    expect(await inst.rootUserStatus()).toBe(false);
    expect((await inst.enableRootUser()).length).toBeGreaterThan(8);
    expect(await inst.rootUserStatus()).toBe(true);
    await inst.restart();
    await pyrax.utils.waitUntil(inst, "status", "ACTIVE", FAST);
    const backup = await inst.createBackup("b1", "nightly");
    expect(backup.status).toBe("NEW");
    await pyrax.utils.waitUntil(backup, "status", "COMPLETED", FAST);
    expect((await cdb.listBackups()).map((b) => b.id)).toEqual([backup.id]);
    expect((await cdb.listBackups(inst)).map((b) => b.name)).toEqual(["b1"]);
    await cdb.deleteBackup(backup);
    await inst.deleteDatabase("app");
    await inst.deleteUser("appuser");
    await inst.delete();
    await expect(cdb.get(inst.id)).rejects.toThrow(NotFound);
  });

  it("resizes by flavor name and by volume, as pyrax's resize and resize_volume", async () => {
    const inst = await cdb.create("db2", "1GB Instance", 1);
    await pyrax.utils.waitUntil(inst, "status", "ACTIVE", FAST);
    await inst.resize(2048);
    await pyrax.utils.waitUntil(inst, "status", "ACTIVE", FAST);
    expect(String(inst.flavor.id)).toBe("3");
    await expect(inst.resizeVolume(1)).rejects.toThrow(InvalidVolumeResize);
    await inst.volume!.resize(5);
    await pyrax.utils.waitUntil(inst, "status", "ACTIVE", FAST);
    expect(inst.volume!.size).toBe(5);
    await inst.delete();
  });

  it("takes pyrax's seven positional create arguments (name, flavor, volume, databases, users, version, type)", async () => {
    const users = [{ name: "u1", password: "pw", databases: ["a"] }];
    const inst = await cdb.create("db3", 1, 1, ["a"], users, "5.6", "mysql");
    await pyrax.utils.waitUntil(inst, "status", "ACTIVE", FAST);
    expect(inst.datastore).toEqual({ type: "mysql", version: "5.6" });
    expect((await inst.listDatabases()).map((d) => d.name)).toEqual(["a"]);
    expect((await inst.getUser("u1")).databases).toEqual([{ name: "a" }]);
    await expect(cdb.create("db4", 1, 1, [], [], "5.6", "mysql", "extra" as never)).rejects.toThrow(
      /cannot use argument/,
    );
    await inst.delete();
  });

  it("logs requests with http debug on, but never a user's password or the root password", async () => {
    const lines: string[] = [];
    const log = (m: string) => void lines.push(m);
    const debugging = new Pyrax({
      configPath: "/nonexistent/pyrax.cfg",
      env: {},
      logger: { debug: log, info: log, warn: log, error: log },
    });
    try {
      debugging.setSetting("identity_type", "rackspace");
      debugging.setSetting("auth_endpoint", sim.authEndpoint);
      await debugging.setCredentials(sim.username, sim.apiKey);
      debugging.setHttpDebug(true);
      const client = debugging.cloudDatabases!;
      const inst = await client.create("logged", 1, 1);
      await debugging.utils.waitUntil(inst, "status", "ACTIVE", FAST);
      await inst.createUser("secretive", "pw-Zq81-very-secret", []);
      const rootPassword = await inst.enableRootUser();
      await inst.delete();
      const text = lines.join("\n");
      expect(text).toContain("/users");
      // Bodies are logged (the user name is there), with the secrets redacted.
      expect(text).toContain("secretive");
      expect(text).not.toContain("pw-Zq81-very-secret");
      expect(text).not.toContain(rootPassword);
      expect(text).not.toContain(sim.apiKey);
    } finally {
      await debugging.close();
    }
  });

  it("is refused by the simulator's checks as Rackspace refused: BadRequest", async () => {
    // Over Rackspace's 150 GB.
    await expect(cdb.create("big", 1, 151)).rejects.toThrow(BadRequest);
    await expect(cdb.create("odd", { flavor: 1, volume: 1, type: "oracle", version: "12" })).rejects.toThrow(
      BadRequest,
    );
    const sent = sim.requests.filter((r) => r.method === "POST" && r.path.endsWith("/instances"));
    expect(sent.at(-1)!.status).toBe(400);
  });
});
