import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { templateToString } from "../src/template.js";

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
});
