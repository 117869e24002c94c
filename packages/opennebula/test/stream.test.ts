// The streamed decode of a document answer (xmlrpc/stream.ts + document.ts's MethodDocumentStream)
// against the whole-body decode: the same result and the same errors, however the body is cut into
// chunks; and OneServer's methods using it over HTTP.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ParseError } from "@nimbus-sdk/common";
import { MethodDocumentStream, type DocumentMethod } from "../src/document.js";
import { documentResult } from "../src/methods.js";
import { decodeStreamedResponse } from "../src/xmlrpc/stream.js";
import {
  OneServer,
  ResponseTooLargeError,
  XmlRpcFault,
  decodeMethodResponse,
  encodeFault,
  encodeMethodResponse,
  oneResult,
} from "../src/index.js";

const POOL = "one.vmpool.info" as DocumentMethod;

/** A VM with what the streamed decode must get right: CDATA, entities, multi-byte UTF-8, a comment, an attribute holding ">". */
function vm(id: number): string {
  return (
    `<VM><ID>${id}</ID><UID>0</UID><NAME>vm-${id} é😀 &amp; co</NAME><STATE>3</STATE><LCM_STATE>3</LCM_STATE>` +
    `<!-- a comment with <tags> --><ETIME/>` +
    `<TEMPLATE><CPU><![CDATA[0.5]]></CPU><DISK><IMAGE_ID><![CDATA[${id}]]></IMAGE_ID></DISK>` +
    `<NOTE a="x > y"><![CDATA[a <b> ]] c]]></NOTE></TEMPLATE>` +
    `<USER_TEMPLATE><LINES>one\r\ntwo</LINES></USER_TEMPLATE></VM>\n`
  );
}

const pool = (count: number) => `<VM_POOL>\n${Array.from({ length: count }, (_, i) => vm(i)).join("")}</VM_POOL>`;

const body = (document: string) => Buffer.from(encodeMethodResponse([true, document, 0]));

/** What OneServer did before streaming: the whole body decoded, then the document in it. */
function wholeDecode(method: DocumentMethod, answer: Buffer): unknown {
  return documentResult(method, oneResult(decodeMethodResponse(Buffer.from(answer))));
}

/** `answer` cut into chunks of the sizes `sizes` gives, in fresh Buffers (the decoder overwrites them). */
function chunked(answer: Buffer, sizes: () => number): AsyncIterable<Buffer> & { bytes: number } {
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let at = 0; at < answer.length;) {
      const size = Math.max(1, sizes());
      yield Buffer.from(answer.subarray(at, at + size));
      at += size;
    }
  }
  return Object.assign(chunks(), { bytes: answer.length });
}

/**
 * Whether streamDecode declares the body's length, as a Content-Length does (the document is decoded
 * as it comes), or not, as a chunked answer (the document is held until the body ends).
 */
let declareLength = true;

async function streamDecode(
  method: DocumentMethod,
  chunks: AsyncIterable<Buffer> & { bytes?: number },
  maxBytes = 1e9,
) {
  const document = new MethodDocumentStream(method);
  const declaredBytes = declareLength ? chunks.bytes : undefined;
  const answer = await decodeStreamedResponse(chunks, document, { maxBytes, declaredBytes });
  const value = oneResult(answer.value);
  return answer.streamed ? document.end() : documentResult(method, value);
}

/** A small deterministic generator, so a failing split can be reproduced. */
function random(seed: number): (max: number) => number {
  let state = seed;
  return (max) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % max;
  };
}

describe.each([
  ["with a declared length", true],
  ["chunked, held until its end", false],
])("a document answer decoded as it streams in, %s", (_, declared) => {
  const big = body(pool(400)); // several 64 KiB pieces of document
  beforeAll(() => {
    declareLength = declared;
  });

  it("gives the whole-body result for 1-byte chunks", async () => {
    const small = body(pool(3));
    expect(
      await streamDecode(
        POOL,
        chunked(small, () => 1),
      ),
    ).toEqual(wholeDecode(POOL, small));
  });

  it("gives the whole-body result for chunks of random sizes", async () => {
    const expected = wholeDecode(POOL, big);
    expect((expected as { VM: unknown[] }).VM).toHaveLength(400);
    for (const seed of [1, 2, 3, 4, 5]) {
      const next = random(seed);
      const max = [7, 100, 5000, 70_000, 300_000][seed - 1]!;
      expect(
        await streamDecode(
          POOL,
          chunked(big, () => next(max)),
        ),
      ).toEqual(expected);
    }
  });

  it("gives the whole-body result for a document that is not a pool, and an empty pool", async () => {
    const one = body(vm(7));
    expect(
      await streamDecode(
        "one.vm.info" as DocumentMethod,
        chunked(one, () => 3),
      ),
    ).toEqual(wholeDecode("one.vm.info" as DocumentMethod, one));
    const empty = body("  <VM_POOL/>");
    expect(
      await streamDecode(
        POOL,
        chunked(empty, () => 2),
      ),
    ).toEqual({ VM: [] });
  });

  it("says a body cut inside the document is truncated", async () => {
    const cut = big.subarray(0, Math.floor(big.length / 2));
    await expect(
      streamDecode(
        POOL,
        chunked(cut, () => 4096),
      ),
    ).rejects.toThrow(/the XML-RPC response: text that never ends; the document ends too early \(truncated\?\)/);
  });

  it("gives a fault and a [false, …] answer as decodeMethodResponse does", async () => {
    const fault = Buffer.from(encodeFault(-506, "Method 'one.vmpool.info' not defined"));
    const error = await streamDecode(
      POOL,
      chunked(fault, () => 5),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XmlRpcFault);
    expect((error as XmlRpcFault).faultCode).toBe(-506);
    const failed = Buffer.from(
      encodeMethodResponse([false, "[one.vmpool.info] User couldn't be authenticated", 0x100]),
    );
    await expect(
      streamDecode(
        POOL,
        chunked(failed, () => 5),
      ),
    ).rejects.toThrow(/couldn't be authenticated/);
  });

  it("reports a malformed document at the line and column the whole-body decode gives", async () => {
    const document = pool(400);
    const at = document.indexOf("<STATE>3</STATE>", document.length - 2000);
    const broken = body(`${document.slice(0, at)}<STATE>3</STAT>${document.slice(at + 16)}`);
    const expected = (() => {
      try {
        wholeDecode(POOL, broken);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error("the broken document decoded");
    })();
    expect(expected).toMatch(
      /^one\.vmpool\.info: the XML document in the answer is not well-formed: .*line \d+, column/,
    );
    for (const size of [1000, 65_536]) {
      const error = await streamDecode(
        POOL,
        chunked(broken, () => size),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParseError);
      expect((error as Error).message).toBe(expected);
    }
  });

  it("refuses a bare '&' in the document string with its offset in the body", async () => {
    const answer = Buffer.from(encodeMethodResponse([true, "<VM_POOL>QQ</VM_POOL>", 0]).replace("QQ", "&bad"));
    const offset = answer.indexOf("&bad");
    await expect(
      streamDecode(
        POOL,
        chunked(answer, () => 3),
      ),
    ).rejects.toThrow(`at offset ${offset}`);
  });

  it("stops at the size limit", async () => {
    const error = await streamDecode(
      POOL,
      chunked(big, () => 4096),
      100_000,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).limit).toBe(100_000);
  });

  it("accepts characters split between chunks, and refuses an invalid byte naming its offset in the document", async () => {
    const split = body(pool(2));
    expect(
      await streamDecode(
        POOL,
        chunked(split, () => 1),
      ),
    ).toEqual(wholeDecode(POOL, split));
    const document = `<VM_POOL>${vm(1)}${vm(2)}</VM_POOL>`;
    const at = Buffer.byteLength(document.slice(0, document.indexOf("vm-2")));
    const answer = body(document.replace("vm-2", "vm~2"));
    const bad = Buffer.from(answer.toString("latin1").replace("~", "\xff"), "latin1");
    for (const size of [1, 100, 65_536]) {
      await expect(
        streamDecode(
          POOL,
          chunked(bad, () => size),
        ),
      ).rejects.toThrow(new RegExp(`the document is not valid UTF-8: .* at byte ${at + 2}$`));
    }
  });
});

describe("OneServer's document methods over HTTP", () => {
  let server: Server;
  let endpoint: string;
  let reply: Buffer = Buffer.alloc(0);

  beforeAll(async () => {
    // Writes the answer in small pieces without a Content-Length, so the client sees many chunks.
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "text/xml" });
        for (let at = 0; at < reply.length; at += 1000) res.write(reply.subarray(at, at + 1000));
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}/RPC2`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function withServer<T>(fn: (one: OneServer) => Promise<T>, options = {}): Promise<T> {
    const one = new OneServer(endpoint, { session: "oneadmin:secret", ...options });
    try {
      return await fn(one);
    } finally {
      await one.close();
    }
  }

  it("decodes a pool as the whole-body path does, with debug logging on or off", async () => {
    reply = body(pool(400));
    const expected = wholeDecode(POOL, reply);
    await withServer(async (one) => expect(await one.vmpool.info(-2, -1, -1)).toEqual(expected));
    const lines: string[] = [];
    const logger = { debug: (line: string) => lines.push(line), info: () => {}, warn: () => {}, error: () => {} };
    await withServer(async (one) => expect(await one.vmpool.info(-2, -1, -1)).toEqual(expected), {
      debug: true,
      logger,
    });
    expect(lines.length).toBeGreaterThan(0);
  });

  it("names the method in a truncated answer's ParseError, a malformed document's, and in a fault", async () => {
    reply = body(pool(400)).subarray(0, 150_000);
    await expect(withServer((one) => one.vmpool.info(-2, -1, -1))).rejects.toThrow(
      /^one\.vmpool\.info http:\/\/127\.0\.0\.1:\d+\/RPC2: the XML-RPC response: .*truncated/,
    );
    reply = body("<VM_POOL><VM><ID>1</VM></VM_POOL>");
    await expect(withServer((one) => one.vmpool.info(-2, -1, -1))).rejects.toThrow(
      /^one\.vmpool\.info: the XML document in the answer is not well-formed: malformed XML at line 1, column 19/,
    );
    reply = Buffer.from(encodeFault(-501, "wrong type"));
    const fault = await withServer((one) => one.vmpool.info(-2, -1, -1)).catch((e: unknown) => e);
    expect(fault).toBeInstanceOf(XmlRpcFault);
    expect((fault as XmlRpcFault).method).toBe("one.vmpool.info");
  });

  it("gives ResponseTooLargeError with the limit past maxResponseBytes", async () => {
    reply = body(pool(400));
    const error = await withServer((one) => one.vmpool.info(-2, -1, -1), { maxResponseBytes: 50_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).limit).toBe(50_000);
    expect((error as Error).message).toMatch(/^one\.vmpool\.info: the response is larger than the 50000-byte limit/);
  });
});
