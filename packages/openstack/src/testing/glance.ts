// Glance v2 with the file store, sqlite and no message queue. The paste pipeline is written here: the
// stock glance-api-paste.ini comes with the debconf-driven glance-api package, which is not installed.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ManagedProcess } from "@nimbus-sdk/common/testing";
import { PYTHON, httpAnswers, ini, type Launch } from "./launch.js";

export interface GlanceSetup {
  port: number;
  keystonePort: number;
  memcachedPort: number;
  /** The `glance` service user's password in Keystone. */
  servicePassword: string;
}

const PASTE = ini({
  "pipeline:glance-api": { pipeline: "versionnegotiation authtoken context rootapp" },
  "composite:rootapp": {
    "paste.composite_factory": "glance.api:root_app_factory",
    "/": "apiversions",
    "/v2": "apiv2app",
  },
  "app:apiversions": { "paste.app_factory": "glance.api.versions:create_resource" },
  "app:apiv2app": { "paste.app_factory": "glance.api.v2.router:API.factory" },
  "filter:versionnegotiation": {
    "paste.filter_factory": "glance.api.middleware.version_negotiation:VersionNegotiationFilter.factory",
  },
  "filter:authtoken": {
    "paste.filter_factory": "keystonemiddleware.auth_token:filter_factory",
    delay_auth_decision: true,
  },
  "filter:context": { "paste.filter_factory": "glance.api.middleware.context:ContextMiddleware.factory" },
});

/**
 * Writes the configuration, then starts the API while the database is created (the API touches it
 * only when a request comes). Resolves once both are done and the API answers.
 */
export async function startGlance(launch: Launch, setup: GlanceSetup): Promise<ManagedProcess> {
  const dir = join(launch.dir, "glance");
  for (const sub of ["images", "staging", "tasks", "locks"]) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, "glance-api-paste.ini"), PASTE);
  const keystone = `http://127.0.0.1:${setup.keystonePort}`;
  const conf = join(dir, "glance-api.conf");
  writeFileSync(
    conf,
    ini({
      // workers = 0: one process, no forked children.
      DEFAULT: { bind_host: "127.0.0.1", bind_port: setup.port, workers: 0, enabled_backends: "fs:file" },
      database: { connection: `sqlite:///${join(dir, "glance.db")}`, sqlite_synchronous: false },
      glance_store: { default_backend: "fs" },
      fs: { filesystem_store_datadir: join(dir, "images") },
      // Glance's reserved stores default to directories under /var/lib/glance.
      os_glance_staging_store: { filesystem_store_datadir: join(dir, "staging") },
      os_glance_tasks_store: { filesystem_store_datadir: join(dir, "tasks") },
      oslo_messaging_notifications: { driver: "noop" },
      oslo_concurrency: { lock_path: join(dir, "locks") },
      paste_deploy: { config_file: join(dir, "glance-api-paste.ini") },
      keystone_authtoken: {
        www_authenticate_uri: keystone,
        auth_url: keystone,
        auth_type: "password",
        project_domain_id: "default",
        user_domain_id: "default",
        project_name: "service",
        username: "glance",
        password: setup.servicePassword,
        memcached_servers: `127.0.0.1:${setup.memcachedPort}`,
      },
    }),
  );
  const proc = launch.spawn("glance-api", PYTHON, ["-m", "glance.cmd.api", "--config-file", conf]);
  await Promise.all([
    launch
      .run("glance db_sync", PYTHON, ["-m", "glance.cmd.manage", "--config-file", conf, "db_sync"])
      .then(() => launch.progress("glance database ready")),
    // The version list answers 300 Multiple Choices without a token.
    launch
      .waitReady(proc, () => httpAnswers(`http://127.0.0.1:${setup.port}/`, (s) => s === 300 || s === 200))
      .then(() => launch.progress("glance answering")),
  ]);
  return proc;
}
