// The package as installed: its name and version, its dependency on common, and its entry points.
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
});
