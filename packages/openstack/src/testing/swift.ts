// Swift: account, container, object and proxy servers, one eventlet process each (workers = 0), with
// one-replica rings over a plain directory. Only python3-swift is installed, so the servers are run
// through a small driver instead of the swift-*-server scripts of the swift-* packages.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import type { ManagedProcess } from "@nimbus-sdk/common/testing";
import { PYTHON, httpAnswers, ini, type Launch } from "./launch.js";

export interface SwiftSetup {
  proxyPort: number;
  accountPort: number;
  containerPort: number;
  objectPort: number;
  keystonePort: number;
  memcachedPort: number;
  /** The `swift` service user's password in Keystone. */
  servicePassword: string;
}

const RING_SCRIPT = `
import sys
from swift.common.ring import RingBuilder
swift_dir = sys.argv[1]
for arg in sys.argv[2:]:
    name, port = arg.split(':')
    builder = RingBuilder(8, 1, 1)
    builder.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': int(port),
                     'device': 'd1', 'weight': 100, 'meta': ''})
    builder.rebalance()
    builder.get_ring().save('%s/%s.ring.gz' % (swift_dir, name))
`;

// Reads swift.conf from swift_dir (the servers read /etc/swift/swift.conf otherwise), logs to the
// console instead of syslog (no /dev/log here: Swift would send UDP to port 514), then runs the
// server as swift-<type>-server does.
const SERVER_SCRIPT = `
import logging, sys
swift_dir, conf, section = sys.argv[1:4]
from swift.common import utils
class NoSyslog(logging.Handler):
    def __init__(self, *args, **kwargs):
        logging.Handler.__init__(self)
    def emit(self, record):
        pass
utils.ThreadSafeSysLogHandler = NoSyslog
utils.set_swift_dir(swift_dir)
from swift.common import constraints, storage_policy
storage_policy.reload_storage_policies()
constraints.reload_constraints()
from swift.common.wsgi import run_wsgi
options = {'verbose': True}
if section == 'object-server':
    from swift.obj import server
    options['global_conf_callback'] = server.global_conf_callback
sys.exit(run_wsgi(conf, section, **options))
`;

const PROXY_FILTERS = [
  "catch_errors",
  "gatekeeper",
  "healthcheck",
  "proxy-logging",
  "cache",
  "listing_formats",
  "bulk",
  "tempurl",
  "authtoken",
  "keystoneauth",
  "copy",
  "slo",
  "dlo",
  "versioned_writes",
  "symlink",
  "proxy-logging",
];

/** Builds the rings and writes the configurations. */
export async function prepareSwift(launch: Launch, setup: SwiftSetup): Promise<string> {
  const dir = join(launch.dir, "swift");
  mkdirSync(join(dir, "srv", "d1"), { recursive: true });
  mkdirSync(join(dir, "cache"));
  writeFileSync(
    join(dir, "swift.conf"),
    ini({
      "swift-hash": {
        swift_hash_path_suffix: randomBytes(8).toString("hex"),
        swift_hash_path_prefix: randomBytes(8).toString("hex"),
      },
      "storage-policy:0": { name: "Policy-0", default: "yes" },
    }),
  );
  const common = {
    bind_ip: "127.0.0.1",
    workers: 0,
    user: userInfo().username,
    swift_dir: dir,
    log_level: "INFO",
  };
  const storage = { ...common, devices: join(dir, "srv"), mount_check: false, recon_cache_path: join(dir, "cache") };
  const ports = { account: setup.accountPort, container: setup.containerPort, object: setup.objectPort };
  for (const [type, port] of Object.entries(ports)) {
    writeFileSync(
      join(dir, `${type}-server.conf`),
      ini({
        DEFAULT: { ...storage, bind_port: port },
        "pipeline:main": { pipeline: `${type}-server` },
        [`app:${type}-server`]: { use: `egg:swift#${type}` },
      }),
    );
  }
  const keystone = `http://127.0.0.1:${setup.keystonePort}`;
  const memcached = `127.0.0.1:${setup.memcachedPort}`;
  const filters: Record<string, Record<string, string | number | boolean>> = {};
  for (const name of new Set(PROXY_FILTERS)) filters[`filter:${name}`] = { use: `egg:swift#${name.replace("-", "_")}` };
  writeFileSync(
    join(dir, "proxy-server.conf"),
    ini({
      DEFAULT: { ...common, bind_port: setup.proxyPort },
      "pipeline:main": { pipeline: [...PROXY_FILTERS, "proxy-server"].join(" ") },
      "app:proxy-server": { use: "egg:swift#proxy", account_autocreate: true },
      ...filters,
      "filter:cache": { use: "egg:swift#memcache", memcache_servers: memcached },
      "filter:versioned_writes": { use: "egg:swift#versioned_writes", allow_versioned_writes: true },
      "filter:authtoken": {
        "paste.filter_factory": "keystonemiddleware.auth_token:filter_factory",
        www_authenticate_uri: keystone,
        auth_url: keystone,
        auth_type: "password",
        project_domain_id: "default",
        user_domain_id: "default",
        project_name: "service",
        username: "swift",
        password: setup.servicePassword,
        delay_auth_decision: true,
        memcached_servers: memcached,
      },
      "filter:keystoneauth": { use: "egg:swift#keystoneauth", operator_roles: "admin, member" },
    }),
  );
  writeFileSync(join(dir, "server.py"), SERVER_SCRIPT);
  const rings = Object.entries(ports).map(([type, port]) => `${type}:${port}`);
  await launch.run("swift ring building", PYTHON, ["-c", RING_SCRIPT, dir, ...rings]);
  return dir;
}

export function startSwift(launch: Launch, dir: string): ManagedProcess[] {
  return ["account", "container", "object", "proxy"].map((type) =>
    launch.spawn(`swift-${type}`, PYTHON, [
      join(dir, "server.py"),
      dir,
      join(dir, `${type}-server.conf`),
      `${type}-server`,
    ]),
  );
}

export async function waitForSwift(launch: Launch, processes: ManagedProcess[], setup: SwiftSetup): Promise<void> {
  const ports = [setup.accountPort, setup.containerPort, setup.objectPort];
  await Promise.all([
    ...ports.map((port, i) => launch.waitReady(processes[i]!, () => httpAnswers(`http://127.0.0.1:${port}/`))),
    launch.waitReady(processes[3]!, () =>
      httpAnswers(`http://127.0.0.1:${setup.proxyPort}/healthcheck`, (s) => s === 200),
    ),
  ]);
}
