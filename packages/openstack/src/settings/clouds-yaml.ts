// openstacksdk's configuration, so an OpenStack user needs no new file: a cloud from clouds.yaml
// (merged with secure.yaml), or the OS_* environment variables.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, expandHome, userHome } from "@nimbus-sdk/common";
import type { Credentials } from "../identity/base.js";

/** One cloud's connection, as found in clouds.yaml or OS_* variables. */
export interface CloudConfig {
  /** Where it came from (a file path or "environment"), for messages. */
  source: string;
  authUrl: string;
  credentials: Credentials;
  region?: string;
  /** "public" (default), "internal" or "admin". */
  interface?: "public" | "internal" | "admin";
  verify?: boolean;
  cacert?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function searchPath(file: string, env: Env): string[] {
  const home = userHome();
  return [
    join(process.cwd(), file),
    join(env.XDG_CONFIG_HOME ?? join(home, ".config"), "openstack", file),
    join("/etc/openstack", file),
  ];
}

type YamlParse = (text: string) => unknown;

// The yaml package is an optional peer: only clouds.yaml needs it, and it is a third of an install.
async function loadYaml(): Promise<YamlParse> {
  try {
    return (await import("yaml")).parse;
  } catch (cause) {
    throw new ConfigError(
      "reading clouds.yaml needs the yaml package: npm install yaml@2 (OS_* variables need nothing)",
      {
        cause,
      },
    );
  }
}

function readYaml(parse: YamlParse, path: string): Record<string, unknown> {
  try {
    return (parse(readFileSync(path, "utf8")) ?? {}) as Record<string, unknown>;
  } catch (cause) {
    throw new ConfigError(`cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
}

function merge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] =
      value && typeof value === "object" && !Array.isArray(value) && current && typeof current === "object"
        ? merge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

const str = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : String(value));

/** Reads cloud `name` (default: OS_CLOUD) from clouds.yaml (OS_CLIENT_CONFIG_FILE, ./, ~/.config/openstack, /etc/openstack). */
export async function readCloudsYaml(name?: string, env: Env = process.env): Promise<CloudConfig> {
  const cloudName = name ?? env.OS_CLOUD;
  const explicit = env.OS_CLIENT_CONFIG_FILE ? expandHome(env.OS_CLIENT_CONFIG_FILE) : undefined;
  const path = explicit ?? searchPath("clouds.yaml", env).find((p) => existsSync(p));
  if (!path || !existsSync(path)) {
    throw new ConfigError(`no clouds.yaml found (looked in ${explicit ?? searchPath("clouds.yaml", env).join(", ")})`);
  }
  const parse = await loadYaml();
  const clouds = (readYaml(parse, path).clouds ?? {}) as Record<string, Record<string, unknown>>;
  const names = Object.keys(clouds);
  const chosen = cloudName ?? (names.length === 1 ? names[0] : undefined);
  if (!chosen || !clouds[chosen]) {
    throw new ConfigError(
      `${path} has no cloud ${JSON.stringify(cloudName ?? "")}: name one of ${names.join(", ") || "(none)"} (or set OS_CLOUD)`,
    );
  }
  let cloud = clouds[chosen]!;
  const secure = searchPath("secure.yaml", env).find((p) => existsSync(p));
  if (secure)
    cloud = merge(
      cloud,
      ((readYaml(parse, secure).clouds ?? {}) as Record<string, Record<string, unknown>>)[chosen] ?? {},
    );
  const auth = (cloud.auth ?? {}) as Record<string, unknown>;
  if (!auth.auth_url) throw new ConfigError(`cloud ${chosen} in ${path} has no auth.auth_url`);
  return {
    source: path,
    authUrl: String(auth.auth_url),
    credentials: {
      username: str(auth.username),
      password: str(auth.password),
      tenantId: str(auth.project_id ?? auth.tenant_id),
      tenantName: str(auth.project_name ?? auth.tenant_name),
      userDomainId: str(auth.user_domain_id ?? auth.domain_id),
      userDomainName: str(auth.user_domain_name ?? auth.domain_name),
      projectDomainId: str(auth.project_domain_id ?? auth.domain_id),
      projectDomainName: str(auth.project_domain_name ?? auth.domain_name),
    },
    region: str(cloud.region_name),
    interface: (str(cloud.interface) ?? "public") as CloudConfig["interface"],
    verify: cloud.verify === undefined ? undefined : cloud.verify !== false,
    cacert: str(cloud.cacert),
  };
}

/** The OS_* variables of an openrc file; undefined when OS_AUTH_URL is not set. */
export function readOsEnvironment(env: Env = process.env): CloudConfig | undefined {
  if (!env.OS_AUTH_URL) return undefined;
  return {
    source: "environment",
    authUrl: env.OS_AUTH_URL,
    credentials: {
      username: env.OS_USERNAME,
      password: env.OS_PASSWORD,
      tenantId: env.OS_PROJECT_ID ?? env.OS_TENANT_ID,
      tenantName: env.OS_PROJECT_NAME ?? env.OS_TENANT_NAME,
      userDomainId: env.OS_USER_DOMAIN_ID,
      userDomainName: env.OS_USER_DOMAIN_NAME,
      projectDomainId: env.OS_PROJECT_DOMAIN_ID,
      projectDomainName: env.OS_PROJECT_DOMAIN_NAME,
    },
    region: env.OS_REGION_NAME,
    interface: (env.OS_INTERFACE?.replace(/URL$/, "") as CloudConfig["interface"]) ?? "public",
    verify: env.OS_INSECURE === undefined ? undefined : !/^(1|true|yes)$/i.test(env.OS_INSECURE),
    cacert: env.OS_CACERT,
  };
}
