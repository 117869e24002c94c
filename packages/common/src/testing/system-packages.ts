import { execFileSync } from "node:child_process";
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

/**
 * Makes sure Debian packages are installed: installs the missing ones when running as root and
 * allowed, otherwise throws a ConfigError naming the command to run.
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
  execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { stdio: "ignore", env });
}
