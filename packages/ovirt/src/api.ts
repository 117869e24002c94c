// API, the entry object (the oVirt Python SDK v3's `ovirtsdk.api.API`): logs in through the engine's SSO,
// reads the entry point, and holds the root collections (`api.vms`, `api.clusters` ...). `disconnect()`
// (or `await using`) revokes the token and closes the connection pool.
import { AbortError, ConnectionError, ValidationError } from "@nimbus-sdk/common";
import { Connection, type TransportSettings } from "./connection.js";
import { SystemResource } from "./generated/resources.js";
import { fetchEntity } from "./resource.js";
import { SsoAuth, type SsoOptions } from "./sso.js";
import { nodeContext, type CallOptions, type NodeContext } from "./node.js";
// Installs `vm.disks` on the generated VmResource (every VM is reached through an API).
import "./vm-disks.js";
import { ROOT_SERVICE, wireService } from "./wire/services.js";

/** Options of {@link API.connect}: the API's URL, the credentials or a token, the CA file and the transport's settings. */
export interface ConnectOptions extends TransportSettings, SsoOptions {
  /** The API's URL: `https://engine.example.com/ovirt-engine/api`. */
  url: string | URL;
  /** Cancels the login and the first request. */
  signal?: AbortSignal;
}

function apiUrl(value: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new ValidationError(
      `url must be the API's absolute URL (https://engine/ovirt-engine/api), not ${JSON.stringify(String(value))}`,
      {
        field: "url",
      },
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ValidationError(`url must be an http(s) URL, not ${url.protocol}`, { field: "url" });
  }
  url.pathname = url.pathname.replace(/\/+$/, "");
  return url;
}

/**
 * The oVirt SDK v3's `API`: the connection to an engine and the root of its collections (`api.vms`,
 * `api.clusters`, `api.hosts` …), each with `list`, `get`, `add` and the resources' `update()`, actions and
 * `status.state`, over the engine's REST API v4. Connect with {@link API.connect}; `disconnect()` logs out.
 *
 * @throws {@link AuthError} for refused credentials; {@link RequestError} for the engine's faults;
 * common's `ConnectionError` or `TimeoutError` when it does not answer.
 *
 * @example
 * ```ts
 * import { API, params } from "@nimbus-sdk/ovirt";
 * const api = await API.connect({
 *   url: "https://engine.example.com/ovirt-engine/api",
 *   username: "admin@internal",
 *   password: process.env.OVIRT_PASSWORD!,
 *   caFile: "ca.pem",
 * });
 * const vm = await api.vms.add(new params.VM({ name: "my_vm", cluster: await api.clusters.get({ name: "Default" }) }));
 * await vm.start();
 * console.log((await api.vms.get({ name: "my_vm" }))?.status?.state);
 * await api.disconnect();
 * ```
 */
export class API extends SystemResource {
  constructor(context: NodeContext, data: object = {}) {
    // v3 logged in when the API was made (`API(url=..., username=..., password=...)`); logging in here is
    // asynchronous, so only API.connect makes one.
    if (typeof context !== "object" || context === null || !(context.connection instanceof Connection)) {
      throw new ValidationError(
        "new API(...) is v3's way to log in; here logging in is asynchronous: " +
          "use `const api = await API.connect({ url, username, password, caFile })`",
        { field: "API" },
      );
    }
    super(context, data);
  }

  /**
   * Logs in (a token from the SSO with `username` and `password`, or the `token` given) and reads the
   * entry point, which checks the URL and the credentials; resolves to the connected API.
   */
  static async connect(options: ConnectOptions): Promise<API> {
    if (!options || typeof options !== "object") throw new ValidationError("API.connect takes an options object");
    const url = apiUrl(options.url);
    if (options.token === undefined && (options.username === undefined || options.password === undefined)) {
      throw new ValidationError("API.connect needs a username and a password, or a token", { field: "username" });
    }
    const auth = new SsoAuth(url, options);
    const connection = new Connection(url, auth, options);
    const context = { connection, service: wireService(ROOT_SERVICE), path: "" };
    try {
      return new API(context, await fetchEntity(context, { signal: options.signal }));
    } catch (error) {
      await connection.close();
      if (options.signal?.aborted && !(error instanceof AbortError)) {
        throw new AbortError("API.connect was cancelled", { cause: options.signal.reason });
      }
      if (error instanceof ConnectionError && /TLS certificate/.test(error.message)) {
        // Common's advice names its own options; these are the ones API.connect takes.
        throw new ConnectionError(
          `${error.message.replace(/ Trust its CA.*$/, "")} Pass the engine's CA with \`caFile\` (it is ` +
            `/etc/pki/ovirt-engine/ca.pem on the engine, and served at /ovirt-engine/services/pki-resource?` +
            `resource=ca-certificate&format=X509-PEM-CA), or \`insecure: true\` for a test engine.`,
          { ...error.context, cause: error },
        );
      }
      throw error;
    }
  }

  /**
   * v3's `api.test(throw_exception=False)`: reads the entry point and resolves to true when the engine
   * answers; to false when it does not, or with the error itself when `throwException` is true.
   */
  async test(throwException = false, options: CallOptions = {}): Promise<boolean> {
    try {
      await fetchEntity(nodeContext(this), { signal: options.signal, timeout: options.timeout });
      return true;
    } catch (error) {
      if (throwException) throw error;
      return false;
    }
  }

  /** The API's URL. */
  get url(): string {
    return nodeContext(this).connection.url.href;
  }

  /** Log every request and response (redacted). */
  get debug(): boolean {
    return nodeContext(this).connection.transport.debug;
  }

  set debug(on: boolean) {
    nodeContext(this).connection.transport.debug = on;
  }

  /**
   * Revokes the token at the SSO (unless `logout: false`) and closes the connection pool. A logout the
   * engine does not answer is not an error: the pool is closed either way.
   */
  async disconnect(options: { logout?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    const { connection } = nodeContext(this);
    try {
      if (options.logout !== false) await connection.auth.logout({ signal: options.signal }).catch(() => undefined);
    } finally {
      await connection.close();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.disconnect();
  }
}
