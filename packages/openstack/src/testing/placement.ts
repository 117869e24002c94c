// Placement (Nova's inventory of hosts and their resources) under uwsgi, on sqlite: only Nova's
// scheduler and compute service write to it, a few times per server.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ManagedProcess } from "@nimbus-sdk/common/testing";
import { PYTHON, httpAnswers, ini, type Launch } from "./launch.js";
import { authtoken, baseSections, SERVICE_START_TIMEOUT, type ServiceEnvironment } from "./service-conf.js";

export interface PlacementSetup extends ServiceEnvironment {
  port: number;
  servicePassword: string;
}

// db sync, then WAL: sqlite's default journal locks readers out while the scheduler writes.
const INIT_SCRIPT = `
import sqlite3, sys
from placement.cmd import manage
conf, db = sys.argv[1:3]
sys.argv = ['placement-manage', '--config-file', conf, 'db', 'sync']
try:
    manage.main()
except SystemExit as end:
    if end.code:
        raise
connection = sqlite3.connect(db)
connection.execute('PRAGMA journal_mode=WAL')
connection.close()
`;

export async function startPlacement(launch: Launch, setup: PlacementSetup): Promise<ManagedProcess> {
  const dir = join(launch.dir, "placement");
  mkdirSync(join(dir, "locks"), { recursive: true });
  const db = join(dir, "placement.db");
  writeFileSync(
    join(dir, "placement.conf"),
    ini({
      DEFAULT: { use_stderr: true },
      api: { auth_strategy: "keystone" },
      placement_database: { connection: `sqlite:///${db}`, sqlite_synchronous: false },
      keystone_authtoken: authtoken(setup, "placement", setup.servicePassword),
      ...baseSections(dir),
    }),
  );
  await launch.run("placement db sync", PYTHON, ["-c", INIT_SCRIPT, join(dir, "placement.conf"), db]);
  // As Keystone's uwsgi (keystone.ts): one process, no master.
  const proc = launch.spawn(
    "placement",
    "/usr/bin/uwsgi",
    [
      "--plugin",
      "python3",
      "--http-socket",
      `127.0.0.1:${setup.port}`,
      "--wsgi-file",
      "/usr/bin/placement-api",
      "--processes",
      "1",
      "--enable-threads",
      "--add-header",
      "Connection: close",
      "--die-on-term",
      "--need-app",
      "--disable-logging",
    ],
    { env: launch.env({ OS_PLACEMENT_CONFIG_DIR: dir }) },
  );
  await launch.waitReady(
    proc,
    () => httpAnswers(`http://127.0.0.1:${setup.port}/`, (s) => s === 200),
    SERVICE_START_TIMEOUT,
  );
  launch.progress("placement answering");
  return proc;
}
