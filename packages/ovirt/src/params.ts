// `params`, as in the oVirt Python SDK v3: v3's classes, generated from the v3 schema (`params.VM`,
// `params.MAC`, `params.Boot`), API v4's for the names v3 did not use (`params.DiskAttachment`, `params.Vm`),
// and the lookup by element name.
import { ROOT_CLASSES, type ParamsClass } from "./generated/params.js";
import { V3_CLASS_CONSTRUCTORS } from "./generated/v3-params.js";
import { V3_ELEMENTS } from "./generated/v3-classes.js";
import type { V3Class } from "./v3/params-object.js";

export * from "./generated/v3-params.js";
export { ParamsList, ParamsObject, type Init, type InitValue, type ListInit, type ListValue } from "./params-base.js";
export { V3Object, type V3Accessors, type V3Class, type V3Init, type V3InitValue } from "./v3/params-object.js";

/**
 * The params class written under the XML element `name`, as generateDS's `findRootClass`: v3's first
 * (`"vm"` gives `VM`, `"vms"` `VMs`), then API v4's for elements v3 did not have (`"disk_attachment"`);
 * `"topology"` gives `CpuTopology`. Undefined for a name neither uses.
 */
export function findRootClass(name: string): V3Class | ParamsClass | undefined {
  if (Object.hasOwn(V3_ELEMENTS, name)) return V3_CLASS_CONSTRUCTORS[V3_ELEMENTS[name]!];
  const v4 = Object.hasOwn(ROOT_CLASSES, name) ? ROOT_CLASSES[name] : undefined;
  // A v4 class whose name v3 also used is not exported: `params.CpuTopology` is v3's.
  return (v4 && Object.hasOwn(V3_CLASS_CONSTRUCTORS, v4.name) ? V3_CLASS_CONSTRUCTORS[v4.name] : v4) ?? undefined;
}
