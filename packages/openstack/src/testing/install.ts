// The Debian packages the launcher needs. Only the Python libraries and the servers' programs: not the
// `keystone`, `swift-*` or `glance-api` packages, which add debconf questions, system users, init
// scripts and rsyslog, none of which a throwaway server on 127.0.0.1 wants.
import { execFileSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { ensureDebianPackages } from "@nimbus-sdk/common/testing";

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

/** Where invoke-rc.d looks for the local policy; exit code 101 means "do not start anything". */
const POLICY_RC_D = "/usr/sbin/policy-rc.d";

function installed(pkg: string): boolean {
  try {
    return execFileSync("dpkg-query", ["-W", "-f=${Status}", pkg], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).includes("install ok installed");
  } catch {
    return false;
  }
}

/**
 * Installs the missing packages when running as root and allowed, otherwise throws a ConfigError that
 * names the command. While apt runs, a policy-rc.d that exits 101 keeps it from starting the system
 * memcached (packages start their services on install), which would take the port and outlive us.
 */
export function ensureOpenStackPackages(
  options: { allowInstall?: boolean } = {},
  packages: readonly string[] = OPENSTACK_PACKAGES,
): void {
  const missing = packages.filter((p) => !installed(p));
  if (missing.length === 0) return;
  const mayInstall = process.getuid?.() === 0 && options.allowInstall !== false;
  const ownPolicy = mayInstall && !existsSync(POLICY_RC_D);
  if (ownPolicy)
    writeFileSync(POLICY_RC_D, "#!/bin/sh\n# written by @nimbus-sdk/openstack/testing\nexit 101\n", { mode: 0o755 });
  try {
    ensureDebianPackages(missing, options);
  } finally {
    if (ownPolicy) rmSync(POLICY_RC_D, { force: true });
  }
}
