// pyrax's context objects: an identity with its own credentials and, per region, the clients of
// each service (`ctx.DFW.objectStore.client`). The module object (pyrax.ts) is a context too.
import { existsSync } from "node:fs";
import {
  ConfigError,
  Keyring,
  expandHome,
  type CredentialSectionDefinition,
  ValidationError,
  createDispatcher,
  readCredentialFile,
  stderrLogger,
  type Logger,
  type RetryOptions,
  type Telemetry,
} from "@nimbus-sdk/common";
import type { Dispatcher } from "undici";
import {
  FileNotFound,
  InvalidCredentialFile,
  InvalidSetting,
  KeyringPasswordNotFound,
  KeyringUsernameMissing,
  NoEndpointForRegion,
  NotAuthenticated,
  NotImplementedYet,
} from "./errors.js";
import { callArgs } from "./arguments.js";
import type { BaseIdentity, Credentials } from "./identity/base.js";
import { GLOBAL_REGION } from "./identity/catalog.js";
import { createIdentity } from "./identity/registry.js";
import { CloudBlockStorage } from "./resources/block-storage/index.js";
import { CloudDatabases } from "./resources/database/index.js";
import { CloudDNS } from "./resources/dns/index.js";
import { CloudServers } from "./resources/compute/index.js";
import { CloudLoadBalancers } from "./resources/load-balancer/index.js";
import { CloudNetworks } from "./resources/network/index.js";
import { CloudFiles } from "./resources/object-store/index.js";
import { Images } from "./resources/image/index.js";
import type { ServiceClient, ServiceClientOptions } from "./service-client.js";
import type { PyraxSettings } from "./settings/pyrax-settings.js";

/** The service client classes this package implements, by catalog key. */
const CLIENT_CLASSES = {
  objectStore: CloudFiles,
  image: Images,
  compute: CloudServers,
  network: CloudNetworks,
  volume: CloudBlockStorage,
  loadBalancer: CloudLoadBalancers,
  dns: CloudDNS,
  database: CloudDatabases,
} satisfies Record<string, new (options: ServiceClientOptions) => ServiceClient>;

// The catalog's service type of each client, which telemetry reports calls under.
const SERVICE_TYPES: Record<ImplementedService, string> = {
  objectStore: "object-store",
  image: "image",
  compute: "compute",
  network: "network",
  volume: "block-storage",
  loadBalancer: "load-balancer",
  dns: "dns",
  database: "database",
};

/** pyrax services not built yet: they exist, and say so when used. */
export const PENDING_SERVICES = [] as const;

/** A service this package has a client for (objectStore, image, compute, network, volume). */
export type ImplementedService = keyof typeof CLIENT_CLASSES;
/** A service pyrax has and this package does not implement yet (DNS, load balancers, databases …). */
export type PendingService = (typeof PENDING_SERVICES)[number];
export type ServiceClientOf<S extends ImplementedService> = InstanceType<(typeof CLIENT_CLASSES)[S]>;

/** One region of a context: `ctx.DFW.objectStore.client`. */
export type RegionServices = { readonly [S in ImplementedService]: { readonly client: ServiceClientOf<S> } } & {
  readonly [S in PendingService]: { readonly client: never };
};

/** How long a client waits and how often it tries again; beside the `timeout` and `retries` settings. */
export interface ClientTimingOptions {
  /** ms allowed for an answer's headers, and between two chunks of its body (default: the `timeout` setting, 60 s). */
  timeout?: number;
  /** Retries of failed idempotent requests (default: `limit` from the `retries` setting, 3). */
  retry?: RetryOptions;
}

/** Options of authentication calls: region for the default clients, and a signal. */
export interface AuthOptions {
  signal?: AbortSignal;
  /** Region for the module's default clients (pyrax's `region` argument). */
  region?: string;
  /** Authenticate now (default) or only store the credentials. */
  authenticate?: boolean;
}

/** Options of `setCredentials`: tenant (project) id or name, domain, region and a signal. */
export interface CredentialOptions extends AuthOptions {
  tenantId?: string;
  tenantName?: string;
  userDomainId?: string;
  userDomainName?: string;
  projectDomainId?: string;
  projectDomainName?: string;
  /** Rackspace: the API key (else the second argument is taken as one). */
  apiKey?: string;
  /** Rackspace: authenticate with a password instead of an API key. */
  password?: string;
}

export interface ContextOptions extends ClientTimingOptions {
  /** identity_type for this context; default: the setting. */
  identityType?: string;
  /** Where keyringAuth reads passwords; default the OS keyring through @napi-rs/keyring. */
  keyring?: Keyring;
  logger?: Logger;
  /** Report each call to a callback or an OpenTelemetry tracer (default: `setTelemetry`'s, else off). */
  telemetry?: Telemetry;
  /** Trust this CA (PEM text or path) for every connection, besides verify_ssl. */
  ca?: string;
}

const KEYRING_SERVICE = "pyrax";

/** pyrax's context: one identity with its settings, and the service clients made from it per region. */
export class Context {
  readonly settings: PyraxSettings;
  readonly #options: ContextOptions;
  #identity?: BaseIdentity;
  #identityEndpoint?: string;
  #dispatcher?: Dispatcher;
  #dispatcherTls?: string;
  #identityDispatcher?: Dispatcher;
  #ca?: string;
  readonly #clients = new Map<string, ServiceClient>();

  constructor(settings: PyraxSettings, options: ContextOptions = {}) {
    this.settings = settings;
    this.#options = options;
    this.#ca = options.ca;
  }

  /** The identity: who is logged in, the token, its expiry and the catalog. */
  get identity(): BaseIdentity {
    const type = this.#options.identityType ?? this.settings.get("identity_type");
    const authEndpoint = this.settings.get("auth_endpoint") ?? "";
    const dispatcher = this.dispatcher;
    // A new environment, auth_endpoint or TLS setting means another identity service (or another
    // way to reach it), as a new type does: the next call logs in afresh.
    if (
      !this.#identity ||
      this.#identity.identityType !== type ||
      this.#identityEndpoint !== authEndpoint ||
      this.#identityDispatcher !== dispatcher
    ) {
      const identity = createIdentity(type, {
        authEndpoint,
        dispatcher,
        debug: this.settings.get("debug"),
        logger: this.#options.logger,
        telemetry: this.#options.telemetry,
        userAgentPrefix: this.settings.get("custom_user_agent"),
        ...this.#timing(),
      });
      this.#dropClients();
      void this.#identity?.close().catch(() => undefined);
      this.#identity = identity;
      this.#identityEndpoint = authEndpoint;
      this.#identityDispatcher = dispatcher;
    }
    return this.#identity;
  }

  /** The connection pool every client of this context shares; rebuilt when verify_ssl or the CA changes. */
  protected get dispatcher(): Dispatcher {
    const tls = { verify: this.settings.get("verify_ssl"), ca: this.#ca };
    const key = JSON.stringify(tls);
    if (!this.#dispatcher || this.#dispatcherTls !== key) {
      const previous = this.#dispatcher;
      this.#dispatcher = createDispatcher({ tls });
      this.#dispatcherTls = key;
      this.#dropClients();
      void previous?.close().catch(() => undefined);
    }
    return this.#dispatcher;
  }

  /** Trust this CA (PEM text or a file path) from now on, besides verify_ssl; the next call logs in afresh. */
  setCa(ca: string | undefined): void {
    this.#ca = ca;
  }

  /** Whether this context holds a token, without creating an identity to find out. */
  get authenticated(): boolean {
    return this.#identity?.authenticated === true;
  }

  /** Regions the catalog lists (after authentication). */
  get regions(): string[] {
    return this.identity.regions;
  }

  /**
   * Stores credentials and (by default) authenticates: pyrax's set_credentials. As in pyrax, the
   * second argument is the password for Keystone and the API key for Rackspace (whose password
   * can be given as `options.password` instead).
   */
  async setCredentials(username: string, secret?: string, options: CredentialOptions = {}): Promise<void> {
    if (!username) throw new ValidationError("setCredentials needs a username", { field: "username" });
    const rackspace = this.identity.identityType === "rackspace";
    this.identity.setCredentials({
      username,
      password: options.password ?? (rackspace ? undefined : secret),
      apiKey: options.apiKey ?? (rackspace ? secret : undefined),
      tenantId: options.tenantId ?? this.settings.get("tenant_id"),
      tenantName: options.tenantName ?? this.settings.get("tenant_name"),
      userDomainId: options.userDomainId,
      userDomainName: options.userDomainName,
      projectDomainId: options.projectDomainId,
      projectDomainName: options.projectDomainName,
    });
    if (options.authenticate !== false) await this.authenticate(options);
  }

  /**
   * Reads a credential file, as the identity type expects it: `[rackspace_cloud]` username and
   * api_key for Rackspace, `[keystone]` username, password and tenant_id (or tenant_name) otherwise.
   * pyrax's positional `(cred_file, region, authenticate)` work too.
   */
  async setCredentialFile(
    path: string,
    ...args: [options?: AuthOptions] | [region: string | undefined, authenticate?: boolean, options?: AuthOptions]
  ): Promise<void> {
    const options = callArgs<AuthOptions>("setCredentialFile", args, ["region", "authenticate"], undefined, {
      authenticate: "boolean",
    });
    if (!existsSync(expandHome(path))) throw new FileNotFound(`the credential file ${path} does not exist`);
    const read = <const S extends readonly CredentialSectionDefinition[]>(sections: S) => {
      try {
        return readCredentialFile(path, sections, { logger: this.#options.logger });
      } catch (error) {
        if (error instanceof ConfigError) throw new InvalidCredentialFile(error.message, { cause: error });
        throw error;
      }
    };
    if (this.identity.identityType === "rackspace") {
      const { values } = read([
        { section: "rackspace_cloud", keys: [{ name: "username" }, { name: "api_key", aliases: ["password"] }] },
      ]);
      await this.setCredentials(values.username, values.api_key, options);
    } else {
      const { values } = read([
        {
          section: "keystone",
          keys: [
            { name: "username" },
            { name: "password" },
            { name: "tenant_id", required: false },
            { name: "tenant_name", required: false },
          ],
        },
      ]);
      await this.setCredentials(values.username, values.password, {
        ...options,
        tenantId: values.tenant_id,
        tenantName: values.tenant_name,
      });
    }
  }

  /** The password of `username` (default: the keyring_username setting) from the OS keyring, service "pyrax". */
  async keyringAuth(username?: string, options: AuthOptions = {}): Promise<void> {
    const user = username ?? this.settings.get("keyring_username");
    if (!user) {
      throw new KeyringUsernameMissing("keyringAuth needs a username: pass one or set keyring_username");
    }
    // keytar cannot read what Python's keyring stored for pyrax; @napi-rs/keyring can (docs/decisions/0002).
    const keyring = this.#options.keyring ?? new Keyring({ backend: "napi" });
    const password = await keyring.getPassword(KEYRING_SERVICE, user, { signal: options.signal });
    if (password === null) {
      throw new KeyringPasswordNotFound(`the keyring has no password for ${user} under service "${KEYRING_SERVICE}"`);
    }
    await this.setCredentials(user, password, options);
  }

  /** Uses an existing token (no renewal possible): pyrax's auth_with_token. */
  async authWithToken(
    token: string,
    options: AuthOptions & { tenantId?: string; tenantName?: string } = {},
  ): Promise<void> {
    this.#dropClients();
    await this.identity.authWithToken(token, {
      signal: options.signal,
      tenantId: options.tenantId ?? this.settings.get("tenant_id"),
      tenantName: options.tenantName ?? this.settings.get("tenant_name"),
    });
  }

  async authenticate(options: AuthOptions = {}): Promise<void> {
    this.#dropClients();
    await this.identity.authenticate({ signal: options.signal });
    // pyrax's `region` argument: the default clients' region, which the catalog must have.
    if (options.region !== undefined) {
      const regions = this.identity.regions;
      if (!regions.includes(options.region)) {
        throw new NoEndpointForRegion(`the catalog has no region ${options.region} (it has ${regions.join(", ")})`);
      }
      this.settings.set("region", options.region);
    }
  }

  /** Forgets credentials, token and clients. */
  clearCredentials(): void {
    this.#dropClients();
    this.#identity?.clearCredentials();
  }

  /** The default region: the region setting, else the first region of the catalog. */
  get defaultRegion(): string | undefined {
    return this.settings.get("region") ?? this.identity.regions[0];
  }

  /** One region's services: `ctx.region("DFW").objectStore.client`; `ctx.DFW` is the same. */
  region(name: string): RegionServices {
    const services: Record<string, { readonly client: unknown }> = {};
    for (const key of Object.keys(CLIENT_CLASSES) as ImplementedService[]) {
      const getClient = () => this.getClient(key, name);
      services[key] = {
        get client() {
          return getClient();
        },
      };
    }
    for (const key of PENDING_SERVICES) {
      services[key] = {
        get client(): never {
          throw notImplemented(key);
        },
      };
    }
    return services as RegionServices;
  }

  /** A client of `service` in `region` (cached): pyrax's get_client. */
  getClient<S extends ImplementedService>(
    service: S,
    region?: string,
    options: { public?: boolean } & ClientTimingOptions = {},
  ): ServiceClientOf<S> {
    if ((PENDING_SERVICES as readonly string[]).includes(service)) throw notImplemented(service);
    if (!this.identity.authenticated) {
      throw new NotAuthenticated(`not authenticated: authenticate before using ${service}`);
    }
    // A service with only a global endpoint (Rackspace's DNS) needs no region.
    const global = this.identity.services[service]?.endpoints[GLOBAL_REGION] ? GLOBAL_REGION : undefined;
    const where = region ?? this.defaultRegion ?? global;
    if (!where) throw new ValidationError("no region given and none is set or in the catalog", { field: "region" });
    const internal =
      options.public === false ||
      (options.public === undefined && service === "objectStore" && this.settings.get("use_servicenet"));
    const timing = this.#timing(options);
    const key = `${service}:${where}:${internal ? "internal" : "public"}:${JSON.stringify(timing)}`;
    let client = this.#clients.get(key);
    if (!client) {
      const ClientClass = CLIENT_CLASSES[service] as new (options: ServiceClientOptions) => ServiceClient;
      client = new ClientClass({
        ...this.#serviceExtras(service, where, internal ? "internal" : "public"),
        endpoint: this.identity.getEndpoint(service, where, internal ? "internal" : "public"),
        region: where,
        projectId: this.identity.tenantId,
        auth: this.identity.authStep,
        dispatcher: this.dispatcher,
        debug: this.settings.get("debug"),
        logger: this.#options.logger ?? stderrLogger,
        telemetry: this.#options.telemetry,
        service: SERVICE_TYPES[service],
        userAgentPrefix: this.settings.get("custom_user_agent"),
        ...timing,
      });
      this.#clients.set(key, client);
    }
    return client as ServiceClientOf<S>;
  }

  /** Turns HTTP debug output on or off for the identity and every client. */
  setDebug(on: boolean): void {
    this.#identity?.setDebug(on);
    for (const client of this.#clients.values()) client.setDebug(on);
  }

  /** Closes every connection of this context. */
  async close(): Promise<void> {
    this.#dropClients();
    await this.#identity?.close();
    await this.#dispatcher?.close();
    this.#dispatcher = undefined;
  }

  // A call's options win over the context's, which win over the settings (seconds, as pyrax's clients take).
  #timing(options: ClientTimingOptions = {}): Required<ClientTimingOptions> {
    const seconds = this.settings.get("timeout");
    const retries = this.settings.get("retries");
    if (!(seconds > 0))
      throw new InvalidSetting(`the timeout setting must be a number of seconds above 0, not ${seconds}`);
    if (!Number.isInteger(retries) || retries < 0) {
      throw new InvalidSetting(`the retries setting must be a whole number from 0, not ${retries}`);
    }
    return {
      timeout: options.timeout ?? this.#options.timeout ?? seconds * 1000,
      retry: { limit: retries, ...this.#options.retry, ...options.retry },
    };
  }

  // Cloud Files also needs the CDN endpoint of the same region, when the cloud has one (Rackspace);
  // Block Storage asks Nova for attachments, through the compute endpoint (looked up only when used).
  #serviceExtras(
    service: ImplementedService,
    region: string,
    face: "public" | "internal",
  ): { cdnEndpoint?: string; computeEndpoint?: () => string; rackspace?: boolean } {
    if (service === "volume") return { computeEndpoint: () => this.identity.getEndpoint("compute", region, face) };
    // Rackspace's catalog lists its own DNS API as rax:dns; Designate is `dns`.
    if (service === "dns") return { rackspace: this.identity.services.dns?.type === "rax:dns" };
    const cdn = this.identity.services.objectCdn;
    if (service !== "objectStore" || !cdn?.endpoints[region]) return {};
    return { cdnEndpoint: this.identity.getEndpoint("objectCdn", region) };
  }

  #dropClients(): void {
    for (const client of this.#clients.values()) void client.close();
    this.#clients.clear();
  }
}

function notImplemented(service: string): NotImplementedYet {
  return new NotImplementedYet(`the ${service} service is not implemented yet in @nimbus-sdk/openstack`);
}

/** A context where `ctx.DFW` (any region of the catalog, upper case) is `ctx.region("DFW")`. */
export type RegionalContext<C extends Context = Context> = C & { readonly [region: string]: RegionServices };

/**
 * A context whose service clients are also reachable per region (`ctx.DFW.objectStore.client`).
 *
 * @param context - The authenticated context.
 */
export function withRegions<C extends Context>(context: C): RegionalContext<C> {
  return new Proxy(context, {
    get(target, property, _receiver) {
      if (typeof property === "string" && !(property in target) && /^[A-Z][A-Z0-9_-]*$/.test(property)) {
        return target.region(property);
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
    set(target, property, value) {
      return Reflect.set(target, property, value, target);
    },
  }) as RegionalContext<C>;
}

export type { Credentials };
