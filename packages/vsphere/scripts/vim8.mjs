// vSphere 8 for scripts/generate.mjs: merges scripts/vim8-types.json (what vim25 gained after the 7.0 U3
// WSDL, read from pyVmomi's type table by scripts/extract-vim8.py) into the model read from the WSDL. Each
// added data type, field, enum, property, operation and parameter keeps `since`, the API version it appeared
// in: the codec leaves a field out of a request to an older server, as pyVmomi does.

const PRIMITIVES = new Set([
  "string",
  "int",
  "long",
  "short",
  "byte",
  "boolean",
  "float",
  "double",
  "dateTime",
  "base64Binary",
  "anyType",
  "anyURI",
]);

// "Type", "@Managed", "Type[]?" -> the model's field shape.
function parseSpec(spec, where) {
  const m = /^(@?)(\w*)(\[\])?(\?)?$/.exec(spec);
  if (!m) throw new Error(`vim8-types.json: ${where}: bad type ${spec}`);
  const [, ref, name, array, optional] = m;
  const base = { array: Boolean(array), optional: Boolean(optional) };
  if (ref) return { ...base, xsdType: "vim25:ManagedObjectReference", target: name || undefined };
  return { ...base, xsdType: PRIMITIVES.has(name) ? `xsd:${name}` : `vim25:${name}` };
}

// Inserts `field` after the member named `after` (null: first), as pyVmomi's (the wire's) order has it.
function insertAfter(list, after, field, where) {
  if (list.some((f) => f.name === field.name)) return false;
  const index = after === null ? 0 : list.findIndex((f) => f.name === after) + 1;
  if (index === 0 && after !== null) throw new Error(`vim8-types.json: ${where}: no member ${after} to follow`);
  list.splice(index, 0, field);
  return true;
}

// A member older than the WSDL yet missing from it (pyVmomi's table has a few) gets no version.
function member([name, spec, since], where) {
  const field = { name, ...parseSpec(spec, `${where}.${name}`) };
  return newerThanWsdl(since) ? { ...field, since } : field;
}

let wsdlVersion;
const newerThanWsdl = (version) => /^\d+(\.\d+)*$/.test(version) && compareVersions(version, wsdlVersion) > 0;
// The version kept on an added item: none when pyVmomi dates it no later than the WSDL (missing from it anyway).
const sinceOf = (version) => (newerThanWsdl(version) ? version : undefined);

function compareVersions(a, b) {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** Adds the newer types and members to `model`; returns what was added, for the generator's checks. */
export function mergeVim8(model, json) {
  wsdlVersion = model.apiVersion;
  const added = { types: 0, fields: 0, enums: 0, values: 0, operations: 0, params: 0, properties: 0 };
  for (const [name, e] of Object.entries(json.enums)) {
    const known = model.enums.get(name);
    if (!known) {
      model.enums.set(name, { name, values: [...e.values], namespace: "vim", since: sinceOf(e.version) });
      added.enums++;
      continue;
    }
    for (const v of e.values) {
      if (known.values.includes(v)) continue;
      known.values.push(v);
      added.values++;
    }
  }
  // New types first: the fields of older types may name them.
  for (const [name, t] of Object.entries(json.dataTypes)) {
    if (!t.base || model.dataTypes.has(name)) continue;
    model.dataTypes.set(name, { name, base: t.base, fields: [], namespace: "vim", since: sinceOf(t.version) });
    added.types++;
  }
  for (const [name, t] of Object.entries(json.dataTypes)) {
    const type = model.dataTypes.get(name);
    if (!type) throw new Error(`vim8-types.json: new members of the unknown type ${name}`);
    if (t.base && !model.dataTypes.has(t.base)) throw new Error(`vim8-types.json: ${name}: unknown base ${t.base}`);
    for (const f of t.fields) {
      // A type new in 8.0 carries no per-field version: its fields are as old as it is.
      const field = member(f, name);
      if (type.since === field.since) delete field.since;
      if (insertAfter(type.fields, f[3], field, name)) added.fields++;
    }
  }
  for (const [name, m] of Object.entries(json.managedTypes)) {
    let type = model.managed.get(name);
    if (!type) {
      if (!m.base) throw new Error(`vim8-types.json: news of the unknown managed type ${name}`);
      type = { name, base: m.base, properties: [], methods: [], since: sinceOf(m.version) };
      model.managed.set(name, type);
    }
    for (const [prop, [spec, since]] of Object.entries(m.properties ?? {})) {
      if (type.properties.some((p) => p.name === prop)) continue;
      const f = parseSpec(spec, `${name}.${prop}`);
      const ref = f.xsdType === "vim25:ManagedObjectReference";
      // managed-types.json's property shape: a type name (the managed type for a reference).
      const typeName = ref ? (f.target ?? "ManagedObject") : f.xsdType.slice(f.xsdType.indexOf(":") + 1);
      type.properties.push({ name: prop, type: typeName, array: f.array, optional: f.optional, since: sinceOf(since) });
      added.properties++;
    }
    for (const [opName, spec] of Object.entries(m.methods ?? {})) {
      let op = model.operations.get(opName);
      if (!op) {
        const result = spec.result ? { name: "returnval", ...parseSpec(spec.result, `${opName} result`) } : undefined;
        op = { name: opName, params: [], result, faults: spec.faults, owner: name, since: sinceOf(spec.version) };
        if (result?.target === "Task") op.taskResult = spec.taskResult ?? "";
        model.operations.set(opName, op);
        type.methods.push({ name: opName });
        added.operations++;
      } else if (op.owner !== name) throw new Error(`vim8-types.json: ${opName} is owned by ${op.owner}, not ${name}`);
      for (const p of spec.params) {
        const param = member(p, opName);
        if (op.since === param.since) delete param.since;
        if (insertAfter(op.params, p[3], param, opName)) added.params++;
      }
    }
  }
  model.apiVersion = json.apiVersion;
  return added;
}

/** pyVmomi 6.7.1's names (scripts/pyvmomi-names.json) with those of the types and methods added since. */
export function mergeNames(names, newer) {
  const methods = { ...names.methods };
  for (const [type, aliases] of Object.entries(newer.methods)) methods[type] = { ...methods[type], ...aliases };
  return { ...names, types: { ...names.types, ...newer.types }, methods };
}
