// pyrax.cloud_blockstorage over a real Cinder v3 (Debian's Zed packages, the fake volume driver), with
// Nova for attach and detach and Glance for volumes from images: the shared stack of the run.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { BadRequestError, ValidationError, waitUntil, type AuthStep } from "@nimbus-sdk/common";
import {
  CloudServers,
  InvalidSize,
  NoUniqueMatch,
  NotFound,
  OverLimit,
  SnapshotNotAvailable,
  UnsupportedMicroversion,
  VolumeAttachmentFailed,
  VolumeCloneTooSmall,
  VolumeHasSnapshots,
  VolumeNotAvailable,
  compareMicroversions,
  utils,
  type Server,
} from "../src/index.js";
import {
  CloudBlockStorage,
  MAX_VOLUME_MICROVERSION,
  Snapshot,
  Volume,
  VolumeType,
} from "../src/resources/block-storage/index.js";
import { CloudNetworks } from "../src/resources/network/index.js";
import { sharedComputeCloud, type ComputeCloud } from "./helpers/stack.js";

const RUN = randomBytes(3).toString("hex");
const FAST = { interval: 0.3, timeout: 90 };
// Two cores shared with other test runs: a Cinder call can take seconds.
jest.setTimeout(180_000);

function tokenAuth(token: string): AuthStep {
  return { authorize: (request) => void (request.headers["x-auth-token"] = token) };
}

describe("pyrax.cloud_blockstorage against a real Cinder", () => {
  let cloud: ComputeCloud;
  let cbs: CloudBlockStorage;
  let admin: CloudBlockStorage;
  let cnw: CloudNetworks;
  let cs: CloudServers;
  let networkId: string | undefined;
  let server: Server | undefined;
  const volumes: string[] = [];

  const track = (volume: Volume): Volume => {
    volumes.push(volume.id);
    return volume;
  };
  const available = (volume: Volume | Snapshot) => utils.waitUntil(volume, "status", "available", FAST);
  // Until Cinder no longer has the volume (pyrax's wait for "deleted").
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
      { interval: 300, timeout: 90_000, description: `volume ${id} to be deleted` },
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
    const adminVolume = login.catalog.find((e) => e.type === "volumev3")!.endpoints;
    admin = new CloudBlockStorage({
      endpoint: adminVolume.find((e) => e.interface === "public" && (e.region_id ?? e.region) === cloud.region)!.url,
      region: cloud.region,
      auth: tokenAuth(login.token),
    });
    cnw = new CloudNetworks({ endpoint: cloud.endpoint("network"), region: cloud.region, auth: cloud.auth });
    cs = new CloudServers({
      endpoint: cloud.endpoint("compute"),
      region: cloud.region,
      auth: cloud.auth,
      projectId: cloud.stack.credentials.projectId,
    });
  }, 15 * 60_000);

  afterAll(async () => {
    for (const id of volumes) await cbs.deleteVolume(id, { force: true }).catch(() => undefined);
    if (server) {
      await cs.servers.delete(server.id).catch(() => undefined);
      const id = server.id;
      await utils
        .waitUntil({ id, status: "", get: () => cs.servers.get(id) }, "status", "DELETED", FAST)
        .catch(() => undefined);
    }
    if (networkId) await cnw.delete(networkId).catch(() => undefined);
    await Promise.allSettled([cbs?.close(), admin?.close(), cnw?.close(), cs?.close()]);
  }, 300_000);

  it("negotiates the newest microversion both sides know, and uses the one asked for", async () => {
    const version = await cbs.negotiateMicroversion();
    expect(cbs.microversion).toBe(version);
    expect(version.startsWith("3.")).toBe(true);
    const volume = track(await cbs.create({ name: `mv-${RUN}`, size: 1 }));
    await available(volume);
    expect(compareMicroversions(version, MAX_VOLUME_MICROVERSION)).toBeLessThanOrEqual(0);
    // consumes_quota is in Cinder's volume view from 3.65 on: the header went out and was read.
    expect("consumes_quota" in volume.record).toBe(compareMicroversions(version, "3.65") >= 0);
    const old = new CloudBlockStorage({
      endpoint: cloud.endpoint("volumev3"),
      region: cloud.region,
      auth: cloud.auth,
      microversion: "3.0",
    });
    try {
      const seen = await old.get(volume.id);
      expect(old.microversion).toBe("3.0");
      expect("consumes_quota" in seen.record).toBe(false);
      expect("group_id" in seen.record).toBe(false);
      old.useMicroversion("3.99");
      await expect(old.list()).rejects.toThrow(UnsupportedMicroversion);
      await expect(old.list()).rejects.toThrow(ValidationError);
      expect(() => old.useMicroversion("three")).toThrow(ValidationError);
    } finally {
      await old.close();
    }
  });

  it("creates a volume as pyrax does, waits for it, lists, finds and updates it", async () => {
    const vol = track(
      await cbs.create({ name: `data-${RUN}`, size: 1, description: "for data", metadata: { role: "db" } }),
    );
    expect(vol).toBeInstanceOf(Volume);
    expect(["creating", "available"]).toContain(vol.status);
    expect(await utils.waitUntil(vol, "status", "available", FAST)).toBe(vol);
    expect(vol).toMatchObject({ name: `data-${RUN}`, display_name: `data-${RUN}`, size: 1, description: "for data" });
    expect(vol.metadata).toEqual({ role: "db" });
    expect(vol.bootable).toBe(false);
    expect(vol.attachments).toEqual([]);

    const all = await cbs.list();
    expect(Array.isArray(all)).toBe(true);
    expect(all.map((v) => v.id)).toContain(vol.id);
    const paged: string[] = [];
    for await (const page of cbs.list({ pageSize: 1 }).pages()) {
      expect(page.length).toBeLessThanOrEqual(1);
      paged.push(...page.map((v) => v.id));
    }
    expect(paged).toContain(vol.id);
    expect(await cbs.list(1)).toHaveLength(1);
    expect((await cbs.find({ name: `data-${RUN}` })).id).toBe(vol.id);
    expect((await cbs.findall({ status: "available", name: `data-${RUN}` })).map((v) => v.id)).toEqual([vol.id]);
    expect(await cbs.findall({ status: "error", name: `data-${RUN}` })).toEqual([]);
    await expect(cbs.find({ name: `none-${RUN}` })).rejects.toThrow(NotFound);

    // pyrax's update(volume, display_name, display_description), positional and as an object.
    const updated = await cbs.update(vol, { displayName: `x-${RUN}` });
    expect(updated?.name).toBe(`x-${RUN}`);
    await cbs.update(vol.id, `y-${RUN}`, "new description");
    await vol.get();
    expect(vol).toMatchObject({ name: `y-${RUN}`, description: "new description" });
    expect(await cbs.update(vol)).toBeUndefined();
    await vol.rename(`data-${RUN}`);
    expect(vol.display_name).toBe(`data-${RUN}`);
    const twin = track(await cbs.create(`data-${RUN}`, 1));
    await expect(cbs.find({ name: `data-${RUN}` })).rejects.toThrow(NoUniqueMatch);
    await available(twin);
  });

  it("takes pyrax's positional create arguments, and refuses unusable ones before sending", async () => {
    const vol = track(await cbs.create(`pos-${RUN}`, 1, undefined, "positional", { a: "1" }));
    expect(vol).toMatchObject({ name: `pos-${RUN}`, size: 1, description: "positional" });
    expect(vol.metadata).toEqual({ a: "1" });
    await available(vol);
    for (const size of [0, 1.5, undefined]) {
      await expect(cbs.create({ name: `bad-${RUN}`, size })).rejects.toThrow(InvalidSize);
    }
    await expect(cbs.create({ size: 1, metadata: { n: 1 as unknown as string } })).rejects.toThrow(
      expect.objectContaining({ field: "metadata" }) as never,
    );
    await expect(cbs.create({ size: 1, volume_type: "x" } as never)).rejects.toThrow(
      expect.objectContaining({ field: "volume_type" }) as never,
    );
    expect(await cbs.findall({ name: `bad-${RUN}` })).toEqual([]);
    const missing = await cbs.get("00000000-0000-4000-8000-000000000000").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFound);
    expect(missing).toMatchObject({ status: 404, method: "GET" });
    expect((missing as NotFound).requestId).toMatch(/^req-/);
  });

  it("snapshots a volume, refuses to delete a volume with snapshots, and copies volumes from snapshots", async () => {
    const vol = track(await cbs.create({ name: `snapsrc-${RUN}`, size: 1 }));
    await available(vol);
    const snap = await vol.createSnapshot(`s1-${RUN}`, { force: false });
    expect(snap).toBeInstanceOf(Snapshot);
    expect(snap).toMatchObject({ name: `s1-${RUN}`, volume_id: vol.id, size: 1 });
    await available(snap);
    expect((await cbs.listSnapshots()).map((s) => s.id)).toContain(snap.id);
    expect((await vol.listSnapshots()).map((s) => s.id)).toEqual([snap.id]);
    await snap.update({ displayDescription: "nightly" });
    expect(snap.description).toBe("nightly");
    await cbs.renameSnapshot(snap, `s1b-${RUN}`);
    expect((await cbs.getSnapshot(snap.id)).name).toBe(`s1b-${RUN}`);

    const refused = await vol.delete().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(VolumeHasSnapshots);
    expect(refused).toBeInstanceOf(VolumeNotAvailable);
    expect(refused).toMatchObject({ status: 400 });
    expect((refused as Error).message).toContain(snap.id);
    expect((refused as Error).cause).toBeInstanceOf(BadRequestError);

    const copy = track(await cbs.create({ name: `fromsnap-${RUN}`, snapshotId: snap }));
    await available(copy);
    expect(copy).toMatchObject({ snapshot_id: snap.id, size: 1 });
    const clone = track(await cbs.create({ name: `clone-${RUN}`, cloneId: vol, size: 2 }));
    await available(clone);
    expect(clone).toMatchObject({ source_volid: vol.id, size: 2 });
    const small = await cbs.create({ name: `small-${RUN}`, cloneId: clone, size: 1 }).catch((e: unknown) => e);
    if (small instanceof Volume) track(small);
    expect(small).toBeInstanceOf(VolumeCloneTooSmall);

    await snap.delete();
    await utils.waitUntil(snap, "status", "deleted", FAST).catch(() => undefined);
    await expect(cbs.getSnapshot(snap.id)).rejects.toThrow(NotFound);
    await vol.delete();
  });

  it("refuses to delete a snapshot that is not available or in error (SnapshotNotAvailable)", async () => {
    const vol = track(await cbs.create({ name: `snapbusy-${RUN}`, size: 1 }));
    await available(vol);
    const snap = await vol.createSnapshot(`busy-${RUN}`);
    await available(snap);
    // Only an administrator can put a snapshot back into "creating": what a slow backend shows for minutes.
    await adminSnapshotStatus(snap.id, "creating");
    const error = await snap.delete().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnapshotNotAvailable);
    expect(error).toMatchObject({ status: 400 });
    await adminSnapshotStatus(snap.id, "available");
    await snap.delete();
    await waitUntil(
      () =>
        cbs.getSnapshot(snap.id).then(
          () => false,
          (e: unknown) => e instanceof NotFound,
        ),
      (done) => done,
      { interval: 300, timeout: 60_000 },
    );
  });

  it("deletes a volume with its snapshots when forced", async () => {
    const vol = track(await cbs.create({ name: `force-${RUN}`, size: 1 }));
    await available(vol);
    const first = await cbs.createSnapshot(vol, `f1-${RUN}`);
    await available(first);
    const second = await cbs.createSnapshot(vol, { name: `f2-${RUN}`, description: "two" });
    await available(second);
    await vol.delete({ force: true });
    await gone(vol.id);
    expect(await cbs.snapshotsOf(vol.id)).toEqual([]);
    await expect(cbs.getSnapshot(first.id)).rejects.toThrow(NotFound);
  });

  it("lists volume types, and an administrator creates one that volumes then use", async () => {
    const types = await cbs.listTypes();
    expect(types.every((t) => t instanceof VolumeType)).toBe(true);
    expect(types.map((t) => t.name)).toContain("__DEFAULT__");
    const type = await admin.createType({ name: `SATA-${RUN}`, description: "spinning", extra_specs: {} });
    try {
      expect((await cbs.listTypes()).map((t) => t.name)).toContain(`SATA-${RUN}`);
      expect((await cbs.getType(type.id)).description).toBe("spinning");
      const vol = track(await cbs.create({ name: `typed-${RUN}`, size: 1, volumeType: `SATA-${RUN}` }));
      await available(vol);
      expect(vol.volume_type).toBe(`SATA-${RUN}`);
      await cbs.deleteVolume(vol);
      await gone(vol.id);
    } finally {
      await type.delete();
    }
    await expect(cbs.getType(type.id)).rejects.toThrow(NotFound);
    await expect(cbs.createType({ name: `nope-${RUN}` })).rejects.toThrow(/403|policy|not authorized/i);
  });

  it("copies a Glance image onto a new volume", async () => {
    const vol = track(await cbs.create({ name: `img-${RUN}`, size: 1, image: { id: cloud.stack.image!.id } }));
    await utils.waitUntil(vol, "status", "available", { ...FAST, timeout: 150 });
    expect(vol.bootable).toBe(true);
    expect(vol.record.volume_image_metadata?.image_id).toBe(cloud.stack.image!.id);
  });

  it("attaches to a server through Nova and detaches, as pyrax's attach_to_instance and detach", async () => {
    const net = await cnw.create(`bs-${RUN}`, { cidr: "10.90.0.0/24" });
    networkId = net.id;
    server = await cs.servers.create(`bs-${RUN}`, cloud.stack.image!.id, "1", { nics: net.getServerNetworks() });
    await utils.waitUntil(server, "status", "ACTIVE", FAST);
    const vol = track(await cbs.create({ name: `att-${RUN}`, size: 1 }));
    await available(vol);

    const attachment = await vol.attachToInstance(server, "/dev/vdb");
    // Nova names the device itself (the fake driver says /dev/sdb), as libvirt does.
    expect(attachment).toMatchObject({ serverId: server.id, volumeId: vol.id });
    expect(attachment.device).toMatch(/^\/dev\/[a-z]+$/);
    await utils.waitUntil(vol, "status", "in-use", FAST);
    expect(vol.attachments).toHaveLength(1);
    expect(vol.attachments[0]).toMatchObject({ server_id: server.id, device: attachment.device });

    // Attached: a second attach, a plain snapshot and a plain delete are refused.
    const again = await cbs.attachToInstance(vol, server).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(VolumeNotAvailable);
    expect((again as VolumeNotAvailable).status).toBeGreaterThanOrEqual(400);
    await expect(vol.createSnapshot(`att-${RUN}`)).rejects.toThrow(VolumeNotAvailable);
    await expect(vol.delete()).rejects.toThrow(VolumeNotAvailable);
    const forced = await vol.createSnapshot(`att-${RUN}`, undefined, true);
    await available(forced);

    await expect(vol.attachToInstance(server, "vdb")).rejects.toThrow(
      expect.objectContaining({ field: "mountpoint" }) as never,
    );
    const nowhere = await cbs
      .attachToInstance(vol, "00000000-0000-4000-8000-000000000000", "/dev/vdc")
      .catch((e: unknown) => e);
    expect(nowhere).toBeInstanceOf(VolumeAttachmentFailed);
    expect((nowhere as Error).cause).toBeInstanceOf(NotFound);

    // detach() looks up the attachment itself, even on an object fetched before the attach.
    const stale = await cbs.get(vol.id);
    await stale.detach();
    await utils.waitUntil(vol, "status", "available", FAST);
    expect(vol.attachments).toEqual([]);
    await vol.detach();
    expect(vol.status).toBe("available");

    // Forced delete of an attached volume with a snapshot: detached, snapshots and volume gone.
    await vol.attachToInstance(server);
    await utils.waitUntil(vol, "status", "in-use", FAST);
    await vol.delete(true);
    await gone(vol.id);
    await expect(cbs.getSnapshot(forced.id)).rejects.toThrow(NotFound);
  });

  it("turns a used-up volume quota into OverLimit", async () => {
    const projectId = cloud.stack.admin.projectId!;
    const count = (await admin.list()).length;
    await setVolumeQuota(projectId, count);
    try {
      const error = await admin.create({ name: `quota-${RUN}`, size: 1 }).catch((e: unknown) => e);
      if (error instanceof Volume) await admin.delete(error).catch(() => undefined);
      expect(error).toBeInstanceOf(OverLimit);
      expect(error).toMatchObject({ status: 413 });
    } finally {
      await setVolumeQuota(projectId, 1000);
    }
  });

  async function adminSnapshotStatus(id: string, status: string): Promise<void> {
    const login = await cloud.login(cloud.stack.admin);
    const response = await fetch(new URL(`snapshots/${id}/action`, admin.apiRoot), {
      method: "POST",
      headers: { "x-auth-token": login.token, "content-type": "application/json" },
      body: JSON.stringify({ "os-reset_status": { status } }),
    });
    if (response.status >= 300) throw new Error(`reset: ${response.status} ${await response.text()}`);
  }

  async function setVolumeQuota(projectId: string, volumes: number): Promise<void> {
    const login = await cloud.login(cloud.stack.admin);
    const url = new URL(`os-quota-sets/${projectId}`, admin.apiRoot);
    const response = await fetch(url, {
      method: "PUT",
      headers: { "x-auth-token": login.token, "content-type": "application/json" },
      body: JSON.stringify({ quota_set: { volumes } }),
    });
    if (response.status >= 300) throw new Error(`quota: ${response.status} ${await response.text()}`);
  }
});
