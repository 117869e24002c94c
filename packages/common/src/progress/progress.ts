// The one shape every long call of every Nimbus package reports its progress in (uploads, downloads,
// syncs, waits). A call's own details (the polled object, the file name, the parts) ride beside it.

/** What kind of work is reported. */
export type ProgressPhase = "upload" | "download" | "sync" | "wait";

/** What `done` and `total` count. */
export type ProgressUnit = "bytes" | "files" | "percent" | "checks";

/** How far a long call has come. */
export interface Progress {
  phase: ProgressPhase;
  unit: ProgressUnit;
  /** Work done so far, in `unit`. It can go back when a failed part is sent again; `fraction` never does. */
  done: number;
  /** All the work, in `unit`, when it is known. */
  total?: number;
  /**
   * Between 0 and 1, never smaller than the one reported before in the same call; 1 when the call
   * has finished its work. Undefined while nothing tells how much is left (a wait without a percentage).
   */
  fraction?: number;
  /** ms since the call started. */
  elapsedMs: number;
}

/** A wait's progress: the shape above and the value the last check returned. */
export interface WaitProgress<T> extends Progress {
  phase: "wait";
  value: T;
}

/**
 * What every wait's `onProgress` is called with: the value checked and the ms waited (kept first for
 * scripts written before `progress` existed), then the common Progress.
 */
export type WaitProgressCallback<T> = (value: T, elapsedMs: number, progress: WaitProgress<T>) => void;

/**
 * Makes the Progress of one call: the time since it was made and a fraction that never goes back.
 * `report(done)` with `total` known gives `done / total`; `finish()` reports the work whole.
 */
export class ProgressTracker {
  readonly #started = Date.now();
  readonly #phase: ProgressPhase;
  readonly #unit: ProgressUnit;
  #total?: number;
  #fraction?: number;

  constructor(phase: ProgressPhase, unit: ProgressUnit, total?: number) {
    this.#phase = phase;
    this.#unit = unit;
    this.#total = total;
  }

  /** The Progress after `done` units; `total` updates the total when it became known. */
  report(done: number, total: number | undefined = this.#total): Progress {
    this.#total = total;
    if (total !== undefined && total > 0) {
      this.#fraction = Math.max(this.#fraction ?? 0, Math.min(1, done / total));
    } else if (total === 0) {
      this.#fraction = 1;
    }
    return this.#progress(done);
  }

  /** The Progress of the finished work: `fraction` 1, `done` the total when one is known. */
  finish(done: number = this.#total ?? 0): Progress {
    this.#fraction = 1;
    return this.#progress(done);
  }

  #progress(done: number): Progress {
    return {
      phase: this.#phase,
      unit: this.#unit,
      done,
      total: this.#total,
      fraction: this.#fraction,
      elapsedMs: Date.now() - this.#started,
    };
  }
}
