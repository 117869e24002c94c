// Cinder v3 microversions: the range the server announces in its versions document, and the version
// both sides support (or the one asked for, checked against that range).
import { compareMicroversions, formatMicroversion, parseMicroversion } from "../compute/microversion.js";
import { UnsupportedMicroversion } from "../../errors.js";

/** The newest Block Storage microversion whose behaviour this SDK knows (Cinder Zed's maximum). */
export const MAX_VOLUME_MICROVERSION = "3.70";
/** v3 without a microversion header is 3.0. */
export const MIN_VOLUME_MICROVERSION = "3.0";

/** The volume API's microversions a server accepts: the lowest and the highest. */
export interface VolumeVersionRange {
  min: string;
  max: string;
}

interface VersionEntry {
  id?: string;
  status?: string;
  version?: string;
  min_version?: string;
}

/** The v3 range from Cinder's versions document (`{ "versions": [...] }` at the root, or `{ "version" }`). */
export function readVolumeVersions(document: unknown): VolumeVersionRange {
  const body = (document ?? {}) as { version?: VersionEntry; versions?: VersionEntry[] };
  const entry = body.version ?? body.versions?.find((v) => v.id?.startsWith("v3"));
  // A Cinder without microversions (or a v3 entry without them) speaks plain 3.0.
  return {
    min: entry?.min_version || MIN_VOLUME_MICROVERSION,
    max: entry?.version || MIN_VOLUME_MICROVERSION,
  };
}

/**
 * The version to send: the one asked for, when the server and this SDK support it (else
 * UnsupportedMicroversion naming `microversion`), or the highest both support.
 */
export function chooseVolumeMicroversion(range: VolumeVersionRange, requested?: string): string {
  if (requested !== undefined && requested !== "latest") {
    const asked = parseMicroversion(requested);
    if (asked.major !== 3) {
      throw new UnsupportedMicroversion(`volume microversion ${requested} is not a 3.x version`, {
        field: "microversion",
      });
    }
    if (compareMicroversions(asked, range.min) < 0 || compareMicroversions(asked, range.max) > 0) {
      throw new UnsupportedMicroversion(
        `volume microversion ${requested} is outside what this server supports (${range.min} to ${range.max})`,
        { field: "microversion" },
      );
    }
    if (compareMicroversions(asked, MAX_VOLUME_MICROVERSION) > 0) {
      throw new UnsupportedMicroversion(
        `volume microversion ${requested} is newer than this SDK supports (${MAX_VOLUME_MICROVERSION})`,
        { field: "microversion" },
      );
    }
    return formatMicroversion(asked);
  }
  return compareMicroversions(range.max, MAX_VOLUME_MICROVERSION) < 0 ? range.max : MAX_VOLUME_MICROVERSION;
}
