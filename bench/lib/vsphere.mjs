// Shared by the vsphere-* scenarios: vcsim from "@nimbus-sdk/vsphere/testing", pyVmomi (Debian's
// python3-pyvmomi) as a co-process or a fresh process, and the SDK's own entry points.
import { fileURLToPath } from "node:url";
import { ensureDebianPackages } from "@nimbus-sdk/common/testing";
import { startVcsim } from "@nimbus-sdk/vsphere/testing";
import { DEBIAN_PYTHON, debianVersion } from "./openstack.mjs";

export { CoProcess } from "./child.mjs";

export { DEBIAN_PYTHON, debianVersion };
export const PYVMOMI_SCRIPT = fileURLToPath(new URL("./vsphere-pyvmomi.py", import.meta.url));

/** pyVmomi 6.7.1 from Debian: installed when missing (as root). */
export const PYVMOMI_PACKAGE = "python3-pyvmomi";

/** Starts vcsim (building it first when needed) and pyVmomi's package; records how long vcsim took. */
export async function startSimulator(options) {
  ensureDebianPackages([PYVMOMI_PACKAGE]);
  const started = performance.now();
  const server = await startVcsim(options);
  return { server, startMs: Math.round(performance.now() - started) };
}

/** pyVmomi's connection settings for the simulator, as vsphere-pyvmomi.py reads them. */
export function pyvmomiSettings(server, mode) {
  return JSON.stringify({ host: server.host, port: server.port, user: server.username, pwd: server.password, mode });
}

/** The SDK's entry points; a clear error while @nimbus-sdk/vsphere is not built with them yet. */
export async function loadSdk() {
  const sdk = await import("@nimbus-sdk/vsphere");
  if (typeof sdk.SmartConnect !== "function") {
    throw new Error("@nimbus-sdk/vsphere has no SmartConnect: build packages/vsphere first");
  }
  return sdk;
}

/** SmartConnect's options for the simulator (its certificate is self-signed). */
export function connectOptions(server) {
  return {
    host: server.host,
    port: server.port,
    user: server.username,
    pwd: server.password,
    disableSslCertValidation: true,
  };
}
