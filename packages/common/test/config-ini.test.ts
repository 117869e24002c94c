import { describe, expect, it } from "@jest/globals";
import { ConfigError, IniDocument } from "../src/index.js";

describe("IniDocument", () => {
  it("reads sections, both delimiters, comments and lowercased keys", () => {
    const doc = IniDocument.parse(
      [
        "# a comment",
        "; another",
        "[private]",
        "Identity_Type = keystone",
        "region: RegionOne",
        "auth_endpoint = http://192.168.0.1:5000/v2.0/",
        "custom_user_agent =",
        "",
        "[public]",
        "  region   =   ORD  ",
      ].join("\r\n"),
      "pyrax.cfg",
    );
    expect(doc.sectionNames()).toEqual(["private", "public"]);
    expect(doc.get("private", "identity_type")).toEqual({ value: "keystone", line: 4 });
    expect(doc.get("private", "IDENTITY_TYPE")?.value).toBe("keystone");
    expect(doc.get("private", "region")?.value).toBe("RegionOne");
    // The key ends at the first delimiter; the value keeps the rest, colons included.
    expect(doc.get("private", "auth_endpoint")?.value).toBe("http://192.168.0.1:5000/v2.0/");
    expect(doc.get("private", "custom_user_agent")?.value).toBe("");
    expect(doc.get("public", "region")).toEqual({ value: "ORD", line: 10 });
    expect(doc.get("public", "identity_type")).toBeUndefined();
    expect(doc.get("missing", "region")).toBeUndefined();
  });

  it("keeps `#` and `;` inside values, as Python 3's ConfigParser", () => {
    const doc = IniDocument.parse("[s]\npassword = a;b #c\n");
    expect(doc.get("s", "password")?.value).toBe("a;b #c");
  });

  it("joins indented continuation lines", () => {
    const doc = IniDocument.parse("[s]\nmotd = first\n  second\n\n  third\n# note\nnext = 1\n\n");
    expect(doc.get("s", "motd")?.value).toBe("first\nsecond\n\nthird");
    expect(doc.get("s", "next")?.value).toBe("1");
  });

  it("lets every section inherit [DEFAULT], which is not a section", () => {
    const doc = IniDocument.parse("[DEFAULT]\nregion = DFW\n[a]\n[b]\nregion = ORD\n");
    expect(doc.sectionNames()).toEqual(["a", "b"]);
    expect(doc.hasSection("DEFAULT")).toBe(false);
    expect(doc.get("a", "region")).toEqual({ value: "DFW", line: 2 });
    expect(doc.get("b", "region")?.value).toBe("ORD");
    expect(doc.keys("a")).toEqual(["region"]);
  });

  it.each([
    ["key = value\n[s]\n", /cfg, line 1: a setting before the first \[section\] header/],
    ["[s]\njust words\n", /cfg, line 2: expected `key = value`/],
    ["[s]\n= value\n", /cfg, line 2: a value with no key/],
    ["[s]\n[s]\n", /cfg, line 2: section \[s\] appears twice/],
    ["[s]\nA = 1\na = 2\n", /cfg, line 3: key 'a' appears twice in section \[s\]/],
    ["[ ]\n", /cfg, line 1: empty section name/],
  ])("rejects a malformed file with its name and line: %j", (text, message) => {
    expect(() => IniDocument.parse(text, "/home/u/.pyrax.cfg")).toThrow(ConfigError);
    expect(() => IniDocument.parse(text, "/home/u/.pyrax.cfg")).toThrow(message);
  });

  it("never quotes the malformed line, which may hold a password", () => {
    expect(() => IniDocument.parse("[keystone]\nhunter2hunter2\n", "creds")).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("hunter2") }),
    );
  });
});
