import { NimbusError, type NimbusErrorOptions } from "./nimbus-error.js";

/** The server answered with a status that is not a success. */
export class HttpError extends NimbusError {
  static override readonly errorKind: string = "@nimbus-sdk/common:HttpError";
  declare readonly status: number;
}

/** 400 or 422: the server rejected the request as malformed or invalid. */
export class BadRequestError extends HttpError {
  static override readonly errorKind: string = "@nimbus-sdk/common:BadRequestError";
}

/** 401: credentials missing, wrong or expired. */
export class AuthenticationError extends HttpError {
  static override readonly errorKind: string = "@nimbus-sdk/common:AuthenticationError";
}

/** 403: authenticated, but not allowed to do this. */
export class ForbiddenError extends HttpError {
  static override readonly errorKind: string = "@nimbus-sdk/common:ForbiddenError";
}

/** 404: no such resource. */
export class NotFoundError extends HttpError {
  static override readonly errorKind: string = "@nimbus-sdk/common:NotFoundError";
}

/** 409: the resource's state does not allow the request. */
export class ConflictError extends HttpError {
  static override readonly errorKind: string = "@nimbus-sdk/common:ConflictError";
}

/** 429: too many requests; `retryAfterMs` says when the server will take more, when it said. */
export class RateLimitError extends HttpError {
  static override readonly errorKind: string = "@nimbus-sdk/common:RateLimitError";
  readonly retryAfterMs?: number;
  constructor(message: string, options: NimbusErrorOptions & { retryAfterMs?: number } = {}) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** 5xx: the server failed. */
export class ServerError extends HttpError {
  static override readonly errorKind: string = "@nimbus-sdk/common:ServerError";
}

/** The error class for an HTTP status that is not a success. */
export function errorClassForStatus(status: number): typeof HttpError {
  switch (status) {
    case 400:
    case 422:
      return BadRequestError;
    case 401:
      return AuthenticationError;
    case 403:
      return ForbiddenError;
    case 404:
      return NotFoundError;
    case 409:
      return ConflictError;
    case 429:
      return RateLimitError;
    default:
      return status >= 500 ? ServerError : HttpError;
  }
}
