// The oned simulator through the SDK's own client (OneServer): every method family it implements,
// oned's failures (authentication, authorization, unknown ids, wrong states, bad templates), the
// XML-RPC faults, LCM transitions over time, template quoting, and pool paging.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ParseError } from "@nimbus-sdk/common";
import {
  OneActionException,
  OneAllocateException,
  OneApiException,
  OneAuthenticationException,
  OneAuthorizationException,
  OneInternalException,
  OneNoExistsException,
  OneServer,
  XmlRpcFault,
} from "../src/index.js";
import { startServer, type OneTestServer } from "../src/testing/index.js";

type Doc = Record<string, unknown>;

let server: OneTestServer;
let one: OneServer;
let user: OneServer;

beforeAll(async () => {
  server = await startServer({ transitionMs: 10, user: { name: "walter", password: "s3cret" } });
  one = new OneServer(server.endpoint, { session: server.session });
  user = new OneServer(server.endpoint, { session: server.users["walter"]! });
});

afterAll(async () => {
  await one?.close();
  await user?.close();
  await server?.close();
  expect(server.errors()).toEqual([]);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls vm.info until `done` holds (no timing is asserted: only the states seen on the way). */
async function until(id: number, done: (vm: Doc) => boolean, client = one): Promise<Doc[]> {
  const seen: Doc[] = [];
  for (let i = 0; i < 400; i++) {
    const vm = (await client.vm.info(id)) as unknown as Doc;
    seen.push(vm);
    if (done(vm)) return seen;
    await sleep(5);
  }
  throw new Error(`VM ${id} never reached the state wanted; last ${JSON.stringify(seen.at(-1)?.["LCM_STATE"])}`);
}

const states = (vm: Doc) => `${String(vm["STATE"])}/${String(vm["LCM_STATE"])}`;
const running = (vm: Doc) => states(vm) === "3/3";

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("startServer", () => {
  it("listens on 127.0.0.1 /RPC2 with oneadmin's and the normal user's sessions", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/RPC2$/);
    expect(server.endpoint).toBe(server.url);
    expect(server.session).toMatch(/^oneadmin:/);
    expect(Object.keys(server.users).sort()).toEqual(["oneadmin", "walter"]);
    expect(server.users["walter"]).toBe("walter:s3cret");
  });

  it("closes at the end of an `await using` block, and close() again does nothing", async () => {
    let closed: OneTestServer;
    {
      await using other = await startServer();
      closed = other;
    }
    await closed.close();
    await expect(fetch(closed.url, { method: "POST", body: "" })).rejects.toThrow();
  });

  it("answers only POST on /RPC2", async () => {
    expect((await fetch(server.url.replace("/RPC2", "/other"), { method: "POST" })).status).toBe(404);
    expect((await fetch(server.url)).status).toBe(405);
  });

  it("spoils the next answer on request: truncated, or a proxy's HTML page (ParseErrors naming the method)", async () => {
    server.breakNextAnswer("truncated");
    const truncated = await caught(one.hostpool.info());
    expect(truncated).toBeInstanceOf(ParseError);
    expect(truncated.message).toMatch(/^one\.hostpool\.info .*truncated/);
    server.breakNextAnswer("html");
    const html = await caught(one.hostpool.info());
    expect(html).toBeInstanceOf(ParseError);
    expect(html.message).toMatch(/^one\.hostpool\.info .*not an XML-RPC methodResponse/);
    expect((await one.hostpool.info()).HOST.length).toBeGreaterThan(0);
  });

  it("answers a body that is not XML-RPC with fault -503", async () => {
    const text = await (await fetch(server.url, { method: "POST", body: "<nope/>" })).text();
    expect(text).toContain("<int>-503</int>");
  });
});

describe("the default world", () => {
  it("has hosts with a TEMPLATE dictionary, datastores, a network, templates and a marketplace app", async () => {
    const hosts = await one.hostpool.info();
    expect(hosts.HOST.map((h) => h.NAME)).toEqual(["node01", "node02"]);
    expect(hosts.HOST[0]!.TEMPLATE["ARCH"]).toBe("x86_64");
    const datastores = await one.datastorepool.info();
    expect(datastores.DATASTORE.map((d) => d.NAME)).toEqual(["system", "default", "files"]);
    expect((await one.vnpool.info(-2, -1, -1)).VNET[0]!.NAME).toBe("private");
    expect((await one.templatepool.info(-1, -1, -1)).VMTEMPLATE.map((t) => t.ID)).toEqual([0, 1]);
    expect((await one.marketapppool.info(-2, -1, -1)).MARKETPLACEAPP[0]!.STATE).toBe(1);
    expect((await one.userpool.info()).USER.map((u) => u.NAME)).toEqual(["oneadmin", "serveradmin", "walter"]);
    expect((await one.grouppool.info()).GROUP.map((g) => g.NAME)).toEqual(["oneadmin", "users"]);
    expect((await one.clusterpool.info()).CLUSTER[0]!.HOSTS?.ID).toEqual([0, 1]);
    expect((await one.marketpool.info()).MARKETPLACE[0]!.NAME).toBe("OpenNebula Public");
    expect(await one.system.version()).toBe("7.0.2");
  });
});

describe("the common verbs of every pool", () => {
  it("allocate, info, update (replace and merge), rename, chmod, chown, lock, unlock and delete a template", async () => {
    const id = await one.template.allocate({ NAME: "web", CPU: "1", MEMORY: "128" });
    let t = await one.template.info(id);
    expect(t.NAME).toBe("web");
    expect(t.TEMPLATE["MEMORY"]).toBe("128");
    await one.template.update(id, { MEMORY: "256", LABEL: "x" }, 1);
    t = await one.template.info(id);
    expect([t.TEMPLATE["CPU"], t.TEMPLATE["MEMORY"], t.TEMPLATE["LABEL"]]).toEqual(["1", "256", "x"]);
    await one.template.update(id, { ONLY: "this" }, 0);
    t = await one.template.info(id);
    expect(Object.keys(t.TEMPLATE)).toEqual(["ONLY"]);
    await one.template.rename(id, "web2");
    await one.template.chmod(id, -1, -1, -1, 1, 1, -1, 1, -1, -1);
    await one.template.chown(id, 2, 1);
    t = await one.template.info(id);
    expect([t.NAME, t.UNAME, t.GNAME, t.PERMISSIONS?.GROUP_M, t.PERMISSIONS?.OTHER_U]).toEqual([
      "web2",
      "walter",
      "users",
      1,
      1,
    ]);
    await one.template.lock(id, 1, false);
    expect((await one.template.info(id)).LOCK?.LOCKED).toBe(1);
    await one.template.unlock(id);
    expect((await one.template.info(id)).LOCK).toBeUndefined();
    await one.template.delete(id);
    await expect(one.template.info(id)).rejects.toBeInstanceOf(OneNoExistsException);
  });

  it("allocates, changes and deletes a host, an image, a network, a datastore, a cluster, a marketplace and an app", async () => {
    const host = await one.host.allocate("localhost", "kvm", "kvm", 0);
    // INIT until its first monitoring, then MONITORED.
    while ((await one.host.info(host)).STATE !== 2) await sleep(5);
    const h = await one.host.info(host);
    h.TEMPLATE["NOTES"] = "Just updated";
    await one.host.update(host, h.TEMPLATE, 1);
    expect((await one.host.info(host)).TEMPLATE["NOTES"]).toBe("Just updated");
    await one.host.rename(host, "localhost2");
    await one.host.status(host, 1);
    expect((await one.host.info(host)).STATE).toBe(4);

    const image = await one.image.allocate({ NAME: "blank", TYPE: "DATABLOCK", SIZE: "64" }, 1);
    await one.image.chmod(image, -1, -1, -1, 1, -1, -1, -1, -1, -1);
    await one.image.rename(image, "blank2");

    const vn = await one.vn.allocate('NAME="net2"\nVN_MAD="dummy"\nAR=[TYPE="ETHER",SIZE="4"]', -1);
    await one.vn.update(vn, { DESCRIPTION: "spare" }, 1);
    expect((await one.vn.info(vn)).TEMPLATE["DESCRIPTION"]).toBe("spare");

    const ds = await one.datastore.allocate({ NAME: "more", TYPE: "IMAGE_DS", DS_MAD: "fs", TM_MAD: "shared" }, -1);
    const cluster = await one.cluster.allocate("rack2");
    await one.cluster.addhost(cluster, host);
    await one.cluster.adddatastore(cluster, ds);
    await one.cluster.addvnet(cluster, vn);
    const c = await one.cluster.info(cluster);
    expect([c.HOSTS?.ID, c.DATASTORES?.ID, c.VNETS?.ID]).toEqual([[host], [ds], [vn]]);
    await one.cluster.delhost(cluster, host);

    const market = await one.market.allocate({ NAME: "local", MARKET_MAD: "http" });
    const app = await one.marketapp.allocate({ NAME: "app", ORIGIN_ID: String(image), SIZE: "64" }, market);
    await one.marketapp.update(app, { LABELS: "HD" }, 1);
    expect((await one.marketapp.info(app)).TEMPLATE["LABELS"]).toBe("HD");
    await one.marketapp.chown(app, -1, 1);
    await one.marketapp.delete(app);
    await one.market.delete(market);
    await one.cluster.deldatastore(cluster, ds);
    await one.cluster.delvnet(cluster, vn);
    await one.cluster.delete(cluster);
    await one.datastore.delete(ds);
    await one.vn.delete(vn);
    await one.image.delete(image);
    await one.host.delete(host);
    await expect(one.host.info(host)).rejects.toBeInstanceOf(OneNoExistsException);
  });

  it("allocates users and groups, changes passwords and groups, and logs in with a token", async () => {
    const group = await one.group.allocate("devs");
    expect(group).toBeGreaterThanOrEqual(100);
    const id = await one.user.allocate("dev", "pw1", "core", [group]);
    await one.user.passwd(id, "pw2");
    await one.user.addgroup(id, 1);
    await one.user.update(id, { SSH_PUBLIC_KEY: "ssh-ed25519 AAAA" }, 1);
    const u = await one.user.info(id);
    expect([u.GID, u.GROUPS?.ID, u.TEMPLATE["SSH_PUBLIC_KEY"]]).toEqual([group, [1, group], "ssh-ed25519 AAAA"]);
    const dev = new OneServer(server.endpoint, { session: "dev:pw2" });
    const token = await dev.user.login("dev", "", 600, -1);
    const byToken = new OneServer(server.endpoint, { session: `dev:${token}` });
    expect((await byToken.user.info(-1)).NAME).toBe("dev");
    await expect(new OneServer(server.endpoint, { session: "dev:pw1" }).user.info(-1)).rejects.toBeInstanceOf(
      OneAuthenticationException,
    );
    await Promise.all([dev.close(), byToken.close()]);
    await expect(one.group.delete(group)).rejects.toBeInstanceOf(OneActionException);
    await one.user.delete(id);
    await one.group.delete(group);
  });
});

describe("parameters oned reads only when given (both forms)", () => {
  it("*.lock's test, *.update's update type, *.delete's recursive, user.login's group", async () => {
    const id = await one.template.allocate('NAME="optional-forms"\nMEMORY="64"\nCPU="1"');
    expect(await one.template.lock(id, 1)).toBe(id); // test left out: false
    expect((await one.template.info(id)).LOCK?.LOCKED).toBe(1);
    // test=true on a locked object fails, as RequestManagerLock's test_lock_db does.
    await expect(one.template.lock(id, 1, true)).rejects.toBeInstanceOf(OneActionException);
    await one.template.unlock(id);
    expect(await one.template.lock(id, 2, true)).toBe(id);
    await one.template.unlock(id);
    await one.template.update(id, 'NOTES="merged"', 1);
    expect((await one.template.info(id)).TEMPLATE).toMatchObject({ MEMORY: "64", NOTES: "merged" });
    await one.template.update(id, 'MEMORY="128"'); // update type left out: replace
    expect((await one.template.info(id)).TEMPLATE["NOTES"]).toBeUndefined();
    expect(await one.template.delete(id)).toBe(id); // recursive left out
    const other = await one.template.allocate('NAME="optional-forms-2"\nMEMORY="64"\nCPU="1"');
    expect(await one.template.delete(other, false)).toBe(other);
    const token = await user.user.login("walter", "", 600); // effective group left out
    const byToken = new OneServer(server.endpoint, { session: `walter:${token}` });
    expect((await byToken.user.info(-1)).NAME).toBe("walter");
    await byToken.close();
  });

  it("ignores arguments past a method's parameters, as oned does", async () => {
    expect((await one.hostpool.info(-2, -1, -1)).HOST.length).toBeGreaterThan(0);
    expect((await one.imagepool.info(-2, -1, -1, -1)).IMAGE.map((i) => i.ID)).toContain(0);
    expect((await one.host.info(0, false, "ignored")).ID).toBe(0);
  });
});

describe("failures as oned words them", () => {
  it("a wrong session: OneAuthenticationException, [false, message, 0x100, -1, -1n]", async () => {
    const bad = new OneServer(server.endpoint, { session: "oneadmin:wrong" });
    const error = await caught(bad.hostpool.info());
    expect(error).toBeInstanceOf(OneAuthenticationException);
    expect(error.message).toBe("[one.hostpool.info] User couldn't be authenticated, aborting call.");
    expect(error).toMatchObject({ errorCode: 0x100, objectId: -1, replicationIndex: -1n });
    await bad.close();
  });

  it("an unknown id: OneNoExistsException naming the object", async () => {
    const error = await caught(one.vm.info(999));
    expect(error).toBeInstanceOf(OneNoExistsException);
    expect(error.message).toBe("[one.vm.info] Error getting virtual machine [999].");
    expect(error).toMatchObject({ errorCode: 0x400, objectId: 999 });
    expect((await caught(one.vn.info(77))).message).toBe("[one.vn.info] Error getting virtual network [77].");
    expect((await caught(one.template.info(77))).message).toBe(
      "[one.template.info] Error getting virtual machine template [77].",
    );
  });

  it("an unknown method and a parameter of the wrong type: XML-RPC faults -506 and -501", async () => {
    const unknown = await caught(one.call("one.nothing.here", []));
    expect(unknown).toBeInstanceOf(XmlRpcFault);
    expect(unknown).toMatchObject({ faultCode: -506, faultString: "Method 'one.nothing.here' not defined" });
    const wrongType = await caught(one.call("one.vm.info", ["zero"]));
    expect(wrongType).toMatchObject({
      faultCode: -501,
      faultString: "Parameter that is supposed to be integer is not",
    });
    const missing = await caught(one.call("one.vm.action", ["poweroff"]));
    expect(missing).toMatchObject({ faultCode: -501, faultString: "Not enough parameters" });
    // host.lock does not exist in oned 7.0 (hosts cannot be locked).
    expect(await caught(one.call("one.host.lock", [0, 1, false]))).toMatchObject({ faultCode: -506 });
  });

  it("bad parameter values and templates: API, INTERNAL and ALLOCATE failures", async () => {
    const filter = await caught(one.vmpool.info(-5, -1, -1, -1));
    expect(filter).toBeInstanceOf(OneApiException);
    expect(filter.message).toBe("[one.vmpool.info] Incorrect filter_flag");
    const syntax = await caught(one.template.allocate('NAME="x"\nMEMORY=[oops'));
    expect(syntax).toBeInstanceOf(OneInternalException);
    expect(syntax.message).toMatch(/^\[one\.template\.allocate\] Parse error: syntax error/);
    const noMemory = await caught(one.vm.allocate('NAME="x"\nCPU="1"'));
    expect(noMemory).toBeInstanceOf(OneAllocateException);
    expect(noMemory.message).toBe(
      "[one.vm.allocate] Error allocating a new virtual machine. MEMORY attribute must be a positive integer value.",
    );
    const taken = await caught(one.host.allocate("node01", "kvm", "kvm", -1));
    expect(taken.message).toBe("[one.host.allocate] Error allocating a new host. NAME is already taken by HOST 0.");
    const update = await caught(one.call("one.host.update", [0, 'V=[A="1"', 1]));
    expect(update).toBeInstanceOf(OneInternalException);
    expect(update.message).toMatch(/^\[one\.host\.update\] Cannot update template\. Parse error/);
  });
});

describe("a normal user", () => {
  it("instantiates a shared template and sees only its own VMs", async () => {
    const mine = await user.template.instantiate(0, "walters-vm", true, "");
    const admins = await one.template.instantiate(1, "admins-vm", true, "");
    const listed = (await user.vmpool.info(-2, -1, -1, -1)).VM.map((vm) => vm.ID);
    expect(listed).toEqual([mine]);
    const error = await caught(user.vm.info(admins));
    expect(error).toBeInstanceOf(OneAuthorizationException);
    expect(error.message).toBe(`[one.vm.info] User [2] : Not authorized to perform USE VM [${admins}].`);
    expect(await caught(user.vm.action("terminate", admins))).toBeInstanceOf(OneAuthorizationException);
    await user.vm.action("terminate", mine);
    await one.vm.action("terminate", admins);
  });

  it("may not create hosts, networks or users, nor give its objects away", async () => {
    expect((await caught(user.host.allocate("h", "kvm", "kvm", -1))).message).toBe(
      "[one.host.allocate] User [2] : Not authorized to perform CREATE HOST.",
    );
    expect(await caught(user.vn.allocate('NAME="n"\nVN_MAD="dummy"', -1))).toBeInstanceOf(OneAuthorizationException);
    expect(await caught(user.user.allocate("x", "y", "core"))).toBeInstanceOf(OneAuthorizationException);
    const t = await user.template.allocate({ NAME: "mine", CPU: "1", MEMORY: "64" });
    expect(await caught(user.template.chown(t, 0, -1))).toBeInstanceOf(OneAuthorizationException);
    expect(await caught(user.template.delete(0))).toBeInstanceOf(OneAuthorizationException);
    await user.template.delete(t);
  });

  it("sees hosts and networks through the default ACLs, and itself but not the other users", async () => {
    expect((await user.hostpool.info()).HOST.length).toBe(2);
    expect((await user.vnpool.info(-2, -1, -1)).VNET.map((v) => v.NAME)).toContain("private");
    expect((await user.user.info(-1)).NAME).toBe("walter");
    expect(await caught(user.user.info(0))).toBeInstanceOf(OneAuthorizationException);
  });
});

describe("virtual machines over time", () => {
  it("goes PENDING, PROLOG, BOOT, RUNNING once scheduled, then through poweroff, resume and terminate", async () => {
    const id = await one.template.instantiate(0, "lcm", false, "");
    const seen = await until(id, running);
    const path = [...new Set(seen.map(states))];
    expect(path.at(-1)).toBe("3/3");
    for (const state of path) expect(["1/0", "3/1", "3/2", "3/3"]).toContain(state);
    const vm = seen.at(-1)!;
    expect(vm["DEPLOY_ID"]).toBe(`one-${id}`);

    const wrong = await caught(one.vm.action("resume", id));
    expect(wrong).toBeInstanceOf(OneActionException);
    expect(wrong.message).toBe(
      '[one.vm.action] Error performing action "resume": This action is not available for state RUNNING',
    );
    expect((await caught(one.vm.action("dance", id))).message).toBe('[one.vm.action] Action "dance" is not supported');

    await one.vm.action("poweroff", id);
    await until(id, (v) => states(v) === "8/0");
    await one.vm.action("resume", id);
    await until(id, running);
    await one.vm.action("suspend", id);
    await until(id, (v) => states(v) === "5/0");
    await one.vm.action("resume", id);
    await until(id, running);
    await one.vm.action("terminate", id);
    const done = (await until(id, (v) => states(v) === "6/0")).at(-1)!;
    expect(done["ETIME"]).not.toBe(0);
    expect((await one.vmpool.info(-2, -1, -1, -1)).VM.map((v) => v.ID)).not.toContain(id);
    expect((await one.vmpool.info(-2, -1, -1, 6)).VM.map((v) => v.ID)).toContain(id);
  });

  it("instantiates with an extra template merged over the template's, known attributes in TEMPLATE", async () => {
    const id = await one.template.instantiate(0, "", true, { MEMORY: "1024", LABELS: "extra" });
    const vm = await one.vm.info(id);
    expect(vm.NAME).toBe(`Alpine Linux 3.21-${id}`);
    expect([vm.TEMPLATE["MEMORY"], vm.TEMPLATE["CPU"], vm.TEMPLATE["TEMPLATE_ID"], vm.TEMPLATE["VMID"]]).toEqual([
      "1024",
      "1",
      "0",
      String(id),
    ]);
    expect(vm.USER_TEMPLATE["LABELS"]).toBe("extra");
    expect(vm.TEMPLATE["LABELS"]).toBeUndefined();
    const quota = (await one.user.info(0)).VM_QUOTA?.VM?.[0];
    expect(Number(quota?.VMS_USED)).toBeGreaterThan(0);
    await one.vm.action("terminate", id);
  });

  it("releases the images already bound when a VM allocate fails on a later disk", async () => {
    const image = await one.image.allocate('NAME="leak-check"\nTYPE="DATABLOCK"\nSIZE="16"', 1);
    const error = await caught(
      one.vm.allocate(`NAME="two-disks"\nCPU="1"\nMEMORY="64"\nDISK=[IMAGE_ID="${image}"]\nDISK=[IMAGE_ID="999999"]`),
    );
    expect(error).toBeInstanceOf(OneAllocateException);
    expect((await one.image.info(image)).RUNNING_VMS).toBe(0);
    await expect(one.image.delete(image)).resolves.toBe(image);
  });

  it("writes SCHED_ACTION as oned 7 does and refuses shaped vectors the XSD would refuse", async () => {
    const id = await one.vm.allocate(
      'NAME="scheduled"\nCPU="1"\nMEMORY="64"\nSCHED_ACTION=[ACTION="poweroff",TIME="+3600"]\n' +
        'SCHED_ACTION=[ACTION="resume",TIME="1999999999",REPEAT="0",DAYS="1"]\nVIDEO=[TYPE="virtio",VRAM="16384"]\n' +
        'TPM=[MODEL="tpm-crb"]',
      true,
    );
    const vm = await one.vm.info(id);
    const actions = vm.TEMPLATE.SCHED_ACTION ?? [];
    expect(actions.map((a) => [a.ACTION, a.PARENT_ID, a.TYPE, a.REPEAT, a.DONE])).toEqual([
      ["poweroff", String(id), "VM", "-1", "-1"],
      ["resume", String(id), "VM", "0", "-1"],
    ]);
    expect(Number(actions[0]!.TIME)).toBe(vm.STIME + 3600);
    expect(vm.SCHED_ACTIONS?.ID).toEqual(actions.map((a) => Number(a.ID)));
    for (const [template, problem] of [
      ['TPM=[TYPE="x"]', /TPM: unknown or read-only attribute TYPE/],
      ["TPM=[]", /TPM needs MODEL/],
      ['VIDEO=[TYPE="virtio",COLOUR="blue"]', /VIDEO: unknown or read-only attribute COLOUR/],
      ['VIDEO="virtio"', /VIDEO must be a vector attribute/],
      ['SCHED_ACTION=[TIME="+1"]', /No ACTION in SCHED_ACTION/],
      ['SCHED_ACTION=[ACTION="poweroff",TIME="tomorrow"]', /TIME must be an epoch/],
      ['SCHED_ACTION=[ACTION="poweroff",TIME="+1",ID="7"]', /read-only attribute ID/],
    ] as const) {
      const error = await caught(one.vm.allocate(`NAME="bad"\nCPU="1"\nMEMORY="64"\n${template}`, true));
      expect(error).toBeInstanceOf(OneAllocateException);
      expect(error.message).toMatch(problem);
    }
    await one.vm.action("terminate", id);
  });

  it("holds, releases, stops and undeploys", async () => {
    const id = await one.template.instantiate(0, "parked", true, "");
    expect(states(await one.vm.info(id))).toBe("2/0");
    await one.vm.action("release", id);
    await until(id, running);
    await one.vm.action("stop", id);
    await until(id, (v) => states(v) === "4/0");
    await one.vm.action("resume", id);
    await until(id, running);
    await one.vm.action("undeploy", id);
    const vm = (await until(id, (v) => states(v) === "9/0")).at(-1)!;
    expect((vm["HISTORY_RECORDS"] as { HISTORY: Doc[] }).HISTORY.length).toBe(2);
    await one.vm.action("terminate-hard", id);
    await until(id, (v) => states(v) === "6/0");
  });

  it("deploys on the host asked for and migrates, one history record per host", async () => {
    await using manual = await startServer({ transitionMs: 5, scheduler: false });
    const admin = new OneServer(manual.endpoint, { session: manual.session });
    try {
      const id = await admin.vm.allocate('NAME="placed"\nCPU="1"\nMEMORY="64"', false);
      await sleep(20);
      expect(states(await admin.vm.info(id))).toBe("1/0");
      await admin.vm.deploy(id, 1, false, -1);
      await until(id, running, admin);
      const deployed = await admin.vm.info(id);
      expect(deployed.HISTORY_RECORDS?.HISTORY.map((h) => h.HID)).toEqual([1]);
      expect((await admin.host.info(1)).VMS?.ID).toEqual([id]);
      expect((await caught(admin.vm.deploy(id, 0, false, -1))).message).toBe(
        "[one.vm.deploy] Deploy action is not available for state RUNNING",
      );
      await admin.vm.migrate(id, 0, true, false, -1, 0);
      await until(id, running, admin);
      const moved = await admin.vm.info(id);
      expect(moved.HISTORY_RECORDS?.HISTORY.map((h) => [h.HID, h.ACTION])).toEqual([
        [1, 2],
        [0, 0],
      ]);
      expect((await admin.host.info(1)).VMS?.ID ?? []).toEqual([]);
    } finally {
      await admin.close();
    }
  });

  it("attaches and detaches disks and NICs", async () => {
    const id = await one.template.instantiate(0, "plug", false, "");
    await until(id, running);
    // Unlike PyONE, a single DISK key is the vector inside <TEMPLATE>, not the root (which oned refuses).
    await one.vm.attach(id, { DISK: { IMAGE_ID: "0" } });
    await until(id, running);
    await one.vm.attachnic(id, 'NIC=[NETWORK="private"]');
    await until(id, running);
    let vm = await one.vm.info(id);
    const disks = vm.TEMPLATE["DISK"] as Doc[];
    const nics = vm.TEMPLATE["NIC"] as Doc[];
    expect(disks.map((d) => d["DISK_ID"])).toEqual(["0", "1"]);
    expect(nics.map((n) => n["NIC_ID"])).toEqual(["0", "1"]);
    expect(nics[1]!["IP"]).toMatch(/^192\.168\.150\.\d+$/);
    await one.vm.detach(id, 1);
    await until(id, running);
    await one.vm.detachnic(id, 1);
    await until(id, running);
    vm = await one.vm.info(id);
    expect((vm.TEMPLATE["DISK"] as Doc[]).length).toBe(1);
    expect((vm.TEMPLATE["NIC"] as Doc[]).length).toBe(1);
    expect((await caught(one.vm.detach(id, 7))).message).toBe(
      "[one.vm.detach] Could not detach disk with DISK_ID 7, it does not exist.",
    );
    await one.vm.action("terminate", id);
  });

  it("refuses actions on a locked VM as oned does (an authorization failure naming the lock)", async () => {
    const id = await one.template.instantiate(0, "locked", true, "");
    await one.vm.lock(id, 2, false);
    const error = await caught(one.vm.action("release", id));
    expect(error).toBeInstanceOf(OneAuthorizationException);
    expect(error.message).toBe(`[one.vm.action] User [0] : VM is locked. [${id}].`);
    expect((await one.vm.info(id)).LOCK?.LOCKED).toBe(2);
    await one.vm.unlock(id);
    await one.vm.action("terminate", id);
  });
});

describe("templates with quotes, backslashes, dollars and newlines", () => {
  const tricky = {
    QUOTED: 'say "hi"',
    BACKSLASH: "C:\\path\\",
    DOLLAR: "$HOME and $USER[NAME]",
    LINES: "first\nsecond\n",
  };

  it("round-trip through update and info, whatever form the client sends", async () => {
    const id = await one.template.allocate({ NAME: "quoting", CPU: "1", MEMORY: "64", ...tricky });
    const t = await one.template.info(id);
    for (const [key, value] of Object.entries(tricky)) expect(t.TEMPLATE[key]).toBe(value);
    await one.template.update(id, { TEMPLATE: { ...t.TEMPLATE, EXTRA: '"$\\\n' } }, 0);
    expect((await one.template.info(id)).TEMPLATE["EXTRA"]).toBe('"$\\\n');
  });

  it("follow oned's text syntax: only \\\" is an escape, values may span lines, names are upper-cased", async () => {
    const text = 'name="x"\nA="a \\"b\\" c"\nB="one\\\\two"\nC="multi\nline"\nD=plain\nV=[k1="1", K2="two words"]';
    const id = await one.call<number>("one.template.allocate", [text]);
    const t = await one.template.info(id);
    expect(t.NAME).toBe("x");
    expect(t.TEMPLATE["A"]).toBe('a "b" c');
    expect(t.TEMPLATE["B"]).toBe("one\\\\two");
    expect(t.TEMPLATE["C"]).toBe("multi\nline");
    expect(t.TEMPLATE["D"]).toBe("plain");
    expect(t.TEMPLATE["V"]).toEqual({ K1: "1", K2: "two words" });
  });
});

describe("pool paging and filters", () => {
  it("serves a pool of 10,000 seeded VMs", async () => {
    await using big = await startServer({ vms: 10_000 });
    const admin = new OneServer(big.endpoint, { session: big.session });
    try {
      const pool = await admin.vmpool.info(-2, -1, -1, -1);
      expect(pool.VM.length).toBe(10_000);
      expect(pool.VM.every((vm) => vm.STATE === 3 && vm.LCM_STATE === 3)).toBe(true);
      expect(pool.VM[9_999]!.TEMPLATE["NIC"]).toHaveLength(1);
    } finally {
      await admin.close();
    }
  }, 30_000);

  it("pages with end < -1 (offset start, -end per page) and filters by id range and owner", async () => {
    await using paging = await startServer({ transitionMs: 5 });
    const admin = new OneServer(paging.endpoint, { session: paging.session });
    try {
      const ids = paging.seedVms(25);
      const page = async (offset: number, size: number) =>
        (await admin.vmpool.info(-2, offset, -size, -1)).VM.map((vm) => vm.ID);
      expect(await page(0, 10)).toEqual(ids.slice(0, 10));
      expect(await page(20, 10)).toEqual(ids.slice(20));
      expect(await page(30, 10)).toEqual([]);
      expect((await admin.vmpool.info(-2, 5, 7, -1)).VM.map((vm) => vm.ID)).toEqual([5, 6, 7]);
      expect((await admin.vmpool.info(2, -1, -1, -1)).VM).toEqual([]);
      expect((await admin.vmpool.info(-3, -1, -1, -1)).VM.length).toBe(25);
      const full = await admin.vmpool.infoextended(-2, 0, -2, -1);
      expect(full.VM.map((vm) => vm.ID)).toEqual([0, 1]);
      expect(full.VM[0]!.TEMPLATE["DISK"]).toBeDefined();
      // oned 7 searches the VM's document as JSON: a path from the root, LIKE '%value%'.
      const search = async (text: string) => (await admin.vmpool.info(-2, -1, -1, -1, text)).VM.map((vm) => vm.ID);
      expect(await search("VM.NAME=vm-3")).toEqual([3]);
      expect(await search("NAME=vm-3")).toEqual([]); // no NAME at the document's root
      expect(await search("VM.NAME=vm-1")).toEqual([1, ...ids.slice(10, 20)]);
      expect(await search("VM.NAME=vm-1&VM.ID=12")).toEqual([12]);
      expect(await search("VM.NAME=vm-_4")).toEqual([14, 24]);
      expect(await search("vm-22")).toEqual([22]);
    } finally {
      await admin.close();
    }
  });
});
