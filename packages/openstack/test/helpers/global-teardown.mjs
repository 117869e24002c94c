// Jest globalTeardown of the openstack package: stops the run's shared compute stack, if a test file
// started one (see global-setup.mjs), and removes the run's directory.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** Running, not a zombie (the stack's process may have been reparented to an init that never reaps). */
function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

export default async function globalTeardown() {
  const dir = process.env.NIMBUS_OPENSTACK_RUN_DIR;
  if (!dir) return;
  let pid;
  try {
    pid = Number(readFileSync(join(dir, "stack.pid"), "utf8"));
  } catch {
    // No test file asked for the stack.
  }
  if (pid > 0 && alive(pid)) {
    process.kill(pid, "SIGTERM");
    for (let waited = 0; alive(pid) && waited < 60_000; waited += 100) await sleep(100);
    if (alive(pid)) process.kill(pid, "SIGKILL");
  }
  rmSync(dir, { recursive: true, force: true });
  delete process.env.NIMBUS_OPENSTACK_RUN_DIR;
}
