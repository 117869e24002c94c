// A simulator of Rackspace Cloud DNS v1.0 (documented shapes, as pyrax spoke them): domains with their
// records and subdomains, zone file export and import, reverse DNS (PTR) of devices, paging by limit
// and offset with `next`/`previous` links, and the asynchronous job model: every POST, PUT and DELETE
// answers 202 with a job that reports RUNNING once, then COMPLETED (with its `response`) or ERROR.
// It checks what it receives: unknown fields, a missing e-mail, a TTL under 300, record data that does
// not fit its type, a priority where none belongs, names outside their domain.
import { isIP } from "node:net";
import { randomUUID } from "node:crypto";
import { parseZone } from "./zone-file.js";
import {
  badRequest,
  itemNotFound,
  type SimRequest,
  type SimResponse,
  type SimRoute,
  type SimService,
} from "./server.js";

interface Domain {
  id: number;
  name: string;
  emailAddress: string;
  ttl: number;
  comment?: string;
  created: string;
  updated: string;
  records: Map<string, RecordEntry>;
}

interface RecordEntry {
  id: string;
  name: string;
  type: string;
  data: string;
  ttl: number;
  priority?: number;
  comment?: string;
  created: string;
  updated: string;
}

interface Job {
  jobId: string;
  status: "RUNNING" | "COMPLETED" | "ERROR";
  verb: string;
  requestUrl: string;
  response?: unknown;
  error?: { code: number; message: string; details: string };
  polls: number;
}

const TYPES = new Set(["A", "AAAA", "CNAME", "MX", "NS", "SRV", "TXT"]);
const HOST = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const PAGE = 100;

/** A 4xx found while checking a request; becomes a synchronous 400, as the API answers before any job. */
class Invalid extends Error {}
/** A conflict found while doing the work; becomes the job's ERROR, as the API reports it. */
class JobFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly details: string,
  ) {
    super(message);
  }
}

function check(condition: unknown, details: string): asserts condition {
  if (!condition) throw new Invalid(details);
}

function only(value: unknown, what: string, keys: readonly string[]): Record<string, unknown> {
  check(value !== null && typeof value === "object" && !Array.isArray(value), `${what} must be an object`);
  for (const key of Object.keys(value)) check(keys.includes(key), `${what}: unknown attribute "${key}"`);
  return value as Record<string, unknown>;
}

function ttlOf(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  check(
    Number.isInteger(value) && (value as number) >= 300,
    `ttl must be a whole number of at least 300, not ${value}`,
  );
  return value as number;
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, ".000+0000");
}

/** The state and routes of one simulated Cloud DNS account. */
export interface RackspaceDnsSimulation extends SimService {
  domains: ReadonlyMap<number, Domain>;
  /** How many looks at a job report RUNNING before its outcome (default 1): raise it to make jobs slow. */
  runningPolls: number;
}

/** A simulated Rackspace Cloud DNS v1.0 account, empty, to pass to `startRackspaceSimulator`. */
export function rackspaceDns(): RackspaceDnsSimulation {
  const domains = new Map<number, Domain>();
  const jobs = new Map<string, Job>();
  const ptr = new Map<string, RecordEntry[]>();
  /** Every change, for /domains/{id}/changes: when, and the entry the API lists. */
  const changeLog: { at: number; domainId: number; entry: Record<string, unknown> }[] = [];
  const logChange = (
    d: Domain,
    action: string,
    targetType: string,
    targetId: string | number,
    details: unknown[] = [],
  ) =>
    changeLog.push({
      at: Date.now(),
      domainId: d.id,
      entry: { action, targetType, targetId, domain: d.name, changeDetails: details },
    });
  let nextId = 3_000_000 + Math.floor(Math.random() * 1000);
  let nextRecord = 10_000_000;

  const domainBody = (d: Domain, withRecords = false) => ({
    id: d.id,
    name: d.name,
    emailAddress: d.emailAddress,
    ttl: d.ttl,
    ...(d.comment === undefined ? {} : { comment: d.comment }),
    created: d.created,
    updated: d.updated,
    ...(withRecords ? { recordsList: { records: [...d.records.values()] } } : {}),
  });

  const findDomain = (id: string): Domain => {
    const domain = domains.get(Number(id));
    if (!domain) throw new NotFoundSignal(`Domain ${id}`);
    return domain;
  };

  const record = (domain: Domain | undefined, input: unknown, i: number, ptrRecord = false): RecordEntry => {
    const r = only(input, `record ${i}`, ["name", "type", "data", "ttl", "priority", "comment"]);
    const type = String(r.type ?? "").toUpperCase();
    check(ptrRecord ? type === "PTR" : TYPES.has(type), `record ${i}: unsupported type "${r.type}"`);
    check(typeof r.name === "string" && HOST.test(r.name), `record ${i}: invalid name "${r.name}"`);
    check(typeof r.data === "string" && r.data !== "", `record ${i}: data is required`);
    const name = (r.name as string).toLowerCase();
    const data = r.data as string;
    if (domain) {
      check(name === domain.name || name.endsWith(`.${domain.name}`), `record ${i}: ${name} is not in ${domain.name}`);
    }
    if (type === "A" || (ptrRecord && isIP(data) === 4))
      check(isIP(data) === 4, `record ${i}: "${data}" is no IPv4 address`);
    else if (type === "AAAA" || ptrRecord) check(isIP(data) !== 0, `record ${i}: "${data}" is no IP address`);
    if (["CNAME", "MX", "NS"].includes(type)) check(HOST.test(data), `record ${i}: "${data}" is no host name`);
    if (type === "MX" || type === "SRV") {
      check(Number.isInteger(r.priority) && (r.priority as number) >= 0, `record ${i}: ${type} needs a priority`);
    } else {
      check(r.priority === undefined, `record ${i}: a priority is not allowed on ${type} records`);
    }
    check(
      r.comment === undefined || (typeof r.comment === "string" && r.comment.length <= 160),
      `record ${i}: comment`,
    );
    const stamp = now();
    return {
      id: `${type}-${nextRecord++}`,
      name,
      type,
      data,
      ttl: ttlOf(r.ttl, domain?.ttl ?? 3600),
      ...(r.priority === undefined ? {} : { priority: r.priority as number }),
      ...(r.comment === undefined ? {} : { comment: r.comment as string }),
      created: stamp,
      updated: stamp,
    };
  };

  const createDomain = (input: unknown, i: number, created: Domain[]): Domain => {
    const d = only(input, `domain ${i}`, ["name", "emailAddress", "ttl", "comment", "subdomains", "recordsList"]);
    check(typeof d.name === "string" && HOST.test(d.name), `domain ${i}: invalid name "${d.name}"`);
    check(typeof d.emailAddress === "string" && /^[^@\s]+@[^@\s]+$/.test(d.emailAddress), `domain ${i}: emailAddress`);
    check(
      d.comment === undefined || (typeof d.comment === "string" && d.comment.length <= 160),
      `domain ${i}: comment`,
    );
    const name = (d.name as string).toLowerCase();
    const stamp = now();
    const domain: Domain = {
      id: nextId++,
      name,
      emailAddress: d.emailAddress as string,
      ttl: ttlOf(d.ttl, 3600),
      comment: d.comment as string | undefined,
      created: stamp,
      updated: stamp,
      records: new Map(),
    };
    const records = (d.recordsList as { records?: unknown[] } | undefined)?.records ?? [];
    for (const [j, r] of records.entries()) {
      const entry = record(domain, r, j);
      domain.records.set(entry.id, entry);
    }
    if ([...domains.values(), ...created].some((x) => x.name === name)) {
      throw new JobFailure(409, "Conflict", `Domain already exists: ${name}`);
    }
    created.push(domain);
    const subs = (d.subdomains as { domains?: unknown[] } | undefined)?.domains ?? [];
    for (const [j, sub] of subs.entries()) {
      const s = only(sub, `subdomain ${j}`, ["name", "emailAddress", "comment", "ttl"]);
      check(typeof s.name === "string" && s.name.toLowerCase().endsWith(`.${name}`), `subdomain ${j}: not in ${name}`);
      createDomain({ emailAddress: domain.emailAddress, ...s }, j, created);
    }
    return domain;
  };

  /** Starts a job: the work is done now, its outcome reported by `/status/{id}` after one RUNNING. */
  const job = (request: SimRequest, work: () => unknown): SimResponse => {
    let response: unknown;
    let error: Job["error"];
    try {
      response = work();
    } catch (failure) {
      if (failure instanceof Invalid) return badRequest(failure.message);
      if (failure instanceof NotFoundSignal) return itemNotFound(failure.message);
      if (!(failure instanceof JobFailure)) throw failure;
      error = { code: failure.code, message: failure.message, details: failure.details };
    }
    const jobId = randomUUID();
    const entry: Job = {
      jobId,
      status: error ? "ERROR" : "COMPLETED",
      verb: request.method,
      requestUrl: `${request.root}${request.path}`,
      response,
      error,
      polls: 0,
    };
    jobs.set(jobId, entry);
    return {
      status: 202,
      body: {
        status: "RUNNING",
        verb: entry.verb,
        jobId,
        callbackUrl: `${request.root}/status/${jobId}`,
        requestUrl: entry.requestUrl,
      },
    };
  };

  const page = <T>(request: SimRequest, key: string, items: T[]): SimResponse => {
    const limit = Number(request.query.get("limit") ?? PAGE);
    const offset = Number(request.query.get("offset") ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > PAGE || !Number.isInteger(offset) || offset < 0) {
      return badRequest("limit must be 1 to 100 and offset 0 or more");
    }
    const link = (rel: string, at: number) => {
      const query = new URLSearchParams(request.query);
      query.set("limit", String(limit));
      query.set("offset", String(at));
      return { rel, href: `${request.root}${request.path}?${query}` };
    };
    const links = [
      ...(offset > 0 ? [link("previous", Math.max(0, offset - limit))] : []),
      ...(offset + limit < items.length ? [link("next", offset + limit)] : []),
    ];
    return { status: 200, body: { [key]: items.slice(offset, offset + limit), totalEntries: items.length, links } };
  };

  const sync = (work: () => SimResponse): SimResponse => {
    try {
      return work();
    } catch (failure) {
      if (failure instanceof NotFoundSignal) return itemNotFound(failure.message);
      if (failure instanceof Invalid) return badRequest(failure.message);
      throw failure;
    }
  };

  const body = (request: SimRequest, key: string): unknown[] => {
    const list = (only(request.body, "the body", [key]) as Record<string, unknown>)[key];
    check(Array.isArray(list) && list.length > 0, `${key} must be a non-empty list`);
    return list as unknown[];
  };

  const ptrKey = (request: SimRequest, link?: Record<string, unknown>) => {
    const href = link ? link.href : request.query.get("href");
    const rel = link ? link.rel : request.path.split("/")[2];
    check(rel === "cloudServersOpenStack" || rel === "cloudLoadBalancers", `unknown device service "${rel}"`);
    check(typeof href === "string" && /^https?:\/\//.test(href), "link.href must be the device's URL");
    return `${rel} ${href}`;
  };

  const routes: SimRoute[] = [
    {
      method: "GET",
      path: /\/status\/([^/]+)/,
      handle: (request, id) => {
        const entry = jobs.get(id!);
        if (!entry) return itemNotFound(`Job ${id}`);
        // RUNNING on the first looks, as a real job is for a moment: clients must poll.
        const status = entry.polls++ < service.runningPolls ? "RUNNING" : entry.status;
        const details = request.query.get("showDetails") === "true" && status !== "RUNNING";
        return {
          status: 200,
          body: {
            status,
            verb: entry.verb,
            jobId: entry.jobId,
            callbackUrl: `${request.root}/status/${entry.jobId}`,
            requestUrl: entry.requestUrl,
            ...(details && entry.response !== undefined ? { response: entry.response } : {}),
            ...(details && entry.error ? { error: entry.error } : {}),
          },
        };
      },
    },
    {
      method: "GET",
      path: /\/domains/,
      handle: (request) => {
        const name = request.query.get("name")?.toLowerCase();
        const all = [...domains.values()]
          .filter((d) => !name || d.name === name || d.name.endsWith(`.${name}`))
          .sort((a, b) => a.name.localeCompare(b.name));
        return page(
          request,
          "domains",
          all.map((d) => domainBody(d)),
        );
      },
    },
    {
      method: "POST",
      path: /\/domains/,
      handle: (request) =>
        job(request, () => {
          const created: Domain[] = [];
          for (const [i, d] of body(request, "domains").entries()) createDomain(d, i, created);
          for (const d of created) domains.set(d.id, d);
          return { domains: created.map((d) => domainBody(d, true)) };
        }),
    },
    {
      method: "POST",
      path: /\/domains\/import/,
      handle: (request) =>
        job(request, () => {
          const [entry] = body(request, "domains");
          const d = only(entry, "domain", ["contentType", "contents"]);
          check(d.contentType === "BIND_9", 'contentType must be "BIND_9"');
          check(typeof d.contents === "string", "contents must be the zone file");
          const created: Domain[] = [];
          const zone = parseZone(d.contents as string);
          check(zone, "the zone file has no SOA record");
          createDomain(zone, 0, created);
          for (const c of created) domains.set(c.id, c);
          return { domains: created.map((c) => domainBody(c)) };
        }),
    },
    {
      method: "GET",
      path: /\/domains\/(\d+)/,
      handle: (request, id) =>
        sync(() => ({ status: 200, body: domainBody(findDomain(id!), request.query.get("showRecords") !== "false") })),
    },
    {
      method: "PUT",
      path: /\/domains\/(\d+)/,
      handle: (request, id) =>
        job(request, () => {
          const domain = findDomain(id!);
          const changes = only(request.body, "the body", ["emailAddress", "ttl", "comment"]);
          check(Object.keys(changes).length > 0, "nothing to update");
          if (changes.emailAddress !== undefined) {
            check(/^[^@\s]+@[^@\s]+$/.test(String(changes.emailAddress)), "emailAddress");
            domain.emailAddress = changes.emailAddress as string;
          }
          domain.ttl = ttlOf(changes.ttl, domain.ttl);
          if (changes.comment !== undefined) domain.comment = String(changes.comment);
          domain.updated = now();
          logChange(
            domain,
            "update",
            "Domain",
            domain.id,
            Object.entries(changes).map(([field, newValue]) => ({ field, newValue })),
          );
          return undefined;
        }),
    },
    {
      method: "DELETE",
      path: /\/domains\/(\d+)/,
      handle: (request, id) =>
        job(request, () => {
          const domain = findDomain(id!);
          domains.delete(domain.id);
          // Without deleteSubdomains the subdomains stay, as root domains.
          if (request.query.get("deleteSubdomains") === "true") {
            for (const d of [...domains.values()]) if (d.name.endsWith(`.${domain.name}`)) domains.delete(d.id);
          }
          return undefined;
        }),
    },
    {
      method: "GET",
      path: /\/domains\/(\d+)\/export/,
      handle: (request, id) =>
        job(request, () => {
          const d = findDomain(id!);
          const lines = [
            `${d.name}.\t${d.ttl}\tIN\tSOA\tns.rackspace.com. ${d.emailAddress.replace("@", ".")}. 1 21600 3600 1814400 500`,
            `${d.name}.\t${d.ttl}\tIN\tNS\tdns1.stabletransit.com.`,
            `${d.name}.\t${d.ttl}\tIN\tNS\tdns2.stabletransit.com.`,
            ...[...d.records.values()].map(
              (r) =>
                `${r.name}.\t${r.ttl}\tIN\t${r.type}\t${r.priority === undefined ? "" : `${r.priority} `}` +
                (["CNAME", "MX", "NS", "SRV"].includes(r.type) ? `${r.data}.` : r.data),
            ),
          ];
          return { id: d.id, contentType: "BIND_9", contents: `${lines.join("\n")}\n` };
        }),
    },
    {
      method: "GET",
      path: /\/domains\/(\d+)\/changes/,
      handle: (request, id) =>
        sync(() => {
          const d = findDomain(id!);
          // pyrax sends "YYYY-MM-DDTHH:MM:SS+0000".
          const since = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\+0000$/.exec(request.query.get("since") ?? "");
          check(since, 'since must be a time as "YYYY-MM-DDTHH:MM:SS+0000"');
          const from = Date.parse(`${since[1]}Z`);
          const changes = changeLog.filter((c) => c.domainId === d.id && c.at >= from).map((c) => c.entry);
          return { status: 200, body: { changes, totalEntries: changes.length } };
        }),
    },
    {
      method: "GET",
      path: /\/limits/,
      handle: () => ({
        status: 200,
        body: {
          limits: {
            rate: [
              {
                uri: "*/domains*",
                regex: ".*/v\\d+\\.\\d+/(\\d+/domains).*",
                limit: [{ verb: "GET", value: 5, unit: "SECOND" }],
              },
            ],
            absolute: { domains: 500, "records per domain": 500 },
          },
        },
      }),
    },
    {
      method: "GET",
      path: /\/domains\/(\d+)\/records/,
      handle: (request, id) =>
        sync(() => {
          const d = findDomain(id!);
          const { type, name, data } = Object.fromEntries(request.query) as Record<string, string | undefined>;
          // The API filters by name and data only together with a type.
          if ((name || data) && !type) return badRequest("name and data filters need a type");
          const matches = [...d.records.values()].filter(
            (r) =>
              (!type || r.type === type.toUpperCase()) &&
              (!name || r.name === name.toLowerCase()) &&
              (!data || r.data === data),
          );
          return page(request, "records", matches);
        }),
    },
    {
      method: "POST",
      path: /\/domains\/(\d+)\/records/,
      handle: (request, id) =>
        job(request, () => {
          const d = findDomain(id!);
          const added = body(request, "records").map((r, i) => record(d, r, i));
          for (const r of added) {
            const same = [...d.records.values()].some(
              (x) => x.name === r.name && x.type === r.type && x.data === r.data,
            );
            if (same) throw new JobFailure(409, "Conflict", `Record already exists: ${r.type} ${r.name} ${r.data}`);
          }
          for (const r of added) d.records.set(r.id, r);
          for (const r of added) logChange(d, "create", "Record", r.id);
          return { records: added };
        }),
    },
    {
      method: "PUT",
      path: /\/domains\/(\d+)\/records/,
      handle: (request, id) =>
        job(request, () => {
          const d = findDomain(id!);
          const changes = body(request, "records").map((c, i) =>
            only(c, `record ${i}`, ["id", "name", "data", "ttl", "priority", "comment"]),
          );
          for (const c of changes) {
            const r = d.records.get(String(c.id));
            if (!r) throw new NotFoundSignal(`Record ${c.id}`);
            check(
              c.name === undefined || String(c.name).toLowerCase() === r.name,
              `record ${c.id}: name cannot change`,
            );
            const next = record(
              d,
              {
                name: r.name,
                type: r.type,
                data: c.data ?? r.data,
                ttl: c.ttl ?? r.ttl,
                priority: c.priority ?? r.priority,
                comment: c.comment ?? r.comment,
              },
              0,
            );
            logChange(d, "update", "Record", r.id, [{ field: "data", originalValue: r.data, newValue: next.data }]);
            Object.assign(r, {
              data: next.data,
              ttl: next.ttl,
              priority: next.priority,
              comment: next.comment,
              updated: now(),
            });
          }
          return undefined;
        }),
    },
    {
      method: "GET",
      path: /\/domains\/(\d+)\/records\/([^/]+)/,
      handle: (_request, id, rid) =>
        sync(() => {
          const r = findDomain(id!).records.get(rid!);
          return r ? { status: 200, body: r } : itemNotFound(`Record ${rid}`);
        }),
    },
    {
      method: "DELETE",
      path: /\/domains\/(\d+)\/records\/([^/]+)/,
      handle: (request, id, rid) =>
        job(request, () => {
          const d = findDomain(id!);
          if (!d.records.delete(rid!)) throw new NotFoundSignal(`Record ${rid}`);
          logChange(d, "delete", "Record", rid!);
          return undefined;
        }),
    },
    {
      method: "GET",
      path: /\/rdns\/([^/]+)/,
      handle: (request) =>
        sync(() => {
          const records = ptr.get(ptrKey(request)) ?? [];
          return records.length ? { status: 200, body: { records } } : itemNotFound("PTR records");
        }),
    },
    {
      method: "POST",
      path: /\/rdns/,
      handle: (request) =>
        job(request, () => {
          const b = only(request.body, "the body", ["recordsList", "link"]);
          const key = ptrKey(request, only(b.link, "link", ["content", "href", "rel"]));
          const list = (b.recordsList as { records?: unknown[] } | undefined)?.records ?? [];
          check(list.length > 0, "recordsList.records must not be empty");
          const added = list.map((r, i) => record(undefined, r, i, true));
          ptr.set(key, [...(ptr.get(key) ?? []), ...added]);
          return { records: added };
        }),
    },
    {
      method: "PUT",
      path: /\/rdns/,
      handle: (request) =>
        job(request, () => {
          const b = only(request.body, "the body", ["recordsList", "link"]);
          const key = ptrKey(request, only(b.link, "link", ["content", "href", "rel"]));
          for (const c of (b.recordsList as { records?: Record<string, unknown>[] } | undefined)?.records ?? []) {
            const r = (ptr.get(key) ?? []).find((x) => x.id === c.id);
            if (!r) throw new NotFoundSignal(`PTR record ${c.id}`);
            const { id: _id, ...fields } = c;
            const next = record(undefined, { ...fields, type: "PTR", data: c.data ?? r.data }, 0, true);
            Object.assign(r, {
              name: next.name,
              data: next.data,
              ttl: next.ttl,
              comment: next.comment,
              updated: now(),
            });
          }
          return undefined;
        }),
    },
    {
      method: "DELETE",
      path: /\/rdns\/([^/]+)/,
      handle: (request) =>
        job(request, () => {
          const key = ptrKey(request);
          const ip = request.query.get("ip");
          const kept = ip ? (ptr.get(key) ?? []).filter((r) => r.data !== ip) : [];
          if ((ptr.get(key) ?? []).length === kept.length) throw new NotFoundSignal("PTR records");
          ptr.set(key, kept);
          return undefined;
        }),
    },
  ];
  const service: RackspaceDnsSimulation = {
    type: "rax:dns",
    name: "cloudDNS",
    prefix: "dns",
    routes,
    domains,
    runningPolls: 1,
  };
  return service;
}

class NotFoundSignal extends Error {}
