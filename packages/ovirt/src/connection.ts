// One engine: common's Transport set up for API v4 (Version: 4, XML in and out, the SSO's bearer token,
// faults mapped to typed errors), and the XML round trip every collection and resource goes through.
import {
  ParseError,
  Transport,
  createDispatcher,
  type ClientTransportOptions,
  type FailedResponse,
  type NimbusError,
  type TransportOptions,
} from "@nimbus-sdk/common";
import { Disconnected, faultClass, type FaultDetails } from "./errors.js";
import type { SsoAuth } from "./sso.js";
import { PACKAGE_NAME, PACKAGE_VERSION } from "./version.js";
import { decodeObject, rootElementName } from "./wire/decode.js";

/** Names whose values may appear in debug logs and error excerpts, on top of common's. */
export const OVIRT_SAFE_NAMES = {
  headers: ["version", "correlation-id", "all-content", "prefer"],
  queryParams: ["follow", "all_content", "case_sensitive", "filter", "next_run", "force", "async", "detach_only"],
  bodyKeys: [
    "fault",
    "reason",
    "detail",
    "status",
    "state",
    "action",
    "link",
    "rel",
    "error_code",
    "error_description",
  ],
};

/** How {@link API.connect} reaches the engine: the CA file, insecure mode, timeouts, retries and the transport's other settings. */
export interface TransportSettings extends ClientTransportOptions {
  /** PEM file of the engine's CA (`/etc/pki/ovirt-engine/ca.pem`, served at /ovirt-engine/services/pki-resource). */
  caFile?: string;
  /** The engine's CA as PEM text (or a file path). */
  ca?: string;
  /** Skip certificate verification: insecure, for test engines only. */
  insecure?: boolean;
  /** Headers sent with every request (`Correlation-Id`, `Prefer` ...). */
  headers?: Record<string, string>;
  /** Largest response read into memory, in bytes (default 256 MiB). */
  maxResponseBytes?: number;
}

/** The transport options every transport of one engine shares (the API's and the SSO's). */
export function transportOptions(settings: TransportSettings): TransportOptions {
  return {
    userAgent: { package: PACKAGE_NAME, version: PACKAGE_VERSION, prefix: settings.userAgentPrefix },
    timeout: settings.timeout,
    tls: { verify: settings.insecure !== true, ca: settings.caFile ?? settings.ca },
    redaction: OVIRT_SAFE_NAMES,
    debug: settings.debug,
    logger: settings.logger,
    proxy: settings.proxy,
    retry: settings.retry,
    maxBodyBytes: settings.maxResponseBytes,
    dispatcher: settings.dispatcher,
  };
}

type Dispatcher = NonNullable<TransportOptions["dispatcher"]>;

export interface SendOptions {
  method: string;
  /** Relative to the API URL: `vms/123/start`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** An XML document. */
  body?: string;
  signal?: AbortSignal;
  timeout?: number;
}

/** A response body that must be the engine's XML, with what a message about it needs. */
export interface XmlReply {
  status: number;
  xml: string;
  method: string;
  url: string;
  requestId?: string;
}

const HTML = /^\s*(<!doctype html|<html[\s>])/i;
const TITLE = /<title[^>]*>([^<]{0,200})<\/title>/i;

/** "an HTML page titled "502 Bad Gateway"": what a proxy's or a login page's answer is, for messages. */
function describeHtml(body: string): string {
  const title = TITLE.exec(body)?.[1]?.trim();
  return title ? `an HTML page titled ${JSON.stringify(title)}` : "an HTML page";
}

export class Connection {
  /** The API's URL: `https://engine/ovirt-engine/api`. */
  readonly url: URL;
  readonly transport: Transport;
  readonly auth: SsoAuth;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  #closed = false;

  constructor(url: URL, auth: SsoAuth, settings: TransportSettings) {
    this.url = url;
    this.auth = auth;
    // One pool for the API and the SSO, which is the same server.
    const options = transportOptions(settings);
    this.#ownsDispatcher = settings.dispatcher === undefined;
    this.#dispatcher = settings.dispatcher ?? createDispatcher(options);
    auth.useTransport(
      new Transport({ ...options, dispatcher: this.#dispatcher, errorMapper: (failed) => ssoError(failed) }),
    );
    this.transport = new Transport({
      ...options,
      dispatcher: this.#dispatcher,
      baseUrl: url,
      headers: { version: "4", accept: "application/xml", ...settings.headers },
      auth: auth.step,
      errorMapper: (failed) => faultError(failed),
    });
  }

  /** Sends a request and returns its body, which must be XML (an HTML page, from a proxy, is a ParseError). */
  async send(options: SendOptions): Promise<XmlReply> {
    if (this.#closed) {
      throw new Disconnected(
        `${options.method.toUpperCase()} ${options.path || "/"}: the API was disconnected; connect again with API.connect`,
      );
    }
    // Read through the transport, so that a GET whose body fails mid-way is sent again.
    const { response, xml } = await this.transport.read(
      {
        method: options.method,
        url: options.path,
        query: options.query,
        body: options.body,
        headers: options.body === undefined ? undefined : { "content-type": "application/xml" },
        signal: options.signal,
        timeout: options.timeout,
      },
      async (response) => ({ response, xml: await response.text() }),
    );
    const method = options.method.toUpperCase();
    const url = this.transport.redactor.url(new URL(options.path, `${this.url.href.replace(/\/?$/, "/")}`));
    const reply = { status: response.status, xml, method, url, requestId: response.requestId };
    if (xml.trim() !== "" && (HTML.test(xml) || /html/i.test(response.headers["content-type"] ?? ""))) {
      throw new ParseError(
        `${method} ${url}: expected the engine's XML, got ${describeHtml(xml)} (a proxy or a login page in front of the engine?)`,
        { method, url, status: response.status, requestId: response.requestId },
      );
    }
    return reply;
  }

  /** Decodes a reply with `decode`, naming the request in the ParseError of a malformed or wrong document. */
  decode<T>(reply: XmlReply, decode: (xml: string) => T): T {
    const context = { method: reply.method, url: reply.url, status: reply.status, requestId: reply.requestId };
    if (reply.xml.trim() === "") {
      throw new ParseError(
        `${reply.method} ${reply.url}: the engine answered ${reply.status} with an empty body`,
        context,
      );
    }
    try {
      return decode(reply.xml);
    } catch (cause) {
      if (cause instanceof ParseError) {
        throw new ParseError(`${reply.method} ${reply.url}: ${cause.message}`, {
          ...context,
          bodyExcerpt: this.transport.redactor.body(reply.xml, "application/xml", 200),
          cause,
        });
      }
      throw cause;
    }
  }

  /** Whether close() was called: every request after it is refused with Disconnected. */
  get closed(): boolean {
    return this.#closed;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }
}

/** The fault of a `<fault>` document (or of an `<action>` holding one), if the XML is one. */
export function readFault(xml: string): FaultDetails | undefined {
  const root = rootElementName(xml);
  if (root !== "fault" && root !== "action") return undefined;
  try {
    const decoded = decodeObject(xml, root === "fault" ? "Fault" : "Action");
    const fault = (root === "fault" ? decoded : decoded.fault) as FaultDetails | undefined;
    return fault && { reason: fault.reason, detail: fault.detail };
  } catch {
    return undefined;
  }
}

/** "Operation Failed: [Cannot run VM. VM is running.]" */
export function faultText(fault: FaultDetails): string {
  return [fault.reason, fault.detail].filter(Boolean).join(": ") || "the engine gave no reason";
}

/** The typed error of a failed response: from its `<fault>`, its HTML page, or its status alone. */
function faultError(failed: FailedResponse): NimbusError {
  const fault = readFault(failed.body);
  return statusError(failed, { reason: fault && faultText(fault), fault, expected: "the engine's XML" });
}

/** The typed error of a failed SSO request (a 404 or a 5xx: refusals are read as JSON), naming the SSO's URL. */
function ssoError(failed: FailedResponse): NimbusError {
  let reason: string | undefined;
  try {
    const answer = JSON.parse(failed.body) as { error?: unknown; error_description?: unknown };
    const said = answer.error_description ?? answer.error;
    if (typeof said === "string") reason = said;
  } catch {
    // Not the SSO's JSON: the status (and an HTML page's title) say what there is to say.
  }
  return statusError(failed, { reason, expected: "the SSO's JSON", prefix: "the engine's SSO failed: " });
}

interface StatusErrorParts {
  /** What the server said about the failure, when it said something readable. */
  reason?: string;
  fault?: FaultDetails;
  /** What a good answer is, for the message about an HTML page. */
  expected: string;
  prefix?: string;
}

/** The oVirt error class of the status, its message naming the request, and the reason or the page. */
function statusError(failed: FailedResponse, parts: StatusErrorParts): NimbusError {
  const { method, url, status, requestId, bodyExcerpt, retryAfterMs } = failed;
  const ErrorClass = faultClass(status);
  const context = { method, url, status, requestId, bodyExcerpt, retryAfterMs, ...parts.fault };
  const request = `${parts.prefix ?? ""}${method} ${url} failed with ${status}`;
  if (parts.reason !== undefined) return new ErrorClass(`${request}: ${parts.reason}`, context);
  if (HTML.test(failed.body) || /html/i.test(failed.headers["content-type"] ?? "")) {
    return new ErrorClass(
      `${request}, and the answer is ${describeHtml(failed.body)}, not ${parts.expected} (a proxy in front of the engine?)`,
      context,
    );
  }
  return new ErrorClass(`${request}${bodyExcerpt ? `: ${bodyExcerpt}` : ""}`, context);
}
