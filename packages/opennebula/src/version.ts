// Written by scripts/sync-versions.mjs from package.json; CI checks that the two agree.
/** This package's npm name. */
export const PACKAGE_NAME = "@nimbus-sdk/opennebula";
/** This package's version, as in its package.json. */
export const PACKAGE_VERSION = "0.1.0";
