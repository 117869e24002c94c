// OpenNebula's enums under PyONE's names (VM_STATE, LCM_STATE, HOST_STATES ...), with the values of
// oned 7.0.2 rather than PyONE's stale ones (its HOST_STATES predates 6.0, its LCM_STATE stops at 68).
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
  type EnumName,
} from "./generated/constants.js";

export * from "./generated/constants.js";

// PyONE's plural names for the same objects.
export const HOST_STATES = HOST_STATE;
export const HOST_STATUS = HOST_STATUS_ARG;
export const IMAGE_STATES = IMAGE_STATE;
export const IMAGE_TYPES = IMAGE_TYPE;
export const DISK_TYPES = DISK_TYPE;
/** PyONE names these IMAGE, SYSTEM, FILE; oned (and this SDK) IMAGE_DS, SYSTEM_DS, FILE_DS, BACKUP_DS. */
export const DATASTORE_TYPES = DATASTORE_TYPE;
export const DATASTORE_STATES = DATASTORE_STATE;
export const MARKETPLACE_STATES = MARKETPLACE_STATE;
export const MARKETPLACEAPP_STATES = MARKETPLACEAPP_STATE;
export const MARKETPLACEAPP_TYPES = MARKETPLACEAPP_TYPE;
export const VN_STATES = VNET_STATE;
/** History actions by CLI name ("live-migrate" → 2), as PyONE's HISTORY_ACTION. */
export const HISTORY_ACTION = VM_HISTORY_ACTION_BY_STRING;

type ValueOf<E extends EnumName> = (typeof ENUMS)[E]["values"][keyof (typeof ENUMS)[E]["values"]];
type NameOf<E extends EnumName> = keyof (typeof ENUMS)[E]["values"] & string;

/** The name of a value: `nameOf("VM_STATE", 3)` is "ACTIVE"; undefined for a value the enum lacks. */
export function nameOf<E extends EnumName>(enumName: E, value: ValueOf<E> | number | bigint): NameOf<E> | undefined {
  const byValue = ENUMS[enumName].byValue as Readonly<Record<string, string>>;
  // String() would round a large double (2^55 → "36028797018963970"); BigInt prints it exactly.
  const key = typeof value === "number" && Number.isInteger(value) ? BigInt(value).toString() : String(value);
  return Object.prototype.hasOwnProperty.call(byValue, key) ? (byValue[key] as NameOf<E>) : undefined;
}

/** The value of a name: `valueOf("LCM_STATE", "RUNNING")` is 3. */
export function valueOf<E extends EnumName>(enumName: E, name: NameOf<E>): ValueOf<E> {
  return (ENUMS[enumName].values as Record<string, unknown>)[name] as ValueOf<E>;
}
