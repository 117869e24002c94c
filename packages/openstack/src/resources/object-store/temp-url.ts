// Swift's TempURL: an HMAC of "METHOD\nexpires\npath" keyed by the account's Temp-Url-Key, sent as
// temp_url_sig and temp_url_expires. The path signed is the decoded one Swift sees (PATH_INFO);
// the URL carries it percent-encoded.
import { createHmac } from "node:crypto";
import { ValidationError } from "@nimbus-sdk/common";
import { InvalidTemporaryURLMethod } from "../../errors.js";
import { encodeName, validateContainerName, validateObjectName } from "./names.js";

/** sha1 is Swift's (and pyrax's) default; sha256 and sha512 need Swift >= 2.22 (allowed_digests). */
export type TempUrlDigest = "sha1" | "sha256" | "sha512";
/** The methods Swift's tempurl middleware accepts by default; a GET signature also allows HEAD. */
export type TempUrlMethod = "GET" | "HEAD" | "PUT" | "POST" | "DELETE";

export const TEMP_URL_METHODS: readonly TempUrlMethod[] = ["GET", "HEAD", "PUT", "POST", "DELETE"];
const DIGESTS: readonly TempUrlDigest[] = ["sha1", "sha256", "sha512"];

export interface TempUrlSignatureInput {
  method: TempUrlMethod;
  /** Unix time, in seconds, when the URL stops working. */
  expires: number;
  /** The decoded path: `/v1/AUTH_account/container/object`. */
  path: string;
  key: string;
  digest?: TempUrlDigest;
}

/** The hex signature Swift expects in `temp_url_sig`. */
export function tempUrlSignature({ method, expires, path, key, digest = "sha1" }: TempUrlSignatureInput): string {
  return createHmac(digest, key).update(`${method}\n${expires}\n${path}`, "utf8").digest("hex");
}

export interface TempUrlInput {
  /** The object-store endpoint of the account, e.g. `https://swift.example/v1/AUTH_abc`. */
  endpoint: URL;
  container: string;
  obj: string;
  key: string;
  /** How long the URL works, from `now`. */
  seconds: number;
  method?: string;
  digest?: TempUrlDigest;
  /** Sets `filename=`: browsers save the download under this name. */
  filename?: string;
  /** Adds `inline`: browsers show the object instead of downloading it. */
  inline?: boolean;
  /** The current time in ms (tests pin it). */
  now?: number;
}

/** Checks the inputs and returns the method, upper-cased. */
export function checkTempUrlInput(seconds: number, method: string, digest: string): TempUrlMethod {
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds <= 0) {
    throw new ValidationError(`seconds must be a positive number; got ${String(seconds)}`, { field: "seconds" });
  }
  const upper = String(method).trim().toUpperCase();
  if (!(TEMP_URL_METHODS as readonly string[]).includes(upper)) {
    throw new InvalidTemporaryURLMethod(
      `A temp URL method must be one of ${TEMP_URL_METHODS.join(", ")}; received ${JSON.stringify(method)}`,
      { field: "method" },
    );
  }
  if (!(DIGESTS as readonly string[]).includes(digest)) {
    throw new ValidationError(`digest must be one of ${DIGESTS.join(", ")}; got ${JSON.stringify(digest)}`, {
      field: "digest",
    });
  }
  return upper as TempUrlMethod;
}

/** Builds the temp URL; pure, so it can be tested against known vectors. */
export function buildTempUrl(input: TempUrlInput): string {
  const { endpoint, key, seconds, digest = "sha1" } = input;
  const container = validateContainerName(input.container);
  const obj = validateObjectName(input.obj);
  const method = checkTempUrlInput(seconds, input.method ?? "GET", digest);
  if (typeof key !== "string" || key.length === 0) {
    throw new ValidationError("the temp URL key is empty", { field: "key" });
  }
  const expires = Math.floor((input.now ?? Date.now()) / 1000 + seconds);
  const basePath = decodeURIComponent(endpoint.pathname).replace(/\/+$/, "");
  const path = `${basePath}/${container}/${obj}`;
  const signature = tempUrlSignature({ method, expires, path, key, digest });
  const url = new URL(endpoint);
  url.pathname = `${endpoint.pathname.replace(/\/+$/, "")}/${encodeURIComponent(container)}/${encodeName(obj)}`;
  url.search = "";
  url.searchParams.set("temp_url_sig", signature);
  url.searchParams.set("temp_url_expires", String(expires));
  if (input.filename !== undefined) url.searchParams.set("filename", input.filename);
  let text = url.toString();
  if (input.inline) text += "&inline";
  return text;
}
