// The simulator through the real SDK client: login over TLS with the simulator's CA file, the one
// token renewal after a 401, VM status changes seen by waitFor, jobs, a 409, and a dropped connection
// (the other error paths are in api.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ConnectionError } from "@nimbus-sdk/common";
import { API, Conflict, params, waitFor, waitForJob } from "../src/index.js";
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

  it("fetches a new token once when the engine forgets the session, then goes on", async () => {
    const own = await connect();
    const issued = engine.state.tokens.issued;
    engine.expireTokens();
    expect((await own.vms.list({ query: "name=python_vm" })).map((vm) => vm.name)).toEqual(["python_vm"]);
    expect(engine.state.tokens.issued).toBe(issued + 1);
    await own.disconnect();
  });
});

describe("VMs", () => {
  it("creates a VM with a NIC and a disk, starts it and waits for it to be up, reporting progress", async () => {
    const vm = await api.vms.add(
      new params.VM({
        name: "sdk_vm",
        cluster: await api.clusters.getOrThrow({ name: "Default" }),
        template: await api.templates.getOrThrow({ name: "Blank" }),
        memory: 2147483648,
      }),
    );
    expect([vm.status?.state, vm.memory]).toEqual(["down", 2147483648]);
    await vm.nics.add(
      new params.NIC({ name: "eth0", network: new params.Network({ name: "ovirtmgmt" }), interface: "e1000" }),
    );
    const sd = await api.storage_domains.getOrThrow({ name: "mydata" });
    const disk = await vm.disks.add(
      new params.Disk({
        storage_domains: new params.StorageDomains({ storage_domain: [sd] }),
        provisioned_size: 1073741824,
        interface: "virtio",
        format: "cow",
      }),
    );
    expect(disk.status?.state).toBe("locked");
    await waitFor(disk, "ok", quick);
    await vm.start();
    const seen: string[] = [];
    const up = await waitFor(vm, "up", { ...quick, onProgress: (current) => seen.push(String(current.status)) });
    expect(seen.at(-1)).toBe("up");
    expect(seen.every((s) => ["wait_for_launch", "powering_up", "up"].includes(s))).toBe(true);
    expect(up.host?.id).toBeDefined();
  });

  it("answers the engine's 409 as a Conflict with its reason and detail", async () => {
    const vm = await api.vms.getOrThrow({ name: "sdk_vm" });
    const error = await vm.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Conflict);
    expect(error).toMatchObject({ reason: "Operation Failed", detail: "[Cannot run VM. VM is running.]" });
    await vm.stop();
    await waitFor(vm, "down", quick);
  });

  it("waits for the job of a command, found by its correlation id", async () => {
    const vm = await api.vms.getOrThrow({ name: "sdk_vm" });
    const own = await connect({ headers: { "Correlation-Id": "sdk-start" } });
    const started = await (await own.vms.getOrThrow({ id: vm.id! })).start();
    const done = await waitForJob(own, started, quick);
    expect([done.status?.state, done.description]).toEqual(["finished", "Launching VM sdk_vm"]);
    const found = await api.jobs.list({ query: "correlation_id=sdk-start" });
    expect(found.map((job) => job.id)).toEqual([done.id]);
    await own.disconnect();
    await engine.idle();
  });
});

describe("what real deployments sometimes answer", () => {
  it("raises a ConnectionError for a dropped connection", async () => {
    const once = await connect({ retry: { limit: 0 } });
    engine.failNext({ kind: "reset" });
    await expect(once.vms.list()).rejects.toBeInstanceOf(ConnectionError);
    await once.disconnect();
  });
});
