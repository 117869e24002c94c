// Cloud Files reads and writes through common's fault proxy, in front of the real Swift (Keystone is
// reached directly): every fault kind, once per call. Each call must succeed with the right answer or
// throw a NimbusError, within twice its timeout, with no unhandled rejection (jest-circus replaces the
// process's unhandledRejection listeners with its own, which fails the running test, so a listener of
// ours would never hear one); after a write, Swift must hold what the SDK reported ("no object was
// stored" is checked; an unknown outcome is allowed).
import { createHash } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { NimbusError, type Logger } from "@nimbus-sdk/common";
import { EVERY_FAULT, startFaultProxy, type Fault, type FaultProxy, type FaultRule } from "@nimbus-sdk/common/testing";
import { CloudFiles, Pyrax, UploadFailed } from "../src/index.js";
import { startServer, type OpenStackTestServer } from "../src/testing/index.js";

jest.setTimeout(30_000);

// 3 s: a session killed mid-call costs a revocation, Swift asking Keystone about the old token, a new
// login and Swift asking about the new one: about 2.5 s when this 2-core machine is busy.
const TIMEOUT = 3000;
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const SEED = Buffer.from("seed object: ".repeat(400));

let cloud: OpenStackTestServer;
let dir: string;
let pyrax: Pyrax;
let proxy: FaultProxy;
let cf: CloudFiles;
let swiftUrl: string;
const tally = { calls: 0, injected: 0, outcomes: {} as Record<string, number> };

/** Swift's answer, with the identity's token, bypassing the proxy and the SDK. */
async function direct(path: string, init: RequestInit = {}): Promise<{ status: number; body: Buffer }> {
  const headers = { "x-auth-token": pyrax.identity.token! };
  const response = await fetch(`${swiftUrl}/${path}`, { ...init, headers });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

/**
 * Forgets Swift's cached check of `token` (keystonemiddleware's key `tokens/<sha256>`) in the test
 * cloud's memcached, whose port is read from its command line; the rest of Swift's cache stays warm.
 */
async function forgetCachedToken(token: string): Promise<void> {
  const { pid } = cloud.processes.find((p) => p.name === "memcached")!;
  const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  const socket = connect(Number(args[args.indexOf("-p") + 1]), "127.0.0.1");
  socket.end(`delete tokens/${createHash("sha256").update(token).digest("hex")}\r\n`);
  const [answer] = (await once(socket, "data")) as [Buffer];
  socket.destroy();
  if (!answer.toString().startsWith("DELETED")) throw new Error(`memcached answered ${answer.toString()}`);
}

beforeAll(async () => {
  cloud = await startServer();
  dir = mkdtempSync(join(tmpdir(), "nimbus-os-faults-"));
  const configPath = join(dir, "pyrax.cfg");
  writeFileSync(configPath, `[default]\nidentity_type = keystone\nauth_endpoint = ${cloud.url}\n`);
  pyrax = new Pyrax({ configPath, env: {}, logger: quiet });
  const { username, password, projectName } = cloud.credentials;
  await pyrax.setCredentials(username, password, { tenantName: projectName });
  swiftUrl = pyrax.cloudfiles!.endpoint.href.replace(/\/+$/, "");
  proxy = await startFaultProxy({
    target: new URL(swiftUrl).origin,
    // Revokes the token the client holds and forgets Swift's cached check of it: Swift then answers 401
    // and the client must log in again.
    killSession: async () => {
      const token = pyrax.identity.token!;
      const response = await fetch(`${cloud.url}/auth/tokens`, {
        method: "DELETE",
        headers: { "x-auth-token": token, "x-subject-token": token },
      });
      if (response.status !== 204) throw new Error(`revoking the token answered ${response.status}`);
      await forgetCachedToken(token);
    },
  });
  cf = new CloudFiles({
    endpoint: proxy.rewrite(swiftUrl),
    region: cloud.region,
    auth: pyrax.identity.authStep,
    proxy: false,
    timeout: TIMEOUT,
    retry: { limit: 2, baseDelay: 50, maxDelay: 200, maxRetryAfter: 1000 },
  });
  // Set up directly: a cold Swift may take longer than the short timeout of the calls under test.
  expect((await direct("faults", { method: "PUT" })).status).toBeLessThan(300);
  expect((await direct("faults/seed.txt", { method: "PUT", body: SEED })).status).toBe(201);
}, 240_000);

afterAll(async () => {
  console.log(`openstack faults: ${JSON.stringify(tally)}`);
  await cf?.close();
  await proxy?.stop();
  await pyrax?.close();
  await cloud?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

const label = (fault: Fault) => (fault.kind === "status" ? `status ${fault.status}` : fault.kind);

/** `call` with `fault` injected into its first request matching `where`: the rules every call keeps. */
async function underFault<T>(fault: Fault, where: Omit<FaultRule, "fault">, call: () => Promise<T>) {
  const first = proxy.records.length;
  const trial = await proxy.trial(fault, where, call);
  tally.calls += 1;
  tally.injected += trial.injected;
  const outcome = trial.failed ? (trial.error as Error).name : "ok";
  tally.outcomes[outcome] = (tally.outcomes[outcome] ?? 0) + 1;
  expect(trial.injected).toBe(1);
  if (trial.failed && !(trial.error instanceof NimbusError)) {
    throw new Error(`not a NimbusError: ${outcome}: ${(trial.error as Error).message}`, { cause: trial.error });
  }
  expect(trial.ms).toBeLessThan(2 * TIMEOUT);
  // The session really ended: the server refused the old one at least once.
  if (fault.kind === "kill-session")
    expect(proxy.records.slice(first).some((r) => r.upstreamStatus! >= 400)).toBe(true);
  // A late rejection surfaces now, failing this test rather than the next.
  await new Promise((resolve) => setImmediate(resolve));
  return trial;
}

// A read survives one fault of these kinds: it is sent again (a body failing mid-way included) or,
// after a killed session, once more with a new token. Garbage and HTML pages are answers, not retried.
const READ_RECOVERS = (fault: Fault) => fault.kind !== "garbage" && fault.kind !== "html";

describe.each(EVERY_FAULT.map((fault) => [label(fault), fault] as const))("%s", (_name, fault) => {
  /** A read under `fault`: its value checked, and none lost where the retries can absorb the fault. */
  async function read<T>(call: () => Promise<T>, check: (value: T) => void) {
    const { value, failed } = await underFault(fault, { method: "GET" }, call);
    if (READ_RECOVERS(fault)) expect(failed).toBe(false);
    if (!failed) check(value as T);
  }

  it("listContainerNames: the account listing, or a NimbusError", async () => {
    await read(
      () => cf.listContainerNames(),
      (names) => expect(names).toContain("faults"),
    );
  });

  it("listContainerObjectNames: the container listing, or a NimbusError", async () => {
    await read(
      () => cf.listContainerObjectNames("faults"),
      (names) => expect(names).toContain("seed.txt"),
    );
  });

  it("fetchObject: the whole object, or a NimbusError", async () => {
    await read(
      () => cf.fetchObject("faults", "seed.txt"),
      (data) => expect(Buffer.compare(data as Buffer, SEED)).toBe(0),
    );
  });

  it("storeObject: Swift holds what the SDK reported", async () => {
    const name = `w-${label(fault).replace(/\W+/g, "-")}.txt`;
    const data = Buffer.from(`written under ${label(fault)} `.repeat(200));
    const { value, error } = await underFault(fault, { method: "PUT" }, () => cf.storeObject("faults", name, data));
    const held = await direct(`faults/${encodeURIComponent(name)}`);
    if (error === undefined) {
      expect(value!.name).toBe(name);
      expect(held.status).toBe(200);
      expect(Buffer.compare(held.body, data)).toBe(0);
    } else if (error instanceof UploadFailed) {
      // Its message says "no object was stored": that claim must hold.
      expect(held.status).toBe(404);
    }
  });
});
