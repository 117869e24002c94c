// Checks made before anything is sent: container and object names, metadata, numeric options.
// Also builds the URL paths for them, so every request encodes names the same way.
import { ValidationError } from "@nimbus-sdk/common";
import { InvalidContainerName, InvalidObjectName } from "../../errors.js";

/** Swift's defaults (swift/common/constraints.py); Rackspace uses the same. */
export const MAX_CONTAINER_NAME_BYTES = 256;
/** The longest object name Swift takes, in UTF-8 bytes. */
export const MAX_OBJECT_NAME_BYTES = 1024;
export const MAX_META_VALUE_BYTES = 256;
export const MAX_META_COUNT = 90;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const byteLength = (text: string) => Buffer.byteLength(text, "utf8");

/** Checks a container name: 1 to 256 bytes of UTF-8, no '/', addressable in a URL. */
export function validateContainerName(name: unknown, field = "container"): string {
  const fail = (why: string): never => {
    throw new InvalidContainerName(`Invalid container name ${JSON.stringify(name)}: ${why}`, { field });
  };
  if (typeof name !== "string") return fail("a container name must be a string");
  if (name.length === 0) fail("it is empty");
  if (name.includes("/")) fail("it contains '/', which Swift does not allow in container names");
  if (name.includes("\0")) fail("it contains a NUL character");
  if (LONE_SURROGATE.test(name)) fail("it is not valid Unicode (a lone surrogate)");
  if (byteLength(name) > MAX_CONTAINER_NAME_BYTES) {
    fail(`it is ${byteLength(name)} bytes long in UTF-8; the limit is ${MAX_CONTAINER_NAME_BYTES}`);
  }
  // URLs resolve "." and ".." (even percent-encoded), so such a container could never be reached.
  if (name === "." || name === "..") fail("'.' and '..' cannot be addressed in a URL");
  return name;
}

/** Checks an object name: 1 to 1024 bytes of UTF-8, no "." or ".." path segment. */
export function validateObjectName(name: unknown, field = "obj"): string {
  const fail = (why: string): never => {
    throw new InvalidObjectName(`Invalid object name ${JSON.stringify(name)}: ${why}`, { field });
  };
  if (typeof name !== "string") return fail("an object name must be a string");
  if (name.length === 0) fail("it is empty");
  if (name.includes("\0")) fail("it contains a NUL character");
  if (LONE_SURROGATE.test(name)) fail("it is not valid Unicode (a lone surrogate)");
  if (byteLength(name) > MAX_OBJECT_NAME_BYTES) {
    fail(`it is ${byteLength(name)} bytes long in UTF-8; the limit is ${MAX_OBJECT_NAME_BYTES}`);
  }
  if (name.split("/").some((segment) => segment === "." || segment === "..")) {
    fail("a '.' or '..' path segment would be resolved away by the URL");
  }
  return name;
}

/** Percent-encodes a name for a URL path, keeping '/' in object names as it is. */
export function encodeName(name: string): string {
  return name.split("/").map(encodeURIComponent).join("/");
}

/** The path of a container, relative to the account endpoint. */
export function containerPath(container: string): string {
  return encodeURIComponent(container);
}

/** The path of an object, relative to the account endpoint. */
export function objectPath(container: string, obj: string): string {
  return `${encodeURIComponent(container)}/${encodeName(obj)}`;
}

/** `/container/object`, encoded, as X-Copy-From, SLO manifests and bulk delete want it. */
export function absoluteObjectPath(container: string, obj: string): string {
  return `/${objectPath(container, obj)}`;
}

/** Checks metadata keys and values before they become headers. */
export function validateMetadata(metadata: Readonly<Record<string, string | number>>, field = "metadata"): void {
  if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) {
    throw new ValidationError(`${field} must be an object of names to values`, { field });
  }
  const entries = Object.entries(metadata);
  if (entries.length > MAX_META_COUNT) {
    throw new ValidationError(`${field} has ${entries.length} items; Swift allows ${MAX_META_COUNT}`, { field });
  }
  for (const [key, raw] of entries) {
    const value = String(raw);
    if (!HEADER_TOKEN.test(key)) {
      throw new ValidationError(`${field}: ${JSON.stringify(key)} is not a valid header name`, { field });
    }
    if (/[\r\n\0]/.test(value) || /[^\u0020-\u00ff\t]/.test(value)) {
      throw new ValidationError(
        `${field}: the value of ${JSON.stringify(key)} has a control character or a character a header cannot carry`,
        { field },
      );
    }
    if (byteLength(value) > MAX_META_VALUE_BYTES) {
      throw new ValidationError(`${field}: the value of ${key} is longer than ${MAX_META_VALUE_BYTES} bytes`, {
        field,
      });
    }
  }
}

/** A whole number in [min, max]; `undefined` passes through. */
export function checkInteger(
  value: number | undefined,
  field: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(
      `${field} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? "" : ` to ${max}`}; got ${String(value)}`,
      { field },
    );
  }
  return value;
}

/** A header value: non-empty, on one line, Latin-1. */
export function checkHeaderValue(value: string, field: string): string {
  if (typeof value !== "string" || value.length === 0 || /[\r\n\0]/.test(value) || /[^\u0020-\u00ff\t]/.test(value)) {
    throw new ValidationError(`${field} must be a non-empty header value; got ${JSON.stringify(value)}`, { field });
  }
  return value;
}

/** An MD5 in hex, lower-cased. */
export function checkMd5(etag: string, field = "etag"): string {
  if (typeof etag !== "string" || !/^[0-9a-f]{32}$/i.test(etag)) {
    throw new ValidationError(`${field} must be an MD5 in hex (32 characters); got ${JSON.stringify(etag)}`, {
      field,
    });
  }
  return etag.toLowerCase();
}

/** X-Delete-At's value: a Date or Unix seconds. */
export function deleteAtSeconds(when: Date | number): number {
  const seconds = when instanceof Date ? Math.floor(when.getTime() / 1000) : when;
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new ValidationError(`deleteAt must be a valid Date or Unix time in seconds; got ${String(when)}`, {
      field: "deleteAt",
    });
  }
  return seconds;
}
