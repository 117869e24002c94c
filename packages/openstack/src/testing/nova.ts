// Nova: api (one per region, all on the same databases and cell), conductor, scheduler and compute with
// the fake virt driver, which "boots" a server by writing its record. The databases are MariaDB's.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ManagedProcess } from "@nimbus-sdk/common/testing";
import { PYTHON, httpAnswers, ini, type Launch } from "./launch.js";
import {
  authtoken,
  baseSections,
  logMentions,
  serviceUser,
  spawnPython,
  SERVICE_START_TIMEOUT,
  type ServiceEnvironment,
} from "./service-conf.js";

export interface NovaSetup extends ServiceEnvironment {
  /** The API's port in each region: every region gets its own nova-api process. */
  apiPorts: Readonly<Record<string, number>>;
  servicePassword: string;
  /** SQLAlchemy URLs of the three databases. */
  databases: { api: string; cell0: string; cell1: string };
}

const PASTE = ini({
  "composite:osapi_compute": {
    use: "call:nova.api.openstack.urlmap:urlmap_factory",
    "/": "oscomputeversions",
    "/v2.1": "oscomputeversion_v2",
    "/v2.1/+": "openstack_compute_api_v21",
  },
  "composite:openstack_compute_api_v21": {
    use: "call:nova.api.auth:pipeline_factory_v21",
    keystone:
      "http_proxy_to_wsgi compute_req_id faultwrap request_log sizelimit authtoken keystonecontext osapi_compute_app_v21",
  },
  "filter:request_log": { "paste.filter_factory": "nova.api.openstack.requestlog:RequestLog.factory" },
  "filter:compute_req_id": { "paste.filter_factory": "nova.api.compute_req_id:ComputeReqIdMiddleware.factory" },
  "filter:faultwrap": { "paste.filter_factory": "nova.api.openstack:FaultWrapper.factory" },
  "filter:sizelimit": { "paste.filter_factory": "oslo_middleware:RequestBodySizeLimiter.factory" },
  "filter:http_proxy_to_wsgi": {
    "paste.filter_factory": "oslo_middleware.http_proxy_to_wsgi:HTTPProxyToWSGI.factory",
  },
  "filter:keystonecontext": { "paste.filter_factory": "nova.api.auth:NovaKeystoneContext.factory" },
  "filter:authtoken": { "paste.filter_factory": "keystonemiddleware.auth_token:filter_factory" },
  "app:osapi_compute_app_v21": { "paste.app_factory": "nova.api.openstack.compute:APIRouterV21.factory" },
  "pipeline:oscomputeversions": { pipeline: "faultwrap request_log http_proxy_to_wsgi oscomputeversionapp" },
  "pipeline:oscomputeversion_v2": {
    pipeline: "compute_req_id faultwrap request_log http_proxy_to_wsgi oscomputeversionapp_v2",
  },
  "app:oscomputeversionapp": { "paste.app_factory": "nova.api.openstack.compute.versions:Versions.factory" },
  "app:oscomputeversionapp_v2": { "paste.app_factory": "nova.api.openstack.compute.versions:VersionsV2.factory" },
});

// nova-manage's steps in one interpreter (each nova-manage run costs seconds of imports):
// `setup` = api_db sync, cell_v2 map_cell0, db sync, cell_v2 create_cell; `discover` = cell_v2
// discover_hosts, again every half second until the compute service has registered and is mapped.
const MANAGE_SCRIPT = `
import sys, time
from nova import config, objects
from nova.cmd import manage
step, conf = sys.argv[1:3]
config.parse_args(['nova-manage', '--config-file', conf])
objects.register_all()
cells = manage.CellV2Commands()
if step == 'setup':
    codes = [manage.ApiDbCommands().sync(), cells.map_cell0(database_connection=sys.argv[3]),
             manage.DbCommands().sync(), cells.create_cell(name='cell1')]
    if any(codes):
        sys.exit('nova-manage setup failed: %r' % (codes,))
else:
    # strict: 0 once a host was mapped, 1 while there is none.
    while cells.discover_hosts(strict=True):
        time.sleep(0.5)
`;

function config(dir: string, setup: NovaSetup, region: string): string {
  return ini({
    DEFAULT: {
      transport_url: setup.transportUrl,
      compute_driver: "fake.FakeDriver",
      host: "fakehost",
      my_ip: "127.0.0.1",
      state_path: join(dir, "state"),
      osapi_compute_listen: "127.0.0.1",
      osapi_compute_listen_port: setup.apiPorts[region]!,
      osapi_compute_workers: 1,
      enabled_apis: "osapi_compute",
      use_stderr: true,
      // There is one compute host: a resize must be allowed to land on it.
      allow_resize_to_same_host: true,
    },
    wsgi: { api_paste_config: join(dir, "api-paste.ini") },
    api: { auth_strategy: "keystone" },
    api_database: { connection: setup.databases.api },
    database: { connection: setup.databases.cell1 },
    // One worker each: more only add memory (and, on sqlite, lock errors).
    conductor: { workers: 1 },
    // Hosts are mapped once, when the launcher sees the compute service registered.
    scheduler: { workers: 1, discover_hosts_in_cells_interval: -1 },
    // Nova's defaults (10 instances, 20 cores, 50 GB of RAM per project) would cap the test suites.
    quota: { instances: 1000, cores: 10000, ram: 10_240_000, key_pairs: 1000, server_groups: 1000 },
    vnc: { enabled: false },
    keystone_authtoken: authtoken(setup, "nova", setup.servicePassword),
    placement: serviceUser(setup, "nova", setup.servicePassword),
    neutron: serviceUser(setup, "nova", setup.servicePassword),
    glance: { region_name: setup.region },
    cinder: { os_region_name: setup.region },
    // Cinder lets only a request carrying a service token detach a volume Nova attached (OSSA-2023-003).
    service_user: { ...serviceUser(setup, "nova", setup.servicePassword), send_service_user_token: true },
    ...baseSections(dir),
  });
}

/** Writes the configurations and creates the databases and cells (MariaDB must be up). */
export async function prepareNova(launch: Launch, setup: NovaSetup): Promise<string> {
  const dir = join(launch.dir, "nova");
  mkdirSync(join(dir, "state"), { recursive: true });
  mkdirSync(join(dir, "locks"));
  writeFileSync(join(dir, "api-paste.ini"), PASTE);
  for (const region of Object.keys(setup.apiPorts)) {
    writeFileSync(join(dir, `nova-${region}.conf`), config(dir, setup, region));
  }
  // nova-compute must not have database access ("No DB access allowed in nova-compute").
  const primary = config(dir, setup, setup.region);
  writeFileSync(
    join(dir, "nova-compute.conf"),
    primary.replace(/^\[(api_database|database)\]\nconnection = .*\n/gm, ""),
  );
  await launch.run("nova-manage", PYTHON, [
    "-c",
    MANAGE_SCRIPT,
    "setup",
    join(dir, `nova-${setup.region}.conf`),
    setup.databases.cell0,
  ]);
  launch.progress("nova databases ready");
  return dir;
}

export interface NovaProcesses {
  conductor: ManagedProcess;
  scheduler: ManagedProcess;
  compute: ManagedProcess;
  apis: Record<string, ManagedProcess>;
}

/**
 * Starts the services; resolves once every API answers and the compute host is mapped to the cell, so
 * that the first server create finds a host. Placement, Neutron and Glance should be starting too:
 * the compute service reports its inventory to Placement as it registers.
 */
export async function startNova(launch: Launch, dir: string, setup: NovaSetup): Promise<NovaProcesses> {
  const conf = (region = setup.region) => ["--config-file", join(dir, `nova-${region}.conf`)];
  const conductor = spawnPython(launch, "nova-conductor", "nova.cmd.conductor", conf());
  const scheduler = spawnPython(launch, "nova-scheduler", "nova.cmd.scheduler", conf());
  const apis: Record<string, ManagedProcess> = {};
  for (const region of Object.keys(setup.apiPorts)) {
    apis[region] = spawnPython(launch, `nova-api-${region}`, "nova.cmd.api", conf(region));
  }
  // nova-compute pings the conductor once as it starts; a ping sent before the conductor consumes its
  // queue is lost and costs a 10 s timeout.
  await launch.waitReady(
    conductor,
    async () => logMentions(conductor, "Starting conductor node"),
    SERVICE_START_TIMEOUT,
  );
  const compute = spawnPython(launch, "nova-compute", "nova.cmd.compute", [
    "--config-file",
    join(dir, "nova-compute.conf"),
  ]);
  // Started now: its imports take seconds, and the host is mapped as soon as it registers.
  const discovered = launch
    .run("nova-manage discover_hosts", PYTHON, [
      "-c",
      MANAGE_SCRIPT,
      "discover",
      join(dir, `nova-${setup.region}.conf`),
    ])
    .then(() => launch.progress("nova compute host mapped"));
  await Promise.all([
    ...Object.entries(apis).map(([region, proc]) =>
      launch.waitReady(
        proc,
        () => httpAnswers(`http://127.0.0.1:${setup.apiPorts[region]}/v2.1`, (s) => s === 200),
        SERVICE_START_TIMEOUT,
      ),
    ),
    launch.waitReady(scheduler, async () => logMentions(scheduler, "Starting scheduler node"), SERVICE_START_TIMEOUT),
    // Its resources go to Placement right after; the scheduler finds no host before.
    launch.waitReady(compute, async () => logMentions(compute, "Compute node record created"), SERVICE_START_TIMEOUT),
    discovered,
  ]);
  launch.progress("nova answering");
  return { conductor, scheduler, compute, apis };
}
