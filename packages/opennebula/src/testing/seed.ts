// The world a fresh oned has (oneadmin and serveradmin, groups oneadmin and users, the system,
// default and files datastores, cluster "default", the OpenNebula Public marketplace), plus a small
// cloud to work with: two hosts, a network, an image, two VM templates, a marketplace app and a
// normal user. seedVms() adds running VMs in bulk (benchmarks: 10,000 and more).
import { IMAGE_STATE, LCM_STATE, VM_STATE } from "../generated/constants.js";
import {
  allocateCluster,
  allocateDatastore,
  allocateGroup,
  allocateHost,
  allocateImage,
  allocateMarket,
  allocateMarketApp,
  allocateTemplate,
  allocateUser,
  allocateVn,
  imageReady,
  marketAppReady,
  monitorHost,
} from "./allocate.js";
import { macOf } from "./docs.js";
import type { HostObject, VmObject, VnObject } from "./objects.js";
import { OneTemplate } from "./template.js";
import { createVm, putOnHost, systemDatastore } from "./vm.js";
import { ONEADMIN_GROUP, USERS_GROUP, type Caller, type World } from "./world.js";

const ONEADMIN: Caller = { uid: 0, gid: 0, groups: new Set([ONEADMIN_GROUP]), admin: true };

export interface SeedOptions {
  adminPassword: string;
  /** The normal user (group "users"): name and password. */
  user: { name: string; password: string };
}

/** The system objects and the small default cloud; ids as a fresh oned gives them. */
export function seedWorld(world: World, options: SeedOptions): void {
  allocateGroup(world, ONEADMIN, "oneadmin");
  allocateGroup(world, ONEADMIN, "users");
  world.reserveIds("group", 100);
  allocateUser(world, ONEADMIN, "oneadmin", options.adminPassword, "core", [ONEADMIN_GROUP]);
  const server = allocateUser(world, ONEADMIN, "serveradmin", options.adminPassword + "-server", "server_cipher", [
    ONEADMIN_GROUP,
  ]);
  server.template.set("TOKEN_PASSWORD", "0123456789abcdef0123456789abcdef");
  allocateUser(world, ONEADMIN, options.user.name, options.user.password, "core", [USERS_GROUP]);

  allocateCluster(world, ONEADMIN, "default");
  const system = OneTemplate.from({
    NAME: "system",
    TYPE: "SYSTEM_DS",
    TM_MAD: "ssh",
    ALLOW_ORPHANS: "NO",
    SHARED: "NO",
  });
  allocateDatastore(world, ONEADMIN, system, 0);
  const images = OneTemplate.from({
    NAME: "default",
    TYPE: "IMAGE_DS",
    DS_MAD: "fs",
    TM_MAD: "ssh",
    CLONE_TARGET: "SYSTEM",
    LN_TARGET: "SYSTEM",
    DISK_TYPE: "FILE",
  });
  allocateDatastore(world, ONEADMIN, images, 0);
  allocateDatastore(
    world,
    ONEADMIN,
    OneTemplate.from({ NAME: "files", TYPE: "FILE_DS", DS_MAD: "fs", TM_MAD: "ssh" }),
    0,
  );

  const market = OneTemplate.from({
    NAME: "OpenNebula Public",
    MARKET_MAD: "one",
    DESCRIPTION: "OpenNebula Systems MarketPlace",
    ENDPOINT: "https://marketplace.opennebula.io",
  });
  allocateMarket(world, ONEADMIN, market);

  for (const name of ["node01", "node02"]) monitorHost(world, allocateHost(world, ONEADMIN, name, "kvm", "kvm", 0));
  const network = OneTemplate.parse(
    'NAME="private"\nVN_MAD="bridge"\nBRIDGE="br0"\nDNS="192.168.150.1"\nGATEWAY="192.168.150.1"\n' +
      'NETWORK_ADDRESS="192.168.150.0"\nNETWORK_MASK="255.255.255.0"\nAR=[TYPE="IP4",IP="192.168.150.100",SIZE="100"]',
  );
  allocateVn(world, ONEADMIN, network, 0);
  const image = allocateImage(
    world,
    ONEADMIN,
    OneTemplate.from({
      NAME: "Alpine Linux 3.21",
      PATH: "https://marketplace.opennebula.io//appliance/alpine-3.21/download/0",
      SIZE: "256",
      DEV_PREFIX: "vd",
      FORMAT: "qcow2",
    }),
    1,
  );
  image.perms = [1, 1, 0, 1, 0, 0, 1, 0, 0];
  imageReady(world, image);

  for (const [name, memory] of [
    ["Alpine Linux 3.21", "512"],
    ["Alpine Linux 3.21 small", "256"],
  ] as const) {
    const t = OneTemplate.parse(
      `NAME="${name}"\nCPU="1"\nVCPU="1"\nMEMORY="${memory}"\nLOGO="images/logos/linux.png"\n` +
        'DISK=[IMAGE_ID="0"]\nNIC=[NETWORK_ID="0"]\nGRAPHICS=[LISTEN="0.0.0.0",TYPE="VNC"]\n' +
        'CONTEXT=[NETWORK="YES",SSH_PUBLIC_KEY="$USER[SSH_PUBLIC_KEY]"]\nOS=[ARCH="x86_64"]',
    );
    allocateTemplate(world, ONEADMIN, t).perms = [1, 1, 0, 1, 0, 0, 1, 0, 0];
  }

  const app = allocateMarketApp(
    world,
    ONEADMIN,
    OneTemplate.from({
      NAME: "Alpine Linux 3.21",
      ORIGIN_ID: "-1",
      DESCRIPTION: "Alpine Linux 3.21 image with contextualization",
      VERSION: "6.10.0-3-20250310",
      SIZE: "256",
      MD5: "7e9dc3b16ae2bbf0b2e8e7c5f0a6b8a1",
      SOURCE: "https://marketplace.opennebula.io//appliance/alpine-3.21/download/0",
      FORMAT: "qcow2",
      PUBLISHER: "OpenNebula Systems",
      LABELS: "OS",
    }),
    0,
  );
  app.uid = 0;
  marketAppReady(world, app);
}

/** Options of seeding the simulator with many VMs (for paging tests): owner, group, states. */
export interface SeedVmsOptions {
  /** Owner (default oneadmin). */
  uid?: number;
  /** Name prefix (default "vm"): VMs are called `<prefix>-<id>`. */
  name?: string;
}

/** `count` RUNNING VMs of template 0's shape, spread over the monitored hosts, each with a disk and a NIC. */
export function seedVms(world: World, count: number, options: SeedVmsOptions = {}): VmObject[] {
  const owner = world.require("user", options.uid ?? 0);
  const caller: Caller = { uid: owner.id, gid: owner.gid, groups: new Set(owner.groups), admin: true };
  const hosts = [...world.pool("host").values()].filter((h) => h.state === 2);
  if (hosts.length === 0) throw new Error("seedVms needs a monitored host");
  const vn = bulkNetwork(world, count);
  const image = world.require("image", 0);
  const ds = systemDatastore(world);
  const out: VmObject[] = [];
  for (let i = 0; i < count; i++) {
    const template = OneTemplate.from({
      TEMPLATE_NAME: options.name ?? "vm",
      CPU: "1",
      VCPU: "1",
      MEMORY: "512",
      DISK: { IMAGE_ID: String(image.id) },
      NIC: { NETWORK_ID: String(vn.id) },
      GRAPHICS: { LISTEN: "0.0.0.0", TYPE: "VNC" },
      LOGO: "images/logos/linux.png",
    });
    const vm = createVm(world, caller, { template, uid: owner.id, gid: owner.gid, hold: false });
    place(world, vm, hosts[i % hosts.length]!, ds);
    out.push(vm);
  }
  image.state = IMAGE_STATE.USED;
  return out;
}

/** A network with room for `count` more leases ("seeded", created on first use). */
function bulkNetwork(world: World, count: number): VnObject {
  const existing = world.findByName("vn", "seeded");
  const free = existing ? existing.ranges.reduce((n, ar) => n + ar.size - ar.leases.size, 0) : 0;
  const size = Math.max(count - free, 0);
  if (existing && size === 0) return existing;
  const base = 0x0a000000 + (existing ? existing.ranges.reduce((n, ar) => n + ar.size, 0) : 0) + 2;
  const ip = [24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join(".");
  if (existing) {
    existing.ranges.push({
      id: existing.ranges.length,
      type: "IP4",
      ip,
      mac: macOf(ip),
      size,
      leases: new Map(),
      extra: new Map(),
    });
    return existing;
  }
  const t = OneTemplate.parse(
    `NAME="seeded"\nVN_MAD="bridge"\nBRIDGE="br1"\nAR=[TYPE="IP4",IP="${ip}",SIZE="${size}"]`,
  );
  return allocateVn(world, ONEADMIN, t, 0);
}

/** Straight to RUNNING, as if the prolog and boot had already happened. */
function place(world: World, vm: VmObject, host: HostObject, dsId: number): void {
  const record = putOnHost(world, vm, host, dsId);
  record.petime = record.rstime = record.stime;
  vm.state = vm.prevState = VM_STATE.ACTIVE;
  vm.lcmState = vm.prevLcmState = LCM_STATE.RUNNING;
  vm.deployId = `one-${vm.id}`;
  vm.lastPoll = record.stime;
}
