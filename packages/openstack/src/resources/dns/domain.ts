// pyrax's CloudDNSDomain: a domain (Designate: a zone) with its own record, subdomain, export and
// update calls, each the client's call with this domain as first argument.
import { callArgs } from "../../arguments.js";
import type { CloudDNS, DomainRef, RecordRef } from "./client.js";
import { recordUpdate, type CallOptions, type CloudDNSRecord, type RecordUpdateArgs } from "./record.js";
import type { DomainData, RecordChange, RecordInput } from "./wire.js";

/** What `update` may change; pyrax's positional order is emailAddress, ttl, comment. */
export interface DomainUpdate extends CallOptions {
  emailAddress?: string;
  ttl?: number;
  comment?: string;
}

/** The arguments of a domain's `update` (and the client's `updateDomain` after the domain): pyrax's positional order, or one options object. */
export type DomainUpdateArgs =
  [options?: DomainUpdate] | [emailAddress: string | undefined, ttl?: number, comment?: string, options?: CallOptions];

export function domainUpdate(call: string, args: readonly unknown[]): DomainUpdate {
  return callArgs<DomainUpdate>(call, args, ["emailAddress", "ttl", "comment"], undefined, { ttl: "number" });
}

/** Paging options of `listSubdomains` and `listRecords`. */
export interface PageOptions extends CallOptions {
  limit?: number;
  offset?: number;
}

/** The arguments of `listSubdomains` and `listRecords`: `(limit, offset)`, or one options object. */
export type PageArgs = [options?: PageOptions] | [limit?: number, offset?: number, options?: CallOptions];

export function pageOptions(call: string, args: readonly unknown[]): PageOptions {
  return callArgs<PageOptions>(call, args, ["limit", "offset"], undefined, { limit: "number", offset: "number" });
}

/** What `searchRecords` and `findRecord` match records on: their name and data. */
export interface RecordSearch extends CallOptions {
  name?: string;
  data?: string;
}

/** The arguments of `searchRecords` and `findRecord` after the record type: `(name, data)`, or one options object. */
export type RecordSearchArgs = [options?: RecordSearch] | [name?: string, data?: string, options?: CallOptions];

export function recordSearch(call: string, args: readonly unknown[]): RecordSearch {
  return callArgs<RecordSearch>(call, args, ["name", "data"]);
}

/** pyrax's CloudDNSDomain: a domain (a Designate zone) with its record, subdomain, export and update calls. */
export class CloudDNSDomain {
  readonly manager: CloudDNS;
  #data: DomainData;

  constructor(manager: CloudDNS, data: DomainData) {
    this.manager = manager;
    this.#data = data;
  }

  get id(): string {
    return this.#data.id;
  }
  /** Without the trailing dot: "example.com". */
  get name(): string {
    return this.#data.name;
  }
  get emailAddress(): string | undefined {
    return this.#data.emailAddress;
  }
  get ttl(): number | undefined {
    return this.#data.ttl;
  }
  /** Designate: the zone's description. */
  get comment(): string | undefined {
    return this.#data.comment;
  }
  get created(): string | undefined {
    return this.#data.created;
  }
  get updated(): string | undefined {
    return this.#data.updated;
  }
  /** Designate: the owning project. */
  get accountId(): string | undefined {
    return this.#data.accountId;
  }
  /** Designate: PENDING while a change propagates, then ACTIVE (or ERROR). */
  get status(): string | undefined {
    return this.#data.status;
  }
  /** Designate: the zone's SOA serial. */
  get serial(): number | undefined {
    return this.#data.serial;
  }

  /** Fetches the domain again and refreshes this object. */
  async get(options: CallOptions = {}): Promise<this> {
    this.#data = (await this.manager.get(this.id, options)).toJSON();
    return this;
  }

  async reload(options: CallOptions = {}): Promise<this> {
    return this.get(options);
  }

  /**
   * Deletes the domain and its records; with `deleteSubdomains` its subdomains first. (Rackspace made
   * the subdomains of a deleted domain root domains; Designate refuses to delete a zone that has any.)
   */
  async delete(...args: [deleteSubdomains?: boolean, options?: CallOptions] | [options?: CallOptions]): Promise<void> {
    await this.manager.delete(this, ...(args as [boolean?, CallOptions?]));
  }

  /** pyrax's `update(emailAddress, ttl, comment)`, or one options object; refreshes this object. */
  async update(...args: DomainUpdateArgs): Promise<this> {
    const changes = domainUpdate("CloudDNSDomain.update", args);
    await this.manager.updateDomain(this, changes);
    return this.get({ signal: changes.signal });
  }

  /** pyrax's `changes_since(date)`: what changed in this domain since then (Rackspace's wire only). */
  async changesSince(dateOrDatetime: string | Date, options: CallOptions = {}): Promise<Record<string, unknown>[]> {
    return this.manager.changesSince(this, dateOrDatetime, options);
  }

  /** The zone file (BIND 9 format) of this domain alone. */
  async export(options: CallOptions = {}): Promise<string> {
    return this.manager.exportDomain(this, options);
  }

  async listSubdomains(...args: PageArgs): Promise<CloudDNSDomain[]> {
    return this.manager.listSubdomains(this, pageOptions("CloudDNSDomain.listSubdomains", args));
  }

  async listRecords(...args: PageArgs): Promise<CloudDNSRecord[]> {
    return this.manager.listRecords(this, pageOptions("CloudDNSDomain.listRecords", args));
  }

  /** Every record of `recordType` with this name and/or data (all pages). */
  async searchRecords(recordType: string, ...args: RecordSearchArgs): Promise<CloudDNSRecord[]> {
    return this.manager.searchRecords(this, recordType, recordSearch("CloudDNSDomain.searchRecords", args));
  }

  /** The one matching record: DomainRecordNotFound when none, DomainRecordNotUnique when several. */
  async findRecord(recordType: string, ...args: RecordSearchArgs): Promise<CloudDNSRecord> {
    return this.manager.findRecord(this, recordType, recordSearch("CloudDNSDomain.findRecord", args));
  }

  /** Adds records (`{ type, name, data, ttl?, comment?, priority? }`, or one of them). */
  async addRecords(records: RecordInput | RecordInput[], options: CallOptions = {}): Promise<CloudDNSRecord[]> {
    return this.manager.addRecords(this, records, options);
  }

  /** pyrax's alias of addRecords. */
  async addRecord(record: RecordInput | RecordInput[], options: CallOptions = {}): Promise<CloudDNSRecord[]> {
    return this.addRecords(record, options);
  }

  async getRecord(record: RecordRef, options: CallOptions = {}): Promise<CloudDNSRecord> {
    return this.manager.getRecord(this, record, options);
  }

  /** pyrax's `update_record(record, data, priority, ttl, comment)`, or the record and one options object. */
  async updateRecord(record: RecordRef, ...args: RecordUpdateArgs): Promise<void> {
    await this.manager.updateRecord(this, record, recordUpdate("CloudDNSDomain.updateRecord", args));
  }

  async updateRecords(records: RecordChange[], options: CallOptions = {}): Promise<void> {
    await this.manager.updateRecords(this, records, options);
  }

  async deleteRecord(record: RecordRef, options: CallOptions = {}): Promise<void> {
    await this.manager.deleteRecord(this, record, options);
  }

  toJSON(): DomainData {
    return { ...this.#data };
  }
}

export type { DomainRef };
