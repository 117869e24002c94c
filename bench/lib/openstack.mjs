// Shared by the openstack-* scenarios: a real Keystone + Swift (+ Glance) from
// "@nimbus-sdk/openstack/testing", a pyrax module object signed in to it, a pkgcloud client for the
// same user, and small helpers (bounded concurrency, package versions).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pyrax } from "@nimbus-sdk/openstack";
import { startServer } from "@nimbus-sdk/openstack/testing";
import { runChild } from "./child.mjs";

/** Debian's interpreter: a `python3` earlier on PATH (pyenv …) lacks Debian's swiftclient. */
export const DEBIAN_PYTHON = "/usr/bin/python3";

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Starts the servers; the returned object also knows how long that took. */
export async function startCloud() {
  const started = performance.now();
  const server = await startServer();
  return { server, startMs: Math.round(performance.now() - started) };
}

/**
 * A pyrax module object signed in as the test server's ordinary user (Keystone v3, by project name);
 * `logger` (silent by default) receives its log, and its HTTP debug lines once `setHttpDebug(true)`.
 */
export async function signedInPyrax(server, { logger = quiet } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "nimbus-bench-pyrax-"));
  try {
    const configPath = join(dir, "pyrax.cfg");
    writeFileSync(configPath, `[default]\nidentity_type = keystone\nauth_endpoint = ${server.url}\n`);
    const pyrax = new Pyrax({ configPath, env: {}, logger });
    const { username, password, projectName } = server.credentials;
    await pyrax.setCredentials(username, password, { tenantName: projectName });
    return pyrax;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** pkgcloud's OpenStack storage client for the same user, as its docs configure Keystone v3. */
export function pkgcloudStorage(server) {
  const pkgcloud = createRequire(import.meta.url)("pkgcloud");
  const c = server.credentials;
  return pkgcloud.storage.createClient({
    provider: "openstack",
    keystoneAuthVersion: "v3",
    authUrl: server.url.replace(/\/v3\/?$/, ""),
    username: c.username,
    password: c.password,
    domainName: c.userDomainName,
    tenantName: c.projectName,
    projectDomainName: c.projectDomainName,
    region: server.region,
  });
}

/** Runs `task(i)` for i in 0..count-1, at most `concurrency` at a time (workers pulling the next index). */
export async function eachLimited(count, concurrency, task) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Times `fn` (wall clock and this process's CPU) as an OperationReport for the harness. */
export async function timed(fn, metrics) {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await fn();
  const elapsedUs = Number(process.hrtime.bigint() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { elapsedUs, cpuUs: cpu.user + cpu.system, ...(metrics ? { metrics } : {}) };
}

/** The version of a Debian package, or "not installed". */
export async function debianVersion(pkg) {
  try {
    return (await runChild("dpkg-query", ["-W", "-f=${Version}", pkg], { timeoutMs: 10_000 })).trim();
  } catch {
    return "not installed";
  }
}
