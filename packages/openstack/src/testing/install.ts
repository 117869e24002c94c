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
