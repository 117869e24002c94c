// The `vim` and `vmodl` values: classes built on first use from the wire metadata, pyVmomi's names,
// data objects that refuse unknown fields, faults that are errors (instanceof across the hierarchy and
// across copies of the package), managed objects with the API's methods and lazy properties.
import { inspect } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { ConfigError, NimbusError, ValidationError } from "@nimbus-sdk/common";
import { DataObject, ManagedObject, MethodFaultBase, vim, vmodl, type Input } from "../src/index.js";
import { encodeRequest } from "../src/soap/encode.js";
import { operation } from "../src/soap/metadata.js";

describe("vim data classes", () => {
  it("builds a class per WSDL type, with the XSD's inheritance", () => {
    const spec = new vim.VirtualMachineConfigSpec({ name: "web", memoryMB: 2048 });
    expect(spec).toBeInstanceOf(vim.VirtualMachineConfigSpec);
    expect(spec).toBeInstanceOf(vim.DynamicData);
    expect(spec).toBeInstanceOf(vmodl.DynamicData);
    expect(spec).toBeInstanceOf(DataObject);
    expect(spec._wsdlName).toBe("VirtualMachineConfigSpec");
    expect(vim.VirtualMachineConfigSpec._wsdlName).toBe("VirtualMachineConfigSpec");
    expect(vim.VirtualMachineConfigSpec.name).toBe("VirtualMachineConfigSpec");
    // The fields given, and pyVmomi's defaults: every array [] (optional scalars stay unset).
    expect(Object.keys(spec).filter((k) => !Array.isArray(spec[k as keyof typeof spec]))).toEqual(["name", "memoryMB"]);
    expect(spec.deviceChange).toEqual([]);
    expect(new vim.VirtualDisk()).toBeInstanceOf(vim.VirtualDevice);
    expect(vim.VirtualMachineConfigSpec).toBe(vim.VirtualMachineConfigSpec);
  });

  it("refuses a field the type does not have", () => {
    expect(() => new vim.VirtualMachineConfigSpec({ memoryMb: 2048 } as never)).toThrow(ValidationError);
    expect(() => new vim.VirtualMachineConfigSpec({ memoryMb: 2048 } as never)).toThrow(
      "VirtualMachineConfigSpec has no field memoryMb",
    );
  });

  it("gives enums as frozen value maps, and unknown names as undefined", () => {
    expect(vim.VirtualMachinePowerState.poweredOff).toBe("poweredOff");
    expect(Object.keys(vim.VirtualMachinePowerState)).toEqual(["poweredOff", "poweredOn", "suspended"]);
    expect(Object.isFrozen(vim.VirtualMachinePowerState)).toBe(true);
    expect((vim as unknown as Record<string, unknown>).NoSuchType).toBeUndefined();
    expect("VirtualMachine" in vim).toBe(true);
    expect("NoSuchType" in vim).toBe(false);
  });

  it("keeps pyVmomi's vmodl names, the property collector's nested specs among them", () => {
    expect(vmodl.query.PropertyCollector.FilterSpec).toBe(vim.PropertyFilterSpec);
    expect(vmodl.query.PropertyCollector.TraversalSpec).toBe(vim.TraversalSpec);
    expect(vmodl.query.PropertyCollector.Filter).toBe(vim.PropertyFilter);
    expect(vmodl.query.PropertyCollector).toBe(vim.PropertyCollector);
    expect(vmodl.query.InvalidProperty).toBe(vim.InvalidProperty);
    expect(vmodl.ManagedObject).toBe(ManagedObject);
    expect(vmodl.MethodFault).toBe(vim.MethodFault);
    expect((vmodl.fault as unknown as Record<string, unknown>).MethodFault).toBeUndefined();
    expect((vim.fault as unknown as Record<string, unknown>).ManagedObjectNotFound).toBeUndefined();
    expect(Object.keys(vmodl.fault)).toContain("ManagedObjectNotFound");
    expect(Object.keys(vim.fault)).toContain("InvalidLogin");
    expect(Object.keys(vim).length).toBeGreaterThan(3300);
    expect(inspect(vim)).toMatch(/^\[vim: \d+ names\]$/);
  });

  it("prints data objects with their type", () => {
    expect(inspect(new vim.Description({ label: "L", summary: "S" }))).toBe(
      "vim.Description { label: 'L', summary: 'S' }",
    );
  });
});

describe("the types of arrays and longs", () => {
  // The type annotations are the test: `pnpm typecheck` fails if they stop holding.
  it("types arrays as present on what the SDK builds, and as optional in the literals a call takes", () => {
    const leaf = new vim.vm.SnapshotTree();
    const children: vim.VirtualMachineSnapshotTree[] = leaf.childSnapshotList; // no `!`, as pyVmomi's []
    expect(children).toEqual([]);
    // pathSet left out at depth two: it goes out empty, as pyVmomi sends an unset array.
    const literal: Input<vim.PropertyFilterSpec> = {
      objectSet: [{ obj: new vim.Folder("group-d1") }],
      propSet: [{ type: "VirtualMachine", all: true }],
    };
    const xml = encodeRequest(operation("RetrievePropertiesEx")!, { type: "PropertyCollector", value: "pc" }, [
      [literal],
      {},
    ]);
    expect(xml).toContain("<propSet><type>VirtualMachine</type><all>true</all></propSet>");
    // @ts-expect-error: what the SDK hands out has every array
    const handedOut: vim.PropertySpec = { type: "VirtualMachine" };
    expect(handedOut.type).toBe("VirtualMachine");
  });

  it("types a long as number | bigint (a bigint beyond 2^53)", () => {
    const summary = new vim.DatastoreSummary({ capacity: 2n ** 60n, freeSpace: 1024 });
    const capacity: number | bigint = summary.capacity;
    // @ts-expect-error: a long may be a bigint
    const asNumber: number = summary.capacity;
    expect([typeof capacity, typeof asNumber, typeof summary.freeSpace]).toEqual(["bigint", "bigint", "number"]);
  });
});

describe("fault classes", () => {
  it("are NimbusErrors in the fault hierarchy, instanceof working both ways", () => {
    const fault = new vim.fault.InvalidLogin({}, { message: "Login failure" });
    expect(fault).toBeInstanceOf(vim.fault.InvalidLogin);
    expect(fault).toBeInstanceOf(vim.fault.VimFault);
    expect(fault).toBeInstanceOf(vmodl.MethodFault);
    expect(fault).toBeInstanceOf(MethodFaultBase);
    expect(fault).toBeInstanceOf(NimbusError);
    expect(fault).toBeInstanceOf(Error);
    expect(fault).not.toBeInstanceOf(vmodl.RuntimeFault);
    expect(fault.name).toBe("InvalidLogin");
    expect(fault.message).toBe("Login failure");
    expect(new vmodl.fault.ManagedObjectNotFound().message).toBe("ManagedObjectNotFound");
    expect((vim.fault.InvalidLogin as unknown as { errorKind: string }).errorKind).toBe(
      "@nimbus-sdk/vsphere:InvalidLogin",
    );
  });

  it("keep instanceof across copies of the package, by their brand", () => {
    const kinds = Symbol.for("@nimbus-sdk/common/error-kinds");
    const foreign = Object.assign(new Error("from another copy"), {});
    Object.defineProperty(foreign, kinds, {
      value: ["@nimbus-sdk/vsphere:InvalidLogin", "@nimbus-sdk/vsphere:VimFault", "@nimbus-sdk/vsphere:MethodFault"],
    });
    expect(foreign).toBeInstanceOf(vim.fault.InvalidLogin);
    expect(foreign).toBeInstanceOf(vmodl.MethodFault);
    expect(foreign).not.toBeInstanceOf(vim.fault.NotAuthenticated);
  });

  it("carry their WSDL fields, even those named like Error's own", () => {
    const fault = new vim.fault.DuplicateName({ name: "web-1", object: new vim.Folder("group-v3") });
    expect(fault.name).toBe("web-1");
    expect(fault.object).toBeInstanceOf(vim.Folder);
    expect(fault.toJSON()).toMatchObject({ _wsdlName: "DuplicateName", name: "web-1" });
  });

  it("get pyVmomi's defaults, but keep the error context they were built with", () => {
    const fault = new vmodl.fault.MethodNotFound({}, { method: "Frob", url: "https://vc/sdk" });
    expect(fault.method).toBe("Frob"); // a required string field, which pyVmomi would make ""
    expect(fault.url).toBe("https://vc/sdk");
    expect(fault.faultMessage).toEqual([]);
  });
});

describe("managed object classes", () => {
  it("have the API's methods and properties, inherited as in the API", () => {
    const vm = new vim.VirtualMachine("vm-42");
    expect(vm).toBeInstanceOf(vim.ManagedEntity);
    expect(vm).toBeInstanceOf(vim.ExtensibleManagedObject);
    expect(vm).toBeInstanceOf(ManagedObject);
    expect(vm._moId).toBe("vm-42");
    expect(vm._wsdlName).toBe("VirtualMachine");
    expect(vm._stub).toBeUndefined();
    expect(typeof vm.PowerOffVM_Task).toBe("function");
    expect(typeof vm.Destroy_Task).toBe("function");
    expect(typeof vm.setCustomValue).toBe("function");
    expect(vm.PowerOffVM_Task.name).toBe("PowerOffVM_Task");
    expect("runtime" in vm && "name" in vm && "parent" in vm).toBe(true);
    expect(typeof (vm as unknown as Record<string, unknown>).CreateContainerView).toBe("undefined");
    expect(String(vm)).toBe("vim.VirtualMachine:vm-42");
    expect(inspect(vm)).toBe("'vim.VirtualMachine:vm-42'");
    expect(JSON.stringify({ vm })).toBe('{"vm":{"_wsdlName":"VirtualMachine","_moId":"vm-42"}}');
    expect(typeof vim.ServiceInstance.prototype.collect).toBe("function");
    expect(typeof vim.ServiceInstance.prototype.RetrieveContent).toBe("function");
  });

  it("reject calls and reads on a reference without a connection", async () => {
    const vm = new vim.VirtualMachine("vm-42");
    await expect(vm.PowerOffVM_Task()).rejects.toThrow(ConfigError);
    expect(() => vm.name).toThrow("vim.VirtualMachine:vm-42.name: this reference is not bound to a connection");
    expect(() => new vim.VirtualMachine("")).toThrow(ValidationError);
  });
});
