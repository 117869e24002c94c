// One large upload in a process of its own, for bench/scenarios/openstack-large-upload.mjs, so that
// its peak RSS is the uploader's alone. Reads its settings as JSON on stdin; prints one JSON line:
// the upload's wall time and this process's CPU time (both for the upload only), and the process's
// peak RSS (VmHWM, the whole life of the process: start-up, module loading, upload).
//   mode "undici": a bare undici `request` PUT streaming the file (fs.createReadStream, with
//                  `highWaterMark` when given), given the token and the object's URL: only undici is loaded.
//   mode "ours":   `pyrax.cloudfiles.uploadFile(container, path, { segmentSize })` after signing in
//                  (the sign-in is not timed).
import { createReadStream, statSync } from "node:fs";
import { peakRssKiB } from "./child.mjs";

const settings = JSON.parse(await readStdin());
const size = statSync(settings.file).size;
let upload;

if (settings.mode === "undici") {
  const { request } = await import("undici");
  upload = async () => {
    const { statusCode, body } = await request(settings.url, {
      method: "PUT",
      headers: {
        "x-auth-token": settings.token,
        "content-type": "application/octet-stream",
        "content-length": String(size),
      },
      body: createReadStream(settings.file, settings.highWaterMark ? { highWaterMark: settings.highWaterMark } : {}),
    });
    await body.dump();
    if (statusCode !== 201) throw new Error(`PUT ${settings.url}: status ${statusCode}`);
  };
} else if (settings.mode === "ours") {
  const { Pyrax } = await import("@nimbus-sdk/openstack");
  const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "nimbus-bench-child-"));
  const configPath = join(dir, "pyrax.cfg");
  writeFileSync(configPath, `[default]\nidentity_type = keystone\nauth_endpoint = ${settings.authUrl}\n`);
  const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const pyrax = new Pyrax({ configPath, env: {}, logger: quiet });
  await pyrax.setCredentials(settings.username, settings.password, { tenantName: settings.projectName });
  rmSync(dir, { recursive: true, force: true });
  upload = async () => {
    const stored = await pyrax.cloudfiles.uploadFile(settings.container, settings.file, {
      checksum: settings.checksum ?? true,
      objName: settings.object,
      segmentSize: settings.segmentSize,
      ...(settings.contentType ? { contentType: settings.contentType } : {}),
      ...(settings.concurrency ? { concurrency: settings.concurrency } : {}),
    });
    if (stored.bytes !== size) throw new Error(`stored ${stored.bytes} bytes, the file has ${size}`);
  };
} else {
  throw new Error(`unknown mode ${settings.mode}`);
}

const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
await upload();
const elapsedUs = Number(process.hrtime.bigint() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({ elapsedUs, cpuUs: cpu.user + cpu.system, maxRssKiB: peakRssKiB(), bytes: size })}\n`,
);
// Open keep-alive sockets would hold the process; the report is out.
process.exit(0);

async function readStdin() {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text;
}
