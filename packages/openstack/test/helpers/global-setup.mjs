// Jest globalSetup of the openstack package: a directory for this run's shared compute stack, named in
// NIMBUS_OPENSTACK_RUN_DIR for the test workers. Nothing starts here: the first test file that calls
// `sharedComputeCloud()` (test/helpers/stack.ts) starts the stack, and globalTeardown stops it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function globalSetup() {
  if (process.env.NIMBUS_OPENSTACK_STACK) return;
  process.env.NIMBUS_OPENSTACK_RUN_DIR = mkdtempSync(join(tmpdir(), "nimbus-openstack-run-"));
  // The stack's process exits by itself if this one dies without a teardown.
  process.env.NIMBUS_OPENSTACK_RUN_OWNER = String(process.pid);
}
