// v3's params classes (generated from the v3 schema): generateDS's names, keyword constructors and
// accessors, and what each becomes on the v4 wire (docs/decisions/0017-ovirt-v3-params.md).
import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { decodeObject, encodeObject, params, type types } from "../src/index.js";
import { V3_CLASSES } from "../src/generated/v3-classes.js";

describe("v3 params classes", () => {
  it("has every complexType of the v3 schema, with its bases' members", () => {
    expect(Object.keys(V3_CLASSES)).toHaveLength(390);
    const vm = new params.VM({ name: "a", stop_reason: "x" }); // BaseResource's and VM's own
    expect([vm.get_name(), vm.get_stop_reason()]).toEqual(["a", "x"]);
    expect(typeof params.GuestNicsConfiguration).toBe("function");
    expect(typeof params.MAC).toBe("function");
    // Text content (`<storage_manager priority="5">true</storage_manager>`) is generateDS's valueOf_.
    const manager = new params.StorageManager({ priority: 5, valueOf_: true });
    expect([manager.get_priority(), manager.get_valueOf_()]).toEqual([5, true]);
  });

  it("names a keyword neither v3 nor v4 has, with generateDS's spelling when that is it", () => {
    expect(() => new params.VM({ nmae: "x" } as never)).toThrow(
      expect.objectContaining({
        message: `params.VM got an unexpected keyword argument "nmae": neither v3's VM nor API v4's Vm has it`,
        field: "params.VM.nmae",
      }),
    );
    expect(() => new params.Boot({ device: "hd" } as never)).toThrow(ValidationError);
    expect(() => new params.OperatingSystem({ boot: new params.Boot({ dev: "hd" }) } as never)).toThrow(
      /params.OperatingSystem.boot must be a list \(an array\) of Boot/,
    );
    expect(() => new params.CpuTopology({ cores: "two" } as never)).toThrow(
      /params.CpuTopology.cores must be an integer/,
    );
  });

  it("has generateDS's getters, setters and add_ for lists; type_ is read by get_type()", () => {
    const os = new params.OperatingSystem({ type_: "rhel_7x64" });
    os.add_boot(new params.Boot({ dev: "hd" }));
    os.add_boot(new params.Boot({ dev: "network" }));
    expect(os.get_type()).toBe("rhel_7x64");
    expect(os.get_boot()?.map((b) => b.dev)).toEqual(["hd", "network"]);
    os.set_type("other");
    expect(os.type_).toBe("other");
    const version = new params.Version({ build_: 3, major: 4 });
    expect(version.get_build()).toBe(3);
  });

  it("boot devices: v3's OperatingSystem(boot=[Boot(dev=...)]) is v4's os.boot.devices", () => {
    const vm = new params.VM({
      os: new params.OperatingSystem({
        type_: "rhel_7x64",
        boot: [new params.Boot({ dev: "hd" }), new params.Boot({ dev: "cdrom" })],
      }),
    });
    const xml = encodeObject(vm, "Vm");
    expect(xml).toBe(
      "<vm><os><type>rhel_7x64</type><boot><devices><device>hd</device><device>cdrom</device></devices></boot></os></vm>",
    );
    expect((decodeObject(xml, "Vm") as types.Vm).os?.boot?.devices).toEqual(["hd", "cdrom"]);
    expect(() =>
      encodeObject(
        new params.VM({ os: new params.OperatingSystem({ boot: [new params.Boot({ dev: "floppy" })] }) }),
        "Vm",
      ),
    ).toThrow(/Vm.os.boot.devices\[0\] must be one of "cdrom", "hd", "network"/);
  });

  it("type_ everywhere: VM, Display, Disk (content type) and Storage", () => {
    const vm = new params.VM({ type_: "server", display: new params.Display({ type_: "spice", monitors: 2 }) });
    expect(encodeObject(vm, "Vm")).toBe(
      "<vm><type>server</type><display><type>spice</type><monitors>2</monitors></display></vm>",
    );
    const sd = new params.StorageDomain({
      name: "nfs",
      type_: "data",
      storage: new params.Storage({ type_: "nfs", address: "10.0.0.1", path: "/exports/data" }),
      host: new params.Host({ name: "host1" }),
    });
    expect(encodeObject(sd, "StorageDomain")).toBe(
      "<storage_domain><name>nfs</name><type>data</type><storage><address>10.0.0.1</address><type>nfs</type>" +
        "<path>/exports/data</path></storage><host><name>host1</name></host></storage_domain>",
    );
  });

  it("MAC, GuestNicConfiguration(s), placement_policy(host=) and a cluster CPU by id", () => {
    const nic = new params.NIC({
      name: "eth0",
      mac: new params.MAC({ address: "00:1a:4a:16:01:51" }),
      interface: "virtio",
    });
    expect(encodeObject(nic, "Nic")).toContain("<mac><address>00:1a:4a:16:01:51</address></mac>");
    const init = new params.Initialization({
      nic_configurations: new params.GuestNicsConfiguration({
        nic_configuration: [
          new params.GuestNicConfiguration({
            name: "eth0",
            boot_protocol: "static",
            on_boot: true,
            ip: new params.IP({ address: "192.168.1.10", netmask: "255.255.255.0", gateway: "192.168.1.1" }),
          }),
        ],
      }),
    });
    expect(encodeObject(init, "Initialization")).toBe(
      "<initialization><nic_configurations><nic_configuration><name>eth0</name>" +
        "<ip><address>192.168.1.10</address><netmask>255.255.255.0</netmask><gateway>192.168.1.1</gateway></ip>" +
        "<boot_protocol>static</boot_protocol><on_boot>true</on_boot></nic_configuration></nic_configurations></initialization>",
    );
    const placed = new params.VM({
      placement_policy: new params.VmPlacementPolicy({ host: new params.Host({ name: "host1" }), affinity: "pinned" }),
    });
    expect(encodeObject(placed, "Vm")).toBe(
      "<vm><placement_policy><affinity>pinned</affinity><hosts><host><name>host1</name></host></hosts></placement_policy></vm>",
    );
    const cluster = new params.Cluster({ name: "c", cpu: new params.CPU({ id: "Intel Conroe Family" }) });
    expect(encodeObject(cluster, "Cluster")).toContain("<cpu><type>Intel Conroe Family</type></cpu>");
  });

  it("Status objects are sent as v4's value, and a v3 class in the wrong place is named", () => {
    expect(encodeObject(new params.VM({ status: new params.Status({ state: "up" }) }), "Vm")).toBe(
      "<vm><status>up</status></vm>",
    );
    expect(() => encodeObject({ cluster: new params.Host({ name: "h" }) }, "Vm")).toThrow(
      /Vm.cluster must be a Cluster, not a Host/,
    );
  });

  it("Disks(clone=True) is add's clone parameter; elsewhere it is refused, naming where it goes", () => {
    const vm = new params.VM({ name: "x", disks: new params.Disks({ clone: true }) });
    expect(() => encodeObject(vm, "Vm")).toThrow(/Vm.disks.clone is a parameter of the call in API v4 \(`clone`\)/);
    const withDisks = new params.VM({
      disks: new params.Disks({ disk: [new params.Disk({ id: "d1", format: "cow" })] }),
    });
    expect(encodeObject(withDisks, "Vm")).toBe(
      '<vm><disk_attachments><disk_attachment><disk id="d1"><format>cow</format></disk></disk_attachment></disk_attachments></vm>',
    );
  });

  it("a v3 member v4 has no place for is named with its value and what v4 has", () => {
    expect(() =>
      encodeObject(
        new params.VM({
          run_once: true,
          usb: new params.Usb({ enabled: true }),
          domain: new params.Domain({ name: "d" }),
        }),
        "Vm",
      ),
    ).not.toThrow();
    expect(() => encodeObject(new params.Host({ reboot_after_installation: true }), "Host")).toThrow(
      /Host.reboot_after_installation \(true\) has no API v4 equivalent; v4 has no reboot_after_installation member in its Host/,
    );
  });

  it("Action(snapshot=...) is the action's body", () => {
    const action = new params.Action({ snapshot: new params.Snapshot({ id: "s1" }), restore_memory: false });
    expect(encodeObject(action, "Action")).toBe(
      '<action><restore_memory>false</restore_memory><snapshot id="s1"/></action>',
    );
  });
});
