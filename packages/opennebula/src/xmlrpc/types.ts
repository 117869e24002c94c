// The values XML-RPC carries, as JavaScript sees them. <i8> (and any integer beyond 2^53) is a
// BigInt; <base64> a Buffer; <dateTime.iso8601> a Date; <nil/> null.

/** A value XML-RPC can carry. */
export type XmlRpcValue =
  number | bigint | boolean | string | Buffer | Date | null | XmlRpcTyped | XmlRpcValue[] | XmlRpcStruct;

/** The range of `<int>` (`<i4>`): 32-bit signed. */
export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;
/** The range of `<i8>`: 64-bit signed. */
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** An object literal (or Object.create(null)): what goes out as a `<struct>` or reads as a dictionary. */
export function isPlainObject(value: unknown): value is { readonly [key: string]: unknown } {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** An XML-RPC `<struct>`. */
export interface XmlRpcStruct {
  [member: string]: XmlRpcValue;
}

/** The XML-RPC scalar types a value may be forced to. */
export type XmlRpcScalarType = "int" | "i8" | "double" | "string" | "boolean";

/**
 * A value with its XML-RPC type fixed, for the few places where the JavaScript type does not say it
 * (a whole number oned expects as `<double>`, or a small number it expects as `<i8>`).
 */
export class XmlRpcTyped {
  constructor(
    readonly type: XmlRpcScalarType,
    readonly value: number | bigint | string | boolean,
  ) {}
}

/** Sends `value` as `<double>` even when it is a whole number. */
export const asDouble = (value: number): XmlRpcTyped => new XmlRpcTyped("double", value);
/** Sends `value` as `<i8>` (64-bit) even when it fits 32 bits. */
export const asI8 = (value: number | bigint): XmlRpcTyped => new XmlRpcTyped("i8", value);
/** Sends `value` as `<int>` (32-bit); a value outside that range is rejected. */
export const asInt = (value: number): XmlRpcTyped => new XmlRpcTyped("int", value);

/** A decoded `<methodCall>`: what a server (the simulator, a test) receives. */
export interface XmlRpcMethodCall {
  methodName: string;
  params: XmlRpcValue[];
}
