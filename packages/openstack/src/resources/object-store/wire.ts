// Swift wire details shared by the client, uploads and sync: how a request is sent, how 404s
// become NoSuchContainer/NoSuchObject, metadata headers, bulk delete and SLO manifests.
import { NimbusError, type NimbusResponse, type RequestOptions } from "@nimbus-sdk/common";
import { absoluteObjectPath } from "./names.js";

/** What the helpers need from the client: its endpoint and its request pipeline. */
export interface SwiftContext {
  readonly endpoint: URL;
  request(options: RequestOptions): Promise<NimbusResponse>;
  /** `request`, then `reader` of the answer: a GET whose body fails mid-way is sent again (common's `Transport.read`). */
  read<T>(options: RequestOptions, reader: (response: NimbusResponse) => Promise<T>): Promise<T>;
}

export const ACCOUNT_META_PREFIX = "X-Account-Meta-";
export const CONTAINER_META_PREFIX = "X-Container-Meta-";
export const OBJECT_META_PREFIX = "X-Object-Meta-";
/** Swift's limit for one bulk-delete request (max_deletes_per_request). */
export const MAX_BULK_DELETE = 10_000;

/** Sends a request whose answer has no body worth reading. */
export async function send(ctx: SwiftContext, options: RequestOptions): Promise<NimbusResponse> {
  const response = await ctx.request(options);
  await response.dump();
  return response;
}

/** Headers that remove each of `current`'s metadata keys (an empty value removes a key). */
export function blanked(current: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(current)) out[`${prefix}${key}`.toLowerCase()] = "";
  return out;
}

/** Headers starting with `prefix`, the prefix removed and the name lower-cased (`x-object-meta-Color` → `color`). */
export function metadataFromHeaders(headers: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const low = prefix.toLowerCase();
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower.startsWith(low)) out[lower.slice(low.length)] = value;
  }
  return out;
}

/** Adds `prefix` to each key that lacks it (pyrax's `_massage_metakeys`); keys compare case-insensitively. */
export function prefixKeys(
  metadata: Readonly<Record<string, string | number>>,
  prefix: string,
): Record<string, string> {
  const low = prefix.toLowerCase();
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    const name = key.toLowerCase().startsWith(low) ? key : `${prefix}${key}`;
    out[name.toLowerCase()] = String(value);
  }
  return out;
}

/** What a bulk delete answers: how many objects were deleted, not found, and the errors. */
export interface BulkDeleteResult {
  /** Objects deleted. */
  deleted: number;
  /** Objects that did not exist (not an error). */
  notFound: number;
  /** Swift's summary status, e.g. "200 OK"; the HTTP status of a bulk delete is always 200. */
  status: string;
  /** `[path, status]` for each object that could not be deleted. */
  errors: [string, string][];
}

interface BulkResponse {
  "Number Deleted"?: number;
  "Number Not Found"?: number;
  "Response Status"?: string;
  "Response Body"?: string;
  Errors?: [string, string][];
}

/** Deletes `/container/object` paths (already encoded) in batches of 10 000 through Swift's bulk middleware. */
export async function bulkDeletePaths(
  ctx: SwiftContext,
  paths: readonly string[],
  options: { signal?: AbortSignal } = {},
): Promise<BulkDeleteResult> {
  const result: BulkDeleteResult = { deleted: 0, notFound: 0, status: "200 OK", errors: [] };
  for (let start = 0; start < paths.length; start += MAX_BULK_DELETE) {
    const batch = paths.slice(start, start + MAX_BULK_DELETE);
    const response = await ctx.request({
      method: "POST",
      url: "",
      query: { "bulk-delete": "" },
      headers: { "content-type": "text/plain", accept: "application/json" },
      body: batch.join("\n"),
      // Deleting the same names twice is harmless, so a lost connection may be retried.
      idempotent: true,
      signal: options.signal,
    });
    const body = await response.json<BulkResponse | undefined>();
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      // Without Swift's bulk middleware the POST reaches the account and answers 204, empty.
      throw new NimbusError(
        `bulk delete is not available on this cloud (the server answered ${response.status} without a summary)`,
        { method: "POST", status: response.status, requestId: response.requestId },
      );
    }
    result.deleted += Number(body["Number Deleted"] ?? 0);
    result.notFound += Number(body["Number Not Found"] ?? 0);
    const status = body["Response Status"] ?? "200 OK";
    const errors = body.Errors ?? [];
    if (!status.startsWith("2") && errors.length === 0) errors.push([body["Response Body"] ?? "", status]);
    if (!status.startsWith("2") || result.status.startsWith("2")) result.status = status;
    result.errors.push(...errors);
  }
  return result;
}

/** One entry of a manifest as `?multipart-manifest=get` returns it. */
export interface ManifestSegment {
  /** `/container/object`, not encoded. */
  name: string;
  hash: string;
  bytes: number;
}

/** The segments of a static large object (the caller knows from a HEAD that it is one). */
export async function fetchSloManifest(
  ctx: SwiftContext,
  path: string,
  options: { signal?: AbortSignal } = {},
): Promise<ManifestSegment[]> {
  return ctx.read({ url: path, query: { "multipart-manifest": "get" }, signal: options.signal }, async (response) => {
    if (!isTrue(response.headers["x-static-large-object"])) {
      await response.dump();
      return [];
    }
    return (await response.json<ManifestSegment[]>()) ?? [];
  });
}

/** `/container/object` (decoded, as in a manifest) to the encoded form bulk delete wants. */
export function encodeManifestName(name: string): string {
  const trimmed = name.replace(/^\//, "");
  const slash = trimmed.indexOf("/");
  return slash < 0
    ? `/${encodeURIComponent(trimmed)}`
    : absoluteObjectPath(trimmed.slice(0, slash), trimmed.slice(slash + 1));
}

export function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(true|yes|on|1)$/i.test(value.trim());
}

/** ETag values of plain objects are a bare MD5; large objects have a quoted one. */
export function unquoteEtag(etag: string | undefined): string | undefined {
  return etag?.replace(/^"(.*)"$/, "$1");
}

/** A signal that fires when any of `signals` does. */
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}
