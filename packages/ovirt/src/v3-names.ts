// Members the v3 SDK's `params` had that API v4 renamed. A script ported from v3 keeps its
// `params.Disk({ size, type_ })`; the object holds and sends the v4 member. A value v4 cannot express
// is refused, naming the v4 member, so nothing is dropped on the way.
import { ValidationError } from "@nimbus-sdk/common";
import { primitiveText } from "./wire/encode.js";
import { wireStruct } from "./wire/metadata.js";

interface RenamedMember {
  /** The API v4 member that replaced it. */
  readonly v4: string;
  /** The v3 values v4 still has (by their v4 spelling); absent when any value carries over. */
  readonly values?: Readonly<Record<string, string>>;
}

const RENAMED: Readonly<Record<string, Readonly<Record<string, RenamedMember>>>> = {
  // v3's disk `type` (`type_` in Python) was "data" or "system"; v4 keeps only data disks, as content_type.
  Disk: { size: { v4: "provisioned_size" }, type_: { v4: "content_type", values: { data: "data" } } },
};

/**
 * generateDS wrote a `type` member as `type_` (`type` is a Python builtin): every struct with a `type`
 * takes it under that name too, unless v3 renamed it otherwise (the disk's).
 */
function renamedMembers(typeName: string): Readonly<Record<string, RenamedMember>> | undefined {
  const own = RENAMED[typeName];
  if (own?.type_ || !wireStruct(typeName).byXml.has("type")) return own;
  return { ...own, type_: { v4: "type" } };
}

/** `init` with v3's renamed members under their v4 names (the same object when it has none). */
export function withV4Names(typeName: string, init: object): object {
  const renamed = renamedMembers(typeName);
  if (!renamed || !Object.keys(init).some((key) => key in renamed)) return init;
  const out: Record<string, unknown> = { ...init };
  for (const [v3, { v4, values }] of Object.entries(renamed)) {
    if (!(v3 in out)) continue;
    const value = out[v3];
    delete out[v3];
    const field = `params.${typeName}.${v3}`;
    if (out[v4] !== undefined && out[v4] !== null) {
      throw new ValidationError(`${field} is v3's name for ${v4}: give one of them, not both`, { field });
    }
    if (values && value !== undefined && value !== null) {
      const v4Value = values[String(value)];
      if (v4Value === undefined) {
        throw new ValidationError(
          `${field} ${JSON.stringify(value)} has no API v4 equivalent; v4 has ${v4} (${Object.keys(values).join(", ")} from v3)`,
          { field },
        );
      }
      out[v4] = v4Value;
    } else {
      // Checked here, so that a wrong value is reported under the name the caller wrote.
      const member = wireStruct(typeName).byXml.get(v4);
      if (member && member.kind !== "struct" && value !== undefined && value !== null)
        primitiveText(member, value, field);
      out[v4] = value;
    }
  }
  return out;
}
