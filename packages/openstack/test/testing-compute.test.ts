// Integration test of `startServer({ services: ["compute", ...] })`: real Nova, Placement, Neutron and
// Cinder, reached with raw fetch only so that it checks the launcher, not the SDK. The first part uses
// the run's shared stack (test/helpers/stack.ts), the last starts and stops a private one.
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { startServer } from "../src/testing/index.js";
import { catalogUrl, keystoneLogin } from "./helpers/cloud.js";
import {
  alive,
  groupMembers,
  listeningPorts,
  nonLoopbackListeners,
  processesMentioning,
  pssMegabytes,
  tcpListeners,
} from "./helpers/procfs.js";
import { sharedComputeCloud, type ComputeCloud } from "./helpers/stack.js";

type Json = Record<string, unknown>;

function client(token: string) {
  return async (method: string, url: string, body?: unknown): Promise<{ status: number; json: Json }> => {
    const response = await fetch(url, {
      method,
      headers: {
        "x-auth-token": token,
        "content-type": "application/json",
        "openstack-api-version": "compute 2.79, volume 3.59",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as Json) : {} };
  };
}

/** Polls `read` until it returns one of `states`; returns the last state seen. */
async function waitFor(read: () => Promise<string>, states: string[], timeout = 60_000): Promise<string> {
  const deadline = Date.now() + timeout;
  let state = await read();
  while (!states.includes(state) && Date.now() < deadline) {
    await sleep(250);
    state = await read();
  }
  return state;
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

describe("the shared compute stack", () => {
  let cloud: ComputeCloud;

  it(
    "offers DFW and ORD, each region's API its own process",
    async () => {
      cloud = await sharedComputeCloud();
      const { stack } = cloud;
      expect(stack.regions).toEqual(["DFW", "ORD"]);
      expect(stack.region).toBe("DFW");
      const byName = new Map(stack.processes.map((p) => [p.name, p.pid]));
      const kinds = [
        { type: "compute", urls: stack.computeUrls!, process: "nova-api" },
        { type: "network", urls: stack.networkUrls!, process: "neutron-server" },
        { type: "volumev3", urls: stack.volumeUrls!, process: "cinder-api" },
      ];
      const urls = new Set<string>();
      for (const { type, urls: byRegion, process } of kinds) {
        for (const region of stack.regions) {
          const url = cloud.endpoint(type, region);
          expect(url.startsWith(byRegion[region]!)).toBe(true);
          urls.add(url);
          // The port of this region's URL is held by a member of this region's API process group.
          const leader = byName.get(`${process}-${region}`)!;
          const holders = [...listeningPorts(groupMembers([leader])).values()].flat();
          expect(holders).toContain(portOf(url));
        }
      }
      expect(urls.size).toBe(6);
      // Keystone, Glance and Placement are one server each, listed in both regions.
      expect(cloud.endpoint("image", "ORD")).toBe(cloud.endpoint("image", "DFW"));
      expect(cloud.endpoint("placement", "ORD")).toBe(stack.placementUrl);
      // Nothing of the stack listens beyond 127.0.0.1.
      const groups = stack.processes.map((p) => p.pid);
      expect(nonLoopbackListeners([...listeningPorts(groupMembers(groups)).values()].flat())).toEqual([]);
    },
    20 * 60_000,
  );

  it("answers in both regions with the seeded flavors, image and raised quotas", async () => {
    const call = client(cloud.token);
    const { stack } = cloud;
    const project = stack.credentials.projectId;
    for (const region of stack.regions) {
      const flavors = await call("GET", `${cloud.endpoint("compute", region)}/flavors/detail`);
      expect(flavors.status).toBe(200);
      expect((flavors.json.flavors as Json[]).map((f) => [f.id, f.name, f.ram, f.vcpus, f.disk])).toEqual(
        expect.arrayContaining([
          ["1", "m1.tiny", 512, 1, 1],
          ["2", "m1.small", 2048, 1, 20],
        ]),
      );
      expect((await call("GET", `${cloud.endpoint("network", region)}/v2.0/networks`)).status).toBe(200);
      expect((await call("GET", `${cloud.endpoint("volumev3", region)}/volumes`)).status).toBe(200);
    }
    expect(stack.flavors!.map((f) => f.name)).toEqual(["m1.tiny", "m1.small", "m1.medium"]);
    const image = await call("GET", `${cloud.endpoint("image")}/v2/images/${stack.image!.id}`);
    expect(image.json).toMatchObject({ name: stack.image!.name, status: "active", visibility: "public" });
    const quotas = await call("GET", `${cloud.endpoint("compute")}/os-quota-sets/${project}`);
    expect((quotas.json.quota_set as Json).instances).toBeGreaterThanOrEqual(1000);
    const volumeQuotas = await call("GET", `${cloud.endpoint("volumev3")}/os-quota-sets/${project}`);
    expect((volumeQuotas.json.quota_set as Json).volumes).toBeGreaterThanOrEqual(1000);
  }, 60_000);

  it("boots a demo server in ORD on a new network, seen from DFW; volumes (also from the image), filters, routers", async () => {
    const call = client(cloud.token);
    const { stack } = cloud;
    const [nova, novaDfw, neutron, cinder] = [
      cloud.endpoint("compute", "ORD"),
      cloud.endpoint("compute", "DFW"),
      cloud.endpoint("network", "ORD"),
      cloud.endpoint("volumev3", "ORD"),
    ];
    const name = `launcher-test-${process.pid}`;
    const network = (await call("POST", `${neutron}/v2.0/networks`, { network: { name } })).json.network as Json;
    const subnet = await call("POST", `${neutron}/v2.0/subnets`, {
      subnet: { network_id: network.id, cidr: "10.42.0.0/24", ip_version: 4, name },
    });
    expect(subnet.status).toBe(201);
    const created = await call("POST", `${nova}/servers`, {
      server: { name, imageRef: stack.image!.id, flavorRef: "1", networks: [{ uuid: network.id }] },
    });
    expect(created.status).toBe(202);
    const serverId = (created.json.server as Json).id as string;
    const status = () =>
      call("GET", `${novaDfw}/servers/${serverId}`).then((r) => (r.json.server as Json).status as string);
    expect(await waitFor(status, ["ACTIVE", "ERROR"])).toBe("ACTIVE");
    const addresses = ((await call("GET", `${nova}/servers/${serverId}`)).json.server as Json).addresses as Json;
    expect(JSON.stringify(addresses[name])).toMatch(/"addr":"10\.42\.0\.\d+"/);

    const volume = (await call("POST", `${cinder}/volumes`, { volume: { size: 1, name } })).json.volume as Json;
    const volumeStatus = () =>
      call("GET", `${cinder}/volumes/${volume.id}`).then((r) =>
        String((r.json.volume as Json | undefined)?.status ?? "gone"),
      );
    expect(await waitFor(volumeStatus, ["available", "error"])).toBe("available");
    // List filters are allowed (Cinder's resource_filters.json).
    const named = await call("GET", `${cinder}/volumes?name=${name}`);
    expect(named.status).toBe(200);
    expect((named.json.volumes as Json[]).map((v) => v.id)).toEqual([volume.id]);
    const attach = await call("POST", `${nova}/servers/${serverId}/os-volume_attachments`, {
      volumeAttachment: { volumeId: volume.id },
    });
    expect(attach.status).toBe(200);
    expect(await waitFor(volumeStatus, ["in-use", "error"])).toBe("in-use");
    expect((await call("DELETE", `${nova}/servers/${serverId}/os-volume_attachments/${volume.id}`)).status).toBe(202);
    expect(await waitFor(volumeStatus, ["available", "error"])).toBe("available");

    await call("DELETE", `${cinder}/volumes/${volume.id}`);
    expect(await waitFor(volumeStatus, ["gone", "error_deleting"])).toBe("gone");

    // A volume from the seeded image (the fake driver has nothing to copy the image to).
    const fromImage = (
      await call("POST", `${cinder}/volumes`, { volume: { size: 1, name: `${name}-boot`, imageRef: stack.image!.id } })
    ).json.volume as Json;
    const fromImageStatus = () =>
      call("GET", `${cinder}/volumes/${fromImage.id}`).then((r) =>
        String((r.json.volume as Json | undefined)?.status ?? "gone"),
      );
    expect(await waitFor(fromImageStatus, ["available", "error"])).toBe("available");
    expect(((await call("GET", `${cinder}/volumes/${fromImage.id}`)).json.volume as Json).bootable).toBe("true");
    await call("DELETE", `${cinder}/volumes/${fromImage.id}`);
    expect(await waitFor(fromImageStatus, ["gone", "error_deleting"])).toBe("gone");

    // Routers (Neutron's L3 plugin, no agent).
    const router = await call("POST", `${neutron}/v2.0/routers`, { router: { name } });
    expect(router.status).toBe(201);
    expect((await call("DELETE", `${neutron}/v2.0/routers/${(router.json.router as Json).id}`)).status).toBe(204);
    await call("DELETE", `${nova}/servers/${serverId}`);
    const gone = () => call("GET", `${nova}/servers/${serverId}`).then((r) => (r.status === 404 ? "gone" : "there"));
    expect(await waitFor(gone, ["gone"])).toBe("gone");
    expect((await call("DELETE", `${neutron}/v2.0/networks/${network.id}`)).status).toBe(204);
  }, 180_000);
});

describe("startServer with compute", () => {
  it("rejects a service it does not know", async () => {
    await expect(startServer({ services: ["bind9" as "compute"] })).rejects.toBeInstanceOf(ValidationError);
  });

  it(
    "starts the whole stack, and stop() leaves no process, port or directory behind",
    async () => {
      const started = performance.now();
      const server = await startServer({ services: ["compute", "volume"] });
      try {
        const startup = performance.now() - started;
        const groups = server.processes.map((p) => p.pid);
        const members = groupMembers(groups);
        const ports = [...listeningPorts(members).values()].flat();
        console.log(
          `openstack compute stack: ready in ${(startup / 1000).toFixed(1)} s, ${members.length} processes, ` +
            `PSS ${pssMegabytes(members)} MB, ${ports.length} listening ports`,
        );
        expect(server.services).toEqual(["image", "compute", "network", "volume"]);
        expect(server.swiftUrl).toBeUndefined();
        // RabbitMQ (AMQP, distribution, epmd), MariaDB, and every API of both regions.
        expect(ports.length).toBeGreaterThanOrEqual(14);
        expect(nonLoopbackListeners(ports)).toEqual([]);
        for (const name of ["epmd", "rabbitmq", "mariadb", "placement", "nova-compute", "cinder-volume"]) {
          expect(server.processes.map((p) => p.name)).toContain(name);
        }
        const { catalog } = await keystoneLogin(server.url, server.credentials);
        expect(catalogUrl(catalog, "compute", "ORD")).toBe(server.computeUrls!.ORD);
        await server.stop();
        for (const pid of groups) expect(alive(pid)).toBe(false);
        expect(groupMembers(groups)).toEqual([]);
        expect(processesMentioning(server.tempDirs[0]!)).toEqual([]);
        for (const dir of server.tempDirs) expect(existsSync(dir)).toBe(false);
        const stillListening = new Set(tcpListeners().map((l) => l.port));
        expect(ports.filter((p) => stillListening.has(p))).toEqual([]);
      } finally {
        await server.stop();
      }
    },
    15 * 60_000,
  );
});
