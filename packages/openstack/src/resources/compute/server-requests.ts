// What servers' calls take (novaclient's keyword arguments, camelCased) and how they become Nova's bodies.
import { ValidationError } from "@nimbus-sdk/common";
import type { PagingOptions } from "./listing.js";
import { checkOptions, type ComputeCallOptions } from "./wire.js";

/** novaclient's `search_opts`: Nova's server filters (name and ip are regular expressions on Nova's side). */
export interface ServerSearchOptions {
  name?: string;
  status?: string;
  image?: string;
  flavor?: string;
  ip?: string;
  ip6?: string;
  host?: string;
  reservation_id?: string;
  all_tenants?: boolean;
  tenant_id?: string;
  user_id?: string;
  "changes-since"?: string;
  "changes-before"?: string;
  tags?: string;
  "tags-any"?: string;
  "not-tags"?: string;
  locked?: boolean;
  [filter: string]: string | number | boolean | undefined;
}

export interface ServerListOptions extends PagingOptions {
  /** With details (default), as novaclient. */
  detailed?: boolean;
  searchOpts?: ServerSearchOptions;
  sortKeys?: string[];
  sortDirs?: ("asc" | "desc")[];
}

/** One of novaclient's `nics` entries, or Nova's "auto"/"none" (microversion 2.37 on). */
export interface Nic {
  "net-id"?: string;
  "port-id"?: string;
  "v4-fixed-ip"?: string;
  "v6-fixed-ip"?: string;
  tag?: string;
}

/** Block device mapping v2 entries, in Nova's own names. */
export interface BlockDeviceMappingV2 {
  boot_index?: number | string | null;
  uuid?: string;
  source_type?: "image" | "volume" | "snapshot" | "blank";
  destination_type?: "local" | "volume";
  volume_size?: number;
  delete_on_termination?: boolean;
  device_name?: string;
  [field: string]: unknown;
}

/** novaclient's `servers.create` keyword arguments, camelCased. */
export interface ServerCreateOptions extends ComputeCallOptions {
  meta?: Record<string, string>;
  /** Personality files `{ path: contents }`; Nova dropped them at microversion 2.57. */
  files?: Record<string, string | Uint8Array>;
  reservationId?: boolean;
  minCount?: number;
  maxCount?: number;
  securityGroups?: string[];
  /** User data, text or bytes (sent base64-encoded, as novaclient does). */
  userdata?: string | Uint8Array;
  keyName?: string;
  availabilityZone?: string;
  /** Legacy `{ "vda": "<volume id>:<type>:<size>:<delete on terminate>" }`, or v2 entries. */
  blockDeviceMapping?: Record<string, string> | BlockDeviceMappingV2[];
  blockDeviceMappingV2?: BlockDeviceMappingV2[];
  /** Networks: novaclient's nic entries, or "auto" / "none" (default "auto" from microversion 2.37). */
  nics?: Nic[] | "auto" | "none";
  schedulerHints?: Record<string, unknown>;
  configDrive?: boolean;
  diskConfig?: "AUTO" | "MANUAL";
  adminPass?: string;
  accessIpV4?: string;
  accessIpV6?: string;
  description?: string;
  tags?: string[];
  hostname?: string;
  trustedImageCertificates?: string[];
}

export const CREATE_OPTIONS = [
  "meta",
  "files",
  "reservationId",
  "minCount",
  "maxCount",
  "securityGroups",
  "userdata",
  "keyName",
  "availabilityZone",
  "blockDeviceMapping",
  "blockDeviceMappingV2",
  "nics",
  "schedulerHints",
  "configDrive",
  "diskConfig",
  "adminPass",
  "accessIpV4",
  "accessIpV6",
  "description",
  "tags",
  "hostname",
  "trustedImageCertificates",
];

export interface RebuildOptions extends ComputeCallOptions {
  password?: string;
  diskConfig?: "AUTO" | "MANUAL";
  preserveEphemeral?: boolean;
  name?: string;
  meta?: Record<string, string>;
  files?: Record<string, string | Uint8Array>;
  keyName?: string | null;
  userdata?: string | Uint8Array | null;
  description?: string | null;
}

/**
 * How a server reboots: SOFT (the guest shuts down) or HARD (power cycle). Nova's schema takes each in
 * three casings, and pyrax's samples pass "soft"/"hard", so those are accepted and sent upper-cased.
 */
export type RebootType = "SOFT" | "HARD" | "Soft" | "Hard" | "soft" | "hard";
export const REBOOT_TYPES: ReadonlySet<unknown> = new Set<RebootType>(["SOFT", "HARD", "Soft", "Hard", "soft", "hard"]);

/** novaclient's nic entries as Nova's `networks`. */
export function nicNetworks(nics: Nic[]): Record<string, string>[] {
  if (!Array.isArray(nics)) {
    throw new ValidationError('nics must be an array of nic entries, "auto" or "none"', { field: "nics" });
  }
  return nics.map((nic, i) => {
    checkOptions(`nics[${i}]`, nic, ["net-id", "port-id", "v4-fixed-ip", "v6-fixed-ip", "tag"]);
    const network: Record<string, string> = {};
    if (nic["net-id"]) network.uuid = nic["net-id"];
    if (nic["port-id"]) network.port = nic["port-id"];
    const fixed = nic["v4-fixed-ip"] ?? nic["v6-fixed-ip"];
    if (fixed) network.fixed_ip = fixed;
    if (nic.tag) network.tag = nic.tag;
    if (!network.uuid && !network.port) {
      throw new ValidationError(`nics[${i}] needs a "net-id" or a "port-id"`, { field: "nics" });
    }
    return network;
  });
}

export function base64(data: string | Uint8Array, field: string): string {
  if (typeof data === "string") return Buffer.from(data, "utf8").toString("base64");
  if (data instanceof Uint8Array) return Buffer.from(data).toString("base64");
  throw new ValidationError(`${field} must be text or bytes`, { field });
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// novaclient's two forms: the legacy `{ device: "id:type:size:delete" }` map, and v2 entries.
export function blockDeviceMappings(options: ServerCreateOptions): { legacy?: unknown[]; v2?: BlockDeviceMappingV2[] } {
  const out: { legacy?: unknown[]; v2?: BlockDeviceMappingV2[] } = {};
  const given = options.blockDeviceMapping;
  if (Array.isArray(given)) out.v2 = given;
  else if (given !== undefined) {
    if (given === null || typeof given !== "object") {
      throw new ValidationError("blockDeviceMapping must be an object or an array", { field: "blockDeviceMapping" });
    }
    out.legacy = Object.entries(given).map(([device, mapping]) => {
      const [id, type, size, deleteOnTermination] = String(mapping).split(":");
      const entry: Record<string, unknown> = { device_name: device };
      if (type === "snap") entry.snapshot_id = id;
      else entry.volume_id = id;
      if (size) entry.volume_size = size;
      if (deleteOnTermination) entry.delete_on_termination = ["1", "true", "True"].includes(deleteOnTermination);
      return entry;
    });
  }
  if (options.blockDeviceMappingV2 !== undefined) {
    if (!Array.isArray(options.blockDeviceMappingV2)) {
      throw new ValidationError("blockDeviceMappingV2 must be an array", { field: "blockDeviceMappingV2" });
    }
    out.v2 = [...(out.v2 ?? []), ...options.blockDeviceMappingV2];
  }
  return out;
}
