// RabbitMQ, the message bus of Nova, Neutron and Cinder, run from Debian's package as the current user
// with every file under the launch's directory and every socket on 127.0.0.1. Its own epmd (Erlang's
// port mapper) runs in the foreground on a free port: the one Erlang would start itself daemonizes,
// listens on 4369 for every user of the machine and outlives the broker.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NimbusError } from "@nimbus-sdk/common";
import type { ManagedProcess } from "@nimbus-sdk/common/testing";
import { tcpOpen, type Launch } from "./launch.js";
import { SERVICE_START_TIMEOUT } from "./service-conf.js";

export interface RabbitSetup {
  /** AMQP port. */
  port: number;
  /** Erlang distribution port (the CLI tools' way in; nothing here uses it). */
  distPort: number;
  epmdPort: number;
}

const LIB = "/usr/lib/rabbitmq/lib";

/** The broker's own start script: /usr/sbin/rabbitmq-server switches to the `rabbitmq` user and /var/lib. */
function serverScript(): string {
  const version = readdirSync(LIB).find((name) => name.startsWith("rabbitmq_server-"));
  if (!version) throw new NimbusError(`no rabbitmq_server-* under ${LIB}: is rabbitmq-server installed?`);
  return join(LIB, version, "sbin", "rabbitmq-server");
}

/** The URL oslo.messaging takes; `guest` may log in from the loopback interface only, which is all there is. */
export function transportUrl(setup: RabbitSetup): string {
  return `rabbit://guest:guest@127.0.0.1:${setup.port}/`;
}

/** Starts epmd and the broker; resolves once the broker accepts AMQP connections. */
export async function startRabbit(launch: Launch, setup: RabbitSetup): Promise<ManagedProcess[]> {
  const dir = join(launch.dir, "rabbitmq");
  mkdirSync(dir);
  writeFileSync(join(dir, "enabled_plugins"), "[].\n");
  writeFileSync(join(dir, "rabbitmq-env.conf"), "");
  const epmd = launch.spawn("epmd", "/usr/bin/epmd", ["-address", "127.0.0.1", "-port", String(setup.epmdPort)]);
  const epmdEnv = { ERL_EPMD_ADDRESS: "127.0.0.1", ERL_EPMD_PORT: String(setup.epmdPort) };
  await launch.waitReady(epmd, () => tcpOpen(setup.epmdPort));
  const broker = launch.spawn("rabbitmq", serverScript(), [], {
    env: launch.env({
      ...epmdEnv,
      // The script then execs the Erlang VM (with -noinput) instead of waiting on it as a child: one
      // process, which gets the launcher's PR_SET_PDEATHSIG too (see Launch.spawn).
      RUNNING_UNDER_SYSTEMD: "1",
      // The Erlang cookie goes to $HOME.
      HOME: dir,
      RABBITMQ_NODENAME: "rabbit@localhost",
      RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1",
      RABBITMQ_NODE_PORT: String(setup.port),
      RABBITMQ_DIST_PORT: String(setup.distPort),
      RABBITMQ_MNESIA_BASE: join(dir, "mnesia"),
      RABBITMQ_LOG_BASE: join(dir, "log"),
      RABBITMQ_LOGS: "-",
      RABBITMQ_PID_FILE: join(dir, "rabbit.pid"),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, "enabled_plugins"),
      RABBITMQ_CONFIG_FILE: join(dir, "rabbitmq"),
      RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, "advanced.config"),
      RABBITMQ_CONF_ENV_FILE: join(dir, "rabbitmq-env.conf"),
      // Without inet_dist_use_interface the distribution port listens on 0.0.0.0.
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: "-kernel inet_dist_use_interface {127,0,0,1} -start_epmd false",
    }),
  });
  // The AMQP listener opens last in the boot sequence.
  await launch.waitReady(broker, () => tcpOpen(setup.port), SERVICE_START_TIMEOUT);
  launch.progress("rabbitmq answering");
  return [epmd, broker];
}
