// The module object users import as `pyrax`: module-level settings, environments and credentials,
// and the default clients (pyrax.cloudfiles …) as pyrax keeps them in module globals.
import {
  Context,
  withRegions,
  type AuthOptions,
  type ClientTimingOptions,
  type ContextOptions,
  type ImplementedService,
  type RegionalContext,
} from "./context.js";
import * as exceptions from "./errors.js";
import { EnvironmentNotFound, InvalidSetting } from "./errors.js";
import * as utils from "./utils.js";
import type { CloudBlockStorage } from "./resources/block-storage/index.js";
import type { CloudDatabases } from "./resources/database/index.js";
import type { CloudDNS } from "./resources/dns/index.js";
import type { CloudServers } from "./resources/compute/index.js";
import type { CloudLoadBalancers, VipSubnets } from "./resources/load-balancer/index.js";
import type { CloudNetworks } from "./resources/network/index.js";
import type { CloudFiles } from "./resources/object-store/index.js";
import type { Images } from "./resources/image/index.js";
import { readCloudsYaml, readOsEnvironment } from "./settings/clouds-yaml.js";
import { loadPyraxSettings, PYRAX_SETTINGS, type PyraxSettingName } from "./settings/pyrax-settings.js";
import { ConfigError, type SettingDefinition, type SettingResult, type SettingValue } from "@nimbus-sdk/common";

export interface PyraxOptions extends ContextOptions {
  /** The settings file (default ~/.pyrax.cfg) and environment variables; for tests and embedding. */
  configPath?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The class of the module object (the default export): a {@link Context} with pyrax's module-level
 * functions and `utils`; `new Pyrax()` makes a second, independent one.
 */
export class Pyrax extends Context {
  readonly #options: PyraxOptions;
  /** pyrax.utils: waitUntil, waitForBuild, getChecksum, randomAscii … */
  readonly utils = utils;
  /** pyrax.exceptions: NotFound, NoUniqueMatch, OverLimit, Conflict … */
  readonly exceptions = exceptions;

  constructor(options: PyraxOptions = {}) {
    super(loadPyraxSettings({ path: options.configPath, env: options.env, logger: options.logger }), options);
    this.#options = options;
  }

  // --- settings and environments (pyrax.get_setting …) ---

  getSetting<N extends PyraxSettingName>(name: N): SettingResult<typeof PYRAX_SETTINGS, N> {
    checkSettingName(name);
    return this.settings.get(name);
  }

  setSetting<N extends PyraxSettingName>(name: N, value: SettingValue<typeof PYRAX_SETTINGS, N>): void {
    checkSettingName(name);
    // The table types `value` by `name`; the generic does not narrow through the call.
    this.settings.set(name, value as never);
    if ((name as string) === "debug" || (name as string) === "http_debug") this.setDebug(value === true);
  }

  getEnvironment(): string {
    return this.settings.getEnvironment();
  }

  listEnvironments(): string[] {
    return this.settings.listEnvironments();
  }

  /** Switches environment; as in pyrax, the credentials of the previous one are dropped. */
  setEnvironment(name: string): void {
    try {
      this.settings.setEnvironment(name);
    } catch (error) {
      if (error instanceof ConfigError) throw new EnvironmentNotFound(error.message, { cause: error });
      throw error;
    }
    this.clearCredentials();
  }

  setDefaultRegion(region: string): void {
    this.settings.set("region", region);
  }

  /** Print every request and response, with secrets redacted. */
  setHttpDebug(on: boolean): void {
    this.setSetting("debug", on);
  }

  // --- the module's default clients: null until authenticated, as in pyrax ---

  get cloudfiles(): CloudFiles | null {
    return this.#defaultClient("objectStore");
  }

  get images(): Images | null {
    return this.#defaultClient("image");
  }

  get cloudservers(): CloudServers | null {
    return this.#defaultClient("compute");
  }
  get cloudBlockstorage(): CloudBlockStorage | null {
    return this.#defaultClient("volume");
  }
  get cloudDatabases(): CloudDatabases | null {
    return this.#defaultClient("database");
  }
  get cloudLoadbalancers(): CloudLoadBalancers | null {
    return this.#defaultClient("loadBalancer");
  }
  get cloudDns(): CloudDNS | null {
    return this.#defaultClient("dns");
  }
  get cloudNetworks(): CloudNetworks | null {
    return this.#defaultClient("network");
  }

  /** Beyond pyrax: `timeout` and `retry` for this client, over the context's and the settings. */
  async connectToCloudfiles(
    options: AuthOptions & ClientTimingOptions & { public?: boolean } = {},
  ): Promise<CloudFiles> {
    const { public: isPublic, timeout, retry } = options;
    return this.getClient("objectStore", options.region, { public: isPublic, timeout, retry });
  }

  /** Beyond pyrax: `timeout` and `retry` for this client, over the context's and the settings. */
  async connectToImages(options: AuthOptions & ClientTimingOptions = {}): Promise<Images> {
    return this.getClient("image", options.region, { timeout: options.timeout, retry: options.retry });
  }

  /** pyrax's connect_to_cloudservers; `microversion` asks for one ("2.60"), else the highest both support. */
  async connectToCloudservers(options: AuthOptions & { microversion?: string } = {}): Promise<CloudServers> {
    const client = this.getClient("compute", options.region);
    if (options.microversion !== undefined) client.setApiVersion(options.microversion);
    return client;
  }
  /** pyrax's connect_to_cloud_blockstorage; `microversion` asks for a Cinder one ("3.44"), else the newest both support. */
  async connectToCloudBlockstorage(options: AuthOptions & { microversion?: string } = {}): Promise<CloudBlockStorage> {
    const client = this.getClient("volume", options.region);
    if (options.microversion !== undefined) client.useMicroversion(options.microversion);
    return client;
  }
  /** pyrax's connect_to_cloud_databases; beyond pyrax: `timeout` and `retry` for this client. */
  async connectToCloudDatabases(options: AuthOptions & ClientTimingOptions = {}): Promise<CloudDatabases> {
    return this.getClient("database", options.region, { timeout: options.timeout, retry: options.retry });
  }
  /** pyrax's connect_to_cloud_loadbalancers over Octavia; beyond pyrax, `vipSubnets` says where PUBLIC/SERVICENET VIPs come from. */
  async connectToCloudLoadbalancers(
    options: AuthOptions & ClientTimingOptions & { vipSubnets?: VipSubnets } = {},
  ): Promise<CloudLoadBalancers> {
    const client = this.getClient("loadBalancer", options.region, { timeout: options.timeout, retry: options.retry });
    Object.assign(client.vipSubnets, options.vipSubnets);
    return client;
  }
  /** pyrax's connect_to_cloud_dns: Designate on OpenStack, Rackspace Cloud DNS v1.0 when the catalog has rax:dns. */
  async connectToCloudDns(options: AuthOptions & ClientTimingOptions = {}): Promise<CloudDNS> {
    return this.getClient("dns", options.region, { timeout: options.timeout, retry: options.retry });
  }
  async connectToCloudNetworks(options: AuthOptions = {}): Promise<CloudNetworks> {
    return this.getClient("network", options.region);
  }

  /**
   * Beyond pyrax: connect as openstacksdk would, from clouds.yaml (cloud `name`, default OS_CLOUD)
   * or, with no name and no OS_CLOUD, the OS_* variables of an openrc file. Uses Keystone.
   */
  async connectToCloud(name?: string, options: AuthOptions = {}): Promise<void> {
    const env = this.#options.env ?? process.env;
    const cloud = name || env.OS_CLOUD ? await readCloudsYaml(name, env) : readOsEnvironment(env);
    if (!cloud) throw new ConfigError("no cloud named, OS_CLOUD unset and OS_AUTH_URL unset: nothing to connect to");
    this.settings.set("identity_type", "keystone");
    this.settings.set("auth_endpoint", cloud.authUrl);
    if (cloud.region) this.settings.set("region", cloud.region);
    if (cloud.verify !== undefined) this.settings.set("verify_ssl", cloud.verify);
    if (cloud.cacert) this.setCa(cloud.cacert);
    if (cloud.interface === "internal") this.settings.set("use_servicenet", true);
    const { username, password, ...rest } = cloud.credentials;
    await this.setCredentials(username ?? "", password, { ...rest, ...options });
  }

  /** A new, independent context (its own identity and clients) on these settings. */
  createContext(identityType?: string, options: Omit<ContextOptions, "identityType"> = {}): RegionalContext {
    return withRegions(new Context(this.settings, { ...this.#options, ...options, identityType }));
  }

  #defaultClient<S extends ImplementedService>(service: S) {
    if (!this.authenticated || !this.identity.services[service]) return null;
    return this.getClient(service);
  }
}

// Unknown names fail as pyrax's InvalidSetting, listing the known ones.
function checkSettingName(name: string): void {
  const known = (PYRAX_SETTINGS as readonly SettingDefinition[]).flatMap((s) => [s.name, ...(s.aliases ?? [])]);
  if (!known.includes(name)) {
    throw new InvalidSetting(`unknown setting ${JSON.stringify(name)}; known settings: ${known.join(", ")}`);
  }
}
