// The base of the generated v3 `params` classes (src/generated/v3-params.ts): generateDS's keyword-argument
// constructor (`params.VM(name=..., type_=...)` is `new params.VM({ name, type_ })`), its get_/set_/add_
// accessors, and the check that every keyword is one v3 (or, beside it, API v4) knows. The object holds what
// it was given under v3's names; src/v3/to-v4.ts turns it into API v4's members when it is sent.
import { ValidationError } from "@nimbus-sdk/common";
import type { Resource } from "../resource.js";
import { Status } from "../status.js";
import { findWireStruct } from "../wire/metadata.js";
import { primitiveText } from "../wire/encode.js";
import { checkRule, hasRule, v3Value } from "./to-v4.js";
import { V3_CLASSES } from "../generated/v3-classes.js";

/** Marks a v3 params object with its v3 class name. */
export const V3_CLASS: unique symbol = Symbol("ovirt.v3Class");

export interface V3Member {
  /** generateDS's name: the property and the keyword (`type_`). */
  readonly py: string;
  /** The element (or attribute) name in v3's XML. */
  readonly xml: string;
  /** A v3 primitive (`string`, `int`, `long`, `boolean`, `decimal`, `dateTime`) or a v3 class name. */
  readonly type: string;
  readonly list: boolean;
  readonly attribute: boolean;
}

export interface V3ClassInfo {
  readonly name: string;
  /** The API v4 struct it is sent as, when v4 has one. */
  readonly v4?: string;
  /** Every member, the bases' first, by generateDS name. */
  readonly members: ReadonlyMap<string, V3Member>;
}

const PRIMITIVE_TYPES = new Set(["string", "int", "long", "boolean", "decimal", "dateTime"]);
const classCache = new Map<string, V3ClassInfo>();

/** The v3 class named `name`, its members flattened; undefined for a name v3 does not have. */
export function v3Class(name: string): V3ClassInfo | undefined {
  const cached = classCache.get(name);
  if (cached) return cached;
  const source = V3_CLASSES[name];
  if (!source) return undefined;
  const members = new Map(source.base ? v3Class(source.base)!.members : []);
  for (const token of source.members) {
    const [py, xml, type, ...flags] = token.split(" ") as [string, string, string, ...string[]];
    const list = type.endsWith("[]");
    members.set(py, { py, xml, type: list ? type.slice(0, -2) : type, list, attribute: flags.includes("@") });
  }
  const info: V3ClassInfo = { name, v4: source.v4 ?? V3_CLASSES[source.base ?? ""]?.v4, members };
  classCache.set(name, info);
  return info;
}

/** Whether `value` is a v3 params object; its class name when it is. */
export function v3ClassOf(value: unknown): string | undefined {
  return typeof value === "object" && value !== null ? (value as { [V3_CLASS]?: string })[V3_CLASS] : undefined;
}

/** Whether v3 class `name` is a list of one kind of item (`Nics`, `Disks`, `Usages`). */
function isListClass(name: string): boolean {
  const info = v3Class(name);
  return info !== undefined && [...info.members.values()].filter((m) => m.list && m.xml !== "link").length === 1;
}

/** generateDS's accessor stem: `type_` is read by `get_type()`. */
const stem = (py: string): string => (py.endsWith("_") && py !== "valueOf_" ? py.slice(0, -1) : py);

const installed = new WeakSet<object>();

function installV3Accessors(prototype: object, info: V3ClassInfo): void {
  if (installed.has(prototype)) return;
  installed.add(prototype);
  for (const { py, list } of info.members.values()) {
    const name = stem(py);
    const methods: [string, (this: Record<string, unknown>, ...args: unknown[]) => unknown][] = [
      [`get_${name}`, function () { return this[py]; }], // prettier-ignore
      [`set_${name}`, function (value) { this[py] = value; }], // prettier-ignore
    ];
    if (list) {
      methods.push([`add_${name}`, function (value) { ((this[py] ??= []) as unknown[]).push(value); }]); // prettier-ignore
    }
    for (const [key, fn] of methods) {
      if (!(key in prototype)) Object.defineProperty(prototype, key, { value: fn, writable: true, configurable: true });
    }
  }
}

/** " (did you mean storage_domains, storage_type?)": members whose name has `key` as a word. */
function unknownHint(info: V3ClassInfo, key: string): string {
  const stem = key.replace(/_+$/, "").toLowerCase();
  const names = [...info.members.keys()].filter(
    (name) => name === `${stem}_` || name === stem.replace(/s$/, "") || name.split("_").includes(stem),
  );
  return names.length ? ` (did you mean ${names.join(", ")}?)` : "";
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object" && value !== null)
    return `a ${v3ClassOf(value) ?? value.constructor?.name ?? "object"}`;
  return typeof value === "string" ? JSON.stringify(value) : `${typeof value} ${String(value)}`;
}

/** Checks one value against a v3 member's type (the v4 checks run again when it is sent). */
function checkValue(member: V3Member, value: unknown, field: string): void {
  const wrong = (what: string): never => {
    throw new ValidationError(`${field} must be ${what}, not ${describe(value)}`, { field });
  };
  if (member.list && !Array.isArray(value)) wrong(`a list (an array) of ${member.type}`);
  // A member of a v3 list class (VM.nics is a Nics) also takes an array of its items.
  if (!member.list && Array.isArray(value) && isListClass(member.type)) return;
  for (const item of member.list ? (value as unknown[]) : [value]) {
    if (item === undefined || item === null) continue;
    if (!PRIMITIVE_TYPES.has(member.type)) {
      if (typeof item !== "object" || Array.isArray(item) || item instanceof Date) wrong(`a ${member.type} object`);
      continue;
    }
    const state = item instanceof Status ? item.state : item;
    if (member.type === "string" && typeof state !== "string") wrong("a string");
    if (member.type === "boolean" && typeof item !== "boolean") wrong("a boolean");
    if ((member.type === "int" || member.type === "long") && !(typeof item === "number" && Number.isInteger(item))) {
      if (!(typeof item === "string" && /^-?\d+$/.test(item))) wrong("an integer");
    }
    if (member.type === "decimal" && typeof item !== "number") wrong("a number");
    if (member.type === "dateTime" && !(item instanceof Date) && typeof item !== "string") wrong("a Date");
  }
}

/**
 * The base of v3's `params` classes (`params.VM`, `params.Boot`): the members given under v3's names, checked
 * when the object is made, with generateDS's `get_x()`, `set_x(value)` and, for a list, `add_x(item)`.
 */
export abstract class V3Object<F = unknown, V4 = unknown> {
  declare readonly [V3_CLASS]: string;

  // The class is the subclass's static `typeName` (a generated class declares no constructor).
  constructor(init?: V3Init<F, V4> | null) {
    const className = (new.target as unknown as { readonly typeName: string }).typeName;
    const info = v3Class(className);
    if (!info) throw new Error(`the v3 schema has no class ${className}`);
    Object.defineProperty(this, V3_CLASS, { value: className, enumerable: false });
    installV3Accessors(Object.getPrototypeOf(this), info);
    if (init === undefined || init === null) return;
    if (typeof init !== "object" || Array.isArray(init)) {
      throw new ValidationError(`params.${className} takes an object of keyword arguments, not ${describe(init)}`, {
        field: className,
      });
    }
    const v4 = info.v4 ? findWireStruct(info.v4) : undefined;
    for (const [key, value] of Object.entries(init)) {
      const field = `params.${className}.${key}`;
      const member = info.members.get(key);
      if (member && value !== undefined && value !== null) {
        checkValue(member, value, field);
        checkRule(className, member.xml, value, field);
      }
      // A member v4 has under the same name and type is checked as v4 checks it (an enum's values).
      const xml = member?.xml ?? key;
      const v4Member = v4?.byXml.get(xml);
      const primitive = !member || PRIMITIVE_TYPES.has(member.type);
      if (v4Member && v4Member.kind !== "struct" && primitive && !hasRule(className, xml) && value != null) {
        for (const item of Array.isArray(value) ? value : [value])
          primitiveText(v4Member, v3Value(v4Member, item), field);
      }
      if (!member && !v4Member) {
        const hint = unknownHint(info, key);
        throw new ValidationError(
          `params.${className} got an unexpected keyword argument "${key}"${hint}: ` +
            (v4 ? `neither v3's ${className} nor API v4's ${v4.name} has it` : `v3's ${className} has no such member`),
          { field },
        );
      }
      if (value !== undefined && value !== null) (this as Record<string, unknown>)[key] = value;
    }
  }
}

/** A v3 params class: `new params.VM({...})`. */
export type V3Class = (new (init?: never) => V3Object) & { readonly typeName: string };

/** What a member accepts: its v3 class's keywords, a v3 params object, or an entity fetched from the engine. */
export type V3InitValue<V> = V extends Date
  ? Date | string
  : V extends number
    ? number | `${number}` // v3 took digits for a number (`params.VLAN(id='100')`)
    : V extends readonly (infer I)[]
      ? readonly V3InitValue<I>[]
      : V extends object
        ? V3Init<V> | Resource<object>
        : V;

/**
 * A v3 class's keyword arguments: v3's members (`F`), and beside them the members only API v4's
 * counterpart (`V4`) has, for new code.
 */
export type V3Init<F, V4 = unknown> = { [K in keyof F]?: V3InitValue<NonNullable<F[K]>> | null } & {
  [K in Exclude<keyof V4, keyof F>]?: V3InitValue<NonNullable<V4[K]>> | null;
};

type Stem<K extends string> = K extends "valueOf_" ? K : K extends `${infer B}_` ? B : K;

/** generateDS's `get_x()`, `set_x(value)` and, for a list, `add_x(item)`. */
export type V3Accessors<F> = {
  [K in keyof F & string as `get_${Stem<K>}`]-?: () => F[K] | undefined;
} & {
  [K in keyof F & string as `set_${Stem<K>}`]-?: (value: V3InitValue<NonNullable<F[K]>> | null | undefined) => void;
} & {
  [K in keyof F & string as NonNullable<F[K]> extends readonly unknown[] ? `add_${Stem<K>}` : never]-?: (
    item: NonNullable<F[K]> extends readonly (infer I)[] ? V3InitValue<I> : never,
  ) => void;
};
