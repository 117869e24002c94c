// Nova microversions: "2.60" parsed and compared, the versions document read, and the version both
// sides support picked (as novaclient's api_versions.discover_version does).
import { ValidationError } from "@nimbus-sdk/common";

/** A compute API version, major and minor ("2.60" is { major: 2, minor: 60 }). */
export interface ApiVersion {
  readonly major: number;
  readonly minor: number;
}

/** The newest microversion this SDK knows the behaviour of (Nova 2024.1, Caracal). */
export const MAX_SUPPORTED_MICROVERSION = "2.96";
/** Microversions start here; 2.0 is the legacy v2 API, which takes no microversion header. */
export const MIN_MICROVERSION = "2.1";

/**
 * Reads a MAJOR.MINOR microversion ("2.79") into numbers.
 *
 * @param text - The microversion.
 * @param field - The option's name, for the error message.
 * @throws `ValidationError` when `text` is not MAJOR.MINOR.
 */
export function parseMicroversion(text: string, field = "microversion"): ApiVersion {
  const match = /^\s*(\d+)\.(\d+)\s*$/.exec(String(text));
  if (!match) {
    throw new ValidationError(`${field} must look like "2.60" (or be "latest"), not ${JSON.stringify(text)}`, {
      field,
    });
  }
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/**
 * Writes a microversion as the API's header takes it ("2.79").
 *
 * @param version - Major and minor version.
 */
export function formatMicroversion(version: ApiVersion): string {
  return `${version.major}.${version.minor}`;
}

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareMicroversions(a: ApiVersion | string, b: ApiVersion | string): number {
  const x = typeof a === "string" ? parseMicroversion(a) : a;
  const y = typeof b === "string" ? parseMicroversion(b) : b;
  return x.major - y.major || x.minor - y.minor;
}

/** What a compute endpoint says about itself in its versions document. */
export interface ServerVersionRange {
  /** "2.1"; undefined when the server has no microversions (the legacy v2 API, Rackspace's). */
  min?: string;
  max?: string;
}

interface VersionEntry {
  id?: string;
  status?: string;
  version?: string;
  min_version?: string;
}

/**
 * The range from the document a compute endpoint answers with: `{ "version": {...} }` at /v2.1,
 * or `{ "versions": [...] }` at the root (the CURRENT v2.1 entry is used).
 */
export function readVersionDocument(document: unknown): ServerVersionRange {
  const body = (document ?? {}) as { version?: VersionEntry; versions?: VersionEntry[] };
  const entry =
    body.version ??
    body.versions?.find((v) => v.id === "v2.1") ??
    body.versions?.find((v) => v.status === "CURRENT") ??
    body.versions?.[0];
  if (!entry?.version) return {};
  return { min: entry.min_version || MIN_MICROVERSION, max: entry.version };
}

/**
 * The microversion to send: the one asked for (checked against the server's range), or the highest
 * both the server and this SDK support. Undefined when the server takes none.
 */
export function chooseMicroversion(range: ServerVersionRange, requested?: string): string | undefined {
  if (!range.max) {
    if (requested && requested !== "latest" && compareMicroversions(requested, "2.0") > 0) {
      throw new ValidationError(
        `microversion ${requested} was asked for, but this compute endpoint has no microversions (legacy v2 API)`,
        { field: "microversion" },
      );
    }
    return undefined;
  }
  const min = range.min ?? MIN_MICROVERSION;
  if (requested && requested !== "latest") {
    parseMicroversion(requested);
    if (compareMicroversions(requested, min) < 0 || compareMicroversions(requested, range.max) > 0) {
      throw new ValidationError(
        `microversion ${requested} is outside what this compute endpoint supports (${min} to ${range.max})`,
        { field: "microversion" },
      );
    }
    if (compareMicroversions(requested, MAX_SUPPORTED_MICROVERSION) > 0) {
      throw new ValidationError(
        `microversion ${requested} is newer than this SDK supports (${MAX_SUPPORTED_MICROVERSION})`,
        { field: "microversion" },
      );
    }
    return formatMicroversion(parseMicroversion(requested));
  }
  const best = compareMicroversions(range.max, MAX_SUPPORTED_MICROVERSION) < 0 ? range.max : MAX_SUPPORTED_MICROVERSION;
  if (compareMicroversions(best, min) < 0) {
    throw new ValidationError(
      `this compute endpoint needs microversion ${min} or newer; this SDK supports up to ${MAX_SUPPORTED_MICROVERSION}`,
      { field: "microversion" },
    );
  }
  return formatMicroversion(parseMicroversion(best));
}

/** The headers that carry a microversion (the new one, and the one older Novas read). */
export function microversionHeaders(version: string | undefined): Record<string, string> {
  if (!version) return {};
  return { "openstack-api-version": `compute ${version}`, "x-openstack-nova-api-version": version };
}

/** The lower of two versions (undefined stays undefined: no microversion at all). */
export function capMicroversion(version: string | undefined, cap: string): string | undefined {
  if (!version) return undefined;
  return compareMicroversions(version, cap) > 0 ? cap : version;
}
