import preset from "../../jest.preset.js";

// The compute stack (Nova, Neutron, Cinder) starts at most once per run, when a test file first asks
// for it (test/helpers/stack.ts), and stops at the end.
export default {
  ...preset,
  globalSetup: "<rootDir>/test/helpers/global-setup.mjs",
  globalTeardown: "<rootDir>/test/helpers/global-teardown.mjs",
};
