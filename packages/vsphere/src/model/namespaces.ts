// The `vim` and `vmodl` values: proxies that hand out each class (or enum's values) the first time it is
// named, so importing the package builds none of the 3,800 types. src/generated/vim.js exports them, and
// src/generated/vim.d.ts declares them (`namespace vim`, types and values at once).
import { inspect } from "node:util";
import { DATA_TYPES, ENUM_TYPES, MANAGED_TYPES, PROPERTY_COLLECTOR_ALIASES } from "../generated/wire.js";
import { dataType, enumType, managedType, pyvmomiNames, schemaNamespace } from "../soap/metadata.js";
import { dataClass } from "./data.js";
import { managedClass } from "./managed.js";

type Resolver = (name: string) => unknown;

function lazyNamespace(label: string, names: () => string[], resolve: Resolver): object {
  const resolved = new Map<string, unknown>();
  const get = (name: string): unknown => {
    if (resolved.has(name)) return resolved.get(name);
    const value = resolve(name);
    if (value !== undefined) resolved.set(name, value);
    return value;
  };
  // util.inspect looks at a proxy's target, not through its traps: the target says what it is.
  const target = Object.create(null) as object;
  Object.defineProperty(target, inspect.custom, {
    value: () => `[${label}: ${names().length} names]`,
    configurable: true,
  });
  return new Proxy(target, {
    get(_target, key) {
      if (key === inspect.custom) return (target as Record<symbol, unknown>)[inspect.custom];
      return typeof key === "string" ? get(key) : undefined;
    },
    has: (_target, key) => typeof key === "string" && get(key) !== undefined,
    ownKeys: () => names(),
    getOwnPropertyDescriptor(_target, key) {
      const value = typeof key === "string" ? get(key) : undefined;
      return value === undefined ? undefined : { value, enumerable: true, configurable: true, writable: false };
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}

const enumValues = (name: string): object | undefined => {
  const values = enumType(name);
  return values && Object.freeze(Object.fromEntries([...values].map((v) => [v, v])));
};

const isFault = (name: string): boolean => dataType(name)?.isFault === true;

/** Any vim25 type by WSDL name: a data, fault or managed class, or an enum's values. */
function vimType(name: string): unknown {
  return managedType(name) || name === "ManagedObject" ? managedClass(name) : (dataClass(name) ?? enumValues(name));
}

// pyVmomi's names: its packages (vim.vm.device.VirtualDisk) and the names it files under a type
// (vim.TaskInfo.State, vim.VirtualMachine.PowerState), given as static properties of the type's class.
const withNested = new WeakSet<object>();

function withPyvmomiNames(value: unknown, type: string): unknown {
  if (typeof value !== "function" || withNested.has(value)) return value;
  withNested.add(value);
  for (const name of pyvmomiNames(type)?.keys() ?? []) {
    if (!Object.hasOwn(value, name)) {
      Object.defineProperty(value, name, { get: () => pyvmomiName(type, name), configurable: true });
    }
  }
  return value;
}

const packages = new Map<string, object>();

/** The value of pyVmomi's `name` under `owner` ("" for vim, ".vm" for a package, or a WSDL type). */
function pyvmomiName(owner: string, name: string): unknown {
  const target = pyvmomiNames(owner)?.get(name);
  if (target === undefined) return undefined;
  if (!target.startsWith(".")) return withPyvmomiNames(vimType(target), target);
  let value = packages.get(target);
  if (!value) {
    value = lazyNamespace(
      `vim${target}`,
      () => [...(pyvmomiNames(target)?.keys() ?? [])],
      (child) => pyvmomiName(target, child),
    );
    packages.set(target, value);
  }
  return value;
}

function vimNamespace(): object {
  const faults = lazyNamespace(
    "vim.fault",
    () => Object.keys(DATA_TYPES).filter((n) => schemaNamespace(n) === "vim" && isFault(n)),
    (name) => (schemaNamespace(name) === "vim" && isFault(name) ? dataClass(name) : undefined),
  );
  return lazyNamespace(
    "vim",
    () => [
      ...Object.keys(ENUM_TYPES),
      ...Object.keys(DATA_TYPES),
      ...Object.keys(MANAGED_TYPES),
      "fault",
      ...(pyvmomiNames("")?.keys() ?? []),
    ],
    (name) => (name === "fault" ? faults : (withPyvmomiNames(vimType(name), name) ?? pyvmomiName("", name))),
  );
}

function vmodlNamespace(): object {
  const inVmodl = (namespace: string) => (name: string) => schemaNamespace(name) === namespace;
  const coreNames = () => Object.keys(DATA_TYPES).filter(inVmodl("vmodl"));
  const isVmodlFault = (n: string) => isFault(n) && n !== "MethodFault" && n !== "RuntimeFault";
  const faults = lazyNamespace(
    "vmodl.fault",
    () => coreNames().filter(isVmodlFault),
    (name) => (inVmodl("vmodl")(name) && isVmodlFault(name) ? dataClass(name) : undefined),
  );
  const propertyCollector = (): unknown => {
    const cls = managedClass("PropertyCollector")!;
    // pyVmomi's nested names: vmodl.query.PropertyCollector.FilterSpec and the like.
    for (const [alias, name] of Object.entries({ ...PROPERTY_COLLECTOR_ALIASES, Filter: "PropertyFilter" })) {
      if (!Object.hasOwn(cls, alias)) {
        Object.defineProperty(cls, alias, { get: () => vimType(name), configurable: true });
      }
    }
    return cls;
  };
  const query = lazyNamespace(
    "vmodl.query",
    () => [...Object.keys(DATA_TYPES).filter(inVmodl("vmodl.query")), "PropertyCollector", "PropertyFilter"],
    (name) =>
      name === "PropertyCollector"
        ? propertyCollector()
        : name === "PropertyFilter"
          ? managedClass(name)
          : inVmodl("vmodl.query")(name)
            ? dataClass(name)
            : undefined,
  );
  return lazyNamespace(
    "vmodl",
    () => [...coreNames().filter((n) => !isVmodlFault(n)), "ManagedObject", "fault", "query"],
    (name) => {
      if (name === "fault") return faults;
      if (name === "query") return query;
      if (name === "ManagedObject") return managedClass(name);
      return inVmodl("vmodl")(name) && !isVmodlFault(name) ? dataClass(name) : undefined;
    },
  );
}

/** The runtime value behind the generated `vim` / `vmodl` exports. */
export function createNamespace(which: "vim" | "vmodl"): object {
  return which === "vim" ? vimNamespace() : vmodlNamespace();
}
