// A scripted /sdk endpoint on 127.0.0.1 for what vcsim cannot show: answers recorded from vcsim
// (test/fixtures/vcsim-6.5) or composed from the schema, chosen per SOAP operation by the test, and
// every request kept for the test to check (operation, SOAPAction, cookie, body).
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { freePort } from "@nimbus-sdk/common/testing";

export interface FakeCall {
  op: string;
  soapAction: string | undefined;
  cookie: string | undefined;
  body: string;
}

export interface Reply {
  status?: number;
  body: string;
  headers?: Record<string, string>;
  /** Send only this many bytes of the body, then drop the connection (a truncated answer). */
  cutAfter?: number;
  /** Send only this many bytes of the body, then nothing, the connection left open (a stalled answer). */
  stallAfter?: number;
}

export type Handler = (call: FakeCall, index: number) => Reply | undefined | Promise<Reply | undefined>;

export interface FakeSdk {
  url: string;
  calls: FakeCall[];
  /** The operations called, in order. */
  ops(): string[];
  close(): Promise<void>;
}

const fixtures = new URL("../fixtures/vcsim-6.5/", import.meta.url);

/** A recorded vcsim answer. */
export function recorded(name: string): string {
  return readFileSync(new URL(name, fixtures), "utf8");
}

export function envelope(inner: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`
  );
}

/** An answer to `op` holding `returnval`s. */
export function result(op: string, returnval = ""): Reply {
  return { body: envelope(`<${op}Response xmlns="urn:vim25">${returnval}</${op}Response>`) };
}

/** A SOAP fault of the WSDL fault type `type`, as vCenter sends it (HTTP 500). */
export function fault(type: string, faultString: string, fields = ""): Reply {
  return {
    status: 500,
    body: envelope(
      `<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>${faultString}</faultstring><detail>` +
        `<${type}Fault xmlns="urn:vim25" xsi:type="${type}">${fields}</${type}Fault></detail></soapenv:Fault>`,
    ),
  };
}

const OP = /<(\w+) xmlns="urn:vim25">/;

function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/**
 * Starts the endpoint. `versions` is the body of /sdk/vimServiceVersions.xml (null: 404); `handler`
 * answers each POST (undefined: a fault naming the unexpected operation).
 */
export async function startFakeSdk(
  handler: Handler,
  versions: string | null = recorded("vimServiceVersions.xml"),
): Promise<FakeSdk> {
  const calls: FakeCall[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", async () => {
      if (req.method === "GET") {
        if (req.url === "/sdk/vimServiceVersions.xml" && versions !== null) {
          res.writeHead(200, { "content-type": "text/xml" }).end(versions);
        } else res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      const call: FakeCall = {
        op: OP.exec(body)?.[1] ?? "?",
        soapAction: headerOf(req.headers, "soapaction"),
        cookie: headerOf(req.headers, "cookie"),
        body,
      };
      calls.push(call);
      const reply =
        (await handler(call, calls.length - 1)) ??
        fault("NotImplemented", `the fake server has no answer for ${call.op}`);
      const bytes = Buffer.from(reply.body);
      res.writeHead(reply.status ?? 200, {
        "content-type": "text/xml; charset=utf-8",
        "content-length": String(bytes.length),
        ...reply.headers,
      });
      if (reply.cutAfter !== undefined) res.write(bytes.subarray(0, reply.cutAfter), () => res.destroy());
      else if (reply.stallAfter !== undefined) res.write(bytes.subarray(0, reply.stallAfter));
      else res.end(bytes);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}/sdk`,
    calls,
    ops: () => calls.map((c) => c.op),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
