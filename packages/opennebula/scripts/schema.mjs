// The XSD half of the generator: reads OpenNebula's schemas (share/doc/xsd) and renders
// src/generated/schema.ts, which holds
// - a TypeScript interface per document (VM, VM_POOL, HOST ...) and per nested structure,
// - `documentSchemas`, the runtime table the document decoder reads (which children are numbers,
//   arrays, templates) and the simulator writes from (the children in the XSD's order),
// - `methodDocuments`, the document each XML-answering method returns.
// Only the parts of XSD these schemas use are understood (sequence, all, single-element choice, any,
// ref, named complex types, simple types restricting xs:string); anything else stops the run.
import { readFileSync, readdirSync } from "node:fs";
import { basename, resolve } from "node:path";
import { parseXmlElement } from "@nimbus-sdk/common";

// Which document each XML-answering method returns. A value "DOC/CHILD" names an element inside a
// document (hook log records are HOOK's HOOKLOG); null is a document no XSD describes.
export const DOCUMENT_OF_METHOD = {
  "one.acl.info": "ACL_POOL",
  "one.backupjob.info": "BACKUPJOB",
  "one.backupjobpool.info": "BACKUPJOB_POOL",
  "one.cluster.info": "CLUSTER",
  "one.clusterpool.info": "CLUSTER_POOL",
  "one.datastore.info": "DATASTORE",
  "one.datastorepool.info": "DATASTORE_POOL",
  "one.document.info": "DOCUMENT",
  "one.documentpool.info": "DOCUMENT_POOL",
  "one.group.info": "GROUP",
  "one.grouppool.info": "GROUP_POOL",
  "one.hook.info": "HOOK",
  "one.hooklog.info": "HOOK/HOOKLOG",
  "one.hookpool.info": "HOOK_POOL",
  "one.host.info": "HOST",
  "one.host.monitoring": "MONITORING_DATA",
  "one.hostpool.info": "HOST_POOL",
  "one.hostpool.monitoring": "MONITORING_DATA",
  "one.image.info": "IMAGE",
  "one.imagepool.info": "IMAGE_POOL",
  "one.market.info": "MARKETPLACE",
  "one.marketpool.info": "MARKETPLACE_POOL",
  "one.marketapp.info": "MARKETPLACEAPP",
  "one.marketapppool.info": "MARKETPLACEAPP_POOL",
  "one.secgroup.info": "SECURITY_GROUP",
  "one.secgrouppool.info": "SECURITY_GROUP_POOL",
  "one.system.config": "OPENNEBULA_CONFIGURATION",
  "one.system.sqlquery": null,
  "one.template.info": "VMTEMPLATE",
  "one.templatepool.info": "VMTEMPLATE_POOL",
  "one.user.info": "USER",
  "one.userpool.info": "USER_POOL",
  "one.vdc.info": "VDC",
  "one.vdcpool.info": "VDC_POOL",
  "one.vm.info": "VM",
  "one.vm.monitoring": "MONITORING_DATA",
  "one.vmgroup.info": "VM_GROUP",
  "one.vmgrouppool.info": "VM_GROUP_POOL",
  "one.vmpool.accounting": "HISTORY_RECORDS",
  "one.vmpool.info": "VM_POOL",
  "one.vmpool.infoextended": "VM_POOL_EXTENDED",
  // `extended` false gives the short body, which the extended schema also decodes (by field name).
  "one.vmpool.infoset": "VM_POOL_EXTENDED",
  "one.vmpool.monitoring": "MONITORING_DATA",
  "one.vmpool.showback": "SHOWBACK_RECORDS",
  "one.vn.info": "VNET",
  "one.vnpool.info": "VNET_POOL",
  "one.vntemplate.info": "VNTEMPLATE",
  "one.vntemplatepool.info": "VNTEMPLATE_POOL",
  "one.vrouter.info": "VROUTER",
  "one.vrouterpool.info": "VROUTER_POOL",
  "one.zone.info": "ZONE",
  "one.zone.raftstatus": "RAFT",
  "one.zonepool.info": "ZONE_POOL",
};

// OpenNebula templates: free-form attribute=value dictionaries whatever the XSD declares inside them.
const TEMPLATE_NAMES = new Set(["TEMPLATE", "USER_TEMPLATE"]);
const NUMBER_TYPES = new Set(["xs:integer", "xs:int", "xs:long", "xs:decimal", "xs:float", "xs:double"]);
const XS = "xs:";

const elementsOf = (node, name) => node.children.filter((c) => c.name === name);
const attr = (node, name) => node.attributes?.[name];

function occurs(node, file) {
  const min = attr(node, "minOccurs") ?? "1";
  const max = attr(node, "maxOccurs") ?? "1";
  if (!/^\d+$/.test(min) || !(max === "unbounded" || /^\d+$/.test(max)))
    throw new Error(`${file}: bad occurrence ${min}..${max}`);
  return { optional: min === "0", repeated: max === "unbounded" || Number(max) > 1 };
}

/** Loads every .xsd (index.xsd only includes the others) with its top-level declarations. */
function loadSchemas(xsdDir) {
  const files = readdirSync(xsdDir)
    .filter((f) => f.endsWith(".xsd") && f !== "index.xsd")
    .sort();
  const schemas = new Map();
  for (const file of files) {
    const root = parseXmlElement(readFileSync(resolve(xsdDir, file), "utf8"));
    if (root.name !== "xs:schema") throw new Error(`${file}: the root is not xs:schema`);
    const schema = { file, includes: [], elements: new Map(), types: new Map() };
    for (const child of root.children) {
      const name = attr(child, "name");
      if (child.name === "xs:include") schema.includes.push(attr(child, "schemaLocation"));
      else if (child.name === "xs:element") schema.elements.set(name, child);
      else if (child.name === "xs:complexType") schema.types.set(name, child);
      else throw new Error(`${file}: unexpected top-level ${child.name}`);
    }
    schemas.set(file, schema);
  }
  return schemas;
}

/** The files `file` sees: itself and everything it includes, transitively. */
function closure(schemas, file, seen = new Set()) {
  if (seen.has(file)) return seen;
  const schema = schemas.get(file);
  if (!schema) throw new Error(`include of a missing schema ${file}`);
  seen.add(file);
  for (const inc of schema.includes) closure(schemas, inc, seen);
  return seen;
}

/**
 * Document ids: the root element's name, unless several files declare that root (VM_POOL short and
 * extended, the three HOOK_MESSAGE kinds); then the file's name in capitals (VM_POOL_EXTENDED), the
 * file named after the root keeping the plain name.
 */
function documentIds(schemas) {
  const byName = new Map();
  for (const s of schemas.values())
    for (const name of s.elements.keys()) byName.set(name, [...(byName.get(name) ?? []), s.file]);
  const ids = new Map();
  for (const [name, files] of byName) {
    for (const file of files) {
      const fromFile = basename(file, ".xsd").toUpperCase();
      ids.set(`${file}#${name}`, files.length === 1 || fromFile === name ? name : fromFile);
    }
  }
  if (new Set(ids.values()).size !== ids.size) throw new Error("two documents get the same id");
  return ids;
}

class SchemaModel {
  constructor(schemas) {
    this.schemas = schemas;
    this.ids = documentIds(schemas);
    /** Structures by key, in the order they were finished (dependencies first). */
    this.bodies = [];
    this.bodyByKey = new Map();
    this.building = new Set();
    this.names = new Set();
  }

  findGlobal(file, kind, name) {
    const found = [...closure(this.schemas, file)].filter((f) => this.schemas.get(f)[kind].has(name));
    if (found.length !== 1) throw new Error(`${file}: ${name} resolves to ${found.length} declarations`);
    return found[0];
  }

  /** A structure (children in order) shared by every use of one declaration. */
  body(key, name, build) {
    const existing = this.bodyByKey.get(key);
    if (existing) return existing;
    if (this.building.has(key)) throw new Error(`${key} contains itself`);
    if (this.names.has(name)) throw new Error(`two structures are named ${name}`);
    this.names.add(name);
    this.building.add(key);
    const body = { key, name, ...build() };
    this.building.delete(key);
    this.bodyByKey.set(key, body);
    this.bodies.push(body);
    return body;
  }

  /** The structure of a top-level element, named after its document id. */
  documentBody(file, name) {
    const id = this.ids.get(`${file}#${name}`);
    const decl = this.schemas.get(file).elements.get(name);
    const child = this.child(decl, file, id, { fromRef: true });
    return { id, child };
  }

  complexContent(typeNode, file, path) {
    const extra = typeNode.children.filter((c) => !["xs:sequence", "xs:all", "xs:attribute"].includes(c.name));
    if (extra.length) throw new Error(`${file} ${path}: unsupported ${extra[0].name}`);
    const groups = typeNode.children.filter((c) => c.name === "xs:sequence" || c.name === "xs:all");
    if (groups.length > 1) throw new Error(`${file} ${path}: more than one model group`);
    const group = groups[0];
    const children = [];
    let open = false;
    if (group) {
      if (occurs(group, file).repeated) throw new Error(`${file} ${path}: a repeated ${group.name}`);
      for (const item of group.children) {
        if (item.name === "xs:element") children.push(this.child(item, file, path));
        else if (item.name === "xs:any") open = true;
        else if (item.name === "xs:choice") {
          // The schemas use choices only as "any number of these, in any mix" (GROUP and QUOTAS in
          // GROUP_POOL): each option becomes an optional repeated child, and writing all of one option
          // before the next still matches the choice.
          const options = elementsOf(item, "xs:element");
          const choice = occurs(item, file);
          if (options.length !== item.children.length || (options.length > 1 && !choice.repeated))
            throw new Error(`${file} ${path}: a choice that is not a repeated set of elements`);
          for (const option of options) {
            const child = this.child(option, file, path);
            children.push({ ...child, optional: true, repeated: child.repeated || choice.repeated });
          }
        } else throw new Error(`${file} ${path}: unsupported ${item.name}`);
      }
    }
    const seen = new Set();
    for (const c of children) {
      if (seen.has(c.name)) throw new Error(`${file} ${path}: ${c.name} declared twice`);
      seen.add(c.name);
    }
    return { children, anyOrder: group?.name === "xs:all", open };
  }

  /** One use of an element declaration: its name, occurrence, kind, and structure if it has one. */
  child(decl, file, parentPath, { fromRef = false } = {}) {
    const ref = attr(decl, "ref");
    const occurrence = fromRef ? { optional: false, repeated: false } : occurs(decl, file);
    if (ref) {
      const where = this.findGlobal(file, "elements", ref);
      const target = this.documentBody(where, ref).child;
      return { ...target, ...occurrence };
    }
    const name = attr(decl, "name");
    const path = fromRef ? parentPath : `${parentPath}_${name}`;
    const type = attr(decl, "type");
    const inline = elementsOf(decl, "xs:complexType")[0];
    const simple = elementsOf(decl, "xs:simpleType")[0];
    const base = { name, ...occurrence };
    if (TEMPLATE_NAMES.has(name)) {
      if (type && type !== "xs:anyType") throw new Error(`${file} ${path}: a template of type ${type}`);
      const body = inline && this.body(`${file}#${path}`, path, () => this.complexContent(inline, file, path));
      return { ...base, kind: "template", body };
    }
    if (inline) {
      return {
        ...base,
        kind: "element",
        body: this.body(`${file}#${path}`, path, () => this.complexContent(inline, file, path)),
      };
    }
    if (simple) {
      const restriction = elementsOf(simple, "xs:restriction")[0];
      if (attr(restriction, "base") !== "xs:string") throw new Error(`${file} ${path}: a simple type not on xs:string`);
      const values = elementsOf(restriction, "xs:enumeration").map((e) => attr(e, "value"));
      const patterns = elementsOf(restriction, "xs:pattern").map((e) => attr(e, "value"));
      return {
        ...base,
        kind: "string",
        xsdType: "string",
        ...(values.length ? { values } : {}),
        ...(patterns.length ? { patterns } : {}),
      };
    }
    if (!type || type === "xs:anyType") return { ...base, kind: "any" };
    if (NUMBER_TYPES.has(type)) return { ...base, kind: "number", xsdType: type.slice(XS.length) };
    if (type === "xs:string") return { ...base, kind: "string", xsdType: "string" };
    if (type.startsWith(XS)) throw new Error(`${file} ${path}: unsupported type ${type}`);
    const where = this.findGlobal(file, "types", type);
    const typeNode = this.schemas.get(where).types.get(type);
    return {
      ...base,
      kind: "element",
      body: this.body(`${where}#type:${type}`, type, () => this.complexContent(typeNode, where, type)),
    };
  }
}

/** Reads the XSDs into documents (by id) over shared structures. */
export function buildSchemaModel(xsdDir) {
  const model = new SchemaModel(loadSchemas(xsdDir));
  const documents = [];
  for (const schema of model.schemas.values()) {
    for (const name of schema.elements.keys()) {
      const { id, child } = model.documentBody(schema.file, name);
      documents.push({ id, root: name, xsd: schema.file, child });
    }
  }
  documents.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { documents, bodies: model.bodies };
}

// ---------------------------------------------------------------------------------------------------
// Rendering

const lit = (v) => JSON.stringify(v);

// Many inline structures repeat one another (PERMISSIONS, quotas, a pool's copy of its object): each
// set of identical ones is written once, under the XSD's type name when one of them is a named type
// (PERMISSIONS rather than VM_POOL_VM_PERMISSIONS), and every use names that. `alias` maps each
// structure's name to the name written.
const nameIn = (alias, body) => alias.get(body.name) ?? body.name;

/**
 * Writes `bodies` (in dependency order) once per set of identical ones. `textOf(body, alias)` renders a
 * body naming its nested structures through `alias`; `write(name, text, body)` emits one. Returns the alias map.
 */
function writeDeduplicated(bodies, textOf, write) {
  // First pass: sets of identical bodies, nested ones compared by the set they belong to.
  const setOf = new Map();
  const byText = new Map();
  const members = new Map();
  for (const body of bodies) {
    const text = textOf(body, setOf);
    const set = byText.get(text) ?? body.name;
    byText.set(text, set);
    setOf.set(body.name, set);
    members.set(set, [...(members.get(set) ?? []), body]);
  }
  const alias = new Map();
  for (const list of members.values()) {
    const chosen = list.find((b) => b.key.includes("#type:")) ?? list[0];
    for (const b of list) alias.set(b.name, chosen.name);
  }
  // Second pass: each set where its first member stands, so a name is always defined before it is used.
  const written = new Set();
  for (const body of bodies) {
    const name = alias.get(body.name);
    if (written.has(name)) continue;
    written.add(name);
    write(
      name,
      textOf(body, alias),
      bodies.find((b) => b.name === name),
    );
  }
  return alias;
}

function renderSchemaEntry(c, alias) {
  const parts = [`name: ${lit(c.name)}`, `kind: ${lit(c.kind)}`];
  if (c.xsdType) parts.push(`type: ${lit(c.xsdType)}`);
  if (c.repeated) parts.push("repeated: true");
  if (c.optional) parts.push("optional: true");
  if (c.values) parts.push(`values: ${lit(c.values)}`);
  if (c.patterns) parts.push(`patterns: ${lit(c.patterns)}`);
  if (c.body) {
    parts.push(`children: $${nameIn(alias, c.body)}`);
    if (c.body.anyOrder) parts.push("anyOrder: true");
    if (c.body.open) parts.push("open: true");
  }
  return `{ ${parts.join(", ")} }`;
}

/** Names of repeated children declared in any template: always arrays in every decoded template. */
function templateVectors(bodies, documents) {
  const names = new Set();
  const visit = (c) => {
    if (c.kind === "template" && c.body) for (const t of c.body.children) if (t.repeated) names.add(t.name);
  };
  for (const b of bodies) b.children.forEach(visit);
  documents.forEach((d) => visit(d.child));
  return [...names].sort();
}

function tsType(c, inTemplate, alias) {
  let t;
  if (inTemplate) t = c.kind === "string" || c.kind === "number" ? "string" : "TemplateDictionary";
  else if (c.kind === "number") t = "number";
  else if (c.kind === "string") t = "string";
  else if (c.kind === "any") t = "TemplateEntry";
  else if (c.kind === "template") t = c.body ? nameIn(alias, c.body) : "TemplateDictionary";
  else t = nameIn(alias, c.body);
  return c.repeated ? `${t}[]` : t;
}

/**
 * Whether a member is typed as required: arrays and templates are always there after decoding (see the
 * decoder); the rest when the XSD makes it mandatory (the decoder trusts oned for those).
 */
const required = (c, inTemplate) => !inTemplate && (c.repeated || c.kind === "template" || !c.optional);

/** The members of a structure's interface. */
function interfaceBody(body, inTemplate, alias) {
  const lines = [];
  for (const c of body.children) {
    // Inside a template only leaves and repeated vectors are typed; the rest stays a TemplateEntry.
    if (inTemplate && !(c.kind === "string" || c.kind === "number" || c.repeated)) continue;
    lines.push(`  ${c.name}${required(c, inTemplate) ? "" : "?"}: ${tsType(c, inTemplate, alias)};`);
  }
  if (!inTemplate) {
    lines.push("  /** Elements the XSD does not declare (newer oned) are kept, undeclared. */");
    lines.push("  [element: string]: unknown;");
  }
  return `${inTemplate ? "extends TemplateDictionary " : ""}{\n${lines.join("\n")}\n}`;
}

/** Interfaces in dependency order, each set of identical ones once (see writeDeduplicated). */
function renderInterfaces(out, bodies, inTemplate, describe, alias) {
  const written = writeDeduplicated(
    [...bodies],
    (body, names) => interfaceBody(body, inTemplate, new Map([...alias, ...names])),
    (name, text, body) => {
      out.push(`/** ${describe(body)} */`);
      out.push(`export interface ${name} ${text}`);
      out.push("");
    },
  );
  for (const [name, to] of written) alias.set(name, to);
}

/** Interfaces for the structures reachable outside templates, and for the templates themselves. */
function interfacesToRender(documents) {
  const plain = new Map();
  const templates = new Map();
  const visit = (c) => {
    if (!c.body) return;
    if (c.kind === "template") templates.set(c.body.name, c.body);
    else if (!plain.has(c.body.name)) {
      // Children first, so an alias always names an interface written before it.
      c.body.children.forEach(visit);
      plain.set(c.body.name, c.body);
    }
  };
  documents.forEach((d) => visit(d.child));
  return { plain, templates };
}

export function renderSchema(xsdDir, methodsSpec, specPath) {
  const { documents, bodies } = buildSchemaModel(xsdDir);
  const docById = new Map(documents.map((d) => [d.id, d]));
  const out = [
    `// Generated by scripts/generate.mjs from ${specPath}/xsd/*.xsd and methods.json. Do not edit by hand:`,
    "// change the generator or the spec and run `pnpm generate` (CI runs `node scripts/generate.mjs --check`).",
    "//",
    "// Shape of `documentSchemas` (stable; the document decoder and the simulator read it):",
    "//   documentSchemas[id] = { id, root, xsd, element }, `id` as in DocumentId (the root element's name,",
    "//   or the XSD file's name in capitals where several files declare one root: VM_POOL_EXTENDED).",
    "//   `element` and every entry of a `children` list is an ElementSchema:",
    "//     { name, kind, type?, repeated?, optional?, values?, patterns?, children?, anyOrder?, open? }",
    "//   kind: number | string (leaves), element (nested, `children` in the XSD's sequence order),",
    "//   template (TEMPLATE / USER_TEMPLATE: free-form; `children` when the XSD declares some), any",
    "//   (free-form). repeated: maxOccurs > 1 (decoded as an array). optional: minOccurs 0. anyOrder: xs:all.",
    "//   open: xs:any, undeclared children allowed. Children lists are shared between uses (refs, types).",
    "/* eslint-disable */",
    "",
    `import type { TemplateDictionary, TemplateEntry } from "../template.js";`,
    `import type { DocumentSchema, ElementSchema, MethodDocument } from "../schema-types.js";`,
    `export type { DocumentSchema, ElementSchema, MethodDocument, SchemaKind } from "../schema-types.js";`,
    "",
  ];
  out.push(`/** Every document an XSD declares. */`);
  out.push(`export type DocumentId = ${documents.map((d) => lit(d.id)).join(" | ")};`);
  out.push("");

  const { plain, templates } = interfacesToRender(documents);
  const docNameOf = new Map(documents.map((d) => [d.child.body?.name, d]));
  const typeAlias = new Map();
  // Templates first: the other interfaces name them.
  renderInterfaces(
    out,
    templates.values(),
    true,
    (body) => `${body.name.replace(/_/g, " ")}: a template with the attributes the XSD names.`,
    typeAlias,
  );
  renderInterfaces(
    out,
    plain.values(),
    false,
    (body) => {
      const doc = docNameOf.get(body.name);
      return doc ? `<${doc.root}> as ${doc.xsd} describes it.` : `${body.name.replace(/_/g, " ")}.`;
    },
    typeAlias,
  );

  out.push(`/** The decoded type of each document. */`);
  out.push(`export interface Documents {`);
  for (const d of documents) out.push(`  ${d.id}: ${tsType({ ...d.child, repeated: false }, false, typeAlias)};`);
  out.push(`}`);
  out.push("");

  const tableAlias = writeDeduplicated(
    bodies,
    (body, names) => `[${body.children.map((c) => renderSchemaEntry(c, names)).join(", ")}]`,
    (name, text) => out.push(`const $${name}: readonly ElementSchema[] = ${text};`),
  );
  out.push("");
  out.push(`/** Every document's schema, by id (see the note at the top of this file). */`);
  out.push(`export const documentSchemas: { readonly [D in DocumentId]: DocumentSchema<D> } = {`);
  for (const d of documents)
    out.push(
      `  ${d.id}: { id: ${lit(d.id)}, root: ${lit(d.root)}, xsd: ${lit(d.xsd)}, element: ${renderSchemaEntry(d.child, tableAlias)} },`,
    );
  out.push(`};`);
  out.push("");
  out.push(`/** Keys of every decoded template that are always arrays (vectors an XSD declares repeated). */`);
  out.push(`export const TEMPLATE_VECTOR_KEYS: readonly string[] = ${lit(templateVectors(bodies, documents))};`);
  out.push("");

  // methods -> documents
  const xmlMethods = methodsSpec.methods
    .filter((m) => m.returns_on_success?.type === "xml")
    .map((m) => m.name)
    .sort();
  const missing = xmlMethods.filter((n) => !(n in DOCUMENT_OF_METHOD));
  const stale = Object.keys(DOCUMENT_OF_METHOD).filter((n) => !xmlMethods.includes(n));
  if (missing.length) throw new Error(`no document for ${missing.join(", ")} (scripts/schema.mjs DOCUMENT_OF_METHOD)`);
  if (stale.length) throw new Error(`DOCUMENT_OF_METHOD names methods that do not answer XML: ${stale.join(", ")}`);
  const targets = [];
  for (const name of xmlMethods) {
    const target = DOCUMENT_OF_METHOD[name];
    if (target === null) {
      targets.push([name, null, "XmlDocument"]);
      continue;
    }
    const [id, ...inner] = target.split("/");
    const doc = docById.get(id);
    if (!doc) throw new Error(`${name}: no document ${id}`);
    let child = doc.child;
    for (const step of inner) {
      child = child.body?.children.find((c) => c.name === step);
      if (!child) throw new Error(`${name}: ${target} has no element ${step}`);
    }
    targets.push([name, { id, path: inner }, tsType({ ...child, repeated: false }, false, typeAlias)]);
  }
  out.push(`/** The document each XML-answering method returns; null where no XSD describes it. */`);
  out.push(`export const methodDocuments = {`);
  for (const [name, target] of targets)
    out.push(`  ${lit(name)}: ${target ? `{ id: ${lit(target.id)}, path: ${lit(target.path)} }` : "null"},`);
  out.push(`} as const satisfies Record<string, MethodDocument<DocumentId> | null>;`);
  out.push("");
  out.push(`/** A document no XSD describes, decoded free-form. */`);
  out.push(`export type XmlDocument = TemplateDictionary;`);
  out.push("");
  out.push(`/** The decoded result type of each XML-answering method. */`);
  out.push(`export interface DocumentResults {`);
  for (const [name, , ts] of targets) out.push(`  ${lit(name)}: ${ts};`);
  out.push(`}`);
  out.push("");
  return out.join("\n");
}
