// pyrax.cloud_dns: domains, records, subdomains, zone files and PTR records, camelCased. It speaks
// Designate v2 on OpenStack, and Rackspace Cloud DNS v1.0 (with its asynchronous jobs) when the catalog
// lists `rax:dns`; the same calls and objects either way (decision 0014).
import { NotFoundError, ValidationError } from "@nimbus-sdk/common";
import { callArgs, checkOptions } from "../../arguments.js";
import {
  DomainRecordNotFound,
  DomainRecordNotUnique,
  InvalidDeviceType,
  MissingDNSSettings,
  NoMoreResults,
  NoUniqueMatch,
  NotFound,
} from "../../errors.js";
import { ServiceClient, type ServiceClientOptions } from "../../service-client.js";
import { isoTimeString } from "../../utils.js";
import { DesignateWire } from "./designate.js";
import {
  CloudDNSDomain,
  pageOptions,
  recordSearch,
  domainUpdate,
  type DomainUpdate,
  type DomainUpdateArgs,
  type PageArgs,
  type PageOptions,
  type RecordSearch,
  type RecordSearchArgs,
} from "./domain.js";
import { CloudDNSPTRRecord, CloudDNSRecord, recordUpdate, type CallOptions, type RecordUpdate } from "./record.js";
import { RackspaceDnsWire } from "./rackspace.js";
import {
  DnsClock,
  type DnsWire,
  type DomainData,
  type DomainInput,
  type Paging,
  type PtrDevice,
  type RateLimit,
  type RecordChange,
  type RecordInput,
  type WirePage,
} from "./wire.js";

/** A domain object, its id, or its name (pyrax's `assure_domain`: the id is tried first). */
export type DomainRef = CloudDNSDomain | string;
/** A record object or its id. */
export type RecordRef = CloudDNSRecord | string | { id: string };

/**
 * A device with reverse DNS: a server or load balancer object of this package, or, beside pyrax,
 * `{ kind, id, href }` naming one (Rackspace's `link.href`: the device's URL).
 */
export type PtrDeviceRef =
  PtrDevice | { id: string; constructor: { name: string }; links?: { rel: string; href: string }[] };

export interface CloudDnsOptions extends ServiceClientOptions {
  /** Speak Rackspace Cloud DNS v1.0 (the catalog's `rax:dns`) instead of Designate v2. */
  rackspace?: boolean;
}

/** What `create` takes for a new domain (pyrax's `create(name, emailAddress, ttl, comment, subdomains, records)`). */
export interface DomainCreateOptions extends CallOptions {
  name?: string;
  emailAddress?: string;
  /** Default 3600, as pyrax's. */
  ttl?: number;
  comment?: string;
  subdomains?: DomainInput["subdomains"];
  records?: RecordInput[];
}

/** The arguments of `create`: pyrax's positional order, or one options object. */
export type DomainCreateArgs =
  | [options: DomainCreateOptions]
  | [
      name: string,
      emailAddress?: string,
      ttl?: number,
      comment?: string,
      subdomains?: DomainInput["subdomains"],
      records?: RecordInput[],
      options?: CallOptions,
    ];

/** pyrax's `find`/`findall` keywords: any domain attribute (by name) and the value it must have. */
export type DomainFilter = Partial<Record<"id" | "name" | "emailAddress" | "ttl" | "comment" | "accountId", unknown>>;

/** Domains, records and subdomains are listed 100 to a page when iterating (Rackspace's page size). */
const ITERATOR_PAGE = 100;

type PagingState = {
  kind: "domain" | "subdomain" | "record";
  limit: number;
  offset: number;
  more: boolean;
  domain?: CloudDNSDomain;
};

export class CloudDNS extends ServiceClient {
  /** Which API this client speaks. */
  readonly api: "designate" | "rackspace";
  readonly #clock = new DnsClock();
  readonly #wire: DnsWire;
  readonly #paging = new Map<PagingState["kind"], PagingState>();

  constructor(options: CloudDnsOptions) {
    super(options);
    this.api = options.rackspace ? "rackspace" : "designate";
    this.#wire = options.rackspace
      ? new RackspaceDnsWire(this.transport, this.#clock)
      : new DesignateWire(this.transport, this.#clock, options.projectId);
  }

  /** Seconds a change may take before DNSCallTimedOut (pyrax's default 5; 0: no limit). */
  setTimeout(seconds: number): void {
    this.#clock.timeout = checkSeconds("setTimeout", seconds);
  }

  /** Seconds between two checks of a change in progress (pyrax's default 0.5). */
  setDelay(seconds: number): void {
    this.#clock.delay = checkSeconds("setDelay", seconds);
  }

  // --- domains ---

  /** A page of domains (every one without `limit`); `listNextPage` and `listPreviousPage` move on. */
  async list(...args: PageArgs): Promise<CloudDNSDomain[]> {
    const options = pageOptions("list", args);
    const page = await this.#wire.listDomains(paging(options), options.signal);
    this.#remember("domain", options, page);
    return page.items.map((d) => new CloudDNSDomain(this, d));
  }

  async listNextPage(options: CallOptions = {}): Promise<CloudDNSDomain[]> {
    const at = this.#step("domain", 1, "domains");
    return this.list({ limit: at.limit, offset: at.offset, signal: options.signal });
  }

  async listPreviousPage(options: CallOptions = {}): Promise<CloudDNSDomain[]> {
    const at = this.#step("domain", -1, "domains");
    return this.list({ limit: at.limit, offset: at.offset, signal: options.signal });
  }

  /** Every domain, fetched a page at a time: `for await (const d of dns.listIterator())`. */
  async *listIterator(options: CallOptions = {}): AsyncGenerator<CloudDNSDomain> {
    yield* this.#iterate(
      (p) => this.#wire.listDomains(p, options.signal),
      (d) => new CloudDNSDomain(this, d),
    );
  }

  /** pyrax's get_domain_iterator: the same as listIterator. */
  getDomainIterator(options: CallOptions = {}): AsyncGenerator<CloudDNSDomain> {
    return this.listIterator(options);
  }

  async get(id: string, options: CallOptions = {}): Promise<CloudDNSDomain> {
    checkOptions("get", options, []);
    return new CloudDNSDomain(this, await this.#wire.getDomain(checkName("id", id), options.signal));
  }

  /** Every domain whose attributes have these values; `{ name }` alone is asked of the server. */
  async findall(filter: DomainFilter, options: CallOptions = {}): Promise<CloudDNSDomain[]> {
    checkOptions("findall", options, []);
    const keys = Object.keys(filter);
    if (keys.length === 1 && typeof filter.name === "string") {
      const name = filter.name.toLowerCase().replace(/\.$/, "");
      const page = await this.#wire.listDomains({ name }, options.signal);
      return page.items.filter((d) => d.name.toLowerCase() === name).map((d) => new CloudDNSDomain(this, d));
    }
    const all: CloudDNSDomain[] = [];
    for await (const domain of this.listIterator(options)) {
      if (keys.every((k) => (domain as unknown as Record<string, unknown>)[k] === filter[k as keyof DomainFilter])) {
        all.push(domain);
      }
    }
    return all;
  }

  /** The one domain with these attributes: NotFound when none, NoUniqueMatch when several. */
  async find(filter: DomainFilter, options: CallOptions = {}): Promise<CloudDNSDomain> {
    const matches = await this.findall(filter, options);
    if (matches.length === 1) return matches[0]!;
    const what = JSON.stringify(filter);
    if (matches.length === 0) throw new NotFound(`no domain matches ${what}`, {});
    throw new NoUniqueMatch(`${matches.length} domains match ${what}`, { matches: matches.map((m) => m.id) });
  }

  /**
   * pyrax's `create(name, emailAddress, ttl, comment, subdomains, records)`, or one options object.
   * Resolves once the domain is there (Rackspace: its job COMPLETED; Designate: the zone ACTIVE).
   */
  async create(...args: DomainCreateArgs): Promise<CloudDNSDomain> {
    // subdomains and records are lists: callArgs takes scalars positionally, so they are taken out first.
    const lists: Pick<DomainCreateOptions, "subdomains" | "records"> = {};
    const scalars = [...args];
    if (typeof args[0] === "string" && args.length > 4) {
      for (const [i, key] of [[4, "subdomains"] as const, [5, "records"] as const]) {
        const value = args[i];
        if (value !== undefined && !Array.isArray(value)) {
          throw new ValidationError(`create: ${key} must be an array`, { field: key });
        }
        lists[key] = value as never;
      }
      scalars.splice(4, 2);
    }
    const options = callArgs<DomainCreateOptions>(
      "create",
      scalars,
      ["name", "emailAddress", "ttl", "comment"],
      ["name", "emailAddress", "ttl", "comment", "subdomains", "records"],
      { ttl: "number" },
    );
    Object.assign(options, lists);
    const name = checkName("name", options.name);
    const emailAddress = checkName("emailAddress", options.emailAddress);
    const input: DomainInput = {
      name,
      emailAddress,
      ttl: options.ttl ?? 3600,
      comment: options.comment,
      subdomains: options.subdomains,
      records: options.records,
    };
    return new CloudDNSDomain(this, await this.#wire.createDomain(input, options.signal));
  }

  async delete(
    domain: DomainRef,
    ...args: [deleteSubdomains?: boolean, options?: CallOptions] | [options?: CallOptions]
  ) {
    const options = callArgs<CallOptions & { deleteSubdomains?: boolean }>(
      "delete",
      args,
      ["deleteSubdomains"],
      ["deleteSubdomains"],
      { deleteSubdomains: "boolean" },
    );
    const dom = await this.#domain(domain, options.signal);
    await this.#wire.deleteDomain(dom.id, options.deleteSubdomains ?? false, options.signal);
  }

  /** pyrax's `update_domain(domain, emailAddress, ttl, comment)`; MissingDNSSettings when nothing changes. */
  async updateDomain(domain: DomainRef, ...args: DomainUpdateArgs): Promise<void> {
    const changes: DomainUpdate = domainUpdate("updateDomain", args);
    if (changes.emailAddress === undefined && changes.ttl === undefined && changes.comment === undefined) {
      throw new MissingDNSSettings("No settings provided to updateDomain().", { field: "emailAddress" });
    }
    const dom = await this.#domain(domain, changes.signal);
    const { signal, ...rest } = changes;
    await this.#wire.updateDomain(dom.id, rest, signal);
  }

  /** The domain's zone file (BIND 9), without its subdomains. */
  async exportDomain(domain: DomainRef, options: CallOptions = {}): Promise<string> {
    checkOptions("exportDomain", options, []);
    const dom = await this.#domain(domain, options.signal);
    return this.#wire.exportDomain(dom.id, options.signal);
  }

  /** Creates a domain from a zone file (BIND 9); `domains` holds it, as pyrax's answer does. */
  async importDomain(zoneFile: string, options: CallOptions = {}): Promise<{ domains: CloudDNSDomain[] }> {
    checkOptions("importDomain", options, []);
    const domains = await this.#wire.importDomain(checkName("zoneFile", zoneFile), options.signal);
    return { domains: domains.map((d) => new CloudDNSDomain(this, d)) };
  }

  // --- subdomains ---

  async listSubdomains(domain: DomainRef, ...args: PageArgs): Promise<CloudDNSDomain[]> {
    const options = pageOptions("listSubdomains", args);
    const dom = await this.#domain(domain, options.signal);
    const page = await this.#wire.listSubdomains(dom.toJSON(), paging(options), options.signal);
    this.#remember("subdomain", options, page, dom);
    return page.items.map((d) => new CloudDNSDomain(this, d));
  }

  async listSubdomainsNextPage(options: CallOptions = {}): Promise<CloudDNSDomain[]> {
    const at = this.#step("subdomain", 1, "subdomains");
    return this.listSubdomains(at.domain!, { limit: at.limit, offset: at.offset, signal: options.signal });
  }

  async listSubdomainsPreviousPage(options: CallOptions = {}): Promise<CloudDNSDomain[]> {
    const at = this.#step("subdomain", -1, "subdomains");
    return this.listSubdomains(at.domain!, { limit: at.limit, offset: at.offset, signal: options.signal });
  }

  async *getSubdomainIterator(domain: DomainRef, options: CallOptions = {}): AsyncGenerator<CloudDNSDomain> {
    const dom = await this.#domain(domain, options.signal);
    yield* this.#iterate(
      (p) => this.#wire.listSubdomains(dom.toJSON(), p, options.signal),
      (d) => new CloudDNSDomain(this, d),
    );
  }

  // --- records ---

  async listRecords(domain: DomainRef, ...args: PageArgs): Promise<CloudDNSRecord[]> {
    const options = pageOptions("listRecords", args);
    const dom = await this.#domain(domain, options.signal);
    const page = await this.#wire.listRecords(dom.id, paging(options), options.signal);
    this.#remember("record", options, page, dom);
    return page.items.map((r) => new CloudDNSRecord(this, r));
  }

  async listRecordsNextPage(options: CallOptions = {}): Promise<CloudDNSRecord[]> {
    const at = this.#step("record", 1, "records");
    return this.listRecords(at.domain!, { limit: at.limit, offset: at.offset, signal: options.signal });
  }

  async listRecordsPreviousPage(options: CallOptions = {}): Promise<CloudDNSRecord[]> {
    const at = this.#step("record", -1, "records");
    return this.listRecords(at.domain!, { limit: at.limit, offset: at.offset, signal: options.signal });
  }

  async *getRecordIterator(domain: DomainRef, options: CallOptions = {}): AsyncGenerator<CloudDNSRecord> {
    const dom = await this.#domain(domain, options.signal);
    yield* this.#iterate(
      (p) => this.#wire.listRecords(dom.id, p, options.signal),
      (r) => new CloudDNSRecord(this, r),
    );
  }

  /** pyrax's `search_records(domain, record_type, name, data)`: every match, all pages. */
  async searchRecords(domain: DomainRef, recordType: string, ...args: RecordSearchArgs): Promise<CloudDNSRecord[]> {
    const search: RecordSearch = recordSearch("searchRecords", args);
    const dom = await this.#domain(domain, search.signal);
    const type = checkName("recordType", recordType);
    const page = await this.#wire.listRecords(dom.id, { type, name: search.name, data: search.data }, search.signal);
    return page.items.map((r) => new CloudDNSRecord(this, r));
  }

  async findRecord(domain: DomainRef, recordType: string, ...args: RecordSearchArgs): Promise<CloudDNSRecord> {
    const matches = await this.searchRecords(domain, recordType, ...args);
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0) throw new DomainRecordNotFound(`no ${recordType} record matches`, {});
    throw new DomainRecordNotUnique(`${matches.length} ${recordType} records match`, {
      matches: matches.map((m) => m.id),
    });
  }

  async addRecords(
    domain: DomainRef,
    records: RecordInput | RecordInput[],
    options: CallOptions = {},
  ): Promise<CloudDNSRecord[]> {
    checkOptions("addRecords", options, []);
    const list = Array.isArray(records) ? records : [records];
    for (const [i, record] of list.entries()) checkRecord(record, i);
    const dom = await this.#domain(domain, options.signal);
    const added = await this.#wire.addRecords(dom.id, list, options.signal);
    return added.map((r) => new CloudDNSRecord(this, r));
  }

  /** pyrax's alias of addRecords. */
  async addRecord(domain: DomainRef, records: RecordInput | RecordInput[], options: CallOptions = {}) {
    return this.addRecords(domain, records, options);
  }

  async getRecord(domain: DomainRef, record: RecordRef, options: CallOptions = {}): Promise<CloudDNSRecord> {
    checkOptions("getRecord", options, []);
    const dom = await this.#domain(domain, options.signal);
    return new CloudDNSRecord(this, await this.#wire.getRecord(dom.id, recordIdOf(record), options.signal));
  }

  /** pyrax's `update_record(domain, record, data, priority, ttl, comment)`, or one options object. */
  async updateRecord(
    domain: DomainRef,
    record: RecordRef,
    ...args:
      | [options?: RecordUpdate]
      | [data?: string, priority?: number, ttl?: number, comment?: string, options?: CallOptions]
  ): Promise<void> {
    const change = recordUpdate("updateRecord", args);
    const { signal, ...rest } = change;
    const name = typeof record === "object" && "name" in record ? record.name : undefined;
    await this.updateRecords(domain, [{ id: recordIdOf(record), name, ...rest }], { signal });
  }

  /** pyrax's `update_records(domain, records)`: each `{ id, name, data?, ttl?, comment?, priority? }`. */
  async updateRecords(domain: DomainRef, records: RecordChange[], options: CallOptions = {}): Promise<void> {
    checkOptions("updateRecords", options, []);
    if (!Array.isArray(records))
      throw new ValidationError("updateRecords expects an array of records", { field: "records" });
    const dom = await this.#domain(domain, options.signal);
    await this.#wire.updateRecords(dom.id, records, options.signal);
  }

  async deleteRecord(domain: DomainRef, record: RecordRef, options: CallOptions = {}): Promise<void> {
    checkOptions("deleteRecord", options, []);
    const dom = await this.#domain(domain, options.signal);
    await this.#wire.deleteRecord(dom.id, recordIdOf(record), options.signal);
  }

  // --- PTR records (reverse DNS of a device) ---

  async listPtrRecords(device: PtrDeviceRef, options: CallOptions = {}): Promise<CloudDNSPTRRecord[]> {
    checkOptions("listPtrRecords", options, []);
    const records = await this.#wire.listPtrRecords(ptrDevice(device), options.signal);
    return records.map((r) => new CloudDNSPTRRecord(this, r, device));
  }

  async addPtrRecords(
    device: PtrDeviceRef,
    records: RecordInput | RecordInput[],
    options: CallOptions = {},
  ): Promise<CloudDNSPTRRecord[]> {
    checkOptions("addPtrRecords", options, []);
    const list = (Array.isArray(records) ? records : [records]).map((r) => ({ ...r, type: r.type ?? "PTR" }));
    const added = await this.#wire.addPtrRecords(ptrDevice(device), list, options.signal);
    return added.map((r) => new CloudDNSPTRRecord(this, r, device));
  }

  /** pyrax's `update_ptr_record(device, record, domain_name, data, ttl, comment)`; true once done. */
  async updatePtrRecord(
    device: PtrDeviceRef,
    record: RecordRef,
    domainName: string,
    ...args: [options?: RecordUpdate] | [data?: string, ttl?: number, comment?: string, options?: CallOptions]
  ): Promise<boolean> {
    const change = callArgs<RecordUpdate>("updatePtrRecord", args, ["data", "ttl", "comment"], undefined, {
      ttl: "number",
    });
    const rec = {
      id: recordIdOf(record),
      name: checkName("domainName", domainName),
      data: change.data,
      // Rackspace's limits, applied by pyrax: a TTL of at least 300 s, a comment of at most 160 characters.
      ttl: change.ttl === undefined ? undefined : Math.max(300, change.ttl),
      comment: change.comment?.slice(0, 160),
    };
    await this.#wire.updatePtrRecord(ptrDevice(device), rec, change.signal);
    return true;
  }

  /** Deletes the device's PTR records (only those of `ipAddress` when given); true once done. */
  async deletePtrRecords(
    device: PtrDeviceRef,
    ...args: [ipAddress?: string, options?: CallOptions] | [options?: CallOptions]
  ): Promise<boolean> {
    const options = callArgs<CallOptions & { ipAddress?: string }>("deletePtrRecords", args, ["ipAddress"]);
    await this.#wire.deletePtrRecords(ptrDevice(device), options.ipAddress, options.signal);
    return true;
  }

  // --- changes and limits ---

  /** pyrax's `changes_since(domain, date_or_datetime)`: the API's change entries (Rackspace's wire only). */
  async changesSince(
    domain: DomainRef,
    dateOrDatetime: string | Date,
    options: CallOptions = {},
  ): Promise<Record<string, unknown>[]> {
    checkOptions("changesSince", options, []);
    const since = isoTimeString(dateOrDatetime, true);
    if (!since) throw new ValidationError("changesSince needs a date", { field: "dateOrDatetime" });
    const dom = await this.#domain(domain, options.signal);
    return this.#wire.changesSince(dom.id, since, options.signal);
  }

  /** pyrax's `get_absolute_limits()`: `{ domains, "records per domain", ... }`. */
  async getAbsoluteLimits(options: CallOptions = {}): Promise<Record<string, number>> {
    checkOptions("getAbsoluteLimits", options, []);
    return this.#wire.absoluteLimits(options.signal);
  }

  /** pyrax's `get_rate_limits()`: `[{ uri, limits }]` (Rackspace's wire only). */
  async getRateLimits(options: CallOptions = {}): Promise<RateLimit[]> {
    checkOptions("getRateLimits", options, []);
    return this.#wire.rateLimits(options.signal);
  }

  // --- helpers ---

  /** pyrax's assure_domain: an object as is; a string as an id, else as a name. */
  async #domain(ref: DomainRef, signal?: AbortSignal): Promise<CloudDNSDomain> {
    if (ref instanceof CloudDNSDomain) return ref;
    const key = checkName("domain", ref);
    try {
      return await this.get(key, { signal });
    } catch (error) {
      // Designate answers 400 for an id that is no UUID, Rackspace 404: either way, try it as a name.
      if (!(error instanceof NotFoundError) && !(error instanceof ValidationError || isBadRequest(error))) throw error;
    }
    return this.find({ name: key }, { signal });
  }

  async *#iterate<D, T>(fetch: (p: Paging) => Promise<WirePage<D>>, wrap: (d: D) => T): AsyncGenerator<T> {
    for (let offset = 0; ; offset += ITERATOR_PAGE) {
      const page = await fetch({ limit: ITERATOR_PAGE, offset });
      for (const item of page.items) yield wrap(item);
      if (!page.more || page.items.length === 0) return;
    }
  }

  #remember(kind: PagingState["kind"], options: PageOptions, page: WirePage<unknown>, domain?: CloudDNSDomain): void {
    const limit = options.limit ?? page.items.length;
    this.#paging.set(kind, { kind, limit, offset: options.offset ?? 0, more: page.more, domain });
  }

  #step(kind: PagingState["kind"], direction: 1 | -1, label: string): PagingState {
    const at = this.#paging.get(kind);
    if (!at || (direction === 1 && !at.more) || (direction === -1 && at.offset === 0) || at.limit === 0) {
      const which = direction === 1 ? "more pages" : "previous pages";
      throw new NoMoreResults(`There are no ${which} of ${label} to list.`);
    }
    return { ...at, offset: Math.max(0, at.offset + direction * at.limit) };
  }
}

function isBadRequest(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { status?: number }).status === 400;
}

function paging(options: PageOptions): Paging {
  for (const field of ["limit", "offset"] as const) {
    const value = options[field];
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new ValidationError(`${field} must be a whole number >= 0, not ${JSON.stringify(value)}`, { field });
    }
  }
  return { limit: options.limit, offset: options.offset };
}

function checkName(field: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ValidationError(`${field} must be a non-empty string, not ${JSON.stringify(value)}`, { field });
  }
  return value;
}

function checkSeconds(call: string, seconds: unknown): number {
  if (typeof seconds !== "number" || !(seconds >= 0)) {
    throw new ValidationError(`${call}: seconds must be a number >= 0, not ${JSON.stringify(seconds)}`, {
      field: "seconds",
    });
  }
  return seconds;
}

const RECORD_KEYS = ["type", "name", "data", "ttl", "comment", "priority"];

function checkRecord(record: RecordInput, index: number): void {
  if (record === null || typeof record !== "object") {
    throw new ValidationError(`record ${index} must be an object`, { field: "records" });
  }
  for (const key of Object.keys(record)) {
    if (!RECORD_KEYS.includes(key)) {
      throw new ValidationError(`record ${index}: unknown key "${key}"; a record has ${RECORD_KEYS.join(", ")}`, {
        field: key,
      });
    }
  }
  for (const key of ["type", "name", "data"] as const) checkName(`records[${index}].${key}`, record[key]);
}

function recordIdOf(record: RecordRef): string {
  return checkName("record", typeof record === "string" ? record : record?.id);
}

/** pyrax's _resolve_device_type and _get_ptr_details: the device's kind and link. */
function ptrDevice(device: PtrDeviceRef): PtrDevice {
  if (device && typeof device === "object" && "kind" in device && "href" in device) {
    if (!["server", "loadbalancer", "floatingip"].includes(device.kind)) {
      throw new InvalidDeviceType(`unknown device kind ${JSON.stringify(device.kind)}`, { field: "device" });
    }
    return device;
  }
  const named = device as { id?: string; constructor?: { name?: string }; links?: { rel: string; href: string }[] };
  const className = named?.constructor?.name ?? "";
  const kind = /server/i.test(className) ? "server" : /load ?balancer/i.test(className) ? "loadbalancer" : undefined;
  const href = named?.links?.find((l) => l.rel === "self")?.href;
  if (!kind || !named.id || !href) {
    throw new InvalidDeviceType(`The device must be a CloudServer or a CloudLoadBalancer (or { kind, id, href })`, {
      field: "device",
    });
  }
  return { kind, id: named.id, href };
}

export type { DomainData };
