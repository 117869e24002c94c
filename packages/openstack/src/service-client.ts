// The base of every service client (Cloud Files, Images …): a common Transport bound to the
// service's endpoint in one region, authenticated by the identity's auth step, with OpenStack's
// error mapping and the names OpenStack servers use that are safe to log.
import {
  Transport,
  type AuthStep,
  type Logger,
  type ProxyOptions,
  type RetryOptions,
  type Telemetry,
  type TlsOptions,
} from "@nimbus-sdk/common";
import type { Dispatcher } from "undici";
import { mapOpenStackError } from "./errors.js";
import { PACKAGE_NAME, PACKAGE_VERSION } from "./version.js";

/** Options every service client takes; the module and contexts fill them from settings and the catalog. */
export interface ServiceClientOptions {
  /** The service's endpoint URL in the chosen region (from the catalog). */
  endpoint: string | URL;
  region: string;
  /** The project the token is scoped to (the identity's tenantId), for calls that name it. */
  projectId?: string;
  /** Adds the token to each request and renews it; from the identity. */
  auth: AuthStep;
  tls?: TlsOptions;
  proxy?: ProxyOptions | false;
  /** Print each request and response, redacted (pyrax's http_debug). */
  debug?: boolean;
  logger?: Logger;
  /** Put before the SDK's own User-Agent (pyrax's custom_user_agent). */
  userAgentPrefix?: string;
  timeout?: number;
  retry?: RetryOptions;
  /** A connection pool shared by the clients of one module or context. */
  dispatcher?: Dispatcher;
  /** Report each call (default: `setTelemetry`'s, else off). */
  telemetry?: Telemetry;
  /** The catalog's service type, which telemetry names the calls by ("compute", "object-store" ...). */
  service?: string;
}

/** Header, query and body names OpenStack services use whose values are no secret. */
export const OPENSTACK_SAFE_NAMES = {
  headers: [
    "x-openstack-request-id",
    "x-compute-request-id",
    "x-trans-id",
    "x-timestamp",
    "x-container-object-count",
    "x-container-bytes-used",
    "x-account-object-count",
    "x-account-bytes-used",
    "x-account-container-count",
    "x-object-manifest",
    "x-static-large-object",
    "x-delete-at",
    "x-delete-after",
    "x-copy-from",
    "x-detect-content-type",
    "x-newest",
    "openstack-api-version",
    "x-image-meta-checksum",
  ],
  queryParams: [
    "multipart-manifest",
    "temp_url_expires",
    "bulk-delete",
    "extract-archive",
    "end_marker",
    "reverse",
    "additive_only",
    "cascade",
  ],
  bodyKeys: [
    "bytes",
    "hash",
    "last_modified",
    "content_type",
    "subdir",
    "interface",
    "region_id",
    "url",
    "endpoints",
    "expires_at",
    "issued_at",
    "methods",
    "disk_format",
    "container_format",
    "visibility",
    "checksum",
    "min_disk",
    "min_ram",
    "protected",
    "tags",
    "file",
    "schema",
    "number_deleted",
    "number_not_found",
    "response_status",
    "response_body",
    "domain",
  ],
};

/** A common Transport with OpenStack's error mapping, request ids and safe names. */
export function openStackTransport(
  baseUrl: string | URL,
  options: Omit<ServiceClientOptions, "endpoint" | "region" | "projectId" | "auth"> & { auth?: AuthStep },
): Transport {
  return new Transport({
    baseUrl,
    userAgent: { package: PACKAGE_NAME, version: PACKAGE_VERSION, prefix: options.userAgentPrefix },
    auth: options.auth,
    errorMapper: mapOpenStackError,
    redaction: OPENSTACK_SAFE_NAMES,
    requestIdHeaders: ["x-openstack-request-id", "x-compute-request-id", "x-trans-id"],
    tls: options.tls,
    proxy: options.proxy,
    debug: options.debug,
    logger: options.logger,
    timeout: options.timeout,
    retry: options.retry,
    dispatcher: options.dispatcher,
    telemetry: options.telemetry,
    service: options.service,
  });
}

/** The base of every service client: its endpoint, region and transport, made from an identity's catalog. */
export abstract class ServiceClient {
  readonly endpoint: URL;
  readonly region: string;
  protected readonly transport: Transport;

  constructor(options: ServiceClientOptions) {
    this.endpoint = new URL(String(options.endpoint).replace(/\/?$/, "/"));
    this.region = options.region;
    this.transport = openStackTransport(this.endpoint, options);
  }

  setDebug(on: boolean): void {
    this.transport.debug = on;
  }

  /** Closes this client's connections (unless its pool is shared). */
  async close(): Promise<void> {
    await this.transport.close();
  }
}
