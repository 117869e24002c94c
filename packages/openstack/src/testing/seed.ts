// What a user needs to boot a server at once: Nova has no flavor after its install, and Glance no image.
import type { AdminSession } from "./provision.js";

/** A flavor the test server creates. */
export interface SeededFlavor {
  id: string;
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
}

/** An image the test server uploads. */
export interface SeededImage {
  id: string;
  name: string;
}

/** Nova's classic sizes (RAM in MB, disk in GB), under their usual ids. */
export const FLAVORS: readonly SeededFlavor[] = [
  { id: "1", name: "m1.tiny", ram: 512, vcpus: 1, disk: 1 },
  { id: "2", name: "m1.small", ram: 2048, vcpus: 1, disk: 20 },
  { id: "3", name: "m1.medium", ram: 4096, vcpus: 2, disk: 40 },
];

export const IMAGE_NAME = "nimbus-tiny";

/** Public flavors, made through `computeUrl` (`.../v2.1`) as the admin. */
export async function seedFlavors(session: AdminSession, computeUrl: string): Promise<SeededFlavor[]> {
  for (const flavor of FLAVORS) {
    await session.call("POST", `${computeUrl}/flavors`, { flavor: { ...flavor, "os-flavor-access:is_public": true } });
  }
  return [...FLAVORS];
}

/** A public raw image of 1 MiB of zeros, active once this resolves (the fake virt driver never reads it). */
export async function seedImage(session: AdminSession, glanceUrl: string): Promise<SeededImage> {
  const image = await session.call<{ id: string; name: string }>("POST", `${glanceUrl}/v2/images`, {
    name: IMAGE_NAME,
    disk_format: "raw",
    container_format: "bare",
    visibility: "public",
    min_disk: 0,
    min_ram: 0,
  });
  const uploaded = await session.transport.request({
    method: "PUT",
    url: `${glanceUrl}/v2/images/${image.id}/file`,
    headers: { "content-type": "application/octet-stream" },
    body: Buffer.alloc(1024 * 1024),
  });
  await uploaded.dump();
  const shown = await session.call<{ status: string }>("GET", `${glanceUrl}/v2/images/${image.id}`);
  if (shown.status !== "active") throw new Error(`the seeded image is ${shown.status} after its upload, not active`);
  return { id: image.id, name: image.name };
}
