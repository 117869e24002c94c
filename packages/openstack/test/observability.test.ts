// Telemetry and progress against a real Keystone and Swift: the calls of a pyrax context reported
// under the catalog's service types without the password or the token, and the common Progress of
// a segmented upload, a download and a folder sync (counts and a fraction that never goes back).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import type { Progress } from "@nimbus-sdk/common";
import { Pyrax, type CallRecord } from "../src/index.js";
import { startServer, type OpenStackTestServer } from "../src/testing/index.js";

jest.setTimeout(120_000);

const MiB = 1024 * 1024;
let cloud: OpenStackTestServer;
let pyrax: Pyrax;
let dir: string;
const calls: CallRecord[] = [];

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const nonDecreasing = (values: readonly number[]) => values.every((v, i) => i === 0 || v >= values[i - 1]!);

beforeAll(async () => {
  cloud = await startServer({ services: ["object-store"] });
  dir = mkdtempSync(join(tmpdir(), "nimbus-os-observe-"));
  const configPath = join(dir, "pyrax.cfg");
  writeFileSync(configPath, `[default]\nidentity_type = keystone\nauth_endpoint = ${cloud.url}\n`);
  pyrax = new Pyrax({ configPath, env: {}, logger: quiet, telemetry: { onCall: (c) => calls.push(c) } });
  const { username, password, projectName } = cloud.credentials;
  await pyrax.setCredentials(username, password, { tenantName: projectName });
  await pyrax.cloudfiles!.createContainer("observed");
}, 300_000);

afterAll(async () => {
  await pyrax?.close();
  await cloud?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("telemetry", () => {
  it("reports identity and object-store calls with status and request id, and no password or token", async () => {
    await pyrax.cloudfiles!.listContainerNames();
    const identity = calls.filter((c) => c.service === "identity");
    const swift = calls.filter((c) => c.service === "object-store");
    expect(identity[0]).toMatchObject({ method: "POST", status: 201 });
    expect(swift.at(-1)).toMatchObject({ method: "GET", status: 200, retries: 0 });
    expect(swift.at(-1)!.requestId).toMatch(/^tx/);
    const shown = JSON.stringify(calls);
    expect(shown).not.toContain(cloud.credentials.password);
    expect(shown).not.toContain(pyrax.identity.token!);
  });
});

describe("progress", () => {
  it("a segmented upload and its download report bytes with a fraction that ends at 1", async () => {
    const file = join(dir, "big.bin");
    writeFileSync(file, Buffer.alloc(3 * MiB, 9));
    const up: Progress[] = [];
    await pyrax.cloudfiles!.uploadFile("observed", file, {
      segmentSize: MiB,
      onProgress: (p) => void up.push({ ...p }),
    });
    expect(up.length).toBeGreaterThan(3);
    expect(up.every((p) => p.phase === "upload" && p.unit === "bytes" && p.total === 3 * MiB)).toBe(true);
    expect(nonDecreasing(up.map((p) => p.fraction!))).toBe(true);
    expect(up.at(-1)).toMatchObject({ fraction: 1, partsDone: 3, partCount: 3 });

    const down: Progress[] = [];
    const target = mkdtempSync(join(dir, "down-"));
    const path = await pyrax.cloudfiles!.downloadObject("observed", "big.bin", target, {
      onProgress: (p) => void down.push(p),
    });
    expect(readFileSync(path).length).toBe(3 * MiB);
    expect(down.length).toBeGreaterThan(1);
    expect(down.every((p) => p.phase === "download" && p.total === 3 * MiB)).toBe(true);
    expect(nonDecreasing(down.map((p) => p.fraction!))).toBe(true);
    expect(down.at(-1)).toMatchObject({ done: 3 * MiB, fraction: 1 });
  });

  it("a folder sync reports one event per file, counting files up to the total", async () => {
    const folder = join(dir, "site");
    mkdirSync(folder);
    for (const name of ["a.html", "b.css", "c.js", "d.txt"]) writeFileSync(join(folder, name), name);
    const events: { done: number; total?: number; fraction?: number; action: string }[] = [];
    await pyrax.cloudfiles!.syncFolderToContainer(folder, "observed", {
      onProgress: (e) => void events.push({ done: e.done, total: e.total, fraction: e.fraction, action: e.action }),
    });
    expect(events).toHaveLength(4);
    expect(events.map((e) => e.done)).toEqual([1, 2, 3, 4]);
    expect(events.every((e) => e.total === 4 && e.action === "uploaded")).toBe(true);
    expect(events.map((e) => e.fraction)).toEqual([0.25, 0.5, 0.75, 1]);
  });
});
