// No credential in the inspect output (console.log) or JSON of a connection or its SSO state.
import { inspect } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { Connection } from "../src/connection.js";
import { SsoAuth } from "../src/sso.js";

describe("an oVirt connection's inspect output and JSON", () => {
  it("hide the password and the token, even with showHidden", async () => {
    const url = new URL("https://engine.example/ovirt-engine/api");
    const auth = new SsoAuth(url, { username: "admin@internal", password: "s3cr3t-passw0rd", token: "t0ken-0f-admin" });
    const connection = new Connection(url, auth, {});
    try {
      for (const value of [connection, auth]) {
        for (const text of [inspect(value, { depth: Infinity, showHidden: true }), JSON.stringify(value)]) {
          expect(text).not.toContain("s3cr3t-passw0rd");
          expect(text).not.toContain("t0ken-0f-admin");
        }
      }
      expect(inspect(auth)).toContain("admin@internal");
    } finally {
      await connection.close();
    }
  });
});
