// Each failed status the API (or a gateway in front of it) answers ends as common's class for it
// (STATUS_ERRORS) under python-tutum's names; a 429 carries `retryAfterMs`; a body that fails mid-way is
// a typed error, and a read whose body failed is sent again. The answers come from a loopback server
// playing the API's refusals (`{"error": ...}`), since the simulator never refuses with these statuses.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ConnectionError, RateLimitError, STATUS_ERRORS, ServerError, errorClassForStatus } from "@nimbus-sdk/common";
import { Tutum, TutumApiError, TutumConnectionError, TutumRateLimitError } from "../src/index.js";

/** What the next request gets: a status (with headers), or a body reset half-way. */
type Answer = { status: number; headers?: Record<string, string> } | "reset-mid-body";

const LIST = JSON.stringify({ meta: { limit: 25, next: null, offset: 0, total_count: 0 }, objects: [] });
const answers: Answer[] = [];
let requests = 0;
const server = createServer((_req, res: ServerResponse) => {
  requests++;
  const answer = answers.shift();
  if (answer === "reset-mid-body") {
    res.writeHead(200, { "content-type": "application/json", "content-length": String(LIST.length) });
    res.write(LIST.slice(0, 10), () => res.socket?.resetAndDestroy());
  } else if (answer) {
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(JSON.stringify({ error: `refused with ${answer.status}` }));
  } else {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(LIST);
  }
});

let url: string;
const clients: Tutum[] = [];
function client(retry: { limit: number; baseDelay?: number }): Tutum {
  const tutum = new Tutum({ user: "user", apikey: "a".repeat(40), base_url: url, env: {}, retry });
  clients.push(tutum);
  return tutum;
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/`;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("common's status table", () => {
  const statuses = [...STATUS_ERRORS.keys(), 418, 500, 502, 503, 504];

  it.each(statuses)("%i is common's class for it, and a TutumApiError", async (status) => {
    answers.push({ status });
    const error = await client({ limit: 0 })
      .Application.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClassForStatus(status));
    expect(error).toBeInstanceOf(TutumApiError);
    expect(error).toMatchObject({ status, method: "GET" });
    expect((error as Error).message).toContain(`refused with ${status}`);
    if (status >= 500) expect(error).toBeInstanceOf(ServerError);
  });

  it.each(statuses)("%i refusing a stream (the websocket handshake) is common's class for it", async (status) => {
    answers.push({ status });
    const error = await client({ limit: 0 })
      .stream({ path: "events/" })
      .next()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClassForStatus(status));
    expect(error).toBeInstanceOf(TutumApiError);
    expect(error).toMatchObject({ status, method: "GET" });
  });

  it("a 429 with Retry-After is a RateLimitError with retryAfterMs, from the API or a stream", async () => {
    answers.push({ status: 429, headers: { "retry-after": "9" } });
    const refused = await client({ limit: 0 })
      .stream({ path: "events/" })
      .next()
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TutumRateLimitError);
    expect((refused as RateLimitError).retryAfterMs).toBe(9000);

    answers.push({ status: 429, headers: { "retry-after": "9" } });
    const error = await client({ limit: 0 })
      .Application.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toBeInstanceOf(TutumRateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(9000);
  });
});

describe("a body reset mid-way", () => {
  it("is a TutumConnectionError (a ConnectionError) when not sent again", async () => {
    answers.push("reset-mid-body");
    const error = await client({ limit: 0 })
      .Application.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TutumConnectionError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ method: "GET", status: 200 });
  });

  it("on a GET is sent again within the retries, and the list arrives", async () => {
    answers.push("reset-mid-body", "reset-mid-body");
    const before = requests;
    const list = await client({ limit: 2, baseDelay: 1 }).Application.list();
    expect([...list]).toEqual([]);
    expect(requests - before).toBe(3);
  });
});
