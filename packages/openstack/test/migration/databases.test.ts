// Idioms of public scripts written against pyrax.cloud_databases, ported line by line and run on the
// real Trove of the shared stack. Sources: Ansible's rax_cdb module (ansible/ansible,
// lib/ansible/modules/cloud/rackspace/rax_cdb.py: find by name in cdb.list(), create with keywords,
// flavor ids from list_flavors(), volume.size, resize_volume, wait_until ACTIVE, delete and wait for
// SHUTDOWN), and the calls of its siblings rax_cdb_database and rax_cdb_user (get_database/get_user
// with NoSuchDatabase/NoSuchDatabaseUser, create_database, create_user with database_names and host,
// grant/revoke access, delete).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { waitUntil } from "@nimbus-sdk/common";
import {
  NoSuchDatabase,
  NoSuchDatabaseUser,
  NotFound,
  Pyrax,
  type CloudDatabaseInstance,
  type CloudDatabases,
} from "../../src/index.js";
import { sampleSession, type SampleSession } from "../helpers/sample-session.js";
import { settledGetError, sharedComputeCloud } from "../helpers/stack.js";

const RUN = randomBytes(3).toString("hex");
jest.setTimeout(240_000);

describe("migration: Ansible's rax_cdb, rax_cdb_database and rax_cdb_user idioms", () => {
  let pyrax: Pyrax;
  let cdb: CloudDatabases;
  const waitTimeout = 120;

  beforeAll(async () => {
    const cloud = await sharedComputeCloud();
    pyrax = new Pyrax({ configPath: "/nonexistent/pyrax.cfg", env: {} });
    pyrax.setSetting("identity_type", "keystone");
    pyrax.setSetting("auth_endpoint", cloud.stack.url);
    const { username, password, projectName } = cloud.stack.credentials;
    await pyrax.setCredentials(username, password, { tenantName: projectName });
    cdb = pyrax.cloudDatabases!;
  }, 15 * 60_000);

  afterAll(async () => {
    await pyrax?.close();
  });

  // rax_cdb's find_instance(name)
  async function findInstance(name: string): Promise<CloudDatabaseInstance | false> {
    const instances = await pyrax.cloudDatabases!.list();
    for (const instance of instances) if (instance.name === name) return instance;
    return false;
  }

  it("rax_cdb: present (create, wait ACTIVE), present again (found by name, compared), users and databases, absent", async () => {
    const name = `ansible-${RUN}`;
    const [flavor, volume, cdbType, cdbVersion] = [1, 2, "mysql", "5.7"];
    const flavors: (number | string)[] = [];
    for (const item of await cdb.listFlavors()) flavors.push(item.id);
    expect(flavors).toContain(flavor);
    expect(await findInstance(name)).toBe(false);
    let instance = await cdb.create(name, { flavor, volume, type: cdbType, version: cdbVersion });
    await pyrax.utils.waitUntil(instance, "status", "ACTIVE", { attempts: waitTimeout, interval: 1 });
    expect(instance.status).toBe("ACTIVE");

    // The second run of the play finds it and compares what it asked for.
    instance = (await findInstance(name)) as CloudDatabaseInstance;
    expect(instance.volume!.size).toBe(volume);
    expect(Number(instance.flavor.id)).toBe(flavor);

    // rax_cdb_database
    let database;
    try {
      database = await instance.getDatabase("appdb");
    } catch (error) {
      if (!(error instanceof NoSuchDatabase)) throw error;
      database = await instance.createDatabase("appdb", "utf8", "utf8_general_ci");
    }
    expect(database.name).toBe("appdb");

    // rax_cdb_user
    let user;
    try {
      user = await instance.getUser("appuser");
    } catch (error) {
      if (!(error instanceof NoSuchDatabaseUser)) throw error;
      user = await instance.createUser("appuser", "s3cret", ["appdb"], "%");
    }
    const access = (await user.listUserAccess()).map((db) => db.name);
    expect(access).toEqual(["appdb"]);
    await instance.createDatabase("other");
    await instance.grantUserAccess(user, ["other"]);
    await instance.revokeUserAccess(user, ["appdb"]);
    expect((await user.listUserAccess()).map((db) => db.name)).toEqual(["other"]);
    await user.delete();
    await database.delete();
    // Trove drops the user in the guest after answering: until getUser says NoSuchDatabaseUser.
    const gone = () =>
      instance.getUser("appuser").then(
        () => false,
        (error: unknown) => {
          if (error instanceof NoSuchDatabaseUser) return true;
          throw error;
        },
      );
    await waitUntil(gone, (yes) => yes, { interval: 250, timeout: 30_000 });

    // state: absent. On Trove the record disappears right after SHUTDOWN, so DELETED counts too.
    await instance.delete();
    await pyrax.utils.waitUntil(instance, "status", ["SHUTDOWN", "DELETED"], { attempts: waitTimeout, interval: 1 });
    expect(["SHUTDOWN", "DELETED"]).toContain(instance.status);
  });
});

// pycontribs/pyrax samples/cloud_databases/*.py, through the module object after the scripts' credential
// file (`cdb = pyrax.cloud_databases`). The interactive choices pick this run's instance (the stack is shared).
describe("pyrax samples/cloud_databases", () => {
  let session: SampleSession;
  let cdb: CloudDatabases;
  const nm = `sample-${RUN}`;

  beforeAll(async () => {
    session = await sampleSession(await sharedComputeCloud());
    cdb = session.pyrax.cloudDatabases!;
  }, 15 * 60_000);

  afterAll(async () => {
    for (const inst of await cdb.list().catch(() => []))
      if (inst.name === nm) await inst.delete().catch(() => undefined);
    await session?.close();
  });

  // for pos, inst in enumerate(instances): the line add_database, add_user and delete_instance print
  const describeInstance = (inst: CloudDatabaseInstance) => [
    inst.name,
    inst.flavor.name,
    inst.flavor.ram,
    inst.volume!.size,
    inst.status,
  ];

  it("samples/cloud_databases/list_flavors.py: flavors = cdb.list_flavors(); name, ram, id", async () => {
    const flavors = await cdb.listFlavors();
    expect(Array.isArray(flavors)).toBe(true);
    const tiny = flavors.find((flavor) => flavor.name === "m1.tiny")!;
    expect([tiny.ram, String(tiny.id)]).toEqual([512, "1"]);
  });

  it("samples/cloud_databases/create_instance.py, add_database.py, add_user.py, delete_instance.py", async () => {
    // create_instance.py: flavors = cdb.list_flavors(); selected = flavors[flav]
    const flavors = await cdb.listFlavors();
    const selected = flavors[flavors.findIndex((flavor) => flavor.name === "m1.small")]!;
    // instance = cdb.create(nm, flavor=selected, volume=sz)
    const instance = await cdb.create(nm, { flavor: selected, volume: 2 });
    // print instance.name, instance.id, instance.status, instance.flavor.name
    expect([instance.name, typeof instance.id, instance.status, instance.flavor.name]).toEqual([
      nm,
      "string",
      "BUILD",
      "m1.small",
    ]);
    await session.pyrax.utils.waitUntil(instance, "status", "ACTIVE", { attempts: 120, interval: 1 });

    // add_database.py: instances = cdb.list(); print each; inst = instances[sel]
    let instances = await cdb.list();
    let inst = instances[instances.findIndex((i) => i.name === nm)]!;
    expect(describeInstance(inst)).toEqual([nm, "m1.small", 2048, 2, "ACTIVE"]);
    // db = inst.create_database(nm); dbs = inst.list_databases(); print db.name for each
    const db = await inst.createDatabase("sampledb");
    expect(db.name).toBe("sampledb");
    expect((await inst.listDatabases()).map((d) => d.name)).toContain("sampledb");
    await inst.createDatabase("otherdb");

    // add_user.py: dbs = inst.list_databases(); sel_dbs = [db.name for pos, db in enumerate(dbs) if pos in selnums]
    instances = await cdb.list();
    inst = instances.filter((i) => i.name === nm)[0]!;
    const dbs = await inst.listDatabases();
    const selDbs = dbs.filter((d) => d.name === "sampledb").map((d) => d.name);
    // user = inst.create_user(nm, pw, database_names=sel_dbs)
    const user = await inst.createUser("sampleuser", "s3cret-pw", { databaseNames: selDbs });
    expect(user.name).toBe("sampleuser");
    expect((await user.listUserAccess()).map((d) => d.name)).toEqual(["sampledb"]);

    // delete_instance.py: del_inst = instances[sel]; del_inst.delete()
    instances = await cdb.list();
    const delInst = instances.filter((i) => i.name === nm)[0]!;
    expect(describeInstance(delInst)).toEqual([nm, "m1.small", 2048, 2, "ACTIVE"]);
    await delInst.delete();
    await session.pyrax.utils.waitUntil(delInst, "status", ["SHUTDOWN", "DELETED"], { attempts: 120, interval: 1 });
    // Trove drops the record shortly after SHUTDOWN.
    expect(await settledGetError(() => cdb.get(delInst.id))).toBeInstanceOf(NotFound);
  });
});
