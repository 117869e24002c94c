// Rackspace Cloud Load Balancers v1.0, the API pyrax's cloud_loadbalancers spoke (identity_type
// rackspace, catalog type rax:load-balancer): one load balancer object with its sub-resources, sent as
// pyrax sent them. CloudLoadBalancers hands its pyrax calls here when its endpoint is a v1.0 one.
import { BadRequest, InvalidNodeParameters } from "../../errors.js";
import type { Transport } from "@nimbus-sdk/common";
import { novaListing, type Listing, type PagingOptions } from "../compute/listing.js";
import {
  CloudLoadBalancer,
  type CallOptions,
  type HealthMonitorOptions,
  type LoadBalancerManager,
  type LoadBalancerUpdate,
} from "./load-balancer.js";
import type { HealthMonitorInfo, LoadBalancerInfo, NodeInfo, VirtualIpInfo } from "./mapping.js";
import type { LoadBalancerCreateOptions } from "./create.js";
import type { Node, NodeChanges, VirtualIP } from "./node.js";

type Json = Record<string, unknown>;

/** Node ids are numbers on Rackspace; the face keeps every id a string. */
function info(raw: Json): LoadBalancerInfo {
  const nodes = raw.nodes as (NodeInfo & { id: string | number })[] | undefined;
  const vips = raw.virtualIps as { id?: string | number }[] | undefined;
  return {
    ...(raw as unknown as LoadBalancerInfo),
    id: String(raw.id),
    nodes: nodes?.map((n) => ({ ...n, id: String(n.id) })),
    virtualIps: vips?.map((v) => ({ ...(v as VirtualIpInfo), id: v.id === undefined ? undefined : String(v.id) })),
  };
}

/** Drops undefined fields, as pyrax's JSON encoding of None-less dicts would. */
function defined(body: Json): Json {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

export class RackspaceWire {
  readonly #transport: Transport;
  readonly #endpoint: URL;
  readonly #manager: LoadBalancerManager;

  constructor(transport: Transport, endpoint: URL, manager: LoadBalancerManager) {
    this.#transport = transport;
    this.#endpoint = endpoint;
    this.#manager = manager;
  }

  #url(...segments: (string | number)[]): URL {
    return new URL(["loadbalancers", ...segments.map((s) => encodeURIComponent(String(s)))].join("/"), this.#endpoint);
  }

  async #call<T = Json>(method: string, url: URL, json?: unknown, signal?: AbortSignal): Promise<T | undefined> {
    const response = await this.#transport.request({ method, url, json, signal });
    const text = await response.text();
    return text ? (JSON.parse(text) as T) : undefined;
  }

  #wrap(raw: Json): CloudLoadBalancer {
    return new CloudLoadBalancer(this.#manager, info(raw));
  }

  async create(
    name: string,
    o: LoadBalancerCreateOptions,
    nodes: Node[],
    vips: VirtualIP[],
  ): Promise<CloudLoadBalancer> {
    const persistence =
      typeof o.sessionPersistence === "string" ? { persistenceType: o.sessionPersistence } : o.sessionPersistence;
    const logging = typeof o.connectionLogging === "boolean" ? { enabled: o.connectionLogging } : o.connectionLogging;
    const body = await this.#call<{ loadBalancer: Json }>(
      "POST",
      this.#url(),
      {
        loadBalancer: defined({
          name,
          port: o.port,
          protocol: o.protocol,
          nodes: nodes.map((n) => defined(n.toDict())),
          virtualIps: vips.map((v) => v.toDict()),
          algorithm: o.algorithm ?? "RANDOM",
          halfClosed: o.halfClosed,
          accessList: o.accessList,
          connectionLogging: logging,
          connectionThrottle: o.connectionThrottle,
          healthMonitor: o.healthMonitor,
          metadata: o.metadata ?? undefined,
          timeout: o.timeout,
          sessionPersistence: persistence,
          httpsRedirect: o.httpsRedirect,
        }),
      },
      o.signal,
    );
    return this.#wrap(body!.loadBalancer);
  }

  list(options: PagingOptions): Listing<CloudLoadBalancer> {
    return novaListing({}, options, async (query, signal) => {
      const body = await this.#transport.json<{ loadBalancers: Json[] }>({ url: this.#url(), query, signal });
      return { items: body.loadBalancers.map((raw) => this.#wrap(raw)), next: undefined };
    });
  }

  async getInfo(id: string, options: CallOptions = {}): Promise<{ info: LoadBalancerInfo }> {
    const body = await this.#transport.json<{ loadBalancer: Json }>({ url: this.#url(id), signal: options.signal });
    return { info: info(body.loadBalancer) };
  }

  async update(id: string, changes: LoadBalancerUpdate, signal?: AbortSignal): Promise<void> {
    await this.#call("PUT", this.#url(id), { loadBalancer: defined({ ...changes }) }, signal);
  }

  async delete(id: string, signal?: AbortSignal): Promise<void> {
    await this.#call("DELETE", this.#url(id), undefined, signal);
  }

  async addNodes(lb: CloudLoadBalancer, nodes: Node[], signal?: AbortSignal): Promise<Node[]> {
    let body: { nodes: NodeInfo[] } | undefined;
    try {
      body = await this.#call<{ nodes: NodeInfo[] }>(
        "POST",
        this.#url(lb.id, "nodes"),
        { nodes: nodes.map((n) => defined(n.toDict())) },
        signal,
      );
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      throw new InvalidNodeParameters(error.message, { ...error.context, cause: error });
    }
    return nodes.map((node, i) => {
      const made = body?.nodes[i];
      node.id = made === undefined ? undefined : String(made.id);
      node.status = made?.status;
      node.parent = lb;
      node.markSaved();
      return node;
    });
  }

  async listNodes(lb: CloudLoadBalancer, signal?: AbortSignal): Promise<NodeInfo[]> {
    const body = await this.#transport.json<{ nodes: NodeInfo[] }>({ url: this.#url(lb.id, "nodes"), signal });
    return body.nodes.map((n) => ({ ...n, id: String(n.id) }));
  }

  async deleteNode(lb: CloudLoadBalancer, nodeId: string, signal?: AbortSignal): Promise<void> {
    await this.#call("DELETE", this.#url(lb.id, "nodes", nodeId), undefined, signal);
  }

  async updateNode(lb: CloudLoadBalancer, nodeId: string, diff: NodeChanges, signal?: AbortSignal): Promise<void> {
    await this.#call("PUT", this.#url(lb.id, "nodes", nodeId), { node: defined({ ...diff }) }, signal);
  }

  async addVirtualip(lb: CloudLoadBalancer, vip: VirtualIP, signal?: AbortSignal): Promise<void> {
    await this.#call("POST", this.#url(lb.id, "virtualips"), vip.toDict(), signal);
  }

  async deleteVirtualip(lb: CloudLoadBalancer, vipId: string, signal?: AbortSignal): Promise<void> {
    await this.#call("DELETE", this.#url(lb.id, "virtualips", vipId), undefined, signal);
  }

  /** GET, PUT or DELETE of one setting (`healthmonitor`, `sessionpersistence`, `connectionlogging`). */
  async setting(
    lb: CloudLoadBalancer,
    path: string,
    method: "GET" | "PUT" | "DELETE",
    body?: Json,
    signal?: AbortSignal,
  ): Promise<Json> {
    return (await this.#call<Json>(method, this.#url(lb.id, path), body, signal)) ?? {};
  }

  async addHealthMonitor(lb: CloudLoadBalancer, settings: HealthMonitorOptions, signal?: AbortSignal): Promise<void> {
    const hm = {
      type: settings.type,
      delay: settings.delay ?? 10,
      timeout: settings.timeout ?? 10,
      attemptsBeforeDeactivation: settings.attemptsBeforeDeactivation ?? 3,
    };
    const http = settings.type?.toUpperCase().startsWith("HTTP");
    const body = http
      ? defined({
          ...hm,
          path: settings.path ?? "/",
          statusRegex: settings.statusRegex,
          bodyRegex: settings.bodyRegex,
          hostHeader: settings.hostHeader,
        })
      : hm;
    await this.setting(lb, "healthmonitor", "PUT", { healthMonitor: body }, signal);
  }

  async getHealthMonitor(
    lb: CloudLoadBalancer,
    signal?: AbortSignal,
  ): Promise<HealthMonitorInfo | Record<string, never>> {
    return ((await this.setting(lb, "healthmonitor", "GET", undefined, signal)).healthMonitor ??
      {}) as HealthMonitorInfo;
  }

  async getStats(lb: CloudLoadBalancer, signal?: AbortSignal): Promise<Record<string, number>> {
    return await this.#transport.json<Record<string, number>>({ url: this.#url(lb.id, "stats"), signal });
  }

  async names(what: "algorithms" | "protocols"): Promise<string[]> {
    const body = await this.#transport.json<Record<string, { name: string }[]>>({ url: this.#url(what) });
    return body[what]!.map((x) => x.name);
  }
}
