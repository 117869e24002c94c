// The objects the simulator keeps, one interface per oned pool, and what oned calls each of them
// in its messages ("virtual machine", "VM" …) and its documents (VM, VM_POOL …).
import type { DocumentId } from "../generated/schema.js";
import type { OneTemplate } from "./template.js";

/** The pools the simulator implements, by their XML-RPC object name (`one.<kind>.info`). */
export type Kind =
  "vm" | "template" | "host" | "image" | "vn" | "user" | "group" | "datastore" | "cluster" | "market" | "marketapp";

export interface KindInfo {
  /** oned's object type in authorization messages (PoolObjectAuth::type_to_str). */
  readonly type: string;
  /** oned's object name in error messages (Request::object_name). */
  readonly noun: string;
  readonly document: DocumentId;
  readonly poolDocument: DocumentId;
  /** The repeated child of the pool document. */
  readonly poolChild: string;
  /** The pool info method, when it takes filter, start and end. */
  readonly filtered: boolean;
  /** oned refuses a second object of that name: for the same owner, or anywhere. */
  readonly uniqueNames: "owner" | "global" | "none";
}

export const KINDS: Readonly<Record<Kind, KindInfo>> = {
  vm: {
    type: "VM",
    noun: "virtual machine",
    document: "VM",
    poolDocument: "VM_POOL",
    poolChild: "VM",
    filtered: true,
    uniqueNames: "none",
  },
  template: {
    type: "TEMPLATE",
    noun: "virtual machine template",
    document: "VMTEMPLATE",
    poolDocument: "VMTEMPLATE_POOL",
    poolChild: "VMTEMPLATE",
    filtered: true,
    uniqueNames: "owner",
  },
  host: {
    type: "HOST",
    noun: "host",
    document: "HOST",
    poolDocument: "HOST_POOL",
    poolChild: "HOST",
    filtered: false,
    uniqueNames: "global",
  },
  image: {
    type: "IMAGE",
    noun: "image",
    document: "IMAGE",
    poolDocument: "IMAGE_POOL",
    poolChild: "IMAGE",
    filtered: true,
    uniqueNames: "owner",
  },
  vn: {
    type: "NET",
    noun: "virtual network",
    document: "VNET",
    poolDocument: "VNET_POOL",
    poolChild: "VNET",
    filtered: true,
    uniqueNames: "owner",
  },
  user: {
    type: "USER",
    noun: "user",
    document: "USER",
    poolDocument: "USER_POOL",
    poolChild: "USER",
    filtered: false,
    uniqueNames: "global",
  },
  group: {
    type: "GROUP",
    noun: "group",
    document: "GROUP",
    poolDocument: "GROUP_POOL",
    poolChild: "GROUP",
    filtered: false,
    uniqueNames: "global",
  },
  datastore: {
    type: "DATASTORE",
    noun: "datastore",
    document: "DATASTORE",
    poolDocument: "DATASTORE_POOL",
    poolChild: "DATASTORE",
    filtered: false,
    uniqueNames: "global",
  },
  cluster: {
    type: "CLUSTER",
    noun: "cluster",
    document: "CLUSTER",
    poolDocument: "CLUSTER_POOL",
    poolChild: "CLUSTER",
    filtered: false,
    uniqueNames: "global",
  },
  market: {
    type: "MARKETPLACE",
    noun: "marketplace",
    document: "MARKETPLACE",
    poolDocument: "MARKETPLACE_POOL",
    poolChild: "MARKETPLACE",
    filtered: false,
    uniqueNames: "global",
  },
  marketapp: {
    type: "MARKETPLACEAPP",
    noun: "marketplaceapp",
    document: "MARKETPLACEAPP",
    poolDocument: "MARKETPLACEAPP_POOL",
    poolChild: "MARKETPLACEAPP",
    filtered: true,
    uniqueNames: "owner",
  },
};

/** owner, group, other × use, manage, admin: oned's 9 permission bits, in that order. */
export type Permissions = [number, number, number, number, number, number, number, number, number];

export interface Lock {
  /** 1 use, 2 manage, 3 admin (oned's ST_USE … ST_ADMIN). */
  level: number;
  owner: number;
  time: number;
  reqId: number;
}

/** What every pool object has. Objects oned shows without owner or permissions still carry them for checks. */
export interface BaseObject {
  readonly kind: Kind;
  readonly id: number;
  name: string;
  uid: number;
  gid: number;
  perms: Permissions;
  lock?: Lock;
  template: OneTemplate;
  regtime: number;
  /** Bumped on every change, so cached bodies know when to be rewritten. */
  version: number;
}

export interface HistoryRecord {
  seq: number;
  hostname: string;
  hid: number;
  cid: number;
  stime: number;
  etime: number;
  vmMad: string;
  tmMad: string;
  dsId: number;
  /** VM_HISTORY_ACTION value of the action that closed this record (0 while open). */
  action: number;
  pstime: number;
  petime: number;
  rstime: number;
  retime: number;
  estime: number;
  eetime: number;
}

export interface DiskSnapshot {
  id: number;
  name: string;
  date: number;
  parent: number;
  size: number;
  active: boolean;
}

/** A virtual machine as the simulator keeps it. */
export interface VmObject extends BaseObject {
  readonly kind: "vm";
  state: number;
  lcmState: number;
  prevState: number;
  prevLcmState: number;
  resched: number;
  stime: number;
  etime: number;
  deployId: string;
  lastPoll: number;
  /** USER_TEMPLATE; `template` holds what oned moves to TEMPLATE (the XSD's names). */
  userTemplate: OneTemplate;
  history: HistoryRecord[];
  /** Disk snapshots by DISK_ID (the VM's SNAPSHOTS elements). */
  diskSnapshots: Map<number, { next: number; snapshots: DiskSnapshot[] }>;
  /** Pending LCM steps, cancelled when another action takes over. */
  timer?: NodeJS.Timeout;
}

export interface HostObject extends BaseObject {
  readonly kind: "host";
  state: number;
  prevState: number;
  imMad: string;
  vmMad: string;
  clusterId: number;
  /** Cores × 100 and KiB, as HOST_SHARE reports them. */
  maxCpu: number;
  maxMem: number;
  vms: Set<number>;
}

export interface ImageObject extends BaseObject {
  readonly kind: "image";
  type: number;
  diskType: number;
  persistent: boolean;
  state: number;
  prevState: number;
  source: string;
  path: string;
  format: string;
  fs: string;
  size: number;
  datastoreId: number;
  vms: Set<number>;
  modtime: number;
}

export interface AddressRange {
  id: number;
  type: string;
  ip?: string;
  mac: string;
  size: number;
  /** Leased addresses by offset in the range: the VM holding each. */
  leases: Map<number, number>;
  extra: Map<string, string>;
}

export interface VnObject extends BaseObject {
  readonly kind: "vn";
  clusters: Set<number>;
  bridge: string;
  vnMad: string;
  phydev: string;
  vlanId: string;
  state: number;
  ranges: AddressRange[];
}

export interface UserObject extends BaseObject {
  readonly kind: "user";
  /** sha256 of the password, as the core driver stores it. */
  password: string;
  authDriver: string;
  enabled: boolean;
  groups: Set<number>;
  tokens: { token: string; expires: number; egid: number }[];
  quota: QuotaLimits;
}

export interface GroupObject extends BaseObject {
  readonly kind: "group";
  admins: Set<number>;
  quota: QuotaLimits;
}

/** VM quota limits set with one.user.quota / one.group.quota; -1 means "the default", -2 unlimited. */
export interface QuotaLimits {
  vm?: { vms: string; cpu: string; memory: string; systemDiskSize: string };
}

export interface DatastoreObject extends BaseObject {
  readonly kind: "datastore";
  dsMad: string;
  tmMad: string;
  type: number;
  diskType: number;
  state: number;
  clusters: Set<number>;
  totalMb: number;
}

export interface ClusterObject extends BaseObject {
  readonly kind: "cluster";
}

export interface MarketObject extends BaseObject {
  readonly kind: "market";
  state: number;
  marketMad: string;
  totalMb: number;
}

export interface MarketAppObject extends BaseObject {
  readonly kind: "marketapp";
  marketId: number;
  originId: string;
  source: string;
  md5: string;
  size: number;
  description: string;
  appVersion: string;
  format: string;
  appTemplate64: string;
  state: number;
  type: number;
}

/** Any object the simulator keeps (VM, host, image, network, user, group, datastore, cluster, marketplace, app, template). */
export type OneObject =
  | VmObject
  | HostObject
  | ImageObject
  | VnObject
  | UserObject
  | GroupObject
  | DatastoreObject
  | ClusterObject
  | MarketObject
  | MarketAppObject
  | TemplateObject;

export interface TemplateObject extends BaseObject {
  readonly kind: "template";
}

/** The simulator's object of one kind ("vm" gives {@link VmObject}). */
export type ObjectOf<K extends Kind> = Extract<OneObject, { kind: K }>;
