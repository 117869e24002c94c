// Neutron floating IPs: an address of an external network, associated with a port or free.
import type { Kind, NeutronRecord } from "./collection.js";
import { NeutronResource } from "./resource.js";

export interface FloatingIpRecord extends NeutronRecord {
  floating_ip_address: string;
  floating_network_id: string;
  fixed_ip_address: string | null;
  port_id: string | null;
  router_id: string | null;
  status: string;
  description?: string;
  project_id?: string;
}

/** The fields of a floating IP that `update()` may change. */
export interface FloatingIpAttributes {
  /** The port to associate with; null disassociates. */
  port_id?: string | null;
  /** Which of the port's fixed addresses, when it has several. */
  fixed_ip_address?: string | null;
  description?: string;
}

/** The fields of a floating IP to create: its external network, plus what `update()` may change. */
export interface FloatingIpCreateAttributes extends FloatingIpAttributes {
  floating_network_id: string;
  floating_ip_address?: string;
  subnet_id?: string;
  project_id?: string;
}

/** A Neutron floating IP: its address, and the port it is associated with. */
export class FloatingIp extends NeutronResource<FloatingIpRecord, FloatingIpAttributes> {
  get floating_ip_address(): string {
    return this.record.floating_ip_address;
  }
  get floating_network_id(): string {
    return this.record.floating_network_id;
  }
  get fixed_ip_address(): string | null {
    return this.record.fixed_ip_address;
  }
  get port_id(): string | null {
    return this.record.port_id;
  }
  get router_id(): string | null {
    return this.record.router_id;
  }
  get status(): string {
    return this.record.status;
  }
}

export const FLOATING_IP_KIND: Kind<FloatingIp, FloatingIpRecord> = {
  path: "floatingips",
  single: "floatingip",
  label: "floating IP",
  createFields: [
    "floating_network_id",
    "floating_ip_address",
    "subnet_id",
    "port_id",
    "fixed_ip_address",
    "description",
    "project_id",
  ],
  updateFields: ["port_id", "fixed_ip_address", "description"],
  wrap: (collection, record) => new FloatingIp(collection, record),
};
