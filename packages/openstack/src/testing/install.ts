// The Debian packages the launcher needs. Only the Python libraries and the servers' programs: not the
// `keystone`, `swift-*` or `glance-api` packages, which add debconf questions, system users, init
// scripts and rsyslog, none of which a throwaway server on 127.0.0.1 wants.
import { ensureDebianPackages } from "@nimbus-sdk/common/testing";

/** The Debian packages the test server runs Keystone, Swift and Glance from. */
export const OPENSTACK_PACKAGES: readonly string[] = [
  "python3-keystone",
  "uwsgi-core",
  "uwsgi-plugin-python3",
  "memcached",
  "python3-swift",
  "python3-keystonemiddleware",
  "python3-glance",
  "python3-glance-store",
];

/** Installs the missing packages when running as root and allowed, otherwise a ConfigError names the command. */
export function ensureOpenStackPackages(
  options: { allowInstall?: boolean } = {},
  packages: readonly string[] = OPENSTACK_PACKAGES,
): void {
  ensureDebianPackages(packages, options);
}

/**
 * What `startServer({ services: ["compute" | "network" | "volume"] })` needs besides: the message bus,
 * MariaDB (Nova on sqlite loses operations to `database is locked`) and the services' libraries.
 */
export const COMPUTE_PACKAGES: readonly string[] = [
  "rabbitmq-server",
  "mariadb-server",
  "python3-pymysql",
  "python3-nova",
  "python3-placement",
  "python3-neutron",
  "python3-cinder",
];

/** RabbitMQ, the message bus of Nova, Neutron, Cinder, Designate and Octavia. */
export const BUS_PACKAGES: readonly string[] = ["rabbitmq-server"];

/** Designate (api, central, worker, mdns) for `services: ["dns"]`. */
export const DNS_PACKAGES: readonly string[] = ["python3-designate", "mariadb-server", "python3-pymysql"];

/** Octavia (api, worker with the noop drivers) for `services: ["loadBalancer"]`. */
export const LB_PACKAGES: readonly string[] = ["python3-octavia", "mariadb-server", "python3-pymysql"];

/**
 * Trove in fake mode for `services: ["database"]`; python3-proboscis only because the fake guest
 * agent imports trove.tests.util.
 */
export const DATABASE_PACKAGES: readonly string[] = ["python3-trove", "python3-proboscis"];
