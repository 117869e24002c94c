// Client-side constraints of `list()`, as the oVirt Python SDK v3 had them (`list(memory=1073741824)`):
// a property path (`cpu.topology.cores`) and the value it must have, checked on each entity the engine
// returned. Paths are checked against the model before anything is sent.
import { ValidationError } from "@nimbus-sdk/common";
import { primitiveText } from "./wire/encode.js";
import { wireStruct, type WireMember } from "./wire/metadata.js";

/** A constraint's value: a primitive (a string may hold `*` wildcards), a Date, or an entity (matched by id). */
export type Constraint = string | number | bigint | boolean | Date | { id?: string };

type Test = (value: unknown) => boolean;

function glob(pattern: string): Test {
  const source = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  const regex = new RegExp(`^${source.join(".*")}$`, "s");
  return (value) => typeof value === "string" && regex.test(value);
}

/** The test of one leaf member against the expected value, after checking the value's type. */
function leafTest(member: WireMember, expected: unknown, path: string): Test {
  if (member.kind === "struct") {
    const id = (expected as { id?: unknown } | null)?.id;
    if (typeof id !== "string") {
      throw new ValidationError(
        `the constraint ${path} is a ${member.type}: give an object with an id (or a path into it)`,
        {
          field: path,
        },
      );
    }
    return (value) => (value as { id?: unknown } | undefined)?.id === id;
  }
  if (typeof expected === "string" && expected.includes("*") && (member.kind === "enum" || member.type === "String")) {
    return glob(expected);
  }
  const text = primitiveText(member, expected, `constraint ${path}`);
  if (member.type === "Date") {
    const time = Date.parse(text);
    return (value) => value instanceof Date && value.getTime() === time;
  }
  if (member.type === "Decimal") return (value) => value === Number(text);
  // Integers compare by their digits: a long beyond 2^53 decodes as a string (docs/decisions/0007).
  return (value) => value !== undefined && value !== null && String(value) === text;
}

/** A path's test: member by member down the struct, any item of a list along the way matching. */
function pathTest(typeName: string, segments: readonly string[], expected: unknown, path: string): Test {
  const struct = wireStruct(typeName);
  const [head, ...rest] = segments as [string, ...string[]];
  const member = struct.byXml.get(head);
  if (!member) {
    throw new ValidationError(
      `the constraint ${path} names "${head}", which ${struct.name} does not have (an unknown property path)`,
      { field: path },
    );
  }
  let test: Test;
  if (rest.length === 0) test = leafTest(member, expected, path);
  else if (member.kind !== "struct") {
    throw new ValidationError(`the constraint ${path} goes into "${head}", a ${member.type} that has no members`, {
      field: path,
    });
  } else test = pathTest(member.type, rest, expected, path);
  const key = member.xml;
  if (!member.list) return (value) => test((value as Record<string, unknown> | undefined)?.[key]);
  // Through a list, or on one: any item will do.
  return (value) => {
    const items = (value as Record<string, unknown> | undefined)?.[key];
    return Array.isArray(items) && items.some(test);
  };
}

/**
 * The filter of `constraints` on entities of struct `typeName`; throws ValidationError naming the first
 * path the model does not have or a value of the wrong type. `label` names the call (`vms.list`).
 */
export function compileConstraints(
  typeName: string,
  constraints: Readonly<Record<string, unknown>>,
  label: string,
): (entity: Record<string, unknown>) => boolean {
  const tests = Object.entries(constraints).map(([path, expected]) => {
    const segments = path.split(".");
    if (segments.some((s) => s === "")) {
      throw new ValidationError(`${label}: "${path}" is not a property path`, { field: path });
    }
    return pathTest(typeName, segments, expected, path);
  });
  return (entity) => tests.every((test) => test(entity));
}
