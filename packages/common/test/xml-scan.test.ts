import { describe, expect, test } from "@jest/globals";
import {
  ParseError,
  escapeXmlAttribute,
  escapeXmlText,
  parseXmlElement,
  scanXml,
  type XmlElement,
} from "../src/index.js";

function events(xml: string): string[] {
  const seen: string[] = [];
  scanXml(xml, {
    open: (name, attributes) => seen.push(`open ${name}${attributes ? ` ${JSON.stringify(attributes)}` : ""}`),
    text: (value) => seen.push(`text ${JSON.stringify(value)}`),
    close: (name) => seen.push(`close ${name}`),
  });
  return seen;
}

function problem(xml: string): string {
  try {
    events(xml);
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return (error as Error).message;
  }
  throw new Error(`no error for ${xml}`);
}

describe("scanXml", () => {
  test("reports tags, attributes and text in document order", () => {
    const xml = `<?xml version="1.0"?>\n<!-- head -->\n<soapenv:Envelope xmlns:soapenv="urn:x">\n  <a id="1" name='two'>x &amp; y</a>\n  <b/>\n</soapenv:Envelope>\n`;
    expect(events(xml)).toEqual([
      'open soapenv:Envelope {"xmlns:soapenv":"urn:x"}',
      'open a {"id":"1","name":"two"}',
      'text "x & y"',
      "close a",
      "open b",
      "close b",
      "close soapenv:Envelope",
    ]);
  });

  test("decodes the five entities and character references, in text and attributes", () => {
    expect(events(`<a t="&lt;&#x41;&#66;&quot;&apos;">&gt;&#233;&#x1F600;</a>`)).toEqual([
      `open a {"t":"<AB\\"'"}`,
      `text ">é😀"`,
      "close a",
    ]);
  });

  test("passes CDATA verbatim and joins nothing itself", () => {
    expect(events(`<a>x<![CDATA[<b>&amp;</b>]]>y<!-- c -->z</a>`)).toEqual([
      "open a",
      'text "x"',
      'text "<b>&amp;</b>"',
      'text "y"',
      'text "z"',
      "close a",
    ]);
  });

  test("keeps whitespace-only content of a leaf, drops indentation between elements", () => {
    expect(events(`<a>\n  <b>  </b>\n  <c> x </c>\n</a>`)).toEqual([
      "open a",
      "open b",
      'text "  "',
      "close b",
      "open c",
      'text " x "',
      "close c",
      "close a",
    ]);
  });

  test("skips a byte-order mark and a trailing comment", () => {
    expect(events(`\ufeff<a/><!-- end -->\n`)).toEqual(["open a", "close a"]);
  });

  test.each([
    [`<a><b></a>`, "line 1, column 7: the end tag </a> does not match <b>"],
    [`<a>\n<b>text`, "line 2, column 8: the document ends inside <b> (truncated document?)"],
    [`<a x="1`, 'the value of attribute "x" is not closed'],
    [`<a x=1/>`, 'the value of attribute "x" is not quoted'],
    [`<a x="1"y="2"/>`, "attributes must be separated by whitespace"],
    [`<a x="1" x="2"/>`, 'the attribute "x" appears twice'],
    [`<a x="<"/>`, 'the value of attribute "x" holds a "<"'],
    [`<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>`, "a DTD (<!DOCTYPE>), which is refused for safety"],
    [`<a>&e;</a>`, 'an unknown entity "&e;"'],
    [`<a>&#0;</a>`, 'an unknown entity "&#0;"'],
    [`<a>a & b</a>`, "an '&' that starts no entity"],
    [`<a/><b/>`, "a second root element <b>"],
    [`text<a/>`, "text outside the root element"],
    [`</a>`, "the end tag </a> has no start tag"],
    [`<a><!-- x</a>`, "a comment that is not closed"],
    [`<a><![CDATA[x</a>`, "a CDATA section that is not closed"],
    [`<a><</a>`, 'a "<" that starts no tag'],
    [`<a/ >`, 'a "/" inside the start tag <a>'],
    [``, "no root element"],
    [`<html><body><p>Bad gateway</body></html>`, "the end tag </body> does not match <p>"],
  ])("%j is refused: %s", (xml, message) => {
    expect(problem(xml)).toContain(message);
  });

  test("refuses nesting deeper than maxDepth", () => {
    const deep = "<a>".repeat(5) + "</a>".repeat(5);
    expect(() => scanXml(deep, { open() {}, text() {}, close() {} }, { maxDepth: 4 })).toThrow(
      "elements nest deeper than 4 levels",
    );
    expect(() => scanXml(deep, { open() {}, text() {}, close() {} }, { maxDepth: 5 })).not.toThrow();
  });
});

describe("escaping", () => {
  const write = (element: XmlElement): string => {
    const attributes = Object.entries(element.attributes ?? {})
      .map(([name, value]) => ` ${name}="${escapeXmlAttribute(value)}"`)
      .join("");
    return `<${element.name}${attributes}>${escapeXmlText(element.text)}${element.children.map(write).join("")}</${element.name}>`;
  };

  test("text and attribute values survive a write and a scan, whatever they hold", () => {
    const awkward = ["a & b < c > d", "quote \" apostrophe '", "tab\tline\nreturn\r end", "]]> $ \\ é 😀", " "];
    for (const value of awkward) {
      const element: XmlElement = { name: "x", attributes: { v: value }, children: [], text: value };
      expect(parseXmlElement(write(element))).toEqual(element);
    }
  });

  test("leaves plain strings as they are", () => {
    const plain = "nothing to escape";
    expect(escapeXmlText(plain)).toBe(plain);
    expect(escapeXmlAttribute(plain)).toBe(plain);
  });
});

describe("parseXmlElement", () => {
  test("builds the tree with each element's own text", () => {
    const root = parseXmlElement(`<fault><reason>Operation Failed</reason><detail>[Cannot run VM.]</detail></fault>`);
    expect(root.name).toBe("fault");
    expect(root.children.map((child) => [child.name, child.text])).toEqual([
      ["reason", "Operation Failed"],
      ["detail", "[Cannot run VM.]"],
    ]);
  });
});
