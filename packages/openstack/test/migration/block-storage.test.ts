// Idioms of public scripts written against pyrax's cloud_blockstorage, ported line by line and run
// against the real Cinder (and Nova) of the shared stack. Each names its source; each asserts what
// the Python code relied on. Rackspace's volume types SATA and SSD are made by an administrator first,
// so the scripts' `volume_type="SATA"` ports unchanged.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { waitUntil, type AuthStep } from "@nimbus-sdk/common";
import { CloudServers, NotFound, exc, utils, type Server } from "../../src/index.js";
import { CloudBlockStorage, type Volume, type VolumeType } from "../../src/resources/block-storage/index.js";
import { CloudNetworks } from "../../src/resources/network/index.js";
import { sharedComputeCloud, type ComputeCloud } from "../helpers/stack.js";

const RUN = randomBytes(3).toString("hex");
const FAST = { interval: 0.3, timeout: 90 };
jest.setTimeout(180_000);

function tokenAuth(token: string): AuthStep {
  return { authorize: (request) => void (request.headers["x-auth-token"] = token) };
}

describe("pyrax cloud_blockstorage idioms", () => {
  let cloud: ComputeCloud;
  let cbs: CloudBlockStorage;
  let cs: CloudServers;
  let cnw: CloudNetworks;
  let server: Server;
  let networkId: string;
  const types: VolumeType[] = [];
  const volumes: string[] = [];
  const track = (volume: Volume) => (volumes.push(volume.id), volume);
  const gone = (id: string) =>
    waitUntil(
      () =>
        cbs.get(id).then(
          () => false,
          (error: unknown) => {
            if (error instanceof NotFound) return true;
            throw error;
          },
        ),
      (done) => done,
      { interval: 300, timeout: 90_000 },
    );

  beforeAll(async () => {
    cloud = await sharedComputeCloud();
    cbs = new CloudBlockStorage({
      endpoint: cloud.endpoint("volumev3"),
      region: cloud.region,
      auth: cloud.auth,
      computeEndpoint: () => cloud.endpoint("compute"),
    });
    const login = await cloud.login(cloud.stack.admin);
    const admin = new CloudBlockStorage({
      endpoint: cloud.stack.volumeUrls![cloud.region]! + `/v3/${cloud.stack.admin.projectId}`,
      region: cloud.region,
      auth: tokenAuth(login.token),
    });
    const existing = (await admin.listTypes()).map((t) => t.name);
    for (const name of ["SATA", "SSD"]) {
      if (!existing.includes(name)) types.push(await admin.createType({ name }));
    }
    await admin.close();
    cs = new CloudServers({ endpoint: cloud.endpoint("compute"), region: cloud.region, auth: cloud.auth });
    cnw = new CloudNetworks({ endpoint: cloud.endpoint("network"), region: cloud.region, auth: cloud.auth });
    const net = await cnw.create(`cbs-mig-${RUN}`, { cidr: "10.91.0.0/24" });
    networkId = net.id;
    server = await cs.servers.create(`sample_server_${RUN}`, cloud.stack.image!.id, "1", {
      nics: net.getServerNetworks(),
    });
    await utils.waitUntil(server, "status", "ACTIVE", FAST);
  }, 15 * 60_000);

  afterAll(async () => {
    for (const id of volumes) await cbs.deleteVolume(id, true).catch(() => undefined);
    for (const id of volumes) await gone(id).catch(() => undefined);
    if (server) {
      await cs.servers.delete(server.id).catch(() => undefined);
      await utils
        .waitUntil({ status: "", get: () => cs.servers.get(server.id) }, "status", "DELETED", FAST)
        .catch(() => undefined);
    }
    if (networkId) await cnw.delete(networkId).catch(() => undefined);
    // The types go only when no volume uses them any more (another run may still).
    for (const type of types) await type.delete().catch(() => undefined);
    await Promise.allSettled([cbs?.close(), cs?.close(), cnw?.close()]);
  }, 300_000);

  it("pyrax samples/cloud_blockstorage/attach_detach_volume.py: create, attach, wait in-use, detach, wait, delete", async () => {
    // vol = cbs.create(name="sample_volume", size=100, volume_type="SATA")
    const vol = track(await cbs.create({ name: `sample_volume_${RUN}`, size: 100, volumeType: "SATA" }));
    expect(vol.name).toBe(`sample_volume_${RUN}`);
    await utils.waitUntil(vol, "status", "available", FAST);
    // vol.attach_to_instance(server, mountpoint="/dev/xvdd")
    await vol.attachToInstance(server, "/dev/xvdd");
    // pyrax.utils.wait_until(vol, "status", "in-use", interval=3, attempts=0, verbose=True)
    await utils.waitUntil(vol, "status", "in-use", { ...FAST, attempts: 0 });
    // print("Volume attachments:", vol.attachments)
    expect(vol.attachments).toHaveLength(1);
    expect(vol.attachments[0]!.server_id).toBe(server.id);
    // vol.detach(); pyrax.utils.wait_until(vol, "status", "available", ...)
    await vol.detach();
    await utils.waitUntil(vol, "status", "available", { ...FAST, attempts: 0 });
    expect(vol.attachments).toEqual([]);
    // vol.delete()
    await vol.delete();
    await gone(vol.id);
  });

  it("pyrax samples/cloud_blockstorage/create_snapshot.py: snapshot, wait, delete it, then except VolumeNotAvailable", async () => {
    // vol = cbs.create(name="sample_volume", size=500, volume_type="SATA")
    const vol = track(await cbs.create({ name: `snap_volume_${RUN}`, size: 500, volumeType: "SATA" }));
    // (Rackspace made volumes available at once; Cinder refuses to snapshot a volume still creating.)
    await utils.waitUntil(vol, "status", "available", FAST);
    // snap = vol.create_snapshot("sample_snap")
    const snap = await vol.createSnapshot(`sample_snap_${RUN}`);
    // pyrax.utils.wait_until(snap, "status", "available", attempts=0, verbose=True)
    await utils.waitUntil(snap, "status", "available", { ...FAST, attempts: 0 });
    // snap.delete(); try: vol.delete() except exc.VolumeNotAvailable: print("snapshot deletion not completed")
    await snap.delete();
    let deleted = false;
    try {
      await vol.delete();
      deleted = true;
    } catch (error) {
      if (!(error instanceof exc.VolumeNotAvailable)) throw error;
    }
    if (!deleted) {
      // As the sample says: once the snapshot is gone, the volume can go.
      await waitUntil(
        () =>
          cbs.getSnapshot(snap.id).then(
            () => false,
            () => true,
          ),
        (done) => done,
        { interval: 300, timeout: 60_000 },
      );
      await vol.delete();
    }
    await gone(vol.id);
  });

  it("pyrax samples/cloud_blockstorage/create_volume.py and delete_volume.py: SATA and SSD, then find(name=) and delete", async () => {
    // sata_vol = cbs.create(name="my_standard_volume", size=500, volume_type="SATA")
    const sata = track(await cbs.create({ name: `my_standard_volume_${RUN}`, size: 500, volumeType: "SATA" }));
    // ssd_vol = cbs.create(name="my_fast_volume", size=500, volume_type="SSD")
    const ssd = track(await cbs.create({ name: `my_fast_volume_${RUN}`, size: 500, volumeType: "SSD" }));
    expect(sata.volume_type).toBe("SATA");
    expect(ssd.volume_type).toBe("SSD");
    await utils.waitUntil(ssd, "status", "available", FAST);
    // vol = cbs.find(name="my_fast_volume"); vol.delete()
    const vol = await cbs.find({ name: `my_fast_volume_${RUN}` });
    expect(vol.id).toBe(ssd.id);
    await vol.delete();
    await gone(ssd.id);
  });

  it("pyrax docs/cloud_blockstorage.md: list_types, snapshots by name and by volume id, delete_all_snapshots", async () => {
    // print cbs.list_types() -> [<CloudBlockStorageVolumeType ... name=SATA>, <... name=SSD>]
    const names = (await cbs.listTypes()).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["SATA", "SSD"]));
    const vol = track(await cbs.create({ name: `docs_${RUN}`, size: 100 }));
    await utils.waitUntil(vol, "status", "available", FAST);
    // snap = vol.create_snapshot(name="My Snapshot")
    const first = await vol.createSnapshot({ name: `My Snapshot ${RUN}` });
    await utils.waitUntil(first, "status", "available", FAST);
    // snap = cbs.create_snapshot("c1b05ede-…", name="My Snapshot"): the volume by its id
    const second = await cbs.createSnapshot(vol.id, `Daily Snapshot ${RUN}`);
    await utils.waitUntil(second, "status", "available", FAST);
    // print cbs.list_snapshots(); print vol.list_snapshots()
    expect((await cbs.listSnapshots()).map((s) => s.id)).toEqual(expect.arrayContaining([first.id, second.id]));
    expect((await vol.listSnapshots()).map((s) => s.display_name).sort()).toEqual([
      `Daily Snapshot ${RUN}`,
      `My Snapshot ${RUN}`,
    ]);
    // vol.delete_all_snapshots(); then cbs.delete_volume(vol)
    await vol.deleteAllSnapshots();
    expect(await vol.listSnapshots()).toEqual([]);
    await cbs.deleteVolume(vol);
    await gone(vol.id);
  });

  it("pyrax docs/cloud_blockstorage.md: cbs.attach_to_instance(vol, server, mountpoint=…), cbs.detach(vol), delete(force=True)", async () => {
    const vol = track(await cbs.create({ name: `forced_${RUN}`, size: 100 }));
    await utils.waitUntil(vol, "status", "available", FAST);
    // cbs.attach_to_instance(vol, server, mountpoint=mountpoint)
    await cbs.attachToInstance(vol, server, "/dev/xvdb");
    await utils.waitUntil(vol, "status", "in-use", FAST);
    // A volume that is attached cannot be deleted.
    await expect(cbs.deleteVolume(vol)).rejects.toThrow(exc.VolumeNotAvailable);
    // cbs.detach(vol): nothing happens when it is not attached, so twice is fine once detached.
    await cbs.detach(vol);
    await utils.waitUntil(vol, "status", "available", FAST);
    await cbs.detach(vol);
    await cbs.attachToInstance(vol.id, server.id, "/dev/xvdb");
    await utils.waitUntil(vol, "status", "in-use", FAST);
    const snap = await vol.createSnapshot(`forced_snap_${RUN}`, undefined, true);
    await utils.waitUntil(snap, "status", "available", FAST);
    // vol.delete(force=True): detached, snapshots deleted, then the volume.
    await vol.delete(true);
    await gone(vol.id);
    await expect(cbs.getSnapshot(snap.id)).rejects.toThrow(NotFound);
  });
});
