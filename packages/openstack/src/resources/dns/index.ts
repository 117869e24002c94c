export {
  CloudDNS,
  type CloudDnsOptions,
  type DomainCreateArgs,
  type DomainCreateOptions,
  type DomainFilter,
  type DomainRef,
  type PtrDeviceRef,
  type RecordRef,
} from "./client.js";
export {
  CloudDNSDomain,
  type DomainUpdate,
  type DomainUpdateArgs,
  type PageArgs,
  type PageOptions,
  type RecordSearch,
  type RecordSearchArgs,
} from "./domain.js";
export { CloudDNSPTRRecord, CloudDNSRecord, type RecordUpdate, type RecordUpdateArgs } from "./record.js";
export type {
  DomainChanges,
  DomainData,
  DomainInput,
  PtrDevice,
  RateLimit,
  RecordChange,
  RecordData,
  RecordInput,
} from "./wire.js";
