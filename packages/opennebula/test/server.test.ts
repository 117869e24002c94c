import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import {
  AbortError,
  BodyTooLargeError,
  ConfigError,
  ConnectionError,
  ParseError,
  TimeoutError,
  ValidationError,
  type Logger,
} from "@nimbus-sdk/common";
import {
  OneAuthenticationException,
  OneNoExistsException,
  OneServer,
  ResponseTooLargeError,
  XmlRpcFault,
  decodeDocument,
  decodeMethodCall,
  encodeFault,
  encodeMethodResponse,
  type XmlRpcMethodCall,
} from "../src/index.js";

const EXAMPLES = new URL("../../../../shared/specs/opennebula/examples/", import.meta.url);
const haveExamples = existsSync(EXAMPLES);
if (!haveExamples) console.warn(`notice: ${EXAMPLES.pathname} is absent; the recorded-response tests are skipped`);
const example = (name: string) => readFileSync(new URL(name, EXAMPLES), "utf8");

const SESSION = "oneadmin:Sup3rS3cret!";

// A small oned stand-in: it decodes each methodCall with the SDK's decoder, checks the session, and
// answers only the methods the test expects, each with its own body; any other method is recorded as
// unexpected (failing the test) and answered with xmlrpc-c's unknown-method fault.
let server: Server;
let endpoint: string;
const calls: XmlRpcMethodCall[] = [];
const unexpected: string[] = [];
const contentTypes: string[] = [];
type Answer = (call: XmlRpcMethodCall) => string | { raw: string; delay?: number };
let answers = new Map<string, Answer>();

/** The answer for `methods` (and only those) from now on in this test. */
function answer(methods: string | string[], reply: Answer): void {
  answers = new Map([methods].flat().map((method) => [method, reply]));
}

afterEach(() => {
  answers = new Map();
  expect(unexpected.splice(0)).toEqual([]);
});

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      contentTypes.push(String(req.headers["content-type"]));
      let call: XmlRpcMethodCall;
      try {
        call = decodeMethodCall(Buffer.concat(chunks));
      } catch (e) {
        res.writeHead(400).end(String(e));
        return;
      }
      calls.push(call);
      const reply = answers.get(call.methodName);
      if (reply === undefined) unexpected.push(call.methodName);
      const out =
        reply === undefined
          ? encodeFault(-506, `Method '${call.methodName}' not defined`)
          : call.params[0] !== SESSION
            ? encodeMethodResponse([
                false,
                `[${call.methodName}] User couldn't be authenticated, aborting call.`,
                0x100,
                -1,
                7n,
              ])
            : reply(call);
      const { raw, delay } = typeof out === "string" ? { raw: out, delay: 0 } : { delay: 0, ...out };
      setTimeout(() => res.writeHead(200, { "content-type": "text/xml" }).end(raw), delay).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  endpoint = `http://127.0.0.1:${address.port}/RPC2`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function withServer<T>(fn: (one: OneServer) => Promise<T>, options = {}): Promise<T> {
  const one = new OneServer(endpoint, { session: SESSION, ...options });
  try {
    return await fn(one);
  } finally {
    await one.close();
  }
}

describe("OneServer against a local XML-RPC server", () => {
  (haveExamples ? it : it.skip)("one.hostpool.info returns the recorded document, the session sent first", async () => {
    const xml = example("pyone-fixture_hostpool.info.xml");
    answer("one.hostpool.info", () => encodeMethodResponse([true, xml, 0]));
    const result = await withServer((one) => one.call<string>("one.hostpool.info", []));
    expect(result).toBe(xml);
    const call = calls.at(-1)!;
    expect(call.methodName).toBe("one.hostpool.info");
    expect(call.params).toEqual([SESSION]);
    expect(contentTypes.at(-1)).toBe("text/xml");
  });

  (haveExamples ? it : it.skip)("every recorded example survives the trip as a string result", async () => {
    const names = ["pyone-fixture_vm.info.xml", "pyone-fixture_marketapppool.info.xml", "pyone-ci_vm_pool_01.xml"];
    await withServer(async (one) => {
      for (const name of names) {
        const xml = example(name);
        answer("one.vm.info", () => encodeMethodResponse([true, xml, 0]));
        expect(await one.call("one.vm.info", [0])).toBe(xml);
      }
    });
  });

  (haveExamples ? it : it.skip)(
    "one.<object>.<verb> decodes XML answers into typed documents, and a decoded template goes back whole",
    async () => {
      const xml = example("pyone-fixture_hostpool.info.xml");
      await withServer(async (one) => {
        answer("one.hostpool.info", () => encodeMethodResponse([true, xml, 0]));
        // The face, line by line.
        const hostpool = await one.hostpool.info();
        const host = hostpool.HOST[0]!;
        expect(typeof host.ID).toBe("number");
        expect(host.TEMPLATE["ARCH"]).toBe("x86_64");
        host.TEMPLATE["NOTES"] = 'Just "updated" $HOME';
        answer("one.host.update", () => encodeMethodResponse([true, 0, 0]));
        await one.host.update(0, host.TEMPLATE, 1);
        const sent = calls.at(-1)!.params[2] as string;
        expect(sent).toMatch(/^<TEMPLATE><ARCH>x86_64<\/ARCH>.*<NOTES>Just "updated" \$HOME<\/NOTES>.*<\/TEMPLATE>$/s);
        expect(decodeDocument(`<HOST>${sent}</HOST>`, "HOST").TEMPLATE).toEqual(host.TEMPLATE);

        answer("one.vm.info", () => encodeMethodResponse([true, example("pyone-fixture_vm.info.xml"), 0]));
        const vm = await one.vm.info(5);
        vm.USER_TEMPLATE["LABELS"] = "web";
        answer("one.vm.update", () => encodeMethodResponse([true, 5, 0]));
        await one.vm.update(5, vm.USER_TEMPLATE, 1);
        expect(calls.at(-1)!.params[2]).toMatch(/^<USER_TEMPLATE>.*<LABELS>web<\/LABELS><\/USER_TEMPLATE>$/s);

        // The raw string stays one call away.
        answer("one.hostpool.info", () => encodeMethodResponse([true, xml, 0]));
        expect(await one.call("one.hostpool.info")).toBe(xml);
      });
    },
  );

  it("an XML-typed method answering anything but XML is a ParseError naming the method", async () => {
    await withServer(async (one) => {
      answer("one.vm.info", () => encodeMethodResponse([true, "not xml", 0]));
      const notXml = await one.vm.info(1).catch((e: unknown) => e);
      expect(notXml).toBeInstanceOf(ParseError);
      expect((notXml as Error).message).toBe(
        'one.vm.info: oned should answer an XML document, not the string "not xml"',
      );
      answer("one.vm.info", () => encodeMethodResponse([true, 7, 0]));
      await expect(one.vm.info(1)).rejects.toThrow(/^one\.vm\.info: .*not a number/);
      answer("one.vm.info", () => encodeMethodResponse([true, "<VM><ID>1</ID>", 0]));
      const error = await one.vm.info(1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParseError);
      expect((error as Error).message).toMatch(/^one\.vm\.info: the XML document .*not well-formed/);
    });
  });

  it("an unexpected method gets the unknown-method fault (this fake answers only what a test expects)", async () => {
    answer("one.vm.info", () => encodeMethodResponse([true, "<VM/>", 0]));
    const error = await withServer((one) => one.call("one.host.info", [0])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XmlRpcFault);
    expect(unexpected.splice(0)).toEqual(["one.host.info"]);
  });

  it("call options after optional template parameters are options, never a template, and cancel the call", async () => {
    answer(["one.template.instantiate", "one.vm.deploy"], () => ({
      raw: encodeMethodResponse([true, 9, 0]),
      delay: 2000,
    }));
    for (const send of [
      (one: OneServer, signal: AbortSignal) => one.template.instantiate(0, "x", false, { signal }),
      (one: OneServer, signal: AbortSignal) => one.vm.deploy(3, 0, false, 1, { signal }),
    ]) {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const error = await withServer((one) => send(one, controller.signal)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AbortError);
    }
    // Sent without a template: the options object never reached the wire.
    expect(calls.at(-2)!.params).toEqual([SESSION, 0, "x", false]);
    expect(calls.at(-1)!.params).toEqual([SESSION, 3, 0, false, 1]);
  });

  it("a { timeout } after an optional template parameter sets the call's timeout", async () => {
    answer("one.template.instantiate", () => ({ raw: encodeMethodResponse([true, 9, 0]), delay: 2000 }));
    const error = await withServer((one) => one.template.instantiate(0, "x", false, { timeout: 100 })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(calls.at(-1)!.params).toEqual([SESSION, 0, "x", false]);
  });

  it("offers PyONE's one.<object>.<verb>, checked before sending", async () => {
    answer("one.vm.action", () => encodeMethodResponse([true, 7, 0]));
    expect(await withServer((one) => one.vm.action("terminate", 7))).toBe(7);
    expect(calls.at(-1)).toEqual({ methodName: "one.vm.action", params: [SESSION, "terminate", 7] });
    const before = calls.length;
    await expect(withServer((one) => one.vm.info("7" as never))).rejects.toThrow(/parameter 'id'/);
    expect(calls).toHaveLength(before);
  });

  it("casts template dictionaries as the issue's examples show", async () => {
    answer(["one.marketapp.update", "one.template.update"], () => encodeMethodResponse([true, 0, 0]));
    await withServer((one) => one.marketapp.update(0, { LABELS: "HD" }, 1));
    expect(calls.at(-1)).toEqual({ methodName: "one.marketapp.update", params: [SESSION, 0, 'LABELS="HD"\n', 1] });
    await withServer((one) => one.template.update(1, { TEMPLATE: { NAME: "abc", MEMORY: "1024", ATT1: "value1" } }, 1));
    expect(calls.at(-1)!.params[2]).toBe(
      "<TEMPLATE><NAME>abc</NAME><MEMORY>1024</MEMORY><ATT1>value1</ATT1></TEMPLATE>",
    );
  });

  it("passes parameters after the session, with their types", async () => {
    answer("one.host.update", () => encodeMethodResponse([true, 43, 0]));
    const id = await withServer((one) => one.call("one.host.update", [0, 'NOTES="a <b> & \\"c\\"\nd"', 1]));
    expect(id).toBe(43);
    expect(calls.at(-1)).toEqual({
      methodName: "one.host.update",
      params: [SESSION, 0, 'NOTES="a <b> & \\"c\\"\nd"', 1],
    });
  });

  it("a 5-element failure becomes the typed error, without the session", async () => {
    answer("one.vm.info", (call) =>
      encodeMethodResponse([false, `[${call.methodName}] Error getting virtual machine [99].`, 0x400, 99, 12n]),
    );
    const error = await withServer((one) => one.call("one.vm.info", [99])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OneNoExistsException);
    expect((error as OneNoExistsException).objectId).toBe(99);
    expect((error as OneNoExistsException).replicationIndex).toBe(12n);
    expect((error as OneNoExistsException).method).toBe("one.vm.info");
  });

  it("a wrong session is OneAuthenticationException whose message has no session", async () => {
    answer("one.hostpool.info", () => encodeMethodResponse([true, "<HOST_POOL/>", 0]));
    const one = new OneServer(endpoint, { session: "oneadmin:wrongpassword" });
    const error = await one.call("one.hostpool.info").catch((e: unknown) => e);
    await one.close();
    expect(error).toBeInstanceOf(OneAuthenticationException);
    expect(String((error as Error).message)).not.toContain("wrongpassword");
    expect(JSON.stringify(error)).not.toContain("wrongpassword");
  });

  it("an XML-RPC fault is an XmlRpcFault naming the method", async () => {
    answer("one.invalid.api.call", () => encodeFault(-506, "Method 'one.invalid.api.call' not defined"));
    const error = await withServer((one) => one.call("one.invalid.api.call")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XmlRpcFault);
    expect((error as XmlRpcFault).faultCode).toBe(-506);
    expect((error as XmlRpcFault).method).toBe("one.invalid.api.call");
  });

  it("a truncated body is a ParseError naming the method and the problem", async () => {
    answer("one.vm.info", () => ({ raw: encodeMethodResponse([true, "<VM><ID>1</ID></VM>", 0]).slice(0, 80) }));
    const error = await withServer((one) => one.call("one.vm.info", [1])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as Error).message).toMatch(/^one\.vm\.info .*truncated/);
  });

  it("a body over maxResponseBytes is a ResponseTooLargeError", async () => {
    answer("one.vmpool.info", () => encodeMethodResponse([true, "x".repeat(100_000), 0]));
    const error = await withServer((one) => one.call("one.vmpool.info", [-2, -1, -1, -1]), {
      maxResponseBytes: 10_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect((error as ResponseTooLargeError).limit).toBe(10_000);
    expect((error as Error).message).toMatch(/^one\.vmpool\.info: .*10000-byte limit/);
  });

  it("a signal cancels the call", async () => {
    answer("one.vm.info", () => ({ raw: encodeMethodResponse([true, 1, 0]), delay: 2000 }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await withServer((one) => one.call("one.vm.info", [1], { signal: controller.signal })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AbortError);
  });

  it("a server that is down is a ConnectionError", async () => {
    const one = new OneServer("http://127.0.0.1:1/RPC2", { session: SESSION, retry: { limit: 0 } });
    const error = await one.call("one.vm.info", [1]).catch((e: unknown) => e);
    await one.close();
    expect(error).toBeInstanceOf(ConnectionError);
  });

  it("debug logs show the method but never the session", async () => {
    answer("one.vm.info", () => encodeMethodResponse([true, "<VM><ID>1</ID></VM>", 0]));
    const lines: string[] = [];
    const logger: Logger = {
      debug: (m) => lines.push(m),
      info: (m) => lines.push(m),
      warn: (m) => lines.push(m),
      error: (m) => lines.push(m),
    };
    await withServer((one) => one.call("one.vm.info", [1]), { debug: true, logger });
    answer("one.vm.info", () => encodeMethodResponse([false, `[one.vm.info] bad ${SESSION}`, 0x100, -1]));
    await withServer((one) => one.call("one.vm.info", [1]), { debug: true, logger }).catch(() => undefined);
    const log = lines.join("\n");
    expect(log).toContain("one.vm.info");
    expect(log).toContain("POST");
    expect(log).not.toContain("Sup3rS3cret");
    expect(log).not.toContain("oneadmin");
  });
});

describe("OneServer defaults (ONE_XMLRPC, ONE_AUTH)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "one-auth-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the endpoint from ONE_XMLRPC and the session from the ONE_AUTH file", async () => {
    const file = join(dir, "one_auth");
    writeFileSync(file, `${SESSION}\n`);
    answer("one.system.version", () => encodeMethodResponse([true, "7.0.2", 0]));
    const one = new OneServer(undefined, { env: { ONE_XMLRPC: endpoint, ONE_AUTH: file } });
    expect(one.endpoint).toBe(endpoint);
    expect(await one.call("one.system.version")).toBe("7.0.2");
    expect(calls.at(-1)!.params[0]).toBe(SESSION);
    expect(JSON.stringify(one)).not.toContain("Sup3rS3cret");
    await one.close();
  });

  it("a missing auth file is a ConfigError saying what to do", () => {
    expect(() => new OneServer(endpoint, { env: { ONE_AUTH: join(dir, "absent") } })).toThrow(ConfigError);
    expect(() => new OneServer(endpoint, { env: { ONE_AUTH: join(dir, "absent") } })).toThrow(/user:password/);
  });

  it("a bad endpoint is a ConfigError", () => {
    expect(() => new OneServer("not a url", { session: SESSION })).toThrow(ConfigError);
  });

  it("takes PyONE's OneServer(uri, session) with options third; a positional timeout or a second session is refused", async () => {
    answer("one.system.version", () => encodeMethodResponse([true, "7.0.2", 0]));
    const one = new OneServer(endpoint, SESSION, { timeout: 5_000 });
    expect(await one.call("one.system.version")).toBe("7.0.2");
    expect(calls.at(-1)!.params[0]).toBe(SESSION);
    await one.close();
    expect(() => new OneServer(endpoint, SESSION, 30 as never)).toThrow(ValidationError);
    expect(() => new OneServer(endpoint, SESSION, { session: "other:x" } as never)).toThrow(/given twice/);
    expect(() => new OneServer(endpoint, { session: SESSION } as never, {})).toThrow(ValidationError);
  });
});
