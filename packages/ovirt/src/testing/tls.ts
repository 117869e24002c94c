// A throwaway TLS identity for the simulator's https listener: a self-signed certificate for
// 127.0.0.1 and localhost made by openssl at start (common's writeSelfSignedCertificate), so clients
// can be tested with `caFile` (the certificate is its own CA) as well as with `insecure: true`.
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeSelfSignedCertificate } from "@nimbus-sdk/common/testing";

export interface TlsIdentity {
  key: string;
  cert: string;
  /** The certificate as a PEM file, to pass as a client's CA file. */
  caFile: string;
  /** Removes the temporary directory holding the files. */
  remove(): Promise<void>;
}

// Directories not yet removed by close(): removed when the process exits, so a test killed midway
// leaves no certificate behind.
const liveDirs = new Set<string>();
let exitHookInstalled = false;

function track(dir: string): () => Promise<void> {
  liveDirs.add(dir);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const live of liveDirs) rmSync(live, { recursive: true, force: true });
    });
  }
  return async () => {
    liveDirs.delete(dir);
    await rm(dir, { recursive: true, force: true });
  };
}

export async function makeSelfSignedIdentity(signal?: AbortSignal): Promise<TlsIdentity> {
  const dir = await mkdtemp(join(tmpdir(), "nimbus-ovirt-engine-"));
  const remove = track(dir);
  try {
    const { key, cert, certFile } = await writeSelfSignedCertificate({ dir, server: "oVirt engine simulator", signal });
    return { key, cert, caFile: certFile, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
