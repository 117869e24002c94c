// One object PUT (storeObject, a file sent whole, a large object's manifest) whose outcome is
// settled before anything is reported: stored (the server's ETag is the MD5 sent), or UploadFailed
// with an `outcome` that says only what was checked. When the answer is lost after the data may
// have gone out (connection reset, no answer in time, a 5xx), a HEAD looks at what Swift now holds:
// the data sent is there (a success), or the state stays "unknown". Only a request that never
// reached the server, or one the server refused (4xx), is reported as storing nothing.
import {
  AbortError,
  ConnectionError,
  HttpError,
  NimbusError,
  type BodyData,
  type NimbusResponse,
} from "@nimbus-sdk/common";
import { ChecksumMismatch, NoSuchContainer, notFoundAs, UploadFailed, type UploadOutcome } from "../../errors.js";
import { objectPath } from "./names.js";
import { anySignal, unquoteEtag, type SwiftContext } from "./wire.js";

/** Connection failures that happen before a byte of the request is sent. */
const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);
/** How long the checks after a failure may take (they run after the caller's own time may be up). */
const CHECK_TIMEOUT = 30_000;

export interface ObjectPut {
  container: string;
  obj: string;
  headers: Record<string, string>;
  query?: Record<string, string>;
  /** Called for each attempt. */
  body: () => AsyncIterable<Uint8Array>;
  /** False when `body` gives the same stream each time: the PUT is then sent once (default true). */
  replayable?: boolean;
  /** The MD5 the stored object's ETag must have, once the body is sent (undefined: nothing to compare). */
  expectedEtag: () => string | undefined;
  timeout?: number;
  signal?: AbortSignal;
}

export interface PutResult {
  /** The stored object's ETag, unquoted. */
  etag: string;
  /** The PUT's answer, or a HEAD's when the answer was lost and the HEAD showed the data sent. */
  headers: Record<string, string>;
  /** True when `headers` come from a HEAD (a full description of the object). */
  fromHead: boolean;
  /** Bytes of the body the last attempt sent. */
  bytesSent: number;
}

/** Sends the PUT and settles its outcome; see the module comment. */
export async function putObject(ctx: SwiftContext, put: ObjectPut): Promise<PutResult> {
  const label = `${put.container}/${put.obj}`;
  let bytesRead = 0;
  let bytesSent = 0;
  let attempts = 0;
  const body = (): BodyData => {
    attempts++;
    bytesSent = 0;
    return counted(put.body(), (n) => {
      bytesRead += n;
      bytesSent += n;
    });
  };
  let response: NimbusResponse;
  try {
    response = await notFoundAs(
      ctx.request({
        method: "PUT",
        url: objectPath(put.container, put.obj),
        query: put.query,
        headers: put.headers,
        // A function body is sent again on a lost connection; a one-time stream goes as it is.
        body: put.replayable === false ? body() : body,
        timeout: put.timeout,
        signal: put.signal,
      }),
      NoSuchContainer,
      `Container '${put.container}' doesn't exist`,
    );
    await response.dump();
  } catch (error) {
    if (error instanceof NoSuchContainer) throw error;
    // Each attempt may have reached the server: an earlier one whose answer was lost counts too.
    // A zero-byte body reads nothing even when sent; then only a single refused attempt proves it.
    const neverSent =
      error instanceof ConnectionError &&
      NEVER_SENT_CODES.has(error.code ?? "") &&
      bytesRead === 0 &&
      (put.headers["content-length"] !== "0" || attempts <= 1);
    if (neverSent) throw uploadFailed(label, error, "not-stored", "; the request never reached the server");
    if (error instanceof HttpError && error.status < 500 && attempts <= 1) {
      throw uploadFailed(label, error, "not-stored", `; the server refused it (${error.status})`);
    }
    if (error instanceof AbortError) {
      if (attempts === 0) throw uploadFailed(label, error, "not-stored", "; it was cancelled before anything was sent");
      throw uploadFailed(
        label,
        error,
        "unknown",
        "; it was cancelled while the request was under way, and what the server holds was not checked",
      );
    }
    return { ...(await verifyAfterLostAnswer(ctx, put, label, error)), bytesSent };
  }
  const etag = unquoteEtag(response.headers.etag);
  const expected = put.expectedEtag();
  if (etag !== undefined && expected !== undefined && etag !== expected) {
    throw await storedSomethingElse(ctx, put, label, etag, expected);
  }
  return { etag: etag ?? expected ?? "", headers: { ...response.headers }, fromHead: false, bytesSent };
}

/** The answer was lost after the data may have reached Swift: a HEAD says what it holds now. */
async function verifyAfterLostAnswer(
  ctx: SwiftContext,
  put: ObjectPut,
  label: string,
  error: unknown,
): Promise<Omit<PutResult, "bytesSent">> {
  const expected = put.expectedEtag();
  let head: NimbusResponse;
  try {
    head = await ctx.request({
      method: "HEAD",
      url: objectPath(put.container, put.obj),
      okStatuses: [404],
      signal: anySignal(put.signal, AbortSignal.timeout(CHECK_TIMEOUT)),
    });
    await head.dump();
  } catch (headError) {
    const why = headError instanceof Error ? headError.message : String(headError);
    throw uploadFailed(label, error, "unknown", `; a HEAD to check what the server holds failed too (${why})`);
  }
  const etag = head.status === 404 ? undefined : unquoteEtag(head.headers.etag);
  if (etag !== undefined && expected !== undefined && etag === expected) {
    return { etag, headers: { ...head.headers }, fromHead: true };
  }
  const found =
    etag === undefined
      ? "no object"
      : expected === undefined
        ? `an object with ETag ${etag}, with no checksum of the data sent to compare it with`
        : `an object with ETag ${etag}, not the MD5 ${expected} of the data sent`;
  throw uploadFailed(
    label,
    error,
    "unknown",
    `; the answer was lost, and a HEAD afterwards found ${found} (the server may still be storing it)`,
  );
}

/** The server stored other bytes than were sent (only a stream sent without an ETag gets here). */
async function storedSomethingElse(
  ctx: SwiftContext,
  put: ObjectPut,
  label: string,
  etag: string,
  expected: string,
): Promise<UploadFailed> {
  const mismatch = new ChecksumMismatch(`${label}: the server stored ETag ${etag}, the data sent has MD5 ${expected}`);
  try {
    const response = await ctx.request({
      method: "DELETE",
      url: objectPath(put.container, put.obj),
      okStatuses: [404],
      signal: AbortSignal.timeout(CHECK_TIMEOUT),
    });
    await response.dump();
  } catch {
    return uploadFailed(label, mismatch, "unknown", "; deleting what the server stored failed");
  }
  return uploadFailed(label, mismatch, "not-stored", "; what the server stored was deleted");
}

async function* counted(
  source: AsyncIterable<Uint8Array>,
  onRead: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    onRead(chunk.byteLength);
    yield chunk;
  }
}

/**
 * What a failed store or upload throws: UploadFailed naming the object, what is known of it, and
 * the cause (a 422 from Swift means the data did not match the ETag sent: a ChecksumMismatch).
 */
export function uploadFailed(label: string, error: unknown, outcome: UploadOutcome, note = ""): UploadFailed {
  if (error instanceof UploadFailed) {
    if (outcome !== error.outcome) return uploadFailed(label, error.cause, outcome, note);
    if (!note) return error;
    // What happened next (to a large object's segments) joins what put.ts found.
    return new UploadFailed(error.message.replace(". Cause: ", `${note}. Cause: `), {
      ...error.context,
      cause: error.cause,
      outcome,
    });
  }
  const cause =
    error instanceof NimbusError && error.status === 422
      ? new ChecksumMismatch(`${label}: the server computed a different MD5 than the data sent (422)`, {
          ...error.context,
          cause: error,
        })
      : error;
  const reason = cause instanceof Error ? cause.message : String(cause);
  const context = cause instanceof NimbusError ? cause.context : {};
  const state = outcome === "not-stored" ? "no object was stored" : "whether the object was stored is unknown";
  return new UploadFailed(`Uploading ${label} failed; ${state}${note}. Cause: ${reason}`, {
    ...context,
    cause,
    outcome,
  });
}
