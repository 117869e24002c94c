// pyrax.cloud_databases over a real Trove v1.0 (Debian's python3-trove 18 in its fake mode: the real
// API, taskmanager, quotas and models, with Trove's in-tree fakes for Nova, Cinder and the guest
// agent), through the module object as a pyrax script uses it. The run's shared stack.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { ValidationError, waitUntil } from "@nimbus-sdk/common";
import {
  CloudDatabases,
  CloudDatabaseFlavor,
  CloudDatabaseInstance,
  DBUpdateUnchanged,
  FlavorNotFound,
  InstanceNotAvailable,
  InvalidVolumeResize,
  MissingCloudDatabaseParameter,
  MissingDBUserParameters,
  NoSuchDatabase,
  NoSuchDatabaseUser,
  NotFound,
  OverLimit,
  BadRequest,
  ClientException,
  Pyrax,
  UnexpectedStatus,
} from "../src/index.js";
import { TROVE_DATASTORE } from "../src/testing/trove.js";
import { sharedComputeCloud, type ComputeCloud } from "./helpers/stack.js";

const RUN = randomBytes(3).toString("hex");
const FAST = { interval: 0.5, timeout: 120 };
jest.setTimeout(240_000);

describe("pyrax.cloudDatabases against a real Trove", () => {
  let cloud: ComputeCloud;
  let pyrax: Pyrax;
  let cdb: CloudDatabases;
  let inst: CloudDatabaseInstance;
  const made: string[] = [];

  beforeAll(async () => {
    cloud = await sharedComputeCloud();
    pyrax = new Pyrax({ configPath: "/nonexistent/pyrax.cfg", env: {} });
    pyrax.setSetting("identity_type", "keystone");
    pyrax.setSetting("auth_endpoint", cloud.stack.url);
    const { username, password, projectName } = cloud.stack.credentials;
    await pyrax.setCredentials(username, password, { tenantName: projectName });
    cdb = pyrax.cloudDatabases!;
    // The snippet: a flavor object, a 2 GB volume, the datastore and its version.
    const { type: datastore, version } = TROVE_DATASTORE;
    inst = await cdb.create(`db1-${RUN}`, { flavor: await cdb.getFlavor(1), volume: 2, datastore, version });
    made.push(inst.id);
    await pyrax.utils.waitUntil(inst, "status", "ACTIVE", FAST);
  }, 15 * 60_000);

  afterAll(async () => {
    for (const id of made) await cdb?.delete(id).catch(() => undefined);
    await pyrax?.close();
  });

  it("is the module's client after authentication, and connectToCloudDatabases gives one per region", async () => {
    expect(cdb).toBeInstanceOf(CloudDatabases);
    expect(cdb.endpoint.href).toContain(cloud.stack.databaseUrl!);
    const other = await pyrax.connectToCloudDatabases({ region: cloud.stack.regions.at(-1) });
    expect((await other.get(inst.id)).name).toBe(`db1-${RUN}`);
  });

  it("creates an instance that waitUntil sees ACTIVE, with pyrax's attributes", async () => {
    expect(inst.status).toBe("ACTIVE");
    expect(inst.volume?.size).toBe(2);
    expect(String(inst.flavor.id)).toBe("1");
    expect(inst.datastore).toMatchObject({ type: "mysql", version: "5.7" });
  });

  it("lists, gets and finds instances; an unknown id is NotFound", async () => {
    const listed = await cdb.list();
    expect(Array.isArray(listed)).toBe(true);
    expect(listed.map((i) => i.id)).toContain(inst.id);
    const paged: string[] = [];
    for await (const i of cdb.list({ pageSize: 1 })) paged.push(i.id);
    expect(paged).toContain(inst.id);
    expect((await cdb.get(inst.id)).name).toBe(inst.name);
    expect((await cdb.find({ name: inst.name })).id).toBe(inst.id);
    await expect(cdb.find({ name: `none-${RUN}` })).rejects.toThrow(NotFound);
    await expect(cdb.get("00000000-0000-0000-0000-00000000dead")).rejects.toThrow(NotFound);
  });

  it("lists flavors and finds one by id, name or RAM, as pyrax's _get_flavor_ref", async () => {
    const flavors = await cdb.listFlavors();
    expect(flavors.length).toBeGreaterThan(1);
    expect(flavors[0]).toBeInstanceOf(CloudDatabaseFlavor);
    const tiny = await cdb.getFlavor(1);
    expect(tiny.name).toBe("m1.tiny");
    expect(await cdb.flavorRef("m1.tiny")).toBe("1");
    expect(await cdb.flavorRef(tiny.ram)).toBe(String(flavors.find((f) => f.ram === tiny.ram)!.id));
    await expect(cdb.flavorRef("no-such-flavor")).rejects.toThrow(FlavorNotFound);
  });

  it("creates, lists, finds and deletes databases", async () => {
    const app = await inst.createDatabase("app");
    expect(app.name).toBe("app");
    await inst.createDatabase("app2", "utf8", "utf8_general_ci");
    expect((await inst.listDatabases()).map((d) => d.name)).toEqual(expect.arrayContaining(["app", "app2"]));
    expect((await cdb.listDatabases(inst.id)).map((d) => d.name)).toContain("app2");
    // Trove refuses a second database of the same name, as pyrax documents (BadRequest).
    await expect(inst.createDatabase("app")).rejects.toThrow(BadRequest);
    await inst.deleteDatabase("app2");
    // Trove drops it in the guest after answering (a cast): until it is no longer listed.
    await waitUntil(
      async () => (await inst.listDatabases()).map((d) => d.name),
      (names) => !names.includes("app2"),
      { interval: 250, timeout: 30_000 },
    );
    await expect(inst.getDatabase("app2")).rejects.toThrow(NoSuchDatabase);
    await expect(inst.deleteDatabase("app2")).rejects.toThrow(NoSuchDatabase);
  });

  it("creates users with access, grants, lists, revokes and deletes", async () => {
    await inst.createDatabase("reports");
    const user = await inst.createUser("appuser", "pw-1", { databaseNames: ["app"] });
    expect(user.name).toBe("appuser");
    expect(user.databases.map((d) => d.name)).toEqual(["app"]);
    expect((await inst.listUsers()).map((u) => u.name)).toContain("appuser");
    await inst.grantUserAccess("appuser", ["app", "reports"]);
    expect((await inst.listUserAccess("appuser")).map((d) => d.name).sort()).toEqual(["app", "reports"]);
    await inst.revokeUserAccess(user, "reports");
    expect((await user.listUserAccess()).map((d) => d.name)).toEqual(["app"]);
    // strict (pyrax's default): a database that is not there is refused before anything is sent.
    await expect(inst.grantUserAccess("appuser", ["nope"])).rejects.toThrow(NoSuchDatabase);
    await expect(inst.listUserAccess("ghost")).rejects.toThrow(NoSuchDatabaseUser);
    await expect(inst.getUser("ghost")).rejects.toThrow(NoSuchDatabaseUser);
    // pyrax's positional form: (name, password, database_names, host).
    const second = await cdb.createUser(inst, "second", "pw-2", "reports", "%");
    expect(second.host).toBe("%");
    await expect(inst.updateUser("second", {})).rejects.toThrow(MissingDBUserParameters);
    await expect(inst.updateUser(second, { host: "%" })).rejects.toThrow(DBUpdateUnchanged);
    await second.delete();
    await inst.deleteUser("appuser");
    await waitUntil(
      async () => (await inst.listUsers()).map((u) => u.name),
      (names) => !names.includes("appuser"),
      { interval: 250, timeout: 30_000 },
    );
    await expect(inst.deleteUser("appuser")).rejects.toThrow(NoSuchDatabaseUser);
  });

  it("enables the root user and reports it", async () => {
    const password = await inst.enableRootUser();
    expect(typeof password).toBe("string");
    expect(password.length).toBeGreaterThan(0);
    expect(await inst.rootUserStatus()).toBe(true);
  });

  it("restarts the instance, which comes back ACTIVE", async () => {
    await inst.restart();
    await pyrax.utils.waitUntil(inst, "status", "ACTIVE", FAST);
    expect(inst.status).toBe("ACTIVE");
  });

  it("creates a backup, lists it (all and the instance's), waits for COMPLETED and deletes it", async () => {
    const backup = await inst.createBackup(`b1-${RUN}`, "nightly");
    expect(backup.name).toBe(`b1-${RUN}`);
    expect((await cdb.listBackups()).map((b) => b.id)).toContain(backup.id);
    expect((await inst.listBackups()).map((b) => b.id)).toContain(backup.id);
    await pyrax.utils.waitUntil(backup, "status", "COMPLETED", FAST);
    expect((await cdb.getBackup(backup.id)).status).toBe("COMPLETED");
    // pyrax's restore_backup(backup, name, flavor, volume): a new instance from it.
    const restored = await cdb.restoreBackup(backup, `restored-${RUN}`, "m1.tiny", 1);
    made.push(restored.id);
    await pyrax.utils.waitUntil(restored, "status", "ACTIVE", FAST);
    await restored.delete();
    await cdb.deleteBackup(backup);
    // Trove deletes the stored backup in its taskmanager: the record goes a moment later.
    await pyrax.utils.waitUntil(backup, "status", "DELETED", FAST);
    await expect(cdb.getBackup(backup.id)).rejects.toThrow(NotFound);
  });

  it("lists datastores, their versions and configuration parameters; creates and deletes a configuration group", async () => {
    const datastores = await cdb.listDatastores();
    const mysql = datastores.find((d) => d.name === "mysql")!;
    expect(mysql.versions.map((v) => v.name)).toContain("5.7");
    expect((await cdb.listDatastoreVersions("mysql")).map((v) => v.name)).toContain("5.7");
    const parameters = await cdb.listConfigurationParameters("mysql", "5.7");
    expect(parameters.find((p) => p.name === "max_connections")).toMatchObject({ type: "integer" });
    const group = await cdb.createConfiguration({
      name: `cfg-${RUN}`,
      values: { max_connections: 120 },
      datastore: "mysql",
      datastoreVersion: "5.7",
    });
    expect(group.values).toMatchObject({ max_connections: 120 });
    await cdb.updateConfiguration(group, { connect_timeout: 30 });
    expect((await cdb.getConfiguration(group.id)).values).toMatchObject({ max_connections: 120, connect_timeout: 30 });
    expect((await cdb.listConfigurations()).map((c) => c.id)).toContain(group.id);
    // Trove checks the values against the datastore's rules (its 422: BadRequest, not an instance state).
    const refused = await cdb
      .createConfiguration({
        name: `bad-${RUN}`,
        values: { max_connections: "many" },
        datastore: "mysql",
        datastoreVersion: "5.7",
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BadRequest);
    expect(refused).not.toBeInstanceOf(InstanceNotAvailable);
    expect((refused as ClientException).context.status).toBe(422);
    await inst.attachConfiguration(group);
    await pyrax.utils.waitUntil(inst, "status", "ACTIVE", FAST);
    expect(inst.configuration?.id).toBe(group.id);
    expect((await cdb.getConfiguration(group.id)).instance_count).toBe(1);
    await inst.detachConfiguration();
    await pyrax.utils.waitUntil(inst, "status", "ACTIVE", FAST);
    expect(inst.configuration).toBeUndefined();
    await cdb.deleteConfiguration(group);
    await expect(cdb.getConfiguration(group.id)).rejects.toThrow(NotFound);
  });

  it("refuses what pyrax refuses before sending", async () => {
    await expect(cdb.create(`x-${RUN}`, { version: "5.7" })).rejects.toThrow(MissingCloudDatabaseParameter);
    await expect(cdb.create(`x-${RUN}`, { volume: 0 })).rejects.toThrow(ValidationError);
    await expect(cdb.create(`x-${RUN}`, { flavour: 1 } as never)).rejects.toThrow(/unknown option "flavour"/);
    await expect(inst.resizeVolume(1)).rejects.toThrow(InvalidVolumeResize);
  });

  it("types Trove's quota refusal as OverLimit (a volume over max_accepted_volume_size)", async () => {
    const error = await cdb.create(`big-${RUN}`, 1, 11).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OverLimit);
    expect((error as OverLimit).context.status).toBe(413);
  });

  it("types an instance that goes to ERROR while waited on as UnexpectedStatus", async () => {
    // Trove's fake Nova fails to build a server whose name ends in SERVER_ERROR.
    const failing = await cdb.create(`broken-${RUN}-SERVER_ERROR`, 1, 1);
    made.push(failing.id);
    const error = await pyrax.utils.waitUntil(failing, "status", "ACTIVE", FAST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedStatus);
    expect((error as UnexpectedStatus).resourceStatus).toBe("ERROR");
    // An instance in ERROR takes no action: Trove's 422, typed.
    await expect(failing.restart()).rejects.toThrow(InstanceNotAvailable);
    await failing.delete();
  });

  it.skip("resizes the instance to another flavor (Trove's fake mode cannot: see the next test)", () => undefined);

  it("resize: Trove accepts it, but its fake Nova never finishes; the next action is InstanceNotAvailable", async () => {
    console.warn(
      "Trove's fake mode cannot resize: the flavor resize is accepted (202) and the instance stays in RESIZE " +
        "(the fake Nova never confirms it), and a volume resize fails inside the fake Cinder. Only the call and " +
        "Trove's refusal of the next action are checked here.",
    );
    const victim = await cdb.create(`resize-${RUN}`, 1, 1);
    made.push(victim.id);
    await pyrax.utils.waitUntil(victim, "status", "ACTIVE", FAST);
    await victim.resize("m1.small");
    await victim.get();
    expect(victim.status).toBe("RESIZE");
    await expect(victim.createBackup("while-resizing")).rejects.toThrow(InstanceNotAvailable);
    await victim.delete();
  });

  it("deletes the instance", async () => {
    await inst.delete();
    const gone = await pyrax.utils.waitUntil(inst, "status", "DELETED", FAST);
    expect(gone.status).toBe("DELETED");
  });
});
