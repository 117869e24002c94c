// pyrax.images against a real Keystone and Glance (Debian's packages) on 127.0.0.1.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { AbortError, ValidationError } from "@nimbus-sdk/common";
import { BadRequest, Conflict, Forbidden, NoSuchImage, NoUniqueMatch, NotFound } from "../src/errors.js";
import { Image, Images } from "../src/resources/image/index.js";
import { catalogUrl, keystoneLogin, startTestCloud, type TestCloud } from "./helpers/cloud.js";

const MiB = 1024 * 1024;
const RUN = randomBytes(4).toString("hex");

// A client of one user: a fixed token (the tests take minutes, tokens live an hour).
function client(token: string, region: string, endpoint: string, projectId: string): Images {
  return new Images({
    endpoint,
    region,
    auth: { authorize: (request) => void (request.headers["x-auth-token"] = token) },
    projectId,
  });
}

describe("pyrax.images against a real Glance", () => {
  let cloud: TestCloud;
  let demoProject: string;
  let adminProject: string;
  let images: Images;
  let adminImages: Images;
  let dir: string;
  const created: string[] = [];

  const create = async (attributes: Parameters<Images["create"]>[0], client = images) => {
    const image = await client.create({ disk_format: "raw", container_format: "bare", ...attributes });
    created.push(image.id);
    return image;
  };

  beforeAll(async () => {
    cloud = await startTestCloud();
    demoProject = cloud.server.credentials.projectId;
    adminProject = cloud.server.admin.projectId;
    images = new Images({ endpoint: cloud.imageUrl, region: cloud.region, auth: cloud.auth, projectId: demoProject });
    const admin = await keystoneLogin(cloud.server.url, cloud.server.admin);
    adminImages = client(admin.token, cloud.region, catalogUrl(admin.catalog, "image", cloud.region), adminProject);
    dir = mkdtempSync(join(tmpdir(), "images-it-"));
  }, 180_000);

  afterAll(async () => {
    for (const id of created) await images.delete(id).catch(() => adminImages.delete(id).catch(() => undefined));
    await Promise.allSettled([images?.close(), adminImages?.close()]);
    await cloud?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("the catalog's Glance endpoint has no version; one with /v2 works the same", async () => {
    expect(new URL(cloud.imageUrl).pathname).not.toMatch(/v2/);
    const withVersion = client(cloud.token, cloud.region, `${cloud.server.glanceUrl}/v2/`, demoProject);
    try {
      const page = await withVersion.list({ limit: 1 });
      expect(Array.isArray(page)).toBe(true);
    } finally {
      await withVersion.close();
    }
  });

  it("create, upload a few MiB with progress, wait until active, get, download, delete", async () => {
    const data = randomBytes(3 * MiB + 123);
    const md5 = createHash("md5").update(data).digest("hex");
    const image = await create({ name: `it-${RUN}-data`, properties: { os_distro: "cirros" } });
    expect(image).toBeInstanceOf(Image);
    expect(image.status).toBe("queued");
    expect(image.properties).toEqual({ os_distro: "cirros" });

    const progress: number[] = [];
    await image.upload(data, { onProgress: (p) => progress.push(p.bytes) });
    expect(progress.at(-1)).toBe(data.length);
    expect(progress.length).toBeGreaterThan(10);
    const seen: string[] = [];
    await image.waitForStatus("active", { timeout: 30_000, interval: 200, onProgress: (i) => seen.push(i.status) });
    expect(seen.at(-1)).toBe("active");

    const fetched = await images.get(image.id);
    expect(fetched.record).toMatchObject({
      status: "active",
      size: data.length,
      checksum: md5,
      os_hash_algo: "sha512",
    });
    expect(fetched.os_hash_value).toBe(createHash("sha512").update(data).digest("hex"));

    // To a stream …
    const chunks: Buffer[] = [];
    const sink = new PassThrough();
    sink.on("data", (c: Buffer) => chunks.push(c));
    const downloaded: number[] = [];
    const result = await images.download(fetched, sink, { onProgress: (p) => downloaded.push(p.bytes) });
    expect(result).toMatchObject({ bytes: data.length, md5, checksum: md5, verified: true });
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    expect(downloaded.at(-1)).toBe(data.length);
    // … and to a file.
    const file = join(dir, "image.raw");
    await image.download({ file });
    expect(readFileSync(file).equals(data)).toBe(true);

    await image.delete();
    await expect(images.get(image.id)).rejects.toBeInstanceOf(NoSuchImage);
    await expect(images.delete(image.id)).rejects.toBeInstanceOf(NoSuchImage);
    await expect(images.waitForStatus(image, "deleted", { timeout: 5000 })).resolves.toMatchObject({
      status: "deleted",
    });
  }, 60_000);

  it("uploads from a file path and from a stream", async () => {
    const data = randomBytes(MiB);
    const path = join(dir, "source.bin");
    writeFileSync(path, data);
    const fromFile = await create({ name: `it-${RUN}-file` });
    await expect(images.upload(fromFile, { file: path })).resolves.toMatchObject({ status: "active", size: MiB });

    const fromStream = await create({ name: `it-${RUN}-stream` });
    const stream = Readable.from(
      (function* () {
        for (let at = 0; at < data.length; at += 100_000) yield data.subarray(at, at + 100_000);
      })(),
    );
    const totals: (number | undefined)[] = [];
    const active = await images.upload(fromStream.id, stream, {
      size: data.length,
      onProgress: (p) => totals.push(p.total),
    });
    expect(active.checksum).toBe(createHash("md5").update(data).digest("hex"));
    expect(totals[0]).toBe(data.length);
  }, 60_000);

  it("lists with filters, pages with limit=2 over 5 images, for await, listAll and find", async () => {
    const tag = `page-${RUN}`;
    for (let i = 0; i < 5; i++) await create({ name: `it-${RUN}-p${i}`, tags: [tag], min_ram: i });

    // list(limit=2) gives two images, as pyrax's; marker goes on from the last one.
    const first = await images.list({ tag, limit: 2, sort_key: "name", sort_dir: "asc" });
    expect(first.map((i) => i.name)).toEqual([`it-${RUN}-p0`, `it-${RUN}-p1`]);
    const second = await images.list({ tag, limit: 2, sort_key: "name", sort_dir: "asc", marker: first[1]!.id });
    expect(second.map((i) => i.name)).toEqual([`it-${RUN}-p2`, `it-${RUN}-p3`]);
    // Without limit, awaiting the list follows every page.
    expect((await images.list({ tag, sort_key: "name", sort_dir: "asc" })).map((i) => i.name)).toHaveLength(5);

    const names: string[] = [];
    for await (const image of images.iterate({ tag, limit: 2, sort_key: "name", sort_dir: "asc" })) {
      names.push(image.name!);
    }
    expect(names).toEqual([0, 1, 2, 3, 4].map((i) => `it-${RUN}-p${i}`));
    const pageSizes: number[] = [];
    for await (const page of images.iterate({ tag, limit: 2 }).pages()) pageSizes.push(page.length);
    expect(pageSizes).toEqual([2, 2, 1]);

    const all = await images.listAll({ tag, sort_key: "name", sort_dir: "desc", limit: 2 });
    expect(all.map((i) => i.name)).toEqual(names.slice().reverse());
    expect(await images.listAll({ tag, name: `it-${RUN}-p3` })).toHaveLength(1);
    expect(await images.listAll({ tag, status: "active" })).toHaveLength(0);
    expect(await images.listAll({ tag, status: "queued", visibility: "shared" })).toHaveLength(5);
    expect(await images.listAll({ tag, owner: demoProject })).toHaveLength(5);
    expect(await images.listAll({ tag, member_status: "all" })).toHaveLength(5);

    const found = await images.find({ name: `it-${RUN}-p4` });
    expect(found.min_ram).toBe(4);
    await expect(images.find({ name: `it-${RUN}-none` })).rejects.toBeInstanceOf(NoSuchImage);
    await create({ name: `it-${RUN}-p4` });
    const ambiguous = await images.find({ name: `it-${RUN}-p4` }).catch((e: unknown) => e);
    expect(ambiguous).toBeInstanceOf(NoUniqueMatch);
    expect((ambiguous as NoUniqueMatch).matches).toHaveLength(2);
  }, 60_000);

  it("updates name, tags and custom properties with a JSON patch; adds and deletes tags", async () => {
    const image = await create({ name: `it-${RUN}-upd`, properties: { hw_disk_bus: "virtio", gone: "soon" } });
    await image.update({
      name: `it-${RUN}-renamed`,
      tags: ["one", "two"],
      os_distro: "debian",
      hw_disk_bus: "scsi",
      gone: null,
      min_disk: 2,
      visibility: "private",
      protected: false,
    });
    expect(image.name).toBe(`it-${RUN}-renamed`);
    expect([...image.tags].sort()).toEqual(["one", "two"]);
    expect(image.properties).toEqual({ os_distro: "debian", hw_disk_bus: "scsi" });
    expect(image.record).toMatchObject({ min_disk: 2, visibility: "private" });

    // By id: the image is fetched to choose add or replace.
    const again = await images.update(image.id, { os_distro: "ubuntu", new_prop: "x" });
    expect(again.properties).toEqual({ os_distro: "ubuntu", hw_disk_bus: "scsi", new_prop: "x" });
    await images.changeImageName(image.id, `it-${RUN}-third`);

    await image.addTag("three");
    await images.addTag(image, "three"); // already there: no error
    await image.deleteTag("one");
    expect([...(await image.reload()).tags].sort()).toEqual(["three", "two"]);
    await expect(images.deleteTag(image, "never-there")).rejects.toBeInstanceOf(NotFound);
    expect(image.name).toBe(`it-${RUN}-third`);
  }, 60_000);

  it("shares an image with a member, who accepts it", async () => {
    const image = await create({ name: `it-${RUN}-shared`, visibility: "shared" });
    const member = await image.addMember(adminProject);
    expect(member).toMatchObject({ image_id: image.id, member_id: adminProject, status: "pending" });
    expect((await image.listMembers()).map((m) => m.member_id)).toEqual([adminProject]);

    // The member accepts, with its own client (its project is the default member).
    await expect(adminImages.updateImageMember(image.id, "accepted")).resolves.toMatchObject({ status: "accepted" });
    expect((await images.getImageMember(image, adminProject)).status).toBe("accepted");
    const accepted = await adminImages.listAll({ member_status: "accepted", visibility: "shared" });
    expect(accepted.map((i) => i.id)).toContain(image.id);

    await image.deleteMember(adminProject);
    expect(await image.listMembers()).toEqual([]);
    await expect(adminImages.updateImageMember(image.id, "maybe" as never)).rejects.toBeInstanceOf(ValidationError);
  }, 60_000);

  it("an admin deactivates and reactivates an image; the owner cannot download it meanwhile", async () => {
    const image = await create({ name: `it-${RUN}-deact` });
    await image.upload("some data");
    await adminImages.deactivate(image.id);
    expect((await image.reload()).status).toBe("deactivated");
    await expect(image.download(new PassThrough())).rejects.toBeInstanceOf(Forbidden);
    await adminImages.reactivate(image.id);
    await expect(image.waitForStatus("active", { timeout: 5000, interval: 100 })).resolves.toBe(image);
  }, 30_000);

  it("reads the schemas and lists tasks", async () => {
    const schema = await images.getImageSchema();
    expect(schema.properties?.disk_format?.enum).toContain("qcow2");
    expect((await images.getImagesSchema()).name).toBe("images");
    expect((await images.getImageMemberSchema()).name).toBe("member");
    const tasks = await adminImages.listTasks();
    expect(Array.isArray(tasks)).toBe(true);
  }, 30_000);

  describe("errors a user can hit", () => {
    it("refuses unknown formats and read-only fields before sending", async () => {
      await expect(images.create({ name: "x", disk_format: "floppy" })).rejects.toMatchObject({
        name: "ValidationError",
        field: "disk_format",
      });
      await expect(images.create({ name: "x", container_format: "zip" })).rejects.toMatchObject({
        field: "container_format",
      });
      const image = await create({ name: `it-${RUN}-ro` });
      for (const field of ["id", "status", "checksum", "size", "os_hash_value"]) {
        await expect(image.update({ [field]: "x" })).rejects.toMatchObject({ name: "ValidationError", field });
      }
      await expect(image.update({ os_version: 24 })).rejects.toMatchObject({ field: "os_version" });
      // The list is checked as it is made, before it is awaited.
      expect(() => images.list({ sort_key: "owner" as never })).toThrow(expect.objectContaining({ field: "sort_key" }));
      expect(() => images.list({ visiblity: "private" } as never)).toThrow(/visiblity/);
    }, 30_000);

    it("upload: without formats, twice, and cancelled", async () => {
      const bare = await images.create({ name: `it-${RUN}-noformat` });
      created.push(bare.id);
      await expect(bare.upload("data")).rejects.toMatchObject({ name: "ValidationError", field: "disk_format" });
      // By id the SDK cannot know: Glance refuses it.
      await expect(images.upload(bare.id, "data")).rejects.toBeInstanceOf(BadRequest);
      expect((await bare.reload()).status).toBe("queued");

      const image = await create({ name: `it-${RUN}-twice` });
      await image.upload("first");
      await expect(images.upload(image.id, "second")).rejects.toBeInstanceOf(Conflict);

      const cancelled = await create({ name: `it-${RUN}-cancel` });
      const controller = new AbortController();
      const slow = new Readable({ read() {} });
      slow.push(Buffer.alloc(64 * 1024));
      setTimeout(() => controller.abort(), 300);
      await expect(images.upload(cancelled, slow, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
      // Glance puts the image back to queued when its data stream breaks.
      const after = await images.waitForStatus(cancelled.id, "queued", { timeout: 10_000, interval: 200 });
      expect(after.checksum).toBeNull();
    }, 60_000);

    it("download of an image without data; protected images; members on a private image", async () => {
      const empty = await create({ name: `it-${RUN}-empty`, visibility: "private" });
      await expect(empty.download(new PassThrough())).rejects.toThrow(/no data yet/);
      await expect(empty.addMember(adminProject)).rejects.toBeInstanceOf(Forbidden);

      const locked = await create({ name: `it-${RUN}-locked`, protected: true });
      await expect(locked.delete()).rejects.toBeInstanceOf(Forbidden);
      await locked.update({ protected: false });
      await locked.delete();
    }, 30_000);

    it("waitForStatus stops at a status the image cannot leave, and honours timeout and signal", async () => {
      const image = await create({ name: `it-${RUN}-wait` });
      const deleting = images.waitForStatus(image, "active", { interval: 100, timeout: 10_000 });
      await images.delete(image);
      // Deleted images disappear from Glance v2 (404): the wait ends with NoSuchImage.
      await expect(deleting).rejects.toBeInstanceOf(NoSuchImage);

      const queued = await create({ name: `it-${RUN}-wait2` });
      await expect(queued.waitForStatus("active", { interval: 100, timeout: 500 })).rejects.toMatchObject({
        name: "TimeoutError",
      });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      await expect(queued.waitForStatus("active", { interval: 100, signal: controller.signal })).rejects.toBeInstanceOf(
        AbortError,
      );
    }, 30_000);
  });
});
