// memcached, for Swift's cache middleware and the services' token caches.
import type { ManagedProcess } from "@nimbus-sdk/common/testing";
import { tcpOpen, type Launch } from "./launch.js";

export function startMemcached(launch: Launch, port: number): ManagedProcess {
  // memcached refuses to run as root unless told which user to be.
  const user = process.getuid?.() === 0 ? ["-u", "root"] : [];
  return launch.spawn("memcached", "/usr/bin/memcached", [
    "-l",
    "127.0.0.1",
    "-p",
    String(port),
    "-U",
    "0",
    "-m",
    "64",
    "-t",
    "2",
    ...user,
  ]);
}

export async function waitForMemcached(launch: Launch, proc: ManagedProcess, port: number): Promise<void> {
  await launch.waitReady(proc, () => tcpOpen(port));
}
