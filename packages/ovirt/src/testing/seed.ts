// The engine a fresh installation has, plus what the oVirt SDK's examples assume: the admin user, the
// Default data center and cluster, a host that is up, an NFS data domain `mydata`, the ovirtmgmt
// network and its vNIC profile, the Blank template, the root tag, and a VM `python_vm`. Every seeded
// record is checked against the model, so a misspelt member fails at start rather than vanish.
import { enumValues, findWireStruct, wireStruct, type WireStruct } from "../wire/metadata.js";
import { BEHAVIORS } from "./behaviors.js";
import { BLANK_ID } from "./catalog.js";
import type { Engine } from "./engine.js";
import { isRecord, type WireRecord, type WireValue } from "./xml.js";

/** Throws when `record` has a member `struct` does not define, or an enum value it does not allow. */
export function checkRecord(struct: WireStruct, record: WireRecord, where = struct.name): void {
  for (const [key, value] of Object.entries(record)) {
    const member = struct.byXml.get(key);
    if (!member) throw new Error(`seed: ${where} has no member ${key}`);
    const items: WireValue[] = member.list ? (Array.isArray(value) ? value : [value!]) : [value!];
    for (const item of items) {
      if (member.kind === "struct") {
        if (!isRecord(item)) throw new Error(`seed: ${where}.${key} must be a ${member.type}`);
        checkRecord(findWireStruct(member.type)!, item, `${where}.${key}`);
      } else if (member.kind === "enum" && !enumValues(member.type)!.includes(String(item))) {
        throw new Error(`seed: ${where}.${key} = ${String(item)} is not a ${member.type}`);
      }
    }
  }
}

const version = (major: number, minor: number): WireRecord => ({ major: String(major), minor: String(minor) });
const GiB = 1024 ** 3;

export function seedEngine(engine: Engine, options: { withVm: boolean }): void {
  const { store } = engine;
  const id = () => engine.newId();
  const add = (collection: string, type: string, record: WireRecord) => {
    checkRecord(wireStruct(type), record);
    return store.insert(collection, type, record);
  };

  const admin = add("users", "User", {
    id: id(),
    name: "admin",
    department: "",
    domain_entry_id: "0",
    last_name: "",
    namespace: "*",
    principal: "admin",
    user_name: "admin@internal-authz",
  });
  const macPool = add("macpools", "MacPool", {
    id: id(),
    name: "Default",
    description: "Default MAC pool",
    allow_duplicates: "false",
    default_pool: "true",
    ranges: [{ from: "56:6f:00:00:00:00", to: "56:6f:ff:ff:ff:ff" }],
  });
  add("tags", "Tag", { id: BLANK_ID, name: "root", description: "root" });
  const superUser = add("roles", "Role", {
    id: id(),
    name: "SuperUser",
    description: "Roles management administrator",
    administrative: "true",
    mutable: "false",
  });
  // A few of the action groups the engine's SuperUser permits (it has them all).
  for (const [permitId, name, administrative] of [
    ["1", "create_vm", "false"],
    ["2", "delete_vm", "false"],
    ["1300", "login", "false"],
    ["100", "create_host", "true"],
  ]) {
    add(`roles/${superUser.id}/permits`, "Permit", { id: permitId, name, administrative, role: { id: superUser.id } });
  }
  const schedulingPolicy = add("schedulingpolicies", "SchedulingPolicy", {
    id: id(),
    name: "none",
    description: "No load balancing operation",
    default_policy: "true",
    locked: "true",
  });
  const dataCenter = add("datacenters", "DataCenter", {
    id: id(),
    name: "Default",
    description: "The default Data Center",
    local: "false",
    quota_mode: "disabled",
    status: "up",
    storage_format: "v5",
    supported_versions: [version(4, 7)],
    version: version(4, 7),
    mac_pool: { id: macPool.id },
  });
  const cluster = add("clusters", "Cluster", {
    id: id(),
    name: "Default",
    description: "The default server cluster",
    ballooning_enabled: "false",
    cpu: { architecture: "x86_64", type: "Intel Nehalem Family" },
    error_handling: { on_error: "migrate" },
    fencing_policy: {
      enabled: "true",
      skip_if_connectivity_broken: { enabled: "false", threshold: "50" },
      skip_if_sd_active: { enabled: "false" },
    },
    gluster_service: "false",
    ha_reservation: "false",
    ksm: { enabled: "true", merge_across_nodes: "true" },
    memory_policy: { over_commit: { percent: "100" }, transparent_hugepages: { enabled: "true" } },
    migration: { auto_converge: "inherit", bandwidth: { assignment_method: "auto" }, compressed: "inherit" },
    required_rng_sources: ["urandom"],
    threads_as_cores: "false",
    trusted_service: "false",
    tunnel_migration: "false",
    version: version(4, 7),
    virt_service: "true",
    data_center: { id: dataCenter.id },
    mac_pool: { id: macPool.id },
    scheduling_policy: { id: schedulingPolicy.id },
  });
  add("permissions", "Permission", {
    id: id(),
    cluster: { id: cluster.id },
    role: { id: superUser.id },
    user: { id: admin.id },
  });
  const host = add("hosts", "Host", {
    id: id(),
    name: "host1",
    address: "host1.example.com",
    cpu: {
      name: "Intel Core Processor (Haswell, no TSX)",
      speed: "3600",
      topology: { cores: "4", sockets: "1", threads: "2" },
    },
    external_status: "ok",
    kdump_status: "disabled",
    memory: String(16 * GiB),
    max_scheduling_memory: String(15 * GiB),
    os: { type: "RHEL", version: { full_version: "8.7 - 1.el8", major: "8" } },
    port: "54321",
    protocol: "stomp",
    spm: { priority: "5", status: "spm" },
    status: "up",
    type: "rhel",
    update_available: "false",
    cluster: { id: cluster.id },
  });
  add(`hosts/${host.id}/nics`, "HostNic", {
    id: id(),
    name: "eth0",
    boot_protocol: "static",
    bridged: "true",
    custom_configuration: "false",
    ip: { address: "192.168.122.39", gateway: "192.168.122.1", netmask: "255.255.255.0", version: "v4" },
    ipv6: { gateway: "::", version: "v6" },
    ipv6_boot_protocol: "none",
    mac: { address: "52:54:00:0c:79:1d" },
    mtu: "1500",
    status: "up",
    host: { id: host.id },
  });
  add(`hosts/${host.id}/statistics`, "Statistic", {
    id: id(),
    name: "memory.total",
    description: "Total memory",
    kind: "gauge",
    type: "integer",
    unit: "bytes",
    values: [{ datum: String(16 * GiB) }],
    host: { id: host.id },
  });
  add("storagedomains", "StorageDomain", {
    id: id(),
    name: "mydata",
    description: "My data",
    available: String(36 * GiB),
    backup: "false",
    block_size: "512",
    committed: String(GiB),
    critical_space_action_blocker: "5",
    discard_after_delete: "false",
    external_status: "ok",
    master: "true",
    status: "active",
    storage: { address: "mynfs.example.com", nfs_version: "v3", path: "/exports/mydata", type: "nfs" },
    storage_format: "v5",
    supports_discard: "false",
    type: "data",
    used: String(13 * GiB),
    warning_low_space_indicator: "10",
    wipe_after_delete: "false",
    data_centers: [{ id: dataCenter.id }],
  });
  const network = add("networks", "Network", {
    id: id(),
    name: "ovirtmgmt",
    description: "Management Network",
    mtu: "0",
    required: "true",
    stp: "false",
    usages: ["management", "vm"],
    data_center: { id: dataCenter.id },
  });
  add("vnicprofiles", "VnicProfile", {
    id: id(),
    name: "ovirtmgmt",
    migratable: "false",
    pass_through: { mode: "disabled" },
    port_mirroring: "false",
    network: { id: network.id },
  });
  add("templates", "Template", {
    id: BLANK_ID,
    name: "Blank",
    description: "Blank template",
    comment: "",
    bios: { boot_menu: { enabled: "false" }, type: "q35_ovmf" },
    cpu: { architecture: "x86_64", topology: { cores: "1", sockets: "1", threads: "1" } },
    cpu_shares: "0",
    creation_time: "2008-04-01T00:00:00.000+00:00",
    delete_protected: "false",
    display: {
      allow_override: "false",
      copy_paste_enabled: "true",
      file_transfer_enabled: "true",
      monitors: "1",
      type: "vnc",
    },
    high_availability: { enabled: "false", priority: "0" },
    io: { threads: "1" },
    memory: String(GiB),
    memory_policy: { guaranteed: String(GiB), max: String(4 * GiB), ballooning: "true" },
    migration_downtime: "-1",
    multi_queues_enabled: "true",
    origin: "ovirt",
    os: { boot: { devices: ["hd"] }, type: "other" },
    soundcard_enabled: "false",
    start_paused: "false",
    stateless: "false",
    status: "ok",
    storage_error_resume_behaviour: "auto_resume",
    type: "server",
    usb: { enabled: "false" },
    version: { version_name: "base version", version_number: "1", base_template: { id: BLANK_ID } },
  });
  if (options.withVm) {
    BEHAVIORS.Vm!.add!(engine, {
      collection: "vms",
      struct: wireStruct("Vm"),
      record: {
        name: "python_vm",
        description: "A VM of the oVirt SDK examples",
        cluster: { id: cluster.id },
        template: { id: BLANK_ID },
      },
      query: new URLSearchParams(),
    });
  }
  // A fresh engine shows no jobs: the ones seeding made go.
  for (const job of store.list("jobs")) store.remove(job);
}
