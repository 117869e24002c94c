// `@nimbus-sdk/vsphere/testing`: vcsim, govmomi's vCenter simulator, on 127.0.0.1 for this package's
// tests, the demo and users' own tests. Debian ships the simulator as a Go library only, so the
// package carries a small Go main (vcsim/main.go) and builds it offline from Debian's packages.
export { ensureVcsim, vcsimSourcePath, VCSIM_CACHE_ENV, VCSIM_PACKAGES, type EnsureVcsimOptions } from "./build.js";
// `startServer` is the name every package's testing entry has.
export { startVcsim, startVcsim as startServer, type VcsimOptions, type VcsimServer } from "./vcsim.js";
