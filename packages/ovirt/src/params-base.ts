// The base classes of the generated `params` classes: a struct object checked member by member when it
// is made (v3's `params.VM(name=...)`), and a list object (v3's `params.StorageDomains(storage_domain=[...])`).
import { ValidationError } from "@nimbus-sdk/common";
import { checkObject } from "./wire/encode.js";
import { withV4Names } from "./v3-names.js";
import { LIST_ITEMS, STRUCT_TYPE } from "./wire/marks.js";
import type { Resource } from "./resource.js";
import type { V3Object } from "./v3/params-object.js";
import { installAccessors } from "./accessors.js";

declare const ITEM_TYPE: unique symbol;

/** What a struct member accepts when building a params object or calling a method. */
export type InitValue<V> = V extends Date
  ? Date | string
  : V extends readonly (infer I)[]
    ? ListValue<I>
    : V extends object
      ? Init<V> | Resource<object> | V3Object
      : V;

/** A list member: an array, or a params list object (`new params.StorageDomains({ storage_domain: [sd] })`). */
export type ListValue<I> = readonly InitValue<I>[] | ParamsList<I> | V3Object;

/** The members of struct `T` as a params constructor takes them (resources fetched from the engine too). */
export type Init<T> = { [K in keyof T]?: InitValue<NonNullable<T[K]>> | null };

/** A params constructor's argument: the members, and generateDS's `type_` for a struct's `type`. */
export type V3Init<T> = Init<T> &
  ("type" extends keyof T ? { type_?: InitValue<NonNullable<T["type" & keyof T]>> | null } : unknown);

/** A params list constructor's argument: `{ storage_domain: [...] }`. */
export type ListInit<K extends string, I> = { [P in K]?: readonly InitValue<I>[] };

function define(target: object, key: symbol, value: string): void {
  Object.defineProperty(target, key, { value, enumerable: false });
}

/** Copies the defined members of `init` (null and undefined mean "not set"). */
function assignDefined(target: object, init: object): void {
  for (const [key, value] of Object.entries(init)) {
    if (value !== undefined && value !== null) (target as Record<string, unknown>)[key] = value;
  }
}

/** The statics a generated params class declares, read by the base constructor through `new.target`. */
interface ParamsStatics {
  readonly typeName: string;
  readonly itemElement?: string;
}

/**
 * The base of every `params.X` class: a struct to send, with the v3 SDK's get_x()/set_x() accessors. The
 * struct is the class's static `typeName` and `T` types the constructor, so a generated class declares no
 * constructor of its own (830 of them were about 90 KB of the install: docs/decisions/0028).
 */
export abstract class ParamsObject<T = unknown> {
  declare readonly [STRUCT_TYPE]: string;

  constructor(init?: V3Init<T> | null) {
    const { typeName } = new.target as unknown as ParamsStatics;
    define(this, STRUCT_TYPE, typeName);
    installAccessors(Object.getPrototypeOf(this), typeName);
    if (init === undefined || init === null) return;
    if (typeof init !== "object" || Array.isArray(init)) {
      throw new ValidationError(`params.${typeName} takes an object of members, not ${typeof init}`, {
        field: typeName,
      });
    }
    const members = withV4Names(typeName, init);
    checkObject(members, typeName, `params.${typeName}`);
    assignDefined(this, members);
  }
}

/**
 * The base of every `params.Xs` list class: a list of structs written under one plural element (the
 * class's static `itemElement`; `K` types it for the constructor).
 */
export abstract class ParamsList<I, K extends string = string> {
  declare readonly [STRUCT_TYPE]: string;
  declare readonly [LIST_ITEMS]: string;
  declare readonly [ITEM_TYPE]?: I;

  constructor(init?: ListInit<K, I> | null) {
    const { typeName, itemElement = "" } = new.target as unknown as ParamsStatics;
    define(this, STRUCT_TYPE, typeName);
    define(this, LIST_ITEMS, itemElement);
    const label = `params.${typeName} list`;
    const items = (init as Record<string, unknown> | null | undefined)?.[itemElement] ?? [];
    const extra = Object.keys(init ?? {}).filter((key) => key !== itemElement);
    if (extra.length > 0 || !Array.isArray(items)) {
      throw new ValidationError(`${label} takes { ${itemElement}: [...] } only`, { field: label });
    }
    items.forEach((item: unknown, i) => {
      if (typeof item !== "object" || item === null) {
        throw new ValidationError(`${label}: item ${i} must be a ${typeName} object`, { field: `${label}[${i}]` });
      }
      checkObject(item, typeName, `${label}[${i}]`);
    });
    (this as Record<string, unknown>)[itemElement] = [...items];
  }
}
