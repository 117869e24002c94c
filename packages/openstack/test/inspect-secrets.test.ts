// No credential in the inspect output (console.log) or JSON of the pyrax module, a context, or its
// identity, whatever they were given or obtained.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, describe, expect, it } from "@jest/globals";
import { Pyrax } from "../src/index.js";

const PASSWORD = "s3cr3t-passw0rd";
const TOKEN = "gAAAAABtoken-0f-alice";
const dir = mkdtempSync(join(tmpdir(), "nimbus-inspect-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function shown(value: object): string[] {
  return [inspect(value, { depth: Infinity, showHidden: true }), JSON.stringify(value)];
}

describe("pyrax's inspect output and JSON", () => {
  it.each(["keystone", "rackspace"])("hide the password, API key and token (%s)", async (identityType) => {
    const configPath = join(dir, `${identityType}.cfg`);
    writeFileSync(configPath, `[default]\nidentity_type = ${identityType}\nauth_endpoint = http://127.0.0.1:9/v3\n`);
    const pyrax = new Pyrax({ configPath, env: {} });
    await pyrax.setCredentials("alice", PASSWORD, { authenticate: false, password: PASSWORD });
    // What a login stores (the identity's public token), without a server.
    pyrax.identity.token = TOKEN;
    for (const text of [...shown(pyrax), ...shown(pyrax.identity)]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(TOKEN);
    }
    expect(shown(pyrax.identity)[0]).toContain("REDACTED");
  });
});
