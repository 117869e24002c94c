// The methods oned answers, checked as oned checks them: the method must exist and each parameter
// have the generated table's type (an XML-RPC fault otherwise, as xmlrpc-c sends), the session must
// authenticate, then each method authorizes, looks the object up, checks its state and answers
// `[true, value, 0]` or `[false, message, code, object id, replication index]`.
import { ONE_ERROR_CODE } from "../errors.js";
import { VM_STATE } from "../generated/constants.js";
import { methods, type MethodMeta, type MethodName, type ParamMeta } from "../generated/methods.js";
import type { XmlRpcValue } from "../xmlrpc/types.js";
import { infoXml, poolXml } from "./docs.js";
import { FAULT, OneFailure, RpcFault, failureMessage } from "./failure.js";
import {
  KINDS,
  type BaseObject,
  type Kind,
  type ObjectOf,
  type OneObject,
  type Permissions,
  type VmObject,
} from "./objects.js";
import { vmSearch } from "./search.js";
import { OneTemplate, TemplateParseError, type VectorValue } from "./template.js";
import { createVm, stateName, systemDatastore, type Lifecycle } from "./vm.js";
import { OP, hashPassword, type Caller, type World } from "./world.js";
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
  checkName,
  imageReady,
  marketAppReady,
  monitorHost,
  nameTaken,
} from "./allocate.js";

export interface Simulator {
  readonly world: World;
  readonly lifecycle: Lifecycle;
}

interface Call {
  readonly sim: Simulator;
  readonly caller: Caller;
  readonly method: MethodName;
  readonly args: readonly XmlRpcValue[];
}

type Handler = (call: Call) => XmlRpcValue;

const int = (call: Call, i: number, fallback = 0): number => (call.args[i] as number | undefined) ?? fallback;
const str = (call: Call, i: number, fallback = ""): string => (call.args[i] as string | undefined) ?? fallback;
const bool = (call: Call, i: number, fallback = false): boolean => (call.args[i] as boolean | undefined) ?? fallback;

/** Parses a template parameter; oned's parse errors are INTERNAL ("Parse error: …"). */
export function parseTemplate(text: string, code: "INTERNAL" | "ACTION" = "INTERNAL", prefix = ""): OneTemplate {
  try {
    return OneTemplate.parse(text);
  } catch (error) {
    if (error instanceof TemplateParseError) throw new OneFailure(code, `${prefix}${error.message}`);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// Parameter checks, as xmlrpc-c's paramList getters fault (-501) before oned's code runs

const TYPE_WORDS: Readonly<Record<ParamMeta["type"], string>> = {
  int: "integer",
  i8: "64-bit integer",
  boolean: "boolean",
  string: "a string",
  "array<int>": "an array",
};

function typeOk(type: ParamMeta["type"], value: XmlRpcValue): boolean {
  switch (type) {
    case "int":
      return typeof value === "number" && Number.isInteger(value);
    case "i8":
      return typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value));
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "array<int>":
      return Array.isArray(value);
  }
}

function checkParams(meta: MethodMeta, params: readonly XmlRpcValue[]): void {
  const declared: readonly ParamMeta[] = [{ name: "session", type: "string" }, ...meta.params];
  declared.forEach((param, i) => {
    const value = params[i];
    if (value === undefined) {
      if (!param.optional) throw new RpcFault(FAULT.TYPE, "Not enough parameters");
      return;
    }
    if (!typeOk(param.type, value)) {
      throw new RpcFault(FAULT.TYPE, `Parameter that is supposed to be ${TYPE_WORDS[param.type]} is not`);
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// Verbs every pool shares

const kindOf = (method: MethodName): Kind => methods[method].object as Kind;

function objectOf<K extends Kind>(call: Call, kind: K, index = 0): ObjectOf<K> {
  return call.sim.world.require(kind, int(call, index));
}

function info(call: Call): XmlRpcValue {
  const kind = kindOf(call.method);
  const { world } = call.sim;
  let id = int(call, 0);
  // oned answers for the caller itself (or its group) when asked for -1.
  if (id === -1 && kind === "user") id = call.caller.uid;
  if (id === -1 && kind === "group") id = call.caller.gid;
  const object = world.require(kind, id);
  world.authorize(call.caller, object, OP.USE, false);
  return infoXml(world, object);
}

/** oned's pool filter, id range and paging: `end < -1` pages `-end` objects from offset `start`. */
function poolInfo(kind: Kind, extended = false): Handler {
  return (call) => {
    const { world } = call.sim;
    const filtered = KINDS[kind].filtered;
    const filter = filtered ? int(call, 0) : -2;
    if (filter < -4) throw new OneFailure("XML_RPC_API", "Incorrect filter_flag");
    const start = filtered ? int(call, 1) : -1;
    const end = filtered ? int(call, 2) : -1;
    let keep = (o: OneObject) => world.visible(call.caller, o, filter);
    if (kind === "vm") {
      const state = call.args.length > 3 ? int(call, 3) : -1;
      if (state < -2 || state > VM_STATE.CLONING_FAILURE) {
        throw new OneFailure("XML_RPC_API", "Incorrect filter_flag, state");
      }
      const search = vmSearch(str(call, 4));
      const visible = keep;
      keep = (o) =>
        visible(o) &&
        (state === -2
          ? true
          : state === -1
            ? (o as VmObject).state !== VM_STATE.DONE
            : (o as VmObject).state === state) &&
        (search === undefined || search(infoXml(world, o)));
    }
    let objects = [...world.pool(kind).values()].filter(keep);
    if (end < -1) objects = objects.slice(Math.max(0, start), Math.max(0, start) - end);
    else if (start !== -1) objects = objects.filter((o) => o.id >= start && (end === -1 || o.id <= end));
    return poolXml(world, kind, objects, extended);
  };
}

function update(call: Call): XmlRpcValue {
  const kind = kindOf(call.method);
  const { world } = call.sim;
  const object = objectOf(call, kind);
  world.authorize(call.caller, object, OP.MANAGE);
  const type = call.args.length > 2 ? int(call, 2) : 0;
  if (type !== 0 && type !== 1) throw new OneFailure("XML_RPC_API", "Wrong update type");
  // A VM's update is its USER_TEMPLATE; a parse error there is an ACTION failure in oned.
  const [parsed, target] =
    object.kind === "vm"
      ? [parseTemplate(str(call, 1), "ACTION"), object.userTemplate]
      : [parseTemplate(str(call, 1), "INTERNAL", "Cannot update template. "), object.template];
  if (type === 1) target.merge(parsed);
  else target.attributes.splice(0, target.attributes.length, ...parsed.attributes);
  world.touch(object);
  return object.id;
}

function chmod(call: Call): XmlRpcValue {
  const kind = kindOf(call.method);
  const { world } = call.sim;
  const object = objectOf(call, kind);
  const wanted = Array.from({ length: 9 }, (_, i) => int(call, i + 1));
  const admin = wanted[2] !== -1 || wanted[5] !== -1 || wanted[8] !== -1;
  world.authorize(call.caller, object, admin ? OP.ADMIN : OP.MANAGE);
  if (wanted.some((v) => v < -1 || v > 1)) throw new OneFailure("ACTION", "New permission values must be -1, 0 or 1");
  object.perms = object.perms.map((bit, i) => (wanted[i] === -1 ? bit : wanted[i]!)) as Permissions;
  world.touch(object);
  return object.id;
}

function chown(call: Call): XmlRpcValue {
  const kind = kindOf(call.method);
  const { world } = call.sim;
  const { caller } = call;
  const object = objectOf(call, kind);
  const uid = int(call, 1);
  const gid = int(call, 2);
  world.authorize(caller, object, OP.MANAGE);
  const user = uid >= 0 ? world.require("user", uid) : undefined;
  const group = gid >= 0 ? world.require("group", gid) : undefined;
  if (user && !caller.admin && user.id !== caller.uid) world.authorize(caller, user, OP.MANAGE);
  if (group && !caller.admin && !caller.groups.has(group.id)) world.authorize(caller, group, OP.USE);
  if (user) object.uid = user.id;
  if (group) object.gid = group.id;
  world.touch(object);
  return object.id;
}

function rename(call: Call): XmlRpcValue {
  const kind = kindOf(call.method);
  const { world } = call.sim;
  const object = objectOf(call, kind);
  const name = str(call, 1);
  if (name === object.name) return object.id;
  world.authorize(call.caller, object, OP.MANAGE);
  const taken = nameTaken(world, kind, name, object.uid);
  if (taken !== undefined) {
    const noun = KINDS[kind].noun;
    throw new OneFailure("ACTION", `${noun} cannot be renamed to ${name} because it collides with ${noun} ${taken}`);
  }
  checkName(kind, name, "ACTION");
  object.name = name;
  world.touch(object);
  return object.id;
}

function lock(call: Call): XmlRpcValue {
  const kind = kindOf(call.method);
  const { world } = call.sim;
  const { caller } = call;
  const object = objectOf(call, kind);
  world.authorize(caller, object, OP.MANAGE, false);
  const levels: Readonly<Record<number, number>> = { 1: 1, 2: 2, 3: 3, 4: 1 };
  const level = levels[int(call, 1)];
  if (level === undefined) throw new OneFailure("ACTION", "Wrong lock level specified");
  if (bool(call, 2) && object.lock) throw new OneFailure("ACTION", String(object.lock.time));
  if (object.lock && object.lock.owner !== caller.uid && !caller.admin) {
    throw new OneFailure("ACTION", "Error trying to lock the resource.");
  }
  object.lock = { level, owner: caller.uid, time: world.now(), reqId: world.requestId };
  world.touch(object);
  return object.id;
}

function unlock(call: Call): XmlRpcValue {
  const kind = kindOf(call.method);
  const { world } = call.sim;
  const { caller } = call;
  const object = objectOf(call, kind);
  world.authorize(caller, object, OP.MANAGE, false);
  if (object.lock && !caller.admin && object.lock.owner !== caller.uid) {
    throw new OneFailure("ACTION", "Cannot unlock: Lock is owned by another user");
  }
  object.lock = undefined;
  world.touch(object);
  return object.id;
}

function remove(call: Call): XmlRpcValue {
  const kind = kindOf(call.method);
  const { world } = call.sim;
  const object = objectOf(call, kind);
  world.authorize(call.caller, object, kind === "host" || kind === "user" || kind === "group" ? OP.ADMIN : OP.MANAGE);
  const inUse = deleteRefusal(world, object);
  if (inUse) throw new OneFailure("ACTION", inUse);
  world.remove(object);
  if (object.kind === "image") {
    const ds = world.get("datastore", object.datastoreId);
    if (ds) world.touch(ds);
  }
  return object.id;
}

/** Why oned would refuse to delete `object`, if it would. */
function deleteRefusal(world: World, object: OneObject): string | undefined {
  const users = () => [...world.pool("user").values()];
  switch (object.kind) {
    case "host":
      return object.vms.size > 0 ? "Can not remove a host with running VMs" : undefined;
    case "image":
      return object.vms.size > 0
        ? `Cannot delete image ${object.id}, it is being used by ${object.vms.size} VMs`
        : undefined;
    case "vn":
      return object.ranges.some((ar) => ar.leases.size > 0)
        ? "Can not remove a virtual network with leases in use"
        : undefined;
    case "user":
      return object.id === 0 ? "oneadmin cannot be deleted." : undefined;
    case "group":
      if (object.id < 100) return "System Groups (ID < 100) cannot be deleted.";
      return users().some((u) => u.groups.has(object.id)) ? `Group ${object.id} is not empty.` : undefined;
    case "datastore":
      return [...world.pool("image").values()].some((i) => i.datastoreId === object.id)
        ? `Datastore ${object.id} is not empty.`
        : undefined;
    case "cluster":
      return [...world.pool("host").values()].some((h) => h.clusterId === object.id)
        ? `Cluster ${object.id} is not empty.`
        : undefined;
    case "market":
      return [...world.pool("marketapp").values()].some((a) => a.marketId === object.id)
        ? `Marketplace ${object.id} is not empty.`
        : undefined;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Virtual machines

function vmAction(call: Call): XmlRpcValue {
  const { world, lifecycle } = call.sim;
  const vm = objectOf(call, "vm", 1);
  const action = str(call, 0);
  // oned.conf's VM_ADMIN_OPERATIONS: resched needs ADMIN, the rest MANAGE.
  world.authorize(call.caller, vm, action === "resched" || action === "unresched" ? OP.ADMIN : OP.MANAGE);
  lifecycle.action(vm, action);
  return vm.id;
}

function hostFor(world: World, id: number, verb: string): ObjectOf<"host"> {
  const host = world.require("host", id);
  if (host.state === 8) throw new OneFailure("ACTION", `Host is offline, cannot use it to ${verb} VM`);
  return host;
}

function vmDeploy(call: Call): XmlRpcValue {
  const { world, lifecycle } = call.sim;
  const vm = objectOf(call, "vm");
  world.authorize(call.caller, vm, OP.ADMIN);
  const host = hostFor(world, int(call, 1), "deploy");
  const dsId = int(call, 3, -1) >= 0 ? int(call, 3) : systemDatastore(world);
  world.require("datastore", dsId);
  const { PENDING, HOLD, STOPPED, UNDEPLOYED } = VM_STATE;
  if (![PENDING, HOLD, STOPPED, UNDEPLOYED].includes(vm.state as 1)) {
    throw new OneFailure("ACTION", `Deploy action is not available for state ${stateName(vm)}`);
  }
  lifecycle.deploy(vm, host, dsId);
  return vm.id;
}

function vmMigrate(call: Call): XmlRpcValue {
  const { world, lifecycle } = call.sim;
  const vm = objectOf(call, "vm");
  world.authorize(call.caller, vm, OP.ADMIN);
  const host = hostFor(world, int(call, 1), "migrate");
  const live = bool(call, 2);
  const running = vm.state === VM_STATE.ACTIVE && vm.lcmState === 3;
  if (!running && vm.state !== VM_STATE.POWEROFF && vm.state !== VM_STATE.SUSPENDED) {
    throw new OneFailure("ACTION", `Migrate action is not available for state ${stateName(vm)}`);
  }
  const last = vm.history[vm.history.length - 1];
  const dsId = int(call, 4, -1) >= 0 ? int(call, 4) : (last?.dsId ?? systemDatastore(world));
  if (last && last.hid === host.id && last.dsId === dsId) {
    throw new OneFailure("ACTION", `VM is already running on host [${host.id}] and datastore [${dsId}]`);
  }
  lifecycle.migrate(vm, host, dsId, live);
  return vm.id;
}

/** The first DISK (or NIC) vector of a hot-plug template, as oned takes it; oned's message when there is none. */
function vectorParam(call: Call, index: number, name: "DISK" | "NIC"): VectorValue {
  const vector = parseTemplate(str(call, index), "ACTION").vectors(name)[0];
  if (vector) return vector;
  throw new OneFailure(
    "ACTION",
    name === "DISK" ? "Internal error parsing DISK attribute" : "Wrong format or missing NIC/NIC_ALIAS/PCI attribute",
  );
}

function vmHotplug(verb: "attach" | "detach" | "attachnic" | "detachnic"): Handler {
  return (call) => {
    const { world, lifecycle } = call.sim;
    const vm = objectOf(call, "vm");
    world.authorize(call.caller, vm, OP.MANAGE);
    switch (verb) {
      case "attach":
        lifecycle.attachDisk(vm, vectorParam(call, 1, "DISK"), call.caller);
        break;
      case "detach":
        lifecycle.detachDisk(vm, int(call, 1));
        break;
      case "attachnic":
        lifecycle.attachNic(vm, vectorParam(call, 1, "NIC"), call.caller);
        break;
      case "detachnic":
        lifecycle.detachNic(vm, int(call, 1));
        break;
    }
    return vm.id;
  };
}

function vmAllocate(call: Call): XmlRpcValue {
  const { world, lifecycle } = call.sim;
  world.authorizeCreate(call.caller, "vm");
  const template = parseTemplate(str(call, 0));
  const vm = createVm(world, call.caller, {
    template,
    uid: call.caller.uid,
    gid: call.caller.gid,
    hold: bool(call, 1),
  });
  lifecycle.schedule(vm);
  return vm.id;
}

function templateInstantiate(call: Call): XmlRpcValue {
  const { world, lifecycle } = call.sim;
  const source = objectOf(call, "template");
  world.authorize(call.caller, source, OP.USE);
  world.authorizeCreate(call.caller, "vm");
  const template = source.template.clone();
  const extra = str(call, 3);
  if (extra.trim()) template.merge(parseTemplate(extra));
  const name = str(call, 1);
  if (name) template.set("NAME", name);
  const vm = createVm(world, call.caller, {
    template,
    uid: call.caller.uid,
    gid: call.caller.gid,
    hold: bool(call, 2),
    from: { id: source.id, name: source.name },
  });
  lifecycle.schedule(vm);
  return vm.id;
}

function vmSnapshotCreate(call: Call): XmlRpcValue {
  const { world } = call.sim;
  const vm = objectOf(call, "vm");
  world.authorize(call.caller, vm, OP.MANAGE);
  if (!(vm.state === VM_STATE.ACTIVE && vm.lcmState === 3)) {
    throw new OneFailure("ACTION", `Could not create a new snapshot for VM ${vm.id}, wrong state ${stateName(vm)}.`);
  }
  const snapshots = vm.template.vectors("SNAPSHOT");
  const id = snapshots.reduce((max, s) => Math.max(max, Number(s.get("SNAPSHOT_ID"))), -1) + 1;
  for (const s of snapshots) s.delete("ACTIVE");
  vm.template.add("SNAPSHOT", {
    ACTIVE: "YES",
    HYPERVISOR_ID: `snap-${id}`,
    NAME: str(call, 1) || `snapshot-${id}`,
    SNAPSHOT_ID: String(id),
    SYSTEM_DISK_SIZE: "0",
    TIME: String(world.now()),
  });
  world.touch(vm);
  return id;
}

function vmDiskSnapshotCreate(call: Call): XmlRpcValue {
  const { world } = call.sim;
  const vm = objectOf(call, "vm");
  world.authorize(call.caller, vm, OP.MANAGE);
  const diskId = int(call, 1);
  const disk = vm.template.vectors("DISK").find((d) => d.get("DISK_ID") === String(diskId));
  if (!disk) throw new OneFailure("ACTION", `VM disk does not exist`);
  const entry = vm.diskSnapshots.get(diskId) ?? { next: 0, snapshots: [] };
  const active = entry.snapshots.find((s) => s.active);
  for (const s of entry.snapshots) s.active = false;
  const id = entry.next++;
  entry.snapshots.push({
    id,
    name: str(call, 2) || `snapshot-${id}`,
    date: world.now(),
    parent: active?.id ?? -1,
    size: Number(disk.get("SIZE") ?? 0),
    active: true,
  });
  vm.diskSnapshots.set(diskId, entry);
  disk.set("DISK_SNAPSHOT_TOTAL_SIZE", String(entry.snapshots.reduce((s, x) => s + x.size, 0)));
  world.touch(vm);
  return id;
}

// ---------------------------------------------------------------------------------------------------
// Hosts, users, clusters and the rest

function hostStatus(call: Call): XmlRpcValue {
  const { world } = call.sim;
  const host = objectOf(call, "host");
  world.authorize(call.caller, host, OP.ADMIN);
  const states: Readonly<Record<number, number>> = { 0: 2, 1: 4, 2: 8 };
  const state = states[int(call, 1)];
  if (state === undefined) throw new OneFailure("ACTION", "Wrong status code");
  host.prevState = host.state;
  host.state = state;
  world.touch(host);
  return host.id;
}

function userPasswd(call: Call): XmlRpcValue {
  const { world } = call.sim;
  const user = objectOf(call, "user");
  world.authorize(call.caller, user, OP.MANAGE);
  const password = str(call, 1);
  if (!password) throw new OneFailure("ACTION", "Invalid password, it cannot be empty");
  user.password = hashPassword(password);
  world.touch(user);
  return user.id;
}

function userLogin(call: Call): XmlRpcValue {
  const { world } = call.sim;
  const user = world.findByName("user", str(call, 0));
  if (!user) throw new OneFailure("NO_EXISTS", "", -1, "user");
  world.authorize(call.caller, user, OP.MANAGE);
  const seconds = int(call, 2);
  if (seconds === 0) {
    user.tokens = user.tokens.filter((t) => t.token !== str(call, 1));
    world.touch(user);
    return str(call, 1);
  }
  return world.issueToken(user, seconds, int(call, 3));
}

function userGroups(verb: "chgrp" | "addgroup" | "delgroup"): Handler {
  return (call) => {
    const { world } = call.sim;
    const user = objectOf(call, "user");
    const group = world.require("group", int(call, 1));
    world.authorize(call.caller, user, OP.ADMIN);
    if (verb === "delgroup") {
      if (group.id === user.gid) throw new OneFailure("ACTION", "Cannot remove user from its primary group.");
      user.groups.delete(group.id);
    } else {
      user.groups.add(group.id);
      if (verb === "chgrp") {
        user.groups.delete(user.gid);
        user.gid = group.id;
        user.groups.add(group.id);
      }
    }
    world.touch(user);
    return user.id;
  };
}

function quota(kind: "user" | "group"): Handler {
  return (call) => {
    const { world } = call.sim;
    const object = objectOf(call, kind);
    if (!call.caller.admin)
      throw new OneFailure("AUTHORIZATION", `Not authorized to perform ADMIN ${KINDS[kind].type} [${object.id}]`);
    const vm = parseTemplate(str(call, 1)).vectors("VM")[0];
    if (vm) {
      object.quota.vm = {
        vms: vm.get("VMS") ?? "-1",
        cpu: vm.get("CPU") ?? "-1",
        memory: vm.get("MEMORY") ?? "-1",
        systemDiskSize: vm.get("SYSTEM_DISK_SIZE") ?? "-1",
      };
    }
    world.touch(object);
    return object.id;
  };
}

function clusterMember(member: "host" | "datastore" | "vn", add: boolean): Handler {
  return (call) => {
    const { world } = call.sim;
    const cluster = objectOf(call, "cluster");
    world.authorize(call.caller, cluster, OP.ADMIN);
    const object = world.require(member, int(call, 1));
    if (object.kind === "host") object.clusterId = add ? cluster.id : 0;
    else if (add) object.clusters.add(cluster.id);
    else object.clusters.delete(cluster.id);
    world.touch(object);
    return cluster.id;
  };
}

function enable(kind: "image" | "datastore" | "market" | "marketapp" | "user"): Handler {
  return (call) => {
    const { world } = call.sim;
    const object = objectOf(call, kind);
    world.authorize(call.caller, object, OP.MANAGE);
    const on = bool(call, 1);
    switch (object.kind) {
      case "image":
        if (object.vms.size > 0)
          throw new OneFailure("ACTION", `Cannot ${on ? "enable" : "disable"} image in state USED`);
        object.state = on ? 1 : 3;
        break;
      case "user":
        object.enabled = on;
        break;
      default:
        object.state = on ? 0 : 1;
    }
    world.touch(object);
    return object.id;
  };
}

function imagePersistent(call: Call): XmlRpcValue {
  const { world } = call.sim;
  const image = objectOf(call, "image");
  world.authorize(call.caller, image, OP.MANAGE);
  if (image.vms.size > 0) throw new OneFailure("ACTION", "Cannot change persistent state of an image in use");
  image.persistent = bool(call, 1);
  world.touch(image);
  return image.id;
}

function allocator(fn: (world: World, caller: Caller, call: Call) => BaseObject): Handler {
  return (call) => fn(call.sim.world, call.caller, call).id;
}

const VERBS: Readonly<Record<string, Handler>> = {
  info,
  update,
  chmod,
  chown,
  rename,
  lock,
  unlock,
  delete: remove,
};

const POOLS: Readonly<Record<string, Kind>> = {
  vmpool: "vm",
  templatepool: "template",
  hostpool: "host",
  imagepool: "image",
  vnpool: "vn",
  userpool: "user",
  grouppool: "group",
  datastorepool: "datastore",
  clusterpool: "cluster",
  marketpool: "market",
  marketapppool: "marketapp",
};

const SPECIFIC: Partial<Record<MethodName, Handler>> = {
  "one.vmpool.infoextended": poolInfo("vm", true),
  "one.vm.allocate": vmAllocate,
  "one.vm.action": vmAction,
  "one.vm.deploy": vmDeploy,
  "one.vm.migrate": vmMigrate,
  "one.vm.attach": vmHotplug("attach"),
  "one.vm.detach": vmHotplug("detach"),
  "one.vm.attachnic": vmHotplug("attachnic"),
  "one.vm.detachnic": vmHotplug("detachnic"),
  "one.vm.snapshotcreate": vmSnapshotCreate,
  "one.vm.disksnapshotcreate": vmDiskSnapshotCreate,
  "one.template.allocate": allocator((w, c, call) => allocateTemplate(w, c, parseTemplate(str(call, 0)))),
  "one.template.instantiate": templateInstantiate,
  "one.host.allocate": allocator((w, c, call) => {
    const host = allocateHost(w, c, str(call, 0), str(call, 1), str(call, 2), int(call, 3, -1));
    call.sim.lifecycle.after(() => monitorHost(w, host));
    return host;
  }),
  "one.host.status": hostStatus,
  "one.image.allocate": allocator((w, c, call) => {
    const image = allocateImage(w, c, parseTemplate(str(call, 0)), int(call, 1));
    call.sim.lifecycle.after(() => imageReady(w, image));
    return image;
  }),
  "one.image.enable": enable("image"),
  "one.image.persistent": imagePersistent,
  "one.vn.allocate": allocator((w, c, call) => allocateVn(w, c, parseTemplate(str(call, 0)), int(call, 1, -1))),
  "one.user.allocate": allocator((w, c, call) =>
    allocateUser(w, c, str(call, 0), str(call, 1), str(call, 2), (call.args[3] as number[] | undefined) ?? []),
  ),
  "one.user.passwd": userPasswd,
  "one.user.login": userLogin,
  "one.user.chgrp": userGroups("chgrp"),
  "one.user.addgroup": userGroups("addgroup"),
  "one.user.delgroup": userGroups("delgroup"),
  "one.user.enable": enable("user"),
  "one.user.quota": quota("user"),
  "one.group.allocate": allocator((w, c, call) => allocateGroup(w, c, str(call, 0))),
  "one.group.quota": quota("group"),
  "one.datastore.allocate": allocator((w, c, call) =>
    allocateDatastore(w, c, parseTemplate(str(call, 0)), int(call, 1, -1)),
  ),
  "one.datastore.enable": enable("datastore"),
  "one.cluster.allocate": allocator((w, c, call) => allocateCluster(w, c, str(call, 0))),
  "one.cluster.addhost": clusterMember("host", true),
  "one.cluster.delhost": clusterMember("host", false),
  "one.cluster.adddatastore": clusterMember("datastore", true),
  "one.cluster.deldatastore": clusterMember("datastore", false),
  "one.cluster.addvnet": clusterMember("vn", true),
  "one.cluster.delvnet": clusterMember("vn", false),
  "one.market.allocate": allocator((w, c, call) => allocateMarket(w, c, parseTemplate(str(call, 0)))),
  "one.market.enable": enable("market"),
  "one.marketapp.allocate": allocator((w, c, call) => {
    const app = allocateMarketApp(w, c, parseTemplate(str(call, 0)), int(call, 1));
    call.sim.lifecycle.after(() => marketAppReady(w, app));
    return app;
  }),
  "one.marketapp.enable": enable("marketapp"),
  "one.system.version": () => "7.0.2",
};

function handlerFor(method: MethodName): Handler | undefined {
  const specific = SPECIFIC[method];
  if (specific) return specific;
  const { object, verb } = methods[method];
  const pool = POOLS[object];
  if (pool && verb === "info") return poolInfo(pool);
  if (!(object in KINDS)) return undefined;
  return VERBS[verb];
}

/** Calls that change nothing: their answers may be kept while the world stays as it is. */
export function readOnly(method: string): boolean {
  return method in methods && methods[method as MethodName].result.type === "xml";
}

/**
 * One call, as oned runs it: the answer array, or an RpcFault for xmlrpc-c's protocol errors.
 * `[false, …]` carries oned's message, code, the failing object's id and an `<i8>` replication index of -1.
 */
export function dispatch(sim: Simulator, methodName: string, params: readonly XmlRpcValue[]): XmlRpcValue[] {
  if (!(methodName in methods)) throw new RpcFault(FAULT.NO_SUCH_METHOD, `Method '${methodName}' not defined`);
  const method = methodName as MethodName;
  const meta: MethodMeta = methods[method];
  checkParams(meta, params);
  const noun =
    meta.object in KINDS ? KINDS[meta.object as Kind].noun : POOLS[meta.object] ? KINDS[POOLS[meta.object]!].noun : "-";
  let caller: Caller = { uid: -1, gid: -1, groups: new Set(), admin: false };
  try {
    caller = sim.world.authenticate(params[0] as string);
    sim.world.requestId++;
    const handler = handlerFor(method);
    if (!handler) throw new OneFailure("INTERNAL", `${method} is not implemented by the OpenNebula simulator`);
    return [true, handler({ sim, caller, method, args: params.slice(1) }), 0];
  } catch (error) {
    if (!(error instanceof OneFailure)) throw error;
    const message = failureMessage(method, noun, error, caller.uid);
    return [false, message, ONE_ERROR_CODE[error.code], error.objectId, -1n];
  }
}
