// XML-RPC encoding: methodCall for the client, methodResponse and fault for servers (the simulator,
// tests). Strings are always sent inside <string>, escaped; values XML 1.0 cannot carry are refused
// before anything is sent.
import { ValidationError, escapeXmlText } from "@nimbus-sdk/common";
import { INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, XmlRpcTyped, isPlainObject, type XmlRpcValue } from "./types.js";
// Characters XML 1.0 cannot hold at all, even as a character reference. Lone surrogates are looked
// for only in text that has surrogates: the look-around pattern is slow over megabytes.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const METHOD_NAME = /^[A-Za-z0-9_.:/]+$/;

/** Escapes text for an XML element: `&`, `<`, `>`, and CR (which XML would turn into LF). */
export function escapeXml(text: string, field = "value"): string {
  const bad = NOT_XML.exec(text) ?? (SURROGATE.test(text) ? LONE_SURROGATE.exec(text) : null);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    throw new ValidationError(`${field} holds the character U+${code}, which XML-RPC (XML 1.0) cannot carry`, {
      field,
    });
  }
  return escapeXmlText(text);
}

function encodeInt(value: number, field: string): string {
  if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
    throw new ValidationError(`${field} is ${value}, not a 32-bit integer as <int> requires`, { field });
  }
  return `<int>${value}</int>`;
}

function encodeI8(value: number | bigint, field: string): string {
  const big = typeof value === "bigint" ? value : Number.isSafeInteger(value) ? BigInt(value) : undefined;
  if (big === undefined || big < INT64_MIN || big > INT64_MAX) {
    throw new ValidationError(`${field} is ${value}, not a 64-bit integer as <i8> requires`, { field });
  }
  return `<i8>${big}</i8>`;
}

function encodeDouble(value: number, field: string): string {
  if (!Number.isFinite(value)) {
    throw new ValidationError(`${field} is ${value}, which XML-RPC's <double> cannot carry`, { field });
  }
  // The XML-RPC spec allows no exponent: write 1e21 and 1e-7 out in full.
  let text = String(value);
  if (/e/i.test(text)) {
    text =
      Math.abs(value) >= 1
        ? BigInt(value).toString()
        : value.toFixed(Math.min(100, 20 - Math.floor(Math.log10(Math.abs(value)))));
    if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, ".0");
  }
  return `<double>${text}</double>`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `YYYYMMDDTHH:MM:SS`, in UTC, the classic XML-RPC form. */
export function formatDateTime(date: Date): string {
  return (
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  );
}

/** One value as `<value>…</value>`; `field` names it in errors (e.g. `params[2].NAME`). */
export function encodeValue(value: XmlRpcValue, field = "value", seen: Set<object> = new Set()): string {
  switch (typeof value) {
    case "string":
      return `<value><string>${escapeXml(value, field)}</string></value>`;
    case "boolean":
      return `<value><boolean>${value ? 1 : 0}</boolean></value>`;
    case "bigint":
      return `<value>${encodeI8(value, field)}</value>`;
    case "number":
      if (!Number.isInteger(value)) return `<value>${encodeDouble(value, field)}</value>`;
      if (value >= INT32_MIN && value <= INT32_MAX) return `<value><int>${value}</int></value>`;
      if (Number.isSafeInteger(value)) return `<value>${encodeI8(value, field)}</value>`;
      throw new ValidationError(`${field} is ${value}, beyond 2^53: pass it as a BigInt to send it exactly`, {
        field,
      });
    case "object":
      break;
    default:
      throw new ValidationError(`${field} is ${typeof value}, which XML-RPC cannot carry`, { field });
  }
  if (value === null) return "<value><nil/></value>";
  if (value instanceof XmlRpcTyped) return `<value>${encodeTyped(value, field)}</value>`;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ValidationError(`${field} is an invalid Date`, { field });
    return `<value><dateTime.iso8601>${formatDateTime(value)}</dateTime.iso8601></value>`;
  }
  if (value instanceof Uint8Array) {
    return `<value><base64>${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64")}</base64></value>`;
  }
  if (seen.has(value)) throw new ValidationError(`${field} refers to itself`, { field });
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.map((item, i) => encodeValue(item, `${field}[${i}]`, seen)).join("");
      return `<value><array><data>${items}</data></array></value>`;
    }
    if (!isPlainObject(value)) {
      throw new ValidationError(
        `${field} is a ${(value as object).constructor?.name ?? "object"}, which XML-RPC cannot carry`,
        {
          field,
        },
      );
    }
    let members = "";
    for (const [name, member] of Object.entries(value)) {
      if (member === undefined) continue;
      members += `<member><name>${escapeXml(name, field)}</name>${encodeValue(member, `${field}.${name}`, seen)}</member>`;
    }
    return `<value><struct>${members}</struct></value>`;
  } finally {
    seen.delete(value);
  }
}

function encodeTyped({ type, value }: XmlRpcTyped, field: string): string {
  switch (type) {
    case "int":
      return encodeInt(Number(value), field);
    case "i8":
      return encodeI8(typeof value === "bigint" ? value : Number(value), field);
    case "double":
      return encodeDouble(Number(value), field);
    case "boolean":
      return `<boolean>${value ? 1 : 0}</boolean>`;
    case "string":
      return `<string>${escapeXml(String(value), field)}</string>`;
  }
}

function checkMethodName(name: string): void {
  if (!METHOD_NAME.test(name)) {
    throw new ValidationError(`"${name}" is not a valid XML-RPC method name`, { field: "methodName" });
  }
}

/** The `<methodCall>` document for `methodName(...params)`. */
export function encodeMethodCall(methodName: string, params: readonly XmlRpcValue[]): string {
  checkMethodName(methodName);
  const encoded = params
    .map((param, i) => {
      if (param === undefined) throw new ValidationError(`params[${i}] is undefined`, { field: `params[${i}]` });
      return `<param>${encodeValue(param, `params[${i}]`)}</param>`;
    })
    .join("");
  return `<?xml version="1.0"?>\n<methodCall><methodName>${methodName}</methodName><params>${encoded}</params></methodCall>\n`;
}

/** A successful `<methodResponse>` carrying `value`. */
export function encodeMethodResponse(value: XmlRpcValue): string {
  return `<?xml version="1.0"?>\n<methodResponse><params><param>${encodeValue(value)}</param></params></methodResponse>\n`;
}

/** A `<fault>` response, as xmlrpc-c sends for an unknown method (-506) or a wrong type (-501). */
export function encodeFault(faultCode: number, faultString: string): string {
  const fault = encodeValue({ faultCode, faultString });
  return `<?xml version="1.0"?>\n<methodResponse><fault>${fault}</fault></methodResponse>\n`;
}
