// Written by scripts/sync-versions.mjs from package.json; CI checks that the two agree.
export const PACKAGE_NAME = "@nimbus-sdk/opennebula";
export const PACKAGE_VERSION = "0.1.0";
