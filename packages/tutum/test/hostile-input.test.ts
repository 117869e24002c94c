// Hostile answers against tutum's JSON decoding: a typed error (ParseError, BodyTooLargeError), in
// seconds, never a crash or U+FFFD in a value. Time bounds are generous safety bounds, not speed goals.
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { BodyTooLargeError, NimbusError, ParseError } from "@nimbus-sdk/common";
import {
  deepJson,
  endless,
  invalidUtf8,
  measure,
  startHostileServer,
  type HostileServer,
} from "@nimbus-sdk/common/testing";
import { Tutum } from "../src/index.js";

const SECONDS = 20_000; // the tests share their CPU
jest.setTimeout(120_000);

describe("Tutum against a hostile server", () => {
  let server: HostileServer;
  let tutum: Tutum;
  beforeAll(async () => {
    server = await startHostileServer(() => ({ body: "" }));
    tutum = new Tutum({
      user: "alice",
      apikey: "k3y",
      base_url: `${server.url}/api/v1/`,
      env: {},
      configPath: "/nonexistent",
    });
  });
  afterAll(async () => {
    await server.close();
  });

  async function failure(): Promise<{ error: unknown; ms: number }> {
    const { result, ms } = await measure(() => tutum.Application.list());
    if (result.status === "fulfilled") throw new Error("expected an error, the list succeeded");
    return { error: result.reason, ms };
  }

  it("refuses invalid UTF-8 with a ParseError naming the byte", async () => {
    const { bytes, offset } = invalidUtf8('{"meta": {"total_count": 1}, "objects": [{"name": "caf\u0000"}]}');
    server.answer = () => ({ body: bytes, contentType: "application/json" });
    const { error } = await failure();
    expect(error).toBeInstanceOf(ParseError);
    expect((error as Error).message).toContain(`at byte ${offset}`);
  });

  it("refuses 100,000 levels of JSON with a ParseError, within seconds (not a stack overflow)", async () => {
    server.answer = () => ({
      body: `{"meta": {"total_count": 1}, "objects": [${deepJson()}]}`,
      contentType: "application/json",
    });
    const { error, ms } = await failure();
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toBeInstanceOf(NimbusError);
    expect(ms).toBeLessThan(SECONDS);
  });

  it("stops an endless body at the size limit with a BodyTooLargeError", async () => {
    server.answer = () => ({
      body: () => endless(`{"objects": [${'"x",'.repeat(16_000)}`),
      contentType: "application/json",
    });
    const { error, ms } = await failure();
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(ms).toBeLessThan(SECONDS * 3);
  });
});
