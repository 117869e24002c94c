// Telemetry on vcsim: every SOAP call reported as an RPC (service "vim25", the operation's name),
// and never the password or the session cookie.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Disconnect, type CallRecord } from "../src/index.js";
import { startVcsim, type VcsimServer } from "../src/testing/index.js";
import { connectTo } from "./helpers/connect.js";

// A cold build of vcsim takes 15-30 s on a busy machine.
const START_MS = 240_000;

let server: VcsimServer;

beforeAll(async () => {
  server = await startVcsim({ vm: 1 });
}, START_MS);

afterAll(async () => {
  await server?.close();
});

describe("telemetry", () => {
  it("reports each SOAP call with its operation, status and duration, and no secret", async () => {
    const calls: CallRecord[] = [];
    const si = await connectTo(server, { telemetry: { onCall: (c) => calls.push(c) } });
    const content = await si.RetrieveContent();
    expect(await content.about.apiType).toBe("VirtualCenter");
    await Disconnect(si);
    const operations = calls.map((c) => c.operation);
    expect(operations).toEqual(expect.arrayContaining(["RetrieveServiceContent", "Login", "Logout"]));
    for (const call of calls.filter((c) => c.method === "POST")) {
      expect(call).toMatchObject({ service: "vim25", status: 200, retries: 0 });
      expect(call.durationMs).toBeGreaterThan(0);
    }
    const shown = JSON.stringify(calls);
    expect(shown).not.toContain(server.password);
    expect(shown).not.toContain("vmware_soap_session");
  });
});
