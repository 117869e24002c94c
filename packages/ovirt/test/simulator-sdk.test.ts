// The simulator through the real SDK client: login over TLS with the simulator's CA file, the one
// token renewal after a 401, VM status changes seen by waitFor, jobs, and each error path a user can
// hit (wrong password, unknown name, 409, malformed XML, a proxy's HTML page, a dropped connection).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ConnectionError, ParseError } from "@nimbus-sdk/common";
import {
  ActionFailed,
  API,
  AuthError,
  Conflict,
  NotFound,
  params,
  ServerFault,
  waitFor,
  waitForJob,
} from "../src/index.js";
import { startEngine, type EngineSimulator } from "../src/testing/index.js";

let engine: EngineSimulator;
let api: API;
const connect = (overrides: Partial<Parameters<typeof API.connect>[0]> = {}) =>
  API.connect({
    url: engine.url,
    username: engine.username,
    password: engine.password,
    caFile: engine.caFile,
    ...overrides,
  });
const quick = { timeoutMs: 5000, intervalMs: 10 };

beforeAll(async () => {
  engine = await startEngine({ stepMs: 20 });
  api = await connect();
});

afterAll(async () => {
  await api?.disconnect();
  await engine?.close();
});

describe("connecting", () => {
  it("logs in over TLS with the simulator's CA file and sends Version: 4", async () => {
    expect(api.url).toBe(engine.url);
    await api.vms.list();
    const last = engine.state.requests.at(-1)!;
    expect(last.path).toBe("/ovirt-engine/api/vms");
    expect(last.headers.version).toBe("4");
    expect(last.headers.authorization).toBe("<redacted>");
  });

  it("refuses a certificate it was not told to trust, unless insecure", async () => {
    await expect(connect({ caFile: undefined })).rejects.toBeInstanceOf(ConnectionError);
    const insecure = await connect({ caFile: undefined, insecure: true });
    await insecure.disconnect();
  });

  it("answers a wrong password with an AuthError carrying the SSO's message", async () => {
    const error = await connect({ password: "wrong" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(String((error as Error).message)).toContain("Cannot authenticate user 'admin@internal'");
  });

  it("fetches a new token once when the engine forgets the session, then goes on", async () => {
    const own = await connect();
    const issued = engine.state.tokens.issued;
    engine.expireTokens();
    expect((await own.vms.list({ query: "name=python_vm" })).map((vm) => vm.name)).toEqual(["python_vm"]);
    expect(engine.state.tokens.issued).toBe(issued + 1);
    await own.disconnect();
  });

  it("revokes its token on disconnect", async () => {
    const own = await connect();
    const revoked = engine.state.tokens.revoked;
    await own.disconnect();
    expect(engine.state.tokens.revoked).toBe(revoked + 1);
  });
});

describe("VMs", () => {
  it("creates a VM with a NIC and a disk, starts it and waits for it to be up, reporting progress", async () => {
    const vm = await api.vms.add(
      new params.VM({
        name: "sdk_vm",
        cluster: await api.clusters.get({ name: "Default" }),
        template: await api.templates.get({ name: "Blank" }),
        memory: 2147483648,
      }),
    );
    expect([vm.status, vm.memory]).toEqual(["down", 2147483648]);
    await vm.nics.add(
      new params.NIC({ name: "eth0", network: new params.Network({ name: "ovirtmgmt" }), interface: "e1000" }),
    );
    const sd = await api.storage_domains.get({ name: "mydata" });
    const disk = await vm.disks.add(
      new params.Disk({
        storage_domains: new params.StorageDomains({ storage_domain: [sd] }),
        provisioned_size: 1073741824,
        interface: "virtio",
        format: "cow",
      }),
    );
    expect(disk.status).toBe("locked");
    await waitFor(disk, "ok", quick);
    await vm.start();
    const seen: string[] = [];
    const up = await waitFor(vm, "up", { ...quick, onProgress: (current) => seen.push(String(current.status)) });
    expect(seen.at(-1)).toBe("up");
    expect(seen.every((s) => ["wait_for_launch", "powering_up", "up"].includes(s))).toBe(true);
    expect(up.host?.id).toBeDefined();
  });

  it("answers the engine's 409 as a Conflict with its reason and detail", async () => {
    const vm = await api.vms.get({ name: "sdk_vm" });
    const error = await vm.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Conflict);
    expect(error).toMatchObject({ reason: "Operation Failed", detail: "[Cannot run VM. VM is running.]" });
    await vm.stop();
    await waitFor(vm, "down", quick);
  });

  it("waits for the job of a command, found by its correlation id", async () => {
    const vm = await api.vms.get({ name: "sdk_vm" });
    const own = await connect({ headers: { "Correlation-Id": "sdk-start" } });
    const started = await (await own.vms.get({ id: vm.id! })).start();
    const done = await waitForJob(own, started, quick);
    expect([done.status, done.description]).toEqual(["finished", "Launching VM sdk_vm"]);
    const found = await api.jobs.list({ query: "correlation_id=sdk-start" });
    expect(found.map((job) => job.id)).toEqual([done.id]);
    await own.disconnect();
    await engine.idle();
  });

  it("answers an unknown name with NotFound", async () => {
    await expect(api.vms.get({ name: "no_such_vm" })).rejects.toBeInstanceOf(NotFound);
    await expect(api.vms.get({ id: "7d6696b7-fbaf-471d-8e6b-ce7052586c24" })).rejects.toBeInstanceOf(NotFound);
  });
});

describe("what real deployments sometimes answer", () => {
  // No retries: each injected failure is answered once and seen once.
  let once: API;
  beforeAll(async () => {
    once = await connect({ retry: { limit: 0 } });
  });
  afterAll(async () => {
    await once?.disconnect();
  });
  const failure = async (request: PromiseLike<unknown>): Promise<unknown> => {
    try {
      await request;
    } catch (error) {
      return error;
    }
    throw new Error("the request succeeded");
  };

  it("raises a ParseError for a truncated document", async () => {
    engine.failNext({ kind: "truncated-xml" });
    expect(await failure(once.vms.list())).toBeInstanceOf(ParseError);
  });

  it("raises a ServerFault naming the proxy's HTML error page", async () => {
    engine.failNext({ kind: "html" });
    const error = await failure(once.vms.list());
    expect(error).toBeInstanceOf(ServerFault);
    expect(String((error as Error).message)).toContain('HTML page titled "502 Proxy Error"');
  });

  it("raises ActionFailed for an action answered with a fault inside a success", async () => {
    const vm = await once.vms.get({ name: "python_vm" });
    engine.failNext({ kind: "action-fault", detail: "[Internal Engine Error]" });
    const error = await failure(vm.start());
    expect(error).toBeInstanceOf(ActionFailed);
    expect(error).toMatchObject({ detail: "[Internal Engine Error]" });
  });

  it("raises a ConnectionError for a dropped connection", async () => {
    engine.failNext({ kind: "reset" });
    expect(await failure(once.vms.list())).toBeInstanceOf(ConnectionError);
  });
});
