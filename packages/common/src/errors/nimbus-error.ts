// The base of every error the SDKs throw. `instanceof` must hold even when an application loads two
// copies of this package (ESM and CommonJS builds, or two provider packages resolving different
// copies), so class identity is checked by a brand: each class declares a unique static `errorKind`,
// and every instance carries the kinds of its whole class chain under a global symbol.
const KINDS = Symbol.for("@nimbus-sdk/common/error-kinds");

/** Where and how a failed call went: what a user needs to report or debug it, never a secret. */
export interface ErrorContext {
  /** HTTP method, or the RPC method name for XML-RPC and SOAP. */
  method?: string;
  /** The request URL with credentials and non-allow-listed query values removed. */
  url?: string;
  /** HTTP status of the response, when there was one. */
  status?: number;
  /** The provider's own error code (a SOAP fault name, an OpenNebula error code ...). */
  code?: string;
  /** The server's request id, for support tickets and server logs. */
  requestId?: string;
  /** A short, redacted excerpt of the response body. */
  bodyExcerpt?: string;
}

export interface NimbusErrorOptions extends ErrorContext {
  cause?: unknown;
}

function kindsOf(ctor: unknown): string[] {
  const kinds: string[] = [];
  for (let c = ctor; typeof c === "function"; c = Object.getPrototypeOf(c)) {
    if (Object.hasOwn(c, "errorKind")) kinds.push((c as unknown as { errorKind: string }).errorKind);
  }
  return kinds;
}

/**
 * The root of every error the Nimbus SDKs throw: it carries the HTTP method, the redacted URL, the status,
 * the provider's error code, the request id and a redacted body excerpt where they are known, and the
 * original error as `cause`. `instanceof` works across the ESM and CommonJS copies of the package.
 *
 * @example
 * ```ts
 * import { NimbusError, NotFoundError, Transport } from "@nimbus-sdk/common";
 * const transport = new Transport({ baseUrl: "https://cloud.example.com/", userAgent: { package: "my-tool", version: "1.0.0" } });
 * try {
 *   await transport.json({ url: "/servers/42" });
 * } catch (error) {
 *   if (error instanceof NotFoundError) console.log("gone", error.requestId);
 *   else if (error instanceof NimbusError) console.log(error.method, error.url, error.status);
 *   else throw error;
 * }
 * ```
 */
export class NimbusError extends Error {
  /** Unique name of this class across copies of the package; every subclass declares its own. */
  static readonly errorKind: string = "@nimbus-sdk/common:NimbusError";

  readonly method?: string;
  readonly url?: string;
  readonly status?: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly bodyExcerpt?: string;

  constructor(message: string, options: NimbusErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.method = options.method;
    this.url = options.url;
    this.status = options.status;
    this.code = options.code;
    this.requestId = options.requestId;
    this.bodyExcerpt = options.bodyExcerpt;
    Object.defineProperty(this, KINDS, { value: kindsOf(new.target) });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Object.hasOwn(this, "errorKind") && typeof value === "object" && value !== null) {
      const kinds = (value as { [KINDS]?: unknown })[KINDS];
      if (Array.isArray(kinds)) return kinds.includes((this as unknown as { errorKind: string }).errorKind);
    }
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }

  /** Where and how the call failed, to pass on to an error that wraps this one. */
  get context(): ErrorContext {
    const { method, url, status, code, requestId, bodyExcerpt } = this;
    return { method, url, status, code, requestId, bodyExcerpt };
  }

  /** The context fields, for structured logs. */
  toJSON(): ErrorContext & { name: string; message: string } {
    return { name: this.name, message: this.message, ...this.context };
  }
}
