import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { ConfigError, readCredentialFile, type CredentialSectionDefinition, type Logger } from "../src/index.js";

// The credential-file sections the openstack package declares, after pyrax's set_credential_file.
const PYRAX_CREDENTIALS = [
  { section: "keystone", keys: [{ name: "username" }, { name: "password" }, { name: "tenant_id" }] },
  { section: "rackspace_cloud", keys: [{ name: "username" }, { name: "api_key", aliases: ["password"] }] },
] as const satisfies readonly CredentialSectionDefinition[];

const posix = process.platform !== "win32";

describe("readCredentialFile", () => {
  let dir: string;
  let warnings: string[];
  let logger: Logger;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "nimbus-creds-"));
    warnings = [];
    logger = { debug: () => undefined, info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function credFile(text: string, mode = 0o600, name = "creds"): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    chmodSync(path, mode);
    return path;
  }

  it("reads a keystone file into a typed object", () => {
    const path = credFile("[keystone]\nusername = myusername\npassword = top%secret;#\ntenant_id = abcdef\n");
    const creds = readCredentialFile(path, PYRAX_CREDENTIALS, { logger });
    expect(creds).toEqual({
      path,
      section: "keystone",
      values: { username: "myusername", password: "top%secret;#", tenant_id: "abcdef" },
    });
    if (creds.section === "keystone") {
      const tenant: string = creds.values.tenant_id;
      expect(tenant).toBe("abcdef");
    }
    expect(warnings).toEqual([]);
  });

  it("reads a rackspace file, taking password when api_key is absent", () => {
    const a = readCredentialFile(credFile("[rackspace_cloud]\nusername = joe\napi_key = 0123abc\n"), PYRAX_CREDENTIALS);
    expect(a).toMatchObject({ section: "rackspace_cloud", values: { username: "joe", api_key: "0123abc" } });
    const b = readCredentialFile(credFile("[rackspace_cloud]\nusername = joe\npassword = pw\n"), PYRAX_CREDENTIALS);
    expect(b.values).toEqual({ username: "joe", api_key: "pw" });
  });

  it("leaves an optional key undefined", () => {
    const sections = [
      { section: "cloud", keys: [{ name: "username" }, { name: "domain", required: false }] },
    ] as const satisfies readonly CredentialSectionDefinition[];
    const creds = readCredentialFile(credFile("[cloud]\nusername = joe\n"), sections);
    const domain: string | undefined = creds.values.domain;
    expect(domain).toBeUndefined();
  });

  it("expands ~", () => {
    credFile("[keystone]\nusername = u\npassword = p\ntenant_id = t\n", 0o600, ".rax_creds");
    const creds = readCredentialFile("~/.rax_creds", PYRAX_CREDENTIALS, { homedir: dir, logger });
    expect(creds.path).toBe(join(dir, ".rax_creds"));
  });

  it("names the path of a missing file", () => {
    const path = join(dir, "nope");
    expect(() => readCredentialFile(path, PYRAX_CREDENTIALS)).toThrow(ConfigError);
    expect(() => readCredentialFile(path, PYRAX_CREDENTIALS)).toThrow(`credential file ${path} does not exist`);
  });

  it("names the sections it wanted and those it found", () => {
    const path = credFile("[openstack]\nusername = u\n");
    expect(() => readCredentialFile(path, PYRAX_CREDENTIALS)).toThrow(
      `credential file ${path} has no [keystone] or [rackspace_cloud] section (it has [openstack])`,
    );
  });

  it("names a missing or empty key, never a value", () => {
    const path = credFile("[keystone]\nusername = joe\npassword = s3cret\ntenant_id =\n");
    expect(() => readCredentialFile(path, PYRAX_CREDENTIALS)).toThrow(
      `credential file ${path}, section [keystone]: missing key 'tenant_id'`,
    );
    const rax = credFile("[rackspace_cloud]\nusername = joe\n");
    expect(() => readCredentialFile(rax, PYRAX_CREDENTIALS)).toThrow(/missing key 'api_key' or 'password'/);
  });

  it("reports a malformed line with path and line number, without the line", () => {
    const path = credFile("[keystone]\nusername = joe\npassword s3cret\n");
    expect(() => readCredentialFile(path, PYRAX_CREDENTIALS)).toThrow(`${path}, line 3: expected`);
    expect(() => readCredentialFile(path, PYRAX_CREDENTIALS)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("s3cret") }),
    );
  });

  (posix ? it : it.skip)("warns once when others can read the file, with the chmod to run and no secret", () => {
    const path = credFile("[keystone]\nusername = joe\npassword = s3cret\ntenant_id = t1\n", 0o644);
    const creds = readCredentialFile(path, PYRAX_CREDENTIALS, { logger });
    expect(creds.values.username).toBe("joe");
    expect(warnings).toEqual([
      `credential file ${path} is accessible to other users (mode 0644); run: chmod 600 '${path}'`,
    ]);
    readCredentialFile(path, PYRAX_CREDENTIALS, { logger });
    expect(warnings).toHaveLength(1);
    expect(warnings.join("\n")).not.toMatch(/joe|s3cret|t1\b/);
  });

  (posix ? it : it.skip)("says nothing about a file only its owner can read", () => {
    const path = credFile("[keystone]\nusername = u\npassword = p\ntenant_id = t\n", 0o400);
    readCredentialFile(path, PYRAX_CREDENTIALS, { logger });
    expect(warnings).toEqual([]);
  });
});
