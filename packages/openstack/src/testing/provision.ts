// Service users, projects, role assignments, services and endpoints, made through Keystone's REST API
// as the admin (the openstack CLI takes about a second per call just to start).
import { Transport } from "@nimbus-sdk/common";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../version.js";

export interface ProvisionSetup {
  keystonePort: number;
  adminPassword: string;
  /** Every region; the first is Keystone's own (made by its bootstrap), the others are made here. */
  regions: readonly string[];
  /** The catalog: each service's URL in each region. */
  services: readonly CatalogService[];
  /** Roles the bootstrap does not make (admin, member, reader are there). */
  roles?: readonly string[];
  users: { name: string; password: string; project: "service" | "demo"; roles: readonly string[] }[];
  signal?: AbortSignal;
}

export interface CatalogService {
  type: string;
  name: string;
  /** Its URL by region. */
  urls: Readonly<Record<string, string>>;
}

export interface Provisioned {
  /** By name: service, demo and admin. */
  projectIds: Record<string, string>;
  /** By name: the users made here and admin. */
  userIds: Record<string, string>;
}

interface Ref {
  id: string;
  name: string;
}

/** The admin's Keystone session, which logs in again when its token expires. */
export interface AdminSession {
  user: Ref;
  project: Ref;
  transport: Transport;
  /** A JSON request; a relative `url` is Keystone's (`/v3/` is the base). */
  call<T>(method: string, url: string, json?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function adminSession(
  keystonePort: number,
  password: string,
  signal?: AbortSignal,
): Promise<AdminSession> {
  let token = "";
  const login = async (): Promise<{ user: Ref; project: Ref }> => {
    const response = await transport.request({
      method: "POST",
      url: "auth/tokens",
      query: { nocatalog: true },
      signal,
      json: {
        auth: {
          identity: {
            methods: ["password"],
            password: { user: { name: "admin", domain: { id: "default" }, password } },
          },
          scope: { project: { name: "admin", domain: { id: "default" } } },
        },
      },
    });
    token = response.headers["x-subject-token"] ?? "";
    return (await response.json<{ token: { user: Ref; project: Ref } }>()).token;
  };
  const transport = new Transport({
    baseUrl: `http://127.0.0.1:${keystonePort}/v3/`,
    userAgent: { package: PACKAGE_NAME, version: PACKAGE_VERSION, prefix: "testing" },
    proxy: false,
    timeout: 30_000,
    // With a short tokenExpiration the admin's token may end before the provisioning does.
    auth: {
      authorize: (request) => {
        if (token && !request.url.pathname.endsWith("/auth/tokens")) request.headers["x-auth-token"] = token;
      },
      reauthenticate: async () => {
        await login();
        return true;
      },
    },
  });
  try {
    const admin = await login();
    return {
      ...admin,
      transport,
      call: async <T>(method: string, url: string, json?: unknown): Promise<T> =>
        (await transport.request({ method, url, json, signal })).json<T>(),
      close: () => transport.close(),
    };
  } catch (error) {
    await transport.close();
    throw error;
  }
}

export async function provision(setup: ProvisionSetup): Promise<Provisioned> {
  const { signal } = setup;
  const session = await adminSession(setup.keystonePort, setup.adminPassword, signal);
  const { transport, call } = session;
  try {
    const admin = session;
    const create = async (collection: string, key: string, body: Record<string, unknown>): Promise<string> =>
      (await call<Record<string, Ref>>("POST", collection, { [key]: body }))[key]!.id;

    // One request at a time: Keystone runs one anyway, and a queue of them could outlast a short
    // token's life (each request renews the token only once).
    for (const name of setup.roles ?? []) await create("roles", "role", { name });
    for (const id of setup.regions.slice(1)) await create("regions", "region", { id });
    const roles = await call<{ roles: Ref[] }>("GET", "roles");
    const roleId = (name: string) => {
      const role = roles.roles.find((r) => r.name === name);
      if (!role) throw new Error(`Keystone has no role ${name} after its bootstrap`);
      return role.id;
    };
    const projectIds: Record<string, string> = {
      service: await create("projects", "project", { name: "service", domain_id: "default", description: "Services" }),
      demo: await create("projects", "project", { name: "demo", domain_id: "default", description: "Demo project" }),
      admin: admin.project.id,
    };
    const userIds: Record<string, string> = { admin: admin.user.id };
    for (const user of setup.users) {
      const projectId = projectIds[user.project]!;
      const id = await create("users", "user", {
        name: user.name,
        password: user.password,
        domain_id: "default",
        default_project_id: projectId,
      });
      for (const role of user.roles) {
        const granted = await transport.request({
          method: "PUT",
          url: `projects/${projectId}/users/${id}/roles/${roleId(role)}`,
          signal,
        });
        await granted.dump();
      }
      userIds[user.name] = id;
    }
    for (const { type, name, urls } of setup.services) {
      const service = await create("services", "service", { type, name });
      for (const [region, url] of Object.entries(urls)) {
        for (const iface of ["public", "internal", "admin"]) {
          await create("endpoints", "endpoint", { service_id: service, interface: iface, url, region_id: region });
        }
      }
    }
    return { projectIds, userIds };
  } finally {
    await session.close();
  }
}
