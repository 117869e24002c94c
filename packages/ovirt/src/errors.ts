// The engine's errors, typed. A failed request carries a `<fault><reason/><detail/></fault>` body: its
// reason and detail are kept, and the class follows the HTTP status, each class extending common's class
// for that status (so `instanceof NotFoundError` works across providers) and all of them matching
// `instanceof RequestError`, the oVirt Python SDK v3's name for any failed request.
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  HttpError,
  NimbusError,
  NotFoundError,
  RateLimitError,
  ServerError,
  errorClassForStatus,
  type NimbusErrorOptions,
} from "@nimbus-sdk/common";

const kind = (name: string) => `@nimbus-sdk/ovirt:${name}`;

/** What the engine said about a failure, besides the status. */
export interface FaultDetails {
  /** The fault's `<reason>`: "Operation Failed", "Conflict", "Not Found" ... */
  reason?: string;
  /** The fault's `<detail>`: the engine's explanation, e.g. "[Cannot run VM. VM is running.]". */
  detail?: string;
}

/** What an error from an engine fault carries: common's error context plus the fault's reason and detail. */
export type FaultErrorOptions = NimbusErrorOptions & FaultDetails;

function assignFault(target: FaultDetails, options: FaultErrorOptions): void {
  target.reason = options.reason;
  target.detail = options.detail;
}

// A mixin's constructor must take `any[]` (TypeScript's rule for mixin classes); the mixin adds no kind of
// its own, so each class below keeps its own `errorKind` and its common base class's.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type StatusErrorClass = abstract new (...args: any[]) => HttpError;

function withFault<Base extends StatusErrorClass>(base: Base) {
  abstract class WithFault extends base implements FaultDetails {
    reason?: string;
    detail?: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      const [message, options = {}] = args as [string, FaultErrorOptions?];
      super(message, options);
      assignFault(this, options);
    }
  }
  return WithFault;
}

/** Any failed request (v3's RequestError): a fault with any status, and the base of the classes below. */
export class RequestError extends withFault(HttpError) {
  static override readonly errorKind: string = kind("RequestError");

  constructor(message: string, options: FaultErrorOptions = {}) {
    super(message, options);
  }

  // The classes below extend common's status classes, not this one; they still are RequestErrors.
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === RequestError && FAULT_CLASSES.some((c) => NimbusError[Symbol.hasInstance].call(c, value))) return true;
    return NimbusError[Symbol.hasInstance].call(this, value);
  }
}

/** 400 (or 422): the engine refused the request as invalid ("Operation Failed", "Incomplete parameters"). */
export class BadRequest extends withFault(BadRequestError) {
  static override readonly errorKind: string = kind("BadRequest");
}

/** 401, or a refusal of the SSO: wrong credentials or an expired token; `instanceof AuthError` holds for a 403 too. */
export class AuthError extends withFault(AuthenticationError) {
  static override readonly errorKind: string = kind("AuthError");

  // A 403 (Forbidden) extends common's ForbiddenError, as every provider's 403 does; it stays an AuthError.
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === AuthError && NimbusError[Symbol.hasInstance].call(Forbidden, value)) return true;
    return NimbusError[Symbol.hasInstance].call(this, value);
  }
}

/** 403: authenticated, but the user's roles do not allow this; also an `instanceof AuthError`. */
export class Forbidden extends withFault(ForbiddenError) {
  static override readonly errorKind: string = kind("Forbidden");
}

/** 404, or `get({ name })` finding nothing: no such entity. */
export class NotFound extends withFault(NotFoundError) {
  static override readonly errorKind: string = kind("NotFound");
}

/** 409: the entity's state does not allow the request (starting a VM that is up, say). */
export class Conflict extends withFault(ConflictError) {
  static override readonly errorKind: string = kind("Conflict");
}

/** 429: the engine (or a proxy in front of it) throttles; `retryAfterMs` when it said. Reads are retried first. */
export class TooManyRequests extends withFault(RateLimitError) {
  static override readonly errorKind: string = kind("TooManyRequests");
}

/** 5xx: the engine (or a proxy in front of it) failed. */
export class ServerFault extends withFault(ServerError) {
  static override readonly errorKind: string = kind("ServerFault");
}

/** An action answered with a success status whose `<action>` holds a `<fault>`: the action failed. */
export class ActionFailed extends RequestError {
  static override readonly errorKind: string = kind("ActionFailed");
}

/** A job or an entity reached a state the wait cannot end in (a job `failed`, a disk `illegal`). */
export class WaitFailed extends NimbusError {
  static override readonly errorKind: string = kind("WaitFailed");
  /** The status the entity reached, which the wait cannot end in. */
  readonly reached?: string;

  constructor(message: string, options: NimbusErrorOptions & { reached?: string } = {}) {
    const { reached, ...rest } = options;
    super(message, rest);
    this.reached = reached;
  }
}

/** A call on an API after its `disconnect()`: the token is revoked and the connection pool closed. */
export class Disconnected extends NimbusError {
  static override readonly errorKind: string = kind("Disconnected");
}

const FAULT_CLASSES = [BadRequest, AuthError, Forbidden, NotFound, Conflict, TooManyRequests, ServerFault];

type FaultClass = new (message: string, options?: FaultErrorOptions & { retryAfterMs?: number }) => NimbusError;

// This package's class for each class of common's status table (STATUS_ERRORS).
const BY_COMMON_CLASS = new Map<typeof HttpError, FaultClass>([
  [BadRequestError, BadRequest],
  [AuthenticationError, AuthError],
  [ForbiddenError, Forbidden],
  [NotFoundError, NotFound],
  [ConflictError, Conflict],
  [RateLimitError, TooManyRequests],
  [ServerError, ServerFault],
]);

/** The class for a failed request's status: the one extending common's class for it, else RequestError. */
export function faultClass(status: number): FaultClass {
  return BY_COMMON_CLASS.get(errorClassForStatus(status)) ?? RequestError;
}
