// Each object as oned shows it: `info` bodies (VirtualMachine::to_xml …) and the shorter bodies
// of pool answers (to_xml_short), as DocObjects that document.ts writes in the XSD's order.
import { VM_STATE } from "../generated/constants.js";
import { RawXml, writeChild, writeDocument, type DocObject } from "./document.js";
import { KINDS } from "./objects.js";
import type {
  BaseObject,
  DatastoreObject,
  GroupObject,
  HistoryRecord,
  HostObject,
  ImageObject,
  Kind,
  MarketAppObject,
  MarketObject,
  OneObject,
  QuotaLimits,
  UserObject,
  VmObject,
  VnObject,
} from "./objects.js";
import { OneTemplate } from "./template.js";
import type { World } from "./world.js";

const ids = (values: Iterable<number>): DocObject => ({ ID: [...values].sort((a, b) => a - b) });

function permissions(o: BaseObject): DocObject {
  const [ou, om, oa, gu, gm, ga, tu, tm, ta] = o.perms;
  return {
    OWNER_U: ou,
    OWNER_M: om,
    OWNER_A: oa,
    GROUP_U: gu,
    GROUP_M: gm,
    GROUP_A: ga,
    OTHER_U: tu,
    OTHER_M: tm,
    OTHER_A: ta,
  };
}

function lock(o: BaseObject): DocObject | undefined {
  if (!o.lock) return undefined;
  return { LOCKED: o.lock.level, OWNER: o.lock.owner, TIME: o.lock.time, REQ_ID: o.lock.reqId };
}

function owner(world: World, o: BaseObject): DocObject {
  return {
    ID: o.id,
    UID: o.uid,
    GID: o.gid,
    UNAME: world.userName(o.uid),
    GNAME: world.groupName(o.gid),
    NAME: o.name,
  };
}

// ---------------------------------------------------------------------------------------------------
// Virtual machines

const num = (template: OneTemplate, name: string): number => Number(template.get(name) ?? 0) || 0;

function history(h: HistoryRecord, vm: VmObject, short: boolean): DocObject {
  const base = {
    OID: vm.id,
    SEQ: h.seq,
    HOSTNAME: h.hostname,
    HID: h.hid,
    CID: h.cid,
    DS_ID: h.dsId,
    VM_MAD: h.vmMad,
    TM_MAD: h.tmMad,
    ACTION: h.action,
  };
  if (short) return base;
  return {
    ...base,
    STIME: h.stime,
    ETIME: h.etime,
    PLAN_ID: -1,
    ACTION_ID: -1,
    PSTIME: h.pstime,
    PETIME: h.petime,
    RSTIME: h.rstime,
    RETIME: h.retime,
    ESTIME: h.estime,
    EETIME: h.eetime,
    UID: vm.uid,
    GID: vm.gid,
    REQUEST_ID: "-1",
  };
}

const running = (vm: VmObject) => vm.state === VM_STATE.ACTIVE;

function vmMonitoring(vm: VmObject): DocObject {
  if (!running(vm)) return {};
  return {
    CPU: (num(vm.template, "CPU") * 0.1).toFixed(2),
    ID: vm.id,
    MEMORY: Math.round(num(vm.template, "MEMORY") * 1024 * 0.8),
    TIMESTAMP: vm.lastPoll,
  };
}

function vmSnapshots(vm: VmObject): DocObject[] | undefined {
  const out: DocObject[] = [];
  for (const [diskId, { next, snapshots }] of [...vm.diskSnapshots].sort((a, b) => a[0] - b[0])) {
    if (snapshots.length === 0) continue;
    out.push({
      ALLOW_ORPHANS: "FORMAT",
      CURRENT_BASE: snapshots.find((s) => s.active)?.id ?? -1,
      DISK_ID: diskId,
      NEXT_SNAPSHOT: next,
      SNAPSHOT: snapshots.map((s) => ({
        ACTIVE: s.active ? "YES" : undefined,
        DATE: s.date,
        ID: s.id,
        NAME: s.name,
        PARENT: s.parent,
        SIZE: s.size,
      })),
    });
  }
  return out.length > 0 ? out : undefined;
}

function vmDocument(world: World, vm: VmObject): DocObject {
  return {
    ...owner(world, vm),
    PERMISSIONS: permissions(vm),
    LAST_POLL: vm.lastPoll,
    STATE: vm.state,
    LCM_STATE: vm.lcmState,
    PREV_STATE: vm.prevState,
    PREV_LCM_STATE: vm.prevLcmState,
    RESCHED: vm.resched,
    STIME: vm.stime,
    ETIME: vm.etime,
    DEPLOY_ID: vm.deployId,
    LOCK: lock(vm),
    MONITORING: vmMonitoring(vm),
    SCHED_ACTIONS: ids(vm.template.vectors("SCHED_ACTION").map((action) => Number(action.get("ID")))),
    TEMPLATE: vm.template,
    USER_TEMPLATE: vm.userTemplate,
    HISTORY_RECORDS: { HISTORY: vm.history.map((h) => history(h, vm, false)) },
    SNAPSHOTS: vmSnapshots(vm),
    BACKUPS: { BACKUP_CONFIG: {}, BACKUP_IDS: ids([]) },
  };
}

const SHORT_DISK = [
  "DISK_ID",
  "DATASTORE",
  "DATASTORE_ID",
  "IMAGE",
  "IMAGE_ID",
  "SIZE",
  "TYPE",
  "CLONE",
  "CLONE_TARGET",
  "LN_TARGET",
  "DISK_SNAPSHOT_TOTAL_SIZE",
];
const SHORT_NIC = ["IP", "IP6", "IP6_ULA", "IP6_GLOBAL", "MAC", "NETWORK", "NETWORK_ID", "NIC_ID", "SECURITY_GROUPS"];
const SHORT_USER_TEMPLATE = new Set([
  "LABELS",
  "ERROR",
  "SCHED_MESSAGE",
  "SCHED_RANK",
  "SCHED_DS_RANK",
  "SCHED_REQUIREMENTS",
  "SCHED_DS_REQUIREMENTS",
  "USER_PRIORITY",
  "SCHED_ACTION",
]);

function subset(vector: Map<string, string>, keys: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const k of keys) {
    const v = vector.get(k);
    if (v !== undefined) out.set(k, v);
  }
  return out;
}

/** The short body of vmpool.info (VirtualMachine::to_xml_short). */
function vmShortDocument(world: World, vm: VmObject): DocObject {
  const t = new OneTemplate();
  for (const name of ["CPU", "MEMORY", "VCPU"]) t.add(name, vm.template.get(name) ?? "");
  for (const disk of vm.template.vectors("DISK")) t.add("DISK", subset(disk, SHORT_DISK));
  for (const nic of vm.template.vectors("NIC")) t.add("NIC", subset(nic, SHORT_NIC));
  for (const graphics of vm.template.vectors("GRAPHICS")) t.add("GRAPHICS", graphics);
  const user = new OneTemplate(vm.userTemplate.attributes.filter((a) => SHORT_USER_TEMPLATE.has(a.name)));
  const last = vm.history[vm.history.length - 1];
  const monitoring = vmMonitoring(vm);
  return {
    ...owner(world, vm),
    LAST_POLL: vm.lastPoll,
    STATE: vm.state,
    LCM_STATE: vm.lcmState,
    RESCHED: vm.resched,
    STIME: vm.stime,
    ETIME: vm.etime,
    DEPLOY_ID: vm.deployId,
    TEMPLATE: t,
    MONITORING: running(vm) ? { CPU: monitoring["CPU"], MEMORY: monitoring["MEMORY"] } : {},
    USER_TEMPLATE: user,
    HISTORY_RECORDS: { HISTORY: last ? [history(last, vm, true)] : [] },
  };
}

// ---------------------------------------------------------------------------------------------------
// Hosts, images, networks, datastores, clusters, marketplaces, users and groups

function vmsOn(world: World, host: HostObject): VmObject[] {
  return [...host.vms].map((id) => world.get("vm", id)).filter((vm): vm is VmObject => vm !== undefined);
}

function hostDocument(world: World, host: HostObject): DocObject {
  const vms = vmsOn(world, host);
  const memUsage = vms.reduce((sum, vm) => sum + num(vm.template, "MEMORY") * 1024, 0);
  const cpuUsage = vms.reduce((sum, vm) => sum + num(vm.template, "CPU") * 100, 0);
  const monitored = host.state !== 0;
  return {
    ID: host.id,
    NAME: host.name,
    STATE: host.state,
    PREV_STATE: host.prevState,
    IM_MAD: host.imMad,
    VM_MAD: host.vmMad,
    CLUSTER_ID: host.clusterId,
    CLUSTER: world.get("cluster", host.clusterId)?.name ?? "",
    HOST_SHARE: {
      MEM_USAGE: Math.round(memUsage),
      CPU_USAGE: Math.round(cpuUsage),
      TOTAL_MEM: host.maxMem,
      TOTAL_CPU: host.maxCpu,
      MAX_MEM: host.maxMem,
      MAX_CPU: host.maxCpu,
      RUNNING_VMS: vms.length,
      VMS_THREAD: 1,
      DATASTORES: { DISK_USAGE: 0, DS: [], FREE_DISK: 0, MAX_DISK: 0, USED_DISK: 0 },
      PCI_DEVICES: { PCI: [] },
      NUMA_NODES: { NODE: [] },
    },
    VMS: ids(host.vms),
    TEMPLATE: host.template,
    MONITORING: monitored
      ? {
          TIMESTAMP: world.now(),
          ID: host.id,
          CAPACITY: {
            FREE_CPU: Math.max(0, host.maxCpu - Math.round(cpuUsage / 4)),
            FREE_MEMORY: Math.max(0, host.maxMem - Math.round(memUsage)),
            USED_CPU: Math.round(cpuUsage / 4),
            USED_MEMORY: Math.round(memUsage),
          },
          SYSTEM: { NETRX: 0, NETTX: 0 },
        }
      : {},
  };
}

function imageDocument(world: World, image: ImageObject): DocObject {
  return {
    ...owner(world, image),
    LOCK: lock(image),
    PERMISSIONS: permissions(image),
    TYPE: image.type,
    DISK_TYPE: image.diskType,
    PERSISTENT: image.persistent ? 1 : 0,
    REGTIME: image.regtime,
    MODTIME: image.modtime,
    SOURCE: image.source,
    PATH: image.path,
    FORMAT: image.format,
    FS: image.fs,
    SIZE: image.size,
    STATE: image.state,
    PREV_STATE: image.prevState,
    RUNNING_VMS: image.vms.size,
    CLONING_OPS: 0,
    CLONING_ID: -1,
    TARGET_SNAPSHOT: -1,
    DATASTORE_ID: image.datastoreId,
    DATASTORE: world.get("datastore", image.datastoreId)?.name ?? "",
    VMS: ids(image.vms),
    CLONES: ids([]),
    APP_CLONES: ids([]),
    TEMPLATE: image.template,
    SNAPSHOTS: { ALLOW_ORPHANS: "NO", CURRENT_BASE: -1, NEXT_SNAPSHOT: "0", SNAPSHOT: [] },
    BACKUP_INCREMENTS: { INCREMENT: [] },
  };
}

/** `02:00:` followed by the IPv4 address in hex: oned's MAC for an IP4 range without MAC. */
export function macOf(ip: string): string {
  return `02:00:${ip
    .split(".")
    .map((n) => Number(n).toString(16).padStart(2, "0"))
    .join(":")}`;
}

export function addIp(ip: string, offset: number): string {
  const n = ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0) + offset;
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

function addMac(mac: string, offset: number): string {
  const n = parseInt(mac.replace(/:/g, ""), 16) + offset;
  return (n.toString(16).padStart(12, "0").match(/../g) ?? []).join(":");
}

function vnDocument(world: World, vn: VnObject, short: boolean): DocObject {
  const used = vn.ranges.reduce((sum, ar) => sum + ar.leases.size, 0);
  return {
    ...owner(world, vn),
    LOCK: short ? undefined : lock(vn),
    PERMISSIONS: permissions(vn),
    CLUSTERS: ids(vn.clusters),
    BRIDGE: vn.bridge,
    BRIDGE_TYPE: "linux",
    STATE: vn.state,
    PREV_STATE: 0,
    PARENT_NETWORK_ID: "",
    VN_MAD: vn.vnMad,
    PHYDEV: vn.phydev,
    VLAN_ID: vn.vlanId,
    OUTER_VLAN_ID: "",
    VLAN_ID_AUTOMATIC: "0",
    OUTER_VLAN_ID_AUTOMATIC: "0",
    USED_LEASES: used,
    VROUTERS: ids([]),
    UPDATED_VMS: ids([]),
    OUTDATED_VMS: ids([]),
    UPDATING_VMS: ids([]),
    ERROR_VMS: ids([]),
    TEMPLATE: vn.template,
    AR_POOL: {
      AR: vn.ranges.map((ar) => {
        const base: Record<string, string | number | DocObject> = {
          AR_ID: String(ar.id),
          MAC: ar.mac,
          SIZE: ar.size,
          TYPE: ar.type,
        };
        if (ar.ip) base["IP"] = ar.ip;
        if (short) return base;
        const leases = [...ar.leases].sort((a, b) => a[0] - b[0]);
        return {
          ...base,
          MAC_END: addMac(ar.mac, ar.size - 1),
          IP_END: ar.ip ? addIp(ar.ip, ar.size - 1) : undefined,
          USED_LEASES: String(ar.leases.size),
          LEASES: {
            LEASE: leases.map(([offset, vmId]) => ({
              IP: ar.ip ? addIp(ar.ip, offset) : undefined,
              MAC: addMac(ar.mac, offset),
              VM: vmId,
            })),
          },
        };
      }),
    },
  };
}

function datastoreDocument(world: World, ds: DatastoreObject): DocObject {
  const images = [...world.pool("image").values()].filter((i) => i.datastoreId === ds.id);
  const usedMb = images.reduce((sum, i) => sum + i.size, 0);
  return {
    ...owner(world, ds),
    PERMISSIONS: permissions(ds),
    DS_MAD: ds.dsMad,
    TM_MAD: ds.tmMad,
    BASE_PATH: `/var/lib/one//datastores/${ds.id}`,
    TYPE: ds.type,
    DISK_TYPE: ds.diskType,
    STATE: ds.state,
    CLUSTERS: ids(ds.clusters),
    TOTAL_MB: ds.totalMb,
    FREE_MB: Math.max(0, ds.totalMb - usedMb),
    USED_MB: usedMb,
    IMAGES: ids(images.map((i) => i.id)),
    TEMPLATE: ds.template,
  };
}

function clusterDocument(world: World, cluster: OneObject): DocObject {
  const hosts = [...world.pool("host").values()].filter((h) => h.clusterId === cluster.id);
  const datastores = [...world.pool("datastore").values()].filter((d) => d.clusters.has(cluster.id));
  const vnets = [...world.pool("vn").values()].filter((v) => v.clusters.has(cluster.id));
  return {
    ID: cluster.id,
    NAME: cluster.name,
    HOSTS: ids(hosts.map((h) => h.id)),
    DATASTORES: ids(datastores.map((d) => d.id)),
    VNETS: ids(vnets.map((v) => v.id)),
    TEMPLATE: cluster.template,
  };
}

function marketDocument(world: World, market: MarketObject): DocObject {
  const apps = [...world.pool("marketapp").values()].filter((a) => a.marketId === market.id);
  // A marketplace of no declared size (TOTAL_MB 0, as the public ones) reports no usage either.
  const usedMb = market.totalMb > 0 ? apps.reduce((sum, a) => sum + a.size, 0) : 0;
  return {
    ...owner(world, market),
    STATE: market.state,
    MARKET_MAD: market.marketMad,
    ZONE_ID: "0",
    TOTAL_MB: market.totalMb,
    FREE_MB: Math.max(0, market.totalMb - usedMb),
    USED_MB: usedMb,
    MARKETPLACEAPPS: ids(apps.map((a) => a.id)),
    PERMISSIONS: permissions(market),
    TEMPLATE: market.template,
  };
}

function marketAppDocument(world: World, app: MarketAppObject): DocObject {
  return {
    ...owner(world, app),
    LOCK: lock(app),
    REGTIME: app.regtime,
    ZONE_ID: "0",
    ORIGIN_ID: app.originId,
    SOURCE: app.source,
    MD5: app.md5,
    SIZE: app.size,
    DESCRIPTION: app.description,
    VERSION: app.appVersion,
    FORMAT: app.format,
    APPTEMPLATE64: app.appTemplate64,
    MARKETPLACE_ID: app.marketId,
    MARKETPLACE: world.get("market", app.marketId)?.name ?? "",
    STATE: app.state,
    TYPE: app.type,
    PERMISSIONS: permissions(app),
    TEMPLATE: app.template,
  };
}

/** VM quota usage of a user's (or a group's) live VMs, with its limits (-1: the default). */
function vmQuota(world: World, limits: QuotaLimits, owns: (vm: VmObject) => boolean): DocObject {
  const vms = [...world.pool("vm").values()].filter((vm) => vm.state !== VM_STATE.DONE && owns(vm));
  if (vms.length === 0 && !limits.vm) return {};
  const active = vms.filter(running);
  const sum = (list: VmObject[], name: string) => String(list.reduce((s, vm) => s + num(vm.template, name), 0));
  const l = limits.vm ?? { vms: "-1", cpu: "-1", memory: "-1", systemDiskSize: "-1" };
  return {
    VM: [
      {
        CPU: l.cpu,
        CPU_USED: sum(vms, "CPU"),
        MEMORY: l.memory,
        MEMORY_USED: sum(vms, "MEMORY"),
        RUNNING_CPU: "-1",
        RUNNING_CPU_USED: sum(active, "CPU"),
        RUNNING_MEMORY: "-1",
        RUNNING_MEMORY_USED: sum(active, "MEMORY"),
        RUNNING_VMS: "-1",
        RUNNING_VMS_USED: String(active.length),
        SYSTEM_DISK_SIZE: l.systemDiskSize,
        SYSTEM_DISK_SIZE_USED: "0",
        VMS: l.vms,
        VMS_USED: String(vms.length),
      },
    ],
  };
}

function quotas(world: World, limits: QuotaLimits, owns: (vm: VmObject) => boolean): DocObject {
  return { DATASTORE_QUOTA: {}, NETWORK_QUOTA: {}, VM_QUOTA: vmQuota(world, limits, owns), IMAGE_QUOTA: {} };
}

const DEFAULT_VM_QUOTA = {
  CPU: "-1",
  CPU_USED: "0",
  MEMORY: "-1",
  MEMORY_USED: "0",
  RUNNING_CPU: "-1",
  RUNNING_CPU_USED: "0",
  RUNNING_MEMORY: "-1",
  RUNNING_MEMORY_USED: "0",
  RUNNING_VMS: "-1",
  RUNNING_VMS_USED: "0",
  SYSTEM_DISK_SIZE: "-1",
  SYSTEM_DISK_SIZE_USED: "0",
  VMS: "-1",
  VMS_USED: "0",
};
const DEFAULT_QUOTAS: DocObject = {
  DATASTORE_QUOTA: {},
  NETWORK_QUOTA: {},
  VM_QUOTA: { VM: DEFAULT_VM_QUOTA },
  IMAGE_QUOTA: {},
};

function userDocument(world: World, user: UserObject, withQuotas: boolean): DocObject {
  const doc: DocObject = {
    ID: user.id,
    GID: user.gid,
    GROUPS: ids(user.groups),
    GNAME: world.groupName(user.gid),
    NAME: user.name,
    PASSWORD: user.password,
    AUTH_DRIVER: user.authDriver,
    ENABLED: user.enabled ? 1 : 0,
    LOGIN_TOKEN: user.tokens.map((t) => ({ TOKEN: t.token, EXPIRATION_TIME: t.expires, EGID: t.egid })),
    TEMPLATE: user.template,
  };
  if (!withQuotas) return doc;
  return { ...doc, ...quotas(world, user.quota, (vm) => vm.uid === user.id), DEFAULT_USER_QUOTAS: DEFAULT_QUOTAS };
}

function groupDocument(world: World, group: GroupObject, withQuotas: boolean): DocObject {
  const users = [...world.pool("user").values()].filter((u) => u.groups.has(group.id)).map((u) => u.id);
  const doc: DocObject = {
    ID: group.id,
    NAME: group.name,
    TEMPLATE: group.template,
    USERS: ids(users),
    ADMINS: ids(group.admins),
  };
  if (!withQuotas) return doc;
  return { ...doc, ...quotas(world, group.quota, (vm) => vm.gid === group.id), DEFAULT_GROUP_QUOTAS: DEFAULT_QUOTAS };
}

function templateDocument(world: World, o: BaseObject): DocObject {
  return { ...owner(world, o), LOCK: lock(o), PERMISSIONS: permissions(o), REGTIME: o.regtime, TEMPLATE: o.template };
}

/** The body of `one.<kind>.info` (`short`: as a pool answer shows it). */
function content(world: World, o: OneObject, short: boolean): DocObject {
  switch (o.kind) {
    case "vm":
      return short ? vmShortDocument(world, o) : vmDocument(world, o);
    case "template":
      return templateDocument(world, o);
    case "host":
      return hostDocument(world, o);
    case "image":
      return imageDocument(world, o);
    case "vn":
      return vnDocument(world, o, short);
    case "user":
      return userDocument(world, o, !short);
    case "group":
      return groupDocument(world, o, !short);
    case "datastore":
      return datastoreDocument(world, o);
    case "cluster":
      return clusterDocument(world, o);
    case "market":
      return marketDocument(world, o);
    case "marketapp":
      return marketAppDocument(world, o);
  }
}

/** `one.<kind>.info`'s XML. */
export function infoXml(world: World, o: OneObject): string {
  return writeDocument(KINDS[o.kind].document, content(world, o, false));
}

// A pool of 10,000 VMs is mostly unchanged between two answers: each body is kept until its object changes.
const cache = new WeakMap<OneObject, { version: number; key: string; xml: string }>();

function cachedChild(world: World, o: OneObject, id: "VM_POOL" | "VM_POOL_EXTENDED", short: boolean): RawXml {
  const hit = cache.get(o);
  if (hit && hit.version === o.version && hit.key === id) return new RawXml(hit.xml);
  const xml = writeChild(id, "VM", content(world, o, short));
  cache.set(o, { version: o.version, key: id, xml });
  return new RawXml(xml);
}

/** A pool answer's XML for `objects` (already filtered and paged). `extended`: vmpool.infoextended. */
export function poolXml(world: World, kind: Kind, objects: readonly OneObject[], extended = false): string {
  const info = KINDS[kind];
  if (kind === "vm") {
    const id = extended ? "VM_POOL_EXTENDED" : "VM_POOL";
    return writeDocument(id, { VM: objects.map((o) => cachedChild(world, o, id, !extended)) });
  }
  const children = objects.map((o) => content(world, o, true));
  if (kind === "user" || kind === "group") {
    const limits = objects as readonly (UserObject | GroupObject)[];
    const quotaList = limits.map((o) => ({
      ID: o.id,
      ...quotas(world, o.quota, (vm) => (kind === "user" ? vm.uid : vm.gid) === o.id),
    }));
    const defaults = kind === "user" ? "DEFAULT_USER_QUOTAS" : "DEFAULT_GROUP_QUOTAS";
    return writeDocument(info.poolDocument, {
      [info.poolChild]: children,
      QUOTAS: quotaList,
      [defaults]: DEFAULT_QUOTAS,
    });
  }
  return writeDocument(info.poolDocument, { [info.poolChild]: children });
}
