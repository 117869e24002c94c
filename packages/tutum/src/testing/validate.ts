// Request checks, driven by the generated metadata: which fields a POST or PATCH may carry, their
// types, the actions' bodies and query parameters, list filters. Every refusal is a 400 with
// Tutum's `{"error": "..."}` body, raised as an ApiError for server.ts to send.
import {
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  resources,
  type ActionMeta,
  type FieldMeta,
  type ResourceMeta,
  type ResourceName,
  type ShapeFieldMeta,
} from "../generated/api.js";
import { isObject, type Json, type JsonObject } from "./store.js";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string): ApiError => new ApiError(400, message);

export function meta(kind: ResourceName): ResourceMeta {
  return resources[kind];
}

/** Keys the server itself puts into nested objects, which a client may send back unchanged. */
const ECHOED_KEYS: Readonly<Record<string, readonly string[]>> = {
  container_ports: ["application", "container"],
  linked_to_application: ["from_application"],
  bindings: ["volume", "container"],
};

/** Fields a resource accepts at creation but that are not its own (write-only inputs). */
const REQUIRED_ON_CREATE: Partial<Record<ResourceName, ReadonlyArray<readonly string[]>>> = {
  // Either names the image to run.
  Application: [["image", "image_tag"]],
  Service: [["image"]],
  Stack: [["name"]],
  NodeCluster: [["name"], ["node_type"], ["region"]],
  Image: [["name"]],
  Trigger: [["name"]],
};

const NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62})$/;
const NAMED_RESOURCES = new Set<ResourceName>(["Application", "Service", "Stack", "NodeCluster", "Trigger"]);

function describeType(type: string, array: boolean, values?: readonly string[]): string {
  const one =
    type === "enum"
      ? `one of ${(values ?? []).join(", ")}`
      : type === "integer"
        ? "an integer"
        : type === "uri"
          ? "a resource URI (/api/v1/...)"
          : type === "object"
            ? "an object"
            : `a ${type}`;
  return array ? `a list whose items are each ${one}` : one;
}

function scalarOk(type: string, value: Json, values?: readonly string[]): boolean {
  switch (type) {
    case "string":
    case "datetime":
      return typeof value === "string";
    case "uri":
      return typeof value === "string" && value.includes("/api/v1/");
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "enum":
      return typeof value === "string" && (values ?? []).includes(value);
    case "object":
      return isObject(value);
    case "unknown":
      return true;
    default:
      return false;
  }
}

function checkShape(field: FieldMeta, value: Json, where: string): string | undefined {
  if (!isObject(value)) return `${where} must be an object`;
  if (field.spec.startsWith("object<string,")) {
    for (const [k, v] of Object.entries(value)) if (typeof v !== "string") return `${where}.${k} must be a string`;
    return undefined;
  }
  const shape = field.shapeFields;
  if (!shape) return undefined;
  const echoed = ECHOED_KEYS[field.name] ?? [];
  for (const [k, v] of Object.entries(value)) {
    const sub: ShapeFieldMeta | undefined = shape.find((s) => s.name === k);
    if (!sub) {
      if (echoed.includes(k)) continue;
      return `${where} has an unknown key '${k}' (allowed: ${shape.map((s) => s.name).join(", ")})`;
    }
    if (v === null) {
      if (!sub.nullable) return `${where}.${k} may not be null`;
      continue;
    }
    if (sub.array) {
      if (!Array.isArray(v)) return `${where}.${k} must be a list`;
      continue;
    }
    if (!scalarOk(sub.type, v, sub.values)) return `${where}.${k} must be ${describeType(sub.type, false, sub.values)}`;
  }
  return undefined;
}

/** Why `value` does not fit `field`, or undefined when it does. */
export function typeError(field: FieldMeta, value: Json): string | undefined {
  const where = `Field '${field.name}'`;
  if (value === null) return field.nullable ? undefined : `${where} may not be null`;
  const forms = field.alternatives ?? [{ type: field.type, array: field.array }];
  const reasons: string[] = [];
  for (const form of forms) {
    if (form.array) {
      if (!Array.isArray(value)) {
        reasons.push(`${where} must be ${describeType(form.type, true, field.values)}`);
        continue;
      }
      let bad: string | undefined;
      value.forEach((item, i) => {
        if (bad) return;
        if (form.type === "object") bad = checkShape(field, item, `${where}[${i}]`);
        else if (!scalarOk(form.type, item, field.values))
          bad = `${where}[${i}] must be ${describeType(form.type, false, field.values)}`;
      });
      if (!bad) return undefined;
      reasons.push(bad);
    } else if (form.type === "object") {
      const bad = checkShape(field, value, where);
      if (!bad) return undefined;
      reasons.push(bad);
    } else {
      if (scalarOk(form.type, value, field.values)) return undefined;
      reasons.push(`${where} must be ${describeType(form.type, false, field.values)}`);
    }
  }
  return reasons[0];
}

export function parseJsonBody(raw: string, contentType: string | undefined): Json | undefined {
  if (raw.trim() === "") return undefined;
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json")
    throw new ApiError(415, `Unsupported media type '${type || "none"}': send application/json`);
  try {
    return JSON.parse(raw) as Json;
  } catch {
    throw badRequest("Malformed JSON in the request body");
  }
}

/**
 * The fields of a POST (`create`) or PATCH (`update`) body, each known, writable in that verb and of
 * the right type. `extraFields` are accepted too (Stack's service specs name service fields).
 */
export function checkFields(kind: ResourceName, mode: "create" | "update", body: Json | undefined): JsonObject {
  if (body === undefined) body = {};
  if (!isObject(body)) throw badRequest("The request body must be a JSON object");
  const m = meta(kind);
  for (const [key, value] of Object.entries(body)) {
    const field = m.fields.find((f) => f.name === key);
    if (!field) throw badRequest(`Unknown field '${key}' for ${m.className.toLowerCase()}`);
    if (!field[mode]) {
      if (field.readonly) throw badRequest(`Field '${key}' is read-only`);
      throw badRequest(
        mode === "create"
          ? `Field '${key}' cannot be set on creation`
          : `Field '${key}' cannot be changed after creation`,
      );
    }
    const problem = typeError(field, value);
    if (problem) throw badRequest(problem);
    checkRange(key, value);
  }
  if (mode === "create") {
    for (const group of REQUIRED_ON_CREATE[kind] ?? []) {
      if (!group.some((name) => body[name] !== undefined && body[name] !== null && body[name] !== "")) {
        throw badRequest(
          group.length === 1 ? `Field '${group[0]}' is required` : `One of the fields ${group.join(", ")} is required`,
        );
      }
    }
    const name = body.name;
    if (NAMED_RESOURCES.has(kind) && typeof name === "string" && !NAME_PATTERN.test(name)) {
      throw badRequest(
        `Field 'name' must start with a letter or digit and hold only letters, digits, '.', '_' and '-'`,
      );
    }
  }
  return body;
}

function checkRange(key: string, value: Json): void {
  const counts = ["target_num_containers", "target_num_nodes"];
  if (counts.includes(key) && typeof value === "number" && (value < 0 || value > 100)) {
    throw badRequest(`Field '${key}' must be between 0 and 100`);
  }
  if ((key === "disk" || key === "memory" || key === "cpu_shares") && typeof value === "number" && value <= 0) {
    throw badRequest(`Field '${key}' must be a positive number`);
  }
}

/** The body of an action (`redeploy` takes `{"tag": ...}` in 2014): only its documented keys. */
export function checkActionBody(action: ActionMeta, body: Json | undefined): JsonObject {
  if (body === undefined) return {};
  if (!isObject(body)) throw badRequest("The request body must be a JSON object");
  const allowed = action.body ?? {};
  for (const [key, value] of Object.entries(body)) {
    const spec = allowed[key];
    if (spec === undefined) throw badRequest(`Unknown field '${key}' for the ${action.name} action`);
    if (value !== null && typeof value !== "string") throw badRequest(`Field '${key}' must be a string`);
    if (value === null && !spec.includes("null")) throw badRequest(`Field '${key}' may not be null`);
  }
  return body;
}

/** Query parameters of an action or read: only the documented ones, booleans spelt true/false. */
export function checkActionQuery(action: ActionMeta | undefined, query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  const allowed = action?.query ?? {};
  for (const [key, value] of query) {
    if (!(key in allowed)) throw badRequest(`Unknown query parameter '${key}'`);
    if (/bool|true\|false/.test(allowed[key] ?? "") && !["true", "false", "True", "False"].includes(value)) {
      throw badRequest(`Query parameter '${key}' must be true or false`);
    }
    out[key] = value.toLowerCase();
  }
  return out;
}

export interface ListQuery {
  limit: number;
  offset: number;
  filters: Array<[string, string]>;
}

const LOOKUP_SUFFIXES = ["exact", "iexact", "startswith", "istartswith", "contains", "icontains", "in", "isnull"];

/**
 * limit/offset and the filters a resource allows. A filter is allowed when api.json lists it, or
 * when it is a plain lookup (`__startswith`, `__in` ...) on a listed filter.
 */
export function checkListQuery(kind: ResourceName, query: URLSearchParams): ListQuery {
  const m = meta(kind);
  let limit = DEFAULT_PAGE_LIMIT;
  let offset = 0;
  const filters: Array<[string, string]> = [];
  for (const [key, value] of query) {
    if (key === "limit") {
      if (!/^\d+$/.test(value))
        throw badRequest(`Invalid limit '${value}' provided. Please provide a positive integer.`);
      limit = Number(value);
      // Tastypie: 0 means "as many as allowed"; above the maximum is capped.
      if (limit === 0 || limit > MAX_PAGE_LIMIT) limit = MAX_PAGE_LIMIT;
    } else if (key === "offset") {
      if (!/^\d+$/.test(value))
        throw badRequest(`Invalid offset '${value}' provided. Please provide a positive integer >= 0.`);
      offset = Number(value);
    } else if (key === "format") {
      if (value !== "json") throw badRequest(`Unsupported format '${value}'`);
    } else {
      if (!filterAllowed(m, key)) throw badRequest(`The '${key}' field does not allow filtering.`);
      filters.push([key, value]);
    }
  }
  return { limit, offset, filters };
}

function filterAllowed(m: ResourceMeta, key: string): boolean {
  if (m.filters.includes(key)) return true;
  const parts = key.split("__");
  const suffix = parts[parts.length - 1] ?? "";
  if (parts.length > 1 && LOOKUP_SUFFIXES.includes(suffix)) return m.filters.includes(parts.slice(0, -1).join("__"));
  return false;
}
