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
  const transport = new Transport({
    baseUrl: `http://127.0.0.1:${setup.keystonePort}/v3/`,
    userAgent: { package: PACKAGE_NAME, version: PACKAGE_VERSION, prefix: "testing" },
    proxy: false,
    timeout: 30_000,
  });
  try {
    const auth = await transport.request({
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
    const { token } = await auth.json<{ token: { user: Ref; project: Ref } }>();
    const headers = { "x-auth-token": auth.headers["x-subject-token"] ?? "" };
    const call = async <T>(method: string, url: string, json?: unknown): Promise<T> =>
      (await transport.request({ method, url, json, headers, signal })).json<T>();
    const create = async (collection: string, key: string, body: Record<string, unknown>): Promise<string> =>
      (await call<Record<string, Ref>>("POST", collection, { [key]: body }))[key]!.id;

    const [roles, serviceProject, demoProject, swiftService, glanceService] = await Promise.all([
      call<{ roles: Ref[] }>("GET", "roles"),
      create("projects", "project", { name: "service", domain_id: "default", description: "Service users" }),
      create("projects", "project", { name: "demo", domain_id: "default", description: "Demo project" }),
      create("services", "service", { type: "object-store", name: "swift", description: "Swift" }),
      create("services", "service", { type: "image", name: "glance", description: "Glance" }),
    ]);
    const projectIds: Record<string, string> = {
      service: serviceProject,
      demo: demoProject,
      admin: token.project.id,
    };
    const roleId = (name: string) => {
      const role = roles.roles.find((r) => r.name === name);
      if (!role) throw new Error(`Keystone has no role ${name} after its bootstrap`);
      return role.id;
    };

    const endpoints = [
      { service: swiftService, url: `http://127.0.0.1:${setup.swiftPort}/v1/AUTH_%(project_id)s` },
      { service: glanceService, url: `http://127.0.0.1:${setup.glancePort}` },
    ];
    const [userIds] = await Promise.all([
      Promise.all(
        setup.users.map(async (user) => {
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
            headers,
            signal,
          });
          await granted.dump();
          return [user.name, id] as const;
        }),
      ),
      ...endpoints.flatMap(({ service, url }) =>
        ["public", "internal", "admin"].map((iface) =>
          create("endpoints", "endpoint", { service_id: service, interface: iface, url, region_id: region }),
        ),
      ),
    ]);
    return { projectIds, userIds: { ...Object.fromEntries(userIds), admin: token.user.id } };
  } finally {
    await transport.close();
  }
}
