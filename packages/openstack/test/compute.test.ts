// pyrax.cloudservers against a real Nova (Debian's Zed packages, fake virt driver) with Neutron,
// Glance and Keystone: the shared stack of the run (test/helpers/stack.ts), two regions DFW and ORD.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ValidationError, type AuthStep } from "@nimbus-sdk/common";
import {
  BadRequest,
  CloudBlockStorage,
  CloudNetworks,
  CloudServers,
  Conflict,
  Flavor,
  MAX_SUPPORTED_MICROVERSION,
  NoUniqueMatch,
  NotFound,
  OverLimit,
  Pyrax,
  Server,
  UnexpectedStatus,
  compareMicroversions,
  utils,
} from "../src/index.js";
import { settledGetError, sharedComputeCloud, type ComputeCloud } from "./helpers/stack.js";

const RUN = randomBytes(3).toString("hex");
const FAST = { interval: 0.3, timeout: 90 };

/** An OpenSSH ed25519 public key line, as `ssh-keygen` writes it. */
export function sshPublicKey(): string {
  const der = generateKeyPairSync("ed25519").publicKey.export({ format: "der", type: "spki" });
  const raw = der.subarray(der.length - 32);
  const field = (data: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, data.length]), data]);
  return `ssh-ed25519 ${Buffer.concat([field(Buffer.from("ssh-ed25519")), field(raw)]).toString("base64")} test`;
}

function tokenAuth(token: string): AuthStep {
  return { authorize: (request) => void (request.headers["x-auth-token"] = token) };
}

describe("pyrax.cloudservers against a real Nova", () => {
  let cloud: ComputeCloud;
  let cs: CloudServers;
  let admin: CloudServers;
  let networkId: string;
  let neutron: string;
  const servers: string[] = [];

  const neutronCall = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${neutron}/v2.0/${path}`, {
      method,
      headers: { "x-auth-token": cloud.token, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300 && response.status !== 404)
      throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, Record<string, string>>) : {};
  };

  const boot = async (name: string, options: Parameters<CloudServers["servers"]["create"]>[3] = {}) => {
    const server = await cs.servers.create(name, cloud.stack.image!.id, "1", {
      nics: [{ "net-id": networkId }],
      ...options,
    });
    servers.push(server.id);
    return server;
  };

  beforeAll(async () => {
    cloud = await sharedComputeCloud();
    cs = new CloudServers({
      endpoint: cloud.endpoint("compute"),
      region: cloud.region,
      auth: cloud.auth,
      projectId: cloud.stack.credentials.projectId,
    });
    const adminLogin = await cloud.login(cloud.stack.admin);
    admin = new CloudServers({
      endpoint: cloud.stack.computeUrls![cloud.region]!,
      region: cloud.region,
      auth: tokenAuth(adminLogin.token),
    });
    neutron = cloud.endpoint("network").replace(/\/+$/, "");
    const network = await neutronCall("POST", "networks", { network: { name: `cs-${RUN}` } });
    networkId = network.network!.id!;
    await neutronCall("POST", "subnets", {
      subnet: { network_id: networkId, cidr: "10.77.0.0/24", ip_version: 4, name: `cs-${RUN}` },
    });
  }, 15 * 60_000);

  afterAll(async () => {
    for (const id of servers) await cs.servers.delete(id).catch(() => undefined);
    for (const id of servers) {
      await utils
        .waitUntil({ id, status: "", get: () => cs.servers.get(id) }, "status", "DELETED", FAST)
        .catch(() => undefined);
    }
    if (networkId) await neutronCall("DELETE", `networks/${networkId}`).catch(() => undefined);
    await Promise.allSettled([cs?.close(), admin?.close()]);
  }, 120_000);

  it("negotiates the highest microversion both support and sends it", async () => {
    const range = await cs.getServerVersions();
    expect(range.min).toBe("2.1");
    const version = await cs.getApiVersion();
    expect(version).toBe(
      compareMicroversions(range.max!, MAX_SUPPORTED_MICROVERSION) > 0 ? MAX_SUPPORTED_MICROVERSION : range.max,
    );
    // Nova echoes what it received: the header went out and was understood.
    const response = await cs.request({ path: ["flavors"] });
    await response.dump();
    expect(response.headers["openstack-api-version"]).toBe(`compute ${version}`);
    const pinned = new CloudServers({
      endpoint: cloud.endpoint("compute"),
      region: cloud.region,
      auth: cloud.auth,
      microversion: "2.40",
    });
    const answer = await pinned.request({ path: ["flavors"] });
    await answer.dump();
    expect(answer.headers["openstack-api-version"]).toBe("compute 2.40");
    pinned.setApiVersion("9.99");
    await expect(pinned.flavors.list()).rejects.toThrow(ValidationError);
    await pinned.close();
  });

  it("lists and finds flavors and the compute view of images", async () => {
    const flavors = await cs.flavors.list();
    expect(flavors.map((f) => f.name)).toEqual(expect.arrayContaining(["m1.tiny", "m1.small", "m1.medium"]));
    const small = await cs.flavors.find({ name: "m1.small" });
    expect(small).toBeInstanceOf(Flavor);
    expect(small).toMatchObject({ id: "2", ram: 2048, vcpus: 1, disk: 20, is_public: true, ephemeral: 0 });
    await expect(cs.flavors.find({ name: `none-${RUN}` })).rejects.toThrow(NotFound);
    await expect(cs.flavors.get("no-such-flavor")).rejects.toThrow(NotFound);
    // Paged one at a time, the same flavors come back.
    const paged: string[] = [];
    for await (const flavor of cs.flavors.list({ pageSize: 1 })) paged.push(flavor.id);
    expect(paged).toEqual(flavors.map((f) => f.id));
    expect(await cs.flavors.list({ limit: 2 })).toHaveLength(2);
    const images = await cs.images.list();
    const image = images.find((i) => i.id === cloud.stack.image!.id);
    expect(image).toMatchObject({ name: cloud.stack.image!.name, status: "ACTIVE" });
    expect((await cs.images.find({ name: cloud.stack.image!.name })).id).toBe(cloud.stack.image!.id);
  });

  it("creates, lists, gets and deletes key pairs", async () => {
    const publicKey = sshPublicKey();
    const imported = await cs.keypairs.create(`imp-${RUN}`, { publicKey });
    expect(imported.public_key).toBe(publicKey);
    expect(imported.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(imported.id).toBe(`imp-${RUN}`);
    expect(imported.private_key).toBeUndefined();
    // No public key: Nova generates the pair (the call is sent at 2.91, the last version that does).
    const generated = await cs.keypairs.create(`gen-${RUN}`);
    expect(generated.private_key).toMatch(/PRIVATE KEY/);
    const names = (await cs.keypairs.list()).map((k) => k.name);
    expect(names).toEqual(expect.arrayContaining([`imp-${RUN}`, `gen-${RUN}`]));
    expect((await cs.keypairs.get(`imp-${RUN}`)).public_key).toBe(publicKey);
    await expect(cs.keypairs.create(`imp-${RUN}`, publicKey)).rejects.toThrow(Conflict);
    await cs.keypairs.delete(`gen-${RUN}`);
    await generated.delete().catch((e: unknown) => expect(e).toBeInstanceOf(NotFound));
    await expect(cs.keypairs.get(`gen-${RUN}`)).rejects.toThrow(NotFound);
  });

  it("boots a server and works it through its life, as a pyrax script does", async () => {
    const server = await boot(`web-${RUN}`, {
      keyName: `imp-${RUN}`,
      meta: { role: "web" },
      userdata: "#!/bin/sh\necho hi\n",
      securityGroups: ["default"],
      availabilityZone: "nova",
    });
    expect(server).toBeInstanceOf(Server);
    expect(typeof server.adminPass).toBe("string");
    expect(server.status).toBe("BUILD");
    const progress: string[] = [];
    const active = await utils.waitUntil(server, "status", ["ACTIVE", "ERROR"], {
      ...FAST,
      onProgress: (s) => progress.push(String(s.status)),
    });
    expect(active).toBe(server);
    expect(server.status).toBe("ACTIVE");
    expect(progress.at(-1)).toBe("ACTIVE");
    expect(server.adminPass).toBeDefined();
    expect(server.networks[`cs-${RUN}`]![0]).toMatch(/^10\.77\.0\.\d+$/);
    expect(server.addresses![`cs-${RUN}`]![0]).toMatchObject({ version: 4 });
    expect(server.metadata).toEqual({ role: "web" });
    expect(server.key_name).toBe(`imp-${RUN}`);
    expect((server.image as { id: string }).id).toBe(cloud.stack.image!.id);
    expect(server.flavor).toMatchObject({ original_name: "m1.tiny" });
    expect(server["OS-EXT-AZ:availability_zone"]).toBe("nova");

    expect((await cs.servers.find({ name: `web-${RUN}` })).id).toBe(server.id);
    expect((await cs.servers.findall({ status: "ACTIVE" })).map((s) => s.id)).toContain(server.id);
    expect((await cs.list()).map((s) => s.id)).toContain(server.id);
    expect((await cs.servers.get(server.id)).name).toBe(`web-${RUN}`);

    await server.reboot("HARD");
    await utils.waitUntil(server, "status", "ACTIVE", FAST);
    await server.stop();
    await utils.waitUntil(server, "status", "SHUTOFF", FAST);
    // An action in the wrong state: 409 with Nova's explanation.
    const conflict = await server.stop().catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(Conflict);
    expect((conflict as Conflict).status).toBe(409);
    expect((conflict as Error).message).toMatch(/Cannot 'stop' instance .* while it is in vm_state stopped/);
    await server.start();
    await utils.waitUntil(server, "status", "ACTIVE", FAST);

    await server.update({ name: `web2-${RUN}` });
    expect(server.name).toBe(`web2-${RUN}`);
    expect(await server.setMeta({ k: "v" })).toEqual({ role: "web", k: "v" });
    expect(await server.getMeta()).toEqual({ role: "web", k: "v" });
    expect(await server.getMeta("k")).toEqual({ k: "v" });
    await server.deleteMeta("role");
    expect((await server.get()).metadata).toEqual({ k: "v" });
    await server.changePassword(`pw-${RUN}`);
    expect(await server.getConsoleOutput()).toContain("FAKE CONSOLE OUTPUT");

    const imageId = await server.createImage(`snap-${RUN}`, { from: "test" });
    expect(imageId).toMatch(/^[0-9a-f-]{36}$/);
    await utils.waitUntil(server, "OS-EXT-STS:task_state", [null], FAST);
    await cs.images.delete(imageId).catch(() => undefined);

    const rebuilt = await server.rebuild(cloud.stack.image!.id, { name: `web3-${RUN}` });
    expect(rebuilt.name).toBe(`web3-${RUN}`);
    await utils.waitUntil(server, "status", "ACTIVE", FAST);

    await server.delete();
    const gone = await utils.waitUntil(server, "status", "DELETED", FAST);
    expect(gone.status).toBe("DELETED");
    const error = await settledGetError(() => cs.servers.get(server.id));
    expect(error).toBeInstanceOf(NotFound);
  }, 240_000);

  it("resizes a server and confirms the resize", async () => {
    const server = await boot(`resize-${RUN}`, { nics: "none" });
    await utils.waitForBuild(server, { interval: 0.3 });
    await server.resize("2");
    await utils.waitUntil(server, "status", "VERIFY_RESIZE", FAST);
    await server.confirmResize();
    await utils.waitUntil(server, "status", "ACTIVE", FAST);
    expect(server.flavor).toMatchObject({ original_name: "m1.small" });
  }, 240_000);

  it("names two servers of one name NoUniqueMatch, and a missing one NotFound", async () => {
    const name = `dup-${RUN}`;
    await boot(name, { nics: "none" });
    await boot(name, { nics: "none" });
    const error = await cs.servers.find({ name }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoUniqueMatch);
    expect((error as NoUniqueMatch).matches).toHaveLength(2);
    expect(await cs.servers.findall({ name })).toHaveLength(2);
    await expect(cs.servers.find({ name: `nobody-${RUN}` })).rejects.toThrow(NotFound);
    // Nova's name filter is a regular expression: a longer name is not a match.
    expect(await cs.servers.findall({ name: `dup-${RUN.slice(0, 4)}` })).toEqual([]);
  }, 120_000);

  it("refuses unknown flavors and images, and quota overruns, with pyrax's errors", async () => {
    await expect(
      cs.servers.create(`bad-${RUN}`, cloud.stack.image!.id, "no-such-flavor", { nics: "none" }),
    ).rejects.toThrow(BadRequest);
    const badImage = await cs.servers
      .create(`bad-${RUN}`, "00000000-0000-0000-0000-000000000000", "1", { nics: "none" })
      .catch((e: unknown) => e);
    expect(badImage).toBeInstanceOf(BadRequest);
    expect((badImage as Error).message).toMatch(/Can not find requested image/);
    // More RAM than the project's quota (10 TB in the test stack): Nova's 403 is pyrax's OverLimit.
    const huge = await admin.flavors.create(`huge-${RUN}`, 20_000_000, 1, 1, { isPublic: true });
    try {
      const over = await cs.servers
        .create(`big-${RUN}`, cloud.stack.image!.id, huge, { nics: "none" })
        .catch((e: unknown) => e);
      expect(over).toBeInstanceOf(OverLimit);
      expect((over as OverLimit).status).toBe(403);
      expect((over as Error).message).toMatch(/Quota exceeded for ram/);
    } finally {
      await huge.delete();
    }
    const server = await boot(`quota-${RUN}`, { nics: "none" });
    await utils.waitForBuild(server, { interval: 0.3 });
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, "v"]));
    const tooMany = await server.setMeta(many).catch((e: unknown) => e);
    expect(tooMany).toBeInstanceOf(OverLimit);
    expect((tooMany as Error).message).toMatch(/metadata items/);
  }, 120_000);

  it("ends a wait at ERROR: waitUntil with UnexpectedStatus, waitForBuild with the server", async () => {
    // Within the quota, but more RAM than the fake compute host has: the scheduler finds no host.
    const large = await admin.flavors.create(`large-${RUN}`, 2_000_000, 1, 1, { isPublic: true });
    try {
      const server = await cs.servers.create(`err-${RUN}`, cloud.stack.image!.id, large, { nics: "none" });
      servers.push(server.id);
      const error = await utils.waitUntil(server, "status", "ACTIVE", FAST).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnexpectedStatus);
      expect((error as Error).message).toMatch(/No valid host/);
      expect(server.status).toBe("ERROR");
      const built = await utils.waitForBuild(server, { interval: 0.3 });
      expect(built.status).toBe("ERROR");
    } finally {
      await large.delete();
    }
  }, 120_000);

  it("sends personality files at 2.56, and refuses them when pinned past it", async () => {
    const server = await boot(`files-${RUN}`, { nics: "none", files: { "/etc/motd": "hello" } });
    expect((await utils.waitForBuild(server, { interval: 0.3 })).status).toBe("ACTIVE");
    const pinned = new CloudServers({
      endpoint: cloud.endpoint("compute"),
      region: cloud.region,
      auth: cloud.auth,
      microversion: "2.60",
    });
    await expect(
      pinned.servers.create("x", cloud.stack.image!.id, "1", { files: { "/a": "b" } }),
    ).rejects.toMatchObject({
      field: "files",
    });
    // At 2.1, a server's flavor is a reference, as pyrax scripts on Rackspace read it.
    const old = new CloudServers({
      endpoint: cloud.endpoint("compute"),
      region: cloud.region,
      auth: cloud.auth,
      microversion: "2.1",
    });
    expect((await old.servers.get(server.id)).flavor).toMatchObject({ id: "1" });
    await Promise.all([pinned.close(), old.close()]);
  }, 120_000);

  it("boots from a volume made from the image (block device mapping v2), with no image of its own", async () => {
    const server = await boot(`bfv-${RUN}`, {
      nics: "none",
      blockDeviceMapping: [
        {
          boot_index: 0,
          uuid: cloud.stack.image!.id,
          source_type: "image",
          destination_type: "volume",
          volume_size: 1,
          delete_on_termination: true,
        },
      ],
    });
    expect((await utils.waitForBuild(server, { interval: 0.5 })).status).toBe("ACTIVE");
    const attached = server["os-extended-volumes:volumes_attached"] as {
      id: string;
      delete_on_termination?: boolean;
    }[];
    expect(attached).toHaveLength(1);
    // The image argument may be null for a boot from volume, as novaclient allows.
    const noImage = await cs.servers.create(`bfv2-${RUN}`, null, "1", {
      nics: "none",
      blockDeviceMappingV2: [
        {
          boot_index: 0,
          uuid: cloud.stack.image!.id,
          source_type: "image",
          destination_type: "volume",
          volume_size: 1,
          delete_on_termination: true,
        },
      ],
    });
    servers.push(noImage.id);
    expect((await utils.waitForBuild(noImage, { interval: 0.5 })).status).toBe("ACTIVE");
    expect(noImage.image).toBe("");
  }, 180_000);

  it("creates, lists and deletes server groups", async () => {
    const group = await cs.serverGroups.create(`grp-${RUN}`, "anti-affinity");
    expect(group.policy).toBe("anti-affinity");
    expect(group.members).toEqual([]);
    expect((await cs.serverGroups.list()).map((g) => g.id)).toContain(group.id);
    expect((await cs.serverGroups.get(group.id)).name).toBe(`grp-${RUN}`);
    const server = await boot(`grouped-${RUN}`, { nics: "none", schedulerHints: { group: group.id } });
    await utils.waitForBuild(server, { interval: 0.3 });
    expect((await group.get()).members).toEqual([server.id]);
    await expect(cs.serverGroups.create(`bad-${RUN}`, "sideways" as "affinity")).rejects.toThrow(BadRequest);
    await group.delete();
    await expect(cs.serverGroups.get(group.id)).rejects.toThrow(NotFound);
  }, 120_000);

  it("gives each region of a context its own compute endpoint", async () => {
    const pyrax = new Pyrax({ configPath: "/nonexistent/pyrax.cfg", env: {} });
    pyrax.setSetting("identity_type", "keystone");
    pyrax.setSetting("auth_endpoint", cloud.stack.url);
    const ctx = pyrax.createContext();
    const { username, password, projectName } = cloud.stack.credentials;
    await ctx.setCredentials(username, password, { tenantName: projectName });
    const dfw = ctx.DFW!.compute.client;
    const ord = ctx.ORD!.compute.client;
    expect(dfw).toBeInstanceOf(CloudServers);
    expect(dfw.endpoint.href).toBe(`${cloud.stack.computeUrls!.DFW!.replace(/\/+$/, "")}/`);
    expect(ord.endpoint.href).toBe(`${cloud.stack.computeUrls!.ORD!.replace(/\/+$/, "")}/`);
    expect(dfw.endpoint.href).not.toBe(ord.endpoint.href);
    // Both regions share one Nova database: each API lists the same flavors through its own port.
    const [a, b] = await Promise.all([dfw.flavors.list(), ord.flavors.list()]);
    expect(a.map((f) => f.id)).toEqual(b.map((f) => f.id));
    expect(ord.apiVersion).toBeDefined();
    // Networks and Block Storage come from the same contexts, per region.
    expect(ctx.DFW!.network.client).toBeInstanceOf(CloudNetworks);
    expect(ctx.ORD!.network.client.endpoint.href).toContain(cloud.stack.networkUrls!.ORD!);
    expect(ctx.ORD!.volume.client).toBeInstanceOf(CloudBlockStorage);
    expect(ctx.ORD!.volume.client.endpoint.href).toContain(cloud.stack.volumeUrls!.ORD!);
    await ctx.close();
    // The module's default clients after authentication, as pyrax's module globals.
    pyrax.setDefaultRegion("ORD");
    await pyrax.setCredentials(username, password, { tenantName: projectName });
    expect(pyrax.cloudservers!.endpoint.href).toBe(ord.endpoint.href);
    expect(pyrax.cloudNetworks).toBeInstanceOf(CloudNetworks);
    expect(pyrax.cloudBlockstorage).toBeInstanceOf(CloudBlockStorage);
    await pyrax.close();
  }, 60_000);
});
