// waitFor's ends besides success: the failed statuses of a type, a VM that falls back to down while
// starting, and the default timeout. Fake resources give the statuses in turn, so nothing waits.
import { describe, expect, it } from "@jest/globals";
import { DEFAULT_WAIT_TIMEOUT_MS, Status, WaitFailed, waitFor, type VmResource } from "../src/index.js";
import { STRUCT_TYPE } from "../src/wire/marks.js";

/** A resource of `type` whose reload() gives `statuses` one after the other (the last one for ever). */
function fake(type: string, statuses: string[]): VmResource {
  let at = 0;
  const resource = {
    [STRUCT_TYPE]: type,
    name: "fake",
    reload: async () => ({ ...resource, status: new Status(statuses[Math.min(at++, statuses.length - 1)]!) }),
  };
  return resource as unknown as VmResource;
}

const quick = { intervalMs: 1, timeoutMs: 2000 };

describe("waitFor", () => {
  it("fails when a VM on its way up falls back to down, naming the status", async () => {
    const error = await waitFor(fake("Vm", ["down", "wait_for_launch", "powering_up", "down"]), "up", quick).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WaitFailed);
    expect(error).toMatchObject({ reached: "down" });
    expect((error as Error).message).toBe(
      "gave up waiting for Vm fake to be up: it is down again after down, wait_for_launch, powering_up",
    );
  });

  it("waits past the down of a VM whose start the engine has not begun yet", async () => {
    const up = await waitFor(fake("Vm", ["down", "down", "wait_for_launch", "up"]), "up", quick);
    expect(up.status?.state).toBe("up");
  });

  it("fails on a type's failed status, and not when failOn is given empty", async () => {
    const disk = () => fake("Disk", ["locked", "illegal", "ok"]) as never;
    await expect(waitFor(disk(), "ok" as never, quick)).rejects.toMatchObject({ reached: "illegal" });
    await expect(waitFor(disk(), "ok" as never, { ...quick, failOn: [] })).resolves.toMatchObject({
      status: { state: "ok" },
    });
  });

  it("has a default timeout of ten minutes, and waits for ever with Infinity", async () => {
    expect(DEFAULT_WAIT_TIMEOUT_MS).toBe(600_000);
    const up = await waitFor(fake("Vm", ["powering_up", "up"]), "up", { intervalMs: 1, timeoutMs: Infinity });
    expect(up.status?.state).toBe("up");
  });
});
