// Waiting for the engine's asynchronous work, on common's waitUntil: an entity reaching a status (a VM
// `up`, a disk `ok` after `image_locked`), a job completing. The oVirt SDKs leave this polling to every
// user; here it takes a signal, a timeout and a progress callback.
import { ValidationError, waitUntil, type WaitProgressCallback } from "@nimbus-sdk/common";
import { WaitFailed } from "./errors.js";
import type { API } from "./api.js";
import type { Resource } from "./resource.js";
import type { Status } from "./status.js";
import { STRUCT_TYPE } from "./wire/marks.js";
import type { JobResource } from "./generated/resources.js";
import type { Job } from "./generated/types.js";

/** Options of {@link waitFor}: interval, timeout, signal and a progress callback. */
export interface WaitOptions<R> {
  signal?: AbortSignal;
  /** Give up with a TimeoutError after this many ms (default 600 000: ten minutes; `Infinity` waits for ever). */
  timeoutMs?: number;
  /** ms between two reads (default 2000). */
  intervalMs?: number;
  /** Called after every read, with the entity as read, the time waited so far and common's Progress. */
  onProgress?: WaitProgressCallback<R>;
  /**
   * Statuses that end the wait with WaitFailed (default: the type's failed states, e.g. a disk's `illegal`,
   * and for a VM awaited `up`, `down` once it was on its way up: a start that failed).
   */
  failOn?: readonly string[];
}

/** The default of `timeoutMs`: ten minutes. */
export const DEFAULT_WAIT_TIMEOUT_MS = 600_000;

/** Statuses an entity does not leave by itself: waiting for anything else past them is pointless. */
const FAILED_STATUSES: Readonly<Record<string, readonly string[]>> = {
  Disk: ["illegal"],
  Host: ["install_failed"],
  Job: ["failed", "aborted"],
  ImageTransfer: ["finished_failure", "cancelled_system", "cancelled_user"],
};

/**
 * Statuses that end a wait for `target` once the entity has been in one of the `after` statuses: a VM
 * whose start failed goes from wait_for_launch or powering_up (or not_responding, unknown) back to down,
 * where it then stays.
 */
const FALLBACKS: Readonly<
  Record<string, Readonly<Record<string, { after: readonly string[]; fails: readonly string[] }>>>
> = {
  Vm: {
    up: {
      after: ["wait_for_launch", "powering_up", "reboot_in_progress", "not_responding", "unknown"],
      fails: ["down"],
    },
  },
};

const JOB_DONE = ["finished", "failed", "aborted"];

type WithStatus = Resource<object> & { readonly status?: Status };

/** The values of a resource's status (`"up" | "down" | ...` for a VM). */
type StateOf<R extends WithStatus> = NonNullable<R["status"]> extends Status<infer S> ? S : never;

/**
 * Reads `resource` again every `intervalMs` until its `status` is `status` (or one of them); resolves to
 * the entity as last read. A status in `failOn` ends the wait with WaitFailed; a removed entity with NotFound.
 */
export async function waitFor<R extends WithStatus>(
  resource: R,
  status: StateOf<R> | readonly StateOf<R>[],
  options: WaitOptions<R> = {},
): Promise<R> {
  const targets: readonly string[] = Array.isArray(status) ? status : [status as string];
  const type = resource[STRUCT_TYPE];
  const failOn = options.failOn ?? FAILED_STATUSES[type] ?? [];
  const fallbacks = options.failOn ? [] : targets.flatMap((target) => FALLBACKS[type]?.[target] ?? []);
  const name = (resource as { name?: string }).name ?? (resource as { id?: string }).id ?? "";
  const description = `${type} ${name} to be ${targets.join(" or ")}`;
  const seen = new Set<string>();
  const timeout = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  return waitUntil(
    ({ signal }) => resource.reload({ signal }),
    (current) => {
      const now = current.status?.state;
      if (now === undefined) return false;
      if (targets.includes(now)) return true;
      const fellBack = fallbacks.find((f) => f.fails.includes(now) && f.after.some((s) => seen.has(s)));
      if (failOn.includes(now) || fellBack) {
        const after = fellBack ? ` again after ${[...seen].join(", ")}` : "";
        throw new WaitFailed(`gave up waiting for ${description}: it is ${now}${after}`, { reached: now });
      }
      seen.add(now);
      return false;
    },
    {
      interval: options.intervalMs ?? 2000,
      timeout: Number.isFinite(timeout) ? timeout : undefined,
      signal: options.signal,
      onProgress: options.onProgress,
      description,
    },
  );
}

/** The statuses of an entity the engine is still making (a VM's disks being copied, a disk's image). */
const LOCKED = ["image_locked", "locked"];

function isLocked(resource: object): boolean {
  const { status, snapshot_status } = resource as { status?: Status; snapshot_status?: unknown };
  return LOCKED.includes(status?.state ?? "") || snapshot_status === "locked";
}

/**
 * Reads `resource` again until it is no longer locked (at once when it is not); resolves to it as last
 * read. What `add(..., { expect: "201-created" })` waits with.
 */
export async function waitUntilUnlocked<R extends Resource<object>>(
  resource: R,
  options: Pick<WaitOptions<R>, "signal" | "timeoutMs" | "intervalMs"> = {},
): Promise<R> {
  if (!isLocked(resource)) return resource;
  const name = (resource as { name?: string }).name ?? (resource as { id?: string }).id ?? "";
  const timeout = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  return waitUntil(
    ({ signal }) => resource.reload({ signal }),
    (current) => !isLocked(current),
    {
      // Shorter than waitFor's default: the engine's own blocking add answers as soon as the work ends.
      interval: options.intervalMs ?? 500,
      timeout: Number.isFinite(timeout) ? timeout : undefined,
      signal: options.signal,
      description: `${resource[STRUCT_TYPE]} ${name} to be created (no longer locked)`,
    },
  );
}

/**
 * Waits for a job to end: `job` is a job resource, the result of an action (whose `job` the engine filled
 * in), or `{ id }`. Resolves to the finished job; a `failed` or `aborted` job ends in WaitFailed.
 */
export async function waitForJob(
  api: API,
  job: JobResource | { id?: string; job?: { id?: string } },
  options: Omit<WaitOptions<JobResource>, "failOn"> = {},
): Promise<JobResource> {
  const id = (job as { job?: Job }).job?.id ?? (job as { id?: string }).id;
  if (typeof id !== "string") {
    throw new ValidationError("waitForJob needs a job, an action result that names its job, or { id }", {
      field: "job",
    });
  }
  const found = await api.jobs.getOrThrow({ id }, { signal: options.signal });
  const done = await waitFor(found, JOB_DONE as StateOf<JobResource>[], { ...options, failOn: [] });
  const state = done.status?.state;
  if (state !== "finished") {
    throw new WaitFailed(`job ${id} (${done.description ?? "no description"}) ended ${state}`, {
      reached: state,
    });
  }
  return done;
}
