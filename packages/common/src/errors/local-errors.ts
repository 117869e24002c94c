import { NimbusError, type NimbusErrorOptions } from "./nimbus-error.js";

/** No answer within the time allowed. */
export class TimeoutError extends NimbusError {
  static override readonly errorKind: string = "@nimbus-sdk/common:TimeoutError";
}

/** The call was cancelled through its `AbortSignal`; `cause` holds the signal's reason. */
export class AbortError extends NimbusError {
  static override readonly errorKind: string = "@nimbus-sdk/common:AbortError";
}

/** The server could not be reached, or the connection failed (refused, reset, DNS, TLS). */
export class ConnectionError extends NimbusError {
  static override readonly errorKind: string = "@nimbus-sdk/common:ConnectionError";
}

/** An answer that could not be read as the format it claims (JSON, XML ...). */
export class ParseError extends NimbusError {
  static override readonly errorKind: string = "@nimbus-sdk/common:ParseError";
}

/** A response body larger than the limit set for reading it into memory; `limit` is that limit in bytes. */
export class BodyTooLargeError extends NimbusError {
  static override readonly errorKind: string = "@nimbus-sdk/common:BodyTooLargeError";
  readonly limit: number;
  constructor(message: string, options: NimbusErrorOptions & { limit: number }) {
    super(message, options);
    this.limit = options.limit;
  }
}

/** A setting, environment or configuration file is wrong or missing. */
export class ConfigError extends NimbusError {
  static override readonly errorKind: string = "@nimbus-sdk/common:ConfigError";
}

/** An argument was rejected before anything was sent; `field` names it. */
export class ValidationError extends NimbusError {
  static override readonly errorKind: string = "@nimbus-sdk/common:ValidationError";
  readonly field?: string;
  constructor(message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.field = options.field;
  }
}

/** The OS keyring, or the library that reaches it, is missing or refused the operation. */
export class KeyringError extends NimbusError {
  static override readonly errorKind: string = "@nimbus-sdk/common:KeyringError";
}
