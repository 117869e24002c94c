// Trove (Database as a Service, API v1.0) in its "fake mode": one process serves the real API (wsgi,
// policy, quotas, models on sqlite) and runs the real taskmanager beside it over oslo.messaging's
// in-process `fake://` transport, with Trove's own in-tree fakes standing in for Nova, Cinder,
// Neutron, Swift and the guest agent. Instances go ACTIVE in about ten seconds; resize does not work.
// No message bus and no other OpenStack service is needed, only Keystone.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PYTHON, httpAnswers, ini } from "./launch.js";
import type { Launch } from "./launch.js";
import { SERVICE_START_TIMEOUT, authtoken, baseSections, type AddonSetup, type ServicePlan } from "./service-conf.js";

/** The image id the datastore version names; the stand-in for Glance (below) knows every id. */
const IMAGE_ID = "00000000-0000-0000-0000-000000000001";
/** The datastore and version the launcher registers (Trove 18's MySQL manager). */
export const TROVE_DATASTORE = { type: "mysql", version: "5.7" } as const;

/**
 * Trove 18's fakes (trove/tests/fakes) lag the code they ship with; imported before fake mode starts.
 * Each patch answers one failure seen when starting it on Debian 12.
 */
const COMPAT_SHIM = `
import functools, inspect
# Python 3.11 removed getargspec; trove 18 still calls it (trove-manage, the API's wsgi layer).
if not hasattr(inspect, "getargspec"):
    inspect.getargspec = inspect.getfullargspec

# oslo.context 5 dropped RequestContext.tenant; the fakes still read it.
from oslo_context import context as _ctx
if not hasattr(_ctx.RequestContext, "tenant"):
    _ctx.RequestContext.tenant = property(lambda self: self.project_id)

from trove.tests.fakes import guestagent, nova

def _drop_unknown_keywords(cls):
    # The taskmanager now passes keywords the fakes never learned (meta=, ds_version=, search_opts=).
    for name, fn in list(vars(cls).items()):
        if name.startswith("__") or not inspect.isfunction(fn):
            continue
        params = inspect.signature(fn).parameters
        if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
            continue
        accepted = frozenset(params)
        def call(*args, __fn=fn, __accepted=accepted, **kwargs):
            return __fn(*args, **{k: v for k, v in kwargs.items() if k in __accepted})
        setattr(cls, name, functools.wraps(fn)(call))

for _cls in (nova.FakeServers, nova.FakeVolumes, guestagent.FakeGuest):
    _drop_unknown_keywords(_cls)

# The fake Nova server says HEALTHY (the guest's word) where Nova says ACTIVE, so instances stayed UNKNOWN.
_status = nova.FakeServer.status
nova.FakeServer.status = property(lambda self: "ACTIVE" if _status.fget(self) == "HEALTHY" else _status.fget(self))

# Fake mode launches the API without a host, i.e. on 0.0.0.0: listen on bind_host instead.
from oslo_config import cfg as _cfg
from trove.common import wsgi as _wsgi
_launch = _wsgi.launch
def _launch_on_bind_host(*args, **kwargs):
    kwargs.setdefault("host", _cfg.CONF.bind_host)
    return _launch(*args, **kwargs)
_wsgi.launch = _launch_on_bind_host
`;

/** Trove has no Glance fake; the API only checks that the datastore's image exists. */
const GLANCE_STAND_IN = `
class _Image(dict):
    def __init__(self, image_id):
        super().__init__(id=image_id)
        self.id = image_id

class _Images:
    def get(self, image_id):
        return _Image(image_id)
    def list(self, **kwargs):
        return iter([_Image("${IMAGE_ID}")])

class _Client:
    images = _Images()

def create(context, region_name=None):
    return _Client()
`;

/** The schema, the MySQL datastore and its configuration parameters (what trove-manage would do). */
const DB_SETUP = `
import sys
import trovefakecompat
from trove.common import cfg
cfg.parse_args(["trove-manage", "--config-file", sys.argv[1]])
from trove.db import get_db_api
from trove.datastore import models as ds
from trove.configuration import models as cm
get_db_api().db_sync(cfg.CONF)
ds.update_datastore("${TROVE_DATASTORE.type}", None)
ds.update_datastore_version("${TROVE_DATASTORE.type}", "${TROVE_DATASTORE.version}", "mysql", "${IMAGE_ID}", None, "", 1)
ds.update_datastore("${TROVE_DATASTORE.type}", "${TROVE_DATASTORE.version}")
# MySQL's rules, less the few whose bounds (2**64 - 1) sqlite cannot store as an INTEGER.
import json, os
rules = json.load(open("/usr/lib/python3/dist-packages/trove/templates/mysql/validation-rules.json"))
rules["configuration-parameters"] = [p for p in rules["configuration-parameters"]
    if all(abs(p.get(k) or 0) < 2**63 for k in ("min", "max"))]
path = os.path.join(os.path.dirname(sys.argv[2]), "mysql-rules.json")
json.dump(rules, open(path, "w"))
cm.load_datastore_configuration_parameters("${TROVE_DATASTORE.type}", "${TROVE_DATASTORE.version}", path)
# One process, but the API and the taskmanager write from separate green threads.
import sqlite3
sqlite3.connect(sys.argv[2]).execute("PRAGMA journal_mode=WAL").fetchall()
`;

const PASTE = ini({
  "composite:trove": { use: "call:trove.common.wsgi:versioned_urlmap", "/": "versions", "/v1.0": "troveapi" },
  "app:versions": { "paste.app_factory": "trove.versions:app_factory" },
  "pipeline:troveapi": {
    pipeline: "faultwrapper authtoken authorization contextwrapper ratelimit extensions troveapp",
  },
  "filter:extensions": { "paste.filter_factory": "trove.common.extensions:factory" },
  "filter:authtoken": { "paste.filter_factory": "keystonemiddleware.auth_token:filter_factory" },
  "filter:authorization": { "paste.filter_factory": "trove.common.auth:AuthorizationMiddleware.factory" },
  "filter:contextwrapper": { "paste.filter_factory": "trove.common.wsgi:ContextMiddleware.factory" },
  "filter:faultwrapper": { "paste.filter_factory": "trove.common.wsgi:FaultWrapper.factory" },
  "filter:ratelimit": { "paste.filter_factory": "trove.common.limits:RateLimitingMiddleware.factory" },
  "app:troveapp": { "paste.app_factory": "trove.common.api:app_factory" },
});

const FAKES = "trove.tests.fakes";

/** Plans Trove: a port, the `trove` service user and the `database` catalog entry in every region. */
export async function planTrove(launch: Launch, setup: AddonSetup): Promise<ServicePlan> {
  const port = await setup.port();
  const password = setup.password();
  const url = `http://127.0.0.1:${port}`;
  const dir = join(launch.dir, "trove");
  const conf = join(dir, "trove.conf");
  const env = launch.env({ PYTHONPATH: join(dir, "py") });
  return {
    url,
    catalog: [
      {
        type: "database",
        name: "trove",
        urls: Object.fromEntries(setup.regions.map((r) => [r, `${url}/v1.0/%(project_id)s`])),
      },
    ],
    users: [{ name: "trove", password, roles: ["admin"] }],
    prepare: async () => {
      mkdirSync(join(dir, "py"), { recursive: true });
      writeFileSync(join(dir, "py", "trovefakecompat.py"), COMPAT_SHIM);
      writeFileSync(join(dir, "py", "troveglancefake.py"), GLANCE_STAND_IN);
      writeFileSync(join(dir, "api-paste.ini"), PASTE);
      writeFileSync(
        conf,
        ini({
          DEFAULT: {
            bind_host: "127.0.0.1",
            bind_port: port,
            trove_api_workers: 1,
            api_paste_config: join(dir, "api-paste.ini"),
            transport_url: "fake://",
            remote_nova_client: `${FAKES}.nova.fake_create_nova_client`,
            remote_guest_client: `${FAKES}.guestagent.fake_create_guest_client`,
            remote_swift_client: `${FAKES}.swift.fake_create_swift_client`,
            remote_cinder_client: `${FAKES}.nova.fake_create_cinder_client`,
            remote_neutron_client: `${FAKES}.neutron.fake_create_neutron_client`,
            remote_glance_client: "troveglancefake.create",
            template_path: "/usr/lib/python3/dist-packages/trove/templates/",
            default_datastore: TROVE_DATASTORE.type,
            // Fake mode starts its taskmanager with an empty RPC key: the API must encrypt with the same.
            taskmanager_rpc_encr_key: "",
            // Poll every second, not every 3 to 5 (the defaults).
            usage_sleep_time: 1,
            state_change_poll_time: 1,
            // The fake guest sends one heartbeat only; its instances must not turn FAILED_TIMEOUT_GUESTAGENT.
            agent_heartbeat_expiry: 864000,
          },
          database: { connection: `sqlite:///${join(dir, "trove.db")}` },
          keystone_authtoken: authtoken(setup.env, "trove", password),
          ...baseSections(dir),
        }),
      );
      await launch.run("trove db setup", PYTHON, ["-c", DB_SETUP, conf, join(dir, "trove.db")], { env });
      launch.progress("trove database ready");
    },
    start: async () => {
      const code =
        "import sys, trovefakecompat; sys.argv[0] = 'trove-fake-mode'; " +
        "from trove.cmd.fakemode import main; sys.exit(main())";
      const proc = launch.spawn("trove", PYTHON, ["-c", code, "--config-file", conf], { env });
      // The version list answers without a token.
      await launch.waitReady(proc, () => httpAnswers(`${url}/`), SERVICE_START_TIMEOUT);
      launch.progress("trove answering");
    },
  };
}
