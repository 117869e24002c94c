// Cloud Load Balancers over Octavia v2 (pyrax's cloud_loadbalancers): the public API of this folder.
// `new CloudLoadBalancers(serviceClientOptions)` is the client a context builds for the catalog's "load-balancer".
export { CloudLoadBalancers, octaviaApiRoot } from "./client.js";
export type { ConnectionThrottle } from "./settings.js";
export { type LoadBalancerCreateOptions, type VipSubnets } from "./create.js";
export {
  CloudLoadBalancer,
  type CallOptions as LoadBalancerCallOptions,
  type HealthMonitorOptions,
  type LoadBalancerManager,
  type LoadBalancerUpdate,
  type SslTermination,
} from "./load-balancer.js";
export {
  OCTAVIA_ALGORITHMS,
  OCTAVIA_PROTOCOLS,
  type HealthMonitorInfo,
  type LoadBalancerInfo,
  type LoadBalancerParts,
  type NodeInfo,
  type VirtualIpInfo,
} from "./mapping.js";
export {
  OctaviaCollections,
  OctaviaResource,
  type HealthMonitor,
  type HealthMonitorRecord,
  type L7Policy,
  type L7PolicyRecord,
  type L7Rule,
  type L7RuleRecord,
  type Listener,
  type ListenerRecord,
  type LoadBalancer,
  type LoadBalancerRecord,
  type Member,
  type MemberRecord,
  type Pool,
  type PoolRecord,
  type ProvisioningStatus,
  type SessionPersistence,
} from "./native.js";
export {
  Node,
  VirtualIP,
  type NodeChanges,
  type NodeCondition,
  type NodeOptions,
  type NodeParent,
  type NodeType,
  type VirtualIPOptions,
} from "./node.js";
