// The members as fetched (src/snapshot.ts): what update() compares with and toJSON() gives. A snapshot must
// restore exactly the deep copy taken when it was made, whatever was done to the value since, and entities
// sharing a shape must not share their values.
import { describe, expect, it } from "@jest/globals";
import { Status } from "../src/status.js";
import { copyOf, restore, snapshot } from "../src/snapshot.js";
import { AS_REFERENCE } from "../src/wire/marks.js";

const vm = (n: number) => ({
  href: `/ovirt-engine/api/vms/${n}`,
  id: String(n),
  name: `vm-${n}`,
  memory: 1073741824 * n,
  stateless: n % 2 === 0,
  creation_time: new Date(Date.UTC(2024, 0, n)),
  cpu: { topology: { cores: n, sockets: 1 }, architecture: "x86_64" },
  os: { boot: { devices: ["hd", `disk${n}`] } },
  link: [{ rel: "nics", href: `/ovirt-engine/api/vms/${n}/nics` }],
  comment: undefined,
  stop_reason: null,
});

describe("snapshot and restore", () => {
  it("restore gives the deep copy of the value as it was: plain objects, new Dates, Status and references kept", () => {
    const reference = { id: "c1" };
    Object.defineProperty(reference, AS_REFERENCE, { value: true });
    const status = new Status("up");
    const value = { ...vm(3), status, cluster: reference };
    const kept = snapshot(value);
    const restored = restore(kept) as ReturnType<typeof vm> & { status: Status; cluster: object };
    expect(restored).toStrictEqual(copyOf(value));
    expect(Object.keys(restored)).toEqual(Object.keys(value));
    expect(restored.status).toBe(status);
    expect(restored.cluster).toBe(reference);
    expect(restored.creation_time).not.toBe(value.creation_time);
    expect(restored.creation_time.getTime()).toBe(value.creation_time.getTime());
    expect(restored.cpu).not.toBe(value.cpu);
    expect(restored.os.boot.devices).not.toBe(value.os.boot.devices);
    // Each restore is a copy of its own.
    (restore(kept) as typeof restored).cpu.topology.cores = 99;
    expect((restore(kept) as typeof restored).cpu.topology.cores).toBe(3);
  });

  it("changes made to the value after the snapshot do not reach it", () => {
    const value = vm(4);
    const kept = snapshot(value);
    value.cpu.topology.cores = 8;
    value.os.boot.devices[1] = "network";
    value.os.boot.devices.push("cdrom");
    value.creation_time.setTime(0);
    value.link[0]!.rel = "changed";
    (value as Record<string, unknown>).extra = 1;
    expect(restore(kept)).toStrictEqual(copyOf(vm(4)));
  });

  it("values of one shape share it, not their leaves", () => {
    const first = vm(5);
    const second = vm(6);
    const keptFirst = snapshot(first);
    const keptSecond = snapshot(second);
    expect(keptSecond.shape).toBe(keptFirst.shape);
    expect(restore(keptFirst)).toStrictEqual(copyOf(vm(5)));
    expect(restore(keptSecond)).toStrictEqual(copyOf(vm(6)));
  });

  it("values of another shape are kept with theirs: key order, a missing or extra key, list lengths, kinds", () => {
    const base = vm(7);
    const { name, ...withoutName } = base;
    const variants: object[] = [
      base,
      { name, ...withoutName }, // same keys, another order
      withoutName,
      { ...base, description: "more" },
      { ...base, os: { boot: { devices: ["hd"] } } },
      { ...base, os: { boot: { devices: [] } } },
      { ...base, creation_time: "2024-01-07" }, // a string where a Date was
      { ...base, cpu: "x86_64" }, // a leaf where an object was
      { ...base, cpu: ["a", "b"] }, // an array where an object was
      { ...base, link: { rel: "nics" } }, // an object where an array was
      { ...base, stateless: new Date(0) }, // a Date where a leaf was
    ];
    // Twice over, so that the shapes met last are reused and more shapes than are kept are met.
    for (let round = 0; round < 2; round++) {
      const kept = variants.map((value) => snapshot(value));
      kept.forEach((one, i) => expect(restore(one)).toStrictEqual(copyOf(variants[i])));
      kept.forEach((one, i) => expect(Object.keys(restore(one) as object)).toEqual(Object.keys(variants[i]!)));
    }
  });
});
