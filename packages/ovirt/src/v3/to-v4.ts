// A v3 params object as API v4's members (docs/decisions/0017-ovirt-v3-params.md). Most v3 members are
// v4's under the same element name; the table below holds those v4 renamed or reshaped, each written once.
// A v3 member v4 cannot express is a ValidationError naming it, its value and what v4 offers; a member v4
// moved to a query parameter of the call (`Disks.clone`) goes to the call's parameters.
import { ValidationError } from "@nimbus-sdk/common";
import { enumValues, findWireStruct, isA, wireStruct, type WireMember, type WireStruct } from "../wire/metadata.js";
import { v3Class, v3ClassOf, type V3Member } from "./params-object.js";

/** What a rule writes into: the v4 object, and the call's parameters. */
interface Target {
  readonly out: Record<string, unknown>;
  readonly path: string;
  /** Converts a nested value to v4 struct `type` (a v3 object; anything else as it is). */
  convert(value: unknown, type: string, path: string): unknown;
  parameter(name: string, value: unknown, field: string): void;
}

type Rule = (value: unknown, target: Target, field: string) => void;

const itemsOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** v3's member under another v4 name, otherwise as it is. */
const renamed =
  (v4: string): Rule =>
  (value, target) => {
    target.out[v4] = value;
  };

/** v3's enum-like string member as v4's, with the values v4 still has (by v3 spelling). */
const renamedValues =
  (v4: string, values: Readonly<Record<string, string>>, offers: string): Rule =>
  (value, target, field) => {
    const v4Value = values[String(value).toLowerCase()];
    if (v4Value === undefined) {
      throw new ValidationError(
        `${field} ${JSON.stringify(value)} has no API v4 equivalent: v4 has ${v4} instead (${offers})`,
        { field },
      );
    }
    target.out[v4] = v4Value;
  };

/** The v3 members v4 only renamed (v3 class -> v3 name -> v4 name): sent as v4's, read back as v3's. */
const RENAMED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Disk: { size: "provisioned_size" },
  VM: { vmpool: "vm_pool" },
  // v3's NIC `active` was deprecated in favour of `plugged`, v4's only name of it.
  NIC: { active: "plugged" },
  // v3 named a cluster's CPU by its id ("Intel Conroe Family"); v4 by its type.
  CPU: { id: "type" },
  // v3's LUNs of a storage (or its volume group) are v4's logical_units.
  Storage: { logical_unit: "logical_units" },
  VolumeGroup: { logical_unit: "logical_units" },
};

const renames = (className: string): Record<string, Rule> =>
  Object.fromEntries(Object.entries(RENAMED[className]!).map(([v3, v4]) => [v3, renamed(v4)]));

/** A v3 name on a v4 object: how it reads and writes the v4 member(s). */
export interface V3Alias {
  readonly name: string;
  get(value: Record<string, unknown>): unknown;
  set(value: Record<string, unknown>, item: unknown): void;
}

/** v3's names of v4 members on objects read from the engine (`disk.size`), by v4 struct. */
export function v3Aliases(v4Type: string): V3Alias[] {
  const out: V3Alias[] = [];
  for (const [className, members] of Object.entries(RENAMED)) {
    if (v3Class(className)?.v4 !== v4Type) continue;
    for (const [name, v4] of Object.entries(members)) {
      out.push({ name, get: (value) => value[v4], set: (value, item) => void (value[v4] = item) });
    }
  }
  // v3's time zone name is v4's time_zone.name.
  if (v4Type === "Vm") {
    out.push({
      name: "timezone",
      get: (value) => (value.time_zone as { name?: unknown } | undefined)?.name,
      set: (value, item) => void (value.time_zone = item === undefined || item === null ? undefined : { name: item }),
    });
  }
  // v3's one placement host is v4's first.
  if (v4Type === "VmPlacementPolicy") {
    out.push({
      name: "host",
      get: (value) => (value.hosts as unknown[] | undefined)?.[0],
      set: (value, item) => void (value.hosts = item === undefined || item === null ? [] : [item]),
    });
  }
  return out;
}

/** The v3 members that API v4 renamed or reshaped, by v3 class and v3 element name. */
const RULES: Readonly<Record<string, Readonly<Record<string, Rule>>>> = {
  Disk: {
    ...renames("Disk"),
    // v3's disk type: "system" or "data"; v4 keeps data disks as content_type.
    type: renamedValues("content_type", { data: "data" }, `one of ${enumValues("DiskContentType")!.join(", ")}`),
  },
  OperatingSystem: { boot: (value, target, field) => void (target.out.boot = bootOf(itemsOf(value), field)) },
  // v3 placed a VM on one host (`host`) or several (`hosts`); v4 only has the list.
  VmPlacementPolicy: {
    host: (value, target, field) => void (target.out.hosts = [target.convert(value, "Host", field)]),
  },
  // v3's VM (and template) disks: v4 has disk attachments, each holding its disk.
  VM: {
    ...renames("VM"),
    disks: diskAttachments,
    timezone: (value, target) => void (target.out.time_zone = { name: value }),
  },
  Template: { disks: diskAttachments },
  Storage: renames("Storage"),
  VolumeGroup: renames("VolumeGroup"),
  CPU: renames("CPU"),
  NIC: renames("NIC"),
};

/** v3: <os><boot dev="hd"/><boot dev="network"/></os>; v4: <os><boot><devices><device>hd</device>... */
function bootOf(items: readonly unknown[], field: string): { devices: unknown[] } {
  const devices = items.map((boot, i) => {
    const dev = (boot as { dev?: unknown } | null)?.dev;
    if (typeof dev !== "string") {
      throw new ValidationError(`${field}[${i}] must be a Boot with a dev`, { field: `${field}[${i}]` });
    }
    return dev;
  });
  return { devices };
}

/** The v4 structs v3 wrote as a list of items, by v4 struct: a fetched entity's `os.boot = [Boot(dev)]`. */
const V3_LISTS: Readonly<Record<string, (items: readonly unknown[], field: string) => object>> = { Boot: bootOf };

/** `value` given for a member of v4 struct `type`: v3's list of it (`[params.Boot(dev="hd")]`) as v4's object. */
export function v3ListAsV4(type: string, value: unknown, field: string): unknown {
  const convert = V3_LISTS[type];
  return convert && Array.isArray(value) ? convert(value, field) : value;
}

/** Whether v3 class `className`'s member `xml` is renamed or reshaped on its way to v4. */
export function hasRule(className: string, xml: string): boolean {
  return RULES[className]?.[xml] !== undefined;
}

/**
 * Runs the rule of `className`'s member `xml` on `value` without sending anything, so that a value v4
 * cannot express is refused when the object is made (`params.Disk({ type_: "system" })`).
 */
export function checkRule(className: string, xml: string, value: unknown, field: string): void {
  RULES[className]?.[xml]?.(value, { out: {}, path: field, convert: (nested) => nested, parameter: () => {} }, field);
}

/** Members of v3 list classes that API v4 takes as a query parameter of the call (by v3 class). */
const PARAMETERS: Readonly<Record<string, readonly string[]>> = { Disks: ["clone", "detach_only"] };

/** Members the engine adds (`href`, `link`, `actions`): never sent, by v3 as by v4. */
const ENVELOPE = new Set(["href", "link", "actions"]);

function diskAttachments(value: unknown, target: Target, field: string): void {
  const disks = wrapperItems(value, target, field);
  if (disks.length > 0) {
    target.out.disk_attachments = disks.map((disk, i) => ({ disk: target.convert(disk, "Disk", `${field}[${i}]`) }));
  }
}

/**
 * The items of a v3 list object (`Disks(disk=[...], clone=True)`): its one list member's; its other members
 * are the call's parameters where v4 made them so, else refused.
 */
function wrapperItems(value: unknown, target: Pick<Target, "parameter">, field: string): unknown[] {
  const className = v3ClassOf(value);
  if (!className) return itemsOf(value);
  const info = v3Class(className)!;
  const lists = [...info.members.values()].filter((m) => m.list && !ENVELOPE.has(m.xml));
  if (lists.length !== 1) {
    throw new ValidationError(`${field}: a ${className} is not a list of one kind of item`, { field });
  }
  const [list] = lists as [V3Member];
  for (const [key, item] of Object.entries(value as object)) {
    if (key === list.py || ENVELOPE.has(key) || item === undefined || item === null) continue;
    if (PARAMETERS[className]?.includes(key)) target.parameter(key, item, `${field}.${key}`);
    else throw noEquivalent(`${field}.${key}`, item, `a list of ${list.type} (the ${list.xml} items)`);
  }
  return ((value as Record<string, unknown>)[list.py] as unknown[] | undefined) ?? [];
}

/** The items of a list value: an array, or a v3 list object (`params.StorageDomains(storage_domain=[...])`). */
export function v3ListItems(value: unknown, field: string): unknown {
  if (!v3ClassOf(value)) return value;
  return wrapperItems(value, { parameter: (name, _item, at) => refuseParameter(name, at) }, field);
}

function refuseParameter(name: string, field: string): never {
  throw new ValidationError(
    `${field} is a parameter of the call in API v4 (\`${name}\`), and this call takes none: pass it to add()`,
    { field },
  );
}

function noEquivalent(field: string, value: unknown, offers: string): ValidationError {
  const shown = typeof value === "object" ? (v3ClassOf(value) ?? "an object") : JSON.stringify(value);
  return new ValidationError(`${field} (${shown}) has no API v4 equivalent; v4 has ${offers}`, { field });
}

/** The call parameters collected while converting; absent where the call takes none (an update). */
export type Parameters = Record<string, unknown>;

/**
 * `value` (a v3 params object) as a plain object of API v4 struct `v4Type`'s members, nested v3 objects
 * converted too; `label` names it in errors. Parameters go to `parameters`, or are refused without it.
 */
export function v3ToV4(value: object, v4Type: string, label: string, parameters?: Parameters): Record<string, unknown> {
  const className = v3ClassOf(value);
  if (!className) return value as Record<string, unknown>;
  const info = v3Class(className)!;
  if (info.v4 && !isA(info.v4, v4Type) && !isA(v4Type, info.v4)) {
    throw new ValidationError(`${label} must be a ${v4Type}, not a ${className}`, { field: label });
  }
  // A v3 class whose v4 counterpart derives from the type expected is sent as that (a DiskSnapshot).
  const struct = info.v4 && info.v4 !== v4Type && isA(info.v4, v4Type) ? wireStruct(info.v4) : wireStruct(v4Type);
  const out: Record<string, unknown> = {};
  const writers = new Map<string, string>();
  const target: Target = {
    out: {},
    path: label,
    convert: (nested, type, path) => convertValue(nested, type, path, parameters),
    parameter(name, item, field) {
      if (!parameters) refuseParameter(name, field);
      parameters[name] = item;
    },
  };
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || item === null) continue;
    const field = `${label}.${key}`;
    const part = convertOne(className, struct, key, item, { ...target, out: {} }, field, parameters);
    // Two members that are one in v4 (v3's `size` and `provisioned_size`) are refused, not merged, unless
    // they agree: v3 scripts set both to the same number, which means the same in v4.
    for (const [v4Key, v4Value] of Object.entries(part)) {
      const other = writers.get(v4Key);
      if (other !== undefined) {
        if (typeof v4Value !== "object" && v4Value === out[v4Key]) continue;
        throw new ValidationError(
          `${other} and ${field} are both API v4's ${v4Key}, with different values: give one of them`,
          { field },
        );
      }
      writers.set(v4Key, field);
      out[v4Key] = v4Value;
    }
  }
  return out;
}

/** One member of a v3 object (`key`, as given) as the v4 members it becomes. */
function convertOne(
  className: string,
  struct: WireStruct,
  key: string,
  item: unknown,
  target: Target,
  field: string,
  parameters?: Parameters,
): Record<string, unknown> {
  const { out } = target;
  const member = v3Class(className)!.members.get(key);
  if (!member) {
    out[key] = item; // a member only API v4 has, for new code: the encoder checks it
    return out;
  }
  const rule = RULES[className]?.[member.xml];
  if (rule) {
    rule(item, target, field);
    return out;
  }
  if (ENVELOPE.has(member.xml)) return out;
  const v4Member = struct.byXml.get(member.xml);
  if (!v4Member) throw noEquivalent(field, item, `no ${member.xml} member in its ${struct.name}`);
  out[member.xml] = v4Member.list
    ? wrapperItems(item, target, field).map((one, i) => convertMember(v4Member, one, `${field}[${i}]`, parameters))
    : convertMember(v4Member, item, field, parameters);
  return out;
}

function convertMember(member: WireMember, value: unknown, field: string, parameters?: Parameters): unknown {
  if (member.kind === "struct") return convertValue(value, member.type, field, parameters);
  // v3's <status><state>up</state></status> is v4's <status>up</status>.
  if (v3ClassOf(value) === "Status") return v3Value(member, (value as { state?: unknown }).state);
  return v3Value(member, value);
}

/**
 * A v3 script's primitive value as v4 takes it: the v3 engine read enum values whatever their case
 * (`severity='NORMAL'`, `architecture='X86_64'`) and numbers given as digits (`VLAN(id='100')`).
 */
export function v3Value(member: Pick<WireMember, "kind" | "type">, value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (member.kind === "enum") {
    const lower = value.toLowerCase();
    return enumValues(member.type)!.includes(lower) ? lower : value;
  }
  if (member.type === "Integer" && /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  return value;
}

function convertValue(value: unknown, type: string, field: string, parameters?: Parameters): unknown {
  if (!v3ClassOf(value) || !findWireStruct(type)) return value;
  return v3ToV4(value as object, type, field, parameters);
}
