// Starts the package's vcsim on 127.0.0.1 as a ManagedProcess (its own process group, killed when
// this process exits or is interrupted) and waits until its SOAP endpoint answers.
import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AbortError, ValidationError } from "@nimbus-sdk/common/client";
import {
  ManagedProcess,
  writeSelfSignedCertificate,
  type StartServerOptions,
  type TestServer,
} from "@nimbus-sdk/common/testing";
import { ensureVcsim, isRunning } from "./build.js";

/** Options of {@link startVcsim}: the port and the inventory vcsim simulates (hosts, clusters, VMs per pool). */
export interface VcsimOptions extends StartServerOptions {
  /** Port on 127.0.0.1; default: one the OS picks, read back from vcsim's output (no race). */
  port?: number;
  /** Virtual machines per resource pool, `-vm` (default 2). There is one pool per cluster and one per standalone host. */
  vm?: number;
  /** Hosts per cluster, `-host` (default 3). */
  host?: number;
  /** Clusters per datacenter, `-cluster` (default 1). */
  cluster?: number;
  /** Standalone hosts per datacenter, `-standalone-host` (default 1). */
  standaloneHost?: number;
  /** Datastores, `-ds` (default 1). */
  datastore?: number;
  /** Datacenters, `-dc` (default 1). */
  datacenter?: number;
  /** Child resource pools per cluster, `-pool` (default 0). */
  pool?: number;
  /** Datacenters placed in folders of their own, `-folder` (default 0). */
  folder?: number;
  /** Simulate a standalone ESX host rather than a vCenter, `-esx`. */
  esx?: boolean;
  /** Serve HTTPS with a self-signed certificate made for this run (default true); false serves plain HTTP. */
  tls?: boolean;
  /** Write every SOAP request and response to the process's log, `-trace`. */
  trace?: boolean;
  /**
   * The API version vcsim reports (`about.apiVersion`, `/sdk/vimServiceVersions.xml`), `-api-version`; default
   * its own 6.5. "8.0.2.0" makes SmartConnect negotiate 8.0; the simulator's behaviour stays govmomi 0.24's.
   */
  apiVersion?: string;
  /** The only user name vcsim accepts (default `user`). */
  username?: string;
  /** The only password vcsim accepts (default: random). */
  password?: string;
  /** Longest wait for the inventory to be built and the endpoint to answer (default 120 s; 5000 VMs take about 11 s). */
  readyTimeout?: number;
  /** Where the binary is cached, as for {@link ensureVcsim}. */
  cacheDir?: string;
  /** Called with each step of the start (building, starting, answering). */
  onProgress?: (step: string) => void;
}

/** A running vcsim (govmomi's vCenter simulator) on 127.0.0.1: its URL, credentials and GOVC_* environment; stop() ends it. */
export interface VcsimServer extends TestServer, AsyncDisposable {
  /** The SOAP endpoint, `https://127.0.0.1:<port>/sdk` (`http://` with `tls: false`). */
  url: string;
  host: string;
  port: number;
  username: string;
  password: string;
  credentials: { username: string; password: string };
  /** True when the endpoint is HTTPS with the simulator's self-signed certificate: verification must be off, or `certificate` be the CA. */
  insecure: boolean;
  /** The server's certificate (PEM, an EC P-256 key, made for this run) when serving HTTPS: pass it as the `ca` to verify the connection. */
  certificate: string | undefined;
  /** govc's variables for this server (`GOVC_URL` without credentials, `GOVC_USERNAME` ...). */
  env: { GOVC_URL: string; GOVC_USERNAME: string; GOVC_PASSWORD: string; GOVC_INSECURE: string };
  /** vcsim's process id (it leads its own process group). */
  pid: number;
  /** The last lines vcsim printed (its SOAP trace with `trace: true`). */
  output(lines?: number): string;
  /** Stops vcsim (SIGTERM, then SIGKILL after a grace period) and removes its files; calling it again does nothing more. */
  close(): Promise<void>;
  stop(): Promise<void>;
}

const COUNTS = {
  vm: "-vm",
  host: "-host",
  cluster: "-cluster",
  standaloneHost: "-standalone-host",
  datastore: "-ds",
  datacenter: "-dc",
  pool: "-pool",
  folder: "-folder",
} as const;

/** Model.Remove() with thousands of VMs takes a few seconds: it is given that long before SIGKILL. */
const STOP_GRACE_MS = 20_000;
const LISTENING = /^GOVC_URL=(\S+)$/m;

/** The working folders of running simulators (their datastores), removed if this process exits first. */
const workDirs = new Set<string>();
let exitHookInstalled = false;
const WORK_DIR_PREFIX = "nimbus-vcsim-data-";
/** Holds the pid of the process that started the simulator, in its working folder. */
const OWNER_FILE = "launcher.pid";

/**
 * A process killed by a signal leaves its simulators' folders behind (node runs no exit hook then):
 * they go at the next start, once their launcher is gone.
 */
function removeStaleWorkDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(WORK_DIR_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number.parseInt(readFileSync(join(dir, OWNER_FILE), "utf8"), 10);
    } catch {
      continue; // being created, or not ours
    }
    if (Number.isInteger(owner) && !isRunning(owner)) rmSync(dir, { recursive: true, force: true });
  }
}

/** A private TMPDIR for one simulator (its datastores are folders there), removed with it or after it. */
function createWorkDir(): string {
  removeStaleWorkDirs();
  const dir = mkdtempSync(join(tmpdir(), WORK_DIR_PREFIX));
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  workDirs.add(dir);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const workDir of workDirs) rmSync(workDir, { recursive: true, force: true });
    });
  }
  return dir;
}

function removeWorkDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  workDirs.delete(dir);
}

function flags(options: VcsimOptions, listen: string): string[] {
  const args = ["-l", listen];
  for (const [option, flag] of Object.entries(COUNTS) as [keyof typeof COUNTS, string][]) {
    const value = options[option];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0) {
      throw new ValidationError(`${option} must be a whole number, at least 0: ${value}`, { field: option });
    }
    args.push(`${flag}=${value}`);
  }
  args.push(`-tls=${options.tls ?? true}`);
  if (options.esx) args.push("-esx");
  if (options.trace) args.push("-trace");
  if (options.apiVersion !== undefined) {
    if (!/^\d+(\.\d+)*$/.test(options.apiVersion)) {
      throw new ValidationError(`apiVersion must be dotted numbers ("8.0.2.0"): ${options.apiVersion}`, {
        field: "apiVersion",
      });
    }
    args.push(`-api-version=${options.apiVersion}`);
  }
  return args;
}

/** GET `url` (any certificate accepted); resolves to the status code. */
function probe(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = url.startsWith("https:") ? httpsRequest : httpRequest;
    const req = request(url, { rejectUnauthorized: false, timeout: 2000, agent: false }, (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode ?? 0));
    });
    req.once("timeout", () => req.destroy(new Error("timed out")));
    req.once("error", reject);
    req.end();
  });
}

function untilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return;
    const fail = () => reject(new AbortError("starting vcsim was cancelled", { cause: signal.reason }));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
}

/**
 * Builds vcsim when needed ({@link ensureVcsim}), starts it on 127.0.0.1 with the inventory asked
 * for, and resolves once `/sdk/vimServiceVersions.xml` answers. vcsim accepts only `username` and
 * `password`. Aborting `signal` during the start stops it and rejects with an AbortError; aborting
 * it later stops the server.
 */
export async function startVcsim(options: VcsimOptions = {}): Promise<VcsimServer> {
  const { signal } = options;
  const aborted = untilAborted(signal);
  aborted.catch(() => undefined);
  const username = options.username ?? "user";
  const password = options.password ?? randomBytes(12).toString("base64url");
  if (/[:@/]/.test(username) || username === "" || password === "") {
    throw new ValidationError("username and password must be non-empty, and the username without ':', '@' or '/'", {
      field: "username",
    });
  }
  const host = "127.0.0.1";
  const listen = `${encodeURIComponent(username)}:${encodeURIComponent(password)}@${host}:${options.port ?? 0}`;
  const args = flags(options, listen);
  const binary = await ensureVcsim({
    allowInstall: options.allowInstall,
    cacheDir: options.cacheDir,
    onProgress: options.onProgress,
    signal,
  });

  const workDir = createWorkDir();
  let certificate: string | undefined;
  if (options.tls ?? true) {
    // govmomi's built-in certificate has a 1024-bit RSA key, which OpenSSL 3.5 (Node 24) refuses at its
    // default security level; a key made for this run also keeps one run's trust from covering another's.
    try {
      const made = await writeSelfSignedCertificate({ dir: workDir, server: "vcsim", signal });
      certificate = made.cert;
      args.push(`-tlscert=${made.certFile}`, `-tlskey=${made.keyFile}`);
    } catch (error) {
      removeWorkDir(workDir);
      throw error;
    }
  }
  options.onProgress?.("starting vcsim");
  const child = new ManagedProcess({
    name: "vcsim",
    command: binary,
    args,
    cwd: workDir,
    env: { ...process.env, TMPDIR: workDir },
  });
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= child.stop(STOP_GRACE_MS).finally(() => removeWorkDir(workDir)));

  try {
    let url = "";
    await Promise.race([
      aborted,
      child.waitUntilReady(async () => {
        url ||= LISTENING.exec(child.output(200))?.[1] ?? "";
        return url !== "" && (await probe(`${url}/vimServiceVersions.xml`)) === 200;
      }, options.readyTimeout ?? 120_000),
    ]);
    const port = Number(new URL(url).port);
    const tls = url.startsWith("https:");
    options.onProgress?.("vcsim answering");
    signal?.addEventListener("abort", () => void close(), { once: true });
    return {
      url,
      host,
      port,
      username,
      password,
      credentials: { username, password },
      insecure: tls,
      certificate,
      env: { GOVC_URL: url, GOVC_USERNAME: username, GOVC_PASSWORD: password, GOVC_INSECURE: String(tls) },
      pid: child.pid!,
      output: (lines) => child.output(lines),
      close,
      stop: close,
      [Symbol.asyncDispose]: close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
