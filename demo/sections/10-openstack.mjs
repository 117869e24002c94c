// pyrax's flows on a real Keystone, Swift and Glance (Debian's packages), started here on 127.0.0.1.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pyrax } from "@nimbus-sdk/openstack";
import { startServer } from "@nimbus-sdk/openstack/testing";

export const name = "openstack";
export const title = "@nimbus-sdk/openstack: pyrax on a local Keystone, Swift and Glance";

export async function run({ step, show, progressBar }) {
  step("starting Keystone, Swift and Glance on 127.0.0.1 (installing Debian's packages first if needed)");
  const cloud = await startServer({ onProgress: (what, ms) => show(`${(ms / 1000).toFixed(1)} s  ${what}`) });
  const dir = mkdtempSync(join(tmpdir(), "nimbus-demo-os-"));
  // A ~/.pyrax.cfg of the demo's own, so the user's real one is not touched.
  const configPath = join(dir, "pyrax.cfg");
  writeFileSync(
    configPath,
    `[default]\nidentity_type = keystone\nauth_endpoint = ${cloud.url}\nregion = ${cloud.region}\n`,
  );
  const pyrax = new Pyrax({ configPath });
  try {
    step(
      `pyrax.setCredentials("${cloud.credentials.username}", "…", { tenantName: "${cloud.credentials.projectName}" })`,
    );
    await pyrax.setCredentials(cloud.credentials.username, cloud.credentials.password, {
      tenantName: cloud.credentials.projectName,
    });
    const { identity } = pyrax;
    show(`authenticated: ${identity.authenticated}, token expires ${identity.expires.toISOString()}`);
    show(`services: ${Object.keys(identity.services).join(", ")}; regions: ${identity.regions.join(", ")}`);

    const cf = pyrax.cloudfiles;
    step('cf.createContainer("demo") and cf.listContainerNames()');
    await cf.createContainer("demo");
    show(JSON.stringify(await cf.listContainerNames()));

    step("cf.uploadFile of a 12 MiB file in 4 MiB segments (a static large object), with progress");
    const file = join(dir, "big.bin");
    writeFileSync(file, Buffer.alloc(12 * 1024 * 1024, 7));
    // Every onProgress gets common's Progress: a fraction that never goes back, 1 once the manifest is stored.
    const upload = progressBar("upload");
    let lastProgress;
    const stored = await cf.uploadFile("demo", file, {
      segmentSize: 4 * 1024 * 1024,
      onProgress: (p) => {
        lastProgress = p;
        upload(p.fraction ?? 0, `${(p.done / 2 ** 20).toFixed(1)} of ${p.total / 2 ** 20} MiB sent`);
      },
    });
    show(
      `stored ${stored.name}, ${stored.bytes} bytes, ${lastProgress.partsDone} of ${lastProgress.partCount} segments verified`,
    );

    step("a temp URL, fetched with plain fetch (no token)");
    await cf.setTempUrlKey();
    await cf.storeObject("demo", "hello.txt", "hello from the demo\n", { contentType: "text/plain" });
    const url = await cf.getTempUrl("demo", "hello.txt", 60);
    show(url.replace(/temp_url_sig=[^&]+/, "temp_url_sig=…"));
    const res = await fetch(url);
    show(`GET -> ${res.status}: ${JSON.stringify(await res.text())}`);

    step("for await over the container's objects");
    for await (const obj of cf.objectListingIterator("demo")) show(`${obj.name}  ${obj.bytes} bytes`);

    step("pyrax.images: create, upload, wait until active, list");
    const images = pyrax.images;
    const image = await images.create({ name: "demo-image", disk_format: "raw", container_format: "bare" });
    await images.upload(image.id, Buffer.alloc(1024 * 1024, 1));
    await images.waitForStatus(image.id, "active", { interval: 200, timeout: 30_000 });
    for await (const img of images.iterate()) show(`${img.id}  ${img.name}  ${img.status}  ${img.size} bytes`);

    step("a container name with a slash is refused before anything is sent");
    await cf.createContainer("bad/name").catch((e) => show(`${e.name}: ${e.message}`));
  } finally {
    await pyrax.close();
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
