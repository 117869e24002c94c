// A throwaway TLS identity for the simulator's https listener: a self-signed certificate for
// 127.0.0.1 and localhost made by openssl at start, so clients can be tested with `caFile` (the
// certificate is its own CA) as well as with `insecure: true`.
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@nimbus-sdk/common";

export interface TlsIdentity {
  key: string;
  cert: string;
  /** The certificate as a PEM file, to pass as a client's CA file. */
  caFile: string;
  /** Removes the temporary directory holding the files. */
  remove(): Promise<void>;
}

const OPENSSL_TIMEOUT_MS = 20_000;

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
  const keyFile = join(dir, "engine.key");
  const caFile = join(dir, "ca.pem");
  const args = [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/O=Nimbus SDK oVirt engine simulator/CN=127.0.0.1",
    "-addext",
    "subjectAltName=IP:127.0.0.1,DNS:localhost",
    "-keyout",
    keyFile,
    "-out",
    caFile,
  ];
  try {
    await new Promise<void>((resolve, reject) => {
      execFile("openssl", args, { timeout: OPENSSL_TIMEOUT_MS, signal }, (error, _stdout, stderr) => {
        if (!error) resolve();
        else if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          reject(
            new ConfigError(
              "the oVirt engine simulator needs openssl on PATH for https (or start it with protocol: 'http')",
            ),
          );
        } else reject(new ConfigError(`openssl could not make the simulator's certificate: ${stderr.trim()}`));
      });
    });
    const [key, cert] = await Promise.all([readFile(keyFile, "utf8"), readFile(caFile, "utf8")]);
    return { key, cert, caFile, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
