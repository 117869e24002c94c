// The simulator's checks, through plain fetch: credentials, routing, request validation,
// pagination and filters.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startServer, type TutumTestServer } from "../src/testing/index.js";

type Body = Record<string, unknown>;
interface Answer {
  status: number;
  body: Body;
  headers: Headers;
}

function client(server: TutumTestServer) {
  return async function call(
    method: string,
    path: string,
    options: { body?: unknown; auth?: string | null; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<Answer> {
    const url = path.startsWith("/") ? `${server.restHost}${path}` : `${server.url}${path}`;
    const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
    const auth = options.auth === undefined ? server.authorization.apiKey : options.auth;
    if (auth !== null) headers.Authorization = auth;
    let payload: string | undefined = options.raw;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers["Content-Type"] ??= "application/json";
    }
    const res = await fetch(url, { method, headers, body: payload, redirect: "manual" });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Body) : {}, headers: res.headers };
  };
}

let server: TutumTestServer;
let call: ReturnType<typeof client>;

beforeAll(async () => {
  server = await startServer({ transitionMs: 50, user: "alice", apikey: "0123456789abcdef" });
  call = client(server);
});

afterAll(async () => {
  await server.stop();
});

describe("startServer", () => {
  it("listens on 127.0.0.1 and gives the API base and credentials", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/$/);
    expect(server.credentials).toEqual({ user: "alice", apikey: "0123456789abcdef" });
  });

  it("generates a 40-hex-digit key by default and stop() frees the port", async () => {
    const other = await startServer();
    expect(other.credentials.apikey).toMatch(/^[0-9a-f]{40}$/);
    const url = other.url;
    await other.stop();
    await other.stop();
    await expect(fetch(`${url}service/`)).rejects.toThrow();
  });

  it("honours an aborted signal", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(startServer({ signal: controller.signal })).rejects.toThrow(/cancelled/);
  });
});

describe("authentication", () => {
  it("accepts every Authorization form Tutum did", async () => {
    const forms = [
      server.authorization.apiKey,
      server.authorization.apikeyTransitional,
      server.authorization.basic,
      "Apikey 0123456789abcdef",
    ];
    for (const auth of forms) expect([auth, (await call("GET", "service/", { auth })).status]).toEqual([auth, 200]);
  });

  it("answers 401 with an error body without credentials or with wrong ones", async () => {
    const missing = await call("GET", "service/", { auth: null });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ error: expect.any(String) });
    for (const auth of [
      "ApiKey alice:wrong",
      "ApiKey bob:0123456789abcdef",
      `Basic ${Buffer.from("alice:nope").toString("base64")}`,
      "Bearer 0123456789abcdef",
      "garbage",
    ]) {
      const res = await call("GET", "service/", { auth });
      expect([auth, res.status, typeof res.body.error]).toEqual([auth, 401, "string"]);
    }
  });

  it("serves GET auth/ with Basic user:password (the key for a login)", async () => {
    const basic = `Basic ${Buffer.from(`alice:${server.password}`).toString("base64")}`;
    const res = await call("GET", "auth/", { auth: basic });
    expect(res.status).toBe(200);
    expect((res.body.objects as Body[])[0]).toEqual({ username: "alice", key: "0123456789abcdef" });
    expect((await call("GET", "service/", { auth: basic })).status).toBe(401);
  });
});

describe("routing", () => {
  it("404s unknown collections and objects, with Tutum's error body", async () => {
    const unknown = await call("GET", "spaceship/");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual(expect.any(String));
    const missing = await call("GET", "service/7d6696b7-fbaf-471d-8e6b-ce7052586c24/");
    expect(missing.status).toBe(404);
    expect(Object.keys(missing.body)).toEqual(["error"]);
    expect((await call("POST", "service/7d6696b7-fbaf-471d-8e6b-ce7052586c24/start/")).status).toBe(404);
    expect((await call("GET", "service/7d6696b7-fbaf-471d-8e6b-ce7052586c24/fly/")).status).toBe(404);
  });

  it("checks the method before the credentials (405 with Allow)", async () => {
    const put = await call("PUT", "service/", { auth: null, body: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, POST");
    expect((await call("DELETE", "provider/digitalocean/")).status).toBe(405);
    expect((await call("POST", "region/")).status).toBe(405);
    expect((await call("GET", "service/x/start/")).status).toBe(405);
    expect((await call("PATCH", "action/x/")).status).toBe(405);
    expect((await call("POST", "container/", { body: {} })).status).toBe(405);
  });

  it("redirects a GET without the trailing slash, as Django did", async () => {
    const res = await call("GET", "/api/v1/service");
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe("/api/v1/service/");
  });

  it("serves the read-only catalogue under nested and short URIs", async () => {
    const providers = await call("GET", "provider/");
    expect((providers.body.objects as Body[]).map((p) => p.name)).toContain("digitalocean");
    const nested = await call("GET", "region/digitalocean/lon1/");
    const short = await call("GET", "region/lon1/");
    expect(nested.status).toBe(200);
    expect(short.body).toEqual(nested.body);
    expect(nested.body.resource_uri).toBe("/api/v1/region/digitalocean/lon1/");
    expect((await call("GET", "nodetype/digitalocean/1gb/")).body.name).toBe("1gb");
    expect((await call("GET", "az/aws/us-east-1/us-east-1a/")).body.region).toBe("/api/v1/region/aws/us-east-1/");
    expect((await call("GET", "registry/tutum.co/")).body.is_tutum_registry).toBe(true);
    const image = await call("GET", "image/tutum/hello-world/");
    expect(image.body.name).toBe("tutum/hello-world");
    const tag = await call("GET", "image/tutum/hello-world/tag/latest/");
    expect(tag.body).toMatchObject({ name: "latest", full_name: "tutum/hello-world:latest" });
    expect((await call("GET", "image/tutum/hello-world/tag/nope/")).status).toBe(404);
  });
});

describe("request validation", () => {
  it("refuses unknown fields, read-only fields and wrong types with 400 {error}", async () => {
    const cases: Array<[string, string, Body]> = [
      ["POST", "service/", { image: "tutum/hello-world", colour: "blue" }],
      ["POST", "service/", { image: "tutum/hello-world", state: "Running" }],
      ["POST", "service/", { image: "tutum/hello-world", uuid: "x" }],
      ["POST", "service/", { image: "tutum/hello-world", target_num_containers: "2" }],
      ["POST", "service/", { image: "tutum/hello-world", target_num_containers: 1.5 }],
      ["POST", "service/", { image: "tutum/hello-world", autorestart: "SOMETIMES" }],
      ["POST", "service/", { image: "tutum/hello-world", container_ports: [{ inner_port: "80" }] }],
      ["POST", "service/", { image: "tutum/hello-world", container_ports: [{ inner_port: 80, colour: 1 }] }],
      ["POST", "service/", { image: "tutum/hello-world", container_envvars: { key: "a" } }],
      ["POST", "service/", { image: "tutum/hello-world", privileged: "yes" }],
      ["POST", "service/", { image: "tutum/hello-world", name: "bad name!" }],
      ["POST", "service/", { image: 42 }],
      ["POST", "service/", { name: "no-image" }],
      ["POST", "service/", { image: "tutum/hello-world", target_num_containers: -1 }],
      ["POST", "application/", { image: "tutum/hello-world", web_public_dns: 3 }],
      ["POST", "application/", { name: "x" }],
      ["POST", "nodecluster/", { name: "c", node_type: "/api/v1/nodetype/digitalocean/1gb/" }],
      ["POST", "nodecluster/", { name: "c", node_type: "/api/v1/nodetype/nope/", region: "/api/v1/region/lon1/" }],
      [
        "POST",
        "nodecluster/",
        { name: "c", node_type: "/api/v1/nodetype/aws/t2.micro/", region: "/api/v1/region/lon1/" },
      ],
      ["POST", "stack/", { name: "s", services: [{ image: "tutum/redis", bogus: true }] }],
      ["POST", "stack/", { name: "s", services: "redis" }],
    ];
    for (const [method, path, body] of cases) {
      const res = await call(method, path, { body });
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
      expect(Object.keys(res.body)).toEqual(["error"]);
    }
  });

  it("refuses PATCH of read-only and create-only fields, and of unknown ones", async () => {
    const created = await call("POST", "service/", { body: { image: "tutum/hello-world", name: "patchme" } });
    expect(created.status).toBe(201);
    const uri = created.body.resource_uri as string;
    for (const body of [{ state: "Running" }, { name: "renamed" }, { bindings: [] }, { size: 3 }, { memory: "lots" }]) {
      const res = await call("PATCH", uri, { body });
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
    }
    const ok = await call("PATCH", uri, { body: { target_num_containers: 3, autorestart: "ALWAYS" } });
    expect(ok.status).toBe(202);
    expect(ok.body).toMatchObject({ target_num_containers: 3, autorestart: "ALWAYS", state: "Not running" });
  });

  it("refuses bodies that are not JSON objects, and other media types (415)", async () => {
    expect(
      (await call("POST", "service/", { raw: "{nope", headers: { "Content-Type": "application/json" } })).status,
    ).toBe(400);
    expect((await call("POST", "service/", { body: ["tutum/hello-world"] })).status).toBe(400);
    const form = await call("POST", "service/", {
      raw: "image=x",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    expect(form.body.error).toEqual(expect.any(String));
  });

  it("checks action bodies and query parameters", async () => {
    const created = await call("POST", "service/", { body: { image: "tutum/hello-world", name: "actions" } });
    const uri = created.body.resource_uri as string;
    expect((await call("POST", `${uri}start/`, { body: { force: true } })).status).toBe(400);
    expect((await call("POST", `${uri}start/?now=1`)).status).toBe(400);
    expect((await call("POST", `${uri}start/`, { body: {} })).status).toBe(202);
    await server.idle();
    expect((await call("POST", `${uri}redeploy/?reuse_volumes=maybe`)).status).toBe(400);
    expect((await call("POST", `${uri}redeploy/?reuse_volumes=false`)).status).toBe(202);
    await server.idle();
  });

  it("answers 400 for an action the object's state does not allow", async () => {
    const created = await call("POST", "service/", { body: { image: "tutum/hello-world", name: "fsm" } });
    const uri = created.body.resource_uri as string;
    for (const action of ["stop", "redeploy", "scale"]) {
      const res = await call("POST", `${uri}${action}/`);
      expect([action, res.status]).toEqual([action, 400]);
      expect(res.body.error).toMatch(/not in a suitable state \(Not running\)/);
    }
    const release = server.hold();
    expect((await call("POST", `${uri}start/`)).status).toBe(202);
    // Starting is transitional: nothing is allowed until it settles.
    for (const action of ["start", "stop", "redeploy"])
      expect((await call("POST", `${uri}${action}/`)).status).toBe(400);
    expect((await call("PATCH", uri, { body: { target_num_containers: 2 } })).status).toBe(400);
    expect((await call("DELETE", uri)).status).toBe(400);
    release();
    await server.idle();
    expect((await call("POST", `${uri}start/`)).status).toBe(400);
    const node = (await call("GET", "node/")).body.objects as Body[];
    expect((await call("POST", `${node[0]!.resource_uri as string}health-check/`)).status).toBe(400);
    const actions = (await call("GET", "action/?state=Success")).body.objects as Body[];
    expect((await call("POST", `${actions[0]!.resource_uri as string}retry/`)).status).toBe(400);
  });
});

describe("lists", () => {
  it("pages with limit/offset and Tastypie envelopes (next is a path)", async () => {
    for (let i = 0; i < 30; i++) {
      const res = await call("POST", "service/", {
        body: { image: "tutum/redis", name: `page-${String(i).padStart(2, "0")}` },
      });
      expect(res.status).toBe(201);
    }
    const first = await call("GET", "service/?name__startswith=page-");
    const meta = first.body.meta as Body;
    expect(meta).toEqual({
      limit: 25,
      next: "/api/v1/service/?name__startswith=page-&limit=25&offset=25",
      offset: 0,
      previous: null,
      total_count: 30,
    });
    expect((first.body.objects as Body[]).length).toBe(25);
    const second = await call("GET", meta.next as string);
    expect((second.body.meta as Body).next).toBeNull();
    expect((second.body.meta as Body).previous).toBe("/api/v1/service/?name__startswith=page-&limit=25&offset=0");
    const names = [...(first.body.objects as Body[]), ...(second.body.objects as Body[])].map((o) => o.name);
    expect(names).toEqual(Array.from({ length: 30 }, (_, i) => `page-${String(i).padStart(2, "0")}`));
    const small = await call("GET", "service/?name__startswith=page-&limit=7&offset=28");
    expect((small.body.objects as Body[]).length).toBe(2);
    expect((small.body.meta as Body).limit).toBe(7);
    expect(((await call("GET", "service/?limit=1000")).body.meta as Body).limit).toBe(100);
    expect((await call("GET", "service/?limit=-1")).status).toBe(400);
    expect((await call("GET", "service/?offset=x")).status).toBe(400);
  });

  it("filters by field, lookup, related object, resource URI and date", async () => {
    const exact = await call("GET", "service/?name=page-03");
    expect((exact.body.objects as Body[]).map((o) => o.name)).toEqual(["page-03"]);
    const uuid = (exact.body.objects as Body[])[0]!.uuid as string;
    const prefix = await call("GET", `service/?uuid__startswith=${uuid.slice(0, 8)}`);
    expect((prefix.body.objects as Body[]).map((o) => o.uuid)).toEqual([uuid]);
    expect(((await call("GET", "service/?state=Terminated")).body.meta as Body).total_count).toBe(0);
    expect((await call("GET", "service/?colour=blue")).status).toBe(400);
    expect((await call("GET", "service/?image_name=x")).status).toBe(400);

    // Related objects: containers by their service's stack name, by service URI, by application name.
    const stack = await call("POST", "stack/", {
      body: { name: "shop", services: [{ name: "web", image: "tutum/hello-world", target_num_containers: 2 }] },
    });
    expect(stack.status).toBe(201);
    await call("POST", `${stack.body.resource_uri as string}start/`);
    await server.idle();
    const inStack = await call("GET", "container/?service__stack__name=shop");
    expect((inStack.body.objects as Body[]).map((c) => c.name).sort()).toEqual(["web-1", "web-2"]);
    const serviceUri = (stack.body.services as string[])[0]!;
    const byUri = await call("GET", `container/?service=${encodeURIComponent(serviceUri)}`);
    expect((byUri.body.meta as Body).total_count as number).toBe(2);
    const byStackName = await call("GET", "service/?stack__name=shop");
    expect((byStackName.body.objects as Body[]).map((s) => s.name)).toEqual(["web"]);
    const byStackUri = await call("GET", `service/?stack=${stack.body.resource_uri as string}`);
    expect((byStackUri.body.objects as Body[]).map((s) => s.name)).toEqual(["web"]);

    const app = await call("POST", "application/", {
      body: { name: "blog", image: "tutum/wordpress", target_num_containers: 2 },
    });
    expect(app.status).toBe(202);
    const appContainers = await call("GET", "container/?application__name=blog");
    expect((appContainers.body.objects as Body[]).map((c) => c.unique_name)).toEqual(["blog-1", "blog-2"]);
    await server.idle();

    const now = Date.now();
    const recent = await call(
      "GET",
      `action/?start_date__gte=${encodeURIComponent(new Date(now - 60_000).toUTCString())}`,
    );
    const old = await call(
      "GET",
      `action/?start_date__lte=${encodeURIComponent(new Date(now - 600_000).toUTCString())}`,
    );
    expect((recent.body.meta as Body).total_count as number).toBeGreaterThan(30);
    expect((old.body.objects as Body[]).map((a) => a.action)).toEqual([
      "Node Cluster Create",
      "Node Cluster Deploy",
      "Node Deploy",
      "Node Upgrade Docker",
    ]);
    expect((await call("GET", "action/?start_date__gte=yesterday")).status).toBe(400);
    const byObject = await call("GET", `action/?object=${app.body.resource_uri as string}`);
    expect((byObject.body.objects as Body[]).map((a) => a.action)).toEqual(["Application Create"]);
    const regions = await call("GET", "region/?provider=/api/v1/provider/aws/");
    expect((regions.body.objects as Body[]).map((r) => r.name)).toEqual(["us-east-1", "eu-west-1"]);
  });
});
