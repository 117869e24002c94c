// The typed `one.<object>.<verb>(...)` layer over the generated method table: PyONE's names, the session
// and transport left to the caller, every parameter checked before anything is sent, and an XML
// answer decoded into the document type the XSDs give it (the caller's own `call` keeps it raw).
import { ParseError, ValidationError } from "@nimbus-sdk/common";
import { decodeMethodDocument, type DocumentMethod } from "./document.js";
import {
  methods,
  type MethodMeta,
  type MethodName,
  type MethodParams,
  type MethodResults,
  type ObjectName,
  type ObjectVerbs,
  type ParamMeta,
} from "./generated/methods.js";
import { INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, isPlainObject, type XmlRpcValue } from "./xmlrpc/types.js";

/**
 * A caller that has it true (OneServer) can decode a document as the answer streams in: bindMethods then
 * sets it in the options of a method answering an XML document, and the call resolves to a
 * DecodedDocument rather than the string.
 */
export const DECODE_DOCUMENT: unique symbol = Symbol("decodeDocument");

/** A document the caller decoded itself (see DECODE_DOCUMENT). */
export class DecodedDocument {
  constructor(readonly document: unknown) {}
}

/** Per-call options, after a method's parameters: `one.vm.info(7, { signal })`. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the caller's timeout for this call, in milliseconds (e.g. for a large pool). */
  timeout?: number;
  [DECODE_DOCUMENT]?: DocumentMethod;
}

/** Anything that sends one XML-RPC call (OneServer does); it adds the session before `params`. */
export interface RpcCaller {
  readonly [DECODE_DOCUMENT]?: boolean;
  call(method: string, params: readonly XmlRpcValue[], options?: CallOptions): Promise<unknown>;
}

/** How the generated methods are bound to a caller: template conversion and result decoding. */
export interface BindOptions {
  /**
   * Turns a dictionary given for a template parameter into what oned reads (attribute=value text or
   * <TEMPLATE> XML). Without it the dictionary is passed to the caller unchanged.
   */
  castTemplate?: (value: { readonly [key: string]: unknown }, method: MethodName, param: ParamMeta) => XmlRpcValue;
}

/**
 * The function for one method: its parameters after the session, then any arguments oned ignores, then
 * optionally `{ signal, timeout }`.
 * The options may follow any run of the optional parameters (`one.template.instantiate(0, "vm", false,
 * { signal })`): at run time they are told from a template by their shape (isCallOptions).
 */
export type OneMethod<M extends MethodName> = (
  ...args:
    | [...MethodParams[M], options?: CallOptions]
    | [...Required<MethodParams[M]>, ...ignored: (IgnoredArgument | CallOptions)[]]
) => Promise<MethodResults[M]>;

/** What may follow a method's last parameter: oned ignores it, as PyONE's callers rely on (see checkIgnored). */
export type IgnoredArgument = string | number | boolean | bigint;

/** `one.vm.action`, `one.hostpool.info` ...: every method of oned by PyONE's attribute path. */
export type OneMethods = {
  readonly [O in ObjectName]: {
    readonly [V in ObjectVerbs[O]]: OneMethod<`one.${O}.${V}` & MethodName>;
  };
};

const MASK_MAX = 2n ** 64n - 1n;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "string")
    return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "bigint") return `the BigInt ${value}n`;
  if (typeof value === "boolean") return `the boolean ${value}`;
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

const isInt32 = (v: unknown): v is number =>
  typeof v === "number" && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;

function reject(method: string, param: ParamMeta, index: number, expected: string, value: unknown): never {
  throw new ValidationError(
    `${method}: parameter '${param.name}' (#${index + 1}) must be ${expected}, not ${describe(value)}`,
    { field: param.name },
  );
}

/** Checks one argument against its parameter and returns what goes on the wire. */
function checkParam(
  method: MethodName,
  param: ParamMeta,
  index: number,
  value: unknown,
  bind: BindOptions,
): XmlRpcValue {
  if (param.hexMask) {
    // 64-bit ACL masks: oned reads a hex string; a BigInt is converted the way the Ruby OCA writes it.
    if (typeof value === "bigint") {
      if (value < 0n || value > MASK_MAX) reject(method, param, index, "a 64-bit mask (0 to 2^64-1)", value);
      return value.toString(16);
    }
    if (typeof value === "string" && /^(0x)?[0-9a-f]+$/i.test(value)) return value;
    return reject(method, param, index, "a hex string or a BigInt mask", value);
  }
  switch (param.type) {
    case "int":
      if (isInt32(value)) return value;
      return reject(method, param, index, "a 32-bit integer (int)", value);
    case "i8":
      if (typeof value === "bigint") {
        if (value >= INT64_MIN && value <= INT64_MAX) return value;
        return reject(method, param, index, "a 64-bit integer (i8)", value);
      }
      // A BigInt so the codec writes <i8>.
      if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
      return reject(method, param, index, "a 64-bit integer (i8) as a BigInt or a safe integer", value);
    case "boolean":
      if (typeof value === "boolean") return value;
      return reject(method, param, index, "a boolean", value);
    case "array<int>":
      if (Array.isArray(value) && value.every(isInt32)) return value;
      return reject(method, param, index, "an array of 32-bit integers", value);
    case "string":
      if (typeof value === "string") return value;
      if (param.template && isPlainObject(value)) {
        // PyONE's cast2one raises on an empty dictionary too: oned would get an empty template.
        if (Object.keys(value).length === 0) reject(method, param, index, "a non-empty template dictionary", value);
        // Uncast, the dictionary goes out as a <struct> (which oned refuses): OneServer is expected to cast.
        return bind.castTemplate ? bind.castTemplate(value, method, param) : (value as XmlRpcValue);
      }
      return reject(method, param, index, param.template ? "a string or a template dictionary" : "a string", value);
  }
}

/**
 * Trailing call options: a plain object whose only keys are `signal` (an AbortSignal) and `timeout` (a
 * number), either possibly undefined. No template looks like that (no template value is an AbortSignal;
 * one whose only attribute is a lower-case `timeout` number is taken for options: send it as a string),
 * so options are told apart in any position, a template parameter's included.
 */
export function isCallOptions(value: unknown): value is CallOptions {
  if (!isPlainObject(value)) return false;
  for (const key of Object.keys(value)) {
    const option = value[key];
    if (option === undefined) continue;
    if (key === "signal" ? !(option instanceof AbortSignal) : key !== "timeout" || typeof option !== "number")
      return false;
  }
  return true;
}

/**
 * Splits `args` into the method's parameters and the trailing `{ signal }`, checks each parameter, and
 * returns the parameters as they go on the wire (without the session). Throws a ValidationError naming the
 * method and the parameter before anything is sent.
 */
export function prepareCall(
  method: MethodName,
  args: readonly unknown[],
  bind: BindOptions = {},
): { params: XmlRpcValue[]; options: CallOptions | undefined } {
  const meta: MethodMeta = methods[method];
  if (meta === undefined)
    throw new ValidationError(`unknown OpenNebula method '${String(method)}'`, { field: "method" });
  const declared = meta.params;
  let given = [...args];
  let options: CallOptions | undefined;
  const last = given[given.length - 1];
  if (isCallOptions(last)) {
    options = last;
    given = given.slice(0, -1);
  }
  while (given.length > 0 && given[given.length - 1] === undefined) given.pop();
  const required = declared.filter((p) => !p.optional).length;
  if (given.length < required) {
    const names = declared.map((p) => (p.optional ? `${p.name}?` : p.name)).join(", ");
    const count = required === declared.length ? `${required}` : `${required} to ${declared.length}`;
    throw new ValidationError(
      `${method} takes ${count} parameter${declared.length === 1 ? "" : "s"} (${names}) after the session, got ${given.length}`,
      { field: declared[given.length]?.name ?? "params" },
    );
  }
  const params = given.map((value, i) => {
    const param = declared[i];
    if (param === undefined) return checkIgnored(method, i, value);
    if (value === undefined) reject(method, param, i, "given when a later parameter is", value);
    return checkParam(method, param, i, value, bind);
  });
  return { params, options };
}

/**
 * An argument past the method's last parameter: oned reads only the parameters it knows and ignores the
 * rest (scripts written for PyONE send `imagepool.info(-2, -1, -1, -1)`), so it is sent as given, as
 * PyONE sends it, provided it is a scalar XML-RPC can carry.
 */
function checkIgnored(method: MethodName, index: number, value: unknown): XmlRpcValue {
  if (typeof value === "string" || typeof value === "boolean" || typeof value === "bigint" || isInt32(value))
    return value;
  throw new ValidationError(
    `${method}: argument #${index + 1} (past the method's parameters, which oned ignores) must be a string, ` +
      `a boolean, a 32-bit integer or a BigInt, not ${describe(value)}`,
    { field: `#${index + 1}` },
  );
}

/** The answer of a method typed as XML decoded into its document; anything but an XML string is a ParseError. */
export function documentResult(method: DocumentMethod, value: unknown): unknown {
  const start = typeof value === "string" ? value.trimStart() : "";
  if (start.charCodeAt(0) !== 60 /* < */) {
    const shown = typeof value === "string" ? `the string ${JSON.stringify(value.slice(0, 40))}` : `a ${typeof value}`;
    throw new ParseError(`${method}: oned should answer an XML document, not ${shown}`, { method });
  }
  return decodeMethodDocument(method, start);
}

/**
 * Builds `one.<object>.<verb>(...)` over a caller, PyONE's way: `one.vm.action("terminate", 0)`. XML
 * answers come back decoded (`(await one.vmpool.info(-2, -1, -1)).VM[0].NAME`); `caller.call` gives
 * the raw string.
 */
export function bindMethods(caller: RpcCaller, bind: BindOptions = {}): OneMethods {
  const namespace: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const name of Object.keys(methods) as MethodName[]) {
    const meta: MethodMeta = methods[name];
    const verbs = (namespace[meta.object] ??= {});
    verbs[meta.verb] = async (...args: unknown[]) => {
      const { params, options } = prepareCall(name, args, bind);
      if (meta.result.type !== "xml") return caller.call(name, params, options);
      const method = name as DocumentMethod;
      const answer = caller[DECODE_DOCUMENT]
        ? await caller.call(name, params, { ...options, [DECODE_DOCUMENT]: method })
        : await caller.call(name, params, options);
      return answer instanceof DecodedDocument ? answer.document : documentResult(method, answer);
    };
  }
  for (const verbs of Object.values(namespace)) Object.freeze(verbs);
  return Object.freeze(namespace) as unknown as OneMethods;
}
