// Beyond PyONE: wait for a VM to reach a state, as the Ruby OCA's wait_state / wait_lcm_state do, on
// common's waitUntil (interval, timeout, AbortSignal, progress). A VM that ends up where it will not
// move on by itself (DONE, a *_FAILURE state) fails the wait at once, and one resting where only an
// action moves it (POWEROFF, HOLD … while waiting for RUNNING) after a short grace, instead of running
// out the clock.
import { ValidationError, waitUntil, type WaitProgressCallback } from "@nimbus-sdk/common";
import {
  LCM_STATE,
  LCM_STATE_BY_VALUE,
  VM_STATE,
  VM_STATE_BY_VALUE,
  VM_STATE_REMOVED,
  type LcmStateName,
  type VmStateName,
} from "./generated/constants.js";
import type { VM } from "./generated/schema.js";
import { VmStateError } from "./errors.js";
import type { OneMethods } from "./methods.js";

/**
 * What to wait for: a VM_STATE name ("POWEROFF", "DONE"; "ACTIVE" whatever the LCM state), an
 * LCM_STATE name ("RUNNING": ACTIVE and RUNNING), or both, by name or value.
 */
export type VmStateTarget =
  VmStateName | LcmStateName | { state?: VmStateName | number; lcmState?: LcmStateName | number };

/** Options of {@link waitForState}: interval, timeout, signal and a progress callback. */
export interface WaitForStateOptions {
  /** ms between two checks (default 1000). */
  interval?: number;
  /** ms after which to give up with a TimeoutError (default DEFAULT_WAIT_TIMEOUT, 10 minutes). */
  timeout?: number;
  /**
   * ms a VM may stay at rest in a state it leaves only on an action (HOLD, STOPPED, SUSPENDED, POWEROFF,
   * UNDEPLOYED with no LCM transition under way) before the wait fails with VmStateError (default
   * 5000: long enough for a monitoring cycle that finds a POWEROFF VM running again).
   */
  restingGrace?: number;
  signal?: AbortSignal;
  /** Called after each check with the VM, the time waited so far and common's Progress. */
  onProgress?: WaitProgressCallback<VM>;
}

const has = (table: object, key: string | number): boolean => Object.hasOwn(table, key);

function resolveTarget(target: VmStateTarget): { state: number; lcmState?: number } {
  if (typeof target === "string") {
    if (has(VM_STATE, target)) return { state: VM_STATE[target as VmStateName] };
    if (has(LCM_STATE, target)) return { state: VM_STATE.ACTIVE, lcmState: LCM_STATE[target as LcmStateName] };
    throw new ValidationError(`${JSON.stringify(target)} is neither a VM_STATE nor an LCM_STATE name`, {
      field: "target",
    });
  }
  const value = (name: string, given: string | number | undefined, table: Record<string, number>) => {
    if (given === undefined || typeof given === "number") return given;
    if (has(table, given)) return table[given];
    throw new ValidationError(`${JSON.stringify(given)} is not a ${name} name`, { field: name });
  };
  const lcmState = value("lcmState", target.lcmState, LCM_STATE);
  // An LCM state is only meaningful while ACTIVE.
  const state = value("state", target.state, VM_STATE) ?? (lcmState === undefined ? undefined : VM_STATE.ACTIVE);
  if (state === undefined) throw new ValidationError("the target names no state", { field: "target" });
  return lcmState === undefined ? { state } : { state, lcmState };
}

// Retired values (FAILED, 7) still name what an old oned reports.
const RETIRED_STATE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(VM_STATE_REMOVED).map(([name, value]) => [value, name]),
);
const stateName = (state: number): string => VM_STATE_BY_VALUE[state] ?? RETIRED_STATE_NAMES[state] ?? String(state);
const lcmStateName = (lcmState: number): string => LCM_STATE_BY_VALUE[lcmState] ?? String(lcmState);

/** waitForState's default timeout: 10 minutes. */
export const DEFAULT_WAIT_TIMEOUT = 600_000;
const DEFAULT_RESTING_GRACE = 5000;

/** VM states left only on an action (release, resume …), while no LCM transition is under way. */
const RESTING_STATES: ReadonlySet<number> = new Set([
  VM_STATE.HOLD,
  VM_STATE.STOPPED,
  VM_STATE.SUSPENDED,
  VM_STATE.POWEROFF,
  VM_STATE.UNDEPLOYED,
]);
const isResting = (state: number, lcmState: number): boolean =>
  RESTING_STATES.has(state) && lcmState === LCM_STATE.LCM_INIT;

/** A state the VM will not leave by itself: DONE, CLONING_FAILURE, the retired FAILED, an LCM *_FAILURE. */
function isFinal(state: number, lcmState: number): boolean {
  if (state === VM_STATE.DONE || state === VM_STATE.CLONING_FAILURE || state === VM_STATE_REMOVED.FAILED) return true;
  return state === VM_STATE.ACTIVE && lcmStateName(lcmState).endsWith("_FAILURE");
}

/**
 * Polls `one.vm.info(vmId)` until the VM is in `target`, and resolves to that VM:
 * `await waitForState(one, id, "RUNNING", { timeout: 300_000, signal, onProgress })`. Throws
 * VmStateError as soon as the VM is DONE or failed (unless that is the target), or once it has rested
 * `restingGrace` ms in a state only an action leaves (POWEROFF while waiting for RUNNING); TimeoutError
 * after `timeout` (default 10 minutes), AbortError when `signal` fires, and whatever `one.vm.info` throws
 * (OneNoExistsException).
 */
export async function waitForState(
  one: OneMethods,
  vmId: number,
  target: VmStateTarget,
  options: WaitForStateOptions = {},
): Promise<VM> {
  const wanted = resolveTarget(target);
  const describe = (state: number, lcmState?: number) =>
    lcmState === undefined ? stateName(state) : `${stateName(state)}/${lcmStateName(lcmState)}`;
  const description = `VM ${vmId} to be ${describe(wanted.state, wanted.lcmState)}`;
  const { interval = 1000, timeout = DEFAULT_WAIT_TIMEOUT, restingGrace = DEFAULT_RESTING_GRACE } = options;
  // Since when the VM has been at rest in the state it is in (undefined: it is not at rest).
  let restingSince: { state: number; at: number } | undefined;
  const done = (vm: VM): boolean => {
    const state = Number(vm.STATE);
    const lcmState = Number(vm.LCM_STATE);
    if (state === wanted.state && (wanted.lcmState === undefined || lcmState === wanted.lcmState)) return true;
    const final = isFinal(state, lcmState);
    if (!final && isResting(state, lcmState)) {
      if (restingSince?.state !== state) restingSince = { state, at: Date.now() };
    } else restingSince = undefined;
    if (final || (restingSince !== undefined && Date.now() - restingSince.at >= restingGrace)) {
      const why = final ? "which it will not leave by itself" : `where it waits for an action (for ${restingGrace} ms)`;
      throw new VmStateError(
        `VM ${vmId} is ${describe(state, state === VM_STATE.ACTIVE ? lcmState : undefined)}, ` +
          `${why}, while waiting for ${describe(wanted.state, wanted.lcmState)}`,
        {
          method: "one.vm.info",
          vmId,
          state,
          stateName: stateName(state),
          lcmState,
          lcmStateName: lcmStateName(lcmState),
        },
      );
    }
    return false;
  };
  const { signal, onProgress } = options;
  return waitUntil(({ signal: checkSignal }) => one.vm.info(vmId, undefined, { signal: checkSignal }), done, {
    interval,
    timeout,
    signal,
    onProgress,
    description,
  });
}
