// v3's `type_` spelling, `api.test()`, the positional query of `list()` and `api.get_product_info()`.
// Each test ports, following the README's table, an idiom of a public v3 script (or of the v3 SDK's own
// signatures) named above it, and runs it against the simulator.
import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { API, encodeObject, params } from "../../src/index.js";
import { useEngine } from "./harness.js";

const session = useEngine();

describe("type_, api.test(), list(query)", () => {
  // ansible/ansible-modules-extras cloud/misc/ovirt.py, create_vm(): `params.VM(name=vmname, ...,
  // os=params.OperatingSystem(type_=vmos), ..., type_=vmtype)` with vmtype "server" or "desktop".
  it("type_ on params.VM and params.OperatingSystem is v4's type, sent as <type>", async () => {
    const { api } = session;
    const vm = await api.vms.add(
      new params.VM({
        name: "typed_vm",
        cluster: await api.clusters.get({ name: "Default" }),
        template: await api.templates.get({ name: "Blank" }),
        os: new params.OperatingSystem({ type_: "rhel_7x64" }),
        type_: "server",
      }),
    );
    expect([vm.type, vm.os?.type]).toEqual(["server", "rhel_7x64"]);
    // generateDS read it back under the same name.
    expect(vm.type_).toBe("server");
  });

  it("type_ is checked as type is, and giving both is refused", () => {
    expect(() => new params.VM({ type_: "laptop" })).toThrow(/params\.VM\.type_ must be one of/);
    expect(() => new params.Vm({ type: "server", type_: "server" })).toThrow(ValidationError);
    expect(() => new params.Vm({ type: "server", type_: "server" })).toThrow(/type_ is generateDS's name for type/);
    // The disk keeps its own v3 meaning (content_type).
    expect(encodeObject(new params.Disk({ type_: "data" }), "Disk")).toBe(
      "<disk><content_type>data</content_type></disk>",
    );
  });

  // oVirt/ovirt-log-collector src/helper/hypervisors.py, _initialize_api(): `api.get_product_info()`,
  // `pi.get_version().get_major()`, else `api.test(throw_exception=True)`.
  it("api.get_product_info().get_version().get_major() and api.test()", async () => {
    const { api } = session;
    const version = api.get_product_info()!.get_version()!;
    expect(`${version.get_major()}.${version.get_minor()}`).toBe("4.5");
    expect(await api.test()).toBe(true);
    expect(await api.test(true)).toBe(true);
  });

  it("api.test() on an engine that fails: false, or the error with throwException", async () => {
    const { engine } = session;
    const api = await API.connect({ url: engine.url, ...engine.credentials, retry: { limit: 0 } });
    engine.failNext({ kind: "status", status: 503 });
    expect(await api.test()).toBe(false);
    engine.failNext({ kind: "status", status: 503 });
    await expect(api.test(true)).rejects.toMatchObject({ status: 503 });
    await api.disconnect();
    expect(await api.test()).toBe(false);
  });

  // wefixit-AT/oVirtBackup backup.py connect(): `api = ovirtsdk.api.API(url=..., username=..., password=...,
  // insecure=True, debug=False)`. Logging in is asynchronous here: `await API.connect({...})` is the port, and
  // `new API({...})` says so instead of failing on an unrelated property.
  it("API(url=..., username=..., password=..., insecure=True, debug=False)", async () => {
    const { engine } = session;
    const api = await API.connect({ url: engine.url, ...engine.credentials, insecure: true, debug: false });
    expect(await api.test()).toBe(true);
    await api.disconnect();
    const made = () => new API({ url: engine.url, ...engine.credentials } as never);
    expect(made).toThrow(ValidationError);
    expect(made).toThrow(/new API\(\.\.\.\) is v3's way to log in; .*await API\.connect\(/);
  });

  // oVirt/ovirt-engine-sdk branch sdk_3.6, the generated brokers' `list(self, query=None, ...)`: the
  // query is the first positional argument, as in `api.vms.list("cluster=Default")`.
  it("list(query) with the query alone", async () => {
    const { api, engine } = session;
    const found = await api.vms.list("name=python_vm");
    expect(found.map((vm) => vm.name)).toEqual(["python_vm"]);
    expect(engine.state.requests.at(-1)!.query).toContain("search=name%3Dpython_vm");
    const vm = (await api.vms.get("python_vm"))!;
    expect(() => vm.nics.list("name=eth0")).toThrow(/cannot be searched/);
  });
});
