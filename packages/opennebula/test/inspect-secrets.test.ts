// No session (user:password) in a OneServer's inspect output (console.log) or JSON.
import { inspect } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { OneServer } from "../src/index.js";

describe("a OneServer's inspect output and JSON", () => {
  it("hide the session, even with showHidden", async () => {
    const one = new OneServer("http://oneadmin:s3cr3t-in-url@127.0.0.1:9/RPC2", {
      session: "oneadmin:s3cr3t-passw0rd",
    });
    try {
      for (const text of [inspect(one, { depth: Infinity, showHidden: true }), JSON.stringify(one)]) {
        expect(text).not.toContain("s3cr3t-passw0rd");
        expect(text).not.toContain("s3cr3t-in-url");
      }
      expect(inspect(one)).toContain("127.0.0.1:9/RPC2");
      expect(JSON.parse(JSON.stringify(one))).toEqual({ endpoint: "http://127.0.0.1:9/RPC2" });
    } finally {
      await one.close();
    }
  });
});
