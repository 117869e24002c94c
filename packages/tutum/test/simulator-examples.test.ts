// Every payload in specs/tutum/examples/ against the simulator's answer of the same kind: the same
// keys (nested objects too), and the same JSON type wherever both values are non-null.
import { existsSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startServer, type TutumTestServer } from "../src/testing/index.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const examplesDir = fileURLToPath(new URL("../../../../shared/specs/tutum/examples/", import.meta.url));
const haveExamples = existsSync(examplesDir);
if (!haveExamples) console.log(`skipped: ${examplesDir} is absent (no ../shared beside this clone)`);
const maybe = haveExamples ? describe : describe.skip;

/** Fields whose keys are data (environment variable names), not schema. */
const FREE_FORM = new Set(["link_variables", "labels", "provider_options"]);

function kind(v: Json): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

/** Differences between the shape of `actual` and that of `example`, as readable paths. */
function shapeDiff(actual: Json, example: Json, path = "$"): string[] {
  if (actual === null || example === null) return [];
  if (kind(actual) !== kind(example)) return [`${path}: ${kind(actual)} instead of ${kind(example)}`];
  if (Array.isArray(actual) && Array.isArray(example)) {
    if (actual.length === 0 || example.length === 0) return [];
    return shapeDiff(actual[0]!, example[0]!, `${path}[0]`);
  }
  if (typeof actual === "object" && typeof example === "object" && !Array.isArray(actual) && !Array.isArray(example)) {
    const a = Object.keys(actual).sort();
    const e = Object.keys(example).sort();
    const out: string[] = [];
    for (const k of e) if (!a.includes(k)) out.push(`${path}.${k}: missing`);
    for (const k of a) if (!e.includes(k)) out.push(`${path}.${k}: not in the example`);
    for (const k of e) {
      if (!a.includes(k)) continue;
      if (FREE_FORM.has(k)) {
        if (kind(actual[k]!) !== kind(example[k]!) && actual[k] !== null && example[k] !== null) {
          out.push(`${path}.${k}: ${kind(actual[k]!)} instead of ${kind(example[k]!)}`);
        }
        continue;
      }
      out.push(...shapeDiff(actual[k]!, example[k]!, `${path}.${k}`));
    }
    return out;
  }
  return [];
}

function example(name: string): Obj {
  return JSON.parse(readFileSync(`${examplesDir}${name}`, "utf8")) as Obj;
}

function client(server: TutumTestServer) {
  return async (method: string, path: string, body?: unknown) => {
    const url = path.startsWith("/") ? `${server.restHost}${path}` : `${server.url}${path}`;
    const res = await fetch(url, {
      method,
      headers: { Authorization: server.authorization.basic, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Obj, headers: res.headers };
  };
}

/** Reads WebSocket text messages until the server closes (a bare RFC 6455 client). */
function readStream(server: TutumTestServer, path: string, until: (messages: Obj[]) => boolean): Promise<Obj[]> {
  return new Promise((resolve, reject) => {
    const port = Number(new URL(server.restHost).port);
    const socket = connect(port, "127.0.0.1");
    const messages: Obj[] = [];
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    const finish = () => {
      socket.destroy();
      resolve(messages);
    };
    socket.on("connect", () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n` +
          `Authorization: ${server.authorization.apiKey}\r\n\r\n`,
      );
    });
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end < 0) return;
        if (!buffer.subarray(0, end).toString().startsWith("HTTP/1.1 101")) return reject(new Error("no upgrade"));
        upgraded = true;
        buffer = buffer.subarray(end + 4);
      }
      while (buffer.length >= 2) {
        const opcode = buffer[0]! & 0x0f;
        let len = buffer[1]! & 0x7f;
        let offset = 2;
        if (len === 126) {
          len = buffer.readUInt16BE(2);
          offset = 4;
        }
        if (buffer.length < offset + len) return;
        const payload = buffer.subarray(offset, offset + len);
        buffer = buffer.subarray(offset + len);
        if (opcode === 0x8) return finish();
        if (opcode === 0x1) messages.push(JSON.parse(payload.toString()) as Obj);
        if (until(messages)) return finish();
      }
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(messages));
  });
}

describe("the shape comparison", () => {
  it("notices a missing key, an extra key, a type change and nested differences", () => {
    expect(shapeDiff({ a: 1, b: "x" }, { a: 2, b: "y" })).toEqual([]);
    expect(shapeDiff({ a: 1 }, { a: 1, b: 2 })).toEqual(["$.b: missing"]);
    expect(shapeDiff({ a: 1, c: 2 }, { a: 1 })).toEqual(["$.c: not in the example"]);
    expect(shapeDiff({ a: "1" }, { a: 1 })).toEqual(["$.a: string instead of number"]);
    expect(shapeDiff({ a: null }, { a: 1 })).toEqual([]);
    expect(shapeDiff({ p: [{ x: 1 }] }, { p: [{ x: 1, y: 2 }] })).toEqual(["$.p[0].y: missing"]);
    expect(shapeDiff({ link_variables: { A: "1" } }, { link_variables: { B: "2" } })).toEqual([]);
  });
});

maybe("answers have the field sets of the real payloads in examples/", () => {
  let s2014: TutumTestServer;
  let s2015: TutumTestServer;
  beforeAll(async () => {
    [s2014, s2015] = await Promise.all([
      startServer({ shapes: "2014", transitionMs: 30 }),
      startServer({ shapes: "2015", transitionMs: 30 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([s2014.stop(), s2015.stop()]);
  });

  const ports = [{ protocol: "tcp", inner_port: 80 }];

  it("01 application list and 02 application create (202, Starting)", async () => {
    const call = client(s2014);
    const created = await call("POST", "application/", {
      name: "my-new-app",
      image: "tutum/hello-world",
      target_num_containers: 2,
      container_ports: ports,
    });
    expect(created.status).toBe(202);
    expect(created.body.state).toBe("Starting");
    expect(shapeDiff(created.body, example("02_application_create_202_2014.json"))).toEqual([]);
    await s2014.idle();
    const list = await call("GET", "application/");
    expect((list.body.objects as Obj[]).length).toBe(1);
    const ex = example("01_application_list_2014.json");
    expect(Object.keys(list.body.meta as Obj).sort()).toEqual(Object.keys(ex.meta as Obj).sort());
    expect(shapeDiff(list.body, ex)).toEqual([]);
  });

  it("03 container list of an application (2014)", async () => {
    const call = client(s2014);
    const list = await call("GET", "container/?application__name=my-new-app");
    expect((list.body.objects as Obj[]).length).toBe(2);
    expect(shapeDiff(list.body, example("03_container_list_2014.json"))).toEqual([]);
  });

  it("04 service list (2015)", async () => {
    const call = client(s2015);
    const created = await call("POST", "service/", {
      name: "image-resampler",
      image: "tutum/hello-world",
      container_ports: [{ protocol: "tcp", inner_port: 3000, published: true }],
    });
    expect(created.status).toBe(201);
    const list = await call("GET", "service/");
    expect((list.body.objects as Obj[]).length).toBe(1);
    expect(shapeDiff(list.body, example("04_service_list_2015.json"))).toEqual([]);
  });

  it("05 stack detail (2015)", async () => {
    const call = client(s2015);
    const created = await call("POST", "stack/", {
      name: "tutum-app",
      services: [
        { name: "db", image: "tutum/mysql" },
        { name: "web", image: "tutum/wordpress", linked_to_service: [{ to_service: "db", name: "DB" }] },
      ],
    });
    expect(created.status).toBe(201);
    const detail = await call("GET", created.body.resource_uri as string);
    expect(shapeDiff(detail.body, example("05_stack_detail_2015.json"))).toEqual([]);
  });

  it("06 service start (202, Starting, 2014)", async () => {
    const call = client(s2014);
    const created = await call("POST", "service/", {
      name: "mysql",
      image: "tutum/mysql",
      target_num_containers: 2,
      container_ports: [{ protocol: "tcp", inner_port: 3306, port_name: "mysql", uri_protocol: "mysql" }],
    });
    const started = await call("POST", `${created.body.resource_uri as string}start/`);
    expect(started.status).toBe(202);
    expect(started.body.state).toBe("Starting");
    expect(started.headers.get("x-tutum-action-uri")).toMatch(/^\/api\/v1\/action\/[0-9a-f-]{36}\/$/);
    expect(shapeDiff(started.body, example("06_service_start_202_2014.json"))).toEqual([]);
  });

  it("07 container stop (202, Stopping, 2014)", async () => {
    const call = client(s2014);
    await s2014.idle();
    const service = (await call("GET", "service/?name=mysql")).body.objects as Obj[];
    const container = ((service[0]!.containers as string[]) ?? [])[0]!;
    const stopped = await call("POST", `${container}stop/`);
    expect(stopped.status).toBe(202);
    expect(stopped.body.state).toBe("Stopping");
    expect(shapeDiff(stopped.body, example("07_container_stop_202_2014.json"))).toEqual([]);
    await s2014.idle();
  });

  it("08 action list (2014)", async () => {
    const list = await client(s2014)("GET", "action/");
    expect((list.body.objects as Obj[]).length).toBeGreaterThan(3);
    expect(shapeDiff(list.body, example("08_action_list_2014.json"))).toEqual([]);
  });

  it("09 stream event (recorded and streamed on /v1/events)", async () => {
    const events = s2014.events();
    expect(events.length).toBeGreaterThan(0);
    for (const e of events.slice(0, 20))
      expect(shapeDiff(e as unknown as Obj, example("09_stream_event.json"))).toEqual([]);
    const call = client(s2015);
    const streamed = readStream(s2015, "/v1/events", (m) => m.some((x) => x.type === "service"));
    await new Promise((r) => setTimeout(r, 50));
    await call("POST", "service/", { image: "tutum/redis", name: "evented" });
    const messages = await streamed;
    expect(messages[0]).toEqual({ type: "auth", data: expect.any(Object) });
    const event = messages.find((m) => m.type === "service")!;
    expect(event).toMatchObject({ action: "create", state: "Not running" });
    expect(shapeDiff(event, example("09_stream_event.json"))).toEqual([]);
  });

  it("10 stream log line (/v1/service/{uuid}/logs/)", async () => {
    const service = (await client(s2014)("GET", "service/?name=mysql")).body.objects as Obj[];
    const uuid = service[0]!.uuid as string;
    const lines = await readStream(s2014, `/v1/service/${uuid}/logs/?follow=false&tail=10`, () => false);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(10);
    for (const line of lines) expect(shapeDiff(line, example("10_stream_log_line.json"))).toEqual([]);
  });

  it("streams refuse wrong credentials as Tutum did (an UNAUTHORIZED error message)", async () => {
    const bad = { ...s2015, authorization: { ...s2015.authorization, apiKey: "ApiKey nobody:wrong" } };
    const messages = await readStream(bad, "/v1/events", () => false);
    expect(messages).toEqual([{ type: "error", data: { errorMessage: "UNAUTHORIZED" } }]);
  });
});
