import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { decodeDocument } from "../src/document.js";
import { setTemplateRoot, templateRoot, templateToString } from "../src/template.js";

describe("templateToString (PyONE's cast2one, made safe)", () => {
  it('sends a flat dictionary as ATT="value" lines', () => {
    expect(templateToString({ LABELS: "HD", CPU: 0.5, MEMORY: 1024 })).toBe('LABELS="HD"\nCPU="0.5"\nMEMORY="1024"\n');
  });

  it("sends a flat dictionary whose values oned's parser cannot quote as XML, exactly", () => {
    for (const value of ['say "hi"', "C:\\dir", "$HOME", "two\nlines"]) {
      const text = templateToString({ NOTES: value, OTHER: "x" });
      expect(text.startsWith("<TEMPLATE><NOTES>")).toBe(true);
      const inner = text.slice("<TEMPLATE><NOTES>".length, text.indexOf("</NOTES>"));
      expect(
        inner
          .replace(/&quot;/g, '"')
          .replace(/&amp;/g, "&")
          .replace(/&#13;/g, "\r"),
      ).toBe(value);
    }
  });

  it("sends a nested dictionary as XML under its single root key, vectors repeated", () => {
    expect(templateToString({ TEMPLATE: { NAME: "abc", MEMORY: "1024", ATT1: "value1" } })).toBe(
      "<TEMPLATE><NAME>abc</NAME><MEMORY>1024</MEMORY><ATT1>value1</ATT1></TEMPLATE>",
    );
    expect(templateToString({ NAME: "vm", DISK: [{ IMAGE_ID: 1 }, { IMAGE_ID: 2 }], NIC: { NETWORK: "a<b" } })).toBe(
      "<TEMPLATE><NAME>vm</NAME><DISK><IMAGE_ID>1</IMAGE_ID></DISK><DISK><IMAGE_ID>2</IMAGE_ID></DISK>" +
        "<NIC><NETWORK>a&lt;b</NETWORK></NIC></TEMPLATE>",
    );
  });

  it("refuses an empty dictionary and names that are not attribute names, naming them", () => {
    expect(() => templateToString({})).toThrow(ValidationError);
    expect(() => templateToString({ "BAD NAME": "x" })).toThrow(/"BAD NAME" is not a template attribute name/);
    expect(() => templateToString({ TEMPLATE: { "<x>": "y" } })).toThrow(ValidationError);
  });

  it("carries quotes, backslashes, dollars, line breaks and markup exactly, checked by decoding what is sent", () => {
    const nasty = ['say "hi"', "C:\\dir\\", "$HOME ${X}", "two\nlines\r\nand CR\r", "a<b>&c ]]> 'q'", "é ✓ 𝄞"];
    for (const value of nasty) {
      for (const template of [{ NOTES: value }, { TEMPLATE: { NOTES: value, CONTEXT: { V: value } } }]) {
        const text = templateToString(template);
        // Values oned's quoting cannot carry go as XML; the rest as NOTES="value".
        if (/["\\$\r\n]/.test(value) || "TEMPLATE" in template) {
          expect(decodeDocument(`<HOST>${text}</HOST>`, "HOST").TEMPLATE["NOTES"]).toBe(value);
        } else {
          expect(text).toBe(`NOTES="${value}"\n`);
        }
      }
    }
  });

  it("sends repeated attributes and vectors as XML, leaving out undefined values", () => {
    expect(templateToString({ LABELS: ["a", "b"], SKIP: undefined, EMPTY: null })).toBe(
      "<TEMPLATE><LABELS>a</LABELS><LABELS>b</LABELS><EMPTY></EMPTY></TEMPLATE>",
    );
    expect(templateToString({ A: "1", SKIP: undefined })).toBe('A="1"\n');
  });

  it("a dictionary that remembers its root goes out under it, as XML, even flat or emptied", () => {
    const template = setTemplateRoot({ A: "1" } as Record<string, string>, "USER_TEMPLATE");
    expect(templateRoot(template)).toBe("USER_TEMPLATE");
    expect(Object.keys(template)).toEqual(["A"]);
    expect(JSON.stringify(template)).toBe('{"A":"1"}');
    expect(templateToString(template)).toBe("<USER_TEMPLATE><A>1</A></USER_TEMPLATE>");
    delete template["A"];
    expect(templateToString(template)).toBe("<USER_TEMPLATE></USER_TEMPLATE>");
    expect(templateRoot({})).toBeUndefined();
    expect(() => setTemplateRoot({}, "bad root")).toThrow(ValidationError);
  });
  it("refuses leaves that are not scalars (a function, a symbol, a Date) instead of stringifying them", () => {
    const leaves = [() => "x", Symbol("x"), new Date(0), new Map()];
    for (const leaf of leaves) {
      expect(() => templateToString({ NAME: leaf } as never)).toThrow(ValidationError);
      expect(() => templateToString({ TEMPLATE: { NAME: leaf } } as never)).toThrow(
        /template\.NAME must be a string, number, boolean or BigInt here, not a/,
      );
    }
  });

  it("takes only TEMPLATE and USER_TEMPLATE as roots: another single nested key is a vector in <TEMPLATE>", () => {
    expect(templateToString({ CONTEXT: { SSH_PUBLIC_KEY: "ssh-ed25519 AAA" } })).toBe(
      "<TEMPLATE><CONTEXT><SSH_PUBLIC_KEY>ssh-ed25519 AAA</SSH_PUBLIC_KEY></CONTEXT></TEMPLATE>",
    );
    expect(templateToString({ USER_TEMPLATE: { LABELS: "a" } })).toBe(
      "<USER_TEMPLATE><LABELS>a</LABELS></USER_TEMPLATE>",
    );
    expect(templateToString({ DISK: [{ IMAGE_ID: 1 }] })).toBe(
      "<TEMPLATE><DISK><IMAGE_ID>1</IMAGE_ID></DISK></TEMPLATE>",
    );
  });
});
