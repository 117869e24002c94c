// Cloud DNS over Designate v2: a domain is a zone, a record one value of a recordset (the values of
// one name and type, sharing a TTL and a description). A record's id is its recordset's id and its
// value, so pyrax's record-per-id calls find it again; see decision 0014.
import { HttpError, NotFoundError, ValidationError, type Transport } from "@nimbus-sdk/common";
import {
  DomainCreationFailed,
  DomainDeletionFailed,
  DomainRecordAdditionFailed,
  DomainRecordDeletionFailed,
  DomainRecordUpdateFailed,
  DomainUpdateFailed,
  NotFound,
  NotImplementedYet,
} from "../../errors.js";
import {
  withDot,
  withoutDot,
  type DnsClock,
  type DnsWire,
  type DomainChanges,
  type DomainData,
  type DomainInput,
  type Paging,
  type RateLimit,
  type RecordChange,
  type RecordData,
  type RecordFilter,
  type RecordInput,
  type WirePage,
} from "./wire.js";

interface Zone {
  id: string;
  name: string;
  email?: string;
  ttl?: number;
  description?: string | null;
  created_at?: string;
  updated_at?: string | null;
  project_id?: string;
  status?: string;
  serial?: number;
}

interface Recordset {
  id: string;
  zone_id: string;
  name: string;
  type: string;
  records: string[];
  ttl?: number | null;
  description?: string | null;
  created_at?: string;
  updated_at?: string | null;
  status?: string;
}

interface Listed {
  links?: { next?: string };
  metadata?: { total_count?: number };
}

interface Task {
  id: string;
  status: string;
  message?: string | null;
  zone_id?: string | null;
}

type FailureClass = new (message: string, options: object) => Error;

/** Types whose value is a host name, written fully qualified (with the dot) to Designate. */
const HOST_TYPES = new Set(["CNAME", "NS", "PTR", "MX", "SRV"]);
/** Types whose priority leads the value in Designate ("10 mail.example.com."). */
const PRIORITY_TYPES = new Set(["MX", "SRV"]);
const SEPARATOR = "~";

/** The record's id: its recordset's id and its value (base64url), stable while the value is. */
export function recordId(recordsetId: string, value: string): string {
  return `${recordsetId}${SEPARATOR}${Buffer.from(value).toString("base64url")}`;
}

function parseRecordId(id: string): { recordsetId: string; value?: string } {
  const at = id.indexOf(SEPARATOR);
  if (at < 0) return { recordsetId: id };
  return { recordsetId: id.slice(0, at), value: Buffer.from(id.slice(at + 1), "base64url").toString() };
}

/** pyrax's data and priority as Designate's value. */
function toValue(type: string, data: string, priority: number | undefined): string {
  const upper = type.toUpperCase();
  if (priority !== undefined && !PRIORITY_TYPES.has(upper)) {
    throw new ValidationError(`a priority is allowed on MX and SRV records only, not on ${upper}`, {
      field: "priority",
    });
  }
  if (PRIORITY_TYPES.has(upper) && priority === undefined) {
    throw new ValidationError(`an ${upper} record needs a priority`, { field: "priority" });
  }
  let value = data;
  if (HOST_TYPES.has(upper)) {
    // The host is the last word (SRV: "weight port target").
    const words = data.trim().split(/\s+/);
    words[words.length - 1] = withDot(words[words.length - 1]!);
    value = words.join(" ");
  }
  // Rackspace took TXT text as is; Designate wants it quoted when it has spaces (and accepts it always).
  if (upper === "TXT" && !/^".*"$/.test(value)) value = `"${value.replace(/(["\\])/g, "\\$1")}"`;
  return PRIORITY_TYPES.has(upper) ? `${priority} ${value}` : value;
}

function fromValue(type: string, value: string): { data: string; priority?: number } {
  let data = value;
  let priority: number | undefined;
  if (PRIORITY_TYPES.has(type)) {
    const [first, ...rest] = value.split(/\s+/);
    priority = Number(first);
    data = rest.join(" ");
  }
  if (HOST_TYPES.has(type)) data = withoutDot(data);
  if (type === "TXT" && /^".*"$/.test(data)) data = data.slice(1, -1).replace(/\\(["\\])/g, "$1");
  return { data, priority };
}

function domainOf(zone: Zone): DomainData {
  return {
    id: zone.id,
    name: withoutDot(zone.name),
    emailAddress: zone.email,
    ttl: zone.ttl,
    comment: zone.description ?? undefined,
    created: zone.created_at,
    updated: zone.updated_at ?? undefined,
    accountId: zone.project_id,
    status: zone.status,
    serial: zone.serial,
  };
}

function recordsOf(set: Recordset): RecordData[] {
  return set.records.map((value) => ({
    id: recordId(set.id, value),
    name: withoutDot(set.name),
    type: set.type,
    ...fromValue(set.type, value),
    ttl: set.ttl ?? undefined,
    comment: set.description ?? undefined,
    created: set.created_at,
    updated: set.updated_at ?? undefined,
    domainId: set.zone_id,
    recordsetId: set.id,
    status: set.status,
  }));
}

/** Runs `work`; an HTTP failure becomes `Failure` (pyrax's class for the operation) with its context. */
async function failAs<T>(Failure: FailureClass, what: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof HttpError) throw new Failure(`${what}: ${error.message}`, { ...error.context, cause: error });
    throw error;
  }
}

export class DesignateWire implements DnsWire {
  readonly #transport: Transport;
  readonly #clock: DnsClock;
  readonly #projectId?: string;

  constructor(transport: Transport, clock: DnsClock, projectId?: string) {
    this.#transport = transport;
    this.#clock = clock;
    this.#projectId = projectId;
  }

  #json<T>(method: string, url: string, json?: unknown, signal?: AbortSignal, query?: Record<string, string>) {
    return this.#transport.json<T>({ method, url: `v2/${url}`, json, signal, query });
  }

  /** Pages of `limit` items after skipping `offset` (Designate pages by marker only). */
  async #page<T, I>(
    url: string,
    key: string,
    filters: Record<string, string>,
    paging: Paging,
    convert: (item: I) => T[],
    signal?: AbortSignal,
  ): Promise<WirePage<T>> {
    const offset = paging.offset ?? 0;
    const limit = paging.limit ?? Infinity;
    const items: T[] = [];
    let skipped = 0;
    let marker: string | undefined;
    let total: number | undefined;
    for (;;) {
      const query: Record<string, string> = { ...filters, limit: "1000" };
      if (marker) query.marker = marker;
      const body = await this.#json<Listed & Record<string, I[]>>("GET", url, undefined, signal, query);
      total = body.metadata?.total_count;
      const page = body[key] ?? [];
      for (const item of page) {
        for (const converted of convert(item)) {
          if (skipped < offset) skipped++;
          else if (items.length < limit) items.push(converted);
          else return { items, total, more: true };
        }
      }
      const next = body.links?.next;
      if (!next || page.length === 0) return { items, total, more: false };
      marker = new URL(next).searchParams.get("marker") ?? undefined;
      if (!marker) return { items, total, more: false };
    }
  }

  async #zone(id: string, signal?: AbortSignal): Promise<Zone> {
    return this.#json<Zone>("GET", `zones/${encodeURIComponent(id)}`, undefined, signal);
  }

  /** Waits until the zone is ACTIVE (pyrax waited for Rackspace's job); ERROR fails as `Failure`. */
  async #settledZone(id: string, Failure: FailureClass, what: string, signal?: AbortSignal): Promise<Zone> {
    return this.#clock.until(
      what,
      async () => {
        const zone = await this.#zone(id, signal);
        if (zone.status === "ERROR") throw new Failure(`${what}: Designate put zone ${id} in ERROR`, {});
        return zone.status === "ACTIVE" ? zone : undefined;
      },
      signal,
    );
  }

  async #settledRecordset(zoneId: string, id: string, Failure: FailureClass, what: string, signal?: AbortSignal) {
    return this.#clock.until(
      what,
      async () => {
        const set = await this.#recordset(zoneId, id, signal);
        if (set.status === "ERROR") throw new Failure(`${what}: Designate put recordset ${id} in ERROR`, {});
        return set.status === "ACTIVE" ? set : undefined;
      },
      signal,
    );
  }

  async #gone(what: string, get: () => Promise<unknown>, signal?: AbortSignal): Promise<void> {
    await this.#clock.until(
      what,
      async () => {
        try {
          await get();
          return undefined;
        } catch (error) {
          if (error instanceof NotFoundError) return true;
          throw error;
        }
      },
      signal,
    );
  }

  #recordset(zoneId: string, id: string, signal?: AbortSignal): Promise<Recordset> {
    return this.#json<Recordset>(
      "GET",
      `zones/${encodeURIComponent(zoneId)}/recordsets/${encodeURIComponent(id)}`,
      undefined,
      signal,
    );
  }

  listDomains(paging: Paging & { name?: string }, signal?: AbortSignal): Promise<WirePage<DomainData>> {
    const filters: Record<string, string> = paging.name ? { name: withDot(paging.name.toLowerCase()) } : {};
    return this.#page<DomainData, Zone>("zones", "zones", filters, paging, (z) => [domainOf(z)], signal);
  }

  async getDomain(id: string, signal?: AbortSignal): Promise<DomainData> {
    return domainOf(await this.#zone(id, signal));
  }

  async createDomain(input: DomainInput, signal?: AbortSignal): Promise<DomainData> {
    const what = `creating domain ${input.name}`;
    const created = await failAs(
      DomainCreationFailed,
      what,
      this.#json<Zone>(
        "POST",
        "zones",
        { name: withDot(input.name), email: input.emailAddress, ttl: input.ttl, description: input.comment },
        signal,
      ),
    );
    const zone = await this.#settledZone(created.id, DomainCreationFailed, what, signal);
    if (input.records?.length) await this.addRecords(zone.id, input.records, signal);
    for (const sub of input.subdomains ?? []) {
      await this.createDomain({ ttl: input.ttl, ...sub, emailAddress: sub.emailAddress ?? input.emailAddress }, signal);
    }
    return domainOf(zone);
  }

  async updateDomain(id: string, changes: DomainChanges, signal?: AbortSignal): Promise<void> {
    const what = `updating domain ${id}`;
    await failAs(
      DomainUpdateFailed,
      what,
      this.#json<Zone>(
        "PATCH",
        `zones/${encodeURIComponent(id)}`,
        { email: changes.emailAddress, ttl: changes.ttl, description: changes.comment },
        signal,
      ),
    );
    await this.#settledZone(id, DomainUpdateFailed, what, signal);
  }

  async deleteDomain(id: string, deleteSubdomains: boolean, signal?: AbortSignal): Promise<void> {
    const what = `deleting domain ${id}`;
    if (deleteSubdomains) {
      const zone = await failAs(DomainDeletionFailed, what, this.#zone(id, signal));
      // Deepest first: Designate refuses to delete a zone that has subzones.
      const subs = (await this.listSubdomains(domainOf(zone), {}, signal)).items;
      subs.sort((a, b) => b.name.split(".").length - a.name.split(".").length);
      for (const sub of subs) await this.deleteDomain(sub.id, false, signal);
    }
    await failAs(
      DomainDeletionFailed,
      what,
      this.#json("DELETE", `zones/${encodeURIComponent(id)}`, undefined, signal),
    );
    await this.#gone(what, () => this.#zone(id, signal), signal);
  }

  listSubdomains(domain: DomainData, paging: Paging, signal?: AbortSignal): Promise<WirePage<DomainData>> {
    const filters = { name: `*.${withDot(domain.name)}` };
    return this.#page<DomainData, Zone>("zones", "zones", filters, paging, (z) => [domainOf(z)], signal);
  }

  listRecords(domainId: string, paging: Paging & RecordFilter, signal?: AbortSignal): Promise<WirePage<RecordData>> {
    const filters: Record<string, string> = {};
    if (paging.type) filters.type = paging.type.toUpperCase();
    if (paging.name) filters.name = withDot(paging.name);
    const wanted = paging.data;
    return this.#page<RecordData, Recordset>(
      `zones/${encodeURIComponent(domainId)}/recordsets`,
      "recordsets",
      filters,
      paging,
      // Designate's `data` filter matches the whole stored value (with MX's priority): filter here.
      (set) => recordsOf(set).filter((r) => wanted === undefined || r.data === withoutDot(wanted) || r.data === wanted),
      signal,
    );
  }

  async getRecord(domainId: string, id: string, signal?: AbortSignal): Promise<RecordData> {
    const { recordsetId, value } = parseRecordId(id);
    const records = recordsOf(await this.#recordset(domainId, recordsetId, signal));
    const record = value === undefined ? records[0] : records.find((r) => r.id === id);
    if (!record) throw new NotFound(`domain ${domainId} has no record ${id} (its value changed or was removed)`, {});
    return record;
  }

  async addRecords(domainId: string, records: RecordInput[], signal?: AbortSignal): Promise<RecordData[]> {
    const added: RecordData[] = [];
    // One recordset per name and type: records of an existing one are appended to its values.
    const groups = new Map<string, RecordInput[]>();
    for (const record of records) {
      const key = `${withDot(record.name).toLowerCase()} ${record.type.toUpperCase()}`;
      groups.set(key, [...(groups.get(key) ?? []), record]);
    }
    for (const group of groups.values()) {
      const { name, type } = group[0]!;
      const upper = type.toUpperCase();
      const what = `adding ${upper} records for ${name} to domain ${domainId}`;
      const values = group.map((r) => toValue(upper, r.data, r.priority));
      const ttl = group.find((r) => r.ttl !== undefined)?.ttl;
      const comment = group.find((r) => r.comment !== undefined)?.comment;
      const existing = await failAs(
        DomainRecordAdditionFailed,
        what,
        this.#json<{ recordsets: Recordset[] }>(
          "GET",
          `zones/${encodeURIComponent(domainId)}/recordsets`,
          undefined,
          signal,
          { name: withDot(name), type: upper },
        ),
      );
      const current = existing.recordsets[0];
      const set = await failAs(
        DomainRecordAdditionFailed,
        what,
        current
          ? this.#json<Recordset>(
              "PUT",
              `zones/${encodeURIComponent(domainId)}/recordsets/${current.id}`,
              {
                records: [...current.records, ...values],
                ttl: ttl ?? current.ttl,
                description: comment ?? current.description,
              },
              signal,
            )
          : this.#json<Recordset>(
              "POST",
              `zones/${encodeURIComponent(domainId)}/recordsets`,
              { name: withDot(name), type: upper, records: values, ttl, description: comment },
              signal,
            ),
      );
      const settled = await this.#settledRecordset(domainId, set.id, DomainRecordAdditionFailed, what, signal);
      // In the order given (Designate lists a recordset's values in its own order).
      const now = recordsOf(settled);
      added.push(...values.flatMap((v) => now.filter((r) => r.id === recordId(settled.id, v))));
    }
    return added;
  }

  async updateRecords(domainId: string, changes: RecordChange[], signal?: AbortSignal): Promise<void> {
    for (const change of changes) {
      const what = `updating record ${change.id} of domain ${domainId}`;
      const { recordsetId, value: stored } = parseRecordId(change.id);
      const old = await failAs(DomainRecordUpdateFailed, what, this.getRecord(domainId, change.id, signal));
      const set = await failAs(DomainRecordUpdateFailed, what, this.#recordset(domainId, recordsetId, signal));
      // The id holds the value as Designate stores it (which may differ from what toValue would write).
      const oldValue = stored ?? toValue(old.type, old.data, old.priority);
      const newValue = toValue(old.type, change.data ?? old.data, change.priority ?? old.priority);
      await failAs(
        DomainRecordUpdateFailed,
        what,
        this.#json<Recordset>(
          "PUT",
          `zones/${encodeURIComponent(domainId)}/recordsets/${recordsetId}`,
          {
            records: set.records.map((v) => (v === oldValue ? newValue : v)),
            ttl: change.ttl ?? set.ttl,
            description: change.comment ?? set.description,
          },
          signal,
        ),
      );
      await this.#settledRecordset(domainId, recordsetId, DomainRecordUpdateFailed, what, signal);
    }
  }

  async deleteRecord(domainId: string, id: string, signal?: AbortSignal): Promise<void> {
    const what = `deleting record ${id} of domain ${domainId}`;
    const { recordsetId, value: stored } = parseRecordId(id);
    const record = await failAs(DomainRecordDeletionFailed, what, this.getRecord(domainId, id, signal));
    const set = await failAs(DomainRecordDeletionFailed, what, this.#recordset(domainId, recordsetId, signal));
    const value = stored ?? toValue(record.type, record.data, record.priority);
    const rest = set.records.filter((v) => v !== value);
    const url = `zones/${encodeURIComponent(domainId)}/recordsets/${recordsetId}`;
    if (rest.length > 0) {
      await failAs(DomainRecordDeletionFailed, what, this.#json("PUT", url, { records: rest }, signal));
      await this.#settledRecordset(domainId, recordsetId, DomainRecordDeletionFailed, what, signal);
      return;
    }
    // The last value: the recordset goes.
    await failAs(DomainRecordDeletionFailed, what, this.#json("DELETE", url, undefined, signal));
    await this.#gone(what, () => this.#recordset(domainId, recordsetId, signal), signal);
  }

  async #task(kind: "exports" | "imports", id: string, what: string, Failure: FailureClass, signal?: AbortSignal) {
    return this.#clock.until(
      what,
      async () => {
        const task = await this.#json<Task>("GET", `zones/tasks/${kind}/${encodeURIComponent(id)}`, undefined, signal);
        if (task.status === "ERROR") throw new Failure(`${what}: ${task.message ?? "Designate reported ERROR"}`, {});
        return task.status === "COMPLETE" ? task : undefined;
      },
      signal,
    );
  }

  async exportDomain(id: string, signal?: AbortSignal): Promise<string> {
    const what = `exporting domain ${id}`;
    const task = await failAs(
      NotFound,
      what,
      this.#json<Task>("POST", `zones/${encodeURIComponent(id)}/tasks/export`, {}, signal),
    );
    await this.#task("exports", task.id, what, NotFound, signal);
    const response = await this.#transport.request({
      url: `v2/zones/tasks/exports/${encodeURIComponent(task.id)}/export`,
      headers: { accept: "text/dns" },
      signal,
    });
    return response.text();
  }

  async importDomain(zoneFile: string, signal?: AbortSignal): Promise<DomainData[]> {
    const what = "importing a zone file";
    const response = await failAs(
      DomainCreationFailed,
      what,
      this.#transport.request({
        method: "POST",
        url: "v2/zones/tasks/imports",
        headers: { "content-type": "text/dns" },
        body: zoneFile,
        signal,
      }),
    );
    const started = await response.json<Task>();
    const task = await this.#task("imports", started.id, what, DomainCreationFailed, signal);
    return [domainOf(await this.#settledZone(task.zone_id!, DomainCreationFailed, what, signal))];
  }

  listPtrRecords(): Promise<RecordData[]> {
    return Promise.reject(ptrUnavailable());
  }

  addPtrRecords(): Promise<RecordData[]> {
    return Promise.reject(ptrUnavailable());
  }

  updatePtrRecord(): Promise<void> {
    return Promise.reject(ptrUnavailable());
  }

  deletePtrRecords(): Promise<void> {
    return Promise.reject(ptrUnavailable());
  }

  changesSince(): Promise<Record<string, unknown>[]> {
    return Promise.reject(
      new NotImplementedYet("Designate keeps no change log of a zone: changesSince has no equivalent"),
    );
  }

  /** The project's quotas, under Rackspace's names where one matches (domains, records per domain) and Designate's. */
  async absoluteLimits(signal?: AbortSignal): Promise<Record<string, number>> {
    const id = this.#projectId;
    if (!id) throw new NotImplementedYet("Designate's quotas are per project, and this client knows no project id");
    const quotas = await this.#json<Record<string, number>>(
      "GET",
      `quotas/${encodeURIComponent(id)}`,
      undefined,
      signal,
    );
    return { domains: quotas.zones!, "records per domain": quotas.zone_records!, ...quotas };
  }

  rateLimits(): Promise<RateLimit[]> {
    return Promise.reject(new NotImplementedYet("Designate has no rate limits API"));
  }
}

function ptrUnavailable(): NotImplementedYet {
  return new NotImplementedYet(
    "PTR records on Designate are set on Neutron floating IPs (/v2/reverse/floatingips), through Designate's " +
      "Neutron integration; this package does not speak that API yet (decision 0014)",
  );
}
