// Octavia v2's own objects for an openstacksdk user (conn.load_balancer.*): load balancers, listeners,
// pools, members, health monitors, L7 policies and rules. Octavia speaks Neutron's conventions (a
// singular JSON key, `*_links` paging, `sort_key`/`sort_dir`, filters by field), so each kind is a
// NeutronCollection over `/v2/lbaas/`; objects keep Octavia's field names.
import { waitUntil, type Transport } from "@nimbus-sdk/common";
import { checkOptions } from "../../arguments.js";
import { UnexpectedStatus } from "../../errors.js";
import { NeutronCollection, type Kind, type NeutronRecord } from "../network/collection.js";
import { NeutronResource } from "../network/resource.js";

/** Octavia's provisioning_status: where the worker is with the object's last change. */
export type ProvisioningStatus =
  "ACTIVE" | "DELETED" | "ERROR" | "PENDING_CREATE" | "PENDING_UPDATE" | "PENDING_DELETE";

export interface OctaviaRecord extends NeutronRecord {
  provisioning_status?: ProvisioningStatus;
  operating_status?: string;
}

/** An Octavia load balancer as the API describes it (`GET /v2/lbaas/loadbalancers/{id}`). */
export interface LoadBalancerRecord extends OctaviaRecord {
  name: string;
  vip_address?: string;
  vip_port_id?: string;
  vip_subnet_id?: string;
  vip_network_id?: string;
  listeners: { id: string }[];
  pools: { id: string }[];
  provider?: string;
  created_at?: string;
  updated_at?: string;
}

/** An Octavia listener as the API describes it (`GET /v2/lbaas/listeners/{id}`). */
export interface ListenerRecord extends OctaviaRecord {
  protocol: string;
  protocol_port: number;
  default_pool_id?: string | null;
  connection_limit?: number;
  timeout_client_data?: number;
  timeout_member_data?: number;
  allowed_cidrs?: string[] | null;
  loadbalancers?: { id: string }[];
}

/** An Octavia pool's session persistence: its type and, for APP_COOKIE, the cookie's name. */
export interface SessionPersistence {
  type: "HTTP_COOKIE" | "SOURCE_IP" | "APP_COOKIE";
  cookie_name?: string;
}

/** An Octavia pool as the API describes it (`GET /v2/lbaas/pools/{id}`). */
export interface PoolRecord extends OctaviaRecord {
  protocol: string;
  lb_algorithm: string;
  session_persistence?: SessionPersistence | null;
  healthmonitor_id?: string | null;
  members: { id: string }[];
  listeners?: { id: string }[];
  loadbalancers?: { id: string }[];
}

/** An Octavia pool member as the API describes it (`GET /v2/lbaas/pools/{id}/members/{member_id}`). */
export interface MemberRecord extends OctaviaRecord {
  address: string;
  protocol_port: number;
  weight: number;
  backup: boolean;
  admin_state_up: boolean;
  subnet_id?: string | null;
}

/** An Octavia health monitor as the API describes it (`GET /v2/lbaas/healthmonitors/{id}`). */
export interface HealthMonitorRecord extends OctaviaRecord {
  type: string;
  delay: number;
  timeout: number;
  max_retries: number;
  max_retries_down?: number;
  http_method?: string | null;
  url_path?: string | null;
  expected_codes?: string | null;
  http_version?: number | null;
  domain_name?: string | null;
  pools?: { id: string }[];
}

/** An Octavia L7 policy as the API describes it (`GET /v2/lbaas/l7policies/{id}`). */
export interface L7PolicyRecord extends OctaviaRecord {
  listener_id: string;
  action: string;
  position?: number;
  redirect_pool_id?: string | null;
  redirect_url?: string | null;
  rules?: { id: string }[];
}

/** An Octavia L7 rule as the API describes it (`GET /v2/lbaas/l7policies/{id}/rules/{rule_id}`). */
export interface L7RuleRecord extends OctaviaRecord {
  type: string;
  compare_type: string;
  value: string;
  key?: string | null;
  invert?: boolean;
}

/** Any Octavia object: Octavia's answer as `record`, get/update/delete on itself, and its two statuses. */
export class OctaviaResource<R extends OctaviaRecord = OctaviaRecord> extends NeutronResource<R> {
  get provisioning_status(): ProvisioningStatus | undefined {
    return this.record.provisioning_status;
  }
  get operating_status(): string | undefined {
    return this.record.operating_status;
  }
}

const COMMON = ["name", "description", "admin_state_up", "tags"];
const TLS = [
  "tls_enabled",
  "tls_container_ref",
  "ca_tls_container_ref",
  "crl_container_ref",
  "tls_ciphers",
  "tls_versions",
  "alpn_protocols",
];
const LISTENER_SETTINGS = [
  "connection_limit",
  "default_pool_id",
  "default_tls_container_ref",
  "sni_container_refs",
  "insert_headers",
  "timeout_client_data",
  "timeout_member_connect",
  "timeout_member_data",
  "timeout_tcp_inspect",
  "allowed_cidrs",
  "client_ca_tls_container_ref",
  "client_authentication",
  "client_crl_container_ref",
  "tls_ciphers",
  "tls_versions",
  "alpn_protocols",
];
const HM_SETTINGS = [
  "delay",
  "timeout",
  "max_retries",
  "max_retries_down",
  "http_method",
  "url_path",
  "expected_codes",
  "http_version",
  "domain_name",
];
const L7_POLICY = ["action", "position", "redirect_pool_id", "redirect_url", "redirect_prefix", "redirect_http_code"];
const L7_RULE = ["type", "compare_type", "key", "value", "invert"];

function kind<R extends OctaviaRecord>(
  path: string,
  single: string,
  label: string,
  createFields: string[],
  updateFields: string[],
): Kind<OctaviaResource<R>, R> {
  return {
    path,
    single,
    label,
    createFields: [...COMMON, ...createFields],
    updateFields: [...COMMON, ...updateFields],
    wrap: (collection, record) => new OctaviaResource<R>(collection, record),
  };
}

export const KINDS = {
  loadbalancers: kind<LoadBalancerRecord>(
    "loadbalancers",
    "loadbalancer",
    "load balancer",
    [
      "vip_subnet_id",
      "vip_network_id",
      "vip_port_id",
      "vip_address",
      "vip_qos_policy_id",
      "provider",
      "flavor_id",
      "availability_zone",
      "listeners",
      "pools",
      "project_id",
    ],
    ["vip_qos_policy_id"],
  ),
  listeners: kind<ListenerRecord>(
    "listeners",
    "listener",
    "listener",
    ["loadbalancer_id", "protocol", "protocol_port", "project_id", ...LISTENER_SETTINGS],
    LISTENER_SETTINGS,
  ),
  pools: kind<PoolRecord>(
    "pools",
    "pool",
    "pool",
    ["loadbalancer_id", "listener_id", "protocol", "lb_algorithm", "session_persistence", "project_id", ...TLS],
    ["lb_algorithm", "session_persistence", ...TLS],
  ),
  members: kind<MemberRecord>(
    "members",
    "member",
    "member",
    ["address", "protocol_port", "weight", "backup", "subnet_id", "monitor_address", "monitor_port", "project_id"],
    ["weight", "backup", "monitor_address", "monitor_port"],
  ),
  healthmonitors: kind<HealthMonitorRecord>(
    "healthmonitors",
    "healthmonitor",
    "health monitor",
    ["pool_id", "type", "project_id", ...HM_SETTINGS],
    HM_SETTINGS,
  ),
  l7policies: kind<L7PolicyRecord>(
    "l7policies",
    "l7policy",
    "L7 policy",
    ["listener_id", "rules", "project_id", ...L7_POLICY],
    L7_POLICY,
  ),
  rules: kind<L7RuleRecord>("rules", "rule", "L7 rule", [...L7_RULE, "project_id"], L7_RULE),
};

/** An Octavia load balancer: its record, and get/update/delete on itself. */
export type LoadBalancer = OctaviaResource<LoadBalancerRecord>;
/** An Octavia listener: its record, and get/update/delete on itself. */
export type Listener = OctaviaResource<ListenerRecord>;
/** An Octavia pool: its record, and get/update/delete on itself. */
export type Pool = OctaviaResource<PoolRecord>;
/** An Octavia pool member: its record, and get/update/delete on itself. */
export type Member = OctaviaResource<MemberRecord>;
/** An Octavia health monitor: its record, and get/update/delete on itself. */
export type HealthMonitor = OctaviaResource<HealthMonitorRecord>;
/** An Octavia L7 policy: its record, and get/update/delete on itself. */
export type L7Policy = OctaviaResource<L7PolicyRecord>;
/** An Octavia L7 rule: its record, and get/update/delete on itself. */
export type L7Rule = OctaviaResource<L7RuleRecord>;

/** The collections of one Octavia endpoint; members and rules hang under their pool and policy. */
export class OctaviaCollections {
  readonly loadbalancers: NeutronCollection<LoadBalancer, LoadBalancerRecord>;
  readonly listeners: NeutronCollection<Listener, ListenerRecord>;
  readonly pools: NeutronCollection<Pool, PoolRecord>;
  readonly healthmonitors: NeutronCollection<HealthMonitor, HealthMonitorRecord>;
  readonly l7policies: NeutronCollection<L7Policy, L7PolicyRecord>;
  readonly #transport: Transport;
  readonly root: URL;

  constructor(transport: Transport, root: URL) {
    this.#transport = transport;
    this.root = root;
    this.loadbalancers = new NeutronCollection(transport, root, KINDS.loadbalancers);
    this.listeners = new NeutronCollection(transport, root, KINDS.listeners);
    this.pools = new NeutronCollection(transport, root, KINDS.pools);
    this.healthmonitors = new NeutronCollection(transport, root, KINDS.healthmonitors);
    this.l7policies = new NeutronCollection(transport, root, KINDS.l7policies);
  }

  members(poolId: string): NeutronCollection<Member, MemberRecord> {
    return new NeutronCollection(
      this.#transport,
      new URL(`pools/${encodeURIComponent(poolId)}/`, this.root),
      KINDS.members,
    );
  }

  /** openstacksdk's `delete_load_balancer(lb, cascade=…)`: with `cascade`, everything on it goes too. */
  async deleteLoadBalancer(
    lb: string | { id: string },
    options: { cascade?: boolean; signal?: AbortSignal } = {},
  ): Promise<void> {
    checkOptions("deleteLoadBalancer", options, ["cascade"]);
    const id = typeof lb === "string" ? lb : lb.id;
    const response = await this.#transport.request({
      method: "DELETE",
      url: this.loadbalancers.url(id),
      query: options.cascade ? { cascade: "true" } : undefined,
      signal: options.signal,
    });
    await response.dump();
  }

  /**
   * openstacksdk's `wait_for_load_balancer`: until Octavia is done with the last change (no longer
   * PENDING_*); a load balancer that ends anywhere but ACTIVE (ERROR) is UnexpectedStatus. Seconds.
   */
  async waitForLoadBalancer(
    lb: string | { id: string },
    options: { interval?: number; timeout?: number; signal?: AbortSignal } = {},
  ): Promise<LoadBalancerRecord> {
    const id = typeof lb === "string" ? lb : lb.id;
    const record = await waitUntil(
      ({ signal }) => this.loadbalancers.getRecord(id, { signal }),
      (r) => !r.provisioning_status?.startsWith("PENDING_"),
      {
        interval: (options.interval ?? 2) * 1000,
        timeout: options.timeout === undefined ? undefined : options.timeout * 1000,
        signal: options.signal,
        description: `load balancer ${id} to be ACTIVE`,
      },
    );
    if (record.provisioning_status !== "ACTIVE") {
      throw new UnexpectedStatus(`load balancer ${id} is ${record.provisioning_status}`, {
        resourceId: id,
        resourceStatus: record.provisioning_status ?? "",
      });
    }
    return record;
  }

  /** A project's quotas (`quotas/{project}`); `-1` is unlimited. */
  async getQuota(projectId: string, options: { signal?: AbortSignal } = {}): Promise<Record<string, number>> {
    const url = new URL(`quotas/${encodeURIComponent(projectId)}`, this.root);
    return (await this.#transport.json<{ quota: Record<string, number> }>({ url, signal: options.signal })).quota;
  }

  /** Sets a project's quotas (an admin's call): `{ load_balancer: 5, member: 50 }`. */
  async updateQuota(
    projectId: string,
    quota: Record<string, number>,
    options: { signal?: AbortSignal } = {},
  ): Promise<Record<string, number>> {
    const url = new URL(`quotas/${encodeURIComponent(projectId)}`, this.root);
    const body = await this.#transport.json<{ quota: Record<string, number> }>({
      method: "PUT",
      url,
      json: { quota },
      signal: options.signal,
    });
    return body.quota;
  }

  rules(l7policyId: string): NeutronCollection<L7Rule, L7RuleRecord> {
    return new NeutronCollection(
      this.#transport,
      new URL(`l7policies/${encodeURIComponent(l7policyId)}/`, this.root),
      KINDS.rules,
    );
  }
}
