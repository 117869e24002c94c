// pyrax's Node and VirtualIP: plain values a script builds (`clb.Node({ address, port })`) and the
// load balancer hands back, each knowing its load balancer (`parent`) once attached.
import { callArgs } from "../../arguments.js";
import {
  InvalidNodeCondition,
  InvalidNodeParameters,
  InvalidVirtualIPType,
  InvalidVirtualIPVersion,
  UnattachedNode,
  UnattachedVirtualIP,
} from "../../errors.js";

/** A node's condition: ENABLED, DISABLED or DRAINING. */
export type NodeCondition = "ENABLED" | "DISABLED" | "DRAINING";
/** A node's type: PRIMARY, or SECONDARY (used only when no primary is up). */
export type NodeType = "PRIMARY" | "SECONDARY";

/** What a node's owner does for it (a CloudLoadBalancer). */
export interface NodeParent {
  readonly id: string;
  deleteNode(node: Node, options?: { signal?: AbortSignal }): Promise<void>;
  updateNode(node: Node, diff?: NodeChanges, options?: { signal?: AbortSignal }): Promise<void>;
  deleteVirtualip(vip: VirtualIP, options?: { signal?: AbortSignal }): Promise<void>;
}

/** What the Node constructor takes (pyrax's `Node(address, port, condition, weight, status, parent, type, id)`). */
export interface NodeOptions {
  address?: string;
  port?: number;
  /** ENABLED (default), DISABLED or DRAINING. */
  condition?: NodeCondition | string;
  /** 1 by default. */
  weight?: number;
  /** PRIMARY (default) or SECONDARY: a backup node, used only when no primary is up. */
  type?: NodeType | string;
  status?: string;
  id?: string;
  parent?: NodeParent;
}

/** What `update` sends: the attributes changed since the node was made or last updated. */
export type NodeChanges = Partial<Pick<Node, "condition" | "weight" | "type">>;

const NODE_ARGS = ["address", "port", "condition", "weight", "status", "parent", "type", "id"] as const;

/** pyrax's Node: a back-end address and port of a load balancer, with its condition, weight and type. */
export class Node {
  address: string;
  port: number;
  condition: string;
  weight: number;
  type?: string;
  status?: string;
  id?: string;
  parent?: NodeParent;
  #original: NodeChanges;

  /** pyrax's `Node(address, port, condition, weight, status, parent, type, id)`, or one options object. */
  constructor(...args: [options?: NodeOptions] | [address: string, port: number, ...rest: unknown[]]) {
    const o = callArgs<NodeOptions>("Node", args, [...NODE_ARGS], [...NODE_ARGS], { port: "number", weight: "number" });
    if (!o.address || !o.port) {
      throw new InvalidNodeParameters("You must include an address and a port when creating a node.", {});
    }
    this.address = o.address;
    this.port = o.port;
    this.condition = o.condition ?? "ENABLED";
    this.weight = o.weight ?? 1;
    this.status = o.status;
    this.parent = o.parent;
    this.type = o.type;
    this.id = o.id;
    this.#original = this.#state();
  }

  #state(): NodeChanges {
    return { condition: this.condition, weight: this.weight, type: this.type };
  }

  /** pyrax's `to_dict`: what the API is sent. */
  toDict(): { address: string; port: number; condition: string; type?: string; id?: string; weight: number } {
    return {
      address: this.address,
      port: this.port,
      condition: this.condition,
      type: this.type,
      id: this.id,
      weight: this.weight,
    };
  }

  toJSON(): object {
    return { ...this.toDict(), status: this.status };
  }

  /** The attributes changed since the node was made (pyrax's `_diff`). */
  diff(): NodeChanges {
    const now = this.#state();
    const changes: NodeChanges = {};
    for (const key of Object.keys(now) as (keyof NodeChanges)[]) {
      if (now[key] !== this.#original[key]) (changes as Record<string, unknown>)[key] = now[key];
    }
    return changes;
  }

  /** Marks the current values as the ones the service holds. */
  markSaved(): void {
    this.#original = this.#state();
  }

  #attached(): NodeParent {
    if (!this.parent) throw new UnattachedNode("No parent Load Balancer for this node could be determined.");
    return this.parent;
  }

  /** Pushes local changes (condition, weight, type) to the load balancer; nothing is sent when there are none. */
  async update(options: { signal?: AbortSignal } = {}): Promise<void> {
    const parent = this.#attached();
    const changes = this.diff();
    if (Object.keys(changes).length === 0) return;
    await parent.updateNode(this, changes, options);
  }

  /** Removes this node from its load balancer. */
  async delete(options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.#attached().deleteNode(this, options);
  }
}

/** Checks a node's condition as pyrax does before sending it. */
export function checkCondition(condition: string, allowDraining: boolean): void {
  const allowed = allowDraining ? ["ENABLED", "DISABLED", "DRAINING"] : ["ENABLED", "DISABLED"];
  if (!allowed.includes(condition.toUpperCase())) {
    throw new InvalidNodeCondition(
      `Nodes must be in one of the conditions ${allowed.join(", ")}; received ${JSON.stringify(condition)}`,
      { field: "condition" },
    );
  }
}

/** What the VirtualIP constructor takes (pyrax's `VirtualIP(type, address, ipVersion, id, parent)`). */
export interface VirtualIPOptions {
  /** PUBLIC (default) or SERVICENET. */
  type?: string;
  address?: string;
  /** IPV4 (default) or IPV6. */
  ipVersion?: string;
  /** Rackspace's VIP ids are numbers (`id=999`); kept as a string. */
  id?: string | number;
  parent?: NodeParent;
  /** OpenStack: the subnet to take the VIP from (else the client's `vipSubnets[type]`). */
  subnetId?: string;
  /** OpenStack: the network to take the VIP from, instead of a subnet. */
  networkId?: string;
  /** OpenStack: an existing port to use as the VIP. */
  portId?: string;
}

const VIP_ARGS = ["type", "address", "ipVersion", "id", "parent"] as const;

/** pyrax's VirtualIP: a load balancer's virtual IP (PUBLIC or SERVICENET, IPV4 or IPV6). */
export class VirtualIP {
  type: string;
  address?: string;
  ip_version: string;
  id?: string;
  parent?: NodeParent;
  subnetId?: string;
  networkId?: string;
  portId?: string;

  /** pyrax's `VirtualIP(type, address, ipVersion, id, parent)`, or one options object. */
  constructor(...args: [options?: VirtualIPOptions] | [type: string, ...rest: unknown[]]) {
    const o = callArgs<VirtualIPOptions>(
      "VirtualIP",
      args,
      [...VIP_ARGS],
      [...VIP_ARGS, "subnetId", "networkId", "portId"],
    );
    const type = o.type ?? "PUBLIC";
    if (!["PUBLIC", "SERVICENET"].includes(type.toUpperCase())) {
      throw new InvalidVirtualIPType(
        `Virtual IPs must be one of 'PUBLIC' or 'SERVICENET' type; '${type}' is not valid.`,
        {
          field: "type",
        },
      );
    }
    const version = o.ipVersion ?? "IPV4";
    if (!["IPV4", "IPV6"].includes(version.toUpperCase())) {
      throw new InvalidVirtualIPVersion(
        `Virtual IP versions must be one of 'IPV4' or 'IPV6'; '${version}' is not valid.`,
        {
          field: "ipVersion",
        },
      );
    }
    this.type = type;
    this.address = o.address;
    this.ip_version = version;
    this.id = o.id === undefined ? undefined : String(o.id);
    this.parent = o.parent;
    this.subnetId = o.subnetId;
    this.networkId = o.networkId;
    this.portId = o.portId;
  }

  /** pyrax's `to_dict`: an existing VIP by id, a new one by type and version. */
  toDict(): { id: string } | { type: string; ipVersion: string } {
    return this.id ? { id: this.id } : { type: this.type, ipVersion: this.ip_version };
  }

  toJSON(): object {
    return { type: this.type, address: this.address, ipVersion: this.ip_version, id: this.id };
  }

  async delete(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (!this.parent) throw new UnattachedVirtualIP("No parent Load Balancer for this VirtualIP could be determined.");
    await this.parent.deleteVirtualip(this, options);
  }
}
