// One engine: common's Transport set up for API v4 (Version: 4, XML in and out, the SSO's bearer token,
// faults mapped to typed errors), and the XML round trip every collection and resource goes through.
import {
  BodyTooLargeError,
  DEFAULT_MAX_BODY_BYTES,
  ParseError,
  Transport,
  XmlStreamScanner,
  createDispatcher,
  scanXml,
  type ClientTransportOptions,
  type FailedResponse,
  type NimbusError,
  type NimbusResponse,
  type TransportOptions,
} from "@nimbus-sdk/common";
import { Disconnected, faultClass, type FaultDetails } from "./errors.js";
import type { SsoAuth } from "./sso.js";
import { PACKAGE_NAME, PACKAGE_VERSION } from "./version.js";
import { decodeObject, rootElementName, type StreamDecoder } from "./wire/decode.js";

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
    telemetry: settings.telemetry,
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
  /** This call's `Correlation-Id` header. */
  correlation_id?: string;
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
/** Body bytes read before deciding that an answer is XML to stream, not an HTML page (or empty). */
const HEAD_BYTES = 1024;
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
  readonly #maxResponseBytes: number;
  #closed = false;

  constructor(url: URL, auth: SsoAuth, settings: TransportSettings) {
    this.url = url;
    this.auth = auth;
    // One pool for the API and the SSO, which is the same server.
    const options = transportOptions(settings);
    this.#ownsDispatcher = settings.dispatcher === undefined;
    this.#maxResponseBytes = settings.maxResponseBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.#dispatcher = settings.dispatcher ?? createDispatcher(options);
    auth.useTransport(
      new Transport({
        ...options,
        dispatcher: this.#dispatcher,
        service: "ovirt-sso",
        errorMapper: (failed) => ssoError(failed),
      }),
    );
    this.transport = new Transport({
      ...options,
      dispatcher: this.#dispatcher,
      baseUrl: url,
      service: "ovirt-engine",
      headers: { version: "4", accept: "application/xml", ...settings.headers },
      auth: auth.step,
      errorMapper: (failed) => faultError(failed),
    });
  }

  /** Sends a request and returns its body, which must be XML (an HTML page, from a proxy, is a ParseError). */
  async send(options: SendOptions): Promise<XmlReply> {
    // Read through the transport, so that a GET whose body fails mid-way is sent again.
    const { response, xml } = await this.#read(options, async (response) => ({
      response,
      xml: await response.text(),
    }));
    const reply = {
      status: response.status,
      xml,
      method: this.#method(options),
      url: this.#url(options),
      requestId: response.requestId,
    };
    this.#refuseHtml(reply, response, xml);
    return reply;
  }

  /**
   * Sends a request and decodes its XML answer as the body streams in (a list of 10,000 VMs is never
   * held whole), with `decoder()`'s handler; the errors are those of send() and then decode(). A body
   * that fails mid-way is sent again with a fresh decoder, as send() does.
   */
  async receive<T>(options: SendOptions, decoder: () => StreamDecoder<T>): Promise<T> {
    if (this.transport.debug) {
      // The debug log shows the body, so it is read whole.
      return this.decode(await this.send(options), (xml) => {
        const { handler, result } = decoder();
        scanXml(xml, handler);
        return result();
      });
    }
    const method = this.#method(options);
    const url = this.#url(options);
    return this.#read(options, async (response) => {
      const reply = { status: response.status, xml: "", method, url, requestId: response.requestId };
      const declared = Number(response.headers["content-length"]);
      if (declared > this.#maxResponseBytes) {
        response.stream().destroy();
        throw this.#tooLarge(reply);
      }
      // The first bytes say whether this is the engine's XML (or an HTML page, or nothing).
      let head: Buffer[] | undefined = [];
      let size = 0;
      let scanner: XmlStreamScanner | undefined;
      let current: StreamDecoder<T> | undefined;
      const start = (): void => {
        const bytes = Buffer.concat(head!);
        reply.xml = bytes.toString("utf8");
        head = undefined;
        this.#refuseHtml(reply, response, reply.xml);
        if (reply.xml.trim() === "") return;
        current = decoder();
        scanner = new XmlStreamScanner(current.handler);
        this.#decoding(reply, () => scanner!.write(bytes));
      };
      const body = response.stream();
      for await (const chunk of body) {
        const piece = chunk as Buffer;
        size += piece.length;
        if (size > this.#maxResponseBytes) {
          body.destroy();
          throw this.#tooLarge(reply);
        }
        if (head === undefined) {
          this.#decoding(reply, () => scanner?.write(piece));
          continue;
        }
        head.push(piece);
        if (size >= HEAD_BYTES) start();
      }
      if (head !== undefined) start();
      // An empty body: decode()'s message.
      if (!scanner || !current) return this.decode(reply, () => undefined as T);
      this.#decoding(reply, () => scanner!.end());
      return current.result();
    });
  }

  #read<T>(options: SendOptions, read: (response: NimbusResponse) => Promise<T>): Promise<T> {
    if (this.#closed) {
      throw new Disconnected(
        `${options.method.toUpperCase()} ${options.path || "/"}: the API was disconnected; connect again with API.connect`,
      );
    }
    return this.transport.read(
      {
        method: options.method,
        url: options.path,
        query: options.query,
        body: options.body,
        headers: {
          ...(options.body === undefined ? {} : { "content-type": "application/xml" }),
          ...(options.correlation_id === undefined ? {} : { "correlation-id": options.correlation_id }),
        },
        signal: options.signal,
        timeout: options.timeout,
      },
      read,
    );
  }

  #method(options: SendOptions): string {
    return options.method.toUpperCase();
  }

  /** The request's URL with secrets redacted, for messages. */
  #url(options: SendOptions): string {
    return this.transport.redactor.url(new URL(options.path, `${this.url.href.replace(/\/?$/, "/")}`));
  }

  /** An HTML page (a proxy's, a login page) where the engine's XML was due is a ParseError. */
  #refuseHtml(reply: XmlReply, response: NimbusResponse, body: string): void {
    if (body.trim() !== "" && (HTML.test(body) || /html/i.test(response.headers["content-type"] ?? ""))) {
      throw new ParseError(
        `${reply.method} ${reply.url}: expected the engine's XML, got ${describeHtml(body)} (a proxy or a login page in front of the engine?)`,
        { method: reply.method, url: reply.url, status: reply.status, requestId: reply.requestId },
      );
    }
  }

  #tooLarge(reply: XmlReply): BodyTooLargeError {
    const { method, url, status, requestId } = reply;
    return new BodyTooLargeError(
      `${method} ${url}: the response body is larger than the ${this.#maxResponseBytes}-byte limit (maxResponseBytes)`,
      { limit: this.#maxResponseBytes, method, url, status, requestId },
    );
  }

  /** Runs a step of a streamed decode, its ParseError named as decode() names it (the excerpt: the first bytes). */
  #decoding(reply: XmlReply, step: () => void): void {
    this.decode(reply, () => step());
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
