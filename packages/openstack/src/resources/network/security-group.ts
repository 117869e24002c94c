// Neutron security groups and their rules (rules cannot be changed, only created and deleted).
import { ValidationError } from "@nimbus-sdk/common";
import type { Kind, NeutronRecord } from "./collection.js";
import { NeutronResource } from "./resource.js";

export interface SecurityGroupRuleRecord extends NeutronRecord {
  security_group_id: string;
  direction: "ingress" | "egress";
  ethertype: "IPv4" | "IPv6";
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  description?: string;
  project_id?: string;
}

export interface SecurityGroupRecord extends NeutronRecord {
  name: string;
  description: string;
  security_group_rules: SecurityGroupRuleRecord[];
  stateful?: boolean;
  project_id?: string;
}

/** The fields of a security group that `update()` may change. */
export interface SecurityGroupAttributes {
  name?: string;
  description?: string;
  stateful?: boolean;
}

/** The fields of a security group to create. */
export interface SecurityGroupCreateAttributes extends SecurityGroupAttributes {
  project_id?: string;
}

/** The fields of a security group rule to create: group, direction, protocol, ports and remote. */
export interface SecurityGroupRuleCreateAttributes {
  security_group_id: string;
  direction: "ingress" | "egress";
  /** Default IPv4. */
  ethertype?: "IPv4" | "IPv6";
  /** tcp, udp, icmp … or a protocol number; none: any protocol. */
  protocol?: string | number | null;
  /** A port number (a string of digits too, as openstacksdk passes them). */
  port_range_min?: number | string | null;
  port_range_max?: number | string | null;
  remote_ip_prefix?: string | null;
  remote_group_id?: string | null;
  description?: string;
  project_id?: string;
}

/** One rule of a Neutron security group: direction, protocol, ports and remote. */
export class SecurityGroupRule extends NeutronResource<SecurityGroupRuleRecord, never> {
  get security_group_id(): string {
    return this.record.security_group_id;
  }
  get direction(): "ingress" | "egress" {
    return this.record.direction;
  }
  get ethertype(): "IPv4" | "IPv6" {
    return this.record.ethertype;
  }
  get protocol(): string | null {
    return this.record.protocol;
  }
  get port_range_min(): number | null {
    return this.record.port_range_min;
  }
  get port_range_max(): number | null {
    return this.record.port_range_max;
  }
  get remote_ip_prefix(): string | null {
    return this.record.remote_ip_prefix;
  }
  get remote_group_id(): string | null {
    return this.record.remote_group_id;
  }
}

/** A Neutron security group and its rules. */
export class SecurityGroup extends NeutronResource<SecurityGroupRecord, SecurityGroupAttributes> {
  /** The group's rules as last received. */
  get security_group_rules(): readonly SecurityGroupRuleRecord[] {
    return this.record.security_group_rules ?? [];
  }
}

/** Checks a rule before sending: a direction, and ports that are whole numbers 0-65535 in order. */
export function securityGroupRuleBody(
  attributes: SecurityGroupRuleCreateAttributes,
): SecurityGroupRuleCreateAttributes {
  if (attributes?.direction !== "ingress" && attributes?.direction !== "egress") {
    throw new ValidationError(`createSecurityGroupRule: direction must be "ingress" or "egress"`, {
      field: "direction",
    });
  }
  const port = (field: "port_range_min" | "port_range_max") => {
    const value = attributes[field];
    if (value === undefined || value === null) return value;
    const number = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof number !== "number" || !Number.isInteger(number) || number < 0 || number > 65535) {
      throw new ValidationError(`createSecurityGroupRule: ${field} must be a port number 0-65535`, { field });
    }
    return number;
  };
  const min = port("port_range_min");
  const max = port("port_range_max");
  if (typeof min === "number" && typeof max === "number" && min > max) {
    throw new ValidationError("createSecurityGroupRule: port_range_min is larger than port_range_max", {
      field: "port_range_min",
    });
  }
  const protocol = typeof attributes.protocol === "number" ? String(attributes.protocol) : attributes.protocol;
  return { ...attributes, protocol, port_range_min: min, port_range_max: max };
}

export const SECURITY_GROUP_KIND: Kind<SecurityGroup, SecurityGroupRecord> = {
  path: "security-groups",
  single: "security_group",
  label: "security group",
  createFields: ["name", "description", "stateful", "project_id"],
  updateFields: ["name", "description", "stateful"],
  wrap: (collection, record) => new SecurityGroup(collection, record),
};

export const SECURITY_GROUP_RULE_KIND: Kind<SecurityGroupRule, SecurityGroupRuleRecord> = {
  path: "security-group-rules",
  single: "security_group_rule",
  label: "security group rule",
  createFields: [
    "security_group_id",
    "direction",
    "ethertype",
    "protocol",
    "port_range_min",
    "port_range_max",
    "remote_ip_prefix",
    "remote_group_id",
    "description",
    "project_id",
  ],
  updateFields: [],
  wrap: (collection, record) => new SecurityGroupRule(collection, record),
};
