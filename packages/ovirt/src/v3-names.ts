// generateDS wrote a `type` member as `type_` (`type` is a Python builtin). The API v4 params classes
// (`params.Vm`, `params.DiskAttachment`) take it under that name too, so a v3 habit works on them as well;
// v3's own classes (src/generated/v3-params.ts) have it from the v3 schema.
import { ValidationError } from "@nimbus-sdk/common";
import { wireStruct } from "./wire/metadata.js";

/** `init` with `type_` as `type` (the same object when it has none). */
export function withV4Names(typeName: string, init: object): object {
  if (!("type_" in init) || !wireStruct(typeName).byXml.has("type")) return init;
  const { type_: value, ...out } = init as Record<string, unknown>;
  if (value === undefined || value === null) return out;
  if (out.type !== undefined && out.type !== null) {
    const field = `params.${typeName}.type_`;
    throw new ValidationError(`${field} is generateDS's name for type: give one of them, not both`, { field });
  }
  return { ...out, type: value };
}
