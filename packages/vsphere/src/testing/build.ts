// Builds the package's own vcsim (vcsim/main.go) offline, from Debian's Go toolchain and its govmomi
// sources: GOPATH mode, no module proxy, no network. The binary is cached under a name that hashes
// main.go and the versions of Go and govmomi, so a change to any of them rebuilds it; concurrent
// callers (parallel test workers, two checkouts sharing a cache) build it once, under a lock.
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { AbortError, ConfigError, TimeoutError } from "@nimbus-sdk/common/client";
import { ensureDebianPackages } from "@nimbus-sdk/common/testing";

/**
 * Debian's Go compiler, govmomi's sources (whose simulator the main.go serves) and openssl (which makes each
 * run's certificate: Debian does not install it by default).
 */
export const VCSIM_PACKAGES: readonly string[] = ["golang-go", "golang-github-vmware-govmomi-dev", "openssl"];

/** Where dh-golang installs Go sources for GOPATH builds. */
const DEBIAN_GOCODE = "/usr/share/gocode";
const GO = "/usr/bin/go";
/** The import path main.go is built under, inside the private GOPATH. */
const GO_PACKAGE = "nimbus-vcsim";
/** Environment variable that moves the build cache (default: `.vcsim/` in the package's folder). */
export const VCSIM_CACHE_ENV = "NIMBUS_VCSIM_CACHE";
const PACKAGE_NAME = "@nimbus-sdk/vsphere";
/** A lock older than this is taken to be left by a build that died without removing it. */
const STALE_LOCK_MS = 10 * 60_000;

/** Options of {@link ensureVcsim}: whether to install Debian's packages, where the build lives, progress messages. */
export interface EnsureVcsimOptions {
  /** Install the missing Debian packages when running as root (default true). */
  allowInstall?: boolean;
  /** Where the binary and Go's build cache live (default: `$NIMBUS_VCSIM_CACHE`, else `.vcsim/` in the package). */
  cacheDir?: string;
  /** Called with each step ("building vcsim" ...), for a user who waits 15 s on a first build. */
  onProgress?: (step: string) => void;
  signal?: AbortSignal;
  /** Longest wait for another process's build (default 5 minutes). */
  lockTimeout?: number;
}

/** This package's folder: the nearest parent of this file with its package.json (src/ or dist/<format>/). */
function packageDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (dir !== dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === PACKAGE_NAME)
      return dir;
    dir = dirname(dir);
  }
  throw new ConfigError(`cannot find the folder of ${PACKAGE_NAME} above ${fileURLToPath(import.meta.url)}`);
}

/** The Go source of the simulator command, shipped in the npm package's `vcsim/` folder. */
export function vcsimSourcePath(): string {
  return join(packageDir(), "vcsim", "main.go");
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, signal?: AbortSignal) {
  return new Promise<string>((resolve, reject) => {
    execFile(command, args, { env, cwd, signal, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if (signal?.aborted) return reject(new AbortError("building vcsim was cancelled", { cause: signal.reason }));
      const output = `${stdout}${stderr}`.trim().split("\n").slice(-20).join("\n");
      reject(new ConfigError(`${command} ${args.join(" ")} failed (${error.code ?? error.signal}):\n${output}`));
    });
  });
}

function debianVersion(pkg: string): Promise<string> {
  return run("dpkg-query", ["-W", "-f=${Version}", pkg], process.env, "/");
}

/** True when `pid` is a live process (EPERM: alive, owned by someone else). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the build lock (a directory: mkdir is atomic), or waits until `done()` or the lock frees. */
async function lock(lockDir: string, done: () => boolean, options: EnsureVcsimOptions): Promise<boolean> {
  const deadline = Date.now() + (options.lockTimeout ?? 5 * 60_000);
  let reported = false;
  for (;;) {
    if (done()) return false;
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, "pid"), String(process.pid));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let owner = Number.NaN;
    try {
      owner = Number.parseInt(readFileSync(join(lockDir, "pid"), "utf8"), 10);
    } catch {
      // Taken a moment ago: the owner has not written its pid yet.
    }
    const age = Date.now() - (statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if ((Number.isInteger(owner) && !isRunning(owner)) || age > STALE_LOCK_MS) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!reported) options.onProgress?.("waiting for another process's vcsim build");
    reported = true;
    if (Date.now() > deadline) throw new TimeoutError(`another process has held ${lockDir} for too long`);
    if (options.signal?.aborted) throw new AbortError("building vcsim was cancelled", { cause: options.signal.reason });
    await sleep(250);
  }
}

/**
 * Makes sure the vcsim binary is built and returns its path: installs Debian's Go, govmomi and openssl when
 * missing (as root; otherwise a ConfigError names the apt-get command), then builds
 * `vcsim/main.go` once (about 15 s cold, 4 s with Go's cache warm) into the cache folder. Cheap
 * when the binary is current. Safe to call from several processes at once.
 */
export async function ensureVcsim(options: EnsureVcsimOptions = {}): Promise<string> {
  if (options.signal?.aborted) throw new AbortError("building vcsim was cancelled", { cause: options.signal.reason });
  ensureDebianPackages(VCSIM_PACKAGES, { allowInstall: options.allowInstall });
  const govmomi = join(DEBIAN_GOCODE, "src/github.com/vmware/govmomi/simulator");
  if (!existsSync(govmomi)) {
    throw new ConfigError(`${govmomi} is missing: golang-github-vmware-govmomi-dev is installed but has no simulator`);
  }
  const source = vcsimSourcePath();
  const cacheDir = options.cacheDir ?? process.env[VCSIM_CACHE_ENV] ?? join(packageDir(), ".vcsim");
  const [goVersion, govmomiVersion] = await Promise.all([
    run(GO, ["env", "GOVERSION"], process.env, "/"),
    debianVersion("golang-github-vmware-govmomi-dev"),
  ]);
  const key = createHash("sha256")
    .update(readFileSync(source))
    .update(`\0${goVersion.trim()}\0${govmomiVersion}`)
    .digest("hex")
    .slice(0, 16);
  const binary = join(cacheDir, `vcsim-${key}`);
  if (existsSync(binary)) return binary;

  mkdirSync(cacheDir, { recursive: true });
  const lockDir = join(cacheDir, "build.lock");
  if (!(await lock(lockDir, () => existsSync(binary), options))) return binary;
  const work = join(cacheDir, `build-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    if (existsSync(binary)) return binary;
    options.onProgress?.("building vcsim from Debian's govmomi sources");
    const packageSource = join(work, "gopath", "src", GO_PACKAGE);
    mkdirSync(packageSource, { recursive: true });
    copyFileSync(source, join(packageSource, "main.go"));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? work,
      GO111MODULE: "off",
      GOPROXY: "off",
      GOFLAGS: "",
      GOPATH: `${join(work, "gopath")}:${DEBIAN_GOCODE}`,
      GOCACHE: join(cacheDir, "go-build"),
      // A static binary: no C compiler needed, none of the host's libc.
      CGO_ENABLED: "0",
    };
    const output = join(work, "vcsim");
    await run(GO, ["build", "-ldflags=-s -w", "-o", output, GO_PACKAGE], env, work, options.signal);
    chmodSync(output, 0o755);
    renameSync(output, binary);
    // Older builds (another main.go or Go version) are of no more use; a running one keeps its inode.
    for (const name of readdirSync(cacheDir)) {
      if (name.startsWith("vcsim-") && join(cacheDir, name) !== binary) rmSync(join(cacheDir, name), { force: true });
    }
    options.onProgress?.("vcsim built");
    return binary;
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(lockDir, { recursive: true, force: true });
  }
}
