// pyrax.cloud_networks over Neutron v2.0: pyrax's calls (create with a label and a CIDR, list,
// find_network_by_label, get_server_networks, delete), and beside them what an openstacksdk user
// reaches for: subnets, ports, security groups and rules, routers and floating IPs.
import { NotFoundError, ValidationError } from "@nimbus-sdk/common";
import { checkOptions } from "../../arguments.js";
import { BadRequest, NetworkCIDRInvalid, NetworkLabelNotUnique, NetworkNotFound } from "../../errors.js";
import { ServiceClient, type ServiceClientOptions } from "../../service-client.js";
import type { Listing } from "../compute/listing.js";
import {
  NeutronCollection,
  idOf,
  type CallOptions,
  type FilterValue,
  type FindOptions,
  type ListOptions,
} from "./collection.js";
import {
  FLOATING_IP_KIND,
  type FloatingIp,
  type FloatingIpAttributes,
  type FloatingIpCreateAttributes,
} from "./floating-ip.js";
import {
  PSEUDO_NETWORKS,
  PUBLIC_NET_ID,
  SERVICE_NET_ID,
  getServerNetworks,
  networkKind,
  type Network,
  type NetworkAttributes,
  type NetworkCreateAttributes,
  type NetworkRecord,
  type ServerNetwork,
  type ServerNetworksOptions,
} from "./network.js";
import { PORT_KIND, type Port, type PortAttributes, type PortCreateAttributes } from "./port.js";
import {
  ROUTER_KIND,
  type Router,
  type RouterAttributes,
  type RouterCreateAttributes,
  type RouterInterface,
  type RouterInterfaceTarget,
} from "./router.js";
import {
  SECURITY_GROUP_KIND,
  SECURITY_GROUP_RULE_KIND,
  securityGroupRuleBody,
  type SecurityGroup,
  type SecurityGroupAttributes,
  type SecurityGroupCreateAttributes,
  type SecurityGroupRule,
  type SecurityGroupRuleCreateAttributes,
} from "./security-group.js";
import {
  SUBNET_KIND,
  checkCidr,
  subnetCreateBody,
  type Subnet,
  type SubnetAttributes,
  type SubnetCreateAttributes,
  type SubnetRecord,
} from "./subnet.js";

/** A resource object, its record, or its id. */
export type Ref = string | { id: string };

/** Filters of a listing, by Neutron's field names (`{ network_id, device_id }`). */
export type Filters = Record<string, FilterValue | undefined>;

/** pyrax's `create(label, name, cidr)` as one object, with Neutron's extra fields beside. */
export interface NetworkCreateOptions extends CallOptions {
  label?: string;
  /** pyrax takes `name` as another spelling of `label`. */
  name?: string;
  /** The network's subnet; none is made without one. */
  cidr?: string;
  /** More network fields (shared, mtu, admin_state_up …). */
  attributes?: Omit<NetworkCreateAttributes, "name">;
  /** More subnet fields (gateway_ip, dns_nameservers …), used with `cidr`. */
  subnet?: Omit<SubnetCreateAttributes, "network_id" | "cidr">;
}

/**
 * The Neutron v2.0 API root for a catalog endpoint, which is usually the bare service URL
 * (`http://host:9696`) but may carry a path prefix or already end in /v2.0.
 */
export function neutronApiRoot(endpoint: string | URL): URL {
  const url = new URL(String(endpoint));
  url.search = "";
  url.hash = "";
  const segments = url.pathname.split("/").filter(Boolean);
  if (/^v2(\.0)?$/i.test(segments.at(-1) ?? "")) segments.pop();
  segments.push("v2.0");
  url.pathname = `/${segments.join("/")}/`;
  return url;
}

function pagingArgs(limitOrOptions: number | ListOptions | undefined, marker?: string): ListOptions {
  return typeof limitOrOptions === "object" ? limitOrOptions : { limit: limitOrOptions, marker };
}

/** pyrax.cloud_networks, over Neutron v2.0. */
export class CloudNetworks extends ServiceClient {
  readonly name = "Cloud Networks";
  readonly PUBLIC_NET_ID = PUBLIC_NET_ID;
  readonly SERVICE_NET_ID = SERVICE_NET_ID;
  readonly PSEUDO_NETWORKS = PSEUDO_NETWORKS;
  readonly apiRoot: URL;
  readonly #networks: NeutronCollection<Network, NetworkRecord>;
  readonly #subnets: NeutronCollection<Subnet, SubnetRecord>;
  readonly #ports;
  readonly #securityGroups;
  readonly #securityGroupRules;
  readonly #routers;
  readonly #ips;

  constructor(options: ServiceClientOptions) {
    super(options);
    this.apiRoot = neutronApiRoot(this.endpoint);
    const make = <T, R extends { id: string }>(kind: ConstructorParameters<typeof NeutronCollection<T, R>>[2]) =>
      new NeutronCollection(this.transport, this.apiRoot, kind);
    this.#networks = make(networkKind({ cidrOf: (record, o) => this.#cidrOf(record, o) }));
    this.#subnets = make(SUBNET_KIND);
    this.#ports = make(PORT_KIND);
    this.#securityGroups = make(SECURITY_GROUP_KIND);
    this.#securityGroupRules = make(SECURITY_GROUP_RULE_KIND);
    this.#routers = make(ROUTER_KIND);
    this.#ips = make(FLOATING_IP_KIND);
  }

  // --- pyrax's calls ---------------------------------------------------------------------------

  /**
   * The networks (pyrax's `list(limit, marker)`; also `list({ limit, marker, pageSize, ...filters })`),
   * each with its `cidr`: an array when awaited, page by page with `for await`.
   */
  list(limit?: number, marker?: string): Listing<Network>;
  list(options?: ListOptions): Listing<Network>;
  list(limitOrOptions?: number | ListOptions, marker?: string): Listing<Network> {
    return this.#networks.list(pagingArgs(limitOrOptions, marker), (items, signal) => this.#fillCidrs(items, signal));
  }

  /** openstacksdk's name for `list`. */
  networks(options: ListOptions = {}): Listing<Network> {
    return this.list(options);
  }

  async get(network: Ref, options: CallOptions = {}): Promise<Network> {
    const found = await this.#networks.get(idOf(network, "network"), options);
    found.cidr = await this.#cidrOf(found.record, options);
    return found;
  }

  /**
   * pyrax's `create(label, name, cidr)`: a network named `label` (or `name`) and, with a CIDR, its
   * subnet. The CIDR is checked first (NetworkCIDRMalformed, NetworkCIDRInvalid); if Neutron refuses
   * the subnet, the network is deleted again and the refusal thrown.
   */
  async create(label: string, options?: NetworkCreateOptions): Promise<Network>;
  async create(
    label: string | undefined,
    name: string | undefined,
    cidr?: string,
    options?: NetworkCreateOptions,
  ): Promise<Network>;
  async create(options: NetworkCreateOptions): Promise<Network>;
  async create(
    first?: string | NetworkCreateOptions,
    second?: string | NetworkCreateOptions,
    cidr?: string,
    rest: NetworkCreateOptions = {},
  ): Promise<Network> {
    const options: NetworkCreateOptions =
      typeof first === "object"
        ? first
        : typeof second === "object"
          ? { ...second, label: first ?? second.label }
          : { ...rest, label: first ?? rest.label, name: second ?? rest.name, cidr: cidr ?? rest.cidr };
    checkOptions("create", options, ["label", "name", "cidr", "attributes", "subnet"]);
    const label = options.label ?? options.name;
    if (typeof label !== "string" || label === "") {
      throw new ValidationError("create needs a label (or name) for the network", { field: "label" });
    }
    const version = options.cidr === undefined ? undefined : checkCidr(options.cidr).version;
    const { signal } = options;
    const record = await this.#networks.createRecord({ ...options.attributes, name: label }, { signal });
    const network = this.#networks.kind.wrap(this.#networks, record);
    if (options.cidr === undefined) return network;
    try {
      const subnet = await this.#subnets.createRecord(
        { ip_version: version, ...options.subnet, network_id: record.id, cidr: options.cidr },
        { signal },
      );
      await network.get({ signal });
      network.cidr = subnet.cidr;
      return network;
    } catch (error) {
      await this.#networks.delete(record.id).catch(() => undefined);
      if (error instanceof BadRequest && /cidr|subnet/i.test(error.message)) {
        throw new NetworkCIDRInvalid(`Neutron refused the CIDR '${options.cidr}': ${error.message}`, {
          field: "cidr",
          cause: error,
        });
      }
      throw error;
    }
  }

  /** Changes network fields (Neutron's names; `label` is `name`). */
  async update(network: Ref, changes: NetworkAttributes & { label?: string }, options: CallOptions = {}) {
    const { label, ...rest } = changes ?? {};
    const updated = await this.#networks.update(
      idOf(network, "network"),
      label ? { ...rest, name: label } : rest,
      options,
    );
    updated.cidr = await this.#cidrOf(updated.record, options);
    return updated;
  }

  /** Deletes the network and its subnets; NetworkInUse while a server or router has a port on it. */
  async delete(network: Ref, options: CallOptions = {}): Promise<void> {
    await this.#networks.delete(idOf(network, "network"), options);
  }

  /** The one network with this label: NetworkNotFound when none has it, NetworkLabelNotUnique when several do. */
  async findNetworkByLabel(label: string, options: CallOptions = {}): Promise<Network> {
    if (typeof label !== "string" || label === "") {
      throw new ValidationError("findNetworkByLabel needs a label", { field: "label" });
    }
    const matches = await this.list({ name: label, signal: options.signal });
    if (matches.length === 0) throw new NetworkNotFound(`No network with the label '${label}' exists`);
    if (matches.length > 1) {
      throw new NetworkLabelNotUnique(`There were ${matches.length} matches for the label '${label}'.`, {
        matches: matches.map((n) => n.id),
      });
    }
    return matches[0]!;
  }

  /** pyrax's alias of `findNetworkByLabel`. */
  async findNetworkByName(name: string, options: CallOptions = {}): Promise<Network> {
    return this.findNetworkByLabel(name, options);
  }

  /** pyrax's `findall(**attrs)`: the networks whose fields match (`label` is `name`). */
  async findall(filters: Filters & { label?: string }, options: CallOptions = {}): Promise<Network[]> {
    const { label, ...rest } = filters ?? {};
    return this.list({ ...rest, ...(label === undefined ? {} : { name: label }), signal: options.signal });
  }

  /** pyrax's `find(**attrs)`: the one matching network (NetworkNotFound, or NoUniqueMatch). */
  async find(filters: Filters & { label?: string }, options: CallOptions = {}): Promise<Network> {
    const matches = await this.findall(filters, options);
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0) throw new NetworkNotFound(`no network matches ${JSON.stringify(filters)}`);
    throw new NetworkLabelNotUnique(`${matches.length} networks match ${JSON.stringify(filters)}`, {
      matches: matches.map((n) => n.id),
    });
  }

  /** See `getServerNetworks` in network.ts: positional `(network, public, private, key)` or an options object. */
  getServerNetworks(
    network: Ref,
    publicOrOptions: boolean | ServerNetworksOptions = false,
    privateNet = false,
    key?: string,
  ): ServerNetwork[] {
    return getServerNetworks(network, publicOrOptions, privateNet, key);
  }

  /** openstacksdk's `find_network`: by id or name; undefined when missing (unless `ignoreMissing: false`). */
  async findNetwork(nameOrId: string, options: FindOptions = {}): Promise<Network | undefined> {
    const found = await this.#networks.find(nameOrId, options);
    if (found) found.cidr = await this.#cidrOf(found.record, { signal: options.signal });
    return found;
  }

  // --- subnets -----------------------------------------------------------------------------------

  subnets(options: ListOptions = {}): Listing<Subnet> {
    return this.#subnets.list(options);
  }
  async getSubnet(subnet: Ref, options: CallOptions = {}): Promise<Subnet> {
    return this.#subnets.get(idOf(subnet, "subnet"), options);
  }
  async findSubnet(nameOrId: string, options: FindOptions = {}): Promise<Subnet | undefined> {
    return this.#subnets.find(nameOrId, options);
  }
  /** The CIDR is checked before sending, and `ip_version` taken from it unless given. */
  async createSubnet(attributes: SubnetCreateAttributes, options: CallOptions = {}): Promise<Subnet> {
    return this.#subnets.create(subnetCreateBody(attributes), options);
  }
  async updateSubnet(subnet: Ref, changes: SubnetAttributes, options: CallOptions = {}): Promise<Subnet> {
    return this.#subnets.update(idOf(subnet, "subnet"), changes, options);
  }
  async deleteSubnet(subnet: Ref, options: CallOptions = {}): Promise<void> {
    await this.#subnets.delete(idOf(subnet, "subnet"), options);
  }

  // --- ports -------------------------------------------------------------------------------------

  ports(options: ListOptions = {}): Listing<Port> {
    return this.#ports.list(options);
  }
  async getPort(port: Ref, options: CallOptions = {}): Promise<Port> {
    return this.#ports.get(idOf(port, "port"), options);
  }
  async findPort(nameOrId: string, options: FindOptions = {}): Promise<Port | undefined> {
    return this.#ports.find(nameOrId, options);
  }
  /** openstacksdk's `get_subnet_ports(subnet_id)`: the ports with an address on the subnet. */
  getSubnetPorts(subnet: Ref, options: ListOptions = {}): Listing<Port> {
    return this.#ports.list({ ...options, fixed_ips: `subnet_id=${idOf(subnet, "subnet")}` });
  }
  async createPort(attributes: PortCreateAttributes, options: CallOptions = {}): Promise<Port> {
    return this.#ports.create(attributes, options);
  }
  async updatePort(port: Ref, changes: PortAttributes, options: CallOptions = {}): Promise<Port> {
    return this.#ports.update(idOf(port, "port"), changes, options);
  }
  async deletePort(port: Ref, options: CallOptions = {}): Promise<void> {
    await this.#ports.delete(idOf(port, "port"), options);
  }

  // --- security groups and rules -----------------------------------------------------------------

  securityGroups(options: ListOptions = {}): Listing<SecurityGroup> {
    return this.#securityGroups.list(options);
  }
  async getSecurityGroup(group: Ref, options: CallOptions = {}): Promise<SecurityGroup> {
    return this.#securityGroups.get(idOf(group, "security group"), options);
  }
  async findSecurityGroup(nameOrId: string, options: FindOptions = {}): Promise<SecurityGroup | undefined> {
    return this.#securityGroups.find(nameOrId, options);
  }
  async createSecurityGroup(attributes: SecurityGroupCreateAttributes, options: CallOptions = {}) {
    return this.#securityGroups.create(attributes, options);
  }
  async updateSecurityGroup(group: Ref, changes: SecurityGroupAttributes, options: CallOptions = {}) {
    return this.#securityGroups.update(idOf(group, "security group"), changes, options);
  }
  async deleteSecurityGroup(group: Ref, options: CallOptions = {}): Promise<void> {
    await this.#securityGroups.delete(idOf(group, "security group"), options);
  }
  securityGroupRules(options: ListOptions = {}): Listing<SecurityGroupRule> {
    return this.#securityGroupRules.list(options);
  }
  async getSecurityGroupRule(rule: Ref, options: CallOptions = {}): Promise<SecurityGroupRule> {
    return this.#securityGroupRules.get(idOf(rule, "security group rule"), options);
  }
  /** Direction and port range are checked before sending; Neutron answers 409 for a duplicate rule. */
  async createSecurityGroupRule(attributes: SecurityGroupRuleCreateAttributes, options: CallOptions = {}) {
    return this.#securityGroupRules.create(securityGroupRuleBody(attributes), options);
  }
  /** openstacksdk's `security_group_open_port(sgid, port, protocol='tcp')`: ingress from anywhere (IPv4). */
  async securityGroupOpenPort(group: Ref, port: number | string, protocol = "tcp", options: CallOptions = {}) {
    return this.createSecurityGroupRule(
      {
        security_group_id: idOf(group, "security group"),
        direction: "ingress",
        ethertype: "IPv4",
        remote_ip_prefix: "0.0.0.0/0",
        protocol,
        port_range_min: port,
        port_range_max: port,
      },
      options,
    );
  }
  /** openstacksdk's `security_group_allow_ping(sgid)`: ICMP in from anywhere (IPv4). */
  async securityGroupAllowPing(group: Ref, options: CallOptions = {}) {
    return this.createSecurityGroupRule(
      {
        security_group_id: idOf(group, "security group"),
        direction: "ingress",
        ethertype: "IPv4",
        remote_ip_prefix: "0.0.0.0/0",
        protocol: "icmp",
        port_range_min: null,
        port_range_max: null,
      },
      options,
    );
  }
  async deleteSecurityGroupRule(rule: Ref, options: CallOptions = {}): Promise<void> {
    await this.#securityGroupRules.delete(idOf(rule, "security group rule"), options);
  }

  // --- routers -------------------------------------------------------------------------------------

  routers(options: ListOptions = {}): Listing<Router> {
    return this.#routers.list(options);
  }
  async getRouter(router: Ref, options: CallOptions = {}): Promise<Router> {
    return this.#routers.get(idOf(router, "router"), options);
  }
  async findRouter(nameOrId: string, options: FindOptions = {}): Promise<Router | undefined> {
    return this.#routers.find(nameOrId, options);
  }
  async createRouter(attributes: RouterCreateAttributes = {}, options: CallOptions = {}): Promise<Router> {
    return this.#routers.create(attributes, options);
  }
  async updateRouter(router: Ref, changes: RouterAttributes, options: CallOptions = {}): Promise<Router> {
    return this.#routers.update(idOf(router, "router"), changes, options);
  }
  async deleteRouter(router: Ref, options: CallOptions = {}): Promise<void> {
    await this.#routers.delete(idOf(router, "router"), options);
  }
  /**
   * openstacksdk's `add_interface_to_router(router, subnet_id=None, port_id=None)`: positional ids, or
   * `{ subnet_id }` / `{ port_id }`. Exactly one of the two.
   */
  async addInterfaceToRouter(
    router: Ref,
    subnetId?: string | RouterInterfaceTarget,
    portId?: string,
    options: CallOptions = {},
  ): Promise<RouterInterface> {
    return this.#routers.action(
      idOf(router, "router"),
      "add_router_interface",
      interfaceBody(subnetId, portId),
      options,
    );
  }
  async removeInterfaceFromRouter(
    router: Ref,
    subnetId?: string | RouterInterfaceTarget,
    portId?: string,
    options: CallOptions = {},
  ): Promise<RouterInterface> {
    return this.#routers.action(
      idOf(router, "router"),
      "remove_router_interface",
      interfaceBody(subnetId, portId),
      options,
    );
  }
  /** Older openstacksdk's name of `addInterfaceToRouter`. */
  async routerAddInterface(router: Ref, subnetId?: string, portId?: string, options: CallOptions = {}) {
    return this.addInterfaceToRouter(router, subnetId, portId, options);
  }
  /** Older openstacksdk's name of `removeInterfaceFromRouter`. */
  async routerRemoveInterface(router: Ref, subnetId?: string, portId?: string, options: CallOptions = {}) {
    return this.removeInterfaceFromRouter(router, subnetId, portId, options);
  }
  /** Sets the router's gateway to an external network. */
  async addGatewayToRouter(router: Ref, network: Ref, options: CallOptions = {}): Promise<Router> {
    return this.updateRouter(router, { external_gateway_info: { network_id: idOf(network, "network") } }, options);
  }
  async removeGatewayFromRouter(router: Ref, options: CallOptions = {}): Promise<Router> {
    return this.updateRouter(router, { external_gateway_info: null }, options);
  }

  // --- floating IPs (openstacksdk calls them `ips`) ----------------------------------------------

  ips(options: ListOptions = {}): Listing<FloatingIp> {
    return this.#ips.list(options);
  }
  async getIp(ip: Ref, options: CallOptions = {}): Promise<FloatingIp> {
    return this.#ips.get(idOf(ip, "floating IP"), options);
  }
  async createIp(attributes: FloatingIpCreateAttributes, options: CallOptions = {}): Promise<FloatingIp> {
    return this.#ips.create(attributes, options);
  }
  /** Associates with a port (`{ port_id }`), or disassociates (`{ port_id: null }`). */
  async updateIp(ip: Ref, changes: FloatingIpAttributes, options: CallOptions = {}): Promise<FloatingIp> {
    return this.#ips.update(idOf(ip, "floating IP"), changes, options);
  }
  async deleteIp(ip: Ref, options: CallOptions = {}): Promise<void> {
    await this.#ips.delete(idOf(ip, "floating IP"), options);
  }
  /** openstacksdk's `find_available_ip`: a floating IP of the project's that no port uses, if any. */
  async findAvailableIp(options: CallOptions & { floating_network_id?: string } = {}): Promise<FloatingIp | undefined> {
    for await (const ip of this.#ips.list({
      floating_network_id: options.floating_network_id,
      signal: options.signal,
    })) {
      if (!ip.port_id) return ip;
    }
    return undefined;
  }

  // --- the CIDR pyrax shows on a network: its first subnet's -----------------------------------

  async #cidrOf(record: NetworkRecord, options: CallOptions): Promise<string | undefined> {
    const first = record.subnets?.[0];
    if (!first) return undefined;
    try {
      return (await this.#subnets.getRecord(first, options)).cidr;
    } catch (error) {
      // A subnet deleted between the two calls: the network has no CIDR to show.
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  // One subnet listing per page of networks, not one call per network.
  async #fillCidrs(networks: Network[], signal?: AbortSignal): Promise<void> {
    const firsts = networks.map((n) => n.subnets[0]).filter((id): id is string => id !== undefined);
    const cidrs = new Map<string, string>();
    // Ids in chunks, to keep each URL well under servers' limits.
    for (let i = 0; i < firsts.length; i += 50) {
      const chunk = firsts.slice(i, i + 50);
      for (const s of await this.#subnets.list({ id: chunk, fields: ["id", "cidr"], signal })) cidrs.set(s.id, s.cidr);
    }
    for (const network of networks) network.cidr = cidrs.get(network.subnets[0] ?? "");
  }
}

function interfaceBody(subnetOrTarget: string | RouterInterfaceTarget | undefined, portId?: string) {
  const { subnet_id: subnet, port_id: port } =
    typeof subnetOrTarget === "object" ? subnetOrTarget : { subnet_id: subnetOrTarget, port_id: portId };
  if ((subnet === undefined) === (port === undefined)) {
    throw new ValidationError("give exactly one of subnet_id and port_id for a router interface", {
      field: "subnet_id",
    });
  }
  return subnet === undefined ? { port_id: port! } : { subnet_id: subnet };
}
