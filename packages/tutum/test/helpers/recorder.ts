// A tiny HTTP server for unit tests: answers with a handler and records every request (method, path,
// query, headers, body), so tests can assert exactly what the SDK sent. Integration tests use the
// real simulator (@nimbus-sdk/tutum/testing) instead.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: IncomingMessage["headers"];
  body: unknown;
}

export type Reply = { status?: number; body?: unknown; raw?: string; headers?: Record<string, string> } | undefined;
export type Handler = (request: Recorded) => Reply | Promise<Reply>;

export interface Recorder {
  /** `http://127.0.0.1:<port>/api/v1/` */
  url: string;
  requests: Recorded[];
  handler: Handler;
  stop(): Promise<void>;
}

export async function startRecorder(handler: Handler = () => ({ body: {} })): Promise<Recorder> {
  const recorder: Recorder = { url: "", requests: [], handler, stop: async () => undefined };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://x");
      const query: Record<string, string[]> = {};
      for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the text
      }
      const recorded: Recorded = { method: req.method ?? "", path: url.pathname, query, headers: req.headers, body };
      recorder.requests.push(recorded);
      const reply = (await recorder.handler(recorded)) ?? { status: 404, body: { error: "Not found" } };
      const status = reply.status ?? 200;
      res.writeHead(status, { "content-type": "application/json", ...(reply.headers ?? {}) });
      if (reply.raw !== undefined) res.end(reply.raw);
      else res.end(status === 204 || reply.body === undefined ? undefined : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  recorder.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/`;
  recorder.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return recorder;
}
