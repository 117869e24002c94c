// Cloud Networks and Cloud Block Storage reached as a pyrax script reaches them: through the module
// object and its contexts, authenticated against the real Keystone of the shared stack. The volume is
// attached through the compute endpoint the catalog gives for the same region.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import {
  CloudBlockStorage,
  CloudNetworks,
  NotFound,
  Pyrax,
  UnsupportedMicroversion,
  utils,
  type Server,
} from "../src/index.js";
import { sharedComputeCloud, type ComputeCloud } from "./helpers/stack.js";

const RUN = randomBytes(3).toString("hex");
const FAST = { interval: 0.3, timeout: 120 };
jest.setTimeout(240_000);

describe("pyrax.cloudNetworks and pyrax.cloudBlockstorage through the module", () => {
  let cloud: ComputeCloud;
  let pyrax: Pyrax;

  beforeAll(async () => {
    cloud = await sharedComputeCloud();
    pyrax = new Pyrax({ configPath: "/nonexistent/pyrax.cfg", env: {} });
    pyrax.setSetting("identity_type", "keystone");
    pyrax.setSetting("auth_endpoint", cloud.stack.url);
  }, 15 * 60_000);

  afterAll(async () => {
    await pyrax?.close();
  });

  it("has no clients before authentication, then one per region", async () => {
    expect(pyrax.cloudNetworks).toBeNull();
    expect(pyrax.cloudBlockstorage).toBeNull();
    const { username, password, projectName } = cloud.stack.credentials;
    await pyrax.setCredentials(username, password, { tenantName: projectName });
    const cnw = pyrax.cloudNetworks!;
    expect(cnw).toBeInstanceOf(CloudNetworks);
    expect(cnw.endpoint.href).toContain(cloud.stack.networkUrls![cloud.region]!);
    const ord = await pyrax.connectToCloudNetworks({ region: "ORD" });
    expect(ord.endpoint.href).toContain(cloud.stack.networkUrls!.ORD!);
    // Both regions' Neutron servers share one database: a network made in one is seen from the other.
    const net = await cnw.create(`pyrax-${RUN}`, { cidr: "10.95.0.0/24" });
    try {
      expect((await ord.findNetworkByLabel(`pyrax-${RUN}`)).cidr).toBe("10.95.0.0/24");
    } finally {
      await net.delete();
    }
    await expect(ord.get(net.id)).rejects.toThrow(NotFound);
    expect(pyrax.cloudBlockstorage).toBeInstanceOf(CloudBlockStorage);
  });

  it("asks Cinder for the microversion given to connectToCloudBlockstorage", async () => {
    const cbs = await pyrax.connectToCloudBlockstorage({ region: "ORD", microversion: "3.0" });
    const listed = await cbs.list(1);
    expect(cbs.microversion).toBe("3.0");
    for (const volume of listed) expect("group_id" in volume.record).toBe(false);
    await expect(
      pyrax.connectToCloudBlockstorage({ region: "ORD", microversion: "3.999" }).then((c) => c.list()),
    ).rejects.toThrow(UnsupportedMicroversion);
    // Back to the newest both sides support, for the other tests of this module object.
    (await pyrax.connectToCloudBlockstorage({ region: "ORD" })).useMicroversion(undefined);
  });

  it("attaches a volume to a server through the region's compute endpoint from the catalog", async () => {
    const cnw = pyrax.cloudNetworks!;
    const cbs = pyrax.cloudBlockstorage!;
    const cs = pyrax.cloudservers!;
    const net = await cnw.create(`pyrax-att-${RUN}`, { cidr: "10.96.0.0/24" });
    let server: Server | undefined;
    try {
      server = await cs.servers.create(`pyrax-att-${RUN}`, cloud.stack.image!.id, "1", {
        nics: net.getServerNetworks(),
      });
      const vol = await cbs.create(`pyrax-att-${RUN}`, 1);
      try {
        await utils.waitUntil(server, "status", "ACTIVE", FAST);
        await utils.waitUntil(vol, "status", "available", FAST);
        await vol.attachToInstance(server, "/dev/vdb");
        await utils.waitUntil(vol, "status", "in-use", FAST);
        expect(vol.attachments[0]!.server_id).toBe(server.id);
        await vol.detach();
        await utils.waitUntil(vol, "status", "available", FAST);
      } finally {
        await vol.delete({ force: true });
        await utils.waitUntil(vol, "status", "deleted", FAST).catch(() => undefined);
      }
    } finally {
      if (server) {
        await cs.servers.delete(server.id);
        await utils.waitUntil(server, "status", "DELETED", FAST).catch(() => undefined);
      }
      await utils
        .waitUntil(
          { count: -1, get: async () => ({ count: (await cnw.ports({ network_id: net.id })).length }) },
          "count",
          0,
          FAST,
        )
        .catch(() => undefined);
      await net.delete();
    }
  });
});
