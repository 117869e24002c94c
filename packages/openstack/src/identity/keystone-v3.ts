// Keystone v3 password and token authentication, scoped to a project by id or by name and domain.
import { ParseError } from "@nimbus-sdk/common";
import { BaseIdentity, type AuthenticateOptions, type Credentials, type TokenGrant } from "./base.js";
import { buildServices, type CatalogEntry, type EndpointInterface } from "./catalog.js";

interface V3Token {
  expires_at: string;
  project?: { id: string; name: string };
  user?: { id: string; name: string };
  catalog?: {
    type: string;
    name: string;
    endpoints: { interface: EndpointInterface; region?: string; region_id?: string; url: string }[];
  }[];
}

function domain(id: string | undefined, name: string | undefined): { id: string } | { name: string } {
  return name && !id ? { name } : { id: id ?? "default" };
}

/** Keystone v3 authentication (password or token, with project and domain scope), pyrax's "keystone" identity type. */
export class KeystoneIdentity extends BaseIdentity {
  readonly identityType: string = "keystone";

  protected async requestToken(
    input: { credentials: Credentials } | { token: string; tenantId?: string; tenantName?: string },
    options: AuthenticateOptions,
  ): Promise<TokenGrant> {
    const c: Credentials =
      "credentials" in input ? input.credentials : { tenantId: input.tenantId, tenantName: input.tenantName };
    const identity =
      "token" in input
        ? { methods: ["token"], token: { id: input.token } }
        : {
            methods: ["password"],
            password: {
              user: { name: c.username, password: c.password, domain: domain(c.userDomainId, c.userDomainName) },
            },
          };
    const scope = c.tenantId
      ? { project: { id: c.tenantId } }
      : c.tenantName
        ? { project: { name: c.tenantName, domain: domain(c.projectDomainId, c.projectDomainName) } }
        : undefined;
    const who = "token" in input ? "the given token" : `user ${c.username}`;
    const response = await this.transport
      .request({
        method: "POST",
        url: "auth/tokens",
        json: { auth: { identity, ...(scope ? { scope } : {}) } },
        signal: options.signal,
      })
      .catch((error: unknown) => this.failed(error, who));
    const token = response.headers["x-subject-token"];
    const body = await response.json<{ token?: V3Token }>();
    if (!token || !body?.token?.expires_at) {
      throw new ParseError(`the identity service at ${this.authEndpoint} answered without a token`, {
        status: response.status,
      });
    }
    const t = body.token;
    const entries: CatalogEntry[] = (t.catalog ?? []).map((s) => ({
      type: s.type,
      name: s.name,
      endpoints: s.endpoints.map((e) => ({ region: e.region_id ?? e.region, interface: e.interface, url: e.url })),
    }));
    return {
      token,
      expires: new Date(t.expires_at),
      tenantId: t.project?.id,
      tenantName: t.project?.name,
      user: t.user,
      services: buildServices(entries),
    };
  }
}
