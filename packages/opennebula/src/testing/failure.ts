// How a call fails in oned: an answer `[false, message, code, object id, replication index]`
// (OneFailure, worded as Request::failure_message does) or, before the call runs at all, an XML-RPC
// fault from xmlrpc-c (RpcFault: an unknown method, a parameter of the wrong type).
import { ONE_ERROR_CODE } from "../errors.js";

export type FailureCode = Exclude<keyof typeof ONE_ERROR_CODE, "SUCCESS">;

export class OneFailure extends Error {
  /**
   * @param detail oned's `resp_msg`: the text after the prefix (the whole message for ACTION,
   *   XML_RPC_API and INTERNAL; the reason for AUTHORIZATION and ALLOCATE).
   * @param objectId the failing object's id (NO_EXISTS, LOCKED), -1 otherwise.
   * @param noun the object named in the message when it is not the method's own ("image" …).
   */
  constructor(
    readonly code: FailureCode,
    readonly detail = "",
    readonly objectId = -1,
    readonly noun?: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

export class RpcFault extends Error {
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(faultString);
  }
}

/** xmlrpc-c's fault codes. */
export const FAULT = {
  /** The call is not well-formed XML-RPC. */
  PARSE: -503,
  /** A parameter of the wrong type, or too few. */
  TYPE: -501,
  NO_SUCH_METHOD: -506,
} as const;

/** oned's message for a failure of `method` on an object called `noun` by default. */
export function failureMessage(method: string, noun: string, failure: OneFailure, uid: number): string {
  const what = failure.noun ?? noun;
  const { detail, objectId } = failure;
  const prefix = `[${method}] `;
  switch (failure.code) {
    case "AUTHENTICATION":
      return `${prefix}User couldn't be authenticated, aborting call.`;
    case "AUTHORIZATION":
      return `${prefix}User [${uid}] ${detail ? `: ${detail}.` : `not authorized to perform action on ${what}.`}`;
    case "NO_EXISTS":
      return `${prefix}Error getting ${what}${objectId !== -1 ? ` [${objectId}].` : " Pool."}`;
    case "ALLOCATE":
      return `${prefix}Error allocating a new ${what}.${detail ? ` ${detail}` : ""}`;
    case "LOCKED":
      return `${prefix}The resource ${what} is locked.${objectId !== -1 ? ` [${objectId}].` : ""}`;
    case "REPLICATION":
      return `${prefix}Error replicating log entry${detail ? `: ${detail}.` : "."}`;
    case "ACTION":
    case "XML_RPC_API":
    case "INTERNAL":
      return `${prefix}${detail}`;
  }
}
