// pyVmomi's spellings for scripts/generate.mjs: its dotted type names (vim.vm.ConfigSpec,
// vim.TaskInfo.State) and short method names (CreateSnapshot for CreateSnapshot_Task), read from
// scripts/pyvmomi-names.json (scripts/extract-pyvmomi-names.py), checked against the model; and the
// operations that only read, which the SOAP stub may send again after a 503 or a lost connection.

/**
 * The names as a tree: `root` (vim's own members), `namespaces` (pyVmomi's lower-case packages: vm,
 * vm.device …) and `nested` (the names filed under a type: TaskInfo → State). Each node maps a name to a
 * WSDL type (`{ type }`) or a package (`{ ns: "vm.device" }`); `methods` maps a managed type to its
 * aliases. Names equal to the WSDL's, and vim.fault.* (served already), are left out.
 */
export function pyvmomiNames(model, json) {
  const isType = (name) => model.dataTypes.has(name) || model.enums.has(name) || model.managed.has(name);
  const typeAt = new Map(); // pyVmomi path ("vm.ConfigSpec") -> WSDL type
  for (const [vmodlName, wsdlName] of Object.entries(json.types)) {
    const path = vmodlName.slice("vim.".length);
    if (path.startsWith("fault.") || !isType(wsdlName)) continue;
    typeAt.set(path, wsdlName);
  }
  const root = new Map();
  const namespaces = new Map();
  const nested = new Map();
  const ownerOf = (parent) => {
    if (parent === "") return root;
    const type = typeAt.get(parent);
    const table = type ? nested : namespaces;
    const key = type ?? parent;
    if (!table.has(key)) table.set(key, new Map());
    return table.get(key);
  };
  const add = (path) => {
    const dot = path.lastIndexOf(".");
    const parent = dot === -1 ? "" : path.slice(0, dot);
    const name = path.slice(dot + 1);
    const type = typeAt.get(path);
    if (parent === "" && type === name) return; // vim.TaskInfo: the WSDL name already
    if (parent === "" && type === undefined && isType(name)) throw new Error(`pyVmomi package ${name} is a type`);
    if (parent === "" && type !== undefined && isType(name)) return; // a WSDL type of that name wins
    // An enum's values object holds its values: nothing is filed under it.
    if (parent !== "" && model.enums.has(typeAt.get(parent))) return;
    const owner = ownerOf(parent);
    if (owner.has(name)) return;
    owner.set(name, type === undefined ? { ns: path } : { type });
    if (parent !== "" && !typeAt.has(parent)) add(parent);
  };
  for (const path of [...typeAt.keys()].sort()) add(path);

  const methods = new Map();
  for (const [type, aliases] of Object.entries(json.methods)) {
    const managed = model.managed.get(type);
    if (!managed) continue;
    const taken = new Set();
    for (let t = managed; t; t = model.managed.get(t.base)) {
      for (const m of t.methods) taken.add(m.name);
      for (const p of t.properties) taken.add(p.name);
    }
    const own = new Set(managed.methods.map((m) => m.name));
    const entries = Object.entries(aliases).filter(([alias, op]) => own.has(op) && !taken.has(alias));
    if (entries.length) methods.set(type, entries);
  }
  return { root, namespaces, nested, methods };
}

const render = (node) =>
  [...node]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, ref]) => `${name}=${ref.type ?? `.${ref.ns}`}`)
    .join(",");

/**
 * wire.ts's tables: PY_NAMES (owner -> "name=Type,name=.package", owner "" for vim, ".vm" for a package) and
 * PY_METHODS, through `table(name, entries)`, which packs them and answers their export.
 */
export function renderPyvmomiWire(names, readOnly, table) {
  const lit = (v) => JSON.stringify(v);
  const lines = [
    "/**",
    ' * pyVmomi\'s names where they differ from the WSDL\'s: owner -> "name=Type,name=.package" (owner "" is `vim`,',
    ' * ".vm" a pyVmomi package, else the WSDL type they are filed under: vim.TaskInfo.State).',
    " */",
    table("PY_NAMES", [
      ["", render(names.root)],
      ...[...names.namespaces].sort().map(([ns, node]) => [`.${ns}`, render(node)]),
      ...[...names.nested].sort().map(([type, node]) => [type, render(node)]),
    ]),
    "",
  ];
  lines.push(
    '/** pyVmomi\'s method names: managed type -> "Alias=Operation,..." (CreateSnapshot=CreateSnapshot_Task). */',
  );
  const methods = [...names.methods]
    .sort()
    .map(([type, entries]) => [type, entries.map(([a, op]) => `${a}=${op}`).join(",")]);
  lines.push(table("PY_METHODS", methods), "");
  lines.push("/** The operations that only read: sent again after a 503 or a lost connection (see isReadOnly). */");
  lines.push(`export const READ_ONLY_OPERATIONS = ${lit(readOnly.join(","))};`, "");
  return lines;
}

/**
 * `namespace vim`'s pyVmomi names: `namespace vm { export import ConfigSpec = vim.VirtualMachineConfigSpec; … }`,
 * and the names filed under a type (`namespace TaskInfo { export import State = vim.TaskInfoState; }`, merged
 * with its class). An import alias is the type and its value at once; it carries its target's doc comment
 * (editors show it, the API reference lists it as a re-export), type parameters (Task<T>) and nested names.
 */
export function renderPyvmomiTypeNames(names) {
  const lines = [];
  const emit = (node, indent, path) => {
    for (const [name, ref] of [...node].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (ref.type) lines.push(`${indent}export import ${name} = vim.${ref.type};`);
      else {
        lines.push(`${indent}/** pyVmomi's ${path}.${name}. */`, `${indent}namespace ${name} {`);
        emit(names.namespaces.get(ref.ns), `${indent}  `, `${path}.${name}`);
        lines.push(`${indent}}`);
      }
    }
  };
  emit(names.root, "  ", "vim");
  for (const [type, node] of [...names.nested].sort()) {
    lines.push(`  namespace ${type} {`);
    emit(node, "    ", `vim.${type}`);
    lines.push("  }");
  }
  return lines;
}

/** Method aliases of a managed interface: `CreateSnapshot: this["CreateSnapshot_Task"];`. */
export function renderPyvmomiMethods(names, type) {
  return (names.methods.get(type) ?? []).map(
    ([alias, op]) => `    /** pyVmomi's name of ${op}. */\n    ${alias}: this[${JSON.stringify(op)}];`,
  );
}

// Prefixes of vim25's read-only operations (the API's naming: Query…, Find…, Retrieve…); the cursor
// reads (ReadNextEvents …) move a collector and are not among them.
const READ_PREFIXES = /^(Retrieve|ContinueRetrieve|WaitForUpdates|CheckForUpdates|Query|Find|Fetch|Has|CurrentTime$)/;

/** The operations that only read: named so by the API and starting no task. */
export function readOnlyOperations(model) {
  return [...model.operations.values()]
    .filter((op) => READ_PREFIXES.test(op.name) && !op.name.endsWith("_Task") && op.result?.target !== "Task")
    .map((op) => op.name)
    .sort();
}
