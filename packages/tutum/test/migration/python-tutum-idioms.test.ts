// Idioms of public code written against python-tutum, ported line by line and run against the simulator.
// Each test names its source and asserts what the Python code relied on. The sources:
// - SvenDowideit/tutum-cli: tutumcli/commands.py and tutumcli/utils.py (a copy of Tutum's command-line
//   client, the largest body of python-tutum code);
// - tutumcloud/api-docs: source/includes/*.md (the Python examples of Tutum's API reference);
// - tutumcloud/python-tutum: tutum/__init__.py (the module object: settings, classes, exceptions).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import tutum, {
  NonUniqueIdentifier,
  ObjectNotFound,
  TutumApiError,
  TutumAuthError,
  type Service,
} from "../../src/index.js";
import { startServer, type TutumTestServer } from "../../src/testing/index.js";

let server: TutumTestServer;

beforeAll(async () => {
  server = await startServer({ transitionMs: 20 });
  // tutum/__init__.py: the module's settings, assigned as a script does (TUTUM_REST_HOST's attribute).
  tutum.rest_host = server.restHost;
  tutum.user = server.credentials.user;
  tutum.apikey = server.credentials.apikey;
});

afterAll(async () => {
  tutum.logout();
  await tutum.close();
  await server.stop();
});

const settle = () => server.idle();

describe("tutumcloud/python-tutum tutum/__init__.py: the module object", () => {
  it("carries the exceptions as `import tutum` does (tutum.TutumApiError ...)", () => {
    expect(tutum.TutumApiError).toBe(TutumApiError);
    expect(tutum.TutumAuthError).toBe(TutumAuthError);
    expect(tutum.ObjectNotFound).toBe(ObjectNotFound);
    expect(tutum.NonUniqueIdentifier).toBe(NonUniqueIdentifier);
    expect(new tutum.TutumAuthError("x")).toBeInstanceOf(tutum.TutumApiError);
  });

  it("derives base_url from rest_host, and stream_url is a string a script can join paths to", () => {
    expect(tutum.rest_host).toBe(server.restHost);
    expect(tutum.base_url).toBe(`${server.restHost}/api/v1/`);
    // commands.py (container exec): "/".join([tutum.stream_url.rstrip("/"), endpoint.lstrip("/")])
    expect(`${tutum.stream_url.replace(/\/+$/, "")}/container/x/exec/`).toMatch(
      /^ws:\/\/127\.0\.0\.1:\d+\/v1\/container/,
    );
  });
});

describe("SvenDowideit/tutum-cli tutumcli/commands.py", () => {
  let web: Service;

  it("authenticate(): a refused GET auth/ raises tutum.TutumAuthError, which the CLI catches", async () => {
    const error = await tutum.auth.authenticate("someone", "wrong").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(tutum.TutumAuthError);
    expect(tutum.auth.is_authenticated()).toBe(true); // the module's own credentials are kept
  });

  it("exec: headers from {'User-Agent': tutum.user_agent} updated with tutum.auth.get_auth_header()", () => {
    const header = { "User-Agent": tutum.user_agent ?? "", ...tutum.auth.get_auth_header() };
    expect(header.Authorization).toMatch(/^ApiKey /);
  });

  it("event: events = tutum.TutumEvents(); events.on_message(print); events.run_forever()", async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const events = new tutum.TutumEvents();
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    events.on_open(opened);
    events.on_message((e) => {
      seen.push(`${e.type} ${e.action} ${String(e.state)}`);
      if (e.type === "service" && e.action === "create") controller.abort(); // Ctrl-C in the CLI
    });
    let closed = false;
    events.on_close(() => (closed = true));
    const running = events.run_forever({ signal: controller.signal });
    await open;
    await tutum.Service.create({ image: "tutum/hello-world", name: "cli-evented" }).save();
    await running; // resolves when aborted, as the CLI's loop ends on KeyboardInterrupt
    expect(seen).toContain("service create Not running");
    expect(closed).toBe(true);
  });

  it("service_run: Service.create(image=, name=, ...), save(), start()", async () => {
    web = tutum.Service.create({ image: "tutum/hello-world", name: "cli-web", target_num_containers: 2 });
    expect(await web.save()).toBe(true);
    expect(await web.start()).toBe(true);
    await settle();
    await web.refresh();
    expect(web.state).toBe("Running");
  });

  it("service_ps: Service.list(state=status) and fetch_remote_service(identifier)", async () => {
    const running = await tutum.Service.list({ state: "Running" });
    expect(running.map((s) => s.name)).toContain("cli-web");
    const found = await tutum.Utils.fetchRemoteService("cli-web");
    expect(found.uuid).toBe(web.uuid);
  });

  it("container_ps: Container.list(service=service.resource_uri)", async () => {
    const containers = await tutum.Container.list({ service: web.resource_uri });
    expect(containers).toHaveLength(2);
  });

  it("service_redeploy: service.redeploy(not not_reuse_volume), the flag positional", async () => {
    expect(await web.redeploy(false)).toBe(true);
    expect(web.state).toBe("Redeploying");
    await settle();
  });

  it("service_ps: fetch_remote_stack(name, raise_exceptions=False) returns the exception to test with isinstance", async () => {
    const missing = await tutum.Utils.fetchRemoteStack("no-such-stack", { raiseExceptions: false });
    expect(missing).toBeInstanceOf(tutum.ObjectNotFound);
    await expect(tutum.Utils.fetchRemoteService("no-such-service")).rejects.toBeInstanceOf(ObjectNotFound);
  });

  it("trigger_create: Trigger.fetch(service); trigger.add(name, operation); trigger.save()", async () => {
    const trigger = await tutum.Trigger.fetch(web);
    // An object and a positional operation together would lose one of them: refused.
    expect(() => trigger.add({ name: "x" } as never, "SCALEUP")).toThrow(/inside the object/);
    trigger.add("cli-trigger", "REDEPLOY");
    expect(await trigger.save()).toBe(true);
  });

  it("trigger_list: the URL printed is tutum.rest_host + t.url[1:], a path the API answers", async () => {
    const triggers = await (await tutum.Trigger.fetch(web)).list();
    const t = triggers.find((x) => x.name === "cli-trigger")!;
    expect(t.url).toMatch(/^\/api\/v1\/service\/[0-9a-f-]+\/trigger\/[0-9a-f-]+\/call\/$/);
    const url = `${tutum.rest_host}/${String(t.url).slice(1)}`;
    const fired = await fetch(url, { method: "POST" }); // a trigger needs no credentials
    expect(fired.status).toBe(202);
    await settle();
  });

  it("trigger_rm: trigger.delete(uuid)", async () => {
    const trigger = await tutum.Trigger.fetch(web);
    const [t] = await trigger.list();
    expect(await trigger.delete(String(t!.uuid))).toBe(true);
    expect(await trigger.list()).toEqual([]);
  });

  it("image_list: Image.list(is_user_image=True), counting len(image.tags)", async () => {
    expect(await tutum.Image.list({ is_user_image: true })).toEqual([]);
    const image = tutum.Image.create({ name: "tutum.co/cli/app", username: "u", password: "p", description: "app" });
    expect(await image.save()).toBe(true); // image_register
    const mine = await tutum.Image.list({ is_user_image: true });
    expect(mine.map((i) => [i.name, i.tags?.length])).toEqual([["tutum.co/cli/app", 1]]);
    const all = await tutum.Image.list();
    expect(all.every((i) => Array.isArray(i.tags))).toBe(true);
  });

  it("image_update: Image.fetch(repository); image.description = ...; image.save()", async () => {
    const image = await tutum.Image.fetch("tutum.co/cli/app");
    image.description = "updated";
    expect(await image.save()).toBe(true);
    expect((await tutum.Image.fetch("tutum.co/cli/app")).description).toBe("updated");
  });

  it("image_rm / image_inspect: image.delete(), then Image.fetch raises ObjectNotFound", async () => {
    const image = await tutum.Image.fetch("tutum.co/cli/app");
    expect(await image.delete()).toBe(true);
    await expect(tutum.Image.fetch("tutum.co/cli/app")).rejects.toBeInstanceOf(tutum.ObjectNotFound);
  });

  it("service_terminate: service.delete()", async () => {
    expect(await web.delete()).toBe(true);
    await settle();
    await web.refresh();
    expect(web.state).toBe("Terminated");
  });
});

describe("SvenDowideit/tutum-cli tutumcli/utils.py load_stack_file and commands.py stack_*", () => {
  const stackfile = {
    db: { image: "tutum/mysql", environment: ["MYSQL_PASS=secret"], expose: [3306] },
    web: {
      image: "tutum/wordpress",
      links: ["db:mysql"],
      ports: ["80:80"],
      environment: { WP_TITLE: "blog" },
      target_num_containers: 2,
      restart: "always",
      tags: ["blog"],
    },
  };
  // load_stack_file: each service of the YAML mapping gets its key as "name".
  const services = (file: Record<string, Record<string, unknown>>) =>
    Object.entries(file).map(([name, spec]) => ({ ...spec, name }));

  it("stack_create: Stack.create(), name and services set, save() — the stackfile's keys as they are", async () => {
    const stack = tutum.Stack.create();
    stack.name = "cli-blog";
    stack.services = services(stackfile); // specs to write; the server answers URIs
    expect(await stack.save()).toBe(true);
    const web = await tutum.Utils.fetchRemoteService("cli-blog.web");
    expect(web.container_envvars).toEqual([{ key: "WP_TITLE", value: "blog" }]);
    expect(web.autorestart).toBe("ALWAYS");
    expect(web.linked_to_service?.map((l) => l.name)).toEqual(["mysql"]);
    expect(web.container_ports?.map((p) => [p.inner_port, p.outer_port, p.published])).toEqual([[80, 80, true]]);
  });

  it("stack_export then stack_create from the export: the stack comes back the same", async () => {
    const stack = await tutum.Utils.fetchRemoteStack("cli-blog");
    const exported = (await stack.export()) as Record<string, Record<string, unknown>>;
    expect(exported["web"]).toMatchObject({ links: ["db:mysql"], ports: ["80:80"], environment: ["WP_TITLE=blog"] });
    expect(exported["db"]).toMatchObject({ expose: ["3306"], environment: ["MYSQL_PASS=secret"] });
    const copy = tutum.Stack.create({ name: "cli-blog-copy", services: services(exported) });
    expect(await copy.save()).toBe(true);
    expect(await (await tutum.Utils.fetchRemoteStack("cli-blog-copy")).export()).toEqual(exported);
  });

  it("stack_update: fetch_remote_stack(identifier), services from the stackfile, save()", async () => {
    const stack = await tutum.Utils.fetchRemoteStack("cli-blog");
    stack.services = services({ ...stackfile, web: { ...stackfile.web, target_num_containers: 3 } });
    expect(await stack.save()).toBe(true);
    expect((await tutum.Utils.fetchRemoteService("cli-blog.web")).target_num_containers).toBe(3);
  });

  it("stack_up: save(), then start()", async () => {
    const stack = tutum.Stack.create({
      name: "cli-up",
      services: services({ one: { image: "tutum/redis" } }),
    });
    await stack.save();
    expect(await stack.start()).toBe(true);
    await settle();
    await stack.refresh();
    expect(stack.state).toBe("Running");
  });

  it("a stackfile's bad value is refused with Tutum's 400, as TutumApiError", async () => {
    const bad = tutum.Stack.create({
      name: "cli-bad",
      services: [{ name: "x", image: "tutum/redis", ports: ["eighty"] }],
    });
    await expect(bad.save()).rejects.toBeInstanceOf(tutum.TutumApiError);
  });
});

describe("tutumcloud/api-docs source/includes (the Python examples)", () => {
  it("nodecluster.md: Region.fetch('digitalocean/lon1'), NodeType.fetch('digitalocean/1gb'), NodeCluster.create(...).save()", async () => {
    const region = await tutum.Region.fetch("digitalocean/lon1");
    const nodeType = await tutum.NodeType.fetch("digitalocean/1gb");
    const cluster = tutum.NodeCluster.create({ name: "my_cluster", node_type: nodeType, region, disk: 60 });
    expect(await cluster.save()).toBe(true);
    expect(cluster.state).toBe("Init");
    expect(await cluster.deploy()).toBe(true);
  });

  it("provider.md / availabilityzone.md: Provider.fetch('digitalocean'), AZ.fetch('aws/us-east-1/us-east-1a')", async () => {
    expect((await tutum.Provider.fetch("digitalocean")).name).toBe("digitalocean");
    expect((await tutum.AZ.fetch("aws/us-east-1/us-east-1a")).name).toBe("us-east-1a");
  });

  it("service.md: service.target_num_containers = 3; service.save(); service.scale()", async () => {
    const service = tutum.Service.create({ image: "tutum/hello-world", name: "docs-app", target_num_containers: 2 });
    await service.save();
    await service.start();
    await settle();
    const fetched = await tutum.Service.fetch(String(service.uuid));
    fetched.target_num_containers = 3;
    expect(await fetched.save()).toBe(true);
    expect(await fetched.scale()).toBe(true);
    await settle();
    await fetched.refresh();
    expect(fetched.running_num_containers).toBe(3);
  });

  it("stack.md: Stack.create(name=..., services=[{name, image, target_num_containers}]).save()", async () => {
    const stack = tutum.Stack.create({
      name: "my-new-stack",
      services: [{ name: "hello-word", image: "tutum/hello-world", target_num_containers: 2 }],
    });
    expect(await stack.save()).toBe(true);
    expect(stack.state).toBe("Not Running");
  });

  it("action.md: Action.list(), Action.fetch(uuid)", async () => {
    const actions = await tutum.Action.list();
    expect(actions.length).toBeGreaterThan(0);
    const action = await tutum.Action.fetch(String(actions[0]!.uuid));
    expect(action.uuid).toBe(actions[0]!.uuid);
  });

  it("triggers.md: trigger = Trigger.fetch(service); trigger.list() gives url as a path", async () => {
    const service = await tutum.Utils.fetchRemoteService("docs-app");
    const trigger = await tutum.Trigger.fetch(service);
    trigger.add({ name: "docker_trigger", operation: "REDEPLOY" });
    await trigger.save();
    const [t] = await trigger.list();
    expect(String(t!.url).startsWith(`${String(service.resource_uri)}trigger/`)).toBe(true);
  });
});
