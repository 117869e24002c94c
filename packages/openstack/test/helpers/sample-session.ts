// What every pyrax sample script does first, on the shared stack: set the identity type, point at the
// endpoint (the one line a Keystone user adds), and `pyrax.set_credential_file(creds_file)` from a file
// of the demo user's credentials, as samples/*/*.py do with ~/.rackspace_cloud_credentials.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "@nimbus-sdk/common";
import { Pyrax } from "../../src/index.js";
import type { ComputeCloud } from "./stack.js";

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export interface SampleSession {
  pyrax: Pyrax;
  /** Closes the module object's clients and removes the credential file. */
  close(): Promise<void>;
}

export async function sampleSession(cloud: ComputeCloud): Promise<SampleSession> {
  const dir = mkdtempSync(join(tmpdir(), "nimbus-pyrax-sample-"));
  const { username, password, projectId } = cloud.stack.credentials;
  const credsFile = join(dir, "rackspace_cloud_credentials");
  writeFileSync(credsFile, `[keystone]\nusername = ${username}\npassword = ${password}\ntenant_id = ${projectId}\n`);
  chmodSync(credsFile, 0o600);
  const pyrax = new Pyrax({ configPath: join(dir, "absent.cfg"), env: {}, logger: quiet });
  // pyrax.set_setting("identity_type", "rackspace") -> "keystone", and its endpoint
  pyrax.setSetting("identity_type", "keystone");
  pyrax.setSetting("auth_endpoint", cloud.stack.url);
  // pyrax.set_credential_file(creds_file)
  await pyrax.setCredentialFile(credsFile);
  return {
    pyrax,
    close: async () => {
      await pyrax.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
