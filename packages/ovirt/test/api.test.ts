// The client against the engine simulator (../src/testing): the issue's seed examples end to end, then
// every error a user can hit, paging, waiting, and the session's life.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ConnectionError, ParseError, TimeoutError, ValidationError } from "@nimbus-sdk/common";
import {
  ActionFailed,
  API,
  AuthError,
  Disconnected,
  NotFound,
  RequestError,
  ServerFault,
  params,
  waitFor,
  waitForJob,
  type VmResource,
} from "../src/index.js";
import { startEngine, type EngineSimulator } from "../src/testing/index.js";

let engine: EngineSimulator;
let api: API;

const connect = (extra: Partial<Parameters<typeof API.connect>[0]> = {}) =>
  API.connect({
    url: engine.url,
    username: engine.username,
    password: engine.password,
    caFile: engine.caFile,
    ...extra,
  });

const fast = { timeoutMs: 10_000, intervalMs: 10 };

beforeAll(async () => {
  engine = await startEngine({ stepMs: 10 });
  api = await connect();
});

afterAll(async () => {
  await api?.disconnect();
  await engine?.close();
});

describe("the issue's seed examples", () => {
  let myVm: VmResource;

  it("lists, searches, constrains and gets VMs", async () => {
    const all = await api.vms.list();
    expect(all.map((vm) => vm.name)).toContain("python_vm");
    const found = await api.vms.list({ query: "name=python_vm" });
    expect(found.map((vm) => vm.name)).toEqual(["python_vm"]);
    const memory = found[0]!.memory!;
    expect((await api.vms.list({ memory })).every((vm) => vm.memory === memory)).toBe(true);
    const vm = await api.vms.getOrThrow({ name: "python_vm" });
    expect((await api.vms.getOrThrow({ id: vm.id! })).name).toBe("python_vm");
  });

  it("updates what changed, and only that", async () => {
    const vm = await api.vms.getOrThrow({ name: "python_vm" });
    vm.description = "updated_desc";
    const vm2 = await vm.update();
    expect(vm2.description).toBe("updated_desc");
    expect(vm.description).toBe("updated_desc");
    expect(engine.state.find("vms", "python_vm")?.description).toBe("updated_desc");
  });

  it("adds a VM from params, with references to fetched entities", async () => {
    myVm = await api.vms.add(
      new params.VM({
        name: "my_vm",
        cluster: await api.clusters.getOrThrow({ name: "Default" }),
        template: await api.templates.getOrThrow({ name: "Blank" }),
      }),
    );
    expect(myVm.name).toBe("my_vm");
    expect(myVm.id).toBeDefined();
  });

  it("adds, finds and renames a NIC", async () => {
    const nic = await myVm.nics.add(
      new params.NIC({ name: "eth0", network: new params.Network({ name: "ovirtmgmt" }), interface: "e1000" }),
    );
    expect(nic).toMatchObject({ name: "eth0", interface: "e1000" });
    expect((await myVm.nics.list({ name: "eth0" })).map((n) => n.name)).toEqual(["eth0"]);
    expect((await myVm.nics.list({ interface: "e1000" })).map((n) => n.name)).toEqual(["eth0"]);
    const n = await myVm.nics.getOrThrow({ name: "eth0" });
    n.name = "eth01";
    expect((await n.update()).name).toBe("eth01");
    expect((await myVm.nics.list()).map((x) => x.name)).toEqual(["eth01"]);
  });

  it("adds a disk through vm.disks (disk attachments) and waits for it to be ok", async () => {
    const sd = (await api.storage_domains.list())[0]!;
    const disk = await myVm.disks.add(
      new params.Disk({
        name: "my_disk",
        storage_domains: new params.StorageDomains({ storage_domain: [sd] }),
        provisioned_size: 5368709120,
        interface: "virtio",
        format: "cow",
      }),
    );
    const seen: string[] = [];
    const ready = await waitFor(disk, "ok", { ...fast, onProgress: (d) => seen.push(d.status?.state ?? "") });
    expect(ready.status?.state).toBe("ok");
    expect(seen.at(-1)).toBe("ok");
    // add() resolves to the disk with its attachment's members, as list() gives them.
    expect([disk.interface, disk.bootable, disk.active]).toEqual(["virtio", false, true]);
    const disks = await myVm.disks.list();
    expect(disks.map((d) => [d.name, d.interface, d.bootable, d.active])).toEqual([["my_disk", "virtio", false, true]]);
    expect((await myVm.disk_attachments.list()).length).toBe(1);
    expect((await myVm.disks.getOrThrow({ name: "my_disk" })).id).toBe(disk.id);
  });

  it("starts and stops the VM, waiting for its status", async () => {
    await waitFor(myVm, "down", fast);
    await myVm.start();
    const up = await waitFor(myVm, "up", fast);
    expect(up.status?.state).toBe("up");
    await myVm.stop();
    expect((await waitFor(myVm, "down", fast)).status?.state).toBe("down");
  });

  it("finds params classes by element name", () => {
    expect(params.findRootClass("topology")).toBe(params.CpuTopology);
  });
});

describe("errors a user can hit", () => {
  it("a wrong password: AuthError naming the user, never the password", async () => {
    const error = await connect({ password: "wrong-secret" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain(engine.username);
    expect((error as Error).message).not.toContain("wrong-secret");
  });

  it("an engine certificate not trusted: ConnectionError naming caFile and insecure", async () => {
    const error = await API.connect({ url: engine.url, username: engine.username, password: engine.password }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/certificate was not accepted.*`caFile`.*`insecure: true`/);
    const insecure = await connect({ caFile: undefined, insecure: true });
    expect((await insecure.vms.list({ max: 1 })).length).toBe(1);
    await insecure.disconnect();
  });

  it("a token that is not valid: AuthError (a token cannot be renewed)", async () => {
    const error = await API.connect({ url: engine.url, token: "not-a-token", caFile: engine.caFile }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).status).toBe(401);
  });

  it("an unknown name in getOrThrow: NotFound naming it, with status 404 and the collection's URL", async () => {
    const error = await api.vms.getOrThrow({ name: "no_such_vm" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFound);
    expect((error as Error).message).toContain('no Vm named "no_such_vm"');
    expect(error).toMatchObject({ status: 404, url: `${engine.url}/vms` });
  });

  it("a pageSize or max that is not a whole number in range: ValidationError before anything is sent", () => {
    const before = engine.state.requests.length;
    for (const options of [{ pageSize: 0 }, { pageSize: 1.5 }, { pageSize: -1 }, { max: -1 }, { max: 0.5 }]) {
      expect(() => api.vms.list(options)).toThrow(ValidationError);
    }
    expect(() => api.vms.list({ pageSize: 0 })).toThrow(/pageSize must be a whole number of at least 1, not 0/);
    expect(engine.state.requests.length).toBe(before);
  });

  it("the SSO failing (a 5xx, a 404 page): the oVirt error of the status, naming the SSO's URL", async () => {
    engine.failNext({ kind: "status", status: 503 }, { target: "sso" });
    const down = await connect({ retry: { limit: 0 } }).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(ServerFault);
    expect(down).toBeInstanceOf(RequestError);
    expect((down as Error).message).toContain(`the engine's SSO failed: POST ${engine.ssoUrl} failed with 503`);
    engine.failNext({ kind: "html", status: 404 }, { target: "sso" });
    const missing = await connect().catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFound);
    expect(missing).toBeInstanceOf(RequestError);
    expect((missing as Error).message).toMatch(
      /failed with 404, and the answer is an HTML page titled ".*", not the SSO's JSON/,
    );
    expect((missing as Error).message).not.toContain("<");
  });

  it("an unknown id in getOrThrow: the engine's 404 fault as NotFound", async () => {
    const error = await api.vms.getOrThrow({ id: "00000000-0000-0000-0000-00000000dead" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFound);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as NotFound).status).toBe(404);
  });

  it("an unknown constraint property: ValidationError before anything is sent", async () => {
    const before = engine.state.requests.length;
    expect(() => api.vms.list({ memroy: 1 })).toThrow(ValidationError);
    expect(() => api.vms.list({ memroy: 1 })).toThrow(/memroy/);
    expect(engine.state.requests.length).toBe(before);
  });

  it("a value of the wrong type in params: ValidationError before anything is sent", async () => {
    expect(() => new params.VM({ memory: "1 GiB" as never })).toThrow(/params.VM.memory must be an integer/);
    const vm = await api.vms.getOrThrow({ name: "python_vm" });
    (vm as { memory?: unknown }).memory = "lots";
    const before = engine.state.requests.length;
    await expect(vm.update()).rejects.toThrow(/memory must be an integer/);
    expect(engine.state.requests.length).toBe(before);
  });

  it("a fault inside a success answer to an action: ActionFailed", async () => {
    const vm = await api.vms.getOrThrow({ name: "python_vm" });
    engine.failNext({ kind: "action-fault", reason: "Operation Failed", detail: "[Cannot run VM. Low disk space.]" });
    const error = await vm.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionFailed);
    expect(error).toMatchObject({ reason: "Operation Failed", detail: "[Cannot run VM. Low disk space.]" });
  });

  it("malformed XML from the server: ParseError naming the problem", async () => {
    engine.failNext({ kind: "truncated-xml" });
    const error = await api.vms.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as Error).message).toMatch(/malformed XML at line \d+, column \d+/);
  });

  it("an HTML error page from a proxy: the status's error, naming the page (after the retries a 502 gets)", async () => {
    const session = await connect({ retry: { limit: 1, baseDelay: 1 } });
    engine.failNext({ kind: "html", status: 502 }, { count: 2 });
    const error = await session.vms.list().catch((e: unknown) => e);
    await session.disconnect();
    expect(error).toBeInstanceOf(ServerFault);
    expect((error as Error).message).toMatch(/failed with 502, and the answer is an HTML page/);
  });

  it("an HTML page with a success status: ParseError", async () => {
    engine.failNext({ kind: "html", status: 200 });
    const error = await api.vms.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as Error).message).toMatch(/expected the engine's XML, got an HTML page/);
  });

  it("a wait that does not end: TimeoutError", async () => {
    const vm = await api.vms.getOrThrow({ name: "python_vm" });
    await expect(waitFor(vm, "paused", { timeoutMs: 100, intervalMs: 20 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it("a cancelled call: AbortError", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(api.vms.list({ signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("listing and waiting", () => {
  it("iterates a list page by page with for await (search page N)", async () => {
    for (let i = 0; i < 5; i++)
      await api.vms.add(
        new params.Vm({ name: `paged_${i}`, cluster: { name: "Default" }, template: { name: "Blank" } }),
      );
    const before = engine.state.requests.length;
    const names: string[] = [];
    for await (const vm of api.vms.list({ query: "name=paged_*", pageSize: 2 })) names.push(vm.name!);
    expect(names.sort()).toEqual(["paged_0", "paged_1", "paged_2", "paged_3", "paged_4"]);
    const searches = engine.state.requests.slice(before).map((r) => new URLSearchParams(r.query).get("search"));
    expect(searches).toEqual(["name=paged_* page 1", "name=paged_* page 2", "name=paged_* page 3"]);
    const capped: string[] = [];
    for await (const vm of api.vms.list({ query: "name=paged_* sortby name", pageSize: 2, max: 3 }))
      capped.push(vm.name!);
    expect(capped).toEqual(["paged_0", "paged_1", "paged_2"]);
    const pages: number[] = [];
    for await (const page of api.vms.list({ query: "name=paged_*", pageSize: 2 }).pages()) pages.push(page.length);
    expect(pages).toEqual([2, 2, 1]);
  });

  it("waits for the job an action names to finish", async () => {
    const vm = await api.vms.getOrThrow({ name: "python_vm" });
    await waitFor(vm, "down", fast);
    const action = await vm.start();
    expect(action.job?.id).toBeDefined();
    const progress: string[] = [];
    const job = await waitForJob(api, action, { ...fast, onProgress: (j) => progress.push(j.status?.state ?? "") });
    expect(job.status?.state).toBe("finished");
    expect(progress.at(-1)).toBe("finished");
    expect((await waitFor(vm, "up", fast)).status?.state).toBe("up");
    await waitForJob(api, await vm.stop(), fast);
    await expect(waitForJob(api, {}, fast)).rejects.toThrow(ValidationError);
  });
});

describe("the session", () => {
  it("disconnect revokes the token", async () => {
    const session = await connect();
    const revoked = engine.state.tokens.revoked;
    await session.vms.list({ max: 1 });
    await session.disconnect();
    expect(engine.state.tokens.revoked).toBe(revoked + 1);
  });

  it("Symbol.asyncDispose disconnects (await using)", async () => {
    const session = await connect();
    const revoked = engine.state.tokens.revoked;
    await session.vms.list({ max: 1 });
    await session[Symbol.asyncDispose]();
    expect(engine.state.tokens.revoked).toBe(revoked + 1);
  });

  it("refuses calls after disconnect with Disconnected, without logging in again", async () => {
    const session = await connect();
    const vm = await session.vms.getOrThrow({ name: "python_vm" });
    await session.disconnect();
    const issued = engine.state.tokens.issued;
    const error = await session.vms.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Disconnected);
    expect((error as Error).message).toContain("the API was disconnected");
    await expect(vm.reload()).rejects.toBeInstanceOf(Disconnected);
    expect(engine.state.tokens.issued).toBe(issued);
    await session.disconnect();
  });

  it("takes follow as a list or a string in list, get and reload", async () => {
    const before = engine.state.requests.length;
    const vm = await api.vms.getOrThrow({ name: "python_vm" }, { follow: ["nics", "disk_attachments"] });
    await api.vms.getOrThrow({ id: vm.id! }, { follow: ["nics", "disk_attachments"] });
    await vm.reload({ follow: ["nics", "disk_attachments"] });
    await api.vms.list({ follow: "nics,disk_attachments", max: 1 });
    const follows = engine.state.requests.slice(before).map((r) => new URLSearchParams(r.query).get("follow"));
    expect(follows).toEqual(Array(4).fill("nics,disk_attachments"));
  });

  it("reads the entry point on connect", () => {
    expect(api.product_info?.version?.major).toBe(4);
    expect(api.url).toBe(engine.url);
  });
});
