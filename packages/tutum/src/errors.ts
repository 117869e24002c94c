// python-tutum's exception names (TutumApiError, TutumAuthError, ObjectNotFound, NonUniqueIdentifier),
// each extending the matching class of common, plus one class per problem python-tutum folded into
// TutumApiError or AttributeError. As in Python, `instanceof TutumApiError` holds for every error this
// package throws; `instanceof NotFoundError` (common's) holds for a 404 too.
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  ForbiddenError,
  HttpError,
  NimbusError,
  NotFoundError,
  ParseError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
  errorClassForStatus,
  type ErrorContext,
  type FailedResponse,
  type NimbusErrorOptions,
} from "@nimbus-sdk/common";

const kind = (name: string) => `@nimbus-sdk/tutum:${name}`;

/**
 * Any error of this package (python-tutum's base exception). Thrown as such for an HTTP status no
 * subclass covers (405, 415 ...); `instanceof TutumApiError` is also true for every class below.
 */
export class TutumApiError extends HttpError {
  static override readonly errorKind: string = kind("TutumApiError");

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (super[Symbol.hasInstance](value)) return true;
    return this === TutumApiError && TUTUM_ERRORS.some((ErrorClass) => value instanceof ErrorClass);
  }
}

/** 401 from the server, or no credentials anywhere (then nothing was sent). */
export class TutumAuthError extends AuthenticationError {
  static override readonly errorKind: string = kind("TutumAuthError");
}

/** 404, or a lookup by uuid, uuid prefix or name (Utils.fetchRemote*) that matched nothing. */
export class ObjectNotFound extends NotFoundError {
  static override readonly errorKind: string = kind("ObjectNotFound");
}

/** A lookup by uuid prefix or name matched several objects; `matches` holds their uuids. */
export class NonUniqueIdentifier extends NimbusError {
  static override readonly errorKind: string = kind("NonUniqueIdentifier");
  readonly matches: readonly string[];
  constructor(message: string, options: NimbusErrorOptions & { matches?: readonly string[] } = {}) {
    super(message, options);
    this.matches = options.matches ?? [];
  }
}

/** 400 (or 422): bad input, or an action the object's current state does not allow. */
export class TutumBadRequest extends BadRequestError {
  static override readonly errorKind: string = kind("TutumBadRequest");
}

/** 403: the credentials are valid but may not do this (an API role missing). */
export class TutumForbidden extends ForbiddenError {
  static override readonly errorKind: string = kind("TutumForbidden");
}

/** 409: a unique name is taken, or the object changed meanwhile. */
export class TutumConflict extends ConflictError {
  static override readonly errorKind: string = kind("TutumConflict");
}

/** 429: throttled; `retryAfterMs` when the server said. Reads are retried by themselves first. */
export class TutumRateLimitError extends RateLimitError {
  static override readonly errorKind: string = kind("TutumRateLimitError");
}

/** 5xx: the server failed, is in maintenance (503) or overloaded (504). */
export class TutumServerError extends ServerError {
  static override readonly errorKind: string = kind("TutumServerError");
}

/** No response: the server is down or unreachable (python-tutum's "No Response"). */
export class TutumConnectionError extends ConnectionError {
  static override readonly errorKind: string = kind("TutumConnectionError");
}

/** No response within the timeout. */
export class TutumTimeoutError extends TimeoutError {
  static override readonly errorKind: string = kind("TutumTimeoutError");
}

/** A success answer that is not JSON (python-tutum's "JSON Parse Error"). */
export class TutumParseError extends ParseError {
  static override readonly errorKind: string = kind("TutumParseError");
}

/** Assignment of a field the resource does not have; nothing was sent. */
export class UnknownField extends ValidationError {
  static override readonly errorKind: string = kind("UnknownField");
}

/** Assignment of a field only the server sets, or one that can be set only at creation. */
export class ReadOnlyField extends ValidationError {
  static override readonly errorKind: string = kind("ReadOnlyField");
}

/** create/save/delete on a resource the API does not let clients create, change or delete. */
export class ReadOnlyResource extends ValidationError {
  static override readonly errorKind: string = kind("ReadOnlyResource");
}

/** An action, refresh or delete on an object never saved (python-tutum's "You must save the object ..."). */
export class NotSaved extends ValidationError {
  static override readonly errorKind: string = kind("NotSaved");
}

/** waitFor on an object with unsaved changes: it cannot be refreshed without losing them. */
export class UnsavedChanges extends ValidationError {
  static override readonly errorKind: string = kind("UnsavedChanges");
}

/** While waiting, the object settled in a state other than the one waited for (it will not move on). */
export class UnexpectedState extends NimbusError {
  static override readonly errorKind: string = kind("UnexpectedState");
  /** The state the object settled in. */
  readonly resourceState: string;
  readonly resourceUri?: string;
  constructor(message: string, options: { resourceState: string; resourceUri?: string }) {
    super(message);
    this.resourceState = options.resourceState;
    this.resourceUri = options.resourceUri;
  }
}

// Every class `instanceof TutumApiError` accepts besides its own instances.
const TUTUM_ERRORS: readonly (abstract new (...args: never[]) => NimbusError)[] = [
  TutumAuthError,
  ObjectNotFound,
  NonUniqueIdentifier,
  TutumBadRequest,
  TutumForbidden,
  TutumConflict,
  TutumRateLimitError,
  TutumServerError,
  TutumConnectionError,
  TutumTimeoutError,
  TutumParseError,
  UnknownField,
  ReadOnlyField,
  ReadOnlyResource,
  NotSaved,
  UnsavedChanges,
  UnexpectedState,
];

/** The server's own explanation: `{"error": "..."}`, else a short excerpt of the body. */
export function serverErrorText(response: Pick<FailedResponse, "body" | "bodyExcerpt">): string {
  const body = response.body.trim();
  if (body.startsWith("{")) {
    try {
      const parsed = JSON.parse(body) as { error?: unknown; detail?: unknown };
      const text = parsed.error ?? parsed.detail;
      if (typeof text === "string") return text;
      if (text !== undefined) return JSON.stringify(text).slice(0, 300);
    } catch {
      // not JSON after all: fall back to the excerpt
    }
  }
  return response.bodyExcerpt;
}

type HttpErrorClass = new (message: string, options: NimbusErrorOptions & { retryAfterMs?: number }) => NimbusError;

// This package's class for each class of common's status table (STATUS_ERRORS).
const BY_COMMON_CLASS = new Map<typeof HttpError, HttpErrorClass>([
  [BadRequestError, TutumBadRequest],
  [AuthenticationError, TutumAuthError],
  [ForbiddenError, TutumForbidden],
  [NotFoundError, ObjectNotFound],
  [ConflictError, TutumConflict],
  [RateLimitError, TutumRateLimitError],
  [ServerError, TutumServerError],
]);

/** This package's class for a failed status (TutumApiError for one the table does not list). */
export function classForStatus(status: number): HttpErrorClass {
  return BY_COMMON_CLASS.get(errorClassForStatus(status)) ?? TutumApiError;
}

/**
 * Maps a failed response to this package's classes. The message keeps python-tutum's facts (status,
 * method, URL, the server's text) in a sentence; `hint` is appended for 401 (where the credentials
 * came from, never the credentials).
 */
export function mapTutumError(response: FailedResponse, hint?: () => string | undefined): NimbusError {
  const ErrorClass = classForStatus(response.status);
  const text = serverErrorText(response);
  const context: ErrorContext & { retryAfterMs?: number } = {
    method: response.method,
    url: response.url,
    status: response.status,
    requestId: response.requestId,
    bodyExcerpt: response.bodyExcerpt,
  };
  if (ErrorClass === TutumRateLimitError) context.retryAfterMs = response.retryAfterMs;
  let message = `Status ${response.status} (${response.method} ${response.url})`;
  if (response.status === 401) message = `Not authorized: ${message}`;
  if (text) message += `: ${text}`;
  if (response.status === 401) {
    const extra = hint?.();
    if (extra) message += `. ${extra}`;
  }
  return new ErrorClass(message, context);
}

/** Common's network, timeout and parse errors as this package's, so `instanceof TutumApiError` holds. */
export function asTutumError(error: unknown): unknown {
  if (!(error instanceof NimbusError) || error instanceof TutumApiError) return error;
  const options = { ...contextOf(error), cause: error };
  if (error instanceof ConnectionError) return new TutumConnectionError(`No response: ${error.message}`, options);
  if (error instanceof TimeoutError) return new TutumTimeoutError(error.message, options);
  if (error instanceof ParseError) return new TutumParseError(`JSON Parse Error: ${error.message}`, options);
  return error;
}

function contextOf(error: NimbusError): ErrorContext {
  const { method, url, status, code, requestId, bodyExcerpt } = error;
  return { method, url, status, code, requestId, bodyExcerpt };
}
