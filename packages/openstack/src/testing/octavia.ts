// Octavia (load balancers v2): octavia-api and octavia-worker on a MariaDB of their own, with the amphora provider and
// the noop amphora, compute, network, image and volume drivers. The worker runs Octavia's real v2
// TaskFlow flows and writes provisioning_status as a deployment does, but contacts neither Nova nor
// Neutron: load balancers go ACTIVE in about two seconds, every VIP is 198.51.100.1 and any
// `vip_subnet_id` is accepted; operating_status stays OFFLINE (no amphora reports health).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PYTHON, httpAnswers, ini, type Launch } from "./launch.js";
import { databaseUrl, startMariaDb, type MariaDbSetup } from "./mariadb.js";
import {
  authtoken,
  baseSections,
  logMentions,
  spawnPython,
  SERVICE_START_TIMEOUT,
  type AddonSetup,
  type ServicePlan,
} from "./service-conf.js";

// The schema from the models and the lookup tables the migrations would fill (as Octavia's own DB tests
// do), then alembic stamped at head: seconds, where the 80-odd migrations take a minute on busy cores.
// (On sqlite, which the migrations cannot ALTER, the worker and API lose writes to `database is locked`
// once a few test files run at once: hence MariaDB.)
const DB_SCRIPT = `
import sys
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from octavia.common import constants as c
from octavia.db import base_models, models as m
conf, url = sys.argv[1:3]
engine = create_engine(url)
base_models.BASE.metadata.create_all(engine)
with Session(engine) as s:
    for names, cls in [(c.SUPPORTED_PROVISIONING_STATUSES, m.ProvisioningStatus),
            (c.SUPPORTED_HEALTH_MONITOR_TYPES, m.HealthMonitorType), (c.SUPPORTED_LB_ALGORITHMS, m.Algorithm),
            (c.SUPPORTED_PROTOCOLS, m.Protocol), (c.SUPPORTED_OPERATING_STATUSES, m.OperatingStatus),
            (c.SUPPORTED_SP_TYPES, m.SessionPersistenceType), (c.SUPPORTED_AMPHORA_ROLES, m.AmphoraRoles),
            (c.SUPPORTED_LB_TOPOLOGIES, m.LBTopology), (c.SUPPORTED_VRRP_AUTH, m.VRRPAuthMethod),
            (c.SUPPORTED_L7RULE_TYPES, m.L7RuleType), (c.SUPPORTED_L7RULE_COMPARE_TYPES, m.L7RuleCompareType),
            (c.SUPPORTED_L7POLICY_ACTIONS, m.L7PolicyAction), (c.SUPPORTED_CLIENT_AUTH_MODES, m.ClientAuthenticationMode)]:
        s.add_all(cls(name=n) for n in names)
    s.add(m.FlavorProfile(id=c.NIL_UUID, name='DELETED-PLACEHOLDER', provider_name=c.DELETED, flavor_data='{}'))
    s.flush()
    s.add(m.Flavor(id=c.NIL_UUID, flavor_profile_id=c.NIL_UUID, name='DELETED-PLACEHOLDER', enabled=False))
    s.flush()
    s.add(m.AvailabilityZoneProfile(id=c.NIL_UUID, name='DELETED-PLACEHOLDER', provider_name=c.DELETED,
                                    availability_zone_data='{}'))
    s.flush()
    s.add(m.AvailabilityZone(availability_zone_profile_id=c.NIL_UUID, name=c.NIL_UUID, enabled=False))
    s.commit()
from octavia.db.migration import cli
sys.argv = ['octavia-db-manage', '--config-file', conf, 'stamp', 'head']
try:
    cli.main()
except SystemExit as end:
    if end.code:
        raise
`;

/** Plans Octavia: an API port, a service user, the `load-balancer` catalog entry, role load-balancer_member for demo. */
export async function planOctavia(launch: Launch, setup: AddonSetup): Promise<ServicePlan> {
  const apiPort = await setup.port();
  const servicePassword = setup.password();
  const url = `http://127.0.0.1:${apiPort}`;
  const dir = join(launch.dir, "octavia");
  const conf = join(dir, "octavia.conf");
  const mariadb: MariaDbSetup = {
    port: await setup.port(),
    password: setup.password(),
    databases: ["octavia"],
    name: "octavia-mariadb",
  };
  const db = databaseUrl(mariadb, "octavia");
  const ca = { cert: join(dir, "ca.pem"), key: join(dir, "ca.key") };
  return {
    url,
    catalog: [{ type: "load-balancer", name: "octavia", urls: Object.fromEntries(setup.regions.map((r) => [r, url])) }],
    users: [{ name: "octavia", password: servicePassword, roles: ["admin", "service"] }],
    // Zed's default policy lets a plain `member` do nothing: load balancer users need this role.
    demoRoles: ["load-balancer_member"],
    prepare: async () => {
      mkdirSync(join(dir, "locks"), { recursive: true });
      writeFileSync(
        conf,
        ini({
          DEFAULT: { transport_url: setup.env.transportUrl, host: "lbhost", use_stderr: true },
          api_settings: {
            bind_host: "127.0.0.1",
            bind_port: apiPort,
            auth_strategy: "keystone",
            api_base_uri: url,
          },
          database: { connection: db },
          controller_worker: {
            amphora_driver: "amphora_noop_driver",
            compute_driver: "compute_noop_driver",
            network_driver: "network_noop_driver",
            image_driver: "image_noop_driver",
            volume_driver: "volume_noop_driver",
            loadbalancer_topology: "SINGLE",
            workers: 1,
            client_ca: ca.cert,
          },
          task_flow: { jobboard_enabled: false },
          // The flows sign an amphora certificate even with the noop driver: a throwaway CA.
          certificates: { ca_certificate: ca.cert, ca_private_key: ca.key },
          oslo_messaging: { topic: "octavia_prov" },
          keystone_authtoken: authtoken(setup.env, "octavia", servicePassword),
          ...baseSections(dir),
        }),
      );
      await Promise.all([
        startMariaDb(launch, mariadb).then(() => launch.run("octavia db", PYTHON, ["-c", DB_SCRIPT, conf, db])),
        launch.run("octavia ca", "/usr/bin/openssl", [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          ca.key,
          "-out",
          ca.cert,
          "-days",
          "30",
          "-subj",
          "/CN=nimbus-octavia-test-ca",
        ]),
      ]);
      launch.progress("octavia database ready");
    },
    start: async () => {
      const confArgs = ["--config-file", conf];
      const worker = spawnPython(launch, "octavia-worker", "octavia.cmd.octavia_worker", confArgs);
      const api = spawnPython(launch, "octavia-api", "octavia.cmd.api", confArgs);
      // A load balancer created before the worker consumes its queue would stay PENDING_CREATE.
      await Promise.all([
        launch.waitReady(worker, async () => logMentions(worker, "Starting V2 consumer"), SERVICE_START_TIMEOUT),
        launch.waitReady(api, () => httpAnswers(`${url}/`, (s) => s === 200), SERVICE_START_TIMEOUT),
      ]);
      launch.progress("octavia answering");
    },
  };
}
