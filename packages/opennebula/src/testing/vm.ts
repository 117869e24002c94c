// Virtual machines: creation from a template (known attributes to TEMPLATE, the rest to
// USER_TEMPLATE, disks bound to images, NICs to network leases), the actions of `one.vm.action`,
// deploy, migrate, disk and NIC hot-plug, with oned's LCM states stepping over time (each
// transitional state lasts `transitionMs`), and a scheduler that places pending VMs as oned's does.
import {
  IMAGE_STATE,
  LCM_STATE,
  LCM_STATE_BY_VALUE,
  VM_HISTORY_ACTION,
  VM_STATE,
  VM_STATE_BY_VALUE,
} from "../generated/constants.js";
import { checkName } from "./allocate.js";
import { addIp, macOf } from "./docs.js";
import type { ElementSchema } from "../generated/schema.js";
import { childSchema } from "./document.js";
import { OneFailure } from "./failure.js";
import type { HistoryRecord, HostObject, ImageObject, Permissions, VmObject, VnObject } from "./objects.js";
import { attributeIsVector, OneTemplate, type VectorValue } from "./template.js";
import type { Caller, World } from "./world.js";

const { INIT, ACTIVE, PENDING, HOLD, STOPPED, SUSPENDED, DONE, POWEROFF, UNDEPLOYED, CLONING, CLONING_FAILURE } =
  VM_STATE;
const L = LCM_STATE;

/** Names oned keeps in a VM's TEMPLATE (the XSD's list); everything else stays in USER_TEMPLATE. */
const TEMPLATE_NAMES: ReadonlySet<string> = new Set((childSchema("VM", "TEMPLATE").children ?? []).map((c) => c.name));
/** VM TEMPLATE attributes the XSD gives a fixed shape (SCHED_ACTION, VIDEO, TPM, SNAPSHOT …). */
const SHAPED: ReadonlyMap<string, ElementSchema> = new Map(
  (childSchema("VM", "TEMPLATE").children ?? [])
    .filter((c) => c.kind === "element" && (c.children?.length ?? 0) > 0)
    .map((c) => [c.name, c]),
);
/** SCHED_ACTION members oned fills in itself; a template may not set them. */
const SCHED_ACTION_MANAGED = new Set(["ID", "PARENT_ID", "TYPE", "DONE", "MESSAGE", "WARNING"]);
/** Moved away by oned when the VM is created. */
const CONSUMED = new Set(["NAME", "TEMPLATE_NAME", "VMID"]);

const DEFAULT_VM_PERMISSIONS: Permissions = [1, 1, 0, 0, 0, 0, 0, 0, 0];

/** oned's state_str(): the LCM state's name while ACTIVE, the VM state's otherwise. */
export function stateName(vm: VmObject): string {
  if (vm.state === ACTIVE) return LCM_STATE_BY_VALUE[vm.lcmState] ?? String(vm.lcmState);
  return VM_STATE_BY_VALUE[vm.state] ?? String(vm.state);
}

export interface LifecycleOptions {
  /** How long each transitional LCM state lasts, in ms. */
  transitionMs: number;
  /** Deploy PENDING VMs on a monitored host by themselves, as oned's scheduler does. */
  scheduler: boolean;
}

export class Lifecycle {
  private readonly timers = new Set<NodeJS.Timeout>();
  private idleWaiters: Array<() => void> = [];
  private stopped = false;

  constructor(
    readonly world: World,
    readonly options: LifecycleOptions,
  ) {}

  /** Resolves when no VM is in a transitional state any more. */
  idle(): Promise<void> {
    if (this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.settle();
  }

  private settle(): void {
    if (this.timers.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Runs `fn` once `transitionMs` has passed; a VM's pending step is replaced by its next action's. */
  after(fn: () => void, vm?: VmObject): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (vm?.timer === timer) vm.timer = undefined;
      fn();
      this.settle();
    }, this.options.transitionMs);
    if (vm) vm.timer = timer;
    this.timers.add(timer);
  }

  private cancel(vm: VmObject): void {
    if (!vm.timer) return;
    clearTimeout(vm.timer);
    this.timers.delete(vm.timer);
    vm.timer = undefined;
    this.settle();
  }

  private set(vm: VmObject, state: number, lcm: number): void {
    if (vm.state !== state || vm.lcmState !== lcm) {
      vm.prevState = vm.state;
      vm.prevLcmState = vm.lcmState;
    }
    vm.state = state;
    vm.lcmState = lcm;
    vm.lastPoll = state === ACTIVE ? this.world.now() : vm.lastPoll;
    this.world.touch(vm);
  }

  /** ACTIVE through `steps`, one per `transitionMs`, then `end`. */
  private walk(vm: VmObject, steps: readonly number[], end: () => void): void {
    this.cancel(vm);
    const [first, ...rest] = steps;
    if (first === undefined) {
      end();
      return;
    }
    this.set(vm, ACTIVE, first);
    this.after(() => this.walk(vm, rest, end), vm);
  }

  private toRunning(vm: VmObject): void {
    this.set(vm, ACTIVE, L.RUNNING);
    if (!vm.deployId) vm.deployId = `one-${vm.id}`;
    const h = current(vm);
    if (h && h.rstime === 0) h.rstime = this.world.now();
  }

  // -------------------------------------------------------------------------------------------------
  // Placement

  /** Puts the VM on `host` (a new history record) and boots it: PROLOG, BOOT, RUNNING. */
  deploy(vm: VmObject, host: HostObject, dsId: number): void {
    const from = vm.state;
    this.openHistory(vm, host, dsId);
    const steps =
      from === STOPPED
        ? [L.PROLOG_RESUME, L.BOOT_STOPPED]
        : from === UNDEPLOYED
          ? [L.PROLOG_UNDEPLOY, L.BOOT_UNDEPLOY]
          : [L.PROLOG, L.BOOT];
    this.walk(vm, steps, () => this.toRunning(vm));
  }

  /** Moves a RUNNING, POWEROFF or SUSPENDED VM to another host. */
  migrate(vm: VmObject, host: HostObject, dsId: number, live: boolean): void {
    const last = current(vm);
    if (last) last.action = live ? VM_HISTORY_ACTION.LIVE_MIGRATE_ACTION : VM_HISTORY_ACTION.MIGRATE_ACTION;
    const wasState = vm.state;
    this.openHistory(vm, host, dsId);
    if (wasState === POWEROFF) {
      this.walk(vm, [L.PROLOG_MIGRATE_POWEROFF], () => this.set(vm, POWEROFF, L.LCM_INIT));
    } else if (wasState === SUSPENDED) {
      this.walk(vm, [L.PROLOG_MIGRATE_SUSPEND], () => this.set(vm, SUSPENDED, L.LCM_INIT));
    } else {
      this.walk(vm, live ? [L.MIGRATE] : [L.SAVE_MIGRATE, L.PROLOG_MIGRATE, L.BOOT], () => this.toRunning(vm));
    }
  }

  private openHistory(vm: VmObject, host: HostObject, dsId: number): void {
    this.leaveHost(vm);
    putOnHost(this.world, vm, host, dsId);
  }

  /** Closes the current history record and frees the host. */
  private leaveHost(vm: VmObject): void {
    const h = current(vm);
    if (!h || h.etime !== 0) return;
    const now = this.world.now();
    h.etime = now;
    if (h.rstime !== 0 && h.retime === 0) h.retime = now;
    const host = this.world.get("host", h.hid);
    if (host?.vms.delete(vm.id)) this.world.touch(host);
  }

  /** oned's scheduler: a PENDING VM goes to the monitored host running the fewest VMs. */
  schedule(vm: VmObject): void {
    if (!this.options.scheduler || vm.state !== PENDING) return;
    this.after(() => {
      if (vm.state !== PENDING) return;
      const hosts = [...this.world.pool("host").values()].filter((h) => h.state === 2);
      const host = hosts.sort((a, b) => a.vms.size - b.vms.size)[0];
      if (!host) {
        vm.userTemplate.set("SCHED_MESSAGE", "Cannot dispatch VM: No hosts enabled to run VMs");
        this.world.touch(vm);
        return;
      }
      vm.userTemplate.erase("SCHED_MESSAGE");
      this.deploy(vm, host, systemDatastore(this.world));
    });
  }

  // -------------------------------------------------------------------------------------------------
  // one.vm.action

  /** Runs `action` or throws oned's ACTION failure ("Error performing action …: This action is not available …"). */
  action(vm: VmObject, action: string): void {
    const lcm = vm.state === ACTIVE ? vm.lcmState : -1;
    const runningish = lcm === L.RUNNING || lcm === L.UNKNOWN;
    const refuse = (how = `This action is not available for state ${stateName(vm)}`): never => {
      throw new OneFailure("ACTION", `Error performing action "${action}": ${how}`);
    };
    const close = (historyAction: number) => {
      const h = current(vm);
      if (h) h.action = historyAction;
    };
    switch (action) {
      case "terminate":
      case "terminate-hard": {
        const hard = action === "terminate-hard";
        close(hard ? VM_HISTORY_ACTION.TERMINATE_HARD_ACTION : VM_HISTORY_ACTION.TERMINATE_ACTION);
        if (vm.state === DONE) return;
        if (([PENDING, HOLD, INIT, CLONING, CLONING_FAILURE] as number[]).includes(vm.state)) return this.done(vm);
        if (([SUSPENDED, POWEROFF, STOPPED, UNDEPLOYED] as number[]).includes(vm.state)) {
          return this.walk(vm, [L.EPILOG], () => this.done(vm));
        }
        if (runningish || (hard && lcm === L.SHUTDOWN)) {
          return this.walk(vm, [L.SHUTDOWN, L.EPILOG], () => this.done(vm));
        }
        if (stateName(vm).endsWith("_FAILURE")) return this.done(vm);
        return refuse(`Could not terminate VM ${vm.id}, wrong state ${stateName(vm)}.`);
      }
      case "poweroff":
      case "poweroff-hard":
        if (!runningish && !(action === "poweroff-hard" && lcm === L.SHUTDOWN_POWEROFF)) return refuse();
        close(action === "poweroff" ? VM_HISTORY_ACTION.POWEROFF_ACTION : VM_HISTORY_ACTION.POWEROFF_HARD_ACTION);
        return this.walk(vm, [L.SHUTDOWN_POWEROFF], () => this.set(vm, POWEROFF, L.LCM_INIT));
      case "undeploy":
      case "undeploy-hard":
        close(action === "undeploy" ? VM_HISTORY_ACTION.UNDEPLOY_ACTION : VM_HISTORY_ACTION.UNDEPLOY_HARD_ACTION);
        if (vm.state === POWEROFF) return this.walk(vm, [L.EPILOG_UNDEPLOY], () => this.park(vm, UNDEPLOYED));
        if (!runningish) return refuse();
        return this.walk(vm, [L.SHUTDOWN_UNDEPLOY, L.EPILOG_UNDEPLOY], () => this.park(vm, UNDEPLOYED));
      case "reboot":
      case "reboot-hard":
        if (!runningish) return refuse();
        close(action === "reboot" ? VM_HISTORY_ACTION.REBOOT_ACTION : VM_HISTORY_ACTION.REBOOT_HARD_ACTION);
        return this.set(vm, ACTIVE, L.RUNNING);
      case "hold":
        if (vm.state !== PENDING) return refuse();
        this.cancel(vm);
        return this.set(vm, HOLD, L.LCM_INIT);
      case "release":
        if (vm.state !== HOLD) return refuse();
        this.set(vm, PENDING, L.LCM_INIT);
        return this.schedule(vm);
      case "stop":
        close(VM_HISTORY_ACTION.STOP_ACTION);
        if (vm.state === SUSPENDED) return this.walk(vm, [L.EPILOG_STOP], () => this.park(vm, STOPPED));
        if (lcm !== L.RUNNING) return refuse();
        return this.walk(vm, [L.SAVE_STOP, L.EPILOG_STOP], () => this.park(vm, STOPPED));
      case "suspend":
        if (lcm !== L.RUNNING) return refuse();
        close(VM_HISTORY_ACTION.SUSPEND_ACTION);
        return this.walk(vm, [L.SAVE_SUSPEND], () => this.set(vm, SUSPENDED, L.LCM_INIT));
      case "resume":
        close(VM_HISTORY_ACTION.RESUME_ACTION);
        if (vm.state === POWEROFF) return this.walk(vm, [L.BOOT_POWEROFF], () => this.toRunning(vm));
        if (vm.state === SUSPENDED) return this.walk(vm, [L.BOOT_SUSPENDED], () => this.toRunning(vm));
        if (vm.state === STOPPED || vm.state === UNDEPLOYED) {
          this.set(vm, PENDING, L.LCM_INIT);
          return this.schedule(vm);
        }
        return refuse();
      case "resched":
      case "unresched":
        if (!runningish && vm.state !== POWEROFF) return refuse();
        vm.resched = action === "resched" ? 1 : 0;
        return this.world.touch(vm);
      default:
        throw new OneFailure("ACTION", `Action "${action}" is not supported`);
    }
  }

  /** STOPPED or UNDEPLOYED: off every host, disks kept. */
  private park(vm: VmObject, state: number): void {
    this.leaveHost(vm);
    this.set(vm, state, L.LCM_INIT);
  }

  /** DONE: resources released, ETIME set; the VM stays in the pool, hidden from state filter -1. */
  done(vm: VmObject): void {
    this.cancel(vm);
    this.leaveHost(vm);
    for (const disk of vm.template.vectors("DISK")) releaseImage(this.world, vm, disk);
    for (const nic of vm.template.vectors("NIC")) releaseLease(this.world, vm, nic);
    vm.etime = this.world.now();
    this.set(vm, DONE, L.LCM_INIT);
  }

  // -------------------------------------------------------------------------------------------------
  // Hot-plug

  /** Adds a DISK (one.vm.attach): RUNNING through HOTPLUG, POWEROFF through HOTPLUG_PROLOG_POWEROFF. */
  attachDisk(vm: VmObject, disk: VectorValue, caller: Caller): number {
    const wrong = () => `Could not attach a new disk to VM ${vm.id}, wrong state ${stateName(vm)}.`;
    const through = this.hotplugStep(vm, L.HOTPLUG, L.HOTPLUG_PROLOG_POWEROFF, wrong);
    const id = nextIndex(vm.template.vectors("DISK"), "DISK_ID");
    const bound = bindDisk(this.world, vm, disk, id, caller);
    vm.template.add("DISK", bound);
    this.hotplug(vm, through);
    return id;
  }

  detachDisk(vm: VmObject, diskId: number): void {
    const wrong = () => `Could not detach disk from VM ${vm.id}, wrong state ${stateName(vm)}.`;
    const through = this.hotplugStep(vm, L.HOTPLUG, L.HOTPLUG_EPILOG_POWEROFF, wrong);
    const disk = vm.template.vectors("DISK").find((d) => d.get("DISK_ID") === String(diskId));
    if (!disk) throw new OneFailure("ACTION", `Could not detach disk with DISK_ID ${diskId}, it does not exist.`);
    removeVector(vm.template, "DISK", disk);
    vm.diskSnapshots.delete(diskId);
    releaseImage(this.world, vm, disk);
    this.hotplug(vm, through);
  }

  attachNic(vm: VmObject, nic: VectorValue, caller: Caller): number {
    const wrong = () => `Could not add a new NIC to VM ${vm.id}, wrong state ${stateName(vm)}.`;
    const through = this.hotplugStep(vm, L.HOTPLUG_NIC, L.HOTPLUG_NIC_POWEROFF, wrong);
    const id = nextIndex(vm.template.vectors("NIC"), "NIC_ID");
    vm.template.add("NIC", bindNic(this.world, vm, nic, id, caller));
    this.hotplug(vm, through);
    return id;
  }

  detachNic(vm: VmObject, nicId: number): void {
    const wrong = () => `Could not detach NIC from VM ${vm.id}, wrong state ${stateName(vm)}.`;
    const through = this.hotplugStep(vm, L.HOTPLUG_NIC, L.HOTPLUG_NIC_POWEROFF, wrong);
    const nic = vm.template.vectors("NIC").find((n) => n.get("NIC_ID") === String(nicId));
    if (!nic) throw new OneFailure("ACTION", `Could not detach NIC with NIC_ID ${nicId}, it does not exist.`);
    removeVector(vm.template, "NIC", nic);
    releaseLease(this.world, vm, nic);
    this.hotplug(vm, through);
  }

  /** The transitional LCM state a hot-plug goes through, or ACTION when the VM is neither RUNNING nor POWEROFF. */
  private hotplugStep(vm: VmObject, running: number, poweroff: number, wrong: () => string): number {
    if (vm.state === ACTIVE && vm.lcmState === L.RUNNING) return running;
    if (vm.state === POWEROFF) return poweroff;
    throw new OneFailure("ACTION", wrong());
  }

  private hotplug(vm: VmObject, through: number): void {
    const back = vm.state === POWEROFF ? () => this.set(vm, POWEROFF, L.LCM_INIT) : () => this.toRunning(vm);
    this.walk(vm, [through], back);
  }
}

const current = (vm: VmObject): HistoryRecord | undefined => vm.history[vm.history.length - 1];

/** A new history record on `host` (its prolog starting now); the host counts the VM from then on. */
export function putOnHost(world: World, vm: VmObject, host: HostObject, dsId: number): HistoryRecord {
  const now = world.now();
  const tmMad = world.get("datastore", dsId)?.tmMad ?? "ssh";
  const record: HistoryRecord = {
    seq: vm.history.length,
    hostname: host.name,
    hid: host.id,
    cid: host.clusterId,
    stime: now,
    etime: 0,
    vmMad: host.vmMad,
    tmMad,
    dsId,
    action: 0,
    pstime: now,
    petime: 0,
    rstime: 0,
    retime: 0,
    estime: 0,
    eetime: 0,
  };
  vm.history.push(record);
  vm.template.set("TM_MAD_SYSTEM", tmMad);
  host.vms.add(vm.id);
  world.touch(host);
  return record;
}

function nextIndex(vectors: VectorValue[], key: string): number {
  return vectors.reduce((max, v) => Math.max(max, Number(v.get(key) ?? -1)), -1) + 1;
}

function removeVector(template: OneTemplate, name: string, vector: VectorValue): void {
  const i = template.attributes.findIndex((a) => a.name === name && attributeIsVector(a) && a.vector === vector);
  if (i >= 0) template.attributes.splice(i, 1);
}

/** The first system datastore (oned's default is 0). */
export function systemDatastore(world: World): number {
  for (const ds of world.pool("datastore").values()) if (ds.type === 1) return ds.id;
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// Disks and NICs

const targetName = (index: number) => `vd${String.fromCharCode(97 + (index % 26))}`;

/** A DISK bound to its image (IMAGE_ID, or IMAGE with IMAGE_UNAME) or a volatile disk (SIZE and TYPE). */
function bindDisk(world: World, vm: VmObject, disk: VectorValue, id: number, caller: Caller): VectorValue {
  const out = new Map(disk);
  out.set("DISK_ID", String(id));
  out.set("TARGET", disk.get("TARGET") ?? targetName(id));
  const imageId = disk.get("IMAGE_ID");
  const imageName = disk.get("IMAGE");
  if (imageId === undefined && imageName === undefined) {
    if (!disk.get("SIZE"))
      throw new OneFailure("ACTION", "DISK must have an IMAGE, an IMAGE_ID, or SIZE for a volatile disk");
    out.set("TYPE", disk.get("TYPE") ?? "fs");
    out.set("DATASTORE_ID", String(systemDatastore(world)));
    return out;
  }
  let image: ImageObject | undefined;
  if (imageId !== undefined) {
    image = world.get("image", Number(imageId));
    if (!image) throw new OneFailure("ACTION", `Image with ID: ${imageId} does not exist`);
  } else {
    const owner = disk.get("IMAGE_UNAME");
    const uid = owner === undefined ? caller.uid : world.findByName("user", owner)?.id;
    image = uid === undefined ? undefined : world.findByName("image", imageName!, uid);
    if (!image) throw new OneFailure("ACTION", `Image ${imageName} does not exist`);
  }
  world.authorize(caller, image, 1);
  if (image.state !== IMAGE_STATE.READY && !(image.state === IMAGE_STATE.USED && !image.persistent)) {
    throw new OneFailure("ACTION", `Cannot use image ${image.id}, it is not READY`);
  }
  const ds = world.get("datastore", image.datastoreId);
  const fields: Record<string, string> = {
    IMAGE: image.name,
    IMAGE_ID: String(image.id),
    IMAGE_UNAME: world.userName(image.uid),
    IMAGE_STATE: String(IMAGE_STATE.USED),
    DATASTORE: ds?.name ?? "",
    DATASTORE_ID: String(image.datastoreId),
    SOURCE: image.source,
    SIZE: disk.get("SIZE") ?? String(image.size),
    ORIGINAL_SIZE: String(image.size),
    DRIVER: image.format === "raw" ? "raw" : "qcow2",
    FORMAT: image.format,
    TYPE: "FILE",
    DISK_TYPE: "FILE",
    TM_MAD: ds?.tmMad ?? "ssh",
    CLONE: image.persistent ? "NO" : "YES",
    CLONE_TARGET: "SYSTEM",
    LN_TARGET: "NONE",
    PERSISTENT: image.persistent ? "YES" : "NO",
    READONLY: "NO",
    SAVE: image.persistent ? "YES" : "NO",
    DISK_SNAPSHOT_TOTAL_SIZE: "0",
    ALLOW_ORPHANS: "NO",
  };
  for (const [k, v] of Object.entries(fields)) if (!out.has(k) || k === "IMAGE_STATE") out.set(k, v);
  image.vms.add(vm.id);
  image.state = image.persistent ? IMAGE_STATE.USED_PERS : IMAGE_STATE.USED;
  world.touch(image);
  return out;
}

function releaseImage(world: World, vm: VmObject, disk: VectorValue): void {
  const image = world.get("image", Number(disk.get("IMAGE_ID") ?? -1));
  if (!image || !image.vms.delete(vm.id)) return;
  if (image.vms.size === 0) image.state = IMAGE_STATE.READY;
  world.touch(image);
}

/** A NIC with a lease of its network (NETWORK_ID, or NETWORK with NETWORK_UNAME). */
function bindNic(world: World, vm: VmObject, nic: VectorValue, id: number, caller: Caller): VectorValue {
  const netId = nic.get("NETWORK_ID");
  const netName = nic.get("NETWORK");
  let vn: VnObject | undefined;
  if (netId !== undefined) {
    vn = world.get("vn", Number(netId));
    if (!vn) throw new OneFailure("ACTION", `Virtual network with ID: ${netId} does not exist`);
  } else if (netName !== undefined) {
    const owner = nic.get("NETWORK_UNAME");
    const uid = owner === undefined ? undefined : world.findByName("user", owner)?.id;
    vn = world.findByName("vn", netName, uid);
    if (!vn) throw new OneFailure("ACTION", `Virtual network ${netName} does not exist`);
  } else {
    throw new OneFailure("ACTION", "NIC must have a NETWORK or a NETWORK_ID");
  }
  world.authorize(caller, vn, 1);
  const wanted = nic.get("IP");
  for (const ar of vn.ranges) {
    // Leases are taken in order, so the first free one is usually right after the last taken.
    for (let i = 0; i < ar.size; i++) {
      const offset = (ar.leases.size + i) % ar.size;
      if (ar.leases.has(offset)) continue;
      const ip = ar.ip ? addIp(ar.ip, offset) : undefined;
      if (wanted !== undefined && ip !== wanted) continue;
      ar.leases.set(offset, vm.id);
      world.touch(vn);
      const out = new Map(nic);
      const fields: Record<string, string | undefined> = {
        NIC_ID: String(id),
        NETWORK: vn.name,
        NETWORK_ID: String(vn.id),
        NETWORK_UNAME: world.userName(vn.uid),
        AR_ID: String(ar.id),
        BRIDGE: vn.bridge,
        BRIDGE_TYPE: "linux",
        VN_MAD: vn.vnMad,
        IP: ip,
        MAC: ip ? macOf(ip) : ar.mac,
        TARGET: `one-${vm.id}-${id}`,
        SECURITY_GROUPS: "0",
        CLUSTER_ID: String([...vn.clusters][0] ?? 0),
      };
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) out.set(k, v);
      return out;
    }
  }
  throw new OneFailure(
    "ACTION",
    wanted
      ? `Cannot get IP/MAC lease from virtual network ${vn.id}: IP ${wanted} is not free`
      : `Cannot get IP/MAC lease from virtual network ${vn.id}.`,
  );
}

function releaseLease(world: World, vm: VmObject, nic: VectorValue): void {
  const vn = world.get("vn", Number(nic.get("NETWORK_ID") ?? -1));
  const ar = vn?.ranges.find((r) => String(r.id) === nic.get("AR_ID"));
  if (!vn || !ar) return;
  for (const [offset, holder] of ar.leases) if (holder === vm.id) ar.leases.delete(offset);
  world.touch(vn);
}

// ---------------------------------------------------------------------------------------------------
// Creation

export interface NewVm {
  template: OneTemplate;
  uid: number;
  gid: number;
  hold: boolean;
  /** The VM template instantiated, for TEMPLATE_ID and the default name. */
  from?: { id: number; name: string };
}

/**
 * Brings the attributes the XSD shapes to that shape, as oned 7 does when it creates a VM, or refuses
 * them with ALLOCATE: each SCHED_ACTION becomes a scheduled action with its id, the VM as parent and
 * oned's defaults (a relative TIME "+3600" counted from `stime`); another shaped vector (VIDEO, TPM …)
 * must hold its mandatory members and nothing the XSD does not declare. So every document validates.
 */
function normaliseShaped(world: World, template: OneTemplate, vmId: number, stime: number): void {
  for (const a of template.attributes) {
    const schema = SHAPED.get(a.name);
    if (schema === undefined) continue;
    if (!attributeIsVector(a)) throw new OneFailure("ALLOCATE", `${a.name} must be a vector attribute.`);
    const children = schema.children ?? [];
    const declared = new Set(children.map((c) => c.name));
    const sched = a.name === "SCHED_ACTION";
    for (const key of a.vector.keys()) {
      if (!declared.has(key) || (sched && SCHED_ACTION_MANAGED.has(key))) {
        throw new OneFailure("ALLOCATE", `${a.name}: unknown or read-only attribute ${key}.`);
      }
    }
    if (sched) {
      const given = a.vector;
      const action = given.get("ACTION") ?? "";
      const time = /^(\+)?(\d+)$/.exec(given.get("TIME") ?? "");
      if (!action) throw new OneFailure("ALLOCATE", "No ACTION in SCHED_ACTION.");
      if (!time) throw new OneFailure("ALLOCATE", "Error parsing SCHED_ACTION: TIME must be an epoch or +seconds.");
      const defaults: Record<string, string> = {
        ID: String(world.nextSchedActionId()),
        PARENT_ID: String(vmId),
        TYPE: "VM",
        ARGS: "",
        TIME: String(time[1] ? stime + Number(time[2]) : Number(time[2])),
        REPEAT: "-1",
        DAYS: "",
        END_TYPE: "-1",
        END_VALUE: "-1",
        DONE: "-1",
        MESSAGE: "",
        WARNING: "0",
      };
      a.vector = new Map(
        children.map((c) => [
          c.name,
          c.name === "TIME" || !given.has(c.name) ? (defaults[c.name] ?? "") : given.get(c.name)!,
        ]),
      );
    }
    for (const child of children) {
      const value = a.vector.get(child.name);
      if (value === undefined) {
        if (!child.optional) throw new OneFailure("ALLOCATE", `${a.name} needs ${child.name}.`);
      } else if (child.kind === "number" && !/^-?\d+$/.test(value)) {
        throw new OneFailure("ALLOCATE", `${a.name}/${child.name} must be an integer, not "${value}".`);
      }
    }
  }
}

/** A new VM as VirtualMachine::insert makes it, or oned's ALLOCATE/ACTION failure. */
export function createVm(world: World, caller: Caller, spec: NewVm): VmObject {
  const user = spec.template.clone();
  const memory = Number(user.get("MEMORY"));
  if (!Number.isInteger(memory) || memory <= 0) {
    throw new OneFailure("ALLOCATE", "MEMORY attribute must be a positive integer value.");
  }
  const cpu = Number(user.get("CPU"));
  if (!(cpu > 0)) throw new OneFailure("ALLOCATE", "CPU attribute must be a positive float or integer value.");
  const vcpu = user.get("VCPU");
  if (vcpu !== undefined && !(Number.isInteger(Number(vcpu)) && Number(vcpu) > 0)) {
    throw new OneFailure("ALLOCATE", "VCPU attribute must be a positive integer value.");
  }
  const named = user.get("NAME");
  if (named) checkName("vm", named, "ALLOCATE");
  const id = world.nextId("vm");
  const name = named || `${spec.from?.name ?? user.get("TEMPLATE_NAME") ?? "one"}-${id}`;
  for (const n of CONSUMED) user.erase(n);
  const submitOnHold = user.get("SUBMIT_ON_HOLD")?.toUpperCase() === "YES";
  const known = new OneTemplate(user.extract((n) => !TEMPLATE_NAMES.has(n)));
  const template = new OneTemplate(known.attributes.filter((a) => a.name !== "DISK" && a.name !== "NIC"));
  template.set("VMID", String(id));
  if (spec.from) template.set("TEMPLATE_ID", String(spec.from.id));
  template.set("TM_MAD_SYSTEM", "");
  template.set("AUTOMATIC_REQUIREMENTS", "!(PUBLIC_CLOUD = YES) & !(PIN_POLICY = PINNED)");
  const now = world.now();
  normaliseShaped(world, template, id, now);
  const vm: VmObject = {
    kind: "vm",
    id,
    name,
    uid: spec.uid,
    gid: spec.gid,
    perms: [...DEFAULT_VM_PERMISSIONS],
    template,
    userTemplate: user,
    regtime: now,
    version: 0,
    state: spec.hold || submitOnHold ? HOLD : PENDING,
    lcmState: L.LCM_INIT,
    prevState: spec.hold || submitOnHold ? HOLD : PENDING,
    prevLcmState: L.LCM_INIT,
    resched: 0,
    stime: now,
    etime: 0,
    deployId: "",
    lastPoll: 0,
    history: [],
    diskSnapshots: new Map(),
  };
  const bound: VectorValue[] = [];
  try {
    known.vectors("DISK").forEach((disk, i) => bound.push(bindDisk(world, vm, disk, i, caller)));
    for (const disk of bound) template.add("DISK", disk);
    known.vectors("NIC").forEach((nic, i) => template.add("NIC", bindNic(world, vm, nic, i, caller)));
  } catch (error) {
    // The disks bound so far, whether or not they made it into the template (a later disk may be what failed).
    for (const disk of bound) releaseImage(world, vm, disk);
    for (const nic of template.vectors("NIC")) releaseLease(world, vm, nic);
    if (error instanceof OneFailure && error.code === "ACTION") throw new OneFailure("ALLOCATE", error.detail);
    throw error;
  }
  return world.add(vm);
}
