// Cinder: api (one per region, on the same database), scheduler and volume with the fake driver, which
// keeps volumes as database records (create, from an image, snapshot, attach and delete work; extend
// does not).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ManagedProcess } from "@nimbus-sdk/common/testing";
import { httpAnswers, ini, type Launch } from "./launch.js";
import {
  authtoken,
  baseSections,
  logMentions,
  runPython,
  spawnPython,
  SERVICE_START_TIMEOUT,
  type ServiceEnvironment,
} from "./service-conf.js";

export interface CinderSetup extends ServiceEnvironment {
  /** The API's port in each region. */
  apiPorts: Readonly<Record<string, number>>;
  servicePassword: string;
  database: string;
}

const PASTE = ini({
  "composite:osapi_volume": {
    use: "call:cinder.api:root_app_factory",
    "/": "apiversions",
    "/v3": "openstack_volume_api_v3",
  },
  "composite:openstack_volume_api_v3": {
    use: "call:cinder.api.middleware.auth:pipeline_factory",
    keystone: "request_id faultwrap sizelimit authtoken keystonecontext apiv3",
  },
  "filter:request_id": { "paste.filter_factory": "oslo_middleware.request_id:RequestId.factory" },
  "filter:faultwrap": { "paste.filter_factory": "cinder.api.middleware.fault:FaultWrapper.factory" },
  "filter:sizelimit": { "paste.filter_factory": "oslo_middleware.sizelimit:RequestBodySizeLimiter.factory" },
  "filter:keystonecontext": {
    "paste.filter_factory": "cinder.api.middleware.auth:CinderKeystoneContext.factory",
  },
  "filter:authtoken": { "paste.filter_factory": "keystonemiddleware.auth_token:filter_factory" },
  "app:apiv3": { "paste.app_factory": "cinder.api.v3.router:APIRouter.factory" },
  "pipeline:apiversions": { pipeline: "request_id faultwrap osvolumeversionapp" },
  "app:osvolumeversionapp": { "paste.app_factory": "cinder.api.versions:Versions.factory" },
});

// The fake driver inherits LVM's image copies, which write to a block device that does not exist: a volume
// made from an image would go to `error`. There is nothing to copy to or from.
const DRIVER = `from cinder.tests.fake_driver import FakeLoggingVolumeDriver


class FakeImageVolumeDriver(FakeLoggingVolumeDriver):
    def copy_image_to_volume(self, context, volume, image_service, image_id, disable_sparse=False):
        pass

    def copy_volume_to_image(self, context, volume, image_service, image_meta):
        pass
`;

// The filters a non-admin may use in list queries, as Cinder's own etc/cinder/resource_filters.json has
// them (python3-cinder does not ship it; without it Cinder refuses every filter).
const RESOURCE_FILTERS = {
  volume: [
    "name",
    "status",
    "metadata",
    "bootable",
    "migration_status",
    "availability_zone",
    "group_id",
    "size",
    "created_at",
    "updated_at",
  ],
  backup: ["name", "status", "volume_id"],
  snapshot: ["name", "status", "volume_id", "metadata", "availability_zone"],
  group: [],
  group_snapshot: ["status", "group_id"],
  attachment: ["volume_id", "status", "instance_id", "attach_status"],
  message: ["resource_uuid", "resource_type", "event_id", "request_id", "message_level"],
  pool: ["name", "volume_type"],
  volume_type: ["is_public"],
};

function config(dir: string, setup: CinderSetup, port: number): string {
  return ini({
    DEFAULT: {
      transport_url: setup.transportUrl,
      auth_strategy: "keystone",
      host: "cinderhost",
      my_ip: "127.0.0.1",
      osapi_volume_listen: "127.0.0.1",
      osapi_volume_listen_port: port,
      osapi_volume_workers: 1,
      api_paste_config: join(dir, "api-paste.ini"),
      state_path: join(dir, "state"),
      enabled_backends: "fake",
      use_stderr: true,
      resource_query_filters_file: join(dir, "resource_filters.json"),
      // Cinder's defaults (10 volumes, 10 snapshots per project) would cap the test suites.
      quota_volumes: 1000,
      quota_snapshots: 1000,
      quota_backups: 1000,
      quota_gigabytes: 100_000,
      quota_backup_gigabytes: 100_000,
    },
    database: { connection: setup.database },
    fake: {
      volume_driver: "nimbus_fake_volume.FakeImageVolumeDriver",
      volume_backend_name: "fake",
    },
    keystone_authtoken: authtoken(setup, "cinder", setup.servicePassword),
    ...baseSections(dir),
  });
}

/** Writes the configurations and migrates the database (which must be up). */
export async function prepareCinder(launch: Launch, setup: CinderSetup): Promise<string> {
  const dir = join(launch.dir, "cinder");
  mkdirSync(join(dir, "state"), { recursive: true });
  mkdirSync(join(dir, "locks"));
  mkdirSync(join(dir, "python"));
  writeFileSync(join(dir, "python", "nimbus_fake_volume.py"), DRIVER);
  writeFileSync(join(dir, "resource_filters.json"), JSON.stringify(RESOURCE_FILTERS, null, 2));
  writeFileSync(join(dir, "api-paste.ini"), PASTE);
  for (const [region, port] of Object.entries(setup.apiPorts)) {
    writeFileSync(join(dir, `cinder-${region}.conf`), config(dir, setup, port));
  }
  await runPython(launch, "cinder-manage db sync", "cinder.cmd.manage", [
    "--config-file",
    join(dir, `cinder-${setup.region}.conf`),
    "db",
    "sync",
  ]);
  launch.progress("cinder database ready");
  return dir;
}

/**
 * Starts the services; resolves once every API answers and the scheduler and volume service consume
 * their queues (a request cast before then is lost).
 *
 * The volume service starts first: the scheduler asks the volume services for their capabilities once,
 * when it starts, and a volume service that is not consuming yet misses that request and only
 * publishes its own about a minute later (its first periodic run). Until then the scheduler knows no
 * backend and every new volume goes to `error` ("No valid backend was found"), as a demo run under load
 * showed. Once the volume service consumes, the scheduler's request reaches it, and the scheduler
 * holds new volumes until the answer is in.
 */
export async function startCinder(launch: Launch, dir: string, setup: CinderSetup): Promise<ManagedProcess[]> {
  const conf = (region: string) => ["--config-file", join(dir, `cinder-${region}.conf`)];
  const volume = spawnPython(launch, "cinder-volume", "cinder.cmd.volume", conf(setup.region), {
    env: launch.env({ PYTHONPATH: join(dir, "python") }),
  });
  const apis = Object.entries(setup.apiPorts).map(([region, port]) => ({
    port,
    proc: spawnPython(launch, `cinder-api-${region}`, "cinder.cmd.api", conf(region)),
  }));
  const schedulerStarted = (async () => {
    // Logged once the volume service's RPC servers consume.
    await launch.waitReady(
      volume,
      async () => logMentions(volume, "Driver post RPC initialization completed successfully"),
      SERVICE_START_TIMEOUT,
    );
    const scheduler = spawnPython(launch, "cinder-scheduler", "cinder.cmd.scheduler", conf(setup.region));
    await launch.waitReady(
      scheduler,
      async () => logMentions(scheduler, "Starting cinder-scheduler node"),
      SERVICE_START_TIMEOUT,
    );
    return scheduler;
  })();
  const [scheduler] = await Promise.all([
    schedulerStarted,
    ...apis.map(({ port, proc }) =>
      launch.waitReady(
        proc,
        () => httpAnswers(`http://127.0.0.1:${port}/`, (s) => s === 300 || s === 200),
        SERVICE_START_TIMEOUT,
      ),
    ),
  ]);
  launch.progress("cinder answering");
  return [scheduler, volume, ...apis.map((a) => a.proc)];
}
