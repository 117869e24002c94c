// The shape of the runtime schema table that scripts/generate.mjs writes into src/generated/schema.ts
// from OpenNebula's XSDs: the document decoder reads it, and the simulator writes documents from it.

/** How an element decodes: a number, a string, a nested object, a template dictionary, or free-form. */
export type SchemaKind = "number" | "string" | "element" | "template" | "any";

/** One element of an OpenNebula document as its XSD declares it. */
export interface ElementSchema {
  readonly name: string;
  readonly kind: SchemaKind;
  /** The XSD type of a leaf, without "xs:" (integer, long, decimal, float, string). */
  readonly type?: string;
  /** maxOccurs > 1: decoded as an array, also when one came back. */
  readonly repeated?: boolean;
  /** minOccurs = 0: the XSD lets it be left out. */
  readonly optional?: boolean;
  /** xs:enumeration of a string leaf. */
  readonly values?: readonly string[];
  /** xs:pattern alternatives of a string leaf. */
  readonly patterns?: readonly string[];
  /** The declared children, in the order the XSD's sequence wants them. */
  readonly children?: readonly ElementSchema[];
  /** xs:all: the children may come in any order. */
  readonly anyOrder?: boolean;
  /** xs:any: children the XSD does not declare are allowed too. */
  readonly open?: boolean;
}

/** A document oned sends: its root element and the XSD file that describes it. */
export interface DocumentSchema<Id extends string = string> {
  readonly id: Id;
  /** The root element's name (VM_POOL for both VM_POOL and VM_POOL_EXTENDED). */
  readonly root: string;
  /** The file under share/doc/xsd that validates it. */
  readonly xsd: string;
  readonly element: ElementSchema;
}

/** What a method's XML answer decodes to; `path` leads from the document's root to the element sent. */
export interface MethodDocument<Id extends string = string> {
  readonly id: Id;
  readonly path: readonly string[];
}
