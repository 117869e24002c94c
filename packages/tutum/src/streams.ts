// Tutum's stream API (python-tutum 0.14+'s TutumEvents and StreamingLog) as async iterables of JSON
// messages. A small RFC 6455 client over node:http(s): the package has no websocket dependency and
// Node 20 has no WebSocket global. Text frames in (fragmented or not), ping answered, close honoured;
// frames out are masked, as the protocol requires of clients.
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Duplex } from "node:stream";
import { AbortError, parseRetryAfter } from "@nimbus-sdk/common";
import { TutumApiError, TutumConnectionError, TutumParseError, classForStatus } from "./errors.js";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const MAX_MESSAGE = 16 * 1024 * 1024;

export interface StreamConnectOptions {
  /** Request headers (Authorization, User-Agent). */
  headers: Record<string, string>;
  signal?: AbortSignal;
  /** ms allowed for the handshake (default 30 000). */
  connectTimeout?: number;
  /** TLS for wss: false turns certificate checks off (test servers only). */
  rejectUnauthorized?: boolean;
  /** Called once the connection is open (python-tutum's `on_open`). */
  onOpen?: () => void;
}

/** How the stream ended, when it ended without an error. */
export interface StreamEnd {
  code?: number;
}

function clientFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const len = payload.length;
  let header: Buffer;
  if (len < 126) header = Buffer.from([0x80 | opcode, 0x80 | len]);
  else if (len < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i]! ^= mask[i % 4]!;
  return Buffer.concat([header, mask, masked]);
}

async function handshake(url: URL, options: StreamConnectOptions): Promise<{ socket: Duplex; head: Buffer }> {
  const key = randomBytes(16).toString("base64");
  const secure = url.protocol === "wss:" || url.protocol === "https:";
  const target = new URL(url);
  target.protocol = secure ? "https:" : "http:";
  const shownUrl = `${url.origin}${url.pathname}`;
  return new Promise((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)(target, {
      headers: {
        ...options.headers,
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": key,
      },
      signal: options.signal,
      timeout: options.connectTimeout ?? 30_000,
      ...(secure ? { rejectUnauthorized: options.rejectUnauthorized ?? true } : {}),
    });
    request.on("upgrade", (response: IncomingMessage, socket: Duplex, head: Buffer) => {
      const expected = createHash("sha1")
        .update(key + GUID)
        .digest("base64");
      if (response.headers["sec-websocket-accept"] !== expected) {
        socket.destroy();
        reject(new TutumApiError(`GET ${shownUrl}: the server's websocket handshake is invalid`));
        return;
      }
      resolve({ socket, head });
    });
    request.on("response", (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      response.resume();
      const retryAfterMs = parseRetryAfter(response.headers["retry-after"]);
      const context = { method: "GET", url: shownUrl, status, retryAfterMs };
      const message = `Status ${status} (GET ${shownUrl}): the stream was refused`;
      const ErrorClass = classForStatus(status);
      if (status === 401) reject(new ErrorClass(`Not authorized: ${message}`, context));
      else if (status === 404) reject(new ErrorClass(`${message} (no such stream)`, context));
      else reject(new ErrorClass(message, context));
    });
    request.on("timeout", () => request.destroy(new Error("handshake timed out")));
    request.on("error", (error: Error) => {
      if (options.signal?.aborted) {
        reject(
          new AbortError(`GET ${shownUrl}: cancelled`, { method: "GET", url: shownUrl, cause: options.signal.reason }),
        );
      } else {
        reject(
          new TutumConnectionError(`No response: GET ${shownUrl}: cannot reach the stream (${error.message})`, {
            method: "GET",
            url: shownUrl,
            cause: error,
          }),
        );
      }
    });
    request.end();
  });
}

/**
 * The JSON messages of a websocket stream, until the server closes it (the generator then returns)
 * or `signal` aborts (it throws AbortError). Breaking out of `for await` closes the connection.
 */
export async function* jsonStream<T>(url: URL, options: StreamConnectOptions): AsyncGenerator<T, StreamEnd> {
  const { signal } = options;
  const shownUrl = `${url.origin}${url.pathname}`;
  const { socket, head } = await handshake(url, options);
  options.onOpen?.();
  const queue: T[] = [];
  let failure: unknown;
  let end: StreamEnd | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  let buffer: Buffer = Buffer.alloc(0);
  let fragments: Buffer[] = [];
  let closeSent = false;
  const sendClose = (code: number) => {
    if (closeSent || socket.destroyed) return;
    closeSent = true;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code, 0);
    socket.write(clientFrame(0x8, payload));
  };

  const receive = (chunk: Buffer) => {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    while (buffer.length >= 2) {
      const fin = (buffer[0]! & 0x80) !== 0;
      const opcode = buffer[0]! & 0x0f;
      let len = buffer[1]! & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (buffer.length < 4) return;
        len = buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (buffer.length < 10) return;
        len = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (len > MAX_MESSAGE) {
        failure = new TutumParseError(`GET ${shownUrl}: a stream message is larger than ${MAX_MESSAGE} bytes`);
        socket.destroy();
        return notify();
      }
      if (buffer.length < offset + len) return;
      const payload = buffer.subarray(offset, offset + len);
      buffer = buffer.subarray(offset + len);
      if (opcode === 0x8) {
        end = { code: payload.length >= 2 ? payload.readUInt16BE(0) : undefined };
        sendClose(end.code ?? 1000);
        socket.end();
        return notify();
      }
      if (opcode === 0x9) {
        socket.write(clientFrame(0xa, Buffer.from(payload)));
        continue;
      }
      if (opcode === 0x1 || opcode === 0x0 || opcode === 0x2) {
        fragments.push(Buffer.from(payload));
        if (!fin) continue;
        const text = Buffer.concat(fragments).toString("utf8");
        fragments = [];
        try {
          queue.push(JSON.parse(text) as T);
        } catch {
          // python-tutum skips what is not JSON
        }
        notify();
      }
    }
  };
  const onAbort = () => {
    failure = new AbortError(`GET ${shownUrl}: the stream was cancelled`, {
      method: "GET",
      url: shownUrl,
      cause: signal?.reason,
    });
    sendClose(1000);
    socket.destroy();
    notify();
  };
  socket.on("data", receive);
  socket.on("error", (error: Error) => {
    if (end || failure) return;
    failure = new TutumConnectionError(`GET ${shownUrl}: the stream broke (${error.message})`, {
      method: "GET",
      url: shownUrl,
      cause: error,
    });
    notify();
  });
  socket.on("close", () => {
    end ??= { code: 1006 };
    notify();
  });
  signal?.addEventListener("abort", onAbort, { once: true });
  if (head.length) receive(head);
  if (signal?.aborted) onAbort();

  try {
    for (;;) {
      if (failure) throw failure;
      if (queue.length) {
        yield queue.shift()!;
        continue;
      }
      if (end) return end;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (!socket.destroyed) {
      sendClose(1000);
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    }
  }
}
