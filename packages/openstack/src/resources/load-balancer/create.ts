// pyrax's `create(name, port, protocol, nodes, virtual_ips, algorithm, …)` on Octavia: its arguments, and
// the plan of Octavia objects it becomes (load balancer, listener, pool, members, health monitor).
import { callArgs } from "../../arguments.js";
import {
  InvalidLoadBalancerParameters,
  InvalidSessionPersistenceType,
  MissingHealthMonitorSettings,
  MissingLoadBalancerParameters,
  ProtocolMismatch,
} from "../../errors.js";
import type { CallOptions, HealthMonitorOptions } from "./load-balancer.js";
import { healthMonitorBody, octaviaAlgorithm, octaviaProtocol } from "./mapping.js";
import type { Node, VirtualIP } from "./node.js";

/** pyrax's `create(name, port, protocol, nodes, virtual_ips, algorithm, ...)` keywords. */
export interface LoadBalancerCreateOptions extends CallOptions {
  port?: number;
  protocol?: string;
  nodes?: Node | Node[];
  virtualIps?: VirtualIP | VirtualIP[];
  algorithm?: string;
  halfClosed?: boolean;
  accessList?: { address: string; type: string }[];
  connectionLogging?: boolean | { enabled: boolean };
  connectionThrottle?: {
    maxConnections?: number;
    maxConnectionRate?: number;
    minConnections?: number;
    rateInterval?: number;
  };
  healthMonitor?: HealthMonitorOptions & { type: string };
  metadata?: Record<string, string> | { key: string; value: string }[] | null;
  timeout?: number;
  sessionPersistence?: string | { persistenceType: string };
  httpsRedirect?: boolean;
}
const CREATE_ARGS = ["port", "protocol", "nodes", "virtualIps", "algorithm"] as const;
const CREATE_KNOWN = [
  ...CREATE_ARGS,
  "halfClosed",
  "accessList",
  "connectionLogging",
  "connectionThrottle",
  "healthMonitor",
  "metadata",
  "timeout",
  "sessionPersistence",
  "httpsRedirect",
];

/** The subnet (or network) each pyrax VIP type takes its address from on OpenStack. */
export type VipSubnets = Partial<Record<"PUBLIC" | "SERVICENET", string | { networkId: string }>>;

/** What create sends to Octavia, step by step; everything Octavia cannot keep refused by name first. */
export function createPlan(name: string, o: LoadBalancerCreateOptions, vips: VirtualIP[], vipSubnets: VipSubnets) {
  const refuse = (field: string, why: string) => new InvalidLoadBalancerParameters(`${field}: ${why}`, { field });
  if (vips.length > 1) throw refuse("virtualIps", "an Octavia load balancer has one VIP");
  if (o.halfClosed) throw refuse("halfClosed", "Octavia has no half-closed connections");
  if (o.httpsRedirect) throw refuse("httpsRedirect", "use an L7 policy (REDIRECT_PREFIX) on an HTTP listener instead");
  const logging = typeof o.connectionLogging === "object" ? o.connectionLogging.enabled : o.connectionLogging;
  if (logging) throw refuse("connectionLogging", "Octavia has no per-load-balancer connection logging");
  // Scripts pass metadata=None or an empty list when they have none.
  if (o.metadata && Object.keys(o.metadata).length) throw refuse("metadata", "Octavia keeps no metadata (tags only)");
  const throttle = o.connectionThrottle ?? {};
  for (const key of Object.keys(throttle)) {
    if (key !== "maxConnections")
      throw refuse(`connectionThrottle.${key}`, "Octavia limits connections only (maxConnections)");
  }
  const denied = (o.accessList ?? []).filter((a) => a.type.toUpperCase() !== "ALLOW");
  if (denied.length)
    throw refuse("accessList", "Octavia allows listed CIDRs only (type ALLOW); DENY has no equivalent");
  const protocol = octaviaProtocol(o.protocol!);
  const persistence =
    typeof o.sessionPersistence === "object" ? o.sessionPersistence.persistenceType : o.sessionPersistence;
  const timeoutMs = o.timeout === undefined ? undefined : o.timeout * 1000;
  return {
    lb: { name, ...vipFields(vips[0]!, vipSubnets) },
    listener: {
      name,
      protocol,
      protocol_port: o.port,
      connection_limit: throttle.maxConnections,
      timeout_client_data: timeoutMs,
      timeout_member_data: timeoutMs,
      allowed_cidrs: o.accessList?.length ? o.accessList.map((a) => a.address) : undefined,
    },
    pool: {
      name,
      protocol,
      lb_algorithm: octaviaAlgorithm(o.algorithm),
      session_persistence: persistence ? { type: sessionPersistenceType(persistence) } : undefined,
    },
    healthMonitor: o.healthMonitor ? healthMonitorSettings(o.healthMonitor, protocol) : undefined,
  };
}

/** A VirtualIP as Octavia's vip_* fields: its port, subnet or network, else the one configured for its type. */
export function vipFields(vip: VirtualIP, vipSubnets: VipSubnets): Record<string, string> {
  if (vip.portId ?? vip.id) return { vip_port_id: (vip.portId ?? vip.id)! };
  if (vip.subnetId) return { vip_subnet_id: vip.subnetId, ...(vip.address ? { vip_address: vip.address } : {}) };
  if (vip.networkId) return { vip_network_id: vip.networkId };
  const configured = vipSubnets[vip.type.toUpperCase() as "PUBLIC" | "SERVICENET"];
  if (typeof configured === "string") return { vip_subnet_id: configured };
  if (configured) return { vip_network_id: configured.networkId };
  throw new MissingLoadBalancerParameters(
    `no subnet for a ${vip.type} VIP on OpenStack: give VirtualIP({ type, subnetId }) or call clb.setVipSubnet("${vip.type}", subnetId)`,
    { field: "virtualIps" },
  );
}

/** pyrax's checks of a health monitor: a type, and HTTP(S) only on a load balancer of that protocol. */
export function checkHealthMonitor(settings: HealthMonitorOptions, protocol: string | undefined): string {
  if (!settings.type)
    throw new MissingHealthMonitorSettings("a health monitor needs a type (CONNECT, HTTP or HTTPS)", {
      field: "type",
    });
  const type = settings.type.toUpperCase();
  if (type.startsWith("HTTP") && protocol !== undefined && type !== protocol) {
    throw new ProtocolMismatch(
      `Cannot set the Health Monitor type to '${settings.type}' when the Load Balancer's protocol is '${protocol}'.`,
      {
        field: "type",
      },
    );
  }
  return type;
}

/** pyrax's health monitor settings, with its defaults and checks, as Octavia's fields. */
export function healthMonitorSettings(
  settings: HealthMonitorOptions,
  protocol: string | undefined,
): Record<string, unknown> {
  const type = checkHealthMonitor(settings, protocol);
  return healthMonitorBody(
    { delay: 10, timeout: 10, attemptsBeforeDeactivation: 3, path: "/", ...settings, type },
    protocol,
  );
}

export function createArgs(args: unknown[]): LoadBalancerCreateOptions {
  // Positional nodes and VIPs are objects or arrays, which callArgs takes for an options object: pull them out first.
  const positional: Record<string, unknown> = {};
  const rest = [...args];
  for (const field of CREATE_ARGS) {
    const value = rest[0];
    if (value === undefined || (isPlain(value) && !Array.isArray(value))) break;
    positional[field] = rest.shift();
  }
  const options = callArgs<LoadBalancerCreateOptions>("create", rest, [], CREATE_KNOWN as never);
  for (const field of Object.keys(positional)) {
    if (field in options) throw new InvalidLoadBalancerParameters(`create: ${field} was given twice`, { field });
  }
  const all = { ...positional, ...options } as LoadBalancerCreateOptions;
  if (all.port !== undefined && typeof all.port !== "number") {
    throw new InvalidLoadBalancerParameters(`create: port must be a number, not ${JSON.stringify(all.port)}`, {
      field: "port",
    });
  }
  return all;
}

function isPlain(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)
  );
}

export function sessionPersistenceType(value: string): "HTTP_COOKIE" | "SOURCE_IP" {
  const type = value.toUpperCase();
  if (type !== "HTTP_COOKIE" && type !== "SOURCE_IP") {
    throw new InvalidSessionPersistenceType(
      `Session Persistence must be one of 'HTTP_COOKIE' or 'SOURCE_IP'. '${value}' is not a valid setting.`,
      { field: "sessionPersistence" },
    );
  }
  return type;
}
