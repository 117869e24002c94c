// Marks the codec reads on objects it is given. Registered symbols (Symbol.for), so the ESM and CommonJS
// builds of the package recognise each other's objects.

/** The model struct an object is (a params object or a resource): `"Vm"`. */
export const STRUCT_TYPE: unique symbol = Symbol.for("@nimbus-sdk/ovirt:struct-type") as never;

/**
 * Set on resources (objects fetched from the engine): nested in another object they are written as a
 * reference, `<cluster id="..."/>`, not with every member they were fetched with.
 */
export const AS_REFERENCE: unique symbol = Symbol.for("@nimbus-sdk/ovirt:as-reference") as never;

/** Set on params list objects (`params.StorageDomains`): the property holding their items. */
export const LIST_ITEMS: unique symbol = Symbol.for("@nimbus-sdk/ovirt:list-items") as never;

export interface Marked {
  readonly [STRUCT_TYPE]?: string;
  readonly [AS_REFERENCE]?: boolean;
  readonly [LIST_ITEMS]?: string;
}
