// `instanceof` across copies of this package (its ESM and CommonJS builds, or two installed versions):
// each copy has its own classes, so a value of another copy is matched by the WSDL type names along its
// prototype chain, under a brand all copies share through the global symbol registry.
export type Kind = "data" | "managed";

const brands: Readonly<Record<Kind, symbol>> = {
  data: Symbol.for("@nimbus-sdk/vsphere:DataObject"),
  managed: Symbol.for("@nimbus-sdk/vsphere:ManagedObject"),
};

/** Marks a root class's prototype, so values of every class below it carry the brand of `kind`. */
export function brand(root: { prototype: object }, kind: Kind): void {
  Object.defineProperty(root.prototype, brands[kind], { value: true });
}

/**
 * What `value instanceof cls` answers, whichever copy made the value: `wsdlName` is the class's WSDL
 * type name, undefined for the root class of `kind` (any value of that kind).
 */
export function isInstanceOf(cls: object, kind: Kind, wsdlName: string | undefined, value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  if (!(value as Record<symbol, unknown>)[brands[kind]]) return false;
  if (wsdlName === undefined) return true;
  for (let p: object | null = Object.getPrototypeOf(value); p; p = Object.getPrototypeOf(p)) {
    if (Object.hasOwn(p, "_wsdlName") && (p as { _wsdlName: string })._wsdlName === wsdlName) return true;
  }
  return false;
}
