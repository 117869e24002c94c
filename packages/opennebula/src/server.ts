// OneServer, PyONE's entry object: one XML-RPC endpoint and one session. `call` is the wire layer the
// generated `one.<object>.<verb>` methods build on: it puts the session first, posts the methodCall
// through common's Transport, and turns oned's answer array into the value or a typed error.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect, type InspectOptions } from "node:util";
import {
  BodyTooLargeError,
  ConfigError,
  ParseError,
  Transport,
  ValidationError,
  expandHome,
  userHome,
  type ClientTransportOptions,
  type NimbusResponse,
} from "@nimbus-sdk/common";
import { ResponseTooLargeError, XmlRpcFault, oneResult, withoutSession } from "./errors.js";
import { MethodDocumentStream, type DocumentMethod } from "./document.js";
import { methods, type MethodMeta, type MethodName } from "./generated/methods.js";
import {
  DECODE_DOCUMENT,
  DecodedDocument,
  bindMethods,
  documentResult,
  type CallOptions,
  type OneMethods,
} from "./methods.js";
import { templateToString, type TemplateDict } from "./template.js";
import { PACKAGE_NAME, PACKAGE_VERSION } from "./version.js";
import { DEFAULT_MAX_RESPONSE_BYTES, decodeMethodResponse } from "./xmlrpc/decode.js";
import { encodeMethodCall } from "./xmlrpc/encode.js";
import { decodeStreamedResponse, responseTooLarge, type StreamedResponse } from "./xmlrpc/stream.js";
import type { XmlRpcValue } from "./xmlrpc/types.js";

/** oned's default endpoint, as the CLI and the Ruby OCA use it. */
export const DEFAULT_ENDPOINT = "http://localhost:2633/RPC2";

/** Options of {@link OneServer}: the session, TLS, timeouts, retries and where ONE_XMLRPC and ONE_AUTH are read from. */
export interface OneServerOptions extends ClientTransportOptions {
  /** `user:password` or `user:token`. Default: the first line of the file `ONE_AUTH` names, else ~/.one/one_auth. */
  session?: string;
  /** PyONE's `https_verify`: false turns certificate checks off (insecure); a string is a CA file path. */
  httpsVerify?: boolean | string;
  /** CA certificate(s) to trust: PEM text or a file path. */
  ca?: string;
  /** Cancels every call of this server (combined with each call's own signal). */
  signal?: AbortSignal;
  /** Largest response read into memory, in bytes (default 256 MiB); page through big pools instead. */
  maxResponseBytes?: number;
  /** Where ONE_XMLRPC and ONE_AUTH are read from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Names in XML-RPC bodies whose values may be logged, on top of common's (which already shows
 * `methodName` and the integer and boolean scalars). Strings stay hidden, the session among them.
 */
export const OPENNEBULA_SAFE_NAMES = {
  headers: [] as string[],
  queryParams: [] as string[],
  bodyKeys: ["faultCode", "faultString", "methodResponse", "params", "param", "fault"],
};

/** The method and redacted URL of one call, for its errors. */
interface CallContext {
  method: string;
  url: string;
  requestId?: string;
}

/** Whether `method` (e.g. "one.vm.info") only reads, so may be sent again; an unknown name never is. */
function isReadOnly(method: string): boolean {
  return Object.hasOwn(methods, method) && (methods[method as MethodName] as MethodMeta).readOnly === true;
}

/** The endpoint as the CLI finds it: `ONE_XMLRPC`, else ~/.one/one_endpoint, else localhost:2633. */
export function defaultEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env["ONE_XMLRPC"]?.trim();
  if (fromEnv) return fromEnv;
  try {
    const fromFile = readFileSync(join(userHome(), ".one", "one_endpoint"), "utf8").trim();
    if (fromFile) return fromFile;
  } catch {
    // no endpoint file: the default applies
  }
  return DEFAULT_ENDPOINT;
}

/** The session as the CLI finds it: the first line of the file `ONE_AUTH` names, else ~/.one/one_auth. */
export function defaultSession(env: NodeJS.ProcessEnv = process.env): string {
  const path = env["ONE_AUTH"]?.trim() ? expandHome(env["ONE_AUTH"].trim()) : join(userHome(), ".one", "one_auth");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new ConfigError(
      `no OpenNebula session: pass { session: "user:password" }, or put user:password in ${path} ` +
        `(or in the file ONE_AUTH names); ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
      { cause },
    );
  }
  const line = text
    .split(/\r?\n/)
    .find((l) => l.trim())
    ?.trim();
  if (!line || !line.includes(":")) {
    throw new ConfigError(`${path} should hold user:password on its first line`);
  }
  return line;
}

/** The constructor's second and third arguments as one options object. */
function sessionArgument(
  second: string | OneServerOptions | undefined,
  third: OneServerOptions | undefined,
): OneServerOptions {
  if (typeof second !== "string") {
    if (third !== undefined)
      throw new ValidationError(
        "OneServer: options come second unless the session does (new OneServer(uri, session, options))",
        {
          field: "options",
        },
      );
    return second ?? {};
  }
  if (third !== undefined && (typeof third !== "object" || third === null))
    throw new ValidationError(
      "OneServer: the third argument is an options object (PyONE's positional timeout in seconds is { timeout: ms } here)",
      { field: "options" },
    );
  if (third?.session !== undefined)
    throw new ValidationError("OneServer: the session is given twice (second argument and options.session)", {
      field: "session",
    });
  return { ...third, session: second };
}

// `one.vm.info(…)` etc. are the generated methods, bound in the constructor (see methods.ts).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface OneServer extends OneMethods {}

/**
 * PyONE's `OneServer`: a client of oned's XML-RPC API with the 301 methods as `one.<object>.<verb>(...)`,
 * typed results decoded from the XSDs, templates given as dictionaries, and oned's failures as PyONE's
 * exceptions. Reads are sent again after a lost connection; `close()` ends the connection pool.
 *
 * @param endpoint - oned's XML-RPC URL; default `ONE_XMLRPC`, else ~/.one/one_endpoint, else {@link DEFAULT_ENDPOINT}.
 * @param options - The session (`user:password`, default from `ONE_AUTH` or ~/.one/one_auth), TLS, timeouts and retries.
 * @throws {@link OneAuthenticationException}, {@link OneNoExistsException} and the other `OneException`s for
 * oned's answers; common's `ConnectionError` or `TimeoutError` when oned does not answer.
 *
 * @example
 * ```ts
 * import { OneServer } from "@nimbus-sdk/opennebula";
 * const one = new OneServer("http://one.example.com:2633/RPC2", { session: "oneadmin:secret" });
 * const vmId = await one.vm.allocate({ NAME: "web", CPU: 1, MEMORY: 512 });
 * const vm = await one.vm.info(vmId);
 * console.log(vm.NAME, vm.STATE);
 * await one.close();
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class OneServer {
  /** The XML-RPC endpoint, e.g. http://one:2633/RPC2. */
  readonly endpoint: string;
  readonly #session: string;
  readonly #transport: Transport;
  readonly #signal?: AbortSignal;
  readonly #maxResponseBytes: number;
  /** `call` decodes a document as the answer streams in when bindMethods asks (see methods.ts). */
  readonly [DECODE_DOCUMENT] = true;

  /**
   * `new OneServer(uri, { session, ... })`, or PyONE's `OneServer(uri, session)` with the session second:
   * `new OneServer(uri, "oneadmin:onepass", { timeout })`.
   */
  constructor(endpoint?: string | URL, options?: OneServerOptions);
  constructor(endpoint: string | URL | undefined, session: string, options?: Omit<OneServerOptions, "session">);
  constructor(endpoint?: string | URL, sessionOrOptions?: string | OneServerOptions, more?: OneServerOptions) {
    const options = sessionArgument(sessionOrOptions, more);
    const env = options.env ?? process.env;
    this.endpoint = String(endpoint ?? defaultEndpoint(env));
    try {
      new URL(this.endpoint);
    } catch (cause) {
      throw new ConfigError(`the OpenNebula endpoint "${this.endpoint}" is not a URL (e.g. ${DEFAULT_ENDPOINT})`, {
        cause,
      });
    }
    this.#session = options.session ?? defaultSession(env);
    this.#signal = options.signal;
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const { httpsVerify } = options;
    this.#transport = new Transport({
      userAgent: { package: PACKAGE_NAME, version: PACKAGE_VERSION, prefix: options.userAgentPrefix },
      timeout: options.timeout,
      tls: {
        verify: httpsVerify !== false,
        ca: typeof httpsVerify === "string" ? httpsVerify : options.ca,
      },
      headers: { "content-type": "text/xml", accept: "text/xml" },
      redaction: OPENNEBULA_SAFE_NAMES,
      maxBodyBytes: this.#maxResponseBytes,
      debug: options.debug,
      logger: options.logger,
      proxy: options.proxy,
      retry: options.retry,
      dispatcher: options.dispatcher,
      telemetry: options.telemetry,
      service: "opennebula",
      rpcSystem: "xmlrpc",
    });
    Object.assign(
      this,
      bindMethods(this, {
        castTemplate: (value, _method, param) => templateToString(value as TemplateDict, param.name),
      }),
    );
  }

  /** Whether requests and responses are logged (redacted). */
  get debug(): boolean {
    return this.#transport.debug;
  }

  set debug(on: boolean) {
    this.#transport.debug = on;
  }

  /**
   * Calls `method` (the full name, e.g. "one.vm.info") with the session prepended to `params`;
   * resolves to the answer's value (index 1 of `[true, value, 0]`) or throws the OneException
   * subclass for oned's error code, an XmlRpcFault, or a ParseError for a body that is not XML-RPC.
   */
  async call<T = XmlRpcValue>(
    method: string,
    params: readonly XmlRpcValue[] = [],
    options: CallOptions = {},
  ): Promise<T> {
    const document = options[DECODE_DOCUMENT];
    // With debug logging on, the body is read whole to be logged, and the caller decodes the string.
    if (document !== undefined && !this.#transport.debug) {
      return new DecodedDocument(await this.#exchange(document, params, options, this.#readDocument(document))) as T;
    }
    const { answer, context } = await this.#exchange(method, params, options, async (response, context) => {
      // Bytes, decoded and overwritten in place by the XML-RPC decoder: a pool answer is never also held as
      // one big string. Debug logging shows the body, which only text() hands to the log.
      let answerBody: string | Buffer;
      try {
        answerBody = this.#transport.debug ? await response.text() : await response.bytes();
      } catch (error) {
        if (error instanceof BodyTooLargeError) throw this.#failure(responseTooLarge(this.#maxResponseBytes), context);
        throw error;
      }
      try {
        return {
          answer: decodeMethodResponse(answerBody, { maxBytes: this.#maxResponseBytes, overwrite: true }),
          context,
        };
      } catch (error) {
        throw this.#failure(error, context);
      }
    });
    return oneResult(answer, { ...context, session: this.#session }) as T;
  }

  /**
   * Reads a method answering an XML document, decoded into it as the body streams in (xmlrpc/stream.ts),
   * so that a large pool's answer is never held whole.
   */
  #readDocument(method: DocumentMethod) {
    return async (response: NimbusResponse, context: CallContext): Promise<unknown> => {
      const document = new MethodDocumentStream(method);
      let answer: StreamedResponse;
      try {
        answer = await decodeStreamedResponse(response.stream(), document, {
          maxBytes: this.#maxResponseBytes,
          declaredBytes: Number(response.headers["content-length"]) || undefined,
        });
      } catch (error) {
        // The document's errors name the method already (as documentResult's do); the envelope's get it here.
        throw error instanceof ParseError && error.method === method ? error : this.#failure(error, context);
      }
      const value = oneResult(answer.value, { ...context, session: this.#session });
      return answer.streamed ? document.end() : documentResult(method, value);
    };
  }

  /**
   * Posts the call and `read`s the answer. A read-only method (methods.ts's `readOnly`) is idempotent to
   * common's Transport: after a 429/502/503/504, a lost connection or a body cut short it is sent again
   * from scratch (a fresh `read`, nothing was handed to the caller yet), within the retry budget. Any
   * other method is never sent again once it may have reached oned.
   */
  async #exchange<R>(
    method: string,
    params: readonly XmlRpcValue[],
    options: CallOptions,
    read: (response: NimbusResponse, context: CallContext) => Promise<R>,
  ): Promise<R> {
    const body = encodeMethodCall(method, [this.#session, ...params]);
    const signal =
      this.#signal && options.signal
        ? AbortSignal.any([this.#signal, options.signal])
        : (options.signal ?? this.#signal);
    const url = this.#transport.redactor.url(this.endpoint);
    return this.#transport.read(
      {
        method: "POST",
        url: this.endpoint,
        body,
        signal,
        timeout: options.timeout,
        idempotent: isReadOnly(method),
        operation: method,
      },
      (response) => read(response, { method, url, requestId: response.requestId }),
    );
  }

  /** A decoding error with the method and URL in it, and without the session. */
  #failure(error: unknown, context: CallContext): unknown {
    const { method, url } = context;
    if (error instanceof XmlRpcFault) {
      return new XmlRpcFault(error.faultCode, withoutSession(error.faultString, this.#session), context);
    }
    if (error instanceof ParseError) {
      return new ParseError(`${method} ${url}: ${withoutSession(error.message, this.#session)}`, {
        ...context,
        bodyExcerpt: error.bodyExcerpt,
        cause: error,
      });
    }
    if (error instanceof ResponseTooLargeError) {
      return new ResponseTooLargeError(`${method}: ${error.message}`, { ...context, limit: error.limit, cause: error });
    }
    return error;
  }

  /** Closes the connections (unless the pool is shared). */
  async close(): Promise<void> {
    await this.#transport.close();
  }

  /** PyONE's `one.server_close()` (a no-op there; here it closes the connections, as `close()`). */
  server_close(): Promise<void> {
    return this.close();
  }

  /** PyONE's `one.server_retry_interval()`: the seconds to wait between two state polls (1). */
  server_retry_interval(): number {
    return 1;
  }

  /** Never shows the session. */
  toJSON(): { endpoint: string } {
    return { endpoint: this.#transport.redactor.url(this.endpoint) };
  }

  /** console.log shows what JSON shows: the endpoint's own credentials are redacted there too. */
  [inspect.custom](_depth: number, options: InspectOptions): string {
    return `OneServer ${inspect(this.toJSON(), options)}`;
  }
}
