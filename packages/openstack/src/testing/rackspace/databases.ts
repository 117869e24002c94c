// A simulator of Rackspace Cloud Databases v1.0 (documented shapes, as pyrax spoke them): instances that
// report BUILD once and then ACTIVE, flavors 1 to 6 (512 MB to 16 GB), databases, users and their
// access, the root user, the restart and resize actions (the instance reports REBOOT or RESIZE once),
// and backups (NEW once, then COMPLETED). It checks what it receives: unknown fields, a missing name
// or password, a flavorRef that names no flavor (by id or href), a volume outside 1 to 150 GB, a
// datastore without its version, an action on an instance that is not ACTIVE (422, as the service did).
import { randomBytes, randomUUID } from "node:crypto";
import { badRequest, fault, itemNotFound, type SimRequest, type SimResponse, type SimService } from "./server.js";

interface Instance {
  id: string;
  name: string;
  flavorId: number;
  volume: number;
  datastore: { type: string; version: string };
  /** Statuses still to report, one per GET, before `status` holds. */
  pending: string[];
  status: string;
  created: string;
  databases: Map<string, { name: string; character_set: string; collate: string }>;
  users: Map<string, { name: string; password: string; host: string; databases: Set<string> }>;
  rootEnabled: boolean;
}

interface Backup {
  id: string;
  name: string;
  description?: string;
  instance_id: string;
  pending: string[];
  status: string;
  created: string;
}

const FLAVORS = [512, 1024, 2048, 4096, 8192, 16384].map((ram, i) => ({
  id: i + 1,
  name: ram < 1024 ? `${ram}MB Instance` : `${ram / 1024}GB Instance`,
  ram,
}));
const DATASTORES: Record<string, string[]> = { mysql: ["5.1", "5.6"], percona: ["5.6"], mariadb: ["10"] };
const NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$/;

const unprocessable = (id: string, status: string) =>
  fault(
    422,
    "unprocessableEntity",
    `Instance ${id} is not currently available for an action to be performed (instance status was ${status}).`,
  );

function only(object: unknown, allowed: readonly string[], what: string): string | undefined {
  if (typeof object !== "object" || object === null || Array.isArray(object)) return `${what} must be an object`;
  const extra = Object.keys(object).filter((k) => !allowed.includes(k));
  return extra.length ? `${what} has unknown field(s): ${extra.join(", ")}` : undefined;
}

/** The simulated Cloud Databases service, for `startRackspaceSimulator([rackspaceDatabases()])`. */
export function rackspaceDatabases(regions: readonly string[] = ["DFW", "ORD"]): SimService {
  const instances = new Map<string, Instance>();
  const backups = new Map<string, Backup>();
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, "");
  const link = (req: SimRequest, path: string) => [{ rel: "self", href: `${req.root}${path}` }];
  const flavorView = (req: SimRequest, f: (typeof FLAVORS)[number]) => ({ ...f, links: link(req, `/flavors/${f.id}`) });
  // Each GET reports the next pending status, as the real service moved on between polls.
  const advance = (item: { pending: string[]; status: string }) => {
    const next = item.pending.shift();
    return next ?? item.status;
  };
  const view = (req: SimRequest, i: Instance, status = i.status) => ({
    id: i.id,
    name: i.name,
    status,
    flavor: { id: String(i.flavorId), links: link(req, `/flavors/${i.flavorId}`) },
    volume: { size: i.volume, ...(status === "ACTIVE" ? { used: 0.16 } : {}) },
    datastore: i.datastore,
    hostname: `${i.id.slice(0, 8)}.rackspaceclouddb.example`,
    created: i.created,
    updated: i.created,
    links: link(req, `/instances/${i.id}`),
  });
  const backupView = (b: Backup, status = b.status) => ({
    id: b.id,
    name: b.name,
    description: b.description ?? null,
    instance_id: b.instance_id,
    status,
    created: b.created,
    updated: b.created,
    ...(status === "COMPLETED"
      ? { size: 0.12, locationRef: `https://storage.example/backups/${b.id}.xbstream.gz.enc` }
      : {}),
  });
  const find = (id: string): Instance | SimResponse => instances.get(id) ?? itemNotFound(`Instance ${id}`);
  const active = (id: string): Instance | SimResponse => {
    const i = find(id);
    if (!("id" in i)) return i;
    return i.pending.length === 0 && i.status === "ACTIVE" ? i : unprocessable(id, i.pending[0] ?? i.status);
  };
  const flavorOf = (ref: unknown): number | undefined => {
    const id = Number(
      String(ref ?? "")
        .split("/")
        .pop(),
    );
    return FLAVORS.some((f) => f.id === id) ? id : undefined;
  };
  const checkDatabases = (dbs: unknown): string | undefined => {
    if (dbs === undefined) return undefined;
    if (!Array.isArray(dbs)) return "databases must be a list";
    for (const db of dbs) {
      const bad = only(db, ["name", "character_set", "collate"], "a database");
      if (bad) return bad;
      if (!NAME.test(String((db as { name?: unknown }).name ?? ""))) return "a database needs a valid name";
    }
    return undefined;
  };
  const checkUsers = (users: unknown): string | undefined => {
    if (users === undefined) return undefined;
    if (!Array.isArray(users)) return "users must be a list";
    for (const user of users) {
      const bad = only(user, ["name", "password", "host", "databases"], "a user");
      if (bad) return bad;
      const u = user as { name?: unknown; password?: unknown; databases?: unknown };
      if (!NAME.test(String(u.name ?? ""))) return "a user needs a valid name";
      if (typeof u.password !== "string" || u.password === "") return `user ${String(u.name)} needs a password`;
      const dbs = checkDatabases(u.databases ?? []);
      if (dbs) return dbs;
    }
    return undefined;
  };
  const addUsers = (i: Instance, users: unknown[]) => {
    for (const raw of users as { name: string; password: string; host?: string; databases?: { name: string }[] }[]) {
      i.users.set(raw.name, {
        name: raw.name,
        password: raw.password,
        host: raw.host ?? "%",
        databases: new Set((raw.databases ?? []).map((d) => d.name)),
      });
    }
  };
  const addDatabases = (i: Instance, dbs: unknown[]) => {
    for (const db of dbs as { name: string; character_set?: string; collate?: string }[]) {
      i.databases.set(db.name, {
        name: db.name,
        character_set: db.character_set ?? "utf8",
        collate: db.collate ?? "utf8_general_ci",
      });
    }
  };
  const body = (req: SimRequest) => (req.body ?? {}) as Record<string, unknown>;

  return {
    type: "rax:database",
    name: "cloudDatabases",
    prefix: "databases",
    regions,
    routes: [
      {
        method: "GET",
        path: /\/flavors/,
        handle: (req) => ({ status: 200, body: { flavors: FLAVORS.map((f) => flavorView(req, f)) } }),
      },
      {
        method: "GET",
        path: /\/flavors\/([^/]+)/,
        handle: (req, id) => {
          const f = FLAVORS.find((x) => String(x.id) === id);
          return f ? { status: 200, body: { flavor: flavorView(req, f) } } : itemNotFound(`Flavor ${id}`);
        },
      },
      {
        method: "GET",
        path: /\/instances/,
        handle: (req) => ({
          status: 200,
          body: { instances: [...instances.values()].map((i) => view(req, i, advance(i))) },
        }),
      },
      {
        method: "POST",
        path: /\/instances/,
        handle: (req) => {
          const bad = only(body(req), ["instance"], "the body");
          if (bad) return badRequest(bad);
          const spec = body(req).instance as Record<string, unknown>;
          const problem =
            only(
              spec,
              ["name", "flavorRef", "volume", "databases", "users", "datastore", "restorePoint"],
              "instance",
            ) ??
            (typeof spec.name === "string" && spec.name.trim() ? undefined : "instance needs a name") ??
            (flavorOf(spec.flavorRef) ? undefined : `flavorRef ${JSON.stringify(spec.flavorRef)} names no flavor`) ??
            only(spec.volume, ["size"], "volume") ??
            checkDatabases(spec.databases) ??
            checkUsers(spec.users);
          if (problem) return badRequest(problem);
          const size = (spec.volume as { size?: unknown }).size;
          if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > 150) {
            return badRequest(`volume size must be a whole number of GB from 1 to 150, not ${JSON.stringify(size)}`);
          }
          let datastore = { type: "mysql", version: "5.6" };
          if (spec.datastore !== undefined) {
            const ds = spec.datastore as { type?: string; version?: string };
            const bad = only(ds, ["type", "version"], "datastore");
            if (bad) return badRequest(bad);
            if (!ds.type || !ds.version) return badRequest("datastore needs both type and version");
            if (!DATASTORES[ds.type.toLowerCase()]?.includes(ds.version)) {
              return badRequest(`datastore ${ds.type} ${ds.version} is not offered`);
            }
            datastore = { type: ds.type.toLowerCase(), version: ds.version };
          }
          const instance: Instance = {
            id: randomUUID(),
            name: spec.name as string,
            flavorId: flavorOf(spec.flavorRef)!,
            volume: size as number,
            datastore,
            pending: ["BUILD"],
            status: "ACTIVE",
            created: now(),
            databases: new Map(),
            users: new Map(),
            rootEnabled: false,
          };
          addDatabases(instance, (spec.databases as unknown[]) ?? []);
          addUsers(instance, (spec.users as unknown[]) ?? []);
          instances.set(instance.id, instance);
          return { status: 200, body: { instance: view(req, instance, "BUILD") } };
        },
      },
      {
        method: "GET",
        path: /\/instances\/([^/]+)/,
        handle: (req, id) => {
          const i = find(id);
          return "id" in i ? { status: 200, body: { instance: view(req, i, advance(i)) } } : i;
        },
      },
      {
        method: "DELETE",
        path: /\/instances\/([^/]+)/,
        handle: (_req, id) => {
          const i = find(id);
          if (!("id" in i)) return i;
          instances.delete(id);
          return { status: 202 };
        },
      },
      {
        method: "POST",
        path: /\/instances\/([^/]+)\/action/,
        handle: (req, id) => {
          const i = active(id);
          if (!("id" in i)) return i;
          const action = body(req);
          const bad = only(action, ["restart", "resize"], "the action");
          if (bad || Object.keys(action).length !== 1) return badRequest(bad ?? "give exactly one action");
          if ("restart" in action) {
            i.pending.push("REBOOT");
            return { status: 202 };
          }
          const resize = action.resize as { flavorRef?: unknown; volume?: { size?: unknown } };
          const rbad = only(resize, ["flavorRef", "volume"], "resize");
          if (rbad) return badRequest(rbad);
          if (resize.flavorRef !== undefined) {
            const flavor = flavorOf(resize.flavorRef);
            if (!flavor) return badRequest(`flavorRef ${JSON.stringify(resize.flavorRef)} names no flavor`);
            i.flavorId = flavor;
          } else {
            const size = resize.volume?.size;
            if (!Number.isInteger(size) || (size as number) <= i.volume || (size as number) > 150) {
              return badRequest(`the new volume size must be larger than ${i.volume} GB and at most 150`);
            }
            i.volume = size as number;
          }
          i.pending.push("RESIZE");
          return { status: 202 };
        },
      },
      {
        method: "GET",
        path: /\/instances\/([^/]+)\/databases/,
        handle: (_req, id) => {
          const i = find(id);
          return "id" in i ? { status: 200, body: { databases: [...i.databases.values()] } } : i;
        },
      },
      {
        method: "POST",
        path: /\/instances\/([^/]+)\/databases/,
        handle: (req, id) => {
          const i = active(id);
          if (!("id" in i)) return i;
          const dbs = body(req).databases;
          const bad = only(body(req), ["databases"], "the body") ?? checkDatabases(dbs);
          if (bad || !Array.isArray(dbs)) return badRequest(bad ?? "databases is required");
          const taken = (dbs as { name: string }[]).find((d) => i.databases.has(d.name));
          if (taken) return badRequest(`A database with the name "${taken.name}" already exists.`);
          addDatabases(i, dbs);
          return { status: 202 };
        },
      },
      {
        method: "DELETE",
        path: /\/instances\/([^/]+)\/databases\/([^/]+)/,
        handle: (_req, id, name) => {
          const i = active(id);
          if (!("id" in i)) return i;
          if (!i.databases.delete(name)) return itemNotFound(`Database ${name}`);
          for (const u of i.users.values()) u.databases.delete(name);
          return { status: 202 };
        },
      },
      {
        method: "GET",
        path: /\/instances\/([^/]+)\/users/,
        handle: (_req, id) => {
          const i = find(id);
          if (!("id" in i)) return i;
          const users = [...i.users.values()].map((u) => ({
            name: u.name,
            host: u.host,
            databases: [...u.databases].map((name) => ({ name })),
          }));
          return { status: 200, body: { users } };
        },
      },
      {
        method: "POST",
        path: /\/instances\/([^/]+)\/users/,
        handle: (req, id) => {
          const i = active(id);
          if (!("id" in i)) return i;
          const users = body(req).users;
          const bad = only(body(req), ["users"], "the body") ?? checkUsers(users);
          if (bad || !Array.isArray(users)) return badRequest(bad ?? "users is required");
          const taken = (users as { name: string }[]).find((u) => i.users.has(u.name));
          if (taken) return badRequest(`A user with the name "${taken.name}" already exists.`);
          addUsers(i, users);
          return { status: 202 };
        },
      },
      {
        method: "GET",
        path: /\/instances\/([^/]+)\/users\/([^/]+)/,
        handle: (_req, id, name) => {
          const i = find(id);
          if (!("id" in i)) return i;
          const u = i.users.get(name);
          if (!u) return itemNotFound(`User ${name}`);
          return {
            status: 200,
            body: { user: { name: u.name, host: u.host, databases: [...u.databases].map((n) => ({ name: n })) } },
          };
        },
      },
      {
        method: "PUT",
        path: /\/instances\/([^/]+)\/users\/([^/]+)/,
        handle: (req, id, name) => {
          const i = active(id);
          if (!("id" in i)) return i;
          const u = i.users.get(name);
          if (!u) return itemNotFound(`User ${name}`);
          const change = body(req).user as { name?: string; password?: string; host?: string };
          const bad = only(body(req), ["user"], "the body") ?? only(change, ["name", "password", "host"], "user");
          if (bad || Object.keys(change).length === 0) return badRequest(bad ?? "nothing to change");
          if (change.password !== undefined) u.password = change.password;
          if (change.host !== undefined) u.host = change.host;
          if (change.name !== undefined && change.name !== name) {
            i.users.delete(name);
            u.name = change.name;
            i.users.set(u.name, u);
          }
          return { status: 202 };
        },
      },
      {
        method: "DELETE",
        path: /\/instances\/([^/]+)\/users\/([^/]+)/,
        handle: (_req, id, name) => {
          const i = active(id);
          if (!("id" in i)) return i;
          return i.users.delete(name) ? { status: 202 } : itemNotFound(`User ${name}`);
        },
      },
      {
        method: "GET",
        path: /\/instances\/([^/]+)\/users\/([^/]+)\/databases/,
        handle: (_req, id, name) => {
          const i = find(id);
          if (!("id" in i)) return i;
          const u = i.users.get(name);
          return u
            ? { status: 200, body: { databases: [...u.databases].map((n) => ({ name: n })) } }
            : itemNotFound(`User ${name}`);
        },
      },
      {
        method: "PUT",
        path: /\/instances\/([^/]+)\/users\/([^/]+)\/databases/,
        handle: (req, id, name) => {
          const i = active(id);
          if (!("id" in i)) return i;
          const u = i.users.get(name);
          if (!u) return itemNotFound(`User ${name}`);
          const dbs = body(req).databases;
          const bad = only(body(req), ["databases"], "the body") ?? checkDatabases(dbs);
          if (bad || !Array.isArray(dbs)) return badRequest(bad ?? "databases is required");
          const missing = (dbs as { name: string }[]).find((d) => !i.databases.has(d.name));
          if (missing) return itemNotFound(`Database ${missing.name}`);
          for (const d of dbs as { name: string }[]) u.databases.add(d.name);
          return { status: 202 };
        },
      },
      {
        method: "DELETE",
        path: /\/instances\/([^/]+)\/users\/([^/]+)\/databases\/([^/]+)/,
        handle: (_req, id, name, db) => {
          const i = active(id);
          if (!("id" in i)) return i;
          const u = i.users.get(name);
          if (!u) return itemNotFound(`User ${name}`);
          return u.databases.delete(db) ? { status: 202 } : itemNotFound(`Database ${db}`);
        },
      },
      {
        method: "POST",
        path: /\/instances\/([^/]+)\/root/,
        handle: (_req, id) => {
          const i = active(id);
          if (!("id" in i)) return i;
          i.rootEnabled = true;
          return { status: 200, body: { user: { name: "root", password: randomBytes(12).toString("base64url") } } };
        },
      },
      {
        method: "GET",
        path: /\/instances\/([^/]+)\/root/,
        handle: (_req, id) => {
          const i = find(id);
          return "id" in i ? { status: 200, body: { rootEnabled: i.rootEnabled } } : i;
        },
      },
      {
        method: "GET",
        path: /\/instances\/([^/]+)\/backups/,
        handle: (_req, id) => {
          const i = find(id);
          if (!("id" in i)) return i;
          const own = [...backups.values()].filter((b) => b.instance_id === id);
          return { status: 200, body: { backups: own.map((b) => backupView(b)) } };
        },
      },
      {
        method: "GET",
        path: /\/backups/,
        handle: () => ({ status: 200, body: { backups: [...backups.values()].map((b) => backupView(b)) } }),
      },
      {
        method: "POST",
        path: /\/backups/,
        handle: (req) => {
          const spec = body(req).backup as { instance?: string; name?: string; description?: string };
          const bad =
            only(body(req), ["backup"], "the body") ?? only(spec, ["instance", "name", "description"], "backup");
          if (bad) return badRequest(bad);
          if (!spec.name) return badRequest("backup needs a name");
          const i = active(String(spec.instance ?? ""));
          if (!("id" in i)) return i;
          const backup: Backup = {
            id: randomUUID(),
            name: spec.name,
            description: spec.description,
            instance_id: i.id,
            pending: ["NEW"],
            status: "COMPLETED",
            created: now(),
          };
          backups.set(backup.id, backup);
          return { status: 202, body: { backup: backupView(backup, "NEW") } };
        },
      },
      {
        method: "GET",
        path: /\/backups\/([^/]+)/,
        handle: (_req, id) => {
          const b = backups.get(id);
          return b ? { status: 200, body: { backup: backupView(b, advance(b)) } } : itemNotFound(`Backup ${id}`);
        },
      },
      {
        method: "DELETE",
        path: /\/backups\/([^/]+)/,
        handle: (_req, id) => (backups.delete(id) ? { status: 202 } : itemNotFound(`Backup ${id}`)),
      },
    ],
  };
}
