// The wire metadata of the model, indexed: the generated table (src/generated/wire.ts) read once into
// objects the codec, the params classes and the simulator look members up in.
import { ENUMS, PRIMITIVES, STRUCTS } from "../generated/wire.js";

/** How a member's value is written: text of a primitive, text of an enum value, or a nested element. */
export type MemberKind = "primitive" | "enum" | "struct";

/** The XSD type of a primitive member, with the schema's overrides (`memory` is a long). */
export type XsdType = "string" | "boolean" | "int" | "long" | "unsignedInt" | "decimal" | "double" | "dateTime";

export interface WireMember {
  /** The XML element (or attribute) name, which is also the property name: `disk_attachments`. */
  readonly xml: string;
  /** The model type: `Vm`, `VmStatus`, `Integer`. */
  readonly type: string;
  readonly kind: MemberKind;
  /** A list, written as `<xml><item/>...</xml>`. */
  readonly list: boolean;
  /** The element name of each item of a list. */
  readonly item?: string;
  /** An XML attribute (`id`) rather than a child element. */
  readonly attribute: boolean;
  /** A `@Link` member: a reference to an entity that has its own service. */
  readonly link: boolean;
  /** For primitives: the XSD type. */
  readonly xsd?: XsdType;
  readonly deprecated: boolean;
  /** The struct that declares the member (a base of the one looked at, maybe). */
  readonly declaredIn: string;
}

export interface WireStruct {
  readonly name: string;
  /** The element name of one object: `vm`. */
  readonly xml: string;
  /** The element name of a list of them: `vms`. */
  readonly plural?: string;
  readonly base?: string;
  /** The bases, nearest first. */
  readonly ancestors: readonly string[];
  /** Every member, inherited ones included, in wire order (the root base's first). */
  readonly members: readonly WireMember[];
  /** Members by XML name. */
  readonly byXml: ReadonlyMap<string, WireMember>;
}

const structCache = new Map<string, WireStruct>();
let byElement: Map<string, WireStruct> | undefined;
let byPlural: Map<string, WireStruct> | undefined;

function parseMember(token: string, declaredIn: string): WireMember {
  const [xml, typeToken, ...flags] = token.split(" ") as [string, string, ...string[]];
  const list = typeToken.endsWith("[]");
  const type = list ? typeToken.slice(0, -2) : typeToken;
  const kind: MemberKind = type in STRUCTS ? "struct" : type in ENUMS ? "enum" : "primitive";
  let item: string | undefined;
  let xsd = kind === "primitive" ? (PRIMITIVES[type] as XsdType | undefined) : undefined;
  for (const flag of flags) {
    if (flag.startsWith("item=")) item = flag.slice(5);
    else if (flag === "long" || flag === "double" || flag === "unsignedInt") xsd = flag;
  }
  return {
    xml,
    type,
    kind,
    list,
    item,
    attribute: flags.includes("@"),
    link: flags.includes("link"),
    xsd,
    deprecated: flags.includes("deprecated"),
    declaredIn,
  };
}

/** The struct named `name` in the model, or undefined. */
export function findWireStruct(name: string): WireStruct | undefined {
  const cached = structCache.get(name);
  if (cached) return cached;
  const source = STRUCTS[name];
  if (!source) return undefined;
  const base = source.base === undefined ? undefined : findWireStruct(source.base);
  const own = source.members.map((token) => parseMember(token, name));
  const members = base ? [...base.members, ...own] : own;
  const struct: WireStruct = {
    name,
    xml: source.xml,
    plural: source.plural,
    base: source.base,
    ancestors: base ? [base.name, ...base.ancestors] : [],
    members,
    byXml: new Map(members.map((m) => [m.xml, m])),
  };
  structCache.set(name, struct);
  return struct;
}

/** The struct named `name`; throws for a name the model does not have (a bug, not user input). */
export function wireStruct(name: string): WireStruct {
  const struct = findWireStruct(name);
  if (!struct) throw new Error(`the oVirt model has no struct ${JSON.stringify(name)}`);
  return struct;
}

/** The lowercase wire values of the enum named `name`, or undefined when it is not an enum. */
export function enumValues(name: string): readonly string[] | undefined {
  return ENUMS[name];
}

/** Whether struct `name` is `ancestor` or derives from it. */
export function isA(name: string, ancestor: string): boolean {
  return name === ancestor || (findWireStruct(name)?.ancestors.includes(ancestor) ?? false);
}

function elementIndexes(): [Map<string, WireStruct>, Map<string, WireStruct>] {
  if (!byElement || !byPlural) {
    byElement = new Map();
    byPlural = new Map();
    for (const name of Object.keys(STRUCTS)) {
      const struct = wireStruct(name);
      byElement.set(struct.xml, struct);
      if (struct.plural) byPlural.set(struct.plural, struct);
    }
  }
  return [byElement, byPlural];
}

/** The struct written as a document or element `<xml>`: `vm` -> Vm, `action` -> Action. */
export function structByElement(xml: string): WireStruct | undefined {
  return elementIndexes()[0].get(xml);
}

/** The struct whose lists are written as `<xml>`: `vms` -> Vm. */
export function structByPlural(xml: string): WireStruct | undefined {
  return elementIndexes()[1].get(xml);
}
