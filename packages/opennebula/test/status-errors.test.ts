// What a proxy in front of oned (or a dropped connection) makes of a call: each failed HTTP status ends
// as common's class for it (STATUS_ERRORS), a 429 with `retryAfterMs`; a body reset mid-way or stalled is
// a typed ConnectionError or TimeoutError, whether the answer is read whole or decoded as it streams.
// Clients here retry nothing unless told, so that each fault's own error is seen (test/retry.test.ts has
// what is sent again, through the fault proxy).
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  ConnectionError,
  HttpError,
  RateLimitError,
  STATUS_ERRORS,
  ServerError,
  TimeoutError,
  errorClassForStatus,
} from "@nimbus-sdk/common";
import { OneServer, encodeMethodResponse, type OneServerOptions } from "../src/index.js";

const SESSION = "oneadmin:Sup3rS3cret!";
const VM = encodeMethodResponse([true, `<VM><ID>1</ID><NAME>${"x".repeat(2000)}</NAME><STATE>3</STATE></VM>`, 0]);

/** What the next request gets: a status (with headers), or the answer reset or stalled half-way. */
type Fault = { status: number; headers?: Record<string, string> } | "reset-mid-body" | "stall";
const faults: Fault[] = [];
const server = createServer((req, res: ServerResponse) => {
  req.resume();
  req.on("end", () => {
    const fault = faults.shift();
    if (fault === "reset-mid-body" || fault === "stall") {
      res.writeHead(200, { "content-type": "text/xml", "content-length": String(VM.length) });
      res.write(VM.slice(0, VM.length / 2), () => (fault === "stall" ? undefined : res.socket?.resetAndDestroy()));
    } else if (fault) {
      res.writeHead(fault.status, { "content-type": "text/html", ...fault.headers });
      res.end(`<html><title>${fault.status} from the proxy</title></html>`);
    } else {
      res.writeHead(200, { "content-type": "text/xml" }).end(VM);
    }
  });
});

let endpoint: string;
const clients: OneServer[] = [];
function one(options: OneServerOptions = {}): OneServer {
  const client = new OneServer(endpoint, { session: SESSION, retry: { limit: 0 }, ...options });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/RPC2`;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("common's status table", () => {
  const statuses = [...STATUS_ERRORS.keys(), 418, 500, 502, 503, 504];

  it.each(statuses)("%i is common's class for it", async (status) => {
    faults.push({ status });
    const error = await one()
      .call("one.vm.info", [1])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClassForStatus(status));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status, method: "POST" });
    if (status >= 500) expect(error).toBeInstanceOf(ServerError);
  });

  it("a 429 with Retry-After is a RateLimitError with retryAfterMs", async () => {
    faults.push({ status: 429, headers: { "retry-after": "12" } });
    const error = await one()
      .call("one.vm.info", [1])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(12_000);
  });
});

describe("a failed body", () => {
  it("the answer read whole: reset is a ConnectionError naming the request", async () => {
    faults.push("reset-mid-body");
    const error = await one()
      .call("one.vm.info", [1])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ method: "POST", status: 200 });
    expect((error as ConnectionError).url).toBe(endpoint);
  });

  it("the answer decoded as it streams: reset is a ConnectionError", async () => {
    faults.push("reset-mid-body");
    const error = await one()
      .vm.info(1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ method: "POST", status: 200 });
  });

  it("the answer decoded as it streams: a stall is a TimeoutError, not a ParseError", async () => {
    faults.push("stall");
    const error = await one({ timeout: 200 })
      .vm.info(1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/the response body stalled \(no data for 200 ms\)/);
  });

  it("with retries on, a read is sent again after its body was reset; a write is not", async () => {
    const retrying = one({ retry: { limit: 1, baseDelay: 1 } });
    faults.push("reset-mid-body");
    expect(await retrying.call("one.vm.info", [1])).toContain("<VM><ID>1</ID>");
    expect(faults).toEqual([]);
    faults.push("reset-mid-body");
    await expect(retrying.call("one.vm.rename", [1, "renamed"])).rejects.toBeInstanceOf(ConnectionError);
    // The next call gets the whole answer.
    expect(await retrying.call("one.vm.info", [1])).toContain("<VM><ID>1</ID>");
  });
});
