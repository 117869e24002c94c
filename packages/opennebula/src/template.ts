// OpenNebula templates as dictionaries, both ways.
// Decoded (TemplateDictionary): what TEMPLATE and USER_TEMPLATE become in a result; each remembers
// the element it came from (its root), as PyONE's `_root` does, so passing it back to an update sends
// it as XML under that root (`one.vm.update(id, vm.USER_TEMPLATE, 1)` -> <USER_TEMPLATE>…).
// Given (TemplateDict), PyONE's `cast2one` made safe:
// - nested (a value is a dictionary or a list): XML; a single TEMPLATE or USER_TEMPLATE key is the root
//   element (`{ TEMPLATE: { NAME: "abc" } }` -> `<TEMPLATE><NAME>abc</NAME></TEMPLATE>`), any other
//   dictionary goes under <TEMPLATE> (`{ CONTEXT: { … } }` stays the CONTEXT vector, where PyONE would
//   make CONTEXT the root and oned would store its attributes at the top level);
// - flat: `ATT="value"` lines, as PyONE sends them. oned's attribute=value parser has no escape it
//   reliably honours for `$`, `\`, quotes or line breaks (one#6139, #6957), so a flat dictionary with
//   any of those is sent as XML under <TEMPLATE> instead, which carries every character exactly.
import { ValidationError } from "@nimbus-sdk/common";
import { escapeXml } from "./xmlrpc/encode.js";
import { isPlainObject } from "./xmlrpc/types.js";

/**
 * A template as oned sends it, decoded: an attribute is a string (empty ones ""), a vector a nested
 * dictionary, an attribute or vector that repeats an array. Plain and editable.
 */
export interface TemplateDictionary {
  // `undefined` only so that generated template types can declare optional attributes.
  [key: string]: TemplateEntry | undefined;
}
/** A template attribute's value: text, a vector attribute (a dictionary), or a list of them for repeated attributes. */
export type TemplateEntry = string | TemplateDictionary | (string | TemplateDictionary)[];

/** A value given for a template attribute; numbers and booleans are sent as text. */
export type TemplateValue =
  | string
  | number
  | boolean
  | bigint
  | null
  | undefined
  | TemplateDict
  | readonly (string | number | boolean | bigint | TemplateDict)[];
/** A template given as a dictionary (a TemplateDictionary is one). */
export interface TemplateDict {
  readonly [key: string]: TemplateValue;
}

// A symbol, so the root is neither enumerated nor serialised and cannot clash with an attribute.
// Symbol.for: the ESM and CommonJS builds of this package see the same key.
const ROOT = Symbol.for("@nimbus-sdk/opennebula:templateRoot");

/** The element a decoded template came from ("TEMPLATE", "USER_TEMPLATE"), if it remembers one. */
export function templateRoot(template: object): string | undefined {
  const root = (template as { [ROOT]?: unknown })[ROOT];
  return typeof root === "string" ? root : undefined;
}

/** Makes `template` remember `root`, so templateToString sends it as XML under that element. */
export function setTemplateRoot<T extends object>(template: T, root: string): T {
  checkName(root, "template root");
  Object.defineProperty(template, ROOT, { value: root, configurable: true, writable: true, enumerable: false });
  return template;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** The single keys of a given dictionary taken as its root element rather than as a vector. */
const ROOT_NAMES = new Set(["TEMPLATE", "USER_TEMPLATE"]);
const UNSAFE_IN_QUOTES = /["\\$\r\n]/;

// Plain objects only: a Date, a Map or a class instance is no template and is refused as a leaf.
const isDict = (value: unknown): value is TemplateDict => isPlainObject(value);

function checkName(name: string, where: string): void {
  if (!NAME.test(name)) {
    throw new ValidationError(`${where}: ${JSON.stringify(name)} is not a template attribute name`, { field: name });
  }
}

/** A leaf as text: only strings, numbers, booleans and BigInts (null: empty); a function or symbol is refused. */
function scalar(value: TemplateValue, where: string): string {
  if (value === null || value === undefined) return "";
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "bigint":
      return String(value);
    default:
      throw new ValidationError(
        `${where} must be a string, number, boolean or BigInt here, not ${Array.isArray(value) ? "an array" : `a ${typeof value}`}`,
        { field: where },
      );
  }
}

function xmlElement(name: string, value: TemplateValue, path: string): string {
  checkName(name, path);
  if (value === undefined) return "";
  if (Array.isArray(value)) return value.map((item: TemplateValue) => xmlElement(name, item, path)).join("");
  if (isDict(value)) {
    const inner = Object.entries(value)
      .map(([key, child]) => xmlElement(key, child, `${path}.${key}`))
      .join("");
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(scalar(value, path), path)}</${name}>`;
}

/** The text oned reads for a template dictionary (see the module comment for the forms). */
export function templateToString(template: TemplateDict, field = "template"): string {
  const root = templateRoot(template);
  // A decoded template goes back whole under its own element, even when emptied (update type 0 clears).
  if (root !== undefined) return xmlElement(root, template, field);
  const entries = Object.entries(template).filter(([, v]) => v !== undefined);
  if (entries.length === 0) throw new ValidationError(`${field} is an empty dictionary`, { field });
  const nested = entries.some(([, v]) => isDict(v) || Array.isArray(v));
  if (nested) {
    // Only TEMPLATE and USER_TEMPLATE are roots: `{ CONTEXT: { … } }` is a vector inside <TEMPLATE>.
    const [rootName, rootValue] = entries[0]!;
    return entries.length === 1 && ROOT_NAMES.has(rootName) && isDict(rootValue)
      ? xmlElement(rootName, rootValue, field)
      : xmlElement("TEMPLATE", template, field);
  }
  const values = entries.map(([key, value]) => {
    checkName(key, field);
    return [key, scalar(value, `${field}.${key}`)] as const;
  });
  if (values.some(([, v]) => UNSAFE_IN_QUOTES.test(v))) return xmlElement("TEMPLATE", template, field);
  return values.map(([key, v]) => `${key}="${v}"\n`).join("");
}
