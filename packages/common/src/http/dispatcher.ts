import { readFileSync } from "node:fs";
import type { Dispatcher } from "undici";
// undici's modules straight, not its index, which loads every API it has (and node's own copy of
// undici): about 40 ms of CPU and 8 MB a new process pays before its first request. undici is pinned to
// one version and has no exports map; the packaging test installs these paths and sends through them.
import Agent from "undici/lib/dispatcher/agent.js";
import DispatcherBase from "undici/lib/dispatcher/dispatcher.js";
import EnvHttpProxyAgent from "undici/lib/dispatcher/env-http-proxy-agent.js";
import dispatcherApi from "undici/lib/api/index.js";

// What undici's index does when it loads (the same functions): request, stream, connect ... on every
// dispatcher. The sender calls `dispatcher.request`; the proxy agent's client calls `connect`.
Object.assign(DispatcherBase.prototype, dispatcherApi);
import { ConfigError } from "../errors/local-errors.js";
import { expandHome } from "../config/paths.js";

/** TLS settings: certificate verification, extra CA certificates and a client certificate. */
export interface TlsOptions {
  /** Verify the server's certificate (default true). Turning it off is insecure. */
  verify?: boolean;
  /** Extra CA certificate(s) to trust: PEM text, or the path of a PEM file. */
  ca?: string;
}

/** The proxies requests go through; each defaults to its environment variable. */
export interface ProxyOptions {
  /** Proxy for http:// URLs; default `HTTP_PROXY`. */
  http?: string;
  /** Proxy for https:// URLs; default `HTTPS_PROXY`. */
  https?: string;
  /** Hosts reached directly, comma-separated as in `NO_PROXY` (its default). */
  noProxy?: string;
}

/** How a client connects: TLS verification and CA certificates, proxies, keep-alive and the connection pool. */
export interface ConnectionOptions {
  tls?: TlsOptions;
  /** Proxies; default from the environment. `false` connects directly whatever the environment says. */
  proxy?: ProxyOptions | false;
  /** Connections kept per origin (default 16). */
  connections?: number;
  /** How long an idle connection is kept open, in ms (default 30 s). */
  keepAliveTimeout?: number;
  /** Time allowed to open a connection, TLS handshake included, in ms (default 30 s). */
  connectTimeout?: number;
}

function readCa(ca: string): string {
  if (ca.includes("-----BEGIN")) return ca;
  try {
    return readFileSync(expandHome(ca), "utf8");
  } catch (cause) {
    throw new ConfigError(`cannot read the CA certificate file ${ca}: ${(cause as Error).message}`, { cause });
  }
}

function proxyFromEnv(env: NodeJS.ProcessEnv): ProxyOptions | undefined {
  const http = env.http_proxy ?? env.HTTP_PROXY;
  const https = env.https_proxy ?? env.HTTPS_PROXY;
  if (!http && !https) return undefined;
  return { http, https, noProxy: env.no_proxy ?? env.NO_PROXY };
}

/**
 * The undici dispatcher (connection pool) for these options. A proxy agent is made only when a proxy
 * is configured, so direct connections pay nothing for proxy support.
 */
export function createDispatcher(options: ConnectionOptions = {}, env = process.env): Dispatcher {
  const tls = {
    rejectUnauthorized: options.tls?.verify ?? true,
    ...(options.tls?.ca ? { ca: readCa(options.tls.ca) } : {}),
  };
  const common = {
    connections: options.connections ?? 16,
    keepAliveTimeout: options.keepAliveTimeout ?? 30_000,
    connect: { ...tls, timeout: options.connectTimeout ?? 30_000 },
  };
  const proxy = options.proxy === false ? undefined : (options.proxy ?? proxyFromEnv(env));
  if (!proxy?.http && !proxy?.https) return new Agent(common);
  return new EnvHttpProxyAgent({
    ...common,
    httpProxy: proxy.http ?? "",
    httpsProxy: proxy.https ?? "",
    noProxy: proxy.noProxy ?? "",
    requestTls: tls,
  });
}
