// What each answer shows. Tutum's payloads changed between the 2014 API (python-tutum 0.6 .. 0.12:
// applications, then the first services) and the 2015 one (0.13 .. 0.21); list objects carried fewer
// fields than details. The key lists below are those of the real payloads in specs/tutum/examples/
// (a test compares them); resources without an example show every field of api.json.
import { resources, type FieldMeta, type ResourceName } from "../generated/api.js";
import { isObject, type Entry, type Json, type JsonObject } from "./store.js";

/** "2015" (default): python-tutum 0.13+ payloads. "2014": the first service-era payloads (0.9 .. 0.12). */
export type PayloadShapes = "2014" | "2015";
export type View = "list" | "detail";

// 01_application_list_2014.json
// prettier-ignore
const APPLICATION_LIST = [
  "autodestroy", "autoreplace", "autorestart", "container_ports", "container_size", "current_num_containers",
  "deployed_datetime", "destroyed_datetime", "entrypoint", "image_tag", "name", "public_dns", "resource_uri",
  "run_command", "running_num_containers", "started_datetime", "state", "stopped_datetime", "stopped_num_containers",
  "target_num_containers", "unique_name", "uuid", "web_public_dns",
];

// 02_application_create_202_2014.json
// prettier-ignore
const APPLICATION_DETAIL = [
  ...APPLICATION_LIST, "container_envvars", "containers", "link_variables", "linked_from_application",
  "linked_to_application", "roles",
];

// 03_container_list_2014.json
// prettier-ignore
const APP_CONTAINER_LIST = [
  "application", "autodestroy", "autoreplace", "autorestart", "container_ports", "container_size", "deployed_datetime",
  "destroyed_datetime", "entrypoint", "exit_code", "exit_code_msg", "image_tag", "name", "public_dns", "resource_uri",
  "run_command", "started_datetime", "state", "stopped_datetime", "unique_name", "uuid", "web_public_dns",
];
const APP_CONTAINER_DETAIL = [...APP_CONTAINER_LIST, "container_envvars", "link_variables", "roles"];

// 06_service_start_202_2014.json
// prettier-ignore
const SERVICE_2014 = [
  "actions", "autodestroy", "autoreplace", "autorestart", "container_envvars", "container_ports", "containers",
  "cpu_shares", "current_num_containers", "deployed_datetime", "destroyed_datetime", "entrypoint", "image_name",
  "image_tag", "link_variables", "linked_from_service", "linked_to_service", "memory", "memory_swap", "name",
  "resource_uri", "roles", "run_command", "running_num_containers", "sequential_deployment", "started_datetime",
  "state", "stopped_datetime", "stopped_num_containers", "target_num_containers", "unique_name", "uuid",
];

// 04_service_list_2015.json
// prettier-ignore
const SERVICE_LIST_2015 = [
  "autodestroy", "autoredeploy", "autorestart", "container_ports", "cpu_shares", "current_num_containers",
  "deployed_datetime", "deployment_strategy", "destroyed_datetime", "entrypoint", "image_name", "image_tag", "memory",
  "name", "privileged", "public_dns", "resource_uri", "run_command", "running_num_containers",
  "sequential_deployment", "stack", "started_datetime", "state", "stopped_datetime", "stopped_num_containers",
  "synchronized", "target_num_containers", "uuid",
];

// 07_container_stop_202_2014.json
// prettier-ignore
const SERVICE_CONTAINER_2014 = [
  "actions", "autodestroy", "autoreplace", "autorestart", "container_envvars", "container_ports", "cpu_shares",
  "deployed_datetime", "destroyed_datetime", "entrypoint", "exit_code", "exit_code_msg", "image_name", "image_tag",
  "is_dead_backend", "link_variables", "memory", "memory_swap", "name", "node", "public_dns", "resource_uri", "roles",
  "run_command", "service", "started_datetime", "state", "stopped_datetime", "unique_name", "uuid",
];

// 05_stack_detail_2015.json
// prettier-ignore
const STACK = [
  "deployed_datetime",
  "destroyed_datetime",
  "name",
  "resource_uri",
  "services",
  "state",
  "synchronized",
  "uuid",
];

// 08_action_list_2014.json; 2015 added the fields of api.json's Action.
const ACTION_2014 = [
  "action",
  "end_date",
  "ip",
  "location",
  "method",
  "object",
  "path",
  "resource_uri",
  "start_date",
  "state",
  "user_agent",
  "uuid",
];

// Inputs the server never shows back.
const WRITE_ONLY: Partial<Record<ResourceName, readonly string[]>> = {
  Application: ["image"],
  Service: ["image"],
  Image: ["username", "password"],
};

function allFields(kind: ResourceName, without: readonly string[] = []): string[] {
  const hidden = new Set([...(WRITE_ONLY[kind] ?? []), ...without]);
  return resources[kind].fields.map((f) => f.name).filter((n) => !hidden.has(n));
}

// The 2015 detail: every api.json field except the 2014-only ones.
const SERVICE_DETAIL_2015 = allFields("Service", ["autoreplace", "actions"]);
const SERVICE_CONTAINER_2015 = allFields("Container", [
  "application",
  "container_size",
  "web_public_dns",
  "unique_name",
]);
const ACTION_2015 = allFields("Action");

/** Keys of the objects in `container_ports`, which also differ by family and year. */
const PORTS: Record<string, readonly string[]> = {
  application: ["application", "inner_port", "outer_port", "protocol"],
  appContainer: ["container", "inner_port", "outer_port", "protocol"],
  service2014: ["endpoint_uri", "inner_port", "outer_port", "port_name", "protocol", "uri_protocol"],
  service2015: ["endpoint_uri", "inner_port", "outer_port", "port_name", "protocol", "published"],
};

interface Shape {
  keys: readonly string[];
  ports?: readonly string[];
}

export function shapeOf(entry: Entry, view: View, shapes: PayloadShapes): Shape {
  const list = view === "list";
  switch (entry.kind) {
    case "Application":
      return { keys: list ? APPLICATION_LIST : APPLICATION_DETAIL, ports: PORTS.application };
    case "Container":
      if (entry.family === "application")
        return { keys: list ? APP_CONTAINER_LIST : APP_CONTAINER_DETAIL, ports: PORTS.appContainer };
      return shapes === "2014"
        ? { keys: SERVICE_CONTAINER_2014, ports: PORTS.service2014 }
        : { keys: SERVICE_CONTAINER_2015, ports: PORTS.service2015 };
    case "Service":
      if (shapes === "2014") return { keys: SERVICE_2014, ports: PORTS.service2014 };
      return { keys: list ? SERVICE_LIST_2015 : SERVICE_DETAIL_2015, ports: PORTS.service2015 };
    case "Stack":
      return { keys: STACK };
    case "Action":
      return { keys: shapes === "2014" ? ACTION_2014 : ACTION_2015 };
    default:
      return { keys: allFields(entry.kind) };
  }
}

/** A value of the field's type for an object created without it. */
export function defaultFor(field: FieldMeta | undefined): Json {
  if (!field) return null;
  if (field.nullable) return null;
  if (field.array) return [];
  switch (field.type) {
    case "integer":
    case "number":
      return 0;
    case "boolean":
      return false;
    case "object":
      return {};
    case "enum":
      return field.values?.[0] ?? "";
    case "uri":
      return null;
    default:
      return "";
  }
}

/** The wire form of an object for one view: exactly the shape's keys, in alphabetical order. */
export function present(entry: Entry, view: View, shapes: PayloadShapes): JsonObject {
  const shape = shapeOf(entry, view, shapes);
  const fields = resources[entry.kind].fields as readonly FieldMeta[];
  const out: JsonObject = {};
  for (const key of [...shape.keys].sort()) {
    let value: Json | undefined = entry.data[key];
    if (value === undefined) value = defaultFor(fields.find((f) => f.name === key));
    if (key === "container_ports" && shape.ports && Array.isArray(value)) {
      const portKeys = shape.ports;
      value = value.map((port) => (isObject(port) ? pick(port, portKeys) : port));
    }
    out[key] = clone(value);
  }
  return out;
}

function pick(obj: JsonObject, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) out[k] = obj[k] ?? null;
  return out;
}

export function clone<T extends Json>(value: T): T {
  return value === null || typeof value !== "object" ? value : (JSON.parse(JSON.stringify(value)) as T);
}
