// Neutron subnets, and the CIDR check every subnet (and pyrax's network create) goes through before
// anything is sent.
import { isIPv4, isIPv6 } from "node:net";
import { NetworkCIDRInvalid, NetworkCIDRMalformed } from "../../errors.js";
import type { Kind, NeutronRecord } from "./collection.js";
import { NeutronResource } from "./resource.js";

/** A range of addresses a subnet hands out: first and last address. */
export interface AllocationPool {
  start: string;
  end: string;
}

/** A static route a subnet hands to its hosts: destination CIDR and next hop. */
export interface HostRoute {
  destination: string;
  nexthop: string;
}

export interface SubnetRecord extends NeutronRecord {
  name: string;
  network_id: string;
  cidr: string;
  ip_version: 4 | 6;
  gateway_ip: string | null;
  enable_dhcp: boolean;
  allocation_pools: AllocationPool[];
  dns_nameservers: string[];
  host_routes: HostRoute[];
  ipv6_ra_mode?: string | null;
  ipv6_address_mode?: string | null;
  subnetpool_id?: string | null;
  description?: string;
  project_id?: string;
}

/** Subnet fields a caller may change (Neutron's names). */
export interface SubnetAttributes {
  name?: string;
  description?: string;
  /** null: no gateway. */
  gateway_ip?: string | null;
  enable_dhcp?: boolean;
  allocation_pools?: AllocationPool[];
  dns_nameservers?: string[];
  host_routes?: HostRoute[];
  service_types?: string[];
}

export interface SubnetCreateAttributes extends SubnetAttributes {
  network_id: string;
  /** Required unless a subnet pool is given. */
  cidr?: string;
  /** Default: the version of `cidr` (openstacksdk scripts pass "4"; Neutron takes both). */
  ip_version?: 4 | 6 | "4" | "6";
  ipv6_ra_mode?: "slaac" | "dhcpv6-stateful" | "dhcpv6-stateless";
  ipv6_address_mode?: "slaac" | "dhcpv6-stateful" | "dhcpv6-stateless";
  subnetpool_id?: string;
  prefixlen?: number;
  use_default_subnetpool?: boolean;
  segment_id?: string;
  project_id?: string;
}

const UPDATE_FIELDS = [
  "name",
  "description",
  "gateway_ip",
  "enable_dhcp",
  "allocation_pools",
  "dns_nameservers",
  "host_routes",
  "service_types",
] as const;

// An IPv6 address as 8 groups of 16 bits.
function ipv6Groups(address: string): number[] {
  const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
  const parse = (part: string | undefined) => (part ? part.split(":") : []);
  let left = parse(head);
  let right = parse(tail);
  // An embedded IPv4 address (::ffff:10.0.0.1) is two groups.
  const v4 = (list: string[]) => {
    const last = list.at(-1);
    if (!last?.includes(".")) return list;
    const [a, b, c, d] = last.split(".").map(Number) as [number, number, number, number];
    return [...list.slice(0, -1), ((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
  };
  if (tail === undefined) left = v4(left);
  else right = v4(right);
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill("0"), ...right].map((g) => parseInt(g, 16));
}

/**
 * Checks a CIDR as Neutron would, before sending: NetworkCIDRMalformed when it is not a network in CIDR
 * notation, NetworkCIDRInvalid when host bits are set or it holds fewer than two hosts (pyrax's rule).
 */
export function checkCidr(cidr: unknown, field = "cidr"): { version: 4 | 6; prefix: number } {
  const text = typeof cidr === "string" ? cidr.trim() : "";
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  const address = match?.[1] ?? "";
  const prefix = Number(match?.[2]);
  const version = isIPv4(address) ? 4 : isIPv6(address) ? 6 : undefined;
  if (!match || !version || prefix > (version === 4 ? 32 : 128)) {
    throw new NetworkCIDRMalformed(
      `the CIDR ${JSON.stringify(cidr)} is not valid: give a network as address/prefix, such as 192.168.0.0/24`,
      { field },
    );
  }
  if (prefix > (version === 4 ? 30 : 126)) {
    throw new NetworkCIDRInvalid(`networks must contain two or more hosts; the CIDR '${text}' is too restrictive`, {
      field,
    });
  }
  const bits =
    version === 4
      ? address
          .split(".")
          .map((o) => Number(o).toString(2).padStart(8, "0"))
          .join("")
      : ipv6Groups(address)
          .map((g) => g.toString(2).padStart(16, "0"))
          .join("");
  if (bits.slice(prefix).includes("1")) {
    throw new NetworkCIDRInvalid(
      `the CIDR '${text}' has host bits set: the network is ${networkOf(bits, prefix, version)}/${prefix}`,
      { field },
    );
  }
  return { version, prefix };
}

function networkOf(bits: string, prefix: number, version: 4 | 6): string {
  const masked = bits.slice(0, prefix).padEnd(bits.length, "0");
  if (version === 4) return [0, 8, 16, 24].map((i) => parseInt(masked.slice(i, i + 8), 2)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => parseInt(masked.slice(i * 16, i * 16 + 16), 2).toString(16));
  return groups.join(":").replace(/(^|:)0(:0)+(:|$)/, "::");
}

/** Fills `ip_version` from the CIDR, after checking it. */
export function subnetCreateBody(attributes: SubnetCreateAttributes): SubnetCreateAttributes {
  if (attributes?.cidr === undefined) return attributes;
  const { version } = checkCidr(attributes.cidr);
  return { ...attributes, ip_version: attributes.ip_version ?? version };
}

/** A Neutron subnet: CIDR, gateway, allocation pools, DNS servers and host routes. */
export class Subnet extends NeutronResource<SubnetRecord, SubnetAttributes> {
  get network_id(): string {
    return this.record.network_id;
  }
  get cidr(): string {
    return this.record.cidr;
  }
  get ip_version(): 4 | 6 {
    return this.record.ip_version;
  }
  get gateway_ip(): string | null {
    return this.record.gateway_ip;
  }
  get enable_dhcp(): boolean {
    return this.record.enable_dhcp;
  }
  get allocation_pools(): readonly AllocationPool[] {
    return this.record.allocation_pools ?? [];
  }
  get dns_nameservers(): readonly string[] {
    return this.record.dns_nameservers ?? [];
  }
}

export const SUBNET_KIND: Kind<Subnet, SubnetRecord> = {
  path: "subnets",
  single: "subnet",
  label: "subnet",
  createFields: [
    ...UPDATE_FIELDS,
    "network_id",
    "cidr",
    "ip_version",
    "ipv6_ra_mode",
    "ipv6_address_mode",
    "subnetpool_id",
    "prefixlen",
    "use_default_subnetpool",
    "segment_id",
    "project_id",
  ],
  updateFields: UPDATE_FIELDS,
  wrap: (collection, record) => new Subnet(collection, record),
};
