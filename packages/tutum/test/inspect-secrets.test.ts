// No credential in a client's inspect output (console.log) or JSON, whatever it was given.
import { inspect } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { Tutum } from "../src/index.js";

const SECRETS = ["k3y-0f-alice", "QWxpY2U6czNjcjN0", "ApiKey alice:k3y-0f-alice"];

describe("a Tutum client's inspect output and JSON", () => {
  it("hide the API key and the Authorization values, even with showHidden", () => {
    const tutum = new Tutum({ user: "alice", apikey: SECRETS[0], env: {}, configPath: "/nonexistent/.tutum" });
    tutum.basic_auth = SECRETS[1];
    tutum.tutum_auth = SECRETS[2];
    const shown = [inspect(tutum, { depth: Infinity, showHidden: true }), JSON.stringify(tutum), String(tutum)];
    for (const text of shown) for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(shown[0]).toContain("alice");
    expect(JSON.parse(shown[1]!)).toMatchObject({ user: "alice", apikey: "REDACTED", basic_auth: "REDACTED" });
  });
});
