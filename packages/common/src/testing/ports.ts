import { createServer, type AddressInfo, type Server } from "node:net";
import { AbortError } from "../errors/index.js";

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `server` listening on 127.0.0.1 (at `port`, or one the OS picks) and resolves to the port.
 * An abort of `signal` before it listens closes it and rejects with an AbortError naming `what`.
 */
export async function listenOnLoopback(
  server: Server,
  options: { port?: number; signal?: AbortSignal; what: string },
): Promise<number> {
  const { signal, what } = options;
  const cancelled = () => new AbortError(`starting ${what} was cancelled`, { cause: signal?.reason });
  if (signal?.aborted) throw cancelled();
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      server.close();
      reject(cancelled());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    server.once("error", (error) => {
      signal?.removeEventListener("abort", onAbort);
      reject(error);
    });
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
