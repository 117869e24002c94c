// What every identity service does, whatever its wire format: hold credentials, obtain a token and
// the catalog, renew the token before it expires (and once on a 401) when it can, and refuse with
// NotAuthenticated when it cannot. Subclasses only speak their protocol (requestToken).
import {
  Transport,
  hideSecrets,
  ValidationError,
  type AuthStep,
  type Logger,
  type OutgoingRequest,
  type ProxyOptions,
  type RetryOptions,
  type Telemetry,
  type TlsOptions,
} from "@nimbus-sdk/common";
import type { Dispatcher } from "undici";
import { AuthenticationFailed, NotAuthenticated } from "../errors.js";
import { openStackTransport } from "../service-client.js";
import { endpointUrl, regionsOf, type EndpointInterface, type Service } from "./catalog.js";

/** What a user may give to authenticate; which fields are needed depends on the identity type. */
export interface Credentials {
  username?: string;
  /** The password (Keystone) or, with Rackspace, the password when no API key is given. */
  password?: string;
  /** Rackspace API key. */
  apiKey?: string;
  tenantId?: string;
  tenantName?: string;
  /** Keystone v3 domains; "default" (by id) when none is given. */
  userDomainId?: string;
  userDomainName?: string;
  projectDomainId?: string;
  projectDomainName?: string;
}

/** Options of an identity: the identity service's URL, region, TLS, timeouts and the transport's settings. */
export interface IdentityOptions {
  /** The identity service URL (pyrax's auth_endpoint). */
  authEndpoint: string;
  tls?: TlsOptions;
  proxy?: ProxyOptions | false;
  debug?: boolean;
  logger?: Logger;
  userAgentPrefix?: string;
  timeout?: number;
  retry?: RetryOptions;
  dispatcher?: Dispatcher;
  /** Report each call (default: `setTelemetry`'s, else off). */
  telemetry?: Telemetry;
}

/** What one authentication returns, from any identity protocol. */
export interface TokenGrant {
  token: string;
  expires: Date;
  tenantId?: string;
  tenantName?: string;
  user?: { id?: string; name?: string };
  services: Record<string, Service>;
}

export interface AuthenticateOptions {
  signal?: AbortSignal;
}

// Renew this long before expiry (a quarter of the token's life, at most a minute), so a request never
// goes out with a token that dies on the way.
const MAX_RENEW_MARGIN_MS = 60_000;

/**
 * pyrax's `BaseIdentity`: authenticates, keeps the token and the service catalog, renews the token before it
 * expires, and finds each service's endpoint by region and interface.
 */
export abstract class BaseIdentity {
  /** The identity type's name, as in the identity_type setting. */
  abstract readonly identityType: string;
  readonly authEndpoint: string;
  readonly options: IdentityOptions;
  username?: string;
  tenantId?: string;
  tenantName?: string;
  token?: string;
  expires?: Date;
  user?: { id?: string; name?: string };
  services: Record<string, Service> = {};
  regions: string[] = [];
  protected readonly transport: Transport;
  #credentials: Credentials = {};
  #issued?: number;
  #renewal?: Promise<void>;
  // Bumped by unauthenticate(): a renewal that started before must not log the user back in.
  #generation = 0;

  constructor(options: IdentityOptions) {
    if (!options.authEndpoint)
      throw new ValidationError("the identity service URL (auth_endpoint) is not set", { field: "authEndpoint" });
    this.authEndpoint = options.authEndpoint;
    this.options = options;
    this.transport = openStackTransport(options.authEndpoint, { ...options, service: "identity" });
  }

  /** True once a token was obtained (and not cleared). */
  get authenticated(): boolean {
    return this.token !== undefined;
  }

  /** Whether the stored credentials allow getting a new token without the user. */
  get canReauthenticate(): boolean {
    return Boolean(this.#credentials.username && (this.#credentials.password || this.#credentials.apiKey));
  }

  /** Stores credentials; `authenticate()` uses them. */
  setCredentials(credentials: Credentials): void {
    this.#credentials = { ...credentials };
    this.username = credentials.username;
    this.tenantId = credentials.tenantId;
    this.tenantName = credentials.tenantName;
  }

  /** Obtains a token and the catalog with the stored credentials. */
  async authenticate(options: AuthenticateOptions = {}): Promise<void> {
    if (!this.canReauthenticate) {
      throw new NotAuthenticated(
        `no credentials to authenticate with: call setCredentials, setCredentialFile or keyringAuth first`,
      );
    }
    this.#accept(await this.requestToken({ credentials: this.#credentials }, options));
  }

  /**
   * Uses an existing token: its catalog is fetched, but it can never be renewed, so once it expires
   * calls fail with NotAuthenticated (pyrax's documented rule for auth_with_token).
   */
  async authWithToken(
    token: string,
    options: AuthenticateOptions & { tenantId?: string; tenantName?: string } = {},
  ): Promise<void> {
    if (!token) throw new ValidationError("authWithToken needs a token", { field: "token" });
    this.#credentials = { tenantId: options.tenantId, tenantName: options.tenantName };
    this.username = undefined;
    this.#accept(
      await this.requestToken({ token, tenantId: options.tenantId, tenantName: options.tenantName }, options),
    );
  }

  /** Forgets the token and catalog (pyrax's unauthenticate). */
  unauthenticate(): void {
    this.#generation++;
    this.token = undefined;
    this.expires = undefined;
    this.services = {};
    this.regions = [];
    this.#issued = undefined;
  }

  /** Forgets the token and the credentials (pyrax's clear_credentials). */
  clearCredentials(): void {
    this.unauthenticate();
    this.#credentials = {};
    this.username = this.tenantId = this.tenantName = undefined;
  }

  /** The URL of a service (objectStore, image …) in a region. */
  getEndpoint(service: string, region: string, face: EndpointInterface = "public"): string {
    if (!this.authenticated) throw new NotAuthenticated("not authenticated: the catalog is not known yet");
    return endpointUrl(this.services, service, region, face);
  }

  /** The auth step service clients plug into their transport. */
  readonly authStep: AuthStep = {
    authorize: (request: OutgoingRequest, { signal }) => this.#authorize(request, signal),
    reauthenticate: async ({ signal }) => {
      if (!this.canReauthenticate) return false;
      await this.#renew(signal);
      return true;
    },
  };

  setDebug(on: boolean): void {
    this.transport.debug = on;
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  /** Speaks the identity protocol: password/key credentials or an existing token to a grant. */
  protected abstract requestToken(
    input: { credentials: Credentials } | { token: string; tenantId?: string; tenantName?: string },
    options: AuthenticateOptions,
  ): Promise<TokenGrant>;

  /** Turns a 401 from the identity service into AuthenticationFailed naming the user, never the secret. */
  protected failed(error: unknown, who: string): never {
    if (error instanceof AuthenticationFailed) {
      throw new AuthenticationFailed(`the identity service at ${this.authEndpoint} refused the credentials of ${who}`, {
        ...error.context,
        cause: error,
      });
    }
    throw error;
  }

  async #authorize(request: OutgoingRequest, signal: AbortSignal | undefined): Promise<void> {
    if (!this.token || !this.expires) throw new NotAuthenticated("not authenticated: call authenticate() first");
    const now = Date.now();
    const expiresAt = this.expires.getTime();
    const margin = Math.min(MAX_RENEW_MARGIN_MS, (expiresAt - (this.#issued ?? now)) / 4);
    if (now >= expiresAt - margin) {
      if (!this.canReauthenticate) {
        if (now >= expiresAt) {
          throw new NotAuthenticated(
            `the token expired at ${this.expires.toISOString()}; a token given to authWithToken cannot be renewed: ` +
              "authenticate with credentials, or pass a new token",
          );
        }
      } else if (now >= expiresAt) {
        await this.#renew(signal);
      } else {
        // Still valid: renew in the background and send this request with the current token.
        this.#renew().catch((error: unknown) =>
          this.options.logger?.warn(`renewing the token in the background failed: ${(error as Error).message}`),
        );
      }
    }
    request.headers["x-auth-token"] = this.token;
  }

  #renew(signal?: AbortSignal): Promise<void> {
    const generation = this.#generation;
    this.#renewal ??= this.requestToken({ credentials: this.#credentials }, { signal })
      .then((grant) => {
        if (generation === this.#generation) this.#accept(grant);
      })
      .finally(() => {
        this.#renewal = undefined;
      });
    return this.#renewal;
  }

  #accept(grant: TokenGrant): void {
    this.token = grant.token;
    this.expires = grant.expires;
    this.#issued = Date.now();
    this.tenantId = grant.tenantId ?? this.tenantId;
    this.tenantName = grant.tenantName ?? this.tenantName;
    this.user = grant.user;
    if (grant.user?.name) this.username = grant.user.name;
    this.services = grant.services;
    this.regions = regionsOf(grant.services);
  }
}

// `console.log(pyrax.identity)` shows who is logged in and the catalog, never the token.
hideSecrets(BaseIdentity, ["token"]);
