// pyrax's CloudDNSRecord (one record of a domain) and CloudDNSPTRRecord (a reverse record of a device).
import { callArgs } from "../../arguments.js";
import type { CloudDNS, PtrDeviceRef } from "./client.js";
import type { RecordData } from "./wire.js";

export interface CallOptions {
  signal?: AbortSignal;
}

/** What `update` may change; pyrax's positional order is data, priority, ttl, comment. */
export interface RecordUpdate extends CallOptions {
  data?: string;
  priority?: number;
  ttl?: number;
  comment?: string;
}

/** The arguments of a record's `update`: pyrax's positional order, or one options object. */
export type RecordUpdateArgs =
  | [options?: RecordUpdate]
  | [data: string | undefined, priority?: number, ttl?: number, comment?: string, options?: CallOptions];

export const RECORD_UPDATE_FIELDS = ["data", "priority", "ttl", "comment"] as const;
export const RECORD_UPDATE_TYPES = { priority: "number", ttl: "number" } as const;

export function recordUpdate(call: string, args: readonly unknown[]): RecordUpdate {
  return callArgs<RecordUpdate>(call, args, [...RECORD_UPDATE_FIELDS], [...RECORD_UPDATE_FIELDS], RECORD_UPDATE_TYPES);
}

/** pyrax's CloudDNSRecord: one record of a domain, with its own `update` and `delete`. */
export class CloudDNSRecord {
  readonly manager: CloudDNS;
  #data: RecordData;

  constructor(manager: CloudDNS, data: RecordData) {
    this.manager = manager;
    this.#data = data;
  }

  get id(): string {
    return this.#data.id;
  }
  get name(): string {
    return this.#data.name;
  }
  get type(): string {
    return this.#data.type;
  }
  get data(): string {
    return this.#data.data;
  }
  /** MX and SRV only; undefined otherwise (pyrax's None). */
  get priority(): number | undefined {
    return this.#data.priority;
  }
  get ttl(): number | undefined {
    return this.#data.ttl;
  }
  get comment(): string | undefined {
    return this.#data.comment;
  }
  get created(): string | undefined {
    return this.#data.created;
  }
  get updated(): string | undefined {
    return this.#data.updated;
  }
  /** pyrax's `domain_id`. */
  get domainId(): string {
    return this.#data.domainId;
  }
  /** Designate: the recordset holding this record (one name and type; its values share ttl and comment). */
  get recordsetId(): string | undefined {
    return this.#data.recordsetId;
  }
  /** Designate: the recordset's status (PENDING while a change propagates, then ACTIVE). */
  get status(): string | undefined {
    return this.#data.status;
  }

  /** Fetches the record again and refreshes this object. */
  async get(options: CallOptions = {}): Promise<this> {
    this.#data = (await this.manager.getRecord(this.domainId, this.id, options)).toJSON();
    return this;
  }

  async reload(options: CallOptions = {}): Promise<this> {
    return this.get(options);
  }

  /** pyrax's `update(data, priority, ttl, comment)`, or one options object. */
  async update(...args: RecordUpdateArgs): Promise<void> {
    await this.manager.updateRecord(this.domainId, this, recordUpdate("CloudDNSRecord.update", args));
  }

  async delete(options: CallOptions = {}): Promise<void> {
    await this.manager.deleteRecord(this.domainId, this, options);
  }

  toJSON(): RecordData {
    return { ...this.#data };
  }
}

/** A reverse-DNS (PTR) record of a device (pyrax's CloudDNSPTRRecord). */
export class CloudDNSPTRRecord {
  readonly manager: CloudDNS;
  readonly device: PtrDeviceRef;
  readonly #data: RecordData;

  constructor(manager: CloudDNS, data: RecordData, device: PtrDeviceRef) {
    this.manager = manager;
    this.#data = data;
    this.device = device;
  }

  get id(): string {
    return this.#data.id;
  }
  get type(): string {
    return this.#data.type;
  }
  /** The host name the address points to. */
  get name(): string {
    return this.#data.name;
  }
  /** The IP address. */
  get data(): string {
    return this.#data.data;
  }
  get ttl(): number | undefined {
    return this.#data.ttl;
  }
  get comment(): string | undefined {
    return this.#data.comment;
  }

  /** Deletes this PTR record from its device (the records of its address). */
  async delete(options: CallOptions = {}): Promise<boolean> {
    return this.manager.deletePtrRecords(this.device, this.data, options);
  }

  toJSON(): RecordData {
    return { ...this.#data };
  }
}
