import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { ValidationError, parseXmlElement } from "@nimbus-sdk/common";
import {
  ACL_USERS,
  DATASTORE_TYPES,
  ENUMS,
  HISTORY_ACTION,
  HOST_STATES,
  LCM_STATE,
  LCM_STATE_BY_VALUE,
  LCM_STATE_REMOVED,
  MARKETPLACEAPP_STATES,
  OBJECT_TYPE,
  OBJECT_TYPE_BY_VALUE,
  PYONE_ENUMS,
  VM_ACTION_NAMES,
  VM_STATE,
  VM_STATE_BY_VALUE,
  nameOf,
  valueOf,
  type LcmStateName,
  type VmState,
} from "../src/constants.js";
import {
  methodNames,
  methods,
  type MethodMeta,
  type MethodParams,
  type MethodResults,
} from "../src/generated/methods.js";
import {
  TEMPLATE_VECTOR_KEYS,
  documentSchemas,
  methodDocuments,
  type DocumentId,
  type ElementSchema,
} from "../src/generated/schema.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const specsDir = fileURLToPath(new URL("../../../../shared/specs/opennebula/", import.meta.url));
const haveSpecs = existsSync(`${specsDir}methods.json`) && existsSync(`${specsDir}constants.json`);
const run = promisify(execFile);

function skipWithoutSpecs(): boolean {
  if (!haveSpecs) console.log(`skipped: ${specsDir} is absent (no ../shared beside this clone)`);
  return !haveSpecs;
}

const meta = (name: string): MethodMeta => {
  const m = (methods as Record<string, MethodMeta>)[name];
  if (!m) throw new Error(`no ${name}`);
  return m;
};

describe("scripts/generate.mjs", () => {
  // The generator runs in a child process: seconds on a busy machine, past jest's 5 s default.
  it("committed src/generated is what the generator writes (--check)", async () => {
    if (skipWithoutSpecs()) return;
    const { stdout } = await run(process.execPath, ["scripts/generate.mjs", "--check"], { cwd: packageDir });
    expect(stdout).toContain("methods.ts is up to date");
    expect(stdout).toContain("constants.ts is up to date");
    expect(stdout).toContain("schema.ts is up to date");
  }, 60_000);

  it("--check passes with a notice when the specs are absent", async () => {
    const { stdout } = await run(process.execPath, ["scripts/generate.mjs", "--check", "--specs", "/nonexistent"], {
      cwd: packageDir,
    });
    expect(stdout).toContain("not found");
  });
});

describe("src/generated/methods.ts", () => {
  it("has every method of methods.json, named one.<object>.<verb>", () => {
    expect(methodNames).toHaveLength(301);
    for (const name of methodNames) {
      const m = meta(name);
      expect(m.name).toBe(`one.${m.object}.${m.verb}`);
    }
    if (skipWithoutSpecs()) return;
    const spec = JSON.parse(readFileSync(`${specsDir}methods.json`, "utf8")) as {
      methods: { name: string; params: { name: string; type: string; optional?: boolean }[] }[];
    };
    expect(new Set(methodNames)).toEqual(new Set(spec.methods.map((m) => m.name)));
    // The generator makes optional what oned reads only when given (see OPTIONAL_IN_ONED there).
    const byVerb: Record<string, string> = {
      update: "update_type",
      lock: "test",
      chmod: "recursive",
      delete: "recursive",
    };
    const byMethod: Record<string, string[]> = {
      "one.template.instantiate": ["hold", "extra_template"],
      "one.vm.updatenic": ["update_type"],
      "one.user.login": ["effective_gid"],
      "one.vmpool.monitoring": ["seconds"],
      "one.hostpool.monitoring": ["seconds"],
    };
    const relaxed = (method: string, param: string) =>
      byMethod[method]?.includes(param) === true || byVerb[method.split(".")[2]!] === param;
    for (const m of spec.methods) {
      const params = meta(m.name).params.map((p) => [p.name, p.type, p.optional === true]);
      const listed = m.params.slice(1).map((p) => [p.name, p.type, p.optional === true || relaxed(m.name, p.name)]);
      expect([m.name, params]).toEqual([m.name, listed]);
    }
  });

  it("types one.vm.action as (action string, id int) answering an int", () => {
    const m = meta("one.vm.action");
    expect([m.object, m.verb]).toEqual(["vm", "action"]);
    expect(m.params.map((p) => [p.name, p.type])).toEqual([
      ["action", "string"],
      ["id", "int"],
    ]);
    expect(m.result.type).toBe("int");
    const args: MethodParams["one.vm.action"] = ["terminate", 0];
    expect(args).toHaveLength(2);
  });

  it("types one.template.instantiate with its template, hold and the rest optional as oned reads them", () => {
    const m = meta("one.template.instantiate");
    expect(m.params.map((p) => [p.name, p.type, p.optional === true])).toEqual([
      ["id", "int", false],
      ["name", "string", false],
      ["hold", "boolean", true],
      ["extra_template", "string", true],
      ["persistent", "boolean", true],
    ]);
    expect(m.params.find((p) => p.name === "extra_template")?.template).toBe(true);
    const args: MethodParams["one.template.instantiate"] = [0, "my_VM", false, { MEMORY: "1024" }];
    const short: MethodParams["one.template.instantiate"] = [0, "my_VM"];
    expect([args.length, short.length]).toEqual([4, 2]);
  });

  it("marks one.acl.addrule's masks as 64-bit hex strings, zone optional", () => {
    const m = meta("one.acl.addrule");
    expect(m.params.map((p) => [p.name, p.type, p.hexMask, p.optional === true])).toEqual([
      ["user", "string", true, false],
      ["resource", "string", true, false],
      ["rights", "string", true, false],
      ["zone", "string", true, true],
    ]);
    const args: MethodParams["one.acl.addrule"] = [0x100000000n, "1000000000", 0x3n];
    expect(args).toHaveLength(3);
  });

  it("keeps the i8 parameters of the Raft calls and the pool-info results as XML", () => {
    expect(meta("one.zone.fedreplicate").params.map((p) => p.type)).toEqual(["i8", "i8", "string"]);
    expect(meta("one.zone.fedreplicate").internal).toBe(true);
    expect(meta("one.hostpool.info").params).toEqual([]);
    expect(meta("one.hostpool.info").result.type).toBe("xml");
    expect(meta("one.vmpool.info").params.map((p) => p.name)).toEqual(["filter", "start", "end", "state", "kv_filter"]);
    expect(meta("one.system.version").result.type).toBe("string");
  });
});

describe("src/constants.ts", () => {
  it("knows the states PyONE users use", () => {
    expect(VM_STATE.ACTIVE).toBe(3);
    expect(VM_STATE_BY_VALUE[3]).toBe("ACTIVE");
    expect(LCM_STATE.RUNNING).toBe(3);
    expect(LCM_STATE_BY_VALUE[3]).toBe("RUNNING");
    expect(LCM_STATE.RESTORE).toBe(71);
    expect(LCM_STATE_REMOVED.CANCEL).toBe(13);
    expect(LCM_STATE_BY_VALUE[13]).toBeUndefined();
    expect(MARKETPLACEAPP_STATES.READY).toBe(1);
    expect(HOST_STATES.MONITORED).toBe(2);
    expect(HISTORY_ACTION["live-migrate"]).toBe(2);
    expect(VM_ACTION_NAMES).toContain("terminate-hard");
    const state: VmState = VM_STATE.POWEROFF;
    const name: LcmStateName = "HOTPLUG";
    expect(nameOf("VM_STATE", state)).toBe("POWEROFF");
    expect(valueOf("LCM_STATE", name)).toBe(17);
    expect(nameOf("VM_STATE", 7)).toBeUndefined();
  });

  it("has PyONE's enums under its plural names, PyONE's names and values first, oned's beside", () => {
    // pyone/__init__.py: IntEnum(name, 'A B C', start=0), so each name's value is its position.
    const pyone: Record<string, string> = {
      DATASTORE_TYPES: "IMAGE SYSTEM FILE",
      DATASTORE_STATES: "READY DISABLED",
      DISK_TYPES: "FILE CD_ROM BLOCK RBD FILE_SYSTEM",
      HOST_STATES:
        "INIT MONITORING_MONITORED MONITORED ERROR DISABLED MONITORING_ERROR MONITORING_INIT MONITORING_DISABLED OFFLINE",
      HOST_STATUS: "ENABLED DISABLED OFFLINE",
      IMAGE_STATES: "INIT READY USED DISABLED LOCKED ERROR CLONE DELETE USED_PERS LOCKED_USED LOCKED_USED_PERS",
      IMAGE_TYPES: "OS CDROM DATABLOCK KERNEL RAMDISK CONTEXT FILESYSTEM",
      MARKETPLACEAPP_STATES: "INIT READY LOCKED ERROR DISABLED",
      MARKETPLACEAPP_TYPES: "UNKNOWN IMAGE VMTEMPLATE SERVICE_TEMPLATE",
      PAGINATED_POOLS: "VM_POOL IMAGE_POOL TEMPLATE_POOL VN_POOL DOCUMENT_POOL SECGROUP_POOL",
      REMOVE_VNET_ATTRS: "AR_ID BRIDGE CLUSTER_ID IP MAC TARGET NIC_ID NETWORK_ID VN_MAD SECURITY_GROUPS VLAN_ID",
    };
    for (const [enumName, words] of Object.entries(pyone)) {
      const e = PYONE_ENUMS[enumName as keyof typeof PYONE_ENUMS];
      words.split(" ").forEach((name, value) => {
        expect([enumName, name, (e.values as Record<string, number>)[name]]).toEqual([enumName, name, value]);
        expect([enumName, value, nameOf(enumName as keyof typeof PYONE_ENUMS, value)]).toEqual([enumName, value, name]);
      });
    }
    expect(HOST_STATES.MONITORING_ERROR).toBe(5);
    // Where PyONE and oned 7.0.2 disagree, the plural name answers PyONE's, the singular oned's.
    expect([nameOf("IMAGE_TYPES", 6), nameOf("IMAGE_TYPE", 6)]).toEqual(["FILESYSTEM", "BACKUP"]);
    expect([DATASTORE_TYPES.IMAGE, DATASTORE_TYPES.IMAGE_DS, DATASTORE_TYPES.BACKUP_DS]).toEqual([0, 0, 3]);
    expect(valueOf("HOST_STATES", "MONITORING_INIT")).toBe(6);
    expect(nameOf("HISTORY_ACTION", 2)).toBe("live-migrate");
    expect(() => nameOf("HOST_STATUSES" as "HOST_STATES", 1)).toThrow(ValidationError);
  });

  it("is frozen", () => {
    expect(Object.isFrozen(VM_STATE)).toBe(true);
    expect(Object.isFrozen(VM_STATE_BY_VALUE)).toBe(true);
    expect(() => {
      (VM_STATE as { ACTIVE: number }).ACTIVE = 4;
    }).toThrow(TypeError);
  });

  it("holds 64-bit object types and ACL selectors exactly, as BigInt", () => {
    expect(OBJECT_TYPE.VM).toBe(0x1000000000n);
    expect(OBJECT_TYPE.VNTEMPLATE).toBe(2n ** 54n);
    expect(OBJECT_TYPE.HOOK).toBe(2n ** 55n);
    expect(OBJECT_TYPE_BY_VALUE[(2n ** 55n).toString()]).toBe("HOOK");
    expect(nameOf("OBJECT_TYPE", 2n ** 57n)).toBe("SCHEDULEDACTION");
    expect(ACL_USERS.ALL).toBe(0x400000000n);
  });

  it("round-trips every name and value of every enum in constants.json", () => {
    for (const [enumName, e] of Object.entries(ENUMS)) {
      const byValue = e.byValue as Readonly<Record<string, string>>;
      for (const [name, value] of Object.entries(e.values)) {
        expect([enumName, byValue[String(value)]]).toEqual([enumName, name]);
      }
      expect(Object.keys(byValue)).toHaveLength(Object.keys(e.values).length);
    }
    if (skipWithoutSpecs()) return;
    const raw = readFileSync(`${specsDir}constants.json`, "utf8");
    const spec = JSON.parse(raw) as Record<string, { values?: Record<string, number> }>;
    const withValues = Object.keys(spec).filter((k) => spec[k]?.values && !Array.isArray(spec[k]?.values));
    expect(Object.keys(ENUMS).sort()).toEqual(withValues.sort());
    for (const name of withValues) {
      const ours = (ENUMS as Record<string, { values: Record<string, number | bigint> }>)[name]?.values ?? {};
      for (const [k, v] of Object.entries(spec[name]?.values ?? {})) {
        // Compare against the raw text so values beyond 2^53 are checked digit for digit.
        const literal = new RegExp(`"${k}": (-?\\d+)`).exec(raw.slice(raw.indexOf(`"${name}"`)))?.[1];
        expect([name, k, String(ours[k])]).toEqual([name, k, literal ?? String(v)]);
      }
    }
  });
});

const child = (parent: ElementSchema, name: string): ElementSchema => {
  const found = parent.children?.find((c) => c.name === name);
  if (!found) throw new Error(`${parent.name} has no ${name}`);
  return found;
};

describe("src/generated/schema.ts", () => {
  it("has a document for every top-level element of the XSDs, named after its root", () => {
    const ids = Object.keys(documentSchemas) as DocumentId[];
    for (const id of ["VM", "VM_POOL", "VM_POOL_EXTENDED", "HOST", "HOST_POOL", "IMAGE", "VMTEMPLATE", "VNET"]) {
      expect(ids).toContain(id);
    }
    for (const id of ["USER", "GROUP", "DATASTORE", "CLUSTER", "MARKETPLACE", "MARKETPLACEAPP", "ACL_POOL", "ZONE"]) {
      expect(ids).toContain(id);
    }
    expect(documentSchemas.VM_POOL_EXTENDED).toMatchObject({ root: "VM_POOL", xsd: "vm_pool_extended.xsd" });
    expect(documentSchemas.VM_POOL).toMatchObject({ root: "VM_POOL", xsd: "vm_pool.xsd" });
    for (const id of ids) expect(documentSchemas[id].id).toBe(id);
    if (skipWithoutSpecs()) return;
    const xsdDir = `${specsDir}xsd/`;
    const roots = new Set<string>();
    for (const file of readdirSync(xsdDir).filter((f) => f.endsWith(".xsd"))) {
      for (const top of parseXmlElement(readFileSync(`${xsdDir}${file}`, "utf8")).children) {
        if (top.name === "xs:element") roots.add(top.attributes?.["name"] ?? "");
      }
    }
    expect([...new Set(ids.map((id) => documentSchemas[id].root))].sort()).toEqual([...roots].sort());
  });

  it("keeps the XSD's child order, kinds, repetition and optionality", () => {
    const vm = documentSchemas.VM.element;
    expect(vm.children?.slice(0, 7).map((c) => c.name)).toEqual([
      "ID",
      "UID",
      "GID",
      "UNAME",
      "GNAME",
      "NAME",
      "PERMISSIONS",
    ]);
    expect(child(vm, "ID")).toEqual({ name: "ID", kind: "number", type: "integer" });
    expect(child(vm, "LOCK")).toMatchObject({ kind: "element", optional: true });
    expect(child(vm, "TEMPLATE").kind).toBe("template");
    expect(child(child(vm, "TEMPLATE"), "DISK")).toMatchObject({ kind: "any", repeated: true, optional: true });
    expect(child(vm, "USER_TEMPLATE")).toEqual({ name: "USER_TEMPLATE", kind: "template" });
    expect(child(child(vm, "HISTORY_RECORDS"), "HISTORY").repeated).toBe(true);
    expect(child(child(vm, "MONITORING"), "CPU").type).toBe("decimal");
    // Shared declarations share their children: the pool lists the very VM of vm.xsd.
    expect(child(documentSchemas.VM_POOL_EXTENDED.element, "VM")).toMatchObject({
      repeated: true,
      children: vm.children,
    });
    // xs:all, xs:any, enumerations
    const numa = child(child(child(documentSchemas.HOST.element, "HOST_SHARE"), "NUMA_NODES"), "NODE");
    expect(child(numa, "CORE").anyOrder).toBe(true);
    expect(child(child(documentSchemas.VM_POOL.element, "VM"), "MONITORING").open).toBe(true);
    expect(child(child(documentSchemas.GROUP_POOL.element, "GROUP"), "ID").kind).toBe("number");
    expect(child(documentSchemas.GROUP_POOL.element, "QUOTAS")).toMatchObject({ repeated: true, optional: true });
  });

  it("knows the template vectors that are always arrays", () => {
    expect(TEMPLATE_VECTOR_KEYS).toEqual(expect.arrayContaining(["DISK", "NIC", "NIC_ALIAS", "SNAPSHOT", "PCI"]));
    expect(TEMPLATE_VECTOR_KEYS).not.toContain("CONTEXT");
  });

  it("gives every XML-answering method its document, and MethodResults its type", () => {
    const xmlMethods = methodNames.filter((n) => meta(n).result.type === "xml");
    expect(Object.keys(methodDocuments).sort()).toEqual([...xmlMethods].sort());
    expect(methodDocuments["one.vmpool.info"]).toEqual({ id: "VM_POOL", path: [] });
    expect(methodDocuments["one.vm.info"]).toEqual({ id: "VM", path: [] });
    expect(methodDocuments["one.hooklog.info"]).toEqual({ id: "HOOK", path: ["HOOKLOG"] });
    expect(methodDocuments["one.system.sqlquery"]).toBeNull();
    // Compile-time: the issue's `(await one.hostpool.info()).HOST[0].TEMPLATE["ARCH"]`.
    type Host = MethodResults["one.hostpool.info"]["HOST"][number];
    const hostpool: MethodResults["one.hostpool.info"] = {
      HOST: [{ ID: 0, TEMPLATE: { ARCH: "x86_64" } } as unknown as Host],
    };
    const arch: string | undefined = hostpool.HOST[0]?.TEMPLATE["ARCH"] as string | undefined;
    // XSD-mandatory members are required: an id goes straight into the next call, no `!`.
    const hostId: number = (hostpool.HOST[0] as Host).ID;
    expect(hostId).toBe(0);
    const vm: MethodResults["one.vmpool.infoextended"]["VM"][number]["TEMPLATE"]["DISK"] = [{ IMAGE_ID: "1" }];
    expect([arch, vm?.length]).toEqual(["x86_64", 1]);
  });
});
