import { describe, expect, it, jest } from "@jest/globals";
import { AbortError, NimbusError, TimeoutError } from "../src/errors/index.js";
import { waitUntil } from "../src/polling/wait-until.js";

/** A check that returns the given states one after the other, then the last one for ever. */
function states<T>(...values: T[]) {
  let calls = 0;
  const check = jest.fn(async (_options: { signal?: AbortSignal }) => values[Math.min(calls++, values.length - 1)]!);
  return check;
}

describe("waitUntil", () => {
  it("resolves with the value once done says so, checking no more", async () => {
    const check = states("PENDING", "BOOT", "RUNNING", "NEVER");
    const done = jest.fn((state: string) => state === "RUNNING");
    await expect(waitUntil(check, done, { interval: 1 })).resolves.toBe("RUNNING");
    expect(check).toHaveBeenCalledTimes(3);
    expect(done.mock.calls.map(([state]) => state)).toEqual(["PENDING", "BOOT", "RUNNING"]);
  });

  it("does not wait when the first check is already done", async () => {
    const check = states(1);
    await expect(waitUntil(check, (n) => n === 1, { interval: 60_000 })).resolves.toBe(1);
    expect(check).toHaveBeenCalledTimes(1);
  });

  it("reports every checked value and the time waited to onProgress", async () => {
    const progress: [string, number][] = [];
    await waitUntil(states("a", "b", "c"), (s) => s === "c", {
      interval: 2,
      onProgress: (value, elapsed) => progress.push([value, elapsed]),
    });
    expect(progress.map(([value]) => value)).toEqual(["a", "b", "c"]);
    const elapsed = progress.map(([, ms]) => ms);
    expect(elapsed.every((ms) => ms >= 0)).toBe(true);
    expect(elapsed).toEqual([...elapsed].sort((x, y) => x - y));
    expect(elapsed[2]!).toBeGreaterThanOrEqual(2);
  });

  it("passes the signal to check", async () => {
    const controller = new AbortController();
    const check = states(true);
    await waitUntil(check, Boolean, { signal: controller.signal });
    expect(check).toHaveBeenCalledWith({ signal: controller.signal });
  });

  it("throws a TimeoutError naming what it waited for", async () => {
    const check = states("BUILD");
    const promise = waitUntil(check, (s) => s === "ACTIVE", {
      interval: 2,
      timeout: 20,
      description: "server 42 to be ACTIVE",
    });
    await expect(promise).rejects.toThrow(TimeoutError);
    await expect(promise).rejects.toThrow(/server 42 to be ACTIVE.*timeout 20 ms/);
    await expect(promise).rejects.toBeInstanceOf(NimbusError);
    expect(check.mock.calls.length).toBeGreaterThan(1);
  });

  it("gives up before a wait that would end past the timeout", async () => {
    const check = states("BUILD");
    await expect(waitUntil(check, () => false, { interval: 60_000, timeout: 50 })).rejects.toThrow(TimeoutError);
    expect(check).toHaveBeenCalledTimes(1);
  });

  it("throws an AbortError when aborted during the wait between checks", async () => {
    const controller = new AbortController();
    const check = states("BUILD");
    const reason = new Error("user pressed ^C");
    const promise = waitUntil(check, () => false, {
      interval: 60_000,
      signal: controller.signal,
      description: "vm 7 to be RUNNING",
      onProgress: () => setTimeout(() => controller.abort(reason), 5),
    });
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).message).toMatch(/vm 7 to be RUNNING/);
    expect((error as AbortError).cause).toBe(reason);
    expect(check).toHaveBeenCalledTimes(1);
  });

  it("throws an AbortError without checking when already aborted", async () => {
    const check = states("BUILD");
    await expect(waitUntil(check, () => true, { signal: AbortSignal.abort() })).rejects.toThrow(AbortError);
    expect(check).not.toHaveBeenCalled();
  });

  it("lets an error from check propagate as it is", async () => {
    const failure = new Error("500 from the API");
    let calls = 0;
    const check = async () => {
      if (++calls === 2) throw failure;
      return "BUILD";
    };
    await expect(waitUntil(check, () => false, { interval: 1 })).rejects.toBe(failure);
    expect(calls).toBe(2);
  });

  it("lets done throw for a failed state", async () => {
    const done = (state: string) => {
      if (state === "ERROR") throw new Error("vm entered ERROR");
      return state === "RUNNING";
    };
    await expect(waitUntil(states("BUILD", "ERROR", "RUNNING"), done, { interval: 1 })).rejects.toThrow(
      "vm entered ERROR",
    );
  });
});

describe("waitUntil's deadline", () => {
  it("bounds a check that hangs: the check's signal fires at the timeout", async () => {
    const hanging = (options: { signal?: AbortSignal }) =>
      new Promise<string>((_resolve, reject) => {
        options.signal?.addEventListener("abort", () => reject(options.signal?.reason));
      });
    const error = await waitUntil(hanging, () => true, { timeout: 50, description: "the VM" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain("the VM");
  });
});
