// The API behind /ovirt-engine/api, driven by the generated services tree: a path is walked locator
// by locator (`vms` -> VmsService, `{id}` -> VmService, `nics` -> VmNicsService), and each service
// answers with the methods the model gives it (list, get, add, update, remove, actions). Entity types
// with behaviour of their own (VMs, disks, NICs ...) are in behaviors.ts; every other collection is
// served generically, so the whole tree answers even where the simulator holds no data.
import { randomUUID } from "node:crypto";
import { isA, wireStruct, type WireStruct } from "../wire/metadata.js";
import { ROOT_PATH, wireService, type WireMethod, type WireService } from "../wire/services.js";
import {
  ACTIONS,
  BEHAVIORS,
  checkMandatory,
  linkToOwner,
  resolveReferences,
  type AddRequest,
  type EngineContext,
} from "./behaviors.js";
import { BLANK_ID, rootService, topLevelOf, usageName } from "./catalog.js";
import { EngineFault, invalidValue, malformedId, notFound } from "./faults.js";
import { Transitions } from "./lifecycle.js";
import { DocumentWriter, parseFollow, type Placed } from "./render.js";
import { fieldsOf, matches, parseSearch, SearchSyntaxError, type FieldValues, type SearchQuery } from "./search.js";
import { pathOf, refId, Store, type Entity } from "./store.js";
import { isRecord, readDocument, XmlOut, type WireRecord } from "./xml.js";

export interface ApiRequest {
  method: string;
  /** Path segments after /ovirt-engine/api (or /ovirt-engine/api/v4). */
  segments: string[];
  query: URLSearchParams;
  body: string;
  /** The `Correlation-Id` header, which tags the jobs a request starts. */
  correlationId?: string;
  /** The `All-Content: true` header older clients send instead of the query parameter. */
  allContentHeader: boolean;
}

export interface ApiReply {
  status: number;
  /** An XML document, or nothing (remove). */
  xml?: string;
  location?: string;
}

/** The engine version the simulator reports (4.5.5-1 by default). */
export interface ProductVersion {
  major: number;
  minor: number;
  build: number;
  revision: number;
  full: string;
}

export interface EngineSettings {
  stepMs: number;
  /** `https://127.0.0.1:<port>`, for the usage links of syntax faults. */
  origin(): string;
  version: ProductVersion;
}

type Route =
  | { kind: "collection"; path: string; service: WireService; owner?: Placed }
  | { kind: "entity"; placed: Placed }
  | { kind: "service"; path: string; service: WireService; owner?: Placed }
  | { kind: "action"; method: WireMethod; path: string; service: WireService; placed?: Placed };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Entity types whose ids the engine parses as UUIDs (events, cluster levels ... have other ids). */
const UUID_TYPES = new Set([
  "Vm",
  "Template",
  "Cluster",
  "DataCenter",
  "Host",
  "StorageDomain",
  "Network",
  "Disk",
  "DiskAttachment",
  "Nic",
  "Job",
  "Step",
  "VnicProfile",
  "MacPool",
  "User",
  "Tag",
  "Snapshot",
]);
/** How lists are sorted without `sortby`: by name, but the audit log newest first. */
const DEFAULT_SORT: Readonly<Record<string, { field: string; descending: boolean }>> = {
  Event: { field: "id", descending: true },
};
/** The engine's page size when `page N` comes without `max`. */
const SEARCH_PAGE_SIZE = 100;
/** Views whose members relate to the owner otherwise than by a reference to it. */
const VIEW_RELATIONS: Readonly<Record<string, (item: Entity, owner: Entity) => boolean>> = {
  // A cluster's networks are its data center's (the simulator attaches every network everywhere).
  ClusterNetworksService: (network, cluster) => refId(network.record.data_center) === refId(cluster.record.data_center),
};

const methodNotAllowed = (): EngineFault => new EngineFault(405);
/** A method the model has but the simulator does not implement: said plainly rather than faked. */
const notServed = (): EngineFault =>
  new EngineFault(501, "Operation Failed", "[The engine simulator does not serve this method.]");

export class Engine implements EngineContext {
  readonly store = new Store();
  readonly transitions: Transitions;
  readonly root = ROOT_PATH;
  private readonly instanceId = randomUUID();
  private eventCount = 0;

  constructor(readonly settings: EngineSettings) {
    this.transitions = new Transitions(settings.stepMs);
  }

  /** A writer for one answer: `all_content=true` (or the older `All-Content: true` header) shows everything. */
  private writer(request?: ApiRequest): DocumentWriter {
    return new DocumentWriter({
      root: ROOT_PATH,
      allContent: request !== undefined && (request.query.get("all_content") === "true" || request.allContentHeader),
      children: (owner, locator) =>
        this.entitiesOf(`${owner.path}/${locator.path}`, wireService(locator.service), owner),
      canonical: (type, id) => this.canonical(type, id),
    });
  }

  // ----------------------------------------------------------------------------------------------
  // EngineContext

  newId(): string {
    return randomUUID();
  }

  now(): string {
    return new Date().toISOString().replace("Z", "+00:00");
  }

  canonical(type: string, id: string): Placed | undefined {
    const top = topLevelOf(type);
    const entity = top && this.store.get(top.segment, id);
    return entity ? { entity, path: pathOf(entity), service: top.item } : undefined;
  }

  findByName(type: string, name: string): Entity | undefined {
    const top = topLevelOf(type);
    return top ? this.store.list(top.segment).find((e) => e.record.name === name) : undefined;
  }

  entitiesOf(path: string, service: WireService, owner?: Placed): Placed[] {
    if (!service.idLocator || !service.type) return [];
    const itemService = wireService(service.idLocator.service);
    const type = service.type;
    if (owner && this.isView(path, service)) {
      const top = topLevelOf(type)!;
      return this.store
        .list(top.segment)
        .filter((e) => this.relates(service, e, owner.entity))
        .map((entity) => ({ entity, path: `${path}/${entity.id}`, service: itemService }));
    }
    return this.store.list(path).map((entity) => ({ entity, path: pathOf(entity), service: itemService }));
  }

  // ----------------------------------------------------------------------------------------------
  // Requests

  handle(request: ApiRequest): ApiReply {
    if (request.segments.length === 0) {
      if (request.method !== "GET") throw methodNotAllowed();
      return { status: 200, xml: this.apiDocument() };
    }
    const route = this.route(request.segments);
    switch (route.kind) {
      case "collection":
        if (request.method === "GET") return this.list(route, request);
        if (request.method === "POST") return this.add(route, request);
        throw methodNotAllowed();
      case "entity":
        if (request.method === "GET") return this.get(route.placed, request);
        if (request.method === "PUT") return this.update(route.placed, request);
        if (request.method === "DELETE") return this.remove(route.placed, request);
        throw methodNotAllowed();
      case "service": {
        // A service that is neither a collection nor an entity (`externalvmimports` takes a POST only).
        const offered = [...route.service.methods.values()].some(
          (m) => m.kind !== "action" && m.httpMethod === request.method,
        );
        throw offered ? notServed() : methodNotAllowed();
      }
      case "action":
        if (request.method !== "POST") throw methodNotAllowed();
        return this.action(route, request);
    }
  }

  /** Where a path leads: locator by locator from the root, ids looked up on the way. */
  private route(segments: string[]): Route {
    let service = rootService();
    let path = "";
    let owner: Placed | undefined;
    let placed: Placed | undefined;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      const last = i === segments.length - 1;
      const locator = [...service.locators.values()].find((l) => l.path === segment);
      if (locator) {
        owner = placed ?? owner;
        placed = undefined;
        path = path ? `${path}/${segment}` : segment;
        service = wireService(locator.service);
        continue;
      }
      const action = [...service.methods.values()].find((m) => m.kind === "action" && m.pathSuffix === segment);
      if (action && last) return { kind: "action", method: action, path, service, placed };
      if (service.idLocator && service.type && !placed) {
        placed = this.lookup(path, service, segment, owner);
        path = placed.path;
        service = placed.service;
        continue;
      }
      throw notFound();
    }
    if (placed) return { kind: "entity", placed };
    if (service.collection) return { kind: "collection", path, service, owner };
    return { kind: "service", path, service, owner };
  }

  private lookup(path: string, collection: WireService, id: string, owner: Placed | undefined): Placed {
    const type = collection.type!;
    if (UUID_TYPES.has(type) && !UUID.test(id)) throw malformedId(id);
    const found = this.entitiesOf(path, collection, owner).find((p) => p.entity.id === id);
    if (!found) throw notFound();
    return found;
  }

  /** A sub-collection showing top-level entities (a data center's clusters) rather than owning its own. */
  private isView(path: string, service: WireService): boolean {
    return path.includes("/") && service.type !== undefined && topLevelOf(service.type) !== undefined;
  }

  private relates(view: WireService, item: Entity, owner: Entity): boolean {
    const special = VIEW_RELATIONS[view.name];
    if (special) return special(item, owner);
    return wireStruct(item.type).members.some((member) => {
      if (!member.link || !isA(owner.type, member.type)) return false;
      const value = item.record[member.xml];
      return Array.isArray(value) ? value.some((v) => refId(v) === owner.id) : refId(value) === owner.id;
    });
  }

  private usageLink(service: WireService, method: string): string {
    return `${this.settings.origin()}/ovirt-engine/apidoc#services/${usageName(service)}/methods/${method}`;
  }

  private list(route: Extract<Route, { kind: "collection" }>, request: ApiRequest): ApiReply {
    const method = route.service.method("list");
    if (!method) throw methodNotAllowed();
    const accepts = new Set(method.input.map((p) => p.xml));
    let items = this.entitiesOf(route.path, route.service, route.owner);
    const type = route.service.type!;
    let query: SearchQuery = {};
    if (accepts.has("search")) {
      query = this.parseQuery(type, request.query.get("search") ?? "");
      const caseSensitive = request.query.get("case_sensitive") !== "false";
      items = items.filter((p) =>
        matches(query.condition, (field) => this.fieldValues(p.entity, field), caseSensitive),
      );
      const sort = query.sortBy ?? DEFAULT_SORT[type] ?? { field: "name", descending: false };
      const sortField = sort.field;
      const direction = sort.descending ? -1 : 1;
      const key = (p: Placed) => this.fieldValues(p.entity, sortField)?.values[0] ?? "";
      items = [...items].sort((a, b) => direction * key(a).localeCompare(key(b), undefined, { numeric: true }));
    }
    const maxText = request.query.get("max");
    let max: number | undefined;
    if (maxText !== null && maxText !== "") {
      if (!/^-?\d+$/.test(maxText.trim())) throw invalidValue(`Value "${maxText}" isn't a valid integer`);
      max = Number(maxText);
      // The engine reads a negative max as "no limit".
      if (max < 0) max = undefined;
    }
    if (query.page) {
      const size = max ?? SEARCH_PAGE_SIZE;
      items = items.slice((query.page - 1) * size, query.page * size);
    }
    if (max !== undefined) items = items.slice(0, max);
    return {
      status: 200,
      xml: this.writer(request).listDocument(type, items, parseFollow(request.query.get("follow"))),
    };
  }

  private parseQuery(type: string, text: string): SearchQuery {
    try {
      const query = parseSearch(text);
      const struct = wireStruct(type);
      for (const field of [...fieldsOf(query.condition), ...(query.sortBy ? [query.sortBy.field] : [])]) {
        const known = this.searchMember(struct, field) ?? this.clusterDataCenter(struct, field);
        if (!known && !(type === "Job" && field === "correlation_id")) {
          throw new SearchSyntaxError(`'${field}' is not a property of ${struct.plural ?? type}`);
        }
      }
      return query;
    } catch (error) {
      if (error instanceof SearchSyntaxError) {
        throw new EngineFault(
          400,
          "Operation Failed",
          `[Cannot search. Invalid search text '${text}': ${error.message}.]`,
        );
      }
      throw error;
    }
  }

  /** The member a search field names: `name`, `status`, `cluster` (by the cluster's name), `datacenter`. */
  private searchMember(struct: WireStruct, field: string) {
    const wanted = field.replace(/_/g, "");
    return (
      struct.members.find((m) => !m.list && !m.attribute && m.xml.replace(/_/g, "") === wanted) ??
      (field === "id" ? struct.byXml.get("id") : undefined)
    );
  }

  /**
   * `datacenter` of what sits in a cluster and has no data center member (VMs, templates, hosts): the engine
   * searches them by their cluster's data center (its `storage_pool_name` column).
   */
  private clusterDataCenter(struct: WireStruct, field: string) {
    return field === "datacenter" && !this.searchMember(struct, field) ? struct.byXml.get("cluster") : undefined;
  }

  private fieldValues(entity: Entity, field: string): FieldValues | undefined {
    if (entity.type === "Job" && field === "correlation_id") {
      return { values: entity.meta.correlationId ? [entity.meta.correlationId] : [] };
    }
    const struct = wireStruct(entity.type);
    if (this.clusterDataCenter(struct, field)) {
      const clusterId = refId(entity.record.cluster);
      const cluster = clusterId === undefined ? undefined : this.canonical("Cluster", clusterId);
      const dcId = refId(cluster?.entity.record.data_center);
      const name = dcId === undefined ? undefined : this.canonical("DataCenter", dcId)?.entity.record.name;
      return { values: typeof name === "string" ? [name] : [] };
    }
    const member = this.searchMember(struct, field);
    if (!member) return undefined;
    const value = entity.record[member.xml];
    if (member.kind === "struct") {
      const id = refId(value);
      const target = id === undefined ? undefined : this.canonical(member.type, id);
      const name = target?.entity.record.name;
      return { values: typeof name === "string" ? [name] : [] };
    }
    return { values: typeof value === "string" ? [value] : [], ignoreCase: member.kind === "enum" };
  }

  private get(placed: Placed, request: ApiRequest): ApiReply {
    if (!placed.service.method("get")) throw methodNotAllowed();
    return { status: 200, xml: this.writer(request).entityDocument(placed, parseFollow(request.query.get("follow"))) };
  }

  private bodyStruct(method: WireMethod): WireStruct {
    const param = method.input.find((p) => p.where === "body" && p.kind === "struct" && !p.list);
    if (!param) throw notServed();
    return wireStruct(param.type);
  }

  private add(route: Extract<Route, { kind: "collection" }>, request: ApiRequest): ApiReply {
    const method = route.service.method("add");
    if (!method) throw methodNotAllowed();
    const struct = this.bodyStruct(method);
    const record = readDocument(request.body, struct, this.usageLink(route.service, "add"));
    let placed: Placed;
    if (route.owner && this.isView(route.path, route.service)) {
      placed = this.attach(route.path, route.service, route.owner, struct, record);
    } else {
      const behavior = BEHAVIORS[struct.name];
      const add: AddRequest = {
        collection: route.path,
        struct,
        record,
        owner: route.owner,
        query: request.query,
        correlationId: request.correlationId,
      };
      const entity = behavior?.add ? behavior.add(this, add) : this.addGeneric(add, behavior?.mandatory);
      placed = { entity, path: pathOf(entity), service: wireService(route.service.idLocator!.service) };
    }
    return {
      status: 201,
      xml: this.writer().entityDocument(placed, new Map()),
      location: `${this.root}/${placed.path}`,
    };
  }

  /** Adds what behaviors.ts does not specialise: checked, references resolved, stored as sent. */
  addGeneric({ collection, struct, record, owner }: AddRequest, mandatory: readonly string[] = []): Entity {
    checkMandatory(struct, record, mandatory);
    resolveReferences(this, struct, record);
    if (owner) linkToOwner(struct, record, owner.entity);
    record.id = this.newId();
    return this.store.insert(collection, struct.name, record);
  }

  /** POST to a view (`datacenters/<id>/storagedomains`): the named entity gets a reference to the owner. */
  private attach(path: string, service: WireService, owner: Placed, struct: WireStruct, record: WireRecord): Placed {
    const id =
      refId(record) ?? (typeof record.name === "string" ? this.findByName(struct.name, record.name)?.id : undefined);
    const target = id === undefined ? undefined : this.canonical(struct.name, id);
    if (!target)
      throw new EngineFault(
        404,
        "Operation Failed",
        `Entity not found: ${struct.name}: ${id ? `id=${id}` : `name=${String(record.name)}`}`,
      );
    BEHAVIORS[struct.name]?.attach?.(this, target.entity);
    linkToOwner(struct, target.entity.record, owner.entity);
    return {
      entity: target.entity,
      path: `${path}/${target.entity.id}`,
      service: wireService(service.idLocator!.service),
    };
  }

  private update(placed: Placed, request: ApiRequest): ApiReply {
    const method = placed.service.method("update");
    if (!method) throw methodNotAllowed();
    const struct = this.bodyStruct(method);
    const changes = readDocument(request.body, struct, this.usageLink(placed.service, "update"));
    delete changes.id;
    resolveReferences(this, struct, changes);
    BEHAVIORS[placed.entity.type]?.update?.(this, placed, changes);
    Object.assign(placed.entity.record, changes);
    return { status: 200, xml: this.writer().entityDocument(placed, new Map()) };
  }

  private remove(placed: Placed, request: ApiRequest): ApiReply {
    if (!placed.service.method("remove")) throw methodNotAllowed();
    const canonical = this.canonical(placed.entity.type, placed.entity.id);
    if (canonical && canonical.path !== placed.path) {
      // Removing through a view detaches: the reference to the owner goes.
      const ownerId = placed.path.split("/").at(-3);
      for (const [key, value] of Object.entries(placed.entity.record)) {
        if (Array.isArray(value)) placed.entity.record[key] = value.filter((v) => refId(v) !== ownerId);
        else if (isRecord(value) && refId(value) === ownerId && key !== "id") delete placed.entity.record[key];
      }
      return { status: 200 };
    }
    const behavior = BEHAVIORS[placed.entity.type];
    if (behavior?.remove) behavior.remove(this, placed, request.query, request.correlationId);
    else this.store.remove(placed.entity);
    return { status: 200 };
  }

  private action(route: Extract<Route, { kind: "action" }>, request: ApiRequest): ApiReply {
    const usage = this.usageLink(route.service, route.method.name);
    const record = readDocument(request.body.trim() === "" ? "<action/>" : request.body, wireStruct("Action"), usage);
    const handler = ACTIONS[`${route.service.name}.${route.method.name}`];
    const outcome = handler && route.placed ? handler(this, route.placed, record, request.correlationId) : {};
    const async = record.async === "true";
    const reply: WireRecord = { ...record, status: outcome.status ?? (async ? "pending" : "complete") };
    if (outcome.job) reply.job = { id: outcome.job.id };
    return { status: async ? 202 : 200, xml: this.writer().structDocument("Action", reply) };
  }

  /** GET /ovirt-engine/api: links to every top-level collection, product info, special objects, summary. */
  private apiDocument(): string {
    const out = new XmlOut().open("api");
    for (const locator of rootService().locators.values()) {
      out.leaf("link", undefined, { href: `${this.root}/${locator.path}`, rel: locator.path });
      if (
        wireService(locator.service)
          .method("list")
          ?.input.some((p) => p.xml === "search")
      ) {
        out.leaf("link", undefined, {
          href: `${this.root}/${locator.path}?search={query}`,
          rel: `${locator.path}/search`,
        });
      }
    }
    const { version } = this.settings;
    const count = (segment: string, active: (e: Entity) => boolean) => {
      const all = this.store.list(segment);
      return { active: String(all.filter(active).length), total: String(all.length) };
    };
    const statusIn =
      (...values: string[]) =>
      (e: Entity) =>
        values.includes(String(e.record.status));
    const admin = this.store.list("users")[0];
    const record: WireRecord = {
      product_info: {
        name: "oVirt Engine",
        vendor: "ovirt.org",
        instance_id: this.instanceId,
        version: {
          build: String(version.build),
          full_version: version.full,
          major: String(version.major),
          minor: String(version.minor),
          revision: String(version.revision),
        },
      },
      special_objects: {
        blank_template: { id: BLANK_ID },
        root_tag: { id: BLANK_ID },
      },
      summary: {
        hosts: count("hosts", statusIn("up")),
        storage_domains: count("storagedomains", (e) => e.record.external_status !== "error"),
        users: { active: "1", total: String(this.store.list("users").length) },
        vms: count("vms", statusIn("up", "powering_up", "powering_down", "reboot_in_progress", "migrating", "paused")),
      },
      time: this.now(),
    };
    if (admin) {
      record.authenticated_user = { id: admin.id };
      record.effective_user = { id: admin.id };
    }
    this.writer().members(out, wireStruct("Api"), record, new Map());
    return out.close("api").toString();
  }

  /** Appends to the audit log (`/events`), as the engine does for logins and logouts. */
  recordEvent(code: number, description: string): void {
    const id = String(++this.eventCount);
    const record: WireRecord = {
      id,
      description,
      code: String(code),
      correlation_id: randomUUID().slice(0, 8),
      custom_id: "-1",
      flood_rate: "30",
      index: id,
      origin: "oVirt",
      severity: "normal",
      time: this.now(),
    };
    const admin = this.store.list("users")[0];
    if (admin) record.user = { id: admin.id };
    this.store.insert("events", "Event", record);
  }

  idle(): Promise<void> {
    return this.transitions.idle();
  }

  hold(): () => void {
    return this.transitions.hold();
  }

  stop(): void {
    this.transitions.stop();
  }
}
