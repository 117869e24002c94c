// A simulator of Rackspace Cloud Load Balancers v1.0 (the API pyrax's cloud_loadbalancers spoke), built
// from the documented request and response shapes: load balancers with nodes, virtual IPs, a health
// monitor, session persistence and connection logging. It checks what it receives (required fields,
// protocols, algorithms, node addresses and conditions) and, as the real service, answers 422 to a
// change while a load balancer is BUILD or PENDING_UPDATE; each change settles to ACTIVE after `settleMs`.
import { isIP } from "node:net";
import { fault, itemNotFound, type SimRequest, type SimResponse, type SimService } from "./server.js";

const PROTOCOLS: Record<string, number> = { HTTP: 80, HTTPS: 443, TCP: 0, UDP: 0, MYSQL: 3306, SMTP: 25, FTP: 21 };
const ALGORITHMS = ["RANDOM", "ROUND_ROBIN", "LEAST_CONNECTIONS", "WEIGHTED_ROUND_ROBIN", "WEIGHTED_LEAST_CONNECTIONS"];
const CONDITIONS = ["ENABLED", "DISABLED", "DRAINING"];

interface SimNode {
  id: number;
  address: string;
  port: number;
  condition: string;
  weight: number;
  type: string;
  status: string;
}

interface SimLb {
  id: number;
  name: string;
  protocol: string;
  port: number;
  algorithm: string;
  status: string;
  timeout: number;
  halfClosed: boolean;
  nodes: SimNode[];
  virtualIps: { id: number; address: string; type: string; ipVersion: string }[];
  healthMonitor?: Record<string, unknown>;
  sessionPersistence?: string;
  connectionLogging: boolean;
  contentCaching?: boolean;
  connectionThrottle?: Record<string, unknown>;
  sslTermination?: Record<string, unknown>;
  created: string;
  updated: string;
}

/** Options of `rackspaceLoadBalancers`. */
export interface RackspaceLoadBalancersOptions {
  /** How long a load balancer stays BUILD or PENDING_UPDATE after a change (default 300 ms). */
  settleMs?: number;
  /** How many load balancers the account may have (Rackspace's limit answer is 413 overLimit). */
  maxLoadBalancers?: number;
}

const validation = (details: string) => ({ status: 400, body: { code: 400, message: "Validation Failure", details } });

/** A simulated Rackspace Cloud Load Balancers v1.0 account, empty, to pass to `startRackspaceSimulator`. */
export function rackspaceLoadBalancers(options: RackspaceLoadBalancersOptions = {}): SimService {
  const settleMs = options.settleMs ?? 300;
  const lbs = new Map<number, SimLb>();
  let nextId = 1000;
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

  // A change puts the load balancer in `status` until it settles, as the real service's workers do.
  const change = (lb: SimLb, status = "PENDING_UPDATE") => {
    lb.status = status;
    lb.updated = now();
    setTimeout(() => {
      if (lb.status === "PENDING_DELETE") lbs.delete(lb.id);
      else lb.status = "ACTIVE";
    }, settleMs).unref();
  };
  const find = (id: string): SimLb | undefined => lbs.get(Number(id));
  const mutable = (lb: SimLb): SimResponse | undefined =>
    lb.status === "ACTIVE"
      ? undefined
      : {
          status: 422,
          body: {
            code: 422,
            message: `Load Balancer '${lb.id}' has a status of '${lb.status}' and is considered immutable.`,
          },
        };
  const nodeError = (n: Record<string, unknown>): string | undefined => {
    if (typeof n.address !== "string" || !isIP(n.address))
      return `Node address ${JSON.stringify(n.address)} is not a valid IP address`;
    if (typeof n.port !== "number" || n.port < 1 || n.port > 65535) return "Node port must be 1-65535";
    if (n.condition !== undefined && !CONDITIONS.includes(String(n.condition))) return "Node condition is invalid";
    return undefined;
  };
  const makeNode = (n: Record<string, unknown>): SimNode => ({
    id: nextId++,
    address: String(n.address),
    port: Number(n.port),
    condition: String(n.condition ?? "ENABLED"),
    weight: Number(n.weight ?? 1),
    type: String(n.type ?? "PRIMARY"),
    status: "ONLINE",
  });
  const view = (lb: SimLb) => ({
    ...lb,
    nodeCount: lb.nodes.length,
    created: { time: lb.created },
    updated: { time: lb.updated },
    sessionPersistence: lb.sessionPersistence ? { persistenceType: lb.sessionPersistence } : undefined,
    connectionLogging: { enabled: lb.connectionLogging },
    healthMonitor: lb.healthMonitor,
  });
  const withLb =
    (handle: (lb: SimLb, request: SimRequest, ...groups: string[]) => SimResponse) =>
    (request: SimRequest, id: string, ...groups: string[]): SimResponse => {
      const lb = find(id);
      return lb ? handle(lb, request, ...groups) : itemNotFound("Load balancer");
    };
  const mutating = (handle: (lb: SimLb, request: SimRequest, ...groups: string[]) => SimResponse) =>
    withLb((lb, request, ...groups) => mutable(lb) ?? handle(lb, request, ...groups));

  const create = (request: SimRequest): SimResponse => {
    const spec = (request.body as { loadBalancer?: Record<string, unknown> })?.loadBalancer;
    if (!spec) return validation("The body must hold a loadBalancer");
    if (typeof spec.name !== "string" || !spec.name) return validation("Must provide a name for the load balancer");
    const protocol = String(spec.protocol ?? "");
    if (!(protocol in PROTOCOLS)) return validation(`Protocol ${JSON.stringify(spec.protocol)} is not supported`);
    if (typeof spec.port !== "number") return validation("Must provide a port for the load balancer");
    const algorithm = String(spec.algorithm ?? "RANDOM");
    if (!ALGORITHMS.includes(algorithm)) return validation(`Algorithm ${algorithm} is not supported`);
    const vips = (spec.virtualIps ?? []) as Record<string, unknown>[];
    if (!vips.length || vips.some((v) => !v.id && !["PUBLIC", "SERVICENET"].includes(String(v.type)))) {
      return validation("Must have at least one virtual ip of type PUBLIC or SERVICENET");
    }
    const nodes = (spec.nodes ?? []) as Record<string, unknown>[];
    const bad = nodes.map(nodeError).find(Boolean);
    if (bad) return validation(bad);
    if (options.maxLoadBalancers !== undefined && lbs.size >= options.maxLoadBalancers) {
      return fault(413, "overLimit", `Your account is limited to ${options.maxLoadBalancers} load balancers`);
    }
    const id = nextId++;
    const lb: SimLb = {
      id,
      name: spec.name,
      protocol,
      port: spec.port,
      algorithm,
      status: "BUILD",
      timeout: Number(spec.timeout ?? 30),
      halfClosed: spec.halfClosed === true,
      nodes: nodes.map(makeNode),
      virtualIps: vips.map((v, i) => ({
        id: Number(v.id ?? nextId++),
        address: v.ipVersion === "IPV6" ? `2001:db8::${id.toString(16)}` : `203.0.113.${(id + i) % 250}`,
        type: String(v.type ?? "PUBLIC"),
        ipVersion: String(v.ipVersion ?? "IPV4"),
      })),
      healthMonitor: spec.healthMonitor as Record<string, unknown> | undefined,
      sessionPersistence: (spec.sessionPersistence as { persistenceType?: string } | undefined)?.persistenceType,
      connectionLogging: (spec.connectionLogging as { enabled?: boolean } | undefined)?.enabled === true,
      created: now(),
      updated: now(),
    };
    lbs.set(id, lb);
    change(lb, "BUILD");
    return { status: 202, body: { loadBalancer: view(lb) } };
  };

  const routes: SimService["routes"] = [
    {
      method: "GET",
      path: /\/loadbalancers/,
      handle: () => ({
        status: 200,
        body: {
          loadBalancers: [...lbs.values()].map((lb) => {
            const { nodes: _nodes, healthMonitor: _hm, ...summary } = view(lb);
            return summary;
          }),
        },
      }),
    },
    { method: "POST", path: /\/loadbalancers/, handle: create },
    {
      method: "GET",
      path: /\/loadbalancers\/algorithms/,
      handle: () => ({ status: 200, body: { algorithms: ALGORITHMS.map((name) => ({ name })) } }),
    },
    {
      method: "GET",
      path: /\/loadbalancers\/protocols/,
      handle: () => ({
        status: 200,
        body: { protocols: Object.entries(PROTOCOLS).map(([name, port]) => ({ name, port })) },
      }),
    },
    {
      method: "GET",
      path: /\/loadbalancers\/(\d+)/,
      handle: withLb((lb) => ({ status: 200, body: { loadBalancer: view(lb) } })),
    },
    {
      method: "PUT",
      path: /\/loadbalancers\/(\d+)/,
      handle: mutating((lb, request) => {
        const spec = (request.body as { loadBalancer?: Record<string, unknown> })?.loadBalancer ?? {};
        const unknown = Object.keys(spec).filter(
          (k) => !["name", "algorithm", "protocol", "port", "timeout", "halfClosed", "httpsRedirect"].includes(k),
        );
        if (unknown.length) return validation(`Unknown attributes: ${unknown.join(", ")}`);
        if (spec.algorithm !== undefined && !ALGORITHMS.includes(String(spec.algorithm)))
          return validation("Algorithm is not supported");
        Object.assign(lb, spec);
        change(lb);
        return { status: 202 };
      }),
    },
    {
      method: "DELETE",
      path: /\/loadbalancers\/(\d+)/,
      handle: mutating((lb) => {
        change(lb, "PENDING_DELETE");
        return { status: 202 };
      }),
    },
    {
      method: "GET",
      path: /\/loadbalancers\/(\d+)\/nodes/,
      handle: withLb((lb) => ({ status: 200, body: { nodes: lb.nodes } })),
    },
    {
      method: "POST",
      path: /\/loadbalancers\/(\d+)\/nodes/,
      handle: mutating((lb, request) => {
        const nodes = (request.body as { nodes?: Record<string, unknown>[] })?.nodes;
        if (!Array.isArray(nodes) || !nodes.length) return validation("Must provide nodes");
        const bad = nodes.map(nodeError).find(Boolean);
        if (bad) return validation(bad);
        if (nodes.some((n) => lb.nodes.some((m) => m.address === n.address && m.port === n.port))) {
          return validation("Duplicate nodes detected. One or more nodes already configured on load balancer.");
        }
        const made = nodes.map(makeNode);
        lb.nodes.push(...made);
        change(lb);
        return { status: 202, body: { nodes: made } };
      }),
    },
    {
      method: "PUT",
      path: /\/loadbalancers\/(\d+)\/nodes\/(\d+)/,
      handle: mutating((lb, request, nodeId) => {
        const node = lb.nodes.find((n) => n.id === Number(nodeId));
        if (!node) return itemNotFound("Node");
        const spec = (request.body as { node?: Record<string, unknown> })?.node ?? {};
        if (spec.condition !== undefined && !CONDITIONS.includes(String(spec.condition)))
          return validation("Node condition is invalid");
        const unknown = Object.keys(spec).filter((k) => !["condition", "weight", "type"].includes(k));
        if (unknown.length) return validation(`Node attributes cannot be changed: ${unknown.join(", ")}`);
        Object.assign(node, spec);
        change(lb);
        return { status: 202 };
      }),
    },
    {
      method: "DELETE",
      path: /\/loadbalancers\/(\d+)\/nodes\/(\d+)/,
      handle: mutating((lb, _request, nodeId) => {
        const before = lb.nodes.length;
        lb.nodes = lb.nodes.filter((n) => n.id !== Number(nodeId));
        if (lb.nodes.length === before) return itemNotFound("Node");
        change(lb);
        return { status: 202 };
      }),
    },
    ...settings(
      "healthmonitor",
      "healthMonitor",
      (lb) => lb.healthMonitor ?? {},
      (lb, value) => (lb.healthMonitor = value),
    ),
    ...settings(
      "sessionpersistence",
      "sessionPersistence",
      (lb) => (lb.sessionPersistence ? { persistenceType: lb.sessionPersistence } : {}),
      (lb, value) => (lb.sessionPersistence = value?.persistenceType as string | undefined),
    ),
    ...settings(
      "connectionlogging",
      "connectionLogging",
      (lb) => ({ enabled: lb.connectionLogging }),
      (lb, value) => (lb.connectionLogging = String(value?.enabled) === "true"),
    ),
    ...settings(
      "connectionthrottle",
      "connectionThrottle",
      (lb) => lb.connectionThrottle ?? {},
      (lb, value) => (lb.connectionThrottle = value && { ...lb.connectionThrottle, ...value }),
    ),
    ...settings(
      "contentcaching",
      "contentCaching",
      (lb) => ({ enabled: lb.contentCaching === true }),
      (lb, value) => (lb.contentCaching = String(value?.enabled) === "true"),
    ),
    // Rackspace keeps the key and certificates but does not show them again.
    ...settings(
      "ssltermination",
      "sslTermination",
      (lb) => {
        const {
          privatekey: _key,
          certificate: _cert,
          intermediateCertificate: _chain,
          ...shown
        } = lb.sslTermination ?? {};
        return shown;
      },
      (lb, value) => (lb.sslTermination = value && { ...lb.sslTermination, ...value }),
    ),
    {
      method: "GET",
      path: /\/loadbalancers\/(\d+)\/stats/,
      handle: withLb(() => ({
        status: 200,
        body: {
          connectTimeOut: 0,
          connectError: 0,
          connectFailure: 0,
          dataTimedOut: 0,
          keepAliveTimedOut: 0,
          maxConn: 0,
        },
      })),
    },
  ];

  // GET, PUT and DELETE of one setting of a load balancer (/healthmonitor …), under its JSON key.
  function settings(
    path: string,
    key: string,
    read: (lb: SimLb) => Record<string, unknown>,
    write: (lb: SimLb, value: Record<string, unknown> | undefined) => void,
  ): SimService["routes"] {
    const at = new RegExp(`/loadbalancers/(\\d+)/${path}`);
    return [
      { method: "GET", path: at, handle: withLb((lb) => ({ status: 200, body: { [key]: read(lb) } })) },
      {
        method: "PUT",
        path: at,
        handle: mutating((lb, request) => {
          const value = (request.body as Record<string, Record<string, unknown> | undefined>)?.[key];
          if (!value || typeof value !== "object") return validation(`The body must hold ${key}`);
          write(lb, value);
          change(lb);
          return { status: 202 };
        }),
      },
      {
        method: "DELETE",
        path: at,
        handle: mutating((lb) => {
          write(lb, undefined);
          change(lb);
          return { status: 202 };
        }),
      },
    ];
  }

  return {
    type: "rax:load-balancer",
    name: "cloudLoadBalancers",
    prefix: "loadbalancers",
    regions: ["DFW", "ORD"],
    routes,
  };
}
