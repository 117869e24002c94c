import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@jest/globals";
import { ParseError } from "@nimbus-sdk/common";
import { SafeXmlParser } from "@nimbus-sdk/common/xml";
import { decodeDocument, decodeMethodDocument } from "../src/document.js";
import { documentSchemas, type DocumentId } from "../src/generated/schema.js";
import { templateRoot, templateToString, type TemplateDictionary } from "../src/template.js";

const examplesDir = fileURLToPath(new URL("../../../../shared/specs/opennebula/examples/", import.meta.url));
const haveExamples = existsSync(examplesDir);

// The document each example holds (see examples/SOURCE.txt).
const EXAMPLE_DOCUMENTS: Record<string, DocumentId> = {
  "pyone-ci_host_01.xml": "HOST",
  "pyone-ci_vm_01.xml": "VM",
  "pyone-ci_vm_02.xml": "VM",
  "pyone-ci_vm_pool_01.xml": "VM_POOL",
  "pyone-ci_vnet_02.xml": "VNET",
  "pyone-fixture_datastorepool.info.xml": "DATASTORE_POOL",
  "pyone-fixture_host.info.xml": "HOST",
  "pyone-fixture_hostpool.info.xml": "HOST_POOL",
  "pyone-fixture_marketapp.info.xml": "MARKETPLACEAPP",
  "pyone-fixture_marketapppool.info.xml": "MARKETPLACEAPP_POOL",
  "pyone-fixture_marketpool.info.xml": "MARKETPLACE_POOL",
  "pyone-fixture_vm.info.xml": "VM",
  "pyone-fixture_vmpool.info.xml": "VM_POOL",
};

/**
 * Every non-empty leaf as "path = text": an array's items are numbered only when there are several,
 * so a one-item array and a single element agree; attributes (the reporters' xmlns) are left out.
 */
function leaves(value: unknown, path = "", out: string[] = []): string[] {
  if (Array.isArray(value)) {
    if (value.length === 1) leaves(value[0], path, out);
    else value.forEach((item, i) => leaves(item, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) if (!key.startsWith("@")) leaves(child, `${path}/${key}`, out);
  } else {
    const text = String(value).trim();
    if (text !== "") out.push(`${path} = ${text}`);
  }
  return out;
}

const exampleFiles = haveExamples ? readdirSync(examplesDir).filter((f) => f.endsWith(".xml")) : [];

describe("decodeDocument over the real responses in specs/opennebula/examples", () => {
  it("knows the document of every example", () => {
    if (!haveExamples) return console.log(`skipped: ${examplesDir} is absent (no ../shared beside this clone)`);
    expect(exampleFiles.sort()).toEqual(Object.keys(EXAMPLE_DOCUMENTS).sort());
  });

  it.each(exampleFiles)("%s decodes with every field intact", (file) => {
    const xml = readFileSync(`${examplesDir}${file}`, "utf8");
    const id = EXAMPLE_DOCUMENTS[file]!;
    const decoded = decodeDocument(xml, id) as unknown as Record<string, unknown>;
    const plain = new SafeXmlParser().parse(xml);
    const root = documentSchemas[id].root;
    // Numbers compare by value ("1.0" decodes to 1), text exactly (the plain parse trims).
    const normalise = (entry: string) => entry.replace(/ = (-?\d+(\.\d+)?)$/, (_m, n: string) => ` = ${Number(n)}`);
    const expected = leaves(plain[root]).map(normalise).sort();
    expect(expected.length).toBeGreaterThan(10);
    expect(leaves(decoded).map(normalise).sort()).toEqual(expected);
    // Decoding by root name finds the same document (the short VM_POOL, not the extended one).
    expect(decodeDocument(xml)).toEqual(decoded);
  });

  it("types numbers, arrays and templates as the XSD says, whatever came back", () => {
    if (!haveExamples) return;
    const vm = decodeDocument(readFileSync(`${examplesDir}pyone-fixture_vm.info.xml`, "utf8"), "VM");
    expect(vm.ID).toBe(5);
    expect(vm.NAME).toBe("Debian 9 - KVM-5");
    expect(vm.PERMISSIONS?.OWNER_U).toBe(1);
    expect(vm.MONITORING?.CPU).toBe(1); // CDATA, xs:decimal
    expect(vm.MONITORING?.DISK_SIZE.map((d) => d.SIZE)).toEqual([328, 1]);
    // One DISK and one NIC came back: still arrays, in the VM's TEMPLATE dictionary.
    expect(Array.isArray(vm.TEMPLATE.DISK)).toBe(true);
    expect(vm.TEMPLATE.DISK?.[0]?.["CLONE"]).toBe("YES");
    expect(vm.TEMPLATE.CONTEXT).toMatchObject({ NETWORK: "YES", SSH_PUBLIC_KEY: "" });
    expect(templateRoot(vm.TEMPLATE)).toBe("TEMPLATE");
    expect(templateRoot(vm.USER_TEMPLATE)).toBe("USER_TEMPLATE");
    expect(vm.HISTORY_RECORDS?.HISTORY[0]?.HOSTNAME).toBeDefined();
    // Declared repeated elements that did not come back are empty arrays.
    expect(vm.SNAPSHOTS).toEqual([]);

    const pool = decodeDocument(readFileSync(`${examplesDir}pyone-fixture_hostpool.info.xml`, "utf8"), "HOST_POOL");
    const host = pool.HOST[0]!;
    expect(typeof host.ID).toBe("number");
    expect(host.VMS?.ID.every((id) => typeof id === "number")).toBe(true);
    expect(typeof host.TEMPLATE["ARCH"]).toBe("string");
  });

  it("keeps non-ASCII text", () => {
    if (!haveExamples) return;
    const pool = decodeDocument(readFileSync(`${examplesDir}pyone-ci_vm_pool_01.xml`, "utf8"), "VM_POOL");
    expect(pool.VM.some((vm) => /[^ -~]/.test(vm.NAME ?? ""))).toBe(true);
  });
});

describe("decodeDocument, lenient", () => {
  it("keeps undeclared elements, repeated ones as arrays, and a number it cannot read as the string", () => {
    const vm = decodeDocument(
      "<VM><ID>abc</ID><UID>12345678901234567890</UID><NEW_FIELD>x</NEW_FIELD>" +
        "<NEW_VECTOR><A>1</A><A>2</A><B/></NEW_VECTOR><ETIME/></VM>",
      "VM",
    );
    expect(vm.ID).toBe("abc");
    expect(vm.UID).toBe("12345678901234567890"); // beyond 2^53: not rounded
    expect(vm["NEW_FIELD"]).toBe("x");
    expect(vm["NEW_VECTOR"]).toEqual({ A: ["1", "2"], B: "" });
    expect("ETIME" in vm).toBe(false); // an empty number is left out, not ""
    expect(vm.TEMPLATE).toEqual({});
    expect(vm.USER_TEMPLATE).toEqual({});
    expect(templateRoot(vm.USER_TEMPLATE)).toBe("USER_TEMPLATE");
  });

  it("reads decimals, negative and large safe integers", () => {
    const vm = decodeDocument(
      "<VM><ID>-1</ID><STIME>9007199254740991</STIME><MONITORING><CPU>2.5</CPU><MEMORY>1e3</MEMORY></MONITORING></VM>",
      "VM",
    );
    expect([vm.ID, vm.STIME, vm.MONITORING?.CPU, vm.MONITORING?.MEMORY]).toEqual([-1, 9007199254740991, 2.5, 1000]);
  });

  it("ignores namespaces and attributes, and a declared leaf that has children keeps them", () => {
    const host = decodeDocument(
      '<one:HOST xmlns:one="http://opennebula.org/XMLSchema"><one:ID>3</one:ID><NAME><FIRST>a</FIRST></NAME></one:HOST>',
      "HOST",
    );
    expect(host.ID).toBe(3);
    expect(host.NAME).toEqual({ FIRST: "a" });
  });

  it("normalises template vectors an XSD declares repeated, in every template", () => {
    const tpl = decodeDocument(
      "<VMTEMPLATE><ID>1</ID><TEMPLATE><DISK><IMAGE_ID>1</IMAGE_ID></DISK><NIC/><CONTEXT><A>1</A></CONTEXT>" +
        "<NOTE>x</NOTE><NOTE>y</NOTE><EMPTY/></TEMPLATE></VMTEMPLATE>",
      "VMTEMPLATE",
    );
    expect(tpl.TEMPLATE).toEqual({
      DISK: [{ IMAGE_ID: "1" }],
      NIC: [{}],
      CONTEXT: { A: "1" },
      NOTE: ["x", "y"],
      EMPTY: "",
    });
  });

  it("cannot be led into an object's prototype by an element name", () => {
    const doc = decodeDocument("<X><__proto__><polluted>1</polluted></__proto__><toString>s</toString></X>");
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(Object.keys(doc)).toEqual(["__proto__", "toString"]);
    expect(doc["toString"]).toBe("s");
  });

  it("throws a ParseError for XML that is not well-formed, naming the method", () => {
    expect(() => decodeDocument("<VM><ID>1</ID>", "VM")).toThrow(ParseError);
    expect(() => decodeMethodDocument("one.vm.info", "<VM><ID>1</VM>")).toThrow(/one\.vm\.info: .*not well-formed/);
  });

  it("decodes a method's answer as its document, hooklog.info as HOOK's HOOKLOG", () => {
    const log = decodeMethodDocument(
      "one.hooklog.info",
      "<HOOKLOG><HOOK_EXECUTION_RECORD><HOOK_ID>2</HOOK_ID><EXECUTION_RESULT><CODE>0</CODE></EXECUTION_RESULT>" +
        "</HOOK_EXECUTION_RECORD></HOOKLOG>",
    );
    expect(log.HOOK_EXECUTION_RECORD[0]?.HOOK_ID).toBe(2);
    const extended = decodeMethodDocument("one.vmpool.infoextended", "<VM_POOL><VM><ID>1</ID></VM></VM_POOL>");
    expect(extended.VM[0]?.TEMPLATE).toEqual({});
    const rows = decodeMethodDocument("one.system.sqlquery", "<SQL><ROW><A>1</A></ROW></SQL>");
    expect(rows).toEqual({ ROW: { A: "1" } });
  });
});

describe("templates decoded, edited and sent back", () => {
  it("round-trips: decode -> edit -> encode -> decode", () => {
    const host = decodeDocument(
      "<HOST><ID>0</ID><TEMPLATE><ARCH>x86_64</ARCH><PCI><SLOT>1</SLOT></PCI><PCI><SLOT>2</SLOT></PCI>" +
        "<NOTES><![CDATA[a & b]]></NOTES></TEMPLATE></HOST>",
      "HOST",
    );
    const template: TemplateDictionary = host.TEMPLATE;
    template["NOTES"] = 'Just "updated" $HOME C:\\x\nline two';
    template["EXTRA"] = { A: "1" };
    const sent = templateToString(template);
    expect(sent.startsWith("<TEMPLATE><ARCH>x86_64</ARCH>")).toBe(true);
    const again = decodeDocument(`<HOST>${sent}</HOST>`, "HOST");
    expect(again.TEMPLATE).toEqual(template);
    expect(templateRoot(again.TEMPLATE)).toBe("TEMPLATE");
  });

  it("sends USER_TEMPLATE under its own root, also when emptied", () => {
    const vm = decodeDocument("<VM><USER_TEMPLATE><A>1</A></USER_TEMPLATE></VM>", "VM");
    expect(templateToString(vm.USER_TEMPLATE)).toBe("<USER_TEMPLATE><A>1</A></USER_TEMPLATE>");
    delete vm.USER_TEMPLATE["A"];
    expect(templateToString(vm.USER_TEMPLATE)).toBe("<USER_TEMPLATE></USER_TEMPLATE>");
    // A copy made with spread forgets the root, like any new dictionary.
    expect(templateToString({ ...vm.USER_TEMPLATE, B: "2" })).toBe('B="2"\n');
  });
});
