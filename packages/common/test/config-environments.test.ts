import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import {
  ConfigEnvironments,
  ConfigError,
  ValidationError,
  defineSettings,
  expandHome,
  type Logger,
  type SettingDefinition,
} from "../src/index.js";

// The table the openstack package declares for pyrax's ~/.pyrax.cfg; common itself knows none of it.
const PYRAX_SETTINGS = defineSettings([
  { name: "identity_type", type: "string", env: "CLOUD_ID_TYPE", description: "rackspace or keystone" },
  { name: "auth_endpoint", type: "string", env: "CLOUD_AUTH_ENDPOINT", description: "identity service URL" },
  { name: "keyring_username", type: "string", env: "CLOUD_KEYRING_USER", description: "keyring user name" },
  { name: "region", type: "string", env: "CLOUD_REGION", description: "region to connect to" },
  { name: "tenant_id", type: "string", env: "CLOUD_TENANT_ID", description: "tenant id" },
  { name: "tenant_name", type: "string", env: "CLOUD_TENANT_NAME", description: "tenant name" },
  { name: "encoding", type: "string", default: "utf-8", env: "CLOUD_ENCODING", description: "text encoding" },
  { name: "custom_user_agent", type: "string", env: "CLOUD_USER_AGENT", description: "user agent prefix" },
  {
    name: "debug",
    type: "boolean",
    default: false,
    env: "CLOUD_DEBUG",
    aliases: ["http_debug"],
    description: "print HTTP traffic",
  },
  { name: "verify_ssl", type: "boolean", default: true, env: "CLOUD_VERIFY_SSL", description: "check TLS certs" },
  { name: "use_servicenet", type: "boolean", default: false, env: "USE_SERVICENET", description: "internal net" },
]);
const CREDENTIAL_KEYS = ["username", "password", "api_key"];

function collectingLogger(): Logger & { warnings: string[]; debugs: string[] } {
  const warnings: string[] = [];
  const debugs: string[] = [];
  return {
    warnings,
    debugs,
    debug: (m) => debugs.push(m),
    info: () => undefined,
    warn: (m) => warnings.push(m),
    error: () => undefined,
  };
}

describe("ConfigEnvironments", () => {
  let dir: string;
  let logger: ReturnType<typeof collectingLogger>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "nimbus-config-"));
    logger = collectingLogger();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function withFile(text: string, env: Record<string, string> = {}, name = "pyrax.cfg") {
    const path = join(dir, name);
    writeFileSync(path, text);
    return new ConfigEnvironments(PYRAX_SETTINGS, { path, env, logger, credentialKeys: CREDENTIAL_KEYS });
  }

  it("takes the file over the environment variable over the default", () => {
    const settings = withFile("[default]\nregion = ORD\nverify_ssl = False\n", {
      CLOUD_REGION: "DFW",
      CLOUD_TENANT_NAME: "demo",
      CLOUD_VERIFY_SSL: "true",
    });
    expect(settings.get("region")).toBe("ORD");
    expect(settings.source("region")).toMatchObject({ kind: "file", section: "default", key: "region", line: 2 });
    expect(settings.get("tenant_name")).toBe("demo");
    expect(settings.source("tenant_name")).toEqual({ kind: "env", variable: "CLOUD_TENANT_NAME" });
    expect(settings.get("verify_ssl")).toBe(false);
    expect(settings.get("encoding")).toBe("utf-8");
    expect(settings.source("encoding")).toEqual({ kind: "default" });
    expect(settings.get("tenant_id")).toBeUndefined();
    expect(settings.source("tenant_id")).toEqual({ kind: "unset" });
  });

  it("lets set() win over everything for the session without touching the file", () => {
    const settings = withFile("[default]\nregion = ORD\n", { CLOUD_REGION: "DFW" });
    settings.set("region", "SYD");
    expect(settings.get("region")).toBe("SYD");
    expect(settings.source("region")).toEqual({ kind: "set" });
    settings.reload();
    expect(settings.get("region")).toBe("ORD");
  });

  it("works from variables and defaults alone when there is no file", () => {
    const settings = new ConfigEnvironments(PYRAX_SETTINGS, {
      path: join(dir, "absent.cfg"),
      env: { CLOUD_DEBUG: "1", CLOUD_ID_TYPE: "keystone" },
      logger,
    });
    expect(settings.loaded).toBe(false);
    expect(settings.listEnvironments()).toEqual(["default"]);
    expect(settings.environment).toBe("default");
    expect(settings.get("debug")).toBe(true);
    expect(settings.get("identity_type")).toBe("keystone");
    expect(settings.get("verify_ssl")).toBe(true);
  });

  it("reads the environment variables at each get", () => {
    const env: Record<string, string> = {};
    const settings = new ConfigEnvironments(PYRAX_SETTINGS, { env, logger });
    expect(settings.get("region")).toBeUndefined();
    env.CLOUD_REGION = "IAD";
    expect(settings.get("region")).toBe("IAD");
  });

  describe("choice of the default environment", () => {
    it("takes the section named default", () => {
      const settings = withFile("[public]\nregion = ORD\n[default]\nregion = DFW\n");
      expect(settings.listEnvironments()).toEqual(["default", "public"]);
      expect(settings.get("region")).toBe("DFW");
    });

    it("else the legacy section named settings, which is not listed under its own name", () => {
      const settings = withFile("[public]\nregion = ORD\n[settings]\nregion = LON\n");
      expect(settings.listEnvironments()).toEqual(["default", "public"]);
      expect(settings.get("region")).toBe("LON");
      expect(() => settings.setEnvironment("settings")).toThrow(ConfigError);
    });

    it("else the first section, which then answers to both names", () => {
      const settings = withFile("[private]\nregion = RegionOne\n[public]\nregion = ORD\n");
      expect(settings.listEnvironments()).toEqual(["default", "private", "public"]);
      expect(settings.environment).toBe("default");
      expect(settings.get("region")).toBe("RegionOne");
      // One environment under two names, as in pyrax: a change through one shows through the other.
      settings.set("region", "RegionTwo", "private");
      expect(settings.get("region", "default")).toBe("RegionTwo");
    });

    it("prefers default to settings when both are present; settings is then an ordinary environment", () => {
      const settings = withFile("[settings]\nregion = LON\n[default]\nregion = DFW\n");
      expect(settings.listEnvironments()).toEqual(["default", "settings"]);
      expect(settings.get("region")).toBe("DFW");
      expect(settings.get("region", "settings")).toBe("LON");
    });
  });

  it("switches environments, reads and writes others, and reports the change", () => {
    const changes: string[] = [];
    const path = join(dir, "pyrax.cfg");
    writeFileSync(
      path,
      "[private]\nidentity_type = keystone\ndebug = True\n[public]\nidentity_type = rackspace\nverify_ssl = False\n",
    );
    const settings = new ConfigEnvironments(PYRAX_SETTINGS, {
      path,
      env: {},
      logger,
      onEnvironmentChange: (now, before) => changes.push(`${before}->${now}`),
    });
    expect(settings.get("identity_type")).toBe("keystone");
    expect(settings.get("identity_type", "public")).toBe("rackspace");
    settings.setEnvironment("public");
    expect(settings.getEnvironment()).toBe("public");
    expect(settings.get("identity_type")).toBe("rackspace");
    expect(settings.get("verify_ssl")).toBe(false);
    expect(settings.get("debug")).toBe(false);
    settings.environment = "private";
    expect(settings.get("debug")).toBe(true);
    settings.set("region", "ORD", "public");
    expect(settings.get("region")).toBeUndefined();
    expect(settings.get("region", "public")).toBe("ORD");
    expect(changes).toEqual(["default->public", "public->private"]);
    expect(new ConfigEnvironments(PYRAX_SETTINGS, { path, env: {}, logger, environment: "public" }).environment).toBe(
      "public",
    );
  });

  it("names the known environments when asked for an unknown one", () => {
    const settings = withFile("[private]\n[public]\n");
    for (const call of [
      () => settings.setEnvironment("staging"),
      () => settings.get("region", "staging"),
      () => settings.set("region", "ORD", "staging"),
    ]) {
      expect(call).toThrow(ConfigError);
      expect(call).toThrow(
        /unknown environment 'staging' in .*pyrax\.cfg; known environments: default, private, public/,
      );
    }
    expect(settings.environment).toBe("default");
  });

  it("names the known settings when asked for an unknown one", () => {
    const settings = withFile("[default]\n");
    // @ts-expect-error -- not in the table
    expect(() => settings.get("regoin")).toThrow(
      /unknown setting 'regoin'; known settings: identity_type, .*use_servicenet/,
    );
    // @ts-expect-error -- not in the table
    expect(() => settings.set("password", "x")).toThrow(ConfigError);
  });

  it("types get and set by the table", () => {
    const settings = withFile("[default]\n");
    const verify: boolean = settings.get("verify_ssl");
    const region: string | undefined = settings.get("region");
    expect([verify, region]).toEqual([true, undefined]);
    // @ts-expect-error -- a boolean setting takes a boolean
    expect(() => settings.set("debug", "yes")).toThrow(ValidationError);
    expect(() => settings.set("debug", "yes" as unknown as boolean)).toThrow(
      expect.objectContaining({ field: "debug", message: "setting 'debug' takes a boolean, not \"yes\"" }),
    );
    const values = settings.values();
    expect(values).toMatchObject({ verify_ssl: true, encoding: "utf-8", debug: false });
  });

  it("parses booleans as ConfigParser's getboolean, and an empty boolean as unset", () => {
    const cases: [string, boolean][] = [
      ["True", true],
      ["true", true],
      ["YES", true],
      ["on", true],
      ["1", true],
      ["False", false],
      ["no", false],
      ["Off", false],
      ["0", false],
    ];
    for (const [text, expected] of cases) {
      expect(withFile(`[default]\ndebug = ${text}\n`).get("debug")).toBe(expected);
      expect(new ConfigEnvironments(PYRAX_SETTINGS, { env: { CLOUD_DEBUG: text } }).get("debug")).toBe(expected);
    }
    expect(withFile("[default]\nverify_ssl =\n", { CLOUD_VERIFY_SSL: "no" }).get("verify_ssl")).toBe(false);
    expect(withFile("[default]\ncustom_user_agent =\n", { CLOUD_USER_AGENT: "App/1" }).get("custom_user_agent")).toBe(
      "",
    );
  });

  it("reads the old name of a setting, the new name winning", () => {
    expect(withFile("[default]\nhttp_debug = True\n").get("debug")).toBe(true);
    expect(withFile("[default]\nhttp_debug = True\ndebug = False\n").get("debug")).toBe(false);
    // A section's own key, under any name, wins over what it inherits from [DEFAULT].
    expect(withFile("[DEFAULT]\ndebug = False\n[default]\nhttp_debug = True\n").get("debug")).toBe(true);
  });

  it("rejects a value of the wrong type, naming file, section, key and line", () => {
    expect(() => withFile("[private]\n[public]\n\nverify_ssl = maybe\n")).toThrow(ConfigError);
    expect(() => withFile("[private]\n[public]\n\nverify_ssl = maybe\n")).toThrow(
      /pyrax\.cfg, section \[public\], key 'verify_ssl' \(line 4\): 'maybe' is not a boolean/,
    );
    const settings = withFile("[default]\n", { CLOUD_DEBUG: "sometimes" });
    expect(() => settings.get("debug")).toThrow(/environment variable CLOUD_DEBUG: 'sometimes' is not a boolean/);
  });

  it("reads numbers", () => {
    const table = defineSettings([
      { name: "timeout", type: "number", default: 30, env: "T", description: "seconds" },
      { name: "retries", type: "number", description: "how many" },
    ]);
    const path = join(dir, "n.cfg");
    writeFileSync(path, "[default]\ntimeout = 2.5\nretries = 3\n[bad]\nretries = three\n");
    expect(() => new ConfigEnvironments(table, { path, env: {} })).toThrow(/\[bad\], key 'retries' .*not a number/);
    writeFileSync(path, "[default]\ntimeout = 2.5\nretries = 3\n");
    const settings = new ConfigEnvironments(table, { path, env: { T: "1e3" } });
    const timeout: number = settings.get("timeout");
    expect(timeout).toBe(2.5);
    expect(settings.get("retries")).toBe(3);
    expect(new ConfigEnvironments(table, { env: { T: "1e3" } }).get("timeout")).toBe(1000);
  });

  it("lets every environment inherit [DEFAULT], which is not an environment", () => {
    const settings = withFile("[DEFAULT]\nregion = DFW\n[private]\n[public]\nregion = ORD\n");
    expect(settings.listEnvironments()).toEqual(["default", "private", "public"]);
    expect(settings.get("region", "private")).toBe("DFW");
    expect(settings.get("region", "public")).toBe("ORD");
    expect(settings.source("region", "private")).toMatchObject({ kind: "file", section: "DEFAULT", line: 2 });
  });

  it("expands ~ in the path", () => {
    writeFileSync(join(dir, ".pyrax.cfg"), "[default]\nregion = HKG\n");
    const settings = new ConfigEnvironments(PYRAX_SETTINGS, { path: "~/.pyrax.cfg", homedir: dir, env: {}, logger });
    expect(settings.path).toBe(join(dir, ".pyrax.cfg"));
    expect(settings.get("region")).toBe("HKG");
    expect(expandHome("~", dir)).toBe(dir);
    expect(expandHome("~/a/b", dir)).toBe(join(dir, "a", "b"));
    expect(expandHome("/etc/~/x", dir)).toBe("/etc/~/x");
    expect(expandHome("~other/x", dir)).toBe("~other/x");
  });

  it("expands ~ against HOME by default", () => {
    const saved = process.env.HOME;
    process.env.HOME = dir;
    try {
      writeFileSync(join(dir, ".pyrax.cfg"), "[default]\nregion = SYD\n");
      expect(new ConfigEnvironments(PYRAX_SETTINGS, { path: "~/.pyrax.cfg", env: {}, logger }).get("region")).toBe(
        "SYD",
      );
    } finally {
      process.env.HOME = saved;
    }
  });

  it("warns once, naming keys but never values, when credentials sit in the config file", () => {
    const settings = withFile(
      "[private]\nusername = joe\npassword = s3cr3t-pw\n[public]\napi_key = k3y-v4lue\nregion = ORD\n",
      {},
      "creds-in-config.cfg",
    );
    expect(logger.warnings).toHaveLength(1);
    const [warning] = logger.warnings;
    expect(warning).toMatch(/credentials found in config file .*creds-in-config\.cfg/);
    expect(warning).toContain("[private] username, [private] password, [public] api_key");
    expect(warning).not.toMatch(/joe|s3cr3t|k3y/);
    // The credentials are not settings: ignored, and the rest of the file still counts.
    expect(settings.get("region", "public")).toBe("ORD");
    settings.reload();
    expect(logger.warnings).toHaveLength(1);
  });

  it("warns about a secret setting in the config file and never shows its value", () => {
    const table = defineSettings([
      { name: "apikey", type: "string", env: "TUTUM_APIKEY", secret: true, description: "API key" },
      { name: "strict", type: "boolean", secret: true, description: "a secret flag" },
    ]);
    const path = join(dir, "tutum.cfg");
    writeFileSync(path, "[default]\napikey = abcdef123456\n");
    const settings = new ConfigEnvironments(table, { path, env: {}, logger });
    expect(settings.get("apikey")).toBe("abcdef123456");
    expect(logger.warnings).toEqual([expect.stringContaining("[default] apikey")]);
    expect(logger.warnings.join("\n")).not.toContain("abcdef123456");
    writeFileSync(path, "[default]\nstrict = hunter2\n");
    expect(() => settings.reload()).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("hunter2") }),
    );
    expect(() => settings.set("apikey", 42 as unknown as string)).toThrow(
      expect.objectContaining({ message: "setting 'apikey' takes a string, not the value" }),
    );
  });

  it("notes keys that are not settings at debug level", () => {
    withFile("[default]\nverify_sls = False\n");
    expect(logger.debugs).toEqual([expect.stringContaining("key 'verify_sls' of section [default] is not a setting")]);
  });

  it("keeps the environment across a reload while the file still defines it", () => {
    const settings = withFile("[private]\n[public]\nregion = ORD\n");
    settings.setEnvironment("public");
    writeFileSync(join(dir, "pyrax.cfg"), "[private]\n[public]\nregion = IAD\n");
    settings.reload();
    expect([settings.environment, settings.get("region")]).toEqual(["public", "IAD"]);
    writeFileSync(join(dir, "pyrax.cfg"), "[private]\n");
    settings.reload();
    expect(settings.environment).toBe("default");
    expect(logger.warnings).toEqual([expect.stringContaining("environment 'public' is no longer in")]);
  });

  it("reports a malformed file with its path and line", () => {
    expect(() => withFile("[default]\nregion ORD\n")).toThrow(/pyrax\.cfg, line 2: expected `key = value`/);
    expect(() => new ConfigEnvironments(PYRAX_SETTINGS, { path: dir, env: {} })).toThrow(
      /cannot read config file .*EISDIR/,
    );
  });

  it("rejects a table that cannot work", () => {
    const bad: SettingDefinition[][] = [
      [{ name: "verifySSL", type: "boolean", description: "x" }],
      [
        { name: "debug", type: "boolean", description: "x" },
        { name: "trace", type: "boolean", aliases: ["debug"], description: "y" },
      ],
      [{ name: "debug", type: "boolean", default: "no" as unknown as boolean, description: "x" }],
    ];
    for (const table of bad) expect(() => new ConfigEnvironments(table)).toThrow(ValidationError);
  });
});
