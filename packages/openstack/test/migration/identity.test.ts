// pycontribs/pyrax samples/auth_creds_file.py and samples/auth_direct.py, ported line by line against the
// Rackspace simulator (identity v2.0 with API keys, as identity_type "rackspace" speaks it; no Rackspace
// identity can run here). The one line a port adds is the simulator's auth_endpoint.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Logger } from "@nimbus-sdk/common";
import { Pyrax, exc } from "../../src/index.js";
import { rackspaceDns, startRackspaceSimulator, type RackspaceSimulator } from "../../src/testing/index.js";

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe("pyrax samples/auth_*.py", () => {
  let sim: RackspaceSimulator;
  let dir: string;

  beforeAll(async () => {
    sim = await startRackspaceSimulator([rackspaceDns()]);
    dir = mkdtempSync(join(tmpdir(), "nimbus-auth-samples-"));
  });

  afterAll(async () => {
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // import pyrax; pyrax.set_setting("identity_type", "rackspace")
  const freshPyrax = () => {
    const pyrax = new Pyrax({ configPath: join(dir, "absent.cfg"), env: {}, logger: quiet });
    pyrax.setSetting("identity_type", "rackspace");
    pyrax.setSetting("auth_endpoint", sim.authEndpoint);
    return pyrax;
  };

  // try: ...; except exc.AuthenticationFailed: print("Did you remember ..."); print("authenticated =", ...)
  async function tryAuth(pyrax: Pyrax, call: () => Promise<unknown>): Promise<[boolean, boolean]> {
    let failed = false;
    try {
      await call();
    } catch (error) {
      if (!(error instanceof exc.AuthenticationFailed)) throw error;
      failed = true;
    }
    return [failed, pyrax.identity.authenticated];
  }

  it("samples/auth_creds_file.py: set_credential_file with [rackspace_cloud] username and api_key", async () => {
    const credsFile = join(dir, "rackspace_cloud_credentials");
    const write = (apiKey: string) => {
      writeFileSync(credsFile, `[rackspace_cloud]\nusername = ${sim.username}\napi_key = ${apiKey}\n`);
      chmodSync(credsFile, 0o600);
    };
    write(sim.apiKey);
    const pyrax = freshPyrax();
    expect(await tryAuth(pyrax, () => pyrax.setCredentialFile(credsFile))).toEqual([false, true]);
    await pyrax.close();
    // The file still holding the placeholder: AuthenticationFailed, and authenticated = False.
    write("01234567890abcdef");
    const other = freshPyrax();
    expect(await tryAuth(other, () => other.setCredentialFile(credsFile))).toEqual([true, false]);
    await other.close();
  });

  it("samples/auth_direct.py: set_credentials(username, api_key)", async () => {
    const pyrax = freshPyrax();
    expect(await tryAuth(pyrax, () => pyrax.setCredentials(sim.username, sim.apiKey))).toEqual([false, true]);
    await pyrax.close();
    // pyrax.set_credentials("real_username", "real_api_key")
    const other = freshPyrax();
    expect(await tryAuth(other, () => other.setCredentials("real_username", "real_api_key"))).toEqual([true, false]);
    await other.close();
  });
});
