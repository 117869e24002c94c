// The generated layer: current with model.json (--check), and the shapes the codec, the client and the
// simulator rely on.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { params, VmResource, VmsCollection } from "../src/index.js";
import { MODEL_VERSION, STRUCTS } from "../src/generated/wire.js";
import { SERVICES } from "../src/generated/services.js";
import { SERVICE_CLASSES } from "../src/generated/resources.js";
import { enumValues, isA, structByElement, structByPlural, wireStruct } from "../src/wire/metadata.js";
import { wireService } from "../src/wire/services.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const modelFile = fileURLToPath(new URL("../../../../shared/specs/ovirt/model.json", import.meta.url));
const run = promisify(execFile);

describe("scripts/generate.mjs", () => {
  // The generator runs in a child process: seconds on a busy machine, past jest's 5 s default.
  it("wrote what it writes from model.json (--check)", async () => {
    if (!existsSync(modelFile)) {
      console.log(`skipped: ${modelFile} is absent (no ../shared beside this clone)`);
      return;
    }
    const { stdout } = await run(process.execPath, ["scripts/generate.mjs", "--check"], { cwd: packageDir });
    expect(stdout.match(/is up to date/g)).toHaveLength(8);
  }, 60_000);

  it("passes --check with a notice when the model is absent", async () => {
    const { stdout } = await run(
      process.execPath,
      ["scripts/generate.mjs", "--check", "--model", "/nonexistent/model.json"],
      { cwd: packageDir },
    );
    expect(stdout).toContain("not found");
  });
});

describe("the wire metadata", () => {
  it("has every struct and enum of the model, with wire names", () => {
    expect(MODEL_VERSION).toBe("4.6.1");
    expect(Object.keys(STRUCTS)).toHaveLength(220);
    const vm = wireStruct("Vm");
    expect(vm).toMatchObject({ xml: "vm", plural: "vms", base: "VmBase", ancestors: ["VmBase", "Identified"] });
    // The root base's members first, as the schema's extensions write them.
    expect(vm.members.slice(0, 4).map((m) => m.xml)).toEqual(["id", "name", "description", "comment"]);
    expect(vm.byXml.get("id")).toMatchObject({ attribute: true, kind: "primitive", xsd: "string" });
    expect(vm.byXml.get("memory")).toMatchObject({ type: "Integer", xsd: "long", declaredIn: "VmBase" });
    expect(vm.byXml.get("disk_attachments")).toMatchObject({ list: true, item: "disk_attachment", link: true });
    expect(vm.byXml.get("status")).toMatchObject({ kind: "enum", type: "VmStatus" });
    expect(enumValues("VmStatus")).toContain("wait_for_launch");
    expect(wireStruct("Host").byXml.get("numa_nodes")).toBeUndefined();
    expect(wireStruct("Host").byXml.get("host_numa_nodes")).toMatchObject({ item: "host_numa_node" });
  });

  it("finds structs by element and by list element", () => {
    expect(structByElement("os")?.name).toBe("OperatingSystem");
    expect(structByElement("brick")?.name).toBe("GlusterBrick");
    expect(structByPlural("data_centers")?.name).toBe("DataCenter");
    expect(isA("Vm", "Identified")).toBe(true);
    expect(isA("Vm", "Host")).toBe(false);
  });
});

describe("the services tree", () => {
  it("has every service with its methods, parameters and locators", () => {
    expect(Object.keys(SERVICES)).toHaveLength(288);
    const vms = wireService("VmsService");
    expect(vms).toMatchObject({ type: "Vm", collection: true });
    expect(vms.idLocator).toEqual({ name: "vm", service: "VmService", path: "{id}" });
    expect(vms.method("list")?.input.map((p) => p.xml)).toEqual(
      expect.arrayContaining(["search", "max", "case_sensitive", "all_content", "follow"]),
    );
    const vm = wireService("VmService");
    expect(vm.methods.get("cancel_migration")).toMatchObject({
      kind: "action",
      httpMethod: "POST",
      pathSuffix: "cancelmigration",
    });
    expect(vm.methods.get("start")?.input.find((p) => p.xml === "use_cloud_init")).toMatchObject({ where: "action" });
    // Inherited from MeasurableService.
    expect(vm.locators.get("statistics")?.path).toBe("statistics");
    expect(vm.locators.get("disk_attachments")).toMatchObject({
      service: "DiskAttachmentsService",
      path: "diskattachments",
    });
    // An export's alternative signatures add their parameters.
    expect(vm.methods.get("export")?.input.map((p) => p.xml)).toEqual(
      expect.arrayContaining(["directory", "filename"]),
    );
  });

  it("gives a class to every service reachable from the root, each typed by what it serves", () => {
    // The mixins (MeasurableService ...) and v3's VmDisksService / TemplateDisksService have no locator.
    expect(Object.keys(SERVICE_CLASSES)).toHaveLength(280);
    expect(SERVICE_CLASSES).not.toHaveProperty("VmDisksService");
    expect(SERVICE_CLASSES).not.toHaveProperty("MeasurableService");
    // A member service with only remove serves what its collection lists.
    expect(wireService("AffinityGroupHostService").type).toBe("Host");
    expect(wireService("AffinityGroupVmLabelService").type).toBe("AffinityLabel");
  });
});

describe("the generated classes", () => {
  it("types every collection, sub-collection and action", () => {
    expect(VmsCollection.itemClass).toBe(VmResource);
    const names = Object.getOwnPropertyNames(VmResource.prototype);
    for (const name of [
      "start",
      "stop",
      "shutdown",
      "migrate",
      "cancel_migration",
      "nics",
      "disk_attachments",
      "disks",
    ]) {
      expect(names).toContain(name);
    }
  });

  it("has the params classes with v3's spellings", () => {
    // v3's names are v3's classes (from the v3 schema); v4's spellings are v4's.
    expect(new params.VM()).toBeInstanceOf(params.V3Object);
    expect(new params.NIC()).toBeInstanceOf(params.V3Object);
    expect(new params.Vm()).toBeInstanceOf(params.ParamsObject);
    expect(params.findRootClass("topology")).toBe(params.CpuTopology);
    expect(params.findRootClass("vm")).toBe(params.VM);
    expect(params.findRootClass("vms")).toBe(params.VMs);
    expect(params.findRootClass("disk_attachment")).toBe(params.DiskAttachment);
    expect(params.findRootClass("no_such_element")).toBeUndefined();
  });
});
