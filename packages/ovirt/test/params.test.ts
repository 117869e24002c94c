// The params classes: checked when made, as the v3 SDK's were, with the wire names of API v4.
import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { encodeObject, params } from "../src/index.js";

describe("params", () => {
  it("makes objects with wire member names, nested params and lists", () => {
    const vm = new params.VM({
      name: "my_vm",
      memory: 1073741824,
      cpu: new params.CPU({ topology: new params.CpuTopology({ cores: 2, sockets: 1 }) }),
      cluster: new params.Cluster({ name: "Default" }),
      nics: [new params.NIC({ name: "eth0", interface: "virtio" })],
    });
    expect(vm).toBeInstanceOf(params.VM);
    expect(vm.name).toBe("my_vm");
    expect(vm.cpu?.topology?.cores).toBe(2);
    expect(Object.keys(vm)).toEqual(["name", "memory", "cpu", "cluster", "nics"]);
    expect(encodeObject(vm, "Vm")).toBe(
      "<vm><name>my_vm</name><memory>1073741824</memory><cpu><topology><sockets>1</sockets><cores>2</cores></topology></cpu>" +
        "<cluster><name>Default</name></cluster><nics><nic><name>eth0</name><interface>virtio</interface></nic></nics></vm>",
    );
  });

  it("leaves null and undefined members unset", () => {
    expect(Object.keys(new params.Vm({ name: "a", description: undefined, comment: null }))).toEqual(["name"]);
    expect(Object.keys(new params.Vm())).toEqual([]);
  });

  it("refuses unknown members and values of the wrong type, naming them", () => {
    const make = (init: object) => () => new params.Disk(init as never);
    expect(make({ capacity: 5368709120 })).toThrow(ValidationError);
    expect(make({ storage: "data" })).toThrow(
      /params.Disk got an unexpected keyword argument "storage" \(did you mean [a-z_, ]*storage_type/,
    );
    expect(make({ format: "qcow3" })).toThrow(/params.Disk.format must be one of "cow", "raw", not "qcow3"/);
    expect(make({ provisioned_size: "5G" })).toThrow(/params.Disk.provisioned_size must be an integer/);
    expect(make({ sparse: "yes" })).toThrow(/params.Disk.sparse must be a boolean/);
    try {
      make({ shareable: 1 })();
    } catch (error) {
      expect((error as ValidationError).field).toBe("params.Disk.shareable");
    }
    expect(() => new params.Vm("vm1" as never)).toThrow(/params.Vm takes an object of members/);
  });

  it("holds v3's disk members under v3's names and sends them as v4's, refusing what v4 cannot express", () => {
    const disk = new params.Disk({ size: 5368709120, type_: "data", format: "cow" });
    expect({ ...disk }).toEqual({ size: 5368709120, type_: "data", format: "cow" });
    expect([disk.get_size(), disk.get_type()]).toEqual([5368709120, "data"]);
    expect(encodeObject(disk, "Disk")).toBe(
      "<disk><provisioned_size>5368709120</provisioned_size><format>cow</format><content_type>data</content_type></disk>",
    );
    expect(params.findRootClass("disk")).toBe(params.Disk);
    expect(() => new params.Disk({ type_: "system" })).toThrow(
      /params.Disk.type_ "system" has no API v4 equivalent: v4 has content_type instead \(one of data, /,
    );
    // A wrong value is reported under the name the caller wrote.
    expect(() => new params.Disk({ size: "x" as never })).toThrow(
      expect.objectContaining({ message: 'params.Disk.size must be an integer, not "x"', field: "params.Disk.size" }),
    );
  });

  it("has list classes, as v3's params.StorageDomains", () => {
    const list = new params.StorageDomains({ storage_domain: [new params.StorageDomain({ name: "data" })] });
    expect(list.storage_domain).toHaveLength(1);
    expect(() => new params.StorageDomains({ storage_domains: [] } as never)).toThrow(
      /params.StorageDomains got an unexpected keyword argument "storage_domains" \(did you mean storage_domain\?\)/,
    );
    const nameless = new params.StorageDomains({ storage_domain: [{ nme: "x" }] } as never);
    expect(() => encodeObject({ storage_domains: nameless }, "Disk")).toThrow(/has no member "nme"/);
    expect(params.findRootClass("storage_domains")).toBe(params.StorageDomains);
  });
});
