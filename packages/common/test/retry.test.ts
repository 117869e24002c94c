import { describe, expect, it } from "@jest/globals";
import {
  RETRY_STATUSES,
  backoffDelay,
  isIdempotent,
  isRetryableNetworkError,
  networkErrorCode,
  parseRetryAfter,
} from "../src/http/retry.js";

function codeError(code: string, cause?: unknown): Error {
  return Object.assign(new Error(code, cause === undefined ? undefined : { cause }), { code });
}

describe("isIdempotent", () => {
  it.each(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE", "get", "Delete"])("%s is idempotent", (method) => {
    expect(isIdempotent(method)).toBe(true);
  });

  it.each(["POST", "PATCH", "post", "CONNECT", ""])("%s is not", (method) => {
    expect(isIdempotent(method)).toBe(false);
  });
});

describe("RETRY_STATUSES", () => {
  it("holds the statuses worth retrying and no others", () => {
    expect([...RETRY_STATUSES].sort()).toEqual([429, 502, 503, 504]);
    expect(RETRY_STATUSES.has(500)).toBe(false);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");

  it("reads delta-seconds", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 5 ", now)).toBe(5_000);
    expect(parseRetryAfter("0", now)).toBe(0);
  });

  it("reads an HTTP date as the time left", () => {
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
    // The obsolete RFC 850 and asctime forms are HTTP dates too.
    expect(parseRetryAfter("Thursday, 01-Jan-26 00:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("Thu Jan  1 00:00:10 2026", now)).toBeGreaterThanOrEqual(0);
  });

  it("never gives a negative delay for a date in the past", () => {
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0);
  });

  it("uses Date.now() by default", () => {
    const soon = new Date(Date.now() + 60_000).toUTCString();
    const ms = parseRetryAfter(soon)!;
    expect(ms).toBeGreaterThan(50_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });

  it.each([undefined, "", "soon", "5 s", "1e3", "0x10", "-1", "in 5", "abc 12", "Mon 99", "2026-01-01"])(
    "gives undefined for %p",
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );
});

describe("backoffDelay", () => {
  it("keeps half the ceiling fixed and jitters the other half", () => {
    expect(backoffDelay(0, {}, () => 0)).toBe(150);
    expect(backoffDelay(0, {}, () => 1)).toBe(300);
    expect(backoffDelay(0, {}, () => 0.5)).toBe(225);
  });

  it("doubles the ceiling on each retry from baseDelay", () => {
    const options = { baseDelay: 100 };
    expect([0, 1, 2, 3].map((retry) => backoffDelay(retry, options, () => 1))).toEqual([100, 200, 400, 800]);
    expect([0, 1, 2, 3].map((retry) => backoffDelay(retry, options, () => 0))).toEqual([50, 100, 200, 400]);
  });

  it("never exceeds maxDelay, nor falls below half of it", () => {
    const options = { baseDelay: 100, maxDelay: 1000 };
    for (const retry of [4, 5, 10, 100, 5000]) {
      expect(backoffDelay(retry, options, () => 1)).toBe(1000);
      expect(backoffDelay(retry, options, () => 0)).toBe(500);
    }
    expect(backoffDelay(50, {}, () => 1)).toBe(10_000);
  });

  it("stays within bounds with the real random", () => {
    for (let i = 0; i < 100; i++) {
      const delay = backoffDelay(2, { baseDelay: 100 });
      expect(delay).toBeGreaterThanOrEqual(200);
      expect(delay).toBeLessThanOrEqual(400);
    }
  });
});

describe("isRetryableNetworkError", () => {
  it("retries a refused connection even for a POST: nothing was sent", () => {
    const error = codeError("ECONNREFUSED");
    expect(isRetryableNetworkError(error, false)).toBe(true);
    expect(isRetryableNetworkError(error, true)).toBe(true);
    expect(isRetryableNetworkError(codeError("EAI_AGAIN"), false)).toBe(true);
    expect(isRetryableNetworkError(codeError("UND_ERR_CONNECT_TIMEOUT"), false)).toBe(true);
  });

  it("retries a reset connection only for an idempotent request", () => {
    for (const code of ["ECONNRESET", "EPIPE", "ETIMEDOUT", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "ECONNABORTED"]) {
      expect(isRetryableNetworkError(codeError(code), isIdempotent("GET"))).toBe(true);
      expect(isRetryableNetworkError(codeError(code), isIdempotent("POST"))).toBe(false);
    }
  });

  it("does not retry other errors", () => {
    expect(isRetryableNetworkError(codeError("ENOTFOUND"), true)).toBe(false);
    expect(isRetryableNetworkError(codeError("CERT_HAS_EXPIRED"), true)).toBe(false);
    expect(isRetryableNetworkError(new Error("ECONNRESET"), true)).toBe(false);
    expect(isRetryableNetworkError({ code: 104 }, true)).toBe(false);
    expect(isRetryableNetworkError(undefined, true)).toBe(false);
    expect(isRetryableNetworkError("ECONNRESET", true)).toBe(false);
  });

  it("looks through nested cause chains, as fetch wraps them", () => {
    const fetchFailed = new TypeError("fetch failed", {
      cause: new Error("socket", { cause: codeError("ECONNRESET") }),
    });
    expect(networkErrorCode(fetchFailed)).toBe("ECONNRESET");
    expect(isRetryableNetworkError(fetchFailed, true)).toBe(true);
    expect(isRetryableNetworkError(fetchFailed, false)).toBe(false);
    const refused = new Error("outer", { cause: new Error("middle", { cause: codeError("ECONNREFUSED") }) });
    expect(isRetryableNetworkError(refused, false)).toBe(true);
  });

  it("takes the first known code in the chain, skipping unknown ones", () => {
    const error = codeError("ERR_SOMETHING", codeError("ECONNREFUSED", codeError("ECONNRESET")));
    expect(networkErrorCode(error)).toBe("ECONNREFUSED");
    expect(isRetryableNetworkError(error, false)).toBe(true);
  });

  it("ends on a cause chain that loops", () => {
    const self = new Error("self") as Error & { cause?: unknown };
    self.cause = self;
    expect(networkErrorCode(self)).toBeUndefined();
    const a = new Error("a") as Error & { cause?: unknown };
    const b = new Error("b", { cause: a });
    a.cause = b;
    expect(networkErrorCode(a)).toBeUndefined();
    expect(isRetryableNetworkError(a, true)).toBe(false);
  });
});
