// A loopback HTTP proxy in front of a server that breaks things on purpose, for tests of what the
// SDK reports when a connection fails: it can drop a request, corrupt a body, hold or drop the
// server's answer after the server acted on the request, or die with every connection open.
import { request as httpRequest, createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Transform } from "node:stream";

/**
 * `onRequest` may drop the connection before anything is forwarded, `corrupt` flips the first byte
 * of matching request or response bodies, `dropAnswer` cuts the connection once the server has
 * answered, `kill()` stops it dead.
 */
export class FaultyProxy {
  readonly server: Server;
  readonly seen: string[] = [];
  onRequest?: (req: IncomingMessage) => "drop" | "pass";
  corruptRequest?: (req: IncomingMessage) => boolean;
  corruptResponse?: (req: IncomingMessage) => boolean;
  /** Awaited after the server answered and before the answer is passed on. */
  beforeResponse?: (req: IncomingMessage) => Promise<void>;
  /** True: the server's answer is thrown away and the client's connection cut (the server did act). */
  dropAnswer?: (req: IncomingMessage) => boolean;

  constructor(private readonly target: URL) {
    this.server = createServer((req, res) => {
      this.seen.push(`${req.method} ${req.url}`);
      if (this.onRequest?.(req) === "drop") {
        req.socket.destroy();
        return;
      }
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        async (answer) => {
          await this.beforeResponse?.(req);
          if (this.dropAnswer?.(req)) req.socket.destroy();
          if (res.destroyed || req.socket.destroyed) return answer.resume();
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          (this.corruptResponse?.(req) ? answer.pipe(flipFirstByte()) : answer).pipe(res);
        },
      );
      upstream.on("error", () => res.destroy());
      req.on("error", () => upstream.destroy());
      (this.corruptRequest?.(req) ? req.pipe(flipFirstByte()) : req).pipe(upstream);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${this.target.pathname}`;
  }

  /** Stops listening and cuts every open connection, like a server that died. */
  kill(): void {
    this.server.close();
    this.server.closeAllConnections();
  }
}

function flipFirstByte(): Transform {
  let done = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (!done && chunk.length > 0) {
        const copy = Buffer.from(chunk);
        copy[0] = copy[0]! ^ 0xff;
        done = true;
        return callback(null, copy);
      }
      callback(null, chunk);
    },
  });
}
