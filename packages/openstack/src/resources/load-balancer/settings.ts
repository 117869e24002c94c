// Settings Rackspace Cloud Load Balancers keep on a load balancer and Octavia has no counterpart for:
// connection logging, content caching, SSL termination (a key and certificate in the call), metadata
// and usage records; and the connection throttle, of which Octavia keeps maxConnections (the
// listener's connection_limit). On Rackspace's wire they are its sub-resources, as pyrax sent them; on Octavia
// reading gives the empty value (nothing is kept) and a change is refused by name, never dropped.
import { callArgs } from "../../arguments.js";
import { InvalidLoadBalancerParameters, MissingLoadBalancerParameters, NotImplementedYet } from "../../errors.js";
import type { CallOptions, CloudLoadBalancer, SslTermination } from "./load-balancer.js";
import type { RackspaceWire } from "./rackspace.js";

type Target = () => Promise<CloudLoadBalancer>;

const FLAG_LIMITS = {
  connectionLogging: "Octavia has no per-load-balancer connection logging",
  contentCaching: "Octavia caches no content",
};
const SSL_LIMIT =
  "Octavia terminates TLS on a TERMINATED_HTTPS listener holding a Barbican certificate container, " +
  "not with a key and certificate in the call";
const SSL_ARGS = {
  addSslTermination: [
    "securePort",
    "privatekey",
    "certificate",
    "intermediateCertificate",
    "enabled",
    "secureTrafficOnly",
  ],
  updateSslTermination: ["securePort", "enabled", "secureTrafficOnly"],
} as const;
const SSL_TYPES = { securePort: "number", enabled: "boolean", secureTrafficOnly: "boolean" } as const;

/** Rackspace's connection throttle (pyrax's `get_connection_throttle()` dict). */
export interface ConnectionThrottle {
  maxConnectionRate?: number;
  maxConnections?: number;
  minConnections?: number;
  rateInterval?: number;
}
const THROTTLE_ARGS = ["maxConnectionRate", "maxConnections", "minConnections", "rateInterval"] as const;
const THROTTLE_TYPES = {
  maxConnectionRate: "number",
  maxConnections: "number",
  minConnections: "number",
  rateInterval: "number",
} as const;

function refusal(field: string, why: string): InvalidLoadBalancerParameters {
  return new InvalidLoadBalancerParameters(`${field}: ${why}`, { field });
}

/** An on/off setting (/connectionlogging, /contentcaching) read, or with a value written (pyrax sends "true"/"false"). */
export async function flag(
  rax: RackspaceWire | undefined,
  target: Target,
  key: keyof typeof FLAG_LIMITS,
  value: boolean | undefined,
  signal?: AbortSignal,
): Promise<boolean> {
  if (!rax) {
    if (value) throw refusal(key, FLAG_LIMITS[key]);
    await target();
    return false;
  }
  const lb = await target();
  if (value !== undefined) {
    await rax.setting(lb, key.toLowerCase(), "PUT", { [key]: { enabled: String(value).toLowerCase() } }, signal);
    return value;
  }
  const body = await rax.setting(lb, key.toLowerCase(), "GET", undefined, signal);
  return String((body[key] as { enabled?: unknown } | undefined)?.enabled) === "true";
}

/** pyrax's positional arguments of add/update_ssl_termination, or one object. */
export function sslArgs(call: keyof typeof SSL_ARGS, args: readonly unknown[]): SslTermination & CallOptions {
  const given = callArgs<SslTermination & CallOptions>(call, args, [...SSL_ARGS[call]], undefined, SSL_TYPES);
  if (call === "addSslTermination") {
    for (const field of ["securePort", "privatekey", "certificate"] as const) {
      if (given[field] === undefined) throw new MissingLoadBalancerParameters(`${call} needs ${field}`, { field });
    }
  }
  return given;
}

export async function getSsl(
  rax: RackspaceWire | undefined,
  lb: CloudLoadBalancer,
  signal?: AbortSignal,
): Promise<SslTermination | Record<string, never>> {
  if (!rax) return {};
  // Rackspace answers 404 when none is configured (pyrax read that as {}).
  const body = await rax.setting(lb, "ssltermination", "GET", undefined, signal).catch((error: unknown) => {
    if ((error as { status?: number }).status === 404) return {} as Record<string, unknown>;
    throw error;
  });
  return (body.sslTermination as SslTermination | undefined) ?? {};
}

/** The settings update_ssl_termination sends: the change over what is configured (which must exist). */
export async function sslUpdate(
  rax: RackspaceWire | undefined,
  target: Target,
  change: SslTermination,
  signal?: AbortSignal,
): Promise<SslTermination> {
  if (!rax) throw refusal("sslTermination", SSL_LIMIT);
  const current = await getSsl(rax, await target(), signal);
  if (!("securePort" in current)) {
    throw refusal("sslTermination", "none is configured: addSslTermination first");
  }
  const { securePort, enabled, secureTrafficOnly } = { ...current, ...change };
  return { securePort, enabled, secureTrafficOnly };
}

/** PUTs the settings, or DELETEs them when there are none. */
export async function putSsl(
  rax: RackspaceWire | undefined,
  target: Target,
  ssl: SslTermination | undefined,
  signal?: AbortSignal,
): Promise<void> {
  if (!rax) throw refusal("sslTermination", SSL_LIMIT);
  const body = ssl && { sslTermination: ssl };
  await rax.setting(await target(), "ssltermination", ssl ? "PUT" : "DELETE", body, signal);
}

/** Octavia keeps no key-value metadata (only tags): nothing to read or delete, anything to store refused. */
export async function metadata(
  rax: RackspaceWire | undefined,
  target: Target,
  values: Record<string, string>,
): Promise<void> {
  if (rax) throw new NotImplementedYet("load balancer metadata on Rackspace's API is not built yet");
  if (values === null || typeof values !== "object" || Object.keys(values).length) {
    throw refusal("metadata", "Octavia keeps no metadata (tags only)");
  }
  await target();
}

export function usage(rax: RackspaceWire | undefined): never {
  throw new NotImplementedYet(
    rax ? "load balancer usage on Rackspace's API is not built yet" : "getUsage: Octavia keeps no usage records",
  );
}

/** pyrax's `add_connection_throttle(maxConnectionRate, maxConnections, minConnections, rateInterval)`, or one object. */
export function throttleArgs(args: readonly unknown[]): ConnectionThrottle & CallOptions {
  const given = callArgs<ConnectionThrottle & CallOptions>(
    "addConnectionThrottle",
    args,
    [...THROTTLE_ARGS],
    undefined,
    THROTTLE_TYPES,
  );
  if (!THROTTLE_ARGS.some((key) => given[key] !== undefined)) {
    throw new MissingLoadBalancerParameters(`addConnectionThrottle needs one of ${THROTTLE_ARGS.join(", ")}`, {
      field: "connectionThrottle",
    });
  }
  return given;
}

/** The listener's connection_limit for a throttle (-1, unlimited, for none); what Octavia cannot keep is refused. */
export function connectionLimit(throttle: ConnectionThrottle | undefined): number {
  if (!throttle) return -1;
  for (const key of Object.keys(throttle)) {
    if (key !== "maxConnections")
      throw refusal(`connectionThrottle.${key}`, "Octavia limits connections only (maxConnections)");
  }
  return throttle.maxConnections!;
}

/** A listener's connection_limit as pyrax's throttle dict ({} when unlimited). */
export function throttleOf(limit: number | undefined): ConnectionThrottle {
  return limit === undefined || limit < 0 ? {} : { maxConnections: limit };
}
