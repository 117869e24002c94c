// Hostile answers against the SOAP decoder, through a SoapStub (whose ParseError carries a redacted
// excerpt): a typed error in seconds. Time bounds are generous safety bounds, not speed goals.
import { inspect } from "node:util";
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
import { SoapStub } from "../src/index.js";

const SECONDS = 20_000; // the tests share their CPU
jest.setTimeout(180_000);

const envelope = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

describe("a SoapStub against a hostile server", () => {
  let server: HostileServer;
  let stub: SoapStub;
  beforeAll(async () => {
    server = await startHostileServer(() => ({ body: "" }));
    stub = new SoapStub(`${server.url}/sdk`);
  });
  afterAll(async () => {
    await server.close();
  });

  async function failure(work: () => unknown = () => stub.serviceContent()) {
    const { result, ms } = await measure(async () => work());
    if (result.status === "fulfilled") throw new Error("expected an error, the call succeeded");
    return { error: result.reason as unknown, ms };
  }

  it.each([
    ["an entity bomb", entityBomb("soapenv:Envelope")],
    ["an external entity", externalEntity("soapenv:Envelope")],
    ["an undeclared entity", envelope(undeclaredEntity("RetrieveServiceContentResponse"))],
    ["100,000 levels of nesting", envelope(deepXml(100_000, "returnval"))],
  ])("refuses %s with a ParseError within seconds", async (_, xml) => {
    server.answer = () => ({ body: xml, contentType: "text/xml; charset=utf-8" });
    const { error, ms } = await failure();
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toBeInstanceOf(NimbusError);
    expect(ms).toBeLessThan(SECONDS);
  });

  it("refuses invalid UTF-8 with a ParseError naming the byte", async () => {
    const { bytes, offset } = invalidUtf8(
      envelope("<RetrieveServiceContentResponse><returnval>caf\u0000</returnval></RetrieveServiceContentResponse>"),
    );
    server.answer = () => ({ body: bytes, contentType: "text/xml" });
    const { error } = await failure();
    expect(error).toBeInstanceOf(ParseError);
    expect((error as Error).message).toMatch(new RegExp(`not valid UTF-8: .* at byte ${offset}$`));
  });

  it("stops an endless answer at the 256 MiB limit with a BodyTooLargeError", async () => {
    server.answer = () => ({ body: () => endless(`<returnval>${"x".repeat(64 * 1024)}`), contentType: "text/xml" });
    const { error } = await failure();
    expect(error).toBeInstanceOf(BodyTooLargeError);
  });

  it("shows no password in the stub's inspect output, JSON or error after a failed login", async () => {
    server.answer = () => ({ body: deepXml(100_000, "x"), contentType: "text/xml" });
    const { error } = await failure(() => stub.login("administrator@vsphere.local", "s3cr3t-passw0rd"));
    for (const text of [
      inspect(stub, { depth: Infinity, showHidden: true }),
      JSON.stringify(stub),
      inspect(error, { depth: Infinity }),
      JSON.stringify(error),
    ]) {
      expect(text).not.toContain("s3cr3t-passw0rd");
    }
  });
});
