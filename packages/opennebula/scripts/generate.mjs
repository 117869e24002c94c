#!/usr/bin/env node
// Generates src/generated/methods.ts (the 301 XML-RPC methods), src/generated/constants.ts (the state
// enums) and src/generated/schema.ts (the documents' types and decoding table, see scripts/schema.mjs)
// from the shared OpenNebula data (specs/opennebula/methods.json, constants.json and xsd/, kept beside the
// repository). Plain Node ESM because the repository has no TypeScript runner (docs/decisions/0004).
//
//   node scripts/generate.mjs              write both files
//   node scripts/generate.mjs --check      exit 1 when a committed file differs from the output
//   node scripts/generate.mjs --specs DIR  read methods.json, constants.json and xsd/ from DIR
//
// Without the specs (a user's clone has no ../shared) it prints a notice and exits 0.
import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeGenerated } from "../../../scripts/lib/generated-files.mjs";
import { renderSchema } from "./schema.mjs";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const defaultSpecs = resolve(packageDir, "../../../shared/specs/opennebula");
const outDir = resolve(packageDir, "src/generated");

const PARAM_TYPES = new Set(["string", "int", "boolean", "i8", "array<int>"]);
const RESULT_TYPES = new Set(["int", "xml", "string"]);

// methods.json types these as plain strings and says so in the method's `notes`: 64-bit masks sent as hex
// strings. The SDK also takes them as BigInt; the check below fails the run if the notes stop saying so.
const HEX_MASK_PARAMS = { "one.acl.addrule": ["user", "resource", "rights", "zone"] };

// Parameters methods.json lists as required that oned 7.0.2 reads only when the call carries them
// (`if (paramList.size() > n)` in src/rm/RequestManager*.cc; xmlrpc-c does not enforce the help signature).
// By verb, wherever the method has the parameter: RequestManagerUpdateTemplate (update type),
// RequestManagerLock (test), RequestManagerChmod and RequestManagerDelete (recursive).
const OPTIONAL_BY_VERB = { update: ["update_type"], lock: ["test"], chmod: ["recursive"], delete: ["recursive"] };
// By method: VMTemplateInstantiate reads hold and the extra template together (PyONE's own example calls
// one.template.instantiate(0, "my_VM")), VirtualMachineUpdateNic the update type, UserLogin the
// effective group, the pool monitorings their time window.
const OPTIONAL_IN_ONED = {
  "one.template.instantiate": ["hold", "extra_template"],
  "one.vm.updatenic": ["update_type"],
  "one.user.login": ["effective_gid"],
  "one.vmpool.monitoring": ["seconds"],
  "one.hostpool.monitoring": ["seconds"],
};

// conventions.templates: parameters named *template* take attribute=value text or <TEMPLATE> XML, and PyONE
// takes a dict there (cast2one turns it into one of those).
const isTemplateParam = (name) => name === "template" || name.endsWith("_template");

// The verbs of the methods that only read oned's state: OneServer sends them as idempotent, so a lost
// connection, a cut body or a 429/502/503/504 sends them again (common's retry rules). A verb goes here
// only when every method with it changes nothing in oned: not user.login (issues a token),
// vmpool.calculateshowback (recomputes and stores showback), host.status (sets it), user/group.quota
// (set quotas), zone.voterequest (casts a Raft vote), system.sql, nor system.sqlquery (internal, runs
// whatever SQL text it is given). Anything new is a write until reviewed and added.
const READ_ONLY_VERBS = new Set([
  "info", // one.<object>.info, one.<object>pool.info, userquota/groupquota/hooklog.info, acl.info
  "infoextended", // vmpool
  "infoset", // vmpool
  "monitoring", // vm, vmpool, host, hostpool
  "accounting", // vmpool
  "showback", // vmpool (reads the records calculateshowback stored)
  "version", // system
  "config", // system
  "raftstatus", // zone
]);

function main(argv) {
  const check = argv.includes("--check");
  const specsIndex = argv.indexOf("--specs");
  const specsDir = specsIndex >= 0 ? resolve(argv[specsIndex + 1] ?? "") : defaultSpecs;
  const methodsFile = resolve(specsDir, "methods.json");
  const constantsFile = resolve(specsDir, "constants.json");
  const xsdDir = resolve(specsDir, "xsd");
  if (!existsSync(methodsFile) || !existsSync(constantsFile) || !existsSync(xsdDir)) {
    console.log(`opennebula generate: ${specsDir} not found (no ../shared beside this clone); nothing to do.`);
    return Promise.resolve(0);
  }
  const specLabel = relative(packageDir, specsDir)
    .replace(/\\/g, "/")
    .replace(/^(\.\.\/)+/, "");
  const methodsSpec = JSON.parse(readFileSync(methodsFile, "utf8"));
  const outputs = [
    ["methods.ts", renderMethods(methodsSpec, `${specLabel}/methods.json`)],
    ["constants.ts", renderConstants(readFileSync(constantsFile, "utf8"), `${specLabel}/constants.json`)],
    ["schema.ts", renderSchema(xsdDir, methodsSpec, specLabel)],
  ];
  return writeGenerated({ tool: "opennebula generate", outDir, outputs, check });
}

// ---------------------------------------------------------------------------------------------------
// Shared rendering helpers

const lit = (v) => JSON.stringify(v);
const propName = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : lit(name));

function renderObject(obj) {
  const entries = Object.entries(obj).filter(([, v]) => v !== undefined);
  return `{ ${entries.map(([k, v]) => `${propName(k)}: ${renderValue(v)}`).join(", ")} }`;
}

function renderValue(v) {
  if (Array.isArray(v)) return `[${v.map(renderValue).join(", ")}]`;
  if (typeof v === "bigint") return `${v}n`;
  if (v && typeof v === "object") return renderObject(v);
  return lit(v);
}

function header(specPath) {
  return [
    `// Generated by scripts/generate.mjs from ${specPath}. Do not edit by hand:`,
    "// change the generator or the spec and run `pnpm generate` (CI runs `node scripts/generate.mjs --check`).",
    "/* eslint-disable */",
    "",
  ];
}

const pascal = (name) =>
  name
    .toLowerCase()
    .split(/[_\-.]/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");

// ---------------------------------------------------------------------------------------------------
// methods.ts

function tsOfParam(method, p) {
  if (HEX_MASK_PARAMS[method]?.includes(p.name)) return "string | bigint";
  switch (p.type) {
    case "string":
      return isTemplateParam(p.name) ? "string | TemplateInput" : "string";
    case "int":
      return "number";
    case "boolean":
      return "boolean";
    case "i8":
      return "bigint | number";
    case "array<int>":
      return "number[]";
    default:
      throw new Error(`${method}: no TypeScript type for parameter type ${p.type}`);
  }
}

// An XML answer is typed as the document the XSDs give it (schema.ts's DocumentResults).
const tsOfResult = (method, type) =>
  type === "xml" ? `DocumentResults[${lit(method)}]` : { int: "number", string: "string" }[type];

function buildMethod(m) {
  const parts = m.name.split(".");
  if (parts.length !== 3 || parts[0] !== "one") throw new Error(`unexpected method name ${m.name}`);
  const [session, ...listed] = m.params;
  if (session?.name !== "session" || session.type !== "string")
    throw new Error(`${m.name}: the first parameter is not the session string`);
  let seenOptional = false;
  const hex = HEX_MASK_PARAMS[m.name] ?? [];
  if (hex.length && !/hex/i.test(m.notes ?? "")) throw new Error(`${m.name}: notes no longer describe hex masks`);
  const relaxed = [...(OPTIONAL_IN_ONED[m.name] ?? [])];
  for (const name of relaxed)
    if (!listed.some((p) => p.name === name)) throw new Error(`${m.name}: no parameter ${name} to make optional`);
  relaxed.push(...(OPTIONAL_BY_VERB[parts[2]] ?? []).filter((name) => listed.some((p) => p.name === name)));
  const params = listed.map((p) => (relaxed.includes(p.name) ? { ...p, optional: true } : p));
  const outParams = params.map((p) => {
    if (!PARAM_TYPES.has(p.type)) throw new Error(`${m.name}: unknown parameter type ${p.type}`);
    if (seenOptional && !p.optional) throw new Error(`${m.name}: required ${p.name} after an optional parameter`);
    seenOptional ||= p.optional === true;
    const meta = { name: p.name, type: p.type };
    if (p.optional) meta.optional = true;
    if (isTemplateParam(p.name) && p.type === "string") meta.template = true;
    if (hex.includes(p.name)) meta.hexMask = true;
    if (p.default !== undefined) meta.default = p.default;
    if (p.note) meta.note = p.note;
    return meta;
  });
  for (const name of hex)
    if (!outParams.some((p) => p.name === name)) throw new Error(`${m.name}: no parameter ${name} for a hex mask`);
  const r = m.returns_on_success;
  if (!RESULT_TYPES.has(r?.type)) throw new Error(`${m.name}: unknown result type ${r?.type}`);
  const result = { type: r.type };
  if (r.description) result.description = r.description;
  const readOnly = READ_ONLY_VERBS.has(parts[2]);
  // Integer answers are the IDs and codes of writes: a "read" answering one is a misread verb.
  if (readOnly && r.type === "int") throw new Error(`${m.name}: a read-only verb that answers an int`);
  const meta = {
    name: m.name,
    object: parts[1],
    verb: parts[2],
    group: m.group,
    params: outParams,
    result,
    signature: m.xmlrpc_signature,
    undocumented: m.undocumented === true ? true : undefined,
    internal: m.internal === true ? true : undefined,
    readOnly: readOnly || undefined,
  };
  return {
    meta,
    description: m.description,
    notes: m.notes,
    fix: m.fix,
    tuple: `[${params.map((p) => `${p.name}${p.optional ? "?" : ""}: ${tsOfParam(m.name, p)}`).join(", ")}]`,
    resultTs: tsOfResult(m.name, r.type),
  };
}

function renderMethods(spec, specPath) {
  const list = spec.methods.map(buildMethod);
  const names = new Set();
  for (const m of list) {
    if (names.has(m.meta.name)) throw new Error(`duplicate method ${m.meta.name}`);
    names.add(m.meta.name);
  }
  // Stable, reviewable order: by object, then verb.
  list.sort((a, b) => (a.meta.name < b.meta.name ? -1 : a.meta.name > b.meta.name ? 1 : 0));
  const objects = [...new Set(list.map((m) => m.meta.object))];
  const out = header(specPath);
  out.push(`import type { DocumentResults } from "./schema.js";
`);
  out.push(`/** XML-RPC parameter types used by oned (after the session string, which every method takes first). */
export type ParamType = "string" | "int" | "boolean" | "i8" | "array<int>";

/** What a method answers on success: an integer (an ID most often), a plain string, or an XML document. */
export type ResultType = "int" | "string" | "xml";

/** One parameter of an XML-RPC method: its name, wire type, and how the SDK takes it. */
export interface ParamMeta {
  /** Our snake_case name (methods.json's, not OpenNebula's). */
  readonly name: string;
  readonly type: ParamType;
  /** oned accepts the call without it; optional parameters are always trailing. */
  readonly optional?: boolean;
  /** Takes attribute=value text or <TEMPLATE> XML, so the SDK also takes a dictionary. */
  readonly template?: boolean;
  /** A 64-bit mask sent as a hex string (ACL rules); the SDK also takes a BigInt. */
  readonly hexMask?: boolean;
  readonly default?: string | number | boolean;
  readonly note?: string;
}

/** What the SDK knows of one XML-RPC method: its name, parameters, result and whether it only reads. */
export interface MethodMeta {
  /** The XML-RPC name: "one.vm.action". */
  readonly name: string;
  /** "vm" in one.vm.action: PyONE's attribute (\`one.vm.action(...)\`). */
  readonly object: string;
  /** "action" in one.vm.action. */
  readonly verb: string;
  /** The section of OpenNebula's API reference. */
  readonly group: string;
  /** The parameters after the session. */
  readonly params: readonly ParamMeta[];
  readonly result: { readonly type: ResultType; readonly description?: string };
  /** oned's own help string ("A:ssi"), sometimes stale. */
  readonly signature?: string;
  /** Registered in oned 7.0.2 but missing from the API reference. */
  readonly undocumented?: boolean;
  /** HA/federation plumbing, not meant for SDK users. */
  readonly internal?: boolean;
  /** Changes nothing in oned (READ_ONLY_VERBS in scripts/generate.mjs): sent again after a lost connection. */
  readonly readOnly?: boolean;
}

/**
 * A template parameter given as a dictionary, as PyONE takes it: a flat dictionary becomes KEY="value"
 * lines; a dictionary with one root key whose value is a dictionary becomes XML with that root.
 */
export type TemplateInput = { readonly [key: string]: unknown };

`);
  out.push(`/** Every method oned 7.0.2 registers, by XML-RPC name. */`);
  out.push(`export const methods = {`);
  for (const m of list) out.push(`  ${lit(m.meta.name)}: ${renderObject(m.meta)},`);
  out.push(`} as const satisfies Record<string, MethodMeta>;`);
  out.push("");
  out.push(`/** The XML-RPC name of a method ("one.vm.action" …). */`);
  out.push(`export type MethodName = keyof typeof methods;`);
  out.push(`/** Every method's XML-RPC name. */`);
  out.push(`export const methodNames = Object.keys(methods) as MethodName[];`);
  out.push("");
  out.push(`/** The objects of \`one.<object>.<verb>\`, as PyONE's attributes. */`);
  out.push(`export type ObjectName = ${objects.map(lit).join(" | ")};`);
  out.push(`export const objectNames: readonly ObjectName[] = ${renderValue(objects)};`);
  out.push("");
  out.push(`/** Parameters of each method after the session, in wire order. */`);
  out.push(`export interface MethodParams {`);
  for (const m of list) {
    const doc = [m.description, m.notes, m.fix && `Fixed against oned: ${m.fix}.`, m.meta.internal && "Internal."]
      .filter(Boolean)
      .join(" ")
      .replace(/\*\//g, "*\\/");
    out.push(`  /** ${doc} */`);
    out.push(`  ${lit(m.meta.name)}: ${m.tuple};`);
  }
  out.push(`}`);
  out.push("");
  out.push(`/** What each method answers on success. */`);
  out.push(`export interface MethodResults {`);
  for (const m of list) out.push(`  ${lit(m.meta.name)}: ${m.resultTs};`);
  out.push(`}`);
  out.push("");
  out.push(`/** The verbs of each object. */`);
  out.push(`export interface ObjectVerbs {`);
  for (const o of objects) {
    const verbs = list.filter((m) => m.meta.object === o).map((m) => lit(m.meta.verb));
    out.push(`  ${propName(o)}: ${verbs.join(" | ")};`);
  }
  out.push(`}`);
  out.push("");
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------------
// constants.ts

/** Integer literals in the raw JSON that a double cannot hold exactly, so they can be read as BigInt. */
function unsafeIntegers(rawText) {
  const found = new Set();
  for (const m of rawText.matchAll(/(?<![\w."])(-?\d{16,})(?![\w."])/g)) {
    // Powers of two beyond 2^53 (OBJECT_TYPE) survive JSON.parse exactly; anything else would not.
    if (BigInt(Number(m[1])).toString() !== BigInt(m[1]).toString()) found.add(m[1]);
  }
  return found;
}

// The exact decimal of an integer (String() rounds large doubles to their shortest form).
const decimal = (v) => (Number.isSafeInteger(v) ? String(v) : BigInt(v).toString());

function renderConstants(rawText, specPath) {
  const spec = JSON.parse(rawText);
  const unsafe = unsafeIntegers(rawText);
  if (unsafe.size) throw new Error(`constants.json has integers a double cannot hold: ${[...unsafe].join(", ")}`);
  const enumNames = Object.keys(spec).filter((k) => spec[k] && typeof spec[k] === "object" && spec[k].values);
  const out = header(specPath);
  out.push(`/** OpenNebula release the values come from. */`);
  out.push(`export const ONE_VERSION = ${lit(spec._version)};`);
  out.push("");
  const registry = [];
  for (const name of enumNames) {
    const e = spec[name];
    const values = e.values;
    const byValue = e.by_value;
    // Values beyond 2^53 (OBJECT_TYPE, from 2^36 up to 2^57) are bit masks: the whole enum is BigInt.
    const big = Object.values(values).some((v) => !Number.isSafeInteger(v) || Math.abs(v) >= 2 ** 32);
    for (const [k, v] of Object.entries(values)) {
      if (!Number.isInteger(v)) throw new Error(`${name}.${k} is not an integer`);
      if (byValue[decimal(v)] !== k) throw new Error(`${name}: by_value does not map ${v} back to ${k}`);
    }
    if (Object.keys(byValue).length !== Object.keys(values).length)
      throw new Error(`${name}: by_value and values differ in size`);
    const typeBase = pascal(name);
    const valueOf = (v) => (big ? BigInt(v) : v);
    out.push(`/** ${e.source}${big ? " (64-bit masks, as BigInt)" : ""}. */`);
    out.push(
      `export const ${name} = Object.freeze(${renderObject(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, valueOf(v)])))} as const);`,
    );
    out.push(`/** A name of ${name} ("${Object.keys(values)[0]}" …). */`);
    out.push(`export type ${typeBase}Name = keyof typeof ${name};`);
    out.push(`/** A value of ${name}, as oned sends it. */`);
    out.push(`export type ${typeBase} = (typeof ${name})[${typeBase}Name];`);
    out.push(`/** ${name} from value to name${big ? " (keyed by the decimal string)" : ""}. */`);
    const reverse = Object.fromEntries(Object.entries(values).map(([k, v]) => [decimal(v), k]));
    out.push(
      `export const ${name}_BY_VALUE: Readonly<Record<${big ? "string" : "number"}, ${typeBase}Name>> = Object.freeze(${renderObject(reverse)});`,
    );
    if (e.removed) {
      out.push(`/** Values retired before ${spec._version}: they must not be reused or assumed. */`);
      out.push(`export const ${name}_REMOVED = Object.freeze(${renderObject(e.removed)} as const);`);
    }
    out.push("");
    registry.push({ name, big, removed: Boolean(e.removed) });
  }
  out.push(`/** Every enum with its reverse lookup, for generic code (nameOf). */`);
  out.push(`export const ENUMS = {`);
  for (const r of registry) out.push(`  ${r.name}: { values: ${r.name}, byValue: ${r.name}_BY_VALUE },`);
  out.push(`} as const;`);
  out.push(`/** The name of an enum in ENUMS ("VM_STATE" …). */`);
  out.push(`export type EnumName = keyof typeof ENUMS;`);
  out.push("");

  const hist = spec.VM_HISTORY_ACTION;
  if (hist?.strings) {
    out.push(`/** The CLI and log name of each history action (src/vm/VMActions.cc). */`);
    out.push(`export const VM_HISTORY_ACTION_STRINGS = Object.freeze(${renderObject(hist.strings)} as const);`);
    out.push(`/** The CLI and log name of a history action ("migrate" …). */`);
    out.push(`export type VmHistoryActionString = (typeof VM_HISTORY_ACTION_STRINGS)[VmHistoryActionName];`);
    const byString = Object.fromEntries(Object.entries(hist.strings).map(([k, s]) => [s, hist.values[k]]));
    out.push(`/** History actions keyed by their CLI name, as PyONE's HISTORY_ACTION is. */`);
    out.push(`export const VM_HISTORY_ACTION_BY_STRING = Object.freeze(${renderObject(byString)} as const);`);
    out.push("");
  }
  if (spec.SHORT_STATE_LABELS) {
    const { source, ...labels } = spec.SHORT_STATE_LABELS;
    out.push(`/** Short state labels of the CLI's STAT column (${source}). */`);
    out.push(`export const SHORT_STATE_LABELS = Object.freeze(${renderObject(labels)} as const);`);
    out.push("");
  }
  if (spec.API_ARGUMENTS) {
    const { source, ...args } = spec.API_ARGUMENTS;
    out.push(`// Argument values of particular methods (${source}).`);
    for (const [key, arg] of Object.entries(args)) {
      if (!arg.values) continue;
      out.push(`/** ${arg.note}. */`);
      if (Array.isArray(arg.values)) {
        out.push(`export const ${key} = Object.freeze(${renderValue(arg.values)} as const);`);
        out.push(`/** One of ${key}. */`);
        out.push(`export type ${pascal(key).replace(/s$/, "")} = (typeof ${key})[number];`);
      } else {
        out.push(`export const ${key} = Object.freeze(${renderObject(arg.values)} as const);`);
        out.push(`/** A name of ${key}. */`);
        out.push(`export type ${pascal(key)}Name = keyof typeof ${key};`);
      }
    }
    out.push("");
  }
  if (spec.ACL) {
    out.push(`/** ACL rule user selectors (${spec.ACL.source}); 64-bit, as BigInt. */`);
    out.push(
      `export const ACL_USERS = Object.freeze(${renderObject(Object.fromEntries(Object.entries(spec.ACL.USERS).map(([k, v]) => [k, BigInt(v)])))} as const);`,
    );
    out.push(`/** ACL rule rights. */`);
    out.push(`export const ACL_RIGHTS = Object.freeze(${renderObject(spec.ACL.RIGHTS)} as const);`);
    out.push("");
  }
  if (spec.ERROR_CODE?.hex) {
    out.push(`/** ERROR_CODE values as oned's sources write them. */`);
    out.push(`export const ERROR_CODE_HEX = Object.freeze(${renderObject(spec.ERROR_CODE.hex)} as const);`);
    out.push("");
  }
  return out.join("\n");
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
