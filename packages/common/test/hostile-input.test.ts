// Hostile answers against common's decoders: the scanner, the fast-xml-parser preset, the redactor
// that builds error excerpts and debug logs, and the transport's text()/json() with their size limit.
// Time and memory bounds here are generous safety bounds (seconds, not the minute a quadratic path
// took), not speed goals.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { BodyTooLargeError, NimbusError, ParseError } from "../src/errors/index.js";
import { Transport } from "../src/http/transport.js";
import { MAX_REDACTED_DEPTH, REDACTED, Redactor } from "../src/logging/redact.js";
import {
  chunked,
  deepJson,
  deepXml,
  endless,
  entityBomb,
  externalEntity,
  invalidUtf8,
  measure,
  startHostileServer,
  undeclaredEntity,
  type HostileServer,
} from "../src/testing/hostile.js";
import { SafeXmlParser } from "../src/xml/safe-xml.js";
import { scanXml } from "../src/xml/scan.js";
import { checkUtf8, decodeUtf8 } from "../src/xml/utf8.js";

const SECONDS = 5_000;
const MB = 1024 * 1024;
const nothing = { open() {}, text() {}, close() {} };

async function rejection(work: () => unknown): Promise<{ error: unknown; ms: number; rssGrowth: number }> {
  const { result, ms, rssGrowth } = await measure(async () => work());
  if (result.status === "fulfilled") throw new Error("expected an error, the decoder succeeded");
  return { error: result.reason, ms, rssGrowth };
}

describe.each([
  ["scanXml", (xml: string) => scanXml(xml, nothing)],
  ["SafeXmlParser", (xml: string) => new SafeXmlParser().parse(xml)],
])("%s against hostile XML", (_, decode) => {
  it.each([
    ["an entity bomb", entityBomb()],
    ["an external entity", externalEntity()],
    ["100,000 levels of nesting", deepXml()],
  ])("refuses %s with a ParseError, within seconds", async (__, xml) => {
    const { error, ms } = await rejection(() => decode(xml));
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toBeInstanceOf(NimbusError);
    expect(ms).toBeLessThan(SECONDS);
    expect((error as ParseError).message).not.toContain("root:");
  });

  it("names the depth limit for deep nesting", () => {
    expect(() => decode(deepXml(2_000))).toThrow(/deeper than \d+|nest/i);
  });
});

it("scanXml refuses an undeclared entity (the preset leaves it as text, unexpanded)", () => {
  expect(() => scanXml(undeclaredEntity(), nothing)).toThrow(ParseError);
  expect(new SafeXmlParser().parse(undeclaredEntity())).toEqual({ root: "&xxe;" });
});

describe("the redactor on hostile bodies", () => {
  const redactor = new Redactor();
  it.each([
    ["100,000 nested elements", deepXml(100_000, "a", "secret-text")],
    ["100,000 end tags that match nothing", "<a>".repeat(100_000) + "</b>".repeat(100_000)],
    ["100,000 unclosed CDATA starts", "<r>" + "<![CDATA[".repeat(100_000)],
    ["a 1 MB attribute name without a value", `<a ${"b".repeat(MB)}>`],
    ["100,000 unclosed quoted values", `<a x="${"y='".repeat(100_000)}">`],
    ["100,000 levels of JSON", deepJson()],
    ["100,000 levels of JSON objects", deepJson(100_000, "object")],
  ])("redacts %s in linear time", async (_, body) => {
    const { result, ms } = await measure(() => redactor.body(body, "", 200));
    expect(result.status).toBe("fulfilled");
    expect(ms).toBeLessThan(SECONDS);
    expect(String((result as PromiseFulfilledResult<string>).value)).not.toContain("secret-text");
  });

  it("shows no text below the depth limit, even of safe elements", () => {
    const deep = `${"<name>".repeat(MAX_REDACTED_DEPTH + 1)}shown-or-not${"</name>".repeat(MAX_REDACTED_DEPTH + 1)}`;
    const shallow = "<name>shown</name>";
    expect(redactor.body(deep, "application/xml", 10 * MB)).toContain(REDACTED);
    expect(redactor.body(deep, "application/xml", 10 * MB)).not.toContain("shown-or-not");
    expect(redactor.body(shallow, "application/xml")).toBe(shallow);
  });

  it("keeps closing elements by name after the linear rewrite (HTML's unclosed <br>)", () => {
    const html = "<html><body><h1>Not Found<br></h1><p>gone</p></body></html>";
    expect(redactor.body(html, "text/html")).toBe(html);
  });
});

it("SafeXmlParser refuses bytes that are not UTF-8, naming the byte", () => {
  const { bytes, offset } = invalidUtf8("<a>caf\u0000</a>");
  expect(() => new SafeXmlParser().parse(bytes)).toThrow(
    new RegExp(`the XML document is not valid UTF-8: .* at byte ${offset}$`),
  );
  expect(new SafeXmlParser().parse(Buffer.from("<a>café</a>"))).toEqual({ a: "café" });
});

describe("decodeUtf8", () => {
  it("refuses an invalid byte, naming its offset", () => {
    const { bytes, offset } = invalidUtf8("<a>héllo \u0000 world</a>");
    expect(() => decodeUtf8(bytes)).toThrow(new RegExp(`not valid UTF-8: .* at byte ${offset}$`));
    expect(() => checkUtf8(bytes, { what: "the document", offset: 10 })).toThrow(`at byte ${offset + 10}`);
  });

  it.each([
    ["an overlong encoding", [0x3c, 0xc0, 0xaf], 1],
    ["a surrogate", [0x61, 0x62, 0xed, 0xa0, 0x80], 2],
    ["a code point past U+10FFFF", [0xf4, 0x90, 0x80, 0x80], 0],
    ["a lone continuation byte", [0x61, 0x80], 1],
  ])("refuses %s", (_, bytes, at) => {
    expect(() => decodeUtf8(Buffer.from(bytes))).toThrow(`at byte ${at}`);
  });

  it("says when the last character is cut off", () => {
    expect(() => decodeUtf8(Buffer.from("é", "utf8").subarray(0, 1))).toThrow("cut off by the end at byte 0");
  });

  it("keeps valid text, a byte order mark included", () => {
    const text = "\ufeff<a>日本語 🚀</a>";
    expect(decodeUtf8(Buffer.from(text, "utf8"))).toBe(text);
  });
});

describe("the transport's text() and json() against a hostile server", () => {
  let server: HostileServer;
  let transport: Transport;
  beforeAll(async () => {
    server = await startHostileServer(() => ({ body: "" }));
    transport = new Transport({
      userAgent: { package: "@nimbus-sdk/common", version: "0" },
      baseUrl: server.url,
      maxBodyBytes: 8 * MB,
      retry: { limit: 0 },
    });
  });
  afterAll(async () => {
    await transport.close();
    await server.close();
  });

  it("refuses invalid UTF-8 with a ParseError naming the byte and the request", async () => {
    const { bytes, offset } = invalidUtf8('{"name": "caf\u0000"}');
    server.answer = () => ({ body: bytes, contentType: "application/json" });
    const error = (await rejection(async () => (await transport.request({ url: "/x" })).json())).error;
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toMatch(
      new RegExp(`GET .*/x: the response body is not valid UTF-8.* at byte ${offset}`),
    );
    expect((error as ParseError).status).toBe(200);
  });

  it("accepts a character split between chunks", async () => {
    const text = '{"name": "日本語"}';
    server.answer = () => ({ body: () => chunked(Buffer.from(text), 1), contentType: "application/json" });
    expect(await (await transport.request({ url: "/x" })).json()).toEqual({ name: "日本語" });
  });

  it("stops an endless body at the limit with a BodyTooLargeError, memory bounded by the limit", async () => {
    server.answer = () => ({ body: () => endless("x".repeat(64 * 1024)), contentType: "text/plain" });
    const { error, ms, rssGrowth } = await rejection(async () => (await transport.request({ url: "/x" })).text());
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(ms).toBeLessThan(SECONDS);
    expect(rssGrowth).toBeLessThan(8 * 8 * MB);
  });

  it("refuses a declared length past the limit before reading", async () => {
    server.answer = () => ({ body: () => endless("x"), contentLength: 64 * MB });
    expect((await rejection(async () => (await transport.request({ url: "/x" })).bytes())).error).toBeInstanceOf(
      BodyTooLargeError,
    );
  });

  it("refuses JSON nested past the depth limit with a ParseError (V8 parses it; code recursing over it would overflow)", async () => {
    server.answer = () => ({ body: deepJson(), contentType: "application/json" });
    const { error, ms } = await rejection(async () => (await transport.request({ url: "/x" })).json());
    expect(error).toBeInstanceOf(ParseError);
    expect((error as Error).message).toContain("deeper than 1000 levels");
    expect(ms).toBeLessThan(SECONDS);
    server.answer = () => ({ body: deepJson(999, "object"), contentType: "application/json" });
    expect(await (await transport.request({ url: "/x" })).json()).toBeDefined();
  });

  it("gives a ParseError for deep JSON that does not parse, its excerpt within the call stack", async () => {
    server.answer = () => ({ body: deepJson() + "x", contentType: "application/json" });
    const { error, ms } = await rejection(async () => (await transport.request({ url: "/x" })).json());
    expect(error).toBeInstanceOf(ParseError);
    expect(ms).toBeLessThan(SECONDS);
  });
});
