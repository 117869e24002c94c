// Timed state changes and what each write does: applications and services with their containers,
// stacks, node clusters and nodes, actions, triggers, images, logs.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startServer, type TutumTestServer } from "../src/testing/index.js";

type Body = Record<string, unknown>;

const TRANSITION = 120;
let server: TutumTestServer;

async function call(method: string, path: string, body?: unknown, auth: string | null = server.authorization.basic) {
  const url = path.startsWith("/") ? `${server.restHost}${path}` : `${server.url}${path}`;
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (auth) headers.Authorization = auth;
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : {}) as Body,
    action: res.headers.get("x-tutum-action-uri"),
  };
}

const get = async (uri: string) => (await call("GET", uri)).body;
const objects = async (path: string) => (await call("GET", path)).body.objects as Body[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  server = await startServer({ transitionMs: TRANSITION });
});

afterAll(async () => {
  await server.stop();
});

describe("applications (2014)", () => {
  let app: Body;

  it("POST creates and deploys: 202 Starting, containers name-1..n, Running after the delay", async () => {
    const release = server.hold();
    const res = await call("POST", "application/", {
      name: "my-new-app",
      image: "tutum/hello-world:latest",
      target_num_containers: 2,
      container_ports: [{ protocol: "tcp", inner_port: 80 }],
    });
    expect(res.status).toBe(202);
    app = res.body;
    expect(app).toMatchObject({
      state: "Starting",
      current_num_containers: 2,
      running_num_containers: 0,
      deployed_datetime: null,
    });
    expect(app.image_tag).toBe("/api/v1/image/tutum/hello-world/tag/latest/");
    const containers = await objects("container/?application__name=my-new-app");
    expect(containers.map((c) => [c.name, c.unique_name, c.state])).toEqual([
      ["my-new-app", "my-new-app-1", "Starting"],
      ["my-new-app", "my-new-app-2", "Starting"],
    ]);
    // Held, the transition does not settle even well past its delay.
    await sleep(TRANSITION * 2);
    expect((await get(app.resource_uri as string)).state).toBe("Starting");
    release();
    await server.idle();
    const settled = await get(app.resource_uri as string);
    expect(settled).toMatchObject({ state: "Running", running_num_containers: 2 });
    expect(settled.deployed_datetime).toMatch(/^\w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d \+0000$/);
    expect((await objects("container/?application__name=my-new-app")).map((c) => c.state)).toEqual([
      "Running",
      "Running",
    ]);
  });

  it("records an Action named by X-Tutum-Action-URI, In progress then Success", async () => {
    const release = server.hold();
    const res = await call("POST", `${app.resource_uri as string}stop/`);
    expect(res.status).toBe(202);
    expect(res.body.state).toBe("Stopping");
    const action = await get(res.action!);
    expect(action).toMatchObject({
      object: app.resource_uri,
      state: "In progress",
      method: "POST",
      action: "Application Stop",
    });
    release();
    await server.idle();
    expect((await get(res.action!)).state).toBe("Success");
    expect(await get(app.resource_uri as string)).toMatchObject({
      state: "Stopped",
      running_num_containers: 0,
      stopped_num_containers: 2,
    });
    const restarted = await call("POST", `${app.resource_uri as string}start/`);
    expect(restarted.body.state).toBe("Starting");
    await server.idle();
    expect((await get(app.resource_uri as string)).state).toBe("Running");
  });

  it("PATCH target_num_containers scales (Scaling, then Running with containers added or removed)", async () => {
    const up = await call("PATCH", app.resource_uri as string, { target_num_containers: 3 });
    expect(up.status).toBe(202);
    expect(up.body.state).toBe("Scaling");
    await server.idle();
    const names = (await objects("container/?application__name=my-new-app&state=Running")).map((c) => c.unique_name);
    expect(names).toEqual(["my-new-app-1", "my-new-app-2", "my-new-app-3"]);
    const down = await call("PATCH", app.resource_uri as string, { target_num_containers: 1 });
    expect(down.body.state).toBe("Scaling");
    await server.idle();
    expect(await get(app.resource_uri as string)).toMatchObject({ state: "Running", current_num_containers: 1 });
    expect(
      (await objects("container/?application__name=my-new-app&state=Terminated")).map((c) => c.unique_name).sort(),
    ).toEqual(["my-new-app-2", "my-new-app-3"]);
  });

  it("redeploys with a tag (new containers, same names) and serves logs", async () => {
    const before = (await objects("container/?application__name=my-new-app&state=Running")).map((c) => c.uuid);
    const res = await call("POST", `${app.resource_uri as string}redeploy/`, { tag: "v2" });
    expect(res.body.state).toBe("Redeploying");
    await server.idle();
    const after = await objects("container/?application__name=my-new-app&state=Running");
    expect(after.map((c) => c.unique_name)).toEqual(["my-new-app-1"]);
    expect(after[0]!.uuid).not.toBe(before[0]);
    expect(after[0]!.image_tag).toBe("/api/v1/image/tutum/hello-world/tag/v2/");
    const logs = await get(`${app.resource_uri as string}logs/`);
    expect(Object.keys(logs)).toEqual(["logs"]);
    expect(logs.logs).toMatch(/^\[my-new-app-1\] \d{4}-\d\d-\d\dT.*Z Starting tutum\/hello-world:v2$/m);
    const containerLogs = await get(`${after[0]!.resource_uri as string}logs/`);
    expect(containerLogs.logs).toMatch(/Listening on tcp port 80/);
  });

  it("DELETE answers 202 Terminating, then Terminated (containers too)", async () => {
    const res = await call("DELETE", app.resource_uri as string);
    expect(res.status).toBe(202);
    expect(res.body.state).toBe("Terminating");
    expect((await call("POST", `${app.resource_uri as string}start/`)).status).toBe(400);
    await server.idle();
    const gone = await get(app.resource_uri as string);
    expect(gone.state).toBe("Terminated");
    expect(gone.destroyed_datetime).toEqual(expect.any(String));
    const states = (await objects("container/?application__name=my-new-app")).map((c) => c.state);
    expect(new Set(states)).toEqual(new Set(["Terminated"]));
    expect((await call("DELETE", app.resource_uri as string)).status).toBe(400);
  });
});

describe("services and containers", () => {
  let service: Body;

  it("POST creates a service Not running, without containers", async () => {
    const res = await call("POST", "service/", {
      image: "tutum/redis",
      target_num_containers: 2,
      tags: [{ name: "cache" }],
    });
    expect(res.status).toBe(201);
    service = res.body;
    expect(service).toMatchObject({ name: "redis", state: "Not running", current_num_containers: 0, containers: [] });
    expect(res.action).toMatch(/^\/api\/v1\/action\//);
  });

  it("start runs its containers, named redis-1..n; a container stop makes it Partly running", async () => {
    expect((await call("POST", `${service.resource_uri as string}start/`)).body.state).toBe("Starting");
    await server.idle();
    const running = await get(service.resource_uri as string);
    expect(running).toMatchObject({ state: "Running", running_num_containers: 2 });
    const containers = await objects(`container/?service=${service.resource_uri as string}`);
    expect(containers.map((c) => c.name)).toEqual(["redis-1", "redis-2"]);
    expect(containers[0]!.node).toMatch(/^\/api\/v1\/node\//);

    const stop = await call("POST", `${containers[1]!.resource_uri as string}stop/`);
    expect(stop.body.state).toBe("Stopping");
    expect((await call("POST", `${containers[1]!.resource_uri as string}stop/`)).status).toBe(400);
    await server.idle();
    expect((await get(containers[1]!.resource_uri as string)).exit_code).toBe(0);
    expect((await get(service.resource_uri as string)).state).toBe("Partly running");
    expect((await call("POST", `${containers[1]!.resource_uri as string}start/`)).status).toBe(202);
    await server.idle();
    expect((await get(service.resource_uri as string)).state).toBe("Running");
  });

  it("PATCH target then scale/ (and PATCH alone) scale a running service", async () => {
    const patched = await call("PATCH", service.resource_uri as string, { target_num_containers: 3 });
    expect(patched.body.state).toBe("Scaling");
    await server.idle();
    expect((await get(service.resource_uri as string)).current_num_containers).toBe(3);
    const scaled = await call("POST", `${service.resource_uri as string}scale/`);
    expect(scaled.body.state).toBe("Scaling");
    await server.idle();
    expect(await get(service.resource_uri as string)).toMatchObject({ state: "Running", running_num_containers: 3 });
    expect((await objects(`container/?service=${service.resource_uri as string}&state=Running`)).length).toBe(3);
  });

  it("a PATCH of other fields leaves it unsynchronized until a redeploy", async () => {
    const res = await call("PATCH", service.resource_uri as string, {
      container_envvars: [{ key: "MODE", value: "fast" }],
    });
    expect(res.status).toBe(202);
    expect(res.body.synchronized).toBe(false);
    expect((await call("POST", `${service.resource_uri as string}redeploy/?reuse_volumes=true`)).body.state).toBe(
      "Redeploying",
    );
    await server.idle();
    expect(await get(service.resource_uri as string)).toMatchObject({ state: "Running", synchronized: true });
  });

  it("terminating a container lowers the target; stop then DELETE terminate the service", async () => {
    const containers = await objects(`container/?service=${service.resource_uri as string}&state=Running`);
    const del = await call("DELETE", containers[2]!.resource_uri as string);
    expect(del.status).toBe(202);
    expect(del.body.state).toBe("Terminating");
    await server.idle();
    expect(await get(service.resource_uri as string)).toMatchObject({ target_num_containers: 2, state: "Running" });
    expect((await call("POST", `${service.resource_uri as string}stop/`)).body.state).toBe("Stopping");
    await server.idle();
    expect((await get(service.resource_uri as string)).state).toBe("Stopped");
    expect((await call("DELETE", service.resource_uri as string)).body.state).toBe("Terminating");
    await server.idle();
    expect((await get(service.resource_uri as string)).state).toBe("Terminated");
  });

  it("triggers: create, list, call without credentials, delete", async () => {
    const svc = (await call("POST", "service/", { image: "tutum/hello-world", name: "hooked" })).body;
    await call("POST", `${svc.resource_uri as string}start/`);
    await server.idle();
    const created = await call("POST", `${svc.resource_uri as string}trigger/`, {
      name: "deploy",
      operation: "REDEPLOY",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "deploy", operation: "REDEPLOY" });
    expect(created.body.url).toBe(`${created.body.resource_uri as string}call/`); // a path, as the API docs show
    expect(
      (await call("POST", `${svc.resource_uri as string}trigger/`, { name: "x", operation: "EXPLODE" })).status,
    ).toBe(400);
    expect((await objects(`${svc.resource_uri as string}trigger/`)).map((t) => t.name)).toEqual(["deploy"]);
    const fired = await fetch(`${server.restHost}${created.body.url as string}`, { method: "POST" });
    expect(fired.status).toBe(202);
    expect(((await fired.json()) as Body).state).toBe("Redeploying");
    await server.idle();
    const scaleUp = await call("POST", `${svc.resource_uri as string}trigger/`, { name: "more", operation: "SCALEUP" });
    await fetch(`${server.restHost}${scaleUp.body.url as string}`, { method: "POST" });
    await server.idle();
    expect((await get(svc.resource_uri as string)).running_num_containers).toBe(2);
    expect((await call("DELETE", created.body.resource_uri as string)).status).toBe(204);
    expect((await call("GET", created.body.resource_uri as string)).status).toBe(404);
    expect((await call("GET", `${svc.resource_uri as string}trigger/`, undefined, null)).status).toBe(401);
  });
});

describe("webhook handlers (0.11 .. 0.14)", () => {
  it("create from a list of names, list, call, delete", async () => {
    const svc = (await call("POST", "service/", { image: "tutum/hello-world", name: "legacy" })).body;
    const base = `${svc.resource_uri as string}webhook/handler/`;
    const created = await call("POST", base, [{ name: "one" }, { name: "two" }]);
    expect(created.status).toBe(201);
    const handlers = created.body as unknown as Body[];
    expect(handlers.map((h) => h.name)).toEqual(["one", "two"]);
    expect((await call("POST", base, [{ name: "x", extra: 1 }])).status).toBe(400);
    expect((await objects(base)).length).toBe(2);
    // Not running: a redeploy is not allowed.
    expect((await fetch(`${server.restHost}${handlers[0]!.url as string}`, { method: "POST" })).status).toBe(400);
    expect((await call("DELETE", handlers[0]!.resource_uri as string)).status).toBe(204);
    expect((await objects(base)).map((h) => h.name)).toEqual(["two"]);
  });
});

describe("stacks", () => {
  it("create with linked services, start, export, stop, terminate", async () => {
    const res = await call("POST", "stack/", {
      name: "blog",
      services: [
        { name: "db", image: "tutum/mysql", container_envvars: [{ key: "MYSQL_PASS", value: "secret" }] },
        {
          name: "wp",
          image: "tutum/wordpress",
          linked_to_service: [{ to_service: "db", name: "DB" }],
          container_ports: [{ protocol: "tcp", inner_port: 80, outer_port: 80 }],
        },
      ],
    });
    expect(res.status).toBe(201);
    const stack = res.body;
    expect(stack.state).toBe("Not Running");
    const services = await objects("service/?stack__name=blog");
    expect(services.map((s) => [s.name, s.state, s.stack])).toEqual([
      ["db", "Not running", stack.resource_uri],
      ["wp", "Not running", stack.resource_uri],
    ]);
    const wp = await get(services[1]!.resource_uri as string);
    expect(wp.linked_to_service).toEqual([
      { from_service: wp.resource_uri, to_service: services[0]!.resource_uri, name: "DB" },
    ]);
    expect((await call("POST", `${stack.resource_uri as string}start/`)).body.state).toBe("Starting");
    await server.idle();
    expect((await get(stack.resource_uri as string)).state).toBe("Running");
    const exported = await get(`${stack.resource_uri as string}export/`);
    expect(exported).toEqual({
      db: { image: "tutum/mysql:latest", environment: ["MYSQL_PASS=secret"] },
      wp: { image: "tutum/wordpress:latest", ports: ["80:80"], links: ["db:DB"] },
    });
    expect((await call("POST", `${stack.resource_uri as string}stop/`)).body.state).toBe("Stopping");
    await server.idle();
    expect((await get(stack.resource_uri as string)).state).toBe("Stopped");
    const patched = await call("PATCH", stack.resource_uri as string, {
      services: [{ name: "cache", image: "tutum/redis" }],
    });
    expect(patched.status).toBe(202);
    expect((patched.body.services as string[]).length).toBe(3);
    expect((await call("DELETE", stack.resource_uri as string)).body.state).toBe("Terminating");
    await server.idle();
    expect((await get(stack.resource_uri as string)).state).toBe("Terminated");
    expect(new Set((await objects("service/?stack__name=blog")).map((s) => s.state))).toEqual(new Set(["Terminated"]));
  });
});

describe("node clusters, nodes, actions", () => {
  it("create (Init), deploy (Deploying, then Deployed with nodes), scale, terminate", async () => {
    const res = await call("POST", "nodecluster/", {
      name: "prod",
      node_type: "/api/v1/nodetype/aws/t2.micro/",
      region: "/api/v1/region/aws/us-east-1/",
      target_num_nodes: 2,
      tags: [{ name: "prod" }],
    });
    expect(res.status).toBe(201);
    const cluster = res.body;
    expect(cluster).toMatchObject({ state: "Init", current_num_nodes: 0 });
    expect((await call("PATCH", cluster.resource_uri as string, { target_num_nodes: 3 })).status).toBe(400);
    expect((await call("POST", `${cluster.resource_uri as string}deploy/`)).body.state).toBe("Deploying");
    await server.idle();
    expect(await get(cluster.resource_uri as string)).toMatchObject({ state: "Deployed", current_num_nodes: 2 });
    const nodes = await objects(`node/?node_cluster=${cluster.resource_uri as string}`);
    expect(nodes.map((n) => n.state)).toEqual(["Deployed", "Deployed"]);
    expect(nodes[0]!.tags).toEqual([{ name: "prod" }]);
    expect((await objects("tag/")).map((t) => t.name)).toContain("prod");
    expect((await call("PATCH", cluster.resource_uri as string, { target_num_nodes: 1 })).body.state).toBe("Scaling");
    await server.idle();
    expect((await get(cluster.resource_uri as string)).current_num_nodes).toBe(1);

    const node = nodes[0]!;
    expect((await call("PATCH", node.resource_uri as string, { nickname: "primary" })).body.nickname).toBe("primary");
    expect((await call("PATCH", node.resource_uri as string, { cpu: 8 })).status).toBe(400);
    expect((await call("POST", `${node.resource_uri as string}docker-upgrade/`)).body.state).toBe("Upgrading");
    await server.idle();
    expect(server.tamper(node.resource_uri as string, { state: "Unreachable" })).toBe(true);
    expect((await call("POST", `${node.resource_uri as string}docker-upgrade/`)).status).toBe(400);
    expect((await call("POST", `${node.resource_uri as string}health-check/`)).status).toBe(202);
    await server.idle();
    expect((await get(node.resource_uri as string)).state).toBe("Deployed");
    expect((await call("DELETE", cluster.resource_uri as string)).body.state).toBe("Terminating");
    await server.idle();
    expect((await get(cluster.resource_uri as string)).state).toBe("Terminated");
    expect((await get(node.resource_uri as string)).state).toBe("Terminated");
  });

  it("retries a failed action; refuses to cancel or retry others", async () => {
    const failed = (await objects("action/?state=Failed"))[0]!;
    expect(failed.can_be_retried).toBe(true);
    const retried = await call("POST", `${failed.resource_uri as string}retry/`);
    expect(retried.status).toBe(202);
    expect(retried.body.state).toBe("In progress");
    expect((await call("POST", `${failed.resource_uri as string}cancel/`)).status).toBe(400);
    await server.idle();
    expect((await get(failed.resource_uri as string)).state).toBe("Success");
    expect((await call("POST", `${failed.resource_uri as string}retry/`)).status).toBe(400);
  });
});

describe("images, tokens, events", () => {
  it("create (201, 409 when taken), update, delete (204)", async () => {
    const res = await call("POST", "image/", { name: "tutum.co/alice/app", username: "alice", password: "pw" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "tutum.co/alice/app", is_private_image: true });
    expect(res.body).not.toHaveProperty("password");
    expect((await call("POST", "image/", { name: "tutum.co/alice/app" })).status).toBe(409);
    const uri = res.body.resource_uri as string;
    expect(uri).toBe("/api/v1/image/tutum.co/alice/app/");
    expect((await call("PATCH", uri, { description: "mine" })).body.description).toBe("mine");
    expect((await call("PATCH", uri, { is_private_image: false })).status).toBe(400);
    expect((await call("POST", `${uri}tag/latest/build/`)).status).toBe(202);
    expect((await call("DELETE", uri)).status).toBe(204);
    expect((await call("GET", uri)).status).toBe(404);
  });

  it("tokens and events", async () => {
    const token = await call("POST", "token/");
    expect(token.status).toBe(201);
    expect(token.body.token).toMatch(/^[0-9a-f]{40}$/);
    expect((await call("POST", "token/", { token: "x" })).status).toBe(400);
    const events = server.events();
    expect(events.some((e) => e.type === "service" && e.action === "create")).toBe(true);
    expect(events.some((e) => e.type === "container" && e.state === "Terminated" && e.action === "delete")).toBe(true);
    const containerEvent = events.find((e) => e.type === "container")!;
    expect(containerEvent.parents.length).toBeGreaterThan(0);
  });

  it("stop() cancels pending transitions and leaves nothing listening", async () => {
    const other = await startServer({ transitionMs: 60_000 });
    const res = await fetch(`${other.url}service/`, {
      method: "POST",
      headers: { Authorization: other.authorization.apiKey, "Content-Type": "application/json" },
      body: JSON.stringify({ image: "tutum/redis" }),
    });
    const svc = (await res.json()) as Body;
    await fetch(`${other.restHost}${svc.resource_uri as string}start/`, {
      method: "POST",
      headers: { Authorization: other.authorization.apiKey },
    });
    const started = Date.now();
    await other.stop();
    await other.idle();
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(fetch(other.url)).rejects.toThrow();
  });
});
