// Logs as an async iterable. The 2014 REST API answers `GET {detail}/logs/` with the whole log as one
// string ({"logs": "..."}); following it means asking again and yielding what was added since.
// (python-tutum 0.14+ reads logs from a websocket stream instead; see the README's limits.)
import { setTimeout as sleep } from "node:timers/promises";
import { AbortError } from "@nimbus-sdk/common";
import { ObjectNotFound, TutumApiError, TutumAuthError } from "./errors.js";
import type { LogMessage } from "./generated/api.js";
import type { ResourceClient } from "./resource.js";

/** Options of reading a container's or service's log lines: follow (poll again) or read once, and a signal. */
export interface LogLinesOptions {
  /** Keep asking for new lines every `interval` ms until `signal` aborts (default false: one read). */
  follow?: boolean;
  /** ms between two reads when following (default 2000). */
  interval?: number;
  /** Only the last `tail` lines of the first read. */
  tail?: number;
  signal?: AbortSignal;
}

function split(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Lines of a log read by `read`, and, when following, the lines added at each later read. */
export async function* followLogText(
  read: (options: { signal?: AbortSignal }) => Promise<string>,
  options: LogLinesOptions = {},
): AsyncGenerator<string> {
  const { follow = false, interval = 2000, tail, signal } = options;
  const text = await read({ signal });
  // When following, a last line without its newline yet waits for the next read.
  let previous = follow ? text.slice(0, text.lastIndexOf("\n") + 1) : text;
  const first = split(previous);
  yield* tail === undefined ? first : first.slice(Math.max(0, first.length - tail));
  while (follow) {
    try {
      await sleep(interval, undefined, { signal });
    } catch {
      throw new AbortError("following the logs was cancelled", { cause: signal?.reason });
    }
    const text = await read({ signal });
    // A log that does not start with what was read before was rotated or restarted: all of it is new.
    // A partial last line is held back until its end arrives.
    const grew = text.startsWith(previous);
    const fresh = grew ? text.slice(previous.length) : text;
    const base = grew ? previous : "";
    const cut = fresh.lastIndexOf("\n");
    if (cut < 0) {
      previous = base;
      continue;
    }
    const complete = fresh.slice(0, cut + 1);
    previous = base + complete;
    yield* split(complete);
  }
}

export interface LogStreamOptions {
  /** Keep the stream open for new lines (default true, as python-tutum's `follow`). */
  follow?: boolean;
  /** Start with the last `tail` lines (the server's default is 300). */
  tail?: number;
  signal?: AbortSignal;
}

/** A stream message that is not a log line. */
interface StreamError {
  type: "error";
  data?: { errorMessage?: string };
}

/**
 * The log lines of `{service|container|action}/{uuid}/logs/` on the stream API (python-tutum 0.14+'s
 * StreamingLog), as they come; ends when the server closes the stream (`follow: false`: after the tail).
 */
export async function* streamLogMessages(
  client: ResourceClient,
  kind: "service" | "container" | "action",
  uuid: string,
  options: LogStreamOptions = {},
): AsyncGenerator<LogMessage> {
  const query = { follow: options.follow ?? true, tail: options.tail };
  const path = `${kind}/${encodeURIComponent(uuid)}/logs/`;
  for await (const message of client.stream<LogMessage | StreamError>({ path, query, signal: options.signal })) {
    if (message.type === "log") {
      yield message;
    } else if (message.type === "error") {
      const reason = message.data?.errorMessage ?? "error";
      if (reason === "UNAUTHORIZED")
        throw new TutumAuthError(`Not authorized: the ${kind} log stream refused the credentials`);
      if (reason === "NOT_FOUND") throw new ObjectNotFound(`no ${kind} '${uuid}' to stream logs of`);
      throw new TutumApiError(`the ${kind} log stream failed: ${reason}`);
    }
  }
}
