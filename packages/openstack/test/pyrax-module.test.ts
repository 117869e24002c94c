// The module object and contexts with pyrax's flows, over the Rackspace fake (documented v2.0 shapes;
// no Rackspace server can run here). The same flows against the real Keystone are in pyrax-keystone.test.ts.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Keyring, NotFoundError, type KeyringBackend, type Logger } from "@nimbus-sdk/common";
import {
  CloudFiles,
  CloudServers,
  EnvironmentNotFound,
  FileNotFound,
  InvalidCredentialFile,
  InvalidSetting,
  KeyringPasswordNotFound,
  KeyringUsernameMissing,
  NoEndpointForRegion,
  Pyrax,
} from "../src/index.js";
import { FAKE_USER, startFakeIdentity, type FakeIdentity } from "./helpers/fake-identity.js";

/** A keyring backend kept in memory: the real keyring is tested in common against gnome-keyring. */
function memoryKeyring(entries: Record<string, string>): Keyring {
  const backend: KeyringBackend = {
    name: "memory",
    getPassword: async (service, account) => entries[`${service}/${account}`] ?? null,
    setPassword: async (service, account, password) => void (entries[`${service}/${account}`] = password),
    deletePassword: async (service, account) => delete entries[`${service}/${account}`],
  };
  return new Keyring({ backend });
}

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe("the pyrax module object (Rackspace flows, against the v2.0 fake)", () => {
  let fake: FakeIdentity;
  let dir: string;
  beforeAll(async () => {
    fake = await startFakeIdentity();
    dir = mkdtempSync(join(tmpdir(), "nimbus-pyrax-"));
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function moduleWith(config: string, options: { keyring?: Keyring } = {}): Pyrax {
    const configPath = join(dir, `pyrax-${Math.random().toString(36).slice(2)}.cfg`);
    writeFileSync(configPath, config);
    return new Pyrax({ configPath, env: {}, logger: quiet, ...options });
  }

  const RACKSPACE_CFG = () =>
    `[default]\nidentity_type = rackspace\nauth_endpoint = ${fake.url}/v2.0/\nregion = ORD\n\n` +
    `[private]\nidentity_type = keystone\nauth_endpoint = http://127.0.0.1:1/v3\nregion = RegionOne\n`;

  it("has no clients before authentication even without an auth_endpoint", async () => {
    const pyrax = moduleWith("[default]\nidentity_type = keystone\n");
    expect(pyrax.cloudfiles).toBeNull();
    expect(pyrax.images).toBeNull();
    await pyrax.close();
  });

  it("has no clients before authentication, then the default region's", async () => {
    const pyrax = moduleWith(RACKSPACE_CFG());
    expect(pyrax.cloudfiles).toBeNull();
    expect(pyrax.images).toBeNull();
    expect(pyrax.identity.authenticated).toBe(false);
    await pyrax.setCredentials(FAKE_USER.username, FAKE_USER.apiKey);
    expect(pyrax.identity.authenticated).toBe(true);
    expect(pyrax.identity.token).toBe(fake.issued.at(-1));
    expect(pyrax.identity.expires).toBeInstanceOf(Date);
    expect(Object.keys(pyrax.identity.services)).toContain("objectStore");
    expect(pyrax.cloudfiles).toBeInstanceOf(CloudFiles);
    expect(pyrax.cloudfiles!.endpoint.href).toBe(`${fake.url}/store/ord/`);
    // The fake's catalog has no image service.
    expect(pyrax.images).toBeNull();
    const dfw = await pyrax.connectToCloudfiles({ region: "DFW" });
    expect(dfw.endpoint.href).toBe(`${fake.url}/store/dfw/`);
    expect((await pyrax.connectToCloudfiles({ region: "DFW", public: false })).endpoint.href).toBe(
      `${fake.url}/store/dfw-internal/`,
    );
    await pyrax.close();
  });

  it("names every pyrax service; before authentication each client is null, as in pyrax", async () => {
    const pyrax = moduleWith(RACKSPACE_CFG());
    expect(pyrax.cloudLoadbalancers).toBeNull();
    expect(pyrax.cloudDatabases).toBeNull();
    expect(pyrax.cloudDns).toBeNull();
    await pyrax.close();
  });

  it("has cloudservers null before authentication and a client of the catalog's endpoint after", async () => {
    const pyrax = moduleWith(RACKSPACE_CFG());
    expect(pyrax.cloudservers).toBeNull();
    expect(pyrax.cloudNetworks).toBeNull();
    expect(pyrax.cloudBlockstorage).toBeNull();
    pyrax.setDefaultRegion("DFW");
    await pyrax.setCredentials(FAKE_USER.username, FAKE_USER.apiKey);
    expect(pyrax.cloudservers).toBeInstanceOf(CloudServers);
    // This catalog has no network or volume service: as in pyrax, their clients stay None.
    expect(pyrax.cloudNetworks).toBeNull();
    expect(pyrax.cloudBlockstorage).toBeNull();
    const dfw = await pyrax.connectToCloudservers({ region: "DFW", microversion: "2.1" });
    expect(dfw).toBe(pyrax.cloudservers);
    await expect(pyrax.connectToCloudservers({ region: "ORD" })).rejects.toThrow(NoEndpointForRegion);
    expect(pyrax.utils.randomAscii(8)).toMatch(/^[A-Za-z]{8}$/);
    expect(new pyrax.exceptions.NotFound("x")).toBeInstanceOf(NotFoundError);
    await pyrax.close();
  });

  it("reads settings and environments from the config file, and switches environment", async () => {
    const pyrax = moduleWith(RACKSPACE_CFG());
    expect(pyrax.listEnvironments()).toEqual(["default", "private"]);
    expect(pyrax.getEnvironment()).toBe("default");
    expect(pyrax.getSetting("region")).toBe("ORD");
    expect(pyrax.getSetting("verify_ssl")).toBe(true);
    await pyrax.setCredentials(FAKE_USER.username, FAKE_USER.apiKey);
    pyrax.setEnvironment("private");
    // As in pyrax, switching environment drops the credentials of the previous cloud.
    expect(pyrax.identity.authenticated).toBe(false);
    expect(pyrax.getSetting("identity_type")).toBe("keystone");
    expect(pyrax.getSetting("region")).toBe("RegionOne");
    expect(() => pyrax.setEnvironment("staging")).toThrow(EnvironmentNotFound);
    // @ts-expect-error: not a setting
    expect(() => pyrax.getSetting("colour")).toThrow(InvalidSetting);
    pyrax.setSetting("region", "DFW");
    expect(pyrax.getSetting("region")).toBe("DFW");
    await pyrax.close();
  });

  it("authenticates against the new auth_endpoint after setEnvironment or setSetting", async () => {
    // Two environments of the same identity type: only the endpoint differs.
    const pyrax = moduleWith(
      `[default]\nidentity_type = rackspace\nauth_endpoint = http://127.0.0.1:1/v2.0/\n\n` +
        `[fake]\nidentity_type = rackspace\nauth_endpoint = ${fake.url}/v2.0/\n`,
    );
    expect(pyrax.identity.authEndpoint).toBe("http://127.0.0.1:1/v2.0/");
    pyrax.setEnvironment("fake");
    expect(pyrax.identity.authEndpoint).toBe(`${fake.url}/v2.0/`);
    await pyrax.setCredentials(FAKE_USER.username, FAKE_USER.apiKey);
    expect(pyrax.identity.authenticated).toBe(true);
    pyrax.setSetting("auth_endpoint", "http://127.0.0.1:2/v2.0/");
    expect(pyrax.identity.authEndpoint).toBe("http://127.0.0.1:2/v2.0/");
    await pyrax.close();
  });

  it("prints HTTP traffic with setHttpDebug, never the API key, password or token", async () => {
    const lines: string[] = [];
    const capture: Logger = { ...quiet, debug: (message: string) => void lines.push(message) };
    const configPath = join(dir, `pyrax-debug.cfg`);
    writeFileSync(configPath, RACKSPACE_CFG());
    const pyrax = new Pyrax({ configPath, env: {}, logger: capture });
    pyrax.setHttpDebug(true);
    await pyrax.setCredentials(FAKE_USER.username, FAKE_USER.apiKey);
    await pyrax.setCredentials(FAKE_USER.username, undefined, { password: FAKE_USER.password });
    const output = lines.join("\n");
    expect(output).toContain("/v2.0/tokens");
    expect(output).not.toContain(FAKE_USER.apiKey);
    expect(output).not.toContain(FAKE_USER.password);
    for (const token of fake.issued) expect(output).not.toContain(token);
    await pyrax.close();
  });

  it("reads a [rackspace_cloud] credential file, and names a missing or broken one", async () => {
    const pyrax = moduleWith(RACKSPACE_CFG());
    const creds = join(dir, "rax_creds");
    writeFileSync(creds, `[rackspace_cloud]\nusername = ${FAKE_USER.username}\napi_key = ${FAKE_USER.apiKey}\n`);
    chmodSync(creds, 0o600);
    await pyrax.setCredentialFile(creds);
    expect(pyrax.identity.authenticated).toBe(true);
    await expect(pyrax.setCredentialFile(join(dir, "nope"))).rejects.toBeInstanceOf(FileNotFound);
    const broken = join(dir, "broken");
    writeFileSync(broken, "[keystone]\nusername = x\n");
    chmodSync(broken, 0o600);
    await expect(pyrax.setCredentialFile(broken)).rejects.toBeInstanceOf(InvalidCredentialFile);
    await pyrax.close();
  });

  it("takes the API key from the keyring (service pyrax), or says what is missing", async () => {
    const keyring = memoryKeyring({ [`pyrax/${FAKE_USER.username}`]: FAKE_USER.apiKey });
    const pyrax = moduleWith(RACKSPACE_CFG(), { keyring });
    await expect(pyrax.keyringAuth()).rejects.toBeInstanceOf(KeyringUsernameMissing);
    await expect(pyrax.keyringAuth("somebody-else")).rejects.toBeInstanceOf(KeyringPasswordNotFound);
    await pyrax.keyringAuth(FAKE_USER.username);
    expect(pyrax.identity.authenticated).toBe(true);
    pyrax.clearCredentials();
    pyrax.setSetting("keyring_username", FAKE_USER.username);
    await pyrax.keyringAuth();
    expect(pyrax.identity.authenticated).toBe(true);
    await pyrax.close();
  });

  it("starts a new identity when verify_ssl or the CA changes, and uses clouds.yaml's cacert", async () => {
    const pyrax = moduleWith(RACKSPACE_CFG());
    await pyrax.setCredentials(FAKE_USER.username, FAKE_USER.apiKey);
    const before = pyrax.identity;
    pyrax.setSetting("verify_ssl", false);
    expect(pyrax.identity).not.toBe(before);
    expect(pyrax.identity.authenticated).toBe(false);
    await pyrax.close();

    const yaml = join(dir, "clouds-ca.yaml");
    writeFileSync(
      yaml,
      `clouds:\n  private:\n    cacert: ${join(dir, "no-such-ca.pem")}\n    auth:\n      auth_url: ${fake.url}/v3\n` +
        `      username: u\n      password: p\n      project_name: x\n`,
    );
    const fromYaml = new Pyrax({
      configPath: join(dir, "none.cfg"),
      env: { OS_CLIENT_CONFIG_FILE: yaml },
      logger: quiet,
    });
    await expect(fromYaml.connectToCloud("private")).rejects.toThrow(/no-such-ca\.pem/);
    await fromYaml.close();
  });

  it("creates independent contexts with region attributes", async () => {
    const pyrax = moduleWith(RACKSPACE_CFG(), {
      keyring: memoryKeyring({ [`pyrax/${FAKE_USER.username}`]: FAKE_USER.apiKey }),
    });
    const ctx = pyrax.createContext("rackspace");
    await ctx.keyringAuth(FAKE_USER.username);
    expect(ctx.regions).toEqual(["DFW", "ORD"]);
    expect(ctx.DFW!.objectStore.client).toBeInstanceOf(CloudFiles);
    expect(ctx.DFW!.objectStore.client.endpoint.href).toBe(`${fake.url}/store/dfw/`);
    expect(ctx.ORD!.objectStore.client.region).toBe("ORD");
    expect(ctx.DFW!.compute.client).toBeInstanceOf(CloudServers);
    expect(ctx.DFW!.compute.client.endpoint.href).toBe(`${fake.url}/compute/dfw/`);
    expect(() => ctx.ORD!.compute.client).toThrow(NoEndpointForRegion);
    // The module itself stays logged out: a context has its own identity.
    expect(pyrax.identity.authenticated).toBe(false);
    await ctx.close();
    await pyrax.close();
  });
});
