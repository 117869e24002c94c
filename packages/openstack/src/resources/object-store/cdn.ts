// Rackspace's CDN management API for Cloud Files (a separate endpoint in the catalog, service type
// "rax:object-cdn"). Other OpenStack clouds have none: every call then fails with NotCDNEnabled
// before anything is sent.
import { NotFoundError, type NimbusResponse } from "@nimbus-sdk/common";
import { InvalidCDNMetadata, NoSuchContainer, NotCDNEnabled } from "../../errors.js";
import { containerPath, objectPath } from "./names.js";
import { isTrue, type SwiftContext } from "./wire.js";

export interface CdnContext extends SwiftContext {
  /** The CDN management endpoint, when the catalog has one. */
  readonly cdnEndpoint: URL | undefined;
}

/** A container's CDN settings (pyrax's `cdn_enabled`, `cdn_uri`, `cdn_ttl` … attributes). */
export interface CdnInfo {
  enabled: boolean;
  uri?: string;
  sslUri?: string;
  streamingUri?: string;
  iosUri?: string;
  /** Seconds edge servers cache objects. */
  ttl?: number;
  logRetention: boolean;
}

/** The headers a CDN container accepts (pyrax's `set_cdn_metadata`). */
export interface CdnMetadata {
  "X-Log-Retention"?: boolean | string;
  "X-CDN-Enabled"?: boolean | string;
  "X-TTL"?: number | string;
}

/** The CDN's time to live when none is given, in seconds (one day), as pyrax's. */
export const DEFAULT_CDN_TTL = 86_400;
const CDN_METADATA_KEYS = ["x-log-retention", "x-cdn-enabled", "x-ttl"];

function requireCdn(ctx: CdnContext): URL {
  if (!ctx.cdnEndpoint) {
    throw new NotCDNEnabled(
      "CDN is not enabled for this service: the catalog has no object CDN endpoint " +
        "(only Rackspace Cloud Files has one; pass `cdnEndpoint` if yours does)",
    );
  }
  return ctx.cdnEndpoint;
}

/** A request to the CDN endpoint; a 404 for an existing storage container means "not CDN-enabled". */
export async function cdnRequest(
  ctx: CdnContext,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; signal?: AbortSignal; container?: string } = {},
): Promise<NimbusResponse> {
  const base = requireCdn(ctx);
  const url = new URL(path, base.href.endsWith("/") ? base : `${base.href}/`);
  try {
    return await ctx.request({ method, url, headers: options.headers, signal: options.signal });
  } catch (error) {
    if (!(error instanceof NotFoundError) || options.container === undefined) throw error;
    const head = await ctx.request({
      method: "HEAD",
      url: containerPath(options.container),
      okStatuses: [404],
      signal: options.signal,
    });
    await head.dump();
    if (head.status === 404) {
      throw new NoSuchContainer(`Container '${options.container}' doesn't exist`, { status: 404, cause: error });
    }
    throw new NotCDNEnabled(`Container '${options.container}' is not CDN-enabled.`, { status: 404, cause: error });
  }
}

export async function listPublicContainers(ctx: CdnContext, signal?: AbortSignal): Promise<string[]> {
  const response = await cdnRequest(ctx, "GET", "?format=json", { signal });
  const body = (await response.json<{ name: string; cdn_enabled?: boolean }[]>()) ?? [];
  return body.filter((c) => c.cdn_enabled !== false).map((c) => c.name);
}

export async function getCdnHeaders(
  ctx: CdnContext,
  container: string,
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  const response = await cdnRequest(ctx, "HEAD", containerPath(container), { signal, container });
  await response.dump();
  const { "content-length": _l, "content-type": _t, date: _d, ...rest } = response.headers;
  return rest;
}

export async function getCdnInfo(ctx: CdnContext, container: string, signal?: AbortSignal): Promise<CdnInfo> {
  requireCdn(ctx);
  let headers: Record<string, string>;
  try {
    headers = await getCdnHeaders(ctx, container, signal);
  } catch (error) {
    // pyrax: a container that was never published simply has CDN disabled.
    if (error instanceof NotCDNEnabled && ctx.cdnEndpoint) return { enabled: false, logRetention: false };
    throw error;
  }
  const ttl = Number(headers["x-ttl"]);
  return {
    enabled: isTrue(headers["x-cdn-enabled"]),
    uri: headers["x-cdn-uri"],
    sslUri: headers["x-cdn-ssl-uri"],
    streamingUri: headers["x-cdn-streaming-uri"],
    iosUri: headers["x-cdn-ios-uri"],
    ttl: Number.isFinite(ttl) ? ttl : undefined,
    logRetention: isTrue(headers["x-log-retention"]),
  };
}

export async function setCdnAccess(
  ctx: CdnContext,
  container: string,
  isPublic: boolean,
  ttl: number | undefined,
  signal?: AbortSignal,
): Promise<void> {
  const headers: Record<string, string> = { "x-cdn-enabled": isPublic ? "True" : "False" };
  if (isPublic && ttl !== undefined) headers["x-ttl"] = String(ttl);
  const response = await cdnRequest(ctx, "PUT", containerPath(container), { headers, signal, container });
  await response.dump();
}

export async function setCdnMetadata(
  ctx: CdnContext,
  container: string,
  metadata: CdnMetadata,
  signal?: AbortSignal,
): Promise<void> {
  const bad = Object.keys(metadata).filter((key) => !CDN_METADATA_KEYS.includes(key.toLowerCase()));
  if (bad.length > 0) {
    throw new InvalidCDNMetadata(
      "The only CDN metadata you can update are: X-Log-Retention, X-CDN-enabled, and X-TTL. " +
        `Received the following illegal item(s): ${bad.join(", ")}`,
      { field: "metadata" },
    );
  }
  requireCdn(ctx);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (value !== undefined)
      headers[key.toLowerCase()] = typeof value === "boolean" ? (value ? "True" : "False") : String(value);
  }
  const response = await cdnRequest(ctx, "POST", containerPath(container), { headers, signal, container });
  await response.dump();
}

export async function setCdnLogRetention(
  ctx: CdnContext,
  container: string,
  enabled: boolean,
  signal?: AbortSignal,
): Promise<void> {
  const response = await cdnRequest(ctx, "PUT", containerPath(container), {
    headers: { "x-log-retention": enabled ? "True" : "False" },
    signal,
    container,
  });
  await response.dump();
}

export async function purgeCdnObject(
  ctx: CdnContext,
  container: string,
  obj: string,
  emailAddresses: readonly string[],
  signal?: AbortSignal,
): Promise<void> {
  const headers: Record<string, string> = {};
  if (emailAddresses.length > 0) headers["x-purge-email"] = emailAddresses.join(", ");
  const response = await cdnRequest(ctx, "DELETE", objectPath(container, obj), { headers, signal, container });
  await response.dump();
}
