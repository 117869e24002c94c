// The SOAP answer reader: it builds typed objects straight from common's scanXml events (no tree), which
// keeps a 5,000-VM property collector answer fast. Polymorphism follows xsi:type; a type this SDK does not
// know (a newer server's) decodes to the nearest known type, the declared one, with the properties it does
// not know kept as they came (strings, or plain objects), never a crash. A SOAP fault becomes an instance
// of its fault class; anything that is not a SOAP envelope is a ParseError naming what came instead.
import { ParseError, scanXml, type XmlHandler } from "@nimbus-sdk/common/client";
import { DataObject, dataClass, markRawField, markUnknownType } from "../model/data.js";
import { ManagedObject, managedReference } from "../model/managed.js";
import {
  dataType,
  managedType,
  resolvePropertyPath,
  valueTypeOfWireName,
  type FieldInfo,
  type OperationInfo,
  type TypeInfo,
  type ValueType,
} from "./metadata.js";
import type { SoapStub } from "./stub.js";

/** What a response says: the operation's result, or a fault (an instance of its fault class). */
export type DecodedResponse =
  | { readonly kind: "result"; readonly value: unknown }
  | { readonly kind: "fault"; readonly fault: Error; readonly faultString: string };

/** Where the answer came from, for the messages of ParseErrors. */
export interface DecodeContext {
  /** The redacted endpoint URL. */
  url: string;
  status?: number;
  requestId?: string;
  /** A short, redacted excerpt of the body. */
  bodyExcerpt?: () => string;
}

// What each open element is, for the reader's stack (numbers: compared on every element).
const FRAME_KINDS = {
  ROOT: 0,
  ENVELOPE: 1,
  BODY: 2,
  RESPONSE: 3,
  FAULT: 4,
  DETAIL: 5,
  OBJECT: 6,
  TEXT: 7,
  MOREF: 8,
  ARRAY: 9,
  RAW: 10,
  SKIP: 11,
} as const;
const { ROOT, ENVELOPE, BODY, RESPONSE, FAULT, DETAIL, OBJECT, TEXT, MOREF, ARRAY, RAW, SKIP } = FRAME_KINDS;
type FrameKind = (typeof FRAME_KINDS)[keyof typeof FRAME_KINDS];

interface Frame {
  kind: FrameKind;
  /** The element's local name. */
  name: string;
  /** The parent's field this element fills; undefined for array items and properties of unknown fields. */
  field: FieldInfo | undefined;
  /** TEXT: its primitive or enum type; ARRAY: the item type. */
  type: ValueType | undefined;
  info: TypeInfo | undefined;
  value: unknown;
  text: string;
  /** MOREF: the managed type. */
  moType: string;
}

const localName = (name: string): string => {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
};

const capitalize = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

// The XML Schema instance type. Prefixes are not resolved: any prefixed `type` attribute is taken, as vim25
// has no other (vcsim declares its own prefix, `XMLSchema-instance:type`); a moref's `type` has none.
function xsiTypeOf(attributes: Record<string, string> | null): string | undefined {
  if (attributes === null) return undefined;
  const type = attributes["xsi:type"];
  if (type !== undefined) return type;
  for (const key in attributes) if (key.endsWith(":type") && !key.startsWith("xmlns:")) return attributes[key];
  return undefined;
}

// The data types whose `val` is a property collector value of the `name` path of the enclosing `obj`.
const COLLECTED_VALUE_HOLDERS = new Set(["DynamicProperty", "PropertyChange"]);

/** Adds a property of a newer server's to an object: repeated elements become an array. */
function addRawProperty(target: Record<string, unknown>, name: string, value: unknown): void {
  if (!Object.hasOwn(target, name)) target[name] = value;
  else if (Array.isArray(target[name])) (target[name] as unknown[]).push(value);
  else target[name] = [target[name], value];
}

class ResponseReader implements XmlHandler {
  readonly #op: OperationInfo;
  readonly #stub: SoapStub | undefined;
  readonly #context: DecodeContext;
  readonly #stack: Frame[] = [];
  readonly results: unknown[] = [];
  fault: Error | undefined;
  faultString = "";
  sawFault = false;
  sawResponse = false;

  constructor(op: OperationInfo, stub: SoapStub | undefined, context: DecodeContext) {
    this.#op = op;
    this.#stub = stub;
    this.#context = context;
    this.#stack.push(this.#frame(ROOT, "", undefined));
  }

  #frame(kind: FrameKind, name: string, field: FieldInfo | undefined): Frame {
    return { kind, name, field, type: undefined, info: undefined, value: undefined, text: "", moType: "" };
  }

  open(qualifiedName: string, attributes: Record<string, string> | null): void {
    const stack = this.#stack;
    const parent = stack[stack.length - 1]!;
    const name = localName(qualifiedName);
    switch (parent.kind) {
      case OBJECT: {
        const field = parent.info!.fieldsByName.get(name);
        stack.push(field ? this.#valueFrame(field.type, attributes, name, field) : this.#rawFrame(name, attributes));
        return;
      }
      case ARRAY:
        stack.push(this.#valueFrame(parent.type!, attributes, name, undefined));
        return;
      case RAW:
        parent.value ??= new DataObject();
        stack.push(this.#rawFrame(name, attributes));
        return;
      case RESPONSE:
        stack.push(
          name === "returnval" && this.#op.result
            ? this.#valueFrame(this.#op.result.type, attributes, name, this.#op.result)
            : this.#frame(SKIP, name, undefined),
        );
        return;
      case ROOT:
        if (name !== "Envelope") throw this.#notSoap(qualifiedName);
        stack.push(this.#frame(ENVELOPE, name, undefined));
        return;
      case ENVELOPE:
        stack.push(this.#frame(name === "Body" ? BODY : SKIP, name, undefined));
        return;
      case BODY:
        // govmomi (vcsim) capitalizes the operations whose name starts lowercase (<SetCustomValueResponse>
        // for setCustomValue); pyVmomi takes any <…Response>, this SDK takes just that spelling too.
        if (name === `${this.#op.name}Response` || name === `${capitalize(this.#op.name)}Response`) {
          this.sawResponse = true;
          stack.push(this.#frame(RESPONSE, name, undefined));
        } else if (name === "Fault") {
          this.sawFault = true;
          stack.push(this.#frame(FAULT, name, undefined));
        } else {
          throw this.#error(`the SOAP body holds <${qualifiedName}> instead of <${this.#op.name}Response>`);
        }
        return;
      case FAULT:
        if (name === "detail") stack.push(this.#frame(DETAIL, name, undefined));
        else {
          const frame = this.#frame(name === "faultstring" ? TEXT : SKIP, name, undefined);
          frame.type = valueTypeOfWireName("string");
          stack.push(frame);
        }
        return;
      case DETAIL:
        stack.push(this.#faultFrame(name, attributes));
        return;
      default:
        // Element content where a simple value was expected: kept out of the value.
        stack.push(this.#frame(SKIP, name, undefined));
    }
  }

  // The detail's element is <XFault xsi:type="X">; a fault type this SDK does not know decodes as
  // vmodl.MethodFault, keeping the server's type name and fields.
  #faultFrame(name: string, attributes: Record<string, string> | null): Frame {
    const wireName = localName(xsiTypeOf(attributes) ?? name.replace(/Fault$/, ""));
    const known = dataType(wireName);
    const info = known?.isFault ? known : dataType("MethodFault")!;
    const frame = this.#frame(OBJECT, name, undefined);
    frame.info = info;
    frame.value = new (dataClass(info.name)!)();
    if (info.name !== wireName) markUnknownType(frame.value as object, wireName);
    return frame;
  }

  #valueFrame(
    declared: ValueType,
    attributes: Record<string, string> | null,
    name: string,
    field: FieldInfo | undefined,
  ): Frame {
    let type = declared;
    let unknownType: string | undefined;
    const xsiType = xsiTypeOf(attributes);
    if (xsiType !== undefined) {
      const wired = valueTypeOfWireName(xsiType);
      if (wired) type = wired;
      else unknownType = localName(xsiType);
    }
    switch (type.kind) {
      case "primitive":
      case "enum": {
        const frame = this.#frame(TEXT, name, field);
        frame.type = type;
        return frame;
      }
      case "moref": {
        const frame = this.#frame(MOREF, name, field);
        frame.moType = attributes?.type ?? (type.target || "ManagedObject");
        return frame;
      }
      case "data":
        return this.#objectFrame(type.name, name, field, unknownType);
      case "array": {
        const frame = this.#frame(ARRAY, name, field);
        frame.type = type.item;
        frame.value = [];
        return frame;
      }
      case "any": {
        // Only a managed object reference has a `type` attribute in vim25.
        if (unknownType === undefined && attributes?.type !== undefined && xsiType === undefined) {
          return this.#valueFrame(valueTypeOfWireName("ManagedObjectReference")!, attributes, name, field);
        }
        const declared = unknownType === undefined ? undefined : this.#collectedPropertyType();
        if (declared?.kind === "data") return this.#objectFrame(declared.name, name, field, unknownType);
        const frame = this.#frame(RAW, name, field);
        if (unknownType !== undefined) {
          frame.value = new DataObject();
          markUnknownType(frame.value as object, unknownType);
        }
        return frame;
      }
    }
  }

  #objectFrame(typeName: string, name: string, field: FieldInfo | undefined, unknownType: string | undefined): Frame {
    const frame = this.#frame(OBJECT, name, field);
    frame.info = dataType(typeName)!;
    frame.value = new (dataClass(typeName)!)();
    if (unknownType !== undefined) markUnknownType(frame.value as object, unknownType);
    return frame;
  }

  // The declared type of the property a property collector value (DynamicProperty's or PropertyChange's
  // `val`, an anyType) belongs to, from its object's managed type and its path: a value of a newer type
  // decodes as that type rather than as a bare DataObject.
  #collectedPropertyType(): ValueType | undefined {
    const stack = this.#stack;
    const holder = stack[stack.length - 1]!;
    const owner = stack[stack.length - 2];
    if (holder.kind !== OBJECT || owner?.kind !== OBJECT || !COLLECTED_VALUE_HOLDERS.has(holder.info!.name)) {
      return undefined;
    }
    const path = (holder.value as { name?: unknown }).name;
    const obj = (owner.value as { obj?: unknown }).obj;
    if (typeof path !== "string" || !(obj instanceof ManagedObject)) return undefined;
    const type = managedType(obj._wsdlName);
    const property = type && resolvePropertyPath(type, path).field;
    return property && !property.array ? property.type : undefined;
  }

  // An element no field declares (a newer server's property): typed when its xsi:type is known.
  #rawFrame(name: string, attributes: Record<string, string> | null): Frame {
    const xsiType = xsiTypeOf(attributes);
    if (xsiType !== undefined && valueTypeOfWireName(xsiType)) {
      return this.#valueFrame(valueTypeOfWireName(xsiType)!, attributes, name, undefined);
    }
    return this.#valueFrame(valueTypeOfWireName("anyType")!, attributes, name, undefined);
  }

  text(value: string): void {
    this.#stack[this.#stack.length - 1]!.text += value;
  }

  close(): void {
    const stack = this.#stack;
    const frame = stack.pop()!;
    let value: unknown;
    switch (frame.kind) {
      case TEXT:
        value = this.#convert(frame);
        break;
      case MOREF:
        value = managedReference(frame.moType, frame.text, this.#stub);
        break;
      case OBJECT:
      case ARRAY:
        value = frame.value;
        break;
      case RAW:
        value = frame.value ?? frame.text;
        break;
      default:
        return;
    }
    const parent = stack[stack.length - 1]!;
    switch (parent.kind) {
      case OBJECT: {
        const target = parent.value as Record<string, unknown>;
        const field = frame.field;
        if (field === undefined) {
          addRawProperty(target, frame.name, value);
          markRawField(target, frame.name);
        } else if (field.array) {
          const list = target[field.name] as unknown[] | undefined;
          if (list === undefined) target[field.name] = [value];
          else list.push(value);
        } else target[field.name] = value;
        return;
      }
      case ARRAY:
        (parent.value as unknown[]).push(value);
        return;
      case RAW:
        addRawProperty(parent.value as Record<string, unknown>, frame.name, value);
        return;
      case RESPONSE:
        this.results.push(value);
        return;
      case FAULT:
        this.faultString = value as string;
        return;
      case DETAIL:
        this.fault ??= value as Error;
        return;
    }
  }

  #convert(frame: Frame): unknown {
    const type = frame.type!;
    const text = frame.text;
    if (type.kind === "enum") return text;
    switch (type.name) {
      case "string":
      case "anyURI":
        return text;
      case "boolean":
        if (text === "true" || text === "1") return true;
        if (text === "false" || text === "0") return false;
        break;
      case "int":
      case "long":
      case "short":
      case "byte": {
        const n = Number(text);
        // A long beyond 2^53 would lose digits as a number: it is a bigint, sent back as it came.
        if (text !== "" && Number.isSafeInteger(n)) return n;
        if (/^\s*[+-]?\d+\s*$/.test(text)) return BigInt(text);
        break;
      }
      case "float":
      case "double": {
        if (text === "INF") return Infinity;
        if (text === "-INF") return -Infinity;
        const n = Number(text);
        if (text !== "" && (!Number.isNaN(n) || text === "NaN")) return n;
        break;
      }
      case "dateTime": {
        const date = new Date(text);
        if (!Number.isNaN(date.getTime())) return date;
        break;
      }
      case "base64Binary":
        return Buffer.from(text, "base64");
    }
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    throw this.#error(`${this.#path(frame)} holds ${JSON.stringify(shown)}, which is not an xsd:${type.name}`);
  }

  #path(last: Frame): string {
    const names = this.#stack.filter((f) => f.kind >= OBJECT || f.kind === RESPONSE).map((f) => f.name);
    return [...names.slice(1), last.name].join(".");
  }

  #notSoap(root: string): ParseError {
    const html = /^html$/i.test(localName(root));
    return this.#error(
      html
        ? "the server answered an HTML page, not SOAP (is the URL a vCenter or ESXi /sdk endpoint?)"
        : `the answer is XML but not a SOAP envelope (its root element is <${root}>)`,
    );
  }

  #error(problem: string): ParseError {
    return answerError(this.#op, this.#context, problem);
  }
}

// The reader's own ParseErrors, told apart from the scanner's, which are wrapped.
const ownErrors = new WeakSet<Error>();

function answerError(op: OperationInfo, context: DecodeContext, problem: string, cause?: unknown): ParseError {
  const { url, status, requestId, bodyExcerpt } = context;
  const error = new ParseError(`${op.name}: ${problem} (${url})`, {
    method: op.name,
    url,
    status,
    requestId,
    bodyExcerpt: bodyExcerpt?.(),
    cause,
  });
  ownErrors.add(error);
  return error;
}

/**
 * Decodes the answer to `op`: its result (an array for an array result, undefined for void or an absent
 * optional result), or the fault it reports. Throws a ParseError for anything else.
 */
export function decodeResponse(
  xml: string,
  op: OperationInfo,
  stub: SoapStub | undefined,
  context: DecodeContext,
): DecodedResponse {
  const reader = new ResponseReader(op, stub, context);
  try {
    scanXml(xml, reader);
  } catch (error) {
    if (ownErrors.has(error as Error)) throw error;
    const problem =
      xml.trim() === "" ? "the answer is empty" : `the answer is not well-formed XML (${(error as Error).message})`;
    throw answerError(op, context, problem, error);
  }
  if (reader.sawFault) {
    const fault = reader.fault ?? (new (dataClass("RuntimeFault")!)() as Error);
    return { kind: "fault", fault, faultString: reader.faultString };
  }
  if (!reader.sawResponse) throw answerError(op, context, `the SOAP body holds no <${op.name}Response>`);
  const value = op.result?.array ? reader.results : reader.results[0];
  return { kind: "result", value };
}
