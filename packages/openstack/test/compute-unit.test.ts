// Cloud Servers without Nova: microversion parsing and choice, negotiation against a small HTTP server
// that serves only a versions document (and records the headers it receives), listings, and pyrax.utils.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { NotFoundError, TimeoutError, ValidationError } from "@nimbus-sdk/common";
import {
  CloudServers,
  FolderNotFound,
  InvalidDateTimeString,
  Listing,
  MissingName,
  NoReloadError,
  OverLimit,
  UnexpectedStatus,
  chooseMicroversion,
  compareMicroversions,
  mapOpenStackError,
  microversionHeaders,
  nextLinkQuery,
  novaListing,
  parseMicroversion,
  readVersionDocument,
  utils,
} from "../src/index.js";

describe("microversions", () => {
  it("parses, compares and formats", () => {
    expect(parseMicroversion("2.60")).toEqual({ major: 2, minor: 60 });
    expect(compareMicroversions("2.9", "2.10")).toBeLessThan(0);
    expect(compareMicroversions("2.60", "2.60")).toBe(0);
    expect(() => parseMicroversion("two")).toThrow(ValidationError);
  });

  it("reads the document at /v2.1 and at the root", () => {
    expect(readVersionDocument({ version: { id: "v2.1", version: "2.93", min_version: "2.1" } })).toEqual({
      min: "2.1",
      max: "2.93",
    });
    const root = {
      versions: [
        { id: "v2.0", status: "SUPPORTED", version: "", min_version: "" },
        { id: "v2.1", status: "CURRENT", version: "2.79", min_version: "2.1" },
      ],
    };
    expect(readVersionDocument(root)).toEqual({ min: "2.1", max: "2.79" });
    // The legacy v2 API (Rackspace's) has no microversions.
    expect(readVersionDocument({ version: { id: "v2.0", version: "", min_version: "" } })).toEqual({});
  });

  it("picks the highest both support, or checks the one asked for", () => {
    expect(chooseMicroversion({ min: "2.1", max: "2.93" })).toBe("2.93");
    expect(chooseMicroversion({ min: "2.1", max: "2.120" })).toBe("2.96");
    expect(chooseMicroversion({ min: "2.1", max: "2.93" }, "2.60")).toBe("2.60");
    expect(chooseMicroversion({ min: "2.1", max: "2.93" }, "latest")).toBe("2.93");
    expect(() => chooseMicroversion({ min: "2.1", max: "2.50" }, "2.60")).toThrow(/outside/);
    expect(() => chooseMicroversion({}, "2.60")).toThrow(/no microversions/);
    expect(chooseMicroversion({})).toBeUndefined();
    expect(microversionHeaders("2.60")).toEqual({
      "openstack-api-version": "compute 2.60",
      "x-openstack-nova-api-version": "2.60",
    });
  });
});

describe("negotiation over HTTP", () => {
  let server: HttpServer;
  let base: string;
  let max = "2.93";
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? "", headers: req.headers });
      res.setHeader("content-type", "application/json");
      if (req.url === "/v2.1") {
        res.end(JSON.stringify({ version: { id: "v2.1", status: "CURRENT", version: max, min_version: "2.1" } }));
      } else if (req.url === "/v2") {
        res.end(JSON.stringify({ version: { id: "v2.0", status: "SUPPORTED", version: "", min_version: "" } }));
      } else if (req.url?.includes("/flavors/detail")) {
        // Two pages, linked as Nova links them.
        const marker = new URL(req.url, "http://x").searchParams.get("marker");
        const flavors = marker
          ? [{ id: "3", name: "c" }]
          : [
              { id: "1", name: "a" },
              { id: "2", name: "b" },
            ];
        const links = marker ? [] : [{ rel: "next", href: `http://127.0.0.1/v2.1/p1/flavors/detail?limit=2&marker=2` }];
        res.end(JSON.stringify({ flavors, flavors_links: links }));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ itemNotFound: { code: 404, message: "nothing here" } }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const client = (endpoint: string, microversion?: string) =>
    new CloudServers({ endpoint, region: "R", auth: { authorize: () => undefined }, microversion });

  it("reads the versions document once (without the project id) and sends the chosen version", async () => {
    seen.length = 0;
    const cs = client(`${base}/v2.1/p1`);
    expect(cs.apiRoot.href).toBe(`${base}/v2.1`);
    const flavors = await cs.flavors.list();
    expect(flavors.map((f) => f.name)).toEqual(["a", "b", "c"]);
    expect(cs.apiVersion).toBe("2.93");
    expect(seen.map((s) => s.url)).toEqual(["/v2.1", "/v2.1/p1/flavors/detail", "/v2.1/p1/flavors/detail?marker=2"]);
    expect(seen[1]!.headers["openstack-api-version"]).toBe("compute 2.93");
    expect(seen[1]!.headers["x-openstack-nova-api-version"]).toBe("2.93");
    await cs.close();
  });

  it("sends the version asked for, and refuses one the server lacks", async () => {
    seen.length = 0;
    const cs = client(`${base}/v2.1`, "2.53");
    await cs.flavors.list();
    expect(seen.at(-1)!.headers["openstack-api-version"]).toBe("compute 2.53");
    cs.setApiVersion("2.99");
    await expect(cs.flavors.list()).rejects.toThrow(ValidationError);
    expect(() => cs.setApiVersion("soon")).toThrow(ValidationError);
    await cs.close();
  });

  it("caps the image proxy at 2.35 and sends nothing to a legacy v2 endpoint", async () => {
    max = "2.90";
    seen.length = 0;
    const cs = client(`${base}/v2.1/p1`);
    await expect(cs.images.get("x")).rejects.toThrow(NotFoundError);
    expect(seen.at(-1)!.headers["openstack-api-version"]).toBe("compute 2.35");
    const legacy = client(`${base}/v2/123456`);
    await expect(legacy.flavors.get("1")).rejects.toThrow(/nothing here/);
    expect(legacy.apiVersion).toBeUndefined();
    expect(seen.at(-1)!.headers["openstack-api-version"]).toBeUndefined();
    await Promise.all([cs.close(), legacy.close()]);
  });

  it("refuses arguments a call cannot use, naming them", async () => {
    const cs = client(`${base}/v2.1/p1`);
    const bad = cs.servers.create("s", "img", "flv", { colour: "red" } as never);
    await expect(bad).rejects.toThrow(ValidationError);
    await expect(bad).rejects.toMatchObject({ field: "colour" });
    expect(() => cs.servers.list({ colour: 1 } as never)).toThrow(/colour/);
    const old = client(`${base}/v2.1/p1`, "2.1");
    await expect(old.servers.create("s", "img", "flv", { tags: ["a"] })).rejects.toMatchObject({ field: "tags" });
    await expect(old.servers.create("s", "img", "flv", { nics: "none" })).rejects.toMatchObject({ field: "nics" });
    const pinned = client(`${base}/v2.1/p1`, "2.60");
    await expect(pinned.servers.create("s", "img", "flv", { files: { "/x": "y" } })).rejects.toMatchObject({
      field: "files",
    });
    await expect(pinned.keypairs.create("k", { userId: "u", keyType: "ssh" })).rejects.toThrow(NotFoundError);
    await Promise.all([cs.close(), old.close(), pinned.close()]);
  });
});

describe("listings", () => {
  it("are arrays when awaited, and stop at the total limit", async () => {
    const calls: Record<string, string | string[]>[] = [];
    const listing = novaListing<number>({ status: "ACTIVE", none: undefined }, { limit: 3, pageSize: 2 }, async (q) => {
      calls.push(q);
      const start = q.marker ? Number(q.marker) : 0;
      return { items: [start + 1, start + 2], next: { marker: [String(start + 2)] } };
    });
    expect(listing).toBeInstanceOf(Listing);
    expect(await listing).toEqual([1, 2, 3]);
    expect(calls).toEqual([
      { status: "ACTIVE", limit: "2" },
      { status: "ACTIVE", marker: ["2"], limit: "1" },
    ]);
    const seen: number[] = [];
    for await (const n of listing) seen.push(n);
    expect(seen).toEqual([1, 2, 3]);
    expect(nextLinkQuery([{ rel: "next", href: "http://n/v2.1/servers?limit=5&marker=abc" }])).toEqual({
      limit: ["5"],
      marker: ["abc"],
    });
    expect(nextLinkQuery([{ rel: "self", href: "http://n/" }])).toBeUndefined();
  });
});

describe("error mapping", () => {
  it("calls Nova's 403 quota refusal and a 413 OverLimit", () => {
    const failed = (status: number, message: string) =>
      mapOpenStackError({
        method: "POST",
        url: "http://n/servers",
        status,
        headers: {},
        body: JSON.stringify({ forbidden: { code: status, message } }),
        bodyExcerpt: "",
      });
    expect(
      failed(403, "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances"),
    ).toBeInstanceOf(OverLimit);
    expect(failed(413, "Maximum number of metadata items exceeds 128")).toBeInstanceOf(OverLimit);
    expect(failed(403, "Policy doesn't allow os_compute_api:servers:create to be performed.")).not.toBeInstanceOf(
      OverLimit,
    );
  });
});

// An object that changes status when fetched again, as a server does between polls.
function fakeResource(statuses: string[], extra: Record<string, unknown> = {}) {
  const resource = {
    id: "r1",
    status: "BUILD",
    fetches: 0,
    ...extra,
    async get() {
      resource.status = statuses[Math.min(resource.fetches, statuses.length - 1)]!;
      resource.fetches++;
      return resource;
    },
  };
  return resource;
}

describe("pyrax.utils.waitUntil and waitForBuild", () => {
  it("returns the object once the attribute is desired, calling back", async () => {
    const r = fakeResource(["BUILD", "BUILD", "ACTIVE"]);
    const progress: string[] = [];
    let called: unknown;
    const out = await utils.waitUntil(r, "status", ["ACTIVE", "ERROR"], (x) => (called = x), {
      interval: 0,
      onProgress: (x) => progress.push(x.status),
    });
    expect(out).toBe(r);
    expect(called).toBe(r);
    expect(progress).toEqual(["BUILD", "BUILD", "ACTIVE"]);
  });

  it("reports common's Progress third: in percent from a building server's progress, ending at 1", async () => {
    const steps = [
      { status: "BUILD", progress: 0 },
      { status: "BUILD", progress: 50 },
      { status: "BUILD", progress: 25 },
      { status: "ACTIVE", progress: 100 },
    ];
    let at = 0;
    const server = {
      ...steps[0]!,
      async get() {
        Object.assign(server, steps[Math.min(at++, steps.length - 1)]);
        return server;
      },
    };
    const fractions: (number | undefined)[] = [];
    await utils.waitUntil(server, "status", "ACTIVE", {
      interval: 0,
      onProgress: (_s, _ms, progress) => void fractions.push(progress.fraction),
    });
    expect(fractions).toEqual([0, 0.5, 0.5, 1]);
  });

  it("prints each check with verbose, as pyrax does", async () => {
    const printed: string[] = [];
    const original = console.log;
    console.log = (line: string) => void printed.push(line);
    try {
      await utils.waitUntil(fakeResource(["BUILD", "ACTIVE"], { progress: 40 }), "status", "ACTIVE", {
        interval: 0,
        verbose: true,
        verboseAtts: ["progress"],
      });
    } finally {
      console.log = original;
    }
    expect(printed).toHaveLength(2);
    expect(printed[0]).toMatch(/^Current value of status: BUILD \(elapsed: +\d+\.\d seconds\) progress=40$/);
  });

  it("returns after `attempts` checks with the state reached, as pyrax", async () => {
    const r = fakeResource(["BUILD"]);
    const out = await utils.waitUntil(r, "status", "ACTIVE", { interval: 0, attempts: 3 });
    expect(out.status).toBe("BUILD");
    expect(r.fetches).toBe(3);
  });

  it("ends at ERROR when ERROR is not desired, instead of polling for ever", async () => {
    const r = fakeResource(["BUILD", "ERROR"], { fault: { message: "No valid host was found." } });
    await expect(utils.waitUntil(r, "status", "ACTIVE", { interval: 0 })).rejects.toThrow(UnexpectedStatus);
    expect(r.status).toBe("ERROR");
    await expect(utils.waitUntil(fakeResource(["ERROR"]), "status", "ACTIVE", { interval: 0 })).rejects.toThrow(
      /status became ERROR while waiting for ACTIVE/,
    );
    // waitForBuild desires ERROR too: it returns the object, as pyrax's wait_for_build.
    const failed = await utils.waitForBuild(fakeResource(["ERROR"]), { interval: 0 });
    expect(failed.status).toBe("ERROR");
  });

  it("treats a resource gone as DELETED when that is desired, and fails on objects it cannot fetch", async () => {
    const gone = {
      id: "x",
      status: "ACTIVE",
      async get(): Promise<never> {
        throw new NotFoundError("gone", { status: 404 });
      },
    };
    expect((await utils.waitUntil(gone, "status", "DELETED", { interval: 0 })).status).toBe("DELETED");
    await expect(utils.waitUntil({ id: 1, status: "x" }, "status", "y")).rejects.toThrow(NoReloadError);
    await expect(
      utils.waitUntil(fakeResource(["BUILD"]), "status", "ACTIVE", { interval: 0.01, timeout: 0.05 }),
    ).rejects.toThrow(TimeoutError);
    await expect(utils.waitUntil(fakeResource(["BUILD"]), "status", "ACTIVE", { interval: -1 })).rejects.toThrow(
      ValidationError,
    );
  });
});

describe("pyrax.utils helpers", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "pyrax-utils-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("getChecksum takes text, bytes, streams and file paths", async () => {
    const md5 = "5d41402abc4b2a76b9719d911017c592"; // md5("hello")
    expect(await utils.getChecksum("hello")).toBe(md5);
    expect(await utils.getChecksum(Buffer.from("hello"))).toBe(md5);
    expect(await utils.getChecksum(Readable.from([Buffer.from("hel"), Buffer.from("lo")]))).toBe(md5);
    const file = join(dir, "f.txt");
    writeFileSync(file, "hello");
    expect(await utils.getChecksum(file)).toBe(md5);
  });

  it("random names, lists, patterns, ids and names", () => {
    expect(utils.randomAscii()).toMatch(/^[A-Za-z]{20}$/);
    expect([...utils.randomUnicode(12)]).toHaveLength(12);
    expect(utils.coerceStringToList("a")).toEqual(["a"]);
    expect(utils.coerceStringToList(["a", "b"])).toEqual(["a", "b"]);
    expect(utils.coerceStringToList(undefined)).toEqual([]);
    expect(utils.matchPattern("x.py", ["*.txt", "*.py"])).toBe(true);
    expect(utils.matchPattern("x.py", "*.txt")).toBe(false);
    expect(utils.getId({ id: "abc" })).toBe("abc");
    expect(utils.getId("abc")).toBe("abc");
    expect(utils.getName({ name: "web" })).toBe("web");
    expect(() => utils.getName({})).toThrow(MissingName);
    expect(utils.slugify("Héllo, World  -- Again")).toBe("hello-world-again");
  });

  it("dates as pyrax formats them", () => {
    expect(utils.isoTimeString("2013-06-01 12:34:56")).toBe("2013-06-01T12:34:56");
    expect(utils.isoTimeString("2013-06-01", true)).toBe("2013-06-01T00:00:00+0000");
    expect(utils.isoTimeString(new Date(Date.UTC(2013, 5, 1, 1, 2, 3, 456)))).toBe("2013-06-01T01:02:03");
    expect(utils.isoTimeString(undefined)).toBe("");
    expect(() => utils.isoTimeString("06/01/2013")).toThrow(InvalidDateTimeString);
    expect(utils.toTimestamp(1234)).toBe(1234);
    expect(utils.toTimestamp("2013-06-01")).toBe(new Date(2013, 5, 1).getTime() / 1000);
    expect(utils.rfc2822Format(0)).toBe("Thu, 01 Jan 1970 00:00:00 -0000");
    expect(utils.rfc2822Format("as is")).toBe("as is");
  });

  it("dicts, query strings, errors and the environment", () => {
    expect(utils.paramsToDict(["a", "b", "c"], { z: 1 }, { a: 1, b: null, c: "x" })).toEqual({ z: 1, a: 1, c: "x" });
    expect(utils.dictToQs({ a: 1, b: null, c: "x" })).toBe("a=1&c=x");
    const d: Record<string, unknown> = { Name: "a" };
    utils.caseInsensitiveUpdate(d, { name: "b", other: 1 });
    expect(d).toEqual({ Name: "b", other: 1 });
    expect(utils.updateExc(new Error("base"), "extra").message).toBe("extra\nbase");
    expect(utils.updateExc(new Error("base"), "extra", false, " ").message).toBe("base extra");
    process.env.PYRAX_UTILS_TEST = "set";
    expect(utils.env("PYRAX_UTILS_MISSING", "PYRAX_UTILS_TEST")).toBe("set");
    expect(utils.env("PYRAX_UTILS_MISSING", { default: "d" })).toBe("d");
    delete process.env.PYRAX_UTILS_TEST;
  });

  it("folderSize, temp files and runproc", async () => {
    const folder = join(dir, "tree");
    mkdirSync(join(folder, "sub"), { recursive: true });
    writeFileSync(join(folder, "a.txt"), "12345");
    writeFileSync(join(folder, "sub", "b.log"), "123");
    expect(await utils.folderSize(folder)).toBe(8);
    expect(await utils.folderSize(folder, "*.log")).toBe(5);
    await expect(utils.folderSize(join(dir, "none"))).rejects.toThrow(FolderNotFound);
    let kept = "";
    await utils.selfDeletingTempfile(async (path) => {
      kept = path;
      writeFileSync(path, "x");
    });
    expect(kept).not.toBe("");
    expect(existsSync(kept)).toBe(false);
    expect(await utils.runproc("echo out; echo err >&2")).toEqual(["out\n", "err\n"]);
  });
});
