// Nova, Placement, Neutron and Cinder with what they run on (MariaDB; the launcher starts RabbitMQ,
// which other services share): started beside Keystone by `startServer({ services: ["compute", ...] })`. Every new service gets its own API
// process in each region, all of them on the same databases, bus and compute host.
import { startCinder, prepareCinder } from "./cinder.js";
import type { Launch } from "./launch.js";
import { databaseUrl, startMariaDb, type MariaDbSetup } from "./mariadb.js";
import { prepareNeutron, startNeutron } from "./neutron.js";
import { prepareNova, startNova } from "./nova.js";
import { startPlacement } from "./placement.js";
import type { CatalogService } from "./provision.js";
import type { ServiceEnvironment } from "./service-conf.js";

export type StackService = "compute" | "network" | "volume";

export interface ComputeStackSetup {
  services: ReadonlySet<StackService>;
  /** The first region is where the services look each other up. */
  regions: readonly string[];
  keystonePort: number;
  memcachedPort: number;
  /** The message bus (oslo.messaging's URL), started by the launcher. */
  transportUrl: string;
  /** Allocates a free port on 127.0.0.1. */
  port(): Promise<number>;
  /** A fresh random password. */
  password(): string;
}

/** Where the stack's APIs listen; the same in the catalog. */
export interface ComputeStackUrls {
  /** Nova's API (`.../v2.1`) by region. */
  compute?: Record<string, string>;
  /** Neutron's root (the API is under `/v2.0`) by region. */
  network?: Record<string, string>;
  /** Cinder's root (the API is under `/v3/<project id>`) by region. */
  volume?: Record<string, string>;
  placement?: string;
}

export interface ComputeStack {
  urls: ComputeStackUrls;
  /** Service users to make in project `service`, each with roles admin and service. */
  users: { name: string; password: string }[];
  catalog: CatalogService[];
  /** Runs the servers' preparation (databases, bus) that needs no Keystone. */
  prepare(): Promise<void>;
  /** Starts the services once Keystone has the users and the catalog. */
  start(): Promise<void>;
}

async function regionPorts(setup: ComputeStackSetup): Promise<Record<string, number>> {
  const ports: Record<string, number> = {};
  for (const region of setup.regions) ports[region] = await setup.port();
  return ports;
}

function urls(ports: Record<string, number>, path = ""): Record<string, string> {
  return Object.fromEntries(Object.entries(ports).map(([region, port]) => [region, `http://127.0.0.1:${port}${path}`]));
}

/** Plans the stack (ports, passwords, catalog); nothing runs until `prepare()`. */
export async function planComputeStack(launch: Launch, setup: ComputeStackSetup): Promise<ComputeStack> {
  const has = (s: StackService) => setup.services.has(s);
  const databases = [...(has("compute") ? ["nova_api", "nova_cell0", "nova"] : [])];
  if (has("network")) databases.push("neutron");
  if (has("volume")) databases.push("cinder");
  const mariadb: MariaDbSetup = { port: await setup.port(), password: setup.password(), databases };
  const env: ServiceEnvironment = {
    keystonePort: setup.keystonePort,
    memcachedPort: setup.memcachedPort,
    transportUrl: setup.transportUrl,
    region: setup.regions[0]!,
  };
  const passwords = {
    nova: setup.password(),
    placement: setup.password(),
    neutron: setup.password(),
    cinder: setup.password(),
  };
  const ports = {
    placement: await setup.port(),
    nova: await regionPorts(setup),
    neutron: await regionPorts(setup),
    cinder: await regionPorts(setup),
  };
  const nova = {
    ...env,
    apiPorts: ports.nova,
    servicePassword: passwords.nova,
    databases: {
      api: databaseUrl(mariadb, "nova_api"),
      cell0: databaseUrl(mariadb, "nova_cell0"),
      cell1: databaseUrl(mariadb, "nova"),
    },
  };
  const neutron = {
    ...env,
    apiPorts: ports.neutron,
    servicePassword: passwords.neutron,
    database: databaseUrl(mariadb, "neutron"),
  };
  const cinder = {
    ...env,
    apiPorts: ports.cinder,
    servicePassword: passwords.cinder,
    database: databaseUrl(mariadb, "cinder"),
  };
  const placement = { ...env, port: ports.placement, servicePassword: passwords.placement };

  const stackUrls: ComputeStackUrls = {};
  const catalog: CatalogService[] = [];
  const users: { name: string; password: string }[] = [];
  const everywhere = (url: string) => Object.fromEntries(setup.regions.map((r) => [r, url]));
  if (has("compute")) {
    stackUrls.compute = urls(ports.nova, "/v2.1");
    stackUrls.placement = `http://127.0.0.1:${ports.placement}`;
    catalog.push(
      { type: "compute", name: "nova", urls: stackUrls.compute },
      { type: "placement", name: "placement", urls: everywhere(stackUrls.placement) },
    );
    users.push({ name: "nova", password: passwords.nova }, { name: "placement", password: passwords.placement });
  }
  if (has("network")) {
    stackUrls.network = urls(ports.neutron);
    catalog.push({ type: "network", name: "neutron", urls: stackUrls.network });
    users.push({ name: "neutron", password: passwords.neutron });
  }
  if (has("volume")) {
    stackUrls.volume = urls(ports.cinder);
    const withProject = urls(ports.cinder, "/v3/%(project_id)s");
    // Clients look Cinder v3 up by any of these types.
    for (const type of ["volumev3", "block-storage", "volume"]) {
      catalog.push({ type, name: type === "volumev3" ? "cinderv3" : `cinder-${type}`, urls: withProject });
    }
    users.push({ name: "cinder", password: passwords.cinder });
  }

  const prepared: { nova?: string; neutron?: string; cinder?: string } = {};
  return {
    urls: stackUrls,
    users,
    catalog,
    prepare: async () => {
      await Promise.all([
        has("compute") ? startPlacement(launch, placement) : undefined,
        (async () => {
          await startMariaDb(launch, mariadb);
          await Promise.all([
            has("compute") ? prepareNova(launch, nova).then((dir) => (prepared.nova = dir)) : undefined,
            has("network") ? prepareNeutron(launch, neutron).then((dir) => (prepared.neutron = dir)) : undefined,
            has("volume") ? prepareCinder(launch, cinder).then((dir) => (prepared.cinder = dir)) : undefined,
          ]);
        })(),
      ]);
    },
    start: async () => {
      await Promise.all([
        prepared.neutron ? startNeutron(launch, prepared.neutron, neutron) : undefined,
        prepared.cinder ? startCinder(launch, prepared.cinder, cinder) : undefined,
        prepared.nova ? startNova(launch, prepared.nova, nova) : undefined,
      ]);
    },
  };
}
