// vSphere reads and writes through common's fault proxy, in front of vcsim (plain HTTP): every fault
// kind, once per call; kill-session ends the client's session from a second, direct connection. Each
// call must succeed with the right answer or throw a NimbusError, within twice its timeout, with no
// unhandled rejection (jest-circus fails the running test on one: it replaces the process's listeners
// with its own); after a write vcsim must hold what the SDK reported: the folder it returned, and none
// after an error answer (status >= 400: a SOAP fault or a gateway's). Other failures are an unknown outcome.
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { NimbusError } from "@nimbus-sdk/common";
import { EVERY_FAULT, startFaultProxy, type Fault, type FaultProxy, type FaultRule } from "@nimbus-sdk/common/testing";
import { Disconnect, SmartConnect, vim, type ServiceInstance } from "../src/index.js";
import { startVcsim, type VcsimServer } from "../src/testing/index.js";

jest.setTimeout(30_000);

const TIMEOUT = 1500;

let server: VcsimServer;
let proxy: FaultProxy;
let si: ServiceInstance;
let direct: ServiceInstance;
let datacenter: vim.Datacenter;
let vmFolder: vim.Folder;
let directFolder: vim.Folder;
const tally = { calls: 0, injected: 0, outcomes: {} as Record<string, number> };

const connect = (url: string, options: Parameters<typeof SmartConnect>[0] = {}) =>
  SmartConnect({ host: url, user: server.username, pwd: server.password, env: {}, proxy: false, ...options });

/** The names in vcsim's VM folder, read on the direct connection. */
async function held(): Promise<string[]> {
  const children = (await directFolder.childEntity) as vim.ManagedEntity[];
  return Promise.all(children.map((child) => child.name));
}

beforeAll(async () => {
  server = await startVcsim({ tls: false, vm: 1 });
  direct = await connect(server.url);
  const directContent = await direct.RetrieveContent();
  directFolder = await ((await directContent.rootFolder.childEntity) as vim.Datacenter[])[0]!.vmFolder;
  proxy = await startFaultProxy({
    target: new URL(server.url).origin,
    killSession: async () => {
      const sessions = directContent.sessionManager;
      const own = (await sessions.currentSession)!.key;
      const others = ((await sessions.sessionList) ?? []).map((s) => s.key).filter((key) => key !== own);
      await sessions.TerminateSession(others);
    },
  });
  si = await connect(proxy.rewrite(server.url), {
    timeout: TIMEOUT,
    retry: { limit: 2, baseDelay: 50, maxDelay: 200, maxRetryAfter: 1000 },
  });
  const content = await si.RetrieveContent();
  datacenter = ((await content.rootFolder.childEntity) as vim.Datacenter[])[0]!;
  vmFolder = await datacenter.vmFolder;
}, 240_000);

afterAll(async () => {
  console.log(`vsphere faults: ${JSON.stringify(tally)}`);
  if (si) await Disconnect(si).catch(() => undefined);
  if (direct) await Disconnect(direct).catch(() => undefined);
  await proxy?.stop();
  await server?.close();
}, 60_000);

const label = (fault: Fault) => (fault.kind === "status" ? `status ${fault.status}` : fault.kind);

/**
 * `call` with `fault` injected into its first request matching `where`: the rules every call keeps.
 * `sessionless`: vcsim answers property reads without checking the session, so none is refused.
 */
async function underFault<T>(
  fault: Fault,
  where: Omit<FaultRule, "fault">,
  call: () => Promise<T>,
  sessionless = false,
) {
  const first = proxy.records.length;
  const trial = await proxy.trial(fault, where, call);
  tally.calls += 1;
  tally.injected += trial.injected;
  const outcome = trial.failed ? (trial.error as Error).name : "ok";
  tally.outcomes[outcome] = (tally.outcomes[outcome] ?? 0) + 1;
  expect(trial.injected).toBe(1);
  if (trial.failed && !(trial.error instanceof NimbusError)) {
    throw new Error(`not a NimbusError: ${outcome}: ${(trial.error as Error).message}`, { cause: trial.error });
  }
  expect(trial.ms).toBeLessThan(2 * TIMEOUT);
  // The session really ended: the server refused the old one at least once.
  if (fault.kind === "kill-session" && !sessionless)
    expect(proxy.records.slice(first).some((r) => r.upstreamStatus! >= 400)).toBe(true);
  // A late rejection surfaces now, failing this test rather than the next.
  await new Promise((resolve) => setImmediate(resolve));
  return trial;
}

const soap = { method: "POST", path: "/sdk" };

it("without a fault every call passes through the proxy", async () => {
  expect(await datacenter.name).toBe("DC0");
  expect(proxy.records.at(-1)).toMatchObject({ fault: "none", forwarded: true, upstreamStatus: 200 });
});

describe.each(EVERY_FAULT.map((fault) => [label(fault), fault] as const))("%s", (_name, fault) => {
  it("CurrentTime: the server's clock, or a NimbusError", async () => {
    const { value } = await underFault(fault, soap, () => si.CurrentTime());
    if (value) expect(Math.abs(value.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("a property read (the datacenter's name): its value, or a NimbusError", async () => {
    const { value } = await underFault(fault, soap, async () => await datacenter.name, true);
    if (value) expect(value).toBe("DC0");
  });

  it("a reference list (the VM folder's children): every child, or a NimbusError", async () => {
    const { value } = await underFault(
      fault,
      soap,
      async () => (await vmFolder.childEntity) as vim.ManagedEntity[],
      true,
    );
    if (value) expect(await Promise.all(value.map((child) => child.name))).toEqual(await held());
  });

  it("Folder.CreateFolder: vcsim holds what the SDK reported", async () => {
    const name = `w-${label(fault).replace(/\W+/g, "-")}`;
    const { value, error } = await underFault(fault, soap, () => vmFolder.CreateFolder(name));
    const names = await held();
    if (value) {
      expect(names.filter((n) => n === name)).toEqual([name]);
      expect(await value.name).toBe(name);
    } else if ((error as NimbusError).status! >= 400) {
      expect(names).not.toContain(name);
    }
  });
});
