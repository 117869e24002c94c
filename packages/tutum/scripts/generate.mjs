#!/usr/bin/env node
// Generates src/generated/api.ts from the shared Tutum API description (specs/tutum/api.json, kept
// beside the repository). Plain Node ESM because the repository has no TypeScript runner.
//
//   node scripts/generate.mjs            write src/generated/api.ts
//   node scripts/generate.mjs --check    exit 1 when the committed file differs from the output
//   node scripts/generate.mjs --spec F   read another api.json
//
// Without the spec (a user's clone has no ../shared) it prints a notice and exits 0.
import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeGenerated } from "../../../scripts/lib/generated-files.mjs";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const defaultSpec = resolve(packageDir, "../../../shared/specs/tutum/api.json");
const outFile = resolve(packageDir, "src/generated/api.ts");

// Resources with a REST endpoint and fields; Utils (client helpers) and Events (a websocket) have none.
const SKIPPED = new Set(["Utils", "Events"]);

// api.json states the era loosely (or not at all); this is the grouping the SDK exposes.
const ERA = {
  Application: "application",
  Registry: "application",
  Role: "application",
  Container: "all",
  Image: "all",
};

// Used when a state machine does not say whether a state is transitional.
const TRANSITIONAL = new Set([
  "Starting",
  "Scaling",
  "Redeploying",
  "Stopping",
  "Terminating",
  "Deploying",
  "Upgrading",
  "Canceling",
  "Building",
  "Pending",
  "In progress",
]);

// Keys of documented object shapes that api.json leaves untyped but that are not strings.
const UNTYPED_SHAPE_KEYS = { rewritable: "bool", volume: "uri|null", endpoints: "string" };

const HTTP_METHODS = new Set(["GET", "POST", "PATCH", "PUT", "DELETE"]);

function main(argv) {
  const check = argv.includes("--check");
  const specIndex = argv.indexOf("--spec");
  const specFile = specIndex >= 0 ? resolve(argv[specIndex + 1] ?? "") : defaultSpec;
  if (!existsSync(specFile)) {
    console.log(`tutum generate: ${specFile} not found (no ../shared beside this clone); nothing to do.`);
    return 0;
  }
  const spec = JSON.parse(readFileSync(specFile, "utf8"));
  const source = render(spec, relative(packageDir, specFile));
  return writeGenerated({ tool: "tutum generate", outDir: dirname(outFile), outputs: [["api.ts", source]], check });
}

// ---------------------------------------------------------------------------------------------------
// Parsing api.json's informal type strings

function splitTopLevel(text, separator) {
  const parts = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(" || ch === "{" || ch === "[" || ch === "<") depth += 1;
    if (ch === ")" || ch === "}" || ch === "]" || ch === ">") depth -= 1;
    if (ch === separator && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/** One alternative of a field type: `uri[]`, `enum(A,B)`, `object[] {a,b:int}`, `object<string,string>`. */
function parseAlternative(text) {
  let t = text.trim();
  // Drop prose notes in parentheses, but not enum(...) / datetime(...) argument lists.
  let m = /^(enum)\(([^)]*)\)/.exec(t);
  if (m) return { type: "enum", array: false, values: m[2].split(",").map((v) => v.trim()) };
  m = /^datetime(\([^)]*\))?/.exec(t);
  if (m) return { type: "datetime", array: false };
  m = /^object<string,\s*string>/.exec(t);
  if (m) return { type: "object", array: false, record: "string" };
  m = /^(string|integer|number|boolean|uri|object|int|bool)(\[\])?\s*(\{([^}]*)\})?/.exec(t);
  if (!m) throw new Error(`unknown field type ${JSON.stringify(text)}`);
  const base = { int: "integer", bool: "boolean" }[m[1]] ?? m[1];
  const alt = { type: base, array: m[2] === "[]" };
  if (m[4] !== undefined) alt.shape = parseShape(m[4]);
  return alt;
}

/** `protocol:tcp|udp, inner_port:int, outer_port:int|null, endpoint_uri|null` → typed properties. */
function parseShape(text) {
  return splitTopLevel(text, ",").map((entry) => {
    const colon = entry.indexOf(":");
    let name = colon >= 0 ? entry.slice(0, colon).trim() : entry.trim();
    let type = colon >= 0 ? entry.slice(colon + 1).trim() : (UNTYPED_SHAPE_KEYS[name.trim()] ?? "string");
    let nullable = false;
    if (colon < 0 && name.endsWith("[]")) return { name: name.slice(0, -2), type: "unknown", array: true, nullable };
    if (colon < 0 && name.endsWith("|null")) {
      name = name.slice(0, -"|null".length);
      nullable = true;
    }
    const alts = type.split("|").map((x) => x.trim());
    if (alts.includes("null")) nullable = true;
    const kinds = alts.filter((x) => x !== "null");
    const known = {
      int: "integer",
      integer: "integer",
      bool: "boolean",
      boolean: "boolean",
      uri: "uri",
      string: "string",
    };
    if (kinds.length === 1 && known[kinds[0]]) return { name, type: known[kinds[0]], nullable };
    return { name, type: "enum", values: kinds, nullable };
  });
}

function parseFieldType(raw) {
  // "uri[] (read) / object[] service specs (write)": the server answers the first form; a client may also
  // write the second (Stack.services: service specs), so it is typed as either.
  const [read, write] = raw.split(" / ");
  let text = read;
  if (write !== undefined && /\(write\)$/.test(write)) text = `${read} | ${write.split(" ")[0]}`;
  // Trailing prose: "integer (GB, default 60)", "enum(REDEPLOY,SCALEUP) default REDEPLOY".
  text = text.replace(/\)\s+default\s+\S+$/, ")");
  const alternatives = [];
  let nullable = false;
  for (const part of splitTopLevel(text, "|")) {
    const clean = part.replace(/\s+\((?!e\.g)[^)]*\)\s*$/, "").replace(/\s+\(e\.g\.[^)]*\)\s*$/, "");
    if (clean.trim() === "null") {
      nullable = true;
      continue;
    }
    // "null (MB)" after the union split
    if (/^null\b/.test(clean.trim())) {
      nullable = true;
      continue;
    }
    alternatives.push(parseAlternative(clean));
  }
  if (alternatives.length === 0) throw new Error(`no type in ${JSON.stringify(raw)}`);
  return { alternatives, nullable };
}

function tsOfScalar(type, values) {
  switch (type) {
    case "string":
    case "uri":
    case "datetime":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "unknown":
      return "unknown";
    case "enum":
      return values.map((v) => JSON.stringify(v)).join(" | ");
    default:
      throw new Error(`no TypeScript type for ${type}`);
  }
}

function tsOfAlternative(alt) {
  let one;
  if (alt.type === "object") {
    if (alt.record) one = "Record<string, string>";
    else if (alt.shape) {
      const props = alt.shape.map((p) => {
        const scalar = tsOfScalar(p.type, p.values);
        const t = p.array ? `${scalar}[]` : scalar;
        return `${p.name}?: ${p.nullable ? `${t} | null` : t};`;
      });
      one = `{ ${props.join(" ")} [key: string]: unknown }`;
    } else one = "Record<string, unknown>";
  } else one = tsOfScalar(alt.type, alt.values);
  if (!alt.array) return one;
  return one.includes(" ") ? `Array<${one}>` : `${one}[]`;
}

// ---------------------------------------------------------------------------------------------------
// Model

function stripQualifier(text) {
  const m = /^([^(]*?)\s*\(([^)]*)\)\s*$/.exec(text);
  return m ? { name: m[1].trim(), qualifier: m[2].trim() } : { name: text.trim(), qualifier: undefined };
}

function endpointOf(name, resource) {
  if (name === "Tag") return "/api/v1/tag/";
  const endpoint = resource.endpoint;
  if (typeof endpoint !== "string" || !endpoint.startsWith("/api/v1/")) throw new Error(`${name}: no endpoint`);
  return endpoint;
}

function pkOf(name, resource) {
  if (resource.pk) return /^\(?\s*([a-z_]+)/.exec(resource.pk)[1];
  const fields = (resource.fields ?? []).map((f) => f.name);
  if (fields.includes("uuid")) return "uuid";
  if (fields.includes("name")) return "name";
  return fields[0];
}

function stateMachineOf(spec, endpoint) {
  // Sub-collections (service/{uuid}/trigger/, image/{name}/tag/{tag}/) have no state machine of their own.
  if (endpoint.includes("{")) return undefined;
  const key = endpoint.replace(/^\/api\/v1\//, "").split("/")[0];
  return spec.state_machines[key];
}

function buildStates(machine) {
  if (!machine) return [];
  const out = [];
  const seen = new Set();
  const add = (entry, legacy) => {
    const s = typeof entry === "string" ? { name: entry } : entry;
    if (seen.has(s.name)) return;
    seen.add(s.name);
    out.push({
      name: s.name,
      transitional: s.transitional ?? TRANSITIONAL.has(s.name),
      allowed: s.allowed ?? null,
      legacy,
    });
  };
  for (const s of machine.states ?? []) add(s, false);
  const legacy = machine.legacy_states;
  if (Array.isArray(legacy)) for (const s of legacy) add(s, true);
  else if (legacy && typeof legacy === "object")
    for (const key of Object.keys(legacy)) if (!key.includes("(")) add(key, true);
  for (const s of machine.seen_in_fixtures ?? []) add(s, true);
  return out;
}

function parseStateText(text) {
  if (text === undefined) return undefined;
  const { name, qualifier } = stripQualifier(text);
  return { states: name.split("|").map((s) => s.trim()), condition: qualifier };
}

function buildActions(name, resource, endpoint, pk) {
  const actions = [];
  for (const a of resource.actions ?? []) {
    const methods = a.method.split("|").filter((m) => HTTP_METHODS.has(m));
    if (methods.length === 0) continue; // client-side helpers (Tag.add ...)
    if (typeof a.path !== "string" || !a.path.startsWith("/api/v1/")) continue;
    const { name: actionName, qualifier } = stripQualifier(a.name);
    const rest = a.path.startsWith(endpoint) ? a.path.slice(endpoint.length) : undefined;
    // An endpoint that is itself a detail path (image/{name}/tag/{tag}/) has no collection.
    const endpointIsDetail = /\}\/$/.test(endpoint);
    let kind;
    let segment;
    if (rest === "") {
      if (endpointIsDetail) kind = methods[0] === "GET" ? "fetch" : methods[0] === "DELETE" ? "delete" : "action";
      else kind = methods[0] === "GET" ? "list" : "create";
    } else if (rest !== undefined && /^(\{[^}]+\}\/)+$/.test(rest)) {
      kind = { GET: "fetch", PATCH: "update", PUT: "update", DELETE: "delete", POST: "action" }[methods[0]];
    } else {
      const m = rest === undefined ? null : /^(?:\{[^}]+\}\/)*([^{}]+)\/$/.exec(rest);
      segment = m ? m[1] : undefined;
      if (methods.includes("GET") && methods.includes("POST")) kind = "subcollection";
      else kind = methods[0] === "GET" ? "read" : "action";
    }
    const resulting = parseStateText(a.resulting_state);
    const settles = parseStateText(a.settles_to);
    const status =
      typeof a.status === "number" ? [a.status] : typeof a.status === "string" ? a.status.split("/").map(Number) : [];
    const action = {
      name: actionName,
      kind,
      method: methods[0],
      path: a.path,
      allowedStates: Array.isArray(a.allowed_states) ? a.allowed_states : null,
    };
    if (methods.length > 1) action.methods = methods;
    if (segment !== undefined) action.segment = segment;
    if (qualifier !== undefined) action.qualifier = qualifier;
    if (a.sdk) action.sdk = a.sdk;
    if (resulting) {
      action.resultingState = resulting.states[0];
      if (resulting.condition) action.resultingCondition = resulting.condition;
    }
    if (settles) action.settlesTo = settles.states;
    if (status.length) action.status = status;
    if (a.body && typeof a.body === "object") action.body = a.body;
    if (a.query_params) action.query = a.query_params;
    action.inferred = a.inferred === true;
    if (a.note) action.note = a.note;
    actions.push(action);
  }
  void name;
  void pk;
  return actions;
}

function buildTransitions(machine, states, actions) {
  const names = states.map((s) => s.name);
  const settled = states.filter((s) => !s.transitional && !s.legacy && s.name !== "Terminated").map((s) => s.name);
  const out = [];
  const seen = new Set();
  const push = (from, on, to) => {
    const key = `${from}\u0000${on}\u0000${to}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ from, on, to, automatic: on.startsWith("(") });
  };
  if (machine && Array.isArray(machine.transitions)) {
    for (const [from, on, to] of machine.transitions) {
      const froms = from === "*settled" ? settled : from.split("|").map((s) => s.trim());
      for (const f of froms) push(f, on, to);
    }
    return out;
  }
  for (const a of actions) {
    if (!a.resultingState) continue;
    const on = a.kind === "delete" ? "terminate" : a.kind === "create" ? "create" : a.name;
    const froms = a.allowedStates ?? (a.kind === "create" ? ["(new)"] : names.filter((n) => settled.includes(n)));
    if (names.includes(a.resultingState)) for (const f of froms) push(f, on, a.resultingState);
    for (const to of a.settlesTo ?? [])
      if (names.includes(to) && to !== a.resultingState) push(a.resultingState, "(done)", to);
  }
  return out;
}

function buildFilters(resource) {
  const filters = [];
  for (const f of resource.filters ?? []) {
    const name = stripQualifier(f).name;
    if (name === "limit" || name === "offset") continue;
    if (!filters.includes(name)) filters.push(name);
  }
  return filters;
}

function buildResource(spec, name) {
  const resource = spec.resources[name];
  const endpoint = endpointOf(name, resource);
  const pk = pkOf(name, resource);
  const machine = stateMachineOf(spec, endpoint);
  const states = buildStates(machine);
  // api.json notes the later name of a field ("2014; 'tags' later", Image's imagetag_set): the later
  // payloads carry it under that name, so it is a read-only field of its own, of the same type.
  const listed = resource.fields ?? [];
  const renamed = listed.flatMap((f) => {
    const later = /'([a-z_]+)' later/.exec(f.note ?? "")?.[1];
    if (!later || listed.some((g) => g.name === later)) return [];
    return [{ name: later, type: f.type, readonly: true, note: `the later name of ${f.name}` }];
  });
  const fields = [...listed, ...renamed].map((f) => {
    const { alternatives, nullable } = parseFieldType(f.type);
    const first = alternatives[0];
    const field = {
      name: f.name,
      type: first.type,
      array: first.array,
      nullable,
      readonly: f.readonly === true,
      create: f.create === true,
      update: f.update === true,
    };
    if (first.values) {
      // "service era values OFF,ON_SUCCESS,ALWAYS": the enum grew; accept and type every value.
      const extra = /values ([A-Z_]+(?:,[A-Z_]+)+)/.exec(f.note ?? "");
      field.values = extra ? [...new Set([...first.values, ...extra[1].split(",")])] : first.values;
      first.values = field.values;
    }
    if (alternatives.length > 1) field.alternatives = alternatives.map((a) => ({ type: a.type, array: a.array }));
    if (first.shape) {
      field.shape = first.shape.map((p) => p.name);
      field.shapeFields = first.shape.map((p) => {
        const meta = { name: p.name, type: p.type, array: p.array === true, nullable: p.nullable };
        if (p.values) meta.values = p.values;
        return meta;
      });
    }
    field.spec = f.type;
    if (f.since) field.since = f.since;
    if (f.note) field.note = f.note;
    let ts = alternatives.map(tsOfAlternative).join(" | ");
    if (f.name === "state" && states.length) ts = `${name}State`;
    field.ts = nullable ? `${ts} | null` : ts;
    return field;
  });
  const actions = buildActions(name, resource, endpoint, pk);
  const transitions = buildTransitions(machine, states, actions);
  const parentMatch = /^\/api\/v1\/([a-z]+)\/\{[^}]+\}\/./.exec(endpoint);
  const initial = machine?.initial ? stripQualifier(machine.initial).name : undefined;
  return {
    className: name,
    endpoint: endpoint.slice("/api/v1/".length),
    path: endpoint,
    pk,
    era: ERA[name] ?? "service",
    sdkClass: resource.sdk_class,
    parent: parentMatch ? parentMatch[1] : undefined,
    canCreate: actions.some((a) => a.kind === "create"),
    canUpdate: actions.some((a) => a.kind === "update"),
    canDelete: actions.some((a) => a.kind === "delete"),
    fields,
    actions,
    filters: buildFilters(resource),
    states,
    initialState: initial,
    transitions,
    note: resource.note,
  };
}

// ---------------------------------------------------------------------------------------------------
// Rendering

const lit = (v) => JSON.stringify(v);

function renderObject(obj) {
  const entries = Object.entries(obj).filter(([, v]) => v !== undefined);
  return `{ ${entries.map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : lit(k)}: ${renderValue(v)}`).join(", ")} }`;
}

function renderValue(v) {
  if (Array.isArray(v)) return `[${v.map(renderValue).join(", ")}]`;
  if (v && typeof v === "object") return renderObject(v);
  return lit(v);
}

function jsDoc(lines) {
  const clean = lines.filter(Boolean).map((l) => l.replace(/\*\//g, "*\\/"));
  if (clean.length === 0) return "";
  if (clean.length === 1) return `/** ${clean[0]} */`;
  return `/**\n${clean.map((l) => ` * ${l}`).join("\n")}\n */`;
}

function article(word) {
  return /^[AEIOU]/.test(word) ? "an" : "a";
}

function propName(name) {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : lit(name);
}

function render(spec, specPath) {
  const names = Object.keys(spec.resources).filter((n) => !SKIPPED.has(n));
  const resources = names.map((n) => buildResource(spec, n));
  const out = [];
  out.push(
    `// Generated by scripts/generate.mjs from ${specPath.replace(/\\/g, "/").replace(/^(\.\.\/)+/, "")}. Do not edit by hand:`,
  );
  out.push(
    `// change the generator or the spec and run \`pnpm generate\` (CI runs \`node scripts/generate.mjs --check\`).`,
  );
  out.push("/* eslint-disable */");
  out.push("");
  out.push(`/** Where every endpoint of the API lives, relative to the host. */`);
  out.push(`export const API_PREFIX = "/api/v1/";`);
  out.push(`/** Header naming the Action a 202 answer started; python-tutum copies it into \`tutum_action_uri\`. */`);
  out.push(`export const ACTION_URI_HEADER = "X-Tutum-Action-URI";`);
  out.push(`/** Objects per page when a list call names no limit. */`);
  out.push(`export const DEFAULT_PAGE_LIMIT = 25;`);
  out.push(`/** The most objects a page may hold. */`);
  out.push(`export const MAX_PAGE_LIMIT = 100;`);
  out.push("");
  out.push(`/** The API's era a resource belongs to: the seed era's applications, the Service era, or both. */`);
  out.push(`export type Era = "application" | "service" | "all";`);
  out.push(
    `/** The type of a resource field, as api.json names it. */`,
    `export type FieldType = "string" | "integer" | "number" | "boolean" | "uri" | "datetime" | "object" | "enum";`,
  );
  out.push(`/** An HTTP method the API uses. */`);
  out.push(`export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";`);
  out.push(`/**
 * list/create on the collection, fetch/update/delete on the detail, action = POST {detail}/{segment}/,
 * read = GET {detail}/{segment}/, subcollection = GET and POST {detail}/{segment}/ (triggers).
 */`);
  out.push(
    `export type ActionKind = "list" | "create" | "fetch" | "update" | "delete" | "action" | "read" | "subcollection";`,
  );
  out.push("");
  out.push(`/** What api.json says of one field of a resource: name, type, and whether it is read-only, creatable or updatable. */
export interface FieldMeta {
  readonly name: string;
  /** The first (main) form; \`alternatives\` lists every accepted form when there are several. */
  readonly type: FieldType;
  readonly array: boolean;
  readonly nullable: boolean;
  /** Set by the server only; a client sending it gets a 400. */
  readonly readonly: boolean;
  /** Accepted in a POST to the collection. */
  readonly create: boolean;
  /** Accepted in a PATCH of the detail. */
  readonly update: boolean;
  readonly values?: readonly string[];
  readonly alternatives?: readonly { readonly type: FieldType; readonly array: boolean }[];
  /** Keys documented for the objects of an \`object\`/\`object[]\` field (others may appear). */
  readonly shape?: readonly string[];
  /** The same keys with their types, where api.json gives them (untyped keys are strings). */
  readonly shapeFields?: readonly ShapeFieldMeta[];
  /** The type as api.json writes it. */
  readonly spec: string;
  readonly since?: string;
  readonly note?: string;
}

/** One field of a nested object's shape. */
export interface ShapeFieldMeta {
  readonly name: string;
  readonly type: FieldType | "unknown";
  readonly array: boolean;
  readonly nullable: boolean;
  readonly values?: readonly string[];
}

/** One call a resource offers: list, create, fetch, update, delete, or a named action. */
export interface ActionMeta {
  /** "start", "stop", "terminate", "update", "docker-upgrade" ... */
  readonly name: string;
  readonly kind: ActionKind;
  readonly method: HttpMethod;
  /** Every method when the spec lists several (trigger sub-collection: GET|POST). */
  readonly methods?: readonly HttpMethod[];
  /** Full path with placeholders: "/api/v1/service/{uuid}/start/". */
  readonly path: string;
  /** The path segment after the detail URI for \`action\`/\`read\`: "start", "logs", "docker-upgrade". */
  readonly segment?: string;
  /** The era or caveat api.json puts in the name: "legacy", "2014", "cluster era only". */
  readonly qualifier?: string;
  /** States in which the server accepts it; null = any state. */
  readonly allowedStates: readonly string[] | null;
  readonly resultingState?: string;
  readonly resultingCondition?: string;
  readonly settlesTo?: readonly string[];
  readonly status?: readonly number[];
  readonly body?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  /** The allowed states are inferred (no official table). */
  readonly inferred: boolean;
  readonly sdk?: string;
  readonly note?: string;
}

/** One state of a resource's state machine. */
export interface StateMeta {
  readonly name: string;
  readonly transitional: boolean;
  /** Actions the state machine allows in this state (null when api.json gives no per-state table). */
  readonly allowed: readonly string[] | null;
  /** Seen in older versions or fixtures only. */
  readonly legacy: boolean;
}

/** One edge of a resource's state machine. */
export interface TransitionMeta {
  readonly from: string;
  /** The action ("start", "terminate", "scale / PATCH target_num_containers") or a "(condition)". */
  readonly on: string;
  readonly to: string;
  /** The server moves on by itself (\`on\` is a parenthesised condition). */
  readonly automatic: boolean;
}

/** Everything api.json says of one resource: endpoint, fields, filters, actions and states. */
export interface ResourceMeta {
  readonly className: string;
  /** Relative to API_PREFIX: "application/", "service/{uuid}/trigger/". */
  readonly endpoint: string;
  /** "/api/v1/application/" */
  readonly path: string;
  /** The field that names an object in its detail URI. */
  readonly pk: string;
  readonly era: Era;
  readonly sdkClass?: string;
  /** Endpoint of the owning resource for sub-collections (triggers of a service). */
  readonly parent?: string;
  readonly canCreate: boolean;
  readonly canUpdate: boolean;
  readonly canDelete: boolean;
  readonly fields: readonly FieldMeta[];
  readonly actions: readonly ActionMeta[];
  /** Query-string filters (Django lookups) besides limit/offset. */
  readonly filters: readonly string[];
  readonly states: readonly StateMeta[];
  readonly initialState?: string;
  readonly transitions: readonly TransitionMeta[];
  readonly note?: string;
}

/** Tastypie list envelope. */
export interface ListMeta {
  limit: number;
  /** A path with the next offset ("/api/v1/service/?limit=25&offset=25"), or null on the last page. */
  next: string | null;
  offset: number;
  previous: string | null;
  total_count: number;
}

/** A page of a list call: \`meta\` (limit, offset, next, previous, total_count) and the \`objects\`. */
export interface ListEnvelope<T> {
  meta: ListMeta;
  objects: T[];
}

/** Body of every Tutum error answer. */
export interface ErrorBody {
  error: string;
}
`);

  // Per-resource types
  for (const r of resources) {
    if (r.states.length) {
      out.push(jsDoc([`States of ${r.className}${r.states.some((s) => s.legacy) ? " (legacy names included)" : ""}.`]));
      out.push(`export type ${r.className}State = ${r.states.map((s) => lit(s.name)).join(" | ")};`);
      out.push("");
    }
    const required = new Set([r.pk, "resource_uri"]);
    out.push(jsDoc([`Fields of ${r.className} (${r.path}) as the server sends them.`]));
    out.push(`export interface ${r.className}Fields {`);
    for (const f of r.fields) {
      const doc = [
        f.readonly
          ? "read-only"
          : [f.create && "create", f.update && "update"].filter(Boolean).join(", ") || "writable",
        f.since && `since ${f.since}`,
        f.note,
      ]
        .filter(Boolean)
        .join("; ");
      out.push(`  /** ${doc.replace(/\*\//g, "*\\/")} */`);
      out.push(`  ${propName(f.name)}${required.has(f.name) ? "" : "?"}: ${f.ts};`);
    }
    out.push("}");
    out.push("");
    const creatable = r.fields.filter((f) => f.create);
    const updatable = r.fields.filter((f) => f.update);
    if (r.canCreate && creatable.length) {
      out.push(`/** Fields accepted when creating ${article(r.className)} ${r.className}. */`);
      out.push(
        `export type ${r.className}CreateFields = Pick<${r.className}Fields, ${creatable.map((f) => lit(f.name)).join(" | ")}>;`,
      );
      out.push("");
    }
    if (r.canUpdate && updatable.length) {
      out.push(`/** Fields accepted when updating ${article(r.className)} ${r.className}. */`);
      out.push(
        `export type ${r.className}UpdateFields = Pick<${r.className}Fields, ${updatable.map((f) => lit(f.name)).join(" | ")}>;`,
      );
      out.push("");
    }
    if (r.filters.length) {
      out.push(`/** A filter \`${r.className}.list()\` takes. */`);
      out.push(`export type ${r.className}FilterKey = ${r.filters.map(lit).join(" | ")};`);
      out.push("");
    }
  }

  // Events / logs stream messages
  const events = spec.resources.Events;
  if (events && events.message) {
    const m = events.message;
    const types = parseAlternative(m.type).values;
    const acts = parseAlternative(m.action).values;
    out.push(`/** A message of the events stream (${events.endpoint}). */`);
    out.push(`export interface EventMessage {`);
    out.push(`  type: ${types.map(lit).join(" | ")};`);
    out.push(`  action: ${acts.map(lit).join(" | ")};`);
    out.push(`  parents: string[];`);
    out.push(`  resource_uri: string;`);
    out.push(`  state: string;`);
    out.push(`  [key: string]: unknown;`);
    out.push(`}`);
    out.push("");
  }
  const serviceLogs = (spec.resources.Service?.streams ?? []).find((s) => s.name === "logs");
  if (serviceLogs && serviceLogs.message) {
    out.push(`/** A line of a logs stream (service, container or action). */`);
    out.push(`export interface LogMessage {`);
    out.push(`  type: "log";`);
    out.push(`  source?: string;`);
    out.push(`  log: string;`);
    out.push(`  streamType: "stdout" | "stderr";`);
    out.push(`  timestamp: number;`);
    out.push(`}`);
    out.push("");
  }

  // Metadata table
  out.push(`/** Everything api.json says about each REST resource, keyed by class name. */`);
  out.push(`export const resources = {`);
  for (const r of resources) {
    const { fields, actions, states, transitions, ...head } = r;
    const headEntries = Object.entries(head)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `    ${k}: ${renderValue(v)},`);
    out.push(`  ${r.className}: {`);
    out.push(...headEntries);
    out.push(`    fields: [`);
    for (const f of fields) {
      const { ts: _ts, ...meta } = f;
      out.push(`      ${renderObject(meta)},`);
    }
    out.push(`    ],`);
    out.push(`    actions: [`);
    for (const a of actions) out.push(`      ${renderObject(a)},`);
    out.push(`    ],`);
    out.push(`    states: [`);
    for (const s of states) out.push(`      ${renderObject(s)},`);
    out.push(`    ],`);
    out.push(`    transitions: [`);
    for (const t of transitions) out.push(`      ${renderObject(t)},`);
    out.push(`    ],`);
    out.push(`  },`);
  }
  out.push(`} as const satisfies Record<string, ResourceMeta>;`);
  out.push("");
  out.push(`/** The class name of a resource ("Service", "Container" …). */`);
  out.push(`export type ResourceName = keyof typeof resources;`);
  out.push(`/** Every resource's class name. */`);
  out.push(`export const resourceNames = Object.keys(resources) as ResourceName[];`);
  out.push("");
  out.push(`/** Field interface of each resource, by class name. */`);
  out.push(`export interface ResourceFieldsMap {`);
  for (const r of resources) out.push(`  ${r.className}: ${r.className}Fields;`);
  out.push(`}`);
  out.push("");
  const withStates = resources.filter((r) => r.states.length);
  out.push(`/** State union of each resource that has a state machine. */`);
  out.push(`export interface ResourceStateMap {`);
  for (const r of withStates) out.push(`  ${r.className}: ${r.className}State;`);
  out.push(`}`);
  out.push("");
  // Utils.fetch_by_resource_uri dispatches on the collection segment of a URI.
  const byEndpoint = {};
  for (const r of resources)
    if (!r.parent && !r.endpoint.includes("{")) byEndpoint[r.endpoint.replace(/\/$/, "")] = r.className;
  out.push(`/** Class name by collection segment ("service" → "Service"), for fetch-by-resource-URI. */`);
  out.push(
    `export const resourceByEndpoint = ${renderObject(byEndpoint)} as const satisfies Record<string, ResourceName>;`,
  );
  out.push("");
  return out.join("\n");
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
