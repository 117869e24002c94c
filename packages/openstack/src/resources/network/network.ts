// pyrax's CloudNetwork over a Neutron network: `label` is Neutron's `name`, and `cidr` is the CIDR of
// the network's first subnet (Rackspace's Cloud Networks had one per network; Neutron may have none).
import { ValidationError } from "@nimbus-sdk/common";
import { checkOptions } from "../../arguments.js";
import { NetworkInUse, NetworkCountExceeded, NetworkNotFound } from "../../errors.js";
import type { CallOptions, Kind, NeutronCollection, NeutronRecord } from "./collection.js";
import { NeutronResource } from "./resource.js";

/** Rackspace's pseudo networks: the Internet and ServiceNet. Neutron has no such networks. */
export const PUBLIC_NET_ID = "00000000-0000-0000-0000-000000000000";
/** The id of Rackspace's ServiceNet, as pyrax names it. */
export const SERVICE_NET_ID = "11111111-1111-1111-1111-111111111111";
/** Rackspace's two networks that are no Neutron networks: PublicNet and ServiceNet. */
export const PSEUDO_NETWORKS: readonly string[] = [PUBLIC_NET_ID, SERVICE_NET_ID];

export interface NetworkRecord extends NeutronRecord {
  name: string;
  status: string;
  admin_state_up: boolean;
  shared: boolean;
  /** Ids of the network's subnets. */
  subnets: string[];
  mtu?: number;
  description?: string;
  project_id?: string;
  tenant_id?: string;
  "router:external"?: boolean;
  port_security_enabled?: boolean;
  tags?: string[];
  created_at?: string;
  updated_at?: string;
}

/** Network fields a caller may set (Neutron's names). */
export interface NetworkAttributes {
  name?: string;
  description?: string;
  admin_state_up?: boolean;
  shared?: boolean;
  mtu?: number;
  port_security_enabled?: boolean;
  "router:external"?: boolean;
  dns_domain?: string;
  qos_policy_id?: string | null;
}

export interface NetworkCreateAttributes extends NetworkAttributes {
  "provider:network_type"?: string;
  "provider:physical_network"?: string;
  "provider:segmentation_id"?: number;
  availability_zone_hints?: string[];
  is_default?: boolean;
  project_id?: string;
}

const UPDATE_FIELDS = [
  "name",
  "description",
  "admin_state_up",
  "shared",
  "mtu",
  "port_security_enabled",
  "router:external",
  "dns_domain",
  "qos_policy_id",
] as const;

/** One entry of the `nics` list Nova's server create takes: `{ "net-id": id }` by default. */
export type ServerNetwork = Record<string, string>;

/** Options of building a server's `networks` from network ids or objects (pyrax's `get_server_networks`). */
export interface ServerNetworksOptions {
  /** Add Rackspace's public network (the Internet). */
  public?: boolean;
  /** Add Rackspace's ServiceNet. */
  private?: boolean;
  /** The key of each entry (default "net-id", novaclient's; openstacksdk's servers take "uuid"). */
  key?: string;
}

/**
 * pyrax's `get_server_networks`: the nics list for Nova's server create, this network first, then
 * the pseudo networks asked for. Positional as in pyrax (`public, private, key`) or one options object.
 */
export function getServerNetworks(
  network: string | { id: string },
  publicOrOptions: boolean | ServerNetworksOptions = false,
  privateNet = false,
  key?: string,
): ServerNetwork[] {
  const options: ServerNetworksOptions =
    typeof publicOrOptions === "object"
      ? checkOptions("getServerNetworks", publicOrOptions, ["public", "private", "key"])
      : { public: publicOrOptions, private: privateNet, key };
  const field = options.key ?? "net-id";
  const id = typeof network === "string" ? network : network?.id;
  if (typeof id !== "string" || id === "") {
    throw new ValidationError("getServerNetworks needs a network or a network id", { field: "network" });
  }
  const nics: ServerNetwork[] = [{ [field]: id }];
  if (options.public) nics.push({ [field]: PUBLIC_NET_ID });
  if (options.private) nics.push({ [field]: SERVICE_NET_ID });
  return nics;
}

/** How a Network learns its CIDR: the first subnet's, looked up by the client. */
export interface CidrSource {
  cidrOf(network: NetworkRecord, options: CallOptions): Promise<string | undefined>;
}

/** A Neutron network, as pyrax's cloud_networks show it (`label`, `cidr`), with its subnets. */
export class Network extends NeutronResource<NetworkRecord, NetworkAttributes> {
  /** The CIDR of the network's first subnet, when it has one. */
  cidr: string | undefined;
  readonly #cidrs: CidrSource;

  constructor(manager: NeutronCollection<unknown, NetworkRecord>, record: NetworkRecord, cidrs: CidrSource) {
    super(manager, record);
    this.#cidrs = cidrs;
  }

  /** pyrax's name for Neutron's `name`. */
  get label(): string {
    return this.name;
  }
  get status(): string {
    return this.record.status;
  }
  get admin_state_up(): boolean {
    return this.record.admin_state_up;
  }
  get shared(): boolean {
    return this.record.shared;
  }
  get subnets(): readonly string[] {
    return this.record.subnets ?? [];
  }
  /** Whether this is a network of the project's own, not one of Rackspace's pseudo networks. */
  get isIsolated(): boolean {
    return !PSEUDO_NETWORKS.includes(this.id);
  }

  /** Fetches the network (and its CIDR) again; pseudo networks have nothing to fetch, as in pyrax. */
  override async get(options: CallOptions = {}): Promise<this> {
    if (!this.isIsolated) return this;
    await super.get(options);
    this.cidr = await this.#cidrs.cidrOf(this.record, options);
    return this;
  }

  /** See `getServerNetworks`: positional `(public, private, key)` as in pyrax, or an options object. */
  getServerNetworks(publicOrOptions: boolean | ServerNetworksOptions = false, privateNet = false, key?: string) {
    return getServerNetworks(this, publicOrOptions, privateNet, key);
  }
}

export function networkKind(cidrs: CidrSource): Kind<Network, NetworkRecord> {
  return {
    path: "networks",
    single: "network",
    label: "network",
    createFields: [
      ...UPDATE_FIELDS,
      "provider:network_type",
      "provider:physical_network",
      "provider:segmentation_id",
      "availability_zone_hints",
      "is_default",
      "project_id",
    ],
    updateFields: UPDATE_FIELDS,
    notFound: NetworkNotFound,
    inUse: { NetworkInUse },
    overQuota: NetworkCountExceeded,
    wrap: (collection, record) => new Network(collection, record, cidrs),
  };
}
