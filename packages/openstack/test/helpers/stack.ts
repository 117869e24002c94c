// The compute stack (Keystone, Glance, Nova, Placement, Neutron, Cinder) shared by every test file of a
// jest run: the first file that asks starts it in its own process (scripts/dev-stack.mjs), the others
// wait for its description, and globalTeardown stops it. With NIMBUS_OPENSTACK_STACK=<json file> the
// stack a developer started with dev-stack.mjs is used instead, and nothing is started.
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import type { AuthStep } from "@nimbus-sdk/common";
import type { KeystoneCredentials, OpenStackTestServer } from "../../src/testing/index.js";
import { catalogUrl, keystoneLogin, type CatalogEntry } from "./cloud.js";

/** What dev-stack.mjs writes: the server's description, without `stop()`. */
export type StackDescription = Omit<OpenStackTestServer, "stop"> & {
  /** The process that runs the stack; SIGTERM stops it. */
  pid: number;
  /** How long the start took, in ms. */
  startupMs: number;
};

export interface ComputeCloud {
  stack: StackDescription;
  /** A project-scoped token of the demo user, and a step that adds it to each request. */
  token: string;
  auth: AuthStep;
  catalog: CatalogEntry[];
  /** The first region (DFW); `stack.regions` has all. */
  region: string;
  /** The demo user's public endpoint of `type` ("compute", "network", "volumev3", "image" ...). */
  endpoint(type: string, region?: string): string;
  /** Logs in as another user (e.g. `stack.admin`). */
  login(credentials: KeystoneCredentials): Promise<{ token: string; catalog: CatalogEntry[] }>;
}

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "scripts", "dev-stack.mjs");
/** A cold start measured 40 to 80 s on 2 busy cores; the install of the packages may come first. */
const START_TIMEOUT = 15 * 60_000;

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

function readJson(path: string): StackDescription | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as StackDescription;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Starts the run's stack unless another test file did, then waits for its description. */
async function runStack(dir: string): Promise<StackDescription> {
  const json = join(dir, "stack.json");
  const log = join(dir, "stack.log");
  const pidFile = join(dir, "stack.pid");
  try {
    closeSync(openSync(join(dir, "stack.lock"), "wx"));
    const out = openSync(log, "a");
    const owner = process.env.NIMBUS_OPENSTACK_RUN_OWNER;
    const child = spawn(process.execPath, [SCRIPT, json, ...(owner ? ["--parent", owner] : [])], {
      detached: true,
      stdio: ["ignore", out, out],
    });
    closeSync(out);
    child.unref();
    writeFileSync(pidFile, String(child.pid));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const deadline = Date.now() + START_TIMEOUT;
  for (;;) {
    const description = readJson(json);
    if (description) return description;
    let pid = 0;
    try {
      pid = Number(readFileSync(pidFile, "utf8"));
    } catch {
      // The starting file has not written it yet.
    }
    const tail = () => readFileSync(log, "utf8").trimEnd().split("\n").slice(-40).join("\n");
    if (pid > 0 && !alive(pid)) throw new Error(`the shared OpenStack stack did not start:\n${tail()}`);
    if (Date.now() > deadline) throw new Error(`the shared OpenStack stack was not ready in time:\n${tail()}`);
    await sleep(250);
  }
}

async function describeStack(): Promise<StackDescription> {
  const given = process.env.NIMBUS_OPENSTACK_STACK;
  if (given) {
    const description = readJson(given);
    if (!description) throw new Error(`NIMBUS_OPENSTACK_STACK names ${given}, which does not exist`);
    if (!alive(description.pid)) throw new Error(`the stack of ${given} (process ${description.pid}) is not running`);
    return description;
  }
  const dir = process.env.NIMBUS_OPENSTACK_RUN_DIR;
  if (!dir) {
    throw new Error(
      "no shared OpenStack stack: run the tests with the package's jest config (its globalSetup), or set " +
        "NIMBUS_OPENSTACK_STACK to the description written by scripts/dev-stack.mjs",
    );
  }
  return runStack(dir);
}

let shared: Promise<ComputeCloud> | undefined;

/**
 * The run's compute stack, logged in as the demo user. Never stop it: globalTeardown (or the developer
 * who started it) does. Tests share it, so they name what they create uniquely and delete it.
 */
export function sharedComputeCloud(): Promise<ComputeCloud> {
  shared ??= (async () => {
    const stack = await describeStack();
    const login = (credentials: KeystoneCredentials) => keystoneLogin(stack.url, credentials);
    const { token, catalog } = await login(stack.credentials);
    return {
      stack,
      token,
      auth: {
        authorize: (request) => {
          request.headers["x-auth-token"] = token;
        },
      },
      catalog,
      region: stack.region,
      endpoint: (type, region = stack.region) => catalogUrl(catalog, type, region),
      login,
    };
  })();
  return shared;
}

/**
 * Resolves with the error `get()` ends with once Nova no longer shows the server. Nova may show a deleted
 * server for a moment (as DELETED, or, when it was deleted while still scheduling, once more as BUILD
 * after a first 404 while the conductor cleans up its cell record), so one NotFound is not yet the end.
 */
export async function settledGetError(get: () => Promise<unknown>, timeoutMs = 60_000): Promise<unknown> {
  let error: unknown;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    error = await get().then(
      () => undefined,
      (e: unknown) => e,
    );
    if (error !== undefined) {
      // A second look a little later must agree: the server is gone for good.
      await sleep(500);
      const again = await get().then(
        () => undefined,
        (e: unknown) => e,
      );
      if (again !== undefined) return again;
    }
    await sleep(250);
  }
  return error;
}
