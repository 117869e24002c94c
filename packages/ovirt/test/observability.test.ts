// Telemetry and progress on the engine simulator: the SSO and API calls reported under their own
// services without the password or the token, and waitFor's common Progress.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { API, params, waitFor, type CallRecord } from "../src/index.js";
import { startEngine, type EngineSimulator } from "../src/testing/index.js";

let engine: EngineSimulator;
let api: API;
const calls: CallRecord[] = [];

beforeAll(async () => {
  engine = await startEngine({ stepMs: 10 });
  api = await API.connect({
    url: engine.url,
    username: engine.username,
    password: engine.password,
    caFile: engine.caFile,
    telemetry: { onCall: (c) => calls.push(c) },
  });
});

afterAll(async () => {
  await api?.disconnect();
  await engine?.close();
});

describe("telemetry", () => {
  it("reports the SSO login and each API call, and never the password or the token", async () => {
    await api.vms.list();
    expect(calls[0]).toMatchObject({ service: "ovirt-sso", method: "POST", status: 200 });
    expect(calls.at(-1)).toMatchObject({ service: "ovirt-engine", method: "GET", status: 200 });
    expect(new URL(calls.at(-1)!.url).pathname).toMatch(/\/vms$/);
    const shown = JSON.stringify(calls);
    expect(shown).not.toContain(engine.password);
  });
});

describe("progress", () => {
  it("waitFor reports the common Progress once per read, ending at fraction 1", async () => {
    const sd = (await api.storage_domains.list())[0]!;
    const disk = await api.disks.add(
      new params.Disk({
        name: "observed_disk",
        storage_domains: new params.StorageDomains({ storage_domain: [sd] }),
        provisioned_size: 1073741824,
        interface: "virtio",
        format: "cow",
      }),
    );
    const done: number[] = [];
    const fractions: (number | undefined)[] = [];
    await waitFor(disk, "ok", {
      intervalMs: 10,
      timeoutMs: 10_000,
      onProgress: (_d, _ms, progress) => {
        done.push(progress.done);
        fractions.push(progress.fraction);
      },
    });
    expect(done.length).toBeGreaterThan(0);
    expect(done).toEqual(done.map((_, i) => i + 1));
    expect(fractions.at(-1)).toBe(1);
  });
});
