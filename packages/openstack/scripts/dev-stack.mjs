#!/usr/bin/env node
// Starts the OpenStack test stack (Keystone, Glance, Nova, Placement, Neutron, Cinder, Designate; see
// `startServer` in src/testing), writes its description as JSON to the path given, and keeps it
// running until SIGINT or SIGTERM (or until the --parent process exits), then stops everything.
//
//   node packages/openstack/scripts/dev-stack.mjs /tmp/stack.json [--services compute,volume,object-store] [--parent PID]
//   NIMBUS_OPENSTACK_STACK=/tmp/stack.json <run the openstack tests>   # they use this stack, start none
//
// Loads the package's build (dist): run `pnpm turbo run build --filter @nimbus-sdk/openstack` first.
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    services: { type: "string", default: "compute,network,volume,dns,database,loadBalancer" },
    parent: { type: "string" },
  },
});
if (positionals.length !== 1) {
  console.error("usage: dev-stack.mjs <description.json> [--services compute,network,volume] [--parent PID]");
  process.exit(2);
}
const target = resolve(positionals[0]);
const parent = values.parent === undefined ? undefined : Number(values.parent);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { startServer } = await import(join(root, "dist/esm/testing/index.js"));

const stopping = new AbortController();
const began = performance.now();
const started = startServer({
  services: values.services.split(",").filter(Boolean),
  signal: stopping.signal,
  onProgress: (step, ms) => console.log(`${(ms / 1000).toFixed(1)} s  ${step}`),
});
let done = false;
const finish = async (code) => {
  if (done) return;
  done = true;
  stopping.abort();
  rmSync(target, { force: true });
  // A start that is cancelled stops what it started before it rejects.
  await started.then((server) => server.stop()).catch(() => undefined);
  process.exit(code);
};
// common's ManagedProcess kills the servers on these signals; stop() then removes the launch's directory.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => void finish(0));
if (parent !== undefined) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      void finish(0);
    }
  }, 1000);
}

try {
  const server = await started;
  const description = { ...server, pid: process.pid, startupMs: Math.round(performance.now() - began) };
  // Written whole, then renamed: a reader never sees half of it.
  writeFileSync(`${target}.tmp`, `${JSON.stringify(description, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${target}.tmp`, target);
  console.log(
    `stack ready in ${(description.startupMs / 1000).toFixed(1)} s; description in ${target}; Ctrl-C stops it`,
  );
} catch (error) {
  if (!done) {
    console.error(`the stack did not start: ${error.stack ?? error}`);
    await finish(1);
  }
}
