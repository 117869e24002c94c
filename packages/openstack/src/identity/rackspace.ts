// Rackspace Cloud identity: Keystone v2.0 with the RAX-KSKEY API-key extension.
import type { Credentials } from "./base.js";
import { KeystoneV2Identity } from "./keystone-v2.js";

/** Rackspace Cloud's identity endpoint. */
export const RACKSPACE_AUTH_ENDPOINT = "https://identity.api.rackspacecloud.com/v2.0/";

/** Rackspace Cloud authentication (user name and API key or password), pyrax's "rackspace" identity type. */
export class RaxIdentity extends KeystoneV2Identity {
  override readonly identityType: string = "rackspace";

  protected override credentialsBody(credentials: Credentials): Record<string, unknown> {
    return credentials.apiKey
      ? { "RAX-KSKEY:apiKeyCredentials": { username: credentials.username, apiKey: credentials.apiKey } }
      : super.credentialsBody(credentials);
  }
}
