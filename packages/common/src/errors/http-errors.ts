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

/**
 * The one status table every provider follows: a provider's own class for a status (pyrax's NotFound,
 * OneNoExistsException, TutumRateLimitError ...) extends the class listed here, so `instanceof` on
 * common's class holds whichever package threw. A status not listed is a ServerError from 500 up, else
 * a plain HttpError.
 */
export const STATUS_ERRORS: ReadonlyMap<number, typeof HttpError> = new Map<number, typeof HttpError>([
  [400, BadRequestError],
  [401, AuthenticationError],
  [403, ForbiddenError],
  [404, NotFoundError],
  [409, ConflictError],
  [422, BadRequestError],
  [429, RateLimitError],
]);

/** The error class for an HTTP status that is not a success (see STATUS_ERRORS). */
export function errorClassForStatus(status: number): typeof HttpError {
  return STATUS_ERRORS.get(status) ?? (status >= 500 ? ServerError : HttpError);
}
