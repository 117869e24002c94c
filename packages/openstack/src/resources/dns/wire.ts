// What Cloud DNS needs from a wire, in Rackspace Cloud DNS v1.0's shapes (pyrax's own): domains and
// records as Rackspace described them. Two wires implement it: Designate v2 (designate.ts), which
// maps zones and recordsets onto these shapes, and Rackspace's own API (rackspace.ts).
import { setTimeout as sleep } from "node:timers/promises";
import { DNSCallTimedOut } from "../../errors.js";

/** A domain as Rackspace Cloud DNS described it (Designate: a zone). */
export interface DomainData {
  id: string;
  /** Without the trailing dot: "example.com". */
  name: string;
  emailAddress?: string;
  ttl?: number;
  comment?: string;
  created?: string;
  updated?: string;
  accountId?: string;
  /** Designate only: PENDING, ACTIVE or ERROR. */
  status?: string;
  /** Designate only: the SOA serial. */
  serial?: number;
}

/** One record (Designate: one value of a recordset; see decision 0014). */
export interface RecordData {
  id: string;
  /** Fully qualified, without the trailing dot: "www.example.com". */
  name: string;
  type: string;
  /** The value; for MX and SRV without the priority, which is `priority`. */
  data: string;
  priority?: number;
  ttl?: number;
  comment?: string;
  created?: string;
  updated?: string;
  domainId: string;
  /** Designate only: the recordset this record is a value of. */
  recordsetId?: string;
  /** Designate only: the recordset's status (PENDING, ACTIVE, ERROR). */
  status?: string;
}

/** What `addRecords` takes for each record (pyrax's dict keys). */
export interface RecordInput {
  type: string;
  name: string;
  data: string;
  ttl?: number;
  comment?: string;
  /** MX and SRV only (required there). */
  priority?: number;
}

/** What `updateRecords` takes for each record: its id and name, and what changes. */
export interface RecordChange {
  id: string;
  name?: string;
  data?: string;
  ttl?: number;
  comment?: string;
  priority?: number;
}

/** A domain to create, with its subdomains and records, as sent to Rackspace Cloud DNS or Designate. */
export interface DomainInput {
  name: string;
  emailAddress: string;
  ttl?: number;
  comment?: string;
  /** Created with the domain (each `{ name, emailAddress, comment }`). */
  subdomains?: { name: string; emailAddress?: string; comment?: string; ttl?: number }[];
  records?: RecordInput[];
}

/** What a domain update sends: the e-mail address, TTL and comment to change. */
export interface DomainChanges {
  emailAddress?: string;
  ttl?: number;
  comment?: string;
}

/** One page of a listing, and whether another follows. */
export interface WirePage<T> {
  items: T[];
  /** Rackspace's totalEntries, Designate's total_count, when the server said. */
  total?: number;
  more: boolean;
}

export interface RecordFilter {
  type?: string;
  name?: string;
  data?: string;
}

export interface Paging {
  limit?: number;
  offset?: number;
}

/** The PTR records of a device: a server, a load balancer or (OpenStack) a floating IP, by its id and link. */
export interface PtrDevice {
  kind: "server" | "loadbalancer" | "floatingip";
  id: string;
  /** The device's URL (Rackspace's `link.href`); its region for a floating IP on Designate. */
  href: string;
}

export interface DnsWire {
  listDomains(paging: Paging & { name?: string }, signal?: AbortSignal): Promise<WirePage<DomainData>>;
  getDomain(id: string, signal?: AbortSignal): Promise<DomainData>;
  createDomain(input: DomainInput, signal?: AbortSignal): Promise<DomainData>;
  updateDomain(id: string, changes: DomainChanges, signal?: AbortSignal): Promise<void>;
  deleteDomain(id: string, deleteSubdomains: boolean, signal?: AbortSignal): Promise<void>;
  /** Subdomains of `domain`, itself excluded. */
  listSubdomains(domain: DomainData, paging: Paging, signal?: AbortSignal): Promise<WirePage<DomainData>>;
  listRecords(domainId: string, paging: Paging & RecordFilter, signal?: AbortSignal): Promise<WirePage<RecordData>>;
  getRecord(domainId: string, recordId: string, signal?: AbortSignal): Promise<RecordData>;
  addRecords(domainId: string, records: RecordInput[], signal?: AbortSignal): Promise<RecordData[]>;
  updateRecords(domainId: string, records: RecordChange[], signal?: AbortSignal): Promise<void>;
  deleteRecord(domainId: string, recordId: string, signal?: AbortSignal): Promise<void>;
  exportDomain(id: string, signal?: AbortSignal): Promise<string>;
  importDomain(zoneFile: string, signal?: AbortSignal): Promise<DomainData[]>;
  listPtrRecords(device: PtrDevice, signal?: AbortSignal): Promise<RecordData[]>;
  addPtrRecords(device: PtrDevice, records: RecordInput[], signal?: AbortSignal): Promise<RecordData[]>;
  updatePtrRecord(device: PtrDevice, record: RecordChange & { name: string }, signal?: AbortSignal): Promise<void>;
  deletePtrRecords(device: PtrDevice, ipAddress: string | undefined, signal?: AbortSignal): Promise<void>;
  /** The domain's changes since `since` (pyrax's ISO time with +0000), as the API lists them. */
  changesSince(domainId: string, since: string, signal?: AbortSignal): Promise<Record<string, unknown>[]>;
  absoluteLimits(signal?: AbortSignal): Promise<Record<string, number>>;
  rateLimits(signal?: AbortSignal): Promise<RateLimit[]>;
}

/** pyrax's get_rate_limits entries. */
export interface RateLimit {
  uri: string;
  limits: Record<string, unknown>[];
}

/**
 * pyrax's wait for a DNS change: every `delay` seconds, for at most `timeout` seconds (0: no limit),
 * then DNSCallTimedOut. Rackspace's asynchronous jobs and Designate's PENDING states both wait here.
 */
export class DnsClock {
  /** Seconds (pyrax's DEFAULT_TIMEOUT, 5). */
  timeout = 5;
  /** Seconds between two checks (pyrax's DEFAULT_DELAY, 0.5). */
  delay = 0.5;

  /** Calls `check` until it returns a value other than undefined. */
  async until<T>(what: string, check: () => Promise<T | undefined>, signal?: AbortSignal): Promise<T> {
    const started = Date.now();
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (this.timeout > 0 && Date.now() - started > this.timeout * 1000) {
        throw new DNSCallTimedOut(`${what} did not complete after ${this.timeout} seconds`);
      }
      await sleep(this.delay * 1000, undefined, { signal });
    }
  }
}

/** "www.example.com." → "www.example.com". */
export function withoutDot(name: string): string {
  return name.endsWith(".") ? name.slice(0, -1) : name;
}

/** "www.example.com" → "www.example.com.". */
export function withDot(name: string): string {
  return name.endsWith(".") ? name : `${name}.`;
}
