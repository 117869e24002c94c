#!/usr/bin/env node
// Generates the vim25 layer of @nimbus-sdk/vsphere from VMware's WSDL/XSD set (specs/vsphere/, kept
// beside the repository and never shipped) and scripts/managed-types.json (the managed object facts the
// WSDL does not carry: which managed type owns each operation, its properties, reference targets):
//
//   src/generated/vim.d.ts declarations only: `namespace vim` with every data type as an interface and its
//                          class, enums as string unions and their values, managed objects with typed
//                          methods and property getters, fault types and pyVmomi's names; `namespace vmodl`.
//                          One declaration per name serves as type and value (docs/decisions/0028).
//   src/generated/vim.js   the `vim` / `vmodl` values it declares (lazily built classes, src/model/namespaces.ts).
//   src/generated/wire.ts  the compact wire metadata the SOAP codec runs on: per data type its base and
//                          fields in wire order, per enum its values, per managed type its properties and
//                          methods, per operation its parameters and result, as short strings
//                          decoded on first use (docs/decisions/0006-vsphere-soap-serializer.md).
//
//   node scripts/generate.mjs              write the three files
//   node scripts/generate.mjs --check      exit 1 when a committed file differs from the output
//   node scripts/generate.mjs --tables     print wire.ts's packed tables as JSON
//   node scripts/generate.mjs --specs DIR  read the WSDL/XSD files from DIR
//
// Without the specs (a user's clone has no ../shared) it prints a notice and exits 0. Plain Node ESM
// because the repository has no TypeScript runner (docs/decisions/0004).
import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { packedTables, writeGenerated } from "../../../scripts/lib/generated-files.mjs";
import {
  pyvmomiNames,
  readOnlyOperations,
  renderPyvmomiMethods,
  renderPyvmomiTypeNames,
  renderPyvmomiWire,
} from "./pyvmomi-names.mjs";
import { mergeNames, mergeVim8 } from "./vim8.mjs";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const defaultSpecs = resolve(packageDir, "../../../shared/specs/vsphere");
const outDir = resolve(packageDir, "src/generated");
const factsFile = resolve(packageDir, "scripts/managed-types.json");
const pyvmomiNamesFile = resolve(packageDir, "scripts/pyvmomi-names.json");
const vim8File = resolve(packageDir, "scripts/vim8-types.json");
const SPEC_FILES = [
  "core-types.xsd",
  "query-types.xsd",
  "vim-types.xsd",
  "query-messagetypes.xsd",
  "vim-messagetypes.xsd",
  "vim.wsdl",
];

// XSD primitives -> the one-letter codes of wire.ts (src/soap/metadata.ts reads them).
const PRIMITIVE_CODES = {
  "xsd:string": "s",
  "xsd:int": "i",
  "xsd:long": "l",
  "xsd:short": "h",
  "xsd:byte": "y",
  "xsd:boolean": "b",
  "xsd:float": "f",
  "xsd:double": "d",
  "xsd:dateTime": "t",
  "xsd:base64Binary": "B",
  "xsd:anyType": "*",
  "xsd:anyURI": "u",
};
const TS_OF_CODE = {
  s: "string",
  u: "string",
  i: "number",
  l: "number | bigint",
  h: "number",
  y: "number",
  f: "number",
  d: "number",
  b: "boolean",
  t: "Date",
  B: "Uint8Array",
  "*": "unknown",
};

// String fields and parameters that name a vim type (pyVmomi's vmodl.TypeName): they also take a class,
// as in `CreateContainerView(folder, [vim.VirtualMachine], true)`. Those a script sends (not the ones it reads):
// `AddCustomFieldDef(name, vim.VirtualMachine)`, `EventFilterSpec({ type: [vim.VmPoweredOnEvent] })`.
const TYPE_NAME_FIELDS = new Set([
  "PropertySpec.type",
  "TraversalSpec.type",
  "CreateContainerView.type",
  "AddCustomFieldDef.moType",
  "EventFilterSpec.type",
]);

// pyVmomi's nested names for the property collector's data types, kept as aliases on
// vmodl.query.PropertyCollector (scripts ported from pyVmomi use them more than any other).
const PROPERTY_COLLECTOR_ALIASES = {
  FilterSpec: "PropertyFilterSpec",
  ObjectSpec: "ObjectSpec",
  PropertySpec: "PropertySpec",
  SelectionSpec: "SelectionSpec",
  TraversalSpec: "TraversalSpec",
  RetrieveOptions: "RetrieveOptions",
  RetrieveResult: "RetrieveResult",
  ObjectContent: "ObjectContent",
  WaitOptions: "WaitOptions",
  UpdateSet: "UpdateSet",
  FilterUpdate: "PropertyFilterUpdate",
  ObjectUpdate: "ObjectUpdate",
  Change: "PropertyChange",
  MissingProperty: "MissingProperty",
  MissingObject: "MissingObject",
};

// ServiceContent's managers that every vCenter and ESXi host has: typed as present (the XSD makes every
// manager optional), so `content.viewManager.CreateContainerView(...)` needs no check. The wire stays optional.
const ALWAYS_PRESENT_FIELDS = new Set(
  [
    "viewManager",
    "sessionManager",
    "searchIndex",
    "taskManager",
    "eventManager",
    "perfManager",
    "fileManager",
    "authorizationManager",
    "setting",
    "userDirectory",
  ].map((f) => `ServiceContent.${f}`),
);

const RESERVED_PARAM_NAMES = new Set(["arguments", "default", "function", "class", "delete", "new", "in", "package"]);

async function main(argv) {
  const check = argv.includes("--check");
  const specsIndex = argv.indexOf("--specs");
  const specsDir = specsIndex >= 0 ? resolve(argv[specsIndex + 1] ?? "") : defaultSpecs;
  if (!SPEC_FILES.every((f) => existsSync(resolve(specsDir, f)))) {
    console.log(`vsphere generate: ${specsDir} not found (no ../shared beside this clone); nothing to do.`);
    return 0;
  }
  const specLabel = relative(packageDir, specsDir)
    .replace(/\\/g, "/")
    .replace(/^(\.\.\/)+/, "");
  const model = buildModel(specsDir, JSON.parse(readFileSync(factsFile, "utf8")));
  const vim8 = JSON.parse(readFileSync(vim8File, "utf8"));
  mergeVim8(model, vim8);
  model.py = pyvmomiNames(model, mergeNames(JSON.parse(readFileSync(pyvmomiNamesFile, "utf8")), vim8.pyvmomiNames));
  const wire = renderWire(model, specLabel);
  if (argv.includes("--tables")) {
    console.log(JSON.stringify(wire.tables, null, 1));
    return 0;
  }
  const outputs = [
    ["vim.d.ts", renderTypes(model, specLabel)],
    ["vim.js", renderValues(specLabel)],
    ["wire.ts", wire.text],
  ];
  return writeGenerated({ tool: "vsphere generate", outDir, outputs, check });
}

// ---------------------------------------------------------------------------------------------------
// Reading the schema: a minimal element tree (the WSDL/XSD files use tags and attributes only).

function parseXml(text, file) {
  const root = { name: "#root", attrs: {}, children: [] };
  const stack = [root];
  const tag = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([\w:]+)((?:\s+[\w:]+\s*=\s*"[^"]*")*)\s*(\/?)>/g;
  for (const m of text.matchAll(tag)) {
    if (!m[2]) continue;
    if (m[1]) {
      const open = stack.pop();
      if (open.name !== m[2]) throw new Error(`${file}: </${m[2]}> closes <${open.name}>`);
      continue;
    }
    const attrs = {};
    for (const a of m[3].matchAll(/([\w:]+)\s*=\s*"([^"]*)"/g)) attrs[a[1]] = a[2];
    const node = { name: m[2], attrs, children: [] };
    stack.at(-1).children.push(node);
    if (!m[4]) stack.push(node);
  }
  if (stack.length !== 1) throw new Error(`${file}: <${stack.at(-1).name}> is not closed`);
  return root;
}

const childrenNamed = (node, name) => node.children.filter((c) => c.name === name);
const local = (qname) => qname.slice(qname.indexOf(":") + 1);

function* descendants(node, name) {
  for (const c of node.children) {
    if (c.name === name) yield c;
    yield* descendants(c, name);
  }
}

// A <sequence>'s elements as fields: name, schema type, optional (minOccurs=0), array (unbounded).
function sequenceFields(complexType, where) {
  const sequences = [...descendants(complexType, "sequence")];
  if (sequences.length > 1) throw new Error(`${where}: more than one sequence`);
  return (sequences[0]?.children ?? []).map((e) => {
    if (e.name !== "element" || !e.attrs.type) throw new Error(`${where}: unexpected <${e.name}> in a sequence`);
    return {
      name: e.attrs.name,
      xsdType: e.attrs.type,
      optional: e.attrs.minOccurs === "0",
      array: e.attrs.maxOccurs === "unbounded",
    };
  });
}

function readSchemaTypes(file, namespace, model) {
  const root = parseXml(readFileSync(file, "utf8"), file);
  const schema = root.children.find((c) => c.name === "schema");
  for (const node of schema.children) {
    const name = node.attrs.name;
    if (node.name === "simpleType") {
      const values = [...descendants(node, "enumeration")].map((e) => e.attrs.value);
      if (!values.length) throw new Error(`${name}: a simple type that is not an enumeration`);
      for (const v of values) if (/[|,;]/.test(v)) throw new Error(`${name}: enum value ${v} holds a separator`);
      model.enums.set(name, { name, values, namespace });
    } else if (node.name === "complexType") {
      if (name.startsWith("ArrayOf")) {
        const [item] = sequenceFields(node, name);
        model.arrayTypes.set(name, item.xsdType);
        continue;
      }
      if (name === "ManagedObjectReference") continue;
      const extension = [...descendants(node, "extension")][0];
      model.dataTypes.set(name, {
        name,
        base: extension ? local(extension.attrs.base) : undefined,
        fields: sequenceFields(node, name),
        namespace,
      });
    } else if (!["include", "import"].includes(node.name)) {
      throw new Error(`${file}: unexpected top-level <${node.name}>`);
    }
  }
}

function readRequestTypes(file, requestTypes) {
  const root = parseXml(readFileSync(file, "utf8"), file);
  for (const node of root.children.find((c) => c.name === "schema").children) {
    if (node.name === "complexType") requestTypes.set(node.attrs.name, sequenceFields(node, node.attrs.name));
  }
}

function buildModel(specsDir, facts) {
  const model = {
    dataTypes: new Map(),
    enums: new Map(),
    arrayTypes: new Map(),
    operations: new Map(),
    managed: new Map(),
    apiVersion: undefined,
  };
  readSchemaTypes(resolve(specsDir, "core-types.xsd"), "vmodl", model);
  readSchemaTypes(resolve(specsDir, "query-types.xsd"), "vmodl.query", model);
  readSchemaTypes(resolve(specsDir, "vim-types.xsd"), "vim", model);
  const requestTypes = new Map();
  readRequestTypes(resolve(specsDir, "query-messagetypes.xsd"), requestTypes);
  readRequestTypes(resolve(specsDir, "vim-messagetypes.xsd"), requestTypes);

  const wsdl = parseXml(readFileSync(resolve(specsDir, "vim.wsdl"), "utf8"), "vim.wsdl");
  const definitions = wsdl.children.find((c) => c.name === "definitions");
  const schema = definitions.children.find((c) => c.name === "types").children.find((c) => c.name === "schema");
  const elements = new Map();
  for (const e of childrenNamed(schema, "element")) elements.set(e.attrs.name, e);
  const messages = new Map();
  for (const m of childrenNamed(definitions, "message")) messages.set(m.attrs.name, childrenNamed(m, "part")[0]);
  const elementOfMessage = (qname) => elements.get(local(messages.get(local(qname)).attrs.element));

  const portType = childrenNamed(definitions, "portType")[0];
  for (const op of childrenNamed(portType, "operation")) {
    const name = op.attrs.name;
    const input = elementOfMessage(childrenNamed(op, "input")[0].attrs.message);
    const params = requestTypes.get(local(input.attrs.type));
    if (!params || params[0]?.name !== "_this") throw new Error(`${name}: no request type with _this`);
    const output = elementOfMessage(childrenNamed(op, "output")[0].attrs.message);
    const [result] = sequenceFields(output, `${name}Response`);
    const faults = childrenNamed(op, "fault").map((f) => local(elementOfMessage(f.attrs.message).attrs.type));
    model.operations.set(name, { name, params: params.slice(1), result, faults });
  }
  const actions = new Set([...descendants(definitions, "soap:operation")].map((o) => o.attrs.soapAction));
  if (actions.size !== 1) throw new Error(`vim.wsdl: expected one soapAction, found ${[...actions].join(", ")}`);
  model.apiVersion = [...actions][0].replace(/^urn:vim25\//, "");

  applyFacts(model, facts);
  return model;
}

// ---------------------------------------------------------------------------------------------------
// The managed object facts, checked against the WSDL.

function applyFacts(model, facts) {
  const { managedTypes, dataMorefs } = facts;
  model.managed.set("ManagedObject", { name: "ManagedObject", base: undefined, properties: [], methods: [] });
  const owner = new Map();
  for (const [name, t] of Object.entries(managedTypes)) {
    const properties = Object.entries(t.properties).map(([prop, spec]) => {
      const m = /^(\w+)(\[\])?(\?)?$/.exec(spec);
      if (!m) throw new Error(`managed-types.json: ${name}.${prop}: bad type ${spec}`);
      return { name: prop, type: m[1], array: Boolean(m[2]), optional: Boolean(m[3]) };
    });
    const methods = Object.entries(t.methods).map(([op, spec]) => {
      if (owner.has(op)) throw new Error(`managed-types.json: ${op} is owned by ${owner.get(op)} and ${name}`);
      owner.set(op, name);
      if (!model.operations.has(op)) throw new Error(`managed-types.json: ${name}.${op} is not a vim.wsdl operation`);
      return { name: op, ...spec };
    });
    model.managed.set(name, { name, base: t.base, properties, methods });
  }
  for (const op of model.operations.keys()) {
    if (!owner.has(op)) throw new Error(`managed-types.json: no managed type owns the operation ${op}`);
  }
  for (const t of model.managed.values()) {
    if (t.base && !model.managed.has(t.base)) throw new Error(`managed-types.json: ${t.name}: unknown base ${t.base}`);
    for (const p of t.properties) {
      if (!isKnownType(model, p.type)) throw new Error(`managed-types.json: ${t.name}.${p.name}: unknown ${p.type}`);
    }
    for (const m of t.methods) {
      const op = model.operations.get(m.name);
      op.owner = t.name;
      for (const [param, target] of Object.entries(m.params ?? {})) {
        const p = op.params.find((x) => x.name === param);
        if (p?.xsdType !== "vim25:ManagedObjectReference") throw new Error(`${m.name}.${param} is not a reference`);
        if (!model.managed.has(target)) throw new Error(`${m.name}.${param}: unknown managed type ${target}`);
        p.target = target;
      }
      if (m.result) {
        if (op.result?.xsdType !== "vim25:ManagedObjectReference") throw new Error(`${m.name}: result is no reference`);
        op.result.target = m.result;
      }
      if (m.taskResult) {
        const tr = m.taskResult.replace(/\[\]$/, "");
        if (!isKnownType(model, tr)) throw new Error(`${m.name}: unknown task result ${m.taskResult}`);
        op.taskResult = m.taskResult;
      } else if (op.result?.target === "Task") op.taskResult = ""; // a task without a result
    }
  }
  for (const [typeName, fields] of Object.entries(dataMorefs)) {
    const t = model.dataTypes.get(typeName);
    if (!t) throw new Error(`managed-types.json: dataMorefs names the unknown type ${typeName}`);
    for (const [field, target] of Object.entries(fields)) {
      const f = t.fields.find((x) => x.name === field);
      if (f?.xsdType !== "vim25:ManagedObjectReference") throw new Error(`${typeName}.${field} is not a reference`);
      if (!model.managed.has(target)) throw new Error(`${typeName}.${field}: unknown managed type ${target}`);
      f.target = target;
    }
  }
}

const PRIMITIVE_NAMES = new Set([
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

function isKnownType(model, name) {
  return PRIMITIVE_NAMES.has(name) || model.dataTypes.has(name) || model.enums.has(name) || model.managed.has(name);
}

// ---------------------------------------------------------------------------------------------------
// wire.ts

// "name:Type[]?" for one field or parameter; Type is a primitive code, a type name or @ManagedType.
// A field newer than the WSDL ends with /version (the API version it appeared in).
function wireField(model, f, where) {
  const since = f.since ? `/${f.since}` : "";
  return `${f.name}:${wireType(model, f, where)}${f.array ? "[]" : ""}${f.optional ? "?" : ""}${since}`;
}

function wireType(model, f, where) {
  if (PRIMITIVE_CODES[f.xsdType]) return PRIMITIVE_CODES[f.xsdType];
  const name = local(f.xsdType);
  if (name === "ManagedObjectReference") return `@${f.target ?? ""}`;
  if (!model.dataTypes.has(name) && !model.enums.has(name)) throw new Error(`${where}.${f.name}: unknown type ${name}`);
  return name;
}

// A managed property's type in field syntax: the managed-types.json name as a primitive code, a data or
// enum type, or @ManagedType (the property collector's values are decoded by it when their xsi:type is newer).
function managedPropertyType(model, p) {
  if (PRIMITIVE_NAMES.has(p.type)) return PRIMITIVE_CODES[`xsd:${p.type}`];
  return model.managed.has(p.type) ? `@${p.type}` : p.type;
}

function renderWire(model, specLabel) {
  const lines = header(specLabel, [
    "Compact wire metadata of the vim25 API, read by src/soap/metadata.ts and decoded per entry on first use.",
    "Field syntax: name:Type with Type a primitive code (s string, i int, l long, h short, y byte, b boolean,",
    "f float, d double, t dateTime, B base64Binary, * anyType, u anyURI), a data or enum type name, or",
    "@ManagedType for a ManagedObjectReference (@ alone: any managed object); suffix [] for an array and ? for",
    "an element that may be absent; /version: a field newer than the WSDL, left out of requests to older servers.",
    "The big tables travel packed (Brotli, base64: 136 KB installed instead of 577 KB) and are unpacked on load;",
    "`node scripts/generate.mjs --tables` prints them as JSON.",
  ]);
  // The big tables, by export name: packed into one literal below the header.
  const tables = {};
  const table = (name, entries) => {
    tables[name] = Object.fromEntries(entries);
    return `export const ${name}: Readonly<Record<string, string>> = TABLES.${name};`;
  };
  lines.push(`/** The API version of the schema (SOAPAction \`urn:vim25/${model.apiVersion}\`). */`);
  lines.push(`export const API_VERSION = ${lit(model.apiVersion)};`);
  lines.push("");
  lines.push('/** Data types, faults included: name -> "Base;field,field,..." (own fields, in wire order). */');
  const dataTypes = sortedValues(model.dataTypes).map((t) => {
    const fields = t.fields.map((f) => wireField(model, f, t.name)).join(",");
    return [t.name, `${t.base ?? ""};${fields}`];
  });
  lines.push(table("DATA_TYPES", dataTypes));
  lines.push("");
  lines.push('/** Enumerations: name -> "value|value|...". */');
  const enums = sortedValues(model.enums).map((e) => [e.name, e.values.join("|")]);
  lines.push(table("ENUM_TYPES", enums));
  lines.push("");
  lines.push(
    '/** Managed object types: name -> "Base;property:Type,...;Method,..." (own properties, typed as fields, and methods). */',
  );
  const managed = sortedValues(model.managed).map((t) => {
    const props = t.properties.map((p) => `${p.name}:${managedPropertyType(model, p)}${p.array ? "[]" : ""}`).join(",");
    const methods = t.methods.map((m) => m.name).join(",");
    return [t.name, `${t.base ?? ""};${props};${methods}`];
  });
  lines.push(table("MANAGED_TYPES", managed));
  lines.push("");
  lines.push(
    '/** Operations: name -> "param,...;result[;version]" (parameters after _this; result empty for void; the API version of an operation newer than the WSDL). */',
  );
  const operations = sortedValues(model.operations).map((op) => {
    const params = op.params.map((p) => wireField(model, p, op.name)).join(",");
    const result = op.result ? wireField(model, op.result, op.name).slice("returnval:".length) : "";
    // The declared faults are left out: the decoder reads a fault's type from the answer (vim.d.ts documents them).
    return [op.name, `${params};${result}${op.since ? `;${op.since}` : ""}`];
  });
  lines.push(table("OPERATIONS", operations));
  lines.push("");
  lines.push("/** The item type of each ArrayOf type whose items are not a vim type (ArrayOfX holds X otherwise). */");
  lines.push("export const PRIMITIVE_ARRAY_TYPES: Readonly<Record<string, string>> = {");
  for (const [name, item] of [...model.arrayTypes].sort(byKey)) {
    if (PRIMITIVE_CODES[item]) lines.push(`  ${name}: ${lit(PRIMITIVE_CODES[item])},`);
    else if (local(item) !== name.slice("ArrayOf".length)) throw new Error(`${name} holds ${item}`);
  }
  lines.push("};");
  lines.push("");
  const vmodl = sortedValues(model.dataTypes).filter((t) => t.namespace !== "vim");
  lines.push("/** Types pyVmomi files under vmodl (core-types.xsd) and vmodl.query (query-types.xsd). */");
  lines.push(
    `export const VMODL_TYPES = ${lit(
      vmodl
        .filter((t) => t.namespace === "vmodl")
        .map((t) => t.name)
        .join(","),
    )};`,
  );
  lines.push(
    `export const VMODL_QUERY_TYPES = ${lit(
      vmodl
        .filter((t) => t.namespace === "vmodl.query")
        .map((t) => t.name)
        .join(","),
    )};`,
  );
  lines.push("");
  lines.push("/** pyVmomi's nested names of the property collector's data types (vmodl.query.PropertyCollector.X). */");
  lines.push(
    `export const PROPERTY_COLLECTOR_ALIASES: Readonly<Record<string, string>> = ${renderObject(PROPERTY_COLLECTOR_ALIASES)};`,
  );
  lines.push("");
  lines.push(...renderPyvmomiWire(model.py, readOnlyOperations(model), table));
  const start = lines.indexOf("") + 1; // after the header
  lines.splice(
    start,
    0,
    'import { unpackTables } from "../soap/packed-tables.js";',
    "",
    `const TABLES = unpackTables<${Object.keys(tables).map(lit).join(" | ")}>(${packedTables(tables)});`,
    "",
  );
  return { text: lines.join("\n"), tables };
}

// ---------------------------------------------------------------------------------------------------
// vim.d.ts and vim.js

function isFault(model, name) {
  for (let t = model.dataTypes.get(name); t; t = model.dataTypes.get(t.base)) if (t.name === "MethodFault") return true;
  return false;
}

function tsType(model, f, owner) {
  if (PRIMITIVE_CODES[f.xsdType]) {
    const ts = TS_OF_CODE[PRIMITIVE_CODES[f.xsdType]];
    return TYPE_NAME_FIELDS.has(`${owner}.${f.name}`) ? "TypeName" : ts;
  }
  const name = local(f.xsdType);
  return name === "ManagedObjectReference" ? (f.target ?? "ManagedObject") : name;
}

const withArray = (ts, array) => (array ? (/^\w+$/.test(ts) ? `${ts}[]` : `(${ts})[]`) : ts);

function renderTypes(model, specLabel) {
  const lines = header(specLabel, [
    "Declarations of the vim25 API. Shape: `namespace vim` holds each type once, as a type and as the value vim.js",
    "builds on first use from wire.ts (src/model/namespaces.ts): an interface and its class per data type",
    "(WSDL names; ArrayOfX as X[]), a string union and its values per enum, an interface and its class per",
    "managed type (property getters returning promises, methods named as in the API taking positional",
    "parameters then CallOptions), `vim.fault.X` for the faults (which are errors) and pyVmomi's names as",
    "import aliases, which carry both; `namespace vmodl` holds pyVmomi's vmodl names the same way.",
  ]);
  lines.push('import type { NimbusError } from "@nimbus-sdk/common/client";');
  lines.push(
    'import type { CallOptions, DataClass, DataClassOptions, DataInit, DataObjectBase, EnumValues, Input, ManagedClass, ManagedObjectBase, PropertyPathReader, TypeName } from "../model/base.js";',
  );
  lines.push('import type { ServiceInstanceHelpers } from "../service-instance.js";');
  lines.push('import type { SoapStub } from "../soap/stub.js";');
  lines.push("");
  lines.push("/** Marks the result type of a Task (what WaitForTask resolves to); never present at run time. */");
  lines.push("declare const taskResult: unique symbol;");
  lines.push("");
  lines.push(
    "/** Every vim25 type by its WSDL name, as a type and as a class (data, fault, managed) or an enum's values. */",
  );
  lines.push("export declare namespace vim {");
  for (const e of sortedValues(model.enums)) {
    lines.push("  /** A vim25 enum: one of its values. */");
    lines.push(`  type ${e.name} = ${e.values.map(lit).join(" | ")};`);
    lines.push(`  const ${e.name}: EnumValues<${e.name}>;`);
  }
  lines.push("");
  for (const t of sortedValues(model.dataTypes)) {
    const fault = isFault(model, t.name);
    const bases = t.base ? [t.base] : t.name === "MethodFault" ? ["NimbusError", "DataObjectBase"] : ["DataObjectBase"];
    const since = t.since ? ` Since vSphere API ${t.since}.` : "";
    const fields = [];
    for (const f of t.fields) {
      if (f.since) fields.push(`    /** Since vSphere API ${f.since}; left out of requests to older servers. */`);
      const ts = withArray(tsType(model, f, t.name), f.array);
      // Error's own string properties (name, message, url, method) stay required on faults.
      const required = (fault && ERROR_PROPERTIES.has(f.name)) || ALWAYS_PRESENT_FIELDS.has(`${t.name}.${f.name}`);
      // An array is present on every object the SDK builds or decodes ([] when unset, as pyVmomi's); the
      // literals a call takes are typed by Input<T>, where it may be left out.
      const optional = f.optional && !required && !f.array ? "?" : "";
      fields.push(`    ${f.name}${optional}: ${ts};`);
    }
    lines.push(
      ...declareType(model, {
        name: t.name,
        doc: `A vim25 ${fault ? "fault, thrown as an error" : "data object"}.${since}`,
        head: `extends ${bases.join(", ")}`,
        members: fields,
        constructor: `init?: DataInit<${t.name}>, options?: DataClassOptions`,
        valueType: `DataClass<${t.name}>`,
      }),
    );
  }
  lines.push("");
  for (const t of sortedValues(model.managed)) lines.push(...renderManaged(model, t));
  lines.push("");
  lines.push("  /** The vim25 faults by pyVmomi's names, vim.fault.X. */");
  lines.push("  namespace fault {");
  for (const t of faultTypes(model, "vim")) lines.push(`    export import ${t.name} = vim.${t.name};`);
  lines.push("  }");
  lines.push("");
  lines.push("  // pyVmomi's names: vim.vm.ConfigSpec, vim.TaskInfo.State …");
  lines.push(...renderPyvmomiTypeNames(model.py));
  lines.push("}");
  lines.push("");
  lines.push(...renderVmodlTypes(model));
  lines.push("");
  lines.push("/** The type of the `vim` value. */");
  lines.push("export type VimNamespace = typeof vim;");
  lines.push("/** The type of the `vmodl` value. */");
  lines.push("export type VmodlNamespace = typeof vmodl;");
  lines.push("");
  return lines.join("\n");
}

/** vim.js: the values vim.d.ts declares. */
function renderValues(specLabel) {
  return [
    ...header(specLabel, [
      "The `vim` and `vmodl` values, typed by vim.d.ts: proxies that build each class on first use.",
    ]),
    'import { createNamespace } from "../model/namespaces.js";',
    "",
    'export const vim = createNamespace("vim");',
    'export const vmodl = createNamespace("vmodl");',
    "",
  ].join("\n");
}

/**
 * One vim25 type in `namespace vim`: its interface and its value. The value is a `const` of the class's
 * type; a type pyVmomi files names under (vim.TaskInfo.State) is declared a class instead, since only a
 * class merges with the namespace that holds those names (renderPyvmomiTypeNames writes it).
 */
function declareType(model, { name, doc, params = "", head, members, constructor, valueType }) {
  const lines = [];
  if (model.py.nested.has(name)) {
    lines.push(`  /** ${doc} */`);
    lines.push(
      `  class ${name}${params} {`,
      `    constructor(${constructor});`,
      "    static readonly _wsdlName: string;",
      "  }",
    );
    lines.push(`  interface ${name}${params} ${head} {`, ...members, "  }");
  } else {
    lines.push(`  /** ${doc} */`, `  interface ${name}${params} ${head} {`, ...members, "  }");
    lines.push(`  const ${name}: ${valueType};`);
  }
  return lines;
}

const ERROR_PROPERTIES = new Set(["name", "message", "url", "method"]);

function faultTypes(model, namespace) {
  return sortedValues(model.dataTypes).filter((t) => t.namespace === namespace && isFault(model, t.name));
}

// Generic forms the plain WSDL cannot express: a task's result, and a view of one managed type.
const GENERIC_MANAGED = {
  Task: { params: "<T = unknown>", extra: ["    readonly [taskResult]?: T;"] },
  // ManagedObjectView's `view`, narrowed to the type the view was made for.
  ContainerView: { params: "<T extends ManagedObject = ManagedObject>", extra: ["    readonly view: Promise<T[]>;"] },
  // RetrieveContent, collect and watch (src/service-instance.ts).
  ServiceInstance: { bases: ["ServiceInstanceHelpers"] },
};

function renderManaged(model, t) {
  const generic = GENERIC_MANAGED[t.name] ?? {};
  const members = [];
  for (const p of t.properties) {
    if (p.since) members.push(`    /** Since vSphere API ${p.since}. */`);
    members.push(`    readonly ${p.name}: Promise<${propertyTs(model, p)}>;`);
  }
  members.push(...(generic.extra ?? []));
  for (const m of t.methods) members.push(...renderMethod(model, model.operations.get(m.name)));
  members.push(...renderPyvmomiMethods(model.py, t.name));
  const bases = t.name === "ManagedObject" ? ["ManagedObjectBase", "PropertyPathReader"] : [t.base];
  return declareType(model, {
    name: t.name,
    doc:
      t.name === "ManagedObject"
        ? "What every vim25 managed object is: a reference with lazily read properties."
        : `The vim25 managed object type \`${t.name}\`: \`await\` a property to read it; methods call the API.`,
    params: generic.params,
    head: `extends ${[...bases, ...(generic.bases ?? [])].join(", ")}`,
    members,
    constructor: "moId: string, stub?: SoapStub",
    valueType: `ManagedClass<${t.name}>`,
  });
}

function propertyTs(model, p) {
  const ts = PRIMITIVE_NAMES.has(p.type) ? TS_OF_CODE[PRIMITIVE_CODES[`xsd:${p.type}`]] : p.type;
  if (p.array) return `${withArray(ts, true)}`;
  return p.optional ? `${ts} | undefined` : ts;
}

function renderMethod(model, op) {
  const params = [];
  let typeParams = "";
  // A parameter may be absent on the wire yet followed by a required one: it is then `T | undefined`.
  const lastRequired = op.params.findLastIndex((p) => !p.optional);
  op.params.forEach((p, i) => {
    let ts = withArray(
      p.xsdType === "vim25:ManagedObjectReference" ? (p.target ?? "ManagedObject") : tsType(model, p, op.name),
      p.array,
    );
    if (op.name === "CreateContainerView" && p.name === "type") {
      typeParams = "<T extends ManagedObject = ManagedObject>";
      ts = "readonly (ManagedClass<T> | string)[]";
    } else if (p.array) ts = `readonly ${ts}`;
    if (!p.target && isDataParam(model, p)) ts = `Input<${ts}>`;
    const name = RESERVED_PARAM_NAMES.has(p.name) ? `${p.name}_` : p.name;
    if (!p.optional) params.push(`${name}: ${ts}`);
    else if (i < lastRequired) params.push(`${name}: ${ts} | undefined`);
    else params.push(`${name}?: ${ts}`);
  });
  params.push("callOptions?: CallOptions");
  let result = "void";
  if (op.result) {
    const r = op.result;
    let ts = r.xsdType === "vim25:ManagedObjectReference" ? (r.target ?? "ManagedObject") : tsType(model, r, op.name);
    if (ts === "Task") ts = `Task<${taskResultTs(model, op)}>`;
    if (op.name === "CreateContainerView") ts = "ContainerView<T>";
    ts = withArray(ts, r.array);
    result = r.optional && !r.array ? `${ts} | undefined` : ts;
  }
  const faults = op.faults.map((f) => faultPath(model, f)).join(", ");
  const since = op.since ? ` Since vSphere API ${op.since}.` : "";
  return [
    `    /**${since} Faults: ${faults || "none declared"}. */`,
    `    ${op.name}${typeParams}(${params.join(", ")}): Promise<${result}>;`,
  ];
}

// A parameter of a data type (a literal may leave its arrays out: Input<T>).
const isDataParam = (model, p) => model.dataTypes.has(local(p.xsdType));

function taskResultTs(model, op) {
  if (!op.taskResult) return "void";
  const array = op.taskResult.endsWith("[]");
  const name = op.taskResult.replace(/\[\]$/, "");
  const ts = PRIMITIVE_NAMES.has(name) ? TS_OF_CODE[PRIMITIVE_CODES[`xsd:${name}`]] : name;
  return withArray(ts, array);
}

function faultPath(model, name) {
  const t = model.dataTypes.get(name);
  if (t.namespace === "vim") return `vim.fault.${name}`;
  if (name === "MethodFault" || name === "RuntimeFault") return `vmodl.${name}`;
  return t.namespace === "vmodl.query" ? `vmodl.query.${name}` : `vmodl.fault.${name}`;
}

// vmodl's names: core-types.xsd's data types (faults under vmodl.fault but for MethodFault and RuntimeFault),
// query-types.xsd's under vmodl.query, and the two managed types pyVmomi keeps there.
function vmodlLayout(model) {
  const core = sortedValues(model.dataTypes).filter((t) => t.namespace === "vmodl");
  const query = sortedValues(model.dataTypes).filter((t) => t.namespace === "vmodl.query");
  const inFault = (t) => isFault(model, t.name) && t.name !== "MethodFault" && t.name !== "RuntimeFault";
  return {
    top: core.filter((t) => !inFault(t)).map((t) => t.name),
    fault: core.filter(inFault).map((t) => t.name),
    query: query.map((t) => t.name),
  };
}

function renderVmodlTypes(model) {
  const { top, fault, query } = vmodlLayout(model);
  const alias = (indent, name, target = name) => `${indent}export import ${name} = vim.${target};`;
  const lines = [
    "/** pyVmomi's vmodl names: DynamicData, MethodFault, fault.*, query.PropertyCollector (and its nested specs). */",
    "export declare namespace vmodl {",
  ];
  for (const name of top) lines.push(alias("  ", name));
  lines.push(alias("  ", "ManagedObject"));
  lines.push("  /** pyVmomi's vmodl.fault: the core faults. */", "  namespace fault {");
  for (const name of fault) lines.push(alias("    ", name));
  lines.push("  }");
  lines.push("  /** pyVmomi's vmodl.query: the property collector's types. */", "  namespace query {");
  for (const name of query) lines.push(alias("    ", name));
  lines.push(alias("    ", "PropertyFilter"));
  // Only vmodl's PropertyCollector carries these names (src/model/namespaces.ts), so it is a class of its own.
  lines.push(
    "    /** pyVmomi's vmodl.query.PropertyCollector: vim25's `PropertyCollector`, with the specs pyVmomi nests in it. */",
    "    class PropertyCollector {",
    "      constructor(moId: string, stub?: SoapStub);",
    "      static readonly _wsdlName: string;",
    "    }",
    "    interface PropertyCollector extends vim.PropertyCollector {}",
    "    namespace PropertyCollector {",
  );
  for (const [name, target] of Object.entries(PROPERTY_COLLECTOR_ALIASES)) lines.push(alias("      ", name, target));
  lines.push(alias("      ", "Filter", "PropertyFilter"));
  lines.push("    }");
  lines.push("  }");
  lines.push("}");
  return lines;
}

// ---------------------------------------------------------------------------------------------------
// Shared helpers

const lit = (v) => JSON.stringify(v);
const byKey = ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0);
const sortedValues = (map) => [...map].sort(byKey).map(([, v]) => v);

function renderObject(obj) {
  return `{ ${Object.entries(obj)
    .map(([k, v]) => `${k}: ${lit(v)}`)
    .join(", ")} }`;
}

function header(specLabel, shape) {
  return [
    `// Generated by scripts/generate.mjs from ${specLabel}/*.xsd, vim.wsdl, scripts/managed-types.json and scripts/pyvmomi-names.json.`,
    "// Do not edit by hand: change the generator and run it (CI runs `node scripts/generate.mjs --check`).",
    ...shape.map((line) => `// ${line}`),
    "/* eslint-disable */",
    "",
  ];
}

process.exitCode = await main(process.argv.slice(2));
