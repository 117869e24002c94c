// Rackspace identity and Keystone v2.0 against a fake that answers with the documented v2.0 shapes
// (no Rackspace or v2.0 server can be run here; Keystone v3 is tested against the real Keystone).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Transport } from "@nimbus-sdk/common";
import { AuthenticationFailed, NoEndpointForRegion, NoEndpointForService, NotAuthenticated } from "../src/errors.js";
import { KeystoneV2Identity } from "../src/identity/keystone-v2.js";
import { RaxIdentity } from "../src/identity/rackspace.js";
import { createIdentity } from "../src/identity/registry.js";
import { FAKE_USER, startFakeIdentity, type FakeIdentity } from "./helpers/fake-identity.js";

describe("Rackspace and Keystone v2.0 identity (against a fake of the documented v2.0 API)", () => {
  let fake: FakeIdentity;
  beforeAll(async () => {
    fake = await startFakeIdentity();
  });
  afterAll(() => fake.close());

  const rax = () => new RaxIdentity({ authEndpoint: `${fake.url}/v2.0/` });

  it("authenticates with an API key and reads the catalog as pyrax does", async () => {
    const identity = rax();
    identity.setCredentials({ username: FAKE_USER.username, apiKey: FAKE_USER.apiKey });
    await identity.authenticate();
    expect(fake.received.at(-1)).toEqual({
      auth: { "RAX-KSKEY:apiKeyCredentials": { username: FAKE_USER.username, apiKey: FAKE_USER.apiKey } },
    });
    expect(identity.authenticated).toBe(true);
    expect(identity.token).toBe(fake.issued.at(-1));
    expect(identity.expires!.getTime()).toBeGreaterThan(Date.now());
    expect(identity.tenantId).toBe(FAKE_USER.tenantId);
    expect(Object.keys(identity.services).sort()).toEqual(["compute", "dns", "objectCdn", "objectStore"]);
    expect(identity.regions).toEqual(["DFW", "ORD"]);
    expect(identity.getEndpoint("objectStore", "ORD")).toBe(`${fake.url}/store/ord`);
    expect(identity.getEndpoint("objectStore", "ORD", "internal")).toBe(`${fake.url}/store/ord-internal`);
    // A global endpoint (no region in the catalog) serves every region.
    expect(identity.getEndpoint("dns", "ORD")).toBe(`${fake.url}/dns`);
    expect(() => identity.getEndpoint("objectStore", "SYD")).toThrow(NoEndpointForRegion);
    expect(() => identity.getEndpoint("queues", "DFW")).toThrow(NoEndpointForService);
    await identity.close();
  });

  it("authenticates with a password when no API key is given", async () => {
    const identity = rax();
    identity.setCredentials({ username: FAKE_USER.username, password: FAKE_USER.password });
    await identity.authenticate();
    expect(fake.received.at(-1)).toEqual({
      auth: { passwordCredentials: { username: FAKE_USER.username, password: FAKE_USER.password } },
    });
    await identity.close();
  });

  it("says which user was refused, never the key", async () => {
    const identity = rax();
    identity.setCredentials({ username: FAKE_USER.username, apiKey: "wrong-key-value" });
    const error = await identity.authenticate().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationFailed);
    expect((error as Error).message).toContain(FAKE_USER.username);
    expect((error as Error).message).not.toContain("wrong-key-value");
    expect(identity.authenticated).toBe(false);
    await identity.close();
  });

  it("speaks Keystone v2.0 when the keystone endpoint ends in /v2.0, scoped to a tenant", async () => {
    const identity = createIdentity("keystone", { authEndpoint: `${fake.url}/v2.0` });
    expect(identity).toBeInstanceOf(KeystoneV2Identity);
    identity.setCredentials({ username: FAKE_USER.username, password: FAKE_USER.password, tenantName: "123456" });
    await identity.authenticate();
    expect(fake.received.at(-1)).toEqual({
      auth: {
        passwordCredentials: { username: FAKE_USER.username, password: FAKE_USER.password },
        tenantName: "123456",
      },
    });
    await identity.close();
  });

  it("renews a token before it expires, so a loop of calls never sees a 401", async () => {
    fake.setTokenLifetime(1200);
    const identity = rax();
    identity.setCredentials({ username: FAKE_USER.username, apiKey: FAKE_USER.apiKey });
    await identity.authenticate();
    const store = new Transport({
      baseUrl: identity.getEndpoint("objectStore", "DFW"),
      userAgent: { package: "test", version: "0" },
      auth: identity.authStep,
    });
    const before = fake.issued.length;
    const started = Date.now();
    fake.storeRequests.length = 0;
    while (Date.now() - started < 3500) {
      await (await store.request({ url: "" })).dump();
      await new Promise((r) => setTimeout(r, 50));
    }
    // About three lifetimes passed: several new tokens, and every request was accepted.
    expect(fake.issued.length - before).toBeGreaterThanOrEqual(2);
    expect(fake.storeRequests.every((r) => r.status === 200)).toBe(true);
    // Each renewal happened while the previous token was still valid, not after it died.
    const renewals = fake.lifetimes.slice(before - 1);
    for (let i = 1; i < renewals.length; i++) {
      expect(renewals[i]!.issuedAt).toBeLessThan(renewals[i - 1]!.expiresAt);
    }
    fake.setTokenLifetime(24 * 3600_000);
    await store.close();
    await identity.close();
  });

  it("re-authenticates once on a 401 when credentials are known", async () => {
    const identity = rax();
    identity.setCredentials({ username: FAKE_USER.username, apiKey: FAKE_USER.apiKey });
    await identity.authenticate();
    const store = new Transport({
      baseUrl: identity.getEndpoint("objectStore", "DFW"),
      userAgent: { package: "test", version: "0" },
      auth: identity.authStep,
    });
    // Another client logs in as the same user, and the older tokens are revoked.
    const other = rax();
    other.setCredentials({ username: FAKE_USER.username, apiKey: FAKE_USER.apiKey });
    await other.authenticate();
    fake.revokeOlderTokens();
    fake.storeRequests.length = 0;
    expect((await store.request({ url: "" })).status).toBe(200);
    expect(fake.storeRequests.map((r) => r.status)).toEqual([401, 200]);
    expect(identity.token).toBe(fake.issued.at(-1));
    await Promise.all([store.close(), identity.close(), other.close()]);
  });

  it("with authWithToken only, fails with NotAuthenticated once the token expires", async () => {
    fake.setTokenLifetime(600);
    const issuer = rax();
    issuer.setCredentials({ username: FAKE_USER.username, apiKey: FAKE_USER.apiKey });
    await issuer.authenticate();
    fake.setTokenLifetime(24 * 3600_000);
    const identity = rax();
    await identity.authWithToken(issuer.token!, { tenantId: FAKE_USER.tenantId });
    expect(fake.received.at(-1)).toEqual({ auth: { token: { id: issuer.token }, tenantId: FAKE_USER.tenantId } });
    expect(identity.canReauthenticate).toBe(false);
    // The token handed back for the token login lives 24 h; force the short one to test expiry.
    identity.expires = new Date(Date.now() - 1);
    const store = new Transport({
      baseUrl: identity.getEndpoint("objectStore", "DFW"),
      userAgent: { package: "test", version: "0" },
      auth: identity.authStep,
    });
    const error = await store.request({ url: "" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthenticated);
    expect((error as Error).message).toMatch(/expired.*cannot be renewed/);
    await Promise.all([store.close(), identity.close(), issuer.close()]);
  });

  it("does not log back in when a background renewal ends after clearCredentials", async () => {
    fake.setTokenLifetime(1000);
    const identity = rax();
    identity.setCredentials({ username: FAKE_USER.username, apiKey: FAKE_USER.apiKey });
    await identity.authenticate();
    fake.setTokenLifetime(24 * 3600_000);
    await new Promise((r) => setTimeout(r, 850));
    // Inside the renewal margin: this starts a renewal in the background, then the user logs out.
    identity.authStep.authorize({ method: "GET", url: new URL(fake.url), headers: {} }, {});
    identity.clearCredentials();
    const issued = fake.issued.length;
    for (let i = 0; i < 50 && fake.issued.length === issued; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.issued.length).toBe(issued + 1);
    expect(identity.authenticated).toBe(false);
    await identity.close();
  });

  it("refuses to authenticate without credentials", async () => {
    const identity = rax();
    await expect(identity.authenticate()).rejects.toBeInstanceOf(NotAuthenticated);
    await identity.close();
  });
});
