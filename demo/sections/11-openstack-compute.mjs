// pyrax's Cloud Servers, Cloud Networks and Cloud Block Storage on real Nova, Neutron and Cinder
// (Debian's packages, fake virt and volume drivers), started here on 127.0.0.1 in two regions.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pyrax } from "@nimbus-sdk/openstack";
import { startServer } from "@nimbus-sdk/openstack/testing";

export const name = "openstack-compute";
export const title =
  "@nimbus-sdk/openstack: Cloud Servers, Networks and Block Storage on a local Nova, Neutron and Cinder";

export async function run({ step, show, failure, progressBar }) {
  step("starting Keystone, Glance, Nova, Placement, Neutron and Cinder in regions DFW and ORD (about a minute)");
  const bar = progressBar("stack");
  const cloud = await startServer({
    services: ["compute", "volume"],
    onProgress: (what, ms) => bar(Math.min(0.99, ms / 70_000), `${(ms / 1000).toFixed(0)} s ${what}`),
  });
  bar(1, "every API answers");
  const dir = mkdtempSync(join(tmpdir(), "nimbus-demo-compute-"));
  const configPath = join(dir, "pyrax.cfg");
  writeFileSync(configPath, `[default]\nidentity_type = keystone\nauth_endpoint = ${cloud.url}\nregion = DFW\n`);
  const pyrax = new Pyrax({ configPath });
  const cleanup = [];
  try {
    step(`pyrax.setCredentials(...) as ${cloud.credentials.username}; regions: ${cloud.regions.join(", ")}`);
    await pyrax.setCredentials(cloud.credentials.username, cloud.credentials.password, {
      tenantName: cloud.credentials.projectName,
    });

    step("pyrax's multi-region example: one client per region, each listing its own region's servers");
    const csDfw = await pyrax.connectToCloudservers({ region: "DFW" });
    const csOrd = await pyrax.connectToCloudservers({ region: "ORD" });
    for (const [region, cs] of [
      ["DFW", csDfw],
      ["ORD", csOrd],
    ]) {
      show(`${region}: ${cs.endpoint.origin} -> ${(await cs.list()).length} servers`);
    }

    const cs = pyrax.cloudservers;
    const cnw = pyrax.cloudNetworks;
    const cbs = pyrax.cloudBlockstorage;

    step('cnw.create("demo-net", { cidr: "192.168.7.0/24" })');
    const net = await cnw.create("demo-net", { cidr: "192.168.7.0/24" });
    cleanup.push(() => cnw.delete(net));
    show(`network ${net.id} ${net.label} ${net.cidr ?? ""}`);

    step('cs.servers.create("demo-web", image, flavor, { nics: net.getServerNetworks() }) and wait for ACTIVE');
    const flavor = await cs.flavors.find({ name: "m1.tiny" });
    const image = (await cs.images.list()).find((i) => i.name === cloud.image.name);
    const server = await cs.servers.create("demo-web", image, flavor, {
      nics: net.getServerNetworks(),
      meta: { role: "web" },
    });
    cleanup.push(async () => {
      await server.delete();
      await pyrax.utils.waitUntil(server, "status", "DELETED", { interval: 0.5, timeout: 120 });
    });
    show(`adminPass present in create's answer: ${typeof server.adminPass === "string"}`);
    // The third argument is common's Progress: Nova's build percentage as a fraction, 1 once ACTIVE.
    const build = progressBar("build");
    await pyrax.utils.waitUntil(server, "status", ["ACTIVE", "ERROR"], {
      interval: 0.5,
      timeout: 300,
      onProgress: (s, _ms, progress) => build(progress.fraction ?? 0, s.status),
    });
    show(`${server.name}: ${server.status}, networks ${JSON.stringify(server.networks)}`);

    step('cbs.create("demo-data", 1), attach it to the server at /dev/vdb, snapshot it');
    const vol = await cbs.create("demo-data", 1);
    cleanup.push(async () => {
      await vol.delete();
      await pyrax.utils.waitUntil(vol, "status", "deleted", { interval: 0.5, timeout: 120 });
    });
    await pyrax.utils.waitUntil(vol, "status", "available", { interval: 0.5, timeout: 120 });
    await vol.attachToInstance(server, "/dev/vdb");
    await pyrax.utils.waitUntil(vol, "status", "in-use", { interval: 0.5, timeout: 120 });
    show(`volume ${vol.id}: ${vol.status}`);
    await vol.detach();
    await pyrax.utils.waitUntil(vol, "status", "available", { interval: 0.5, timeout: 120 });
    const snap = await vol.createSnapshot("demo-snap", { force: false });
    cleanup.push(async () => {
      await snap.delete();
      await pyrax.utils.waitUntil(snap, "status", "deleted", { interval: 0.5, timeout: 120 });
    });
    await pyrax.utils.waitUntil(snap, "status", "available", { interval: 0.5, timeout: 120 });
    show(`snapshot ${snap.id}: ${snap.status}; snapshots listed: ${(await cbs.listSnapshots()).length}`);

    step("bad input and faults, each a typed error naming the problem");
    show(await failure(() => cnw.create("bad-net", { cidr: "300.1.2.0/24" })));
    show(await failure(() => cs.flavors.find({ name: "no-such-flavor" })));
    show(await failure(() => cnw.delete(net)));
  } finally {
    step("tearing down: snapshot, volume, server, network");
    for (const undo of cleanup.reverse()) {
      try {
        await undo();
      } catch (error) {
        show(`cleanup: ${error.name}: ${error.message}`);
      }
    }
    await pyrax.close();
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
