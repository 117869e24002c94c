// PyONE's `cast2one` for template parameters, made safe. A dictionary becomes what oned reads:
// - nested (a value is itself a dictionary or a list of them): XML, the single root key as the root
//   element (`{ TEMPLATE: { NAME: "abc" } }` -> `<TEMPLATE><NAME>abc</NAME></TEMPLATE>`);
// - flat: `ATT="value"` lines, as PyONE sends them. oned's attribute=value parser has no escape it
//   reliably honours for `$`, `\`, quotes or line breaks (one#6139, #6957), so a flat dictionary with
//   any of those is sent as XML under <TEMPLATE> instead, which carries every character exactly.
import { ValidationError } from "@nimbus-sdk/common";
import { escapeXml } from "./xmlrpc/encode.js";

export type TemplateValue = string | number | boolean | bigint | null | undefined | TemplateDict | TemplateDict[];
export interface TemplateDict {
  readonly [key: string]: TemplateValue;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const UNSAFE_IN_QUOTES = /["\\$\r\n]/;

function isDict(value: unknown): value is TemplateDict {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkName(name: string, where: string): void {
  if (!NAME.test(name)) {
    throw new ValidationError(`${where}: ${JSON.stringify(name)} is not a template attribute name`, { field: name });
  }
}

function scalar(value: TemplateValue, where: string): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") throw new ValidationError(`${where} must be a scalar here`, { field: where });
  return String(value);
}

function xmlElement(name: string, value: TemplateValue, path: string): string {
  checkName(name, path);
  if (Array.isArray(value)) return value.map((item) => xmlElement(name, item, path)).join("");
  if (isDict(value)) {
    const inner = Object.entries(value)
      .map(([key, child]) => xmlElement(key, child, `${path}.${key}`))
      .join("");
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(scalar(value, path), path)}</${name}>`;
}

/** The text oned reads for a template dictionary (see the module comment for the two forms). */
export function templateToString(template: TemplateDict, field = "template"): string {
  const entries = Object.entries(template);
  if (entries.length === 0) throw new ValidationError(`${field} is an empty dictionary`, { field });
  const nested = entries.some(([, v]) => isDict(v) || (Array.isArray(v) && v.some(isDict)));
  if (nested) {
    const [rootName, rootValue] = entries[0]!;
    return entries.length === 1 && isDict(rootValue)
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
