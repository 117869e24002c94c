// How a call takes what follows its required arguments: pyrax's positional arguments, in pyrax's
// order, and/or one options object last. Whatever a call cannot use is a ValidationError naming it,
// never dropped (a string where an options object belongs would otherwise vanish).
import { ValidationError } from "@nimbus-sdk/common";

export const isOptionsObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

const shown = (value: unknown): string =>
  typeof value === "string" ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : String(value);

type Primitive = "string" | "number" | "boolean";

/**
 * The options of `call`, from `args` (what came after its required arguments): values in the order
 * of `positional` (pyrax's), then optionally one plain options object. `known` lists every option
 * the call understands (the positional names included); `signal` is always understood. A positional
 * value must have the type `types` gives its name (string by default; booleans for flags).
 */
export function callArgs<O extends object>(
  call: string,
  args: readonly unknown[],
  positional: readonly (keyof O & string)[],
  known: readonly (keyof O & string)[] = positional,
  types: Partial<Record<keyof O & string, Primitive>> = {},
): O {
  const out: Record<string, unknown> = {};
  let last = args.length;
  while (last > 0 && args[last - 1] === undefined) last--;
  for (let i = 0; i < last; i++) {
    const value = args[i];
    if (isOptionsObject(value) && i === last - 1) {
      checkOptions(call, value, known);
      for (const [key, v] of Object.entries(value)) {
        if (v === undefined) continue;
        if (key in out) throw new ValidationError(`${call}: ${key} was given twice`, { field: key });
        out[key] = v;
      }
    } else if (i < positional.length && !isOptionsObject(value)) {
      const field = positional[i]!;
      const type = types[field] ?? "string";
      if (value !== undefined && value !== null && typeof value !== type) {
        throw new ValidationError(`${call}: ${field} must be a ${type}, not ${shown(value)}`, { field });
      }
      if (value !== undefined && value !== null) out[field] = value;
    } else {
      const expected = positional.length
        ? `it takes ${positional.join(", ")} in that order, then an options object`
        : "it takes an options object";
      throw new ValidationError(`${call}: cannot use argument ${shown(value)} here; ${expected}`, {
        field: positional[i] ?? "options",
      });
    }
  }
  return out as O;
}

/**
 * An options object (or nothing); any other value is a ValidationError, and so is a name the call
 * does not know when `known` lists them.
 */
export function checkOptions<O extends object>(call: string, options: O | undefined, known?: readonly string[]): O {
  if (options === undefined || options === null) return {} as O;
  if (!isOptionsObject(options)) {
    throw new ValidationError(`${call}: cannot use ${shown(options)}; it takes an options object`, {
      field: "options",
    });
  }
  for (const [key, value] of Object.entries(options)) {
    if (known && value !== undefined && key !== "signal" && !known.includes(key)) {
      throw new ValidationError(`${call}: unknown option "${key}"; it takes ${[...known, "signal"].join(", ")}`, {
        field: key,
      });
    }
  }
  return options;
}
