// Idioms of public code written against pyrax's images (pyrax's own samples and scripts that build
// servers from an image), ported line by line through the module object and run against the real
// Keystone and Glance. Each names its source; each asserts what the Python code relied on.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { ValidationError, type Logger } from "@nimbus-sdk/common";
import { Pyrax, exc, type Images } from "../../src/index.js";
import type { Image } from "../../src/resources/image/index.js";
import { startTestCloud, type TestCloud } from "../helpers/cloud.js";

const RUN = randomBytes(3).toString("hex");
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
jest.setTimeout(60_000);

describe("pyrax images idioms, ported line by line", () => {
  let cloud: TestCloud;
  let dir: string;
  let pyrax: Pyrax;
  let imgs: Images;
  const created: Image[] = [];

  beforeAll(async () => {
    cloud = await startTestCloud({ services: ["image"] });
    dir = mkdtempSync(join(tmpdir(), "nimbus-img-idioms-"));
    const configPath = join(dir, "pyrax.cfg");
    writeFileSync(configPath, `[default]\nidentity_type = keystone\nauth_endpoint = ${cloud.server.url}\n`);
    const { username, password, projectId } = cloud.server.credentials;
    const creds = join(dir, "credentials");
    writeFileSync(creds, `[keystone]\nusername = ${username}\npassword = ${password}\ntenant_id = ${projectId}\n`);
    chmodSync(creds, 0o600);
    pyrax = new Pyrax({ configPath, env: {}, logger: quiet });
    await pyrax.setCredentialFile(creds);
    imgs = pyrax.images!;
    // Three private images with custom properties, and data for one (size filters need a size).
    for (const [i, distro] of ["debian", "ubuntu", "fedora"].entries()) {
      const image = await imgs.create({
        name: `idiom-${RUN}-${i}`,
        disk_format: "raw",
        container_format: "bare",
        visibility: "private",
        properties: { os_distro: distro, "org.openstack__1__os_version": `${10 + i}` },
      });
      created.push(image);
    }
    await imgs.upload(created[0]!, randomBytes(2048));
  }, 180_000);

  afterAll(async () => {
    for (const image of created) await imgs?.delete(image).catch(() => undefined);
    await pyrax?.close();
    await cloud?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("pyrax samples/images/list_images.py: images = imgs.list(); len(images); for image in images", async () => {
    // images = imgs.list(); if not images: exit(); print(len(images)); for image in images: …
    const images = await imgs.list();
    expect(Array.isArray(images)).toBe(true);
    expect(images.length).toBeGreaterThanOrEqual(3);
    for (const image of images) {
      expect(typeof image.visibility).toBe("string");
      expect(image.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    // The same list, lazily, page by page.
    const lazily: string[] = [];
    for await (const image of imgs.list({ limit: 100 })) lazily.push(image.id);
    expect(lazily.sort()).toEqual(images.map((i) => i.id).sort());
  });

  it("pyrax samples/images/list_images_filtered.py: list(visibility=…), list(name=…), list(size_min=…)", async () => {
    // images = imgs.list(visibility="private")
    const ours = (await imgs.list({ visibility: "private" })).filter((i) => i.name?.startsWith(`idiom-${RUN}`));
    expect(ours).toHaveLength(3);
    // images = imgs.list(name="…")
    const named = await imgs.list({ name: `idiom-${RUN}-1` });
    expect(named.map((i) => i.name)).toEqual([`idiom-${RUN}-1`]);
    // images = imgs.list(size_min=…): for image in images: print(image.size, …)
    const big = await imgs.list({ size_min: 1024 });
    expect(big.map((i) => i.id)).toContain(created[0]!.id);
    for (const image of big) expect(image.size).toBeGreaterThanOrEqual(1024);
    // list(limit=N) gives N images, as pyrax's one page did.
    expect(await imgs.list({ limit: 2 })).toHaveLength(2);
  });

  it("Bobbicus/Pyrax CloudImages/ListImageMembers.py: for image in imgs.list(visibility='private'): imgs.list_image_members(image)", async () => {
    // Glance v2.5+ keeps members for "shared" images only (the script ran when private ones had them).
    await imgs.update(created[2]!, { visibility: "shared" });
    const images = await imgs.list({ visibility: "shared" });
    expect(images.map((i) => i.id)).toContain(created[2]!.id);
    for (const image of images) {
      // members = imgs.list_image_members(image); if not members: print("no members")
      const members = await imgs.listImageMembers(image);
      expect(members).toEqual([]);
    }
  });

  it("scripts building servers (e.g. pyrax.images.get('<id>') then cs.servers.create(name, image.id, …)): get by id", async () => {
    // image = pyrax.images.get('88928a0a-…'); … image.id
    const image = await imgs.get(created[1]!.id);
    expect(image.id).toBe(created[1]!.id);
    // A wrong id is pyrax's NotFound (and a PyraxException).
    const error = await imgs.get("00000000-0000-0000-0000-000000000000").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(exc.NotFound);
    expect(error).toBeInstanceOf(exc.PyraxException);
  });

  it("custom properties are attributes of the image, as pyrax's images show them (image.os_distro)", async () => {
    const image = await imgs.get(created[0]!.id);
    // print(image.os_distro); getattr(image, "org.openstack__1__os_version")
    expect(image.os_distro).toBe("debian");
    expect(image["org.openstack__1__os_version"]).toBe("10");
    // After image.update({"os_distro": "devuan"}), the attribute reads the new value.
    await image.update({ os_distro: "devuan" });
    expect(image.os_distro).toBe("devuan");
    expect(Object.keys(image)).toContain("os_distro");
  });

  it("imgs.find(name=…) and imgs.update(image, {…}) with a custom property, then list(…) still a list", async () => {
    // image = imgs.find(name="…"); imgs.update(image, {"hw_disk_bus": "scsi"})
    const image = await imgs.find({ name: `idiom-${RUN}-2` });
    const updated = await imgs.update(image, { hw_disk_bus: "scsi" });
    expect(updated.hw_disk_bus).toBe("scsi");
    expect(updated.os_distro).toBe("fedora");
  });

  it("refuses what a call cannot use instead of dropping it", async () => {
    // pyrax's keyword is visibility; a misspelt one would list every image.
    expect(() => imgs.list({ visiblity: "private" } as never)).toThrow(/visiblity/);
    expect(() => imgs.list("private" as never)).toThrow(ValidationError);
    await expect(imgs.get(created[0]!.id, "verbose" as never)).rejects.toThrow(ValidationError);
    await expect(imgs.delete(created[0]!, { force: true } as never)).rejects.toThrow(/force/);
    expect((await imgs.get(created[0]!.id)).status).toBe("active");
  });
});
