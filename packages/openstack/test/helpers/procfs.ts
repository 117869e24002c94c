// What the launcher tests read from /proc: which processes live, belong to a server's process group,
// mention a directory, listen on which ports, and how much memory they take.
import { readFileSync, readdirSync, readlinkSync } from "node:fs";

function pids(): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

/** A process that exists and is not a zombie waiting for its (new) parent to reap it. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Processes (other than this one) whose command line mentions `text`. */
export function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const pid of pids()) {
    if (pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").includes(text)) found.push(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** Live members of the process groups the servers lead. */
export function groupMembers(groups: readonly number[]): number[] {
  const members: number[] = [];
  for (const pid of pids()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // A zombie is dead already; init reaps it in its own time.
      if (state !== "Z" && groups.includes(Number(pgrp))) members.push(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  return members;
}

/** Proportional set size of the processes, in MB. */
export function pssMegabytes(of: readonly number[]): number {
  let kb = 0;
  for (const pid of of) {
    try {
      const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
      kb += Number(match?.[1] ?? 0);
    } catch {
      // Gone meanwhile.
    }
  }
  return Math.round(kb / 1024);
}

/** TCP listeners (IPv4 and IPv6): address, port and socket inode. */
export function tcpListeners(): { address: string; port: number; inode: number }[] {
  const found: { address: string; port: number; inode: number }[] = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.trim().split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // st 0A is LISTEN.
      if (fields[3] !== "0A") continue;
      const [address, port] = fields[1]!.split(":");
      found.push({ address: address!, port: parseInt(port!, 16), inode: Number(fields[9]) });
    }
  }
  return found;
}

/** The ports the processes listen on, by pid. */
export function listeningPorts(of: readonly number[]): Map<number, number[]> {
  const byInode = new Map(tcpListeners().map((l) => [l.inode, l.port]));
  const ports = new Map<number, number[]>();
  for (const pid of of) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        const port = inode === undefined ? undefined : byInode.get(Number(inode));
        if (port !== undefined) ports.set(pid, [...(ports.get(pid) ?? []), port]);
      } catch {
        // Closed meanwhile.
      }
    }
  }
  return ports;
}

/** Addresses (hex, as /proc has them) that listen on anything but loopback, among `ports`. */
export function nonLoopbackListeners(ports: readonly number[]): string[] {
  const loopback = new Set(["0100007F", "00000000000000000000000001000000"]);
  return tcpListeners()
    .filter((l) => ports.includes(l.port) && !loopback.has(l.address))
    .map((l) => `${l.address}:${l.port}`);
}
