// OpenNebula's enums twice over. The singular names (VM_STATE, LCM_STATE, HOST_STATE, IMAGE_TYPE ...) are
// oned 7.0.2's, generated. The plural names PyONE's module defines (HOST_STATES, IMAGE_TYPES, DISK_TYPES
// ...) hold PyONE's names and values (pyone/__init__.py), so `HOST_STATES.MONITORING_ERROR` and
// `nameOf("HOST_STATES", s)` (PyONE's `HOST_STATES(s).name`) port as written; oned's later names are added
// beside them. See docs/decisions/0009-pyone-faithful-face.md.
import { ValidationError } from "@nimbus-sdk/common";
import {
  DATASTORE_STATE,
  DATASTORE_TYPE,
  DISK_TYPE,
  ENUMS,
  HOST_STATE,
  HOST_STATUS_ARG,
  IMAGE_STATE,
  IMAGE_TYPE,
  MARKETPLACE_STATE,
  MARKETPLACEAPP_STATE,
  MARKETPLACEAPP_TYPE,
  VM_HISTORY_ACTION_BY_STRING,
  VNET_STATE,
} from "./generated/constants.js";

export * from "./generated/constants.js";

type Enum<N extends string> = Readonly<Record<N, number>>;

/**
 * A PyONE IntEnum (`IntEnum('HOST_STATES', 'INIT MONITORING_MONITORED ...', start=0)`): its names numbered
 * from 0, then oned's names it lacks. By value, PyONE's name comes first, as `HOST_STATES(1).name` answers.
 */
function pyoneEnum<const P extends string, O extends string = never>(
  words: readonly P[],
  oned: Enum<O> = {} as Enum<O>,
): { readonly values: Enum<P | O>; readonly byValue: Readonly<Record<string, P | O>> } {
  const values: Record<string, number> = {};
  const byValue: Record<string, string> = {};
  words.forEach((name, value) => {
    values[name] = value;
    byValue[String(value)] = name;
  });
  for (const [name, value] of Object.entries(oned) as [string, number][]) {
    values[name] ??= value;
    byValue[String(value)] ??= name;
  }
  return {
    values: Object.freeze(values) as Enum<P | O>,
    byValue: Object.freeze(byValue) as Readonly<Record<string, P | O>>,
  };
}

/** PyONE's enums by its names; values and names as pyone/__init__.py has them. */
export const PYONE_ENUMS = Object.freeze({
  DATASTORE_TYPES: pyoneEnum(["IMAGE", "SYSTEM", "FILE"], DATASTORE_TYPE),
  DATASTORE_STATES: pyoneEnum(["READY", "DISABLED"], DATASTORE_STATE),
  DISK_TYPES: pyoneEnum(["FILE", "CD_ROM", "BLOCK", "RBD", "FILE_SYSTEM"], DISK_TYPE),
  HOST_STATES: pyoneEnum(
    [
      "INIT",
      "MONITORING_MONITORED",
      "MONITORED",
      "ERROR",
      "DISABLED",
      "MONITORING_ERROR",
      "MONITORING_INIT",
      "MONITORING_DISABLED",
      "OFFLINE",
    ],
    HOST_STATE,
  ),
  HOST_STATUS: pyoneEnum(["ENABLED", "DISABLED", "OFFLINE"], HOST_STATUS_ARG),
  IMAGE_STATES: pyoneEnum(
    [
      "INIT",
      "READY",
      "USED",
      "DISABLED",
      "LOCKED",
      "ERROR",
      "CLONE",
      "DELETE",
      "USED_PERS",
      "LOCKED_USED",
      "LOCKED_USED_PERS",
    ],
    IMAGE_STATE,
  ),
  IMAGE_TYPES: pyoneEnum(["OS", "CDROM", "DATABLOCK", "KERNEL", "RAMDISK", "CONTEXT", "FILESYSTEM"], IMAGE_TYPE),
  MARKETPLACEAPP_STATES: pyoneEnum(["INIT", "READY", "LOCKED", "ERROR", "DISABLED"], MARKETPLACEAPP_STATE),
  MARKETPLACEAPP_TYPES: pyoneEnum(["UNKNOWN", "IMAGE", "VMTEMPLATE", "SERVICE_TEMPLATE"], MARKETPLACEAPP_TYPE),
  PAGINATED_POOLS: pyoneEnum(["VM_POOL", "IMAGE_POOL", "TEMPLATE_POOL", "VN_POOL", "DOCUMENT_POOL", "SECGROUP_POOL"]),
  REMOVE_VNET_ATTRS: pyoneEnum([
    "AR_ID",
    "BRIDGE",
    "CLUSTER_ID",
    "IP",
    "MAC",
    "TARGET",
    "NIC_ID",
    "NETWORK_ID",
    "VN_MAD",
    "SECURITY_GROUPS",
    "VLAN_ID",
  ]),
  // Not PyONE's, named its way: oned's enums under a plural name.
  MARKETPLACE_STATES: pyoneEnum([], MARKETPLACE_STATE),
  VN_STATES: pyoneEnum([], VNET_STATE),
});

/** PyONE's DATASTORE_TYPES: datastore types by name. */
export const DATASTORE_TYPES = PYONE_ENUMS.DATASTORE_TYPES.values;
/** PyONE's DATASTORE_STATES: datastore states by name. */
export const DATASTORE_STATES = PYONE_ENUMS.DATASTORE_STATES.values;
/** PyONE's DISK_TYPES: disk types by name. */
export const DISK_TYPES = PYONE_ENUMS.DISK_TYPES.values;
/** PyONE's HOST_STATES: host states by name. */
export const HOST_STATES = PYONE_ENUMS.HOST_STATES.values;
/** PyONE's HOST_STATUS: the statuses `one.host.status` takes. */
export const HOST_STATUS = PYONE_ENUMS.HOST_STATUS.values;
/** PyONE's IMAGE_STATES: image states by name. */
export const IMAGE_STATES = PYONE_ENUMS.IMAGE_STATES.values;
/** PyONE's IMAGE_TYPES: image types by name. */
export const IMAGE_TYPES = PYONE_ENUMS.IMAGE_TYPES.values;
/** PyONE's MARKETPLACEAPP_STATES: marketplace app states by name. */
export const MARKETPLACEAPP_STATES = PYONE_ENUMS.MARKETPLACEAPP_STATES.values;
/** PyONE's MARKETPLACEAPP_TYPES: marketplace app types by name. */
export const MARKETPLACEAPP_TYPES = PYONE_ENUMS.MARKETPLACEAPP_TYPES.values;
/** PyONE's PAGINATED_POOLS: the pool filter flags (mine, all, group …). */
export const PAGINATED_POOLS = PYONE_ENUMS.PAGINATED_POOLS.values;
/** PyONE's REMOVE_VNET_ATTRS: the virtual network attributes a reservation may not set. */
export const REMOVE_VNET_ATTRS = PYONE_ENUMS.REMOVE_VNET_ATTRS.values;
/** PyONE's MARKETPLACE_STATES: marketplace states by name. */
export const MARKETPLACE_STATES = PYONE_ENUMS.MARKETPLACE_STATES.values;
/** PyONE's VN_STATES: virtual network states by name. */
export const VN_STATES = PYONE_ENUMS.VN_STATES.values;
/**
 * History actions by CLI name ("live-migrate" → 2), as PyONE's HISTORY_ACTION, with oned 7.0.2's numbering
 * (PyONE's list still has the actions oned retired, so its numbers past 2 are stale).
 */
export const HISTORY_ACTION = VM_HISTORY_ACTION_BY_STRING;

const HISTORY_ACTION_ENUM = {
  values: HISTORY_ACTION,
  byValue: Object.freeze(
    Object.fromEntries(Object.entries(HISTORY_ACTION).map(([name, value]) => [String(value), name])),
  ) as Readonly<Record<string, keyof typeof HISTORY_ACTION>>,
};

/** Every enum `nameOf` and `valueOf` know: oned's singular names and PyONE's plural ones. */
const ALL_ENUMS = { ...ENUMS, ...PYONE_ENUMS, HISTORY_ACTION: HISTORY_ACTION_ENUM };
/** The name of any enum {@link nameOf} and {@link valueOf} know: oned's singular names and PyONE's plural ones. */
export type AnyEnumName = keyof typeof ALL_ENUMS;

type ValueOf<E extends AnyEnumName> = (typeof ALL_ENUMS)[E]["values"][keyof (typeof ALL_ENUMS)[E]["values"]];
type NameOf<E extends AnyEnumName> = keyof (typeof ALL_ENUMS)[E]["values"] & string;

/**
 * The name of a value: `nameOf("VM_STATE", 3)` is "ACTIVE", `nameOf("HOST_STATES", 5)` "MONITORING_ERROR"
 * (PyONE's `HOST_STATES(5).name`); undefined for a value the enum lacks (PyONE raises ValueError).
 */
export function nameOf<E extends AnyEnumName>(enumName: E, value: ValueOf<E> | number | bigint): NameOf<E> | undefined {
  const byValue = enumOf(enumName).byValue as Readonly<Record<string, string>>;
  // String() would round a large double (2^55 → "36028797018963970"); BigInt prints it exactly.
  const key = typeof value === "number" && Number.isInteger(value) ? BigInt(value).toString() : String(value);
  return Object.prototype.hasOwnProperty.call(byValue, key) ? (byValue[key] as NameOf<E>) : undefined;
}

/** The value of a name: `valueOf("LCM_STATE", "RUNNING")` is 3, `valueOf("HOST_STATES", "MONITORED")` 2. */
export function valueOf<E extends AnyEnumName>(enumName: E, name: NameOf<E>): ValueOf<E> {
  return (enumOf(enumName).values as Record<string, unknown>)[name] as ValueOf<E>;
}

function enumOf<E extends AnyEnumName>(enumName: E): (typeof ALL_ENUMS)[E] {
  if (!Object.prototype.hasOwnProperty.call(ALL_ENUMS, enumName))
    throw new ValidationError(`no enum named ${JSON.stringify(enumName)} (e.g. "VM_STATE", "HOST_STATES")`, {
      field: "enumName",
    });
  return ALL_ENUMS[enumName];
}
