// What vcsim (API 6.5) cannot show, against answers recorded from vcsim (test/fixtures/vcsim-6.5) or
// composed from the schema: a newer server (version negotiation, types and fields this SDK does not
// know), paging tokens, NotAuthenticated as a SOAP fault, tasks that report progress or take too long,
// and answers that are not SOAP (HTML, truncated, empty).
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "@jest/globals";
import {
  AbortError,
  ConnectionError,
  HttpError,
  ParseError,
  RateLimitError,
  STATUS_ERRORS,
  ServerError,
  TimeoutError,
  ValidationError,
  errorClassForStatus,
} from "@nimbus-sdk/common";
import {
  Disconnect,
  ManagedObject,
  SmartConnect,
  WaitForTask,
  WaitForTasks,
  vim,
  vmodl,
  type ServiceInstance,
} from "../src/index.js";
import {
  envelope,
  fault,
  recorded,
  result,
  startFakeSdk,
  type FakeSdk,
  type Handler,
  type Reply,
} from "./helpers/fake-sdk.js";

let fake: FakeSdk | undefined;
let si: ServiceInstance | undefined;

afterEach(async () => {
  if (si) await Disconnect(si).catch(() => undefined);
  await fake?.close();
  si = undefined;
  fake = undefined;
});

const COOKIE = 'vmware_soap_session="52a2c6d9"; Path=/; HttpOnly; Secure';
const serviceContent = (edit: (xml: string) => string = (x) => x): Reply => ({
  body: edit(recorded("RetrieveServiceContent.xml")),
});
const login: Reply = { body: recorded("Login.xml"), headers: { "set-cookie": COOKIE } };

/** Answers RetrieveServiceContent, Login and Logout as vcsim did; `more` answers the rest. */
function vcenter(more: Handler = () => undefined, content = serviceContent()): Handler {
  return (call, index) => {
    if (call.op === "RetrieveServiceContent") return content;
    if (call.op === "Login") return login;
    if (call.op === "Logout") return result("Logout");
    return more(call, index);
  };
}

async function connect(
  handler: Handler,
  versions?: string | null,
  options: Partial<Parameters<typeof SmartConnect>[0]> = {},
): Promise<ServiceInstance> {
  fake = await startFakeSdk(handler, versions);
  si = await SmartConnect({ host: fake.url, user: "user", pwd: "pass", env: {}, ...options });
  return si;
}

function retrieveResult(first: number, count: number, token?: string): string {
  let objects = "";
  for (let i = first; i < first + count; i++) {
    objects +=
      `<objects><obj type="VirtualMachine">vm-${i}</obj><propSet><name>name</name><val xsi:type="xsd:string">vm${i}</val></propSet>` +
      '<propSet><name>runtime.powerState</name><val xsi:type="VirtualMachinePowerState">poweredOn</val></propSet></objects>';
  }
  return `<returnval>${token ? `<token>${token}</token>` : ""}${objects}</returnval>`;
}

describe("a server newer than the SDK's schema", () => {
  const versions8 =
    '<?xml version="1.0" encoding="UTF-8"?><namespaces version="1.0"><namespace><name>urn:vim25</name><version>8.0.2.0</version>' +
    "<priorVersions><version>8.0.1.0</version><version>8.0.0.0</version><version>7.0.3.0</version><version>7.0.2.0</version>" +
    "<version>6.7.3</version></priorVersions></namespace></namespaces>";

  const versions9 = versions8.replace("<version>8.0.2.0</version>", "<version>9.0.0.0</version>");

  it("a vSphere 8 server is spoken to in its own version (8.0.2.0)", async () => {
    const server = await connect(vcenter(), versions8);
    expect(server._stub!.versionId).toBe("urn:vim25/8.0.2.0");
    expect(fake!.calls.map((c) => [c.op, c.soapAction])).toEqual([
      ["RetrieveServiceContent", "urn:vim25/8.0.2.0"],
      ["Login", "urn:vim25/8.0.2.0"],
    ]);
  });

  it("is spoken to in the newest version both know (8.0.1.0 of a 9.0 server's list)", async () => {
    const server = await connect(vcenter(), versions9);
    expect(server._stub!.versionId).toBe("urn:vim25/8.0.1.0");
  });

  it("keeps fields and managed types it does not know instead of failing", async () => {
    const content8 = serviceContent((xml) =>
      xml
        .replace("<apiVersion>6.5</apiVersion>", "<apiVersion>9.0.0.0</apiVersion>")
        .replace("</returnval>", '<vStatsManager type="VStatsManager">VStatsManager</vStatsManager></returnval>'),
    );
    const server = await connect(vcenter(undefined, content8), versions9);
    const content = (await server.RetrieveContent()) as vim.ServiceContent & { vStatsManager?: ManagedObject };
    expect(content.about.apiVersion).toBe("9.0.0.0");
    expect(content.vStatsManager).toBeInstanceOf(ManagedObject);
    expect(content.vStatsManager?._wsdlName).toBe("VStatsManager");
    expect(content.vStatsManager?._moId).toBe("VStatsManager");
    expect(content.rootFolder).toBeInstanceOf(vim.Folder);
  });

  it("without vimServiceVersions.xml, asks in the newest version, then speaks the server's apiVersion", async () => {
    const server = await connect(vcenter(), null);
    expect(server._stub!.version).toBe("6.5");
    expect(fake!.calls.map((c) => [c.op, c.soapAction])).toEqual([
      ["RetrieveServiceContent", "urn:vim25/8.0.3.0"],
      ["Login", "urn:vim25/6.5"],
    ]);
    expect(fake!.calls[1]!.body).toContain('<_this type="SessionManager">SessionManager</_this>');
  });
});

describe("vSphere 8 operations on an older server", () => {
  it("are vmodl.fault.MethodNotFound before anything is sent, as in pyVmomi", async () => {
    const server = await connect(vcenter());
    expect(server._stub!.version).toBe("6.5");
    const content = await server.RetrieveContent();
    const sent = fake!.calls.length;
    const call = content.taskManager.CreateCollectorWithInfoFilterForTasks(new vim.TaskFilterSpec());
    await expect(call).rejects.toBeInstanceOf(vmodl.fault.MethodNotFound);
    await expect(call).rejects.toThrow(/needs vSphere API 8\.0\.3\.0; this connection speaks 6\.5/);
    await expect(call).rejects.toMatchObject({ method: "CreateCollectorWithInfoFilterForTasks" });
    expect(fake!.calls.length).toBe(sent);
  });
});

describe("si.collect paging", () => {
  const paged: Handler = vcenter((call) => {
    if (call.op === "CreateContainerView")
      return result(call.op, '<returnval type="ContainerView">session[1]view</returnval>');
    if (call.op === "RetrievePropertiesEx") return result(call.op, retrieveResult(1, 2, "t1"));
    if (call.op === "ContinueRetrievePropertiesEx") {
      return call.body.includes("<token>t1</token>")
        ? result(call.op, retrieveResult(3, 2, "t2"))
        : result(call.op, retrieveResult(5, 1));
    }
    if (call.op === "CancelRetrievePropertiesEx") return result(call.op);
    return undefined;
  });

  it("follows the tokens through ContinueRetrievePropertiesEx until the last page", async () => {
    const server = await connect(paged);
    const content = await server.RetrieveContent();
    const view = await content.viewManager!.CreateContainerView(content.rootFolder, [vim.VirtualMachine], true);
    const rows = await server.collect(view, vim.VirtualMachine, ["name", "runtime.powerState"], { pageSize: 2 });
    expect(rows.map((r) => r.name)).toEqual(["vm1", "vm2", "vm3", "vm4", "vm5"]);
    expect(fake!.ops().slice(-4)).toEqual([
      "CreateContainerView",
      "RetrievePropertiesEx",
      "ContinueRetrievePropertiesEx",
      "ContinueRetrievePropertiesEx",
    ]);
    const first = fake!.calls.find((c) => c.op === "RetrievePropertiesEx")!.body;
    expect(first).toContain("<options><maxObjects>2</maxObjects></options>");
    expect(first).toContain(
      '<selectSet xsi:type="TraversalSpec"><name>traverseView</name><type>ContainerView</type><path>view</path>',
    );
  });

  it("iterates page by page with for await, and cancels the rest when the loop is left early", async () => {
    const server = await connect(paged);
    const content = await server.RetrieveContent();
    const view = await content.viewManager!.CreateContainerView(content.rootFolder, [vim.VirtualMachine], true);
    const pages: number[] = [];
    for await (const page of server.collect(view, vim.VirtualMachine, ["name"]).pages()) {
      pages.push(page.length);
      break;
    }
    expect(pages).toEqual([2]);
    const cancel = fake!.calls.find((c) => c.op === "CancelRetrievePropertiesEx");
    expect(cancel?.body).toContain("<token>t1</token>");
  });
});

describe("an expired session", () => {
  /** A vCenter whose session cookies are "session-N"; `expire()` ends the current one. */
  async function expiring(failures = 1) {
    let sessions = 0;
    let expired = "";
    const waiting: (() => void)[] = [];
    fake = await startFakeSdk(async (call) => {
      if (call.op === "RetrieveServiceContent") return serviceContent();
      if (call.op === "Login") {
        sessions++;
        return {
          body: recorded("Login.xml"),
          headers: { "set-cookie": `vmware_soap_session="session-${sessions}"; Path=/` },
        };
      }
      if (call.op === "Logout") return result(call.op);
      // Anything else is a fault naming the unexpected operation.
      if (call.op !== "CurrentTime") return undefined;
      if (call.cookie === expired || call.cookie !== `vmware_soap_session="session-${sessions}"`) {
        // The failures are answered together, as when several calls meet the end of the session.
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length === failures) waiting.splice(0).forEach((release) => release());
        });
        return fault("NotAuthenticated", "The session is not authenticated.", "<privilegeId>System.View</privilegeId>");
      }
      return result(call.op, "<returnval>2024-01-01T00:00:00Z</returnval>");
    });
    si = await SmartConnect({ host: fake.url, user: "user", pwd: "pass", env: {} });
    return {
      si,
      expire: () => {
        expired = `vmware_soap_session="session-${sessions}"`;
      },
    };
  }

  it("is renewed after a NotAuthenticated fault, and the call retried with the new cookie", async () => {
    const { si: server, expire } = await expiring();
    expire();
    await expect(server.CurrentTime()).resolves.toEqual(new Date("2024-01-01T00:00:00Z"));
    expect(fake!.ops()).toEqual(["RetrieveServiceContent", "Login", "CurrentTime", "Login", "CurrentTime"]);
    expect(fake!.calls[2]!.cookie).toBe('vmware_soap_session="session-1"');
    expect(fake!.calls[4]!.cookie).toBe('vmware_soap_session="session-2"');
  });

  it("is renewed once for calls that meet its end together", async () => {
    const { si: server, expire } = await expiring(3);
    expire();
    const times = await Promise.all([server.CurrentTime(), server.CurrentTime(), server.CurrentTime()]);
    expect(times.every((t) => t instanceof Date)).toBe(true);
    expect(fake!.ops().filter((op) => op === "Login")).toHaveLength(2);
  });
});

// A vCenter running task-1, whose WaitForUpdatesEx answers are `updates` in turn.
const taskInfo = (state: string, progress?: number, extra = "") =>
  '<val xsi:type="TaskInfo"><key>task-1</key><task type="Task">task-1</task><descriptionId>VirtualMachine.powerOff</descriptionId>' +
  `<entity type="VirtualMachine">vm-1</entity><state>${state}</state><cancelled>false</cancelled><cancelable>true</cancelable>` +
  `${progress === undefined ? "" : `<progress>${progress}</progress>`}${extra}<eventChainId>1</eventChainId></val>`;
const update = (version: string, kind: string, info: string) =>
  `<returnval><version>${version}</version><filterSet><filter type="PropertyFilter">session[1]f</filter><objectSet><kind>${kind}</kind>` +
  `<obj type="Task">task-1</obj><changeSet><name>info</name><op>assign</op>${info}</changeSet></objectSet></filterSet></returnval>`;

function tasks(updates: (string | undefined)[]): Handler {
  return vcenter(async (call) => {
    if (call.op === "PowerOffVM_Task") return result(call.op, '<returnval type="Task">task-1</returnval>');
    if (call.op === "CreatePropertyCollector")
      return result(call.op, '<returnval type="PropertyCollector">session[1]pc</returnval>');
    if (call.op === "CreateFilter") return result(call.op, '<returnval type="PropertyFilter">session[1]f</returnval>');
    if (call.op === "DestroyPropertyCollector") return result(call.op);
    if (call.op === "WaitForUpdatesEx") {
      const next = updates.shift();
      // Nothing changed within maxWaitSeconds: an empty answer, after a while.
      if (next === undefined) await sleep(50);
      return result(call.op, next ?? "");
    }
    return undefined;
  });
}

describe("WaitForTask", () => {
  it("reports progress while the task runs, and resolves to its result", async () => {
    const server = await connect(
      tasks([
        update("1", "enter", taskInfo("running", 30)),
        update("2", "modify", taskInfo("running", 60)),
        update(
          "3",
          "modify",
          taskInfo(
            "success",
            undefined,
            '<result type="VirtualMachine" xsi:type="ManagedObjectReference">vm-2</result>',
          ),
        ),
      ]),
    );
    const vm = new vim.VirtualMachine("vm-1", server._stub);
    const progress: (number | undefined)[] = [];
    const fractions: (number | undefined)[] = [];
    const outcome = await WaitForTask(await vm.PowerOffVM_Task(), {
      onProgress: (p, _info, _task, state) => {
        progress.push(p);
        fractions.push(state.fraction);
      },
    });
    expect(progress).toEqual([30, 60]);
    expect(fractions).toEqual([0.3, 0.6]);
    expect(outcome).toBeInstanceOf(vim.VirtualMachine);
    const waits = fake!.calls
      .filter((c) => c.op === "WaitForUpdatesEx")
      .map((c) => /<version>([^<]*)<\/version>/.exec(c.body)?.[1] ?? "");
    expect(waits).toEqual(["", "1", "2"]);
    expect(fake!.ops().at(-1)).toBe("DestroyPropertyCollector");
    expect(fake!.calls.find((c) => c.op === "CreateFilter")!.body).toContain("<pathSet>info</pathSet>");
  });

  it("throws a failed task's fault, with the server's message", async () => {
    const error =
      '<error><fault xsi:type="InvalidPowerState"><requestedState>poweredOff</requestedState><existingState>poweredOff</existingState></fault>' +
      "<localizedMessage>The attempted operation cannot be performed in the current state (Powered off).</localizedMessage></error>";
    const server = await connect(tasks([update("1", "enter", taskInfo("error", undefined, error))]));
    const vm = new vim.VirtualMachine("vm-1", server._stub);
    const thrown = await WaitForTask(await vm.PowerOffVM_Task()).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(vim.fault.InvalidPowerState);
    expect((thrown as Error).message).toBe(
      "task task-1 (VirtualMachine.powerOff) failed: The attempted operation cannot be performed in the current state (Powered off). " +
        "(vim.fault.InvalidPowerState: requestedState=poweredOff, existingState=poweredOff)",
    );
  });

  it("gives up after timeoutMs with a TimeoutError naming the task and its progress", async () => {
    const server = await connect(tasks([update("1", "enter", taskInfo("running", 10))]));
    const vm = new vim.VirtualMachine("vm-1", server._stub);
    const error = await WaitForTask(await vm.PowerOffVM_Task(), { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe(
      "WaitForTask: task-1 (VirtualMachine.powerOff, 10%) still running after 300 ms",
    );
    expect(fake!.ops().at(-1)).toBe("DestroyPropertyCollector");
  });
});

describe("cancelling through a signal", () => {
  const running = () => update("1", "enter", taskInfo("running", 10));

  it("stops WaitForTask and WaitForTasks while they wait, with an AbortError naming WaitForTask", async () => {
    const server = await connect(tasks([running()]));
    const vm = new vim.VirtualMachine("vm-1", server._stub);
    const task = await vm.PowerOffVM_Task();
    for (const wait of [
      (signal: AbortSignal) => WaitForTask(task, { signal }),
      (signal: AbortSignal) => WaitForTasks([task, task], { signal }),
    ]) {
      const controller = new AbortController();
      const waiting = wait(controller.signal).catch((e: unknown) => e);
      setTimeout(() => controller.abort(), 100);
      const error = await waiting;
      expect(error).toBeInstanceOf(AbortError);
      expect((error as Error).message).toBe("WaitForTask was cancelled");
      expect(fake!.ops().at(-1)).toBe("DestroyPropertyCollector");
    }
  });

  it("refuses to start WaitForTask with a signal aborted already, sending nothing", async () => {
    const server = await connect(tasks([]));
    const task = new vim.Task("task-1", server._stub);
    const sent = fake!.calls.length;
    const error = await WaitForTask(task, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).message).toBe("WaitForTask was cancelled before it started");
    expect(fake!.calls.length).toBe(sent);
  });

  it("cancels one method call through its own { signal }, after its parameters", async () => {
    const server = await connect(
      vcenter(async (call) => {
        if (call.op !== "CurrentTime") return undefined;
        await sleep(5_000, undefined, { ref: false });
        return result(call.op, "<returnval>2024-01-01T00:00:00Z</returnval>");
      }),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(server.CurrentTime({ signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it("cancels si.collect through its signal", async () => {
    const server = await connect(
      vcenter(async (call) => {
        if (call.op !== "RetrievePropertiesEx") return undefined;
        await sleep(5_000, undefined, { ref: false });
        return result(call.op, retrieveResult(1, 1));
      }),
    );
    const vms = [new vim.VirtualMachine("vm-1", server._stub)];
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const rows = server.collect(vms, vim.VirtualMachine, ["name"], { signal: controller.signal });
    await expect(rows).rejects.toBeInstanceOf(AbortError);
  });

  it("gives si.watch's WaitForUpdatesEx calls the caller's timeout", async () => {
    const server = await connect(
      vcenter(async (call) => {
        if (call.op === "CreatePropertyCollector")
          return result(call.op, '<returnval type="PropertyCollector">session[1]pc</returnval>');
        if (call.op === "CreateFilter") return result(call.op, '<returnval type="PropertyFilter">f</returnval>');
        if (call.op === "DestroyPropertyCollector") return result(call.op);
        if (call.op !== "WaitForUpdatesEx") return undefined;
        await sleep(3_000, undefined, { ref: false });
        return result(call.op);
      }),
    );
    const vms = [new vim.VirtualMachine("vm-1", server._stub)];
    const changes = server.watch(vms, vim.VirtualMachine, ["name"], { timeout: 300, maxWaitSeconds: 1 });
    await expect(changes.next()).rejects.toBeInstanceOf(TimeoutError);
  });

  it("says that call options go last when they stand where a parameter is expected", async () => {
    const server = await connect(vcenter());
    const vm = new vim.VirtualMachine("vm-1", server._stub);
    const sent = fake!.calls.length;
    const error = await vm
      .PowerOnVM_Task({ signal: new AbortController().signal } as unknown as vim.HostSystem)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(
      "PowerOnVM_Task: host was given call options; they go last, after all 1 parameter: " +
        "PowerOnVM_Task(host, { signal, timeout })",
    );
    expect(fake!.calls.length).toBe(sent);
  });
});

describe("answers that are not SOAP", () => {
  const after = (op: string, reply: Reply): Handler => vcenter((call) => (call.op === op ? reply : undefined));

  it("an HTML page (a proxy's or a portal's) is a ParseError saying so", async () => {
    const server = await connect(
      after("CurrentTime", {
        body: "<!DOCTYPE html><html><title>Login portal</title></html>",
        headers: { "content-type": "text/html" },
      }),
    );
    const error = await server.CurrentTime().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as Error).message).toMatch(
      /^CurrentTime: http:\/\/127\.0\.0\.1:\d+\/sdk answered an HTML page \(status 200\), not SOAP/,
    );
    expect((error as ParseError).status).toBe(200);
  });

  it("an HTML error page with an error status is an HttpError with that status", async () => {
    const server = await connect(
      after("CurrentTime", {
        status: 503,
        body: "<html><h1>Service Unavailable</h1></html>",
        headers: { "content-type": "text/html" },
      }),
    );
    const error = await server.CurrentTime().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect((error as Error).message).toContain("Service Unavailable");
  });

  it.each([...STATUS_ERRORS.keys(), 418, 500, 502, 503, 504])(
    "a proxy's %i page is common's class for the status (STATUS_ERRORS)",
    async (status) => {
      const page = { status, body: "<html><h1>refused</h1></html>", headers: { "content-type": "text/html" } };
      const server = await connect(after("CurrentTime", page));
      const error = await server.CurrentTime().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(errorClassForStatus(status));
      expect((error as HttpError).status).toBe(status);
      if (status >= 500) expect(error).toBeInstanceOf(ServerError);
    },
  );

  it("a 429 with Retry-After is a RateLimitError with retryAfterMs", async () => {
    const page = { status: 429, body: "slow down", headers: { "content-type": "text/plain", "retry-after": "3" } };
    // CurrentTime only reads, so it is retried after a 429: with no retries left, the error itself.
    const server = await connect(after("CurrentTime", page), undefined, { retry: { limit: 0 } });
    const error = await server.CurrentTime().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(3000);
  });

  it("a body cut short is common's ConnectionError, naming the request", async () => {
    const full = serviceContent().body;
    const server = await connect(after("CurrentTime", { body: full, cutAfter: 200 }));
    const error = await server.CurrentTime().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ method: "POST", status: 200 });
    expect((error as Error).message).toMatch(
      /^POST http:\/\/127\.0\.0\.1:\d+\/sdk: the connection failed before the response body's end/,
    );
  });

  it("a body that stalls is a TimeoutError, not a ParseError", async () => {
    const full = serviceContent().body;
    const server = await connect(after("CurrentTime", { body: full, stallAfter: 200 }));
    const error = await server.CurrentTime({ timeout: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/: the response body stalled \(no data for 200 ms\)$/);
  });

  it("a complete body holding truncated XML, or nothing, is a ParseError too", async () => {
    const cut = envelope(
      '<CurrentTimeResponse xmlns="urn:vim25"><returnval>2024-01-01T00:00:00Z</returnval></CurrentTimeResponse>',
    ).slice(0, -60);
    const server = await connect((call, i) =>
      call.op === "CurrentTime" ? { body: i % 2 ? cut : "" } : vcenter()(call, i),
    );
    const errors = [
      await server.CurrentTime().catch((e: unknown) => e),
      await server.CurrentTime().catch((e: unknown) => e),
    ];
    expect(errors.every((e) => e instanceof ParseError)).toBe(true);
    const messages = errors.map((e) => (e as Error).message).sort();
    expect(messages[0]).toMatch(/^CurrentTime: the answer is empty \(http:/);
    expect(messages[1]).toMatch(
      /^CurrentTime: the answer is not well-formed XML \(malformed XML at line 2, .*truncated document/,
    );
  });

  it("a SOAP fault without detail is a vmodl.RuntimeFault with the server's text", async () => {
    const bare = {
      status: 500,
      body: envelope(
        "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>Unable to parse the request</faultstring></soapenv:Fault>",
      ),
    };
    const server = await connect(after("CurrentTime", bare));
    const error = await server.CurrentTime().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(vmodl.RuntimeFault);
    expect((error as Error).message).toBe("CurrentTime: Unable to parse the request (vmodl.RuntimeFault)");
  });

  it("a recorded vcsim fault decodes as its class", async () => {
    const server = await connect(
      after("PowerOnVM_Task", { status: 500, body: recorded("PowerOnVM_Task-ManagedObjectNotFound.xml") }),
    );
    const vm = new vim.VirtualMachine("vm-gone", server._stub);
    const error = await vm.PowerOnVM_Task().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(vmodl.fault.ManagedObjectNotFound);
    expect((error as Error).message).toBe(
      "PowerOnVM_Task: managed object not found: VirtualMachine:vm-gone (vmodl.fault.ManagedObjectNotFound: obj=vim.VirtualMachine:vm-gone)",
    );
  });
});
