import { describe, expect, it } from "@jest/globals";
import { NimbusError, NotFoundError, ParseError, ValidationError } from "@nimbus-sdk/common";
import {
  OneActionException,
  OneAllocateException,
  OneApiException,
  OneAuthenticationException,
  OneAuthorizationException,
  OneException,
  OneInternalException,
  OneLockedException,
  OneNoExistsException,
  OneReplicationException,
  ResponseTooLargeError,
  XmlRpcFault,
  asDouble,
  asI8,
  asInt,
  decodeMethodCall,
  decodeMethodResponse,
  decodeValue,
  encodeFault,
  encodeMethodCall,
  encodeMethodResponse,
  encodeValue,
  oneResult,
  type XmlRpcValue,
} from "../src/index.js";

const roundTrip = (value: XmlRpcValue) => decodeMethodResponse(encodeMethodResponse(value));

describe("XML-RPC round trips", () => {
  it.each<[string, XmlRpcValue]>([
    ["int", 42],
    ["negative int", -2147483648],
    ["zero", 0],
    ["true", true],
    ["false", false],
    ["double", 3.25],
    ["negative double", -0.001],
    ["string", "hello"],
    ["empty string", ""],
    ["whitespace kept", "  padded \n"],
    ["unicode", "héllo – 日本 🚀"],
    ["nil", null],
    ["array", [1, "two", false, null]],
    ["empty array", []],
    ["struct", { ID: 1, NAME: "vm", nested: { a: [1, { b: "c" }] } }],
    ["empty struct", {}],
  ])("%s", (_name, value) => {
    expect(roundTrip(value)).toEqual(value);
  });

  it("i8 and integers beyond 32 bits come back as BigInt", () => {
    expect(roundTrip(2n ** 54n)).toBe(2n ** 54n);
    expect(roundTrip(-(2n ** 63n))).toBe(-(2n ** 63n));
    expect(roundTrip(2 ** 40)).toBe(2n ** 40n);
    expect(encodeValue(2 ** 40)).toBe("<value><i8>1099511627776</i8></value>");
    expect(encodeValue(asI8(5))).toBe("<value><i8>5</i8></value>");
    expect(roundTrip(asI8(5))).toBe(5n);
  });

  it("decodes <i4> and <int> as numbers, and beyond 2^53 as BigInt", () => {
    expect(decodeValue("<value><i4>7</i4></value>")).toBe(7);
    expect(decodeValue("<value><int> -3 </int></value>")).toBe(-3);
    expect(decodeValue("<value><int>9007199254740993</int></value>")).toBe(9007199254740993n);
    expect(decodeValue("<value><ex:i8>12</ex:i8></value>")).toBe(12n);
  });

  it("refuses values outside 64 bits, and numbers beyond 2^53 that are not BigInt", () => {
    expect(() => encodeValue(2n ** 63n)).toThrow(ValidationError);
    expect(() => encodeValue(2 ** 60)).toThrow(/BigInt/);
    expect(() => encodeValue(asInt(2 ** 31))).toThrow(/32-bit/);
    expect(() => encodeValue(Number.NaN)).toThrow(ValidationError);
  });

  it("doubles: forced type, no exponent on the wire", () => {
    expect(encodeValue(asDouble(2))).toBe("<value><double>2</double></value>");
    expect(roundTrip(asDouble(2))).toBe(2);
    const tiny = encodeValue(1e-7);
    expect(tiny).toMatch(/<double>0\.0000000\d+<\/double>/);
    expect(decodeValue(tiny)).toBeCloseTo(1e-7, 20);
    expect(decodeValue("<value><double>1.5E3</double></value>")).toBe(1500);
  });

  it("base64 as Buffer", () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const back = roundTrip(bytes);
    expect(Buffer.isBuffer(back)).toBe(true);
    expect(back).toEqual(bytes);
    expect(decodeValue("<value><base64>aGVs\n bG8=</base64></value>")).toEqual(Buffer.from("hello"));
  });

  it("dateTime.iso8601 as Date (UTC when no zone)", () => {
    const date = new Date(Date.UTC(2024, 1, 29, 13, 5, 9));
    expect(encodeValue(date)).toBe("<value><dateTime.iso8601>20240229T13:05:09</dateTime.iso8601></value>");
    expect(roundTrip(date)).toEqual(date);
    expect(decodeValue("<value><dateTime.iso8601>2024-02-29T15:05:09+02:00</dateTime.iso8601></value>")).toEqual(date);
    expect(() => decodeValue("<value><dateTime.iso8601>yesterday</dateTime.iso8601></value>")).toThrow(ParseError);
  });

  it("a bare value is a string, and an empty <value/> too", () => {
    expect(decodeValue("<value>plain &amp; simple</value>")).toBe("plain & simple");
    expect(decodeValue("<value/>")).toBe("");
    expect(decodeValue("<value><string/></value>")).toBe("");
    expect(decodeValue("<value><nil></nil></value>")).toBeNull();
  });

  it("escapes < & > and keeps newlines and carriage returns", () => {
    const nasty = "a<b & c>\"d\"\nline2\r\nline3 ]]> $x \\ 'q'";
    const encoded = encodeValue(nasty);
    expect(encoded).toContain(`a&lt;b &amp; c&gt;"d"\nline2&#13;\nline3 ]]&gt;`);
    expect(roundTrip(nasty)).toBe(nasty);
    expect(roundTrip({ 'k<&"': nasty })).toEqual({ 'k<&"': nasty });
  });

  it("decodes CDATA, character references and comments", () => {
    expect(decodeValue("<value><string><![CDATA[<x>&]]>&#65;&#x42;<!-- c --></string></value>")).toBe("<x>&AB");
  });

  it("decodes a long string (a pool document, through its bytes) exactly as a short one", () => {
    const piece = "<VM><NAME>é \"q\" 'a' &amp; ✓ 𝄞</NAME></VM>\r\nline\rnext\n";
    const long = piece.repeat(Math.ceil(100_000 / piece.length));
    expect(roundTrip(long)).toBe((roundTrip(piece) as string).repeat(Math.ceil(100_000 / piece.length)));
    expect(roundTrip(long)).toBe(long);
    const refs = "&#65;&#x42;&#233;&#x1D11E;&apos;&quot;&lt;&gt;&amp;\r\n".repeat(5_000);
    const decoded = decodeValue(`<value><string>${refs}</string></value>`);
    expect(decoded).toBe("ABé𝄞'\"<>&\n".repeat(5_000));
    const bad = `<value><string>${"&lt;".repeat(20_000)}&nope;</string></value>`;
    expect(() => decodeValue(bad)).toThrow(/unknown entity "&nope;"; at offset 80015/);
    expect(() => decodeValue(`<value><string>${"é".repeat(70_000)}& x</string></value>`)).toThrow(
      /bare '&'.*at offset 70015/,
    );
  });

  it("decodes bytes as it decodes the string, leaving the Buffer alone unless told it may overwrite it", () => {
    const long = '<VM><NAME>é ✓ 𝄞 &amp; "q"</NAME></VM>\r\n'.repeat(3_000);
    const value = [true, long, 0, "short é", { "k é": [1, 2n] }];
    const text = `\uFEFF${encodeMethodResponse(value)}`;
    const bytes = Buffer.from(text, "utf8");
    const copy = Buffer.from(bytes);
    expect(decodeMethodResponse(bytes)).toEqual(decodeMethodResponse(text));
    expect(bytes.equals(copy)).toBe(true);
    expect(decodeMethodResponse(bytes, { overwrite: true })).toEqual(decodeMethodResponse(text));
    expect(bytes.equals(copy)).toBe(false);
    expect(decodeMethodCall(Buffer.from(encodeMethodCall("one.vm.info", ["s", 1])))).toEqual({
      methodName: "one.vm.info",
      params: ["s", 1],
    });
    // Offsets count bytes in bytes ("é" is two).
    expect(() => decodeValue("<value><string>é&nope;</string></value>")).toThrow(/at offset 16$/);
    expect(() =>
      decodeMethodResponse(Buffer.from("<methodResponse><params><param><value><string>é&nope;</string>")),
    ).toThrow(/at offset 48$/);
  });

  it("refuses characters XML cannot carry, naming the parameter", () => {
    expect(() => encodeMethodCall("one.vm.update", ["s", 1, "bad\u0001"])).toThrow(/params\[2\].*U\+0001/);
  });

  it("a struct member named __proto__ stays an own property", () => {
    const value = decodeValue(
      "<value><struct><member><name>__proto__</name><value><string>x</string></value></member></struct></value>",
    ) as Record<string, unknown>;
    expect(Object.hasOwn(value, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it("builds and parses a methodCall", () => {
    const xml = encodeMethodCall("one.vm.info", ["oneadmin:pass", 3, true]);
    expect(xml).toContain("<methodName>one.vm.info</methodName>");
    expect(decodeMethodCall(xml)).toEqual({ methodName: "one.vm.info", params: ["oneadmin:pass", 3, true] });
    expect(decodeMethodCall("<methodCall><methodName>system.listMethods</methodName></methodCall>")).toEqual({
      methodName: "system.listMethods",
      params: [],
    });
    expect(() => encodeMethodCall("one.vm.info</methodName>", [])).toThrow(ValidationError);
    expect(() => encodeMethodCall("one.vm.info", [undefined as unknown as XmlRpcValue])).toThrow(/params\[0\]/);
  });

  it("refuses objects that are not plain, and cycles", () => {
    expect(() => encodeValue(new Map() as unknown as XmlRpcValue)).toThrow(/Map/);
    const cyclic: Record<string, XmlRpcValue> = {};
    cyclic["self"] = cyclic;
    expect(() => encodeValue(cyclic)).toThrow(/itself/);
  });
});

describe("XML-RPC faults and bad bodies", () => {
  it("a <fault> is an XmlRpcFault, which is a OneException", () => {
    const fault = encodeFault(-506, "Method 'one.invalid.api.call' not defined");
    let error: unknown;
    try {
      decodeMethodResponse(fault);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(XmlRpcFault);
    expect(error).toBeInstanceOf(OneException);
    expect(error).toBeInstanceOf(NimbusError);
    expect((error as XmlRpcFault).faultCode).toBe(-506);
    expect((error as XmlRpcFault).faultString).toMatch(/not defined/);
  });

  it.each([
    ["truncated", encodeMethodResponse([true, "<HOST_POOL/>", 0]).slice(0, 60), /truncated/],
    ["empty", "", /empty/],
    ["not XML", "Internal Server Error", /not XML/],
    ["HTML", "<html><body><h1>502 Bad Gateway</h1></body></html>", /root element is <html>/],
    [
      "unknown type",
      "<methodResponse><params><param><value><float>1</float></value></param></params></methodResponse>",
      /unknown XML-RPC type <float>/,
    ],
    [
      "bad int",
      "<methodResponse><params><param><value><int>x1</int></value></param></params></methodResponse>",
      /not an integer/,
    ],
    [
      "mismatched tags",
      "<methodResponse><params><param><value><int>1</i4></value></param></params></methodResponse>",
      /expected <\/int>/,
    ],
    ["DTD", '<!DOCTYPE x [<!ENTITY a "b">]><methodResponse/>', /DTD/],
    [
      "unknown entity",
      "<methodResponse><params><param><value>&bomb;</value></param></params></methodResponse>",
      /unknown entity/,
    ],
    ["trailing junk", `${encodeMethodResponse(1)}<x/>`, /after the root/],
    [
      "invalid base64",
      "<methodResponse><params><param><value><base64>ab$c</base64></value></param></params></methodResponse>",
      /<base64> holds "ab\$c", not base64/,
    ],
    [
      "base64 of a bad length",
      "<methodResponse><params><param><value><base64>abc</base64></value></param></params></methodResponse>",
      /not base64/,
    ],
    [
      "a month 13",
      "<methodResponse><params><param><value><dateTime.iso8601>20241301T00:00:00</dateTime.iso8601></value></param></params></methodResponse>",
      /not a date/,
    ],
    [
      "31 February",
      "<methodResponse><params><param><value><dateTime.iso8601>20240231T00:00:00</dateTime.iso8601></value></param></params></methodResponse>",
      /not a date/,
    ],
    [
      "25 o'clock",
      "<methodResponse><params><param><value><dateTime.iso8601>20240201T25:00:00</dateTime.iso8601></value></param></params></methodResponse>",
      /not a date/,
    ],
    [
      "&#0;",
      "<methodResponse><params><param><value>a&#0;b</value></param></params></methodResponse>",
      /character reference XML refuses "&#0;"/,
    ],
    [
      "a lone surrogate",
      "<methodResponse><params><param><value>a&#xD800;b</value></param></params></methodResponse>",
      /character reference XML refuses "&#xD800;"/,
    ],
    [
      "a lone surrogate (decimal)",
      "<methodResponse><params><param><value>&#56320;</value></param></params></methodResponse>",
      /character reference XML refuses/,
    ],
    ["a body cut after <", "<methodResponse><params><param><value><", /truncated/],
    ["a body cut after </", "<methodResponse><params><param><value><int>1</int></", /truncated/],
  ])("%s body gives a ParseError naming the problem", (_name, body, message) => {
    expect(() => decodeMethodResponse(body)).toThrow(ParseError);
    expect(() => decodeMethodResponse(body)).toThrow(message);
  });

  it("a body over the limit fails with ResponseTooLargeError, before parsing", () => {
    const body = encodeMethodResponse([true, "x".repeat(10_000), 0]);
    expect(() => decodeMethodResponse(body, { maxBytes: 1000 })).toThrow(ResponseTooLargeError);
    expect(() => decodeMethodResponse(body, { maxBytes: 1000 })).toThrow(/more than the 1000-byte limit/);
  });

  it("nesting deeper than the limit is refused", () => {
    let value: XmlRpcValue = 1;
    for (let i = 0; i < 70; i++) value = [value];
    expect(() => decodeMethodResponse(encodeMethodResponse(value))).toThrow(/nested deeper than 64/);
  });
});

describe("oned's answer arrays", () => {
  it("[true, value, 0] gives the value", () => {
    expect(oneResult([true, 43, 0])).toBe(43);
    expect(oneResult(decodeMethodResponse(encodeMethodResponse([true, "<HOST_POOL/>", 0])))).toBe("<HOST_POOL/>");
  });

  it.each([
    [0x100, OneAuthenticationException],
    [0x200, OneAuthorizationException],
    [0x400, OneNoExistsException],
    [0x800, OneActionException],
    [0x1000, OneApiException],
    [0x2000, OneInternalException],
    [0x4000, OneAllocateException],
    [0x8000, OneLockedException],
    [0x10000, OneReplicationException],
    [0x7, OneException],
  ])("code %i maps to its class (4 and 5 elements)", (code, ErrorClass) => {
    for (const answer of [
      [false, "[one.vm.info] failed", code, 5],
      [false, "[one.vm.info] failed", code, 5, 123n],
    ]) {
      let error: unknown;
      try {
        oneResult(answer);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toBeInstanceOf(OneException);
      expect(error).toBeInstanceOf(NimbusError);
      const e = error as OneException;
      expect(e.errorCode).toBe(code);
      expect(e.objectId).toBe(5);
      expect(e.method).toBe("one.vm.info");
      expect(e.replicationIndex).toBe(answer.length === 5 ? 123n : undefined);
      expect(e.constructor).toBe(ErrorClass);
    }
  });

  it("OneNoExistsException is also common's NotFoundError; other classes are not", () => {
    const noExists = new OneNoExistsException("x");
    expect(noExists).toBeInstanceOf(NotFoundError);
    expect(noExists).toBeInstanceOf(OneException);
    expect(noExists).not.toBeInstanceOf(OneActionException);
    expect(new OneActionException("x")).not.toBeInstanceOf(OneNoExistsException);
    expect(new OneActionException("x")).not.toBeInstanceOf(NotFoundError);
    expect(new OneException("x")).not.toBeInstanceOf(OneAuthenticationException);
  });

  it("every class declares its own errorKind", () => {
    const classes = [
      OneException,
      OneAuthenticationException,
      OneAuthorizationException,
      OneNoExistsException,
      OneActionException,
      OneApiException,
      OneInternalException,
      OneAllocateException,
      OneLockedException,
      OneReplicationException,
      XmlRpcFault,
      ResponseTooLargeError,
    ];
    const kinds = classes.map((c) => (Object.hasOwn(c, "errorKind") ? c.errorKind : undefined));
    expect(new Set(kinds).size).toBe(classes.length);
    expect(kinds.every((k) => k?.startsWith("@nimbus-sdk/opennebula:"))).toBe(true);
  });

  it("the session never appears in the message", () => {
    const session = "oneadmin:s3cretpass";
    expect(() =>
      oneResult([false, `[one.user.login] bad session ${session} or s3cretpass`, 0x100, -1], { session }),
    ).toThrow(/bad session REDACTED or REDACTED/);
  });

  it("the recorded PyONE failure (5.x, four elements) maps to OneAuthenticationException", () => {
    expect(() =>
      oneResult([false, "[one.hostpool.info] User couldn't be authenticated, aborting call.", 256, -1]),
    ).toThrow(OneAuthenticationException);
  });

  it("an answer that is not oned's array is a ParseError", () => {
    expect(() => oneResult("hello", { method: "one.vm.info" })).toThrow(ParseError);
    expect(() => oneResult([1, 2, 3])).toThrow(/should be \[success, value, code/);
  });
});
