// Cloud DNS over Rackspace Cloud DNS v1.0, as pyrax spoke it: GETs answer at once; every POST, PUT and
// DELETE answers 202 with an asynchronous job, polled at `/status/{jobId}?showDetails=true` until it is
// COMPLETED (its `response` is the result) or ERROR (its `error` the reason).
import { HttpError, type Transport } from "@nimbus-sdk/common";
import {
  DomainCreationFailed,
  DomainDeletionFailed,
  DomainRecordAdditionFailed,
  DomainRecordDeletionFailed,
  DomainRecordUpdateFailed,
  DomainUpdateFailed,
  NotFound,
  PTRRecordCreationFailed,
  PTRRecordDeletionFailed,
  PTRRecordUpdateFailed,
} from "../../errors.js";
import type {
  DnsClock,
  DnsWire,
  DomainChanges,
  DomainData,
  DomainInput,
  Paging,
  PtrDevice,
  RateLimit,
  RecordChange,
  RecordData,
  RecordFilter,
  RecordInput,
  WirePage,
} from "./wire.js";

type RaxDomain = Omit<DomainData, "id"> & { id: string | number };
type RaxRecord = Omit<RecordData, "domainId" | "id"> & { id: string };

interface Fault {
  code?: number;
  message?: string;
  details?: string;
  failedItems?: { faults?: Fault[] };
}

interface Job {
  jobId: string;
  status: "INITIALIZED" | "RUNNING" | "COMPLETED" | "ERROR";
  callbackUrl: string;
  response?: Record<string, unknown>;
  error?: Fault;
}

interface Listing {
  totalEntries?: number;
  links?: { rel: string; href: string }[];
}

type FailureClass = new (message: string, options: object) => Error;

/** pyrax's _process_async_error: "details (code)" for each fault. */
function faultMessage(error: Fault | undefined): string {
  const one = (f: Fault) => `${(f.details ?? "").replace(/\n/g, " ") || f.message || ""} (${f.code ?? ""})`;
  const faults = error?.failedItems?.faults;
  return faults ? faults.map(one).join("\n") : error ? one(error) : "";
}

function domainOf(d: RaxDomain): DomainData {
  return {
    id: String(d.id),
    name: d.name,
    emailAddress: d.emailAddress,
    ttl: d.ttl,
    comment: d.comment,
    created: d.created,
    updated: d.updated,
    accountId: d.accountId === undefined ? undefined : String(d.accountId),
  };
}

function recordOf(domainId: string, r: RaxRecord): RecordData {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    data: r.data,
    priority: r.priority,
    ttl: r.ttl,
    comment: r.comment,
    created: r.created,
    updated: r.updated,
    domainId,
  };
}

/** Only the fields pyrax sends, undefined ones left out. */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export class RackspaceDnsWire implements DnsWire {
  readonly #transport: Transport;
  readonly #clock: DnsClock;

  constructor(transport: Transport, clock: DnsClock) {
    this.#transport = transport;
    this.#clock = clock;
  }

  #get<T>(url: string, query?: Record<string, string | undefined>, signal?: AbortSignal): Promise<T> {
    return this.#transport.json<T>({ url, query, signal });
  }

  /** Sends the request, then waits for its job; a failure of either becomes `Failure`. */
  async #job(
    Failure: FailureClass,
    what: string,
    request: { method: string; url: string; json?: unknown; query?: Record<string, string | undefined> },
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> {
    let job: Job;
    try {
      job = await this.#transport.json<Job>({ ...request, signal });
    } catch (error) {
      if (error instanceof HttpError)
        throw new Failure(`${what}: ${error.message}`, { ...error.context, cause: error });
      throw error;
    }
    const id = job.callbackUrl.split("/status/").pop()!;
    const done = await this.#clock.until(
      what,
      async () => {
        const status = await this.#get<Job>(`status/${id}`, { showDetails: "true" }, signal);
        return status.status === "COMPLETED" || status.status === "ERROR" ? status : undefined;
      },
      signal,
    );
    if (done.status === "ERROR") {
      throw new Failure(`${what}: ${faultMessage(done.error)}`, {
        status: done.error?.code,
        code: done.error?.message,
      });
    }
    return done.response ?? {};
  }

  async #page<T, R>(
    url: string,
    key: string,
    query: Record<string, string | undefined>,
    convert: (r: R) => T,
    signal?: AbortSignal,
  ) {
    const body = await this.#get<Listing & Record<string, R[]>>(url, query, signal);
    return {
      items: (body[key] ?? []).map(convert),
      total: body.totalEntries,
      more: (body.links ?? []).some((l) => l.rel === "next"),
    };
  }

  /** Every page of a listing from `paging.offset` on, or only `paging.limit` items when given. */
  async #pages<T, R>(
    url: string,
    key: string,
    filters: Record<string, string | undefined>,
    paging: Paging,
    convert: (r: R) => T,
    signal?: AbortSignal,
  ): Promise<WirePage<T>> {
    const query = (offset: number | undefined, limit: number | undefined) => ({
      ...filters,
      limit: limit === undefined ? undefined : String(limit),
      offset: offset === undefined ? undefined : String(offset),
    });
    if (paging.limit !== undefined) return this.#page(url, key, query(paging.offset, paging.limit), convert, signal);
    const items: T[] = [];
    for (let offset = paging.offset ?? 0; ;) {
      const page = await this.#page(url, key, query(offset || undefined, undefined), convert, signal);
      items.push(...page.items);
      offset += page.items.length;
      if (!page.more || page.items.length === 0) return { items, total: page.total, more: false };
    }
  }

  listDomains(paging: Paging & { name?: string }, signal?: AbortSignal): Promise<WirePage<DomainData>> {
    return this.#pages("domains", "domains", { name: paging.name }, paging, domainOf, signal);
  }

  async getDomain(id: string, signal?: AbortSignal): Promise<DomainData> {
    const query = { showRecords: "false", showSubdomains: "false" };
    return domainOf(await this.#get<RaxDomain>(`domains/${encodeURIComponent(id)}`, query, signal));
  }

  async createDomain(input: DomainInput, signal?: AbortSignal): Promise<DomainData> {
    const body = {
      domains: [
        {
          ...defined({ name: input.name, emailAddress: input.emailAddress, ttl: input.ttl, comment: input.comment }),
          subdomains: { domains: input.subdomains ?? [] },
          recordsList: { records: input.records ?? [] },
        },
      ],
    };
    const what = `creating domain ${input.name}`;
    const response = await this.#job(
      DomainCreationFailed,
      what,
      { method: "POST", url: "domains", json: body },
      signal,
    );
    return domainOf((response.domains as RaxDomain[])[0]!);
  }

  async updateDomain(id: string, changes: DomainChanges, signal?: AbortSignal): Promise<void> {
    const url = `domains/${encodeURIComponent(id)}`;
    await this.#job(
      DomainUpdateFailed,
      `updating domain ${id}`,
      { method: "PUT", url, json: defined(changes) },
      signal,
    );
  }

  async deleteDomain(id: string, deleteSubdomains: boolean, signal?: AbortSignal): Promise<void> {
    const url = `domains/${encodeURIComponent(id)}`;
    const query = deleteSubdomains ? { deleteSubdomains: "true" } : undefined;
    await this.#job(DomainDeletionFailed, `deleting domain ${id}`, { method: "DELETE", url, query }, signal);
  }

  async listSubdomains(domain: DomainData, paging: Paging, signal?: AbortSignal): Promise<WirePage<DomainData>> {
    // pyrax asks /domains?name= (the documented /subdomains call was slow): it lists the domain too.
    const page = await this.#pages("domains", "domains", { name: domain.name }, paging, domainOf, signal);
    return { ...page, items: page.items.filter((d) => d.id !== domain.id) };
  }

  listRecords(domainId: string, paging: Paging & RecordFilter, signal?: AbortSignal): Promise<WirePage<RecordData>> {
    const filters = { type: paging.type, name: paging.name, data: paging.data };
    const url = `domains/${encodeURIComponent(domainId)}/records`;
    return this.#pages(url, "records", filters, paging, (r: RaxRecord) => recordOf(domainId, r), signal);
  }

  async getRecord(domainId: string, recordId: string, signal?: AbortSignal): Promise<RecordData> {
    const url = `domains/${encodeURIComponent(domainId)}/records/${encodeURIComponent(recordId)}`;
    return recordOf(domainId, await this.#get<RaxRecord>(url, undefined, signal));
  }

  async addRecords(domainId: string, records: RecordInput[], signal?: AbortSignal): Promise<RecordData[]> {
    const url = `domains/${encodeURIComponent(domainId)}/records`;
    const what = `adding records to domain ${domainId}`;
    const response = await this.#job(
      DomainRecordAdditionFailed,
      what,
      { method: "POST", url, json: { records } },
      signal,
    );
    return ((response.records ?? []) as RaxRecord[]).map((r) => recordOf(domainId, r));
  }

  async updateRecords(domainId: string, records: RecordChange[], signal?: AbortSignal): Promise<void> {
    const url = `domains/${encodeURIComponent(domainId)}/records`;
    const json = { records: records.map((r) => defined(r)) };
    await this.#job(
      DomainRecordUpdateFailed,
      `updating records of domain ${domainId}`,
      { method: "PUT", url, json },
      signal,
    );
  }

  async deleteRecord(domainId: string, recordId: string, signal?: AbortSignal): Promise<void> {
    const url = `domains/${encodeURIComponent(domainId)}/records/${encodeURIComponent(recordId)}`;
    const what = `deleting record ${recordId} of domain ${domainId}`;
    await this.#job(DomainRecordDeletionFailed, what, { method: "DELETE", url }, signal);
  }

  async exportDomain(id: string, signal?: AbortSignal): Promise<string> {
    const url = `domains/${encodeURIComponent(id)}/export`;
    const response = await this.#job(NotFound, `exporting domain ${id}`, { method: "GET", url }, signal);
    return (response.contents as string | undefined) ?? "";
  }

  async importDomain(zoneFile: string, signal?: AbortSignal): Promise<DomainData[]> {
    const json = { domains: [{ contentType: "BIND_9", contents: zoneFile }] };
    const what = "importing a zone file";
    const response = await this.#job(
      DomainCreationFailed,
      what,
      { method: "POST", url: "domains/import", json },
      signal,
    );
    return ((response.domains ?? []) as RaxDomain[]).map(domainOf);
  }

  async listPtrRecords(device: PtrDevice, signal?: AbortSignal): Promise<RecordData[]> {
    try {
      const body = await this.#get<{ records?: RaxRecord[] }>(`rdns/${service(device)}`, { href: device.href }, signal);
      return (body.records ?? []).map((r) => recordOf("", r));
    } catch (error) {
      // pyrax: a device without PTR records answers 404, which is an empty list.
      if (error instanceof NotFound) return [];
      throw error;
    }
  }

  async addPtrRecords(device: PtrDevice, records: RecordInput[], signal?: AbortSignal): Promise<RecordData[]> {
    const json = { recordsList: { records }, link: link(device) };
    const what = `adding PTR records to ${device.kind} ${device.id}`;
    const response = await this.#job(PTRRecordCreationFailed, what, { method: "POST", url: "rdns", json }, signal);
    return ((response.records ?? []) as RaxRecord[]).map((r) => recordOf("", r));
  }

  async updatePtrRecord(
    device: PtrDevice,
    record: RecordChange & { name: string },
    signal?: AbortSignal,
  ): Promise<void> {
    const json = { recordsList: { records: [defined({ ...record, type: "PTR" })] }, link: link(device) };
    const what = `updating PTR record ${record.id} of ${device.kind} ${device.id}`;
    await this.#job(PTRRecordUpdateFailed, what, { method: "PUT", url: "rdns", json }, signal);
  }

  async deletePtrRecords(device: PtrDevice, ipAddress: string | undefined, signal?: AbortSignal): Promise<void> {
    const query = { href: device.href, ip: ipAddress };
    const what = `deleting PTR records of ${device.kind} ${device.id}`;
    await this.#job(PTRRecordDeletionFailed, what, { method: "DELETE", url: `rdns/${service(device)}`, query }, signal);
  }

  async changesSince(domainId: string, since: string, signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    const url = `domains/${encodeURIComponent(domainId)}/changes`;
    return (await this.#get<{ changes?: Record<string, unknown>[] }>(url, { since }, signal)).changes ?? [];
  }

  async absoluteLimits(signal?: AbortSignal): Promise<Record<string, number>> {
    return (await this.#get<Limits>("limits", undefined, signal)).limits?.absolute ?? {};
  }

  async rateLimits(signal?: AbortSignal): Promise<RateLimit[]> {
    const rate = (await this.#get<Limits>("limits", undefined, signal)).limits?.rate ?? [];
    return rate.map((r) => ({ uri: r.uri, limits: r.limit }));
  }
}

/** Rackspace's /limits answer. */
interface Limits {
  limits?: { absolute?: Record<string, number>; rate?: { uri: string; limit: Record<string, unknown>[] }[] };
}

/** pyrax's service names for reverse DNS. */
function service(device: PtrDevice): string {
  return device.kind === "loadbalancer" ? "cloudLoadBalancers" : "cloudServersOpenStack";
}

function link(device: PtrDevice): { content: string; href: string; rel: string } {
  return { content: "", href: device.href, rel: service(device) };
}
