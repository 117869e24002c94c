// The service era against the simulator: services and their actions, stacks, node clusters, nodes,
// the read-only catalogue, actions, triggers, tags, Utils lookups, pagination past 25 objects, the
// stream API (events, log streams) and waitFor.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { AbortError, TimeoutError } from "@nimbus-sdk/common";
import {
  NonUniqueIdentifier,
  ObjectNotFound,
  ReadOnlyResource,
  Tag,
  Trigger,
  Tutum,
  TutumAuthError,
  UnexpectedState,
  type EventMessage,
  type Service,
} from "../src/index.js";
import { startServer, type TutumTestServer } from "../src/testing/index.js";

let server: TutumTestServer;
let tutum: Tutum;

beforeAll(async () => {
  server = await startServer({ transitionMs: 100 });
  tutum = new Tutum({
    user: server.credentials.user,
    apikey: server.credentials.apikey,
    base_url: server.url,
    env: {},
    configPath: "/nonexistent/.tutum",
  });
});
afterAll(async () => {
  await tutum.close();
  await server.stop();
});

describe("services", () => {
  let web: Service;

  it("create() + save(): Not running; start(); scale after a PATCH of the target; redeploy; stop", async () => {
    web = tutum.Service.create({ image: "tutum/hello-world", name: "web", target_num_containers: 1 });
    await web.save();
    expect(web.state).toBe("Not running");
    await web.start();
    expect(web.state).toBe("Starting");
    await tutum.waitFor(web, "Running", { interval: 30, timeout: 5000 });
    web.target_num_containers = 2;
    await web.save();
    await tutum.waitFor(web, "Running", { interval: 30, timeout: 5000 });
    expect(web.current_num_containers).toBe(2);
    await web.redeploy();
    expect(web.state).toBe("Redeploying");
    await tutum.waitFor(web, "Running", { interval: 30, timeout: 5000 });
    // Redeploying replaces the containers; the old ones stay listed as Terminated.
    const containers = await tutum.Container.list({ service: web, state: "Running" });
    expect(containers.map((c) => c.name).sort()).toEqual(["web-1", "web-2"]);
  });

  it("Utils finds a service by uuid, uuid prefix and name; unknown and ambiguous identifiers are typed errors", async () => {
    expect((await tutum.Utils.fetchRemoteService(web.uuid)).uuid).toBe(web.uuid);
    expect((await tutum.Utils.fetchRemoteService(web.uuid.slice(0, 8))).uuid).toBe(web.uuid);
    expect((await tutum.Utils.fetchRemoteService("web")).uuid).toBe(web.uuid);
    await expect(tutum.Utils.fetchRemoteService("nothing-like-it")).rejects.toThrow(
      new ObjectNotFound("Cannot find a service with the identifier 'nothing-like-it'"),
    );
    await expect(tutum.Utils.fetchRemoteService("00000000-0000-4000-8000-000000000000")).rejects.toBeInstanceOf(
      ObjectNotFound,
    );
    const twin = tutum.Service.create({ image: "tutum/hello-world", name: "web" });
    await twin.save();
    const ambiguous = await tutum.Utils.fetchRemoteService("web", { raiseExceptions: false });
    expect(ambiguous).toBeInstanceOf(NonUniqueIdentifier);
    expect((ambiguous as NonUniqueIdentifier).matches).toHaveLength(2);
    await twin.delete();
    const byUri = await tutum.Utils.fetchByResourceUri(web.resource_uri);
    expect(byUri).toBeInstanceOf(tutum.Service);
    const [running] = await tutum.Container.list({ service: web, state: "Running" });
    expect((await tutum.Utils.fetchRemoteContainer(running!.uuid.slice(0, 13))).service).toBe(web.resource_uri);
    // The containers a redeploy replaced keep their names: a name is then ambiguous, as in python-tutum.
    await expect(tutum.Utils.fetchRemoteContainer("web-1")).rejects.toBeInstanceOf(NonUniqueIdentifier);
  });

  it("triggers: add + save, list, call (no credentials needed), delete", async () => {
    const trigger = await Trigger.fetch(web);
    trigger.add({ name: "redeploy-me", operation: "REDEPLOY" });
    await trigger.save();
    const [made] = await trigger.list();
    expect(made).toEqual(expect.objectContaining({ name: "redeploy-me", operation: "REDEPLOY" }));
    await expect(trigger.call(made!.uuid)).resolves.toBe(true);
    await tutum.waitFor(web, "Running", { interval: 30, timeout: 5000 });
    await expect(trigger.delete(made!.uuid)).resolves.toBe(true);
    expect(await trigger.list()).toEqual([]);
  });

  it("tags: add, remove, save as one PATCH of the tags list", async () => {
    const tag = await Tag.fetch(web);
    tag.add(["blue", "green"]);
    expect(web.changedFields()).toEqual(["tags"]);
    await tag.save();
    expect((await tutum.Service.fetch(web.uuid)).tags?.map((t) => t.name)).toEqual(["blue", "green"]);
    await tag.delete("blue");
    expect(tag.list().map((t) => t.name)).toEqual(["green"]);
  });

  it("stop(), then delete(): Terminated", async () => {
    await web.stop();
    await tutum.waitFor(web, "Stopped", { interval: 30, timeout: 5000 });
    await web.delete();
    await tutum.waitFor(web, "Terminated", { interval: 30, timeout: 5000 });
  });
});

describe("stacks, node clusters, nodes, the catalogue, actions", () => {
  it("a stack of two services: start, export, stop", async () => {
    const stack = tutum.Stack.create({
      name: "shop",
      services: [
        { name: "front", image: "tutum/hello-world" },
        { name: "back", image: "tutum/redis" },
      ] as never,
    });
    await stack.save();
    await stack.start();
    await tutum.waitFor(stack, "Running", { interval: 30, timeout: 5000 });
    const exported = await stack.export();
    expect(Object.keys(exported).sort()).toEqual(["back", "front"]);
    expect((await tutum.Utils.fetchRemoteService("shop.front")).name).toBe("front");
    await stack.stop();
    await tutum.waitFor(stack, "Stopped", { interval: 30, timeout: 5000 });
  });

  it("a node cluster from the catalogue's objects: deploy, nodes, read-only catalogue", async () => {
    const [provider] = await tutum.Provider.list();
    expect(provider).toBeDefined();
    const region = await tutum.Region.fetch("lon1");
    const nodeType = await tutum.NodeType.fetch("1gb");
    expect(nodeType.provider).toBe(provider!.resource_uri);
    const cluster = tutum.NodeCluster.create({ name: "edge", node_type: nodeType, region, target_num_nodes: 1 });
    expect(cluster.region).toBe(region.resource_uri);
    await cluster.save();
    expect(cluster.state).toBe("Init");
    await cluster.deploy();
    await tutum.waitFor(cluster, "Deployed", { interval: 30, timeout: 5000 });
    const nodes = await tutum.Node.list({ node_cluster: cluster });
    expect(nodes).toHaveLength(1);
    const node = nodes[0]!;
    node.nickname = "edge-1";
    await node.save();
    expect((await tutum.Node.fetch(node.uuid)).nickname).toBe("edge-1");
    await expect(region.save()).rejects.toBeInstanceOf(ReadOnlyResource);
  });

  it("every write records an Action whose URI comes back in tutum_action_uri", async () => {
    const app = tutum.Application.create({ image: "tutum/hello-world", name: "audit" });
    await app.save();
    const action = await tutum.Utils.fetchByResourceUri(app.tutum_action_uri);
    expect(action).toBeInstanceOf(tutum.Action);
    const done = await tutum.waitFor(action as InstanceType<typeof tutum.Action>, "Success", {
      interval: 30,
      timeout: 5000,
    });
    expect(done.state).toBe("Success");
    const recent = await tutum.Action.list({ state: "Success" });
    expect(recent.some((a) => a.uuid === done.uuid)).toBe(true);
  });
});

describe("seed-era images and registries", () => {
  it("an Image is keyed by its name, slashes included: create, fetch, change, delete (204)", async () => {
    const [registry] = await tutum.Registry.list();
    expect(registry!.host).toBeTruthy();
    expect((await tutum.Registry.fetch(registry!.host)).name).toBe(registry!.name);
    const image = tutum.Image.create({ name: `${registry!.host}/tutumuser/app`, description: "mine" });
    await image.save();
    const fetched = await tutum.Image.fetch(`${registry!.host}/tutumuser/app`);
    expect(fetched.description).toBe("mine");
    fetched.description = "still mine";
    await fetched.save();
    expect((await tutum.Image.fetch(fetched.name)).description).toBe("still mine");
    await expect(fetched.delete()).resolves.toBe(true);
    await expect(tutum.Image.fetch(fetched.name)).rejects.toBeInstanceOf(ObjectNotFound);
  });
});

describe("pagination", () => {
  it("lists more than 25 objects by following the pages; for await gets them page by page", async () => {
    for (let i = 0; i < 30; i++) await tutum.Service.create({ image: "tutum/hello-world", name: `bulk-${i}` }).save();
    const all = await tutum.Service.list({ name__startswith: "bulk-" });
    expect(all).toHaveLength(30);
    expect(new Set(all.map((s) => s.uuid)).size).toBe(30);
    const pages: number[] = [];
    for await (const page of tutum.Service.list({ name__startswith: "bulk-" }, { pageSize: 10 }).pages()) {
      pages.push(page.length);
    }
    expect(pages).toEqual([10, 10, 10]);
    let seen = 0;
    for await (const service of tutum.Service.list({ name__startswith: "bulk-" })) {
      expect(service.name).toMatch(/^bulk-/);
      seen++;
    }
    expect(seen).toBe(30);
    expect(await tutum.Service.list({ name__startswith: "bulk-" }, { limit: 27 })).toHaveLength(27);
  });
});

describe("waitFor", () => {
  it("reports progress, stops on abort, times out, and fails when the object settles elsewhere", async () => {
    const app = tutum.Application.create({ image: "tutum/hello-world", name: "waiter" });
    await app.save();
    const seen: string[] = [];
    await tutum.waitFor(app, "Running", { interval: 20, onProgress: (a) => seen.push(a.state!) });
    expect(seen.at(-1)).toBe("Running");

    await expect(tutum.waitFor(app, "Stopped", { interval: 20 })).rejects.toBeInstanceOf(UnexpectedState);
    await app.stop();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await expect(
      tutum.waitFor(app, (a) => a.state === "Partly running", { interval: 10, signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortError);
    await expect(
      tutum.waitFor(app, (a) => a.state === "Partly running", { interval: 10, timeout: 100 }),
    ).rejects.toBeInstanceOf(TimeoutError);
  });
});

describe("the stream API", () => {
  it("events() yields the account's changes as they happen, until aborted", async () => {
    const controller = new AbortController();
    const events: EventMessage[] = [];
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const reading = (async () => {
      for await (const event of tutum.events({ signal: controller.signal, onOpen: opened })) {
        events.push(event);
        if (event.type === "service" && event.state === "Running") controller.abort();
      }
    })();
    await open;
    const svc = tutum.Service.create({ image: "tutum/hello-world", name: "evented" });
    await svc.save();
    await svc.start();
    await expect(reading).rejects.toBeInstanceOf(AbortError);
    const states = events.filter((e) => e.resource_uri === svc.resource_uri).map((e) => e.state);
    expect(states).toEqual(expect.arrayContaining(["Not running", "Starting", "Running"]));
  });

  it("logStream() yields a service's log lines; follow: false ends after the tail", async () => {
    const svc = (await tutum.Service.list({ name: "evented" }))[0]!;
    await tutum.waitFor(svc, "Running", { interval: 20, timeout: 5000 });
    const lines = [];
    for await (const line of svc.logStream({ follow: false, tail: 5 })) lines.push(line);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(5);
    expect(lines[0]).toEqual(expect.objectContaining({ type: "log", streamType: "stdout" }));
  });

  it("refused credentials on a stream are a TutumAuthError", async () => {
    const wrong = new Tutum({ user: "tutumuser", apikey: "wrong", base_url: server.url, env: {}, configPath: "/none" });
    const reading = (async () => {
      for await (const event of wrong.events({ reconnect: false })) void event;
    })();
    await expect(reading).rejects.toBeInstanceOf(TutumAuthError);
    await wrong.close();
  });
});
