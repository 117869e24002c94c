// Tutum reads and writes through common's fault proxy, in front of the simulator: every fault kind (but
// kill-session: each request carries the API key, there is no login session to end), once per call.
// Each call must succeed with the right answer or throw a NimbusError, within twice its timeout, with no
// unhandled rejection (jest-circus fails the running test on one: it replaces the process's listeners
// with its own); after a write the simulator must hold what the SDK reported: the application it
// returned, and none after an error answer (status >= 400) from Tutum or a gateway. Other failures are
// an unknown outcome.
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { NimbusError } from "@nimbus-sdk/common";
import { EVERY_FAULT, startFaultProxy, type Fault, type FaultProxy, type FaultRule } from "@nimbus-sdk/common/testing";
import { Tutum, type Application } from "../src/index.js";
import { startServer, type TutumTestServer } from "../src/testing/index.js";

jest.setTimeout(30_000);

const TIMEOUT = 1500;

let server: TutumTestServer;
let proxy: FaultProxy;
let tutum: Tutum;
let direct: Tutum;
let seeded: Application;
const tally = { calls: 0, injected: 0, outcomes: {} as Record<string, number> };

const client = (baseUrl: string) =>
  new Tutum({
    user: server.credentials.user,
    apikey: server.credentials.apikey,
    base_url: baseUrl,
    env: {},
    configPath: "/nonexistent/.tutum",
    proxy: false,
    timeout: TIMEOUT,
    retry: { limit: 2, baseDelay: 50, maxDelay: 200, maxRetryAfter: 1000 },
  });

beforeAll(async () => {
  server = await startServer({ transitionMs: 20 });
  proxy = await startFaultProxy({ target: server.restHost });
  tutum = client(proxy.rewrite(server.url));
  direct = client(server.url);
  seeded = direct.Application.create({ image: "tutum/hello-world", name: "seeded", target_num_containers: 1 });
  await seeded.save();
  await server.idle();
});

afterAll(async () => {
  console.log(`tutum faults: ${JSON.stringify(tally)}`);
  await tutum?.close();
  await direct?.close();
  await proxy?.stop();
  await server?.stop();
});

const label = (fault: Fault) => (fault.kind === "status" ? `status ${fault.status}` : fault.kind);

/** `call` with `fault` injected into its first request matching `where`: the rules every call keeps. */
async function underFault<T>(fault: Fault, where: Omit<FaultRule, "fault">, call: () => Promise<T>) {
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
  // A late rejection surfaces now, failing this test rather than the next.
  await new Promise((resolve) => setImmediate(resolve));
  return trial;
}

const FAULTS = EVERY_FAULT.filter((fault) => fault.kind !== "kill-session");
const reads = { method: "GET" };

it("without a fault every call passes through the proxy", async () => {
  expect((await tutum.Application.fetch(seeded.uuid)).name).toBe("seeded");
  expect(proxy.records.at(-1)).toMatchObject({ fault: "none", forwarded: true, upstreamStatus: 200 });
});

describe.each(FAULTS.map((fault) => [label(fault), fault] as const))("%s", (_name, fault) => {
  it("Application.list: the applications, or a NimbusError", async () => {
    const { value } = await underFault(fault, reads, async () => await tutum.Application.list());
    if (value) expect(value.map((app) => app.uuid)).toContain(seeded.uuid);
  });

  it("Application.fetch: the application, or a NimbusError", async () => {
    const { value } = await underFault(fault, reads, () => tutum.Application.fetch(seeded.uuid));
    if (value) expect(value.name).toBe("seeded");
  });

  it("Container.list: the containers, or a NimbusError", async () => {
    const { value } = await underFault(fault, reads, async () => await tutum.Container.list());
    if (value)
      expect(value.map((c) => c.uuid).sort()).toEqual((await direct.Container.list()).map((c) => c.uuid).sort());
  });

  it("Application.save (create): the simulator holds what the SDK reported", async () => {
    const name = `w-${label(fault).replace(/\W+/g, "-")}`;
    const app = tutum.Application.create({ image: "tutum/hello-world", name, target_num_containers: 1 });
    const { value, error } = await underFault(fault, { method: "POST" }, () => app.save());
    const held = await direct.Application.list({ name });
    if (value) {
      expect(held.map((a) => a.uuid)).toEqual([app.uuid]);
    } else if (error !== undefined && (error as NimbusError).status! >= 400) {
      expect(held).toEqual([]);
    }
  });
});
