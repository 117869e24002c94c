// A fetched entity's members as they were fetched, for `update()` (only what changed goes out) and `toJSON()`
// (the members as fetched), held without a second copy of its objects: the values of its leaves in one array,
// and its shape (keys, nesting, list lengths), which the entities of one list share (they have few shapes
// between them). A deep copy per entity kept 1.9 KB per VM of a 10,000-VM list (0.7 times the answer's size);
// the leaves take about 0.3 KB.
import { Status } from "./status.js";
import { AS_REFERENCE } from "./wire/marks.js";

const LEAF = 0;
const DATE = 1;

/** An object's keys and their shapes, or (keys undefined) an array's items' shapes. */
interface Branch {
  readonly keys: readonly string[] | undefined;
  readonly items: readonly Shape[];
  /** How many leaves the branch holds, so that a snapshot's array is allocated at its size. */
  readonly leaves: number;
}

type Shape = typeof LEAF | typeof DATE | Branch;

/** What `snapshot` keeps: restore it with `restore`. */
export interface Snapshot {
  readonly shape: Shape;
  readonly leaves: readonly unknown[];
}

/**
 * How `copyOf` treats a value: a leaf is kept as it is (a primitive, a Status, which is frozen, a resource
 * nested in params, which is a reference); a Date is copied; arrays and objects (their own enumerable keys)
 * are copied member by member.
 */
function kindOf(value: unknown): typeof LEAF | typeof DATE | "array" | "object" {
  if (typeof value !== "object" || value === null) return LEAF;
  if (value instanceof Date) return DATE;
  if (value instanceof Status) return LEAF;
  if (Array.isArray(value)) return "array";
  return (value as { [AS_REFERENCE]?: boolean })[AS_REFERENCE] ? LEAF : "object";
}

/** A deep copy of `value`: plain objects and arrays, new Dates, leaves (see kindOf) kept. */
export function copyOf(value: unknown): unknown {
  const kind = kindOf(value);
  if (kind === LEAF) return value;
  if (kind === DATE) return new Date((value as Date).getTime());
  if (kind === "array") return (value as unknown[]).map(copyOf);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value as object)) out[key] = copyOf((value as Record<string, unknown>)[key]);
  return out;
}

// The shapes met last, newest first: a list's entities take them again.
const RECENT_SHAPES = 8;
const recent: Branch[] = [];

/** Keeps what `value` holds now; `restore` gives a deep copy of it as it was (as `copyOf` would have). */
export function snapshot(value: object): Snapshot {
  for (let i = 0; i < recent.length; i++) {
    const shape = recent[i]!;
    const leaves = new Array<unknown>(shape.leaves);
    if (fill(shape, value, leaves, 0) >= 0) {
      if (i > 0) recent.unshift(...recent.splice(i, 1));
      return { shape, leaves };
    }
  }
  const leaves: unknown[] = [];
  const shape = shapeOf(value, leaves);
  if (typeof shape === "object") {
    recent.unshift(shape);
    if (recent.length > RECENT_SHAPES) recent.pop();
  }
  return { shape, leaves };
}

/** A deep copy of the value as it was when `snapshot` took it. */
export function restore(kept: Snapshot): unknown {
  const at = { next: 0 };
  return build(kept.shape, kept.leaves, at);
}

/** The shape of `value`, its leaves pushed onto `leaves` in the order `fill` and `build` take them. */
function shapeOf(value: unknown, leaves: unknown[]): Shape {
  const kind = kindOf(value);
  if (kind === LEAF) leaves.push(value);
  else if (kind === DATE) leaves.push((value as Date).getTime());
  if (kind === LEAF || kind === DATE) return kind;
  const start = leaves.length;
  const keys = kind === "array" ? undefined : Object.keys(value as object);
  const items =
    keys === undefined
      ? (value as unknown[]).map((item) => shapeOf(item, leaves))
      : keys.map((key) => shapeOf((value as Record<string, unknown>)[key], leaves));
  return { keys, items, leaves: leaves.length - start };
}

/**
 * Writes the leaves of `value` into `leaves` from `at` if `value` has `shape`: the index after them, or -1
 * when `value` has another shape.
 */
function fill(shape: Shape, value: unknown, leaves: unknown[], at: number): number {
  const kind = kindOf(value);
  if (shape === LEAF || shape === DATE) {
    if (kind !== shape) return -1;
    leaves[at] = kind === DATE ? (value as Date).getTime() : value;
    return at + 1;
  }
  const { keys, items } = shape;
  if (keys === undefined) {
    if (kind !== "array" || (value as unknown[]).length !== items.length) return -1;
    for (let i = 0; i < items.length && at >= 0; i++) at = fill(items[i]!, (value as unknown[])[i], leaves, at);
    return at;
  }
  if (kind !== "object") return -1;
  const own = Object.keys(value as object);
  if (own.length !== keys.length) return -1;
  for (let i = 0; i < keys.length && at >= 0; i++) {
    if (own[i] !== keys[i]) return -1;
    at = fill(items[i]!, (value as Record<string, unknown>)[own[i]!], leaves, at);
  }
  return at;
}

function build(shape: Shape, leaves: readonly unknown[], at: { next: number }): unknown {
  if (shape === LEAF) return leaves[at.next++];
  if (shape === DATE) return new Date(leaves[at.next++] as number);
  const { keys, items } = shape;
  if (keys === undefined) return items.map((item) => build(item, leaves, at));
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) out[keys[i]!] = build(items[i]!, leaves, at);
  return out;
}
