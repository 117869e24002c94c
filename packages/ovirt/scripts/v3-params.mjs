// The v3 `params` classes, generated from the oVirt API v3 schema (specs/ovirt/v3/api.xsd, the schema the
// oVirt Python SDK v3's generateDS `params.py` was made from). Called by generate.mjs, which writes
// src/generated/v3-params.ts with the others (and checks it with `--check`).
//
// What carries over from generateDS: one class per complexType, named as the schema names it (`VM`, `MAC`,
// `GuestNicConfiguration`), with every member of its bases; a member named like a Python keyword or builtin
// generateDS reserved gets a trailing `_` (`type_`, `from_`, `import_`, `build_`); a list member
// (maxOccurs="unbounded") holds an array; text content is `valueOf_`.
import { readFileSync } from "node:fs";
import { jsonTable } from "../../../scripts/lib/generated-files.mjs";

/** The member names generateDS suffixed with `_` (Python keywords, `type`, and its own `build` method). */
const PY_RENAMED = new Set(["type", "from", "import", "build", "class", "global", "pass", "in", "is", "for"]);

/** v3 classes whose API v4 counterpart has another name (the rest match case-insensitively). */
const V4_CLASS_NAMES = {
  Storage: "HostStorage",
  GuestNicConfiguration: "NicConfiguration",
  CdRom: "Cdrom",
  VmPool: "VmPool",
};

const PRIMITIVES = {
  "xs:string": "string",
  "xs:boolean": "boolean",
  "xs:int": "int",
  "xs:long": "long",
  "xs:unsignedInt": "int",
  "xs:unsignedShort": "int",
  "xs:double": "decimal",
  "xs:decimal": "decimal",
  "xs:dateTime": "dateTime",
};

const TS_TYPES = { string: "string", boolean: "boolean", int: "number", long: "number", decimal: "number" };

// A minimal element tree: the schema uses tags and attributes only (comments and appinfo are skipped).
function parseXml(text, file) {
  const root = { name: "#root", attrs: {}, children: [] };
  const stack = [root];
  const tag = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([\w:]+)((?:\s+[\w:]+\s*=\s*"[^"]*")*)\s*(\/?)>/g;
  for (const m of text.matchAll(tag)) {
    if (!m[2]) continue;
    const name = m[2].replace(/^\w+:/, "");
    if (m[1]) {
      const open = stack.pop();
      if (open.name !== name) throw new Error(`${file}: </${m[2]}> closes <${open.name}>`);
      continue;
    }
    const attrs = {};
    for (const a of m[3].matchAll(/([\w:]+)\s*=\s*"([^"]*)"/g)) attrs[a[1]] = a[2];
    const node = { name, attrs, children: [] };
    stack.at(-1).children.push(node);
    if (!m[4]) stack.push(node);
  }
  if (stack.length !== 1) throw new Error(`${file}: <${stack.at(-1).name}> is not closed`);
  return root;
}

/** The schema's classes: `{ name, base, members: [{ xml, py, type, list, attribute, text }] }`, in schema order. */
export function readV3Schema(file) {
  const schema = parseXml(readFileSync(file, "utf8"), file).children.find((c) => c.name === "schema");
  const elements = new Map();
  const groups = new Map();
  const simpleTypes = new Set();
  const complexTypes = [];
  for (const node of schema.children) {
    if (node.name === "element") elements.set(node.attrs.name, node.attrs.type);
    else if (node.name === "group") groups.set(node.attrs.name, node);
    else if (node.name === "simpleType") simpleTypes.add(node.attrs.name);
    else if (node.name === "complexType") complexTypes.push(node);
  }
  const typeOf = (xsdType, where) => {
    if (PRIMITIVES[xsdType]) return PRIMITIVES[xsdType];
    if (simpleTypes.has(xsdType)) return "string";
    if (complexTypes.some((c) => c.attrs.name === xsdType)) return xsdType;
    throw new Error(`${where}: unknown type ${xsdType}`);
  };
  const member = (xml, type, list, attribute, text = false) => ({
    xml,
    py: text ? "valueOf_" : PY_RENAMED.has(xml) ? `${xml}_` : xml,
    type,
    list,
    attribute,
    text,
  });
  // Elements of a content model, through groups, choices and nested sequences, in order.
  const particles = (node, where, out) => {
    for (const child of node.children) {
      if (child.name === "element") {
        const xml = child.attrs.name ?? child.attrs.ref;
        const xsdType = child.attrs.type ?? elements.get(child.attrs.ref);
        if (!xml || !xsdType) throw new Error(`${where}: an element without a name or type`);
        out.push(member(xml, typeOf(xsdType, `${where}.${xml}`), child.attrs.maxOccurs === "unbounded", false));
      } else if (child.name === "group") {
        const group = groups.get(child.attrs.ref);
        if (!group) throw new Error(`${where}: unknown group ${child.attrs.ref}`);
        particles(group, where, out);
      } else if (child.name === "sequence" || child.name === "choice") {
        particles(child, where, out);
      } else if (child.name === "attribute") {
        out.push(member(child.attrs.name, typeOf(child.attrs.type, `${where}@${child.attrs.name}`), false, true));
      } else if (child.name === "complexContent" || child.name === "simpleContent" || child.name === "extension") {
        particles(child, where, out);
      } else if (child.name !== "annotation") {
        throw new Error(`${where}: unexpected <${child.name}>`);
      }
    }
    return out;
  };
  return complexTypes.map((node) => {
    const name = node.attrs.name;
    const extension = node.children
      .find((c) => c.name === "complexContent" || c.name === "simpleContent")
      ?.children.find((c) => c.name === "extension");
    let base = extension?.attrs.base;
    const members = particles(node, name, []);
    if (base && PRIMITIVES[base]) {
      members.push(member("valueOf_", PRIMITIVES[base], false, false, true));
      base = undefined;
    }
    // generateDS writes attributes before elements.
    members.sort((a, b) => Number(b.attribute) - Number(a.attribute));
    return { name, base, members, elements: [...elements].filter(([, type]) => type === name).map(([xml]) => xml) };
  });
}

/** The v4 struct each v3 class maps to, by name (case-insensitive) or by V4_CLASS_NAMES. */
function v4Counterparts(classes, v4Structs) {
  const byLower = new Map(v4Structs.map((name) => [name.toLowerCase(), name]));
  return new Map(
    classes.map((c) => [c.name, V4_CLASS_NAMES[c.name] ?? byLower.get(c.name.toLowerCase())]).filter(([, v]) => v),
  );
}

const q = (v) => JSON.stringify(v);

/** `[v3-classes.ts source, v3-params.ts source]`. */
export function renderV3Params(schemaFile, v4Structs, v4Exports, header) {
  const classes = readV3Schema(schemaFile);
  const v4 = v4Counterparts(classes, v4Structs);
  // The v4 params classes v3 has no class of that name for stay in `params` (`DiskAttachment`, `Vm`).
  const v3Names = new Set(classes.map((c) => c.name));
  const kept = v4Exports.filter((name) => !v3Names.has(name));
  return [renderTable(classes, v4, header), renderClasses(classes, v4, kept, header)];
}

function renderTable(classes, v4, header) {
  const out = [
    header(`
The v3 schema's classes as a table: what the v3 \`params\` classes (v3-params.ts) check keywords against and
src/v3/to-v4.ts converts to API v4 from. A member token is "<python name> <xml name> <type>" with the flags
"[]" (a list), "@" (an attribute), "text" (text content); \`v4\` names the API v4 struct it is sent as.
`),
    "",
    "export interface V3ClassSource {",
    "  readonly base?: string;",
    "  /** The API v4 struct it becomes on the wire. */",
    "  readonly v4?: string;",
    "  /** Its own members (the base's come first). */",
    "  readonly members: readonly string[];",
    "}",
    "",
  ];
  const entries = classes.map((c) => {
    const members = c.members.map(
      (m) => `${m.py} ${m.xml} ${m.type}${m.list ? "[]" : ""}${m.attribute ? " @" : ""}${m.text ? " text" : ""}`,
    );
    const v4Name = v4.get(c.name);
    return [c.name, { ...(c.base && { base: c.base }), ...(v4Name && { v4: v4Name }), members }];
  });
  out.push(`export const V3_CLASSES: Readonly<Record<string, V3ClassSource>> = ${jsonTable(entries)};`, "");
  out.push("/** The v3 class each XML element is written as (`vm` -> VM), for `findRootClass`. */");
  const elements = classes.flatMap((c) => c.elements.map((element) => [element, c.name]));
  out.push(`export const V3_ELEMENTS: Readonly<Record<string, string>> = ${jsonTable(elements)};`);
  return out.join("\n") + "\n";
}

function renderClasses(classes, v4, v4Kept, header) {
  const tsOf = (m) => {
    const base = TS_TYPES[m.type] ?? (m.type === "dateTime" ? "Date" : `${m.type}Fields`);
    return m.list ? `${base}[]` : base;
  };
  const out = [
    header(`
The oVirt Python SDK v3's \`params\` classes, from the v3 schema: one class per complexType with every
member of its bases, under generateDS's names (\`type_\`), with keyword-argument constructors
(\`new params.VM({ name, type_: "server" })\`) and get_/set_/add_ accessors (src/v3/params-object.ts);
XFields is the members of v3's X (its own, then its base's by \`extends\`).
`),
    "",
    'import type * as types from "./types.js";',
    'import { V3Object, type V3Accessors, type V3Class } from "../v3/params-object.js";',
    "",
    "/** API v4's params classes of the names v3 did not use (new code; v3's names are v3's classes below). */",
    `export { ${v4Kept.join(", ")} } from "./params.js";`,
    "",
  ];
  for (const c of classes) {
    const own = c.members.map((m) => `  ${m.py}?: ${tsOf(m)};`);
    out.push(
      `/** v3's ${c.name} members. */`,
      `export interface ${c.name}Fields${c.base ? ` extends ${c.base}Fields` : ""} {`,
      ...own,
      "}",
      `export interface ${c.name} extends ${c.name}Fields, V3Accessors<${c.name}Fields> {}`,
      `export class ${c.name} extends V3Object<${c.name}Fields${v4.has(c.name) ? `, types.${v4.get(c.name)}` : ""}> {`,
      `  static readonly typeName = ${q(c.name)};`,
      "}",
      "",
    );
  }
  out.push("/** The v3 classes by name. */");
  out.push("export const V3_CLASS_CONSTRUCTORS: Readonly<Record<string, V3Class>> = {");
  out.push(classes.map((c) => `  ${c.name},`).join("\n"));
  out.push("};");
  return out.join("\n") + "\n";
}
