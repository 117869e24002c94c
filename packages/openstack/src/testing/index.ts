// `@nimbus-sdk/openstack/testing`: a real Keystone, Swift and Glance (Debian's OpenStack packages) on
// 127.0.0.1, for this package's integration tests and for users' own.
import { randomBytes } from "node:crypto";
import { ValidationError } from "@nimbus-sdk/common";
import { freePort, type StartServerOptions, type TestServer } from "@nimbus-sdk/common/testing";
import { startGlance } from "./glance.js";
import { ensureOpenStackPackages } from "./install.js";
import { startKeystone, type KeystoneSetup } from "./keystone.js";
import { Launch, removeStaleLaunches, type Ports } from "./launch.js";
import { startMemcached, waitForMemcached } from "./memcached.js";
import { provision } from "./provision.js";
import { prepareSwift, startSwift, waitForSwift, type SwiftSetup } from "./swift.js";

export { OPENSTACK_PACKAGES, ensureOpenStackPackages } from "./install.js";

export interface OpenStackServerOptions extends StartServerOptions {
  /** Keystone's port (default: a free one); every other server always gets a free port. */
  port?: number;
  /**
   * Token lifetime in seconds, Keystone's `[token] expiration` (default 3600), at least 2. Keystone
   * drops the fraction of a second, so a token lives between `tokenExpiration - 1` and
   * `tokenExpiration` seconds (Keystone itself accepts 1, whose tokens may be dead on arrival). It
   * applies to every token, the services' own too: below 120 s their auth middleware logs in again
   * before each validation. An expired token gets 401 from Keystone, Swift and Glance:
   * `[token] allow_expired_window` (48 h) only lets a service that sends its own token too fetch
   * an expired one (`?allow_expired=1`), never a user reuse it.
   */
  tokenExpiration?: number;
  /** Called as each step is done ("keystone answering" ...), with the ms since the start began. */
  onProgress?: (step: string, elapsedMs: number) => void;
}

/** A user's Keystone v3 password credentials, by the names the SDK's options use. */
export type KeystoneCredentials = {
  username: string;
  password: string;
  userId: string;
  projectName: string;
  projectId: string;
  userDomainName: string;
  userDomainId: string;
  projectDomainName: string;
  projectDomainId: string;
};

export interface OpenStackTestServer extends TestServer {
  /** Keystone's v3 auth URL, `http://127.0.0.1:<port>/v3`. */
  url: string;
  /** `demo`, with the member role on project `demo`: what an ordinary user has. */
  credentials: KeystoneCredentials;
  /** `admin`, with the admin role on project `admin` and on the system. */
  admin: KeystoneCredentials;
  /** The region of every endpoint in the catalog. */
  region: string;
  /** The Swift proxy's root (`/healthcheck`, `/info`); the catalog has `<swiftUrl>/v1/AUTH_<project id>`. */
  swiftUrl: string;
  /** Glance's root; the image API is under `/v2`. */
  glanceUrl: string;
  tokenExpiration: number;
  /** The servers' process ids, for diagnostics: each one leads a process group that `stop()` ends. */
  processes: readonly { name: string; pid: number }[];
  /** Every temporary directory of this server; `stop()` removes them. */
  tempDirs: readonly string[];
  /** Stops every process and removes every temporary directory; calling it again does nothing more. */
  stop(): Promise<void>;
}

const REGION = "RegionOne";

function password(): string {
  return randomBytes(12).toString("base64url");
}

async function allocatePorts(keystone?: number): Promise<Ports> {
  const taken = new Set<number>(keystone === undefined ? [] : [keystone]);
  const next = async (): Promise<number> => {
    for (;;) {
      const port = await freePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  return {
    keystone: keystone ?? (await next()),
    memcached: await next(),
    swiftProxy: await next(),
    swiftAccount: await next(),
    swiftContainer: await next(),
    swiftObject: await next(),
    glance: await next(),
  };
}

/**
 * Starts Keystone (uwsgi), memcached, Swift (account, container, object, proxy) and Glance on
 * 127.0.0.1, provisions users, projects, services and endpoints, and resolves once all of them
 * answer. Missing Debian packages are installed when running as root (unless `allowInstall` is
 * false); otherwise a ConfigError names the command to run. If any server fails to start, all are
 * stopped and the error carries that server's last log lines.
 */
export async function startServer(options: OpenStackServerOptions = {}): Promise<OpenStackTestServer> {
  const tokenExpiration = options.tokenExpiration ?? 3600;
  if (!Number.isInteger(tokenExpiration) || tokenExpiration < 2) {
    throw new ValidationError(`tokenExpiration must be a whole number of seconds, at least 2: ${tokenExpiration}`, {
      field: "tokenExpiration",
    });
  }
  removeStaleLaunches();
  const launch = new Launch(options.signal, options.onProgress);
  try {
    ensureOpenStackPackages({ allowInstall: options.allowInstall });
    launch.progress("packages installed");
    launch.throwIfAborted();
    const ports = await allocatePorts(options.port);
    const secrets = { admin: password(), demo: password(), swift: password(), glance: password() };
    const keystone: KeystoneSetup = {
      port: ports.keystone,
      adminPassword: secrets.admin,
      tokenExpiration,
      region: REGION,
    };
    const swift: SwiftSetup = {
      proxyPort: ports.swiftProxy,
      accountPort: ports.swiftAccount,
      containerPort: ports.swiftContainer,
      objectPort: ports.swiftObject,
      keystonePort: ports.keystone,
      memcachedPort: ports.memcached,
      servicePassword: secrets.swift,
    };
    const glance = {
      port: ports.glance,
      keystonePort: ports.keystone,
      memcachedPort: ports.memcached,
      servicePassword: secrets.glance,
    };

    // Keystone's chain is the longest; Swift and Glance start beside it (their auth middleware
    // reaches Keystone only when the first request comes).
    const memcached = startMemcached(launch, ports.memcached);
    const [provisioned] = await Promise.all([
      (async () => {
        await startKeystone(launch, keystone);
        const provisioned = await provision({
          keystonePort: ports.keystone,
          adminPassword: secrets.admin,
          region: REGION,
          swiftPort: ports.swiftProxy,
          glancePort: ports.glance,
          users: [
            { name: "swift", password: secrets.swift, project: "service", role: "admin" },
            { name: "glance", password: secrets.glance, project: "service", role: "admin" },
            { name: "demo", password: secrets.demo, project: "demo", role: "member" },
          ],
          signal: options.signal,
        });
        launch.progress("keystone provisioned");
        return provisioned;
      })(),
      (async () => {
        const dir = await prepareSwift(launch, swift);
        launch.progress("swift rings built");
        await waitForSwift(launch, startSwift(launch, dir), swift);
        launch.progress("swift answering");
      })(),
      startGlance(launch, glance),
      waitForMemcached(launch, memcached, ports.memcached).then(() => launch.progress("memcached answering")),
    ]);

    const credentials = (name: "demo" | "admin"): KeystoneCredentials => ({
      username: name,
      password: secrets[name],
      userId: provisioned.userIds[name]!,
      projectName: name,
      projectId: provisioned.projectIds[name]!,
      userDomainName: "Default",
      userDomainId: "default",
      projectDomainName: "Default",
      projectDomainId: "default",
    });
    return {
      url: `http://127.0.0.1:${ports.keystone}/v3`,
      credentials: credentials("demo"),
      admin: credentials("admin"),
      region: REGION,
      swiftUrl: `http://127.0.0.1:${ports.swiftProxy}`,
      glanceUrl: `http://127.0.0.1:${ports.glance}`,
      tokenExpiration,
      processes: launch.processes.map((p) => ({ name: p.name, pid: p.pid! })),
      tempDirs: [launch.dir, ...launch.processes.map((p) => p.dir)],
      stop: () => launch.stop(),
    };
  } catch (error) {
    await launch.stop();
    throw error;
  }
}
