// `one.<kind>.allocate`: new objects as oned's pools make them (NAME taken from the template,
// unique per owner or everywhere, oned's default permissions), and the checks oned runs first.
import { IMAGE_STATE, IMAGE_TYPE } from "../generated/constants.js";
import { macOf } from "./docs.js";
import { OneFailure } from "./failure.js";
import {
  KINDS,
  type AddressRange,
  type BaseObject,
  type ClusterObject,
  type DatastoreObject,
  type GroupObject,
  type HostObject,
  type ImageObject,
  type Kind,
  type MarketAppObject,
  type MarketObject,
  type Permissions,
  type TemplateObject,
  type UserObject,
  type VnObject,
} from "./objects.js";
import { OneTemplate } from "./template.js";
import { OP, USERS_GROUP, hashPassword, type Caller, type World } from "./world.js";

const INVALID_NAME = /[&|:\\";/'#{}$<>\t\n\v\f\r]/;
const INVALID_USER_NAME = /[ :\t\n\v\f\r]/;

/** oned's name_is_valid; the failure's code is the caller's (ALLOCATE when creating, ACTION when renaming). */
export function checkName(kind: Kind, name: string, code: "ALLOCATE" | "ACTION"): void {
  if (!name) throw new OneFailure(code, "Invalid NAME, it cannot be empty");
  const bad = (kind === "user" ? INVALID_USER_NAME : INVALID_NAME).exec(name);
  if (bad) throw new OneFailure(code, `Invalid NAME, char '${bad[0]}' is not allowed`);
  if (name.length > 128) throw new OneFailure(code, "Invalid NAME, max length is 128 chars");
}

/** The id of the object already called `name` where oned wants names unique. */
export function nameTaken(world: World, kind: Kind, name: string, uid: number): number | undefined {
  const scope = KINDS[kind].uniqueNames;
  if (scope === "none") return undefined;
  return world.findByName(kind, name, scope === "owner" ? uid : undefined)?.id;
}

function checkNew(world: World, kind: Kind, name: string, uid: number): void {
  checkName(kind, name, "ALLOCATE");
  const taken = nameTaken(world, kind, name, uid);
  if (taken === undefined) return;
  // MarketPlacePool and MarketPlaceAppPool end their message without a full stop.
  const stop = kind === "market" || kind === "marketapp" ? "" : ".";
  throw new OneFailure("ALLOCATE", `NAME is already taken by ${KINDS[kind].type} ${taken}${stop}`);
}

/** The template's NAME, removed from it as oned does. */
function takeName(template: OneTemplate): string {
  const name = template.get("NAME") ?? "";
  template.erase("NAME");
  return name;
}

const OWNER_ONLY: Permissions = [1, 1, 0, 0, 0, 0, 0, 0, 0];
const GROUP_USE: Permissions = [1, 1, 0, 1, 0, 0, 0, 0, 0];
const ALL_USE: Permissions = [1, 1, 0, 1, 0, 0, 1, 0, 0];

function base<K extends Kind>(
  world: World,
  kind: K,
  name: string,
  owner: { uid: number; gid: number },
  template: OneTemplate,
  perms: Permissions = OWNER_ONLY,
): BaseObject & { kind: K } {
  return {
    kind,
    id: world.nextId(kind),
    name,
    uid: owner.uid,
    gid: owner.gid,
    perms: [...perms],
    template,
    regtime: world.now(),
    version: 0,
  };
}

const clusterIdOr = (world: World, id: number): number => (id < 0 ? 0 : world.require("cluster", id).id);

export function allocateTemplate(world: World, caller: Caller, template: OneTemplate): TemplateObject {
  world.authorizeCreate(caller, "template");
  const name = takeName(template);
  checkNew(world, "template", name, caller.uid);
  return world.add({ ...base(world, "template", name, caller, template) });
}

export function allocateHost(
  world: World,
  caller: Caller,
  name: string,
  imMad: string,
  vmMad: string,
  clusterId: number,
): HostObject {
  if (!caller.admin) throw new OneFailure("AUTHORIZATION", "Not authorized to perform CREATE HOST");
  checkNew(world, "host", name, caller.uid);
  const cluster = clusterIdOr(world, clusterId);
  const template = OneTemplate.from({
    ARCH: "x86_64",
    CPUSPEED: "2400",
    HOSTNAME: name,
    HYPERVISOR: vmMad,
    IM_MAD: imMad,
    MODELNAME: "Intel(R) Xeon(R) Silver 4214 CPU @ 2.20GHz",
    RESERVED_CPU: "",
    RESERVED_MEM: "",
    VM_MAD: vmMad,
  });
  return world.add({
    ...base(world, "host", name, { uid: 0, gid: 0 }, template),
    state: 0,
    prevState: 0,
    imMad,
    vmMad,
    clusterId: cluster,
    maxCpu: 800,
    maxMem: 16 * 1024 * 1024,
    vms: new Set<number>(),
  });
}

/** Host monitoring: a new host is INIT until the first probe answers, then MONITORED. */
export function monitorHost(world: World, host: HostObject): void {
  if (host.state !== 0) return;
  host.prevState = host.state;
  host.state = 2;
  world.touch(host);
}

export function allocateImage(world: World, caller: Caller, template: OneTemplate, datastoreId: number): ImageObject {
  world.authorizeCreate(caller, "image");
  const ds = world.require("datastore", datastoreId);
  world.authorize(caller, ds, OP.USE);
  if (ds.type !== 0)
    throw new OneFailure("ACTION", `New images can only be allocated in an image datastore; ${ds.name} is not`);
  const name = takeName(template);
  checkNew(world, "image", name, caller.uid);
  const typeName = (template.get("TYPE") ?? "OS").toUpperCase();
  const type = (IMAGE_TYPE as Readonly<Record<string, number>>)[typeName];
  if (type === undefined) throw new OneFailure("ALLOCATE", `Unknown Image type ${typeName}`);
  const path = template.get("PATH") ?? "";
  const size = Number(template.get("SIZE") ?? (path ? 256 : NaN));
  if (!path && !template.get("SOURCE") && !(size > 0)) {
    throw new OneFailure("ALLOCATE", "No PATH nor SOURCE in template, and no SIZE for an empty image");
  }
  const image: ImageObject = {
    ...base(world, "image", name, caller, template),
    type,
    diskType: 0,
    persistent: (template.get("PERSISTENT") ?? "NO").toUpperCase() === "YES",
    state: IMAGE_STATE.LOCKED,
    prevState: IMAGE_STATE.INIT,
    source: "",
    path,
    format: template.get("FORMAT") ?? (type === IMAGE_TYPE.DATABLOCK ? "raw" : "qcow2"),
    fs: template.get("FS") ?? "",
    size,
    datastoreId: ds.id,
    vms: new Set(),
    modtime: world.now(),
  };
  image.source = `/var/lib/one//datastores/${ds.id}/${image.id.toString(16).padStart(32, "0")}`;
  world.touch(ds);
  return world.add(image);
}

/** The datastore driver copied the image in: LOCKED becomes READY. */
export function imageReady(world: World, image: ImageObject): void {
  if (image.state !== IMAGE_STATE.LOCKED) return;
  image.prevState = image.state;
  image.state = IMAGE_STATE.READY;
  world.touch(image);
}

/** AR=[TYPE="IP4", IP="…", SIZE="…"] (or ETHER with MAC) of a network template. */
function addressRanges(template: OneTemplate): AddressRange[] {
  const ranges = template.vectors("AR").map((ar, id): AddressRange => {
    const type = (ar.get("TYPE") ?? "").toUpperCase();
    const size = Number(ar.get("SIZE"));
    if (!["IP4", "ETHER", "IP4_6", "IP6"].includes(type))
      throw new OneFailure("ALLOCATE", `Unknown or missing TYPE in AR ${id}`);
    if (!(Number.isInteger(size) && size > 0))
      throw new OneFailure("ALLOCATE", "SIZE is mandatory and must be a positive integer");
    const ip = ar.get("IP");
    if (type.startsWith("IP4") && !ip) throw new OneFailure("ALLOCATE", "Missing IP in AR");
    const extra = new Map([...ar].filter(([k]) => !["TYPE", "SIZE", "IP", "MAC"].includes(k)));
    const mac = ar.get("MAC") ?? (ip ? macOf(ip) : "02:00:00:00:00:01");
    return { id, type, ip, mac, size, leases: new Map(), extra };
  });
  template.erase("AR");
  return ranges;
}

export function allocateVn(world: World, caller: Caller, template: OneTemplate, clusterId: number): VnObject {
  if (!caller.admin) throw new OneFailure("AUTHORIZATION", "Not authorized to perform CREATE NET");
  const name = takeName(template);
  checkNew(world, "vn", name, caller.uid);
  const vnMad = template.get("VN_MAD");
  if (!vnMad) throw new OneFailure("ALLOCATE", "No VN_MAD in template");
  const ranges = addressRanges(template);
  const vn: VnObject = {
    ...base(world, "vn", name, caller, template, GROUP_USE),
    clusters: new Set([clusterIdOr(world, clusterId)]),
    bridge: template.get("BRIDGE") ?? "",
    vnMad,
    phydev: template.get("PHYDEV") ?? "",
    vlanId: template.get("VLAN_ID") ?? "",
    state: 1,
    ranges,
  };
  if (!vn.bridge) vn.bridge = `onebr${vn.id}`;
  return world.add(vn);
}

export function allocateUser(
  world: World,
  caller: Caller,
  name: string,
  password: string,
  authDriver: string,
  groupIds: readonly number[],
): UserObject {
  if (!caller.admin) throw new OneFailure("AUTHORIZATION", "Not authorized to perform CREATE USER");
  checkNew(world, "user", name, caller.uid);
  if (!password) throw new OneFailure("ALLOCATE", "Invalid password, it cannot be empty");
  const groups = groupIds.length > 0 ? groupIds.map((g) => world.require("group", g).id) : [USERS_GROUP];
  const gid = groups[0]!;
  const id = world.nextId("user");
  return world.add({
    kind: "user",
    id,
    name,
    uid: id,
    gid,
    perms: [...OWNER_ONLY],
    template: new OneTemplate(),
    regtime: world.now(),
    version: 0,
    password: hashPassword(password),
    authDriver: authDriver || "core",
    enabled: true,
    groups: new Set(groups),
    tokens: [],
    quota: {},
  });
}

export function allocateGroup(world: World, caller: Caller, name: string): GroupObject {
  if (!caller.admin) throw new OneFailure("AUTHORIZATION", "Not authorized to perform CREATE GROUP");
  checkNew(world, "group", name, caller.uid);
  const id = world.nextId("group");
  return world.add({
    kind: "group",
    id,
    name,
    uid: 0,
    gid: id,
    perms: [...GROUP_USE],
    template: new OneTemplate(),
    regtime: world.now(),
    version: 0,
    admins: new Set(),
    quota: {},
  });
}

const DATASTORE_TYPES: Readonly<Record<string, number>> = { IMAGE_DS: 0, SYSTEM_DS: 1, FILE_DS: 2, BACKUP_DS: 3 };

export function allocateDatastore(
  world: World,
  caller: Caller,
  template: OneTemplate,
  clusterId: number,
): DatastoreObject {
  if (!caller.admin) throw new OneFailure("AUTHORIZATION", "Not authorized to perform CREATE DATASTORE");
  const name = takeName(template);
  checkNew(world, "datastore", name, caller.uid);
  const type = DATASTORE_TYPES[(template.get("TYPE") ?? "IMAGE_DS").toUpperCase()];
  if (type === undefined) throw new OneFailure("ALLOCATE", "Invalid datastore TYPE");
  const dsMad = template.get("DS_MAD") ?? (type === 1 ? "-" : "");
  const tmMad = template.get("TM_MAD");
  if (!dsMad) throw new OneFailure("ALLOCATE", "No DS_MAD in template.");
  if (!tmMad) throw new OneFailure("ALLOCATE", "No TM_MAD in template.");
  return world.add({
    ...base(world, "datastore", name, caller, template, GROUP_USE),
    dsMad,
    tmMad,
    type,
    diskType: 0,
    state: 0,
    clusters: new Set([clusterIdOr(world, clusterId)]),
    totalMb: 102400,
  });
}

export function allocateCluster(world: World, caller: Caller, name: string): ClusterObject {
  if (!caller.admin) throw new OneFailure("AUTHORIZATION", "Not authorized to perform CREATE CLUSTER");
  checkNew(world, "cluster", name, caller.uid);
  const template = OneTemplate.from({ RESERVED_CPU: "", RESERVED_MEM: "" });
  return world.add({ ...base(world, "cluster", name, { uid: 0, gid: 0 }, template) });
}

export function allocateMarket(world: World, caller: Caller, template: OneTemplate): MarketObject {
  if (!caller.admin) throw new OneFailure("AUTHORIZATION", "Not authorized to perform CREATE MARKETPLACE");
  const name = takeName(template);
  checkNew(world, "market", name, caller.uid);
  const marketMad = template.get("MARKET_MAD");
  if (!marketMad) throw new OneFailure("ALLOCATE", "No MARKET_MAD in template");
  return world.add({ ...base(world, "market", name, caller, template, ALL_USE), state: 0, marketMad, totalMb: 0 });
}

export function allocateMarketApp(
  world: World,
  caller: Caller,
  template: OneTemplate,
  marketId: number,
): MarketAppObject {
  const market = world.require("market", marketId);
  world.authorize(caller, market, OP.MANAGE);
  const name = takeName(template);
  checkNew(world, "marketapp", name, caller.uid);
  const originId = template.get("ORIGIN_ID") ?? "-1";
  const image = world.get("image", Number(originId));
  return world.add({
    ...base(world, "marketapp", name, caller, template),
    marketId: market.id,
    originId,
    source: template.get("SOURCE") ?? "",
    md5: template.get("MD5") ?? "",
    size: Number(template.get("SIZE") ?? image?.size ?? 0) || 0,
    description: template.get("DESCRIPTION") ?? "",
    appVersion: template.get("VERSION") ?? "0.0",
    format: template.get("FORMAT") ?? image?.format ?? "qcow2",
    appTemplate64: template.get("APPTEMPLATE64") ?? "",
    state: 2,
    type: 1,
  });
}

/** The app was uploaded: LOCKED (2) becomes READY (1). */
export function marketAppReady(world: World, app: MarketAppObject): void {
  if (app.state !== 2) return;
  app.state = 1;
  world.touch(app);
}
