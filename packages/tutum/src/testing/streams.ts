// Tutum's stream API on the same port: `/v1/events` and `/v1/{service|container}/{uuid}/logs/`
// over WebSocket (a minimal RFC 6455 server: text frames out, close and ping in; no extensions).
import { createHash } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Lifecycle, SimulatorLogLine } from "./lifecycle.js";
import type { Entry, Store } from "./store.js";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export interface StreamContext {
  lifecycle: Lifecycle;
  store: Store;
  user: string;
  apikey: string;
}

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  let header: Buffer;
  if (len < 126) header = Buffer.from([0x80 | opcode, len]);
  else if (len < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([header, payload]);
}

class Connection {
  private buffer = Buffer.alloc(0);
  private closed = false;
  readonly cleanups: Array<() => void> = [];

  constructor(
    private readonly socket: Duplex,
    private readonly onGone: (c: Connection) => void,
  ) {
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("close", () => this.gone());
    socket.on("error", () => this.gone());
  }

  send(message: unknown): void {
    if (!this.closed) this.socket.write(frame(0x1, Buffer.from(JSON.stringify(message))));
  }

  close(code = 1000): void {
    if (this.closed) return;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code, 0);
    this.socket.write(frame(0x8, payload));
    this.socket.end();
    this.gone();
  }

  private gone(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.cleanups) c();
    this.onGone(this);
    // end() lets the close frame out; a peer that never closes its side is cut after a moment.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = this.buffer[0]! & 0x0f;
      const masked = (this.buffer[1]! & 0x80) !== 0;
      let len = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (this.buffer.length < 4) return;
        len = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (this.buffer.length < 10) return;
        len = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      const maskOffset = offset;
      if (masked) offset += 4;
      if (this.buffer.length < offset + len) return;
      const payload = Buffer.from(this.buffer.subarray(offset, offset + len));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= this.buffer[maskOffset + (i % 4)]!;
      this.buffer = this.buffer.subarray(offset + len);
      if (opcode === 0x8) return this.close();
      if (opcode === 0x9 && !this.closed) this.socket.write(frame(0xa, payload));
    }
  }
}

export function attachStreams(server: Server, ctx: StreamContext): { close(): void } {
  const connections = new Set<Connection>();

  const authorized = (req: IncomingMessage, url: URL): boolean => {
    const header = req.headers.authorization ?? "";
    const [scheme = "", token = ""] = header.trim().split(/\s+/, 2);
    if (scheme.toLowerCase() === "apikey") return token === `${ctx.user}:${ctx.apikey}` || token === ctx.apikey;
    if (scheme.toLowerCase() === "basic")
      return Buffer.from(token, "base64").toString() === `${ctx.user}:${ctx.apikey}`;
    // The docs also allow ?user=&token= on the stream URLs.
    return url.searchParams.get("user") === ctx.user && url.searchParams.get("token") === ctx.apikey;
  };

  server.on("upgrade", (req: IncomingMessage, socket: Duplex) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const key = req.headers["sec-websocket-key"];
    const events = /^\/v1\/events\/?$/.test(url.pathname);
    const logs = /^\/v1\/(service|container)\/([^/]+)\/logs\/?$/.exec(url.pathname);
    if (typeof key !== "string" || (req.headers.upgrade ?? "").toLowerCase() !== "websocket" || (!events && !logs)) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const accept = createHash("sha1")
      .update(key + GUID)
      .digest("base64");
    socket.write(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const conn = new Connection(socket, (c) => connections.delete(c));
    connections.add(conn);
    if (!authorized(req, url)) {
      // What python-tutum turns into TutumAuthError.
      conn.send({ type: "error", data: { errorMessage: "UNAUTHORIZED" } });
      conn.close(4001);
      return;
    }
    if (events) {
      conn.send({ type: "auth", data: { user: ctx.user } });
      conn.cleanups.push(ctx.lifecycle.onEvent((event) => conn.send(event)));
      return;
    }
    const kind = logs![1] === "service" ? "Service" : "Container";
    const owner = ctx.store.get(kind, logs![2]!);
    if (!owner) {
      conn.send({ type: "error", data: { errorMessage: "NOT_FOUND" } });
      conn.close(4004);
      return;
    }
    const tail = Number(url.searchParams.get("tail") ?? "300");
    const follow = (url.searchParams.get("follow") ?? "true").toLowerCase() !== "false";
    const mine = (container: Entry) => container === owner || container.parent === owner.data.resource_uri;
    const history: SimulatorLogLine[] = [];
    for (const c of ctx.store.all("Container").filter(mine)) {
      for (const line of c.logs) {
        const space = line.indexOf(" ");
        history.push({
          type: "log",
          source: String(c.data.unique_name ?? c.data.name),
          log: line.slice(space + 1),
          streamType: "stdout",
          timestamp: Math.floor(Date.parse(line.slice(0, space)) / 1000),
        });
      }
    }
    history.sort((a, b) => a.timestamp - b.timestamp);
    for (const line of Number.isFinite(tail) && tail >= 0 ? history.slice(-tail || history.length) : history)
      conn.send(line);
    if (!follow) {
      conn.close();
      return;
    }
    conn.cleanups.push(ctx.lifecycle.onLog((container, line) => mine(container) && conn.send(line)));
  });

  return {
    close() {
      for (const c of [...connections]) c.close(1001);
      connections.clear();
    },
  };
}
