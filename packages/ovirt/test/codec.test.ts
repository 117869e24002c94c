// The XML codec on its own: values by type, what a newer engine may send, malformed documents, and the
// checks the encoder makes before anything is sent.
import { describe, expect, it } from "@jest/globals";
import { ParseError, ValidationError } from "@nimbus-sdk/common";
import { decodeDocument, decodeList, decodeObject, encodeObject, params } from "../src/index.js";

describe("decoding", () => {
  it("types values by the model: numbers, booleans, Dates, lists, enums as the engine spells them", () => {
    const vm = decodeObject(
      `<vm id="1" href="/ovirt-engine/api/vms/1"><name>a &amp; b</name><memory>4294967296</memory>
        <stateless>true</stateless><creation_time>2024-01-02T03:04:05.678+01:00</creation_time>
        <status>some_new_status</status><os><boot><devices><device>hd</device><device>cdrom</device></devices></boot></os>
        <cluster id="c" href="/ovirt-engine/api/clusters/c"/></vm>`,
      "Vm",
    );
    expect(vm).toEqual({
      id: "1",
      href: "/ovirt-engine/api/vms/1",
      name: "a & b",
      memory: 4294967296,
      stateless: true,
      creation_time: new Date("2024-01-02T02:04:05.678Z"),
      status: "some_new_status",
      os: { boot: { devices: ["hd", "cdrom"] } },
      cluster: { id: "c", href: "/ovirt-engine/api/clusters/c" },
    });
  });

  it("keeps an integer beyond 2^53 as its digits, so no precision is lost", () => {
    const disk = decodeObject("<disk><provisioned_size>18446744073709551615</provisioned_size></disk>", "Disk");
    expect(disk.provisioned_size).toBe("18446744073709551615");
    expect(decodeObject("<disk><provisioned_size>-0</provisioned_size></disk>", "Disk").provisioned_size).toBe(-0);
    // The digits go back as they came.
    expect(encodeObject(disk, "Disk")).toBe("<disk><provisioned_size>18446744073709551615</provisioned_size></disk>");
  });

  it("keeps links and actions, and skips (and reports) what the model does not define", () => {
    const unknown: string[] = [];
    const vm = decodeObject(
      `<vm id="1"><actions><link rel="start" href="/v/1/start"/></actions><link rel="nics" href="/v/1/nics"/>
        <quantum_flux><level>9</level></quantum_flux><cpu shiny="yes"><topology><cores>2</cores></topology></cpu>
        ...</vm>`,
      "Vm",
      { onUnknown: (path) => unknown.push(path) },
    );
    expect(vm).toEqual({
      id: "1",
      actions: [{ rel: "start", href: "/v/1/start" }],
      link: [{ rel: "nics", href: "/v/1/nics" }],
      cpu: { topology: { cores: 2 } },
    });
    expect(unknown).toEqual(["vm/quantum_flux", "vm/cpu/@shiny"]);
  });

  it("decodes list documents, and any document by its root element", () => {
    expect(decodeList('<vms><vm id="1"/><vm id="2"><name>b</name></vm></vms>', "Vm")).toEqual([
      { id: "1" },
      { id: "2", name: "b" },
    ]);
    expect(decodeList("<vms/>", "Vm")).toEqual([]);
    const document = decodeDocument("<data_centers><data_center id='x'/></data_centers>");
    expect(document).toMatchObject({ element: "data_centers", list: true, value: [{ id: "x" }] });
    expect(decodeDocument("<fault><reason>r</reason></fault>")).toMatchObject({ list: false, value: { reason: "r" } });
  });

  it("names the problem of a malformed document or a value of the wrong type", () => {
    expect(() => decodeObject("<vm><name>x</vm>", "Vm")).toThrow(/malformed XML at line 1/);
    expect(() => decodeObject("<vm><name>x</name>", "Vm")).toThrow(/truncated document/);
    expect(() => decodeObject("<vm><memory>lots</memory></vm>", "Vm")).toThrow(
      new ParseError(`the engine's XML has "lots" at vm/memory, which is not an integer`),
    );
    expect(() => decodeObject("<vm><stateless>yes</stateless></vm>", "Vm")).toThrow(
      /"yes" at vm\/stateless, which is not a boolean/,
    );
    expect(() => decodeObject("<vm><start_time>soon</start_time></vm>", "Vm")).toThrow(/not a date/);
    expect(() => decodeDocument("<html><body>502</body></html>")).toThrow(/no document element <html>/);
    expect(() => decodeDocument("<!DOCTYPE x><vm/>")).toThrow(ParseError);
  });

  it("refuses a document of another element, naming the expected and the found one", () => {
    expect(() => decodeList("<fault><reason>Operation Failed</reason></fault>", "Vm")).toThrow(
      new ParseError(
        "expected <vms> (a list of Vm) as the document element, found <fault> (the engine sent a fault with a success status)",
      ),
    );
    expect(() => decodeObject('<host id="h1"/>', "Vm")).toThrow(
      /expected <vm> \(a Vm\) as the document element, found <host>/,
    );
    expect(() => decodeList("<vm/>", "Vm")).toThrow(ParseError);
    // A struct deriving from the one asked for is one of them.
    expect(decodeObject('<openstack_image_provider id="p"/>', "ExternalProvider")).toEqual({ id: "p" });
  });
});

describe("encoding", () => {
  it("writes members in model order, id as an attribute, lists in their wrapper", () => {
    const xml = encodeObject(
      { memory: 1073741824, name: "vm1", id: "42", os: { boot: { devices: ["hd"] } }, description: "<&>" },
      "Vm",
    );
    expect(xml).toBe(
      '<vm id="42"><name>vm1</name><description>&lt;&amp;&gt;</description><memory>1073741824</memory>' +
        "<os><boot><devices><device>hd</device></devices></boot></os></vm>",
    );
    expect(encodeObject({ start_time: new Date(0) }, "Vm")).toBe(
      "<vm><start_time>1970-01-01T00:00:00.000Z</start_time></vm>",
    );
  });

  it("takes a params list object or { item: [...] } where a list goes", () => {
    const sd = new params.StorageDomain({ name: "data" });
    const wrapped = encodeObject({ storage_domains: new params.StorageDomains({ storage_domain: [sd] }) }, "Disk");
    const plain = encodeObject({ storage_domains: { storage_domain: [sd] } }, "Disk");
    const array = encodeObject({ storage_domains: [sd] }, "Disk");
    expect(wrapped).toBe(
      "<disk><storage_domains><storage_domain><name>data</name></storage_domain></storage_domains></disk>",
    );
    expect(plain).toBe(wrapped);
    expect(array).toBe(wrapped);
  });

  it("refuses, before sending, a member the model does not have or a value of the wrong type", () => {
    expect(() => encodeObject({ size: 1 }, "Disk")).toThrow(
      /Disk has no member "size" \(did you mean provisioned_size, initial_size, actual_size, total_size\?\)/,
    );
    expect(() => encodeObject({ memory: "1 GiB" }, "Vm")).toThrow(
      new ValidationError('Vm.memory must be an integer, not "1 GiB"'),
    );
    expect(() => encodeObject({ memory: 1.5 }, "Vm")).toThrow(/Vm.memory must be an integer/);
    expect(() => encodeObject({ status: "running" }, "Vm")).toThrow(
      /Vm.status must be one of "unassigned", "down", "up"/,
    );
    expect(() => encodeObject({ cpu: { topology: { cores: "2" } } }, "Vm")).toThrow(
      /Vm.cpu.topology.cores must be an integer/,
    );
    expect(() => encodeObject({ nics: [{ name: 1 }] }, "Vm")).toThrow(/Vm.nics\[0\].name must be a string/);
    expect(() => encodeObject({ cluster: new params.Host({ name: "h" }) }, "Vm")).toThrow(
      /Vm.cluster must be a Cluster, not a Host/,
    );
    expect(() => encodeObject({ nics: "eth0" }, "Vm")).toThrow(/Vm.nics must be a list of Nic/);
  });
});
