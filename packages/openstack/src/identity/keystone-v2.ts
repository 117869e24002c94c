// Keystone v2.0 (older clouds) and, through `credentialsBody`, Rackspace's flavour of it.
import { ParseError } from "@nimbus-sdk/common";
import { BaseIdentity, type AuthenticateOptions, type Credentials, type TokenGrant } from "./base.js";
import { buildServices, type CatalogEntry } from "./catalog.js";

interface V2Access {
  token: { id: string; expires: string; tenant?: { id: string; name: string } };
  user?: { id: string; name: string };
  serviceCatalog?: {
    type: string;
    name: string;
    endpoints: { region?: string; publicURL?: string; internalURL?: string; adminURL?: string }[];
  }[];
}

/** Keystone v2.0 authentication (password and tenant), for clouds that still serve it. */
export class KeystoneV2Identity extends BaseIdentity {
  readonly identityType: string = "keystone";

  /** The `auth` object's credentials part. */
  protected credentialsBody(credentials: Credentials): Record<string, unknown> {
    return { passwordCredentials: { username: credentials.username, password: credentials.password } };
  }

  protected async requestToken(
    input: { credentials: Credentials } | { token: string; tenantId?: string; tenantName?: string },
    options: AuthenticateOptions,
  ): Promise<TokenGrant> {
    const c: Credentials =
      "credentials" in input ? input.credentials : { tenantId: input.tenantId, tenantName: input.tenantName };
    const auth = {
      ...("token" in input ? { token: { id: input.token } } : this.credentialsBody(c)),
      ...(c.tenantId ? { tenantId: c.tenantId } : c.tenantName ? { tenantName: c.tenantName } : {}),
    };
    const who = "token" in input ? "the given token" : `user ${c.username}`;
    const body = await this.transport
      .json<{ access?: V2Access }>({ method: "POST", url: "tokens", json: { auth }, signal: options.signal })
      .catch((error: unknown) => this.failed(error, who));
    const access = body?.access;
    if (!access?.token?.id) {
      throw new ParseError(`the identity service at ${this.authEndpoint} answered without a token`);
    }
    const entries: CatalogEntry[] = (access.serviceCatalog ?? []).map((s) => ({
      type: s.type,
      name: s.name,
      endpoints: s.endpoints.flatMap((e) =>
        (
          [
            ["public", e.publicURL],
            ["internal", e.internalURL],
            ["admin", e.adminURL],
          ] as const
        )
          .filter(([, url]) => url)
          .map(([face, url]) => ({ region: e.region, interface: face, url: url! })),
      ),
    }));
    return {
      token: access.token.id,
      expires: new Date(access.token.expires),
      tenantId: access.token.tenant?.id,
      tenantName: access.token.tenant?.name,
      user: access.user,
      services: buildServices(entries),
    };
  }
}
