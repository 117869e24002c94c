// This package is a shell until its issue lands; it already builds, installs and resolves common.
export { PACKAGE_NAME, PACKAGE_VERSION } from "./version.js";
