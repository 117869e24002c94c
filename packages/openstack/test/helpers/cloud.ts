// Starts the real cloud (Keystone + Swift + Glance from src/testing) and logs in as the demo user
// with a raw Keystone v3 request, so service tests (Cloud Files, Images) need no identity code.
import type { AuthStep } from "@nimbus-sdk/common";
import {
  startServer,
  type KeystoneCredentials,
  type OpenStackService,
  type OpenStackTestServer,
} from "../../src/testing/index.js";

export interface CatalogEntry {
  type: string;
  endpoints: { interface: string; region_id?: string; region?: string; url: string }[];
}

export interface TestCloud {
  server: OpenStackTestServer;
  /** A project-scoped token of the demo user. */
  token: string;
  /** Adds the token to each request. */
  auth: AuthStep;
  region: string;
  /** The public object-store endpoint, `http://127.0.0.1:<port>/v1/AUTH_<project id>` (throws without Swift). */
  readonly objectStoreUrl: string;
  /** The public image endpoint (Glance's root; the API is under /v2; throws without Glance). */
  readonly imageUrl: string;
  /** The whole catalog, for tests that need another service. */
  catalog: CatalogEntry[];
  stop(): Promise<void>;
}

/** A Keystone v3 password login scoped to the user's project. */
export async function keystoneLogin(
  authUrl: string,
  c: KeystoneCredentials,
): Promise<{ token: string; catalog: CatalogEntry[]; issuedAt: Date; expiresAt: Date }> {
  const response = await fetch(`${authUrl.replace(/\/+$/, "")}/auth/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: c.username, domain: { id: c.userDomainId }, password: c.password } },
        },
        scope: { project: { name: c.projectName, domain: { id: c.projectDomainId } } },
      },
    }),
  });
  if (response.status !== 201) {
    throw new Error(`Keystone login failed: ${response.status} ${(await response.text()).slice(0, 300)}`);
  }
  const token = response.headers.get("x-subject-token");
  if (!token) throw new Error("Keystone sent no X-Subject-Token");
  const body = (await response.json()) as {
    token: { catalog?: CatalogEntry[]; issued_at: string; expires_at: string };
  };
  return {
    token,
    catalog: body.token.catalog ?? [],
    issuedAt: new Date(body.token.issued_at),
    expiresAt: new Date(body.token.expires_at),
  };
}

/** The public URL of `type` in `region`. */
export function catalogUrl(catalog: readonly CatalogEntry[], type: string, region: string): string {
  const entry = catalog.find((e) => e.type === type);
  const found = entry?.endpoints.find(
    (e) => e.interface === "public" && (e.region_id === region || e.region === region),
  );
  if (!found) throw new Error(`the catalog has no public ${type} endpoint in ${region}`);
  return found.url;
}

/**
 * Starts the servers (Keystone, Swift and Glance by default: about 10 to 30 s) and logs in as the demo
 * user. Call `stop()` in afterAll. For Nova, Neutron and Cinder use `sharedComputeCloud()` (stack.ts),
 * which starts them once per run instead of once per file.
 */
export async function startTestCloud(options: { services?: readonly OpenStackService[] } = {}): Promise<TestCloud> {
  const server = await startServer({ services: options.services });
  try {
    const { token, catalog } = await keystoneLogin(server.url, server.credentials);
    return {
      server,
      token,
      auth: {
        authorize: (request) => {
          request.headers["x-auth-token"] = token;
        },
      },
      region: server.region,
      get objectStoreUrl() {
        return catalogUrl(catalog, "object-store", server.region);
      },
      get imageUrl() {
        return catalogUrl(catalog, "image", server.region);
      },
      catalog,
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
