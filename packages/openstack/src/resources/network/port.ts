// Neutron ports: a server's or router's place on a network, with its fixed IPs and security groups.
import type { Kind, NeutronRecord } from "./collection.js";
import { NeutronResource } from "./resource.js";

/** A fixed IP of a port: the subnet and the address. */
export interface FixedIp {
  subnet_id?: string;
  ip_address?: string;
}

export interface PortRecord extends NeutronRecord {
  name: string;
  network_id: string;
  mac_address: string;
  fixed_ips: FixedIp[];
  device_id: string;
  device_owner: string;
  status: string;
  admin_state_up: boolean;
  security_groups: string[];
  port_security_enabled?: boolean;
  allowed_address_pairs?: { ip_address: string; mac_address?: string }[];
  "binding:host_id"?: string;
  "binding:vif_type"?: string;
  description?: string;
  project_id?: string;
}

/** Port fields a caller may change (Neutron's names). */
export interface PortAttributes {
  name?: string;
  description?: string;
  admin_state_up?: boolean;
  fixed_ips?: FixedIp[];
  device_id?: string;
  device_owner?: string;
  security_groups?: string[];
  port_security_enabled?: boolean;
  allowed_address_pairs?: { ip_address: string; mac_address?: string }[];
  "binding:host_id"?: string;
  "binding:profile"?: Record<string, unknown>;
  "binding:vnic_type"?: string;
  qos_policy_id?: string | null;
}

export interface PortCreateAttributes extends PortAttributes {
  network_id: string;
  mac_address?: string;
  project_id?: string;
}

const UPDATE_FIELDS = [
  "name",
  "description",
  "admin_state_up",
  "fixed_ips",
  "device_id",
  "device_owner",
  "security_groups",
  "port_security_enabled",
  "allowed_address_pairs",
  "binding:host_id",
  "binding:profile",
  "binding:vnic_type",
  "qos_policy_id",
] as const;

/** A Neutron port: a network attachment with its fixed IPs, MAC address and security groups. */
export class Port extends NeutronResource<PortRecord, PortAttributes> {
  get network_id(): string {
    return this.record.network_id;
  }
  get mac_address(): string {
    return this.record.mac_address;
  }
  get fixed_ips(): readonly FixedIp[] {
    return this.record.fixed_ips ?? [];
  }
  get device_id(): string {
    return this.record.device_id;
  }
  get device_owner(): string {
    return this.record.device_owner;
  }
  get status(): string {
    return this.record.status;
  }
  get security_groups(): readonly string[] {
    return this.record.security_groups ?? [];
  }
}

export const PORT_KIND: Kind<Port, PortRecord> = {
  path: "ports",
  single: "port",
  label: "port",
  createFields: [...UPDATE_FIELDS, "network_id", "mac_address", "project_id"],
  updateFields: UPDATE_FIELDS,
  wrap: (collection, record) => new Port(collection, record),
};
