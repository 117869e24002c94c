// Running a measured child process and reading its report: each scenario that measures a peak RSS
// or a cold start runs its variant in a fresh process of its own.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

/**
 * Runs a command, feeds it `input`, and resolves with its stdout; rejects with its stderr's tail on
 * a non-zero exit. `timeoutMs` kills it (SIGKILL) if it hangs.
 */
export function runChild(command, args, { input, timeoutMs = 600_000, env, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], env, cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else
        reject(new Error(`${command} ${args.join(" ")} exited with ${code ?? signal}: ${stderr.trim().slice(-2000)}`));
    });
    child.stdin.end(input ?? "");
  });
}

/** The last line of a child's stdout, parsed as JSON (children print their report last). */
export function lastJsonLine(stdout) {
  const line = stdout.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`expected a JSON report from the child, got: ${stdout.trim().slice(-500)}`);
  }
}

/**
 * This process image's peak RSS in KiB (VmHWM). Not getrusage's maxrss: Linux carries that over exec
 * from the forked copy of the parent, so a small child would report the benchmark's own RSS.
 */
export function peakRssKiB() {
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))[1]);
}

/**
 * A long-lived child that answers one JSON line per command line: connected once (vsphere-pyvmomi.py in
 * "collect" mode, nova-list.py), so each operation times the call alone.
 */
export class CoProcess {
  #child;
  #lines;
  #stderr = "";

  constructor(command, args) {
    this.#child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    this.#child.stderr.setEncoding("utf8").on("data", (chunk) => (this.#stderr = (this.#stderr + chunk).slice(-4000)));
    this.#lines = createInterface({ input: this.#child.stdout })[Symbol.asyncIterator]();
  }

  /** The next JSON line the child prints; rejects with its stderr when it exits instead. */
  async next() {
    const { value, done } = await this.#lines.next();
    if (done) throw new Error(`the child exited: ${this.#stderr.trim()}`);
    const answer = JSON.parse(value);
    if (answer.error) throw new Error(answer.error);
    return answer;
  }

  async request(command) {
    this.#child.stdin.write(`${command}\n`);
    return this.next();
  }

  /** Sends "quit", then kills the child if it has not exited within 5 s. */
  async close() {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.#child.once("exit", resolve));
    this.#child.stdin.end("quit\n");
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
}
