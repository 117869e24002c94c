// Hostile answers against oVirt's XML decoding, directly and through a Connection (whose ParseError
// carries a redacted excerpt): a typed error in seconds. Time bounds are generous safety bounds.
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { BodyTooLargeError, NimbusError, ParseError } from "@nimbus-sdk/common";
import {
  deepXml,
  endless,
  entityBomb,
  externalEntity,
  invalidUtf8,
  measure,
  startHostileServer,
  undeclaredEntity,
  type HostileServer,
} from "@nimbus-sdk/common/testing";
import { Connection } from "../src/connection.js";
import { decodeObject } from "../src/index.js";
import { SsoAuth } from "../src/sso.js";
import { listDecoder } from "../src/wire/decode.js";

const SECONDS = 20_000; // the tests share their CPU
const MB = 1024 * 1024;
jest.setTimeout(120_000);

const HOSTILE: [string, string][] = [
  ["an entity bomb", entityBomb("vm")],
  ["an external entity", externalEntity("vm")],
  ["an undeclared entity", undeclaredEntity("vm")],
  ["100,000 levels of nesting", deepXml(100_000, "vm")],
  ["100,000 levels under a known element", `<vm><name>${deepXml(100_000, "x")}</name></vm>`],
];

async function failure(work: () => unknown): Promise<{ error: unknown; ms: number }> {
  const { result, ms } = await measure(async () => work());
  if (result.status === "fulfilled") throw new Error("expected an error, the decode succeeded");
  return { error: result.reason, ms };
}

describe("oVirt's decoder against hostile XML", () => {
  it.each(HOSTILE)("refuses %s with a ParseError within seconds", async (_, xml) => {
    const { error, ms } = await failure(() => decodeObject(xml, "Vm"));
    expect(error).toBeInstanceOf(ParseError);
    expect(ms).toBeLessThan(SECONDS);
  });
});

describe("a Connection against a hostile server", () => {
  let server: HostileServer;
  let connection: Connection;
  beforeAll(async () => {
    server = await startHostileServer(() => ({ body: "" }));
    const url = new URL(`${server.url}/ovirt-engine/api`);
    connection = new Connection(url, new SsoAuth(url, { token: "t0ken-0f-alice" }), { maxResponseBytes: 32 * MB });
  });
  afterAll(async () => {
    await connection.close();
    await server.close();
  });

  const get = async () => {
    const reply = await connection.send({ method: "get", path: "vms/1" });
    return connection.decode(reply, (xml) => decodeObject(xml, "Vm"));
  };
  // A list is decoded as its body streams in (Connection.receive): the same refusals.
  const list = () => connection.receive({ method: "get", path: "vms/1" }, () => listDecoder("Vm"));

  describe.each([
    ["read whole", get],
    ["streamed", list],
  ])("%s", (_, read) => {
    it.each(HOSTILE)(
      "refuses %s with a ParseError naming the request, its excerpt built in seconds",
      async (_, xml) => {
        server.answer = () => ({ body: xml });
        const { error, ms } = await failure(read);
        expect(error).toBeInstanceOf(ParseError);
        expect(error).toBeInstanceOf(NimbusError);
        expect((error as Error).message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/ovirt-engine\/api\/vms\/1: /);
        expect(ms).toBeLessThan(SECONDS);
      },
    );

    it("refuses invalid UTF-8 with a ParseError naming the byte", async () => {
      const { bytes, offset } = invalidUtf8("<vm><name>caf\u0000</name></vm>");
      server.answer = () => ({ body: bytes });
      const { error } = await failure(read);
      expect(error).toBeInstanceOf(ParseError);
      expect((error as Error).message).toMatch(new RegExp(`not valid UTF-8: .* at byte ${offset}$`));
    });

    it("stops an endless answer at the limit with a BodyTooLargeError", async () => {
      server.answer = () => ({ body: () => endless(`<vm>${"<name>x</name>".repeat(4000)}`) });
      const { error, ms } = await failure(read);
      expect(error).toBeInstanceOf(BodyTooLargeError);
      expect(ms).toBeLessThan(SECONDS);
    });
  });
});
