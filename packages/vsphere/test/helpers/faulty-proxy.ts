// A plain HTTP proxy on 127.0.0.1 in front of vcsim that fails chosen SOAP requests the way a load balancer
// or a flaky network does: a 503 page, or a connection reset after the request arrived.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Fault = "503" | "reset" | undefined;

export interface FaultyProxy {
  url: string;
  /** The SOAP operation of every request that reached the proxy, and what was done with it. */
  readonly log: { op: string; fault: Fault }[];
  /** Decides the fate of each request from its operation and how many requests came before it. */
  decide: (op: string, index: number) => Fault;
  close(): Promise<void>;
}

export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const upstream = new URL(target);
  const proxy: FaultyProxy = {
    url: "",
    log: [],
    decide: () => undefined,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const op = /<(\w+) xmlns="urn:vim25">/.exec(body.toString())?.[1] ?? req.url ?? "?";
      const fault = req.method === "POST" ? proxy.decide(op, proxy.log.length) : undefined;
      proxy.log.push({ op, fault });
      if (fault === "503") {
        res.writeHead(503, { "content-type": "text/html" }).end("<html><body>503 Service Unavailable</body></html>");
        return;
      }
      if (fault === "reset") {
        req.socket.resetAndDestroy();
        return;
      }
      const forward = request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on("error", () => res.destroy());
      forward.end(body);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${upstream.pathname}`;
  return proxy;
}
