// Connecting: govc's environment variables as defaults, TLS (verification, a CA, plain HTTP), the errors
// of a wrong password, an unknown host, a refused port and a certificate that fails verification; and
// the session kept alive and renewed after it ends (re-login after NotAuthenticated, keep-alive).
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ConfigError, ConnectionError, ValidationError } from "@nimbus-sdk/common";
import { freePort } from "@nimbus-sdk/common/testing";
import {
  Disconnect,
  SmartConnect,
  SmartConnectNoSSL,
  resolveConnection,
  vim,
  vmodl,
  type ServiceInstance,
} from "../src/index.js";
import { startVcsim, type VcsimServer } from "../src/testing/index.js";
import { connectTo } from "./helpers/connect.js";

const START_MS = 240_000;
let server: VcsimServer;

beforeAll(async () => {
  server = await startVcsim();
}, START_MS);

afterAll(async () => {
  await server?.close();
}, 60_000);

describe("resolveConnection", () => {
  it("takes govc's variables as defaults, the options first", () => {
    const env = { GOVC_URL: "https://admin:s%3Acret@vc.example:8443/sdk", GOVC_INSECURE: "1" };
    expect(resolveConnection({ env })).toEqual({
      url: new URL("https://vc.example:8443/sdk"),
      user: "admin",
      pwd: "s:cret",
      insecure: true,
    });
    const both = resolveConnection({
      env: { ...env, GOVC_USERNAME: "govc-user", GOVC_PASSWORD: "govc-pass" },
      host: "vc.example:8443",
      user: "me",
    });
    expect(both).toEqual({ url: new URL("https://vc.example:8443/sdk"), user: "me", pwd: "govc-pass", insecure: true });
    expect(resolveConnection({ env: { GOVC_URL: "vc.example", GOVC_INSECURE: "false" } })).toMatchObject({
      url: new URL("https://vc.example/sdk"),
      insecure: false,
    });
    expect(
      resolveConnection({ env: {}, host: "vc.example:444", protocol: "http", path: "/custom" }).url.toString(),
    ).toBe("http://vc.example:444/custom");
    expect(resolveConnection({ env: {}, host: "::1", port: 8989 }).url.toString()).toBe("https://[::1]:8989/sdk");
    expect(resolveConnection({ env: {}, host: "vc", disableSslCertValidation: true }).insecure).toBe(true);
  });

  it("sends govc's credentials to GOVC_URL's host only; an explicit URL's credentials come first", () => {
    const env = { GOVC_URL: "vc.example", GOVC_USERNAME: "govc-user", GOVC_PASSWORD: "govc-pass" };
    expect(resolveConnection({ env })).toMatchObject({ user: "govc-user", pwd: "govc-pass" });
    expect(resolveConnection({ env, host: "VC.example:443" })).toMatchObject({ user: "govc-user", pwd: "govc-pass" });
    // Another host, or another port of the same host, never gets them.
    for (const host of ["evil.example", "vc.example:8443", "https://evil.example/sdk"]) {
      const resolved = resolveConnection({ env, host });
      expect([resolved.user, resolved.pwd]).toEqual([undefined, undefined]);
    }
    expect(
      resolveConnection({ env: { ...env, GOVC_URL: "https://u:p@vc.example" }, host: "evil.example" }),
    ).toMatchObject({
      user: undefined,
      pwd: undefined,
    });
    // Credentials in the host's URL win over the variables, on GOVC_URL's host too.
    expect(resolveConnection({ env, host: "https://me:mine@vc.example" })).toMatchObject({ user: "me", pwd: "mine" });
    expect(resolveConnection({ env, host: "https://me:mine@other.example" })).toMatchObject({
      user: "me",
      pwd: "mine",
    });
    expect(resolveConnection({ env, host: "https://me@vc.example" })).toMatchObject({ user: "me", pwd: "govc-pass" });
  });

  it("says what is missing or wrong", () => {
    expect(() => resolveConnection({ env: {} })).toThrow(ConfigError);
    expect(() => resolveConnection({ env: {} })).toThrow(
      'no vCenter or ESXi host: pass { host: "vc.example" } or set GOVC_URL',
    );
    expect(() => resolveConnection({ env: {}, host: "vc", port: 70000 })).toThrow(ValidationError);
    expect(() => resolveConnection({ env: { GOVC_URL: "https://[bad" } })).toThrow("GOVC_URL is not a host or URL");
  });
});

describe("SmartConnect", () => {
  it("connects from GOVC_URL, GOVC_USERNAME, GOVC_PASSWORD and GOVC_INSECURE alone", async () => {
    const si = await SmartConnect({ env: { ...server.env, GOVC_INSECURE: "true" } });
    expect((await si.RetrieveContent()).about.apiVersion).toBe("6.5");
    await Disconnect(si);
  });

  it("speaks a forced version without negotiating", async () => {
    const si = await SmartConnectNoSSL({
      host: server.url,
      user: server.username,
      pwd: server.password,
      version: "6.0",
    });
    expect(si._stub!.versionId).toBe("urn:vim25/6.0");
    await Disconnect(si);
  });

  it("connects anonymously when no user is known: the ServiceContent, no session", async () => {
    const si = await SmartConnect({ env: {}, host: server.url, ca: server.certificate });
    expect(si._stub!.sessionCookie).toBeUndefined();
    expect((await si.RetrieveContent()).about.apiType).toBe("VirtualCenter");
    await Disconnect(si);
  });

  it("throws vim.fault.InvalidLogin for a wrong password, and leaves no connection behind", async () => {
    const error = await connectTo(server, { pwd: "wrong" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(vim.fault.InvalidLogin);
    expect(error).toMatchObject({ method: "Login", code: "InvalidLogin", status: 500 });
    expect((error as Error).message).toBe("Login: Login failure (vim.fault.InvalidLogin)");
    expect((error as Error).message).not.toContain("wrong");
  });

  it("throws a ConnectionError naming an unknown host", async () => {
    const error = await SmartConnect({ host: "vcenter.nonexistent.invalid", user: "u", pwd: "p" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(
      /vcenter\.nonexistent\.invalid.*cannot reach the server \((ENOTFOUND|EAI_AGAIN)\)/,
    );
  }, 30_000);

  it("throws a ConnectionError naming a refused port", async () => {
    const port = await freePort();
    const error = await SmartConnect({ host: "127.0.0.1", port, user: "u", pwd: "p" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    expect((error as Error).message).toContain("ECONNREFUSED");
  });

  it("throws a ConnectionError for a certificate that fails verification, saying how to trust it", async () => {
    const error = await connectTo(server, { ca: undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(
      /the TLS certificate of https:\/\/127\.0\.0\.1:\d+\/sdk was not accepted \(\w+\)/,
    );
    expect((error as Error).message).toContain("{ ca }");
    expect((error as Error).message).toContain("{ disableSslCertValidation: true }");
  });

  it("cancels with its signal", async () => {
    await expect(connectTo(server, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: "AbortError" });
  });

  it(
    "speaks plain HTTP to a server without TLS",
    async () => {
      const plain = await startVcsim({ tls: false, vm: 1 });
      try {
        const si = await connectTo(plain);
        expect(si._stub!.url).toMatch(/^http:\/\//);
        expect(await (await si.RetrieveContent()).rootFolder.name).toBe("Datacenters");
        await Disconnect(si);
      } finally {
        await plain.close();
      }
    },
    START_MS,
  );
});

describe("the session", () => {
  let si: ServiceInstance;
  const debug: string[] = [];
  const logger = { debug: (m: string) => void debug.push(m), info() {}, warn() {}, error() {} };

  beforeAll(async () => {
    // The keep-alive timer never holds the process open: every interval the connection starts is unref'd.
    // (Counting the process's active timers instead failed when another test's timer ended meanwhile.)
    const started: NodeJS.Timeout[] = [];
    const setIntervalBefore = globalThis.setInterval;
    globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
      const timer = setIntervalBefore(...args);
      started.push(timer);
      return timer;
    }) as typeof setInterval;
    try {
      si = await connectTo(server, { keepAliveInterval: 300, logger });
    } finally {
      globalThis.setInterval = setIntervalBefore;
    }
    expect(started.length).toBeGreaterThan(0);
    expect(started.filter((timer) => timer.hasRef())).toEqual([]);
  });

  afterAll(async () => {
    await Disconnect(si);
  });

  // The session ends behind the SDK's back (as after 30 idle minutes): another session terminates it.
  async function expireSession(of: ServiceInstance): Promise<void> {
    const key = (await (await of.RetrieveContent()).sessionManager.currentSession)!.key;
    const admin = await connectTo(server, { keepAliveInterval: 0 });
    await (await admin.RetrieveContent()).sessionManager.TerminateSession([key]);
    await Disconnect(admin);
  }

  it("logs in again after NotAuthenticated and retries the call, once", async () => {
    const content = await si.RetrieveContent();
    const before = si._stub!.sessionCookie;
    await expireSession(si);
    expect(await content.rootFolder.name).toBe("Datacenters");
    expect(si._stub!.sessionCookie).not.toBe(before);
    expect((await content.sessionManager!.currentSession)?.userName).toBe(server.username);
  });

  it("throws NotAuthenticated when re-login is off", async () => {
    const other = await connectTo(server, { relogin: false });
    const content = await other.RetrieveContent();
    await expireSession(other);
    const error = await content.rootFolder.name.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(vim.fault.NotAuthenticated);
    expect((error as Error).message).toMatch(
      /^RetrievePropertiesEx: .*\(vim\.fault\.NotAuthenticated: object=vim\.Folder:group-d1/,
    );
    await Disconnect(other);
  });

  it("keeps an idle session alive, and renews one that ended", async () => {
    await expireSession(si);
    const ended = si._stub!.sessionCookie;
    si._stub!.debug = true;
    debug.length = 0;
    await sleep(1000);
    si._stub!.debug = false;
    const keepAlives = debug.filter((m) => m.startsWith("-> POST") && m.includes("currentSession"));
    expect(keepAlives.length).toBeGreaterThan(0);
    expect(debug.some((m) => m.startsWith("-> POST") && m.includes("<Login "))).toBe(true);
    expect(si._stub!.sessionCookie).not.toBe(ended);
    expect(debug.join("\n")).not.toContain(server.password);
  });

  it("names the renewed session when an object of the old one is gone", async () => {
    const content = await si.RetrieveContent();
    const view = await content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], true);
    await expireSession(si);
    const error = await view.view.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(vmodl.fault.ManagedObjectNotFound);
    expect((error as Error).message).toMatch(/the session expired and was renewed .*views, property collectors/);
  });
});

describe("an explicit Logout", () => {
  it("ends the session: later calls throw NotAuthenticated instead of logging in again", async () => {
    const si = await connectTo(server, { keepAliveInterval: 0 });
    const content = await si.RetrieveContent();
    await content.sessionManager.Logout();
    expect(si._stub!.sessionCookie).toBeUndefined();
    const error = await content.rootFolder.name.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(vim.fault.NotAuthenticated);
    expect((error as Error).message).toContain("the session was ended by Logout");
    // Logging in again on purpose starts a new session.
    await content.sessionManager.Login(server.username, server.password);
    expect(await content.rootFolder.name).toBe("Datacenters");
    await Disconnect(si);
  });
});
