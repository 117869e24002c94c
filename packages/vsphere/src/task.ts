// WaitForTask / WaitForTasks, pyVim.task's helpers: they follow the tasks' info through a property
// collector of their own (WaitForUpdatesEx, no polling), report progress, and resolve to the tasks'
// results; a task that fails throws its fault (an instance of its fault class).
import { AbortError, ProgressTracker, TimeoutError, ValidationError, type Progress } from "@nimbus-sdk/common/client";
import { watch } from "./collector.js";
import type { vim } from "./generated/vim.js";
import { setFaultContext } from "./model/data.js";

/** Options of {@link WaitForTask} and {@link WaitForTasks}: progress callback, timeout, polling interval and signal. */
export interface WaitForTaskOptions {
  /**
   * Called when a task reports progress: its percentage (undefined when it reports none), its info, the
   * task, and common's Progress for that task (in percent; its fraction never goes back).
   */
  onProgress?: (progress: number | undefined, info: vim.TaskInfo, task: vim.Task, state: Progress) => void;
  /** ms to wait before a TimeoutError (default: for ever); the tasks go on on the server. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** What a task resolves to (its info.result): `vim.Task<vim.VirtualMachine>` resolves to the VM. */
export type TaskResult<T> = T extends vim.Task<infer R> ? R : unknown;

/** Waits for the task to end; resolves to its result (CloneVM_Task: the new VM), throws its fault. */
export async function WaitForTask<R>(task: vim.Task<R>, options: WaitForTaskOptions = {}): Promise<R> {
  const [result] = await WaitForTasks([task], options);
  return result as R;
}

/** Waits for every task to end; resolves to their results in order, throws the first fault. */
export async function WaitForTasks<const T extends readonly vim.Task<unknown>[]>(
  tasks: T,
  options: WaitForTaskOptions = {},
): Promise<{ -readonly [K in keyof T]: TaskResult<T[K]> }> {
  if (!Array.isArray(tasks) || tasks.some((t) => t?._wsdlName !== "Task")) {
    throw new ValidationError("WaitForTask takes tasks (what a *_Task method resolves to)", { field: "tasks" });
  }
  if (options.signal?.aborted) {
    throw new AbortError("WaitForTask was cancelled before it started", { cause: options.signal.reason });
  }
  const results = new Array<unknown>(tasks.length);
  if (tasks.length === 0) return results as { -readonly [K in keyof T]: TaskResult<T[K]> };
  const index = new Map(tasks.map((t, i) => [t._moId, i]));
  const pending = new Set(tasks.map((t) => t._moId));
  const latest = new Map<string, vim.TaskInfo>();
  const trackers = new Map<string, ProgressTracker>();
  const deadline = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
  const signals = [options.signal, deadline].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  try {
    for await (const update of watch(tasks, "Task", ["info"], { signal })) {
      const info = update.changes.find((c) => c.name === "info")?.val as vim.TaskInfo | undefined;
      const task = update.obj as vim.Task;
      if (!info || !pending.has(task._moId)) continue;
      latest.set(task._moId, info);
      if (info.state === "success") {
        results[index.get(task._moId)!] = info.result;
        pending.delete(task._moId);
        if (pending.size === 0) break;
      } else if (info.state === "error") {
        throw taskFault(info);
      } else if (options.onProgress) {
        let tracker = trackers.get(task._moId);
        if (!tracker) trackers.set(task._moId, (tracker = new ProgressTracker("wait", "percent", 100)));
        options.onProgress(info.progress, info, task, tracker.report(info.progress ?? 0));
      }
    }
  } catch (error) {
    if (deadline?.aborted && !options.signal?.aborted) {
      const waiting = [...pending].map((id) => describeTask(id, latest.get(id))).join(", ");
      throw new TimeoutError(`WaitForTask: ${waiting} still running after ${options.timeoutMs} ms`, { cause: error });
    }
    if (options.signal?.aborted) throw new AbortError("WaitForTask was cancelled", { cause: error });
    throw error;
  }
  return results as { -readonly [K in keyof T]: TaskResult<T[K]> };
}

function describeTask(id: string, info: vim.TaskInfo | undefined): string {
  const what = info?.descriptionId
    ? ` (${info.descriptionId}${info.progress !== undefined ? `, ${info.progress}%` : ""})`
    : "";
  return `${id}${what}`;
}

// The fault of a failed task, with a message naming the task and what the server said.
function taskFault(info: vim.TaskInfo): Error {
  const what = `task ${info.key}${info.descriptionId ? ` (${info.descriptionId})` : ""} failed`;
  return setFaultContext(info.error!.fault as Error, what, info.error!.localizedMessage, {
    method: info.descriptionId,
  });
}
