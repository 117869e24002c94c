// update() sends the members changed since the entity was fetched, and only those (v3's idiom), for
// entities from a streamed list too: read from the PUT the client logs (debug on, values redacted, element
// names shown) and from the simulator's state. The members as fetched are a snapshot (src/snapshot.ts)
// shared in shape by the entities of one list, so these tests change nested members, list items, and one
// entity of a list while updating another.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { scanXml } from "@nimbus-sdk/common";
import { API, params, type VmResource } from "../src/index.js";
import { startEngine, type EngineSimulator } from "../src/testing/index.js";

let engine: EngineSimulator;
let api: API;
const logged: string[] = [];

beforeAll(async () => {
  engine = await startEngine({ stepMs: 10, protocol: "http" });
  const ignore = () => {};
  api = await API.connect({
    url: engine.url,
    ...engine.credentials,
    logger: { debug: (line) => logged.push(line), info: ignore, warn: ignore, error: ignore },
  });
  const cluster = await api.clusters.getOrThrow({ name: "Default" });
  const template = await api.templates.getOrThrow({ name: "Blank" });
  await api.vms.add(new params.VM({ name: "second_vm", cluster, template }));
});

afterAll(async () => {
  await api?.disconnect();
  await engine?.close();
});

/** Both VMs from one list (streamed: debug is off while listing). */
async function listed(): Promise<[VmResource, VmResource]> {
  api.debug = false;
  const vms = await api.vms.list();
  const first = vms.find((vm) => vm.name === "python_vm")!;
  const second = vms.find((vm) => vm.name === "second_vm")!;
  expect([first, second].every(Boolean)).toBe(true);
  return [first, second];
}

/** Runs `vm.update()` and gives the members its PUT sent: the document element's children. */
async function sent(vm: VmResource): Promise<string[]> {
  api.debug = true;
  logged.length = 0;
  try {
    await vm.update();
  } finally {
    api.debug = false;
  }
  const puts = logged.filter((line) => line.startsWith("-> PUT "));
  expect(puts).toHaveLength(1);
  const body = puts[0]!.slice(puts[0]!.indexOf(" body ") + " body ".length);
  const members: string[] = [];
  let depth = 0;
  scanXml(body, {
    open(name) {
      if (depth++ === 1) members.push(name);
    },
    text() {},
    close() {
      depth--;
    },
  });
  return members;
}

/** The simulator's record of the VM (wire text). */
interface StoredVm {
  description: string;
  memory: string;
  cpu: { topology: { cores: string } };
  os: { boot: { devices: string[] } };
}

const stored = (name: string) => engine.state.find("vms", name) as unknown as StoredVm;

describe("update() after a list", () => {
  it("sends nothing when nothing changed", async () => {
    const [vm] = await listed();
    expect(await sent(vm)).toEqual([]);
  });

  it("sends a nested member changed in place, and the engine takes it", async () => {
    const [vm] = await listed();
    const cores = vm.cpu!.topology!.cores!;
    vm.cpu!.topology!.cores = cores + 2;
    expect(await sent(vm)).toEqual(["cpu"]);
    expect(stored("python_vm").cpu.topology.cores).toBe(String(cores + 2));
  });

  it("sends a list whose item was replaced", async () => {
    const [vm] = await listed();
    expect(vm.os!.boot!.devices).toEqual(["hd"]);
    vm.os!.boot!.devices![0] = "network";
    expect(await sent(vm)).toEqual(["os"]);
    expect(stored("python_vm").os.boot.devices).toEqual(["network"]);
  });

  it("does not send a member set back to its value as fetched, top-level or nested", async () => {
    const [vm] = await listed();
    const { description } = vm;
    const cores = vm.cpu!.topology!.cores!;
    vm.description = "changed for a while";
    vm.description = description;
    vm.cpu!.topology!.cores = cores + 1;
    vm.cpu!.topology!.cores = cores;
    vm.memory = vm.memory! * 2;
    // The engine's own description changes meanwhile: a stale one sent back would overwrite it.
    engine.state.tamper("vms", vm.id!, { description: "the engine's" });
    expect(await sent(vm)).toEqual(["memory"]);
    expect(stored("python_vm").description).toBe("the engine's");
    expect(stored("python_vm").memory).toBe(String(vm.memory));
  });

  it("keeps the entities of one list apart: a change to one is neither sent nor seen by the other", async () => {
    const [first, second] = await listed();
    expect(second.cpu).not.toBe(first.cpu);
    const firstCores = first.cpu!.topology!.cores!;
    const secondCores = second.cpu!.topology!.cores!;
    first.cpu!.topology!.cores = firstCores + 3;
    first.os!.boot!.devices!.push("cdrom");
    expect(second.cpu!.topology!.cores).toBe(secondCores);
    expect(second.os!.boot!.devices).toEqual(["hd"]);
    second.description = "only the second";
    expect(await sent(second)).toEqual(["description"]);
    expect(stored("second_vm").cpu.topology.cores).toBe(String(secondCores));
    expect(await sent(first)).toEqual(["cpu", "os"]);
    expect(stored("python_vm").cpu.topology.cores).toBe(String(firstCores + 3));
  });

  it("a followed link named as a sub-collection: the collection on the entity, the members in toJSON(), none sent", async () => {
    api.debug = false;
    const vms = await api.vms.list({ follow: "nics,disk_attachments" });
    const vm = vms.find((one) => one.name === "second_vm")!;
    expect(typeof vm.nics.list).toBe("function");
    expect(Object.keys(vm)).not.toContain("nics");
    expect(vm.toJSON()).toHaveProperty("nics", []);
    expect(vm.toJSON()).toHaveProperty("disk_attachments", []);
    vm.description = "followed";
    expect(await sent(vm)).toEqual(["description"]);
  });

  it("toJSON() gives the members as fetched, after changes in place", async () => {
    const [vm] = await listed();
    const fetched = JSON.stringify(vm);
    const cores = vm.cpu!.topology!.cores!;
    vm.cpu!.topology!.cores = cores + 5;
    vm.os!.boot!.devices!.length = 0;
    vm.description = "not yet sent";
    expect(JSON.stringify(vm)).toBe(fetched);
    expect(vm.toJSON().cpu?.topology?.cores).toBe(cores);
    expect(vm.toJSON().status).toBe("down");
  });
});
