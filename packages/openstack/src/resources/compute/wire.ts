// Nova's JSON shapes and the small checks every compute call shares.
import { ValidationError } from "@nimbus-sdk/common";
import type { NovaLink } from "./listing.js";

/** Every compute call takes a signal. */
export interface ComputeCallOptions {
  signal?: AbortSignal;
}

/** A resource, or its id. */
export type Ref = string | { readonly id: string };

/** One address of a server on one network (`addresses[label][i]`). */
export interface ServerAddress {
  version: 4 | 6;
  addr: string;
  "OS-EXT-IPS:type"?: "fixed" | "floating";
  "OS-EXT-IPS-MAC:mac_addr"?: string;
}

/** A server as Nova describes it (`GET /servers/{id}`); extension fields keep their wire names. */
export interface ServerRecord {
  id: string;
  name?: string;
  status?: string;
  tenant_id?: string;
  user_id?: string;
  /** `{ id, links }`, or the flavor's description itself from microversion 2.47 on. */
  flavor?: { id?: string; links?: NovaLink[]; original_name?: string; [key: string]: unknown };
  /** `{ id, links }`, or "" for a server booted from a volume. */
  image?: { id: string; links?: NovaLink[] } | "";
  addresses?: Record<string, ServerAddress[]>;
  metadata?: Record<string, string>;
  accessIPv4?: string;
  accessIPv6?: string;
  key_name?: string | null;
  hostId?: string;
  created?: string;
  updated?: string;
  progress?: number;
  links?: NovaLink[];
  fault?: { code: number; message: string; details?: string; created?: string };
  /** Only in create's and rebuild's answers, as in novaclient. */
  adminPass?: string;
  [field: string]: unknown;
}

/** A Nova flavor as the API sends it: id, name, vCPUs, RAM, disk and extra specs. */
export interface FlavorRecord {
  id: string;
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
  /** "" when none before microversion 2.75, 0 from then on. */
  swap: number | "";
  rxtx_factor?: number;
  "OS-FLV-EXT-DATA:ephemeral"?: number;
  "os-flavor-access:is_public"?: boolean;
  "OS-FLV-DISABLED:disabled"?: boolean;
  description?: string | null;
  extra_specs?: Record<string, string>;
  links?: NovaLink[];
  [field: string]: unknown;
}

/** An image through Nova's image proxy (capped at microversion 2.35, where Nova still serves it). */
export interface ComputeImageRecord {
  id: string;
  name?: string;
  status?: string;
  progress?: number;
  minDisk?: number;
  minRam?: number;
  metadata?: Record<string, string>;
  created?: string;
  updated?: string;
  "OS-EXT-IMG-SIZE:size"?: number;
  server?: { id: string; links?: NovaLink[] };
  links?: NovaLink[];
  [field: string]: unknown;
}

/** A Nova key pair as the API sends it: name, public key and fingerprint. */
export interface KeypairRecord {
  name: string;
  public_key: string;
  fingerprint: string;
  /** Only when Nova generated the key (no public key given; microversions below 2.92). */
  private_key?: string;
  type?: "ssh" | "x509";
  user_id?: string;
  created_at?: string;
  id?: number;
  deleted?: boolean;
  [field: string]: unknown;
}

/** A Nova server group as the API sends it: name, policies and members. */
export interface ServerGroupRecord {
  id: string;
  name: string;
  /** Before microversion 2.64. */
  policies?: string[];
  /** From microversion 2.64 on. */
  policy?: string;
  rules?: { max_server_per_host?: number };
  members: string[];
  metadata?: Record<string, string>;
  project_id?: string;
  user_id?: string;
  [field: string]: unknown;
}

/** The id of a resource or id; a ValidationError naming `field` for anything else. */
export function idOf(ref: Ref | null | undefined, field: string): string {
  const id = typeof ref === "string" ? ref : ref?.id;
  if (typeof id !== "string" || id.trim() === "") {
    throw new ValidationError(`${field} must be an object with an id, or a non-empty id`, { field });
  }
  return id;
}

/** Unknown options are a ValidationError naming them: the package's one checker. */
export { checkOptions } from "../../arguments.js";

/** A string-to-string map (metadata, extra specs); a ValidationError naming `field` otherwise. */
export function checkStringMap(value: unknown, field: string): Record<string, string> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError(`${field} must be an object of string values`, { field });
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== "string") {
      throw new ValidationError(`${field}: the value of "${key}" must be a string, not ${typeof item}`, { field });
    }
  }
  return value as Record<string, string>;
}
