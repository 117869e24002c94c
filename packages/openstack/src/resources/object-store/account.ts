// The account: its counters, its metadata, and the temp URL key that signs temporary URLs.
import { randomUUID } from "node:crypto";
import { ValidationError } from "@nimbus-sdk/common";
import { MissingTemporaryURLKey } from "../../errors.js";
import { containerName, objectName, type ContainerRef, type ObjectRef, type ObjectStoreContext } from "./context.js";
import { validateMetadata } from "./names.js";
import { buildTempUrl, checkTempUrlInput } from "./temp-url.js";
import type { AccountDetails, CallOptions, MetadataOptions, SetMetadataOptions, TempUrlOptions } from "./types.js";
import { ACCOUNT_META_PREFIX, blanked, metadataFromHeaders, prefixKeys, send } from "./wire.js";

async function headAccount(ctx: ObjectStoreContext, signal?: AbortSignal): Promise<Record<string, string>> {
  return { ...(await send(ctx, { method: "HEAD", url: ctx.accountUrl, signal })).headers };
}

export async function getAccountDetails(ctx: ObjectStoreContext, options: CallOptions): Promise<AccountDetails> {
  const headers = await headAccount(ctx, options.signal);
  const raw: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith("x-account-") && !name.startsWith("x-account-meta-")) raw[name.slice(10)] = value;
  }
  return {
    containerCount: Number(raw["container-count"] ?? 0),
    objectCount: Number(raw["object-count"] ?? 0),
    bytesUsed: Number(raw["bytes-used"] ?? 0),
    raw,
  };
}

export async function getAccountMetadata(
  ctx: ObjectStoreContext,
  options: MetadataOptions,
): Promise<Record<string, string>> {
  return metadataFromHeaders(await headAccount(ctx, options.signal), options.prefix ?? ACCOUNT_META_PREFIX);
}

export async function setAccountMetadata(
  ctx: ObjectStoreContext,
  metadata: Readonly<Record<string, string | number>>,
  options: SetMetadataOptions,
): Promise<void> {
  validateMetadata(metadata);
  const prefix = options.prefix ?? ACCOUNT_META_PREFIX;
  const headers = options.clear ? blanked(await getAccountMetadata(ctx, options), prefix) : {};
  Object.assign(headers, prefixKeys(metadata, prefix));
  await send(ctx, { method: "POST", url: ctx.accountUrl, headers, signal: options.signal });
}

export async function deleteAccountMetadata(ctx: ObjectStoreContext, options: MetadataOptions): Promise<void> {
  const prefix = options.prefix ?? ACCOUNT_META_PREFIX;
  const headers = blanked(await getAccountMetadata(ctx, options), prefix);
  if (Object.keys(headers).length > 0) {
    await send(ctx, { method: "POST", url: ctx.accountUrl, headers, signal: options.signal });
  }
}

export async function getTempUrlKey(
  ctx: ObjectStoreContext,
  options: CallOptions & { cached?: boolean },
): Promise<string | undefined> {
  if ((options.cached ?? true) && ctx.tempUrlKey) return ctx.tempUrlKey;
  const headers = await headAccount(ctx, options.signal);
  ctx.tempUrlKey = headers["x-account-meta-temp-url-key"] || undefined;
  return ctx.tempUrlKey;
}

export async function setTempUrlKey(
  ctx: ObjectStoreContext,
  key: string | undefined,
  options: CallOptions,
): Promise<string> {
  const value = key ?? randomUUID().replace(/-/g, "");
  if (typeof value !== "string" || value.length === 0 || /[\r\n\0]/.test(value)) {
    throw new ValidationError("the temp URL key must be a non-empty string without control characters", {
      field: "key",
    });
  }
  await setAccountMetadata(ctx, { "Temp-Url-Key": value }, { signal: options.signal });
  ctx.tempUrlKey = value;
  return value;
}

export async function getTempUrl(
  ctx: ObjectStoreContext,
  container: ContainerRef,
  obj: ObjectRef,
  seconds: number,
  options: TempUrlOptions,
): Promise<string> {
  const cname = containerName(container);
  const oname = objectName(obj);
  checkTempUrlInput(seconds, options.method ?? "GET", options.digest ?? "sha1");
  const key = options.key ?? (await getTempUrlKey(ctx, { cached: options.cached, signal: options.signal }));
  if (!key) {
    throw new MissingTemporaryURLKey(
      "You must set the key for Temporary URLs before you can generate them. " +
        "This is done via the `setTempUrlKey()` method.",
    );
  }
  return buildTempUrl({
    endpoint: ctx.endpoint,
    container: cname,
    obj: oname,
    key,
    seconds,
    method: options.method,
    digest: options.digest,
    filename: options.filename,
    inline: options.inline,
  });
}
