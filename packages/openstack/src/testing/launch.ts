// What every server of the launcher shares: one temporary directory, the processes started so far
// (so a failure at any point stops all of them), short-lived setup commands, and readiness probes.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AbortError, NimbusError } from "@nimbus-sdk/common";
import { ManagedProcess } from "@nimbus-sdk/common/testing";

/** Debian's interpreter: the OpenStack modules live in its dist-packages, not in a pyenv or venv. */
export const PYTHON = "/usr/bin/python3";

const SETPRIV = "/usr/bin/setpriv";
/** Marks the temporary directories of a launch with the process that owns them. */
const OWNER_FILE = ".nimbus-openstack-owner";

/** This process's id and PID namespace: an id means nothing to a process in another namespace. */
function owner(): string {
  let namespace = "";
  try {
    namespace = readlinkSync("/proc/self/ns/pid");
  } catch {
    // No procfs: the pid alone.
  }
  return `${process.pid} ${namespace}`;
}

function markOwned(dir: string): void {
  writeFileSync(join(dir, OWNER_FILE), owner());
}

/**
 * Removes the temporary directories of launches whose process died without stopping them (SIGKILL):
 * their servers died with it (see `spawn`), but the stored objects and databases stayed.
 */
export function removeStaleLaunches(): void {
  const root = tmpdir();
  const namespace = owner().split(" ")[1];
  for (const name of readdirSync(root)) {
    if (!name.startsWith("nimbus-")) continue;
    try {
      const [pid, ns] = readFileSync(join(root, name, OWNER_FILE), "utf8").split(" ");
      if (ns === namespace && Number(pid) > 0 && !alive(Number(pid))) {
        rmSync(join(root, name), { recursive: true, force: true });
      }
    } catch {
      // Not a launch's, not readable, or being removed.
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
}

export class Launch {
  /** The launch's scratch directory: configurations, databases, keys, stored objects and images. */
  readonly dir: string;
  readonly signal?: AbortSignal;
  readonly #processes: ManagedProcess[] = [];
  /** Setup commands still running, killed by `stop()` so they write nothing after it. */
  readonly #setups = new Set<ChildProcess>();
  #stopped?: Promise<void>;

  readonly #started = performance.now();
  readonly #onProgress?: (step: string, elapsedMs: number) => void;

  constructor(signal?: AbortSignal, onProgress?: (step: string, elapsedMs: number) => void) {
    this.signal = signal;
    this.#onProgress = onProgress;
    this.dir = mkdtempSync(join(tmpdir(), "nimbus-openstack-"));
    markOwned(this.dir);
  }

  get processes(): readonly ManagedProcess[] {
    return this.#processes;
  }

  /**
   * Environment for the Python servers: no OS_* variable, proxy or Python path of the caller's may
   * change what they read or where they connect.
   */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (/^(OS_|UWSGI_|PYTHON(PATH|HOME|STARTUP)$)|proxy$/i.test(name)) continue;
      env[name] = value;
    }
    env.PATH = `/usr/sbin:/usr/bin:/sbin:/bin${process.env.PATH ? `:${process.env.PATH}` : ""}`;
    return { ...env, ...extra };
  }

  /**
   * Starts a long-running server in its own process group. Through setpriv (PR_SET_PDEATHSIG) it
   * also gets SIGKILL when this process dies without running its exit hooks (SIGKILL, a crash).
   * Most servers here are a single process; the oslo services that fork workers (nova-api,
   * neutron-server, cinder-api, cinder-volume) have them exit when their parent's pipe closes. (SIGTERM
   * would not do: uwsgi ignores it while loading Keystone, and the signal comes only once.)
   */
  spawn(name: string, command: string, args: string[], options: SpawnOptions = {}): ManagedProcess {
    this.throwIfAborted();
    const wrapped = existsSync(SETPRIV)
      ? { command: SETPRIV, args: ["--pdeathsig", "KILL", "--", command, ...args] }
      : { command, args };
    const proc = new ManagedProcess({ name, ...wrapped, env: options.env ?? this.env(), cwd: this.dir });
    this.#processes.push(proc);
    markOwned(proc.dir);
    return proc;
  }

  /** Runs a setup command to its end; rejects with its last output lines when it fails. */
  async run(name: string, command: string, args: string[], options: SpawnOptions = {}): Promise<string> {
    this.throwIfAborted();
    // Its own session, as the servers have. Start-up is CPU-bound (seconds of Python imports per
    // server), and with autogroup scheduling (most Linux kernels) children left in this process's
    // session would share one CPU share among them while every server has its own: Keystone's
    // setup, on the critical path, took 3 s longer that way.
    const child = spawn(command, args, {
      cwd: this.dir,
      env: options.env ?? this.env(),
      stdio: ["ignore", "pipe", "pipe"],
      signal: this.signal,
      detached: true,
    });
    this.#setups.add(child);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", resolve);
    })
      .catch((cause: unknown) => {
        this.throwIfAborted();
        throw new NimbusError(`${name} could not be run: ${(cause as Error).message}`, { cause });
      })
      .finally(() => this.#setups.delete(child));
    this.throwIfAborted();
    if (code !== 0) {
      throw new NimbusError(`${name} failed (exit code ${code}):\n${lastLines(output)}`);
    }
    return output;
  }

  /** Waits until `probe` succeeds; fails early with the server's last log lines if it exits. */
  async waitReady(proc: ManagedProcess, probe: () => Promise<boolean>, timeout = 60_000): Promise<void> {
    const ready = proc.waitUntilReady(probe, timeout).catch((cause: unknown) => {
      if (cause instanceof NimbusError) throw cause;
      throw new NimbusError((cause as Error).message, { cause });
    });
    if (!this.signal) return ready;
    ready.catch(() => undefined);
    const signal = this.signal;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(abortError(signal));
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([ready, aborted]);
    } finally {
      signal.removeEventListener("abort", onAbort!);
    }
  }

  /** Reports a step done, with the time since the launch began. */
  progress(step: string): void {
    this.#onProgress?.(step, Math.round(performance.now() - this.#started));
  }

  /** Throws when the caller cancelled, or when the launch was stopped (another server failed). */
  throwIfAborted(): void {
    if (this.signal?.aborted) throw abortError(this.signal);
    if (this.#stopped) throw new NimbusError("the OpenStack test servers were stopped while starting");
  }

  /** Stops every process (each whole process group) and removes every temporary directory. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      for (const child of this.#setups) {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
      // A second of grace: every server here is a single process that stops at once on SIGTERM once
      // started, but uwsgi ignores SIGTERM while it is still loading Keystone.
      await Promise.allSettled(this.#processes.map((p) => p.stop(1000)));
      rmSync(this.dir, { recursive: true, force: true });
    })();
    return this.#stopped;
  }
}

function abortError(signal: AbortSignal): AbortError {
  return new AbortError("starting the OpenStack test servers was cancelled", { cause: signal.reason });
}

export function lastLines(text: string, lines = 30): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** True when an HTTP GET gets a status from `accept` (any status when none is given). */
export async function httpAnswers(url: string, accept?: (status: number) => boolean): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  await response.body?.cancel();
  return accept ? accept(response.status) : true;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.setTimeout(1000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** INI text from sections of key/value pairs. */
export function ini(sections: Record<string, Record<string, string | number | boolean>>): string {
  const lines: string[] = [];
  for (const [name, values] of Object.entries(sections)) {
    lines.push(`[${name}]`);
    for (const [key, value] of Object.entries(values)) lines.push(`${key} = ${value}`);
    lines.push("");
  }
  return lines.join("\n");
}
