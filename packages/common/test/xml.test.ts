import { describe, expect, it } from "@jest/globals";
import { ParseError } from "../src/errors/index.js";
import { SafeXmlBuilder, SafeXmlParser, XML_ATTRIBUTE_PREFIX, XML_TEXT_KEY } from "../src/xml/safe-xml.js";

function parseError(run: () => unknown): ParseError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return error as ParseError;
  }
  throw new Error("expected a ParseError, nothing was thrown");
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol4;</lolz>`;

const XXE = `<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<foo>&xxe;</foo>`;

function nested(depth: number): string {
  return "<d>".repeat(depth) + "x" + "</d>".repeat(depth);
}

describe("SafeXmlParser", () => {
  it("parses elements, attributes and text beside children", () => {
    const doc = new SafeXmlParser().parse(
      `<?xml version="1.0"?><VM id="7"><NAME>web</NAME><CPU>0.5</CPU><NOTE lang="en">hi</NOTE></VM>`,
    );
    expect(doc).toEqual({
      VM: {
        [`${XML_ATTRIBUTE_PREFIX}id`]: "7",
        NAME: "web",
        CPU: "0.5",
        NOTE: { [XML_TEXT_KEY]: "hi", [`${XML_ATTRIBUTE_PREFIX}lang`]: "en" },
      },
    });
  });

  it("converts numbers and booleans only when asked", () => {
    const xml = "<r><n>42</n><b>true</b></r>";
    expect(new SafeXmlParser().parse(xml)).toEqual({ r: { n: "42", b: "true" } });
    expect(new SafeXmlParser({ parseValues: true }).parse(xml)).toEqual({ r: { n: 42, b: true } });
  });

  it("drops namespace prefixes when asked", () => {
    const xml = `<soap:Envelope xmlns:soap="urn:s"><soap:Body><x>1</x></soap:Body></soap:Envelope>`;
    expect(new SafeXmlParser().parse(xml)).toMatchObject({ "soap:Envelope": { "soap:Body": { x: "1" } } });
    expect(new SafeXmlParser({ removeNamespacePrefix: true }).parse(xml)).toMatchObject({
      Envelope: { Body: { x: "1" } },
    });
  });

  it("makes the named elements arrays even when one came back", () => {
    const one = "<VM_POOL><VM><ID>1</ID></VM></VM_POOL>";
    const two = "<VM_POOL><VM><ID>1</ID></VM><VM><ID>2</ID></VM></VM_POOL>";
    const seen: string[] = [];
    const parser = new SafeXmlParser({
      isArray: (name, path) => {
        seen.push(path);
        return name === "VM";
      },
    });
    expect(parser.parse(one)).toEqual({ VM_POOL: { VM: [{ ID: "1" }] } });
    expect(parser.parse(two)).toEqual({ VM_POOL: { VM: [{ ID: "1" }, { ID: "2" }] } });
    expect(seen).toContain("VM_POOL.VM");
    expect(new SafeXmlParser().parse(one)).toEqual({ VM_POOL: { VM: { ID: "1" } } });
  });

  it("never makes attributes arrays", () => {
    const parser = new SafeXmlParser({ isArray: () => true });
    expect(parser.parse(`<r id="1"><c>2</c></r>`)).toEqual({ r: [{ [`${XML_ATTRIBUTE_PREFIX}id`]: "1", c: ["2"] }] });
  });

  it("decodes the five predefined entities and character references", () => {
    const doc = new SafeXmlParser().parse(
      `<r a="&lt;&amp;&quot;&#65;">&lt;&gt;&amp;&quot;&apos; &#65;&#x42;&#x1F600; &amp;lt; &amp;#65;</r>`,
    );
    expect(doc).toEqual({
      r: { [XML_TEXT_KEY]: `<>&"' AB\u{1F600} &lt; &#65;`, [`${XML_ATTRIBUTE_PREFIX}a`]: `<&"A` },
    });
  });

  it.each([
    ["validating", true],
    ["not validating", false],
  ])("refuses an entity-expansion bomb (%s)", (_label, validate) => {
    const error = parseError(() => new SafeXmlParser({ validate }).parse(BILLION_LAUGHS));
    expect(error.message).toMatch(/DTD/);
    expect(error.message).not.toContain("lollollol");
    expect(error.bodyExcerpt).toBeDefined();
    expect(error.bodyExcerpt).not.toContain("lollollol");
  });

  it.each([
    ["validating", true],
    ["not validating", false],
  ])("refuses an external entity (%s)", (_label, validate) => {
    const error = parseError(() => new SafeXmlParser({ validate }).parse(XXE));
    expect(error.message).toMatch(/DTD/);
    expect(error.message).not.toMatch(/root:/);
  });

  it("refuses a DTD whatever its case or place", () => {
    parseError(() => new SafeXmlParser().parse(`<!doctype r><r/>`));
    parseError(() =>
      new SafeXmlParser().parse(Buffer.from(`<?xml version="1.0"?>\n  <!DocType r SYSTEM "x.dtd"><r/>`)),
    );
  });

  it("leaves an undeclared entity reference as text, not expanded", () => {
    expect(new SafeXmlParser().parse("<r>&xxe;</r>")).toEqual({ r: "&xxe;" });
  });

  it("refuses a document larger than maxBytes, counting bytes not characters", () => {
    const xml = `<r>${"é".repeat(60)}</r>`; // 67 characters, 127 bytes
    expect(parseError(() => new SafeXmlParser({ maxBytes: 100 }).parse(xml)).message).toMatch(/127 bytes.*100-byte/);
    parseError(() => new SafeXmlParser({ maxBytes: 100 }).parse(Buffer.from(xml)));
    expect(new SafeXmlParser({ maxBytes: 127 }).parse(xml)).toEqual({ r: "é".repeat(60) });
  });

  it("refuses a document nested deeper than maxDepth", () => {
    expect(new SafeXmlParser({ maxDepth: 1 }).parse("<a>x</a>")).toEqual({ a: "x" });
    parseError(() => new SafeXmlParser({ maxDepth: 1 }).parse("<a><b>x</b></a>"));
    expect(new SafeXmlParser({ maxDepth: 10 }).parse(nested(10))).toBeDefined();
    parseError(() => new SafeXmlParser({ maxDepth: 10 }).parse(nested(11)));
    parseError(() => new SafeXmlParser({ maxDepth: 10, validate: false }).parse(nested(11)));
    // The default limit is 100.
    expect(new SafeXmlParser().parse(nested(100))).toBeDefined();
    parseError(() => new SafeXmlParser().parse(nested(101)));
  });

  it.each([
    ["a truncated document", "<VM><ID>1</ID><NAME>we"],
    ["an unclosed element", "<VM><ID>1</ID>"],
    ["an open attribute quote", `<VM id="1><ID>1</ID></VM>`],
    ["mismatched tags", "<a><b></a></b>"],
  ])("gives a ParseError for %s", (_label, xml) => {
    const error = parseError(() => new SafeXmlParser().parse(xml));
    expect(error.message).toMatch(/malformed XML/);
    expect(error.bodyExcerpt).toBeTruthy();
  });

  it("keeps a secret of a malformed document out of the ParseError's excerpt", () => {
    const xml = "<methodResponse><params><param><value><string>oneadmin:XML-SECRET</string></value></param>";
    const error = parseError(() => new SafeXmlParser().parse(xml));
    expect(error.bodyExcerpt).toContain("<methodResponse><params>");
    expect(JSON.stringify(error)).not.toContain("XML-SECRET");
    expect(error.message).not.toContain("XML-SECRET");
  });

  it("accepts a Buffer", () => {
    expect(new SafeXmlParser().parse(Buffer.from("<r>é</r>"))).toEqual({ r: "é" });
  });
});

describe("SafeXmlBuilder", () => {
  it("escapes <, & and quotes in text and attributes", () => {
    const xml = new SafeXmlBuilder().build({
      r: { [`${XML_ATTRIBUTE_PREFIX}q`]: `a<b & "c"`, [XML_TEXT_KEY]: `x<y & "z" </r><evil/>` },
    });
    expect(xml).toBe(`<r q="a&lt;b &amp; &quot;c&quot;">x&lt;y &amp; &quot;z&quot; &lt;/r&gt;&lt;evil/&gt;</r>`);
  });

  it("round-trips through the parser", () => {
    const document = {
      VM: {
        [`${XML_ATTRIBUTE_PREFIX}id`]: `7 "quoted" <&>`,
        NAME: `web <1> & 'co' "x"`,
        DISKS: {
          DISK: [
            { ID: "0", SIZE: "10" },
            { ID: "1", SIZE: "20" },
          ],
        },
        NOTE: { [XML_TEXT_KEY]: "a&b", [`${XML_ATTRIBUTE_PREFIX}lang`]: "e<n" },
      },
    };
    const xml = new SafeXmlBuilder().build(document);
    expect(new SafeXmlParser().parse(xml)).toEqual(document);
    const formatted = new SafeXmlBuilder({ format: true }).build(document);
    expect(formatted).toContain("\n");
    expect(new SafeXmlParser().parse(formatted)).toEqual(document);
  });

  it("writes an empty element as self-closing", () => {
    expect(new SafeXmlBuilder().build({ r: { e: "" } })).toBe("<r><e/></r>");
  });
});
