// `params`, as in the oVirt Python SDK v3: the generated classes and the lookup by element name.
import { Disk as GeneratedDisk, ROOT_CLASSES, type ParamsClass } from "./generated/params.js";
import type * as types from "./generated/types.js";
import type { Init } from "./params-base.js";

export * from "./generated/params.js";
export { ParamsList, ParamsObject, type Init, type InitValue, type ListInit, type ListValue } from "./params-base.js";

/** The members of v3's `params.Disk` that API v4 renamed, still taken (see v3-names.ts). */
export interface V3DiskMembers {
  /** v3's name for provisioned_size, in bytes. */
  size?: number;
  /** v3's disk type: "data" becomes content_type "data" ("system" has no v4 equivalent and is refused). */
  type_?: "data";
}

/** A disk, as the generated class, also taking v3's `size` and `type_`. */
export class Disk extends GeneratedDisk {
  constructor(init?: Init<types.Disk> & V3DiskMembers) {
    super(init as Init<types.Disk>);
  }
}

const V3_CLASSES: Readonly<Record<string, ParamsClass>> = { disk: Disk };

/**
 * The params class written under the XML element `name`: `"vm"` gives `Vm` (`VM`), `"vms"` the list class
 * `Vms`, `"topology"` gives `CpuTopology` (a member name used for one struct only). Undefined for a name the
 * model does not use.
 */
export function findRootClass(name: string): ParamsClass | undefined {
  if (Object.hasOwn(V3_CLASSES, name)) return V3_CLASSES[name];
  return Object.hasOwn(ROOT_CLASSES, name) ? ROOT_CLASSES[name] : undefined;
}
