// Unit tests of the active record (create/save/refresh/delete/actions/list) against a recording HTTP
// server, asserting exactly what was sent. The simulator tests (session*.test.ts) check behaviour.
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { BadRequestError, ConnectionError, NotFoundError, ServerError, ValidationError } from "@nimbus-sdk/common";
import {
  NotSaved,
  ObjectNotFound,
  ReadOnlyField,
  ReadOnlyResource,
  Tutum,
  TutumApiError,
  TutumAuthError,
  TutumBadRequest,
  TutumConnectionError,
  TutumParseError,
  TutumServerError,
  UnknownField,
} from "../src/index.js";
import { startRecorder, type Recorder } from "./helpers/recorder.js";

const UUID = "fee900c6-97da-46b3-a21c-e2b50ed07015";
const appJson = (extra: Record<string, unknown> = {}) => ({
  uuid: UUID,
  resource_uri: `/api/v1/application/${UUID}/`,
  name: "my-new-app",
  image_name: "tutum/hello-world:latest",
  state: "Running",
  target_num_containers: 2,
  container_envvars: [{ key: "A", value: "1" }],
  ...extra,
});

let api: Recorder;
let tutum: Tutum;

beforeAll(async () => {
  api = await startRecorder();
  tutum = new Tutum({ user: "alice", apikey: "k1", base_url: api.url, env: {}, configPath: "/nonexistent/.tutum" });
});
afterEach(() => {
  api.requests.length = 0;
});
afterAll(async () => {
  await tutum.close();
  await api.stop();
});

describe("create and save", () => {
  it("create() is local; save() POSTs the given fields and loads the 202 answer", async () => {
    const app = tutum.Application.create({ image: "tutum/hello-world", name: "my-new-app", target_num_containers: 2 });
    expect(api.requests).toHaveLength(0);
    expect(app.isDirty).toBe(true);
    expect(app.pk).toBeUndefined();
    api.handler = () => ({
      status: 202,
      body: appJson({ state: "Starting" }),
      headers: { "X-Tutum-Action-URI": "/api/v1/action/a1/" },
    });
    await expect(app.save()).resolves.toBe(true);
    expect(api.requests).toEqual([
      expect.objectContaining({
        method: "POST",
        path: "/api/v1/application/",
        body: { image: "tutum/hello-world", name: "my-new-app", target_num_containers: 2 },
      }),
    ]);
    expect(api.requests[0]!.headers.authorization).toBe("ApiKey alice:k1");
    expect(api.requests[0]!.headers["content-type"]).toBe("application/json");
    expect(app.state).toBe("Starting");
    expect(app.uuid).toBe(UUID);
    expect(app.pk).toBe(UUID);
    expect(app.tutum_action_uri).toBe("/api/v1/action/a1/");
    expect(app.isDirty).toBe(false);
  });

  it("save() PATCHes only the changed fields, and sends nothing when nothing changed", async () => {
    api.handler = ({ method, body }) =>
      method === "GET"
        ? { body: appJson() }
        : { status: 202, body: appJson({ state: "Scaling", ...(body as object) }) };
    const app = await tutum.Application.fetch(UUID);
    api.requests.length = 0;
    await expect(app.save()).resolves.toBe(true);
    expect(api.requests).toHaveLength(0);

    app.target_num_containers = 2; // the same value: not a change
    expect(app.isDirty).toBe(false);
    app.target_num_containers = 3;
    expect(app.changedFields()).toEqual(["target_num_containers"]);
    await app.save();
    expect(api.requests).toEqual([
      expect.objectContaining({
        method: "PATCH",
        path: `/api/v1/application/${UUID}/`,
        body: { target_num_containers: 3 },
      }),
    ]);
    expect(app.state).toBe("Scaling");
  });

  it("an array changed in place counts as a change", async () => {
    api.handler = () => ({ body: appJson() });
    const app = await tutum.Application.fetch(UUID);
    app.container_envvars!.push({ key: "B", value: "2" });
    expect(app.changedFields()).toEqual(["container_envvars"]);
  });

  it("unknown and server-only fields are refused on assignment, before anything is sent", async () => {
    api.handler = () => ({ body: appJson() });
    expect(() => tutum.Application.create({ nmae: "x" } as never)).toThrow(UnknownField);
    expect(() => tutum.Application.create({ nmae: "x" } as never)).toThrow(
      "Application has no field 'nmae' (did you mean 'name'?)",
    );
    const app = await tutum.Application.fetch(UUID);
    api.requests.length = 0;
    const untyped = app as unknown as Record<string, unknown>;
    expect(() => (untyped.colour = "red")).toThrow(UnknownField);
    expect(() => (untyped.state = "Running")).toThrow(ReadOnlyField);
    expect(() => (untyped.state = "Running")).toThrow("Application.state is read-only (set by the server)");
    expect(() => (app.name = "renamed")).toThrow("Application.name can only be set when creating the object");
    let caught: unknown;
    try {
      untyped.colour = 1;
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect(caught).toBeInstanceOf(TutumApiError);
    expect((caught as UnknownField).field).toBe("colour");
    expect(api.requests).toHaveLength(0);
  });

  it("read-only resources refuse create, save and delete with ReadOnlyResource", async () => {
    expect(() => tutum.Provider.create({} as never)).toThrow(ReadOnlyResource);
    expect(() => tutum.Node.create({})).toThrow("Node objects cannot be created through the API");
    expect(() => tutum.Container.create({})).toThrow(ReadOnlyResource);
    api.handler = () => ({
      body: { name: "digitalocean", label: "Digital Ocean", resource_uri: "/api/v1/provider/digitalocean/" },
    });
    const provider = await tutum.Provider.fetch("digitalocean");
    expect(api.requests[0]!.path).toBe("/api/v1/provider/digitalocean/");
    await expect(provider.save()).rejects.toThrow(ReadOnlyResource);
    await expect(provider.save()).rejects.toThrow("Provider objects are read-only: save() is not supported");
    await expect(provider.delete()).rejects.toThrow(ReadOnlyResource);
    expect(api.requests).toHaveLength(1);
  });

  it("a URI field takes an object and sends its resource URI", async () => {
    api.handler = () => ({ body: { name: "ams3", resource_uri: "/api/v1/region/digitalocean/ams3/" } });
    const region = await tutum.Region.fetch("ams3");
    const cluster = tutum.NodeCluster.create({ name: "c", region, node_type: "/api/v1/nodetype/digitalocean/1gb/" });
    expect(cluster.region).toBe("/api/v1/region/digitalocean/ams3/");
  });
});

describe("refresh, delete, actions", () => {
  it("refresh() with an answer that is not an object throws TutumParseError (not a silent false)", async () => {
    api.handler = () => ({ body: appJson() });
    const app = await tutum.Application.fetch(UUID);
    api.handler = () => ({ body: [1, 2] });
    const err = await app.refresh().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TutumParseError);
    expect((err as Error).message).toContain(`GET /api/v1/application/${UUID}/: the answer is not an object`);
  });

  it("refresh() refuses (false, nothing sent) with unsaved changes, and reloads with force", async () => {
    api.handler = () => ({ body: appJson() });
    const app = await tutum.Application.fetch(UUID);
    app.target_num_containers = 5;
    api.requests.length = 0;
    await expect(app.refresh()).resolves.toBe(false);
    expect(api.requests).toHaveLength(0);
    expect(app.target_num_containers).toBe(5);
    await expect(app.refresh({ force: true })).resolves.toBe(true);
    expect(app.target_num_containers).toBe(2);
    expect(app.isDirty).toBe(false);
  });

  it("actions POST {detail}/{action}/ and reload the object from the answer", async () => {
    api.handler = ({ method, path }) =>
      method === "GET"
        ? { body: appJson() }
        : path.endsWith("/stop/")
          ? { status: 202, body: appJson({ state: "Stopping" }) }
          : undefined;
    const app = await tutum.Application.fetch(UUID);
    await expect(app.stop()).resolves.toBe(true);
    expect(api.requests[1]).toEqual(
      expect.objectContaining({ method: "POST", path: `/api/v1/application/${UUID}/stop/` }),
    );
    expect(app.state).toBe("Stopping");
  });

  it("redeploy sends the 2014 tag body; a service's the reuse_volumes query", async () => {
    api.handler = () => ({ body: appJson() });
    const app = await tutum.Application.fetch(UUID);
    await app.redeploy({ tag: "v2" });
    expect(api.requests[1]!.body).toEqual({ tag: "v2" });
    api.handler = () => ({ body: { uuid: "s1", resource_uri: "/api/v1/service/s1/", state: "Running" } });
    const service = await tutum.Service.fetch("s1");
    await service.redeploy({ reuse_volumes: false });
    expect(api.requests[3]!.query).toEqual({ reuse_volumes: ["false"] });
  });

  it('logs() returns the text of {"logs": ...}; logLines() yields it line by line', async () => {
    api.handler = ({ path }) => (path.endsWith("/logs/") ? { body: { logs: "one\ntwo\n" } } : { body: appJson() });
    const app = await tutum.Application.fetch(UUID);
    await expect(app.logs()).resolves.toBe("one\ntwo\n");
    const lines: string[] = [];
    for await (const line of app.logLines()) lines.push(line);
    expect(lines).toEqual(["one", "two"]);
  });

  it("logLines({ follow }) yields the lines added since the last read, until aborted", async () => {
    let text = "a\n";
    api.handler = ({ path }) => (path.endsWith("/logs/") ? { body: { logs: text } } : { body: appJson() });
    const app = await tutum.Application.fetch(UUID);
    const controller = new AbortController();
    const lines: string[] = [];
    await expect(
      (async () => {
        for await (const line of app.logLines({ follow: true, interval: 20, signal: controller.signal })) {
          lines.push(line);
          if (line === "a") text = "a\nb\nc\npartial";
          if (line === "c") controller.abort();
        }
      })(),
    ).rejects.toThrow("following the logs was cancelled");
    expect(lines).toEqual(["a", "b", "c"]);
  });

  it("a 204 to delete() forgets the detail URI; actions then need a save first", async () => {
    api.handler = ({ method }) => (method === "DELETE" ? { status: 204 } : { body: appJson() });
    const app = await tutum.Application.fetch(UUID);
    await expect(app.delete()).resolves.toBe(true);
    await expect(app.start()).rejects.toThrow(NotSaved);
    await expect(app.refresh()).rejects.toThrow(
      "You must save the object before performing this operation (Application.refresh)",
    );
    await expect(tutum.Application.create({ name: "x" }).start()).rejects.toThrow(NotSaved);
  });
});

describe("list", () => {
  const page = (offset: number, limit: number, total: number) => {
    const objects = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) =>
      appJson({
        uuid: `u${offset + i}`,
        resource_uri: `/api/v1/application/u${offset + i}/`,
        name: `app-${offset + i}`,
      }),
    );
    const next = offset + limit < total ? `/api/v1/application/?limit=${limit}&offset=${offset + limit}` : null;
    return { meta: { limit, offset, next, previous: null, total_count: total }, objects };
  };

  it("follows meta.next with offset+limit, keeping the filters", async () => {
    api.handler = ({ query }) => ({ body: page(Number(query.offset?.[0] ?? 0), Number(query.limit?.[0] ?? 25), 60) });
    const apps = await tutum.Application.list({ state: "Running", name__startswith: "app-" });
    expect(apps).toHaveLength(60);
    expect(apps[59]!.name).toBe("app-59");
    expect(api.requests.map((r) => r.query)).toEqual([
      { state: ["Running"], name__startswith: ["app-"] },
      { state: ["Running"], name__startswith: ["app-"], offset: ["25"], limit: ["25"] },
      { state: ["Running"], name__startswith: ["app-"], offset: ["50"], limit: ["25"] },
    ]);
    expect(apps[0]).toBeInstanceOf(tutum.Application);
  });

  it("for await fetches pages on demand; limit stops early; pageSize sets Tastypie's limit", async () => {
    api.handler = ({ query }) => ({ body: page(Number(query.offset?.[0] ?? 0), Number(query.limit?.[0] ?? 25), 60) });
    const names: string[] = [];
    for await (const app of tutum.Application.list({}, { pageSize: 10 })) {
      names.push(app.name!);
      if (names.length === 12) break;
    }
    expect(api.requests).toHaveLength(2);
    api.requests.length = 0;
    const first30 = await tutum.Application.list({}, { limit: 30 });
    expect(first30).toHaveLength(30);
    expect(api.requests).toHaveLength(2);
  });

  it("objects used as filter values are sent as their resource URI", async () => {
    api.handler = ({ path }) =>
      path.startsWith("/api/v1/service/s1")
        ? { body: { uuid: "s1", resource_uri: "/api/v1/service/s1/" } }
        : { body: page(0, 25, 0) };
    const service = await tutum.Service.fetch("s1");
    await tutum.Container.list({ service, state: "Running" });
    expect(api.requests[1]!.query).toEqual({ service: ["/api/v1/service/s1/"], state: ["Running"] });
  });

  it("objects print, spread and serialise as their fields", async () => {
    api.handler = () => ({ body: appJson() });
    const app = await tutum.Application.fetch(UUID);
    expect(JSON.parse(JSON.stringify(app))).toEqual(appJson());
    expect({ ...app }).toEqual(appJson());
    expect(Object.keys(app)).toEqual(Object.keys(appJson()));
    expect("state" in app).toBe(true);
    expect(inspect(app)).toMatch(/^Application \{/);
    expect(app.getAllAttributes()).toEqual({ ...appJson(), tutum_action_uri: "" });
  });
});

describe("errors", () => {
  it("maps statuses to python-tutum's names and common's classes, with the server's text", async () => {
    api.handler = () => ({
      status: 400,
      body: { error: "Cannot stop application 'x': it is not in a suitable state (Stopped)" },
    });
    const app = tutum.Application.create({ name: "x" });
    const err = await app.save().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TutumBadRequest);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toBeInstanceOf(TutumApiError);
    expect((err as TutumBadRequest).status).toBe(400);
    expect((err as Error).message).toContain("Status 400 (POST http://127.0.0.1");
    expect((err as Error).message).toContain("not in a suitable state (Stopped)");

    api.handler = () => ({ status: 404, body: { error: "Not found" } });
    const missing = await tutum.Application.fetch("nope").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ObjectNotFound);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as Error).message).toMatch(/^no Application with uuid 'nope': Status 404 .*: Not found$/);

    api.handler = () => ({ status: 401, body: { error: "Invalid credentials" } });
    const denied = await tutum.Application.fetch(UUID).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(TutumAuthError);
    expect((denied as Error).message).toContain("Not authorized: Status 401");
    expect((denied as Error).message).toContain("Credentials from user/apikey set in code, scheme ApiKey");
    expect((denied as Error).message).not.toContain("k1");

    api.handler = () => ({ status: 500, body: { error: "boom" } });
    const failed = await app.save().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(TutumServerError);
    expect(failed).toBeInstanceOf(ServerError);
    expect(failed).toBeInstanceOf(TutumApiError);

    api.handler = () => ({ status: 405, body: { error: "Method not allowed" } });
    const other = await app.save().catch((e: unknown) => e);
    expect(other).toBeInstanceOf(TutumApiError);
    expect((other as TutumApiError).constructor).toBe(TutumApiError);
  });

  it("a success that is not JSON is a TutumParseError", async () => {
    api.handler = () => ({ status: 200, raw: "<html>maintenance</html>" });
    const err = await tutum.Application.fetch(UUID).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TutumParseError);
    expect(err).toBeInstanceOf(TutumApiError);
    expect((err as Error).message).toMatch(/^JSON Parse Error: GET .*: the response is not valid JSON/);
  });

  it("a server that is down is a TutumConnectionError (a ConnectionError), quickly", async () => {
    const down = new Tutum({
      user: "u",
      apikey: "k",
      base_url: "http://127.0.0.1:9/api/v1/",
      env: {},
      configPath: "/nonexistent",
      retry: { limit: 0 },
    });
    const err = await down.Application.list().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TutumConnectionError);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err).toBeInstanceOf(TutumApiError);
    expect((err as Error).message).toMatch(
      /^No response: GET http:\/\/127\.0\.0\.1:9\/api\/v1\/application\/: cannot reach the server/,
    );
    await down.close();
  });
});

describe("types (checked by tsc on the tests)", () => {
  it("types fields from the generated metadata: server-only fields are readonly, unknown fields rejected", () => {
    const app = tutum.Application.create({ image: "tutum/hello-world", name: "typed", target_num_containers: 2 });
    const state: "Starting" | "Running" | "Partly running" | "Scaling" | undefined = app.state as never;
    void state;
    expect(() => {
      // @ts-expect-error state is set by the server only
      app.state = "Running";
    }).toThrow(ReadOnlyField);
    // @ts-expect-error not a field of Application
    expect(() => tutum.Application.create({ image: "x", colour: "red" })).toThrow(UnknownField);
    // Never called: only for the type check.
    const typeOnly = () =>
      // @ts-expect-error a filter Application does not have
      tutum.Application.list({ colour: "red" });
    void typeOnly;
    const filters: Parameters<typeof tutum.Container.list>[0] = { application__name: "typed", state: "Running" };
    expect(filters).toBeDefined();
    // @ts-expect-error Provider has no create fields
    expect(() => tutum.Provider.create({ name: "x" })).toThrow(ReadOnlyResource);
  });
});
