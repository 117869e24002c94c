// xsd:long values beyond 2^53 (capacities in bytes of large arrays, counters, extraConfig values): pyVmomi
// reads them as Python ints, exact; here a long that fits is a number and one that does not is a bigint,
// and either goes back to the server as it came.
import { describe, expect, it } from "@jest/globals";
import { ParseError } from "@nimbus-sdk/common";
import { WaitForTask, vim } from "../../src/index.js";
import { decodeResponse } from "../../src/soap/decode.js";
import { encodeRequest } from "../../src/soap/encode.js";
import { operation } from "../../src/soap/metadata.js";
import { si, useVcsim } from "../helpers/connect.js";

const SAMPLES = "vmware/pyvmomi-community-samples";
const BIG = 2n ** 62n + 7n;

const envelope = (inner: string) =>
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
  `<soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`;

describe("decoding a long", () => {
  const op = operation("RetrievePropertiesEx")!;
  const answer = (capacity: string, extra: string) =>
    envelope(
      '<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects>' +
        '<obj type="Datastore">datastore-1</obj>' +
        `<propSet><name>summary</name><val xsi:type="DatastoreSummary"><datastore type="Datastore">datastore-1</datastore>` +
        `<name>big</name><url>ds:///big</url><capacity>${capacity}</capacity><freeSpace>-9223372036854775808</freeSpace>` +
        "<accessible>true</accessible><type>VMFS</type></val></propSet>" +
        `<propSet><name>x</name><val xsi:type="xsd:long">${extra}</val></propSet>` +
        "</objects></returnval></RetrievePropertiesExResponse>",
    );
  const decode = (capacity: string, extra: string) => {
    const decoded = decodeResponse(answer(capacity, extra), op, undefined, { url: "https://vc/sdk" });
    if (decoded.kind !== "result") throw new Error("a fault");
    return (decoded.value as vim.RetrieveResult).objects[0]!.propSet!.map((p) => p.val);
  };

  it("`datastore.summary.capacity` of a large array: exact, as bigint", () => {
    const [summary, extra] = decode(String(BIG), "9223372036854775807");
    expect((summary as vim.DatastoreSummary).capacity).toBe(BIG);
    expect((summary as vim.DatastoreSummary).freeSpace).toBe(-(2n ** 63n));
    expect(extra).toBe(2n ** 63n - 1n);
  });

  it("stays a number up to 2^53 - 1", () => {
    const [summary, extra] = decode(String(2 ** 53 - 1), "-9007199254740991");
    expect((summary as vim.DatastoreSummary).capacity).toBe(2 ** 53 - 1);
    expect(extra).toBe(-(2 ** 53 - 1));
    expect(decode("9007199254740992", "1")[0]).toHaveProperty("capacity", 2n ** 53n);
  });

  it("a value that is not an integer is still a ParseError", () => {
    expect(() => decode("12.5", "1")).toThrow(ParseError);
    expect(() => decode("1e30", "1")).toThrow(ParseError);
  });

  it("every decoded long goes back as it came (typed field and anyType)", () => {
    const [summary, extra] = decode(String(BIG), "9223372036854775807");
    const xml = encodeRequest(operation("UpdateOptions")!, { type: "OptionManager", value: "VpxSettings" }, [
      [new vim.OptionValue({ key: "a", value: extra }), new vim.OptionValue({ key: "b", value: summary })],
    ]);
    expect(xml).toContain('<value xsi:type="xsd:long">9223372036854775807</value>');
    expect(xml).toContain(`<capacity>${BIG}</capacity><freeSpace>-9223372036854775808</freeSpace>`);
  });
});

describe("on vcsim", () => {
  useVcsim({ vm: 1 });

  it(`${SAMPLES} samples/add_vm_extra_config_tags.py: a long option value round-trips exactly`, async () => {
    const content = await si.RetrieveContent();
    const view = await content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], true);
    const [vm] = await view.view;
    await view.DestroyView();
    const spec = new vim.vm.ConfigSpec({ extraConfig: [new vim.OptionValue({ key: "big.counter", value: BIG })] });
    await WaitForTask(await vm!.ReconfigVM_Task(spec));
    const read = async () => (await vm!.config)!.extraConfig!.find((o) => o.key === "big.counter")?.value;
    const value = await read();
    expect(value).toBe(BIG);
    // Sent back unchanged, read again: still exact.
    await WaitForTask(
      await vm!.ReconfigVM_Task(
        new vim.vm.ConfigSpec({ extraConfig: [new vim.OptionValue({ key: "big.counter", value })] }),
      ),
    );
    expect(await read()).toBe(BIG);
  });
});
