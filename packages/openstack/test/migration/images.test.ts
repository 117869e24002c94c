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

  // The member side of the sharing samples: the admin project, through a module object of its own.
  async function memberSession(): Promise<Pyrax> {
    const { username, password, projectId } = cloud.server.admin;
    const creds = join(dir, "admin-credentials");
    writeFileSync(creds, `[keystone]\nusername = ${username}\npassword = ${password}\ntenant_id = ${projectId}\n`);
    chmodSync(creds, 0o600);
    const other = new Pyrax({ configPath: join(dir, "pyrax.cfg"), env: {}, logger: quiet });
    await other.setCredentialFile(creds);
    return other;
  }

  it("pyrax samples/images/add_image_member.py, list_image_members.py, accept_images.py, delete_image_member.py", async () => {
    const projectId = cloud.server.admin.projectId;
    // add_image_member.py: images = imgs.list(visibility="private"); image = images[num]
    const images = (await imgs.list({ visibility: "private" })).filter((i) => i.name?.startsWith(`idiom-${RUN}`));
    const image = images.find((i) => i.id === created[1]!.id)!;
    // member = imgs.add_image_member(image, project_id): Glance shares only images whose visibility is
    // "shared" (since Rocky), so the private image of the script is refused with Forbidden ...
    await expect(imgs.addImageMember(image, projectId)).rejects.toThrow(exc.Forbidden);
    // ... and the port makes it shareable first.
    await imgs.update(image, { visibility: "shared" });
    const member = await imgs.addImageMember(image, projectId);
    // print member.id, member.status, member.created_at
    expect([member.id, member.status, typeof member.created_at]).toEqual([projectId, "pending", "string"]);

    // list_image_members.py: for image in imgs.list(visibility="private"): imgs.list_image_members(image).
    // Glance keeps members on "shared" images only and refuses the call on others (Forbidden, "Only shared
    // images have members"), so the port loops over visibility="shared".
    await expect(imgs.listImageMembers(created[0]!)).rejects.toThrow(exc.Forbidden);
    const byImage = new Map<string, string[]>();
    for (const img of await imgs.list({ visibility: "shared" })) {
      const members = await imgs.listImageMembers(img);
      byImage.set(
        img.id,
        members.map((m) => `${m.id} (${m.status})`),
      );
    }
    expect(byImage.get(image.id)).toEqual([`${projectId} (pending)`]);

    // accept_images.py, as the member: images = imgs.list(visibility="shared", member_status="pending")
    const other = await memberSession();
    try {
      const theirs = other.images!;
      const pending = await theirs.list({ visibility: "shared", member_status: "pending" });
      expect(pending.map((i) => i.id)).toContain(image.id);
      // imgs.update_image_member(image.id, new_status)
      await theirs.updateImageMember(image.id, "accepted");
      // (The member here is an admin, whom Glance shows every shared image whatever the filter: the
      // owner's view of the member tells the change.)
      expect((await imgs.getImageMember(image, projectId)).status).toBe("accepted");
      expect((await theirs.list({ visibility: "shared", member_status: "accepted" })).map((i) => i.id)).toContain(
        image.id,
      );
    } finally {
      await other.close();
    }

    // delete_image_member.py: for image in imgs.list(visibility=... "shared" as above): image.list_members();
    // imgs.delete_image_member(member.image_id, member.id)
    const shared = (await imgs.list({ visibility: "shared" })).find((i) => i.id === image.id)!;
    const [toDelete] = await shared.listMembers();
    expect(toDelete!.status).toBe("accepted");
    await imgs.deleteImageMember(toDelete!.image_id, toDelete!.id);
    expect(await shared.listMembers()).toEqual([]);
  });

  it("pyrax samples/images/list_tasks.py: tasks = imgs.list_tasks(); id, type, status, message, created_at, expires_at", async () => {
    // Glance's default policy lets only admins list tasks: the demo user gets Forbidden.
    await expect(imgs.listTasks()).rejects.toThrow(exc.Forbidden);
    const other = await memberSession();
    try {
      const tasks = await other.images!.listTasks();
      expect(Array.isArray(tasks)).toBe(true);
      for (const task of tasks)
        expect([typeof task.id, typeof task.type, typeof task.status]).toEqual(["string", "string", "string"]);
    } finally {
      await other.close();
    }
  });
});
