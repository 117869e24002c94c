// Cloud Files against a real Swift (and Keystone) on 127.0.0.1: containers, objects, metadata,
// ACLs, listings, copy/move, expiry, bulk delete, temp URLs, CDN on a cloud without CDN.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { AbortError } from "@nimbus-sdk/common";
import {
  Conflict,
  InvalidContainerName,
  MissingTemporaryURLKey,
  NoSuchContainer,
  NoSuchObject,
  NotCDNEnabled,
  UploadFailed,
} from "../src/errors.js";
import { CloudFiles, Container, StorageObject } from "../src/resources/object-store/index.js";
import { startTestCloud, type TestCloud } from "./helpers/cloud.js";

jest.setTimeout(60_000);

const md5 = (data: string | Buffer) => createHash("md5").update(data).digest("hex");

let cloud: TestCloud;
let cf: CloudFiles;
let requests = 0;
let scratch: string;

/** Raw fetch with the token, to check what the server holds independently of the SDK. */
function raw(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("x-auth-token", cloud.token);
  return fetch(`${cloud.objectStoreUrl}/${path}`, { ...init, headers });
}

beforeAll(async () => {
  cloud = await startTestCloud();
  cf = new CloudFiles({
    endpoint: cloud.objectStoreUrl,
    region: cloud.region,
    auth: {
      authorize: (request, options) => {
        requests++;
        return cloud.auth.authorize(request, options);
      },
    },
  });
  scratch = mkdtempSync(join(tmpdir(), "cf-it-"));
}, 180_000);

afterAll(async () => {
  await cf?.close();
  await cloud?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 60_000);

describe("containers", () => {
  it("creates, gets, lists and deletes containers", async () => {
    const created = await cf.createContainer("alpha", { metadata: { Owner: "ann" } });
    expect(created).toBeInstanceOf(Container);
    expect(created).toMatchObject({ name: "alpha", objectCount: 0, totalBytes: 0 });
    await cf.createContainer("alpha"); // exists already: no error
    for (const name of ["beta", "gamma", "delta", "ünï cødé"]) await cf.createContainer(name);

    expect(await cf.listContainerNames()).toEqual(
      expect.arrayContaining(["alpha", "beta", "delta", "gamma", "ünï cødé"]),
    );
    expect(await cf.listContainerNames({ prefix: "ga" })).toEqual(["gamma"]);
    expect((await cf.listContainerNames({ marker: "beta", endMarker: "gamma" })).sort()).toEqual(["delta"]);

    const seen: string[] = [];
    for await (const container of cf.list({ pageSize: 2 })) seen.push(container.name);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(["alpha", "beta", "gamma", "delta", "ünï cødé"]));
    expect(await cf.list({ pageSize: 2, limit: 3 }).all()).toHaveLength(3);

    const info = await cf.listContainersInfo({ prefix: "alpha" });
    expect(info).toEqual([expect.objectContaining({ name: "alpha", count: 0, bytes: 0 })]);

    await cf.deleteContainer("delta");
    await expect(cf.getContainer("delta")).rejects.toThrow(NoSuchContainer);
    await expect(cf.deleteContainer("delta")).rejects.toThrow(/Container 'delta' doesn't exist/);
    await cf.deleteContainer("ünï cødé");
  });

  it("rejects a container name with a slash before any request", async () => {
    const before = requests;
    await expect(cf.createContainer("a/b")).rejects.toThrow(InvalidContainerName);
    await expect(cf.storeObject("a/b", "o", "x")).rejects.toThrow(/contains '\/'/);
    expect(requests).toBe(before);
  });

  it("reads, updates, clears and deletes container metadata", async () => {
    const c = await cf.getContainer("alpha");
    expect(await c.getMetadata()).toEqual({ owner: "ann" });
    await c.setMetadata({ Color: "blue", "X-Container-Meta-Size": 3 });
    expect(await c.getMetadata()).toEqual({ owner: "ann", color: "blue", size: "3" });
    await c.removeMetadataKey("color");
    expect(await c.getMetadata()).toEqual({ owner: "ann", size: "3" });
    await c.setMetadata({ only: "this" }, { clear: true });
    expect(await c.getMetadata()).toEqual({ only: "this" });
    await c.deleteMetadata();
    expect(await c.getMetadata()).toEqual({});
    await cf.setContainerWebIndexPage(c, "index.html");
    await cf.setContainerWebErrorPage(c, "error.html");
    expect(await c.getMetadata()).toEqual({ "web-index": "index.html", "web-error": "error.html" });
    await expect(cf.setContainerMetadata("no-such", { a: "1" })).rejects.toThrow(NoSuchContainer);
  });

  it("sets ACLs: a public-read container serves anonymous GETs", async () => {
    const c = await cf.createContainer("public-acl");
    await c.storeObject("page.html", "<h1>hi</h1>", { contentType: "text/html" });
    expect((await fetch(`${cloud.objectStoreUrl}/public-acl/page.html`)).status).toBe(401);

    await c.setAcl({ read: [".r:*", ".rlistings"] });
    expect(await c.getAcl()).toEqual({ read: [".r:*", ".rlistings"], write: [] });
    const anonymous = await fetch(`${cloud.objectStoreUrl}/public-acl/page.html`);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.text()).toBe("<h1>hi</h1>");

    await c.setAcl({ read: [] });
    expect(await c.getAcl()).toEqual({ read: [], write: [] });
    expect((await fetch(`${cloud.objectStoreUrl}/public-acl/page.html`)).status).toBe(401);
  });

  it("refuses to delete a non-empty container unless asked to delete its contents", async () => {
    const c = await cf.createContainer("full");
    for (let i = 0; i < 12; i++) await c.storeObject(`o${i}`, `content ${i}`);
    const error = await cf.deleteContainer("full").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Error).message).toMatch(/not empty; pass \{ delObjects: true \}/);
    await c.delete({ delObjects: true });
    await expect(cf.getContainer("full")).rejects.toThrow(NoSuchContainer);
  });

  it("reads and sets account metadata", async () => {
    await cf.setAccountMetadata({ Team: "storage" });
    expect(await cf.getAccountMetadata()).toMatchObject({ team: "storage" });
    await cf.deleteAccountMetadata();
    expect(await cf.getAccountMetadata()).toEqual({});
    const details = await cf.getAccountDetails();
    expect(details).toEqual(
      expect.objectContaining({ containerCount: expect.any(Number), bytesUsed: expect.any(Number) }),
    );
    expect(await cf.getAccountInfo()).toEqual({
      containerCount: details.containerCount,
      bytesUsed: details.bytesUsed,
    });
  });
});

describe("objects", () => {
  let c: Container;

  beforeAll(async () => {
    c = await cf.createContainer("objects");
  });

  it("stores text, bytes and streams, verified by MD5", async () => {
    const text = await cf.storeObject(c, "text.txt", "héllo", { metadata: { Color: "red" } });
    expect(text).toBeInstanceOf(StorageObject);
    expect(text).toMatchObject({ name: "text.txt", bytes: 6, hash: md5("héllo"), contentType: "text/plain" });

    const bytes = Buffer.from([0, 1, 2, 255]);
    const stored = await c.storeObject("bin/data.bin", bytes, { contentType: "application/x-thing" });
    expect(stored).toMatchObject({ bytes: 4, hash: md5(bytes), contentType: "application/x-thing" });

    const chunks = ["one,", "two,", "three"];
    const streamed = await c.storeObject("stream.csv", Readable.from(chunks.map((s) => Buffer.from(s))));
    expect(streamed.hash).toBe(md5(chunks.join("")));
    const sized = await c.storeObject("sized.csv", Readable.from([Buffer.from("abc")]), { contentLength: 3 });
    expect(sized.bytes).toBe(3);

    expect((await cf.fetchObject(c, "text.txt")).toString()).toBe("héllo");
    expect(await c.fetchObject("bin/data.bin")).toEqual(bytes);
    expect((await streamed.fetch()).toString()).toBe("one,two,three");
  });

  it("rejects data whose MD5 differs from the ETag given, storing nothing", async () => {
    const error = await c.storeObject("bad-etag.txt", "content", { etag: md5("other") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadFailed);
    expect((error as UploadFailed).message).toMatch(/no object was stored.*different MD5/);
    await expect(cf.getObject(c, "bad-etag.txt")).rejects.toThrow(NoSuchObject);
  });

  it("does not store an object whose stream fails midway", async () => {
    async function* failing() {
      yield Buffer.from("first part");
      throw new Error("source broke");
    }
    await expect(c.storeObject("broken.txt", failing(), { contentLength: 100 })).rejects.toThrow(UploadFailed);
    await expect(cf.getObject(c, "broken.txt")).rejects.toThrow(NoSuchObject);
  });

  it("maps 404s to NoSuchContainer and NoSuchObject", async () => {
    await expect(cf.storeObject("missing-container", "o", "x")).rejects.toThrow(NoSuchContainer);
    await expect(cf.fetchObject(c, "missing")).rejects.toThrow(NoSuchObject);
    await expect(cf.getObject(c, "missing")).rejects.toThrow(/Object 'missing' doesn't exist in container 'objects'/);
    await expect(cf.deleteObject(c, "missing")).rejects.toThrow(NoSuchObject);
    await expect(cf.listContainerObjects("missing-container")).rejects.toThrow(NoSuchContainer);
  });

  it("fetches with metadata, partially, by range and as a stream", async () => {
    const full = await cf.fetchObject(c, "text.txt", { includeMeta: true });
    expect(full.data.toString()).toBe("héllo");
    expect(full.metadata).toEqual({ color: "red" });
    expect(full.headers.etag).toBe(md5("héllo"));

    await c.storeObject("digits.txt", "0123456789");
    expect((await cf.fetchPartial(c, "digits.txt", 4)).toString()).toBe("0123");
    expect((await cf.fetchPartial(c, "digits.txt", 100)).toString()).toBe("0123456789");
    expect((await cf.fetchObject(c, "digits.txt", { range: { offset: 3, length: 2 } })).toString()).toBe("34");
    expect((await cf.fetchObject(c, "digits.txt", { range: { offset: 7 } })).toString()).toBe("789");
    await c.storeObject("empty", "");
    expect(await cf.fetchPartial(c, "empty", 5)).toHaveLength(0);

    const { stream, bytes, etag, contentType } = await cf.fetchObjectStream(c, "digits.txt");
    expect({ bytes, etag, contentType }).toEqual({ bytes: 10, etag: md5("0123456789"), contentType: "text/plain" });
    const parts: Buffer[] = [];
    for await (const chunk of stream) parts.push(chunk as Buffer);
    expect(Buffer.concat(parts).toString()).toBe("0123456789");
  });

  it("downloads to a file, with or without the name's folders", async () => {
    const path = await cf.downloadObject(c, "bin/data.bin", scratch);
    expect(path).toBe(join(scratch, "bin", "data.bin"));
    expect(readFileSync(path)).toEqual(Buffer.from([0, 1, 2, 255]));
    const flat = await c.downloadObject("bin/data.bin", scratch, { structure: false });
    expect(flat).toBe(join(scratch, "data.bin"));
    const obj = await c.getObject("text.txt");
    expect(readFileSync(await obj.download(scratch)).toString()).toBe("héllo");
  });

  it("honours an abort signal", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(cf.fetchObject(c, "text.txt", { signal: controller.signal })).rejects.toThrow(AbortError);
  });

  it("lists objects with prefix, delimiter, marker and pages", async () => {
    const l = await cf.createContainer("listing");
    for (const name of ["a/1", "a/2", "a/b/3", "b/4", "c", "d", "e"]) await l.storeObject(name, name);

    expect(await l.listObjectNames()).toEqual(["a/1", "a/2", "a/b/3", "b/4", "c", "d", "e"]);
    expect(await l.listObjectNames({ prefix: "a/" })).toEqual(["a/1", "a/2", "a/b/3"]);
    expect(await l.listObjectNames({ marker: "c", limit: 2 })).toEqual(["d", "e"]);
    expect(await l.listObjectNames({ endMarker: "b" })).toEqual(["a/1", "a/2", "a/b/3"]);

    const top = await l.listObjects({ delimiter: "/" });
    expect(top.map((o) => [o.name, o.subdir])).toEqual([
      ["a/", true],
      ["b/", true],
      ["c", false],
      ["d", false],
      ["e", false],
    ]);
    expect(top[0]!.contentType).toBe("pseudo/subdirectory");
    expect((await l.listSubdirs({ prefix: "a/" })).map((o) => o.name)).toEqual(["a/b/"]);
    expect((await cf.listContainerSubdirs("listing")).map((o) => o.name)).toEqual(["a/", "b/"]);

    const pages: number[] = [];
    for await (const page of cf.objectListingIterator(l, { pageSize: 3 }).pages()) pages.push(page.length);
    expect(pages).toEqual([3, 3, 1]);
    const names: string[] = [];
    for await (const o of l.objectListingIterator({ pageSize: 2, prefix: "a/" })) names.push(o.name);
    expect(names).toEqual(["a/1", "a/2", "a/b/3"]);
    expect(await cf.objectListingIterator(l, { pageSize: 2, limit: 5 }).all()).toHaveLength(5);
    expect(await l.listAll({ limit: 4 })).toHaveLength(4);

    const listed = (await l.listObjects({ prefix: "c" }))[0]!;
    expect(listed).toMatchObject({ name: "c", bytes: 1, hash: md5("c"), isLargeObject: false });
    expect(listed.modified).toBeInstanceOf(Date);
    expect((await l.reload()).objectCount).toBe(7);
  });

  it("reads, merges, clears and removes object metadata, keeping other headers", async () => {
    await c.storeObject("meta.txt", "m", {
      metadata: { a: "1" },
      headers: { "Content-Disposition": "attachment; filename=m.txt" },
    });
    const obj = await c.getObject("meta.txt");
    await obj.setMetadata({ b: "2" });
    expect(await obj.getMetadata()).toEqual({ a: "1", b: "2" });
    await obj.removeMetadataKey("a");
    expect(await obj.getMetadata()).toEqual({ b: "2" });
    await cf.setObjectMetadata(c, "meta.txt", { c: "3" }, { clear: true });
    expect(await cf.getObjectMetadata(c, "meta.txt")).toEqual({ c: "3" });
    const head = await raw("objects/meta.txt", { method: "HEAD" });
    expect(head.headers.get("content-disposition")).toBe("attachment; filename=m.txt");
    await expect(cf.setObjectMetadata(c, "nope", { a: "1" })).rejects.toThrow(NoSuchObject);
  });

  it("changes the content type, keeping content and metadata", async () => {
    await cf.changeObjectContentType(c, "meta.txt", "application/x-custom");
    const obj = await c.getObject("meta.txt");
    expect(obj.contentType).toBe("application/x-custom");
    expect((await obj.fetch()).toString()).toBe("m");
    expect(await obj.getMetadata()).toEqual({ c: "3" });
  });

  it("copies and moves objects", async () => {
    const other = await cf.createContainer("other");
    const etag = await cf.copyObject(c, "text.txt", other, { newObjName: "copied.txt" });
    expect(etag).toBe(md5("héllo"));
    expect((await other.fetchObject("copied.txt")).toString()).toBe("héllo");
    expect(await other.getObjectMetadata("copied.txt")).toEqual({ color: "red" });
    await c.copyObject("text.txt", c, { newObjName: "text-copy.txt", contentType: "text/x-copy" });
    expect((await c.getObject("text-copy.txt")).contentType).toBe("text/x-copy");

    const moved = await cf.moveObject(c, "text-copy.txt", other, { newReference: true });
    expect(moved).toBeInstanceOf(StorageObject);
    expect(moved.container.name).toBe("other");
    await expect(c.getObject("text-copy.txt")).rejects.toThrow(NoSuchObject);
    const obj = await other.getObject("text-copy.txt");
    const movedEtag = await obj.move("objects", { newObjName: "back.txt" });
    expect(movedEtag).toBeInstanceOf(StorageObject);
    expect((await c.fetchObject("back.txt")).toString()).toBe("héllo");
    expect(typeof (await c.moveObject("back.txt", c, { newObjName: "back2.txt" }))).toBe("string");
    await expect(cf.copyObject(c, "missing", other)).rejects.toThrow(NoSuchObject);
  });

  it("schedules deletion: ttl, deleteObjectInSeconds, deleteObjectAt (X-Delete-At)", async () => {
    const now = Math.floor(Date.now() / 1000);
    await c.storeObject("ttl.txt", "t", { ttl: 3600 });
    const deleteAt = (path: string) => raw(path, { method: "HEAD" }).then((r) => Number(r.headers.get("x-delete-at")));
    expect(await deleteAt("objects/ttl.txt")).toBeGreaterThanOrEqual(now + 3600);

    await c.storeObject("later.txt", "l", { metadata: { keep: "me" } });
    await cf.deleteObjectInSeconds(c, "later.txt", 7200);
    const at = await deleteAt("objects/later.txt");
    expect(at).toBeGreaterThanOrEqual(now + 7200);
    expect(at).toBeLessThan(now + 7200 + 60);
    expect(await c.getObjectMetadata("later.txt")).toEqual({ keep: "me" });

    const when = new Date((now + 86_400) * 1000);
    await (await c.getObject("later.txt")).deleteAt(when);
    expect(await deleteAt("objects/later.txt")).toBe(now + 86_400);
    await c.storeObject("soon.txt", "s", { deleteAt: now + 100 });
    expect(await deleteAt("objects/soon.txt")).toBe(now + 100);

    await c.storeObject("gone.txt", "g");
    await (await c.getObject("gone.txt")).deleteInSeconds(1);
    await new Promise((r) => setTimeout(r, 2500));
    await expect(c.getObject("gone.txt")).rejects.toThrow(NoSuchObject);
  });

  it("deletes many objects at once", async () => {
    const b = await cf.createContainer("bulk");
    const names = ["x 1", "x/2", "x?3", "x#4", "ü5"];
    for (const name of names) await b.storeObject(name, name);
    const result = await cf.bulkDelete(b, [...names.slice(0, 4), "never-existed"]);
    expect(result).toEqual({ deleted: 4, notFound: 1, status: "200 OK", errors: [] });
    expect(await b.listObjectNames()).toEqual(["ü5"]);
    expect(await b.deleteAllObjects()).toMatchObject({ deleted: 1 });
    expect(await b.listObjectNames()).toEqual([]);
  });

  it("deletes objects through StorageObject and Container", async () => {
    const obj = await c.storeObject("short-lived", "x");
    await obj.delete();
    await expect(obj.fetch()).rejects.toThrow(NoSuchObject);
    await c.storeObject("short-lived-2", "x");
    await c.deleteObject("short-lived-2");
    await expect(c.getObject("short-lived-2")).rejects.toThrow(NoSuchObject);
  });
});

describe("temp URLs", () => {
  it("needs a key, then gives URLs that work without a token", async () => {
    const c = await cf.createContainer("temp");
    await c.storeObject("dir/secret file.txt", "top secret");
    await expect(cf.getTempUrl(c, "dir/secret file.txt", 60)).rejects.toThrow(MissingTemporaryURLKey);

    const key = await cf.setTempUrlKey();
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(await cf.getTempUrlKey({ cached: false })).toBe(key);

    const url = await cf.getTempUrl(c, "dir/secret file.txt", 60);
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("top secret");
    expect((await fetch(url, { method: "HEAD" })).status).toBe(200);

    const forged = url.replace(/temp_url_sig=([0-9a-f])/, (_m, c1: string) => `temp_url_sig=${c1 === "0" ? "1" : "0"}`);
    expect((await fetch(forged)).status).toBe(401);
    expect((await fetch(url.replace("secret%20file", "other"))).status).toBe(401);

    const sha256 = await (await c.getObject("dir/secret file.txt")).getTempUrl(60, { digest: "sha256" });
    expect(sha256).toMatch(/temp_url_sig=[0-9a-f]{64}&/);
    expect(await (await fetch(sha256)).text()).toBe("top secret");

    const named = await c.getTempUrl("dir/secret file.txt", 60, { filename: "report.txt" });
    expect((await fetch(named)).headers.get("content-disposition")).toMatch(/attachment; filename="report.txt"/);

    const put = await cf.getTempUrl(c, "uploaded.txt", 60, { method: "PUT" });
    expect((await fetch(put, { method: "PUT", body: "via temp url" })).status).toBe(201);
    expect((await c.fetchObject("uploaded.txt")).toString()).toBe("via temp url");
    expect((await fetch(url, { method: "DELETE" })).status).toBe(401);

    const expired = await cf.getTempUrl(c, "dir/secret file.txt", 1);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await fetch(expired)).status).toBe(401);
  });
});

describe("CDN on a cloud without one", () => {
  it("fails with NotCDNEnabled before sending", async () => {
    const before = requests;
    await expect(cf.makeContainerPublic("alpha", { ttl: 900 })).rejects.toThrow(NotCDNEnabled);
    await expect(cf.getContainerCdnInfo("alpha")).rejects.toThrow(NotCDNEnabled);
    const c = await cf.getContainer("alpha");
    const after = requests;
    await expect(c.makePublic()).rejects.toThrow(NotCDNEnabled);
    await expect(c.getCdnInfo()).rejects.toThrow(/no object CDN endpoint/);
    expect(requests - after).toBe(0);
    expect(after - before).toBe(1);
  });
});
