// Idioms of public scripts written against pyrax's cloudservers and novaclient, ported line by line
// and run against the real Nova of the shared stack. Each names its source; each asserts what the
// Python code relied on (return shapes, defaults, errors).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { CloudServers, NotFound, Server, utils, type ComputeImage, type Flavor } from "../../src/index.js";
import { settledGetError, sharedComputeCloud, type ComputeCloud } from "../helpers/stack.js";

const RUN = randomBytes(3).toString("hex");
const FAST = { interval: 0.3, timeout: 90 };

describe("pyrax cloudservers / novaclient idioms", () => {
  let cloud: ComputeCloud;
  let cs: CloudServers;
  let imageName: string;
  const created: string[] = [];
  const track = (server: Server) => (created.push(server.id), server);

  beforeAll(async () => {
    cloud = await sharedComputeCloud();
    cs = new CloudServers({ endpoint: cloud.endpoint("compute"), region: cloud.region, auth: cloud.auth });
    imageName = cloud.stack.image!.name;
  }, 15 * 60_000);

  afterAll(async () => {
    for (const id of created) await cs.servers.delete(id).catch(() => undefined);
    await cs?.close();
  }, 60_000);

  it("developer.rackspace.com docs/compute/samples/create_server.rst: pick by list comprehension, wait_for_build", async () => {
    // image = [img for img in cs.images.list() if "Fedora 20" in img.name][0]
    const image = (await cs.images.list()).filter((img) => img.name!.includes(imageName.slice(0, 6)))[0]!;
    // flavor = [flavor for flavor in cs.flavors.list() if flavor.name == "1 GB Performance"][0]
    const flavor = (await cs.flavors.list()).filter((f) => f.name === "m1.tiny")[0]!;
    // server = cs.servers.create(server_name, image.id, flavor)
    const server = track(await cs.servers.create(`f20-${RUN}`, image.id, flavor, { nics: "none" }));
    // pyrax.utils.wait_for_build(server, verbose=True)
    await utils.waitForBuild(server, { interval: 0.3 });
    expect(server.status).toBe("ACTIVE");
  }, 120_000);

  it("pyrax docs/cloud_servers.md: attributes of listed images and flavors", async () => {
    // for img in imgs: print img.name, "  -- ID:", img.id
    for (const img of await cs.images.list()) {
      expect(typeof img.name).toBe("string");
      expect(img.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    // flvs = cs.list_flavors(); flv.name, flv.id, flv.ram, flv.disk, flv.vcpus
    for (const flv of await cs.listFlavors()) {
      expect(typeof flv.ram).toBe("number");
      expect(typeof flv.disk).toBe("number");
      expect(typeof flv.vcpus).toBe("number");
    }
    // flavor_1GB = [flavor for flavor in cs.flavors.list() if flavor.ram == 1024][0]
    const byRam: Flavor | undefined = (await cs.flavors.list()).filter((f) => f.ram === 2048)[0];
    expect(byRam?.name).toBe("m1.small");
    // cs.list_base_images() / cs.list_snapshots(): base images have no `server`
    expect((await cs.listBaseImages()).map((i: ComputeImage) => i.id)).toContain(cloud.stack.image!.id);
    expect((await cs.listSnapshots()).map((i) => i.id)).not.toContain(cloud.stack.image!.id);
    expect((await cs.findImagesByName(imageName.toUpperCase())).map((i) => i.id)).toContain(cloud.stack.image!.id);
  });

  it("pyrax docs/cloud_servers.md: key pair from a file's text, then key_name on create", async () => {
    // A public key as ~/.ssh/id_rsa.pub holds it: one Nova generates, under another name.
    const generated = await cs.keypairs.create(`gen_${RUN}`);
    await generated.delete();
    // cs.keypairs.create("my_key", keyfile.read())  -- the public key positionally
    const key = await cs.keypairs.create(`my_key_${RUN}`, generated.public_key);
    expect(key.fingerprint).toBe(generated.fingerprint);
    try {
      // server = cs.servers.create("first_server", ubu_image.id, flavor_1GB.id, key_name="my_key")
      const server = track(
        await cs.servers.create(`first-${RUN}`, cloud.stack.image!.id, "1", { keyName: key.name, nics: "none" }),
      );
      // print server.id, server.status, server.adminPass, server.networks -> BUILD, a password, {}
      expect(server.status).toBe("BUILD");
      expect(server.adminPass).toEqual(expect.any(String));
      expect(server.networks).toEqual({});
      // server = cs.servers.get(server.id): a fresh snapshot, without adminPass
      const fresh = await cs.servers.get(server.id);
      expect(fresh.adminPass).toBeUndefined();
      expect(fresh.key_name).toBe(key.name);
    } finally {
      await key.delete();
    }
  }, 60_000);

  it("pyrax docs/cloud_servers.md: wait_until with ACTIVE and ERROR, meta and files on create", async () => {
    // server = cs.servers.create("meta_server", ubuid, flavor.id, meta=meta, files=files)
    const meta = { test_key: "test_value", meaning_of_life: "42" };
    const files = { "/root/testfile": "This is the contents of the text file.\n" };
    const srv = track(
      await cs.servers.create(`meta-${RUN}`, cloud.stack.image!.id, "1", { meta, files, nics: "none" }),
    );
    // new_srv = pyrax.utils.wait_until(srv, "status", ["ACTIVE", "ERROR"])
    const newSrv = await utils.waitUntil(srv, "status", ["ACTIVE", "ERROR"], { interval: 0.3 });
    expect(newSrv.status).toBe("ACTIVE");
    // "Check its metadata attribute to verify that it contains the same key/value pairs"
    expect((await cs.servers.get(srv.id)).metadata).toEqual(meta);
  }, 120_000);

  it("StephanieRoll/Racker-Challenges Challenge2.py: create_image by server id, poll the image, boot from it", async () => {
    const source = track(await cs.servers.create(`src-${RUN}`, cloud.stack.image!.id, "1", { nics: "none" }));
    await utils.waitUntil(source, "status", "ACTIVE", FAST);
    // image_id = cs.servers.create_image(id_of_server, "Image3")
    const imageId = await cs.servers.createImage(source.id, `Image3-${RUN}`);
    // image_of_server = cs.images.get(image_id); while image_of_server.status != "ACTIVE": ...
    let imageOfServer = await cs.images.get(imageId);
    expect(imageOfServer.server?.id).toBe(source.id);
    await utils.waitUntil(source, "OS-EXT-STS:task_state", [null], FAST);
    imageOfServer = await cs.images.get(imageId);
    expect(["ACTIVE", "SAVING", "QUEUED", "UNKNOWN"]).toContain(imageOfServer.status);
    // new_server = cs.servers.create("Tanks_Box2", image_of_server, "2"): an image object and a flavor id.
    // The fake virt driver uploads no snapshot data, so the object is the seeded image's compute view.
    const bootable = await cs.images.get(cloud.stack.image!.id);
    const newServer = track(await cs.servers.create(`Tanks_Box2-${RUN}`, bootable, "2", { nics: "none" }));
    // print new_server.adminPass; while new_server.status != "ACTIVE": new_server = cs.servers.get(new_server.id)
    expect(newServer.adminPass).toEqual(expect.any(String));
    let current = newServer;
    for (let i = 0; i < 200 && current.status !== "ACTIVE"; i++) {
      await new Promise((r) => setTimeout(r, 300));
      current = await cs.servers.get(newServer.id);
    }
    expect(current.status).toBe("ACTIVE");
    expect(current.networks).toEqual({});
    await cs.images.delete(imageId).catch(() => undefined);
  }, 180_000);

  it("rajdeepd/openstack-samples lab1/novasamples/create_server_v2.py: find image and flavor by name", async () => {
    // image = nova_client.images.find(name="cirros"); flavor = nova_client.flavors.find(name="m1.tiny")
    const image = await cs.images.find({ name: imageName });
    const flavor = await cs.flavors.find({ name: "m1.tiny" });
    // instance = nova_client.servers.create(name="vm2", image=image, flavor=flavor)
    const instance = track(await cs.servers.create(`vm2-${RUN}`, image, flavor, { nics: "none" }));
    // print nova_client.servers.list(): a list that holds the new server
    const listed = await cs.servers.list();
    expect(Array.isArray(listed)).toBe(true);
    expect(listed.map((s) => s.id)).toContain(instance.id);
  }, 60_000);

  it("BU-NU-CLOUD-SP16/Lambda-on-OpenStack Provision/delete-instance.py: scan the list by name, delete", async () => {
    const vm = track(await cs.servers.create(`vm-del-${RUN}`, cloud.stack.image!.id, "1", { nics: "none" }));
    // for s in servers_list: if s.name == server_del: ... nova_client.servers.delete(s)
    let found: Server | undefined;
    for (const s of await cs.servers.list()) {
      if (s.name === `vm-del-${RUN}`) {
        found = s;
        break;
      }
    }
    expect(found?.id).toBe(vm.id);
    await cs.servers.delete(found!);
    await utils.waitUntil(vm, "status", "DELETED", FAST);
    expect(await settledGetError(() => cs.servers.get(vm.id))).toBeInstanceOf(NotFound);
  }, 120_000);

  it("vieyahn2017/pypy nova_RebootServer_test.py: reboot through the manager by id", async () => {
    const server = track(await cs.servers.create(`reboot-${RUN}`, cloud.stack.image!.id, "1", { nics: "none" }));
    await utils.waitUntil(server, "status", "ACTIVE", FAST);
    // nova_client.servers.reboot(server_id, reboot_type=REBOOT_SOFT)
    await cs.servers.reboot(server.id, "SOFT");
    expect(["REBOOT", "ACTIVE"]).toContain((await cs.servers.get(server.id)).status);
    await utils.waitUntil(server, "status", "ACTIVE", FAST);
  }, 120_000);

  it("jacobian/openstack.compute README: s.reboot() is a soft reboot, then s.delete()", async () => {
    const s = track(await cs.servers.create(`myserver-${RUN}`, cloud.stack.image!.id, "1", { nics: "none" }));
    await utils.waitUntil(s, "status", "ACTIVE", FAST);
    await s.reboot();
    await utils.waitUntil(s, "status", "ACTIVE", FAST);
    await s.delete();
    expect((await utils.waitUntil(s, "status", "DELETED", FAST)).status).toBe("DELETED");
  }, 120_000);

  it("pyrax docs/cloud_servers.md: delete every server of a listing, NotFound once gone", async () => {
    const mine = [
      track(await cs.servers.create(`all-a-${RUN}`, cloud.stack.image!.id, "1", { nics: "none" })),
      track(await cs.servers.create(`all-b-${RUN}`, cloud.stack.image!.id, "1", { nics: "none" })),
    ];
    // for server in cs.servers.list(): server.delete()  (only this run's, the stack is shared)
    for (const server of await cs.servers.list()) {
      if (server.name?.startsWith("all-") && server.name.endsWith(RUN)) await server.delete();
    }
    for (const server of mine) await utils.waitUntil(server, "status", "DELETED", FAST);
    // "trying again a few seconds later results in a NotFound exception being raised"
    await expect(cs.servers.get(mine[0]!.id)).rejects.toThrow(NotFound);
  }, 120_000);
});
