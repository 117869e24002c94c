// Starts bench/servers/loopback.mjs in a child process and stops it again.
import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const SERVER = fileURLToPath(new URL("../servers/loopback.mjs", import.meta.url));

/**
 * @param {{ routes: Record<string, { status?: number, body?: string, bytes?: number, contentType?: string }>,
 *           maxRequests: number, maxLifetimeMs?: number }} options
 * @returns {Promise<{ origin: string, pid: number, served(): Promise<number>, stop(): Promise<number> }>}
 *   `stop` resolves with the number of requests the server answered.
 */
export async function startLoopbackServer(options) {
  const child = fork(SERVER, [JSON.stringify(options)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  let lastServed = 0;
  let stoppedEarly;
  child.on("message", (message) => {
    if (typeof message?.served === "number") lastServed = message.served;
    if (message?.type === "stopped") stoppedEarly = message.reason;
  });

  const [message] = await Promise.race([
    once(child, "message"),
    once(child, "exit").then(([code]) => {
      throw new Error(`the loopback server exited before listening (code ${code})`);
    }),
  ]);
  if (message?.type !== "listening") throw new Error(`unexpected message from the loopback server: ${message}`);

  return {
    origin: `http://127.0.0.1:${message.port}`,
    pid: child.pid,
    async served() {
      if (!child.connected) return lastServed;
      child.send({ type: "stats" });
      await once(child, "message");
      return lastServed;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, "exit");
        if (child.connected) child.send({ type: "stop" });
        const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
        await exited;
        clearTimeout(timer);
      }
      process.off("exit", killOnExit);
      if (stoppedEarly) process.stderr.write(`note: the loopback server had stopped early (${stoppedEarly})\n`);
      return lastServed;
    },
  };
}
