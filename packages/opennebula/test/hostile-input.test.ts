// Hostile answers against OpenNebula's decoders: the XML-RPC decoder (whole and streamed), the document
// decoder, and OneServer over HTTP. Time and memory bounds are generous safety bounds, not speed goals.
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { NimbusError, ParseError } from "@nimbus-sdk/common";
import {
  deepXml,
  endless,
  entityBomb,
  externalEntity,
  invalidUtf8,
  measure,
  startHostileServer,
  type HostileServer,
} from "@nimbus-sdk/common/testing";
import {
  OneServer,
  ResponseTooLargeError,
  decodeMethodDocument,
  decodeMethodResponse,
  encodeMethodResponse,
  type DocumentMethod,
} from "../src/index.js";
import { MethodDocumentStream } from "../src/document.js";
import { decodeStreamedResponse } from "../src/xmlrpc/stream.js";

// Generous: the tests share their CPU; the defects they guard against took a minute or more.
const SECONDS = 20_000;
jest.setTimeout(120_000);
const MB = 1024 * 1024;
const POOL = "one.vmpool.info" as DocumentMethod;

async function failure(work: () => unknown): Promise<{ error: unknown; ms: number; rssGrowth: number }> {
  const { result, ms, rssGrowth } = await measure(async () => work());
  if (result.status === "fulfilled") throw new Error("expected an error, the decoder succeeded");
  return { error: result.reason, ms, rssGrowth };
}

/** A successful document answer's start: the document string follows, escaped. */
const ANSWER_START =
  "<methodResponse><params><param><value><array><data><value><boolean>1</boolean></value><value><string>";
const answer = (document: string) => Buffer.from(encodeMethodResponse([true, document, 0]));

describe("the XML-RPC decoder against hostile answers", () => {
  it.each([
    ["an entity bomb", entityBomb("methodResponse")],
    ["an external entity", externalEntity("methodResponse")],
    ["100,000 levels of elements", deepXml(100_000, "methodResponse")],
    [
      "100,000 levels of arrays",
      `<methodResponse><params><param>${deepXml(100_000, "value")}</param></params></methodResponse>`,
    ],
  ])("refuses %s with a ParseError within seconds, as text and as bytes", async (_, xml) => {
    for (const body of [xml, Buffer.from(xml)]) {
      const { error, ms } = await failure(() => decodeMethodResponse(body));
      expect(error).toBeInstanceOf(ParseError);
      expect(error).toBeInstanceOf(NimbusError);
      expect(ms).toBeLessThan(SECONDS);
    }
  });

  it("refuses invalid UTF-8 naming the byte, rather than decoding U+FFFD", () => {
    const { bytes, offset } = invalidUtf8(
      `${ANSWER_START}caf\u0000</string></value></data></array></value></param></params></methodResponse>`,
    );
    expect(() => decodeMethodResponse(bytes)).toThrow(new RegExp(`not valid UTF-8: .* at byte ${offset}$`));
    expect(() => decodeMethodResponse(bytes)).toThrow(ParseError);
  });
});

describe("the document decoder against hostile documents", () => {
  it.each([
    ["an entity bomb", entityBomb("VM_POOL")],
    ["an external entity", externalEntity("VM_POOL")],
    ["100,000 levels of elements", deepXml(100_000, "VM_POOL")],
  ])("refuses %s with a ParseError within seconds", async (_, document) => {
    const { error, ms } = await failure(() => decodeMethodDocument(POOL, document));
    expect(error).toBeInstanceOf(ParseError);
    expect(ms).toBeLessThan(SECONDS);
  });
});

it("decodes a streamed document cut inside a never-ending attribute in time linear in its size", async () => {
  // Each write used to search the cut tag from its start again: 64 MiB took over a minute.
  const body = Buffer.concat([Buffer.from(`${ANSWER_START}&lt;VM_POOL&gt;&lt;VM a='`), Buffer.alloc(48 * MB, "x")]);
  const document = new MethodDocumentStream(POOL);
  const { error, ms } = await failure(() =>
    decodeStreamedResponse(chunks(body, 64 * 1024), document, { maxBytes: 64 * MB, declaredBytes: body.length }),
  );
  expect(error).toBeInstanceOf(ParseError);
  expect((error as Error).message).toMatch(/truncated/);
  expect(ms).toBeLessThan(SECONDS);
});

describe("OneServer against a hostile server", () => {
  let server: HostileServer;
  let one: OneServer;
  const limit = 32 * MB;
  beforeAll(async () => {
    server = await startHostileServer(() => ({ body: "" }));
    one = new OneServer(`${server.url}/RPC2`, { session: "oneadmin:s3cr3t-pass", maxResponseBytes: limit });
  });
  afterAll(async () => {
    await one.close();
    await server.close();
  });

  it.each([
    ["an entity bomb", answer(entityBomb("VM_POOL"))],
    ["an external entity", answer(externalEntity("VM_POOL"))],
    ["100,000 levels", answer(deepXml(100_000, "VM_POOL"))],
  ])("refuses a pool answer holding %s with a ParseError naming the method, within seconds", async (_, body) => {
    for (const contentLength of [body.length, undefined]) {
      server.answer = () => ({ body: () => [body], contentType: "text/xml", contentLength });
      const { error, ms } = await failure(() => one.vmpool.info(-2, -1, -1));
      expect(error).toBeInstanceOf(ParseError);
      expect((error as Error).message).toMatch(/^one\.vmpool\.info/);
      expect((error as Error).message).not.toContain("s3cr3t");
      expect(ms).toBeLessThan(SECONDS);
    }
  });

  it("refuses invalid UTF-8 in a pool, streamed or whole", async () => {
    const document = "<VM_POOL><VM><ID>1</ID><NAME>caf~</NAME></VM></VM_POOL>";
    const bad = Buffer.from(answer(document).toString("latin1").replace("~", "\xff"), "latin1");
    for (const debug of [false, true]) {
      const client = new OneServer(`${server.url}/RPC2`, { session: "oneadmin:s3cr3t-pass", debug, logger: quiet });
      server.answer = () => ({ body: bad, contentType: "text/xml" });
      const { error } = await failure(() => client.vmpool.info(-2, -1, -1));
      await client.close();
      expect(error).toBeInstanceOf(ParseError);
      expect((error as Error).message).toMatch(/not valid UTF-8: .* at byte \d+/);
    }
  });

  it("stops an endless pool answer at the limit, holding no more than about the limit", async () => {
    const vm =
      "&lt;VM&gt;&lt;ID&gt;1&lt;/ID&gt;&lt;NAME&gt;vm&lt;/NAME&gt;&lt;TEMPLATE&gt;&lt;CPU&gt;1&lt;/CPU&gt;&lt;/TEMPLATE&gt;&lt;/VM&gt;";
    server.answer = () => ({
      body: function* () {
        yield Buffer.from(`${ANSWER_START}&lt;VM_POOL&gt;`);
        yield* endless(vm.repeat(1000));
      },
      contentType: "text/xml",
    });
    const { error, ms, rssGrowth } = await failure(() => one.vmpool.info(-2, -1, -1));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(ms).toBeLessThan(SECONDS);
    // The bytes up to the limit, not the objects decoded from them (about three times as much).
    expect(rssGrowth).toBeLessThan(1.6 * limit);
  });

  it("refuses a declared length past the limit before reading it", async () => {
    server.answer = () => ({
      body: () => endless("x".repeat(64 * 1024)),
      contentType: "text/xml",
      contentLength: 2 * limit,
    });
    expect((await failure(() => one.vmpool.info(-2, -1, -1))).error).toBeInstanceOf(ResponseTooLargeError);
  });
});

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

async function* chunks(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}
