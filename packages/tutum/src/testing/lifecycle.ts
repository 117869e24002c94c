// What each write does to the simulated account: objects created in their first state, actions
// checked against the state machines of the generated metadata, transitional states that settle
// after `transitionMs`, containers created and named for their application or service, nodes for
// their cluster, an Action recorded for every write, events and log lines along the way.
import { randomBytes } from "node:crypto";
import { resources, type ActionMeta, type ResourceName } from "../generated/api.js";
import { nodeTypeSpecs } from "./seed.js";
import { fromStackfile } from "./stackfile.js";
import { clone, type PayloadShapes } from "./shapes.js";
import { isObject, newUuid, rfc2822, type Entry, type Json, type JsonObject, type Store } from "./store.js";
import { ApiError, badRequest, checkActionBody, checkFields, meta } from "./validate.js";

/** Who sent a write, for the Action it records. */
export interface RequestInfo {
  method: string;
  path: string;
  body: string;
  userAgent: string;
  ip: string;
}

/** A write's answer: the object to show (detail view) or a body of its own, and the Action started. */
export interface Outcome {
  status: number;
  entry?: Entry;
  body?: Json;
  action?: Entry;
}

/** A message of the events stream, as 09_stream_event.json. */
export interface SimulatorEvent {
  type: string;
  action: "create" | "update" | "delete";
  parents: string[];
  resource_uri: string;
  state: string;
}

/** A line of a logs stream, as 10_stream_log_line.json. */
export interface SimulatorLogLine {
  type: "log";
  source: string;
  log: string;
  streamType: "stdout" | "stderr";
  timestamp: number;
}

export interface LifecycleOptions {
  user: string;
  transitionMs: number;
  shapes: PayloadShapes;
  /** `http://127.0.0.1:<port>`, for URLs the server hands out (trigger URLs, link variables). */
  origin: () => string;
}

const TERMINAL = new Set(["Terminated"]);
const IMAGE_REF = /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9._-]+(?:\/[a-z0-9._-]+)*(?::[A-Za-z0-9._-]+)?$/;

/** `tutum/hello-world:latest` → name and tag; `tutum.co/user/app` keeps its registry host. */
export function parseImage(ref: string): { name: string; tag: string } {
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  if (colon > slash) return { name: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { name: ref, tag: "latest" };
}

export class Lifecycle {
  readonly events: SimulatorEvent[] = [];
  private readonly eventListeners = new Set<(event: SimulatorEvent) => void>();
  private readonly logListeners = new Set<(owner: Entry, line: SimulatorLogLine) => void>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private idleWaiters: Array<() => void> = [];
  private holds = 0;
  private heldRuns: Array<() => void> = [];
  private stopped = false;
  private portSeq = 49153;

  constructor(
    readonly store: Store,
    private readonly options: LifecycleOptions,
  ) {}

  // ------------------------------------------------------------------------------------------------
  // Timers

  /** Runs `fn` after the transition delay (or, while held, once released); `stop()` cancels what is pending. */
  private later(fn: () => void): void {
    if (this.stopped) return;
    const run = (): void => {
      if (this.holds > 0) {
        this.heldRuns.push(run);
        return;
      }
      this.timers.delete(timer);
      try {
        fn();
      } finally {
        if (this.timers.size === 0) this.flushIdle();
      }
    };
    const timer = setTimeout(run, this.options.transitionMs);
    this.timers.add(timer);
  }

  /**
   * Keeps every transition from completing until the returned function is called: a test can look at
   * a transitional state (Starting, Stopping ...) however slowly it runs. `idle()` waits for the release.
   */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released || this.stopped) return;
      released = true;
      if (--this.holds > 0) return;
      const runs = this.heldRuns;
      this.heldRuns = [];
      for (const run of runs) run();
    };
  }

  private flushIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once no transition is pending. */
  idle(): Promise<void> {
    if (this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  pending(): number {
    return this.timers.size;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.heldRuns = [];
    this.flushIdle();
    this.eventListeners.clear();
    this.logListeners.clear();
  }

  onEvent(listener: (event: SimulatorEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onLog(listener: (owner: Entry, line: SimulatorLogLine) => void): () => void {
    this.logListeners.add(listener);
    return () => this.logListeners.delete(listener);
  }

  // ------------------------------------------------------------------------------------------------
  // Helpers

  private now(): string {
    return rfc2822();
  }

  private uri(kind: ResourceName, pk: string): string {
    return `${resources[kind].path}${pk}/`;
  }

  private byUri(uri: Json | undefined): Entry | undefined {
    return typeof uri === "string" ? this.store.resolve(uri) : undefined;
  }

  /** Whether the object is in a state its machine marks transitional (an operation of its own is under way). */
  private transitional(entry: Entry): boolean {
    const state = entry.data.state;
    return meta(entry.kind).states.some((s) => s.name === state && s.transitional);
  }

  private setState(entry: Entry, state: string): void {
    if (entry.data.state === state) return;
    entry.data.state = state;
    this.emit(entry, state === "Terminated" ? "delete" : "update");
  }

  private emit(entry: Entry, action: SimulatorEvent["action"]): void {
    const uri = entry.data.resource_uri;
    if (typeof uri !== "string") return;
    const event: SimulatorEvent = {
      type: resources[entry.kind].endpoint.split("/")[0] ?? entry.kind.toLowerCase(),
      action,
      parents: this.parentsOf(entry),
      resource_uri: uri,
      state: typeof entry.data.state === "string" ? entry.data.state : "",
    };
    this.events.push(event);
    if (this.events.length > 1000) this.events.splice(0, this.events.length - 1000);
    for (const l of this.eventListeners) l(event);
  }

  private parentsOf(entry: Entry): string[] {
    const out: string[] = [];
    if (entry.kind === "Action" && typeof entry.data.object === "string") out.push(entry.data.object);
    let parent = entry.parent;
    while (parent) {
      out.push(parent);
      const p = this.byUri(parent);
      parent = p?.parent;
    }
    if (entry.kind === "Container" && typeof entry.data.node === "string") out.push(entry.data.node);
    if (entry.kind === "Service" && typeof entry.data.stack === "string") out.push(entry.data.stack);
    return [...new Set(out)];
  }

  /** Appends a line to a container's log (and so to its parent's). */
  log(container: Entry, text: string, streamType: "stdout" | "stderr" = "stdout"): void {
    const date = new Date();
    container.logs.push(`${date.toISOString()} ${text}`);
    if (container.logs.length > 500) container.logs.shift();
    const line: SimulatorLogLine = {
      type: "log",
      source: String(container.data.unique_name ?? container.data.name),
      log: text,
      streamType,
      timestamp: Math.floor(date.getTime() / 1000),
    };
    for (const l of this.logListeners) l(container, line);
  }

  /** `{"logs": "..."}` of the 2014 REST logs endpoints: a container's lines, or its parent's, prefixed. */
  logsOf(entry: Entry): string {
    if (entry.kind === "Container") return entry.logs.map((l) => `${l}\n`).join("");
    const lines: string[] = [];
    for (const c of this.containersOf(entry, true)) {
      const name = String(c.data.unique_name ?? c.data.name);
      for (const l of c.logs) lines.push(`[${name}] ${l}`);
    }
    // The timestamp follows the prefix; order by it alone (a stable sort keeps each container's order).
    const stamp = (line: string) => line.slice(line.indexOf("] ") + 2).split(" ", 1)[0] ?? "";
    lines.sort((a, b) => (stamp(a) < stamp(b) ? -1 : stamp(a) > stamp(b) ? 1 : 0));
    return lines.map((l) => `${l}\n`).join("");
  }

  private containersOf(parent: Entry, includeTerminated = false): Entry[] {
    const uri = parent.data.resource_uri;
    return this.store
      .all("Container")
      .filter((c) => c.parent === uri && (includeTerminated || !TERMINAL.has(String(c.data.state))));
  }

  private nodesOf(cluster: Entry): Entry[] {
    const uri = cluster.data.resource_uri;
    return this.store.all("Node").filter((n) => n.parent === uri && !TERMINAL.has(String(n.data.state)));
  }

  private appendAction(entry: Entry, action: Entry): void {
    const list = Array.isArray(entry.data.actions) ? entry.data.actions : [];
    list.push(String(action.data.resource_uri));
    entry.data.actions = list;
  }

  /** Records an Action for a write; `sync` ones are done at once, the others when their transition settles. */
  recordAction(label: string, object: Entry, req: RequestInfo, sync: boolean): Entry {
    const uuid = newUuid();
    const now = this.now();
    const action = this.store.insert("Action", {
      uuid,
      resource_uri: `/api/v1/action/${uuid}/`,
      object: object.data.resource_uri ?? null,
      action: label,
      method: req.method,
      path: req.path,
      body: req.body,
      user_agent: req.userAgent,
      ip: req.ip,
      location: "Localhost",
      start_date: now,
      end_date: sync ? now : null,
      state: sync ? "Success" : "In progress",
      logs: "",
      is_user_action: true,
      can_be_canceled: false,
      can_be_retried: false,
    });
    this.appendAction(object, action);
    this.emit(action, "create");
    return action;
  }

  private finishAction(action: Entry, state: "Success" | "Failed" = "Success"): void {
    action.data.end_date = this.now();
    action.data.logs = `${String(action.data.logs ?? "")}${String(action.data.action)}: ${state}\n`;
    if (state === "Failed") action.data.can_be_retried = true;
    this.setState(action, state);
  }

  /** 400 unless the object's state machine allows `action` in its current state. */
  assertAllowed(entry: Entry, action: ActionMeta): void {
    const state = typeof entry.data.state === "string" ? entry.data.state : undefined;
    if (state === undefined) return;
    const name = action.kind === "delete" ? "terminate" : action.kind === "update" ? "update" : action.name;
    const kindName = resources[entry.kind].className.toLowerCase();
    const refuse = () =>
      badRequest(
        `Cannot ${name} ${kindName} '${String(entry.data.name ?? entry.pk)}': it is not in a suitable state (${state})`,
      );
    if (action.allowedStates && !action.allowedStates.includes(state)) throw refuse();
    const states = meta(entry.kind).states;
    const stateMeta = states.find((s) => s.name === state);
    const tableUsed = states.some((s) => (s.allowed ?? []).includes(name));
    if (stateMeta?.allowed && tableUsed && (action.kind === "action" || action.kind === "delete")) {
      if (!stateMeta.allowed.includes(name)) throw refuse();
    }
    if (!action.allowedStates && (stateMeta?.transitional || state === "Terminated")) throw refuse();
  }

  // ------------------------------------------------------------------------------------------------
  // Containers

  private nextIndex(parent: Entry): number {
    const used = new Set(this.containersOf(parent).map((c) => Number(c.data.index_hint ?? 0)));
    let i = 1;
    while (used.has(i)) i++;
    return i;
  }

  private pickNode(): Entry | undefined {
    const nodes = this.store.all("Node").filter((n) => n.data.state === "Deployed");
    nodes.sort((a, b) => Number(a.data.current_num_containers ?? 0) - Number(b.data.current_num_containers ?? 0));
    return nodes[0];
  }

  private createContainer(parent: Entry, state: string): Entry {
    const index = this.nextIndex(parent);
    const uuid = newUuid();
    const uri = this.uri("Container", uuid);
    const app = parent.kind === "Application";
    const p = parent.data;
    const uniqueName = `${String(p.unique_name ?? p.name)}-${index}`;
    const node = app ? undefined : this.pickNode();
    const nodeHost = node ? `${node.pk.slice(0, 8)}-${this.options.user}.node.tutum.io` : "localhost";
    const host = app ? `${uniqueName}-${this.options.user}.alpha.tutum.io` : `${uniqueName}.${nodeHost}`;
    const ports: Json[] = [];
    const linkVars: JsonObject = {};
    const envPrefix = uniqueName.toUpperCase().replace(/[^A-Z0-9]/g, "_");
    for (const port of Array.isArray(p.container_ports) ? p.container_ports : []) {
      if (!isObject(port)) continue;
      const inner = Number(port.inner_port);
      const protocol = String(port.protocol ?? "tcp");
      const published = port.published !== false;
      const outer = published ? (typeof port.outer_port === "number" ? port.outer_port : this.portSeq++) : null;
      const uriProtocol = String(port.uri_protocol ?? (inner === 80 ? "http" : protocol));
      ports.push({
        ...(app ? { container: uri } : {}),
        protocol,
        inner_port: inner,
        outer_port: outer,
        port_name: String(port.port_name ?? (inner === 80 ? "http" : "unknown")),
        endpoint_uri: outer === null ? null : `${uriProtocol}://${host}:${outer}/`,
        published,
        uri_protocol: uriProtocol,
      });
      const base = `${envPrefix}_PORT_${inner}_${protocol.toUpperCase()}`;
      linkVars[base] = `${protocol}://${host}:${outer ?? inner}`;
      linkVars[`${base}_ADDR`] = host;
      linkVars[`${base}_PORT`] = String(outer ?? inner);
      linkVars[`${base}_PROTO`] = protocol;
    }
    for (const env of Array.isArray(p.container_envvars) ? p.container_envvars : []) {
      if (isObject(env) && typeof env.key === "string")
        linkVars[`${envPrefix}_ENV_${env.key}`] = String(env.value ?? "");
    }
    const twentyFifteen = !app && this.options.shapes === "2015";
    const data: JsonObject = {
      uuid,
      resource_uri: uri,
      ...dockerRuntimeDefaults(p),
      // 2014 payloads name a container after its parent and number its unique_name; 2015 ones number the name.
      name: twentyFifteen ? uniqueName : String(p.name),
      unique_name: uniqueName,
      index_hint: index,
      image_name: p.image_name ?? null,
      image_tag: p.image_tag ?? null,
      state,
      synchronized: true,
      ...(app ? { application: p.resource_uri ?? null } : { service: p.resource_uri ?? null }),
      node: node ? (node.data.resource_uri ?? null) : null,
      public_dns: host,
      web_public_dns: app ? host : null,
      private_ip: `10.7.0.${(this.store.all("Container").length % 250) + 2}`,
      exit_code: null,
      exit_code_msg: null,
      container_size: p.container_size ?? "XS",
      bindings: [],
      linked_to_container: [],
      last_metric: { cpu: 0, memory: 0, disk: 0 },
      is_dead_backend: null,
      cpu_shares: p.cpu_shares ?? null,
      memory: p.memory ?? null,
      memory_swap: p.memory_swap ?? null,
      privileged: p.privileged ?? false,
      hostname: uniqueName,
      mac_address: `02:42:ac:11:00:${(index + 1).toString(16).padStart(2, "0")}`,
      autoreplace: p.autoreplace ?? "OFF",
      entrypoint: p.entrypoint ?? "",
      run_command: p.run_command ?? "",
      container_ports: ports,
      container_envvars: clone(p.container_envvars ?? []),
      roles: clone(p.roles ?? []),
      link_variables: linkVars,
    };
    const container = this.store.insert("Container", data, app ? "application" : "service", String(p.resource_uri));
    if (node) node.data.current_num_containers = Number(node.data.current_num_containers ?? 0) + 1;
    if (!app) this.attachVolumes(parent, container, node);
    this.emit(container, "create");
    this.refreshCounts(parent);
    return container;
  }

  /** Volumes for the bindings without a host path (VolumeGroup per service and path, Volume per container). */
  private attachVolumes(service: Entry, container: Entry, node: Entry | undefined): void {
    const bindings: Json[] = [];
    for (const b of Array.isArray(service.data.bindings) ? service.data.bindings : []) {
      if (!isObject(b)) continue;
      let volume: string | null = null;
      if (!b.host_path && typeof b.container_path === "string") {
        const groupName = `${String(service.data.name)}${b.container_path.replace(/[^A-Za-z0-9]+/g, "-")}`.replace(
          /-$/,
          "",
        );
        let group = this.store.all("VolumeGroup").find((g) => g.data.name === groupName);
        if (!group) {
          const gid = newUuid();
          group = this.store.insert("VolumeGroup", {
            uuid: gid,
            name: groupName,
            resource_uri: this.uri("VolumeGroup", gid),
            state: "Created",
            services: [String(service.data.resource_uri)],
            volumes: [],
          });
        }
        const vid = newUuid();
        const vol = this.store.insert("Volume", {
          uuid: vid,
          resource_uri: this.uri("Volume", vid),
          node: node?.data.resource_uri ?? null,
          state: "Created",
          containers: [String(container.data.resource_uri)],
          volume_group: group.data.resource_uri ?? null,
        });
        (group.data.volumes as Json[]).push(String(vol.data.resource_uri));
        volume = String(vol.data.resource_uri);
      }
      bindings.push({
        volume,
        host_path: b.host_path ?? null,
        container_path: b.container_path ?? null,
        rewritable: b.rewritable ?? true,
      });
    }
    container.data.bindings = bindings;
  }

  private refreshCounts(parent: Entry): void {
    const live = this.containersOf(parent);
    parent.data.containers = live.map((c) => String(c.data.resource_uri));
    parent.data.current_num_containers = live.length;
    parent.data.running_num_containers = live.filter((c) => c.data.state === "Running").length;
    parent.data.stopped_num_containers = live.filter((c) => c.data.state === "Stopped").length;
  }

  private containerUp(c: Entry): void {
    const now = this.now();
    c.data.started_datetime = now;
    if (c.data.deployed_datetime === null) c.data.deployed_datetime = now;
    c.data.exit_code = null;
    c.data.exit_code_msg = null;
    this.setState(c, "Running");
    this.log(c, `Starting ${String(c.data.image_name ?? "container")}`);
    const ports = Array.isArray(c.data.container_ports) ? c.data.container_ports : [];
    for (const p of ports)
      if (isObject(p)) this.log(c, `Listening on ${String(p.protocol)} port ${String(p.inner_port)}`);
  }

  private containerDown(c: Entry): void {
    c.data.stopped_datetime = this.now();
    c.data.exit_code = 0;
    c.data.exit_code_msg = "Exit code 0 (Success)";
    this.setState(c, "Stopped");
    this.log(c, "Received SIGTERM: shutting down");
  }

  private containerGone(c: Entry): void {
    c.data.destroyed_datetime = this.now();
    this.setState(c, "Terminated");
    const node = this.byUri(c.data.node);
    if (node) node.data.current_num_containers = Math.max(0, Number(node.data.current_num_containers ?? 1) - 1);
  }

  /** The state a parent settles in from its containers (api.json's "derived" rule). */
  private derivedState(parent: Entry): string {
    this.refreshCounts(parent);
    const running = Number(parent.data.running_num_containers);
    const target = Number(parent.data.target_num_containers ?? 0);
    const live = this.containersOf(parent).length;
    if (live === 0) return parent.kind === "Service" ? "Not running" : "Stopped";
    if (running === 0) return "Stopped";
    if (running >= target && running === live) return "Running";
    return "Partly running";
  }

  private settleParent(parent: Entry): void {
    const state = this.derivedState(parent);
    if (state === "Running") {
      parent.data.started_datetime = parent.data.started_datetime ?? this.now();
      parent.data.deployed_datetime = parent.data.deployed_datetime ?? this.now();
    }
    if (state === "Stopped") parent.data.stopped_datetime = this.now();
    this.setState(parent, state);
  }

  /** Starts `count` new containers and stops the surplus, newest first, toward the parent's target. */
  private adjustContainers(parent: Entry, newState: "Starting" | "Stopped"): { added: Entry[]; removed: Entry[] } {
    const target = Number(parent.data.target_num_containers ?? 0);
    const live = this.containersOf(parent);
    const added: Entry[] = [];
    const removed: Entry[] = [];
    for (let i = live.length; i < target; i++) added.push(this.createContainer(parent, newState));
    const surplus = live.slice(target).reverse();
    for (const c of live.length > target ? surplus : []) {
      this.setState(c, "Terminating");
      removed.push(c);
    }
    return { added, removed };
  }

  // ------------------------------------------------------------------------------------------------
  // Create

  create(kind: ResourceName, raw: Json | undefined, req: RequestInfo, parent?: Entry): Outcome {
    switch (kind) {
      case "Application":
        return this.createApplication(checkFields(kind, "create", raw), req);
      case "Service": {
        const service = this.createService(checkFields(kind, "create", raw));
        const action = this.recordAction("Service Create", service, req, true);
        return { status: 201, entry: service, action };
      }
      case "Stack":
        return this.createStack(raw, req);
      case "NodeCluster":
        return this.createNodeCluster(checkFields(kind, "create", raw), req);
      case "Image":
        return this.createImage(checkFields(kind, "create", raw), req);
      case "Trigger":
        if (!parent) throw new ApiError(404, "Not found");
        return this.createTrigger(parent, checkFields(kind, "create", raw));
      case "Token": {
        checkFields(kind, "create", raw);
        return { status: 201, body: { token: randomBytes(20).toString("hex") } };
      }
      default:
        throw new ApiError(405, "Method not allowed");
    }
  }

  private imageFields(body: JsonObject): { image_name: string; image_tag: string } {
    if (typeof body.image === "string") {
      if (!IMAGE_REF.test(body.image))
        throw badRequest(`Field 'image' is not a valid Docker image name: '${body.image}'`);
      const { name, tag } = parseImage(body.image);
      return { image_name: `${name}:${tag}`, image_tag: `/api/v1/image/${name}/tag/${tag}/` };
    }
    const tagUri = String(body.image_tag);
    const m = /\/api\/v1\/image\/(.+)\/tag\/([^/]+)\/?$/.exec(tagUri);
    if (!m) throw badRequest(`Field 'image_tag' must be an image tag URI (/api/v1/image/{name}/tag/{tag}/)`);
    return { image_name: `${m[1]}:${m[2]}`, image_tag: `/api/v1/image/${m[1]}/tag/${m[2]}/` };
  }

  private uniqueName(kind: ResourceName, name: string): string {
    const taken = new Set(
      this.store
        .all(kind)
        .filter((e) => !TERMINAL.has(String(e.data.state)))
        .map((e) => String(e.data.unique_name ?? e.data.name)),
    );
    if (!taken.has(name)) return name;
    let i = 2;
    while (taken.has(`${name}-${i}`)) i++;
    return `${name}-${i}`;
  }

  private normalizePorts(ports: Json | undefined, owner: string | null, ownerKey: string | null): Json[] {
    const out: Json[] = [];
    for (const p of Array.isArray(ports) ? ports : []) {
      if (!isObject(p)) continue;
      if (typeof p.inner_port !== "number") throw badRequest("Each of 'container_ports' needs an integer 'inner_port'");
      out.push({
        ...(ownerKey && owner ? { [ownerKey]: owner } : {}),
        protocol: p.protocol ?? "tcp",
        inner_port: p.inner_port,
        outer_port: p.outer_port ?? null,
        port_name: p.port_name ?? (p.inner_port === 80 ? "http" : "unknown"),
        endpoint_uri: null,
        // Every port of a 2014 application was published; services publish on request (or with an outer port).
        published: p.published ?? (ownerKey === "application" || (p.outer_port !== undefined && p.outer_port !== null)),
        uri_protocol: p.uri_protocol ?? (p.inner_port === 80 ? "http" : (p.protocol ?? "tcp")),
      });
    }
    return out;
  }

  private createApplication(body: JsonObject, req: RequestInfo): Outcome {
    const image = this.imageFields(body);
    const uuid = newUuid();
    const uri = this.uri("Application", uuid);
    const name = typeof body.name === "string" ? body.name : parseImage(image.image_name).name.split("/").pop()!;
    const unique = this.uniqueName("Application", name);
    const envName = name.toUpperCase().replace(/[^A-Z0-9]/g, "_");
    const app = this.store.insert(
      "Application",
      {
        uuid,
        resource_uri: uri,
        name,
        unique_name: unique,
        ...image,
        container_size: body.container_size ?? "XS",
        state: "Starting",
        target_num_containers: body.target_num_containers ?? 1,
        current_num_containers: 0,
        running_num_containers: 0,
        stopped_num_containers: 0,
        containers: [],
        public_dns: `${unique}.alpha.tutum.io`,
        web_public_dns: body.web_public_dns ?? `${unique}.alpha.tutum.io`,
        autoreplace: body.autoreplace ?? "OFF",
        autorestart: body.autorestart ?? "OFF",
        autodestroy: body.autodestroy ?? "OFF",
        sequential_deployment: body.sequential_deployment ?? false,
        linked_to_application: clone(body.linked_to_application ?? []),
        linked_from_application: [],
        deployed_datetime: null,
        started_datetime: null,
        stopped_datetime: null,
        destroyed_datetime: null,
        entrypoint: body.entrypoint ?? "",
        run_command: body.run_command ?? "/run.sh",
        container_ports: [],
        container_envvars: clone(body.container_envvars ?? []),
        roles: clone(body.roles ?? []),
        link_variables: { [`${envName}_TUTUM_API_URL`]: `${this.options.origin()}${uri}` },
      },
      "application",
    );
    app.data.container_ports = this.normalizePorts(body.container_ports, uri, "application");
    for (const link of Array.isArray(body.linked_to_application) ? body.linked_to_application : []) {
      const target = isObject(link) ? this.byUri(link.to_application) : undefined;
      if (!target || target.kind !== "Application")
        throw badRequest("linked_to_application names an unknown application");
      const from = Array.isArray(target.data.linked_from_application) ? target.data.linked_from_application : [];
      from.push({ from_application: uri, name: isObject(link) ? (link.name ?? name) : name });
      target.data.linked_from_application = from;
    }
    this.emit(app, "create");
    // POST creates AND deploys.
    for (let i = 0; i < Number(app.data.target_num_containers); i++) this.createContainer(app, "Starting");
    const action = this.recordAction("Application Create", app, req, false);
    this.later(() => {
      for (const c of this.containersOf(app)) if (c.data.state === "Starting") this.containerUp(c);
      this.settleParent(app);
      this.finishAction(action);
    });
    return { status: 202, entry: app, action };
  }

  /** A service in "Not running" (also used for the services of a stack). */
  createService(body: JsonObject, stack?: Entry, presetUuid?: string): Entry {
    const image = this.imageFields(body);
    const uuid = presetUuid ?? newUuid();
    const uri = this.uri("Service", uuid);
    const name = typeof body.name === "string" ? body.name : parseImage(image.image_name).name.split("/").pop()!;
    const unique = this.uniqueName("Service", name);
    const envName = name.toUpperCase().replace(/[^A-Z0-9]/g, "_");
    const data: JsonObject = {
      uuid,
      resource_uri: uri,
      name,
      unique_name: unique,
      nickname: body.nickname ?? name,
      ...image,
      ...dockerRuntimeDefaults(body),
      state: "Not running",
      synchronized: true,
      public_dns: `${name}.${this.options.user}.svc.tutum.io`,
      stack: stack ? (stack.data.resource_uri ?? null) : null,
      target_num_containers: body.target_num_containers ?? 1,
      current_num_containers: 0,
      running_num_containers: 0,
      stopped_num_containers: 0,
      containers: [],
      deployment_strategy: body.deployment_strategy ?? "EMPTIEST_NODE",
      sequential_deployment: body.sequential_deployment ?? false,
      autoredeploy: body.autoredeploy ?? false,
      autoreplace: "OFF",
      tags: clone(body.tags ?? []),
      linked_to_service: [],
      linked_from_service: [],
      bindings: (Array.isArray(body.bindings) ? body.bindings : []).map((b) =>
        isObject(b)
          ? {
              host_path: b.host_path ?? null,
              container_path: b.container_path ?? null,
              rewritable: b.rewritable ?? true,
              volumes_from: b.volumes_from ?? null,
            }
          : b,
      ),
      cpu_shares: body.cpu_shares ?? null,
      memory: body.memory ?? null,
      memory_swap: null,
      privileged: body.privileged ?? false,
      hostname: "",
      mac_address: "",
      entrypoint: body.entrypoint ?? null,
      run_command: body.run_command ?? null,
      container_ports: this.normalizePorts(body.container_ports, null, null),
      container_envvars: clone(body.container_envvars ?? []),
      roles: clone(body.roles ?? []),
      link_variables: { [`${envName}_TUTUM_API_URL`]: `${this.options.origin()}${uri}` },
    };
    const service = this.store.insert("Service", data, "service", stack ? String(stack.data.resource_uri) : undefined);
    this.setLinks(service, body.linked_to_service);
    this.emit(service, "create");
    return service;
  }

  private setLinks(service: Entry, links: Json | undefined): void {
    if (links === undefined) return;
    const uri = String(service.data.resource_uri);
    // Drop this service from the services it linked to before.
    for (const other of this.store.all("Service")) {
      const from = Array.isArray(other.data.linked_from_service) ? other.data.linked_from_service : [];
      other.data.linked_from_service = from.filter((l) => !(isObject(l) && l.from_service === uri));
    }
    const out: Json[] = [];
    for (const link of Array.isArray(links) ? links : []) {
      if (!isObject(link)) continue;
      const target = this.byUri(link.to_service);
      if (!target || target.kind !== "Service")
        throw badRequest(`linked_to_service names an unknown service: '${String(link.to_service)}'`);
      const entry = {
        from_service: uri,
        to_service: String(target.data.resource_uri),
        name: String(link.name ?? target.data.name),
      };
      out.push(entry);
      (target.data.linked_from_service as Json[]).push(clone(entry));
    }
    service.data.linked_to_service = out;
  }

  private createStack(raw: Json | undefined, req: RequestInfo): Outcome {
    if (raw !== undefined && !isObject(raw)) throw badRequest("The request body must be a JSON object");
    const body = { ...(raw ?? {}) };
    const specs = body.services;
    delete body.services;
    const fields = checkFields("Stack", "create", body);
    const prepared = this.prepareStackServices(specs);
    const uuid = newUuid();
    const stack = this.store.insert("Stack", {
      uuid,
      resource_uri: this.uri("Stack", uuid),
      name: String(fields.name),
      nickname: fields.nickname ?? String(fields.name),
      state: "Not Running",
      synchronized: true,
      services: [],
      deployed_datetime: null,
      destroyed_datetime: null,
    });
    this.addStackServices(stack, prepared);
    this.emit(stack, "create");
    const action = this.recordAction("Stack Create", stack, req, true);
    return { status: 201, entry: stack, action };
  }

  /** Checks a stack's service specs; links between them may name a sibling instead of its URI. */
  private prepareStackServices(
    specs: Json | undefined,
    existing: Entry[] = [],
  ): Array<{ uuid: string; body: JsonObject; update?: Entry }> {
    if (specs === undefined) return [];
    if (!Array.isArray(specs)) throw badRequest("Field 'services' must be a list of service definitions");
    const plan = specs.map((spec, i) => {
      if (!isObject(spec)) throw badRequest(`services[${i}] must be an object`);
      const match = existing.find((s) => typeof spec.name === "string" && s.data.name === spec.name);
      return { uuid: match?.pk ?? newUuid(), spec, update: match };
    });
    const byName = new Map<string, string>();
    for (const p of plan) if (typeof p.spec.name === "string") byName.set(p.spec.name, this.uri("Service", p.uuid));
    return plan.map(({ uuid, spec, update }, i) => {
      let copy: JsonObject;
      try {
        copy = fromStackfile(spec);
      } catch (error) {
        if (error instanceof ApiError) throw badRequest(`services[${i}]: ${error.message}`);
        throw error;
      }
      if (Array.isArray(copy.linked_to_service)) {
        copy.linked_to_service = copy.linked_to_service.map((l) =>
          isObject(l) && typeof l.to_service === "string" && byName.has(l.to_service)
            ? { ...l, to_service: byName.get(l.to_service)! }
            : l,
        );
      }
      try {
        if (update) {
          const { name: _name, ...changes } = copy;
          return { uuid, body: checkFields("Service", "update", changes), update };
        }
        return { uuid, body: checkFields("Service", "create", copy) };
      } catch (error) {
        if (error instanceof ApiError) throw badRequest(`services[${i}]: ${error.message}`);
        throw error;
      }
    });
  }

  private addStackServices(stack: Entry, plan: Array<{ uuid: string; body: JsonObject; update?: Entry }>): void {
    const created: Array<[Entry, JsonObject]> = [];
    for (const p of plan) {
      if (p.update) {
        this.applyServiceChanges(p.update, p.body);
        continue;
      }
      const { linked_to_service: links, ...rest } = p.body;
      created.push([this.createService(rest, stack, p.uuid), { linked_to_service: links ?? [] }]);
    }
    // Links after every sibling exists.
    for (const [service, { linked_to_service: links }] of created) this.setLinks(service, links);
    stack.data.services = this.servicesOf(stack).map((s) => String(s.data.resource_uri));
  }

  private servicesOf(stack: Entry): Entry[] {
    const uri = stack.data.resource_uri;
    return this.store.all("Service").filter((s) => s.data.stack === uri && !TERMINAL.has(String(s.data.state)));
  }

  private createNodeCluster(body: JsonObject, req: RequestInfo): Outcome {
    const nodeType = this.byUri(body.node_type);
    if (!nodeType || nodeType.kind !== "NodeType") throw badRequest(`Field 'node_type' names an unknown node type`);
    const region = this.byUri(body.region);
    if (!region || region.kind !== "Region") throw badRequest(`Field 'region' names an unknown region`);
    const types = Array.isArray(region.data.node_types) ? region.data.node_types : [];
    if (!types.includes(String(nodeType.data.resource_uri))) {
      throw badRequest(`Node type '${nodeType.pk}' is not available in region '${region.pk}'`);
    }
    const uuid = newUuid();
    const cluster = this.store.insert("NodeCluster", {
      uuid,
      resource_uri: this.uri("NodeCluster", uuid),
      name: String(body.name),
      nickname: body.nickname ?? String(body.name),
      state: "Init",
      node_type: String(nodeType.data.resource_uri),
      region: String(region.data.resource_uri),
      disk: body.disk ?? 60,
      target_num_nodes: body.target_num_nodes ?? 1,
      current_num_nodes: 0,
      nodes: [],
      tags: clone(body.tags ?? []),
      provider_options: clone(body.provider_options ?? {}),
      actions: [],
      deployed_datetime: null,
      destroyed_datetime: null,
    });
    this.emit(cluster, "create");
    const action = this.recordAction("Node Cluster Create", cluster, req, true);
    return { status: 201, entry: cluster, action };
  }

  /** A node of `cluster`, in `state` (the seeded cluster's node starts Deployed). */
  createNode(cluster: Entry, state: string): Entry {
    const uuid = newUuid();
    const specs = nodeTypeSpecs(String(cluster.data.node_type));
    const n = this.store.all("Node").length + 1;
    const now = this.now();
    const node = this.store.insert(
      "Node",
      {
        uuid,
        resource_uri: this.uri("Node", uuid),
        external_fqdn: `${uuid.slice(0, 8)}.node.tutum.io`,
        nickname: `${String(cluster.data.name)}-${n}`,
        state,
        node_cluster: cluster.data.resource_uri ?? null,
        node_type: cluster.data.node_type ?? null,
        region: cluster.data.region ?? null,
        availability_zone: null,
        docker_execdriver: "native-0.2",
        docker_graphdriver: "aufs",
        docker_version: "1.9.1",
        cpu: specs.cpu,
        disk: Number(cluster.data.disk ?? specs.disk),
        memory: specs.memory,
        last_metric: { cpu: 0.5, memory: 25.0, disk: 10.0 },
        current_num_containers: 0,
        last_seen: state === "Deployed" ? now : null,
        public_ip: `192.0.2.${(n % 250) + 2}`,
        tunnel: null,
        tags: clone(cluster.data.tags ?? []),
        actions: [],
        deployed_datetime: state === "Deployed" ? now : null,
        destroyed_datetime: null,
      },
      "service",
      String(cluster.data.resource_uri),
    );
    this.emit(node, "create");
    this.refreshNodes(cluster);
    return node;
  }

  private refreshNodes(cluster: Entry): void {
    const nodes = this.nodesOf(cluster);
    cluster.data.nodes = nodes.map((n) => String(n.data.resource_uri));
    cluster.data.current_num_nodes = nodes.length;
  }

  private createImage(body: JsonObject, req: RequestInfo): Outcome {
    const name = String(body.name);
    if (!IMAGE_REF.test(name) || name.includes(":"))
      throw badRequest(`Field 'name' is not a valid repository name: '${name}'`);
    if (this.store.get("Image", name)) throw new ApiError(409, `Image '${name}' already exists`);
    const host = name.includes(".") && name.includes("/") ? name.split("/")[0]! : "index.docker.io";
    const image = this.store.insert("Image", {
      name,
      resource_uri: `/api/v1/image/${name}/`,
      description: body.description ?? "",
      username: body.username ?? null,
      password: body.password ?? null,
      is_private_image: true,
      starred: false,
      base_image: false,
      docker_registry: `/api/v1/registry/${host}/`,
      imagetag_set: [`/api/v1/image/${name}/tag/latest/`],
      jumpstart: false,
      registry: `/api/v1/registry/${host}/`,
      tags: [`/api/v1/image/${name}/tag/latest/`],
      is_user_image: true,
      public_url: "",
      state: "Success",
      build_source: clone(body.build_source ?? {}),
      in_use: false,
      categories: [],
    });
    this.recordAction("Image Create", image, req, true);
    return { status: 201, entry: image };
  }

  private createTrigger(service: Entry, body: JsonObject): Outcome {
    const operation = body.operation ?? "REDEPLOY";
    const uuid = newUuid();
    const base = `${String(service.data.resource_uri)}trigger/${uuid}/`;
    const trigger = this.store.insert(
      "Trigger",
      {
        uuid,
        name: String(body.name),
        operation,
        // A path, as in the API docs' trigger example (the CLI prints tutum.rest_host + url).
        url: `${base}call/`,
        resource_uri: base,
      },
      "service",
      String(service.data.resource_uri),
    );
    return { status: 201, entry: trigger };
  }

  /** Legacy webhook handlers (0.11 .. 0.14): the body is a list of `{name}`. */
  createWebhookHandlers(service: Entry, raw: Json | undefined): Outcome {
    const items = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    const created: Entry[] = [];
    for (const item of items) {
      const body = checkFields("WebhookHandler", "create", item);
      if (typeof body.name !== "string") throw badRequest("Field 'name' is required");
      const uuid = newUuid();
      const base = `${String(service.data.resource_uri)}webhook/handler/${uuid}/`;
      created.push(
        this.store.insert(
          "WebhookHandler",
          { uuid, name: body.name, url: `${base}call/`, resource_uri: base },
          "service",
          String(service.data.resource_uri),
        ),
      );
    }
    return { status: 201, body: created.map((e) => clone(e.data)) };
  }

  // ------------------------------------------------------------------------------------------------
  // Update (PATCH)

  update(entry: Entry, raw: Json | undefined, req: RequestInfo, action: ActionMeta): Outcome {
    this.assertAllowed(entry, action);
    if (entry.kind === "Stack") return this.updateStack(entry, raw, req);
    const body = checkFields(entry.kind, "update", raw);
    switch (entry.kind) {
      case "Application":
      case "Service":
        return this.updateParent(entry, body, req);
      case "NodeCluster":
        return this.updateNodeCluster(entry, body, req);
      default: {
        Object.assign(entry.data, clone(body));
        this.emit(entry, "update");
        const label = `${resources[entry.kind].className} Update`;
        return { status: 202, entry, action: this.recordAction(label, entry, req, true) };
      }
    }
  }

  private applyServiceChanges(service: Entry, body: JsonObject): void {
    const { linked_to_service: links, image, container_ports: ports, ...rest } = body;
    Object.assign(service.data, clone(rest));
    if (typeof image === "string") Object.assign(service.data, this.imageFields({ image }));
    if (ports !== undefined) service.data.container_ports = this.normalizePorts(ports, null, null);
    if (links !== undefined) this.setLinks(service, links);
    // Changes reach the containers on the next redeploy.
    if (Object.keys(body).some((k) => k !== "target_num_containers" && k !== "nickname" && k !== "tags")) {
      service.data.synchronized = false;
    }
  }

  private updateParent(parent: Entry, body: JsonObject, req: RequestInfo): Outcome {
    const label = `${resources[parent.kind].className} Update`;
    const oldTarget = Number(parent.data.target_num_containers ?? 0);
    if (parent.kind === "Service") this.applyServiceChanges(parent, body);
    else {
      const { container_ports: ports, ...rest } = body;
      Object.assign(parent.data, clone(rest));
      if (ports !== undefined) {
        parent.data.container_ports = this.normalizePorts(ports, String(parent.data.resource_uri), "application");
      }
    }
    const target = Number(parent.data.target_num_containers ?? 0);
    const state = String(parent.data.state);
    if (target === oldTarget || !["Running", "Partly running", "Stopped"].includes(state)) {
      this.emit(parent, "update");
      return { status: 202, entry: parent, action: this.recordAction(label, parent, req, true) };
    }
    if (state === "Stopped") {
      const { removed } = this.adjustContainers(parent, "Stopped");
      for (const c of removed) this.containerGone(c);
      this.refreshCounts(parent);
      this.emit(parent, "update");
      return { status: 202, entry: parent, action: this.recordAction(label, parent, req, true) };
    }
    return this.scale(parent, req, label);
  }

  /** Scaling: new containers start, the surplus terminates; then the parent settles. */
  private scale(parent: Entry, req: RequestInfo, label: string): Outcome {
    this.setState(parent, "Scaling");
    const { added, removed } = this.adjustContainers(parent, "Starting");
    this.refreshCounts(parent);
    const action = this.recordAction(label, parent, req, false);
    this.later(() => {
      for (const c of added) if (c.data.state === "Starting") this.containerUp(c);
      for (const c of removed) this.containerGone(c);
      this.settleParent(parent);
      this.finishAction(action);
    });
    return { status: 202, entry: parent, action };
  }

  private updateNodeCluster(cluster: Entry, body: JsonObject, req: RequestInfo): Outcome {
    const oldTarget = Number(cluster.data.target_num_nodes ?? 0);
    Object.assign(cluster.data, clone(body));
    const target = Number(cluster.data.target_num_nodes ?? 0);
    if (target === oldTarget) {
      this.emit(cluster, "update");
      return { status: 202, entry: cluster, action: this.recordAction("Node Cluster Update", cluster, req, true) };
    }
    this.setState(cluster, "Scaling");
    const nodes = this.nodesOf(cluster);
    const added: Entry[] = [];
    const removed = nodes.slice(target).reverse();
    for (let i = nodes.length; i < target; i++) added.push(this.createNode(cluster, "Deploying"));
    for (const n of removed) this.setState(n, "Terminating");
    const action = this.recordAction("Node Cluster Scale", cluster, req, false);
    this.later(() => {
      for (const n of added) this.nodeDeployed(n);
      for (const n of removed) this.nodeGone(n);
      this.refreshNodes(cluster);
      this.setState(cluster, this.nodesOf(cluster).length === 0 ? "Empty cluster" : "Deployed");
      this.finishAction(action);
    });
    return { status: 202, entry: cluster, action };
  }

  private nodeDeployed(node: Entry): void {
    const now = this.now();
    node.data.deployed_datetime = node.data.deployed_datetime ?? now;
    node.data.last_seen = now;
    this.setState(node, "Deployed");
  }

  private nodeGone(node: Entry): void {
    node.data.destroyed_datetime = this.now();
    this.setState(node, "Terminated");
    const cluster = this.byUri(node.parent);
    if (cluster) this.refreshNodes(cluster);
  }

  private updateStack(stack: Entry, raw: Json | undefined, req: RequestInfo): Outcome {
    if (raw !== undefined && !isObject(raw)) throw badRequest("The request body must be a JSON object");
    const body = { ...(raw ?? {}) };
    const specs = body.services;
    delete body.services;
    const fields = checkFields("Stack", "update", body);
    const plan = this.prepareStackServices(specs, this.servicesOf(stack));
    Object.assign(stack.data, clone(fields));
    this.addStackServices(stack, plan);
    if (plan.length) stack.data.synchronized = false;
    this.emit(stack, "update");
    return { status: 202, entry: stack, action: this.recordAction("Stack Update", stack, req, true) };
  }

  // ------------------------------------------------------------------------------------------------
  // Actions (POST {detail}/{segment}/) and DELETE

  act(
    entry: Entry,
    action: ActionMeta,
    raw: Json | undefined,
    query: Record<string, string>,
    req: RequestInfo,
  ): Outcome {
    // The API docs scale with `target_num_containers = n; save(); scale()`: the PATCH has already started
    // scaling to that target, so the scale/ that follows at once is accepted and starts nothing more.
    if (entry.kind === "Service" && action.name === "scale" && entry.data.state === "Scaling") {
      return { status: 202, entry, action: this.recordAction("Service Scale", entry, req, true) };
    }
    this.assertAllowed(entry, action);
    const body = checkActionBody(action, raw);
    const label = `${labelOf(entry.kind)} ${titleCase(action.name)}`;
    switch (`${entry.kind}.${action.name}`) {
      case "Application.start":
      case "Service.start":
        return this.startParent(entry, req, label);
      case "Application.stop":
      case "Service.stop":
        return this.stopParent(entry, req, label);
      case "Application.redeploy":
      case "Service.redeploy":
        return this.redeployParent(entry, body, query, req, label);
      case "Service.scale":
        return this.scale(entry, req, label);
      case "Container.start":
      case "Container.stop":
      case "Container.redeploy":
        return this.containerAction(entry, action.name, req, label);
      case "Stack.start":
      case "Stack.stop":
      case "Stack.redeploy":
        return this.stackAction(entry, action.name, query, req, label);
      case "NodeCluster.deploy":
        return this.deployCluster(entry, req);
      case "NodeCluster.docker-upgrade":
      case "Node.docker-upgrade":
        return this.upgrade(entry, req, label);
      case "Node.health-check":
        return this.healthCheck(entry, req, label);
      case "Action.cancel":
        throw badRequest("This action cannot be canceled");
      case "Action.retry":
        return this.retry(entry);
      case "ImageTag.build":
        return { status: 202, body: {} };
      default:
        throw badRequest(`Cannot ${action.name} ${resources[entry.kind].className.toLowerCase()} '${entry.pk}' here`);
    }
  }

  private startParent(parent: Entry, req: RequestInfo, label: string): Outcome {
    this.setState(parent, "Starting");
    const live = this.containersOf(parent);
    const starting: Entry[] = [];
    for (const c of live) if (c.data.state === "Stopped" || c.data.state === "Init") starting.push(c);
    for (const c of starting) this.setState(c, "Starting");
    const target = Number(parent.data.target_num_containers ?? 0);
    for (let i = live.length; i < target; i++) starting.push(this.createContainer(parent, "Starting"));
    this.refreshCounts(parent);
    const action = this.recordAction(label, parent, req, false);
    this.later(() => {
      for (const c of starting) if (c.data.state === "Starting") this.containerUp(c);
      this.settleParent(parent);
      this.finishAction(action);
    });
    return { status: 202, entry: parent, action };
  }

  private stopParent(parent: Entry, req: RequestInfo, label: string): Outcome {
    this.setState(parent, "Stopping");
    const stopping = this.containersOf(parent).filter((c) => c.data.state === "Running");
    for (const c of stopping) this.setState(c, "Stopping");
    const action = this.recordAction(label, parent, req, false);
    this.later(() => {
      for (const c of stopping) if (c.data.state === "Stopping") this.containerDown(c);
      this.settleParent(parent);
      this.finishAction(action);
    });
    return { status: 202, entry: parent, action };
  }

  private redeployParent(
    parent: Entry,
    body: JsonObject,
    query: Record<string, string>,
    req: RequestInfo,
    label: string,
  ): Outcome {
    if (typeof body.tag === "string") {
      const { name } = parseImage(String(parent.data.image_name ?? ""));
      Object.assign(parent.data, this.imageFields({ image: `${name}:${body.tag}` }));
    }
    this.setState(parent, "Redeploying");
    const old = this.containersOf(parent);
    for (const c of old) this.setState(c, "Terminating");
    // Replacement containers reuse the names; the old ones go once the new ones run.
    for (const c of old) c.data.index_hint = -1;
    const fresh: Entry[] = [];
    const target = Number(parent.data.target_num_containers ?? 0);
    for (let i = 0; i < target; i++) fresh.push(this.createContainer(parent, "Starting"));
    const reuse = query.reuse_volumes !== "false";
    const action = this.recordAction(label, parent, req, false);
    this.later(() => {
      for (const c of old) this.containerGone(c);
      for (const c of fresh) {
        if (c.data.state === "Starting") this.containerUp(c);
        if (!reuse) this.log(c, "Volumes recreated (reuse_volumes=false)");
      }
      if (parent.kind === "Service") parent.data.synchronized = true;
      this.settleParent(parent);
      this.finishAction(action);
    });
    return { status: 202, entry: parent, action };
  }

  private containerAction(c: Entry, name: string, req: RequestInfo, label: string): Outcome {
    const parent = this.byUri(c.parent);
    this.setState(c, name === "stop" ? "Stopping" : "Starting");
    const action = this.recordAction(label, c, req, false);
    this.later(() => {
      if (name === "stop") this.containerDown(c);
      else this.containerUp(c);
      if (parent && !this.transitional(parent)) this.settleParent(parent);
      this.finishAction(action);
    });
    return { status: 202, entry: c, action };
  }

  private stackAction(
    stack: Entry,
    name: string,
    query: Record<string, string>,
    req: RequestInfo,
    label: string,
  ): Outcome {
    const services = this.servicesOf(stack);
    const transitional = { start: "Starting", stop: "Stopping", redeploy: "Redeploying" }[name] ?? "Starting";
    for (const s of services) {
      const svcAction = meta("Service").actions.find((a) => a.name === name);
      if (!svcAction || !(svcAction.allowedStates ?? []).includes(String(s.data.state))) continue;
      const sub = `Service ${titleCase(name)}`;
      if (name === "start") this.startParent(s, req, sub);
      else if (name === "stop") this.stopParent(s, req, sub);
      else this.redeployParent(s, {}, query, req, sub);
    }
    this.setState(stack, transitional);
    const action = this.recordAction(label, stack, req, false);
    // Scheduled after the services' own transitions, so it sees them settled.
    this.later(() => {
      this.settleStack(stack);
      if (name === "redeploy") stack.data.synchronized = true;
      this.finishAction(action);
    });
    return { status: 202, entry: stack, action };
  }

  private settleStack(stack: Entry): void {
    const states = this.servicesOf(stack).map((s) => String(s.data.state));
    let state = "Not Running";
    if (states.length && states.every((s) => s === "Running")) state = "Running";
    else if (states.some((s) => s === "Running" || s === "Partly running")) state = "Partly running";
    else if (states.some((s) => s === "Stopped")) state = "Stopped";
    if (state === "Running") stack.data.deployed_datetime = stack.data.deployed_datetime ?? this.now();
    this.setState(stack, state);
  }

  private deployCluster(cluster: Entry, req: RequestInfo): Outcome {
    this.setState(cluster, "Deploying");
    const nodes: Entry[] = [];
    for (let i = 0; i < Number(cluster.data.target_num_nodes ?? 0); i++)
      nodes.push(this.createNode(cluster, "Deploying"));
    const action = this.recordAction("Node Cluster Deploy", cluster, req, false);
    this.later(() => {
      for (const n of nodes) this.nodeDeployed(n);
      cluster.data.deployed_datetime = this.now();
      this.setState(cluster, nodes.length ? "Deployed" : "Empty cluster");
      this.finishAction(action);
    });
    return { status: 202, entry: cluster, action };
  }

  private upgrade(entry: Entry, req: RequestInfo, label: string): Outcome {
    const nodes = entry.kind === "Node" ? [entry] : this.nodesOf(entry).filter((n) => n.data.state === "Deployed");
    for (const n of nodes) this.setState(n, "Upgrading");
    const action = this.recordAction(label, entry, req, false);
    this.later(() => {
      for (const n of nodes) {
        n.data.docker_version = "1.9.1";
        this.setState(n, "Deployed");
      }
      this.finishAction(action);
    });
    return { status: 202, entry, action };
  }

  private healthCheck(node: Entry, req: RequestInfo, label: string): Outcome {
    const action = this.recordAction(label, node, req, false);
    this.later(() => {
      node.data.last_seen = this.now();
      this.setState(node, "Deployed");
      this.finishAction(action);
    });
    return { status: 202, entry: node, action };
  }

  private retry(action: Entry): Outcome {
    if (action.data.can_be_retried !== true) throw badRequest("This action cannot be retried");
    action.data.can_be_retried = false;
    action.data.end_date = null;
    this.setState(action, "In progress");
    this.later(() => this.finishAction(action));
    return { status: 202, entry: action, action };
  }

  /** DELETE: 202 and Terminating for what terminates, 204 for what simply goes (images, triggers). */
  remove(entry: Entry, req: RequestInfo, action: ActionMeta): Outcome {
    this.assertAllowed(entry, action);
    switch (entry.kind) {
      case "Image":
        this.store.remove(entry);
        this.recordAction("Image Delete", entry, req, true);
        return { status: 204 };
      case "Trigger":
      case "WebhookHandler":
        this.store.remove(entry);
        return { status: 204 };
      default:
        break;
    }
    const label = `${labelOf(entry.kind)} Terminate`;
    const parts: Entry[] = [];
    const services: Entry[] = [];
    if (entry.kind === "Application" || entry.kind === "Service") parts.push(...this.containersOf(entry));
    if (entry.kind === "NodeCluster") parts.push(...this.nodesOf(entry));
    if (entry.kind === "Stack") {
      services.push(...this.servicesOf(entry));
      for (const s of services) {
        this.setState(s, "Terminating");
        parts.push(...this.containersOf(s));
      }
    }
    for (const p of parts) this.setState(p, "Terminating");
    const parent = entry.kind === "Container" ? this.byUri(entry.parent) : undefined;
    if (parent) {
      // Terminating a container lowers its parent's target (2014 docs).
      parent.data.target_num_containers = Math.max(0, Number(parent.data.target_num_containers ?? 1) - 1);
    }
    this.setState(entry, "Terminating");
    const recorded = this.recordAction(label, entry, req, false);
    this.later(() => {
      for (const p of parts) {
        if (p.kind === "Node") this.nodeGone(p);
        else this.containerGone(p);
      }
      for (const s of services) {
        s.data.destroyed_datetime = this.now();
        this.setState(s, "Terminated");
        this.refreshCounts(s);
      }
      if (entry.kind === "Container") this.containerGone(entry);
      else {
        entry.data.destroyed_datetime = this.now();
        this.setState(entry, "Terminated");
      }
      if (entry.kind === "Application" || entry.kind === "Service") this.refreshCounts(entry);
      if (entry.kind === "NodeCluster") this.refreshNodes(entry);
      if (parent && !this.transitional(parent)) this.settleParent(parent);
      this.finishAction(recorded);
    });
    return { status: 202, entry, action: recorded };
  }

  /** A trigger's call (no auth): REDEPLOY redeploys its service, SCALEUP adds a container. */
  callTrigger(trigger: Entry, req: RequestInfo): Outcome {
    const service = this.byUri(trigger.parent);
    if (!service) throw new ApiError(404, "Not found");
    const operation = trigger.kind === "Trigger" ? String(trigger.data.operation) : "REDEPLOY";
    const redeploy = meta("Service").actions.find((a) => a.name === "redeploy")!;
    if (operation === "SCALEUP") {
      const scale = meta("Service").actions.find((a) => a.name === "scale")!;
      this.assertAllowed(service, scale);
      service.data.target_num_containers = Number(service.data.target_num_containers ?? 0) + 1;
      return this.scale(service, req, "Service Scale");
    }
    this.assertAllowed(service, redeploy);
    return this.redeployParent(service, {}, {}, req, "Service Redeploy");
  }

  /** Stackfile form of a stack (`GET stack/{uuid}/export/`). */
  exportStack(stack: Entry): JsonObject {
    const out: JsonObject = {};
    for (const s of this.servicesOf(stack)) {
      const d = s.data;
      const spec: JsonObject = { image: String(d.image_name) };
      if (Number(d.target_num_containers) !== 1) spec.target_num_containers = d.target_num_containers ?? 1;
      if (d.run_command) spec.command = d.run_command;
      if (d.entrypoint) spec.entrypoint = d.entrypoint;
      const env = Array.isArray(d.container_envvars) ? d.container_envvars : [];
      if (env.length) spec.environment = env.map((e) => (isObject(e) ? `${String(e.key)}=${String(e.value)}` : ""));
      const ports = (Array.isArray(d.container_ports) ? d.container_ports : []).filter(isObject);
      // Published ports under `ports`, the others under `expose`, so that the export creates the same stack.
      const form = (p: JsonObject) =>
        `${p.outer_port ? `${String(p.outer_port)}:` : ""}${String(p.inner_port)}${p.protocol === "udp" ? "/udp" : ""}`;
      const published = ports.filter((p) => p.published !== false);
      const exposed = ports.filter((p) => p.published === false);
      if (published.length) spec.ports = published.map(form);
      if (exposed.length) spec.expose = exposed.map(form);
      const links = Array.isArray(d.linked_to_service) ? d.linked_to_service : [];
      if (links.length) {
        spec.links = links.map((l) => {
          const target = isObject(l) ? this.byUri(l.to_service) : undefined;
          return `${String(target?.data.name ?? "")}:${String(isObject(l) ? l.name : "")}`;
        });
      }
      out[String(d.name)] = spec;
    }
    return out;
  }

  /** `image/{name}/tag/{tag}/` of a known image. */
  imageTag(image: Entry, tag: string): JsonObject | undefined {
    const tags = Array.isArray(image.data.imagetag_set) ? image.data.imagetag_set : [];
    const uri = `/api/v1/image/${image.pk}/tag/${tag}/`;
    if (!tags.includes(uri)) return undefined;
    return {
      name: tag,
      full_name: `${image.pk}:${tag}`,
      resource_uri: uri,
      layer: {
        author: "tutum",
        creation: this.now(),
        docker_id: randomBytes(32).toString("hex"),
        entrypoint: "",
        run_command: "/run.sh",
        envvars: [],
        labels: [],
        ports: [],
        volumes: [],
      },
      image: { name: image.pk, resource_uri: String(image.data.resource_uri) },
    };
  }
}

function titleCase(name: string): string {
  return name
    .split(/[-_ ]/)
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join(" ");
}

function labelOf(kind: ResourceName): string {
  return kind === "NodeCluster" ? "Node Cluster" : resources[kind].className;
}

// The Docker runtime fields containers and services share, with Docker's defaults where the request
// gave none; each adds its own hostname, MAC address, entrypoint and restart policy.
function dockerRuntimeDefaults(source: JsonObject): JsonObject {
  return {
    cpuset: "",
    read_only: false,
    net: source.net ?? "bridge",
    pid: source.pid ?? "none",
    working_dir: source.working_dir ?? "/",
    user: "",
    domainname: "",
    cgroup_parent: "",
    tty: false,
    stdin_open: false,
    dns: [],
    dns_search: [],
    cap_add: [],
    cap_drop: [],
    devices: [],
    extra_hosts: [],
    security_opt: [],
    labels: {},
    actions: [],
    deployed_datetime: null,
    started_datetime: null,
    stopped_datetime: null,
    destroyed_datetime: null,
    autorestart: source.autorestart ?? "OFF",
    autodestroy: source.autodestroy ?? "OFF",
  };
}
