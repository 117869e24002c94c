// Cloud Files uploads against a real Swift: single PUTs, static large objects (20+ MiB in 1 MiB
// segments), failures (abort, a connection that keeps breaking, corrupted bytes, a server that
// dies mid-upload) leaving nothing stored, folder upload and folder sync.
import { createHash, randomBytes } from "node:crypto";
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { AbortError, ConnectionError } from "@nimbus-sdk/common";
import { ChecksumMismatch, FileNotFound, NoSuchObject, UploadFailed } from "../src/errors.js";
import { CloudFiles, type StorageObject, type UploadProgress } from "../src/resources/object-store/index.js";
import { startTestCloud, type TestCloud } from "./helpers/cloud.js";
import { FaultyProxy } from "./helpers/faulty-proxy.js";

jest.setTimeout(120_000);

const MiB = 1024 * 1024;
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const md5 = (data: Buffer | string) => createHash("md5").update(data).digest("hex");

async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

let cloud: TestCloud;
let cf: CloudFiles;
let scratch: string;

function client(endpoint = cloud.objectStoreUrl, retry?: { limit: number; baseDelay?: number }): CloudFiles {
  return new CloudFiles({ endpoint, region: cloud.region, auth: cloud.auth, retry });
}

function raw(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("x-auth-token", cloud.token);
  return fetch(`${cloud.objectStoreUrl}/${path}`, { ...init, headers });
}

/** Names in a container under a prefix, read with plain fetch. */
async function rawNames(container: string, prefix = ""): Promise<string[]> {
  const response = await raw(`${encodeURIComponent(container)}?format=json&prefix=${encodeURIComponent(prefix)}`);
  if (response.status === 404) return [];
  return ((await response.json()) as { name: string }[]).map((e) => e.name);
}

beforeAll(async () => {
  cloud = await startTestCloud();
  cf = client();
  scratch = mkdtempSync(join(tmpdir(), "cf-upload-"));
  await cf.createContainer("files");
}, 180_000);

afterAll(async () => {
  await cf?.close();
  await cloud?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 60_000);

function makeFile(name: string, size: number): { path: string; data: Buffer } {
  const data = randomBytes(size);
  const path = join(scratch, name);
  writeFileSync(path, data);
  return { path, data };
}

describe("uploadFile", () => {
  it("sends a small file in one PUT verified by its MD5", async () => {
    const { path, data } = makeFile("small.bin", 300_000);
    const progress: UploadProgress[] = [];
    const obj = await cf.uploadFile("files", path, {
      contentType: "application/x-small",
      metadata: { origin: "test" },
      onProgress: (p) => progress.push({ ...p }),
    });
    expect(obj).toMatchObject({ name: "small.bin", bytes: 300_000, hash: md5(data), isLargeObject: false });
    expect(obj.contentType).toBe("application/x-small");
    expect(await obj.getMetadata()).toEqual({ origin: "test" });
    expect(progress.at(-1)).toMatchObject({
      bytesUploaded: 300_000,
      totalBytes: 300_000,
      partsDone: 1,
      partCount: 1,
      phase: "upload",
      fraction: 1,
    });
    expect((await raw("files/small.bin", { method: "HEAD" })).headers.get("x-static-large-object")).toBeNull();
    expect(await rawNames("files_segments")).toEqual([]);
  });

  it("names the missing file", async () => {
    const missing = join(scratch, "does-not-exist.iso");
    await expect(cf.uploadFile("files", missing)).rejects.toThrow(FileNotFound);
    await expect(cf.uploadFile("files", missing)).rejects.toThrow(`The file '${missing}' does not exist.`);
    await expect(cf.uploadFile("files", scratch)).rejects.toThrow(/is not a file/);
  });

  it("uploads 21 MiB as a static large object of 1 MiB segments and reads it back intact", async () => {
    const size = 21 * MiB + 12_345;
    const { path, data } = makeFile("big.bin", size);
    const progress: UploadProgress[] = [];
    const obj = await cf.uploadFile("files", path, {
      segmentSize: MiB,
      concurrency: 4,
      metadata: { kind: "large" },
      onProgress: (p) => progress.push({ ...p }),
    });
    expect(obj).toMatchObject({ name: "big.bin", bytes: size, isLargeObject: true });
    expect(await obj.getMetadata()).toEqual({ kind: "large" });
    expect(progress.at(-1)).toMatchObject({
      bytesUploaded: size,
      totalBytes: size,
      partsDone: 22,
      partCount: 22,
      fraction: 1,
    });
    expect(progress.map((p) => p.partsDone)).toEqual([...progress.map((p) => p.partsDone)].sort((a, b) => a - b));

    const head = await raw("files/big.bin", { method: "HEAD" });
    expect(head.headers.get("x-static-large-object")).toBe("True");
    expect(Number(head.headers.get("content-length"))).toBe(size);

    const manifest = (await (await raw("files/big.bin?multipart-manifest=get")).json()) as {
      name: string;
      hash: string;
      bytes: number;
    }[];
    expect(manifest).toHaveLength(22);
    expect(manifest[0]!.name).toMatch(/^\/files_segments\/big\.bin\/slo\/\d+\.\d{6}\/22032441\/1048576\/00000000$/);
    expect(manifest.map((s) => s.bytes)).toEqual([...Array(21).fill(MiB), 12_345]);
    expect(manifest[3]!.hash).toBe(md5(data.subarray(3 * MiB, 4 * MiB)));
    expect(obj.hash).toBe(md5(manifest.map((s) => s.hash).join("")));

    expect(sha256(await cf.fetchObject("files", "big.bin"))).toBe(sha256(data));
    mkdirSync(join(scratch, "out"));
    const downloaded = await cf.downloadObject("files", "big.bin", join(scratch, "out"));
    expect(await sha256File(downloaded)).toBe(sha256(data));
    const { stream, bytes } = await cf.fetchObjectStream("files", "big.bin");
    const hash = createHash("sha256");
    for await (const chunk of stream) hash.update(chunk as Buffer);
    expect(bytes).toBe(size);
    expect(hash.digest("hex")).toBe(sha256(data));
    const across = await cf.fetchObject("files", "big.bin", { range: { offset: MiB - 10, length: 20 } });
    expect(across).toEqual(data.subarray(MiB - 10, MiB + 10));

    const listed = (await cf.listContainerObjects("files", { prefix: "big.bin" }))[0]!;
    expect(listed).toMatchObject({ name: "big.bin", bytes: size, isLargeObject: true, hash: obj.hash });
  });

  it("replaces a large object and deletes the segments it no longer uses", async () => {
    const { path, data } = makeFile("big.bin", 5 * MiB);
    const before = await rawNames("files_segments", "big.bin/");
    expect(before).toHaveLength(22);
    await cf.uploadFile("files", path, { segmentSize: 2 * MiB });
    const after = await rawNames("files_segments", "big.bin/");
    expect(after).toHaveLength(3);
    expect(after.some((name) => before.includes(name))).toBe(false);
    expect(sha256(await cf.fetchObject("files", "big.bin"))).toBe(sha256(data));

    await cf.deleteObject("files", "big.bin");
    await expect(cf.getObject("files", "big.bin")).rejects.toThrow(NoSuchObject);
    expect(await rawNames("files_segments", "big.bin/")).toEqual([]);
  });

  it("deletes only the manifest with leaveSegments", async () => {
    const { path } = makeFile("kept.bin", 3 * MiB);
    await cf.uploadFile("files", path, { segmentSize: MiB });
    await cf.deleteObject("files", "kept.bin", { leaveSegments: true });
    const left = await rawNames("files_segments", "kept.bin/");
    expect(left).toHaveLength(3);
    await cf.bulkDelete("files_segments", left);
  });

  it("cancelled midway: UploadFailed, no manifest, no segments", async () => {
    const { path } = makeFile("cancelled.bin", 12 * MiB);
    const controller = new AbortController();
    const error = await cf
      .uploadFile("files", path, {
        segmentSize: MiB,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.bytesUploaded > 4 * MiB) controller.abort(new Error("user cancelled"));
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadFailed);
    expect((error as UploadFailed).cause).toBeInstanceOf(AbortError);
    expect((error as Error).message).toMatch(/no object was stored; the \d+ segment\(s\) already sent were deleted/);
    expect((await raw("files/cancelled.bin", { method: "HEAD" })).status).toBe(404);
    expect(await rawNames("files_segments", "cancelled.bin/")).toEqual([]);
  });

  it("cancelled while the manifest is being stored: the stored manifest is removed too", async () => {
    const proxy = new FaultyProxy(new URL(cloud.objectStoreUrl));
    const endpoint = await proxy.listen();
    const controller = new AbortController();
    let manifestStored = false;
    proxy.beforeResponse = async (req) => {
      if (!req.url?.includes("multipart-manifest=put")) return;
      manifestStored = true;
      controller.abort(new Error("too late"));
      await new Promise((r) => setTimeout(r, 100));
    };
    const faulty = client(endpoint);
    try {
      const { path } = makeFile("late.bin", 3 * MiB);
      const error = await faulty
        .uploadFile("files", path, { segmentSize: MiB, signal: controller.signal })
        .catch((e: unknown) => e);
      expect(manifestStored).toBe(true);
      expect(error).toBeInstanceOf(UploadFailed);
      expect((error as UploadFailed).outcome).toBe("not-stored");
      expect((error as Error).message).toMatch(
        /no object was stored; the manifest the server had stored was deleted; the 3 segment\(s\) already sent were deleted/,
      );
      expect((await raw("files/late.bin", { method: "HEAD" })).status).toBe(404);
      expect(await rawNames("files_segments", "late.bin/")).toEqual([]);
    } finally {
      await faulty.close();
      proxy.kill();
    }
  });

  it("gives the segments of an expiring large object the same X-Delete-At", async () => {
    const { path } = makeFile("expiring.bin", 2 * MiB + 1);
    await cf.uploadFile("files", path, { segmentSize: MiB, ttl: 3600 });
    const at = (await raw("files/expiring.bin", { method: "HEAD" })).headers.get("x-delete-at");
    expect(Number(at)).toBeGreaterThan(Date.now() / 1000 + 3500);
    const segments = await rawNames("files_segments", "expiring.bin/");
    expect(segments).toHaveLength(3);
    for (const name of segments) {
      const head = await raw(`files_segments/${name}`, { method: "HEAD" });
      expect(head.headers.get("x-delete-at")).toBe(at);
    }
    await cf.deleteObject("files", "expiring.bin");
  });

  it("a segment whose connection keeps breaking: retried, then UploadFailed, segments cleaned up", async () => {
    const proxy = new FaultyProxy(new URL(cloud.objectStoreUrl));
    const endpoint = await proxy.listen();
    let attempts = 0;
    proxy.onRequest = (req) => {
      if (req.method === "PUT" && req.url?.endsWith("/00000005")) {
        attempts++;
        return "drop";
      }
      return "pass";
    };
    const faulty = client(endpoint, { limit: 2, baseDelay: 50 });
    try {
      const { path } = makeFile("flaky.bin", 10 * MiB);
      const error = await faulty.uploadFile("files", path, { segmentSize: MiB }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UploadFailed);
      expect((error as UploadFailed).cause).toBeInstanceOf(ConnectionError);
      expect(attempts).toBe(3);
      expect((await raw("files/flaky.bin", { method: "HEAD" })).status).toBe(404);
      expect(await rawNames("files_segments", "flaky.bin/")).toEqual([]);
      expect(proxy.seen.some((line) => line.includes("multipart-manifest=put"))).toBe(false);
    } finally {
      await faulty.close();
      proxy.kill();
    }
  });

  it("a segment corrupted on the way: ChecksumMismatch inside UploadFailed, nothing stored", async () => {
    const proxy = new FaultyProxy(new URL(cloud.objectStoreUrl));
    const endpoint = await proxy.listen();
    proxy.corruptRequest = (req) => req.method === "PUT" && (req.url?.endsWith("/00000002") ?? false);
    const faulty = client(endpoint);
    try {
      const { path } = makeFile("corrupt.bin", 4 * MiB);
      const error = await faulty.uploadFile("files", path, { segmentSize: MiB }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UploadFailed);
      expect((error as UploadFailed).cause).toBeInstanceOf(ChecksumMismatch);
      expect((await raw("files/corrupt.bin", { method: "HEAD" })).status).toBe(404);
      expect(await rawNames("files_segments", "corrupt.bin/")).toEqual([]);

      // The same on a single PUT: the server checks the ETag and refuses (422).
      proxy.corruptRequest = (req) => req.method === "PUT" && (req.url?.endsWith("/files/corrupt.bin") ?? false);
      const single = await faulty.uploadFile("files", path).catch((e: unknown) => e);
      expect(single).toBeInstanceOf(UploadFailed);
      expect((single as UploadFailed).cause).toBeInstanceOf(ChecksumMismatch);
      expect((await raw("files/corrupt.bin", { method: "HEAD" })).status).toBe(404);
    } finally {
      await faulty.close();
      proxy.kill();
    }
  });

  it("with checksum: false, stores the same bytes without hashing them, and so cannot see corruption", async () => {
    const { path, data } = makeFile("unchecked.bin", 3 * MiB + 7);
    const obj = await cf.uploadFile("files", path, { segmentSize: MiB, checksum: false });
    expect(obj).toMatchObject({ bytes: 3 * MiB + 7, isLargeObject: true });
    expect(sha256(await cf.fetchObject("files", "unchecked.bin"))).toBe(sha256(data));

    // The price: bytes corrupted on the way are stored as sent, where the default refuses them.
    const proxy = new FaultyProxy(new URL(cloud.objectStoreUrl));
    const endpoint = await proxy.listen();
    proxy.corruptRequest = (req) => req.method === "PUT" && (req.url?.endsWith("/00000001") ?? false);
    const faulty = client(endpoint);
    try {
      await faulty.uploadFile("files", path, { objName: "unchecked-corrupt.bin", segmentSize: MiB, checksum: false });
      expect(sha256(await cf.fetchObject("files", "unchecked-corrupt.bin"))).not.toBe(sha256(data));
    } finally {
      await faulty.close();
      proxy.kill();
    }
  });

  it("storeObject with returnNone skips reading the object back", async () => {
    const heads: string[] = [];
    const proxy = new FaultyProxy(new URL(cloud.objectStoreUrl));
    const endpoint = await proxy.listen();
    proxy.corruptRequest = (req) => {
      if (req.method === "HEAD") heads.push(req.url ?? "");
      return false;
    };
    const counted = client(endpoint);
    try {
      expect(await counted.storeObject("files", "quick.txt", "quick", { returnNone: true })).toBeUndefined();
      expect(heads).toEqual([]);
      expect(await counted.storeObject("files", "read-back.txt", "read back")).toMatchObject({
        name: "read-back.txt",
        bytes: 9,
      });
      expect(heads).toHaveLength(1);
      expect((await cf.fetchObject("files", "quick.txt")).toString()).toBe("quick");
    } finally {
      await counted.close();
      proxy.kill();
    }
  });

  it("builds the stored object from the PUT's answer when the client knows it all, else reads it back", async () => {
    const heads: string[] = [];
    const proxy = new FaultyProxy(new URL(cloud.objectStoreUrl));
    const endpoint = await proxy.listen();
    proxy.corruptRequest = (req) => {
      if (req.method === "HEAD") heads.push(req.url ?? "");
      return false;
    };
    const counted = client(endpoint);
    const fields = (o: StorageObject) => ({
      name: o.name,
      bytes: o.bytes,
      contentType: o.contentType,
      hash: o.hash,
      lastModified: o.lastModified,
      isLargeObject: o.isLargeObject,
    });
    /** The object as a fresh HEAD describes it, and the HEADs the call itself sent. */
    const check = async (returned: StorageObject, expectedHeads: number) => {
      expect(heads).toHaveLength(expectedHeads);
      heads.length = 0;
      expect(fields(returned)).toEqual(fields(await cf.getObject("files", returned.name)));
    };
    try {
      // Content type sent: nothing for the server to decide, no HEAD.
      await check(
        await counted.storeObject("files", "built.txt", "built from the PUT", { contentType: "text/plain" }),
        0,
      );
      const chunks = [randomBytes(70_000), randomBytes(1), randomBytes(5)];
      const streamed = await counted.storeObject("files", "built.bin", Readable.from(chunks), {
        contentType: "application/x-test",
      });
      expect(streamed.bytes).toBe(70_006);
      await check(streamed, 0);
      // Swift picks the content type, or detects it: read back.
      await check(await counted.storeObject("files", "guessed.html", Buffer.from("<p>hi</p>")), 1);
      const detected = await counted.storeObject("files", "detected.html", "<p>hi</p>", {
        contentType: "application/x-wrong",
        headers: { "X-Detect-Content-Type": "true" },
      });
      expect(detected.contentType).toMatch(/^text\/html/);
      await check(detected, 1);
      // uploadFile HEADs first for a large object it would replace; then the same rule.
      const { path } = makeFile("built-file.bin", 100_000);
      await check(await counted.uploadFile("files", path, { contentType: "application/x-file" }), 1);
      await check(await counted.uploadFile("files", path), 2);
      // A large object also HEADs its container before the segments go; its manifest's answer and what
      // was sent (the file's size, the segments' ETags) describe it, unless Swift picks the content type.
      const large = await counted.uploadFile("files", path, {
        objName: "built-large.bin",
        segmentSize: 40_000,
        contentType: "application/x-large",
      });
      expect(large.isLargeObject).toBe(true);
      expect(large.bytes).toBe(100_000);
      await check(large, 2);
      const guessed = await counted.uploadFile("files", path, { objName: "guessed-large.bin", segmentSize: 40_000 });
      expect(guessed.isLargeObject).toBe(true);
      await check(guessed, 3);
    } finally {
      await counted.close();
      proxy.kill();
    }
  });

  it("a download corrupted on the way: ChecksumMismatch, no file left", async () => {
    await cf.storeObject("files", "download-me.txt", "precious bytes");
    const proxy = new FaultyProxy(new URL(cloud.objectStoreUrl));
    const endpoint = await proxy.listen();
    proxy.corruptResponse = (req) => req.method === "GET" && (req.url?.includes("download-me") ?? false);
    const faulty = client(endpoint);
    try {
      await expect(faulty.fetchObject("files", "download-me.txt")).rejects.toThrow(ChecksumMismatch);
      const dir = mkdtempSync(join(scratch, "dl-"));
      await expect(faulty.downloadObject("files", "download-me.txt", dir)).rejects.toThrow(
        /files\/download-me.txt: the content's MD5 is [0-9a-f]+ but its ETag is/,
      );
      expect(readdirSync(dir)).toEqual([]);
      expect((await faulty.fetchObject("files", "download-me.txt", { verify: false })).toString()).not.toBe(
        "precious bytes",
      );
    } finally {
      await faulty.close();
      proxy.kill();
    }
  });

  it("a server that dies mid-upload: UploadFailed, no object; the leftover segments are named", async () => {
    const proxy = new FaultyProxy(new URL(cloud.objectStoreUrl));
    const endpoint = await proxy.listen();
    const faulty = client(endpoint, { limit: 1, baseDelay: 50 });
    try {
      const { path } = makeFile("killed.bin", 10 * MiB);
      const error = await faulty
        .uploadFile("files", path, {
          segmentSize: MiB,
          concurrency: 2,
          onProgress: (p) => {
            if (p.partsDone >= 3) proxy.kill();
          },
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UploadFailed);
      expect((error as UploadFailed).cause).toBeInstanceOf(ConnectionError);
      expect((error as Error).message).toMatch(
        /no object was stored; \d+ segment\(s\) could not be deleted from 'files_segments' \(\/files_segments\/killed\.bin\/slo\//,
      );
      expect((await raw("files/killed.bin", { method: "HEAD" })).status).toBe(404);
      const left = await rawNames("files_segments", "killed.bin/");
      expect(left.length).toBeGreaterThanOrEqual(3);
      await cf.bulkDelete("files_segments", left);
    } finally {
      await faulty.close();
      proxy.kill();
    }
  });
});

describe("folders", () => {
  let folder: string;

  beforeAll(() => {
    folder = join(scratch, "site");
    mkdirSync(join(folder, "sub"), { recursive: true });
    writeFileSync(join(folder, "a.txt"), "alpha");
    writeFileSync(join(folder, "sub", "b.txt"), "beta");
    writeFileSync(join(folder, ".hidden"), "hidden");
    writeFileSync(join(folder, "x.pyc"), "compiled");
    writeFileSync(join(folder, "large.bin"), randomBytes(3 * MiB + 7));
  });

  it("uploads a folder into a container named after it", async () => {
    const progress: number[] = [];
    const result = await cf.uploadFolder(folder, {
      ignore: "*.pyc",
      segmentSize: MiB,
      onProgress: (p) => progress.push(p.uploadedBytes),
    });
    expect(result.container.name).toBe("site");
    expect(result.objectNames.sort()).toEqual([".hidden", "a.txt", "large.bin", "sub/b.txt"]);
    expect(result.totalBytes).toBe(5 + 4 + 6 + 3 * MiB + 7);
    expect(progress.at(-1)).toBe(result.totalBytes);
    expect(await rawNames("site")).toEqual([".hidden", "a.txt", "large.bin", "sub/b.txt"]);
    expect((await raw("site/large.bin", { method: "HEAD" })).headers.get("x-static-large-object")).toBe("True");

    const temporary = await cf.uploadFolder(join(folder, "sub"), { container: "tmp-upload", ttl: 600 });
    expect(temporary.objectNames).toEqual(["b.txt"]);
    expect(Number((await raw("tmp-upload/b.txt", { method: "HEAD" })).headers.get("x-delete-at"))).toBeGreaterThan(
      Date.now() / 1000,
    );
  });

  it("syncs only what changed, and deletes extras on request", async () => {
    await cf.createContainer("mirror");
    const events: string[] = [];
    const first = await cf.syncFolderToContainer(folder, "mirror", {
      ignore: ["*.pyc"],
      segmentSize: MiB,
      onProgress: (e) => events.push(`${e.action} ${e.objName}`),
    });
    expect(first).toMatchObject({ total: 3, uploaded: 3, duplicate: 0, failed: 0, ignored: 2 });
    expect(events.sort()).toEqual(["uploaded a.txt", "uploaded large.bin", "uploaded sub/b.txt"]);
    expect((await raw("mirror/large.bin", { method: "HEAD" })).headers.get("x-static-large-object")).toBe("True");

    // Nothing changed: the large object is compared segment by segment.
    const second = await cf.syncFolderToContainer(folder, "mirror", { ignore: ["*.pyc"], segmentSize: MiB });
    expect(second).toMatchObject({ uploaded: 0, duplicate: 3 });

    // A newer local change is uploaded; a change older than the remote copy is not, unless asked.
    writeFileSync(join(folder, "a.txt"), "alpha, edited");
    utimesSync(join(folder, "a.txt"), new Date(), new Date(Date.now() + 5000));
    writeFileSync(join(folder, "sub", "b.txt"), "beta, edited long ago");
    utimesSync(join(folder, "sub", "b.txt"), new Date(0), new Date(2000, 0, 1));
    const third = await cf.syncFolderToContainer(folder, "mirror", { ignore: ["*.pyc"] });
    expect(third).toMatchObject({ uploaded: 1, older: 1, duplicate: 1 });
    expect((await cf.fetchObject("mirror", "a.txt")).toString()).toBe("alpha, edited");
    const fourth = await cf.syncFolderToContainer(folder, "mirror", { ignore: ["*.pyc"], ignoreTimestamps: true });
    expect(fourth).toMatchObject({ uploaded: 1, duplicate: 2 });
    expect((await cf.fetchObject("mirror", "sub/b.txt")).toString()).toBe("beta, edited long ago");

    // Extras go with `delete`, except those the ignore patterns match.
    await cf.storeObject("mirror", "extra.txt", "not local");
    await cf.storeObject("mirror", "keep.pyc", "ignored remotely too");
    rmSync(join(folder, "sub", "b.txt"));
    const fifth = await cf.syncFolderToContainer(folder, "mirror", { ignore: ["*.pyc"], delete: true });
    expect(fifth).toMatchObject({ uploaded: 0, deleted: 2 });
    expect(await rawNames("mirror")).toEqual(["a.txt", "keep.pyc", "large.bin"]);
    writeFileSync(join(folder, "sub", "b.txt"), "beta");
  });

  it("syncs under an object prefix, deleting only there", async () => {
    await cf.storeObject("mirror", "outside.txt", "stays");
    const summary = await cf.syncFolderToContainer(join(folder, "sub"), "mirror", {
      objectPrefix: "backup/",
      delete: true,
    });
    expect(summary).toMatchObject({ uploaded: 1, deleted: 0 });
    expect(await rawNames("mirror", "backup/")).toEqual(["backup/b.txt"]);
    await cf.storeObject("mirror", "backup/old.txt", "old");
    const again = await cf.syncFolderToContainer(join(folder, "sub"), "mirror", {
      objectPrefix: "backup",
      delete: true,
    });
    expect(again).toMatchObject({ duplicate: 1, deleted: 1 });
    expect(await rawNames("mirror")).toContain("outside.txt");
  });

  it("names a missing folder or container", async () => {
    await expect(cf.syncFolderToContainer(join(scratch, "nope"), "mirror")).rejects.toThrow(/No such folder/);
    await expect(cf.syncFolderToContainer(folder, "no-such-container")).rejects.toThrow(/doesn't exist/);
    expect(existsSync(folder)).toBe(true);
    expect(basename(folder)).toBe("site");
  });
});
