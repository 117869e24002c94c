// Telemetry and progress on the simulator: each REST call reported under service "tutum" without the
// API key, and waitFor's common Progress.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Tutum, type CallRecord } from "../src/index.js";
import { startServer, type TutumTestServer } from "../src/testing/index.js";

let server: TutumTestServer;
let tutum: Tutum;
const calls: CallRecord[] = [];

beforeAll(async () => {
  server = await startServer({ transitionMs: 300 });
  tutum = new Tutum({
    user: server.credentials.user,
    apikey: server.credentials.apikey,
    base_url: server.url,
    env: {},
    configPath: "/nonexistent/.tutum",
    telemetry: { onCall: (c) => calls.push(c) },
  });
});

afterAll(async () => {
  await tutum?.close();
  await server?.stop();
});

describe("telemetry", () => {
  it("reports each call with method, status and request URL, and never the API key", async () => {
    await tutum.Service.list();
    await expect(tutum.Service.fetch("00000000-0000-0000-0000-000000000000")).rejects.toThrow();
    expect(calls.map((c) => [c.service, c.method, c.status])).toEqual([
      ["tutum", "GET", 200],
      ["tutum", "GET", 404],
    ]);
    expect(calls[1]!.error?.name).toBe("ObjectNotFound");
    expect(JSON.stringify(calls)).not.toContain(server.credentials.apikey);
  });
});

describe("progress", () => {
  it("waitFor reports the common Progress once per refresh, ending at fraction 1", async () => {
    const app = tutum.Application.create({ image: "tutum/hello-world", name: "observed" });
    await app.save();
    const done: number[] = [];
    const fractions: (number | undefined)[] = [];
    await tutum.waitFor(app, "Running", {
      interval: 10,
      onProgress: (resource, _ms, progress) => {
        expect(progress.value).toBe(resource);
        done.push(progress.done);
        fractions.push(progress.fraction);
      },
    });
    expect(done.length).toBeGreaterThan(1);
    expect(done).toEqual(done.map((_, i) => i + 1));
    expect(fractions.at(-1)).toBe(1);
  });
});
