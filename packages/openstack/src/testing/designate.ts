// Designate (DNS as a service): api, central, worker and mdns with the in-tree `fake` pool backend, on
// a MariaDB of its own (on sqlite, central's concurrent transactions fail with `database is locked`). designate-mdns serves every zone from Designate's database and is the pool's only
// nameserver, so the worker's SOA poll sees each change at once and zones go ACTIVE in about a second
// without bind9 or PowerDNS; it also answers real DNS queries (`dnsPort` of the test server).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { httpAnswers, ini, type Launch } from "./launch.js";
import { databaseUrl, startMariaDb, type MariaDbSetup } from "./mariadb.js";
import {
  authtoken,
  baseSections,
  logMentions,
  runPython,
  spawnPython,
  SERVICE_START_TIMEOUT,
  type AddonSetup,
  type ServicePlan,
} from "./service-conf.js";

const PASTE = ini({
  "composite:osapi_dns": { use: "egg:Paste#urlmap", "/": "osapi_dns_versions", "/v2": "osapi_dns_v2" },
  "composite:osapi_dns_versions": {
    use: "call:designate.api.middleware:auth_pipeline_factory",
    keystone: "http_proxy_to_wsgi maintenance faultwrapper osapi_dns_app_versions",
  },
  "app:osapi_dns_app_versions": { "paste.app_factory": "designate.api.versions:factory" },
  "composite:osapi_dns_v2": {
    use: "call:designate.api.middleware:auth_pipeline_factory",
    keystone:
      "http_proxy_to_wsgi request_id faultwrapper validation_API_v2 sizelimit authtoken keystonecontext " +
      "maintenance normalizeuri osapi_dns_app_v2",
  },
  "app:osapi_dns_app_v2": { "paste.app_factory": "designate.api.v2:factory" },
  "filter:request_id": { "paste.filter_factory": "oslo_middleware:RequestId.factory" },
  "filter:http_proxy_to_wsgi": { "paste.filter_factory": "oslo_middleware:HTTPProxyToWSGI.factory" },
  "filter:sizelimit": { "paste.filter_factory": "oslo_middleware:RequestBodySizeLimiter.factory" },
  "filter:authtoken": { "paste.filter_factory": "keystonemiddleware.auth_token:filter_factory" },
  "filter:keystonecontext": { "paste.filter_factory": "designate.api.middleware:KeystoneContextMiddleware.factory" },
  "filter:maintenance": { "paste.filter_factory": "designate.api.middleware:MaintenanceMiddleware.factory" },
  "filter:normalizeuri": { "paste.filter_factory": "designate.api.middleware:NormalizeURIMiddleware.factory" },
  "filter:faultwrapper": { "paste.filter_factory": "designate.api.middleware:FaultWrapperMiddleware.factory" },
  "filter:validation_API_v2": {
    "paste.filter_factory": "designate.api.middleware:APIv2ValidationErrorMiddleware.factory",
  },
});

/** The pool: mdns is the nameserver the worker polls, the notify target, and the fake target's master. */
function pools(mdnsPort: number): string {
  return `- name: default
  description: fake backend; designate-mdns answers the SOA polls
  attributes: {}
  ns_records:
    - hostname: ns1.example.org.
      priority: 1
  nameservers:
    - host: 127.0.0.1
      port: ${mdnsPort}
  targets:
    - type: fake
      description: fake target (logs only)
      masters:
        - host: 127.0.0.1
          port: ${mdnsPort}
      # the worker sends its NOTIFY here, even for the fake backend
      options:
        host: 127.0.0.1
        port: ${mdnsPort}
`;
}

/** Plans Designate: an API port and the mdns port, a service user, the `dns` catalog entry. */
export async function planDesignate(launch: Launch, setup: AddonSetup): Promise<ServicePlan> {
  const apiPort = await setup.port();
  const mdnsPort = await setup.port();
  const servicePassword = setup.password();
  const url = `http://127.0.0.1:${apiPort}`;
  const dir = join(launch.dir, "designate");
  const conf = join(dir, "designate.conf");
  const mariadb: MariaDbSetup = {
    port: await setup.port(),
    password: setup.password(),
    databases: ["designate"],
    name: "designate-mariadb",
  };
  const confArgs = ["--config-file", conf];
  return {
    url,
    ports: { mdns: mdnsPort },
    catalog: [{ type: "dns", name: "designate", urls: Object.fromEntries(setup.regions.map((r) => [r, url])) }],
    users: [{ name: "designate", password: servicePassword, roles: ["admin", "service"] }],
    prepare: async () => {
      mkdirSync(join(dir, "state"), { recursive: true });
      mkdirSync(join(dir, "locks"));
      writeFileSync(join(dir, "api-paste.ini"), PASTE);
      writeFileSync(join(dir, "pools.yaml"), pools(mdnsPort));
      writeFileSync(
        conf,
        ini({
          DEFAULT: {
            transport_url: setup.env.transportUrl,
            state_path: join(dir, "state"),
            host: "dnshost",
            use_stderr: true,
            // The default quotas (10 zones, 500 recordsets per zone) would cap the test suites.
            quota_zones: 1000,
            quota_zone_recordsets: 10000,
            quota_zone_records: 10000,
            quota_recordset_records: 1000,
          },
          "storage:sqlalchemy": { connection: databaseUrl(mariadb, "designate") },
          "service:api": {
            listen: `127.0.0.1:${apiPort}`,
            api_base_uri: `${url}/`,
            api_paste_config: join(dir, "api-paste.ini"),
            auth_strategy: "keystone",
            workers: 1,
            enable_api_v2: true,
            enable_api_admin: false,
          },
          "service:central": { workers: 1 },
          // The defaults (a 5 s delay before the first SOA poll, 10 tries 15 s apart) make a zone ACTIVE
          // after 5 s and its delete (whose poll "fails": mdns still serves the zone) take minutes.
          "service:worker": { workers: 1, poll_delay: 0, poll_retry_interval: 0, poll_max_retries: 3 },
          "service:mdns": { listen: `127.0.0.1:${mdnsPort}`, workers: 1 },
          keystone_authtoken: authtoken(setup.env, "designate", servicePassword),
          ...baseSections(dir),
        }),
      );
      await startMariaDb(launch, mariadb);
      await runPython(launch, "designate-manage database sync", "designate.cmd.manage", [
        ...confArgs,
        "database",
        "sync",
      ]);
      launch.progress("designate database ready");
    },
    start: async () => {
      const procs = Object.fromEntries(
        ["central", "mdns", "worker", "api"].map((s) => [
          s,
          spawnPython(launch, `designate-${s}`, `designate.cmd.${s}`, confArgs),
        ]),
      );
      const started = (name: string) =>
        launch.waitReady(
          procs[name]!,
          async () => logMentions(procs[name]!, "Starting " + name + " service"),
          SERVICE_START_TIMEOUT,
        );
      // `pool update` is an RPC call to central: the migrations made an empty default pool to fill.
      await started("central");
      await runPython(launch, "designate-manage pool update", "designate.cmd.manage", [
        ...confArgs,
        "pool",
        "update",
        "--file",
        join(dir, "pools.yaml"),
      ]);
      // A zone created before the worker consumes its queue stays PENDING (no producer runs to recover it).
      await Promise.all([
        started("worker"),
        started("mdns"),
        launch.waitReady(procs.api!, () => httpAnswers(`${url}/`, (s) => s === 200), SERVICE_START_TIMEOUT),
      ]);
      launch.progress("designate answering");
    },
  };
}
