import { statSync } from "node:fs";
import type { Logger } from "../logging/logger.js";

// Warnings about a file are given once per process, as Python's `warnings.warn` does by default:
// a long-lived program that re-reads its config should not repeat them on every reload.
const given = new Set<string>();

/** Logs `message` through `logger.warn` unless this warning was already given for this file. */
export function warnOnce(logger: Logger, kind: string, path: string, message: string): void {
  const key = `${kind}\0${path}`;
  if (given.has(key)) return;
  given.add(key);
  logger.warn(message);
}

/**
 * Warns when group or others may read or write a credential file (`mode & 0o077`), naming the chmod
 * that fixes it. POSIX only: Windows reports made-up mode bits.
 */
export function checkCredentialFileMode(path: string, logger: Logger): void {
  if (process.platform === "win32") return;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  warnOnce(
    logger,
    "credential-file-mode",
    path,
    `credential file ${path} is accessible to other users (mode ${mode.toString(8).padStart(4, "0")}); ` +
      `run: chmod 600 '${path.replace(/'/g, "'\\''")}'`,
  );
}
