// What the types accept, checked by the package's type-check (tsconfig.json covers test/), and run
// against the simulator: fetched entities as action parameters, the entity types of member services
// that have no get of their own, and `vm.disks` on the hand-written side of the generated VmResource.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  API,
  params,
  waitFor,
  type AffinityGroupHostResource,
  type DiskResource,
  type StructViews,
  type types,
  type V3View,
  type VmResource,
} from "../src/index.js";
import { startEngine, type EngineSimulator } from "../src/testing/index.js";

// The named views (generated, src/generated/views.ts) read at least what the generic V3View mapping of the
// same struct gives: no member missing or typed otherwise. A struct whose view falls short turns the check's
// type into its name, and the assignment below fails to compile.
type ShortViews = {
  [N in keyof StructViews]: StructViews[N] extends V3View<types.StructTypes[N]> ? never : N;
}[keyof StructViews];
const viewsCoverV3View: [ShortViews] extends [never] ? true : ShortViews = true;

let engine: EngineSimulator;
let api: API;

beforeAll(async () => {
  engine = await startEngine({ protocol: "http", stepMs: 5 });
  api = await API.connect({ url: engine.url, username: engine.username, password: engine.password });
});

afterAll(async () => {
  await api?.disconnect();
  await engine?.close();
});

describe("the generated types", () => {
  it("name a view per struct that covers V3View's (checked when this file compiles)", () => {
    expect(viewsCoverV3View).toBe(true);
  });

  it("take fetched entities as action parameters", async () => {
    const vm = await api.vms.getOrThrow({ name: "python_vm" });
    const host = (await api.hosts.list())[0]!;
    const sd = await api.storage_domains.getOrThrow({ name: "mydata" });
    // Each was TS2322 when action parameters were typed Init<types.X> without resources.
    await vm.export({ storage_domain: sd, exclusive: true });
    await vm.start();
    await waitFor(vm, "up", { intervalMs: 5, timeoutMs: 5000 });
    await vm.migrate({ host });
    await waitFor(vm, "up", { intervalMs: 5, timeoutMs: 5000 });
    await vm.migrate({ host: new params.Host({ name: host.name }) });
    await waitFor(vm, "up", { intervalMs: 5, timeoutMs: 5000 });
    const migrations = engine.state.requests.filter((r) => r.path.endsWith("/migrate"));
    expect(migrations).toHaveLength(2);
    await vm.stop();
    await waitFor(vm, "down", { intervalMs: 5, timeoutMs: 5000 });
  });

  it("type the members of a service that has only remove by what its collection lists", async () => {
    const cluster = await api.clusters.getOrThrow({ name: "Default" });
    const group = await cluster.affinity_groups.add(new params.AffinityGroup({ name: "together" }));
    const host = (await api.hosts.list())[0]!;
    await group.hosts.add(new params.Host({ id: host.id }));
    const listed: AffinityGroupHostResource[] = await group.hosts.list();
    // `.id` and `.name` were TS2339 on a bare Envelope (the simulator keeps no group membership: the
    // type-check is the test here).
    const named: { id?: string; name?: string }[] = listed.map((h) => ({ id: h.id, name: h.name }));
    expect(Array.isArray(named)).toBe(true);
  });

  it("type vm.disks, installed from src/ on the generated VmResource", async () => {
    const vm: VmResource = await api.vms.getOrThrow({ name: "python_vm" });
    const sd = await api.storage_domains.getOrThrow({ name: "mydata" });
    const disk: DiskResource = await vm.disks.add(
      new params.Disk({
        name: "typed_disk",
        storage_domains: new params.StorageDomains({ storage_domain: [sd] }),
        size: 1073741824,
        type_: "data",
        interface: "virtio",
        format: "cow",
      }),
    );
    expect(disk.provisioned_size).toBe(1073741824);
    expect(Object.getOwnPropertyNames(Object.getPrototypeOf(vm))).toContain("disks");
  });
});
