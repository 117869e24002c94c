// pyrax.cloudDatabases on a real Trove v1.0 (Debian's python3-trove in its fake mode: the real API and
// taskmanager, with Trove's own fakes for Nova, Cinder and the guest agent), started here beside Keystone.
import { Pyrax } from "@nimbus-sdk/openstack";
import { startServer } from "@nimbus-sdk/openstack/testing";

export const name = "openstack-databases";
export const title = "@nimbus-sdk/openstack: pyrax.cloudDatabases on a local Trove";

export async function run({ step, show }) {
  step('starting Keystone and Trove on 127.0.0.1: startServer({ services: ["database"] })');
  const cloud = await startServer({
    services: ["database"],
    onProgress: (what, ms) => show(`${(ms / 1000).toFixed(1)} s  ${what}`),
  });
  const pyrax = new Pyrax({ configPath: "/nonexistent/pyrax.cfg", env: {} });
  try {
    pyrax.setSetting("identity_type", "keystone");
    pyrax.setSetting("auth_endpoint", cloud.url);
    const { username, password, projectName } = cloud.credentials;
    await pyrax.setCredentials(username, password, { tenantName: projectName });
    const cdb = pyrax.cloudDatabases;

    step("cdb.listFlavors() and cdb.listDatastores()");
    for (const f of (await cdb.listFlavors()).slice(0, 3)) show(`flavor ${f.id}  ${f.name}  ${f.ram} MB`);
    for (const d of await cdb.listDatastores())
      show(`datastore ${d.name}: ${d.versions.map((v) => v.name).join(", ")}`);

    step('cdb.create("db1", { flavor: await cdb.getFlavor(1), volume: 2, datastore: "mysql", version: "5.7" })');
    const inst = await cdb.create("db1", {
      flavor: await cdb.getFlavor(1),
      volume: 2,
      datastore: "mysql",
      version: "5.7",
    });
    show(`${inst.id}  ${inst.status}`);
    step('pyrax.utils.waitUntil(inst, "status", "ACTIVE")');
    const started = Date.now();
    await pyrax.utils.waitUntil(inst, "status", "ACTIVE", { interval: 1 });
    show(
      `${inst.name} is ${inst.status} after ${((Date.now() - started) / 1000).toFixed(1)} s; volume ${inst.volume.size} GB`,
    );

    step('inst.createDatabase("app"); inst.createUser("appuser", "…", { databaseNames: ["app"] })');
    await inst.createDatabase("app");
    await inst.createUser("appuser", "s3cret-pw", { databaseNames: ["app"] });
    show(`databases: ${(await inst.listDatabases()).map((d) => d.name).join(", ")}`);
    for (const u of await inst.listUsers())
      show(`user ${u.name}@${u.host} on ${u.databases.map((d) => d.name).join(", ")}`);

    step("inst.enableRootUser(), inst.rootUserStatus()");
    await inst.enableRootUser();
    show(`root enabled: ${await inst.rootUserStatus()}`);

    step("a user given access to a database that does not exist is refused before anything is sent");
    await inst.grantUserAccess("appuser", ["nope"]).catch((e) => show(`${e.name}: ${e.message}`));

    step("inst.delete(), then waitUntil DELETED");
    await inst.delete();
    await pyrax.utils.waitUntil(inst, "status", "DELETED", { interval: 1 });
    show(`listed now: ${(await cdb.list()).length} instance(s)`);
  } finally {
    await pyrax.close();
    await cloud.stop();
  }
}
