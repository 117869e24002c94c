// Idioms of public code written against PyONE, ported line by line and run against the simulator. Each
// test names its source (repository and path) and asserts what the Python code relied on. The sources:
// - ansible-collections/community.general: plugins/module_utils/opennebula.py, plugins/modules/one_host.py,
//   plugins/modules/one_image.py, plugins/inventory/opennebula.py (the Ansible modules and inventory);
// - EncoreTechnologies/stackstorm-open_nebula: actions/*.py (an automation pack);
// - PhilienTaylor/feldhost.cz-one-addon-backup-3par: functions.py (an OpenNebula add-on's backup tool);
// - OpenNebula/one: src/oca/python/pyone/__init__.py (PyONE's module: OneServer, exceptions, enums).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pyone, {
  HOST_STATES,
  HOST_STATUS,
  IMAGE_STATES,
  LCM_STATE,
  OneException,
  OneNoExistsException,
  OneServer,
  VM_STATE,
  nameOf,
} from "../../src/index.js";
import { startServer, type OneTestServer } from "../../src/testing/index.js";

let sim: OneTestServer;
let one: OneServer;

/** Polls `read` until `done` holds, letting the simulator's transitions run (no clock in the assertions). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const value = await read();
    if (done(value)) return value;
    await sim.idle();
    await new Promise((resolve) => setTimeout(resolve, sim.transitionMs));
  }
  throw new Error("the state was not reached");
}

beforeAll(async () => {
  sim = await startServer({ transitionMs: 10 });
  // module_utils/opennebula.py: OneServer(url, session), the session positional.
  one = new OneServer(sim.endpoint, sim.session);
});

afterAll(async () => {
  // module_utils/opennebula.py: close_one_client() calls one.server_close().
  await one.server_close();
  await sim.close();
  expect(sim.errors()).toEqual([]);
});

describe("PyONE's module object (OpenNebula/one src/oca/python/pyone/__init__.py)", () => {
  it("reaches OneServer, the exceptions and the enums as pyone.X", async () => {
    expect(pyone.OneServer).toBe(OneServer);
    const error = await one.vm.info(999_999).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(pyone.OneNoExistsException);
    expect(error).toBeInstanceOf(pyone.OneException);
    expect(pyone.HOST_STATES.MONITORING_ERROR).toBe(5);
    expect(pyone.nameOf("HOST_STATES", 1)).toBe("MONITORING_MONITORED");
    expect([pyone.DATASTORE_TYPES.IMAGE, pyone.DATASTORE_TYPES.SYSTEM, pyone.DATASTORE_TYPES.FILE]).toEqual([0, 1, 2]);
    expect(pyone.LCM_STATE.RUNNING).toBe(3);
  });
});

describe("ansible-collections/community.general plugins/module_utils/opennebula.py", () => {
  it("run_module: `except OneException` catches oned's failures", async () => {
    await expect(one.host.info(424_242)).rejects.toBeInstanceOf(OneException);
  });

  it("wait_for_state sleeps one.server_retry_interval() seconds between polls", () => {
    expect(one.server_retry_interval()).toBe(1);
  });

  it("resolve_parameters: clusterpool.info().CLUSTER, matched by NAME, gives cluster_id", async () => {
    const clusters = await one.clusterpool.info();
    const cluster = clusters.CLUSTER.find((c) => c.NAME === "default");
    expect(cluster?.ID).toBe(0);
  });

  it("get_host_by_name: hostpool.info().HOST, matched by NAME; None when absent", async () => {
    const hosts = await one.hostpool.info();
    expect(hosts.HOST.find((h) => h.NAME === "node01")?.ID).toBe(0);
    expect(hosts.HOST.find((h) => h.NAME === "nowhere")).toBeUndefined();
  });
});

describe("ansible-collections/community.general plugins/modules/one_host.py", () => {
  let hostId: number;

  it("allocate_host, then wait_for_host_state([HOST_STATES.MONITORED]) naming states by HOST_STATES(s).name", async () => {
    hostId = await one.host.allocate("ansible-host", "kvm", "kvm", 0);
    const seen: string[] = [];
    const host = await until(
      () => one.host.info(hostId),
      (h) => {
        seen.push(nameOf("HOST_STATES", h.STATE) ?? "?");
        return h.STATE === HOST_STATES.MONITORED;
      },
    );
    expect(host.NAME).toBe("ansible-host");
    expect(seen.at(-1)).toBe("MONITORED");
    expect(seen.every((name) => name !== "?")).toBe(true);
  });

  it("fails on invalid_states=[HOST_STATES.ERROR, HOST_STATES.MONITORING_ERROR]", async () => {
    const invalid = [HOST_STATES.ERROR, HOST_STATES.MONITORING_ERROR];
    expect(invalid).toEqual([3, 5]);
    expect(invalid).not.toContain((await one.host.info(hostId)).STATE);
  });

  it("state=disabled / enabled: host.status(id, HOST_STATUS.DISABLED), then HOST_STATUS.ENABLED", async () => {
    await one.host.status(hostId, HOST_STATUS.DISABLED);
    expect((await one.host.info(hostId)).STATE).toBe(HOST_STATES.DISABLED);
    expect(await one.host.status(hostId, HOST_STATUS.ENABLED)).toBe(hostId); // truthy, as the module tests
    expect((await one.host.info(hostId)).STATE).toBe(HOST_STATES.MONITORED);
  });

  it('merges labels with host.update(id, {"TEMPLATE": {...}}, 1), the root key making XML', async () => {
    const host = await one.host.info(hostId);
    await one.host.update(host.ID, { TEMPLATE: { LABELS: "web, db", RACK: "r1" } }, 1);
    const after = await one.host.info(hostId);
    expect(after.TEMPLATE).toMatchObject({ LABELS: "web, db", RACK: "r1" });
    expect(after.TEMPLATE["ARCH"]).toBe(host.TEMPLATE["ARCH"]); // merged, not replaced
  });

  it("moves the host with cluster.addhost(cluster_id, host.ID) when host.CLUSTER_ID differs", async () => {
    const clusterId = await one.cluster.allocate("ansible-cluster");
    expect((await one.host.info(hostId)).CLUSTER_ID).not.toBe(clusterId);
    await one.cluster.addhost(clusterId, hostId);
    expect((await one.host.info(hostId)).CLUSTER_ID).toBe(clusterId);
  });

  it("state=absent: host.delete(host.ID)", async () => {
    await one.host.delete(hostId);
    await expect(one.host.info(hostId)).rejects.toBeInstanceOf(OneNoExistsException);
  });
});

describe("ansible-collections/community.general plugins/modules/one_image.py", () => {
  let imageId: number;

  it("get_image: imagepool.info(-2, -1, -1, -1), four arguments, then a predicate over pool.IMAGE", async () => {
    const pool = await one.imagepool.info(-2, -1, -1, -1);
    expect(pool.IMAGE.find((image) => image.NAME === "Alpine Linux 3.21")?.ID).toBe(0);
    expect(pool.IMAGE.find((image) => image.ID === 0)?.NAME).toBe("Alpine Linux 3.21");
  });

  it("create_image: image.allocate('NAME = \"x\"\\n' + template, datastore_id), then wait_for_ready", async () => {
    imageId = await one.image.allocate('NAME = "ansible-data"\nTYPE = "DATABLOCK"\nSIZE = "64"', 1);
    const image = await until(
      () => one.image.info(imageId),
      (i) => i.STATE === IMAGE_STATES.READY || i.STATE === IMAGE_STATES.ERROR,
    );
    expect(image.STATE).toBe(IMAGE_STATES.READY);
    expect(image.NAME).toBe("ansible-data");
  });

  it("enable_image: image.enable(image.ID, False) gives DISABLED, named by IMAGE_STATES[state]", async () => {
    await one.image.enable(imageId, false);
    const state = (await one.image.info(imageId)).STATE;
    expect(state).toBe(IMAGE_STATES.DISABLED);
    expect(nameOf("IMAGE_STATES", state)).toBe("DISABLED");
    await one.image.enable(imageId, true);
    expect((await one.image.info(imageId)).STATE).toBe(IMAGE_STATES.READY);
  });

  it("change_persistence: image.persistent(image.ID, True)", async () => {
    await one.image.persistent(imageId, true);
    expect((await one.image.info(imageId)).PERSISTENT).toBe(1);
  });

  it("rename_image: image.rename(image.ID, new_name)", async () => {
    await one.image.rename(imageId, "ansible-data-renamed");
    const pool = await one.imagepool.info(-2, -1, -1, -1);
    expect(pool.IMAGE.find((image) => image.NAME === "ansible-data-renamed")?.ID).toBe(imageId);
  });

  it("delete_image: checks RUNNING_VMS, image.delete(image.ID), then image.info raises", async () => {
    expect((await one.image.info(imageId)).RUNNING_VMS).toBe(0);
    await one.image.delete(imageId);
    await until(
      () =>
        one.image.info(imageId).then(
          () => false,
          (e: unknown) => e instanceof OneNoExistsException,
        ),
      (gone) => gone,
    );
  });
});

describe("EncoreTechnologies/stackstorm-open_nebula actions", () => {
  let vmId: number;

  it("template_get_by_name.py: templatepool.info(-2, -1, -1, -1).VMTEMPLATE by NAME, TEMPLATE with ID added", async () => {
    const temps = (await one.templatepool.info(-2, -1, -1, -1)).VMTEMPLATE;
    const temp = temps.find((t) => t.NAME === "Alpine Linux 3.21")!;
    const returned = { ...temp.TEMPLATE, ID: temp.ID, NAME: temp.NAME };
    expect(returned).toMatchObject({ ID: 0, NAME: "Alpine Linux 3.21", MEMORY: "512" });
  });

  it("vm_disk_add.py: templatepool.info(-2, template_id, template_id), one template by id range", async () => {
    const templates = await one.templatepool.info(-2, 1, 1);
    expect(templates.VMTEMPLATE.map((t) => t.ID)).toEqual([1]);
  });

  it("template_instantiate.py + lib/action_base.py wait_for_vm: instantiate(id, name), poll LCM_STATE to 3", async () => {
    vmId = await one.template.instantiate(0, "st2-vm");
    const lcm = await until(
      async () => (await one.vm.info(vmId)).LCM_STATE,
      (state) => state === 3,
    );
    expect(lcm).toBe(LCM_STATE.RUNNING);
  });

  it("lib/action_base.py get_all_vm_ids: vmpool.info(-2, -1, -1, -1).VM, ids sorted", async () => {
    const ids = (await one.vmpool.info(-2, -1, -1, -1)).VM.map((vm) => vm.ID).sort((a, b) => a - b);
    expect(ids).toContain(vmId);
  });

  it('vm_get_by_name.py: vmpool.infoextended(-2, -1, -1, -1, "VM.NAME=" + name)', async () => {
    const vms = (await one.vmpool.infoextended(-2, -1, -1, -1, "VM.NAME=st2-vm")).VM;
    expect(vms.map((vm) => vm.ID)).toEqual([vmId]);
    expect(vms[0]!.TEMPLATE["MEMORY"]).toBe("512");
    // The action's fallback (no match: list them all) is reached only when no VM has the name.
    expect((await one.vmpool.infoextended(-2, -1, -1, -1, "VM.NAME=no-such-vm")).VM).toEqual([]);
  });

  it("vm_labels_add.py: vm.update(vm_id, {'LABELS': ','.join(labels)}, 1) merges the USER_TEMPLATE", async () => {
    await one.vm.update(vmId, { LABELS: ["a", "b"].join(",") }, 1);
    expect((await one.vm.info(vmId)).USER_TEMPLATE["LABELS"]).toBe("a,b");
  });

  it("vm_lock.py / vm_unlock.py: vm.lock(vm_id, 1) without the test flag, then vm.unlock(vm_id)", async () => {
    expect(await one.vm.lock(vmId, 1)).toBe(vmId);
    expect((await one.vm.info(vmId)).LOCK?.LOCKED).toBe(1);
    await one.vm.unlock(vmId);
    expect((await one.vm.info(vmId)).LOCK).toBeUndefined();
  });

  it("vm_disk_add.py: image.allocate(dict with a numeric SIZE, datastore_id), then poll STATE to 1", async () => {
    const id = await one.image.allocate({ NAME: "st2-disk", TYPE: "DATABLOCK", SIZE: 2 * 1024, PERSISTENT: "yes" }, 1);
    const state = await until(
      async () => (await one.image.info(id)).STATE,
      (s) => s !== IMAGE_STATES.LOCKED,
    );
    expect(state).toBe(1);
    expect((await one.image.info(id)).SIZE).toBe(2048);
  });

  it("vm_action_submit.py: vm.action(action, vm_id) with the action's name", async () => {
    await one.vm.action("poweroff", vmId);
    const vm = await until(
      () => one.vm.info(vmId),
      (v) => v.STATE === VM_STATE.POWEROFF,
    );
    expect(vm.STATE).toBe(8);
  });
});

describe("ansible-collections/community.general plugins/inventory/opennebula.py", () => {
  it("_retrieve_servers: vmpool.infoextended(-2, -1, -1, 3), LABELS split from USER_TEMPLATE, first NIC's IP", async () => {
    const id = await one.template.instantiate(0, "inventory-vm");
    await until(
      () => one.vm.info(id),
      (v) => v.LCM_STATE === LCM_STATE.RUNNING,
    );
    await one.vm.update(id, 'LABELS="web,prod"', 1);
    const vmPool = await one.vmpool.infoextended(-2, -1, -1, 3);
    const vm = vmPool.VM.find((v) => v.NAME === "inventory-vm")!;
    const labels = String(vm.USER_TEMPLATE["LABELS"] ?? "").split(",");
    expect(labels).toEqual(["web", "prod"]);
    // A single NIC is a dict in PyONE (the plugin wraps it in a list); here NIC is always an array.
    const nic = vm.TEMPLATE.NIC ?? [];
    expect(nic[0]?.["IP"]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(vmPool.VM.every((v) => v.STATE === VM_STATE.ACTIVE)).toBe(true);
  });
});

describe("PhilienTaylor/feldhost.cz-one-addon-backup-3par functions.py", () => {
  it("prepare_datastores: datastorepool.info().DATASTORE by ID, reading TM_MAD", async () => {
    const datastores = new Map((await one.datastorepool.info()).DATASTORE.map((ds) => [ds.ID, ds]));
    expect(datastores.get(1)?.TM_MAD).toBeTruthy();
  });

  it("prepare_images: imagepool.info(-2, -1, -1).IMAGE; filter_images: 'LABELS' in image.TEMPLATE", async () => {
    const images = (await one.imagepool.info(-2, -1, -1)).IMAGE;
    const labelled = images.filter((image) => "LABELS" in image.TEMPLATE);
    expect(images.length).toBeGreaterThan(labelled.length);
  });

  it("backup_image: image.update(id, 'A=B C=D', 1) marks the backup; image.lock(id, 4) without test", async () => {
    await one.image.update(0, 'BACKUP_IN_PROGRESS=YES BACKUP_STARTED_HUMAN="Sun Dec  6 03:00:00 2026"', 1);
    const image = await one.image.info(0);
    expect(image.TEMPLATE["BACKUP_IN_PROGRESS"]).toBe("YES");
    expect(image.TEMPLATE["BACKUP_STARTED_HUMAN"]).toBe("Sun Dec  6 03:00:00 2026");
    await one.image.lock(0, 4);
    // oned stores level 4 (ALL) as its USE lock (RequestManagerLock.cc), so LOCKED reads 1.
    expect((await one.image.info(0)).LOCK?.LOCKED).toBe(1);
    await one.image.unlock(0);
    await one.image.update(0, "BACKUP_IN_PROGRESS=NO", 1);
    expect((await one.image.info(0)).TEMPLATE["BACKUP_IN_PROGRESS"]).toBe("NO");
  });
});
