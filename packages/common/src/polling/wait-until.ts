import { setTimeout as sleep } from "node:timers/promises";
import { AbortError, TimeoutError } from "../errors/index.js";
import { ProgressTracker, type WaitProgress, type WaitProgressCallback } from "../progress/progress.js";

/** Options of {@link waitUntil}: how often to check, when to give up, a signal and a progress callback. */
export interface WaitOptions<T> {
  /** ms between two checks (default 1 s). */
  interval?: number;
  /** ms after which to give up with a TimeoutError (default: wait for ever). */
  timeout?: number;
  signal?: AbortSignal;
  /** Called after every check with its value, the time waited so far and the common Progress. */
  onProgress?: WaitProgressCallback<T>;
  /**
   * How far the awaited work is, 0 to 100, from a checked value (a server's build progress, a task's
   * percentage): Progress then counts in percent and has a fraction. Without it, Progress counts checks.
   */
  percent?: (value: T) => number | undefined;
  /** What is being waited for, for the timeout message ("vm 42 to be RUNNING"). */
  description?: string;
}

/**
 * Calls `check` until `done(value)` is true, and resolves to that value. Errors from `check` or
 * `done` are thrown as they are: a failed state is for `done` to throw, not to wait past.
 */
export async function waitUntil<T>(
  check: (options: { signal?: AbortSignal }) => Promise<T>,
  done: (value: T) => boolean,
  options: WaitOptions<T> = {},
): Promise<T> {
  const { interval = 1000, timeout, signal, onProgress, percent, description = "the condition" } = options;
  const started = Date.now();
  const tracker = onProgress && new ProgressTracker("wait", percent ? "percent" : "checks", percent ? 100 : undefined);
  let checks = 0;
  // The deadline also bounds a check that hangs: the check gets a signal that fires at the timeout.
  const deadline = timeout === undefined ? undefined : AbortSignal.timeout(timeout);
  const checkSignal = deadline && signal ? AbortSignal.any([signal, deadline]) : (deadline ?? signal);
  const aborted = () => new AbortError(`waiting for ${description} was cancelled`, { cause: signal?.reason });
  const timedOut = (elapsed: number) =>
    new TimeoutError(`gave up waiting for ${description} after ${elapsed} ms (timeout ${timeout} ms)`);
  for (;;) {
    if (signal?.aborted) throw aborted();
    let value: T;
    try {
      value = await check({ signal: checkSignal });
    } catch (error) {
      if (signal?.aborted) throw aborted();
      if (deadline?.aborted) throw timedOut(Date.now() - started);
      throw error;
    }
    const elapsed = Date.now() - started;
    checks++;
    // Every checked value is reported, the one `done` throws on included.
    const report = (finished: boolean) => {
      if (!tracker) return;
      const amount = percent ? (percent(value) ?? 0) : checks;
      const progress = finished ? tracker.finish(percent ? 100 : checks) : tracker.report(amount);
      const reported: WaitProgress<T> = { ...progress, elapsedMs: elapsed, phase: "wait", value };
      onProgress!(value, elapsed, reported);
    };
    let finished: boolean;
    try {
      finished = done(value);
    } catch (error) {
      report(false);
      throw error;
    }
    report(finished);
    if (finished) return value;
    if (timeout !== undefined && elapsed + interval > timeout) throw timedOut(elapsed);
    try {
      await sleep(interval, undefined, { signal });
    } catch {
      throw aborted();
    }
  }
}
