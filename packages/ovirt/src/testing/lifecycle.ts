// Asynchronous status changes: a chain of steps per object (a VM's wait_for_launch -> powering_up ->
// up), one step every `stepMs`. A new chain for the same object replaces the pending one, as a stop
// during powering_up does on the engine.

export class Transitions {
  private readonly chains = new Map<string, NodeJS.Timeout>();
  private waiters: Array<() => void> = [];
  private stopped = false;
  private holds = 0;
  private held: Array<() => void> = [];

  constructor(private readonly stepMs: number) {}

  /** Runs `steps` one after the other, `stepMs` apart (the first after one step). */
  run(key: string, steps: ReadonlyArray<() => void>): void {
    this.cancel(key);
    if (this.stopped || steps.length === 0) return;
    const next = (index: number) => {
      const step = (): void => {
        if (this.holds > 0) {
          this.held.push(step);
          return;
        }
        if (this.chains.get(key) !== timer) return; // replaced or cancelled while held
        this.chains.delete(key);
        steps[index]!();
        if (index + 1 < steps.length && !this.stopped) next(index + 1);
        else this.settle();
      };
      const timer = setTimeout(step, this.stepMs);
      timer.unref();
      this.chains.set(key, timer);
    };
    next(0);
  }

  cancel(key: string): void {
    const timer = this.chains.get(key);
    if (!timer) return;
    clearTimeout(timer);
    this.chains.delete(key);
    this.settle();
  }

  /** Whether a chain is pending for `key`. */
  pending(key: string): boolean {
    return this.chains.has(key);
  }

  /**
   * Keeps every chain from taking its next step until the returned function is called, so that a test
   * can look at a transitional status (powering_down ...) however slowly it runs. `idle()` waits for it.
   */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holds > 0) return;
      const steps = this.held;
      this.held = [];
      for (const step of steps) step();
    };
  }

  /** Resolves once no chain is pending. */
  idle(): Promise<void> {
    if (this.chains.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.chains.values()) clearTimeout(timer);
    this.chains.clear();
    this.held = [];
    this.settle();
  }

  private settle(): void {
    if (this.chains.size > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
