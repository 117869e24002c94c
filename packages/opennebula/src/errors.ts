// PyONE's exception names (pyone/__init__.py), chosen by oned's error code (include/Request.h
// ErrorCode), each extending common's NimbusError. OneNoExistsException extends common's
// NotFoundError, so `catch (e) { if (e instanceof NotFoundError) … }` works across providers, and is
// still an `instanceof OneException`.
import {
  BodyTooLargeError,
  NimbusError,
  NotFoundError,
  ParseError,
  REDACTED,
  type NimbusErrorOptions,
} from "@nimbus-sdk/common";

const kind = (name: string) => `@nimbus-sdk/opennebula:${name}`;

/** oned's error codes (`ErrorCode` in include/Request.h), as methods.json lists them. */
export const ONE_ERROR_CODE = {
  SUCCESS: 0x0000,
  AUTHENTICATION: 0x0100,
  AUTHORIZATION: 0x0200,
  NO_EXISTS: 0x0400,
  ACTION: 0x0800,
  XML_RPC_API: 0x1000,
  INTERNAL: 0x2000,
  ALLOCATE: 0x4000,
  LOCKED: 0x8000,
  REPLICATION: 0x10000,
} as const;

/** What oned said about a failed call, besides the message. */
export interface OneErrorDetails {
  /** oned's error code (0x100 authentication …), or the fault code of an XML-RPC fault. */
  errorCode?: number;
  /** The id of the object the call failed on (4th element of the failure array), -1 when none. */
  objectId?: number;
  /** The Raft log index (5th element, oned 6 and later). */
  replicationIndex?: bigint;
}

type OneErrorOptions = NimbusErrorOptions & OneErrorDetails;

function assignDetails(target: OneErrorDetails, options: OneErrorOptions): void {
  target.errorCode = options.errorCode;
  target.objectId = options.objectId;
  target.replicationIndex = options.replicationIndex;
}

/** Base of every error oned reports (PyONE's OneException); also used for codes this SDK does not know. */
export class OneException extends NimbusError implements OneErrorDetails {
  static override readonly errorKind: string = kind("OneException");
  errorCode?: number;
  objectId?: number;
  replicationIndex?: bigint;

  constructor(message: string, options: OneErrorOptions = {}) {
    super(message, options);
    assignDetails(this, options);
  }

  // OneNoExistsException's class chain runs through NotFoundError, not through this class.
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === OneException && NimbusError[Symbol.hasInstance].call(OneNoExistsException, value)) return true;
    return NimbusError[Symbol.hasInstance].call(this, value);
  }
}

/** 0x100: the session was refused (wrong user, password or token). */
export class OneAuthenticationException extends OneException {
  static override readonly errorKind: string = kind("OneAuthenticationException");
}
/** 0x200: the user's ACLs do not allow this operation. */
export class OneAuthorizationException extends OneException {
  static override readonly errorKind: string = kind("OneAuthorizationException");
}
/** 0x400: no object with that id. */
export class OneNoExistsException extends NotFoundError implements OneErrorDetails {
  static override readonly errorKind: string = kind("OneNoExistsException");
  errorCode?: number;
  objectId?: number;
  replicationIndex?: bigint;

  constructor(message: string, options: OneErrorOptions = {}) {
    super(message, options);
    assignDetails(this, options);
  }
}
/** 0x800: the operation is not allowed in the object's current state. */
export class OneActionException extends OneException {
  static override readonly errorKind: string = kind("OneActionException");
}
/** 0x1000: a parameter value oned rejects (e.g. a filter of -5). */
export class OneApiException extends OneException {
  static override readonly errorKind: string = kind("OneApiException");
}
/** 0x2000: oned failed internally (database, template parse …). */
export class OneInternalException extends OneException {
  static override readonly errorKind: string = kind("OneInternalException");
}
/** 0x4000: the object could not be created (template errors, quotas). Not in PyONE, which raises OneException. */
export class OneAllocateException extends OneException {
  static override readonly errorKind: string = kind("OneAllocateException");
}
/** 0x8000: the object is locked (`one.<object>.lock`). Not in PyONE. */
export class OneLockedException extends OneException {
  static override readonly errorKind: string = kind("OneLockedException");
}
/** 0x10000: HA or federation replication failed. Not in PyONE. */
export class OneReplicationException extends OneException {
  static override readonly errorKind: string = kind("OneReplicationException");
}

/**
 * An XML-RPC `<fault>`: oned refused the call before running it (an unknown method, -506; a wrong
 * parameter type, -501). PyONE raises OneException for these too, so this extends it.
 */
export class XmlRpcFault extends OneException {
  static override readonly errorKind: string = kind("XmlRpcFault");
  readonly faultCode: number;
  readonly faultString: string;
  constructor(faultCode: number, faultString: string, options: NimbusErrorOptions = {}) {
    super(`${options.method ? `${options.method}: ` : ""}XML-RPC fault ${faultCode}: ${faultString}`, {
      ...options,
      code: String(faultCode),
      errorCode: faultCode,
    });
    this.faultCode = faultCode;
    this.faultString = faultString;
  }
}

/**
 * A response larger than the limit (`maxResponseBytes`): refused before it is read whole. A common
 * BodyTooLargeError, so code written for every provider catches it too.
 */
export class ResponseTooLargeError extends BodyTooLargeError {
  static override readonly errorKind: string = kind("ResponseTooLargeError");
}

/** findByName: more than one object has the name asked for. */
export class AmbiguousNameError extends OneException {
  static override readonly errorKind: string = kind("AmbiguousNameError");
  /** The ids of the objects with that name. */
  readonly ids: readonly number[];
  constructor(message: string, options: OneErrorOptions & { ids: readonly number[] }) {
    super(message, options);
    this.ids = options.ids;
  }
}

/** What a VM was in when waitForState gave up on it. */
export interface VmStateDetails {
  vmId: number;
  /** VM_STATE value and name (3, "ACTIVE"). */
  state: number;
  stateName: string;
  /** LCM_STATE value and name (36, "BOOT_FAILURE"); meaningful while ACTIVE. */
  lcmState: number;
  lcmStateName: string;
}

/**
 * waitForState: the VM reached a state it will not leave by itself for the one waited for (DONE,
 * CLONING_FAILURE, the retired FAILED, or an LCM *_FAILURE state), or rests in one only an action
 * leaves (HOLD, STOPPED, SUSPENDED, POWEROFF, UNDEPLOYED).
 */
export class VmStateError extends OneException implements VmStateDetails {
  static override readonly errorKind: string = kind("VmStateError");
  vmId: number;
  state: number;
  stateName: string;
  lcmState: number;
  lcmStateName: string;
  constructor(message: string, options: NimbusErrorOptions & VmStateDetails) {
    super(message, options);
    this.vmId = options.vmId;
    this.state = options.state;
    this.stateName = options.stateName;
    this.lcmState = options.lcmState;
    this.lcmStateName = options.lcmStateName;
  }
}

type OneErrorClass = new (message: string, options: OneErrorOptions) => OneException | OneNoExistsException;

const BY_CODE: ReadonlyMap<number, OneErrorClass> = new Map<number, OneErrorClass>([
  [ONE_ERROR_CODE.AUTHENTICATION, OneAuthenticationException],
  [ONE_ERROR_CODE.AUTHORIZATION, OneAuthorizationException],
  [ONE_ERROR_CODE.NO_EXISTS, OneNoExistsException],
  [ONE_ERROR_CODE.ACTION, OneActionException],
  [ONE_ERROR_CODE.XML_RPC_API, OneApiException],
  [ONE_ERROR_CODE.INTERNAL, OneInternalException],
  [ONE_ERROR_CODE.ALLOCATE, OneAllocateException],
  [ONE_ERROR_CODE.LOCKED, OneLockedException],
  [ONE_ERROR_CODE.REPLICATION, OneReplicationException],
]);

/** The class PyONE (and this SDK) uses for an oned error code. */
export function oneErrorClass(code: number): OneErrorClass {
  return BY_CODE.get(code) ?? OneException;
}

/** Removes the session (and its secret half) from text that may echo it. */
export function withoutSession(text: string, session?: string): string {
  if (!session) return text;
  let out = text.split(session).join(REDACTED);
  const secret = session.slice(session.indexOf(":") + 1);
  if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return out;
}

/** Options of reading oned's `[success, value, code]` answer into a value or a PyONE exception. */
export interface OneResultOptions {
  /** The XML-RPC method, for messages (default: taken from the message's `[one.x.y]` prefix). */
  method?: string;
  /** Removed from any message, should oned echo it. */
  session?: string;
  url?: string;
  requestId?: string;
}

const toNumber = (value: unknown): number | undefined =>
  typeof value === "number" ? value : typeof value === "bigint" ? Number(value) : undefined;

/**
 * The value of oned's answer array: `[true, value, 0]` gives `value`; `[false, message, code,
 * objectId?, replicationIndex?]` (4 elements from oned 5, 5 from oned 6 and 7) is thrown as the
 * class for `code`; anything else is a ParseError.
 */
export function oneResult(answer: unknown, options: OneResultOptions = {}): unknown {
  const { session, url, requestId } = options;
  if (!Array.isArray(answer) || answer.length < 2 || typeof answer[0] !== "boolean") {
    const shape = Array.isArray(answer)
      ? `an array of ${answer.length} starting with ${typeof answer[0]}`
      : typeof answer;
    throw new ParseError(
      `${options.method ?? "the call"}: oned's answer should be [success, value, code …], not ${shape}`,
      { method: options.method, url, requestId },
    );
  }
  if (answer[0]) return answer[1];
  const message = withoutSession(typeof answer[1] === "string" ? answer[1] : String(answer[1]), session);
  const errorCode = toNumber(answer[2]);
  const objectId = toNumber(answer[3]);
  const replicationIndex =
    typeof answer[4] === "bigint" ? answer[4] : typeof answer[4] === "number" ? BigInt(answer[4]) : undefined;
  const method = options.method ?? /^\[([\w.]+)\]/.exec(message)?.[1];
  const ErrorClass = errorCode === undefined ? OneException : oneErrorClass(errorCode);
  throw new ErrorClass(message, {
    method,
    url,
    requestId,
    code: errorCode === undefined ? undefined : `0x${errorCode.toString(16).padStart(4, "0")}`,
    errorCode,
    objectId,
    replicationIndex,
  });
}
