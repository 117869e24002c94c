// The package as installed: its name and version, its dependency on common, and its entry points.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { NimbusError } from "@nimbus-sdk/common";
import * as sdk from "../src/index.js";

describe("@nimbus-sdk/vsphere", () => {
  it("names itself as its package.json does", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(sdk.PACKAGE_NAME).toBe(manifest.name);
    expect(sdk.PACKAGE_VERSION).toBe(manifest.version);
  });

  it("resolves @nimbus-sdk/common through its declared dependency", () => {
    expect(new NimbusError("x")).toBeInstanceOf(Error);
    expect(new sdk.vim.fault.InvalidLogin()).toBeInstanceOf(NimbusError);
  });

  it("exports pyVmomi's entry points", () => {
    for (const name of ["SmartConnect", "SmartConnectNoSSL", "Disconnect", "WaitForTask", "WaitForTasks"] as const) {
      expect(typeof sdk[name]).toBe("function");
    }
    expect(sdk.vim.VirtualMachine._wsdlName).toBe("VirtualMachine");
    expect(sdk.vmodl.query.PropertyCollector.FilterSpec._wsdlName).toBe("PropertyFilterSpec");
  });

  it("keeps instanceof between its ESM and CommonJS builds, for data, managed and fault classes", () => {
    // The built package in a node process of its own: jest's module sandbox would hide the two builds' identity.
    const dist = new URL("../dist/", import.meta.url).pathname;
    const script = `
      import { createRequire } from "node:module";
      const esm = await import(${JSON.stringify(`${dist}esm/index.js`)});
      const cjs = createRequire(import.meta.url)(${JSON.stringify(`${dist}cjs/index.js`)});
      const spec = new esm.vim.VirtualMachineConfigSpec({ memoryMB: 1 });
      const vm = new cjs.vim.VirtualMachine("vm-1");
      console.log(JSON.stringify([
        spec instanceof cjs.vim.VirtualMachineConfigSpec, spec instanceof cjs.DataObject,
        spec instanceof cjs.vim.VirtualMachineRelocateSpec, spec instanceof cjs.ManagedObject,
        vm instanceof esm.vim.VirtualMachine, vm instanceof esm.vim.ManagedEntity, vm instanceof esm.ManagedObject,
        vm instanceof esm.vim.HostSystem, vm instanceof esm.DataObject,
        new esm.vim.fault.InvalidLogin() instanceof cjs.vim.fault.InvalidLogin,
      ]));`;
    const answers = JSON.parse(
      execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }),
    );
    expect(answers).toEqual([true, true, false, false, true, true, true, false, false, true]);
  });
});
