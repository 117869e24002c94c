// The one status table (STATUS_ERRORS) as the transport applies it when no provider maps the answer,
// against a real loopback server: each failed status is its class, a 429 carries `retryAfterMs`.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  HttpError,
  NotFoundError,
  RateLimitError,
  STATUS_ERRORS,
  ServerError,
  Transport,
  errorClassForStatus,
} from "../src/index.js";
import { PACKAGE_VERSION } from "../src/version.js";
import { startHttpServer, type LocalServer } from "./helpers/local-servers.js";

let server: LocalServer;
let transport: Transport;

beforeAll(async () => {
  // The status to answer is the path: /404 answers 404; ?retry-after=N adds the header.
  server = await startHttpServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const retryAfter = url.searchParams.get("retry-after");
    if (retryAfter) res.setHeader("retry-after", retryAfter);
    res.statusCode = Number(url.pathname.slice(1));
    res.end(`refused with ${res.statusCode}`);
  });
  transport = new Transport({
    baseUrl: server.url,
    userAgent: { package: "@nimbus-sdk/common", version: PACKAGE_VERSION },
    retry: { limit: 0 },
    debug: false,
  });
});
afterAll(async () => {
  await transport.close();
  await server.close();
});

describe("STATUS_ERRORS", () => {
  it("is the table the README gives", () => {
    expect(Object.fromEntries(STATUS_ERRORS)).toEqual({
      400: BadRequestError,
      401: AuthenticationError,
      403: ForbiddenError,
      404: NotFoundError,
      409: ConflictError,
      422: BadRequestError,
      429: RateLimitError,
    });
    expect(errorClassForStatus(500)).toBe(ServerError);
    expect(errorClassForStatus(599)).toBe(ServerError);
    expect(errorClassForStatus(418)).toBe(HttpError);
  });

  it.each([...STATUS_ERRORS.keys(), 418, 500, 502, 503, 504])(
    "the transport throws %i as its class, with method, URL and status",
    async (status) => {
      const error = await transport.request({ url: `/${status}` }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(errorClassForStatus(status));
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({ status, method: "GET", url: `${server.url}/${status}` });
      expect((error as Error).message).toContain(`failed with ${status}`);
    },
  );

  it("a 429 with Retry-After is a RateLimitError with retryAfterMs", async () => {
    const error = await transport.request({ url: "/429", query: { "retry-after": 5 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(5000);
  });
});
