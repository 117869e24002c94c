// Hostile answers from the identity service, where openstack parses JSON of its own (the token and its
// catalog): a typed error in seconds, never a stack overflow or U+FFFD in a value. Time bounds are
// generous safety bounds, not speed goals.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
import { Pyrax } from "../src/index.js";

const SECONDS = 20_000; // the tests share their CPU
jest.setTimeout(180_000);

describe("pyrax against a hostile identity service", () => {
  let server: HostileServer;
  let dir: string;
  beforeAll(async () => {
    server = await startHostileServer(() => ({ body: "" }));
    dir = mkdtempSync(join(tmpdir(), "nimbus-hostile-"));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function login(): Promise<{ error: unknown; ms: number }> {
    const configPath = join(dir, "pyrax.cfg");
    writeFileSync(configPath, `[default]\nidentity_type = keystone\nauth_endpoint = ${server.url}/v3\n`);
    const pyrax = new Pyrax({ configPath, env: {} });
    const { result, ms } = await measure(() => pyrax.setCredentials("alice", "s3cr3t", { tenantName: "demo" }));
    if (result.status === "fulfilled") throw new Error("expected an error, the login succeeded");
    return { error: result.reason, ms };
  }

  it("refuses invalid UTF-8 with a ParseError naming the byte", async () => {
    const { bytes, offset } = invalidUtf8('{"token": {"user": {"name": "caf\u0000"}}}');
    server.answer = () => ({ body: bytes, status: 201, contentType: "application/json" });
    const { error } = await login();
    expect(error).toBeInstanceOf(ParseError);
    expect((error as Error).message).toContain(`at byte ${offset}`);
  });

  it("refuses 100,000 levels of JSON with a ParseError, within seconds", async () => {
    server.answer = () => ({
      body: `{"token": ${deepJson(100_000, "object")}}`,
      status: 201,
      contentType: "application/json",
    });
    const { error, ms } = await login();
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toBeInstanceOf(NimbusError);
    expect(ms).toBeLessThan(SECONDS);
  });

  it("stops an endless answer at the 256 MiB limit with a BodyTooLargeError", async () => {
    server.answer = () => ({
      body: () => endless(`{"token": [${'"x",'.repeat(16_000)}`),
      status: 201,
      contentType: "application/json",
    });
    const { error } = await login();
    expect(error).toBeInstanceOf(BodyTooLargeError);
  });
});
