// A throwaway TLS identity for a test server on 127.0.0.1, made by the openssl command: an EC P-256 key
// (accepted at every OpenSSL security level, unlike the 1024-bit RSA keys some simulators ship) and a
// self-signed certificate that is its own CA, so clients can be tested with verification on.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { AbortError, ConfigError } from "../errors/index.js";

/** The files and PEM text written by {@link writeSelfSignedCertificate}. */
export interface SelfSignedCertificate {
  /** The private key, PEM (PKCS#8). */
  key: string;
  /** The certificate, PEM: pass it as a client's CA. */
  cert: string;
  keyFile: string;
  certFile: string;
}

/** Options of {@link writeSelfSignedCertificate}. */
export interface SelfSignedCertificateOptions {
  /** An existing folder, private to the server, that receives `key.pem` and `cert.pem`; its owner removes it. */
  dir: string;
  /** The server it is for, as the certificate's organization and in error messages ("vcsim"). */
  server: string;
  signal?: AbortSignal;
}

const OPENSSL_TIMEOUT_MS = 20_000;

/**
 * Writes a self-signed certificate for 127.0.0.1 and localhost, valid two days, with a fresh EC P-256 key,
 * using `openssl` from PATH (Debian's `openssl` package). Throws a ConfigError when openssl is missing or fails.
 */
export async function writeSelfSignedCertificate(
  options: SelfSignedCertificateOptions,
): Promise<SelfSignedCertificate> {
  const keyFile = join(options.dir, "key.pem");
  const certFile = join(options.dir, "cert.pem");
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
    `/O=Nimbus SDK ${options.server.replace(/[/=\\]/g, " ")}/CN=127.0.0.1`,
    "-addext",
    "subjectAltName=IP:127.0.0.1,DNS:localhost",
    "-keyout",
    keyFile,
    "-out",
    certFile,
  ];
  await new Promise<void>((resolve, reject) => {
    execFile("openssl", args, { timeout: OPENSSL_TIMEOUT_MS, signal: options.signal }, (error, _stdout, stderr) => {
      if (!error) resolve();
      else if (options.signal?.aborted) {
        reject(
          new AbortError(`making the certificate of ${options.server} was cancelled`, { cause: options.signal.reason }),
        );
      } else if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        reject(
          new ConfigError(
            `${options.server} needs openssl on PATH for its https certificate (Debian's openssl package)`,
          ),
        );
      } else
        reject(
          new ConfigError(`openssl could not make the certificate of ${options.server}: ${stderr.trim()}`, {
            cause: error,
          }),
        );
    });
  });
  const [key, cert] = await Promise.all([readFile(keyFile, "utf8"), readFile(certFile, "utf8")]);
  return { key, cert, keyFile, certFile };
}
