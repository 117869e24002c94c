import { describe, expect, it } from "@jest/globals";
import { inspect } from "node:util";
import { REDACTED, Redactor, hideSecrets } from "../src/logging/redact.js";

const redactor = new Redactor();
const SECRETS = ["hunter2", "s3cr3t", "tok-123", "key-456", "sig-789", "sess-abc", "cookie-val"];

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe("Redactor.url", () => {
  it("drops user info", () => {
    const shown = redactor.url("https://admin:hunter2@cloud.example.com:8443/v2/servers");
    expect(shown).toBe("https://cloud.example.com:8443/v2/servers");
    expectNoSecret(shown);
  });

  it("redacts unknown query parameters and keeps allow-listed ones", () => {
    const shown = redactor.url(
      "https://swift.example.com/v1/AUTH_x/c/o?temp_url_sig=sig-789&temp_url_expires=1700000000&limit=10&api_key=key-456&Marker=m1",
    );
    const query = new URL(shown).searchParams;
    expect(query.get("temp_url_sig")).toBe(REDACTED);
    expect(query.get("temp_url_expires")).toBe(REDACTED);
    expect(query.get("api_key")).toBe(REDACTED);
    expect(query.get("limit")).toBe("10");
    expect(query.get("Marker")).toBe("m1");
    expectNoSecret(shown);
  });

  it("accepts URL objects and leaves a URL without query alone", () => {
    expect(redactor.url(new URL("http://h/x?token=tok-123"))).toBe(`http://h/x?token=${REDACTED}`);
    expect(redactor.url("http://h:8080/a/b")).toBe("http://h:8080/a/b");
  });

  it("hides a string that is not a URL", () => {
    expect(redactor.url("not a url ?token=tok-123")).toBe(REDACTED);
  });
});

describe("Redactor.headers", () => {
  it("redacts credentials and keeps safe headers", () => {
    const shown = redactor.headers({
      Authorization: "Bearer tok-123",
      "X-Auth-Token": "tok-123",
      "x-subject-token": "tok-123",
      Cookie: "session=cookie-val",
      "set-cookie": ["a=cookie-val", "b=cookie-val"],
      "Content-Type": "application/json",
      "x-request-id": "req-1",
      "Retry-After": "5",
      "X-Unknown": "whatever",
      "content-length": undefined,
    });
    expect(shown).toEqual({
      Authorization: REDACTED,
      "X-Auth-Token": REDACTED,
      "x-subject-token": REDACTED,
      Cookie: REDACTED,
      "set-cookie": REDACTED,
      "Content-Type": "application/json",
      "x-request-id": "req-1",
      "Retry-After": "5",
      "X-Unknown": REDACTED,
    });
  });

  it("passes a Location header through the URL redaction", () => {
    const shown = redactor.headers({
      location: "https://user:hunter2@swift.example.com/v1/o?temp_url_sig=sig-789&limit=5",
    });
    expectNoSecret(shown.location!);
    expect(shown.location).toBe(`https://swift.example.com/v1/o?temp_url_sig=${REDACTED}&limit=5`);
  });
});

describe("Redactor.body: JSON", () => {
  it("redacts secrets at any depth and in arrays, keeping safe keys", () => {
    const body = {
      auth: { passwordCredentials: { username: "admin", password: "hunter2" }, token: { id: "tok-123" } },
      servers: [
        { id: "s1", name: "web", adminPass: "s3cr3t", metadata: { api_key: "key-456" } },
        { id: "s2", name: "db", status: "ACTIVE" },
      ],
      error: { message: "quota exceeded", code: 413 },
      count: 2,
      enabled: true,
      deleted: null,
    };
    const shown = redactor.body(JSON.stringify(body), "application/json");
    expectNoSecret(shown);
    expect(JSON.parse(shown)).toEqual({
      auth: { passwordCredentials: { username: REDACTED, password: REDACTED }, token: { id: REDACTED } },
      servers: [
        { id: "s1", name: "web", adminPass: REDACTED, metadata: { api_key: REDACTED } },
        { id: "s2", name: "db", status: "ACTIVE" },
      ],
      error: { message: "quota exceeded", code: 413 },
      count: 2,
      enabled: true,
      deleted: null,
    });
  });

  it("hides allow-listed names whose direct parent is named like a secret", () => {
    const body = {
      token: { id: "tok-123", name: "t", user: { id: "u1", name: "admin" } },
      credentials: [{ name: "s3cr3t" }],
      session: { uuid: "sess-abc" },
      server: { id: "s1", name: "web" },
    };
    expect(JSON.parse(redactor.body(JSON.stringify(body), "application/json"))).toEqual({
      token: { id: REDACTED, name: REDACTED, user: { id: "u1", name: "admin" } },
      credentials: [{ name: REDACTED }],
      session: { uuid: REDACTED },
      server: { id: "s1", name: "web" },
    });
  });

  it("redacts every item of an array under an unknown key, including primitives", () => {
    const shown = redactor.body(JSON.stringify({ tokens: ["tok-123", "s3cr3t"], errors: ["bad name"] }), "");
    expect(JSON.parse(shown)).toEqual({ tokens: [REDACTED, REDACTED], errors: ["bad name"] });
  });

  it("redacts a top-level string and recognises JSON by its first character", () => {
    expect(redactor.body(JSON.stringify("tok-123"), "application/json")).toBe(JSON.stringify(REDACTED));
    expect(JSON.parse(redactor.body(' [{"password":"hunter2"}]', "text/plain"))).toEqual([{ password: REDACTED }]);
  });

  it("does not show JSON that does not parse (truncated)", () => {
    const truncated = JSON.stringify({ name: "x", password: "hunter2" }).slice(0, 30);
    const shown = redactor.body(truncated, "application/json");
    expectNoSecret(shown);
    expect(shown).toMatch(/does not parse, not shown/);
    expect(shown).toContain(`${truncated.length} characters`);
  });
});

describe("Redactor.body: XML", () => {
  it("redacts element text and attributes, keeping safe elements", () => {
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?>` +
      `<auth xmlns="urn:x" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Creds">` +
      `<user name="admin" password="hunter2" id="u1"/>` +
      `<token expires='2030-01-01' value='tok-123'>tok-123</token>` +
      `<ns:secret>s3cr3t</ns:secret>` +
      `<status>ok</status><ns:message>all good</ns:message>` +
      `</auth>`;
    const shown = redactor.body(xml, "application/xml");
    expectNoSecret(shown);
    expect(shown).toContain(`<?xml version="1.0" encoding="UTF-8"?>`);
    expect(shown).toContain(`xmlns="urn:x"`);
    expect(shown).toContain(`xsi:type="Creds"`);
    expect(shown).toContain(`<user name="admin" password="${REDACTED}" id="u1"/>`);
    expect(shown).toContain(`<token expires='${REDACTED}' value='${REDACTED}'>${REDACTED}</token>`);
    expect(shown).toContain(`<ns:secret>${REDACTED}</ns:secret>`);
    expect(shown).toContain("<status>ok</status>");
    expect(shown).toContain("<ns:message>all good</ns:message>");
  });

  it("hides allow-listed elements and attributes under a secret-named element", () => {
    const shown = redactor.body(
      `<r><token id="tok-123"><id>tok-123</id></token><apiKey name="key-456"/><server id="s1"><id>s1</id></server></r>`,
      "application/xml",
    );
    expectNoSecret(shown);
    expect(shown).toBe(
      `<r><token id="${REDACTED}"><id>${REDACTED}</id></token><apiKey name="${REDACTED}"/>` +
        `<server id="s1"><id>s1</id></server></r>`,
    );
  });

  it("redacts CDATA under an unknown element and keeps it under a safe one", () => {
    const shown = redactor.body(
      "<r><password><![CDATA[hunter2]]></password><message><![CDATA[a < b]]></message></r>",
      "text/xml",
    );
    expect(shown).toBe(`<r><password><![CDATA[${REDACTED}]]></password><message><![CDATA[a < b]]></message></r>`);
  });

  it("recognises XML by its first character when there is no content type", () => {
    expect(redactor.body("<password>hunter2</password>")).toBe(`<password>${REDACTED}</password>`);
  });

  it("keeps redacting a truncated document", () => {
    expect(redactor.body("<auth><password>hunt", "application/xml")).toBe(`<auth><password>${REDACTED}`);
    // Cut inside a tag that sits under a safe element: the half tag must not be shown.
    const cut = `<error><message>denied</message><credentials user="admin" password="hunt`;
    const shown = redactor.body(cut, "application/xml");
    expect(shown).not.toContain("hunt");
    expect(shown).toContain("<message>denied</message>");
  });

  it("does not take a quoted '>' as the end of a tag", () => {
    const shown = redactor.body(`<message title="a>b" token="tok-123">hi</message>`, "application/xml");
    expectNoSecret(shown);
    expect(shown).toContain(">hi</message>");
  });

  it("does not show comments", () => {
    const shown = redactor.body("<error><message>no<!-- token tok-123 --></message></error>", "application/xml");
    expectNoSecret(shown);
  });
});

describe("Redactor.body: HTML", () => {
  it("shows headings and paragraphs of an error page, not other text", () => {
    const html =
      "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>" +
      "<div>upstream tok-123</div><p>try later</p></body></html>";
    const shown = redactor.body(html, "text/html; charset=utf-8");
    expectNoSecret(shown);
    expect(shown).toContain("<title>502 Bad Gateway</title>");
    expect(shown).toContain("<h1>Bad Gateway</h1>");
    expect(shown).toContain("<p>try later</p>");
  });

  it("is not misled by void elements such as <br>", () => {
    const html = "<html><body><p>Error<br>see below</p>session=sess-abc</body></html>";
    const shown = redactor.body(html, "text/html");
    expectNoSecret(shown);
    // Text after the <br> is judged by <br> (not allow-listed); after </p>, by <body> again, not by <p>.
    expect(shown).toBe(`<html><body><p>Error<br>${REDACTED}</p>${REDACTED}</body></html>`);
  });

  it("redacts unquoted attribute values", () => {
    const shown = redactor.body(`<form><input type=hidden id=f1 value=tok-123></form>`, "text/html");
    expectNoSecret(shown);
    expect(shown).toContain("id=f1");
  });
});

describe("Redactor.body: XML-RPC", () => {
  const call =
    `<?xml version="1.0"?>` +
    `<methodCall><methodName>one.vm.allocate</methodName><params>` +
    `<param><value><string>oneadmin:sess-abc</string></value></param>` +
    `<param><value><struct>` +
    `<member><name>password</name><value><string>hunter2</string></value></member>` +
    `<member><name>NAME</name><value><string>web-1</string></value></member>` +
    `<member><name>ID</name><value><i4>42</i4></value></member>` +
    `<member><name>token</name><value>tok-123</value></member>` +
    `<member><name>TEMPLATE</name><value><struct>` +
    `<member><name>STATE</name><value><int>3</int></value></member>` +
    `<member><name>api_key</name><value><string>key-456</string></value></member>` +
    `</struct></value></member>` +
    `</struct></value></param>` +
    `<param><value><int>7</int></value></param>` +
    `<param><value><boolean>1</boolean></value></param>` +
    `<param><value><double>0.5</double></value></param>` +
    `<param><value><array><data><value><i8>9</i8></value><value><string>s3cr3t</string></value></data></array></value></param>` +
    `</params></methodCall>`;
  const shown = redactor.body(call, "text/xml");

  it("redacts the session string of the first param", () => {
    expectNoSecret(shown);
    expect(shown).toContain(`<param><value><string>${REDACTED}</string></value></param>`);
    expect(shown).toContain("<methodName>one.vm.allocate</methodName>");
  });

  it("judges a struct member's value by the member's name", () => {
    expect(shown).toContain(`<member><name>password</name><value><string>${REDACTED}</string></value></member>`);
    expect(shown).toContain(`<member><name>NAME</name><value><string>web-1</string></value></member>`);
    expect(shown).toContain(`<member><name>ID</name><value><i4>42</i4></value></member>`);
    expect(shown).toContain(`<member><name>token</name><value>${REDACTED}</value></member>`);
    expect(shown).toContain(`<member><name>STATE</name><value><int>3</int></value></member>`);
    expect(shown).toContain(`<member><name>api_key</name><value><string>${REDACTED}</string></value></member>`);
  });

  it("keeps numbers and booleans of params and arrays visible, strings not", () => {
    expect(shown).toContain("<param><value><int>7</int></value></param>");
    expect(shown).toContain("<param><value><boolean>1</boolean></value></param>");
    expect(shown).toContain("<param><value><double>0.5</double></value></param>");
    expect(shown).toContain(`<data><value><i8>9</i8></value><value><string>${REDACTED}</string></value></data>`);
  });

  it("does not lend one member's name to the next", () => {
    const body =
      `<struct><member><name>NAME</name><value><string>web-1</string></value></member>` +
      `<member><value><string>hunter2</string></value><name>password</name></member></struct>`;
    const out = redactor.body(body, "text/xml");
    expectNoSecret(out);
    expect(out).toContain("web-1");
  });
});

describe("Redactor.body: forms and other types", () => {
  it("redacts form values that are not allow-listed", () => {
    const shown = redactor.body(
      "grant_type=password&username=admin&password=hunter2&name=web+1&client_secret=s3cr3t",
      "application/x-www-form-urlencoded; charset=utf-8",
    );
    expectNoSecret(shown);
    const form = new URLSearchParams(shown);
    expect(form.get("password")).toBe(REDACTED);
    expect(form.get("client_secret")).toBe(REDACTED);
    expect(form.get("username")).toBe(REDACTED);
    expect(form.get("name")).toBe("web 1");
  });

  it("describes an unknown content type by its size only", () => {
    const shown = redactor.body("password=hunter2", "text/plain");
    expect(shown).toBe("[16 characters of text/plain, not shown]");
    expect(redactor.body("hunter2")).toBe("[7 characters of unknown type, not shown]");
    expect(redactor.body("", "application/octet-stream")).toBe("");
  });

  it("cuts a long excerpt at maxLength and says how long it was", () => {
    const body = JSON.stringify({ message: "x".repeat(100) });
    const shown = redactor.body(body, "application/json", 20);
    expect(shown).toBe(`${body.slice(0, 20)}… (${body.length} characters)`);
  });
});

describe("Redactor allow-list", () => {
  it("is widened by extend, case-insensitively, without changing the original", () => {
    const wider = redactor.extend({
      headers: ["X-OpenStack-Request-ID"],
      queryParams: ["Tenant_Id"],
      bodyKeys: ["FLAVOR"],
    });
    expect(wider.headers({ "x-openstack-request-id": "req-1" })).toEqual({ "x-openstack-request-id": "req-1" });
    expect(redactor.headers({ "x-openstack-request-id": "req-1" })).toEqual({ "x-openstack-request-id": REDACTED });
    expect(wider.url("http://h/x?tenant_id=t1&token=tok-123")).toBe(`http://h/x?tenant_id=t1&token=${REDACTED}`);
    expect(JSON.parse(wider.body('{"flavor":"m1","password":"hunter2"}', "application/json"))).toEqual({
      flavor: "m1",
      password: REDACTED,
    });
    expect(wider.body("<flavor>m1</flavor>", "text/xml")).toBe("<flavor>m1</flavor>");
    expect(redactor.body("<flavor>m1</flavor>", "text/xml")).toBe(`<flavor>${REDACTED}</flavor>`);
    // The defaults survive the widening, and a second extend keeps the first one's names.
    const wider2 = wider.extend({ bodyKeys: ["zone"] });
    expect(JSON.parse(wider2.body('{"flavor":"m1","zone":"z","id":"1"}', "application/json"))).toEqual({
      flavor: "m1",
      zone: "z",
      id: "1",
    });
  });

  it("takes extra names in the constructor", () => {
    const custom = new Redactor({ bodyKeys: ["Flavor"] });
    expect(custom.body("flavor=m1&pw=hunter2", "application/x-www-form-urlencoded")).toBe(`flavor=m1&pw=${REDACTED}`);
  });
});

describe("hideSecrets", () => {
  class Inner {
    constructor(readonly password = "hunter2") {}
  }
  hideSecrets(Inner, ["password"]);
  class Client {
    readonly user = "alice";
    apikey: string | undefined = "key-456";
    readonly settings = { region: "north", token: "tok-123", nested: [{ token: "tok-123" }] };
    readonly inner = new Inner();
  }
  hideSecrets(Client, ["apikey", "token"]);
  class Chosen {
    readonly password = "s3cr3t";
    toJSON() {
      return { chosen: true };
    }
  }
  hideSecrets(Chosen, ["password"]);

  it("hides the named fields in inspect output, even with showHidden, and in JSON", () => {
    const client = new Client();
    const shown = inspect(client, { depth: Infinity, showHidden: true });
    const json = JSON.stringify(client);
    expectNoSecret(shown);
    expectNoSecret(json);
    expect(shown).toMatch(/^Client \{/);
    expect(shown).toContain("alice");
    expect(shown).toContain("north");
    expect(shown).toContain(REDACTED);
    expect(JSON.parse(json)).toEqual({
      user: "alice",
      apikey: REDACTED,
      settings: { region: "north", token: REDACTED, nested: [{ token: REDACTED }] },
      inner: { password: REDACTED },
    });
  });

  it("shows an instance that refers to itself once", () => {
    class Looped {
      readonly apikey = "key-456";
      readonly children: { parent: Looped }[] = [];
    }
    hideSecrets(Looped, ["apikey"]);
    const looped = new Looped();
    looped.children.push({ parent: looped });
    const shown = inspect(looped, { depth: Infinity, showHidden: true });
    expect(shown).toContain("[Circular Looped]");
    expectNoSecret(shown);
  });

  it("shows an unset secret as unset, and keeps a class's own toJSON", () => {
    const client = new Client();
    client.apikey = undefined;
    expect(inspect(client)).toContain("apikey: undefined");
    expect(JSON.stringify(new Chosen())).toBe('{"chosen":true}');
    expectNoSecret(inspect(new Chosen(), { showHidden: true }));
  });
});
