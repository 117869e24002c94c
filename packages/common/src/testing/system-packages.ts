import { execFileSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { ConfigError } from "../errors/index.js";

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

/** Where invoke-rc.d looks for the local policy; exit code 101 means "start nothing". */
const POLICY_RC_D = "/usr/sbin/policy-rc.d";

/**
 * Makes sure Debian packages are installed: installs the missing ones when running as root and
 * allowed, otherwise throws a ConfigError naming the command to run. While apt runs, a policy-rc.d
 * that exits 101 keeps packages from starting their system services (a memcached or a web server
 * that would take a port and outlive the tests).
 */
export function ensureDebianPackages(packages: readonly string[], options: { allowInstall?: boolean } = {}): void {
  const missing = packages.filter((p) => !installed(p));
  if (missing.length === 0) return;
  const root = process.getuid?.() === 0;
  const command = `apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  if (!root || options.allowInstall === false) {
    throw new ConfigError(
      `missing Debian packages ${missing.join(", ")}: run 'sudo ${command}' (or 'sudo bash scripts/setup.sh')`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const ownPolicy = !existsSync(POLICY_RC_D);
  if (ownPolicy)
    writeFileSync(POLICY_RC_D, "#!/bin/sh\n# written by @nimbus-sdk/common/testing\nexit 101\n", { mode: 0o755 });
  try {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore", env });
    execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { stdio: "ignore", env });
  } finally {
    if (ownPolicy) rmSync(POLICY_RC_D, { force: true });
  }
}
