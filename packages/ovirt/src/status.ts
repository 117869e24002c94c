// v3's status objects (docs/decisions/0011-ovirt-v3-status-objects.md): v3 scripts read
// `vm.status.state`; API v4 sends the bare value. Fetched entities and action answers hold a Status whose
// `state` is the engine's value and which reads as that value wherever a string is wanted.

/** The members v3 wrapped in a status object (`<status><state>up</state></status>`). */
export const STATUS_MEMBERS: readonly string[] = ["status", "external_status"];

/** A status as v3 gave it: `status.state` (and generateDS's `get_state()`); `String(status)` gives the value. */
export class Status<S extends string = string> {
  readonly state: S;

  constructor(state: S) {
    this.state = state;
    Object.freeze(this);
  }

  /** generateDS's getter, as in `vm.get_status().get_state()`. */
  get_state(): S {
    return this.state;
  }

  toString(): S {
    return this.state;
  }

  valueOf(): S {
    return this.state;
  }

  /** JSON keeps v4's shape: `"status": "up"`. */
  toJSON(): S {
    return this.state;
  }

  [Symbol.toPrimitive](): S {
    return this.state;
  }
}

/**
 * A struct as v3 saw it: its status members, and those of the structs nested in it, as Status objects, and
 * generateDS's `type_` beside `type` (installed by src/accessors.ts). The generic form, for any struct type;
 * the generated views (`VmView`, `DiskView` ...) name it for each struct of the model, with v3's list objects
 * and accessors too, and are what fetched entities are typed with (docs/decisions/0025).
 */
export type V3View<T> = {
  [K in keyof T]: K extends "status" | "external_status"
    ? NonNullable<T[K]> extends string
      ? Status<NonNullable<T[K]>> | undefined
      : T[K]
    : V3Nested<T[K]>;
} & ("type" extends keyof T ? { type_?: T["type" & keyof T] } : unknown);

type V3Nested<V> = V extends Date | string | number | boolean | bigint | null | undefined
  ? V
  : V extends readonly (infer I)[]
    ? V3Nested<I>[]
    : V3View<V>;

/** The value of a status member, whichever view it is in. */
export function stateOf(value: unknown): unknown {
  return value instanceof Status ? value.state : value;
}

/** Wraps the status members of decoded `data` in place (`status: "up"` -> `status: Status("up")`). */
export function withStatusObjects<T extends Record<string, unknown>>(data: T): T {
  for (const key of STATUS_MEMBERS) {
    const value = data[key];
    if (typeof value === "string") (data as Record<string, unknown>)[key] = new Status(value);
  }
  return data;
}
