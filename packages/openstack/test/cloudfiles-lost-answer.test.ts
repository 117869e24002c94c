// What storeObject and uploadFile report when the answer to their PUT is lost, against a real Swift
// behind a proxy that forwards the request and then cuts the connection (or holds the answer past
// the client's timeout, or never forwards the request): after each call, what the SDK reported
// must match what Swift holds, and no error may claim what was not checked.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { ConnectionError, TimeoutError } from "@nimbus-sdk/common";
import { ChecksumMismatch, UploadFailed } from "../src/errors.js";
import { CloudFiles, type StorageObject } from "../src/resources/object-store/index.js";
import { startTestCloud, type TestCloud } from "./helpers/cloud.js";
import { FaultyProxy } from "./helpers/faulty-proxy.js";

jest.setTimeout(120_000);

const MiB = 1024 * 1024;
const md5 = (data: Buffer | string) => createHash("md5").update(data).digest("hex");

let cloud: TestCloud;
let cf: CloudFiles;
let proxy: FaultyProxy;
let faulty: CloudFiles;
let scratch: string;

function raw(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("x-auth-token", cloud.token);
  return fetch(`${cloud.objectStoreUrl}/${path}`, { ...init, headers });
}

/** What Swift holds under a name, read without the SDK: undefined when nothing. */
async function held(path: string): Promise<{ etag: string; body: Buffer } | undefined> {
  const response = await raw(path);
  if (response.status === 404) return undefined;
  const etag = (response.headers.get("etag") ?? "").replace(/"/g, "");
  return { etag, body: Buffer.from(await response.arrayBuffer()) };
}

/** The fields a fresh HEAD gives, as the SDK's StorageObject names them. */
async function fresh(path: string): Promise<Record<string, unknown>> {
  const head = await raw(path, { method: "HEAD" });
  return {
    bytes: Number(head.headers.get("content-length")),
    contentType: head.headers.get("content-type"),
    hash: (head.headers.get("etag") ?? "").replace(/"/g, ""),
    lastModified: head.headers.get("last-modified"),
  };
}

const fieldsOf = (o: StorageObject) => ({
  bytes: o.bytes,
  contentType: o.contentType,
  hash: o.hash,
  lastModified: o.lastModified,
});

const isPut = (req: { method?: string }) => req.method === "PUT";

beforeAll(async () => {
  cloud = await startTestCloud();
  cf = new CloudFiles({ endpoint: cloud.objectStoreUrl, region: cloud.region, auth: cloud.auth });
  proxy = new FaultyProxy(new URL(cloud.objectStoreUrl));
  const endpoint = await proxy.listen();
  faulty = new CloudFiles({
    endpoint,
    region: cloud.region,
    auth: cloud.auth,
    retry: { limit: 1, baseDelay: 20 },
    timeout: 3_000,
  });
  scratch = mkdtempSync(join(tmpdir(), "cf-lost-"));
  await cf.createContainer("lost");
}, 180_000);

afterAll(async () => {
  proxy?.kill();
  await faulty?.close();
  await cf?.close();
  await cloud?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 60_000);

function reset(): void {
  proxy.onRequest = undefined;
  proxy.dropAnswer = undefined;
  proxy.beforeResponse = undefined;
  proxy.corruptRequest = undefined;
}

describe("the PUT reached Swift, its answer did not reach the client", () => {
  it("storeObject: a HEAD finds the data sent, so the object is returned as stored", async () => {
    reset();
    proxy.dropAnswer = isPut;
    const obj = await faulty.storeObject("lost", "text.txt", "kept despite the reset", { contentType: "text/plain" });
    expect(obj.name).toBe("text.txt");
    expect(fieldsOf(obj)).toEqual(await fresh("lost/text.txt"));
    expect(await held("lost/text.txt")).toEqual({
      etag: md5("kept despite the reset"),
      body: Buffer.from("kept despite the reset"),
    });
  });

  it("storeObject of a stream (sent once, not retried): the same", async () => {
    reset();
    proxy.dropAnswer = isPut;
    const data = randomBytes(300_000);
    const obj = await faulty.storeObject(
      "lost",
      "stream.bin",
      Readable.from([data.subarray(0, 1000), data.subarray(1000)]),
    );
    expect(obj.hash).toBe(md5(data));
    expect((await held("lost/stream.bin"))?.body.equals(data)).toBe(true);
  });

  it("storeObject with returnNone: resolves to undefined once the HEAD has found the data", async () => {
    reset();
    proxy.dropAnswer = isPut;
    await expect(faulty.storeObject("lost", "none.txt", "none", { returnNone: true })).resolves.toBeUndefined();
    expect((await held("lost/none.txt"))?.etag).toBe(md5("none"));
  });

  it("no answer within the client's timeout: the HEAD finds the data, the object is returned", async () => {
    reset();
    proxy.beforeResponse = async (req) => {
      if (isPut(req)) await new Promise((r) => setTimeout(r, 4_000));
    };
    const obj = await faulty.storeObject("lost", "slow.txt", "slow answer");
    expect(obj.hash).toBe(md5("slow answer"));
    expect(fieldsOf(obj)).toEqual(await fresh("lost/slow.txt"));
  });

  it("uploadFile, one PUT: the same", async () => {
    reset();
    proxy.dropAnswer = isPut;
    const path = join(scratch, "file.bin");
    const data = randomBytes(2 * MiB);
    writeFileSync(path, data);
    const obj = await faulty.uploadFile("lost", path);
    expect(fieldsOf(obj)).toEqual(await fresh("lost/file.bin"));
    expect((await held("lost/file.bin"))?.etag).toBe(md5(data));
  });

  it("uploadFile, a large object whose manifest's answer is lost: stored, segments kept", async () => {
    reset();
    proxy.dropAnswer = (req) => isPut(req) && (req.url ?? "").includes("multipart-manifest=put");
    const path = join(scratch, "large.bin");
    const data = randomBytes(3 * MiB + 10);
    writeFileSync(path, data);
    const obj = await faulty.uploadFile("lost", path, { segmentSize: MiB });
    expect(obj.isLargeObject).toBe(true);
    expect((await cf.fetchObject("lost", "large.bin")).equals(data)).toBe(true);
  });
});

describe("the answer was lost and the data is not there: the state is unknown, never 'not stored'", () => {
  it("storeObject whose PUT never gets through: UploadFailed, outcome unknown, and it says what the HEAD found", async () => {
    reset();
    proxy.onRequest = (req) => (isPut(req) ? "drop" : "pass");
    const error = await faulty.storeObject("lost", "dropped.txt", "never arrives").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadFailed);
    expect((error as UploadFailed).outcome).toBe("unknown");
    expect((error as UploadFailed).cause).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).not.toMatch(/no object was stored/);
    expect((error as Error).message).toMatch(
      /whether the object was stored is unknown; .*a HEAD afterwards found no object/,
    );
    expect(await held("lost/dropped.txt")).toBeUndefined();
  });

  it("replacing an object: the HEAD finds the old one, named by its ETag, which Swift still holds", async () => {
    reset();
    await cf.storeObject("lost", "old.txt", "old content");
    proxy.onRequest = (req) => (isPut(req) ? "drop" : "pass");
    const error = await faulty.storeObject("lost", "old.txt", "new content").catch((e: unknown) => e);
    expect((error as UploadFailed).outcome).toBe("unknown");
    expect((error as Error).message).toContain(
      `found an object with ETag ${md5("old content")}, not the MD5 ${md5("new content")}`,
    );
    expect(await held("lost/old.txt")).toEqual({ etag: md5("old content"), body: Buffer.from("old content") });
  });

  it("uploadFile whose PUT and the HEAD after it are both cut: unknown, naming both", async () => {
    reset();
    let putSeen = false;
    proxy.onRequest = (req) => {
      if (isPut(req)) putSeen = true;
      return isPut(req) || (req.method === "HEAD" && putSeen) ? "drop" : "pass";
    };
    const path = join(scratch, "twice.bin");
    writeFileSync(path, "twice");
    const error = await faulty.uploadFile("lost", path).catch((e: unknown) => e);
    expect((error as UploadFailed).outcome).toBe("unknown");
    expect((error as Error).message).toMatch(/a HEAD to check what the server holds failed too/);
    expect(await held("lost/twice.bin")).toBeUndefined();
  });
});

describe("cancelled", () => {
  it("while waiting for the answer: unknown (not checked), though Swift holds the object", async () => {
    reset();
    const controller = new AbortController();
    proxy.beforeResponse = async (req) => {
      if (!isPut(req)) return;
      controller.abort(new Error("user cancelled"));
      await new Promise((r) => setTimeout(r, 100));
    };
    const error = await faulty
      .storeObject("lost", "cancelled.txt", "cancelled", { signal: controller.signal })
      .catch((e: unknown) => e);
    expect((error as UploadFailed).outcome).toBe("unknown");
    expect((error as Error).message).toMatch(/what the server holds was not checked/);
    expect((await held("lost/cancelled.txt"))?.etag).toBe(md5("cancelled"));
  });

  it("before anything was sent: not-stored", async () => {
    reset();
    const error = await faulty
      .storeObject("lost", "never.txt", "never", { signal: AbortSignal.abort(new Error("no")) })
      .catch((e: unknown) => e);
    expect((error as UploadFailed).outcome).toBe("not-stored");
    expect((error as Error).message).toMatch(/no object was stored; it was cancelled before anything was sent/);
    expect(await held("lost/never.txt")).toBeUndefined();
  });
});

describe("what may be called 'not stored'", () => {
  it("a connection refused before a byte was sent: outcome not-stored", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const nowhere = new CloudFiles({
      endpoint: `http://127.0.0.1:${port}/v1/AUTH_x`,
      region: cloud.region,
      auth: cloud.auth,
      retry: { limit: 1, baseDelay: 10 },
    });
    try {
      const error = await nowhere.storeObject("lost", "refused.txt", "refused").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UploadFailed);
      expect((error as UploadFailed).outcome).toBe("not-stored");
      expect((error as Error).message).toMatch(/no object was stored; the request never reached the server/);
      expect(await held("lost/refused.txt")).toBeUndefined();
    } finally {
      await nowhere.close();
    }
  });

  it("data corrupted on the way: Swift refuses it (422), outcome not-stored, and it holds nothing", async () => {
    reset();
    proxy.corruptRequest = isPut;
    const error = await faulty.storeObject("lost", "corrupt.txt", "corrupted on the way").catch((e: unknown) => e);
    expect((error as UploadFailed).outcome).toBe("not-stored");
    expect((error as UploadFailed).cause).toBeInstanceOf(ChecksumMismatch);
    expect(await held("lost/corrupt.txt")).toBeUndefined();
  });

  it("a timeout is not 'not stored' either: the error is a TimeoutError inside, outcome from the HEAD", async () => {
    reset();
    proxy.beforeResponse = async (req) => {
      if (isPut(req)) await new Promise((r) => setTimeout(r, 4_000));
    };
    proxy.onRequest = (req) => (req.method === "HEAD" ? "drop" : "pass");
    const error = await faulty.storeObject("lost", "late.txt", "late").catch((e: unknown) => e);
    expect((error as UploadFailed).outcome).toBe("unknown");
    expect((error as UploadFailed).cause).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).not.toMatch(/no object was stored/);
    // Swift did store it: "unknown" was the truth the client could tell.
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await held("lost/late.txt"))?.etag).toBe(md5("late"));
  });
});
