// pyrax's CloudLoadBalancer: one object with its port, protocol, algorithm, nodes and virtual IPs,
// whatever the wire (Octavia's several objects, or Rackspace's one). Each method asks the client.
import type { HealthMonitorInfo, LoadBalancerInfo, LoadBalancerParts } from "./mapping.js";
import { Node, VirtualIP, type NodeChanges, type NodeParent } from "./node.js";
import type { ConnectionThrottle } from "./settings.js";

/** Options every load balancer call takes. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** What `update` may change (pyrax's `update(name, algorithm, protocol, halfClosed, port, timeout, httpsRedirect)`). */
export interface LoadBalancerUpdate {
  name?: string;
  algorithm?: string;
  protocol?: string;
  halfClosed?: boolean;
  port?: number;
  timeout?: number;
  httpsRedirect?: boolean;
}
export const UPDATE_ARGS = ["name", "algorithm", "protocol", "halfClosed", "port", "timeout", "httpsRedirect"] as const;
export const UPDATE_TYPES = {
  halfClosed: "boolean",
  port: "number",
  timeout: "number",
  httpsRedirect: "boolean",
} as const;

/** pyrax's `add_health_monitor(type, delay=10, timeout=10, attemptsBeforeDeactivation=3, path="/", ...)`. */
export interface HealthMonitorOptions {
  type?: string;
  delay?: number;
  timeout?: number;
  attemptsBeforeDeactivation?: number;
  path?: string;
  statusRegex?: string;
  bodyRegex?: string;
  hostHeader?: string;
}
export const HM_ARGS = [
  "type",
  "delay",
  "timeout",
  "attemptsBeforeDeactivation",
  "path",
  "statusRegex",
  "bodyRegex",
  "hostHeader",
] as const;
export const HM_TYPES = { delay: "number", timeout: "number", attemptsBeforeDeactivation: "number" } as const;

/** Rackspace's SSL termination settings (pyrax's `get_ssl_termination()` dict). */
export interface SslTermination {
  securePort?: number;
  enabled?: boolean;
  secureTrafficOnly?: boolean;
  certificate?: string;
  privatekey?: string;
  intermediateCertificate?: string;
}

/** The client's side of a load balancer's calls (CloudLoadBalancers implements it). */
export interface LoadBalancerManager {
  getInfo(id: string, options?: CallOptions): Promise<{ info: LoadBalancerInfo; parts?: LoadBalancerParts }>;
  /** `changes` as pyrax's positional arguments or one object (with `signal`). */
  update(lb: CloudLoadBalancer, ...changes: unknown[]): Promise<void>;
  delete(lb: CloudLoadBalancer | string, options?: CallOptions): Promise<void>;
  addNodes(lb: CloudLoadBalancer, nodes: Node | Node[], options?: CallOptions): Promise<Node[]>;
  listNodes(lb: CloudLoadBalancer, options?: CallOptions): Promise<Node[]>;
  deleteNode(lb: CloudLoadBalancer, node: Node, options?: CallOptions): Promise<void>;
  updateNode(lb: CloudLoadBalancer, node: Node, diff: NodeChanges, options?: CallOptions): Promise<void>;
  addVirtualip(lb: CloudLoadBalancer, vip: VirtualIP, options?: CallOptions): Promise<void>;
  deleteVirtualip(lb: CloudLoadBalancer, vip: VirtualIP, options?: CallOptions): Promise<void>;
  getHealthMonitor(lb: CloudLoadBalancer, options?: CallOptions): Promise<HealthMonitorInfo | Record<string, never>>;
  addHealthMonitor(lb: CloudLoadBalancer, ...settings: unknown[]): Promise<void>;
  deleteHealthMonitor(lb: CloudLoadBalancer, options?: CallOptions): Promise<void>;
  getSessionPersistence(lb: CloudLoadBalancer, options?: CallOptions): Promise<string>;
  setSessionPersistence(lb: CloudLoadBalancer, value: string | null, options?: CallOptions): Promise<void>;
  getConnectionLogging(lb: CloudLoadBalancer, options?: CallOptions): Promise<boolean>;
  setConnectionLogging(lb: CloudLoadBalancer, value: boolean, options?: CallOptions): Promise<void>;
  getStats(lb: CloudLoadBalancer, options?: CallOptions): Promise<Record<string, number>>;
  getConnectionThrottle(lb: CloudLoadBalancer, options?: CallOptions): Promise<ConnectionThrottle>;
  addConnectionThrottle(lb: CloudLoadBalancer, ...settings: unknown[]): Promise<void>;
  deleteConnectionThrottle(lb: CloudLoadBalancer, options?: CallOptions): Promise<void>;
  getContentCaching(lb: CloudLoadBalancer, options?: CallOptions): Promise<boolean>;
  setContentCaching(lb: CloudLoadBalancer, value: boolean, options?: CallOptions): Promise<void>;
  getSslTermination(lb: CloudLoadBalancer, options?: CallOptions): Promise<SslTermination | Record<string, never>>;
  addSslTermination(lb: CloudLoadBalancer, ...settings: unknown[]): Promise<void>;
  updateSslTermination(lb: CloudLoadBalancer, ...settings: unknown[]): Promise<void>;
  deleteSslTermination(lb: CloudLoadBalancer, options?: CallOptions): Promise<void>;
  getMetadata(lb: CloudLoadBalancer, options?: CallOptions): Promise<Record<string, string>>;
  setMetadata(lb: CloudLoadBalancer, metadata: Record<string, string>, options?: CallOptions): Promise<void>;
  updateMetadata(lb: CloudLoadBalancer, metadata: Record<string, string>, options?: CallOptions): Promise<void>;
  deleteMetadata(lb: CloudLoadBalancer, keys?: string[] | null, options?: CallOptions): Promise<void>;
}

export class CloudLoadBalancer implements NodeParent {
  readonly manager: LoadBalancerManager;
  #info: LoadBalancerInfo;
  #parts?: LoadBalancerParts;
  #nodes?: Node[];
  #vips: VirtualIP[] = [];

  constructor(manager: LoadBalancerManager, info: LoadBalancerInfo, parts?: LoadBalancerParts) {
    this.manager = manager;
    this.#info = info;
    this.setInfo(info, parts);
  }

  /** Takes a fresh answer (the client calls it after each fetch). */
  setInfo(info: LoadBalancerInfo, parts?: LoadBalancerParts): void {
    this.#info = info;
    this.#parts = parts;
    this.#nodes = info.nodes?.map((n) => new Node({ ...n, parent: this }));
    this.#vips = (info.virtualIps ?? []).map((v) => new VirtualIP({ ...v, parent: this }));
  }

  get id(): string {
    return this.#info.id;
  }
  get name(): string {
    return this.#info.name;
  }
  /** Rackspace's status: BUILD, ACTIVE, PENDING_UPDATE, PENDING_DELETE, ERROR, DELETED (Octavia's provisioning_status). */
  get status(): string {
    return this.#info.status;
  }
  get port(): number | undefined {
    return this.#info.port;
  }
  get protocol(): string | undefined {
    return this.#info.protocol;
  }
  get algorithm(): string | undefined {
    return this.#info.algorithm;
  }
  /** Seconds the load balancer waits for a node (Octavia: the listener's data timeouts). */
  get timeout(): number | undefined {
    return this.#info.timeout;
  }
  get halfClosed(): boolean | undefined {
    return this.#info.halfClosed;
  }
  /** The nodes as last fetched; a listed load balancer has none until `get()` (pyrax loads it lazily). */
  get nodes(): Node[] | undefined {
    return this.#nodes;
  }
  get nodeCount(): number | undefined {
    return this.#info.nodeCount;
  }
  get virtual_ips(): VirtualIP[] {
    return this.#vips;
  }
  /** HTTP_COOKIE, SOURCE_IP or "" as last fetched; `setSessionPersistence` changes it. */
  get session_persistence(): string {
    return this.#info.sessionPersistence?.persistenceType ?? "";
  }
  get created(): { time: string } | undefined {
    return this.#info.created;
  }
  get updated(): { time: string } | undefined {
    return this.#info.updated;
  }
  /** The answer in Rackspace's shape. */
  get info(): LoadBalancerInfo {
    return this.#info;
  }
  /** On OpenStack: the Octavia objects behind this load balancer, as last fetched. */
  get octavia(): LoadBalancerParts | undefined {
    return this.#parts;
  }

  /** Fetches the load balancer again, nodes and all (pyrax's `get`). */
  async get(options: CallOptions = {}): Promise<this> {
    const { info, parts } = await this.manager.getInfo(this.id, options);
    this.setInfo(info, parts);
    return this;
  }
  async reload(options: CallOptions = {}): Promise<this> {
    return this.get(options);
  }

  /** pyrax's `update(name, algorithm, protocol, halfClosed, port, timeout, httpsRedirect)`, positional or one object. */
  async update(...args: unknown[]): Promise<void> {
    await this.manager.update(this, ...args);
  }

  async delete(options: CallOptions = {}): Promise<void> {
    await this.manager.delete(this, options);
  }

  /** Adds nodes; resolves to them as the service made them (with ids). */
  async addNodes(nodes: Node | Node[], options: CallOptions = {}): Promise<Node[]> {
    return this.manager.addNodes(this, nodes, options);
  }
  /** Beyond pyrax (which reads `lb.nodes`): the nodes as the service has them now. */
  async listNodes(options: CallOptions = {}): Promise<Node[]> {
    return this.manager.listNodes(this, options);
  }
  async deleteNode(node: Node, options: CallOptions = {}): Promise<void> {
    await this.manager.deleteNode(this, node, options);
  }
  /** Sends `diff` (default: what changed on the node since it was fetched). */
  async updateNode(node: Node, diff?: NodeChanges, options: CallOptions = {}): Promise<void> {
    await this.manager.updateNode(this, node, diff ?? node.diff(), options);
  }
  async addVirtualip(vip: VirtualIP, options: CallOptions = {}): Promise<void> {
    await this.manager.addVirtualip(this, vip, options);
  }
  async deleteVirtualip(vip: VirtualIP, options: CallOptions = {}): Promise<void> {
    await this.manager.deleteVirtualip(this, vip, options);
  }

  /** pyrax's dict: `{ type, delay, timeout, attemptsBeforeDeactivation, path, statusRegex ... }`, or `{}` when none. */
  async getHealthMonitor(options: CallOptions = {}): Promise<HealthMonitorInfo | Record<string, never>> {
    return this.manager.getHealthMonitor(this, options);
  }
  /** pyrax's `add_health_monitor(type, delay, timeout, attemptsBeforeDeactivation, path, statusRegex, bodyRegex, hostHeader)`, or one object; an existing monitor is updated. */
  async addHealthMonitor(...args: unknown[]): Promise<void> {
    await this.manager.addHealthMonitor(this, ...args);
  }
  async deleteHealthMonitor(options: CallOptions = {}): Promise<void> {
    await this.manager.deleteHealthMonitor(this, options);
  }

  /** pyrax's `session_persistence` property, read from the service: HTTP_COOKIE, SOURCE_IP or "". */
  async getSessionPersistence(options: CallOptions = {}): Promise<string> {
    return this.manager.getSessionPersistence(this, options);
  }
  /** pyrax's `lb.session_persistence = "HTTP_COOKIE"`; "" or null removes it. */
  async setSessionPersistence(value: string | null, options: CallOptions = {}): Promise<void> {
    await this.manager.setSessionPersistence(this, value, options);
  }
  async getConnectionLogging(options: CallOptions = {}): Promise<boolean> {
    return this.manager.getConnectionLogging(this, options);
  }
  async setConnectionLogging(value: boolean, options: CallOptions = {}): Promise<void> {
    await this.manager.setConnectionLogging(this, value, options);
  }
  async getStats(options: CallOptions = {}): Promise<Record<string, number>> {
    return this.manager.getStats(this, options);
  }
  /** pyrax's `get_connection_throttle()`: on Octavia maxConnections only (the listener's connection limit). */
  async getConnectionThrottle(options: CallOptions = {}): Promise<ConnectionThrottle> {
    return this.manager.getConnectionThrottle(this, options);
  }
  /** pyrax's `add_connection_throttle(maxConnectionRate, maxConnections, minConnections, rateInterval)`, or one object. */
  async addConnectionThrottle(...args: unknown[]): Promise<void> {
    await this.manager.addConnectionThrottle(this, ...args);
  }
  async deleteConnectionThrottle(options: CallOptions = {}): Promise<void> {
    await this.manager.deleteConnectionThrottle(this, options);
  }
  /** pyrax's `content_caching` property, read from the service. */
  async getContentCaching(options: CallOptions = {}): Promise<boolean> {
    return this.manager.getContentCaching(this, options);
  }
  /** pyrax's `lb.content_caching = True`. */
  async setContentCaching(value: boolean, options: CallOptions = {}): Promise<void> {
    await this.manager.setContentCaching(this, value, options);
  }
  async getSslTermination(options: CallOptions = {}): Promise<SslTermination | Record<string, never>> {
    return this.manager.getSslTermination(this, options);
  }
  /** pyrax's `add_ssl_termination(securePort, privatekey, certificate, intermediateCertificate, enabled, secureTrafficOnly)`, or one object. */
  async addSslTermination(...args: unknown[]): Promise<void> {
    await this.manager.addSslTermination(this, ...args);
  }
  /** pyrax's `update_ssl_termination(securePort, enabled, secureTrafficOnly)`, or one object. */
  async updateSslTermination(...args: unknown[]): Promise<void> {
    await this.manager.updateSslTermination(this, ...args);
  }
  async deleteSslTermination(options: CallOptions = {}): Promise<void> {
    await this.manager.deleteSslTermination(this, options);
  }
  async getMetadata(options: CallOptions = {}): Promise<Record<string, string>> {
    return this.manager.getMetadata(this, options);
  }
  async setMetadata(metadata: Record<string, string>, options: CallOptions = {}): Promise<void> {
    await this.manager.setMetadata(this, metadata, options);
  }
  async updateMetadata(metadata: Record<string, string>, options: CallOptions = {}): Promise<void> {
    await this.manager.updateMetadata(this, metadata, options);
  }
  async deleteMetadata(keys?: string[] | null, options: CallOptions = {}): Promise<void> {
    await this.manager.deleteMetadata(this, keys, options);
  }

  toJSON(): LoadBalancerInfo {
    return this.#info;
  }
}
