// Cloud Networks without a server: the checks made before anything is sent (CIDRs, fields, filters),
// pyrax's get_server_networks shape, and where the Neutron API root is for the endpoints catalogs list.
import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { NetworkCIDRInvalid, NetworkCIDRMalformed } from "../src/errors.js";
import {
  CloudNetworks,
  PUBLIC_NET_ID,
  SERVICE_NET_ID,
  checkCidr,
  getServerNetworks,
  neutronApiRoot,
  neutronListQuery,
} from "../src/resources/network/index.js";

describe("checkCidr", () => {
  it("accepts IPv4 and IPv6 networks and names their version", () => {
    expect(checkCidr("192.168.0.0/24")).toEqual({ version: 4, prefix: 24 });
    expect(checkCidr("10.0.0.0/8")).toEqual({ version: 4, prefix: 8 });
    expect(checkCidr("2001:db8::/64")).toEqual({ version: 6, prefix: 64 });
    expect(checkCidr("fd00:1:2:3::/64")).toEqual({ version: 6, prefix: 64 });
  });

  it.each(["192.168.0.0", "192.168.0.0/33", "300.1.1.0/24", "not-a-cidr", "2001:db8::/129", "", "10.0.0.0/-1"])(
    "refuses the malformed %p with NetworkCIDRMalformed naming cidr",
    (cidr) => {
      const error = (() => {
        try {
          checkCidr(cidr);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(NetworkCIDRMalformed);
      expect(error).toBeInstanceOf(NetworkCIDRInvalid);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe("cidr");
    },
  );

  it("refuses networks of fewer than two hosts and host bits with NetworkCIDRInvalid", () => {
    expect(() => checkCidr("192.168.0.0/31")).toThrow(NetworkCIDRInvalid);
    expect(() => checkCidr("192.168.0.0/31")).toThrow(/two or more hosts/);
    expect(() => checkCidr("192.168.0.5/24")).toThrow(/host bits set: the network is 192.168.0.0\/24/);
    expect(() => checkCidr("2001:db8::1/64")).toThrow(/host bits set: the network is 2001:db8::\/64/);
    expect(() => checkCidr("192.168.0.5/24")).not.toThrow(NetworkCIDRMalformed);
  });
});

describe("getServerNetworks", () => {
  const net = { id: "5d7a0b7e-0000-4000-8000-000000000001" };

  it("gives novaclient's nics list: this network first, keyed net-id", () => {
    expect(getServerNetworks(net)).toEqual([{ "net-id": net.id }]);
  });

  it("takes pyrax's positional public, private and key", () => {
    expect(getServerNetworks(net, true, true, "uuid")).toEqual([
      { uuid: net.id },
      { uuid: PUBLIC_NET_ID },
      { uuid: SERVICE_NET_ID },
    ]);
    expect(getServerNetworks(net.id, false, true)).toEqual([{ "net-id": net.id }, { "net-id": SERVICE_NET_ID }]);
  });

  it("takes an options object too", () => {
    expect(getServerNetworks(net, { public: true, key: "uuid" })).toEqual([{ uuid: net.id }, { uuid: PUBLIC_NET_ID }]);
  });

  it("refuses a missing network", () => {
    expect(() => getServerNetworks("")).toThrow(ValidationError);
  });
});

describe("neutronApiRoot", () => {
  it.each([
    ["http://127.0.0.1:9696", "http://127.0.0.1:9696/v2.0/"],
    ["http://127.0.0.1:9696/", "http://127.0.0.1:9696/v2.0/"],
    ["http://127.0.0.1:9696/v2.0", "http://127.0.0.1:9696/v2.0/"],
    ["https://cloud.example/networking/v2.0/", "https://cloud.example/networking/v2.0/"],
    ["https://cloud.example/networking", "https://cloud.example/networking/v2.0/"],
  ])("%s -> %s", (endpoint, root) => {
    expect(neutronApiRoot(endpoint).href).toBe(root);
  });
});

describe("neutronListQuery", () => {
  it("sends filters by Neutron's names, arrays as repeated parameters, and leaves paging to the listing", () => {
    expect(
      neutronListQuery({ name: "n", id: ["a", "b"], shared: false, limit: 5, marker: "m", signal: undefined }),
    ).toEqual({ name: ["n"], id: ["a", "b"], shared: ["false"] });
  });

  it("turns sortKey and sortDir into sort_key and sort_dir", () => {
    expect(neutronListQuery({ sortKey: ["name", "id"], sortDir: "desc" })).toEqual({
      sort_key: ["name", "id"],
      sort_dir: ["desc"],
    });
  });

  it("refuses a filter value that cannot be sent, naming it", () => {
    expect(() => neutronListQuery({ network_id: { id: "x" } as never })).toThrow(
      expect.objectContaining({ field: "network_id" }) as never,
    );
    expect(() => neutronListQuery({ sortDir: "up" as never })).toThrow(ValidationError);
  });
});

describe("options a call cannot use", () => {
  // Nothing listens on port 9: a call that got as far as sending would fail with a ConnectionError.
  const cnw = new CloudNetworks({
    endpoint: "http://127.0.0.1:9",
    region: "DFW",
    auth: { authorize: () => undefined },
  });

  it("are ValidationErrors naming them, raised before anything is sent", async () => {
    await expect(cnw.create("net", { cidir: "10.0.0.0/24" } as never)).rejects.toThrow(
      expect.objectContaining({ field: "cidir" }) as never,
    );
    await expect(cnw.delete("id", { force: true } as never)).rejects.toThrow(
      expect.objectContaining({ field: "force" }) as never,
    );
    await expect(cnw.findSubnet("x", { ignore_missing: false } as never)).rejects.toThrow(ValidationError);
    expect(() => getServerNetworks("id", { publik: true } as never)).toThrow(
      expect.objectContaining({ field: "publik" }) as never,
    );
    await cnw.close();
  });
});
