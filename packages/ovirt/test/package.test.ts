import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { NimbusError } from "@nimbus-sdk/common";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../src/index.js";

describe("@nimbus-sdk/ovirt", () => {
  it("names itself as its package.json does", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(PACKAGE_NAME).toBe(manifest.name);
    expect(PACKAGE_VERSION).toBe(manifest.version);
  });

  it("resolves @nimbus-sdk/common through its declared dependency", () => {
    expect(new NimbusError("x")).toBeInstanceOf(Error);
  });
});
