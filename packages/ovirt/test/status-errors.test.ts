// Each failed status the engine (or a proxy in front of it) answers ends as common's class for it
// (STATUS_ERRORS), under this package's name; a 429 carries `retryAfterMs`; a body cut short mid-way is
// a typed ConnectionError, and a read whose body failed is sent again.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  ConnectionError,
  ForbiddenError,
  HttpError,
  RateLimitError,
  STATUS_ERRORS,
  ServerError,
  errorClassForStatus,
} from "@nimbus-sdk/common";
import { API, AuthError, Forbidden, RequestError, TooManyRequests } from "../src/index.js";
import { startEngine, type EngineSimulator } from "../src/testing/index.js";

let engine: EngineSimulator;
let api: API;

beforeAll(async () => {
  engine = await startEngine({ stepMs: 10 });
  // No retries: each status is thrown as answered.
  api = await API.connect({
    url: engine.url,
    username: engine.username,
    password: engine.password,
    caFile: engine.caFile,
    retry: { limit: 0 },
  });
});

afterAll(async () => {
  await api?.disconnect();
  await engine?.close();
});

describe("common's status table", () => {
  // 401 is answered by renewing the token; it is covered by api.test.ts.
  const statuses = [...STATUS_ERRORS.keys(), 418, 500, 502, 503, 504].filter((s) => s !== 401);

  it.each(statuses)("%i is common's class for it, and a RequestError", async (status) => {
    engine.failNext({ kind: "status", status });
    const error = await api.vms.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClassForStatus(status));
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ status, method: "GET" });
    if (status >= 500) expect(error).toBeInstanceOf(ServerError);
  });

  it("a 429 with Retry-After is a RateLimitError (TooManyRequests) with retryAfterMs", async () => {
    engine.failNext({ kind: "status", status: 429, retryAfter: "7" });
    const error = await api.vms.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toBeInstanceOf(TooManyRequests);
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
  });

  it("a 403 is a ForbiddenError, and still an AuthError as before", async () => {
    engine.failNext({ kind: "status", status: 403 });
    const error = await api.vms.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Forbidden);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toBeInstanceOf(HttpError);
  });
});

describe("a body cut short", () => {
  it("is a ConnectionError naming the request when it is not sent again", async () => {
    engine.failNext({ kind: "cut-body" });
    const error = await api.vms.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ method: "GET", status: 200 });
    expect((error as ConnectionError).url).toMatch(/\/ovirt-engine\/api\/vms$/);
  });

  it("on a GET is sent again within the retries, and the list arrives", async () => {
    const retrying = await API.connect({
      url: engine.url,
      username: engine.username,
      password: engine.password,
      caFile: engine.caFile,
      retry: { limit: 2, baseDelay: 1 },
    });
    try {
      engine.failNext({ kind: "cut-body" }, { count: 2 });
      const vms = await retrying.vms.list();
      expect(vms.map((vm) => vm.name)).toContain("python_vm");
    } finally {
      await retrying.disconnect();
    }
  });
});
