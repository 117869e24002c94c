// Integration test of `@nimbus-sdk/openstack/testing` against the real servers it starts: raw fetch
// only, so that it checks the launcher and not the SDK.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, rmdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "@jest/globals";
import { AbortError, ConfigError, NimbusError, ValidationError } from "@nimbus-sdk/common";
import { startServer, type OpenStackTestServer } from "../src/testing/index.js";
import { ensureOpenStackPackages } from "../src/testing/install.js";
import { removeStaleLaunches } from "../src/testing/launch.js";
import { catalogUrl, keystoneLogin } from "./helpers/cloud.js";
import { alive, groupMembers, processesMentioning, pssMegabytes } from "./helpers/procfs.js";

async function pollUntil(check: () => boolean, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!check() && Date.now() < deadline) await sleep(100);
}

function expectStopped(server: OpenStackTestServer, groups: readonly number[]): void {
  for (const { pid } of server.processes) expect(alive(pid)).toBe(false);
  expect(groupMembers(groups)).toEqual([]);
  for (const dir of server.tempDirs) expect(existsSync(dir)).toBe(false);
  expect(processesMentioning(server.tempDirs[0]!)).toEqual([]);
}

/**
 * Runs a start that must fail with a private TMPDIR (other test files' servers may be running
 * meanwhile), then checks that it left no directory and no process behind; resolves to the error.
 */
async function inPrivateTmpdir(start: () => Promise<OpenStackTestServer>): Promise<unknown> {
  const root = mkdtempSync(join(tmpdir(), "launcher-test-"));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = root;
  let error: unknown;
  try {
    const server = await start();
    servers.push(server);
  } catch (e) {
    error = e;
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  expect(error).toBeDefined();
  expect(readdirSync(root)).toEqual([]);
  expect(processesMentioning(root)).toEqual([]);
  rmdirSync(root);
  return error;
}

const servers: OpenStackTestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
}, 30_000);

describe("@nimbus-sdk/openstack/testing startServer", () => {
  it("runs Keystone, Swift and Glance that a demo user can use, and stop() leaves nothing behind", async () => {
    const started = performance.now();
    const server = await startServer();
    servers.push(server);
    const startup = performance.now() - started;
    const groups = server.processes.map((p) => p.pid);
    const pss = pssMegabytes(groupMembers(groups));
    console.log(
      `openstack test server: ready in ${(startup / 1000).toFixed(1)} s, ` +
        `${groupMembers(groups).length} processes, PSS ${pss} MB`,
    );
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v3$/);
    expect(server.region).toBe("RegionOne");
    expect(server.credentials).toMatchObject({ username: "demo", projectName: "demo", userDomainId: "default" });

    const { token, catalog } = await keystoneLogin(server.url, server.credentials);
    const storage = catalogUrl(catalog, "object-store", "RegionOne");
    const images = catalogUrl(catalog, "image", "RegionOne");
    expect(storage).toBe(`${server.swiftUrl}/v1/AUTH_${server.credentials.projectId}`);
    expect(images).toBe(server.glanceUrl);
    const auth = { "x-auth-token": token };

    // Swift: container, object round trip, and no access without a token.
    expect((await fetch(`${storage}/photos`, { method: "PUT", headers: auth })).status).toBe(201);
    const data = Buffer.from("hello from nimbus ".repeat(1000));
    const put = await fetch(`${storage}/photos/a.txt`, { method: "PUT", headers: auth, body: data });
    expect(put.status).toBe(201);
    const got = await fetch(`${storage}/photos/a.txt`, { headers: auth });
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(data)).toBe(true);
    expect((await fetch(`${storage}/photos/a.txt`)).status).toBe(401);

    // Glance: create, upload, download.
    const created = await fetch(`${images}/v2/images`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ name: "tiny", disk_format: "raw", container_format: "bare" }),
    });
    expect(created.status).toBe(201);
    const image = (await created.json()) as { id: string; status: string };
    expect(image.status).toBe("queued");
    const bits = Buffer.alloc(64 * 1024, 7);
    const upload = await fetch(`${images}/v2/images/${image.id}/file`, {
      method: "PUT",
      headers: { ...auth, "content-type": "application/octet-stream" },
      body: bits,
    });
    expect(upload.status).toBe(204);
    const shown = (await (await fetch(`${images}/v2/images/${image.id}`, { headers: auth })).json()) as {
      status: string;
      size: number;
    };
    expect(shown).toMatchObject({ status: "active", size: bits.length });
    const download = await fetch(`${images}/v2/images/${image.id}/file`, { headers: auth });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bits)).toBe(true);

    // The admin can log in too.
    expect((await keystoneLogin(server.url, server.admin)).token).toBeTruthy();

    await server.stop();
    expectStopped(server, groups);
    await server.stop();
  }, 180_000);

  it("starts two servers side by side, one with short-lived tokens that expire", async () => {
    // 10 s: long enough for the first call to arrive before the end on a machine at load 50 (3 s was not).
    const [a, b] = await Promise.all([startServer(), startServer({ tokenExpiration: 10 })]);
    servers.push(a, b);
    expect(new Set([a.url, a.swiftUrl, a.glanceUrl, b.url, b.swiftUrl, b.glanceUrl]).size).toBe(6);
    expect(a.tempDirs[0]).not.toBe(b.tempDirs[0]);

    const { token, catalog, issuedAt, expiresAt } = await keystoneLogin(b.url, b.credentials);
    const lifetime = expiresAt.getTime() - issuedAt.getTime();
    expect(lifetime).toBeGreaterThan(8000);
    expect(lifetime).toBeLessThanOrEqual(10_000);
    const storage = catalogUrl(catalog, "object-store", "RegionOne");
    expect((await fetch(storage, { headers: { "x-auth-token": token } })).status).toBe(204);
    // The same call after the token's end: Swift's auth middleware rejects it, and so does Keystone.
    await sleep(expiresAt.getTime() - Date.now() + 500);
    expect((await fetch(storage, { headers: { "x-auth-token": token } })).status).toBe(401);
    const check = await fetch(`${b.url}/auth/tokens`, { headers: { "x-auth-token": token, "x-subject-token": token } });
    expect(check.status).toBe(401);
    // A server with the default lifetime still accepts its tokens meanwhile.
    const other = await keystoneLogin(a.url, a.credentials);
    expect(other.expiresAt.getTime() - Date.now()).toBeGreaterThan(3_500_000);

    const groups = [...a.processes, ...b.processes].map((p) => p.pid);
    await Promise.all([a.stop(), b.stop()]);
    expectStopped(a, groups);
    expectStopped(b, groups);
  }, 240_000);

  it("stops what it started and reports the server's log when one cannot start", async () => {
    // Keystone's port is taken: uwsgi cannot bind it and exits.
    const blocker: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await inPrivateTmpdir(() => startServer({ port }));
      expect(error).toBeInstanceOf(NimbusError);
      expect((error as Error).message).toMatch(/keystone exited while starting/);
      expect((error as Error).message).toMatch(/Address already in use/);
    } finally {
      blocker.close();
    }
  }, 120_000);

  it("stops what it started when the caller aborts", async () => {
    const controller = new AbortController();
    const error = await inPrivateTmpdir(() =>
      startServer({
        signal: controller.signal,
        onProgress: (step) => {
          if (step === "memcached answering") controller.abort(new Error("enough"));
        },
      }),
    );
    expect(error).toBeInstanceOf(AbortError);
  }, 120_000);

  it("leaves no server behind when the process that started them is killed", async () => {
    // A child node process runs the launcher (compiled here with swc, the compiler jest uses), starts
    // the servers, says so, and is killed with SIGKILL: no exit hook runs, only PR_SET_PDEATHSIG.
    const build = mkdtempSync(join(fileURLToPath(new URL("..", import.meta.url)), ".kill-test-"));
    let child: ChildProcessByStdio<null, Readable, null> | undefined;
    try {
      const swc = createRequire(import.meta.url)("@swc/core") as {
        transformFileSync(file: string, options: object): { code: string };
      };
      const compile = (from: string, to: string) =>
        writeFileSync(
          to,
          swc.transformFileSync(fileURLToPath(new URL(from, import.meta.url)), {
            jsc: { parser: { syntax: "typescript" }, target: "es2022" },
            module: { type: "es6" },
            swcrc: false,
          }).code,
        );
      compile("../src/version.ts", join(build, "version.js"));
      // src/testing and its folders (the Rackspace simulators), file by file.
      const source = fileURLToPath(new URL("../src/testing", import.meta.url));
      for (const entry of readdirSync(source, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const path = relative(source, join(entry.parentPath, entry.name));
        mkdirSync(dirname(join(build, "testing", path)), { recursive: true });
        compile(`../src/testing/${path}`, join(build, "testing", path.replace(/\.ts$/, ".js")));
      }
      writeFileSync(
        join(build, "child.mjs"),
        'import { startServer } from "./testing/index.js";\n' +
          "const s = await startServer();\n" +
          "console.log(JSON.stringify({ pids: s.processes.map((p) => p.pid), dirs: s.tempDirs }));\n" +
          "setInterval(() => {}, 1000);\n",
      );
      child = spawn(process.execPath, [join(build, "child.mjs")], { stdio: ["ignore", "pipe", "inherit"] });
      let output = "";
      const started = await new Promise<{ pids: number[]; dirs: string[] }>((resolve, reject) => {
        child!.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString("utf8");
          if (output.includes("\n")) resolve(JSON.parse(output) as { pids: number[]; dirs: string[] });
        });
        child!.once("exit", (code) => reject(new Error(`the child exited (${code}) before its servers started`)));
      });
      expect(started.pids.filter(alive)).toHaveLength(started.pids.length);
      // Until node reaps it, the killed child is a zombie that kill(pid, 0) still finds: wait for its exit.
      const reaped = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGKILL");
      await reaped;
      await pollUntil(() => started.pids.filter(alive).length === 0, 10_000);
      expect(groupMembers(started.pids)).toEqual([]);
      // Its temporary directories stay, until the next start removes them.
      expect(started.dirs.filter((d) => existsSync(d))).toHaveLength(started.dirs.length);
      removeStaleLaunches();
      expect(started.dirs.filter((d) => existsSync(d))).toEqual([]);
    } finally {
      child?.kill("SIGKILL");
      rmSync(build, { recursive: true, force: true });
    }
  }, 120_000);

  it("rejects a token lifetime Keystone cannot honour", async () => {
    await expect(startServer({ tokenExpiration: 1 })).rejects.toBeInstanceOf(ValidationError);
    await expect(startServer({ tokenExpiration: 2.5 })).rejects.toBeInstanceOf(ValidationError);
  });

  it("names the install command instead of installing when not allowed", () => {
    expect(() => ensureOpenStackPackages({ allowInstall: false }, ["nimbus-no-such-package"])).toThrow(ConfigError);
    expect(() => ensureOpenStackPackages({ allowInstall: false }, ["nimbus-no-such-package"])).toThrow(
      /apt-get install -y --no-install-recommends nimbus-no-such-package/,
    );
  });
});
