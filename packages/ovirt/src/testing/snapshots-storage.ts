// The simulator's snapshots and storage-domain attachment, as an engine answers them (v3 scripts wait on
// both): a snapshot is `locked` while it is taken, then `ok`; preview puts it `in_preview` (the VM must be
// down), commit or undo end the preview; a storage domain is `unattached` until attached to a data
// center, `locked` while attaching, then `active`, and `maintenance` after a deactivate.
import { wireStruct } from "../wire/metadata.js";
import {
  finishJob,
  resolveReferences,
  startJob,
  type ActionHandler,
  type Behavior,
  type EngineContext,
} from "./behaviors.js";
import { operationFailed } from "./faults.js";
import { pathOf, refId, type Entity } from "./store.js";

/** Runs `steps` on `entity`'s status one `stepMs` apart, under a job that finishes with the last one. */
function stepThrough(ctx: EngineContext, entity: Entity, description: string, steps: (() => void)[]): Entity {
  const job = startJob(ctx, description);
  ctx.transitions.run(
    pathOf(entity),
    steps.map((step, i) => () => {
      step();
      if (i === steps.length - 1) finishJob(ctx, job);
    }),
  );
  return job;
}

// ------------------------------------------------------------------------------------------------
// Snapshots

const snapshotsOf = (ctx: EngineContext, vm: Entity): Entity[] => ctx.store.list(`vms/${vm.id}/snapshots`);

export const snapshotBehavior: Behavior = {
  add(ctx, { collection, record, owner }) {
    const vm = owner!.entity;
    if (vm.record.status === "image_locked") throw operationFailed("Cannot create Snapshot. VM is locked.");
    if (snapshotsOf(ctx, vm).some((s) => s.record.snapshot_status === "in_preview")) {
      throw operationFailed("Cannot create Snapshot. VM is previewing a Snapshot.");
    }
    // The disks to include are named by id (`<disks><disk id=.../></disks>`); kept as sent.
    resolveReferences(ctx, wireStruct("Snapshot"), record, ["disks"]);
    const snapshot = ctx.store.insert(collection, "Snapshot", {
      ...record,
      id: ctx.newId(),
      date: ctx.now(),
      persist_memorystate: record.persist_memorystate ?? "false",
      snapshot_status: "locked",
      snapshot_type: "regular",
      vm: { id: vm.id },
    });
    stepThrough(ctx, snapshot, `Creating VM Snapshot ${String(record.description ?? "")}`, [
      () => void (snapshot.record.snapshot_status = "ok"),
    ]);
    return snapshot;
  },
  remove(ctx, { entity: snapshot }) {
    if (snapshot.record.snapshot_type === "active") throw operationFailed("Cannot remove the active snapshot.");
    if (snapshot.record.snapshot_status !== "ok") {
      throw operationFailed(`Cannot remove Snapshot. Snapshot is ${String(snapshot.record.snapshot_status)}.`);
    }
    ctx.store.remove(snapshot);
  },
};

const previewSnapshot: ActionHandler = (ctx, { entity: vm }, action) => {
  if (vm.record.status !== "down") throw operationFailed("Cannot preview Snapshot. VM is not down.");
  const id = refId(action.snapshot);
  const snapshot = snapshotsOf(ctx, vm).find((s) => s.id === id);
  if (!snapshot) throw operationFailed(`Cannot preview Snapshot. Snapshot ${String(id)} does not exist.`);
  if (snapshotsOf(ctx, vm).some((s) => s.record.snapshot_status === "in_preview")) {
    throw operationFailed("Cannot preview Snapshot. VM is previewing a Snapshot.");
  }
  snapshot.record.snapshot_status = "locked";
  vm.record.status = "image_locked";
  const job = stepThrough(ctx, snapshot, "Previewing VM Snapshot", [
    () => {
      snapshot.record.snapshot_status = "in_preview";
      vm.record.status = "down";
    },
  ]);
  return { job };
};

/** Commit or undo: the snapshot in preview goes back to `ok` (commit also drops the newer ones). */
function endPreview(verb: "commit" | "undo"): ActionHandler {
  return (ctx, { entity: vm }) => {
    const snapshots = snapshotsOf(ctx, vm);
    const previewed = snapshots.find((s) => s.record.snapshot_status === "in_preview");
    if (!previewed) throw operationFailed(`Cannot ${verb} Snapshot. VM is not previewing a Snapshot.`);
    previewed.record.snapshot_status = "locked";
    vm.record.status = "image_locked";
    const job = stepThrough(ctx, previewed, `${verb === "commit" ? "Committing" : "Undoing"} VM Snapshot preview`, [
      () => {
        previewed.record.snapshot_status = "ok";
        vm.record.status = "down";
        if (verb !== "commit") return;
        const since = String(previewed.record.date);
        for (const s of snapshots) {
          if (s.record.snapshot_type === "regular" && String(s.record.date) > since) ctx.store.remove(s);
        }
      },
    ]);
    return { job };
  };
}

// ------------------------------------------------------------------------------------------------
// Storage domains in a data center

/** Attached to a data center (`dc.storage_domains.add(sd)`): locked, then active. */
export function attachStorageDomain(ctx: EngineContext, domain: Entity): void {
  if (domain.record.status === "active" || domain.record.status === "maintenance") {
    throw operationFailed("Cannot attach Storage. Storage Domain is already attached to a Data Center.");
  }
  domain.record.status = "locked";
  stepThrough(ctx, domain, `Attaching Storage Domain ${String(domain.record.name)}`, [
    () => void (domain.record.status = "active"),
  ]);
}

function domainCommand(from: string, through: string, to: string, description: string): ActionHandler {
  return (ctx, { entity: domain }) => {
    if (domain.record.status !== from) {
      throw operationFailed(
        `Cannot ${description.toLowerCase()}. The Storage Domain is ${String(domain.record.status)}.`,
      );
    }
    domain.record.status = through;
    return {
      job: stepThrough(ctx, domain, `${description} ${String(domain.record.name)}`, [
        () => void (domain.record.status = to),
      ]),
    };
  };
}

export const SNAPSHOT_AND_STORAGE_ACTIONS: Readonly<Record<string, ActionHandler>> = {
  "VmService.preview_snapshot": previewSnapshot,
  "VmService.commit_snapshot": endPreview("commit"),
  "VmService.undo_snapshot": endPreview("undo"),
  "AttachedStorageDomainService.deactivate": domainCommand(
    "active",
    "preparing_for_maintenance",
    "maintenance",
    "Deactivating Storage Domain",
  ),
  "AttachedStorageDomainService.activate": domainCommand(
    "maintenance",
    "activating",
    "active",
    "Activating Storage Domain",
  ),
};
