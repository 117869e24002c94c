// Chained property reads of public pyVmomi scripts (vm.runtime.host.name and the like), ported with
// `await obj.get(path)`: one await for the path, one round trip per managed object it reaches.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { vim } from "../../src/index.js";
import { content, getAllObj, si, useVcsim } from "../helpers/connect.js";

const SAMPLES = "vmware/pyvmomi-community-samples";

let vms: vim.VirtualMachine[];
const requests: string[] = [];
const logger = { debug: (m: string) => void requests.push(m), info() {}, warn() {}, error() {} };

useVcsim({ vm: 2 }, { logger });

beforeAll(async () => {
  vms = await getAllObj(content, vim.VirtualMachine);
});

/** The SOAP operations sent while `action` ran, and its value. */
async function counted<T>(action: () => Promise<T>): Promise<[T, string[]]> {
  si._stub!.debug = true;
  requests.length = 0;
  try {
    const value = await action();
    return [value, requests.filter((r) => r.startsWith("-> POST")).map((r) => /<(\w+) xmlns/.exec(r)?.[1] ?? "?")];
  } finally {
    si._stub!.debug = false;
  }
}

describe("obj.get(path)", () => {
  it(`${SAMPLES} samples/getvmsbycluster.py style: vm.runtime.host.name, two round trips`, async () => {
    const vm = vms[0]!;
    const [name, sent] = await counted(() => vm.get("runtime.host.name"));
    const host: string | undefined = name; // typed through the reference (runtime.host may be unset)
    expect(host).toBe(await (await vm.runtime).host!.name);
    expect(sent).toEqual(["RetrievePropertiesEx", "RetrievePropertiesEx"]);
  });

  it(`${SAMPLES} samples/change_vm_vif.py: vm.runtime.host.network names (an array of references)`, async () => {
    const vm = vms[0]!;
    const names = await vm.get("runtime.host.network.name");
    const expected = await Promise.all((await (await vm.runtime).host!.network).map((n) => n.name));
    expect(names).toEqual(expected);
  });

  it(`${SAMPLES} samples/getallvms.py: summary.config.name inside one object is one round trip`, async () => {
    const [name, sent] = await counted(() => vms[0]!.get("summary.config.name"));
    expect(name).toBe(await vms[0]!.name);
    expect(sent).toEqual(["RetrievePropertiesEx"]);
  });

  it("vm.datastore[].summary.name: one read per datastore", async () => {
    const names = await vms[0]!.get("datastore.summary.name");
    expect(names).toEqual(["LocalDS_0"]);
  });

  it("config.hardware.device.key walks an array of data objects locally", async () => {
    const keys = await vms[0]!.get("config.hardware.device.key");
    expect(keys).toEqual((await vms[0]!.config)!.hardware.device!.map((d) => d.key));
  });

  it(`${SAMPLES} samples/vminfo_quick.py: vm.resourcePool.owner.name (the cluster)`, async () => {
    const owner = await vms[0]!.get("resourcePool.owner.name");
    expect(owner).toMatch(/^DC0_(C0|H0)$/);
  });

  it("a segment the schema lacks is a ValidationError before anything is sent", async () => {
    const [error, sent] = await counted(() => vms[0]!.get("runtime.host.nmae").catch((e: unknown) => e));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain("HostSystem has no property nmae");
    expect(sent).toEqual([]);
    await expect(vms[0]!.get("name.length")).rejects.toBeInstanceOf(ValidationError);
  });

  it("an unset reference on the way gives undefined", async () => {
    expect(await vms[0]!.get("snapshot.currentSnapshot.config.name")).toBeUndefined();
  });
});
