// The client: one account's settings (python-tutum's module attributes `user`, `apikey`, `base_url`
// ...), one connection pool, and the resource classes bound to it, so `tutum.Application` and
// `other.Application` talk to two accounts at once. The module default (`import tutum`) is one of these.
import { setTimeout as sleep } from "node:timers/promises";
import {
  AbortError,
  Transport,
  ValidationError,
  hideSecrets,
  userAgent,
  type HttpClientName,
  type Logger,
  type ProxyOptions,
  type RetryOptions,
  type TlsOptions,
  type TransportOptions,
} from "@nimbus-sdk/common";
import {
  AUTH_SCHEMES,
  CredentialResolver,
  describeSource,
  type AuthScheme,
  type CredentialSource,
  type ResolvedCredentials,
} from "./credentials.js";
import * as errors from "./errors.js";
import { TutumApiError, TutumAuthError, TutumConnectionError, asTutumError, mapTutumError } from "./errors.js";
import { ACTION_URI_HEADER, API_PREFIX, resources, type EventMessage } from "./generated/api.js";
import {
  bindResource,
  setDefaultClientProvider,
  type CallOptions,
  type CallResult,
  type Resource,
  type ResourceClient,
  type StreamCallOptions,
} from "./resource.js";
import { Action } from "./resources/action.js";
import { Application } from "./resources/application.js";
import { AZ } from "./resources/az.js";
import { Container } from "./resources/container.js";
import { Image } from "./resources/image.js";
import { NodeCluster } from "./resources/node-cluster.js";
import { NodeType } from "./resources/node-type.js";
import { Node } from "./resources/node.js";
import { Provider } from "./resources/provider.js";
import { Region } from "./resources/region.js";
import { Registry } from "./resources/registry.js";
import { Service } from "./resources/service.js";
import { Stack } from "./resources/stack.js";
import { Tag } from "./resources/tag.js";
import { Trigger } from "./resources/trigger.js";
import { VolumeGroup } from "./resources/volume-group.js";
import { Volume } from "./resources/volume.js";
import { TutumEvents } from "./events.js";
import { jsonStream, type StreamEnd } from "./streams.js";
import { TutumUtils } from "./utils.js";
import { PACKAGE_NAME, PACKAGE_VERSION } from "./version.js";
import { waitFor, type StateOf, type WaitForOptions } from "./wait.js";

/** python-tutum 0.9+'s API root; the seed (0.6-0.7) used https://app.tutum.co/api/v1/. */
export const DEFAULT_REST_HOST = "https://dashboard.tutum.co";
/** python-tutum 0.14+'s stream API root. */
export const DEFAULT_STREAM_HOST = "wss://stream.tutum.co";

/** Options of a {@link Tutum} client: credentials, the REST and stream URLs, User-Agent, timeouts and retries. */
export interface TutumOptions {
  /** The user name (python-tutum's `tutum.user`). */
  user?: string;
  /** The API key (`tutum.apikey`). */
  apikey?: string;
  /** A whole Authorization header value (`tutum.tutum_auth`, else the TUTUM_AUTH variable). */
  tutum_auth?: string;
  /** base64 of `user:apikey` or `user:password`, sent as `Basic …` (`tutum.basic_auth`). */
  basic_auth?: string;
  /** The API root, ending in /api/v1/ (`tutum.base_url`; else TUTUM_BASE_URL, else TUTUM_REST_HOST + /api/v1/). */
  base_url?: string;
  /** The REST host (`tutum.rest_host`; else TUTUM_REST_HOST, else https://dashboard.tutum.co); sets `base_url` unless given. */
  rest_host?: string;
  /** The stream host (`tutum.stream_host`; else TUTUM_STREAM_HOST, else wss://stream.tutum.co); sets `stream_url` unless given. */
  stream_host?: string;
  /**
   * The stream API root, ending in /v1/ (`tutum.stream_url`; else TUTUM_STREAM_URL, else
   * TUTUM_STREAM_HOST + /v1/, else the `base_url` host with ws(s): when it is not Tutum's own).
   */
  stream_url?: string;
  /** Put before the SDK's User-Agent (`tutum.user_agent`). */
  user_agent?: string;
  /** "ApiKey" (default, the seed's `ApiKey user:apikey`) or "Basic" (python-tutum 0.21+). */
  authScheme?: AuthScheme;
  /** The credential file; default `~/.tutum`. */
  configPath?: string;
  /** Environment variables to read instead of `process.env` (TUTUM_*). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The home directory `~` stands for. */
  homedir?: string;
  /** ms allowed for the response headers and between two body chunks (default 60 000). */
  timeout?: number;
  /** Retries of reads on 429, 502, 503, 504 and connection resets (common's defaults). */
  retry?: RetryOptions;
  tls?: TlsOptions;
  proxy?: ProxyOptions | false;
  /** Log each request and response, redacted (default: NIMBUS_DEBUG). */
  debug?: boolean;
  logger?: Logger;
  /** "undici" (default) or "ky" (through `fetch`). */
  client?: HttpClientName;
  fetch?: typeof fetch;
  /** A connection pool shared with other clients. */
  dispatcher?: TransportOptions["dispatcher"];
  /** Report each call to a callback or an OpenTelemetry tracer (default: `setTelemetry`'s, else off). */
  telemetry?: TransportOptions["telemetry"];
}

/** What is known of the credentials in use, without the secret. */
export interface CredentialInfo {
  source: CredentialSource;
  /** "~/.tutum [auth] user/apikey", "the environment (TUTUM_AUTH)" … */
  description: string;
  user?: string;
  scheme: string;
}

// Tutum's field and filter names carry no secret; they make debug logs readable. Image registry
// credentials (username, password) and keys stay redacted.
const SECRET_NAMES = /pass|secret|key|token|auth|username|^user$|provider_options|envvars|logs/i;
const SAFE_NAMES = [
  ...new Set(
    Object.values(resources).flatMap((r) => [...r.fields.map((f) => f.name), ...(r.filters as readonly string[])]),
  ),
].filter((name) => !SECRET_NAMES.test(name));
const FILTER_NAMES = [...SAFE_NAMES, "uuid__startswith", "reuse_volumes", "offset", "limit"].flatMap((n) => [
  n,
  `${n}__startswith`,
]);

const apiRoot = (restHost: string): string => `${restHost.replace(/\/+$/, "")}${API_PREFIX}`;
const streamRoot = (streamHost: string): string => `${streamHost.replace(/\/+$/, "")}/v1/`;

/** `tutum.TutumEvents`: the class with its client bound, so `new tutum.TutumEvents()` takes no argument. */
function boundEvents(client: Tutum): new () => TutumEvents {
  return class extends TutumEvents {
    constructor() {
      super(client);
    }
  };
}

/** python-tutum's `tutum.auth` module: its functions over one client's settings. */
export interface TutumAuthModule {
  authenticate(username: string, password: string, options?: { signal?: AbortSignal }): Promise<void>;
  is_authenticated(): boolean;
  logout(): void;
  /** `{ Authorization: "..." }` for a request of the script's own (the CLI's exec and events), or `{}`. */
  get_auth_header(): { Authorization?: string };
}

export interface EventsOptions {
  signal?: AbortSignal;
  /** Connect again when the stream closes or breaks, as python-tutum does (default true). */
  reconnect?: boolean;
  /** ms before connecting again (default 1000). */
  reconnectDelay?: number;
  /** Called each time the stream is connected (python-tutum's `on_open`): events from then on arrive. */
  onOpen?: () => void;
}

/** The exception classes of errors.ts, by name (`tutum.TutumApiError` ...). */
export type TutumExceptions = {
  readonly [
    K in keyof typeof errors as (typeof errors)[K] extends abstract new (...args: never[]) => Error ? K : never
  ]: (typeof errors)[K];
};

// The exceptions are members of every client (below), as `import tutum` gives `tutum.TutumApiError`.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface Tutum extends TutumExceptions {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Tutum implements ResourceClient {
  /** The user name (code), or undefined to fall back to ~/.tutum and TUTUM_USER. */
  user: string | undefined;
  apikey: string | undefined;
  /** A whole Authorization header value set in code. */
  tutum_auth: string | undefined;
  basic_auth: string | undefined;
  /** The API root; relative paths and resource URIs resolve against it. */
  base_url: string;
  #streamUrl: string | undefined;
  user_agent: string | undefined;
  #authScheme: AuthScheme;
  #restHost: string;
  #streamHost: string | undefined;

  readonly Application: typeof Application;
  readonly Container: typeof Container;
  readonly Image: typeof Image;
  readonly Registry: typeof Registry;
  readonly Service: typeof Service;
  readonly Stack: typeof Stack;
  readonly Node: typeof Node;
  readonly NodeCluster: typeof NodeCluster;
  readonly NodeType: typeof NodeType;
  readonly Provider: typeof Provider;
  readonly Region: typeof Region;
  readonly AZ: typeof AZ;
  readonly Volume: typeof Volume;
  readonly VolumeGroup: typeof VolumeGroup;
  readonly Action: typeof Action;
  /** Triggers of a service: `await tutum.Trigger.fetch(service)`. */
  readonly Trigger = Trigger;
  /** Tags of a service, node or node cluster: `await tutum.Tag.fetch(node)`. */
  readonly Tag = Tag;
  /** Lookups by uuid, uuid prefix or name, and by resource URI. */
  readonly Utils: TutumUtils;
  /** python-tutum's `tutum.TutumEvents()`: `new tutum.TutumEvents()`, bound to this client. */
  readonly TutumEvents: new () => TutumEvents;

  readonly #options: TutumOptions;
  readonly #credentials: CredentialResolver;
  #transport?: Transport;
  #lastSource?: CredentialSource;

  constructor(options: TutumOptions = {}) {
    this.#options = { ...options };
    const env = options.env ?? process.env;
    this.user = options.user;
    this.apikey = options.apikey;
    this.tutum_auth = options.tutum_auth;
    this.basic_auth = options.basic_auth;
    // As python-tutum's module: base_url from TUTUM_BASE_URL, else from the REST host (stream_url alike).
    this.#restHost = options.rest_host ?? (env.TUTUM_REST_HOST || DEFAULT_REST_HOST);
    this.base_url = options.base_url ?? (env.TUTUM_BASE_URL || apiRoot(this.#restHost));
    this.user_agent = options.user_agent;
    this.#streamHost = options.stream_host ?? env.TUTUM_STREAM_HOST;
    this.#streamUrl =
      options.stream_url ?? env.TUTUM_STREAM_URL ?? (this.#streamHost ? streamRoot(this.#streamHost) : undefined);
    this.#authScheme = checkScheme(options.authScheme ?? "ApiKey");
    this.#credentials = new CredentialResolver({
      env: options.env,
      configPath: options.configPath,
      homedir: options.homedir,
      logger: options.logger,
    });
    this.Application = bindResource(Application, this);
    this.Container = bindResource(Container, this);
    this.Image = bindResource(Image, this);
    this.Registry = bindResource(Registry, this);
    this.Service = bindResource(Service, this);
    this.Stack = bindResource(Stack, this);
    this.Node = bindResource(Node, this);
    this.NodeCluster = bindResource(NodeCluster, this);
    this.NodeType = bindResource(NodeType, this);
    this.Provider = bindResource(Provider, this);
    this.Region = bindResource(Region, this);
    this.AZ = bindResource(AZ, this);
    this.Volume = bindResource(Volume, this);
    this.VolumeGroup = bindResource(VolumeGroup, this);
    this.Action = bindResource(Action, this);
    this.TutumEvents = boundEvents(this);
    this.Utils = new TutumUtils({
      Application: this.Application,
      Action: this.Action,
      Container: this.Container,
      Image: this.Image,
      Registry: this.Registry,
      Service: this.Service,
      Stack: this.Stack,
      Node: this.Node,
      NodeCluster: this.NodeCluster,
      NodeType: this.NodeType,
      Provider: this.Provider,
      Region: this.Region,
      AZ: this.AZ,
      Volume: this.Volume,
      VolumeGroup: this.VolumeGroup,
    });
  }

  /**
   * python-tutum's `tutum.rest_host` (read by scripts to build URLs: `tutum.rest_host + trigger.url`).
   * Setting it also points `base_url` at it; python-tutum derives base_url from it only at import (see
   * docs/decisions/0010-tutum-module-object.md).
   */
  get rest_host(): string {
    return this.#restHost;
  }

  set rest_host(host: string) {
    this.#restHost = host;
    this.base_url = apiRoot(host);
  }

  /** python-tutum's `tutum.stream_host`; setting it also points `stream_url` at it. */
  get stream_host(): string {
    return this.#streamHost ?? DEFAULT_STREAM_HOST;
  }

  set stream_host(host: string) {
    this.#streamHost = host;
    this.#streamUrl = streamRoot(host);
  }

  /**
   * The stream API root (`tutum.stream_url`, a string as in python-tutum: scripts join paths to it): the
   * one set in code or by TUTUM_STREAM_URL/TUTUM_STREAM_HOST, else the one `streamUrl()` derives.
   * Assigning undefined goes back to the derived one.
   */
  get stream_url(): string {
    return this.streamUrl();
  }

  set stream_url(url: string | undefined) {
    this.#streamUrl = url;
  }

  /** python-tutum's `tutum.auth`: `await tutum.auth.authenticate(u, p)`, `tutum.auth.is_authenticated()`, `logout()`. */
  get auth(): TutumAuthModule {
    return Object.freeze({
      authenticate: (username: string, password: string, options?: { signal?: AbortSignal }) =>
        this.authenticate(username, password, options),
      is_authenticated: () => this.isAuthenticated(),
      logout: () => this.logout(),
      get_auth_header: () => {
        const found = this.#credentials.tryResolve(this, this.#authScheme);
        return found ? { Authorization: found.header } : {};
      },
    });
  }

  /** "ApiKey" (`ApiKey user:apikey`, the seed's header) or "Basic" (`Basic base64(user:apikey)`, 0.21+). */
  get authScheme(): AuthScheme {
    return this.#authScheme;
  }

  set authScheme(scheme: AuthScheme) {
    this.#authScheme = checkScheme(scheme);
  }

  /** Log each request and response (redacted: never the Authorization header). */
  get debug(): boolean {
    return this.#transport?.debug ?? this.#options.debug ?? false;
  }

  set debug(on: boolean) {
    this.#options.debug = on;
    if (this.#transport) this.#transport.debug = on;
  }

  /** Where the credentials come from, without the secret; undefined when there are none anywhere. */
  credentials(): CredentialInfo | undefined {
    const found = this.#credentials.tryResolve(this, this.#authScheme);
    if (!found) return undefined;
    return {
      source: found.source,
      description: describeSource(found.source),
      user: found.user,
      scheme: found.header.split(" ")[0] ?? "",
    };
  }

  /** Reads ~/.tutum again (it is read once, at the first request). */
  reloadCredentials(): void {
    this.#credentials.reload();
  }

  /** Whether credentials are set anywhere (python-tutum's `tutum.auth.is_authenticated()`). */
  isAuthenticated(): boolean {
    return this.credentials() !== undefined;
  }

  /** Forgets the credentials set in code (python-tutum's `tutum.auth.logout()`). */
  logout(): void {
    this.user = undefined;
    this.apikey = undefined;
    this.tutum_auth = undefined;
    this.basic_auth = undefined;
  }

  /**
   * Logs in with a user name and password (GET auth/ with Basic), and keeps the user name and API key
   * the server returns, as python-tutum 0.7's `tutum.auth.authenticate`.
   */
  async authenticate(username: string, password: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const basic = Buffer.from(`${username}:${password}`, "utf8").toString("base64");
    const { body } = await this.#send<{ objects?: { username?: string; key?: string }[] }>(
      { method: "GET", path: "auth/", signal: options.signal },
      `Basic ${basic}`,
    );
    const found = body?.objects?.[0];
    if (!found?.key) throw new TutumAuthError(`GET auth/ returned no API key for ${username}`);
    this.user = found.username ?? username;
    this.apikey = found.key;
  }

  /** Waits for `resource` to reach a state; see `waitFor`. */
  waitFor<T extends Resource>(
    resource: T,
    target: StateOf<T> | readonly StateOf<T>[] | ((resource: T) => boolean),
    options: WaitForOptions<T> = {},
  ): Promise<T> {
    return waitFor(resource, target, options);
  }

  /** One request to the API (what the resources use); a path resolves against `base_url`. */
  async call<T>(options: CallOptions): Promise<CallResult<T>> {
    let authorization: string | undefined;
    if (!options.anonymous) {
      const resolved: ResolvedCredentials = this.#credentials.resolve(this, this.#authScheme);
      this.#lastSource = resolved.source;
      authorization = resolved.header;
    }
    return this.#send<T>(options, authorization);
  }

  async #send<T>(options: CallOptions, authorization: string | undefined): Promise<CallResult<T>> {
    const url = this.resolveUrl(options.path);
    try {
      // Read through the transport, so that a GET whose body fails mid-way is sent again.
      return await this.#getTransport().read(
        {
          method: options.method,
          url,
          query: options.query,
          json: options.json,
          // The User-Agent is made per request, so a later `tutum.user_agent = ...` takes effect.
          headers: {
            accept: "application/json",
            authorization,
            "user-agent": userAgent(PACKAGE_NAME, PACKAGE_VERSION, this.user_agent),
          },
          signal: options.signal,
        },
        async (response) => {
          const body = response.status === 204 ? (await response.dump(), undefined) : await response.json<T>();
          return { status: response.status, body: body ?? undefined, headers: response.headers };
        },
      );
    } catch (error) {
      throw asTutumError(error);
    }
  }

  /** The stream API root in use: `stream_url`, else Tutum's for Tutum's API, else `base_url`'s host with ws(s). */
  streamUrl(): string {
    if (this.#streamUrl) return this.#streamUrl.endsWith("/") ? this.#streamUrl : `${this.#streamUrl}/`;
    const base = this.resolveUrl("");
    if (base.origin === DEFAULT_REST_HOST) return `${DEFAULT_STREAM_HOST}/v1/`;
    return `${base.protocol === "https:" ? "wss:" : "ws:"}//${base.host}/v1/`;
  }

  /** The JSON messages of a stream of the stream API (what `events()` and `logStream()` use). */
  async *stream<T>(options: StreamCallOptions): AsyncGenerator<T, StreamEnd> {
    const resolved = this.#credentials.resolve(this, this.#authScheme);
    this.#lastSource = resolved.source;
    const url = new URL(options.path.replace(/^\/+/, ""), this.streamUrl());
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      authorization: resolved.header,
      "user-agent": userAgent(PACKAGE_NAME, PACKAGE_VERSION, this.user_agent),
    };
    return yield* jsonStream<T>(url, {
      headers,
      signal: options.signal,
      onOpen: options.onOpen,
      rejectUnauthorized: this.#options.tls?.verify ?? true,
    });
  }

  /**
   * Every change of the account's objects as it happens (python-tutum's TutumEvents, as an async
   * iterable): `{ type, action: "create"|"update"|"delete", resource_uri, state, parents }`. Connects
   * again when the stream closes, until `signal` aborts; refused credentials throw TutumAuthError.
   */
  async *events(options: EventsOptions = {}): AsyncGenerator<EventMessage> {
    const { signal, reconnect = true, reconnectDelay = 1000, onOpen } = options;
    for (;;) {
      try {
        for await (const message of this.stream<EventMessage | { type: "error"; data?: { errorMessage?: string } }>({
          path: "events",
          signal,
          onOpen,
        })) {
          if (message.type === "auth") continue;
          if (message.type === "error") {
            const reason = (message as { data?: { errorMessage?: string } }).data?.errorMessage ?? "error";
            if (reason === "UNAUTHORIZED") {
              throw new TutumAuthError(
                `Not authorized: the events stream refused the credentials from ${describeSource(this.#lastSource!)}`,
              );
            }
            throw new TutumApiError(`the events stream failed: ${reason}`);
          }
          yield message as EventMessage;
        }
      } catch (error) {
        if (!reconnect || !(error instanceof TutumConnectionError)) throw error;
      }
      if (!reconnect) return;
      try {
        await sleep(reconnectDelay, undefined, { signal });
      } catch {
        throw new AbortError("the events stream was cancelled", { cause: signal?.reason });
      }
    }
  }

  /** The URL a path, a resource URI ("/api/v1/…") or a URL stands for, with python-tutum's trailing slash. */
  resolveUrl(path: string): URL {
    let base: URL;
    try {
      base = new URL(this.base_url.endsWith("/") ? this.base_url : `${this.base_url}/`);
    } catch {
      throw new ValidationError(`base_url is not an absolute URL: ${JSON.stringify(this.base_url)}`, {
        field: "base_url",
      });
    }
    let url: URL;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) url = new URL(path);
    else if (path.startsWith(API_PREFIX) && base.pathname.endsWith(API_PREFIX)) {
      url = new URL(path.slice(API_PREFIX.length), base);
    } else url = new URL(path.replace(/^\/+/, ""), base);
    if (!url.pathname.endsWith("/")) url.pathname += "/";
    return url;
  }

  /** Closes the connection pool (a later call opens a new one). */
  async close(): Promise<void> {
    const transport = this.#transport;
    this.#transport = undefined;
    await transport?.close();
  }

  #getTransport(): Transport {
    const o = this.#options;
    this.#transport ??= new Transport({
      userAgent: { package: PACKAGE_NAME, version: PACKAGE_VERSION, prefix: this.user_agent },
      errorMapper: (response) =>
        mapTutumError(response, () =>
          this.#lastSource
            ? `Credentials from ${describeSource(this.#lastSource)}, scheme ${this.#authScheme}`
            : undefined,
        ),
      redaction: {
        headers: [ACTION_URI_HEADER.toLowerCase()],
        queryParams: FILTER_NAMES,
        bodyKeys: [...SAFE_NAMES, "meta", "objects", "next", "previous", "total_count", "offset", "limit"],
      },
      timeout: o.timeout,
      retry: o.retry,
      tls: o.tls,
      proxy: o.proxy,
      debug: o.debug,
      logger: o.logger,
      client: o.client,
      fetch: o.fetch,
      dispatcher: o.dispatcher,
      telemetry: o.telemetry,
      service: "tutum",
    });
    return this.#transport;
  }
}

function checkScheme(scheme: string): AuthScheme {
  if (!(AUTH_SCHEMES as readonly string[]).includes(scheme)) {
    throw new ValidationError(`authScheme must be ${AUTH_SCHEMES.join(" or ")}, not ${JSON.stringify(scheme)}`, {
      field: "authScheme",
    });
  }
  return scheme as AuthScheme;
}

let defaultTutum: Tutum | undefined;

// `console.log(tutum)` shows the settings, never the key nor an Authorization value.
hideSecrets(Tutum, ["apikey", "tutum_auth", "basic_auth"]);

/** The module default client (`import tutum from "@nimbus-sdk/tutum"`), made on first use. */
export function getDefaultTutum(): Tutum {
  defaultTutum ??= new Tutum();
  return defaultTutum;
}

setDefaultClientProvider(getDefaultTutum);

for (const [name, value] of Object.entries(errors)) {
  if (typeof value === "function" && value.prototype instanceof Error) {
    Object.defineProperty(Tutum.prototype, name, { value, enumerable: false });
  }
}
