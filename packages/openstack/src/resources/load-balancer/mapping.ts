// pyrax's one-object load balancer (Rackspace Cloud Load Balancers v1.0) against Octavia's load
// balancer + listener + pool + members + health monitor: each value both ways, and what has no
// equivalent refused by name (docs/decisions/0015 has the table).
import { InvalidLoadBalancerParameters } from "../../errors.js";
import type {
  HealthMonitorRecord,
  ListenerRecord,
  LoadBalancerRecord,
  MemberRecord,
  PoolRecord,
  ProvisioningStatus,
} from "./native.js";

/** A load balancer as Rackspace's API shows it, the shape CloudLoadBalancer is built from on either wire. */
export interface LoadBalancerInfo {
  id: string;
  name: string;
  status: string;
  protocol?: string;
  port?: number;
  algorithm?: string;
  timeout?: number;
  halfClosed?: boolean;
  nodeCount?: number;
  nodes?: NodeInfo[];
  virtualIps?: VirtualIpInfo[];
  sessionPersistence?: { persistenceType: string };
  connectionLogging?: { enabled: boolean };
  healthMonitor?: HealthMonitorInfo;
  created?: { time: string };
  updated?: { time: string };
}

/** A node as Rackspace Cloud Load Balancers describes it (`GET /loadbalancers/{id}/nodes`). */
export interface NodeInfo {
  id: string;
  address: string;
  port: number;
  condition: string;
  status?: string;
  weight?: number;
  type?: string;
}

/** A virtual IP as Rackspace Cloud Load Balancers describes it (`GET /loadbalancers/{id}/virtualips`). */
export interface VirtualIpInfo {
  id?: string;
  address?: string;
  type: string;
  ipVersion: string;
}

/** pyrax's health monitor dict: `{ type, delay, timeout, attemptsBeforeDeactivation, path, statusRegex, bodyRegex, hostHeader }`. */
export interface HealthMonitorInfo {
  type: string;
  delay: number;
  timeout: number;
  attemptsBeforeDeactivation: number;
  path?: string;
  statusRegex?: string;
  bodyRegex?: string;
  hostHeader?: string;
}

/** The Octavia objects that together are one pyrax load balancer. */
export interface LoadBalancerParts {
  lb: LoadBalancerRecord;
  listener?: ListenerRecord;
  pool?: PoolRecord;
  members?: MemberRecord[];
  healthmonitor?: HealthMonitorRecord;
}

// Rackspace calls PENDING_CREATE "BUILD"; the other states have the same names.
export function rackspaceStatus(status: ProvisioningStatus | undefined): string {
  return status === "PENDING_CREATE" ? "BUILD" : (status ?? "UNKNOWN");
}

/** Octavia's algorithms (ROUND_ROBIN honours member weights, so WEIGHTED_* fold into the plain ones). */
export const OCTAVIA_ALGORITHMS = ["ROUND_ROBIN", "LEAST_CONNECTIONS", "SOURCE_IP", "SOURCE_IP_PORT"] as const;
const ALGORITHMS: Record<string, string> = {
  ROUND_ROBIN: "ROUND_ROBIN",
  WEIGHTED_ROUND_ROBIN: "ROUND_ROBIN",
  LEAST_CONNECTIONS: "LEAST_CONNECTIONS",
  WEIGHTED_LEAST_CONNECTIONS: "LEAST_CONNECTIONS",
  SOURCE_IP: "SOURCE_IP",
  SOURCE_IP_PORT: "SOURCE_IP_PORT",
};

export function octaviaAlgorithm(algorithm: string | undefined): string {
  if (algorithm === undefined) return "ROUND_ROBIN";
  const mapped = ALGORITHMS[algorithm.toUpperCase()];
  if (!mapped) {
    throw new InvalidLoadBalancerParameters(
      `algorithm ${JSON.stringify(algorithm)} has no Octavia equivalent (RANDOM neither); use one of ${Object.keys(ALGORITHMS).join(", ")}`,
      { field: "algorithm" },
    );
  }
  return mapped;
}

/** Octavia's listener protocols; Rackspace's application protocols over TCP or UDP balance as those. */
export const OCTAVIA_PROTOCOLS = ["HTTP", "HTTPS", "TCP", "UDP"] as const;
const TCP_BASED = [
  "DNS_TCP",
  "FTP",
  "IMAPS",
  "IMAPV4",
  "LDAP",
  "LDAPS",
  "MYSQL",
  "POP3",
  "POP3S",
  "SFTP",
  "SMTP",
  "TCP_CLIENT_FIRST",
];
const UDP_BASED = ["DNS_UDP", "UDP_STREAM"];

export function octaviaProtocol(protocol: string): string {
  const p = protocol.toUpperCase();
  if ((OCTAVIA_PROTOCOLS as readonly string[]).includes(p)) return p;
  if (TCP_BASED.includes(p)) return "TCP";
  if (UDP_BASED.includes(p)) return "UDP";
  throw new InvalidLoadBalancerParameters(
    `protocol ${JSON.stringify(protocol)} is unknown; use one of ${[...OCTAVIA_PROTOCOLS, ...TCP_BASED, ...UDP_BASED].join(", ")}`,
    { field: "protocol" },
  );
}

/** A pyrax node as an Octavia member: DISABLED is admin_state_up false, DRAINING weight 0, SECONDARY a backup. */
export function memberBody(node: { address: string; port: number; condition: string; weight: number; type?: string }) {
  const condition = node.condition.toUpperCase();
  return {
    address: node.address,
    protocol_port: node.port,
    weight: condition === "DRAINING" ? 0 : node.weight,
    admin_state_up: condition !== "DISABLED",
    backup: node.type?.toUpperCase() === "SECONDARY",
  };
}

/** Only what changed: a node's condition, weight or type as member fields. */
export function memberChanges(
  changes: { condition?: string; weight?: number; type?: string },
  weight: number,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (changes.condition !== undefined) {
    const condition = changes.condition.toUpperCase();
    body.admin_state_up = condition !== "DISABLED";
    body.weight = condition === "DRAINING" ? 0 : (changes.weight ?? weight);
  } else if (changes.weight !== undefined) body.weight = changes.weight;
  if (changes.type !== undefined) body.backup = changes.type.toUpperCase() === "SECONDARY";
  return body;
}

export function nodeInfo(member: MemberRecord): NodeInfo {
  return {
    id: member.id,
    address: member.address,
    port: member.protocol_port,
    condition: !member.admin_state_up ? "DISABLED" : member.weight === 0 ? "DRAINING" : "ENABLED",
    weight: member.weight,
    type: member.backup ? "SECONDARY" : "PRIMARY",
    status: member.operating_status,
  };
}

// ----------------------------------------------------------------------------- health monitors

const HTTP_CODES = Array.from({ length: 500 }, (_, i) => i + 100);

/** Rackspace's `statusRegex` as Octavia's `expected_codes` ("200-399", "200,202"): the codes it matches. */
export function expectedCodes(statusRegex: string): string {
  let pattern: RegExp;
  try {
    pattern = new RegExp(statusRegex);
  } catch (cause) {
    throw new InvalidLoadBalancerParameters(`statusRegex ${JSON.stringify(statusRegex)} is no regular expression`, {
      field: "statusRegex",
      cause,
    });
  }
  const codes = HTTP_CODES.filter((c) => pattern.test(String(c)));
  const refuse = (why: string) =>
    new InvalidLoadBalancerParameters(`statusRegex ${JSON.stringify(statusRegex)} ${why}`, { field: "statusRegex" });
  if (codes.length === 0) throw refuse("matches no HTTP status code");
  const contiguous = codes[codes.length - 1]! - codes[0]! === codes.length - 1;
  if (codes.length === 1) return String(codes[0]);
  if (contiguous) return `${codes[0]}-${codes[codes.length - 1]}`;
  const list = codes.join(",");
  // Octavia stores at most 64 characters.
  if (list.length > 64) throw refuse("matches codes Octavia cannot list (one range, or a few codes)");
  return list;
}

/** Octavia's `expected_codes` back as a regular expression for `statusRegex`. */
export function statusRegex(codes: string | null | undefined): string | undefined {
  if (!codes) return undefined;
  const range = /^(\d{3})-(\d{3})$/.exec(codes);
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    if (from % 100 === 0 && to % 100 === 99) {
      const first = Math.floor(from / 100);
      const last = Math.floor(to / 100);
      return first === last ? `^${first}[0-9][0-9]$` : `^[${first}-${last}][0-9][0-9]$`;
    }
    return `^(${Array.from({ length: to - from + 1 }, (_, i) => from + i).join("|")})$`;
  }
  const list = codes.split(/\s*,\s*/);
  return list.length === 1 ? `^${list[0]}$` : `^(${list.join("|")})$`;
}

// A bodyRegex that matches any body asks nothing Octavia could check.
const ANY_BODY = new Set(["", ".*", "^.*$", ".*$", "^.*"]);

/** pyrax's health monitor settings as Octavia's; `poolProtocol` picks UDP-CONNECT for a UDP pool. */
export function healthMonitorBody(hm: HealthMonitorInfo, poolProtocol?: string): Record<string, unknown> {
  const type = hm.type.toUpperCase();
  const octaviaType = type === "CONNECT" ? (poolProtocol === "UDP" ? "UDP-CONNECT" : "TCP") : type;
  if (!["TCP", "UDP-CONNECT", "HTTP", "HTTPS"].includes(octaviaType)) {
    throw new InvalidLoadBalancerParameters(
      `health monitor type ${JSON.stringify(hm.type)}: use CONNECT, HTTP or HTTPS`,
      {
        field: "type",
      },
    );
  }
  if (hm.bodyRegex !== undefined && !ANY_BODY.has(hm.bodyRegex)) {
    throw new InvalidLoadBalancerParameters(
      `bodyRegex ${JSON.stringify(hm.bodyRegex)}: Octavia's health monitors check status codes only, not bodies`,
      { field: "bodyRegex" },
    );
  }
  const body: Record<string, unknown> = {
    type: octaviaType,
    delay: hm.delay,
    timeout: hm.timeout,
    max_retries: hm.attemptsBeforeDeactivation,
  };
  if (octaviaType.startsWith("HTTP")) {
    body.url_path = hm.path ?? "/";
    if (hm.statusRegex !== undefined) body.expected_codes = expectedCodes(hm.statusRegex);
    if (hm.hostHeader !== undefined) {
      body.http_version = 1.1;
      body.domain_name = hm.hostHeader;
    }
  }
  return body;
}

export function healthMonitorInfo(hm: HealthMonitorRecord): HealthMonitorInfo {
  const http = hm.type.startsWith("HTTP");
  return {
    type: hm.type === "TCP" || hm.type === "UDP-CONNECT" ? "CONNECT" : hm.type,
    delay: hm.delay,
    timeout: hm.timeout,
    attemptsBeforeDeactivation: hm.max_retries,
    ...(http
      ? {
          path: hm.url_path ?? "/",
          statusRegex: statusRegex(hm.expected_codes),
          ...(hm.domain_name ? { hostHeader: hm.domain_name } : {}),
        }
      : {}),
  };
}

// ----------------------------------------------------------------------------- the whole load balancer

/** One pyrax load balancer from its Octavia parts; `vipType` says whether its VIP subnet is SERVICENET's. */
export function loadBalancerInfo(
  parts: LoadBalancerParts,
  vipType: (lb: LoadBalancerRecord) => string,
): LoadBalancerInfo {
  const { lb, listener, pool, members, healthmonitor } = parts;
  const timeout = listener?.timeout_client_data;
  return {
    id: lb.id,
    name: lb.name,
    status: rackspaceStatus(lb.provisioning_status),
    protocol: listener?.protocol,
    port: listener?.protocol_port,
    algorithm: pool?.lb_algorithm,
    timeout: typeof timeout === "number" ? Math.round(timeout / 1000) : undefined,
    halfClosed: false,
    nodeCount: members?.length ?? pool?.members.length ?? 0,
    nodes: members?.map(nodeInfo),
    virtualIps: lb.vip_address
      ? [
          {
            id: lb.vip_port_id,
            address: lb.vip_address,
            type: vipType(lb),
            ipVersion: lb.vip_address.includes(":") ? "IPV6" : "IPV4",
          },
        ]
      : [],
    sessionPersistence: pool?.session_persistence ? { persistenceType: pool.session_persistence.type } : undefined,
    connectionLogging: { enabled: false },
    healthMonitor: healthmonitor ? healthMonitorInfo(healthmonitor) : undefined,
    created: lb.created_at ? { time: lb.created_at } : undefined,
    updated: lb.updated_at ? { time: lb.updated_at } : undefined,
  };
}
