// A stack's services as Tutum's stackfile (tutum.yml) writes them: `tutum stack create -f tutum.yml` posts
// each service's YAML keys as they are, and a stack's `export/` answers that form, so the simulator takes
// the stackfile's names beside the service API's and translates them into the API's fields.
import { isObject, type Json, type JsonObject } from "./store.js";
import { badRequest } from "./validate.js";

/** stackfile key → the service field it stands for. */
const API_FIELD: Readonly<Record<string, string>> = {
  command: "run_command",
  environment: "container_envvars",
  ports: "container_ports",
  expose: "container_ports",
  links: "linked_to_service",
  volumes: "bindings",
  volumes_from: "bindings",
  restart: "autorestart",
  mem_limit: "memory",
};

const RESTART: Readonly<Record<string, string>> = { no: "OFF", "on-failure": "ON_FAILURE", always: "ALWAYS" };

function list(key: string, value: Json): Json[] {
  if (!Array.isArray(value)) throw badRequest(`Stackfile key '${key}' must be a list`);
  return value;
}

function text(key: string, item: Json): string {
  if (typeof item === "string") return item;
  if (typeof item === "number") return String(item);
  throw badRequest(`Stackfile key '${key}' must hold strings, not ${JSON.stringify(item)}`);
}

/** "8080:80/udp", "80" (published on a port Tutum picks), or an `expose` entry (not published). */
function port(key: string, item: Json): JsonObject {
  const match = /^(?:(\d+):)?(\d+)(?:\/(tcp|udp))?$/.exec(text(key, item));
  if (!match) throw badRequest(`Stackfile key '${key}' has a bad port: ${JSON.stringify(item)}`);
  const [, outer, inner, protocol = "tcp"] = match;
  return {
    protocol,
    inner_port: Number(inner),
    outer_port: outer === undefined ? null : Number(outer),
    published: key === "ports",
  };
}

/** "/data" (a volume), "/host:/data" or "/host:/data:ro" (a host path). */
function volume(item: string): JsonObject {
  const [first = "", second, mode] = item.split(":");
  if (second === undefined) return { container_path: first, rewritable: true };
  return { host_path: first, container_path: second, rewritable: mode !== "ro" };
}

function translate(key: string, value: Json): Json {
  switch (key) {
    case "command":
      return value === null ? null : text(key, value);
    case "environment":
      // A list of "KEY=value" (a bare "KEY" is empty) or a mapping.
      if (isObject(value))
        return Object.entries(value).map(([k, v]) => ({ key: k, value: v === null ? "" : text(key, v) }));
      return list(key, value).map((item) => {
        const entry = text(key, item);
        const eq = entry.indexOf("=");
        return eq < 0 ? { key: entry, value: "" } : { key: entry.slice(0, eq), value: entry.slice(eq + 1) };
      });
    case "ports":
    case "expose":
      return list(key, value).map((item) => port(key, item));
    case "links":
      // "db:DB" or "db": a sibling by name, which the stack resolves to its URI.
      return list(key, value).map((item) => {
        const [service = "", alias] = text(key, item).split(":");
        return { to_service: service, name: alias ?? service };
      });
    case "volumes":
      return list(key, value).map((item) => volume(text(key, item)));
    case "volumes_from":
      return list(key, value).map((item) => ({ volumes_from: text(key, item) }));
    case "restart": {
      const mode = RESTART[text(key, value)];
      if (!mode) throw badRequest(`Stackfile key 'restart' must be one of ${Object.keys(RESTART).join(", ")}`);
      return mode;
    }
    case "mem_limit": {
      // Docker's notation (512m, 1g, bytes) to the API's MB.
      const match = /^(\d+)([bkmg]?)$/i.exec(text(key, value));
      if (!match) throw badRequest(`Stackfile key 'mem_limit' has a bad size: ${JSON.stringify(value)}`);
      const scale: Record<string, number> = { "": 1 / 2 ** 20, b: 1 / 2 ** 20, k: 1 / 1024, m: 1, g: 1024 };
      return Math.max(1, Math.round(Number(match[1]) * scale[match[2]!.toLowerCase()]!));
    }
    default:
      return value;
  }
}

/** A service spec with its stackfile keys turned into the service API's fields (others unchanged). */
export function fromStackfile(spec: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(spec)) {
    const field = API_FIELD[key];
    if (field === undefined) {
      // Tags are names in a stackfile, {name} objects in the API.
      out[key] =
        key === "tags" && Array.isArray(value) ? value.map((t) => (typeof t === "string" ? { name: t } : t)) : value;
      continue;
    }
    if (field in spec) throw badRequest(`Stackfile key '${key}' and field '${field}' both given`);
    const translated = translate(key, value);
    const previous = out[field];
    // ports and expose both become container_ports, volumes and volumes_from both bindings.
    out[field] = Array.isArray(previous) && Array.isArray(translated) ? [...previous, ...translated] : translated;
  }
  return out;
}
