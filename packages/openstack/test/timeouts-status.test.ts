// The `timeout` and `retries` settings, the `timeout`/`retry` options of a context and of connectTo*,
// what a failed body ends as, and common's status table under pyrax's names, over the Rackspace fake
// and its object store told to refuse, reset or stall.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  ConnectionError,
  RateLimitError,
  STATUS_ERRORS,
  ServerError,
  TimeoutError,
  errorClassForStatus,
  type Logger,
} from "@nimbus-sdk/common";
import { InvalidSetting, OverLimit, Pyrax, ServiceNotAvailable, type PyraxOptions } from "../src/index.js";
import { openStackTransport } from "../src/service-client.js";
import { FAKE_USER, startFakeIdentity, type FakeIdentity } from "./helpers/fake-identity.js";

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

let fake: FakeIdentity;
let dir: string;
const opened: Pyrax[] = [];

beforeAll(async () => {
  fake = await startFakeIdentity();
  dir = mkdtempSync(join(tmpdir(), "nimbus-pyrax-timing-"));
});
afterAll(async () => {
  await Promise.all(opened.map((p) => p.close()));
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An authenticated module whose ~/.pyrax.cfg holds `extra` lines. */
async function moduleWith(extra = "", options: Omit<PyraxOptions, "configPath"> = {}): Promise<Pyrax> {
  const configPath = join(dir, `pyrax-${Math.random().toString(36).slice(2)}.cfg`);
  writeFileSync(
    configPath,
    `[default]\nidentity_type = rackspace\nauth_endpoint = ${fake.url}/v2.0/\nregion = ORD\n${extra}`,
  );
  const pyrax = new Pyrax({ configPath, env: {}, logger: quiet, ...options });
  opened.push(pyrax);
  await pyrax.setCredentials(FAKE_USER.username, FAKE_USER.apiKey);
  return pyrax;
}

async function failure(work: Promise<unknown>): Promise<Error> {
  return work.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e as Error,
  );
}

describe("the timeout and retries settings", () => {
  it("default to 60 seconds and 3 retries, and are read from the file or CLOUD_TIMEOUT / CLOUD_RETRIES", async () => {
    const defaults = new Pyrax({ configPath: join(dir, "none.cfg"), env: {}, logger: quiet });
    expect(defaults.getSetting("timeout")).toBe(60);
    expect(defaults.getSetting("retries")).toBe(3);
    const fromEnv = new Pyrax({
      configPath: join(dir, "none.cfg"),
      env: { CLOUD_TIMEOUT: "2.5", CLOUD_RETRIES: "0" },
      logger: quiet,
    });
    expect(fromEnv.getSetting("timeout")).toBe(2.5);
    expect(fromEnv.getSetting("retries")).toBe(0);
    await Promise.all([defaults.close(), fromEnv.close()]);
  });

  it("retries = 0: a 503 is thrown after one request", async () => {
    const pyrax = await moduleWith("retries = 0\n");
    fake.storeRequests.length = 0;
    fake.storeFaults.push({ status: 503 });
    const error = await failure(pyrax.cloudfiles!.listContainerNames());
    expect(error).toBeInstanceOf(ServiceNotAvailable);
    expect(fake.storeRequests).toHaveLength(1);
  });

  it("timeout (seconds): a body that stalls is a TimeoutError", async () => {
    const pyrax = await moduleWith("timeout = 0.2\nretries = 0\n");
    fake.storeFaults.push("stall");
    const error = await failure(pyrax.cloudfiles!.listContainerNames());
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/store\/ord\?format=json\S*: the response body stalled \(no data for 200 ms\)/,
    );
  });

  it("a value that cannot work is an InvalidSetting when a client is made", async () => {
    const pyrax = await moduleWith();
    pyrax.setSetting("retries", 1.5);
    expect(() => pyrax.cloudfiles).toThrow(InvalidSetting);
    expect(() => pyrax.cloudfiles).toThrow(/the retries setting must be a whole number from 0, not 1.5/);
    pyrax.setSetting("retries", 1);
    pyrax.setSetting("timeout", 0);
    await expect(pyrax.connectToCloudfiles()).rejects.toThrow(
      /the timeout setting must be a number of seconds above 0/,
    );
  });
});

describe("the timeout and retry options", () => {
  it("of connectToCloudfiles win over the settings", async () => {
    const pyrax = await moduleWith("retries = 0\n");
    const files = await pyrax.connectToCloudfiles({ retry: { limit: 2, baseDelay: 1 } });
    fake.storeRequests.length = 0;
    fake.storeFaults.push({ status: 503 }, { status: 503 });
    expect(await files.listContainerNames()).toEqual([]);
    expect(fake.storeRequests.map((r) => r.status)).toEqual([503, 503, 200]);

    const impatient = await pyrax.connectToCloudfiles({ timeout: 200 });
    fake.storeFaults.push("stall");
    expect(await failure(impatient.listContainerNames())).toBeInstanceOf(TimeoutError);
  });

  it("of the context apply to its clients", async () => {
    const pyrax = await moduleWith("", { timeout: 200, retry: { limit: 0 } });
    fake.storeFaults.push("stall");
    expect(await failure(pyrax.cloudfiles!.listContainerNames())).toBeInstanceOf(TimeoutError);
  });
});

describe("a body reset mid-way", () => {
  it("is a typed ConnectionError with the method and URL, not undici's error", async () => {
    const pyrax = await moduleWith("retries = 0\n");
    fake.storeFaults.push("reset-mid-body");
    const error = await failure(pyrax.cloudfiles!.listContainerNames());
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ method: "GET", status: 200 });
    expect((error as ConnectionError).url).toMatch(/\/store\/ord\?format=json/);
  });
});

describe("common's status table, under pyrax's names", () => {
  const statuses = [...STATUS_ERRORS.keys(), 418, 500, 502, 503, 504];

  it.each(statuses)("%i is common's class for it", async (status) => {
    const pyrax = await moduleWith();
    const store = openStackTransport(`${fake.url}/store/ord/`, { auth: pyrax.identity.authStep, retry: { limit: 0 } });
    try {
      fake.storeFaults.push({ status });
      // A 401 renews the token and is sent again; two in a row are thrown.
      if (status === 401) fake.storeFaults.push({ status });
      const error = await failure(store.request({ url: "" }));
      expect(error).toBeInstanceOf(errorClassForStatus(status));
      expect(error).toMatchObject({ status, method: "GET" });
      expect(error.message).toContain(`refused with ${status}`);
      if (status >= 500) expect(error).toBeInstanceOf(ServerError);
    } finally {
      await store.close();
    }
  });

  it("a 429 with Retry-After is OverLimit, a RateLimitError with retryAfterMs", async () => {
    const pyrax = await moduleWith("retries = 0\n");
    fake.storeFaults.push({ status: 429, retryAfter: "4" });
    const error = await failure(pyrax.cloudfiles!.listContainerNames());
    expect(error).toBeInstanceOf(OverLimit);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(4000);
  });
});
