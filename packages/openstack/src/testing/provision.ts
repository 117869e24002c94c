// Service users, projects, role assignments, services and endpoints, made through Keystone's REST API
// as the admin (the openstack CLI takes about a second per call just to start).
import { Transport } from "@nimbus-sdk/common";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../version.js";

export interface ProvisionSetup {
  keystonePort: number;
  adminPassword: string;
  region: string;
  swiftPort: number;
  glancePort: number;
  users: { name: string; password: string; project: "service" | "demo"; role: "admin" | "member" }[];
  signal?: AbortSignal;
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

export async function provision(setup: ProvisionSetup): Promise<Provisioned> {
  const { signal, region } = setup;
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
            password: { user: { name: "admin", domain: { id: "default" }, password: setup.adminPassword } },
          },
          scope: { project: { name: "admin", domain: { id: "default" } } },
        },
      },
    });
    token = response.headers["x-subject-token"] ?? "";
    return (await response.json<{ token: { user: Ref; project: Ref } }>()).token;
  };
  const transport = new Transport({
    baseUrl: `http://127.0.0.1:${setup.keystonePort}/v3/`,
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
    const call = async <T>(method: string, url: string, json?: unknown): Promise<T> =>
      (await transport.request({ method, url, json, signal })).json<T>();
    const create = async (collection: string, key: string, body: Record<string, unknown>): Promise<string> =>
      (await call<Record<string, Ref>>("POST", collection, { [key]: body }))[key]!.id;

    // One request at a time: Keystone runs one anyway, and a queue of them could outlast a short
    // token's life (each request renews the token only once).
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
      const granted = await transport.request({
        method: "PUT",
        url: `projects/${projectId}/users/${id}/roles/${roleId(user.role)}`,
        signal,
      });
      await granted.dump();
      userIds[user.name] = id;
    }
    const services = [
      { type: "object-store", name: "swift", url: `http://127.0.0.1:${setup.swiftPort}/v1/AUTH_%(project_id)s` },
      { type: "image", name: "glance", url: `http://127.0.0.1:${setup.glancePort}` },
    ];
    for (const { type, name, url } of services) {
      const service = await create("services", "service", { type, name });
      for (const iface of ["public", "internal", "admin"]) {
        await create("endpoints", "endpoint", { service_id: service, interface: iface, url, region_id: region });
      }
    }
    return { projectIds, userIds };
  } finally {
    await transport.close();
  }
}
