// pyrax's settings table (pyrax/__init__.py's Settings): names, types, defaults and environment
// variables; common's ConfigEnvironments reads ~/.pyrax.cfg with it.
import {
  ConfigEnvironments,
  defineSettings,
  type ConfigEnvironmentsOptions,
  type SettingName,
} from "@nimbus-sdk/common";

/** pyrax's settings table: each setting's name, type, default and environment variable. */
export const PYRAX_SETTINGS = defineSettings([
  {
    name: "identity_type",
    type: "string",
    default: "rackspace",
    env: "CLOUD_ID_TYPE",
    description: "rackspace, keystone, or a registered type",
  },
  { name: "auth_endpoint", type: "string", env: "CLOUD_AUTH_ENDPOINT", description: "identity service URL" },
  {
    name: "keyring_username",
    type: "string",
    env: "CLOUD_KEYRING_USER",
    description: "user whose password is in the keyring",
  },
  { name: "region", type: "string", env: "CLOUD_REGION", description: "default region" },
  { name: "tenant_id", type: "string", env: "CLOUD_TENANT_ID", description: "tenant (project) id" },
  { name: "tenant_name", type: "string", env: "CLOUD_TENANT_NAME", description: "tenant (project) name" },
  { name: "encoding", type: "string", default: "utf-8", env: "CLOUD_ENCODING", description: "text encoding" },
  { name: "custom_user_agent", type: "string", env: "CLOUD_USER_AGENT", description: "prefix of the User-Agent" },
  {
    name: "debug",
    type: "boolean",
    default: false,
    env: "CLOUD_DEBUG",
    aliases: ["http_debug"],
    description: "print HTTP traffic, redacted",
  },
  {
    name: "verify_ssl",
    type: "boolean",
    default: true,
    env: "CLOUD_VERIFY_SSL",
    description: "check TLS certificates",
  },
  {
    name: "timeout",
    type: "number",
    default: 60,
    env: "CLOUD_TIMEOUT",
    description: "seconds allowed for an answer's headers, and between two chunks of its body",
  },
  {
    name: "retries",
    type: "number",
    default: 3,
    env: "CLOUD_RETRIES",
    description: "times a failed idempotent request (reset, 429, 502-504) is sent again; 0: never",
  },
  {
    name: "use_servicenet",
    type: "boolean",
    default: false,
    env: "USE_SERVICENET",
    description: "use internal endpoints",
  },
]);

/** The name of a pyrax setting (identity_type, auth_endpoint, region …). */
export type PyraxSettingName = SettingName<typeof PYRAX_SETTINGS>;
/** pyrax's settings by environment, as read from ~/.pyrax.cfg and the environment. */
export type PyraxSettings = ConfigEnvironments<typeof PYRAX_SETTINGS>;

/** Credentials keys pyrax ignores (with a warning) in ~/.pyrax.cfg. */
const CREDENTIAL_KEYS = ["username", "password", "api_key"];

/**
 * Reads pyrax's settings: ~/.pyrax.cfg (or the file given) and the environment variables.
 *
 * @param options - The configuration file and the environment to read.
 */
export function loadPyraxSettings(options: ConfigEnvironmentsOptions = {}): PyraxSettings {
  return new ConfigEnvironments(PYRAX_SETTINGS, { path: "~/.pyrax.cfg", credentialKeys: CREDENTIAL_KEYS, ...options });
}
