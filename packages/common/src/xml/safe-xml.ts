// The one XML preset of the SDKs. A server's XML is untrusted input: a DTD is refused outright
// (which rules out entity-expansion bombs and external entities), only predefined entities (XML's
// five, HTML's fixed table) and character references are decoded, and size and nesting depth are capped.
import { XMLBuilder, XMLParser, XMLValidator, type X2jOptions, type XmlBuilderOptions } from "fast-xml-parser";
import { ParseError } from "../errors/index.js";
import { Redactor } from "../logging/redact.js";
import { decodeUtf8 } from "./utf8.js";

/** Options of {@link SafeXmlParser}: size and depth limits, namespace prefixes, value parsing and validation. */
export interface XmlParseOptions {
  /** Largest document accepted, in bytes (default 64 MiB). */
  maxBytes?: number;
  /** Deepest element nesting accepted (default 100). */
  maxDepth?: number;
  /** Check well-formedness first, so a truncated document fails instead of parsing partly (default true). */
  validate?: boolean;
  /** Elements that are always arrays, even when one came back. */
  isArray?: (tagName: string, path: string) => boolean;
  /** Drop namespace prefixes from names (default false). */
  removeNamespacePrefix?: boolean;
  /** Keep values as strings (default) or convert numbers and booleans. */
  parseValues?: boolean;
}

/** Attributes appear as `@name`, text beside attributes or children as `#text`. */
export const XML_ATTRIBUTE_PREFIX = "@";
/** The key of an element's text when it also has attributes or children. */
export const XML_TEXT_KEY = "#text";

const DTD = /<!DOCTYPE/i;
const EXCERPT_REDACTOR = new Redactor();

/**
 * An XML parser without DTDs or entity expansion, with size and depth limits: attributes appear as `@name`,
 * text beside attributes or children as `#text`.
 *
 * @throws `ParseError` for a document that is not well-formed, has a DTD, is too deep or is not UTF-8;
 * `BodyTooLargeError` past `maxBytes`.
 *
 * @example
 * ```ts
 * import { SafeXmlParser } from "@nimbus-sdk/common/xml";
 * new SafeXmlParser().parse('<vm id="1"><name>web</name></vm>'); // { vm: { "@id": "1", name: "web" } }
 * ```
 */
export class SafeXmlParser {
  readonly #parser: XMLParser;
  readonly #maxBytes: number;
  readonly #validate: boolean;

  constructor(options: XmlParseOptions = {}) {
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#validate = options.validate ?? true;
    const parserOptions: Partial<X2jOptions> = {
      ignoreAttributes: false,
      attributeNamePrefix: XML_ATTRIBUTE_PREFIX,
      textNodeName: XML_TEXT_KEY,
      removeNSPrefix: options.removeNamespacePrefix ?? false,
      parseTagValue: options.parseValues ?? false,
      parseAttributeValue: options.parseValues ?? false,
      trimValues: true,
      // The only switch that turns on character references (&#65;); it also knows HTML's named
      // entities, a fixed table that cannot expand. Entities a document declares never get here.
      htmlEntities: true,
      processEntities: true,
      ignoreDeclaration: true,
      ignorePiTags: true,
      // fast-xml-parser lets one level more through than maxNestedTags says.
      maxNestedTags: (options.maxDepth ?? 100) - 1,
      // Left undefined, isArray would replace the library's default and fail on every element.
      isArray: options.isArray
        ? (name, path, _leaf, isAttribute) => !isAttribute && options.isArray!(name, String(path))
        : () => false,
    };
    this.#parser = new XMLParser(parserOptions);
  }

  /** The document as plain objects; throws ParseError for anything unsafe or malformed (bytes that are not UTF-8 too). */
  parse(xml: string | Buffer): Record<string, unknown> {
    const size = typeof xml === "string" ? Buffer.byteLength(xml) : xml.length;
    if (size > this.#maxBytes) {
      throw new ParseError(`the XML document is ${size} bytes, more than the ${this.#maxBytes}-byte limit`);
    }
    const text = typeof xml === "string" ? xml : decodeUtf8(xml, { what: "the XML document" });
    // The document may hold credentials (a login reply, an XML-RPC session): the excerpt is redacted.
    const excerpt = () => EXCERPT_REDACTOR.body(text, "application/xml", 200);
    if (DTD.test(text)) {
      throw new ParseError("the XML document has a DTD (<!DOCTYPE>), which is refused for safety", {
        bodyExcerpt: excerpt(),
      });
    }
    if (this.#validate) {
      const result = XMLValidator.validate(text);
      if (result !== true) {
        const { msg, line, col } = result.err;
        throw new ParseError(`malformed XML at line ${line}, column ${col}: ${msg}`, { bodyExcerpt: excerpt() });
      }
    }
    try {
      return this.#parser.parse(text) as Record<string, unknown>;
    } catch (cause) {
      throw new ParseError(`malformed XML: ${(cause as Error).message}`, { bodyExcerpt: excerpt(), cause });
    }
  }
}

/** Builds XML from the same shape the parser gives, escaping text and attribute values. */
export class SafeXmlBuilder {
  readonly #builder: XMLBuilder;

  constructor(options: { format?: boolean } = {}) {
    const builderOptions: Partial<XmlBuilderOptions> = {
      ignoreAttributes: false,
      attributeNamePrefix: XML_ATTRIBUTE_PREFIX,
      textNodeName: XML_TEXT_KEY,
      processEntities: true,
      suppressEmptyNode: true,
      format: options.format ?? false,
    };
    this.#builder = new XMLBuilder(builderOptions);
  }

  build(document: Record<string, unknown>): string {
    return this.#builder.build(document) as string;
  }
}
