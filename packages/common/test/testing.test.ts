import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { describe, expect, it } from "@jest/globals";
import { ConfigError, TimeoutError } from "../src/index.js";
import { ManagedProcess, ensureDebianPackages, freePort } from "../src/testing/index.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
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

  it("ManagedProcess starts a server, waits until it answers, and stop() leaves nothing behind", async () => {
    const port = await freePort();
    // A child that starts a grandchild: stop() must end the whole process group.
    const script = `
      require("child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "inherit" });
      require("http").createServer((q, s) => s.end("up")).listen(${port}, "127.0.0.1", () => console.log("listening"));`;
    const server = new ManagedProcess({ name: "echo", command: process.execPath, args: ["-e", script] });
    await server.waitUntilReady(async () => (await fetch(`http://127.0.0.1:${port}/`)).ok, 10_000);
    expect(server.output()).toContain("listening");
    const { pid, dir } = server;
    expect(existsSync(dir)).toBe(true);
    await server.stop();
    expect(alive(pid!)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it("reports a server that dies while starting with its output", async () => {
    const server = new ManagedProcess({
      name: "crash",
      command: process.execPath,
      args: ["-e", 'console.error("bad config line 3"); process.exit(2)'],
    });
    await expect(server.waitUntilReady(async () => false, 10_000)).rejects.toThrow(
      /crash exited while starting:\n.*bad config line 3/,
    );
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
});
