// Cloud Networks over Neutron v2.0 (pyrax's cloud_networks): the public API of this folder.
// `new CloudNetworks(serviceClientOptions)` is the client a context builds for the catalog's "network".
export {
  CloudNetworks,
  neutronApiRoot,
  type Filters as NetworkFilters,
  type NetworkCreateOptions,
  type Ref as NetworkRef,
} from "./client.js";
export {
  NeutronCollection,
  neutronListQuery,
  type CallOptions as NetworkCallOptions,
  type FilterValue,
  type FindOptions as NetworkFindOptions,
  type ListOptions as NetworkListOptions,
  type NeutronRecord,
} from "./collection.js";
export { NeutronResource } from "./resource.js";
export {
  Network,
  PSEUDO_NETWORKS,
  PUBLIC_NET_ID,
  SERVICE_NET_ID,
  getServerNetworks,
  type NetworkAttributes,
  type NetworkCreateAttributes,
  type NetworkRecord,
  type ServerNetwork,
  type ServerNetworksOptions,
} from "./network.js";
export {
  Subnet,
  checkCidr,
  type AllocationPool,
  type HostRoute,
  type SubnetAttributes,
  type SubnetCreateAttributes,
  type SubnetRecord,
} from "./subnet.js";
export { Port, type FixedIp, type PortAttributes, type PortCreateAttributes, type PortRecord } from "./port.js";
export {
  SecurityGroup,
  SecurityGroupRule,
  type SecurityGroupAttributes,
  type SecurityGroupCreateAttributes,
  type SecurityGroupRecord,
  type SecurityGroupRuleCreateAttributes,
  type SecurityGroupRuleRecord,
} from "./security-group.js";
export {
  Router,
  type ExternalGatewayInfo,
  type RouterAttributes,
  type RouterCreateAttributes,
  type RouterInterface,
  type RouterInterfaceTarget,
  type RouterRecord,
} from "./router.js";
export {
  FloatingIp,
  type FloatingIpAttributes,
  type FloatingIpCreateAttributes,
  type FloatingIpRecord,
} from "./floating-ip.js";
