// Cloud Block Storage without a server: pyrax's create arguments turned into Cinder's body (and
// refused before sending when unusable), the v3 root for catalog endpoints, and microversion choice.
import { describe, expect, it } from "@jest/globals";
import { AbortError, ValidationError } from "@nimbus-sdk/common";
import { InvalidSize, NoEndpointForService, UnsupportedMicroversion } from "../src/errors.js";
import {
  CloudBlockStorage,
  MAX_VOLUME_MICROVERSION,
  chooseVolumeMicroversion,
  cinderApiRoot,
  readVolumeVersions,
  volumeCreateBody,
} from "../src/resources/block-storage/index.js";

describe("volumeCreateBody", () => {
  it("maps pyrax's arguments to Cinder v3's fields", () => {
    expect(
      volumeCreateBody({
        name: "data",
        size: 1,
        volumeType: "lvm",
        description: "d",
        metadata: { a: "1" },
        snapshotId: { id: "snap" },
        availabilityZone: "nova",
        image: "img",
      }),
    ).toEqual({
      name: "data",
      size: 1,
      volume_type: "lvm",
      description: "d",
      metadata: { a: "1" },
      snapshot_id: "snap",
      availability_zone: "nova",
      imageRef: "img",
    });
    expect(volumeCreateBody({ cloneId: "src" })).toEqual({ source_volid: "src" });
  });

  it.each([undefined, 0, -1, 1.5, "1"])("refuses size %p with InvalidSize", (size) => {
    expect(() => volumeCreateBody({ name: "x", size: size as number })).toThrow(InvalidSize);
  });

  it("refuses what Cinder cannot store, naming the argument", () => {
    expect(() => volumeCreateBody({ size: 1, metadata: { n: 1 as unknown as string } })).toThrow(
      expect.objectContaining({ field: "metadata" }) as never,
    );
    expect(() => volumeCreateBody({ size: 1, colour: "red" } as never)).toThrow(
      expect.objectContaining({ field: "colour" }) as never,
    );
    expect(() => volumeCreateBody({ size: 1, snapshotId: "" })).toThrow(ValidationError);
  });
});

describe("cinderApiRoot", () => {
  it.each([
    ["http://127.0.0.1:8776/v3/abc", "http://127.0.0.1:8776/v3/abc/"],
    ["http://127.0.0.1:8776/v2/abc", "http://127.0.0.1:8776/v3/abc/"],
    ["https://cloud.example/volume/v3/abc/", "https://cloud.example/volume/v3/abc/"],
  ])("%s -> %s", (endpoint, root) => {
    expect(cinderApiRoot(endpoint).href).toBe(root);
  });
});

describe("Cinder microversions", () => {
  const doc = {
    versions: [
      { id: "v2.0", status: "DEPRECATED", version: "", min_version: "" },
      { id: "v3.0", status: "CURRENT", version: "3.70", min_version: "3.0" },
    ],
  };

  it("reads the v3 range and picks the highest both sides support", () => {
    expect(readVolumeVersions(doc)).toEqual({ min: "3.0", max: "3.70" });
    expect(chooseVolumeMicroversion({ min: "3.0", max: "3.99" })).toBe(MAX_VOLUME_MICROVERSION);
    expect(chooseVolumeMicroversion({ min: "3.0", max: "3.44" })).toBe("3.44");
    expect(chooseVolumeMicroversion({ min: "3.0", max: "3.70" }, "latest")).toBe("3.70");
  });

  it("uses the one asked for when the server has it, else UnsupportedMicroversion", () => {
    expect(chooseVolumeMicroversion({ min: "3.0", max: "3.70" }, "3.27")).toBe("3.27");
    for (const asked of ["3.71", "2.1", "4.0"]) {
      expect(() => chooseVolumeMicroversion({ min: "3.0", max: "3.70" }, asked)).toThrow(UnsupportedMicroversion);
    }
    expect(() => chooseVolumeMicroversion({ min: "3.0", max: "3.70" }, "three")).toThrow(ValidationError);
  });
});

describe("options a call cannot use", () => {
  // Nothing listens on port 9: a call that got as far as sending would fail with a ConnectionError.
  const cbs = new CloudBlockStorage({
    endpoint: "http://127.0.0.1:9/v3/p",
    region: "DFW",
    auth: { authorize: () => undefined },
  });

  it("are ValidationErrors naming them, raised before anything is sent", async () => {
    const named = (field: string) => expect.objectContaining({ field }) as never;
    await expect(cbs.update("v", { display_name: "x" } as never)).rejects.toThrow(named("display_name"));
    await expect(cbs.createSnapshot("v", { nmae: "s" } as never)).rejects.toThrow(named("nmae"));
    await expect(cbs.deleteVolume("v", { cascade: true } as never)).rejects.toThrow(named("cascade"));
    await expect(cbs.attachToInstance("v", "s", "xvdb")).rejects.toThrow(named("mountpoint"));
    await expect(cbs.create({ size: 0 })).rejects.toThrow(InvalidSize);
  });

  it("pass the signal on: a cancelled call ends with AbortError, not a connection attempt", async () => {
    const signal = AbortSignal.abort();
    await expect(cbs.list({ signal })).rejects.toThrow(AbortError);
    await expect(cbs.get("v", { signal })).rejects.toThrow(AbortError);
    await expect(cbs.createSnapshot("v", "s", { signal })).rejects.toThrow(AbortError);
    // Attach goes to Nova, whose endpoint the client was not given.
    await expect(cbs.attachToInstance("v", "s", "/dev/vdb", { signal })).rejects.toThrow(NoEndpointForService);
    const withNova = new CloudBlockStorage({
      endpoint: "http://127.0.0.1:9/v3/p",
      region: "DFW",
      auth: { authorize: () => undefined },
      computeEndpoint: () => "http://127.0.0.1:9/v2.1",
    });
    await expect(withNova.attachToInstance("v", "s", "/dev/vdb", { signal })).rejects.toThrow(AbortError);
    await Promise.all([cbs.close(), withNova.close()]);
  });
});
