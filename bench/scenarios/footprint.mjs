// What `npm install` brings in for each provider: @nimbus-sdk/<provider> with @nimbus-sdk/common (from
// `pnpm pack` tarballs, as a user would get them from the registry), each into an empty folder with
// plain npm; and pkgcloud 2.2.0 from the registry, the peer openstack is compared with. Counts packages
// and measures disk usage (issue 16: 3 packages and at most 5 MB per provider; docs/decisions/0028).
import { execFile as execFileCallback } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const execFile = promisify(execFileCallback);
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const pnpm = existsSync(join(root, ".tools/node_modules/.bin/pnpm"))
  ? join(root, ".tools/node_modules/.bin/pnpm")
  : "pnpm";
const PKGCLOUD = "pkgcloud@2.2.0";
// Optional peers (keyring back ends, OpenTelemetry's API) that a default install must leave out.
const OPTIONAL_PEERS = ["@napi-rs/keyring", "keytar", "@opentelemetry/api"];

async function run(command, args, options = {}) {
  try {
    return await execFile(command, args, { maxBuffer: 64 * 1024 * 1024, timeout: 300_000, ...options });
  } catch (error) {
    const output = `${error.stdout ?? ""}${error.stderr ?? ""}`.trim().slice(-2000);
    throw new Error(`${[command, ...args].join(" ")} failed (${error.code ?? error.signal}): ${output}`, {
      cause: error,
    });
  }
}

/** Every package.json at a package's root under node_modules, scoped and nested ones included. */
function installedPackages(nodeModules) {
  const found = [];
  const visitPackage = (dir) => {
    if (existsSync(join(dir, "package.json"))) {
      const { name, version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      found.push(`${name}@${version}`);
    }
    if (existsSync(join(dir, "node_modules"))) visitModules(join(dir, "node_modules"));
  };
  const visitModules = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith("@")) {
        for (const scoped of readdirSync(path, { withFileTypes: true })) {
          if (scoped.isDirectory()) visitPackage(join(path, scoped.name));
        }
      } else {
        visitPackage(path);
      }
    }
  };
  visitModules(nodeModules);
  return found;
}

/** npm-installs `specs` into a fresh folder; returns the figures, as an OperationReport. */
async function install(state, label, specs) {
  const app = mkdtempSync(join(state.dir, `${label}-`));
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  const t0 = process.hrtime.bigint();
  // --ignore-scripts: the footprint does not change (pkgcloud's only script, aws-sdk's, prints a notice).
  await run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", ...specs], {
    cwd: app,
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  const elapsedUs = Number(process.hrtime.bigint() - t0) / 1000;
  const nodeModules = join(app, "node_modules");
  const packages = installedPackages(nodeModules);
  const { stdout: du } = await run("du", ["-sk", nodeModules]);
  const { stdout: apparent } = await run("du", ["-sb", nodeModules]);
  const peers = OPTIONAL_PEERS.filter((name) => existsSync(join(nodeModules, name, "package.json")));
  // Where the space goes: each top-level package folder (its nested node_modules included).
  const topLevel = readdirSync(nodeModules)
    .filter((name) => !name.startsWith("."))
    .flatMap((name) =>
      name.startsWith("@") ? readdirSync(join(nodeModules, name)).map((s) => `${name}/${s}`) : [name],
    );
  const { stdout: each } = await run("du", ["-sk", ...topLevel.map((name) => join(nodeModules, name))]);
  const largest = each
    .trim()
    .split("\n")
    .map((line) => line.split("\t"))
    .map(([kib, path]) => [path.slice(nodeModules.length + 1), Number.parseInt(kib, 10)])
    .sort((a, b) => b[1] - a[1]);
  state.installs[label] = {
    packages: packages.sort(),
    distinct: new Set(packages).size,
    largestMB: largest.slice(0, 6).map(([name, kib]) => `${name} ${((kib * 1024) / 1e6).toFixed(1)}`),
    apparentMB: Math.round(Number.parseInt(apparent, 10) / 1e5) / 10,
    optionalPeersInstalled: peers,
  };
  rmSync(app, { recursive: true, force: true });
  return {
    elapsedUs,
    cpuUs: null, // npm's work happens in its own processes
    metrics: {
      packages: packages.length,
      sizeMB: (Number.parseInt(du, 10) * 1024) / 1e6,
      optionalPeers: peers.length,
    },
  };
}

const PROVIDERS = ["openstack", "vsphere", "ovirt", "opennebula", "tutum"];
const variantOf = (provider) => `@nimbus-sdk/${provider}`;

export default {
  name: "footprint",
  title: "Installed footprint of each provider (with common and undici); pkgcloud 2.2.0 beside openstack",
  description:
    "One operation: `npm install --ignore-scripts` into an empty folder with plain npm, then every package.json at " +
    "a package root under node_modules is counted (scoped and nested included, the installed packages themselves " +
    "too; a package installed twice at two versions counts twice) and node_modules is measured with `du -sk` (disk " +
    "usage in 4 KiB blocks, MB = 10^6 bytes). A provider's row installs the `pnpm pack` tarballs of that provider " +
    "and of @nimbus-sdk/common (what the registry would serve); pkgcloud 2.2.0, the peer of @nimbus-sdk/openstack, " +
    "comes from the registry. The time column is npm's wall time with whatever npm cache the machine has: not a " +
    "goal. `optional peers` counts @napi-rs/keyring, keytar and @opentelemetry/api in node_modules: optional " +
    "peers, never installed by default.",
  baseline: "pkgcloud 2.2.0",
  goals: PROVIDERS.flatMap((provider) => [
    {
      variant: variantOf(provider),
      metric: "packages",
      max: 3,
      text: "3 packages: the provider, common, undici (issue)",
    },
    { variant: variantOf(provider), metric: "sizeMB", max: 5, text: "at most 5 MB on disk (issue)" },
    {
      variant: variantOf(provider),
      metric: "optionalPeers",
      max: 0,
      text: "no optional peer (keyring back ends, OpenTelemetry) is installed",
    },
  ]),
  work: { perOp: 1, unit: "installs" },
  metrics: [
    { key: "packages", label: "packages", digits: 0 },
    { key: "sizeMB", label: "MB on disk", digits: 2 },
    { key: "optionalPeers", label: "optional peers", digits: 0 },
  ],
  // The figures do not vary: one install each (a few seconds per provider; pkgcloud's 226 packages 10-30 s).
  warmupRounds: 0,
  rounds: 1,
  opsPerRound: 1,

  versions() {
    const manifest = (dir) => JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"));
    return {
      ...Object.fromEntries(["common", ...PROVIDERS].map((dir) => [variantOf(dir), manifest(dir).version])),
      pkgcloud: "2.2.0",
    };
  },

  async setup() {
    for (const dir of ["common", ...PROVIDERS]) {
      if (!existsSync(join(root, "packages", dir, "dist/cjs/index.js"))) {
        throw new Error(`packages/${dir} is not built: run \`pnpm turbo run build\` first`);
      }
    }
    const dir = mkdtempSync(join(tmpdir(), "nimbus-bench-footprint-"));
    try {
      const tarballDir = join(dir, "tarballs");
      mkdirSync(tarballDir);
      const tarballs = {};
      for (const pkg of ["common", ...PROVIDERS]) {
        const { name, version } = JSON.parse(readFileSync(join(root, "packages", pkg, "package.json"), "utf8"));
        await run(pnpm, ["pack", "--pack-destination", tarballDir], { cwd: join(root, "packages", pkg) });
        tarballs[pkg] = join(tarballDir, `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`);
      }
      return { dir, tarballs, installs: {} };
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  },

  variants: {
    ...Object.fromEntries(
      PROVIDERS.map((provider) => [
        variantOf(provider),
        (state) => install(state, provider, [state.tarballs.common, state.tarballs[provider]]),
      ]),
    ),
    "pkgcloud 2.2.0": (state) => install(state, "pkgcloud", [PKGCLOUD]),
  },

  async teardown(state) {
    if (!state) return undefined;
    rmSync(state.dir, { recursive: true, force: true });
    const notes = {};
    for (const provider of PROVIDERS) {
      const ours = state.installs[provider];
      if (!ours) continue;
      notes[`${provider}Packages`] = ours.packages.join(", ");
      notes[`${provider}LargestMB`] = ours.largestMB.join(", ");
      notes[`${provider}ApparentMB`] = ours.apparentMB;
    }
    const pkgcloud = state.installs.pkgcloud;
    return {
      ...notes,
      pkgcloudDistinctPackages: pkgcloud?.distinct,
      pkgcloudLargestMB: pkgcloud?.largestMB.join(", "),
      pkgcloudApparentMB: pkgcloud?.apparentMB,
    };
  },
};
