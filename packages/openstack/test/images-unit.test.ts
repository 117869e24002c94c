// Images without a real Glance: URL building, patch computation, validation, and the checksum
// error paths (a real Glance always stores what it receives, so those need a stub that lies).
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { ValidationError, type AuthStep } from "@nimbus-sdk/common";
import { ChecksumMismatch, NoSuchImage, NoUniqueMatch, UnexpectedStatus } from "../src/errors.js";
import {
  Image,
  Images,
  computeImagePatch,
  customProperties,
  glanceApiRoot,
  imageCreateBody,
  imageListQuery,
  nextPageQuery,
  type ImageRecord,
} from "../src/resources/image/index.js";

const ID = "0b0e4d2f-5f8a-4a0e-9d7b-8d5c4a2c9e01";

function record(overrides: Partial<ImageRecord> = {}): ImageRecord {
  return {
    id: ID,
    name: "cirros",
    status: "queued",
    visibility: "shared",
    protected: false,
    os_hidden: false,
    checksum: null,
    os_hash_algo: null,
    os_hash_value: null,
    owner: "p1",
    size: null,
    virtual_size: null,
    container_format: "bare",
    disk_format: "raw",
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
    tags: [],
    min_ram: 0,
    min_disk: 0,
    self: `/v2/images/${ID}`,
    file: `/v2/images/${ID}/file`,
    schema: "/v2/schemas/image",
    ...overrides,
  };
}

function expectValidation(fn: () => unknown, field: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
    return;
  }
  throw new Error(`expected a ValidationError on ${field}`);
}

describe("glanceApiRoot", () => {
  it.each([
    ["http://127.0.0.1:9292", "http://127.0.0.1:9292/v2/"],
    ["http://127.0.0.1:9292/", "http://127.0.0.1:9292/v2/"],
    ["http://127.0.0.1:9292/v2", "http://127.0.0.1:9292/v2/"],
    ["http://127.0.0.1:9292/v2/", "http://127.0.0.1:9292/v2/"],
    ["https://cloud.example/image", "https://cloud.example/image/v2/"],
    ["https://cloud.example/image/v2/", "https://cloud.example/image/v2/"],
    ["https://cloud.example/image/v1", "https://cloud.example/image/v2/"],
    ["https://cloud.example/v2.0", "https://cloud.example/v2/"],
  ])("%s -> %s", (endpoint, root) => {
    expect(glanceApiRoot(endpoint).href).toBe(root);
  });

  it("builds encoded URLs under the root whether or not the endpoint names v2", () => {
    const auth: AuthStep = { authorize: () => undefined };
    for (const endpoint of ["http://h:9292", "http://h:9292/v2"]) {
      const images = new Images({ endpoint, region: "RegionOne", auth });
      expect(images.url("images", ID, "tags", "a b/c").href).toBe(`http://h:9292/v2/images/${ID}/tags/a%20b%2Fc`);
      void images.close();
    }
  });
});

describe("computeImagePatch", () => {
  const current = record({ os_distro: "debian", hw_disk_bus: "virtio" });

  it("replaces base fields, adds new custom properties and replaces existing ones", () => {
    expect(computeImagePatch(current, { name: "n", tags: ["a"], os_distro: "ubuntu", os_version: "24.04" })).toEqual([
      { op: "replace", path: "/name", value: "n" },
      { op: "replace", path: "/tags", value: ["a"] },
      { op: "replace", path: "/os_distro", value: "ubuntu" },
      { op: "add", path: "/os_version", value: "24.04" },
    ]);
  });

  it("removes custom properties set to null, skips missing ones and undefined values", () => {
    expect(computeImagePatch(current, { hw_disk_bus: null, not_there: null, name: undefined })).toEqual([
      { op: "remove", path: "/hw_disk_bus" },
    ]);
    // Without the current record, a removal is sent as asked.
    expect(computeImagePatch(undefined, { gone: null })).toEqual([{ op: "remove", path: "/gone" }]);
  });

  it("sets nullable base fields to null rather than removing them", () => {
    expect(computeImagePatch(current, { name: null })).toEqual([{ op: "replace", path: "/name", value: null }]);
  });

  it("escapes JSON pointer characters", () => {
    expect(computeImagePatch(current, { "a/b~c": "x" })).toEqual([{ op: "add", path: "/a~1b~0c", value: "x" }]);
  });

  it.each(["id", "status", "checksum", "size", "os_hash_value", "created_at", "file", "self", "schema"])(
    "refuses the read-only field %s, naming it",
    (field) => {
      expectValidation(() => computeImagePatch(current, { [field]: "x" }), field);
    },
  );

  it.each([
    ["visibility", "everyone"],
    ["visibility", null],
    ["protected", "yes"],
    ["min_ram", -1],
    ["min_disk", 1.5],
    ["tags", "a,b"],
    ["tags", [""]],
    ["name", "a 256-character name".padEnd(256, ".")],
    ["os_glance_import_task", "x"],
    ["deleted", "true"],
    ["custom_number", 42],
  ])("refuses %s = %p", (field, value) => {
    expectValidation(() => computeImagePatch(current, { [field]: value }), field);
  });
});

describe("imageCreateBody", () => {
  it("puts base fields and custom properties side by side", () => {
    expect(
      imageCreateBody({
        id: ID,
        name: "n",
        disk_format: "qcow2",
        container_format: "bare",
        visibility: "private",
        tags: ["t"],
        min_ram: 512,
        properties: { os_distro: "debian" },
      }),
    ).toEqual({
      id: ID,
      name: "n",
      disk_format: "qcow2",
      container_format: "bare",
      visibility: "private",
      tags: ["t"],
      min_ram: 512,
      os_distro: "debian",
    });
  });

  it("refuses a bad id, read-only fields, stray top-level fields and non-string properties", () => {
    expectValidation(() => imageCreateBody({ id: "not-a-uuid" }), "id");
    expectValidation(() => imageCreateBody({ status: "active" } as never), "status");
    expectValidation(() => imageCreateBody({ os_distro: "x" } as never), "os_distro");
    expectValidation(() => imageCreateBody({ properties: { name: "x" } }), "name");
    expectValidation(() => imageCreateBody({ properties: { n: 1 as never } }), "n");
  });
});

describe("imageListQuery and nextPageQuery", () => {
  it("turns filters into Glance's query parameters", () => {
    expect(
      imageListQuery({
        name: "n",
        status: "active",
        visibility: "all",
        owner: "o",
        tag: ["a", "b"],
        member_status: "all",
        sort_key: ["name", "created_at"],
        sort_dir: "asc",
        limit: 2,
        marker: ID,
        size_min: 0,
        os_hidden: false,
        properties: { os_distro: "debian" },
      }),
    ).toEqual({
      name: "n",
      status: "active",
      visibility: "all",
      owner: "o",
      tag: ["a", "b"],
      member_status: "all",
      sort_key: ["name", "created_at"],
      sort_dir: ["asc"],
      limit: "2",
      marker: ID,
      size_min: "0",
      os_hidden: "false",
      os_distro: "debian",
    });
  });

  it.each([
    [{ limit: 0 }, "limit"],
    [{ status: "running" }, "status"],
    [{ visibility: "everyone" }, "visibility"],
    [{ member_status: "maybe" }, "member_status"],
    [{ sort_key: "owner" }, "sort_key"],
    [{ sort_dir: "up" }, "sort_dir"],
    [{ size_max: -1 }, "size_max"],
    [{ properties: { name: "x" } }, "name"],
  ])("refuses %p", (options, field) => {
    expectValidation(() => imageListQuery(options as never), field);
  });

  it("reads the next page's parameters from Glance's next link", () => {
    expect(nextPageQuery(`/v2/images?limit=2&marker=${ID}&tag=a&tag=b`)).toEqual({
      limit: ["2"],
      marker: [ID],
      tag: ["a", "b"],
    });
  });

  it("separates custom properties from Glance's fields", () => {
    expect(customProperties(record({ os_distro: "d", os_glance_importing_to_stores: "" }))).toEqual({ os_distro: "d" });
  });
});

// --- against a stub ------------------------------------------------------------------------

type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

describe("Images against a stub server", () => {
  let server: Server;
  let base: string;
  let handler: Handler;
  let requests: string[];
  let images: Images;
  let dir: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        requests.push(`${req.method} ${req.url}`);
        handler(req, Buffer.concat(chunks), res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    images = new Images({
      endpoint: base,
      region: "RegionOne",
      auth: { authorize: (r) => void (r.headers["x-auth-token"] = "t") },
      retry: { limit: 0 },
    });
    dir = mkdtempSync(join(tmpdir(), "images-unit-"));
  });

  afterAll(async () => {
    await images.close();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    requests = [];
  });

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  it("refuses a bad update before sending anything", async () => {
    handler = () => {
      throw new Error("nothing should be sent");
    };
    await expect(images.update(ID, { status: "active" } as never)).rejects.toMatchObject({ field: "status" });
    await expect(images.update(ID, { checksum: "x" } as never)).rejects.toBeInstanceOf(ValidationError);
    expect(requests).toEqual([]);
  });

  it("accepts Glance's default formats without asking, and others only when the cloud's schema lists them", async () => {
    handler = (req, _body, res) =>
      json(res, 200, {
        name: "image",
        properties: {
          disk_format: { enum: [null, "raw", "qcow2", "ploop", "luks"] },
          container_format: { enum: [null, "bare"] },
        },
      });
    await images.validateFormats({ disk_format: "qcow2", container_format: "ova" });
    expect(requests).toEqual([]);
    await images.validateFormats({ disk_format: "luks" });
    expect(requests).toEqual(["GET /v2/schemas/image"]);
    await expect(images.create({ name: "x", disk_format: "floppy" })).rejects.toMatchObject({
      field: "disk_format",
      message: expect.stringContaining("raw, qcow2, ploop, luks"),
    });
    // The schema is fetched once, and the create was never sent.
    expect(requests).toEqual(["GET /v2/schemas/image"]);
  });

  it("maps a 404 on an image to NoSuchImage", async () => {
    handler = (_req, _body, res) => {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("404 Not Found\n\nNo image found with ID x");
    };
    await expect(images.get(ID)).rejects.toBeInstanceOf(NoSuchImage);
    await expect(images.delete(ID)).rejects.toBeInstanceOf(NoSuchImage);
  });

  it("find: NoSuchImage for none, NoUniqueMatch naming the ids for several", async () => {
    let answer: ImageRecord[] = [];
    handler = (_req, _body, res) => json(res, 200, { images: answer, first: "/v2/images", schema: "" });
    await expect(images.find({ name: "x" })).rejects.toBeInstanceOf(NoSuchImage);
    answer = [record({ id: "a" }), record({ id: "b" })];
    const error = await images.find({ name: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoUniqueMatch);
    expect((error as NoUniqueMatch).matches).toEqual(["a", "b"]);
    await expect(images.find({})).rejects.toBeInstanceOf(ValidationError);
  });

  it("upload: ChecksumMismatch when Glance stored other data, saying what state the image is in", async () => {
    let received: Buffer = Buffer.alloc(0);
    handler = (req, body, res) => {
      if (req.method === "PUT") {
        received = body;
        res.writeHead(204);
        res.end();
      } else {
        json(res, 200, record({ status: "active", checksum: "0".repeat(32), size: received.length }));
      }
    };
    const progress: number[] = [];
    const data = Buffer.alloc(200_000, 7);
    const error = await images
      .upload(record(), data, { onProgress: (p) => progress.push(p.bytes) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumMismatch);
    expect((error as Error).message).toMatch(/is now active .*delete it/);
    expect(received.equals(data)).toBe(true);
    expect(progress.at(-1)).toBe(data.length);
    expect(progress.length).toBeGreaterThan(1);
  });

  it("upload: passes when the checksums agree, from a string, a stream and a file", async () => {
    let received: Buffer = Buffer.alloc(0);
    let contentLength: string | undefined;
    handler = (req, body, res) => {
      if (req.method === "PUT") {
        received = body;
        contentLength = req.headers["content-length"];
        res.writeHead(204);
        res.end();
      } else {
        const md5 = createHash("md5").update(received).digest("hex");
        const sha = createHash("sha512").update(received).digest("hex");
        json(res, 200, record({ status: "active", checksum: md5, os_hash_algo: "sha512", os_hash_value: sha }));
      }
    };
    const image = await images.upload(ID, "hello glance");
    expect(image.status).toBe("active");
    expect(received.toString()).toBe("hello glance");
    expect(contentLength).toBe("12");

    await images.upload(ID, Readable.from([Buffer.from("ab"), Buffer.from("cd")]));
    expect(received.toString()).toBe("abcd");
    expect(contentLength).toBeUndefined();

    const path = join(dir, "up.bin");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(path, Buffer.alloc(100_000, 3));
    await images.upload(ID, { file: path });
    expect(received.length).toBe(100_000);
    expect(contentLength).toBe("100000");

    await expect(images.upload(ID, { file: join(dir, "missing") })).rejects.toMatchObject({ field: "file" });
    await expect(images.upload(record({ disk_format: null }), "x")).rejects.toMatchObject({ field: "disk_format" });
  });

  it("download: ChecksumMismatch leaves no file behind; a stream is told the data was bad", async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-md5": "f".repeat(32) });
      res.end(Buffer.alloc(1000, 1));
    };
    const target = join(dir, "down.bin");
    await expect(images.download(ID, { file: target })).rejects.toBeInstanceOf(ChecksumMismatch);
    expect(readdirSync(dir).filter((f) => f.includes("down"))).toEqual([]);

    const sink = new PassThrough();
    sink.resume();
    await expect(images.download(ID, sink)).rejects.toThrow(/already received/);

    const result = await images.download(ID, { file: target }, { verifyChecksum: false });
    expect(result).toMatchObject({ bytes: 1000, verified: false });
  });

  it("download: 204 (no data yet) is a NotFound that says so", async () => {
    handler = (_req, _body, res) => {
      res.writeHead(204);
      res.end();
    };
    await expect(images.download(new Image(images, record()), new PassThrough())).rejects.toThrow(/has no data yet/);
  });

  it("waitForStatus gives up at once on a status the image never leaves", async () => {
    handler = (_req, _body, res) => json(res, 200, record({ status: "killed" }));
    const error = await images.waitForStatus(ID, "active", { interval: 10, timeout: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedStatus);
    expect(error).toMatchObject({ resourceId: ID, resourceStatus: "killed" });
    expect(requests).toHaveLength(1);
    await expect(images.waitForStatus(ID, "running" as never)).rejects.toMatchObject({ field: "status" });
  });

  it("passes the caller's signal: an aborted call sends nothing", async () => {
    handler = (_req, _body, res) => json(res, 200, record());
    const controller = new AbortController();
    controller.abort();
    await expect(images.get(ID, { signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
    expect(requests).toEqual([]);
  });
});
