// python-tutum's seed doctest session (applications and containers) with @nimbus-sdk/tutum, against
// the Tutum API simulator started here; then what the SDK adds (waitFor, for await, events) and the
// typed errors of bad input.
import tutum, { Tutum } from "@nimbus-sdk/tutum";
import { startServer } from "@nimbus-sdk/tutum/testing";

export const name = "tutum";
export const title = "@nimbus-sdk/tutum: python-tutum's doctest session on the Tutum API simulator";

const q = (value) => JSON.stringify(value);

export async function run({ step, show, failure }) {
  step("starting the Tutum API simulator on 127.0.0.1 (transitions take 300 ms, as a slow Tutum would)");
  const server = await startServer({ transitionMs: 300 });
  show(`API ${server.url}, account ${server.credentials.user}`);
  const progress = (resource, ms) => show(`  ${String(Math.round(ms)).padStart(4)} ms  ${resource.state}`);
  try {
    step('import tutum from "@nimbus-sdk/tutum"; tutum.user = ...; tutum.apikey = ...; tutum.base_url = ...');
    tutum.user = server.credentials.user;
    tutum.apikey = server.credentials.apikey;
    tutum.base_url = server.url;
    show(`credentials: ${tutum.credentials().description}, header scheme ${tutum.authScheme}`);

    step(
      'const app = tutum.Application.create({ image: "tutum/hello-world", name: "my-new-app", target_num_containers: 2 })',
    );
    const app = tutum.Application.create({ image: "tutum/hello-world", name: "my-new-app", target_num_containers: 2 });
    show(`a local object, nothing sent yet: isDirty ${app.isDirty}, changed ${q(app.changedFields())}`);

    step("await app.save()");
    show(q(await app.save()));
    step("app.state");
    show(q(app.state));
    show(`(Tutum answered 202 and started Action ${app.tutum_action_uri})`);

    step("await app.refresh(); app.state   (once the deployment has settled)");
    await server.idle();
    show(q(await app.refresh()));
    show(q(app.state));

    step('(await tutum.Application.list({ name: "my-new-app" }))[0].uuid');
    show(q((await tutum.Application.list({ name: "my-new-app" }))[0].uuid));

    step("const same = await tutum.Application.fetch(app.uuid)");
    const same = await tutum.Application.fetch(app.uuid);
    show(`${same.name}: ${same.state}, ${same.current_num_containers} containers`);

    step("same.target_num_containers = 3; await same.save(); same.state");
    same.target_num_containers = 3;
    show(`PATCH body: only the changed fields, ${q(same.changedFields())}`);
    show(q(await same.save()));
    show(q(same.state));
    step('await tutum.waitFor(same, "Running", { onProgress })   (beyond python-tutum)');
    await tutum.waitFor(same, "Running", { interval: 100, onProgress: progress });
    show(`${same.current_num_containers} containers`);

    step("await same.stop()");
    show(`${q(await same.stop())}, state ${q(same.state)}`);
    await tutum.waitFor(same, "Stopped", { interval: 100, onProgress: progress });

    step("await same.start()");
    show(`${q(await same.start())}, state ${q(same.state)}`);
    await tutum.waitFor(same, "Running", { interval: 100, onProgress: progress });

    step("await same.logs()");
    const logs = await same.logs();
    for (const line of logs.trimEnd().split("\n").slice(0, 4)) show(line);
    show(`(${logs.length} characters in all)`);

    // The containers go first: a terminated application's containers are terminated with it.
    step('const containers = await tutum.Container.list({ application__name: "my-new-app" })');
    const containers = await tutum.Container.list({ application__name: "my-new-app" });
    for (const c of containers) show(`${c.uuid}  name ${q(c.name)}  unique_name ${q(c.unique_name)}  ${c.state}`);

    step("const c = await tutum.Container.fetch(containers[0].uuid); c.name");
    const c = await tutum.Container.fetch(containers[0].uuid);
    show(q(c.name));
    show(`(2014 payloads name a container after its application; the number is in c.unique_name: ${q(c.unique_name)})`);

    step("await c.stop(); await c.refresh(); c.state   (once stopped)");
    show(q(await c.stop()));
    await server.idle();
    show(q(await c.refresh()));
    show(q(c.state));

    step("await same.delete(); same.state");
    show(q(await same.delete()));
    show(q(same.state));
    await tutum.waitFor(same, "Terminated", { interval: 100, onProgress: progress });
    show(`then ${q(same.state)}`);

    step("beyond python-tutum: for await over a paged list (30 services, pages of 10)");
    for (let i = 1; i <= 30; i++) await tutum.Service.create({ image: "tutum/hello-world", name: `web-${i}` }).save();
    let count = 0;
    for await (const page of tutum.Service.list({ name__startswith: "web-" }, { pageSize: 10 }).pages()) {
      count += page.length;
      show(`a page of ${page.length}: ${page[0].name} … ${page.at(-1).name} (${count} so far)`);
    }

    step("beyond python-tutum: tutum.events() while a service starts (the stream API, as an async iterable)");
    const controller = new AbortController();
    const service = (await tutum.Service.list({ name: "web-1" }))[0];
    let opened;
    const open = new Promise((resolve) => (opened = resolve));
    const seen = (async () => {
      for await (const event of tutum.events({ signal: controller.signal, onOpen: opened })) {
        if (event.resource_uri !== service.resource_uri) continue;
        show(`${event.type} ${event.action}: ${event.state}`);
        if (event.state === "Running") controller.abort();
      }
    })().catch((error) => {
      if (error.name !== "AbortError") throw error;
    });
    await open;
    await service.start();
    await seen;

    step("beyond python-tutum: a second account at once, with a client object");
    const other = await startServer({ user: "someoneelse", transitionMs: 50 });
    const second = new Tutum({ ...other.credentials, base_url: other.url });
    await second.Application.create({ image: "tutum/hello-world", name: "elsewhere" }).save();
    show(`tutum:  ${q((await tutum.Application.list()).map((a) => a.name))}`);
    show(`second: ${q((await second.Application.list()).map((a) => a.name))}`);
    await second.close();
    await other.stop();

    step("bad input: each is a typed error naming the problem");
    const running = (await tutum.Service.list({ name: "web-1" }))[0];
    show(`start() when Running      -> ${await failure(running.start())}`);
    show(`an unknown field          -> ${await failure((async () => (running.target_num_container = 2))())}`);
    show(`a server-only field       -> ${await failure((async () => (running.state = "Stopped"))())}`);
    show(
      `fetch of an unknown uuid  -> ${await failure(tutum.Application.fetch("00000000-0000-4000-8000-000000000000"))}`,
    );
    const region = (await tutum.Region.list())[0];
    show(`save() of a Region        -> ${await failure(region.save())}`);
    const wrongKey = new Tutum({ user: server.credentials.user, apikey: "wrong", base_url: server.url });
    show(`a wrong API key           -> ${await failure(wrongKey.Provider.list())}`);
    const nobody = new Tutum({ base_url: server.url, env: {}, configPath: "/nonexistent/.tutum" });
    show(`no credentials anywhere   -> ${await failure(nobody.Provider.list())}`);
    const down = new Tutum({ ...server.credentials, base_url: "http://127.0.0.1:9/api/v1/", retry: { limit: 0 } });
    show(`a server that is down     -> ${await failure(down.Provider.list())}`);
    await Promise.all([wrongKey.close(), nobody.close(), down.close()]);
  } finally {
    await tutum.close();
    await server.stop();
  }
}
