// XmlStreamScanner against scanXml over the whole document: the same events and the same errors, however
// the bytes are cut (one byte at a time, at random, in pieces larger than a scan piece).
import { describe, expect, test } from "@jest/globals";
import { ParseError, XmlStreamScanner, scanXml, type XmlHandler } from "../src/index.js";

function recorder(seen: string[]): XmlHandler {
  return {
    open: (name, attributes) => seen.push(`open ${name}${attributes ? ` ${JSON.stringify(attributes)}` : ""}`),
    text: (value) => seen.push(`text ${JSON.stringify(value)}`),
    close: (name) => seen.push(`close ${name}`),
  };
}

/** The events, or the error message, of scanXml over the whole document. */
function whole(xml: string): string[] {
  const seen: string[] = [];
  try {
    scanXml(xml.trimStart(), recorder(seen));
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    seen.push(`error ${(error as Error).message}`);
  }
  return seen;
}

/** The same, written to an XmlStreamScanner in the given cuts (small pieces, so that many are scanned). */
function streamed(xml: string, cut: (left: number) => number): string[] {
  const seen: string[] = [];
  const scanner = new XmlStreamScanner(recorder(seen), { pieceBytes: 256 });
  const bytes = Buffer.from(xml);
  try {
    for (let at = 0; at < bytes.length;) {
      const size = Math.max(1, Math.min(cut(bytes.length - at), bytes.length - at));
      scanner.write(bytes.subarray(at, at + size));
      at += size;
    }
    scanner.end();
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    seen.push(`error ${(error as Error).message}`);
  }
  return seen;
}

/** A seeded generator, so that a failure can be run again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const item = (i: number) =>
  `  <vm id="${i}" note='a "quoted" &amp; &lt;odd&gt; value'>\n    <name>vm-${i} é ✓</name>\n` +
  `    <!-- a comment with <tags> inside --><description><![CDATA[raw <b>${i}</b> ]]]]></description>\n` +
  `    <empty/><spaces>   </spaces>\n  </vm>\n`;
const LIST = `<?xml version="1.0" encoding="UTF-8"?>\n<vms href="/vms">\n${Array.from({ length: 40 }, (_, i) => item(i)).join("")}</vms>\n`;

describe("XmlStreamScanner", () => {
  const documents: [string, string][] = [
    ["a list of many children", LIST],
    ["an empty root", "<vms/>"],
    ["a root with text only", "<name>  x  </name>"],
    ["leading whitespace", `\n\n  ${LIST}`],
    ["a child cut short", LIST.slice(0, LIST.length - 200)],
    ["a tag not closed", LIST.replace("</name>", "</nam>")],
    ["an undeclared entity late in the document", LIST.replace("vm-35", "vm-&bogus;")],
    ["a DTD", `<!DOCTYPE vms [<!ENTITY a "b">]>${LIST}`],
  ];

  test.each(documents)("%s: the events and errors of scanXml, one byte at a time", (_, xml) => {
    expect(streamed(xml, () => 1)).toEqual(whole(xml));
  });

  test.each(documents)("%s: the same in random cuts", (_, xml) => {
    for (const seed of [1, 2, 3]) {
      const next = random(seed);
      expect(streamed(xml, () => 1 + Math.floor(next() * 700))).toEqual(whole(xml));
    }
  });

  test("an error late in the document names its line and column in the whole document", () => {
    const xml = LIST.replace("vm-35", "vm-&bogus;");
    const [message] = streamed(xml, () => 97).filter((e) => e.startsWith("error"));
    expect(message).toMatch(/at line (\d+), column (\d+)/);
    expect(message).toBe(whole(xml).at(-1));
  });

  test("invalid UTF-8 is a ParseError naming the byte's offset in the document", () => {
    const bytes = Buffer.from(LIST);
    const at = bytes.indexOf("vm-30");
    bytes[at] = 0xff;
    const scanner = new XmlStreamScanner(recorder([]), { pieceBytes: 256 });
    expect(() => {
      scanner.write(bytes);
      scanner.end();
    }).toThrow(new RegExp(`at byte ${at}$`));
  });

  test("holds only the bytes of children not yet scanned", () => {
    let opened = 0;
    const scanner = new XmlStreamScanner(
      { open: () => opened++, text: () => undefined, close: () => undefined },
      {
        pieceBytes: 1024,
      },
    );
    scanner.write(Buffer.from("<vms>"));
    for (let i = 0; i < 2000; i++) scanner.write(Buffer.from(item(i)));
    // The children were scanned while they were written, not at the end.
    expect(opened).toBeGreaterThan(1900 * 5);
    scanner.write(Buffer.from("</vms>"));
    scanner.end();
  });
});
