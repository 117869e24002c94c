// list()'s client-side constraints: property paths checked against the model before anything is sent.
import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { compileConstraints } from "../src/constraints.js";
import { decodeList } from "../src/index.js";

const vms = decodeList(
  `<vms>
    <vm id="1"><name>web-1</name><memory>1073741824</memory><cpu><topology><cores>2</cores></topology></cpu>
      <status>up</status><start_time>2024-01-01T00:00:00Z</start_time><cluster id="c1"/>
      <nics><nic><name>eth0</name><interface>e1000</interface></nic></nics><stateless>false</stateless></vm>
    <vm id="2"><name>db-1</name><memory>2147483648</memory><cpu><topology><cores>4</cores></topology></cpu>
      <status>down</status><cluster id="c2"/><nics><nic><name>eth0</name><interface>virtio</interface></nic></nics></vm>
  </vms>`,
  "Vm",
);

const matching = (constraints: Record<string, unknown>) =>
  vms.filter(compileConstraints("Vm", constraints, "vms.list")).map((vm) => vm.id);

describe("list constraints", () => {
  it("match by any property path, through lists and references", () => {
    expect(matching({ memory: 1073741824 })).toEqual(["1"]);
    expect(matching({ "cpu.topology.cores": 4 })).toEqual(["2"]);
    expect(matching({ name: "web*" })).toEqual(["1"]);
    expect(matching({ status: "up", memory: 2147483648 })).toEqual([]);
    expect(matching({ "nics.interface": "virtio" })).toEqual(["2"]);
    expect(matching({ cluster: { id: "c2" } })).toEqual(["2"]);
    expect(matching({ "cluster.id": "c1" })).toEqual(["1"]);
    expect(matching({ start_time: new Date("2024-01-01T00:00:00Z") })).toEqual(["1"]);
    expect(matching({ stateless: false })).toEqual(["1"]);
    expect(matching({})).toEqual(["1", "2"]);
  });

  it("refuse an unknown property path or a value of the wrong type, naming it", () => {
    expect(() => matching({ memroy: 1 })).toThrow(ValidationError);
    expect(() => matching({ memroy: 1 })).toThrow(/the constraint memroy names "memroy", which Vm does not have/);
    expect(() => matching({ "cpu.topology.cors": 1 })).toThrow(
      /cpu.topology.cors names "cors", which CpuTopology does not have/,
    );
    expect(() => matching({ "memory.size": 1 })).toThrow(/goes into "memory", a Integer that has no members/);
    expect(() => matching({ memory: "big" })).toThrow(/constraint memory must be an integer/);
    expect(() => matching({ status: "running" })).toThrow(/must be one of "unassigned"/);
    expect(() => matching({ cluster: "Default" })).toThrow(
      /the constraint cluster is a Cluster: give an object with an id/,
    );
    expect(() => matching({ "cpu..cores": 1 })).toThrow(/is not a property path/);
  });
});
