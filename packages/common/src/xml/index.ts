// `@nimbus-sdk/common/xml`: a separate entry, so packages that speak JSON only never load (or
// install) fast-xml-parser, an optional peer dependency of common.
export { SafeXmlBuilder, SafeXmlParser, XML_ATTRIBUTE_PREFIX, XML_TEXT_KEY, type XmlParseOptions } from "./safe-xml.js";
