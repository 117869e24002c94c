// Unit tests of Cloud Files' pure parts (names, temp URLs, segment planning, sync decisions) and of
// the checks the client makes before sending anything. No server: the endpoint is a closed port
// and the auth step counts the requests that would have gone out.
import { createHash } from "node:crypto";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Readable } from "node:stream";
import { NimbusResponse, ValidationError, type RequestOptions } from "@nimbus-sdk/common";
import {
  FileNotFound,
  FolderNotFound,
  InvalidCDNMetadata,
  InvalidContainerName,
  InvalidObjectName,
  InvalidTemporaryURLMethod,
  MissingTemporaryURLKey,
  NotCDNEnabled,
} from "../src/errors.js";
import {
  CloudFiles,
  StorageClient,
  buildTempUrl,
  fnmatch,
  planSegments,
  tempUrlSignature,
  validateContainerName,
  validateObjectName,
} from "../src/resources/object-store/index.js";
import { encodeName, objectPath } from "../src/resources/object-store/names.js";
import {
  decideSync,
  extraObjects,
  syncFolder,
  walkFolder,
  type LocalFile,
  type RemoteEntry,
  type SyncTarget,
} from "../src/resources/object-store/sync.js";
import { deleteQuietly, md5File, segmentName, sloEtag } from "../src/resources/object-store/upload.js";
import {
  bulkDeletePaths,
  encodeManifestName,
  metadataFromHeaders,
  prefixKeys,
  type SwiftContext,
} from "../src/resources/object-store/wire.js";

const md5 = (data: string | Buffer) => createHash("md5").update(data).digest("hex");

describe("names", () => {
  it("accepts ordinary container names, up to 256 bytes of UTF-8", () => {
    expect(validateContainerName("photos")).toBe("photos");
    expect(validateContainerName("x".repeat(256))).toHaveLength(256);
    expect(validateContainerName("é".repeat(128))).toHaveLength(128);
  });

  it.each([
    ["with a slash", "a/b", /contains '\/'/],
    ["empty", "", /empty/],
    ["of 257 bytes", "x".repeat(257), /257 bytes .* limit is 256/],
    ["of 258 bytes in UTF-8", "é".repeat(129), /258 bytes/],
    ["'..'", "..", /cannot be addressed/],
    ["with a NUL", "a\0b", /NUL/],
    ["with a lone surrogate", "\ud800", /lone surrogate/],
  ])("rejects a container name %s", (_label, name, message) => {
    expect(() => validateContainerName(name)).toThrow(InvalidContainerName);
    expect(() => validateContainerName(name)).toThrow(message);
  });

  it("makes InvalidContainerName a ValidationError naming the field", () => {
    try {
      validateContainerName("a/b", "newContainer");
      throw new Error("not thrown");
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe("newContainer");
    }
  });

  it("accepts object names with folders, spaces and Unicode, up to 1024 bytes", () => {
    expect(validateObjectName("a/b/c d é?.txt")).toBe("a/b/c d é?.txt");
    expect(validateObjectName("x".repeat(1024))).toHaveLength(1024);
    expect(validateObjectName("/leading//double/")).toBe("/leading//double/");
  });

  it.each([
    ["of 1025 bytes", "x".repeat(1025)],
    ["empty", ""],
    ["with a '..' segment", "a/../b"],
    ["with a '.' segment", "./a"],
    ["'..'", ".."],
  ])("rejects an object name %s", (_label, name) => {
    expect(() => validateObjectName(name)).toThrow(InvalidObjectName);
  });

  it("encodes names for URLs, keeping '/' in object names", () => {
    expect(encodeName("a b/c?d#e%f")).toBe("a%20b/c%3Fd%23e%25f");
    expect(objectPath("my c", "dir/x y")).toBe("my%20c/dir/x%20y");
    expect(encodeManifestName("/c s/dir/x y")).toBe("/c%20s/dir/x%20y");
  });

  it("prefixes metadata keys the way pyrax does and reads them back lower-cased", () => {
    expect(prefixKeys({ Color: "red", "X-Object-Meta-Size": 3 }, "X-Object-Meta-")).toEqual({
      "x-object-meta-color": "red",
      "x-object-meta-size": "3",
    });
    expect(metadataFromHeaders({ "x-object-meta-color": "red", etag: "x" }, "X-Object-Meta-")).toEqual({
      color: "red",
    });
  });
});

describe("temp URLs", () => {
  // Vectors from Python: hmac.new(b"mykey", body, sha1) and swiftclient 4.1's generate_temp_url.
  it("signs METHOD\\nexpires\\npath with HMAC-SHA1 by default", () => {
    expect(
      tempUrlSignature({ method: "GET", expires: 1700000060, path: "/v1/AUTH_account/container/object", key: "mykey" }),
    ).toBe("9db1dd2e08f61e03f1348ec643d347da019bd925");
  });

  it("signs with sha256 on request, as swiftclient does", () => {
    expect(
      tempUrlSignature({
        method: "GET",
        expires: 1700000060,
        path: "/v1/AUTH_account/container/object",
        key: "mykey",
        digest: "sha256",
      }),
    ).toBe("2862ceee005e8b70463f60cf6bdeea2f5199d108ebe92ed2e9d8ba97d27b91c0");
  });

  it("signs the decoded path and puts the encoded one in the URL", () => {
    const url = buildTempUrl({
      endpoint: new URL("https://swift.example/v1/AUTH_account/"),
      container: "cé",
      obj: "dir/na me?.txt",
      key: "mykey",
      seconds: 60,
      method: "put",
      digest: "sha256",
      now: 1700000000_000,
    });
    expect(url).toBe(
      "https://swift.example/v1/AUTH_account/c%C3%A9/dir/na%20me%3F.txt" +
        "?temp_url_sig=ab613af7070720de8cc715eb6534f75524bd3df8c1da7c3b3bd96505676ca3a0&temp_url_expires=1700000060",
    );
  });

  it("adds filename and inline", () => {
    const url = buildTempUrl({
      endpoint: new URL("http://h/v1/AUTH_a"),
      container: "c",
      obj: "o",
      key: "k",
      seconds: 1,
      filename: "report 1.pdf",
      inline: true,
      now: 0,
    });
    expect(url).toMatch(/&temp_url_expires=1&filename=report\+1\.pdf&inline$/);
  });

  it("rejects other methods, a bad digest and non-positive durations", () => {
    const base = { endpoint: new URL("http://h/v1/AUTH_a"), container: "c", obj: "o", key: "k", seconds: 10 };
    expect(() => buildTempUrl({ ...base, method: "PATCH" })).toThrow(InvalidTemporaryURLMethod);
    expect(() => buildTempUrl({ ...base, seconds: 0 })).toThrow(/seconds must be a positive number/);
    expect(() => buildTempUrl({ ...base, digest: "md5" as "sha1" })).toThrow(/digest must be one of/);
    expect(() => buildTempUrl({ ...base, container: "a/b" })).toThrow(InvalidContainerName);
  });
});

describe("segment planning", () => {
  const MiB = 1024 * 1024;

  it("sends a file up to the segment size in one PUT", () => {
    expect(planSegments(0, MiB).segments).toEqual([]);
    expect(planSegments(MiB, MiB).segments).toEqual([]);
  });

  it("splits a larger file into whole segments and a last partial one", () => {
    const plan = planSegments(20 * MiB + 5, MiB);
    expect(plan.segmentSize).toBe(MiB);
    expect(plan.segments).toHaveLength(21);
    expect(plan.segments[0]).toEqual({ index: 0, offset: 0, length: MiB });
    expect(plan.segments[20]).toEqual({ index: 20, offset: 20 * MiB, length: 5 });
    expect(plan.segments.reduce((sum, s) => sum + s.length, 0)).toBe(20 * MiB + 5);
  });

  it("raises the segment size rather than exceed the manifest's 1000 segments", () => {
    const plan = planSegments(5000 * MiB, MiB);
    expect(plan.segments).toHaveLength(1000);
    expect(plan.segmentSize).toBe(5 * MiB);
  });

  it("refuses a file too large for 1000 segments of 5 GiB", () => {
    expect(() => planSegments(1001 * 5 * 1024 * MiB, MiB)).toThrow(ValidationError);
  });

  it("names segments as swiftclient does and computes the SLO ETag", () => {
    expect(segmentName("big.iso", "1700000000.000000", 2048, 1024, 1)).toBe(
      "big.iso/slo/1700000000.000000/2048/1024/00000001",
    );
    // Swift's documented example: md5 of the segments' ETags, concatenated.
    expect(sloEtag(["etagoftheobjectsegment1", "etagoftheobjectsegment2"])).toBe("38e059e0d4f3d3b88069837219feaffd");
  });
});

describe("sync decisions", () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "cf-sync-unit-"));
    mkdirSync(join(dir, "sub/deeper"), { recursive: true });
    mkdirSync(join(dir, "skipme"));
    writeFileSync(join(dir, "a.txt"), "alpha");
    writeFileSync(join(dir, "b.pyc"), "compiled");
    writeFileSync(join(dir, ".hidden"), "secret");
    writeFileSync(join(dir, "sub/c.txt"), "gamma");
    writeFileSync(join(dir, "sub/deeper/d.txt"), "delta");
    writeFileSync(join(dir, "skipme/e.txt"), "epsilon");
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("matches shell patterns as Python's fnmatch does", () => {
    expect(fnmatch("program.pyc", "*pyc")).toBe(true);
    expect(fnmatch("abcpyc", "*pyc")).toBe(true);
    expect(fnmatch("a.txt", "?.txt")).toBe(true);
    expect(fnmatch("ab.txt", "?.txt")).toBe(false);
    expect(fnmatch("a1", "a[0-9]")).toBe(true);
    expect(fnmatch("ab", "a[!0-9]")).toBe(true);
    expect(fnmatch("a.b", "a?b")).toBe(true);
    expect(fnmatch("a+b", "a+b")).toBe(true);
    expect(fnmatch("dir/x", "*x")).toBe(true);
    expect(fnmatch("X.TXT", "*.txt")).toBe(false);
  });

  it("walks a folder, skipping hidden names and ignored files and folders", async () => {
    const { files, ignored } = await walkFolder(dir, { ignore: ["*.pyc", "skipme"], objectPrefix: "pre/" });
    expect(files.map((f) => f.objName)).toEqual(["pre/a.txt", "pre/sub/c.txt", "pre/sub/deeper/d.txt"]);
    expect(ignored).toBe(3);
    const all = await walkFolder(dir, { includeHidden: true });
    expect(all.files.map((f) => f.objName)).toContain(".hidden");
  });

  it("names the missing folder", async () => {
    await expect(walkFolder(join(dir, "nope"))).rejects.toThrow(FolderNotFound);
    await expect(walkFolder(join(dir, "nope"))).rejects.toThrow(/nope/);
  });

  it("decides like pyrax: new, duplicate, older, changed", () => {
    const remote: RemoteEntry = { name: "a", hash: "h", bytes: 1, lastModified: "2024-05-01T12:00:00.500000" };
    const at = Date.parse("2024-05-01T12:00:00Z");
    expect(decideSync({ remote: undefined, sameContent: false, localMtimeMs: at, ignoreTimestamps: false })).toEqual({
      action: "upload",
      reason: "new",
    });
    expect(decideSync({ remote, sameContent: true, localMtimeMs: at, ignoreTimestamps: false }).reason).toBe(
      "duplicate",
    );
    expect(decideSync({ remote, sameContent: false, localMtimeMs: at - 1000, ignoreTimestamps: false }).reason).toBe(
      "older",
    );
    expect(decideSync({ remote, sameContent: false, localMtimeMs: at + 500, ignoreTimestamps: false }).reason).toBe(
      "changed",
    );
    expect(decideSync({ remote, sameContent: false, localMtimeMs: at - 1000, ignoreTimestamps: true }).reason).toBe(
      "changed",
    );
  });

  it("finds extra remote objects but keeps those the ignore patterns match", () => {
    expect(extraObjects(["a", "b", "c.pyc", "d/e.pyc", "keep"], new Set(["a", "keep"]), ["*.pyc"])).toEqual(["b"]);
  });

  it("runs a whole sync against a fake container", async () => {
    const remote = new Map<string, RemoteEntry>([
      ["a.txt", { name: "a.txt", hash: md5("alpha"), bytes: 5, lastModified: "2000-01-01T00:00:00" }],
      ["sub/c.txt", { name: "sub/c.txt", hash: md5("old"), bytes: 3, lastModified: "2000-01-01T00:00:00" }],
      ["gone.txt", { name: "gone.txt", hash: "x", bytes: 1, lastModified: "2000-01-01T00:00:00" }],
      ["b.pyc", { name: "b.pyc", hash: "x", bytes: 1, lastModified: "2000-01-01T00:00:00" }],
    ]);
    const uploaded: string[] = [];
    const deleted: string[] = [];
    const target: SyncTarget = {
      listAll: async () => [...remote.values()],
      largeObjectSegments: async () => [],
      upload: async (file: LocalFile, hash) => {
        if (file.objName === "sub/deeper/d.txt") throw new Error("disk on fire");
        if (hash !== undefined) expect(hash).toBe(md5("gamma"));
        uploaded.push(file.objName);
      },
      deleteNames: async (names) => {
        deleted.push(...names);
        return names.length;
      },
    };
    const events: string[] = [];
    const summary = await syncFolder(target, dir, {
      ignore: ["*.pyc", "skipme"],
      delete: true,
      concurrency: 2,
      onProgress: (e) => events.push(`${e.action}:${e.objName}`),
    });
    expect(uploaded).toEqual(["sub/c.txt"]);
    expect(deleted).toEqual(["gone.txt"]);
    expect(summary).toMatchObject({ total: 3, uploaded: 1, duplicate: 1, failed: 1, deleted: 1, ignored: 3 });
    expect(summary.failureReasons).toEqual(["sub/deeper/d.txt: disk on fire"]);
    expect(events).toContain("deleted:gone.txt");
  });

  it("hashes a byte range of a file", async () => {
    expect(await md5File(join(dir, "a.txt"), { start: 1, end: 3 })).toBe(md5("lph"));
  });
});

describe("CloudFiles checks before sending", () => {
  let requests = 0;
  const client = new CloudFiles({
    endpoint: "http://127.0.0.1:9/v1/AUTH_test",
    region: "RegionOne",
    auth: {
      authorize: () => {
        requests++;
      },
    },
    retry: { limit: 0 },
  });

  afterAll(() => client.close());

  it("is pyrax's StorageClient", () => {
    expect(StorageClient).toBe(CloudFiles);
  });

  it("rejects a container name with a slash before any request", async () => {
    const before = requests;
    await expect(client.createContainer("a/b")).rejects.toThrow(InvalidContainerName);
    await expect(client.storeObject("a/b", "x", "data")).rejects.toThrow(/contains '\/'/);
    await expect(client.getContainerMetadata("a/b")).rejects.toThrow(InvalidContainerName);
    expect(() => client.objectListingIterator("a/b")).toThrow(InvalidContainerName);
    await expect(client.copyObject("c", "o", "x/y")).rejects.toThrow(InvalidContainerName);
    expect(requests).toBe(before);
  });

  it("rejects bad object names and options before any request", async () => {
    const before = requests;
    await expect(client.storeObject("c", "x".repeat(1025), "data")).rejects.toThrow(InvalidObjectName);
    await expect(client.storeObject("c", "o", "data", { ttl: -1 })).rejects.toThrow(/ttl must be a whole number/);
    await expect(client.storeObject("c", "o", "data", { ttl: 5, deleteAt: new Date() })).rejects.toThrow(
      /either ttl or deleteAt/,
    );
    await expect(client.storeObject("c", "o", "data", { etag: "nope" })).rejects.toThrow(/MD5 in hex/);
    await expect(client.storeObject("c", "o", "data", { metadata: { "bad key": "v" } })).rejects.toThrow(
      /not a valid header name/,
    );
    await expect(client.storeObject("c", "o", "data", { metadata: { k: "line\nbreak" } })).rejects.toThrow(
      /control character/,
    );
    await expect(client.storeObject("c", "o", 42 as unknown as string)).rejects.toThrow(/data must be/);
    await expect(client.uploadFile("c", "/tmp/x", { segmentSize: 0 })).rejects.toThrow(/segmentSize/);
    await expect(client.uploadFile("c", "/tmp/x", { concurrency: 1000 })).rejects.toThrow(/concurrency/);
    await expect(client.fetchPartial("c", "o", 0)).rejects.toThrow(/size must be/);
    await expect(client.fetchObject("c", "o", { range: { offset: -1 } })).rejects.toThrow(/range.offset/);
    await expect(client.copyObject("c", "o", "c")).rejects.toThrow(/onto itself/);
    await expect(client.listContainerObjects("c", { limit: 20_000 })).rejects.toThrow(/limit/);
    await expect(client.setContainerAcl("c", { read: ["a,b"] })).rejects.toThrow(/ACL entry/);
    await expect(client.deleteObjectInSeconds("c", "o", 0)).rejects.toThrow(/seconds/);
    await expect(client.getTempUrl("c", "o", 60, { method: "PATCH" })).rejects.toThrow(InvalidTemporaryURLMethod);
    await expect(client.bulkDelete("c", ["ok", "a/../b"])).rejects.toThrow(InvalidObjectName);
    expect(requests).toBe(before);
  });

  it("names a missing local file before any request", async () => {
    const before = requests;
    const missing = join(tmpdir(), "no-such-file-for-cloudfiles.bin");
    const error = await client.uploadFile("c", missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileNotFound);
    expect((error as Error).message).toContain(missing);
    await expect(client.uploadFolder(join(tmpdir(), "no-such-folder-cf"))).rejects.toThrow(FolderNotFound);
    await expect(client.downloadObject("c", "o", join(tmpdir(), "no-such-folder-cf"))).rejects.toThrow(
      /no-such-folder-cf/,
    );
    expect(requests).toBe(before);
  });

  it("builds a temp URL from a given key without a request", async () => {
    const before = requests;
    const url = await client.getTempUrl("c", "o", 60, { key: "k" });
    expect(url).toMatch(
      /^http:\/\/127\.0\.0\.1:9\/v1\/AUTH_test\/c\/o\?temp_url_sig=[0-9a-f]{40}&temp_url_expires=\d+$/,
    );
    expect(requests).toBe(before);
  });

  it("fails CDN calls clearly on a cloud without CDN", async () => {
    const before = requests;
    await expect(client.makeContainerPublic("c")).rejects.toThrow(NotCDNEnabled);
    await expect(client.listPublicContainers()).rejects.toThrow(/no object CDN endpoint/);
    await expect(client.purgeCdnObject("c", "o")).rejects.toThrow(NotCDNEnabled);
    await expect(client.getContainerCdnInfo("c")).rejects.toThrow(NotCDNEnabled);
    await expect(client.setContainerCdnMetadata("c", { "X-Bogus": 1 } as never)).rejects.toThrow(InvalidCDNMetadata);
    expect(requests).toBe(before);
  });

  it("reports a missing temp URL key as MissingTemporaryURLKey", () => {
    expect(new MissingTemporaryURLKey("x")).toBeInstanceOf(Error);
  });

  it("refuses a default segment size above 5 GiB", () => {
    expect(
      () =>
        new CloudFiles({
          endpoint: "http://127.0.0.1:9/v1/AUTH_x",
          region: "r",
          auth: { authorize: () => undefined },
          segmentSize: 6 * 1024 ** 3,
        }),
    ).toThrow(/segmentSize/);
  });
});

describe("bulk delete and cleanup", () => {
  const answer = (status: number, body = "") =>
    new NimbusResponse(
      { status, headers: body ? { "content-type": "application/json" } : {}, body: Readable.from([Buffer.from(body)]) },
      { method: "X", url: "x", maxBodyBytes: 1 << 20 },
    );
  // A context whose requests are answered by `request`, read as the client reads them.
  const swiftContext = (request: (options: RequestOptions) => Promise<NimbusResponse>): SwiftContext => ({
    endpoint: new URL("http://h/v1/AUTH_a/"),
    request,
    read: async (options, reader) => reader(await request(options)),
  });

  it("sums Swift's summaries over batches of 10 000", async () => {
    const batches: number[] = [];
    const ctx = swiftContext(async (options) => {
      batches.push(String(options.body).split("\n").length);
      return answer(
        200,
        JSON.stringify({ "Number Deleted": 2, "Number Not Found": 1, "Response Status": "200 OK", Errors: [] }),
      );
    });
    const paths = Array.from({ length: 10_001 }, (_, i) => `/c/o${i}`);
    expect(await bulkDeletePaths(ctx, paths)).toEqual({ deleted: 4, notFound: 2, status: "200 OK", errors: [] });
    expect(batches).toEqual([10_000, 1]);
  });

  it("says so when the cloud has no bulk delete, and cleanup falls back to single deletes", async () => {
    const deleted: string[] = [];
    const ctx = swiftContext(async (options) => {
      if (options.method === "DELETE") deleted.push(String(options.url));
      return answer(204);
    });
    await expect(bulkDeletePaths(ctx, ["/c/o"])).rejects.toThrow(/bulk delete is not available/);
    expect(await deleteQuietly(ctx, ["/c_segments/a%20b/slo/1", "/c_segments/x"])).toEqual([]);
    expect(deleted).toEqual(["c_segments/a%20b/slo/1", "c_segments/x"]);
  });
});
