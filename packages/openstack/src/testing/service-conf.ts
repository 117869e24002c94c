// What the configuration of every Nova, Neutron, Cinder and Placement process shares: how its auth
// middleware checks tokens, how it logs in to call another service, and how it is started (the
// python3-* packages ship neither /usr/bin programs nor paste files).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ManagedProcess } from "@nimbus-sdk/common/testing";
import { PYTHON, type Launch, type SpawnOptions } from "./launch.js";
import type { CatalogService } from "./provision.js";

/**
 * How long a service may take to start: their Python imports alone take 3 to 10 CPU seconds each, and
 * a CI machine starts a dozen of them at once while other packages' tests run.
 */
export const SERVICE_START_TIMEOUT = 300_000;

/** What a service needs to reach Keystone and the message bus. */
export interface ServiceEnvironment {
  keystonePort: number;
  memcachedPort: number;
  /** oslo.messaging's transport URL. */
  transportUrl: string;
  /** The region a service looks other services up in. */
  region: string;
}

type Section = Record<string, string | number | boolean>;

/** `[keystone_authtoken]`: checks incoming tokens as service user `username`. */
export function authtoken(env: ServiceEnvironment, username: string, password: string): Section {
  return {
    ...serviceUser(env, username, password),
    www_authenticate_uri: `http://127.0.0.1:${env.keystonePort}`,
    memcached_servers: `127.0.0.1:${env.memcachedPort}`,
  };
}

/** A keystoneauth section (`[placement]`, `[neutron]`, `[service_user]` ...): logs in as `username`. */
export function serviceUser(env: ServiceEnvironment, username: string, password: string): Section {
  return {
    auth_url: `http://127.0.0.1:${env.keystonePort}`,
    auth_type: "password",
    project_domain_id: "default",
    user_domain_id: "default",
    project_name: "service",
    username,
    password,
    region_name: env.region,
  };
}

/** The sections every oslo service here has: no notifications, locks under `dir`. */
export function baseSections(dir: string): Record<string, Section> {
  return {
    oslo_messaging_notifications: { driver: "noop" },
    oslo_concurrency: { lock_path: join(dir, "locks") },
  };
}

/** Starts `main()` of a Python module as program `name` (oslo names its logs and queues after argv[0]). */
export function spawnPython(
  launch: Launch,
  name: string,
  module: string,
  args: string[],
  options: SpawnOptions = {},
): ManagedProcess {
  return launch.spawn(name, PYTHON, pythonMain(name, module, args), options);
}

/** Runs `main()` of a Python module to its end, as `spawnPython` starts one. */
export function runPython(launch: Launch, name: string, module: string, args: string[]): Promise<string> {
  return launch.run(name, PYTHON, pythonMain(name.split(" ")[0]!, module, args));
}

function pythonMain(program: string, module: string, args: string[]): string[] {
  const code = `import sys; sys.argv[0] = ${JSON.stringify(program)}; from ${module} import main; sys.exit(main())`;
  return ["-c", code, ...args];
}

/** True once the process's output has `text` (the oslo services log to their standard output here). */
export function logMentions(proc: ManagedProcess, text: string): boolean {
  try {
    return readFileSync(join(proc.dir, "output.log"), "utf8").includes(text);
  } catch {
    return false;
  }
}

/** What the launcher gives a service started beside Keystone (Designate, Octavia, Trove ...). */
export interface AddonSetup {
  /** Keystone, memcached and the region; `transportUrl` is empty when the service needs no bus. */
  env: ServiceEnvironment;
  /** Every region of the catalog; the first is `env.region`. */
  regions: readonly string[];
  /** Allocates a free port on 127.0.0.1. */
  port(): Promise<number>;
  /** A fresh random password. */
  password(): string;
}

/**
 * A service planned by the launcher (ports, users, catalog entries): nothing runs until `prepare()`,
 * which runs beside Keystone's start (databases, configuration), then `start()` once Keystone has the
 * users and the catalog and the message bus answers.
 */
export interface ServicePlan {
  /** The API's root URL, as the test server reports it. */
  url: string;
  /** Other ports a test may reach, by name (designate-mdns's DNS port ...). */
  ports?: Readonly<Record<string, number>>;
  catalog: CatalogService[];
  /** Service users, made in project `service` with the given roles. */
  users: { name: string; password: string; roles: readonly string[] }[];
  /** Roles Keystone's bootstrap does not make, created before the users. */
  roles?: readonly string[];
  /** Roles the demo user gets on project demo besides `member`. */
  demoRoles?: readonly string[];
  prepare(): Promise<void>;
  start(): Promise<void>;
}
