// Cloud Load Balancers (pyrax's cloud_loadbalancers) over Octavia v2: pyrax's one load balancer is an
// Octavia load balancer with one listener (port, protocol, timeout), its default pool (algorithm,
// session persistence), the pool's members (nodes) and health monitor. Octavia refuses any change
// while a load balancer is PENDING_*, so a call that changes several of these objects waits for
// ACTIVE between its steps (never after its last one: the load balancer is then PENDING_UPDATE, as
// Rackspace's is after a change). Octavia's own objects are here too, for openstacksdk users.
import { NotFoundError } from "@nimbus-sdk/common";
import { callArgs, checkOptions } from "../../arguments.js";
import {
  BadRequest,
  InvalidLoadBalancerParameters,
  InvalidNodeParameters,
  MissingLoadBalancerParameters,
  NoUniqueMatch,
  NotFound,
} from "../../errors.js";
import { ServiceClient, type ServiceClientOptions } from "../../service-client.js";
import type { Listing } from "../compute/listing.js";
import { NeutronCollection, type ListOptions } from "../network/collection.js";
import {
  CloudLoadBalancer,
  type SslTermination,
  HM_ARGS,
  HM_TYPES,
  UPDATE_ARGS,
  UPDATE_TYPES,
  type CallOptions,
  type HealthMonitorOptions,
  type LoadBalancerManager,
  type LoadBalancerUpdate,
} from "./load-balancer.js";
import {
  OCTAVIA_ALGORITHMS,
  OCTAVIA_PROTOCOLS,
  healthMonitorInfo,
  loadBalancerInfo,
  memberBody,
  memberChanges,
  octaviaAlgorithm,
  octaviaProtocol,
  type HealthMonitorInfo,
  type LoadBalancerInfo,
  type LoadBalancerParts,
} from "./mapping.js";
import {
  KINDS,
  OctaviaCollections,
  type LoadBalancerRecord,
  type ListenerRecord,
  type MemberRecord,
  type PoolRecord,
} from "./native.js";
import {
  checkHealthMonitor,
  createArgs,
  createPlan,
  healthMonitorSettings,
  sessionPersistenceType,
  type VipSubnets,
} from "./create.js";
import { RackspaceWire } from "./rackspace.js";
import * as settings from "./settings.js";
import { Node, VirtualIP, checkCondition, type NodeChanges, type NodeOptions, type VirtualIPOptions } from "./node.js";

type LbRef = CloudLoadBalancer | string;

/** How often a multi-step call checks whether Octavia is done with its previous step. */
const SETTLE_INTERVAL_S = 0.5;
const SETTLE_TIMEOUT_S = 300;

/** Octavia's API root under a catalog URL with or without its version (`…/v2/lbaas/`). */
export function octaviaApiRoot(endpoint: URL): URL {
  const base = endpoint.href.replace(/\/v2(\.0)?\/?$/, "/");
  return new URL("v2/lbaas/", base);
}

export class CloudLoadBalancers extends ServiceClient implements LoadBalancerManager {
  /** Octavia's collections, for openstacksdk users: `clb.octavia.listeners.list()` … */
  readonly octavia: OctaviaCollections;
  /** Where PUBLIC and SERVICENET VIPs come from when a VirtualIP names no subnet. */
  vipSubnets: VipSubnets = {};
  readonly #pyrax: NeutronCollection<CloudLoadBalancer, LoadBalancerRecord>;
  /** Set when the catalog's endpoint is Rackspace Cloud Load Balancers v1.0: pyrax's calls then go there. */
  readonly #rax?: RackspaceWire;

  constructor(options: ServiceClientOptions & { vipSubnets?: VipSubnets }) {
    super(options);
    // Rackspace's own API lives under /v1.0/<tenant>; Octavia's under /v2.
    if (/\/v1\.0\//.test(this.endpoint.pathname)) this.#rax = new RackspaceWire(this.transport, this.endpoint, this);
    this.vipSubnets = { ...options.vipSubnets };
    this.octavia = new OctaviaCollections(this.transport, octaviaApiRoot(this.endpoint));
    this.#pyrax = new NeutronCollection(this.transport, this.octavia.root, {
      ...KINDS.loadbalancers,
      wrap: (_c, lb) => new CloudLoadBalancer(this, this.#info({ lb }), { lb }),
    });
  }

  /** pyrax's `clb.Node(address=…, port=…, condition=…)`. */
  Node(...args: [options?: NodeOptions] | [address: string, port: number, ...rest: unknown[]]): Node {
    return new Node(...args);
  }
  /** pyrax's `clb.VirtualIP(type="PUBLIC")`; on OpenStack `{ subnetId }` names the subnet (else `vipSubnets[type]`). */
  VirtualIP(...args: [options?: VirtualIPOptions] | [type: string, ...rest: unknown[]]): VirtualIP {
    return new VirtualIP(...args);
  }
  /** Beyond pyrax: the subnet (or `{ networkId }`) VIPs of a type come from when a VirtualIP names none. */
  setVipSubnet(type: "PUBLIC" | "SERVICENET", subnet: string | { networkId: string }): void {
    this.vipSubnets[type] = subnet;
  }

  /** Octavia's algorithms (pyrax's `clb.algorithms`). */
  get algorithms(): Promise<string[]> {
    return this.#rax ? this.#rax.names("algorithms") : Promise.resolve([...OCTAVIA_ALGORITHMS]);
  }
  get protocols(): Promise<string[]> {
    return this.#rax ? this.#rax.names("protocols") : Promise.resolve([...OCTAVIA_PROTOCOLS]);
  }

  // ------------------------------------------------------------------------- pyrax's manager

  /** pyrax's `create(name, port, protocol, nodes, virtual_ips, algorithm, …)`, positional or one options object. */
  async create(name: string, ...args: unknown[]): Promise<CloudLoadBalancer> {
    const o = createArgs(args);
    if (typeof name !== "string" || !name)
      throw new MissingLoadBalancerParameters("a load balancer needs a name", { field: "name" });
    const nodes = [o.nodes ?? []].flat();
    const vips = [o.virtualIps ?? []].flat();
    if (!vips.length || !o.port || !o.protocol) {
      throw new MissingLoadBalancerParameters(
        "Load Balancer creation requires at least one virtual IP, a protocol, and a port.",
        { field: !vips.length ? "virtualIps" : !o.port ? "port" : "protocol" },
      );
    }
    for (const node of nodes) checkCondition(node.condition, false);
    if (this.#rax) return this.#rax.create(name, o, nodes, vips);
    const plan = createPlan(name, o, vips, this.vipSubnets);
    const created = await this.octavia.loadbalancers.createRecord(plan.lb, { signal: o.signal });
    try {
      await this.#settle(created.id, o.signal);
      const listener = await this.octavia.listeners.createRecord(
        { ...plan.listener, loadbalancer_id: created.id },
        { signal: o.signal },
      );
      await this.#settle(created.id, o.signal);
      const pool = await this.octavia.pools.createRecord(
        { ...plan.pool, listener_id: listener.id },
        { signal: o.signal },
      );
      if (nodes.length) {
        await this.#settle(created.id, o.signal);
        await this.#putMembers(pool.id, nodes, o.signal);
      }
      if (plan.healthMonitor) {
        await this.#settle(created.id, o.signal);
        await this.octavia.healthmonitors.createRecord(
          { ...plan.healthMonitor, pool_id: pool.id },
          { signal: o.signal },
        );
      }
    } catch (error) {
      // pyrax's create is one request: a half-built load balancer is removed, not left behind.
      await this.#deleteCascade(created.id).catch(() => undefined);
      throw error;
    }
    return this.get(created.id, { signal: o.signal });
  }

  /** Every load balancer: an array when awaited, page by page with `for await`. */
  list(options: ListOptions = {}): Listing<CloudLoadBalancer> {
    if (this.#rax) return this.#rax.list(options);
    let parts: Promise<{ listeners: ListenerRecord[]; pools: PoolRecord[] }> | undefined;
    return this.#pyrax.list(options, async (items, signal) => {
      // Listeners and pools of the whole project, fetched once per listing (Octavia has no join).
      parts ??= Promise.all([this.octavia.listeners.list({ signal }), this.octavia.pools.list({ signal })]).then(
        ([l, p]) => ({ listeners: l.map((x) => x.record), pools: p.map((x) => x.record) }),
      );
      const { listeners, pools } = await parts;
      // Each one's members too, as pyrax's lazy load gives `lb.nodes` of a listed load balancer.
      await Promise.all(
        items.map(async (lb) => {
          const lbRecord = lb.octavia!.lb;
          const listener = listeners.find((l) => l.id === lbRecord.listeners[0]?.id);
          const pool = pools.find((p) => p.id === (listener?.default_pool_id ?? lbRecord.pools[0]?.id));
          const members = pool ? await absentIfGone(this.#members(pool.id, signal)) : undefined;
          const parts = { lb: lbRecord, listener, pool, members };
          lb.setInfo(this.#info(parts), parts);
        }),
      );
    });
  }

  /** The load balancer with this id, nodes and health monitor included. */
  async get(id: LbRef, options: CallOptions = {}): Promise<CloudLoadBalancer> {
    const { info, parts } = await this.getInfo(idOf(id), options);
    return new CloudLoadBalancer(this, info, parts);
  }

  /** pyrax's `findall(**kwargs)`: the load balancers whose attributes equal these. */
  async findall(filters: Record<string, unknown> = {}, options: CallOptions = {}): Promise<CloudLoadBalancer[]> {
    const all = await this.list({ signal: options.signal });
    return all.filter((lb) =>
      Object.entries(filters).every(([key, value]) => (lb as unknown as Record<string, unknown>)[key] === value),
    );
  }

  /** pyrax's `find(**kwargs)`: exactly one match, else NotFound or NoUniqueMatch. */
  async find(filters: Record<string, unknown>, options: CallOptions = {}): Promise<CloudLoadBalancer> {
    const matches = await this.findall(filters, options);
    if (matches.length === 1) return matches[0]!;
    if (!matches.length) throw new NotFound(`no load balancer matches ${JSON.stringify(filters)}`, {});
    throw new NoUniqueMatch(`${matches.length} load balancers match ${JSON.stringify(filters)}`, {
      matches: matches.map((m) => m.id),
    });
  }

  async getInfo(id: string, options: CallOptions = {}): Promise<{ info: LoadBalancerInfo; parts?: LoadBalancerParts }> {
    if (this.#rax) return this.#rax.getInfo(id, options);
    const parts = await this.#parts(id, options.signal);
    return { info: this.#info(parts), parts };
  }

  async #parts(id: string, signal?: AbortSignal): Promise<LoadBalancerParts> {
    const lb = await this.octavia.loadbalancers.getRecord(id, { signal });
    // A child may vanish between two reads (a cascade delete under way): then it is absent.
    const listenerId = lb.listeners[0]?.id;
    const listener = listenerId
      ? await absentIfGone(this.octavia.listeners.getRecord(listenerId, { signal }))
      : undefined;
    const poolId = listener?.default_pool_id ?? lb.pools[0]?.id;
    if (!poolId) return { lb, listener };
    const [pool, members] = await Promise.all([
      absentIfGone(this.octavia.pools.getRecord(poolId, { signal })),
      absentIfGone(this.#members(poolId, signal)),
    ]);
    const healthmonitor = pool?.healthmonitor_id
      ? await absentIfGone(this.octavia.healthmonitors.getRecord(pool.healthmonitor_id, { signal }))
      : undefined;
    return { lb, listener, pool, members, healthmonitor };
  }

  async #members(poolId: string, signal?: AbortSignal): Promise<MemberRecord[]> {
    return (await this.octavia.members(poolId).list({ signal })).map((m) => m.record);
  }

  #info(parts: LoadBalancerParts): LoadBalancerInfo {
    return loadBalancerInfo(parts, (lb) => {
      const service = this.vipSubnets.SERVICENET;
      const id = typeof service === "string" ? lb.vip_subnet_id : service?.networkId;
      return service && id === (typeof service === "string" ? service : lb.vip_network_id) ? "SERVICENET" : "PUBLIC";
    });
  }

  /** Deletes the load balancer with everything on it (Octavia's cascade delete). */
  async delete(lb: LbRef, options: CallOptions = {}): Promise<void> {
    checkOptions("delete", options, []);
    if (this.#rax) return this.#rax.delete(idOf(lb), options.signal);
    await this.#deleteCascade(idOf(lb), options.signal);
  }

  async #deleteCascade(id: string, signal?: AbortSignal): Promise<void> {
    await this.octavia.deleteLoadBalancer(id, { cascade: true, signal });
  }

  /** pyrax's `update(lb, name, algorithm, protocol, halfClosed, port, timeout, httpsRedirect)`. */
  async update(lb: LbRef, ...args: unknown[]): Promise<void> {
    const changes = callArgs<LoadBalancerUpdate & CallOptions>(
      "update",
      args,
      [...UPDATE_ARGS],
      [...UPDATE_ARGS],
      UPDATE_TYPES,
    );
    const { signal, ...rest } = changes;
    if (this.#rax) return this.#rax.update(idOf(lb), rest, signal);
    const target = typeof lb === "string" ? await this.get(lb, { signal }) : lb;
    const parts = target.octavia ?? (await this.#parts(target.id, signal));
    const refuse = (field: string, why: string) => new InvalidLoadBalancerParameters(`${field}: ${why}`, { field });
    if (rest.halfClosed) throw refuse("halfClosed", "Octavia has no half-closed connections");
    if (rest.httpsRedirect) throw refuse("httpsRedirect", "use an L7 policy (REDIRECT_PREFIX) instead");
    if (rest.protocol !== undefined && octaviaProtocol(rest.protocol) !== parts.listener?.protocol) {
      throw refuse("protocol", "Octavia cannot change a listener's protocol; create another load balancer");
    }
    if (rest.port !== undefined && rest.port !== parts.listener?.protocol_port) {
      throw refuse("port", "Octavia cannot change a listener's port; create another load balancer");
    }
    const steps: (() => Promise<unknown>)[] = [];
    if (rest.name !== undefined)
      steps.push(() => this.octavia.loadbalancers.updateRecord(target.id, { name: rest.name }, { signal }));
    if (rest.algorithm !== undefined) {
      const poolId = required(parts.pool?.id, "algorithm");
      const algorithm = octaviaAlgorithm(rest.algorithm);
      steps.push(() => this.octavia.pools.updateRecord(poolId, { lb_algorithm: algorithm }, { signal }));
    }
    if (rest.timeout !== undefined) {
      const listenerId = required(parts.listener?.id, "timeout");
      const ms = rest.timeout * 1000;
      steps.push(() =>
        this.octavia.listeners.updateRecord(
          listenerId,
          { timeout_client_data: ms, timeout_member_data: ms },
          { signal },
        ),
      );
    }
    await this.#steps(target.id, steps, signal);
  }

  // Runs changes one after another, waiting for ACTIVE between them (not after the last).
  async #steps(lbId: string, steps: (() => Promise<unknown>)[], signal?: AbortSignal): Promise<void> {
    for (const [i, step] of steps.entries()) {
      if (i > 0) await this.#settle(lbId, signal);
      await step();
    }
  }

  /** Waits until Octavia is done with the load balancer's last change (no longer PENDING_*). */
  async #settle(lbId: string, signal?: AbortSignal): Promise<void> {
    await this.octavia.waitForLoadBalancer(lbId, { interval: SETTLE_INTERVAL_S, timeout: SETTLE_TIMEOUT_S, signal });
  }

  async #pool(lb: CloudLoadBalancer, what: string, signal?: AbortSignal): Promise<PoolRecord> {
    const parts = await this.#parts(lb.id, signal);
    lb.setInfo(this.#info(parts), parts);
    if (!parts.pool)
      throw new InvalidLoadBalancerParameters(`${what}: load balancer ${lb.id} has no pool`, { field: "pool" });
    return parts.pool;
  }

  async #putMembers(poolId: string, nodes: Node[], signal?: AbortSignal): Promise<void> {
    // One batch for all nodes (as Rackspace's one POST): member by member, each would wait for the last.
    try {
      const response = await this.transport.request({
        method: "PUT",
        url: this.octavia.members(poolId).url(),
        query: { additive_only: "true" },
        json: { members: nodes.map(memberBody) },
        signal,
      });
      await response.dump();
    } catch (error) {
      // Octavia names the field it refused (an address that is no IP address …): pyrax's node error.
      if (!(error instanceof BadRequest)) throw error;
      throw new InvalidNodeParameters(error.message, { ...error.context, cause: error });
    }
  }

  async addNodes(lb: LbRef, nodes: Node | Node[], options: CallOptions = {}): Promise<Node[]> {
    const target = await this.#lb(lb, options.signal);
    const list = [nodes].flat();
    for (const node of list) {
      if (!(node instanceof Node))
        throw new InvalidNodeParameters("addNodes takes Node objects (clb.Node({ address, port }))", {});
      checkCondition(node.condition, true);
    }
    if (this.#rax) return this.#rax.addNodes(target, list, options.signal);
    const pool = await this.#pool(target, "addNodes", options.signal);
    await this.#putMembers(pool.id, list, options.signal);
    const members = await this.octavia.members(pool.id).list({ signal: options.signal });
    return list.map((node) => {
      const member = members.find((m) => m.record.address === node.address && m.record.protocol_port === node.port);
      node.id = member?.id;
      node.parent = target;
      node.status = member?.record.operating_status;
      node.markSaved();
      return node;
    });
  }

  async listNodes(lb: LbRef, options: CallOptions = {}): Promise<Node[]> {
    const target = await this.#lb(lb, options.signal);
    if (this.#rax)
      return (await this.#rax.listNodes(target, options.signal)).map((n) => new Node({ ...n, parent: target }));
    await this.#pool(target, "listNodes", options.signal);
    return target.nodes ?? [];
  }

  async deleteNode(lb: LbRef, node: Node, options: CallOptions = {}): Promise<void> {
    const target = await this.#lb(lb, options.signal);
    if (this.#rax) return this.#rax.deleteNode(target, nodeId(node), options.signal);
    const poolId = target.octavia?.pool?.id ?? (await this.#pool(target, "deleteNode", options.signal)).id;
    await this.octavia.members(poolId).delete(nodeId(node), { signal: options.signal });
  }

  async updateNode(lb: LbRef, node: Node, diff: NodeChanges = node.diff(), options: CallOptions = {}): Promise<void> {
    const target = await this.#lb(lb, options.signal);
    if (diff.condition !== undefined) checkCondition(diff.condition, true);
    if (this.#rax) {
      await this.#rax.updateNode(target, nodeId(node), diff, options.signal);
      return node.markSaved();
    }
    const poolId = target.octavia?.pool?.id ?? (await this.#pool(target, "updateNode", options.signal)).id;
    const body = memberChanges(diff, node.weight);
    if (Object.keys(body).length === 0) return;
    await this.octavia.members(poolId).updateRecord(nodeId(node), body, { signal: options.signal });
    node.markSaved();
  }

  async addVirtualip(lb: LbRef, vip: VirtualIP, options: CallOptions = {}): Promise<void> {
    if (this.#rax) return this.#rax.addVirtualip(await this.#lb(lb, options.signal), vip, options.signal);
    throw new InvalidLoadBalancerParameters(
      "virtualIps: an Octavia load balancer has exactly one VIP, given at creation",
      {
        field: "virtualIps",
      },
    );
  }
  async deleteVirtualip(lb: LbRef, vip: VirtualIP, options: CallOptions = {}): Promise<void> {
    if (this.#rax) {
      if (!vip.id) throw new InvalidLoadBalancerParameters("virtualIps: the VIP has no id", { field: "virtualIps" });
      return this.#rax.deleteVirtualip(await this.#lb(lb, options.signal), vip.id, options.signal);
    }
    throw new InvalidLoadBalancerParameters(
      "virtualIps: an Octavia load balancer keeps its one VIP until it is deleted",
      {
        field: "virtualIps",
      },
    );
  }

  async getHealthMonitor(lb: LbRef, options: CallOptions = {}): Promise<HealthMonitorInfo | Record<string, never>> {
    const target = await this.#lb(lb, options.signal);
    if (this.#rax) return this.#rax.getHealthMonitor(target, options.signal);
    const pool = await this.#pool(target, "getHealthMonitor", options.signal);
    if (!pool.healthmonitor_id) return {};
    return healthMonitorInfo(await this.octavia.healthmonitors.getRecord(pool.healthmonitor_id, options));
  }

  /** pyrax's `add_health_monitor(lb, type, delay, timeout, attemptsBeforeDeactivation, path, statusRegex, bodyRegex, hostHeader)`. */
  async addHealthMonitor(lb: LbRef, ...args: unknown[]): Promise<void> {
    const o = callArgs<HealthMonitorOptions & CallOptions>(
      "addHealthMonitor",
      args,
      [...HM_ARGS],
      [...HM_ARGS],
      HM_TYPES,
    );
    const { signal, ...settings } = o;
    const target = await this.#lb(lb, signal);
    checkHealthMonitor(settings, target.protocol);
    if (this.#rax) return this.#rax.addHealthMonitor(target, settings, signal);
    const pool = await this.#pool(target, "addHealthMonitor", signal);
    const body = healthMonitorSettings(settings, target.protocol);
    if (!pool.healthmonitor_id) {
      await this.octavia.healthmonitors.createRecord({ ...body, pool_id: pool.id }, { signal });
      return;
    }
    // An existing monitor is changed; Octavia cannot change its type, so another type replaces it.
    const current = await this.octavia.healthmonitors.getRecord(pool.healthmonitor_id, { signal });
    const { type, ...settable } = body;
    if (current.type === type) {
      await this.octavia.healthmonitors.updateRecord(current.id, settable, { signal });
      return;
    }
    await this.octavia.healthmonitors.delete(current.id, { signal });
    await this.#settle(target.id, signal);
    await this.octavia.healthmonitors.createRecord({ ...body, pool_id: pool.id }, { signal });
  }

  async deleteHealthMonitor(lb: LbRef, options: CallOptions = {}): Promise<void> {
    const target = await this.#lb(lb, options.signal);
    if (this.#rax) return void (await this.#rax.setting(target, "healthmonitor", "DELETE", undefined, options.signal));
    const pool = await this.#pool(target, "deleteHealthMonitor", options.signal);
    if (pool.healthmonitor_id) await this.octavia.healthmonitors.delete(pool.healthmonitor_id, options);
  }

  async getSessionPersistence(lb: LbRef, options: CallOptions = {}): Promise<string> {
    if (this.#rax) {
      const target = await this.#lb(lb, options.signal);
      const body = await this.#rax.setting(target, "sessionpersistence", "GET", undefined, options.signal);
      return (body.sessionPersistence as { persistenceType?: string } | undefined)?.persistenceType ?? "";
    }
    const pool = await this.#pool(await this.#lb(lb, options.signal), "getSessionPersistence", options.signal);
    return pool.session_persistence?.type ?? "";
  }

  async setSessionPersistence(lb: LbRef, value: string | null, options: CallOptions = {}): Promise<void> {
    const type = value ? sessionPersistenceType(value) : null;
    if (this.#rax) {
      const target = await this.#lb(lb, options.signal);
      const body = type ? { sessionPersistence: { persistenceType: type } } : undefined;
      return void (await this.#rax.setting(
        target,
        "sessionpersistence",
        type ? "PUT" : "DELETE",
        body,
        options.signal,
      ));
    }
    const pool = await this.#pool(await this.#lb(lb, options.signal), "setSessionPersistence", options.signal);
    await this.octavia.pools.updateRecord(pool.id, { session_persistence: type ? { type } : null }, options);
  }

  // Settings Rackspace keeps on a load balancer and Octavia lacks (settings.ts says what each does there).
  async getConnectionLogging(lb: LbRef, options: CallOptions = {}): Promise<boolean> {
    return settings.flag(this.#rax, () => this.#lb(lb, options.signal), "connectionLogging", undefined, options.signal);
  }
  async setConnectionLogging(lb: LbRef, value: boolean, options: CallOptions = {}): Promise<void> {
    await settings.flag(this.#rax, () => this.#lb(lb, options.signal), "connectionLogging", value, options.signal);
  }
  /** pyrax's `content_caching`. */
  async getContentCaching(lb: LbRef, options: CallOptions = {}): Promise<boolean> {
    return settings.flag(this.#rax, () => this.#lb(lb, options.signal), "contentCaching", undefined, options.signal);
  }
  async setContentCaching(lb: LbRef, value: boolean, options: CallOptions = {}): Promise<void> {
    await settings.flag(this.#rax, () => this.#lb(lb, options.signal), "contentCaching", value, options.signal);
  }
  /** pyrax's `get_connection_throttle()`: {} when none is set. */
  async getConnectionThrottle(lb: LbRef, options: CallOptions = {}): Promise<settings.ConnectionThrottle> {
    const target = await this.#lb(lb, options.signal);
    if (this.#rax) {
      const body = await this.#rax.setting(target, "connectionthrottle", "GET", undefined, options.signal);
      return (body.connectionThrottle as settings.ConnectionThrottle | undefined) ?? {};
    }
    const parts = await this.#parts(target.id, options.signal);
    return settings.throttleOf(required(parts.listener, "connectionThrottle").connection_limit);
  }
  /** pyrax's `add_connection_throttle(maxConnectionRate, maxConnections, minConnections, rateInterval)`, or one object. */
  async addConnectionThrottle(lb: LbRef, ...args: unknown[]): Promise<void> {
    const { signal, ...throttle } = settings.throttleArgs(args);
    await this.#throttle(lb, throttle, signal);
  }
  async deleteConnectionThrottle(lb: LbRef, options: CallOptions = {}): Promise<void> {
    await this.#throttle(lb, undefined, options.signal);
  }
  async #throttle(lb: LbRef, throttle: settings.ConnectionThrottle | undefined, signal?: AbortSignal): Promise<void> {
    if (this.#rax) {
      const body = throttle && { connectionThrottle: throttle };
      await this.#rax.setting(
        await this.#lb(lb, signal),
        "connectionthrottle",
        throttle ? "PUT" : "DELETE",
        body,
        signal,
      );
      return;
    }
    const limit = settings.connectionLimit(throttle);
    const parts = await this.#parts((await this.#lb(lb, signal)).id, signal);
    const listenerId = required(parts.listener?.id, "connectionThrottle");
    await this.octavia.listeners.updateRecord(listenerId, { connection_limit: limit }, { signal });
  }
  /** pyrax's `get_ssl_termination`: the settings, or {} when there are none. */
  async getSslTermination(lb: LbRef, options: CallOptions = {}): Promise<SslTermination | Record<string, never>> {
    return settings.getSsl(this.#rax, await this.#lb(lb, options.signal), options.signal);
  }
  /** pyrax's `add_ssl_termination(securePort, privatekey, certificate, intermediateCertificate, enabled=True, secureTrafficOnly=False)`. */
  async addSslTermination(lb: LbRef, ...args: unknown[]): Promise<void> {
    const { signal, ...ssl } = settings.sslArgs("addSslTermination", args);
    await settings.putSsl(
      this.#rax,
      () => this.#lb(lb, signal),
      { enabled: true, secureTrafficOnly: false, ...ssl },
      signal,
    );
  }
  /** pyrax's `update_ssl_termination(securePort, enabled, secureTrafficOnly)`: the rest as configured. */
  async updateSslTermination(lb: LbRef, ...args: unknown[]): Promise<void> {
    const { signal, ...change } = settings.sslArgs("updateSslTermination", args);
    const target = () => this.#lb(lb, signal);
    await settings.putSsl(this.#rax, target, await settings.sslUpdate(this.#rax, target, change, signal), signal);
  }
  async deleteSslTermination(lb: LbRef, options: CallOptions = {}): Promise<void> {
    await settings.putSsl(this.#rax, () => this.#lb(lb, options.signal), undefined, options.signal);
  }
  /** pyrax's `get_metadata()`: key to value ({} on Octavia, which keeps none). */
  async getMetadata(lb: LbRef, options: CallOptions = {}): Promise<Record<string, string>> {
    await settings.metadata(this.#rax, () => this.#lb(lb, options.signal), {});
    return {};
  }
  /** pyrax's `set_metadata(metadata)` (replacing) and `update_metadata(metadata)`. */
  async setMetadata(lb: LbRef, metadata: Record<string, string>, options: CallOptions = {}): Promise<void> {
    await settings.metadata(this.#rax, () => this.#lb(lb, options.signal), metadata);
  }
  async updateMetadata(lb: LbRef, metadata: Record<string, string>, options: CallOptions = {}): Promise<void> {
    await settings.metadata(this.#rax, () => this.#lb(lb, options.signal), metadata);
  }
  /** pyrax's `delete_metadata(keys=None)`. */
  async deleteMetadata(lb: LbRef, keys?: string[] | null, options: CallOptions = {}): Promise<void> {
    if (keys !== undefined && keys !== null && !Array.isArray(keys)) {
      throw new InvalidLoadBalancerParameters("deleteMetadata: keys must be a list of keys", { field: "keys" });
    }
    await settings.metadata(this.#rax, () => this.#lb(lb, options.signal), {});
  }
  /** pyrax's `get_usage(loadbalancer=None, start=None, end=None)`. */
  async getUsage(..._args: unknown[]): Promise<Record<string, unknown>> {
    return settings.usage(this.#rax);
  }

  /** Octavia's counters: bytes_in, bytes_out, active_connections, total_connections, request_errors. */
  async getStats(lb: LbRef, options: CallOptions = {}): Promise<Record<string, number>> {
    if (this.#rax) return this.#rax.getStats(await this.#lb(lb, options.signal), options.signal);
    const body = await this.transport.json<{ stats: Record<string, number> }>({
      url: new URL("stats", this.octavia.loadbalancers.url(idOf(lb)) + "/"),
      signal: options.signal,
    });
    return body.stats;
  }

  async #lb(lb: LbRef, signal?: AbortSignal): Promise<CloudLoadBalancer> {
    return typeof lb === "string" ? this.get(lb, { signal }) : lb;
  }
}

async function absentIfGone<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

function idOf(lb: LbRef): string {
  const id = typeof lb === "string" ? lb : lb?.id;
  if (typeof id !== "string" || !id)
    throw new InvalidLoadBalancerParameters("a load balancer or its id is needed", { field: "loadbalancer" });
  return id;
}

function nodeId(node: Node): string {
  if (!node?.id) throw new InvalidNodeParameters("the node has no id: add it to a load balancer first", {});
  return node.id;
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined)
    throw new InvalidLoadBalancerParameters(`${field}: this load balancer has no listener or pool for it`, { field });
  return value;
}
