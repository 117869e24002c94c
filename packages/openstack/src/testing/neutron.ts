// Neutron: neutron-server with ML2 and no agents (one server per region, on the same database and bus).
// Ports are bound by `noopbind`, a mechanism driver written here that binds every port on any host:
// without an agent ML2 binds none, and Nova puts the server in ERROR.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ManagedProcess } from "@nimbus-sdk/common/testing";
import { PYTHON, httpAnswers, ini, type Launch } from "./launch.js";
import {
  authtoken,
  baseSections,
  spawnPython,
  SERVICE_START_TIMEOUT,
  type ServiceEnvironment,
} from "./service-conf.js";

export interface NeutronSetup extends ServiceEnvironment {
  /** The API's port in each region. */
  apiPorts: Readonly<Record<string, number>>;
  servicePassword: string;
  database: string;
}

const PASTE = ini({
  "composite:neutron": {
    use: "egg:Paste#urlmap",
    "/": "neutronversions_composite",
    "/v2.0": "neutronapi_v2_0",
  },
  "composite:neutronapi_v2_0": {
    use: "call:neutron.auth:pipeline_factory",
    keystone: "http_proxy_to_wsgi request_id catch_errors authtoken keystonecontext extensions neutronapiapp_v2_0",
  },
  "composite:neutronversions_composite": {
    use: "call:neutron.auth:pipeline_factory",
    keystone: "http_proxy_to_wsgi neutronversions",
  },
  "filter:request_id": { "paste.filter_factory": "oslo_middleware:RequestId.factory" },
  "filter:catch_errors": { "paste.filter_factory": "oslo_middleware:CatchErrors.factory" },
  "filter:http_proxy_to_wsgi": {
    "paste.filter_factory": "oslo_middleware.http_proxy_to_wsgi:HTTPProxyToWSGI.factory",
  },
  "filter:keystonecontext": { "paste.filter_factory": "neutron.auth:NeutronKeystoneContext.factory" },
  "filter:authtoken": { "paste.filter_factory": "keystonemiddleware.auth_token:filter_factory" },
  "filter:extensions": {
    "paste.filter_factory": "neutron.api.extensions:plugin_aware_extension_middleware_factory",
  },
  "app:neutronversions": { "paste.app_factory": "neutron.pecan_wsgi.app:versions_factory" },
  "app:neutronapiapp_v2_0": { "paste.app_factory": "neutron.api.v2.router:APIRouter.factory" },
});

const NOOPBIND = `# ML2 mechanism driver that binds every port on any host, with no agent (API tests only).
from neutron_lib.api.definitions import portbindings
from neutron_lib import constants
from neutron_lib.plugins.ml2 import api


class NoopBindDriver(api.MechanismDriver):
    def initialize(self):
        pass

    def bind_port(self, context):
        for segment in context.segments_to_bind:
            context.set_binding(segment[api.ID], portbindings.VIF_TYPE_OTHER, {},
                                status=constants.PORT_STATUS_ACTIVE)
            return
`;

// Neutron's migrations ALTER constraints, which only some databases can: the schema is created from the
// models instead, then stamped as migrated.
const SCHEMA_SCRIPT = `
import sys
from sqlalchemy import create_engine
from neutron.db.migration.models import head
from neutron.db.migration import cli
conf, url = sys.argv[1:3]
engine = create_engine(url)
head.get_metadata().create_all(engine)
engine.dispose()
sys.argv = ['neutron-db-manage', '--config-file', conf, 'stamp', 'heads']
sys.exit(cli.main())
`;

function config(dir: string, setup: NeutronSetup, port: number): string {
  return ini({
    DEFAULT: {
      bind_host: "127.0.0.1",
      bind_port: port,
      core_plugin: "ml2",
      // Routers and floating IPs: their API works without an L3 agent (nothing forwards packets anyway).
      service_plugins: "router",
      auth_strategy: "keystone",
      api_paste_config: join(dir, "api-paste.ini"),
      transport_url: setup.transportUrl,
      api_workers: 1,
      rpc_workers: 0,
      rpc_state_report_workers: 0,
      notify_nova_on_port_status_changes: false,
      notify_nova_on_port_data_changes: false,
      state_path: dir,
      use_stderr: true,
    },
    database: { connection: setup.database },
    ml2: {
      type_drivers: "flat,vlan,vxlan",
      tenant_network_types: "vxlan",
      mechanism_drivers: "noopbind",
      extension_drivers: "port_security",
    },
    ml2_type_vxlan: { vni_ranges: "1:1000" },
    ml2_type_flat: { flat_networks: "*" },
    securitygroup: { firewall_driver: "noop" },
    keystone_authtoken: authtoken(setup, "neutron", setup.servicePassword),
    ...baseSections(dir),
  });
}

/** Writes the configurations, the driver and the schema (the database must be up). */
export async function prepareNeutron(launch: Launch, setup: NeutronSetup): Promise<string> {
  const dir = join(launch.dir, "neutron");
  // ML2 loads mechanism drivers by entry-point name only: a dist-info on PYTHONPATH declares it.
  const dist = join(dir, "python", "noopbind-1.0.dist-info");
  mkdirSync(dist, { recursive: true });
  mkdirSync(join(dir, "locks"));
  writeFileSync(join(dir, "python", "noopbind.py"), NOOPBIND);
  writeFileSync(join(dist, "METADATA"), "Metadata-Version: 2.1\nName: noopbind\nVersion: 1.0\n");
  writeFileSync(
    join(dist, "entry_points.txt"),
    "[neutron.ml2.mechanism_drivers]\nnoopbind = noopbind:NoopBindDriver\n",
  );
  writeFileSync(join(dir, "api-paste.ini"), PASTE);
  for (const [region, port] of Object.entries(setup.apiPorts)) {
    writeFileSync(join(dir, `neutron-${region}.conf`), config(dir, setup, port));
  }
  await launch.run("neutron schema", PYTHON, [
    "-c",
    SCHEMA_SCRIPT,
    join(dir, `neutron-${setup.region}.conf`),
    setup.database,
  ]);
  launch.progress("neutron database ready");
  return dir;
}

/** Starts one neutron-server per region; resolves once each answers. */
export async function startNeutron(launch: Launch, dir: string, setup: NeutronSetup): Promise<ManagedProcess[]> {
  const env = launch.env({ PYTHONPATH: join(dir, "python") });
  return Promise.all(
    Object.entries(setup.apiPorts).map(async ([region, port]) => {
      const proc = spawnPython(
        launch,
        `neutron-server-${region}`,
        "neutron.cmd.eventlet.server",
        ["--config-file", join(dir, `neutron-${region}.conf`)],
        { env },
      );
      await launch.waitReady(
        proc,
        () => httpAnswers(`http://127.0.0.1:${port}/`, (s) => s === 200),
        SERVICE_START_TIMEOUT,
      );
      return proc;
    }),
  ).then((procs) => {
    launch.progress("neutron answering");
    return procs;
  });
}
