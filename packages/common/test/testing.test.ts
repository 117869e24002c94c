import { spawn } from "node:child_process";
import { once } from "node:events";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect, createServer as createTlsServer } from "node:tls";
import { describe, expect, it } from "@jest/globals";
import { AbortError, ConfigError, ConnectionError, TimeoutError } from "../src/index.js";
import {
  ManagedProcess,
  ensureDebianPackages,
  freePort,
  listenOnLoopback,
  writeSelfSignedCertificate,
} from "../src/testing/index.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie has ended; it only waits for its new parent (init) to reap it.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

describe("testing helpers", () => {
  it("freePort gives a port that can be bound on 127.0.0.1", async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
    await new Promise((resolve) => server.close(resolve));
  });

  it("listenOnLoopback listens on 127.0.0.1 only, and an aborted start rejects naming what was started", async () => {
    const server = createServer();
    const port = await listenOnLoopback(server, { what: "a test server" });
    expect(server.address()).toEqual({ address: "127.0.0.1", family: "IPv4", port });
    await new Promise((resolve) => server.close(resolve));
    const aborted = AbortSignal.abort(new Error("no"));
    const error = await listenOnLoopback(createServer(), { what: "a test server", signal: aborted }).catch((e) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(error.message).toBe("starting a test server was cancelled");
    const taken = createServer();
    await listenOnLoopback(taken, { port, what: "the first server" });
    await expect(listenOnLoopback(createServer(), { port, what: "the second" })).rejects.toThrow(/EADDRINUSE/);
    await new Promise((resolve) => taken.close(resolve));
  });

  it("ManagedProcess starts a server, waits until it answers, and stop() leaves nothing behind", async () => {
    const port = await freePort();
    // A child that starts a grandchild: stop() must end the whole process group.
    const script = `
      const grandchild = require("child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "inherit" });
      require("http").createServer((q, s) => s.end(String(grandchild.pid))).listen(${port}, "127.0.0.1", () => console.log("listening"));`;
    const server = new ManagedProcess({ name: "echo", command: process.execPath, args: ["-e", script] });
    await server.waitUntilReady(async () => (await fetch(`http://127.0.0.1:${port}/`)).ok, 10_000);
    expect(server.output()).toContain("listening");
    const grandchild = Number(await (await fetch(`http://127.0.0.1:${port}/`)).text());
    expect(alive(grandchild)).toBe(true);
    const { pid, dir } = server;
    expect(existsSync(dir)).toBe(true);
    await server.stop();
    expect(alive(pid!)).toBe(false);
    // The grandchild is not ours to wait for: give the group's SIGTERM a moment to reach it.
    for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(grandchild)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it("stops its servers and removes their directories when this process is interrupted (Ctrl-C)", async () => {
    // The built package in a node process of its own, as a user's test run or the demo would use it.
    const script = `
      import { ManagedProcess } from "@nimbus-sdk/common/testing";
      const server = new ManagedProcess({ name: "sleeper", command: process.execPath, args: ["-e", "setInterval(() => {}, 1000)"] });
      console.log(JSON.stringify({ pid: server.pid, dir: server.dir }));
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const [line] = (await once(child.stdout!, "data")) as [Buffer];
    const { pid, dir } = JSON.parse(line.toString()) as { pid: number; dir: string };
    expect(alive(pid)).toBe(true);
    expect(existsSync(dir)).toBe(true);
    child.kill("SIGINT");
    const [, signal] = (await once(child, "exit")) as [number | null, string | null];
    expect(signal).toBe("SIGINT");
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it("reports a server that dies while starting with its output", async () => {
    const server = new ManagedProcess({
      name: "crash",
      command: process.execPath,
      args: ["-e", 'console.error("bad config line 3"); process.exit(2)'],
    });
    const error = await server.waitUntilReady(async () => false, 10_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/crash exited while starting:\n.*bad config line 3/);
    await server.stop();
  });

  it("gives up on a server that never answers with a TimeoutError", async () => {
    const server = new ManagedProcess({
      name: "mute",
      command: process.execPath,
      args: ["-e", "setInterval(() => {}, 1000)"],
    });
    await expect(server.waitUntilReady(async () => false, 300)).rejects.toBeInstanceOf(TimeoutError);
    await server.stop();
    expect(server.exited).toBe(true);
  });

  it("ensureDebianPackages accepts installed packages and names the command for missing ones", () => {
    expect(() => ensureDebianPackages(["dpkg"])).not.toThrow();
    expect(() => ensureDebianPackages(["dpkg", "nimbus-no-such-package"], { allowInstall: false })).toThrow(
      ConfigError,
    );
    expect(() => ensureDebianPackages(["nimbus-no-such-package"], { allowInstall: false })).toThrow(
      /apt-get install -y --no-install-recommends nimbus-no-such-package/,
    );
  });

  it("writeSelfSignedCertificate makes a P-256 certificate for 127.0.0.1 that verifies as its own CA", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nimbus-cert-test-"));
    try {
      const made = await writeSelfSignedCertificate({ dir, server: "test server" });
      expect(readFileSync(made.certFile, "utf8")).toBe(made.cert);
      const x509 = new X509Certificate(made.cert);
      expect(x509.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: "prime256v1" });
      expect(x509.checkIP("127.0.0.1")).toBe("127.0.0.1");
      expect(x509.subject).toContain("O=Nimbus SDK test server");

      const server = createTlsServer({ key: made.key, cert: made.cert }, (socket) => socket.end("hello"));
      const port = await listenOnLoopback(server, { what: "a TLS server" });
      const read = (ca: string | undefined) =>
        new Promise<string>((resolve, reject) => {
          const socket = tlsConnect({ host: "127.0.0.1", port, ca }, () =>
            socket.setEncoding("utf8").once("data", resolve),
          );
          socket.once("error", reject);
        });
      try {
        expect(await read(made.cert)).toBe("hello");
        await expect(read(undefined)).rejects.toThrow(/self[- ]signed/i);
      } finally {
        server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
