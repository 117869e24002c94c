// Neutron routers (the L3 plugin): a gateway to an external network and interfaces on subnets.
import type { Kind, NeutronRecord } from "./collection.js";
import { NeutronResource } from "./resource.js";

/** A router's external gateway: the external network, SNAT, and its fixed IPs. */
export interface ExternalGatewayInfo {
  network_id: string;
  enable_snat?: boolean;
  external_fixed_ips?: { subnet_id?: string; ip_address?: string }[];
}

export interface RouterRecord extends NeutronRecord {
  name: string;
  status: string;
  admin_state_up: boolean;
  external_gateway_info: ExternalGatewayInfo | null;
  routes?: { destination: string; nexthop: string }[];
  distributed?: boolean;
  ha?: boolean;
  description?: string;
  project_id?: string;
}

/** The fields of a router that `update()` may change. */
export interface RouterAttributes {
  name?: string;
  description?: string;
  admin_state_up?: boolean;
  /** null removes the gateway. */
  external_gateway_info?: ExternalGatewayInfo | null;
  routes?: { destination: string; nexthop: string }[];
}

/** The fields of a router to create. */
export interface RouterCreateAttributes extends RouterAttributes {
  distributed?: boolean;
  ha?: boolean;
  availability_zone_hints?: string[];
  project_id?: string;
}

/** What add/remove_router_interface answer. */
export interface RouterInterface {
  id: string;
  subnet_id: string;
  subnet_ids?: string[];
  port_id: string;
  network_id?: string;
  project_id?: string;
}

/** Which interface: one on a subnet (the subnet's gateway address), or an existing port. */
export type RouterInterfaceTarget =
  { subnet_id: string; port_id?: undefined } | { port_id: string; subnet_id?: undefined };

const UPDATE_FIELDS = ["name", "description", "admin_state_up", "external_gateway_info", "routes"] as const;

/** A Neutron router: its external gateway, routes and interfaces to subnets. */
export class Router extends NeutronResource<RouterRecord, RouterAttributes> {
  get status(): string {
    return this.record.status;
  }
  get admin_state_up(): boolean {
    return this.record.admin_state_up;
  }
  get external_gateway_info(): ExternalGatewayInfo | null {
    return this.record.external_gateway_info ?? null;
  }
}

export const ROUTER_KIND: Kind<Router, RouterRecord> = {
  path: "routers",
  single: "router",
  label: "router",
  createFields: [...UPDATE_FIELDS, "distributed", "ha", "availability_zone_hints", "project_id"],
  updateFields: UPDATE_FIELDS,
  wrap: (collection, record) => new Router(collection, record),
};
