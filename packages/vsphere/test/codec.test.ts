// The metadata-driven SOAP codec without a server: what the writer puts on the wire (envelope, _this,
// xsi:type, arrays, dates, base64, enums, anyType), the ValidationErrors it raises before sending, and
// how the reader decodes results, polymorphic and unknown types, faults, and answers that are not SOAP.
import { describe, expect, it } from "@jest/globals";
import { ParseError, ValidationError, parseXmlElement } from "@nimbus-sdk/common";
import { ManagedObject, vim, vmodl } from "../src/index.js";
import { decodeResponse } from "../src/soap/decode.js";
import { encodeRequest } from "../src/soap/encode.js";
import { operation, type OperationInfo } from "../src/soap/metadata.js";

const op = (name: string): OperationInfo => {
  const info = operation(name);
  if (!info) throw new Error(`no operation ${name}`);
  return info;
};
const pc = { type: "PropertyCollector", value: "propertyCollector" };
const context = { url: "https://vc.example/sdk", status: 200 };

/** The request's operation element, as a tree. */
function body(xml: string) {
  const envelope = parseXmlElement(xml);
  expect(envelope.name).toBe("soapenv:Envelope");
  const soapBody = envelope.children[0]!;
  expect(soapBody.name).toBe("soapenv:Body");
  return soapBody.children[0]!;
}

function envelope(inner: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`
  );
}

function decode(name: string, inner: string) {
  const decoded = decodeResponse(envelope(inner), op(name), undefined, context);
  if (decoded.kind !== "result") throw new Error("expected a result");
  return decoded.value;
}

describe("encodeRequest", () => {
  it("writes the operation in urn:vim25 with _this as a typed reference", () => {
    const xml = encodeRequest(op("PowerOffVM_Task"), { type: "VirtualMachine", value: "vm-42" }, []);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<soapenv:Envelope /);
    expect(xml).toContain('xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"');
    expect(xml).toContain(
      '<PowerOffVM_Task xmlns="urn:vim25"><_this type="VirtualMachine">vm-42</_this></PowerOffVM_Task>',
    );
  });

  it("writes a subtype with xsi:type and arrays as repeated elements, in the schema's field order", () => {
    const traversal = new vim.TraversalSpec({ path: "view", type: "ContainerView", skip: false, name: "t" });
    const spec = new vmodl.query.PropertyCollector.FilterSpec({
      objectSet: [{ obj: new vim.ContainerView("session[1]v"), skip: true, selectSet: [traversal] }],
      propSet: [{ type: "VirtualMachine", pathSet: ["name", "runtime.powerState"] }],
    });
    const request = body(encodeRequest(op("RetrievePropertiesEx"), pc, [[spec], {}]));
    expect(request.children.map((c) => c.name)).toEqual(["_this", "specSet", "options"]);
    const specSet = request.children[1]!;
    // propSet comes before objectSet in the XSD, whatever order the object was written in.
    expect(specSet.children.map((c) => c.name)).toEqual(["propSet", "objectSet"]);
    const pathSet = specSet.children[0]!.children.filter((c) => c.name === "pathSet").map((c) => c.text);
    expect(pathSet).toEqual(["name", "runtime.powerState"]);
    const selectSet = specSet.children[1]!.children.find((c) => c.name === "selectSet")!;
    expect(selectSet.attributes).toEqual({ "xsi:type": "TraversalSpec" });
    expect(selectSet.children.map((c) => [c.name, c.text])).toEqual([
      ["name", "t"],
      ["type", "ContainerView"],
      ["path", "view"],
      ["skip", "false"],
    ]);
  });

  it("takes managed objects and classes where the API takes references and type names", () => {
    const folder = new vim.Folder("group-d1");
    const request = body(
      encodeRequest(op("CreateContainerView"), { type: "ViewManager", value: "ViewManager" }, [
        folder,
        [vim.VirtualMachine, "HostSystem"],
        true,
      ]),
    );
    expect(request.children.map((c) => [c.name, c.attributes, c.text])).toEqual([
      ["_this", { type: "ViewManager" }, "ViewManager"],
      ["container", { type: "Folder" }, "group-d1"],
      ["type", null, "VirtualMachine"],
      ["type", null, "HostSystem"],
      ["recursive", null, "true"],
    ]);
  });

  it("writes dates as ISO 8601, longs (BigInt too) and enums as text, and escapes strings", () => {
    const spec = new vim.VirtualMachineConfigSpec({
      name: "a <b> & c",
      memoryMB: 4096,
      createDate: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
      npivNodeWorldWideName: [(2n ** 60n) as unknown as number],
      vAppConfig: undefined,
      swapPlacement: "inherit",
    });
    const xml = encodeRequest(op("ReconfigVM_Task"), { type: "VirtualMachine", value: "vm-1" }, [spec]);
    expect(xml).toContain("<name>a &lt;b&gt; &amp; c</name>");
    expect(xml).toContain("<createDate>2024-01-02T03:04:05.000Z</createDate>");
    expect(xml).toContain(`<npivNodeWorldWideName>${2n ** 60n}</npivNodeWorldWideName>`);
    expect(xml).toContain("<memoryMB>4096</memoryMB>");
    expect(xml).toContain("<swapPlacement>inherit</swapPlacement>");
    expect(xml).not.toContain("vAppConfig");
    const ticket = encodeRequest(op("SetScreenResolution"), { type: "VirtualMachine", value: "vm-1" }, [640, 480]);
    expect(ticket).toContain("<width>640</width><height>480</height>");
  });

  it("gives anyType values the xsi:type of their JavaScript type", () => {
    const values = [
      new vim.OptionValue({ key: "s", value: "text" }),
      new vim.OptionValue({ key: "i", value: 42 }),
      new vim.OptionValue({ key: "l", value: 2 ** 40 }),
      new vim.OptionValue({ key: "d", value: 1.5 }),
      new vim.OptionValue({ key: "b", value: true }),
      new vim.OptionValue({ key: "t", value: new Date(0) }),
      new vim.OptionValue({ key: "bin", value: Buffer.from("hi") }),
      new vim.OptionValue({ key: "a", value: ["x", "y"] }),
      new vim.OptionValue({ key: "m", value: new vim.Folder("group-d1") }),
      new vim.OptionValue({ key: "o", value: new vim.Description({ label: "L", summary: "S" }) }),
    ];
    const request = body(encodeRequest(op("UpdateOptions"), { type: "OptionManager", value: "VpxSettings" }, [values]));
    const shown = request.children
      .filter((c) => c.name === "changedValue")
      .map((c) => {
        const value = c.children.find((v) => v.name === "value")!;
        return [
          value.attributes?.["xsi:type"],
          value.text || value.children.map((v) => `${v.name}=${v.text}`).join(","),
        ];
      });
    expect(shown).toEqual([
      ["xsd:string", "text"],
      ["xsd:int", "42"],
      ["xsd:long", String(2 ** 40)],
      ["xsd:double", "1.5"],
      ["xsd:boolean", "true"],
      ["xsd:dateTime", "1970-01-01T00:00:00.000Z"],
      ["xsd:base64Binary", "aGk="],
      ["ArrayOfString", "string=x,string=y"],
      ["ManagedObjectReference", "group-d1"],
      ["Description", "label=L,summary=S"],
    ]);
  });

  it("names the wrong argument in a ValidationError before anything is written", () => {
    const vm = { type: "VirtualMachine", value: "vm-1" };
    const attempt =
      (name: string, args: unknown[], target = vm) =>
      () =>
        encodeRequest(op(name), target, args);
    expect(attempt("ReconfigVM_Task", [])).toThrow(ValidationError);
    expect(attempt("ReconfigVM_Task", [])).toThrow("ReconfigVM_Task: spec is required (VirtualMachineConfigSpec)");
    expect(attempt("ReconfigVM_Task", [{ memoryMB: "2048" }])).toThrow(
      "ReconfigVM_Task: spec.memoryMB must be an integer (xsd:long, -9007199254740991 to 9007199254740991) (got a string)",
    );
    expect(attempt("ReconfigVM_Task", [{ memoryMb: 2048 }])).toThrow(
      "ReconfigVM_Task: spec.memoryMb is not a field of VirtualMachineConfigSpec",
    );
    expect(attempt("ReconfigVM_Task", [new vim.VirtualMachineCloneSpec({ powerOn: true, template: false })])).toThrow(
      "spec must be a VirtualMachineConfigSpec (got a VirtualMachineCloneSpec)",
    );
    expect(attempt("SetScreenResolution", [640.5, 480])).toThrow("SetScreenResolution: width must be an integer");
    expect(attempt("SetScreenResolution", [2 ** 31, 480])).toThrow("xsd:int, -2147483648 to 2147483647");
    expect(attempt("MigrateVM_Task", [undefined, undefined, "fast"])).toThrow(
      'MigrateVM_Task: priority must be a VirtualMachineMovePriority: one of lowPriority, highPriority, defaultPriority (got "fast")',
    );
    expect(attempt("CloneVM_Task", [new vim.HostSystem("host-1"), "x", {}])).toThrow(
      "CloneVM_Task: folder must be a Folder (got HostSystem:host-1)",
    );
    expect(attempt("CloneVM_Task", ["group-v1", "x", {}])).toThrow(
      "CloneVM_Task: folder must be a managed object (Folder) (got a string)",
    );
    expect(attempt("RetrievePropertiesEx", [[{ propSet: [], objectSet: [{ obj: vm }] }], {}], pc)).toThrow(
      "RetrievePropertiesEx: specSet[0].propSet needs at least one PropertySpec",
    );
    expect(
      attempt("UpdateOptions", [[{ key: "k", value: { plain: 1 } }]], { type: "OptionManager", value: "o" }),
    ).toThrow("changedValue[0].value takes any vim value, but a plain object has no vim type");
    const error = (() => {
      try {
        attempt("ReconfigVM_Task", [{ memoryMB: "2048" }])();
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(error?.field).toBe("spec.memoryMB");
  });
});

describe("encodeRequest to an older server (vSphere 8 members)", () => {
  const vm = { type: "VirtualMachine", value: "vm-42" };

  it("sends a member newer than the connection's version to a server that has it", () => {
    const spec = new vim.vm.ConfigSpec({ memoryMB: 1024, metroFtEnabled: true });
    const xml = encodeRequest(op("ReconfigVM_Task"), vm, [spec], "8.0.3.0");
    expect(xml).toContain("<memoryMB>1024</memoryMB>");
    expect(xml).toContain("<metroFtEnabled>true</metroFtEnabled>");
  });

  it("leaves out a newer member that holds pyVmomi's default (an array [] since new)", () => {
    const software = new vim.DesiredSoftwareSpec({
      baseImageSpec: new vim.DesiredSoftwareSpecBaseImageSpec({ version: "8.0" }),
    });
    expect(software.removedComponents).toEqual([]);
    const folder = { type: "Folder", value: "group-h4" };
    const spec = new vim.ClusterConfigSpecEx({ desiredSoftwareSpec: software });
    const xml = encodeRequest(op("CreateClusterEx"), folder, ["c1", spec], "7.0.3.0");
    expect(xml).toContain("<baseImageSpec><version>8.0</version></baseImageSpec>");
    software.removedComponents = ["nsx-lcp-bundle"];
    expect(() => encodeRequest(op("CreateClusterEx"), folder, ["c1", spec], "7.0.3.0")).toThrow(
      /spec\.desiredSoftwareSpec\.removedComponents needs vSphere API 8\.0\.3\.0/,
    );
    expect(encodeRequest(op("CreateClusterEx"), folder, ["c1", spec], "8.0.3.0")).toContain(
      "<removedComponents>nsx-lcp-bundle</removedComponents>",
    );
  });

  it("refuses a newer member the caller set, naming it and the version it needs", () => {
    const spec = new vim.vm.ConfigSpec({ memoryMB: 1024, metroFtEnabled: true });
    expect(() => encodeRequest(op("ReconfigVM_Task"), vm, [spec], "7.0.3.0")).toThrow(
      /spec\.metroFtEnabled needs vSphere API 8\.0\.3\.0; this connection speaks 7\.0\.3\.0/,
    );
    expect(() => encodeRequest(op("ReconfigVM_Task"), vm, [spec], "7.0.3.0")).toThrow(ValidationError);
  });
});

describe("decodeResponse", () => {
  it("decodes a ServiceContent with typed references and nested data", () => {
    const content = decode(
      "RetrieveServiceContent",
      '<RetrieveServiceContentResponse xmlns="urn:vim25"><returnval><rootFolder type="Folder">group-d1</rootFolder>' +
        '<propertyCollector type="PropertyCollector">propertyCollector</propertyCollector>' +
        "<about><name>VMware vCenter Server</name><fullName>VMware vCenter Server 7.0.3</fullName><vendor>VMware, Inc.</vendor>" +
        "<version>7.0.3</version><build>1</build><osType>linux-x64</osType><productLineId>vpx</productLineId>" +
        "<apiType>VirtualCenter</apiType><apiVersion>7.0.3.0</apiVersion></about></returnval></RetrieveServiceContentResponse>",
    ) as vim.ServiceContent;
    expect(content).toBeInstanceOf(vim.ServiceContent);
    expect(content._wsdlName).toBe("ServiceContent");
    expect(content.rootFolder).toBeInstanceOf(vim.Folder);
    expect(content.rootFolder).toBeInstanceOf(vim.ManagedEntity);
    expect(content.rootFolder._moId).toBe("group-d1");
    expect(content.about).toBeInstanceOf(vim.AboutInfo);
    expect(content.about.apiVersion).toBe("7.0.3.0");
  });

  it("follows xsi:type both to subtypes and to primitives in anyType values, and unwraps ArrayOfX", () => {
    const result = decode(
      "RetrievePropertiesEx",
      '<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="VirtualMachine">vm-1</obj>' +
        '<propSet><name>name</name><val xsi:type="xsd:string">web-1</val></propSet>' +
        '<propSet><name>runtime.powerState</name><val xsi:type="VirtualMachinePowerState">poweredOn</val></propSet>' +
        '<propSet><name>summary.config.numCpu</name><val xsi:type="xsd:int">4</val></propSet>' +
        '<propSet><name>runtime.bootTime</name><val xsi:type="xsd:dateTime">2024-05-06T07:08:09.123456Z</val></propSet>' +
        '<propSet><name>datastore</name><val xsi:type="ArrayOfManagedObjectReference">' +
        '<ManagedObjectReference type="Datastore" xsi:type="ManagedObjectReference">datastore-1</ManagedObjectReference>' +
        '<ManagedObjectReference type="Datastore">datastore-2</ManagedObjectReference></val></propSet>' +
        '<propSet><name>config.hardware.device</name><val xsi:type="ArrayOfVirtualDevice">' +
        '<VirtualDevice xsi:type="VirtualDisk"><key>2000</key><capacityInKB>1024</capacityInKB></VirtualDevice>' +
        '<VirtualDevice xsi:type="VirtualE1000"><key>4000</key></VirtualDevice></val></propSet>' +
        '<propSet><name>tags</name><val xsi:type="ArrayOfString"><string>a</string><string>b</string></val></propSet>' +
        '<propSet><name>blob</name><val xsi:type="xsd:base64Binary">aGk=</val></propSet>' +
        "</objects></returnval></RetrievePropertiesExResponse>",
    ) as vim.RetrieveResult;
    const props = Object.fromEntries(result.objects[0]!.propSet!.map((p) => [p.name, p.val]));
    expect(result.objects[0]!.obj).toBeInstanceOf(vim.VirtualMachine);
    expect(props.name).toBe("web-1");
    expect(props["runtime.powerState"]).toBe("poweredOn");
    expect(props["summary.config.numCpu"]).toBe(4);
    expect((props["runtime.bootTime"] as Date).toISOString()).toBe("2024-05-06T07:08:09.123Z");
    expect((props.datastore as vim.Datastore[]).map((d) => [d._wsdlName, d._moId])).toEqual([
      ["Datastore", "datastore-1"],
      ["Datastore", "datastore-2"],
    ]);
    const [disk, nic] = props["config.hardware.device"] as vim.VirtualDevice[];
    expect(disk).toBeInstanceOf(vim.VirtualDisk);
    expect((disk as vim.VirtualDisk).capacityInKB).toBe(1024);
    expect(nic).toBeInstanceOf(vim.VirtualEthernetCard);
    expect(props.tags).toEqual(["a", "b"]);
    expect(Buffer.from(props.blob as Uint8Array).toString()).toBe("hi");
  });

  it("decodes a type from a newer server as its nearest known type, keeping what it does not know", () => {
    const result = decode(
      "RetrievePropertiesEx",
      '<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="VirtualMachine">vm-1</obj>' +
        '<propSet><name>config.hardware.device</name><val xsi:type="ArrayOfVirtualDevice">' +
        '<VirtualDevice xsi:type="VirtualQuantumDevice"><key>9000</key><qubits>12</qubits>' +
        "<entanglement><pairs>3</pairs><pairs>4</pairs></entanglement></VirtualDevice></val></propSet>" +
        '<propSet><name>contentLibrary</name><val xsi:type="ContentLibraryItem"><id>lib-1</id><owner type="Folder">group-v3</owner></val></propSet>' +
        '<propSet><name>runtime</name><val xsi:type="VirtualMachineRuntimeInfo"><connectionState>connected</connectionState>' +
        "<powerState>poweredOn</powerState><quantumState>coherent</quantumState></val></propSet>" +
        '</objects><objects><obj type="ContentLibraryManager">lib-manager</obj></objects></returnval></RetrievePropertiesExResponse>',
    ) as vim.RetrieveResult;
    const props = Object.fromEntries(result.objects[0]!.propSet!.map((p) => [p.name, p.val]));
    const [device] = props["config.hardware.device"] as vim.VirtualDevice[];
    expect(device).toBeInstanceOf(vim.VirtualDevice);
    expect(device!._wsdlName).toBe("VirtualQuantumDevice");
    expect(device!.key).toBe(9000);
    expect(device).toMatchObject({ qubits: "12", entanglement: { pairs: ["3", "4"] } });
    const item = props.contentLibrary as Record<string, unknown> & { _wsdlName?: string };
    expect(item._wsdlName).toBe("ContentLibraryItem");
    expect(item.id).toBe("lib-1");
    expect(item.owner).toBeInstanceOf(vim.Folder);
    const runtime = props.runtime as vim.VirtualMachineRuntimeInfo & { quantumState?: string };
    expect(runtime).toBeInstanceOf(vim.VirtualMachineRuntimeInfo);
    expect(runtime.powerState).toBe("poweredOn");
    expect(runtime.quantumState).toBe("coherent");
    const unknownManager = result.objects[1]!.obj;
    expect(unknownManager).toBeInstanceOf(ManagedObject);
    expect(unknownManager._wsdlName).toBe("ContentLibraryManager");
    // What was kept from the newer server is shown, but is not sent back.
    const xml = encodeRequest(op("ReconfigVM_Task"), { type: "VirtualMachine", value: "vm-1" }, [
      new vim.VirtualMachineConfigSpec({
        deviceChange: [new vim.VirtualDeviceConfigSpec({ operation: "edit", device: device! })],
      }),
    ]);
    expect(xml).toContain("<key>9000</key>");
    expect(xml).not.toContain("qubits");
  });

  it("decodes a collected value of a newer type as the property's declared type, in both collector answers", () => {
    const config =
      '<val xsi:type="VirtualMachineConfigInfoV9"><changeVersion>1</changeVersion><name>web</name>' +
      "<guestId>otherGuest</guestId><hardware><numCPU>2</numCPU><memoryMB>2048</memoryMB></hardware>" +
      "<quantumPolicy>strict</quantumPolicy></val>";
    const retrieved = decode(
      "RetrievePropertiesEx",
      '<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="VirtualMachine">vm-1</obj>' +
        `<propSet><name>config</name>${config}</propSet>` +
        `<propSet><name>summary.config</name>${config.replaceAll("VirtualMachineConfigInfoV9", "VirtualMachineConfigSummaryV9")}</propSet>` +
        "</objects></returnval></RetrievePropertiesExResponse>",
    ) as vim.RetrieveResult;
    const updates = decode(
      "WaitForUpdatesEx",
      '<WaitForUpdatesExResponse xmlns="urn:vim25"><returnval><version>1</version><filterSet><filter type="PropertyFilter">f</filter>' +
        `<objectSet><kind>enter</kind><obj type="VirtualMachine">vm-1</obj><changeSet><name>config</name><op>assign</op>${config}</changeSet>` +
        "</objectSet></filterSet></returnval></WaitForUpdatesExResponse>",
    ) as vim.UpdateSet;
    const [fromRetrieve, fromSummary] = retrieved.objects[0]!.propSet!.map((p) => p.val);
    const fromUpdate = updates.filterSet![0]!.objectSet![0]!.changeSet![0]!.val;
    for (const value of [fromRetrieve, fromUpdate]) {
      const info = value as vim.VirtualMachineConfigInfo & { quantumPolicy?: string };
      expect(info).toBeInstanceOf(vim.VirtualMachineConfigInfo);
      expect(info._wsdlName).toBe("VirtualMachineConfigInfoV9");
      expect(info.changeVersion).toBe("1");
      expect(info.hardware).toBeInstanceOf(vim.VirtualHardware);
      expect(info.hardware.memoryMB).toBe(2048);
      expect(info.quantumPolicy).toBe("strict");
    }
    // A path into a data type is followed too (summary.config is a VirtualMachineConfigSummary).
    expect(fromSummary).toBeInstanceOf(vim.VirtualMachineConfigSummary);
    expect((fromSummary as vim.VirtualMachineConfigSummary).name).toBe("web");
  });

  it("decodes an ArrayOfX of an unknown X as an array, one item or many", () => {
    const answer = (items: string) =>
      decode(
        "RetrievePropertiesEx",
        '<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="VirtualMachine">vm-1</obj>' +
          `<propSet><name>tag</name><val xsi:type="ArrayOfQuantumTag">${items}</val></propSet>` +
          "</objects></returnval></RetrievePropertiesExResponse>",
      ) as vim.RetrieveResult;
    const item = (key: string) => `<QuantumTag xsi:type="QuantumTag"><key>${key}</key></QuantumTag>`;
    const one = answer(item("a")).objects[0]!.propSet![0]!.val as { key: string }[];
    expect(Array.isArray(one)).toBe(true);
    expect(one.map((t) => t.key)).toEqual(["a"]);
    const two = answer(item("a") + item("b")).objects[0]!.propSet![0]!.val as { key: string }[];
    expect(two.map((t) => t.key)).toEqual(["a", "b"]);
    expect(answer("").objects[0]!.propSet![0]!.val).toEqual([]);
  });

  it("returns an array for array results, and undefined for void or an absent optional result", () => {
    expect(decode("QueryUnownedFiles", '<QueryUnownedFilesResponse xmlns="urn:vim25"/>')).toEqual([]);
    expect(
      decode(
        "QueryUnownedFiles",
        '<QueryUnownedFilesResponse xmlns="urn:vim25"><returnval>a</returnval><returnval>b</returnval></QueryUnownedFilesResponse>',
      ),
    ).toEqual(["a", "b"]);
    expect(decode("Logout", '<LogoutResponse xmlns="urn:vim25"></LogoutResponse>')).toBeUndefined();
    expect(decode("WaitForUpdatesEx", '<WaitForUpdatesExResponse xmlns="urn:vim25"/>')).toBeUndefined();
  });

  it("turns a SOAP fault into its fault class, with the fault's fields", () => {
    const decoded = decodeResponse(
      envelope(
        "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>The object has already been deleted</faultstring>" +
          '<detail><ManagedObjectNotFoundFault xmlns="urn:vim25" xsi:type="ManagedObjectNotFound"><obj type="VirtualMachine">vm-99</obj>' +
          "</ManagedObjectNotFoundFault></detail></soapenv:Fault>",
      ),
      op("PowerOffVM_Task"),
      undefined,
      context,
    );
    expect(decoded.kind).toBe("fault");
    if (decoded.kind !== "fault") return;
    expect(decoded.faultString).toBe("The object has already been deleted");
    expect(decoded.fault).toBeInstanceOf(vmodl.fault.ManagedObjectNotFound);
    expect(decoded.fault).toBeInstanceOf(vmodl.RuntimeFault);
    expect(decoded.fault).toBeInstanceOf(Error);
    expect(String((decoded.fault as vim.ManagedObjectNotFound).obj)).toBe("vim.VirtualMachine:vm-99");
  });

  it("decodes a fault type this SDK does not know as vmodl.MethodFault, keeping its name and fields", () => {
    const decoded = decodeResponse(
      envelope(
        "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>quota</faultstring><detail>" +
          '<QuotaExceededFault xmlns="urn:vim25" xsi:type="QuotaExceeded"><limit>5</limit></QuotaExceededFault></detail></soapenv:Fault>',
      ),
      op("CreateFolder"),
      undefined,
      context,
    );
    if (decoded.kind !== "fault") throw new Error("expected a fault");
    expect(decoded.fault).toBeInstanceOf(vmodl.MethodFault);
    expect((decoded.fault as { _wsdlName?: string })._wsdlName).toBe("QuotaExceeded");
    expect(decoded.fault).toMatchObject({ limit: "5" });
  });

  it("answers what is not a SOAP answer with a ParseError naming it", () => {
    const attempt = (xml: string) => () => decodeResponse(xml, op("RetrieveServiceContent"), undefined, context);
    expect(attempt("<html><body><h1>Bad gateway</h1></body></html>")).toThrow(
      "RetrieveServiceContent: the server answered an HTML page, not SOAP",
    );
    expect(attempt("<namespaces/>")).toThrow(
      "the answer is XML but not a SOAP envelope (its root element is <namespaces>)",
    );
    expect(attempt("")).toThrow("RetrieveServiceContent: the answer is empty (https://vc.example/sdk)");
    const truncated = envelope(
      '<RetrieveServiceContentResponse xmlns="urn:vim25"><returnval><rootFolder type="Folder">gro',
    ).slice(0, -40);
    expect(attempt(truncated)).toThrow(ParseError);
    expect(attempt(truncated)).toThrow(/not well-formed XML .*truncated document/);
    expect(attempt(envelope(""))).toThrow(
      "RetrieveServiceContent: the SOAP body holds no <RetrieveServiceContentResponse>",
    );
    expect(attempt(envelope("<LoginResponse><returnval/></LoginResponse>"))).toThrow(
      "the SOAP body holds <LoginResponse> instead of <RetrieveServiceContentResponse>",
    );
    expect(() => decode("SetScreenResolution", '<SetScreenResolutionResponse xmlns="urn:vim25"/>')).not.toThrow();
    expect(() =>
      decode(
        "PutUsbScanCodes",
        '<PutUsbScanCodesResponse xmlns="urn:vim25"><returnval>many</returnval></PutUsbScanCodesResponse>',
      ),
    ).toThrow('PutUsbScanCodes: returnval holds "many", which is not an xsd:int');
  });
});
