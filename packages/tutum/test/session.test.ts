// The seed's doctest session (python-tutum 0.7's README: applications and containers), step by step
// against the simulator, with the states Tutum answered at each step. Transitions take
// `transitionMs`; `waitFor` waits them out where the real service would have made a script wait too.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Tutum, TutumBadRequest, waitFor, type Application } from "../src/index.js";
import { startServer, type TutumTestServer } from "../src/testing/index.js";

let server: TutumTestServer;
let tutum: Tutum;
const debugLines: string[] = [];
const logger = { debug: (m: string) => debugLines.push(m), info() {}, warn() {}, error() {} };

beforeAll(async () => {
  server = await startServer({ transitionMs: 150 });
  // As the seed: module attributes assigned in code (a client object here, so tests stay independent).
  tutum = new Tutum({ env: {}, configPath: "/nonexistent/.tutum", logger });
  tutum.user = server.credentials.user;
  tutum.apikey = server.credentials.apikey;
  tutum.base_url = server.url;
});
afterAll(async () => {
  await tutum.close();
  await server.stop();
});

describe("the seed's doctest session", () => {
  let app: Application;
  let same: Application;

  it("Application.create(...) builds a local object; save() creates and deploys it: Starting, then Running", async () => {
    app = tutum.Application.create({ image: "tutum/hello-world", name: "my-new-app", target_num_containers: 2 });
    expect(app.state).toBeUndefined();
    await expect(app.save()).resolves.toBe(true);
    expect(app.state).toBe("Starting");
    expect(app.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(app.tutum_action_uri).toMatch(/^\/api\/v1\/action\/[0-9a-f-]{36}\/$/);
    await server.idle();
    await expect(app.refresh()).resolves.toBe(true);
    expect(app.state).toBe("Running");
    expect(app.current_num_containers).toBe(2);
  });

  it("Application.list({ name }) finds it; Application.fetch(uuid) loads it", async () => {
    const listed = await tutum.Application.list({ name: "my-new-app" });
    expect(listed.map((a) => a.uuid)).toEqual([app.uuid]);
    same = await tutum.Application.fetch(app.uuid);
    expect(same.name).toBe("my-new-app");
    expect(same.state).toBe("Running");
  });

  it("target_num_containers = 3; save() PATCHes only that field: Scaling, then Running with 3 containers", async () => {
    same.target_num_containers = 3;
    expect(same.changedFields()).toEqual(["target_num_containers"]);
    tutum.debug = true;
    await expect(same.save()).resolves.toBe(true);
    tutum.debug = false;
    const sent = debugLines.filter((line) => line.startsWith("-> PATCH"));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain(`/api/v1/application/${same.uuid}/`);
    expect(sent[0]).toMatch(/ body \{"target_num_containers":3\}$/);
    // The debug log never shows the credentials.
    expect(debugLines.join("\n")).not.toContain(server.credentials.apikey);
    expect(same.state).toBe("Scaling");
    await waitFor(same, "Running", { interval: 50, timeout: 5000 });
    expect(same.current_num_containers).toBe(3);
  });

  it("stop(): Stopping, then Stopped; start(): Starting, then Running", async () => {
    await expect(same.stop()).resolves.toBe(true);
    expect(same.state).toBe("Stopping");
    await waitFor(same, "Stopped", { interval: 50, timeout: 5000 });
    await expect(same.start()).resolves.toBe(true);
    expect(same.state).toBe("Starting");
    await waitFor(same, "Running", { interval: 50, timeout: 5000 });
  });

  it("logs() returns the containers' log as one string", async () => {
    const logs = await same.logs();
    expect(typeof logs).toBe("string");
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toContain("my-new-app-1");
  });

  it("Container.list({ application__name }) and Container.fetch(containers[0].uuid): my-new-app-1; stop(), refresh(): Stopped", async () => {
    const containers = await tutum.Container.list({ application__name: "my-new-app" });
    // 2014 payloads name a container after its application and number its unique_name
    // (specs/tutum/examples/03_container_list_2014.json): the seed's "my-new-app-1" is the unique_name.
    expect(containers.map((c) => c.unique_name)).toEqual(["my-new-app-1", "my-new-app-2", "my-new-app-3"]);
    expect(containers.map((c) => c.name)).toEqual(["my-new-app", "my-new-app", "my-new-app"]);
    const c = await tutum.Container.fetch(containers[0]!.uuid);
    expect(c.unique_name).toBe("my-new-app-1");
    expect(c.application).toBe(same.resource_uri);
    expect(c.state).toBe("Running");
    await expect(c.stop()).resolves.toBe(true);
    expect(c.state).toBe("Stopping");
    await server.idle();
    await expect(c.refresh()).resolves.toBe(true);
    expect(c.state).toBe("Stopped");
    await expect(c.start()).resolves.toBe(true);
    await waitFor(c, "Running", { interval: 50, timeout: 5000 });
    expect((await c.logs()).length).toBeGreaterThan(0);
  });

  it("a container's web_public_dns can be changed (the 2014 README's container.save())", async () => {
    const [c] = await tutum.Container.list({ application__name: "my-new-app" }, { limit: 1 });
    c!.web_public_dns = "my-web-app.example.com";
    await expect(c!.save()).resolves.toBe(true);
    expect((await tutum.Container.fetch(c!.uuid)).web_public_dns).toBe("my-web-app.example.com");
  });

  it("an action in the wrong state is a TutumBadRequest with the server's reason", async () => {
    await same.refresh();
    const err = await same.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TutumBadRequest);
    expect((err as Error).message).toContain("not in a suitable state (Running)");
  });

  it("delete(): Terminating, then Terminated", async () => {
    await expect(same.delete()).resolves.toBe(true);
    expect(same.state).toBe("Terminating");
    await waitFor(same, "Terminated", { interval: 50, timeout: 5000 });
    expect(same.state).toBe("Terminated");
  });
});
