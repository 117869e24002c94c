import { describe, expect, it } from "@jest/globals";
import { ProgressTracker, waitUntil, type WaitProgress } from "../src/index.js";

function nonDecreasing(values: readonly number[]): boolean {
  return values.every((v, i) => i === 0 || v >= values[i - 1]!);
}

describe("ProgressTracker", () => {
  it("gives done / total, never going back when a retried part makes done smaller", () => {
    const tracker = new ProgressTracker("upload", "bytes", 200);
    const fractions = [50, 100, 20, 150, 200].map((done) => tracker.report(done).fraction!);
    expect(fractions).toEqual([0.25, 0.5, 0.5, 0.75, 1]);
    expect(tracker.report(120)).toMatchObject({ phase: "upload", unit: "bytes", done: 120, total: 200, fraction: 1 });
  });

  it("has no fraction until a total is known, and 1 once finished", () => {
    const tracker = new ProgressTracker("download", "bytes");
    expect(tracker.report(10).fraction).toBeUndefined();
    expect(tracker.report(10, 40).fraction).toBe(0.25);
    expect(tracker.finish()).toMatchObject({ done: 40, total: 40, fraction: 1 });
    expect(new ProgressTracker("sync", "files", 0).report(0).fraction).toBe(1);
  });
});

describe("waitUntil's progress", () => {
  it("reports once per check, counting checks when nothing gives a percentage, and 1 when done", async () => {
    const seen: WaitProgress<string>[] = [];
    const values = ["BUILD", "BUILD", "BUILD", "ACTIVE"];
    let i = 0;
    await waitUntil(
      async () => values[i++]!,
      (s) => s === "ACTIVE",
      {
        interval: 1,
        onProgress: (_value, _elapsed, progress) => seen.push(progress),
      },
    );
    expect(seen).toHaveLength(4);
    expect(seen.map((p) => p.value)).toEqual(values);
    expect(seen.map((p) => p.done)).toEqual([1, 2, 3, 4]);
    expect(seen.every((p) => p.phase === "wait" && p.unit === "checks")).toBe(true);
    expect(seen.slice(0, 3).map((p) => p.fraction)).toEqual([undefined, undefined, undefined]);
    expect(seen[3]!.fraction).toBe(1);
  });

  it("with percent: a fraction that never goes back and ends at 1", async () => {
    const seen: WaitProgress<{ status: string; progress?: number }>[] = [];
    const values = [
      { status: "BUILD", progress: 0 },
      { status: "BUILD", progress: 40 },
      { status: "BUILD", progress: 30 },
      { status: "BUILD" },
      { status: "BUILD", progress: 90 },
      { status: "ACTIVE", progress: 100 },
    ];
    let i = 0;
    await waitUntil(
      async () => values[i++]!,
      (s) => s.status === "ACTIVE",
      {
        interval: 1,
        percent: (s) => s.progress,
        onProgress: (_value, _elapsed, progress) => seen.push(progress),
      },
    );
    const fractions = seen.map((p) => p.fraction!);
    expect(fractions).toEqual([0, 0.4, 0.4, 0.4, 0.9, 1]);
    expect(nonDecreasing(fractions)).toBe(true);
    expect(seen.every((p) => p.unit === "percent" && p.total === 100)).toBe(true);
  });

  it("reports the value that ends the wait with an error too", async () => {
    const seen: string[] = [];
    const failed = waitUntil(
      async () => "ERROR",
      () => {
        throw new Error("went to ERROR");
      },
      { onProgress: (value, _ms, progress) => seen.push(`${value}:${progress.done}`) },
    );
    await expect(failed).rejects.toThrow("went to ERROR");
    expect(seen).toEqual(["ERROR:1"]);
  });
});
