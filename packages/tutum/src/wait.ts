// Beyond python-tutum: wait for an object to reach a state. Writes answer 202 in a transitional state
// ("Starting", "Scaling", "Terminating" ...); this refreshes the object until it settles. Built on
// common's waitUntil (interval, timeout, AbortSignal, progress).
import { waitUntil, type WaitProgressCallback } from "@nimbus-sdk/common";
import { UnexpectedState, UnsavedChanges } from "./errors.js";
import { detailUriOf, metaOf, type Resource } from "./resource.js";

/** The states an object can be in (`ApplicationState` …), or string when its class has no state machine. */
export type StateOf<T> = T extends { readonly state?: infer S } ? Exclude<S, null | undefined> : string;

/** Options of `waitFor`: interval, timeout, signal and a progress callback. */
export interface WaitForOptions<T> {
  /** ms between two refreshes (default 1000). */
  interval?: number;
  /** ms after which to give up with a TimeoutError (default: no limit; use `signal` or this). */
  timeout?: number;
  signal?: AbortSignal;
  /** Called after each refresh with the object, the time waited so far and common's Progress. */
  onProgress?: WaitProgressCallback<T>;
  /**
   * Throw UnexpectedState when the object settles (reaches a state that is not transitional) in a
   * state other than the one waited for, since it will not move on by itself (default true; only for
   * classes whose metadata lists their states).
   */
  failOnSettled?: boolean;
}

/**
 * Refreshes `resource` until its `state` is `target` (or one of several, or a predicate holds), and
 * resolves to the object. `waitFor(app, "Running")`, `waitFor(app, ["Stopped", "Terminated"])`,
 * `waitFor(service, (s) => s.running_num_containers === 3)`.
 */
export async function waitFor<T extends Resource>(
  resource: T,
  target: StateOf<T> | readonly StateOf<T>[] | ((resource: T) => boolean),
  options: WaitForOptions<T> = {},
): Promise<T> {
  const { interval = 1000, timeout, signal, onProgress, failOnSettled = true } = options;
  const meta = metaOf(resource);
  const name = resource.constructor.name;
  const stateOf = () => (resource as unknown as { state?: string }).state;
  const wanted: ((r: T) => boolean) | readonly string[] =
    typeof target === "function" ? target : typeof target === "string" ? [target] : (target as readonly string[]);
  const matches = (r: T) => (typeof wanted === "function" ? wanted(r) : wanted.includes(stateOf() ?? ""));
  const description =
    typeof wanted === "function"
      ? `${name} ${resource.pk ?? ""} to meet the condition`
      : `${name} ${resource.pk ?? ""} to be ${wanted.map((s) => JSON.stringify(s)).join(" or ")}`;
  const settled = new Set(meta.states.filter((s) => !s.transitional).map((s) => s.name));

  const done = (r: T): boolean => {
    if (matches(r)) return true;
    const state = stateOf();
    if (failOnSettled && typeof wanted !== "function" && state !== undefined && settled.has(state)) {
      throw new UnexpectedState(
        `${name} ${r.pk ?? ""} settled in state ${JSON.stringify(state)} while waiting for ` +
          `${wanted.map((s) => JSON.stringify(s)).join(" or ")}`,
        { resourceState: state, resourceUri: detailUriOf(r) },
      );
    }
    return false;
  };
  // Always refreshed first: the local copy may be stale (another object or client acted on it).
  return waitUntil(
    async ({ signal: checkSignal }) => {
      if (!(await resource.refresh({ signal: checkSignal }))) {
        throw new UnsavedChanges(
          `cannot wait for ${name} ${resource.pk ?? ""}: it has unsaved changes (${resource.changedFields().join(", ")}); save() them first`,
        );
      }
      return resource;
    },
    done,
    { interval, timeout, signal, onProgress, description },
  );
}
