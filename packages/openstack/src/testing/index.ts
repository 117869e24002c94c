// `@nimbus-sdk/openstack/testing`: a real Keystone, Swift and Glance, and on request Nova, Neutron,
// Cinder, Designate, Octavia and Trove (Debian's OpenStack packages) on 127.0.0.1, for this package's integration tests and users' own.
import { randomBytes } from "node:crypto";
import { ValidationError } from "@nimbus-sdk/common";
import { freePort, type StartServerOptions, type TestServer } from "@nimbus-sdk/common/testing";
import { planComputeStack, type ComputeStack, type StackService } from "./compute-stack.js";
import { startGlance } from "./glance.js";
import { planDesignate } from "./designate.js";
import { planOctavia } from "./octavia.js";
import { planTrove } from "./trove.js";
import {
  BUS_PACKAGES,
  COMPUTE_PACKAGES,
  DATABASE_PACKAGES,
  DNS_PACKAGES,
  LB_PACKAGES,
  OPENSTACK_PACKAGES,
  ensureOpenStackPackages,
} from "./install.js";
import { startKeystone, type KeystoneSetup } from "./keystone.js";
import { Launch, removeStaleLaunches } from "./launch.js";
import { startMemcached, waitForMemcached } from "./memcached.js";
import { adminSession, provision, type CatalogService } from "./provision.js";
import { startRabbit, transportUrl } from "./rabbitmq.js";
import type { AddonSetup, ServicePlan } from "./service-conf.js";
import { seedFlavors, seedImage, type SeededFlavor, type SeededImage } from "./seed.js";
import { prepareSwift, startSwift, waitForSwift, type SwiftSetup } from "./swift.js";

export {
  BUS_PACKAGES,
  COMPUTE_PACKAGES,
  DATABASE_PACKAGES,
  DNS_PACKAGES,
  LB_PACKAGES,
  OPENSTACK_PACKAGES,
  ensureOpenStackPackages,
} from "./install.js";
export type { SeededFlavor, SeededImage } from "./seed.js";
export {
  badRequest,
  fault,
  itemNotFound,
  startRackspaceSimulator,
  type RackspaceSimulator,
  type SimRequest,
  type SimResponse,
  type SimRoute,
  type SimService,
} from "./rackspace/server.js";
export { rackspaceDns, type RackspaceDnsSimulation } from "./rackspace/dns.js";
export { rackspaceDatabases } from "./rackspace/databases.js";
export { rackspaceLoadBalancers, type RackspaceLoadBalancersOptions } from "./rackspace/load-balancers.js";

/** Services that start beside Keystone on their own: Designate, Octavia, Trove. */
export type AddonService = "dns" | "loadBalancer" | "database";

/**
 * A service by its catalog type. `compute` needs `image` and `network`, which it brings along;
 * `object-store` is Swift, `volume` Cinder, `dns` Designate, `loadBalancer` Octavia, `database` Trove.
 */
export type OpenStackService = "object-store" | "image" | StackService | AddonService;

/** The services the test server can start. */
export const SERVICES: readonly OpenStackService[] = [
  "object-store",
  "image",
  "compute",
  "network",
  "volume",
  "dns",
  "loadBalancer",
  "database",
];

/** How the launcher starts an add-on service: its Debian packages, whether it needs RabbitMQ, its plan. */
interface Addon {
  packages: readonly string[];
  bus: boolean;
  plan(launch: Launch, setup: AddonSetup): Promise<ServicePlan>;
}

/** The add-ons this launcher can start, by service name (one line each). */
const ADDONS: Partial<Record<AddonService, Addon>> = {
  dns: { packages: DNS_PACKAGES, bus: true, plan: planDesignate },
  loadBalancer: { packages: LB_PACKAGES, bus: true, plan: planOctavia },
  database: { packages: DATABASE_PACKAGES, bus: false, plan: planTrove },
};

const isAddon = (service: OpenStackService): service is AddonService =>
  service === "dns" || service === "loadBalancer" || service === "database";

/** Options of {@link startServer}: which services to start, the port, and whether to install Debian's packages. */
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
  /**
   * The services to run beside Keystone (default `["object-store", "image"]`: Swift and Glance).
   * `compute` adds `image` and `network` (Nova needs both). With any of `compute`, `network` or
   * `volume` the catalog has two regions, `DFW` and `ORD`, and each of these services its own API
   * process in each (on the same databases, bus and compute host); Keystone, Swift, Glance and
   * Placement then have one server, listed under both regions. Without them the one region is
   * `RegionOne`.
   */
  services?: readonly OpenStackService[];
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

/** A running OpenStack (Keystone and the services asked for) on 127.0.0.1: its auth URL, credentials and `stop()`. */
export interface OpenStackTestServer extends TestServer {
  /** Keystone's v3 auth URL, `http://127.0.0.1:<port>/v3`. */
  url: string;
  /** `demo`, with the member role on project `demo`: what an ordinary user has. */
  credentials: KeystoneCredentials;
  /** `admin`, with the admin role on project `admin` and on the system. */
  admin: KeystoneCredentials;
  /** The first region: Keystone's, and where the services look each other up. */
  region: string;
  /** Every region of the catalog (`RegionOne`; or `DFW` and `ORD` with compute, network or volume). */
  regions: readonly string[];
  /** The services running beside Keystone. */
  services: readonly OpenStackService[];
  /** The Swift proxy's root (`/healthcheck`, `/info`); the catalog has `<swiftUrl>/v1/AUTH_<project id>`. */
  swiftUrl?: string;
  /** Glance's root; the image API is under `/v2`. */
  glanceUrl?: string;
  /** Nova's API (`http://127.0.0.1:<port>/v2.1`) by region: a separate nova-api process each. */
  computeUrls?: Readonly<Record<string, string>>;
  /** Neutron's root by region (the API is under `/v2.0`): a separate neutron-server each. */
  networkUrls?: Readonly<Record<string, string>>;
  /** Cinder's root by region (the API is under `/v3/<project id>`): a separate cinder-api each. */
  volumeUrls?: Readonly<Record<string, string>>;
  /** Placement's root (one server, in every region's catalog). */
  placementUrl?: string;
  /** With dns: Designate's root (the API is under `/v2`), in every region's catalog. */
  dnsUrl?: string;
  /** With dns: the port of designate-mdns on 127.0.0.1 (TCP and UDP), which answers DNS queries for the zones. */
  dnsPort?: number;
  /** With loadBalancer: Octavia's root (the API is under `/v2`), in every region's catalog. */
  loadBalancerUrl?: string;
  /** With database: Trove's root (the API is under `/v1.0/<project id>`), in every region's catalog. */
  databaseUrl?: string;
  /** With compute: public flavors m1.tiny (id 1), m1.small (2) and m1.medium (3), Nova's usual sizes. */
  flavors?: readonly SeededFlavor[];
  /** With compute: a public, active raw image of 1 MiB that any flavor can boot. */
  image?: SeededImage;
  tokenExpiration: number;
  /** The servers' process ids, for diagnostics: each one leads a process group that `stop()` ends. */
  processes: readonly { name: string; pid: number }[];
  /** Every temporary directory of this server; `stop()` removes them. */
  tempDirs: readonly string[];
  /** Stops every process and removes every temporary directory; calling it again does nothing more. */
  stop(): Promise<void>;
}

const REGION = "RegionOne";
/** Rackspace's first two regions, so that pyrax's per-region clients meet distinct servers. */
const STACK_REGIONS = ["DFW", "ORD"];

function password(): string {
  return randomBytes(12).toString("base64url");
}

/** Free ports on 127.0.0.1, none given twice (`freePort` may return a port again once it is closed). */
function portAllocator(reserved: readonly number[]): () => Promise<number> {
  const taken = new Set(reserved);
  return async () => {
    for (;;) {
      const port = await freePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
}

/** The services asked for, with what they need, in SERVICES' order. */
function resolveServices(requested: readonly OpenStackService[] | undefined): OpenStackService[] {
  const wanted = new Set<OpenStackService>(requested ?? ["object-store", "image"]);
  for (const service of wanted) {
    if (!SERVICES.includes(service)) {
      throw new ValidationError(`unknown service ${JSON.stringify(service)}; known: ${SERVICES.join(", ")}`, {
        field: "services",
      });
    }
    if (isAddon(service) && !ADDONS[service]) {
      throw new ValidationError(`the ${service} service cannot be started by this version of the launcher yet`, {
        field: "services",
      });
    }
  }
  if (wanted.has("compute")) {
    wanted.add("image");
    wanted.add("network");
  }
  return SERVICES.filter((s) => wanted.has(s));
}

/**
 * Starts Keystone (uwsgi), memcached and the services asked for (by default Swift and Glance; see
 * `services`) on 127.0.0.1, provisions users, projects, services and endpoints, and resolves once all
 * of them answer; with compute, once the compute host is mapped and flavors and an image are there.
 * Missing Debian packages are installed when running as root (unless `allowInstall` is false);
 * otherwise a ConfigError names the command to run. If any server fails to start, all are stopped
 * and the error carries that server's last log lines.
 */
export async function startServer(options: OpenStackServerOptions = {}): Promise<OpenStackTestServer> {
  const tokenExpiration = options.tokenExpiration ?? 3600;
  if (!Number.isInteger(tokenExpiration) || tokenExpiration < 2) {
    throw new ValidationError(`tokenExpiration must be a whole number of seconds, at least 2: ${tokenExpiration}`, {
      field: "tokenExpiration",
    });
  }
  const services = resolveServices(options.services);
  const has = (service: OpenStackService) => services.includes(service);
  const stackServices = new Set(
    services.filter((s): s is StackService => s === "compute" || s === "network" || s === "volume"),
  );
  const addons = services.filter(isAddon);
  // RabbitMQ, shared by every service that needs a bus.
  const bus = stackServices.size > 0 || addons.some((s) => ADDONS[s]!.bus);
  const regions = stackServices.size > 0 ? STACK_REGIONS : [REGION];
  const region = regions[0]!;
  removeStaleLaunches();
  const launch = new Launch(options.signal, options.onProgress);
  try {
    ensureOpenStackPackages(
      { allowInstall: options.allowInstall },
      [
        ...OPENSTACK_PACKAGES,
        ...(stackServices.size > 0 ? COMPUTE_PACKAGES : []),
        ...(bus ? BUS_PACKAGES : []),
        ...addons.flatMap((s) => ADDONS[s]!.packages),
      ].filter((name, i, all) => all.indexOf(name) === i),
    );
    launch.progress("packages installed");
    launch.throwIfAborted();
    const port = portAllocator(options.port === undefined ? [] : [options.port]);
    const ports = { keystone: options.port ?? (await port()), memcached: await port(), glance: await port() };
    const secrets = { admin: password(), demo: password(), swift: password(), glance: password() };
    const keystone: KeystoneSetup = { port: ports.keystone, adminPassword: secrets.admin, tokenExpiration, region };
    const swift: SwiftSetup | undefined = has("object-store")
      ? {
          proxyPort: await port(),
          accountPort: await port(),
          containerPort: await port(),
          objectPort: await port(),
          keystonePort: ports.keystone,
          memcachedPort: ports.memcached,
          servicePassword: secrets.swift,
        }
      : undefined;
    const glance = {
      port: ports.glance,
      keystonePort: ports.keystone,
      memcachedPort: ports.memcached,
      servicePassword: secrets.glance,
    };
    const rabbit = bus ? { port: await port(), distPort: await port(), epmdPort: await port() } : undefined;
    const busUrl = rabbit ? transportUrl(rabbit) : "";
    const stack: ComputeStack | undefined =
      stackServices.size > 0
        ? await planComputeStack(launch, {
            services: stackServices,
            regions,
            keystonePort: ports.keystone,
            memcachedPort: ports.memcached,
            transportUrl: busUrl,
            port,
            password,
          })
        : undefined;
    const addonSetup: AddonSetup = {
      env: { keystonePort: ports.keystone, memcachedPort: ports.memcached, transportUrl: busUrl, region },
      regions,
      port,
      password,
    };
    const plans: Partial<Record<AddonService, ServicePlan>> = {};
    for (const service of addons) plans[service] = await ADDONS[service]!.plan(launch, addonSetup);
    const addonPlans = Object.values(plans);
    const everywhere = (url: string) => Object.fromEntries(regions.map((r) => [r, url]));
    const swiftUrl = swift && `http://127.0.0.1:${swift.proxyPort}`;
    const glanceUrl = has("image") ? `http://127.0.0.1:${ports.glance}` : undefined;
    const catalog: CatalogService[] = [
      ...(swiftUrl
        ? [{ type: "object-store", name: "swift", urls: everywhere(`${swiftUrl}/v1/AUTH_%(project_id)s`) }]
        : []),
      ...(glanceUrl ? [{ type: "image", name: "glance", urls: everywhere(glanceUrl) }] : []),
      ...(stack?.catalog ?? []),
      ...addonPlans.flatMap((p) => p.catalog),
    ];
    const serviceUsers = [
      ...(swift ? [{ name: "swift", password: secrets.swift }] : []),
      ...(glanceUrl ? [{ name: "glance", password: secrets.glance }] : []),
    ];

    // Keystone's chain is long, the stack's databases longer; the servers that need no Keystone
    // while loading start beside them (their auth middleware reaches Keystone only on a request).
    const memcached = startMemcached(launch, ports.memcached);
    const [provisioned] = await Promise.all([
      (async () => {
        await startKeystone(launch, keystone);
        const provisioned = await provision({
          keystonePort: ports.keystone,
          adminPassword: secrets.admin,
          regions,
          services: catalog,
          // Cinder accepts a detach of a volume Nova attached only with a token of role `service`.
          roles: [
            ...(stack || addonPlans.length > 0 ? ["service"] : []),
            ...addonPlans.flatMap((p) => [...(p.roles ?? []), ...(p.demoRoles ?? [])]),
          ].filter((name, i, all) => all.indexOf(name) === i),
          users: [
            ...serviceUsers.map((u) => ({ ...u, project: "service" as const, roles: ["admin"] })),
            ...(stack?.users ?? []).map((u) => ({ ...u, project: "service" as const, roles: ["admin", "service"] })),
            ...addonPlans.flatMap((p) => p.users.map((u) => ({ ...u, project: "service" as const }))),
            {
              name: "demo",
              password: secrets.demo,
              project: "demo",
              roles: ["member", ...addonPlans.flatMap((p) => p.demoRoles ?? [])],
            },
          ],
          signal: options.signal,
        });
        launch.progress("keystone provisioned");
        return provisioned;
      })(),
      swift &&
        (async () => {
          const dir = await prepareSwift(launch, swift);
          launch.progress("swift rings built");
          await waitForSwift(launch, startSwift(launch, dir), swift);
          launch.progress("swift answering");
        })(),
      glanceUrl && startGlance(launch, glance),
      stack?.prepare(),
      rabbit && startRabbit(launch, rabbit),
      ...addonPlans.map((p) => p.prepare()),
      waitForMemcached(launch, memcached, ports.memcached).then(() => launch.progress("memcached answering")),
    ]);
    let seeded: { flavors: SeededFlavor[]; image: SeededImage } | undefined;
    const startStack = async (stack: ComputeStack) => {
      await stack.start();
      const computeUrl = stack.urls.compute?.[region];
      if (computeUrl && glanceUrl) {
        const session = await adminSession(ports.keystone, secrets.admin, options.signal);
        try {
          const [flavors, image] = await Promise.all([seedFlavors(session, computeUrl), seedImage(session, glanceUrl)]);
          seeded = { flavors, image };
        } finally {
          await session.close();
        }
        launch.progress("flavors and image seeded");
      }
    };
    await Promise.all([stack && startStack(stack), ...addonPlans.map((p) => p.start())]);

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
      region,
      regions,
      services,
      swiftUrl,
      glanceUrl,
      computeUrls: stack?.urls.compute,
      networkUrls: stack?.urls.network,
      volumeUrls: stack?.urls.volume,
      placementUrl: stack?.urls.placement,
      dnsUrl: plans.dns?.url,
      dnsPort: plans.dns?.ports?.mdns,
      loadBalancerUrl: plans.loadBalancer?.url,
      databaseUrl: plans.database?.url,
      flavors: seeded?.flavors,
      image: seeded?.image,
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
