// SoapStub, pyVmomi's SoapStubAdapter: one vim25 endpoint, one session. It writes each call with the
// metadata-driven encoder, posts it through common's Transport (TLS, proxy, timeouts, redacted debug log)
// with `SOAPAction: urn:vim25/<version>` and the `vmware_soap_session` cookie, and decodes the answer or
// throws the fault. A NotAuthenticated fault (an expired session) logs in again and retries once when the
// password is known; a keep-alive reads the session now and then so an idle connection survives.
import {
  ConfigError,
  ConnectionError,
  ParseError,
  TLS_CERTIFICATE_ERROR_CODES,
  Transport,
  ValidationError,
  errorClassForStatus,
  type ClientTransportOptions,
  type Logger,
  type NimbusResponse,
} from "@nimbus-sdk/common/client";
import type { vim } from "../generated/vim.js";
import { API_VERSION } from "../generated/wire.js";
import type { CallOptions, ManagedObjectBase } from "../model/base.js";
import { dataClass, setFaultContext } from "../model/data.js";
import { managedReference } from "../model/managed.js";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../version.js";
import { decodeResponse, type DecodedResponse } from "./decode.js";
import { encodeRequest } from "./encode.js";
import { negotiateFromVersionsXml } from "./versions.js";
import { isNewerThan, isReadOnlyOperation, managedType, operation, resolvePropertyPath } from "./metadata.js";

/** Options of {@link SoapStub}: certificate checks, CA, version, timeouts and the transport's settings. */
export interface SoapStubOptions extends ClientTransportOptions {
  /** Verify the server's certificate (default true). */
  verify?: boolean;
  /** CA certificate(s) to trust: PEM text or a file path. */
  ca?: string;
  /** ms allowed for each answer (default 60 000; WaitForUpdatesEx calls add their own wait). */
  timeout?: number;
  /** ms between keep-alive reads of the session when the connection is idle; 0 turns it off (default 600 000). */
  keepAliveInterval?: number;
  /** Log in again and retry once after NotAuthenticated when the password is known (default true). */
  relogin?: boolean;
}

/**
 * Element names in SOAP bodies whose values may appear in debug logs and error excerpts, on top of
 * common's allow-list. Passwords, session keys, tickets and cookies never do.
 */
export const VSPHERE_SAFE_NAMES = {
  headers: ["soapaction"],
  queryParams: [] as string[],
  bodyKeys: [
    "faultcode",
    "faultstring",
    "localizedMessage",
    "apiVersion",
    "apiType",
    "fullName",
    "powerState",
    "connectionState",
    "overallStatus",
    "progress",
    "descriptionId",
    "invalidProperty",
    "pathSet",
    "title",
  ],
};

// Operations that make or end a session: a NotAuthenticated answer to them is final.
const SESSION_OPERATIONS = new Set([
  "Login",
  "LoginByToken",
  "LoginBySSPI",
  "LoginExtensionByCertificate",
  "LoginExtensionBySubjectName",
  "Logout",
  "CloneSession",
  "ImpersonateUser",
]);

// Property collector reads whose per-property faults are checked for an expired session.
const PROPERTY_READS = new Set(["RetrieveProperties", "RetrievePropertiesEx", "ContinueRetrievePropertiesEx"]);

function isFault(error: unknown, type: string): boolean {
  const cls = dataClass(type);
  return cls !== undefined && error instanceof cls;
}

const isNotAuthenticated = (error: unknown): boolean => isFault(error, "NotAuthenticated");

const COOKIE = /vmware_soap_session=("[^"]*"|[^;,\s]*)/;
const DEFAULT_KEEP_ALIVE = 600_000;

interface Credentials {
  userName: string;
  password: string;
  locale?: string;
}

function sessionManagerOf(content: vim.ServiceContent): vim.SessionManager {
  if (!content.sessionManager)
    throw new ConfigError("this server's ServiceContent has no SessionManager: it takes no login");
  return content.sessionManager;
}

/**
 * pyVmomi's SoapStubAdapter: sends vim25 SOAP calls to one endpoint over common's `Transport`, keeps
 * the session cookie, retries read-only operations, and turns SOAP faults into the `vim.fault` errors.
 */
export class SoapStub {
  /** The endpoint, e.g. https://vc.example/sdk (no credentials). */
  readonly url: string;
  readonly #transport: Transport;
  readonly #safeUrl: string;
  #version: string;
  #cookie: string | undefined;
  #credentials: Credentials | undefined;
  readonly #relogin: boolean;
  #reauthentication: Promise<void> | undefined;
  #content: vim.ServiceContent | undefined;
  #keepAlive: NodeJS.Timeout | undefined;
  readonly #keepAliveInterval: number;
  #lastActivity = 0;
  readonly #logger: Logger | undefined;
  #closed = false;
  /** An explicit Logout ended the session. */
  #loggedOut = false;
  /** The session was renewed after NotAuthenticated (objects scoped to the old session are gone). */
  #renewed = false;

  constructor(url: string | URL, options: SoapStubOptions = {}) {
    const endpoint = new URL(url);
    endpoint.username = "";
    endpoint.password = "";
    this.url = endpoint.toString();
    this.#version = API_VERSION;
    this.#relogin = options.relogin ?? true;
    this.#keepAliveInterval = options.keepAliveInterval ?? DEFAULT_KEEP_ALIVE;
    this.#logger = options.logger;
    this.#transport = new Transport({
      userAgent: { package: PACKAGE_NAME, version: PACKAGE_VERSION, prefix: options.userAgentPrefix },
      tls: { verify: options.verify ?? true, ca: options.ca },
      timeout: options.timeout,
      headers: { "content-type": "text/xml; charset=utf-8", accept: "text/xml" },
      auth: {
        authorize: (request) => {
          if (this.#cookie) request.headers.cookie = this.#cookie;
        },
      },
      redaction: VSPHERE_SAFE_NAMES,
      debug: options.debug,
      logger: options.logger,
      proxy: options.proxy,
      retry: options.retry,
      dispatcher: options.dispatcher,
      telemetry: options.telemetry,
      service: "vim25",
      rpcSystem: "soap",
    });
    this.#safeUrl = this.#transport.redactor.url(this.url);
  }

  /** The API version the calls are made in ("6.5"), negotiated by SmartConnect. */
  get version(): string {
    return this.#version;
  }

  set version(version: string) {
    if (!/^\d+(\.\d+)*$/.test(version)) {
      throw new ValidationError(`an API version is dotted numbers ("7.0.3.0"), not ${JSON.stringify(version)}`, {
        field: "version",
      });
    }
    this.#version = version;
  }

  /** The SOAPAction of every call, pyVmomi's versionId: "urn:vim25/6.5". */
  get versionId(): string {
    return `urn:vim25/${this.#version}`;
  }

  /** The session cookie (`vmware_soap_session=...`), a secret: for HTTP file transfers (datastore /folder). */
  get sessionCookie(): string | undefined {
    return this.#cookie;
  }

  /** Whether requests and responses are logged (redacted). */
  get debug(): boolean {
    return this.#transport.debug;
  }

  set debug(on: boolean) {
    this.#transport.debug = on;
  }

  /**
   * Calls `op` on `target` with positional `args`. A NotAuthenticated fault logs in again and retries once
   * when the password is known (after SmartConnect or `login`).
   */
  async invoke(
    op: string,
    target: ManagedObjectBase,
    args: readonly unknown[],
    options: CallOptions = {},
  ): Promise<unknown> {
    let result: unknown;
    try {
      result = await this.#sendRenewing(op, target, args, options);
    } catch (error) {
      throw this.#explained(error);
    }
    if (op === "Logout") this.#endSession();
    else if (op === "Login") this.#loggedOut = false;
    return result;
  }

  async #sendRenewing(op: string, target: ManagedObjectBase, args: readonly unknown[], options: CallOptions) {
    try {
      return await this.#send(op, target, args, options);
    } catch (error) {
      if (!this.#mayRelogin(op, error)) throw error;
      await this.#reauthenticate();
      return this.#send(op, target, args, options);
    }
  }

  // An explicit Logout ends the session for good: no keep-alive, no silent login on the next call.
  #endSession(): void {
    this.#credentials = undefined;
    this.#cookie = undefined;
    this.#loggedOut = true;
    clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
  }

  // Says why a call failed where the session's history explains it.
  #explained(error: unknown): unknown {
    if (!(error instanceof Error)) return error;
    if (this.#loggedOut && isNotAuthenticated(error)) {
      error.message += "; the session was ended by Logout: log in again (sessionManager.Login) or SmartConnect";
    } else if (this.#renewed && isFault(error, "ManagedObjectNotFound")) {
      error.message +=
        "; the session expired and was renewed by logging in again: views, property collectors and filters " +
        "made in the old session are gone";
    }
    return error;
  }

  #mayRelogin(op: string, error: unknown): boolean {
    if (!this.#relogin || !this.#credentials || SESSION_OPERATIONS.has(op)) return false;
    return isNotAuthenticated(error);
  }

  async #send(op: string, target: ManagedObjectBase, args: readonly unknown[], options: CallOptions): Promise<unknown> {
    if (this.#closed) throw new ConnectionError(`${op}: the connection to ${this.#safeUrl} was closed (Disconnect)`);
    const info = operation(op);
    if (!info) throw new ValidationError(`${op} is not an operation of the vim25 API`, { field: "op" });
    if (isNewerThan(info, this.#version)) {
      // pyVmomi's answer to a method the negotiated version does not have, before sending.
      const fault = new (dataClass("MethodNotFound")!)({ receiver: target, method: op }) as Error;
      throw setFaultContext(
        fault,
        op,
        `${op} needs vSphere API ${info.since}; this connection speaks ${this.#version}`,
        {
          method: op,
          url: this.#safeUrl,
        },
      );
    }
    const body = encodeRequest(info, { type: target._wsdlName, value: target._moId }, args, this.#version);
    this.#lastActivity = Date.now();
    let response: NimbusResponse;
    try {
      response = await this.#transport.request({
        method: "POST",
        url: this.url,
        body,
        headers: { soapaction: this.versionId },
        // A SOAP fault comes with 500: it is read here, where the operation is known.
        okStatuses: [500],
        // Every call is a POST: only the operations that just read are sent again after a 503 or a reset.
        idempotent: isReadOnlyOperation(op),
        operation: op,
        signal: options.signal,
        timeout: options.timeout,
      });
    } catch (error) {
      throw this.#connectionError(error, op);
    }
    const setCookie = response.headers["set-cookie"];
    const cookie = setCookie === undefined ? undefined : COOKIE.exec(setCookie);
    if (cookie) this.#cookie = `vmware_soap_session=${cookie[1]}`;
    const text = await this.#readBody(response, op);
    const decoded = decodeResponse(text, info, this, this.#decodeContext(response, text));
    if (decoded.kind === "fault") throw this.#faultError(decoded, op, response);
    if (PROPERTY_READS.has(op)) this.#checkSession(decoded.value, op, response);
    return decoded.value;
  }

  // The property collector answers an expired session with NotAuthenticated per property (in missingSet)
  // rather than as a fault: that is the session's end all the same.
  #checkSession(result: unknown, op: string, response: NimbusResponse): void {
    const objects = Array.isArray(result) ? result : (result as vim.RetrieveResult | undefined)?.objects;
    for (const content of (objects ?? []) as vim.ObjectContent[]) {
      const missing = content.missingSet?.find((m) => isNotAuthenticated(m.fault.fault));
      if (missing) {
        throw setFaultContext(missing.fault.fault as Error, op, missing.fault.localizedMessage, {
          method: op,
          url: this.#safeUrl,
          status: response.status,
          requestId: response.requestId,
        });
      }
    }
  }

  #decodeContext(response: NimbusResponse, text: string) {
    return {
      url: this.#safeUrl,
      status: response.status,
      requestId: response.requestId,
      bodyExcerpt: () => this.#transport.redactor.body(text, response.headers["content-type"], 300),
    };
  }

  // A body cut short or stalled is common's typed ConnectionError or TimeoutError, thrown by text().
  async #readBody(response: NimbusResponse, op: string): Promise<string> {
    const text = await response.text();
    const contentType = response.headers["content-type"] ?? "";
    if (/html/i.test(contentType) || /^\s*<(!doctype\s+html|html)/i.test(text)) {
      const { bodyExcerpt } = this.#decodeContext(response, text);
      // A 500 page (a proxy's) is the status's error, as every other failed status is; a 200 page is no SOAP.
      const ErrorClass = response.status >= 400 ? errorClassForStatus(response.status) : ParseError;
      throw new ErrorClass(
        `${op}: ${this.#safeUrl} answered an HTML page (status ${response.status}), not SOAP: ` +
          "is it the /sdk endpoint of a vCenter or ESXi host?",
        {
          method: op,
          url: this.#safeUrl,
          status: response.status,
          requestId: response.requestId,
          bodyExcerpt: bodyExcerpt(),
        },
      );
    }
    return text;
  }

  #faultError(decoded: Extract<DecodedResponse, { kind: "fault" }>, op: string, response: NimbusResponse): Error {
    return setFaultContext(decoded.fault, op, decoded.faultString, {
      method: op,
      url: this.#safeUrl,
      status: response.status,
      requestId: response.requestId,
    });
  }

  #connectionError(error: unknown, op: string): unknown {
    if (!(error instanceof ConnectionError) || !error.code || !TLS_CERTIFICATE_ERROR_CODES.has(error.code))
      return error;
    return new ConnectionError(
      `${op}: the TLS certificate of ${this.#safeUrl} was not accepted (${error.code}). Trust its CA with ` +
        "{ ca } (PEM text or a file path), or turn verification off with { disableSslCertValidation: true } " +
        "or GOVC_INSECURE=1 (insecure: test servers only).",
      { ...error.context, method: op, cause: error },
    );
  }

  /** The ServiceContent, read once per connection (pyVmomi's si.RetrieveContent()). */
  async serviceContent(options: CallOptions = {}): Promise<vim.ServiceContent> {
    this.#content ??= (await this.invoke(
      "RetrieveServiceContent",
      managedReference("ServiceInstance", "ServiceInstance", this),
      [],
      options,
    )) as vim.ServiceContent;
    return this.#content;
  }

  /** Logs in with a user name and password, and keeps them to log in again after NotAuthenticated. */
  async login(
    userName: string,
    password: string,
    options: CallOptions & { locale?: string } = {},
  ): Promise<vim.UserSession> {
    const content = await this.serviceContent(options);
    const session = (await this.invoke(
      "Login",
      sessionManagerOf(content),
      [userName, password, options.locale],
      options,
    )) as vim.UserSession;
    this.#credentials = { userName, password, locale: options.locale };
    this.#startKeepAlive();
    return session;
  }

  // Concurrent NotAuthenticated faults share one login.
  async #reauthenticate(): Promise<void> {
    this.#reauthentication ??= (async () => {
      const { userName, password, locale } = this.#credentials!;
      this.#cookie = undefined;
      const content = await this.serviceContent();
      await this.#send("Login", sessionManagerOf(content), [userName, password, locale], {});
      this.#renewed = true;
    })().finally(() => {
      this.#reauthentication = undefined;
    });
    return this.#reauthentication;
  }

  #startKeepAlive(): void {
    if (this.#keepAlive || this.#keepAliveInterval <= 0) return;
    this.#keepAlive = setInterval(() => void this.#keepAliveTick(), this.#keepAliveInterval);
    // The keep-alive never keeps the process running.
    this.#keepAlive.unref();
  }

  // Reading the session counts as activity for the server; an expired one is renewed at once.
  async #keepAliveTick(): Promise<void> {
    if (Date.now() - this.#lastActivity < this.#keepAliveInterval / 2) return;
    try {
      const content = await this.serviceContent();
      const session = await this.retrieveProperty(sessionManagerOf(content), "currentSession");
      if (session === undefined && this.#credentials && this.#relogin) await this.#reauthenticate();
    } catch (error) {
      if (this.debug) this.#logger?.debug(`vsphere keep-alive failed: ${(error as Error).message}`);
    }
  }

  /**
   * Reads one property (a path such as "runtime.powerState" works too) of a managed object: undefined when
   * unset, [] for an unset array property. A property the server could not read throws its fault.
   */
  async retrieveProperty(mo: ManagedObjectBase, path: string, options: CallOptions = {}): Promise<unknown> {
    const content = await this.serviceContent(options);
    const spec = { propSet: [{ type: mo._wsdlName, pathSet: [path] }], objectSet: [{ obj: mo }] };
    const result = (await this.invoke("RetrievePropertiesEx", content.propertyCollector, [[spec], {}], options)) as
      vim.RetrieveResult | undefined;
    const found = result?.objects?.[0];
    const missing = found?.missingSet?.[0];
    if (missing) {
      throw setFaultContext(missing.fault.fault as Error, `${mo._wsdlName}.${path}`, missing.fault.localizedMessage, {
        method: "RetrievePropertiesEx",
        url: this.#safeUrl,
      });
    }
    const value = found?.propSet?.[0]?.val;
    if (value !== undefined) return value;
    const type = managedType(mo._wsdlName);
    return type && resolvePropertyPath(type, path).field?.array ? [] : undefined;
  }

  /**
   * The API version to speak with this server (pyVmomi's negotiation): the newest of the versions its
   * /sdk/vimServiceVersions.xml lists that this SDK's schema covers; undefined when the file is missing.
   */
  async negotiateVersion(options: CallOptions = {}): Promise<string | undefined> {
    const url = new URL("vimServiceVersions.xml", this.url.endsWith("/") ? this.url : `${this.url}/`);
    let text: string | undefined;
    try {
      // Read through the transport, so that a body failing mid-way is sent again (a GET).
      text = await this.#transport.read(
        { url, okStatuses: [404], signal: options.signal, timeout: options.timeout },
        async (response) => (response.status === 404 ? void (await response.dump()) : response.text()),
      );
    } catch (error) {
      throw this.#connectionError(error, "vimServiceVersions.xml");
    }
    // Not the versions file (an HTML page, a proxy's answer): the server is asked in the newest version.
    return text === undefined ? undefined : negotiateFromVersionsXml(text);
  }

  /** Ends the session (Logout) if one was made, stops the keep-alive and closes the connections. */
  async close(options: CallOptions = {}): Promise<void> {
    if (this.#closed) return;
    clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
    try {
      if (this.#cookie && this.#content) {
        await this.#send("Logout", sessionManagerOf(this.#content), [], options);
      }
    } catch (error) {
      // An expired session is logged out already.
      if (!isNotAuthenticated(error)) throw error;
    } finally {
      this.#closed = true;
      this.#credentials = undefined;
      this.#cookie = undefined;
      await this.#transport.close();
    }
  }
}
