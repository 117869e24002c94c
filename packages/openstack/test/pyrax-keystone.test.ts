// pyrax's flows against the real Keystone, Swift and Glance (Debian's packages on 127.0.0.1).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type Logger } from "@nimbus-sdk/common";
import { startKeyringSession, type KeyringSession } from "@nimbus-sdk/common/testing";
import {
  AuthenticationFailed,
  CloudFiles,
  Images,
  KeystoneIdentity,
  NoEndpointForRegion,
  NotAuthenticated,
  Pyrax,
} from "../src/index.js";
import { startServer, type OpenStackTestServer } from "../src/testing/index.js";

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe("pyrax flows on a real Keystone v3 with Swift and Glance", () => {
  let cloud: OpenStackTestServer;
  let dir: string;
  beforeAll(async () => {
    // Tokens live 8 s, so the renewal test outlives several of them in half a minute.
    cloud = await startServer({ tokenExpiration: 8 });
    dir = mkdtempSync(join(tmpdir(), "nimbus-pyrax-ks-"));
  }, 240_000);
  afterAll(async () => {
    await cloud?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  function keystoneModule(extra = ""): Pyrax {
    const configPath = join(dir, `pyrax-${Math.random().toString(36).slice(2)}.cfg`);
    writeFileSync(configPath, `[default]\nidentity_type = keystone\nauth_endpoint = ${cloud.url}\n${extra}`);
    return new Pyrax({ configPath, env: {}, logger: quiet });
  }

  it("authenticates by project name and domain, and reads the catalog", async () => {
    const pyrax = keystoneModule();
    const { username, password, projectName } = cloud.credentials;
    await pyrax.setCredentials(username, password, { tenantName: projectName });
    expect(pyrax.identity).toBeInstanceOf(KeystoneIdentity);
    expect(pyrax.identity.authenticated).toBe(true);
    expect(pyrax.identity.tenantId).toBe(cloud.credentials.projectId);
    expect(pyrax.identity.regions).toEqual([cloud.region]);
    expect(Object.keys(pyrax.identity.services)).toEqual(expect.arrayContaining(["objectStore", "image", "identity"]));
    expect(pyrax.cloudfiles).toBeInstanceOf(CloudFiles);
    expect(pyrax.cloudfiles!.endpoint.href).toBe(`${cloud.swiftUrl}/v1/AUTH_${cloud.credentials.projectId}/`);
    expect(pyrax.images).toBeInstanceOf(Images);
    await expect(pyrax.connectToCloudfiles({ region: "Nowhere" })).rejects.toBeInstanceOf(NoEndpointForRegion);
    await pyrax.close();
  }, 30_000);

  it("authenticates by project id, and refuses a wrong password naming the user only", async () => {
    const pyrax = keystoneModule();
    const { username, password, projectId } = cloud.credentials;
    await pyrax.setCredentials(username, password, { tenantId: projectId });
    expect(pyrax.identity.tenantName).toBe(cloud.credentials.projectName);
    const error = await pyrax
      .setCredentials(username, "not-the-password", { tenantId: projectId })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationFailed);
    expect((error as Error).message).toContain(`user ${username}`);
    expect((error as Error).message).not.toContain("not-the-password");
    await pyrax.close();
  }, 30_000);

  it("uses a token from authWithToken until it expires, then says it cannot renew it", async () => {
    const issuer = keystoneModule();
    const { username, password, projectName } = cloud.credentials;
    await issuer.setCredentials(username, password, { tenantName: projectName });
    const pyrax = keystoneModule();
    await pyrax.authWithToken(issuer.identity.token!, { tenantName: projectName });
    expect(pyrax.identity.authenticated).toBe(true);
    const containers = await pyrax.cloudfiles!.listContainerNames();
    expect(Array.isArray(containers)).toBe(true);
    await new Promise((r) => setTimeout(r, Math.max(0, pyrax.identity.expires!.getTime() - Date.now()) + 200));
    await expect(pyrax.cloudfiles!.listContainerNames()).rejects.toBeInstanceOf(NotAuthenticated);
    await Promise.all([issuer.close(), pyrax.close()]);
  }, 30_000);

  it("keeps a loop of calls going across several token lifetimes without one error", async () => {
    const pyrax = keystoneModule();
    const { username, password, projectName } = cloud.credentials;
    await pyrax.setCredentials(username, password, { tenantName: projectName });
    const cf = pyrax.cloudfiles!;
    await cf.createContainer("renewal");
    const tokens = new Set<string>();
    const started = Date.now();
    let calls = 0;
    while (Date.now() - started < 26_000) {
      await cf.storeObject("renewal", `o-${calls % 5}`, `call ${calls}`);
      tokens.add(pyrax.identity.token!);
      calls++;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(tokens.size).toBeGreaterThanOrEqual(3);
    expect(calls).toBeGreaterThan(50);
    await pyrax.close();
  }, 60_000);

  it("connects from clouds.yaml and from OS_* variables, as openstacksdk users configure it", async () => {
    const c = cloud.credentials;
    const yaml = join(dir, "clouds.yaml");
    writeFileSync(
      yaml,
      `clouds:\n  local:\n    region_name: ${cloud.region}\n    auth:\n      auth_url: ${cloud.url}\n` +
        `      username: ${c.username}\n      password: "${c.password}"\n      project_name: ${c.projectName}\n` +
        `      user_domain_name: Default\n      project_domain_name: Default\n`,
    );
    const fromYaml = new Pyrax({
      configPath: join(dir, "none.cfg"),
      env: { OS_CLIENT_CONFIG_FILE: yaml },
      logger: quiet,
    });
    await fromYaml.connectToCloud("local");
    expect(fromYaml.identity.tenantId).toBe(c.projectId);
    expect(fromYaml.cloudfiles).toBeInstanceOf(CloudFiles);
    const fromEnv = new Pyrax({
      configPath: join(dir, "none.cfg"),
      env: {
        OS_AUTH_URL: cloud.url,
        OS_USERNAME: c.username,
        OS_PASSWORD: c.password,
        OS_PROJECT_NAME: c.projectName,
        OS_USER_DOMAIN_NAME: "Default",
        OS_PROJECT_DOMAIN_NAME: "Default",
        OS_REGION_NAME: cloud.region,
      },
      logger: quiet,
    });
    await fromEnv.connectToCloud();
    expect(fromEnv.identity.tenantId).toBe(c.projectId);
    await Promise.all([fromYaml.close(), fromEnv.close()]);
  }, 30_000);

  describe("keyringAuth with the password Python's keyring stored (a real gnome-keyring)", () => {
    let session: KeyringSession;
    beforeAll(async () => {
      session = await startKeyringSession();
    }, 30_000);
    afterAll(() => session?.stop());

    it("reads pyrax's key as pyrax users stored it, and authenticates", () => {
      const { username, password, projectName, projectId } = cloud.credentials;
      const env = { ...process.env, ...session.env };
      execFileSync(
        "/usr/bin/python3",
        ["-c", "import keyring,sys; keyring.set_password('pyrax', sys.argv[1], sys.argv[2])", username, password],
        { env },
      );
      // The keyring libraries read the process's real environment (jest sandboxes process.env) and
      // keep their first D-Bus connection, so the module runs in a node process of its own, on the build.
      const configPath = join(dir, "keyring.cfg");
      writeFileSync(
        configPath,
        `[default]\nidentity_type = keystone\nauth_endpoint = ${cloud.url}\ntenant_name = ${projectName}\nkeyring_username = ${username}\n`,
      );
      const script = `
        import { Pyrax } from "@nimbus-sdk/openstack";
        const pyrax = new Pyrax({ configPath: ${JSON.stringify(configPath)}, env: {} });
        await pyrax.keyringAuth();
        console.log(JSON.stringify({ authenticated: pyrax.identity.authenticated, tenantId: pyrax.identity.tenantId }));
        await pyrax.close();`;
      const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { env, encoding: "utf8" });
      expect(JSON.parse(out)).toEqual({ authenticated: true, tenantId: projectId });
    }, 30_000);
  });
});
