// SmartConnect and Disconnect, pyVim.connect's entry points: negotiate the API version through
// /sdk/vimServiceVersions.xml, read the ServiceContent, log in, and hand back the ServiceInstance. govc's
// environment variables (GOVC_URL, GOVC_USERNAME, GOVC_PASSWORD, GOVC_INSECURE) are the defaults.
import { ConfigError, ValidationError } from "@nimbus-sdk/common/client";
import type { vim } from "./generated/vim.js";
import { API_VERSION } from "./generated/wire.js";
import { managedReference } from "./model/managed.js";
import { compareVersions } from "./soap/versions.js";
import { SoapStub, type SoapStubOptions } from "./soap/stub.js";

/**
 * Options of {@link SmartConnect}, pyVmomi's keyword arguments (host, port, user, pwd,
 * disableSslCertValidation …) with the GOVC_* environment variables as defaults.
 */
export interface SmartConnectOptions extends Omit<SoapStubOptions, "verify"> {
  /** Host name or address, "host:port", or a URL (https://vc.example/sdk). Default: GOVC_URL. */
  host?: string;
  /** Default: the URL's port, else 443 (80 with protocol "http"). */
  port?: number;
  /** Default "https" (or the URL's). */
  protocol?: "https" | "http";
  /** The SOAP endpoint's path (default "/sdk", or the URL's). */
  path?: string;
  /**
   * User to log in as. Default: the user written in `host`'s URL, else GOVC_USERNAME when the host is
   * GOVC_URL's (no `host`, or the same host and port), else GOVC_URL's user; none: no login (anonymous).
   */
  user?: string;
  /** Password. Default: as `user`, from `host`'s URL, GOVC_PASSWORD (GOVC_URL's host only) or GOVC_URL. */
  pwd?: string;
  /** Do not verify the server's certificate (insecure: test servers only). Default: GOVC_INSECURE. */
  disableSslCertValidation?: boolean;
  /** The API version to speak ("6.5"), instead of negotiating it. */
  version?: string;
  /** Cancels the connection (version negotiation, ServiceContent, login). */
  signal?: AbortSignal;
  /** Where the GOVC_* variables are read from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/** The ServiceInstance SmartConnect returns: the API's methods plus RetrieveContent, collect and watch. */
export type ServiceInstance = vim.ServiceInstance;

const TRUE_WORDS = /^(1|true|yes|on)$/i;

function parseUrl(text: string, what: string): URL {
  // A bare IPv6 address ("::1") takes the brackets a URL needs.
  const host = (text.match(/:/g)?.length ?? 0) > 1 && !text.includes("[") && !text.includes("/") ? `[${text}]` : text;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `https://${host}`;
  try {
    return new URL(withScheme);
  } catch (cause) {
    throw new ConfigError(`${what} is not a host or URL: ${JSON.stringify(text)}`, { cause });
  }
}

// The same server: host name (any case) and port, the scheme's default port filled in.
function sameHost(a: URL, b: URL): boolean {
  const port = (u: URL) => u.port || (u.protocol === "http:" ? "80" : "443");
  return a.hostname.toLowerCase() === b.hostname.toLowerCase() && port(a) === port(b);
}

/** The endpoint and credentials SmartConnect uses for these options and environment. */
export function resolveConnection(options: SmartConnectOptions = {}): {
  url: URL;
  user?: string;
  pwd?: string;
  insecure: boolean;
} {
  const env = options.env ?? process.env;
  const govcUrl = env.GOVC_URL?.trim() ? parseUrl(env.GOVC_URL.trim(), "GOVC_URL") : undefined;
  const explicit = options.host !== undefined ? parseUrl(options.host, "host") : undefined;
  const source = explicit ?? govcUrl;
  if (!source || !source.hostname) {
    throw new ConfigError('no vCenter or ESXi host: pass { host: "vc.example" } or set GOVC_URL');
  }
  const protocol = options.protocol ?? (source.protocol === "http:" ? "http" : "https");
  const url = new URL(`${protocol}://${source.host}`);
  if (options.port !== undefined) {
    if (!Number.isInteger(options.port) || options.port <= 0 || options.port > 65535) {
      throw new ValidationError(`port must be an integer from 1 to 65535 (got ${options.port})`, { field: "port" });
    }
    url.port = String(options.port);
  } else if (source.port && source.protocol === url.protocol) url.port = source.port;
  const path = options.path ?? (source.pathname && source.pathname !== "/" ? source.pathname : "/sdk");
  url.pathname = path;
  const fromUrl = (value: string) => (value ? decodeURIComponent(value) : undefined);
  // GOVC_USERNAME / GOVC_PASSWORD (and GOVC_URL's own credentials, which they override, as in govc) belong to
  // GOVC_URL's host: never sent to another one. Credentials written in an explicit host URL override them.
  const govcHost = govcUrl !== undefined && (!explicit || sameHost(explicit, govcUrl));
  const credential = (variable: string | undefined, inUrl: (u: URL) => string) => {
    const govc = govcHost ? (variable ?? fromUrl(inUrl(govcUrl))) : undefined;
    return explicit ? (fromUrl(inUrl(explicit)) ?? govc) : govc;
  };
  const user = options.user ?? credential(env.GOVC_USERNAME, (u) => u.username);
  const pwd = options.pwd ?? credential(env.GOVC_PASSWORD, (u) => u.password);
  const insecure = options.disableSslCertValidation ?? TRUE_WORDS.test(env.GOVC_INSECURE?.trim() ?? "");
  return { url, user, pwd, insecure };
}

/**
 * Connects to a vCenter or ESXi host: negotiates the API version, reads the ServiceContent and logs in
 * (when a user is known), then keeps the session alive and logs in again after it expires.
 *
 * @param options - pyVmomi's keyword arguments (`host`, `port`, `user`, `pwd`, `disableSslCertValidation` …);
 *   each defaults to its GOVC_* environment variable.
 * @returns The ServiceInstance: the API's methods plus `RetrieveContent()`, `collect` and `watch`.
 * @throws `ValidationError` for an option it cannot use; `vim.fault.InvalidLogin` for wrong credentials;
 *   common's `ConnectionError` or `TimeoutError` when the host does not answer.
 *
 * @example
 * ```ts
 * import { SmartConnect, Disconnect, vim } from "@nimbus-sdk/vsphere";
 * const si = await SmartConnect({ host: "vc.example.com", user: "admin", pwd: "secret" });
 * const content = await si.RetrieveContent();
 * const view = await content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], true);
 * for (const vm of await view.view) console.log(await vm.name);
 * await Disconnect(si);
 * ```
 */
export async function SmartConnect(options: SmartConnectOptions = {}): Promise<ServiceInstance> {
  const { url, user, pwd, insecure } = resolveConnection(options);
  const stub = new SoapStub(url, { ...options, verify: !insecure });
  const { signal } = options;
  try {
    const negotiated = options.version ?? (await stub.negotiateVersion({ signal }));
    if (negotiated) stub.version = negotiated;
    const content = await stub.serviceContent({ signal });
    // Without vimServiceVersions.xml, the server's own apiVersion says what it speaks.
    const apiVersion = content.about.apiVersion;
    if (!negotiated && /^\d+(\.\d+)*$/.test(apiVersion) && compareVersions(apiVersion, API_VERSION) < 0) {
      stub.version = apiVersion;
    }
    if (user !== undefined) await stub.login(user, pwd ?? "", { signal });
    return managedReference("ServiceInstance", "ServiceInstance", stub) as unknown as ServiceInstance;
  } catch (error) {
    await stub.close().catch(() => undefined);
    throw error;
  }
}

/** pyVmomi's SmartConnectNoSSL: SmartConnect without certificate verification (test servers only). */
export function SmartConnectNoSSL(options: SmartConnectOptions = {}): Promise<ServiceInstance> {
  return SmartConnect({ ...options, disableSslCertValidation: true });
}

/** Logs out, stops the keep-alive and closes the connections of the ServiceInstance's connection. */
export async function Disconnect(si: vim.ManagedObject, options: { signal?: AbortSignal } = {}): Promise<void> {
  await si?._stub?.close(options);
}
