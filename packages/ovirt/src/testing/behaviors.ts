// What the simulator's entities do beyond being stored: defaults the engine fills in, mandatory
// members, the checks that make it answer 409 ("[Cannot run VM. VM is running.]"), VM status changes
// over time (down -> wait_for_launch -> powering_up -> up), disks that stay `locked` while they are
// created, and a job for every command, found again by its `Correlation-Id`.
import { randomBytes } from "node:crypto";
import { isA, wireStruct, type WireStruct } from "../wire/metadata.js";
import type { WireService } from "../wire/services.js";
import { BLANK_ID, topLevelOf } from "./catalog.js";
import { entityNotFound, incomplete, operationFailed } from "./faults.js";
import type { Transitions } from "./lifecycle.js";
import type { Placed } from "./render.js";
import { pathOf, refId, type Entity, type Store } from "./store.js";
import { isRecord, type WireRecord, type WireValue } from "./xml.js";
import { SNAPSHOT_AND_STORAGE_ACTIONS, attachStorageDomain, snapshotBehavior } from "./snapshots-storage.js";

/** What behaviours need of the engine. */
export interface EngineContext {
  readonly store: Store;
  readonly transitions: Transitions;
  newId(): string;
  /** Now, as the engine writes dates. */
  now(): string;
  canonical(type: string, id: string): Placed | undefined;
  findByName(type: string, name: string): Entity | undefined;
  entitiesOf(path: string, service: WireService, owner?: Placed): Placed[];
  /** Adds without behaviour of its own: mandatory members checked, references resolved, stored as sent. */
  addGeneric(request: AddRequest, mandatory?: readonly string[]): Entity;
}

export interface AddRequest {
  /** Path of the collection added to: `vms`, `vms/<id>/nics`. */
  collection: string;
  struct: WireStruct;
  record: WireRecord;
  owner?: Placed;
  query: URLSearchParams;
  correlationId?: string;
}

export interface Behavior {
  /** Mandatory members of an add, as the engine names them (`cluster.id|name`). */
  mandatory?: readonly string[];
  add?(ctx: EngineContext, request: AddRequest): Entity;
  /** An existing entity added to a view (a storage domain to a data center's `storagedomains`). */
  attach?(ctx: EngineContext, entity: Entity): void;
  /** Checks (and adjusts) the changes of an update before they are merged. */
  update?(ctx: EngineContext, placed: Placed, changes: WireRecord): void;
  remove?(ctx: EngineContext, placed: Placed, query: URLSearchParams, correlationId?: string): void;
}

export interface ActionOutcome {
  status?: string;
  job?: Entity;
}

export type ActionHandler = (
  ctx: EngineContext,
  placed: Placed,
  action: WireRecord,
  correlationId?: string,
) => ActionOutcome;

// ------------------------------------------------------------------------------------------------
// References and ownership

/**
 * Turns the references of a body into `{ id }`: `<cluster><name>Default</name></cluster>` or
 * `<cluster id="..."/>` must name an existing entity, else the engine's 404 "Entity not found".
 * Members in `except` are left alone (a disk attachment's `disk` may describe a new disk).
 */
export function resolveReferences(
  ctx: EngineContext,
  struct: WireStruct,
  record: WireRecord,
  except: readonly string[] = [],
): void {
  const resolve = (type: string, value: WireValue): WireValue => {
    if (!isRecord(value)) return value;
    const id = refId(value);
    if (id !== undefined) {
      if (!ctx.canonical(type, id)) throw entityNotFound(`${type}: id=${id}`);
      return { id };
    }
    if (typeof value.name !== "string") return value;
    const found = ctx.findByName(type, value.name);
    if (!found) throw entityNotFound(`${type}: name=${value.name}`);
    return { id: found.id };
  };
  for (const member of struct.members) {
    const value = record[member.xml];
    if (!member.link || value === undefined || except.includes(member.xml) || !topLevelOf(member.type)) continue;
    record[member.xml] = Array.isArray(value) ? value.map((v) => resolve(member.type, v)) : resolve(member.type, value);
  }
}

/** Sets the reference to the entity owning a sub-collection (a NIC's `vm`, a step's `job`). */
export function linkToOwner(struct: WireStruct, record: WireRecord, owner: Entity): void {
  const links = struct.members.filter((m) => m.link && isA(owner.type, m.type));
  // A single reference (a NIC's `vm`) rather than a list of them (its `vms`), as the engine writes.
  const member = links.find((m) => !m.list) ?? links[0];
  if (!member) return;
  if (!member.list) {
    record[member.xml] = { id: owner.id };
    return;
  }
  const current = Array.isArray(record[member.xml]) ? (record[member.xml] as WireValue[]) : [];
  if (!current.some((v) => refId(v) === owner.id)) record[member.xml] = [...current, { id: owner.id }];
}

/**
 * Checks mandatory members as the engine names them: `name`, `cluster.id|name` (a reference by id or
 * name), `storage_domains` (a non-empty list); throws "Incomplete parameters" naming what is missing.
 */
export function checkMandatory(
  struct: WireStruct,
  record: WireRecord,
  mandatory: readonly string[],
  method = "add",
): void {
  const missing = mandatory.filter((spec) => {
    const [path, alternatives] = spec.split(".") as [string, string | undefined];
    const value = record[path];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) return true;
    return (
      alternatives !== undefined && (!isRecord(value) || alternatives.split("|").every((n) => value[n] === undefined))
    );
  });
  if (missing.length) throw incomplete(struct.name, missing, method);
}

/** Copies `source` under `target`, member by member, so a body overrides defaults only where it says something. */
function deepMerge(target: WireRecord, source: WireRecord): WireRecord {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];
    target[key] = isRecord(value) && isRecord(current) ? deepMerge({ ...current }, value) : value;
  }
  return target;
}

const clone = <T extends WireValue>(value: T): T => structuredClone(value);

function uniqueName(entities: Entity[], name: WireValue | undefined, except: Entity | undefined, what: string): void {
  if (typeof name === "string" && entities.some((e) => e !== except && e.record.name === name)) {
    throw operationFailed(`Cannot ${what}. The given name is already in use.`);
  }
}

/** The checks every add starts with: mandatory members, references, a name not in use among `siblings`. */
function prepareAdd(
  ctx: EngineContext,
  struct: WireStruct,
  record: WireRecord,
  mandatory: readonly string[],
  siblings: Entity[],
  what: string,
): void {
  checkMandatory(struct, record, mandatory);
  resolveReferences(ctx, struct, record);
  uniqueName(siblings, record.name, undefined, what);
}

// ------------------------------------------------------------------------------------------------
// Jobs

const adminId = (ctx: EngineContext): string | undefined => ctx.store.list("users")[0]?.id;

export function startJob(ctx: EngineContext, description: string, correlationId?: string): Entity {
  const now = ctx.now();
  const record: WireRecord = {
    id: ctx.newId(),
    description,
    auto_cleared: "true",
    external: "false",
    last_updated: now,
    start_time: now,
    status: "started",
  };
  const owner = adminId(ctx);
  if (owner) record.owner = { id: owner };
  const job = ctx.store.insert("jobs", "Job", record, correlationId ? { correlationId } : {});
  ctx.store.insert(`jobs/${job.id}/steps`, "Step", {
    id: ctx.newId(),
    description: "Executing",
    external: "false",
    number: "0",
    start_time: now,
    status: "started",
    type: "executing",
    job: { id: job.id },
  });
  return job;
}

export function finishJob(ctx: EngineContext, job: Entity, status = "finished"): void {
  const now = ctx.now();
  Object.assign(job.record, { status, end_time: now, last_updated: now });
  for (const step of ctx.store.list(`jobs/${job.id}/steps`)) Object.assign(step.record, { status, end_time: now });
}

/** Runs a job through `steps` status changes of `entity`, finishing the job with the last one. */
function runSteps(ctx: EngineContext, entity: Entity, job: Entity, steps: ReadonlyArray<() => void>): void {
  const key = pathOf(entity);
  const previous = entity.meta.jobId === undefined ? undefined : ctx.store.get("jobs", entity.meta.jobId);
  // A new command on the same object supersedes the pending one (a stop during powering_up).
  if (previous && ctx.transitions.pending(key)) finishJob(ctx, previous);
  entity.meta.jobId = job.id;
  if (steps.length === 0) {
    ctx.transitions.cancel(key);
    finishJob(ctx, job);
    return;
  }
  const last = steps.length - 1;
  ctx.transitions.run(
    key,
    steps.map((step, i) => () => {
      step();
      if (i === last) finishJob(ctx, job);
    }),
  );
}

// ------------------------------------------------------------------------------------------------
// VMs

const VM_RUNNING = new Set([
  "up",
  "powering_up",
  "wait_for_launch",
  "reboot_in_progress",
  "powering_down",
  "migrating",
  "saving_state",
  "restoring_state",
  "not_responding",
  "unknown",
  "paused",
]);
const VM_STOPPABLE = new Set([...VM_RUNNING, "suspended"]);

/** Members a VM takes from its template, and a template from its VM: VmBase's but identity and placement. */
const NOT_INHERITED = new Set(["id", "name", "description", "comment", "creation_time", "cluster", "storage_domain"]);

function vmBaseOf(source: WireRecord): WireRecord {
  const copy: WireRecord = {};
  for (const member of wireStruct("VmBase").members) {
    const value = source[member.xml];
    if (member.declaredIn === "VmBase" && value !== undefined && !NOT_INHERITED.has(member.xml)) {
      copy[member.xml] = clone(value);
    }
  }
  return copy;
}

function vmHost(ctx: EngineContext, vm: Entity, avoid?: string): string | undefined {
  const cluster = refId(vm.record.cluster);
  const up = ctx.store
    .list("hosts")
    .filter((h) => h.record.status === "up" && (cluster === undefined || refId(h.record.cluster) === cluster));
  return (up.find((h) => h.id !== avoid) ?? up[0])?.id;
}

function setVmStatus(ctx: EngineContext, vm: Entity, status: string): void {
  const record = vm.record;
  record.status = status;
  if (status === "up" && !record.host) {
    const host = vmHost(ctx, vm);
    if (host) record.host = { id: host };
  }
  if (status === "wait_for_launch") {
    record.start_time = ctx.now();
    delete record.stop_time;
  }
  if (status === "down") {
    delete record.host;
    record.stop_time = ctx.now();
    record.stop_reason = "";
  }
}

function vmChain(
  ctx: EngineContext,
  vm: Entity,
  description: string,
  now: string | undefined,
  later: string[],
  correlationId?: string,
): ActionOutcome {
  const job = startJob(ctx, `${description} ${String(vm.record.name)}`, correlationId);
  if (now) setVmStatus(ctx, vm, now);
  runSteps(
    ctx,
    vm,
    job,
    later.map((status) => () => setVmStatus(ctx, vm, status)),
  );
  return { job };
}

const lockedVm = (what: string) =>
  operationFailed(`Cannot ${what} VM: VM is locked. Please try again in a few minutes.`);

function vmDisks(ctx: EngineContext, vm: Entity): Entity[] {
  return ctx.store
    .list(`vms/${vm.id}/diskattachments`)
    .map((a) => ctx.canonical("Disk", refId(a.record.disk) ?? "")?.entity)
    .filter((d): d is Entity => d !== undefined);
}

const startVm: ActionHandler = (ctx, { entity: vm }, _action, correlationId) => {
  const status = String(vm.record.status);
  if (status === "image_locked") throw lockedVm("run");
  const locked = vmDisks(ctx, vm).filter((d) => d.record.status === "locked");
  if (locked.length) {
    const aliases = locked.map((d) => String(d.record.alias ?? d.record.name)).join(", ");
    throw operationFailed(
      `Cannot run VM: The following disks are locked: ${aliases}. Please try again in a few minutes.`,
    );
  }
  if (status === "suspended") return vmChain(ctx, vm, "Resuming VM", "restoring_state", ["up"], correlationId);
  if (status === "paused") return vmChain(ctx, vm, "Resuming VM", undefined, ["up"], correlationId);
  if (status !== "down") throw operationFailed("Cannot run VM. VM is running.");
  if (!vmHost(ctx, vm))
    throw operationFailed("Cannot run VM. There is no host that satisfies current scheduling constraints.");
  return vmChain(ctx, vm, "Launching VM", "wait_for_launch", ["powering_up", "up"], correlationId);
};

/** An action allowed from `allowed` states, moving the VM to `now` and then through `later`. */
function vmCommand(
  verb: string,
  description: string,
  allowed: ReadonlySet<string>,
  notAllowed: string,
  now: string,
  later: string[],
): ActionHandler {
  return (ctx, { entity: vm }, _action, correlationId) => {
    const status = String(vm.record.status);
    if (status === "image_locked") throw lockedVm(verb);
    if (!allowed.has(status)) throw operationFailed(`Cannot ${verb} VM. ${notAllowed}`);
    return vmChain(ctx, vm, description, now, later, correlationId);
  };
}

const UP = new Set(["up"]);

/** The template of the VM whose snapshot `snapshotId` is (the engine's 404 when there is none). */
function cloneSource(ctx: EngineContext, snapshotId: string): WireRecord {
  for (const vm of ctx.store.list("vms")) {
    if (ctx.store.list(`vms/${vm.id}/snapshots`).some((s) => s.id === snapshotId)) {
      return { id: refId(vm.record.template) ?? BLANK_ID };
    }
  }
  throw entityNotFound(`Snapshot: id=${snapshotId}`);
}

const vmBehavior: Behavior = {
  mandatory: ["name", "cluster.id|name", "template.id|name"],
  add(ctx, { record, correlationId }) {
    // A clone of a snapshot (`<snapshots><snapshot id=.../></snapshots>`) takes the snapshot's VM's template.
    const snapshotId = Array.isArray(record.snapshots) ? refId(record.snapshots[0]) : undefined;
    if (snapshotId !== undefined && record.template === undefined) record.template = cloneSource(ctx, snapshotId);
    delete record.snapshots;
    prepareAdd(ctx, wireStruct("Vm"), record, this.mandatory!, ctx.store.list("vms"), "add VM");
    const template = ctx.canonical("Template", refId(record.template)!)!.entity;
    const vm = deepMerge(vmBaseOf(template.record), record);
    const memory = Number(vm.memory ?? 1073741824);
    deepMerge(vm, {
      id: ctx.newId(),
      creation_time: ctx.now(),
      status: "down",
      stop_time: ctx.now(),
      stop_reason: "",
      original_template: { id: template.id },
      next_run_configuration_exists: "false",
      run_once: "false",
      has_illegal_images: "false",
    });
    // The engine names the placement's hosts by id, and places a VM anywhere (migratable) by default.
    const placement = isRecord(vm.placement_policy) ? vm.placement_policy : {};
    if (Array.isArray(placement.hosts)) resolveReferences(ctx, wireStruct("VmPlacementPolicy"), placement);
    vm.placement_policy = { affinity: "migratable", ...placement };
    vm.memory_policy = deepMerge(
      { guaranteed: String(memory), max: String(memory * 4), ballooning: "true" },
      isRecord(vm.memory_policy) ? vm.memory_policy : {},
    );
    const entity = ctx.store.insert("vms", "Vm", vm);
    ctx.store.insert(`vms/${entity.id}/snapshots`, "Snapshot", {
      id: ctx.newId(),
      description: "Active VM",
      date: ctx.now(),
      persist_memorystate: "false",
      snapshot_status: "ok",
      snapshot_type: "active",
      vm: { id: entity.id },
    });
    finishJob(
      ctx,
      startJob(ctx, `Creating VM ${String(vm.name)} from Template ${String(template.record.name)}`, correlationId),
    );
    return entity;
  },
  update(ctx, { entity }, changes) {
    uniqueName(ctx.store.list("vms"), changes.name, entity, "edit VM");
    for (const readOnly of ["status", "creation_time", "start_time", "stop_time", "host"]) delete changes[readOnly];
  },
  remove(ctx, { entity: vm }, query) {
    const status = String(vm.record.status);
    if (status === "image_locked") throw lockedVm("remove");
    if (VM_STOPPABLE.has(status)) throw operationFailed("Cannot remove VM. VM is running.");
    if (vm.record.delete_protected === "true") {
      throw operationFailed(
        "Cannot remove VM. Delete protection is enabled. In order to delete, disable Delete protection first.",
      );
    }
    const detachOnly = query.get("detach_only") === "true";
    for (const disk of vmDisks(ctx, vm)) if (!detachOnly) ctx.store.remove(disk);
    ctx.transitions.cancel(pathOf(vm));
    ctx.store.remove(vm);
  },
};

// ------------------------------------------------------------------------------------------------
// NICs

function macAddress(): string {
  // The engine's default MAC pool range starts with 56:6f.
  return ["56", "6f", ...[...randomBytes(4)].map((b) => b.toString(16).padStart(2, "0"))].join(":");
}

/** v3 clients name a NIC's network; v4 engines keep the network's vNIC profile instead. */
function networkToProfile(ctx: EngineContext, record: WireRecord): void {
  const network = refId(record.network);
  if (network === undefined) return;
  delete record.network;
  if (record.vnic_profile) return;
  const profile = ctx.store.list("vnicprofiles").find((p) => refId(p.record.network) === network);
  if (profile) record.vnic_profile = { id: profile.id };
}

const nicBehavior: Behavior = {
  mandatory: ["name"],
  add(ctx, { collection, struct, record, owner }) {
    prepareAdd(ctx, struct, record, this.mandatory!, ctx.store.list(collection), "add Interface");
    networkToProfile(ctx, record);
    const nic = deepMerge(
      { interface: "virtio", linked: "true", plugged: "true", mac: { address: macAddress() } },
      record,
    );
    if (owner) linkToOwner(struct, nic, owner.entity);
    nic.id = ctx.newId();
    return ctx.store.insert(collection, struct.name, nic);
  },
  update(ctx, { entity }, changes) {
    uniqueName(ctx.store.list(entity.collection), changes.name, entity, "edit Interface");
    networkToProfile(ctx, changes);
  },
};

// ------------------------------------------------------------------------------------------------
// Disks

/** Creates a disk: `locked` for two steps (the engine copies or allocates the image), then `ok`. */
function createDisk(ctx: EngineContext, spec: WireRecord, defaultName: string, correlationId?: string): Entity {
  const struct = wireStruct("Disk");
  const lun = spec.lun_storage !== undefined;
  checkMandatory(struct, spec, lun ? ["lun_storage"] : ["provisioned_size", "format", "storage_domains"]);
  resolveReferences(ctx, struct, spec);
  const name = typeof spec.alias === "string" ? spec.alias : typeof spec.name === "string" ? spec.name : defaultName;
  const cow = spec.format === "cow";
  const disk = deepMerge(
    {
      id: ctx.newId(),
      name,
      alias: name,
      actual_size: "0",
      total_size: "0",
      content_type: "data",
      propagate_errors: "false",
      shareable: "false",
      sparse: cow ? "true" : "false",
      status: lun ? "ok" : "locked",
      storage_type: lun ? "lun" : "image",
      wipe_after_delete: "false",
      ...(cow ? { qcow_version: "qcow2_v3" } : {}),
      ...(lun ? {} : { image_id: ctx.newId() }),
    },
    spec,
  );
  delete disk.interface;
  delete disk.bootable;
  disk.name = name;
  disk.alias = name;
  const entity = ctx.store.insert("disks", "Disk", disk);
  const job = startJob(ctx, `Adding Disk ${name}`, correlationId);
  runSteps(
    ctx,
    entity,
    job,
    lun
      ? []
      : [
          () => undefined,
          () => {
            entity.record.status = "ok";
            entity.record.actual_size = entity.record.total_size = cow
              ? "200704"
              : String(entity.record.provisioned_size);
          },
        ],
  );
  return entity;
}

function attachmentsOf(ctx: EngineContext, diskId: string): Entity[] {
  return ctx.store
    .paths()
    .filter((p) => /^(vms|templates)\/[^/]+\/diskattachments$/.test(p))
    .flatMap((p) => ctx.store.list(p))
    .filter((a) => refId(a.record.disk) === diskId);
}

const ownerVm = (ctx: EngineContext, attachment: Entity): Entity | undefined =>
  ctx.canonical("Vm", refId(attachment.record.vm) ?? "")?.entity;

const diskAttachmentBehavior: Behavior = {
  mandatory: ["disk", "interface"],
  add(ctx, { collection, struct, record, owner, correlationId }) {
    checkMandatory(struct, record, this.mandatory!);
    resolveReferences(ctx, struct, record, ["disk"]);
    const spec = record.disk as WireRecord;
    let disk: Entity;
    const existing = refId(spec);
    if (existing !== undefined) {
      const found = ctx.canonical("Disk", existing);
      if (!found) throw entityNotFound(`Disk: id=${existing}`);
      disk = found.entity;
      if (disk.record.shareable !== "true" && attachmentsOf(ctx, disk.id).length > 0) {
        throw operationFailed("Cannot attach Virtual Disk. The disk is not shareable and is already attached to a VM.");
      }
    } else {
      const count = ctx.store.list(collection).length + 1;
      disk = createDisk(ctx, spec, `${String(owner?.entity.record.name ?? "disk")}_Disk${count}`, correlationId);
    }
    const attachment = deepMerge(
      { active: "true", bootable: "false", pass_discard: "false", read_only: "false", uses_scsi_reservation: "false" },
      record,
    );
    attachment.id = disk.id;
    attachment.disk = { id: disk.id };
    if (owner) linkToOwner(struct, attachment, owner.entity);
    return ctx.store.insert(collection, struct.name, attachment);
  },
  remove(ctx, { entity: attachment }, query) {
    const vm = ownerVm(ctx, attachment);
    if (vm && attachment.record.active === "true" && VM_RUNNING.has(String(vm.record.status))) {
      throw operationFailed("Cannot detach Virtual Disk. VM is running.");
    }
    ctx.store.remove(attachment);
    // The model's default: detach only, the disk stays.
    if (query.get("detach_only") === "false") {
      const disk = ctx.canonical("Disk", attachment.id);
      if (disk) ctx.store.remove(disk.entity);
    }
  },
};

const diskBehavior: Behavior = {
  add: (ctx, { record, correlationId }) =>
    createDisk(ctx, record, `disk_${ctx.store.list("disks").length + 1}`, correlationId),
  remove(ctx, { entity: disk }) {
    const attachments = attachmentsOf(ctx, disk.id);
    if (attachments.some((a) => VM_RUNNING.has(String(ownerVm(ctx, a)?.record.status)))) {
      throw operationFailed("Cannot remove Virtual Disk. At least one of the VMs is not down.");
    }
    for (const attachment of attachments) ctx.store.remove(attachment);
    ctx.transitions.cancel(pathOf(disk));
    ctx.store.remove(disk);
  },
};

// ------------------------------------------------------------------------------------------------
// Templates, hosts and the data center side

const templateBehavior: Behavior = {
  mandatory: ["name", "vm.id|name"],
  add(ctx, { record, correlationId }) {
    prepareAdd(ctx, wireStruct("Template"), record, this.mandatory!, ctx.store.list("templates"), "add Template");
    const vm = ctx.canonical("Vm", refId(record.vm)!)!.entity;
    if (VM_STOPPABLE.has(String(vm.record.status))) throw operationFailed("Cannot add Template. VM is running.");
    const template = deepMerge(vmBaseOf(vm.record), record);
    Object.assign(template, {
      id: ctx.newId(),
      creation_time: ctx.now(),
      status: "locked",
      cluster: clone(vm.record.cluster ?? {}),
      version: { version_number: "1", version_name: "base version" },
    });
    const entity = ctx.store.insert("templates", "Template", template);
    const job = startJob(
      ctx,
      `Creating Template ${String(template.name)} from VM ${String(vm.record.name)}`,
      correlationId,
    );
    // The engine locks the VM while it copies the VM's disks into the template.
    const vmStatus = vm.record.status;
    vm.record.status = "image_locked";
    runSteps(ctx, entity, job, [
      () => undefined,
      () => {
        entity.record.status = "ok";
        vm.record.status = vmStatus;
      },
    ]);
    return entity;
  },
  remove(ctx, { entity: template }) {
    if (template.id === BLANK_ID) {
      throw operationFailed("Cannot remove Template. Blank Template cannot be removed.");
    }
    const users = ctx.store.list("vms").filter((vm) => refId(vm.record.template) === template.id);
    if (users.length) {
      const names = users.map((vm) => String(vm.record.name)).join(", ");
      throw operationFailed(`Cannot remove Template. Template is being used by the following VMs: ${names}.`);
    }
    ctx.store.remove(template);
  },
};

const hostBehavior: Behavior = {
  mandatory: ["name", "address"],
  add(ctx, { record, correlationId }) {
    prepareAdd(ctx, wireStruct("Host"), record, this.mandatory!, ctx.store.list("hosts"), "add Host");
    const cluster = record.cluster ?? { id: ctx.findByName("Cluster", "Default")?.id ?? "" };
    delete record.root_password;
    const host = deepMerge({ port: "54321", type: "rhel", status: "installing", cluster }, record);
    host.id = ctx.newId();
    const entity = ctx.store.insert("hosts", "Host", host);
    const job = startJob(ctx, `Adding new Host ${String(host.name)} to Cluster`, correlationId);
    runSteps(ctx, entity, job, [() => (entity.record.status = "initializing"), () => (entity.record.status = "up")]);
    return entity;
  },
  remove(ctx, { entity: host }) {
    // The engine removes only a host that is not operational (RemoveVdsCommand); `force` does not change that.
    if (!HOST_REMOVABLE.has(String(host.record.status))) {
      throw operationFailed("Cannot remove Host. Host is operational. Please switch Host to Maintenance mode first.");
    }
    ctx.transitions.cancel(pathOf(host));
    ctx.store.remove(host);
  },
};

const HOST_REMOVABLE = new Set([
  "maintenance",
  "non_responsive",
  "down",
  "unassigned",
  "install_failed",
  "pending_approval",
  "non_operational",
  "installing_os",
]);

function hostCommand(verb: string, from: string, through: string, to: string, description: string): ActionHandler {
  return (ctx, { entity: host }, _action, correlationId) => {
    if (host.record.status !== from)
      throw operationFailed(`Cannot ${verb} Host. Host status is ${String(host.record.status)}.`);
    const job = startJob(ctx, `${description} ${String(host.record.name)}`, correlationId);
    host.record.status = through;
    runSteps(ctx, host, job, [() => (host.record.status = to)]);
    return { job };
  };
}

/** Adds with nothing more than mandatory members and defaults. */
function plain(
  type: string,
  mandatory: readonly string[],
  defaults: (ctx: EngineContext) => WireRecord,
  after?: (ctx: EngineContext, entity: Entity) => void,
): Behavior {
  return {
    mandatory,
    add(ctx, request) {
      const { collection, record } = request;
      uniqueName(ctx.store.list(collection), record.name, undefined, `add ${type}`);
      const entity = ctx.addGeneric({ ...request, record: deepMerge(defaults(ctx), record) }, mandatory);
      after?.(ctx, entity);
      return entity;
    },
  };
}

export const BEHAVIORS: Readonly<Record<string, Behavior>> = {
  Vm: vmBehavior,
  Nic: nicBehavior,
  DiskAttachment: diskAttachmentBehavior,
  Disk: diskBehavior,
  Template: templateBehavior,
  Host: hostBehavior,
  DataCenter: plain("Data Center", ["name", "local"], () => ({
    status: "uninitialized",
    quota_mode: "disabled",
    storage_format: "v5",
  })),
  Cluster: plain("Cluster", ["name", "data_center.id|name"], () => ({
    ballooning_enabled: "false",
    version: { major: "4", minor: "7" },
  })),
  Network: plain(
    "Network",
    ["name", "data_center.id|name"],
    () => ({ mtu: "0", stp: "false", required: "true", status: "operational", usages: ["vm"] }),
    // The engine gives a new network a vNIC profile of the same name.
    (ctx, network) =>
      ctx.store.insert("vnicprofiles", "VnicProfile", {
        id: ctx.newId(),
        name: network.record.name,
        network: { id: network.id },
        port_mirroring: "false",
        pass_through: { mode: "disabled" },
      }),
  ),
  Snapshot: snapshotBehavior,
  StorageDomain: {
    ...plain("Storage", ["name", "type", "host.id|name", "storage"], () => ({
      status: "unattached", // until attached to a data center (its `data_center` in the add is not enough)
      available: "107374182400",
      used: "0",
      committed: "0",
      external_status: "ok",
      master: "false",
      storage_format: "v5",
      warning_low_space_indicator: "10",
      critical_space_action_blocker: "5",
      wipe_after_delete: "false",
    })),
    attach: attachStorageDomain, // to a data center: src/testing/snapshots-storage.ts
  },
};

export const ACTIONS: Readonly<Record<string, ActionHandler>> = {
  "VmService.start": startVm,
  "VmService.stop": vmCommand("stop", "Stopping VM", VM_STOPPABLE, "VM is not running.", "powering_down", ["down"]),
  "VmService.shutdown": vmCommand("shutdown", "Shutting down VM", VM_RUNNING, "VM is not running.", "powering_down", [
    "powering_down",
    "down",
  ]),
  "VmService.suspend": vmCommand("suspend", "Suspending VM", UP, "VM is not up.", "saving_state", [
    "saving_state",
    "suspended",
  ]),
  "VmService.reboot": vmCommand("reboot", "Rebooting VM", UP, "VM is not up.", "reboot_in_progress", ["up"]),
  "VmService.reset": vmCommand("reset", "Resetting VM", UP, "VM is not up.", "reboot_in_progress", ["up"]),
  "VmService.migrate": (ctx, placed, action, correlationId) => {
    const vm = placed.entity;
    const outcome = vmCommand("migrate", "Migrating VM", UP, "VM is not up.", "migrating", ["up"])(
      ctx,
      placed,
      action,
      correlationId,
    );
    const target = vmHost(ctx, vm, refId(vm.record.host));
    if (target) vm.record.host = { id: target };
    return outcome;
  },
  "HostService.deactivate": hostCommand(
    "deactivate",
    "up",
    "preparing_for_maintenance",
    "maintenance",
    "Moving Host to maintenance:",
  ),
  "HostService.activate": hostCommand("activate", "maintenance", "activating", "up", "Activating Host"),
  "JobService.end": (ctx, { entity: job }, action) => {
    finishJob(ctx, job, action.succeeded === "false" ? "failed" : "finished");
    return {};
  },
  ...SNAPSHOT_AND_STORAGE_ACTIONS,
};
