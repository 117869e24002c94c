// Hostile payloads for every decoder's tests: what a broken or malicious server (or a proxy in front
// of one) can answer. Each generator is small to call and names what a decoder must do with it.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { listenOnLoopback } from "./ports.js";

/** Nesting far past every decoder's limit (the decoders refuse past 1,000 levels, most earlier). */
export const HOSTILE_DEPTH = 100_000;

/** `<a><a>…</a></a>`, `depth` levels, well-formed (the decoder must refuse it by its depth, fast). */
export function deepXml(depth = HOSTILE_DEPTH, name = "a", inner = "x"): string {
  return `<${name}>`.repeat(depth) + inner + `</${name}>`.repeat(depth);
}

/** `[[[…]]]` (or `{"a":{"a":…}}` with `object`), `depth` levels, well-formed. */
export function deepJson(depth = HOSTILE_DEPTH, shape: "array" | "object" = "array"): string {
  return shape === "array" ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
}

/** The "billion laughs" entity bomb: ten levels of ten references, a few hundred bytes, 3 GB expanded. */
export function entityBomb(root = "lolz"): string {
  const entities = ['<!ENTITY lol "lol">'];
  for (let level = 1; level <= 9; level++) {
    const previous = level === 1 ? "lol" : `lol${level - 1}`;
    entities.push(`<!ENTITY lol${level} "${`&${previous};`.repeat(10)}">`);
  }
  return `<?xml version="1.0"?>\n<!DOCTYPE ${root} [\n${entities.join("\n")}\n]>\n<${root}>&lol9;</${root}>`;
}

/** An external entity reading a local file (XXE): a decoder must never open it. */
export function externalEntity(root = "root", file = "/etc/passwd"): string {
  return `<?xml version="1.0"?>\n<!DOCTYPE ${root} [<!ENTITY xxe SYSTEM "file://${file}">]>\n<${root}>&xxe;</${root}>`;
}

/** An undeclared entity reference without a DTD (a decoder must refuse it, not pass "&xxe;" through). */
export function undeclaredEntity(root = "root"): string {
  return `<${root}>&xxe;</${root}>`;
}

/**
 * `text` as UTF-8 with one invalid byte (0xFF, never valid in UTF-8) put where `marker` stands; the
 * invalid byte's offset is returned beside, for the message a decoder must give.
 */
export function invalidUtf8(text: string, marker = "\u0000"): { bytes: Buffer; offset: number } {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`invalidUtf8: the marker is not in the text`);
  const before = Buffer.from(text.slice(0, at), "utf8");
  const bytes = Buffer.concat([before, Buffer.from([0xff]), Buffer.from(text.slice(at + marker.length), "utf8")]);
  return { bytes, offset: before.length };
}

/**
 * `bytes` cut into chunks of `size`, so that multi-byte characters are split between chunks (valid
 * UTF-8 a streamed decoder must accept).
 */
export function chunked(bytes: Buffer, size = 1): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

/** What a {@link HostileServer} answers a request with: a body (whole, chunked or endless), headers and timing. */
export interface HostileAnswer {
  /** The whole body, or a function giving the chunks (an endless body when it never returns). */
  body: Buffer | string | (() => Iterable<Buffer> | AsyncIterable<Buffer>);
  /** Default "application/xml". */
  contentType?: string;
  /** Default 200. */
  status?: number;
  /** The Content-Length header; without it the body is chunked (whole bodies declare their length). */
  contentLength?: number;
}

/** The same chunk again and again, for ever (an endless body; stop it by closing the server). */
export function* endless(chunk: Buffer | string): Generator<Buffer> {
  const bytes = Buffer.from(chunk);
  for (;;) yield bytes;
}

/** A server on 127.0.0.1 that answers with whatever hostile payload a test sets, to check a client's limits. */
export interface HostileServer {
  /** http://127.0.0.1:port */
  url: string;
  /** What the next requests get (each request gets `answer(request)`). */
  answer: (request: IncomingMessage) => HostileAnswer;
  /** The largest RSS seen while writing a body (a memory bound for the client in this process). */
  peakRss: number;
  close(): Promise<void>;
}

/** A server on 127.0.0.1 answering every request with a hostile answer, which a test can change. */
export async function startHostileServer(answer: HostileServer["answer"]): Promise<HostileServer> {
  const sockets = new Set<import("node:net").Socket>();
  const state: HostileServer = {
    url: "",
    answer,
    peakRss: 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server: Server = createServer((request, response) => {
    request.resume();
    const reply = state.answer(request);
    const headers: Record<string, string | number> = { "content-type": reply.contentType ?? "application/xml" };
    const { body } = reply;
    if (typeof body !== "function") {
      const bytes = Buffer.from(body);
      headers["content-length"] = reply.contentLength ?? bytes.length;
      response.writeHead(reply.status ?? 200, headers).end(bytes);
      return;
    }
    if (reply.contentLength !== undefined) headers["content-length"] = reply.contentLength;
    response.writeHead(reply.status ?? 200, headers);
    void (async () => {
      try {
        for await (const chunk of body()) {
          if (response.destroyed) return;
          state.peakRss = Math.max(state.peakRss, process.memoryUsage().rss);
          if (!response.write(chunk)) {
            await new Promise<void>((resolve) => {
              const done = () => {
                response.off("drain", done).off("close", done);
                resolve();
              };
              response.on("drain", done).on("close", done);
            });
          }
        }
        response.end();
      } catch {
        response.destroy();
      }
    })();
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const port = await listenOnLoopback(server, { what: "the hostile server" });
  state.url = `http://127.0.0.1:${port}`;
  return state;
}

/**
 * Runs `work` and reports how long it took and the growth of the RSS over its start (sampled every
 * 20 ms and at the end): generous safety bounds for tests ("seconds, not a minute"), not speed goals.
 */
export async function measure<T>(
  work: () => Promise<T> | T,
): Promise<{ result: PromiseSettledResult<T>; ms: number; rssGrowth: number }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const began = performance.now();
  let result: PromiseSettledResult<T>;
  try {
    result = { status: "fulfilled", value: await work() };
  } catch (reason) {
    result = { status: "rejected", reason };
  } finally {
    clearInterval(sample);
  }
  const ms = performance.now() - began;
  peak = Math.max(peak, process.memoryUsage().rss);
  return { result, ms, rssGrowth: peak - start };
}
