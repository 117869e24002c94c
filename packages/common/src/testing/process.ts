import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ConnectionError, TimeoutError } from "../errors/index.js";

/** A child process a test server runs: its name, command, arguments, environment and readiness check. */
export interface ManagedProcessOptions {
  /** Name for messages and the temp directory. */
  name: string;
  command: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const running = new Set<ManagedProcess>();
let exitHookInstalled = false;

/**
 * A server process started for a test or the demo: its own process group (so its children stop with
 * it), output kept in a temp directory for error messages, and killed when this process exits.
 */
export class ManagedProcess {
  readonly name: string;
  /** A private temporary directory, removed by `stop()` (or when this process exits or is interrupted). */
  readonly dir: string;
  readonly #child: ChildProcess;
  readonly #log: string;
  #exited = false;

  constructor(options: ManagedProcessOptions) {
    this.name = options.name;
    this.dir = mkdtempSync(join(tmpdir(), `nimbus-${options.name}-`));
    this.#log = join(this.dir, "output.log");
    const out = openSync(this.#log, "a");
    this.#child = spawn(options.command, options.args ?? [], {
      cwd: options.cwd ?? this.dir,
      env: options.env ?? process.env,
      stdio: ["ignore", out, out],
      detached: true,
    });
    closeSync(out);
    this.#child.once("exit", () => {
      this.#exited = true;
    });
    this.#child.once("error", () => {
      this.#exited = true;
    });
    running.add(this);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      // Kills every server left running and removes its directory, so nothing outlives this process.
      const killAll = () => {
        for (const p of running) {
          p.#kill("SIGKILL");
          rmSync(p.dir, { recursive: true, force: true });
        }
      };
      process.once("exit", killAll);
      // Node does not emit "exit" on a signal, and a detached child does not get the terminal's
      // Ctrl-C: stop the servers, then die of the signal as if nobody had listened.
      for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
        process.once(signal, () => {
          killAll();
          if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
        });
      }
    }
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get exited(): boolean {
    return this.#exited;
  }

  /** The last lines the process printed. */
  output(lines = 30): string {
    try {
      return readFileSync(this.#log, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "";
    }
  }

  /** Resolves once `probe` succeeds; fails early if the process exits, or after `timeout` ms. */
  async waitUntilReady(probe: () => Promise<boolean>, timeout = 30_000): Promise<void> {
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      if (this.#exited) throw new ConnectionError(`${this.name} exited while starting:\n${this.output()}`);
      if (await probe().catch(() => false)) return;
      await sleep(100);
    }
    throw new TimeoutError(`${this.name} did not become ready within ${timeout} ms:\n${this.output()}`);
  }

  /** Stops the process group (TERM, then KILL after `grace` ms) and removes the temp directory. */
  async stop(grace = 5000): Promise<void> {
    if (!this.#exited) {
      const exited = new Promise((resolve) => this.#child.once("exit", resolve));
      this.#kill("SIGTERM");
      const timer = sleep(grace, "timeout", { ref: false });
      if ((await Promise.race([exited, timer])) === "timeout") {
        this.#kill("SIGKILL");
        await exited;
      }
    }
    running.delete(this);
    rmSync(this.dir, { recursive: true, force: true });
  }

  #kill(signal: NodeJS.Signals): void {
    try {
      if (this.#child.pid) process.kill(-this.#child.pid, signal);
    } catch {
      // Already gone.
    }
  }
}
