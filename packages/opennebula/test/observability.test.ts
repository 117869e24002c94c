// Telemetry and progress on the simulator: every XML-RPC call reported as an RPC (service
// "opennebula", the method as operation) without the session, and waitForState's common Progress.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { OneServer, waitForState, type CallRecord } from "../src/index.js";
import { startServer, type OneTestServer } from "../src/testing/index.js";

let sim: OneTestServer;
let one: OneServer;
const calls: CallRecord[] = [];

beforeAll(async () => {
  sim = await startServer({ transitionMs: 30 });
  one = new OneServer(sim.endpoint, {
    session: sim.session,
    proxy: false,
    telemetry: { onCall: (c) => calls.push(c) },
  });
});

afterAll(async () => {
  await one?.close();
  await sim?.close();
});

describe("telemetry", () => {
  it("reports each call with the XML-RPC method as operation, and never the session", async () => {
    const tid = await one.template.allocate({ NAME: "observed", CPU: "1", MEMORY: "128", DISK: { IMAGE_ID: "0" } });
    await one.template.info(tid);
    await expect(one.vm.info(999_999)).rejects.toThrow();
    expect(calls.map((c) => c.operation)).toEqual(["one.template.allocate", "one.template.info", "one.vm.info"]);
    expect(calls.every((c) => c.service === "opennebula" && c.method === "POST" && c.status === 200)).toBe(true);
    expect(calls[2]!.error?.name).toBe("OneNoExistsException");
    const password = sim.session.split(":")[1]!;
    expect(JSON.stringify(calls)).not.toContain(password);
    expect(JSON.stringify(calls)).not.toContain(sim.session);
  });
});

describe("progress", () => {
  it("waitForState reports the common Progress once per check, ending at fraction 1", async () => {
    const tid = await one.template.allocate({ NAME: "waited", CPU: "1", MEMORY: "128", DISK: { IMAGE_ID: "0" } });
    const id = await one.template.instantiate(tid, "waited-vm");
    const checks: number[] = [];
    const fractions: (number | undefined)[] = [];
    await waitForState(one, id, "RUNNING", {
      interval: 10,
      timeout: 10_000,
      onProgress: (vm, _ms, progress) => {
        expect(progress.value).toBe(vm);
        checks.push(progress.done);
        fractions.push(progress.fraction);
      },
    });
    expect(checks.length).toBeGreaterThan(1);
    expect(checks).toEqual(checks.map((_, i) => i + 1));
    expect(fractions.at(-1)).toBe(1);
  });
});
