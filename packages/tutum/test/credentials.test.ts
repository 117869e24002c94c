// Where credentials come from (code, ~/.tutum, TUTUM_USER/TUTUM_APIKEY, TUTUM_AUTH), the two header
// forms, TUTUM_BASE_URL, and several accounts at once; against a recording server for the headers
// and against the simulator for what it accepts and refuses.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { AuthenticationError, ValidationError, type Logger } from "@nimbus-sdk/common";
import tutumDefault, { Application, Tutum, TutumApiError, TutumAuthError } from "../src/index.js";
import { startServer, type TutumTestServer } from "../src/testing/index.js";
import { startRecorder, type Recorder } from "./helpers/recorder.js";

let api: Recorder;
let dir: string;
const list = { body: { meta: { limit: 25, offset: 0, next: null, previous: null, total_count: 0 }, objects: [] } };

beforeAll(async () => {
  api = await startRecorder(() => list);
  dir = mkdtempSync(join(tmpdir(), "tutum-credentials-"));
});
afterAll(async () => {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(text: string): string {
  const path = join(dir, `tutum-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, text);
  chmodSync(path, 0o600);
  return path;
}

async function headerSent(client: Tutum): Promise<string | undefined> {
  api.requests.length = 0;
  await client.Application.list();
  await client.close();
  return api.requests[0]?.headers.authorization;
}

describe("credential sources, in the seed's order", () => {
  const file = () => writeConfig('[auth]\nuser = "fileuser"\napikey = "filekey"\n');
  const env = { TUTUM_USER: "envuser", TUTUM_APIKEY: "envkey" };

  it("code wins over ~/.tutum, which wins over TUTUM_USER/TUTUM_APIKEY", async () => {
    const configPath = file();
    const client = new Tutum({ user: "codeuser", apikey: "codekey", base_url: api.url, env, configPath });
    expect(await headerSent(client)).toBe("ApiKey codeuser:codekey");
    expect(client.credentials()?.description).toBe("user/apikey set in code");
    client.user = undefined;
    client.apikey = undefined;
    // The file's quotes (the seed's README writes them) are not part of the values.
    expect(await headerSent(client)).toBe("ApiKey fileuser:filekey");
    expect(client.credentials()?.description).toBe(`${configPath} [auth] user/apikey`);
    const envOnly = new Tutum({ base_url: api.url, env, configPath: join(dir, "absent") });
    expect(await headerSent(envOnly)).toBe("ApiKey envuser:envkey");
    expect(envOnly.credentials()?.description).toBe("the environment (TUTUM_USER/TUTUM_APIKEY)");
  });

  it("assigning tutum.user/apikey later takes effect at the next request", async () => {
    const client = new Tutum({ base_url: api.url, env, configPath: join(dir, "absent") });
    expect(await headerSent(client)).toBe("ApiKey envuser:envkey");
    client.user = "later";
    client.apikey = "laterkey";
    expect(await headerSent(client)).toBe("ApiKey later:laterkey");
  });

  it("TUTUM_AUTH is sent as the whole header, before the file and the other variables", async () => {
    const client = new Tutum({
      base_url: api.url,
      env: { ...env, TUTUM_AUTH: "ApiKey container:rolekey" },
      configPath: file(),
    });
    expect(await headerSent(client)).toBe("ApiKey container:rolekey");
  });

  it('authScheme "Basic" sends Basic base64(user:apikey); basic_auth in ~/.tutum is used as is', async () => {
    const client = new Tutum({ user: "u", apikey: "k", base_url: api.url, env: {}, authScheme: "Basic" });
    expect(await headerSent(client)).toBe(`Basic ${Buffer.from("u:k").toString("base64")}`);
    const fromFile = new Tutum({ base_url: api.url, env: {}, configPath: writeConfig("[auth]\nbasic_auth = dTpr\n") });
    expect(await headerSent(fromFile)).toBe("Basic dTpr");
    const password = new Tutum({ base_url: api.url, env: { TUTUM_USER: "u", TUTUM_PASS: "p" }, configPath: "/none" });
    expect(await headerSent(password)).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
    expect(() => (client.authScheme = "Bearer" as never)).toThrow(ValidationError);
  });

  it("no credentials anywhere: a TutumAuthError naming the three places, and nothing sent", async () => {
    const client = new Tutum({ base_url: api.url, env: { TUTUM_USER: "only-user" }, configPath: join(dir, "absent") });
    api.requests.length = 0;
    const err = await client.Application.list().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TutumAuthError);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toBeInstanceOf(TutumApiError);
    const message = (err as Error).message;
    expect(message).toContain("set tutum.user and tutum.apikey in code");
    expect(message).toContain(`[auth] section of ${join(dir, "absent")}`);
    expect(message).toContain("TUTUM_USER and TUTUM_APIKEY");
    expect(message).toContain("TUTUM_USER is set but TUTUM_APIKEY is not");
    expect(api.requests).toHaveLength(0);
    expect(client.isAuthenticated()).toBe(false);
  });

  it("a ~/.tutum other users can read is used, with a warning naming the chmod", async () => {
    const path = writeConfig("[auth]\nuser = a\napikey = b\n");
    chmodSync(path, 0o644);
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
    const client = new Tutum({ base_url: api.url, env: {}, configPath: path, logger });
    expect(await headerSent(client)).toBe("ApiKey a:b");
    expect(warnings.join("\n")).toContain("chmod 600");
  });
});

describe("user agent", () => {
  it("is nimbus-sdk-tutum/<version>, after tutum.user_agent when set (read at each request)", async () => {
    const client = new Tutum({ user: "u", apikey: "k", base_url: api.url, env: {} });
    await client.Application.list();
    expect(api.requests.at(-1)!.headers["user-agent"]).toMatch(/^nimbus-sdk-tutum\/\d+\.\d+\.\d+ node\//);
    client.user_agent = "my-script/1.0";
    await client.Application.list();
    expect(api.requests.at(-1)!.headers["user-agent"]).toMatch(/^my-script\/1\.0 nimbus-sdk-tutum\//);
    await client.close();
  });
});

describe("base URL", () => {
  it("TUTUM_BASE_URL, else TUTUM_REST_HOST + /api/v1/, else dashboard.tutum.co", () => {
    expect(new Tutum({ env: { TUTUM_BASE_URL: "http://h:1/api/v1/" } }).base_url).toBe("http://h:1/api/v1/");
    expect(new Tutum({ env: { TUTUM_REST_HOST: "http://h:2/" } }).base_url).toBe("http://h:2/api/v1/");
    expect(new Tutum({ env: {} }).base_url).toBe("https://dashboard.tutum.co/api/v1/");
    expect(new Tutum({ env: {} }).streamUrl()).toBe("wss://stream.tutum.co/v1/");
    expect(new Tutum({ env: {}, base_url: "http://127.0.0.1:8/api/v1/" }).streamUrl()).toBe("ws://127.0.0.1:8/v1/");
  });

  it("rest_host and stream_host as python-tutum's module has them; assigning them re-points base_url and stream_url", () => {
    const fromEnv = new Tutum({ env: { TUTUM_REST_HOST: "http://h:2", TUTUM_STREAM_HOST: "ws://h:3" } });
    expect([fromEnv.rest_host, fromEnv.stream_host, fromEnv.stream_url]).toEqual([
      "http://h:2",
      "ws://h:3",
      "ws://h:3/v1/",
    ]);
    const client = new Tutum({ env: {} });
    expect([client.rest_host, client.stream_host]).toEqual(["https://dashboard.tutum.co", "wss://stream.tutum.co"]);
    expect(typeof client.stream_url).toBe("string");
    client.rest_host = "http://other:4/";
    expect(client.base_url).toBe("http://other:4/api/v1/");
    expect(client.stream_url).toBe("ws://other:4/v1/"); // derived from base_url while unset
    client.stream_host = "wss://s:5";
    expect(client.stream_url).toBe("wss://s:5/v1/");
    client.stream_url = undefined;
    expect(client.stream_url).toBe("ws://other:4/v1/");
    // TUTUM_BASE_URL wins over the host, as in python-tutum.
    expect(new Tutum({ env: { TUTUM_BASE_URL: "http://b/api/v1/", TUTUM_REST_HOST: "http://r" } }).base_url).toBe(
      "http://b/api/v1/",
    );
  });

  it("tutum.auth.get_auth_header() is the header a request would carry, or {}", () => {
    expect(new Tutum({ env: {}, user: "u", apikey: "k" }).auth.get_auth_header()).toEqual({
      Authorization: "ApiKey u:k",
    });
    expect(new Tutum({ env: {}, configPath: "/nonexistent/.tutum" }).auth.get_auth_header()).toEqual({});
  });

  it("resolves paths and resource URIs against it, with python-tutum's trailing slash", () => {
    const client = new Tutum({ env: {}, base_url: "http://h/api/v1/" });
    expect(client.resolveUrl("application/u1").href).toBe("http://h/api/v1/application/u1/");
    expect(client.resolveUrl("/api/v1/service/s1/").href).toBe("http://h/api/v1/service/s1/");
    const proxied = new Tutum({ env: {}, base_url: "http://h/tutum/api/v1" });
    expect(proxied.resolveUrl("/api/v1/service/s1/").href).toBe("http://h/tutum/api/v1/service/s1/");
  });
});

describe("against the simulator", () => {
  let server: TutumTestServer;
  let other: TutumTestServer;

  beforeAll(async () => {
    [server, other] = await Promise.all([
      startServer({ user: "alice", transitionMs: 50 }),
      startServer({ user: "bob", transitionMs: 50 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server.stop(), other.stop()]);
  });

  it("a wrong key is a 401 TutumAuthError with the server's text and where the key came from, never the key", async () => {
    const client = new Tutum({
      user: "alice",
      apikey: "not-the-key",
      base_url: server.url,
      env: {},
      configPath: "/none",
    });
    const err = await client.Application.list().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TutumAuthError);
    expect((err as TutumAuthError).status).toBe(401);
    expect((err as Error).message).toMatch(
      /^Not authorized: Status 401 \(GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/application\/\): /,
    );
    expect((err as Error).message).toContain("Credentials from user/apikey set in code, scheme ApiKey");
    expect((err as Error).message).not.toContain("not-the-key");
    await client.close();
  });

  it("the simulator accepts both header forms", async () => {
    for (const authScheme of ["ApiKey", "Basic"] as const) {
      const client = new Tutum({
        ...server.credentials,
        base_url: server.url,
        env: {},
        configPath: "/none",
        authScheme,
      });
      await expect(client.Provider.list()).resolves.not.toHaveLength(0);
      await client.close();
    }
  });

  it("authenticate(username, password) obtains the API key from auth/", async () => {
    const client = new Tutum({ base_url: server.url, env: {}, configPath: "/none" });
    await client.authenticate("alice", server.password);
    expect(client.user).toBe("alice");
    expect(client.apikey).toBe(server.credentials.apikey);
    await expect(client.authenticate("alice", "wrong")).rejects.toBeInstanceOf(TutumAuthError);
    client.logout();
    expect(client.isAuthenticated()).toBe(false);
    await client.close();
  });

  it("several accounts at once: each client's classes use its own account", async () => {
    const alice = new Tutum({ ...server.credentials, base_url: server.url, env: {}, configPath: "/none" });
    const bob = new Tutum({ ...other.credentials, base_url: other.url, env: {}, configPath: "/none" });
    const [a, b] = [
      alice.Application.create({ image: "tutum/hello-world", name: "alices-app" }),
      bob.Application.create({ image: "tutum/hello-world", name: "bobs-app" }),
    ];
    await Promise.all([a.save(), b.save()]);
    await Promise.all([alice.waitFor(a, "Running", { interval: 20 }), bob.waitFor(b, "Running", { interval: 20 })]);
    expect((await alice.Application.list()).map((x) => x.name)).toEqual(["alices-app"]);
    expect((await bob.Application.list()).map((x) => x.name)).toEqual(["bobs-app"]);
    // Objects keep the account of the client that made them.
    await b.stop();
    expect(b.state).toBe("Stopping");
    expect(a).toBeInstanceOf(Application);
    expect(a).toBeInstanceOf(alice.Application);
    expect(a).not.toBeInstanceOf(bob.Application);
    await Promise.all([alice.close(), bob.close()]);
  });

  it("the module default object takes settings by assignment, as python-tutum's module", async () => {
    tutumDefault.user = server.credentials.user;
    tutumDefault.apikey = server.credentials.apikey;
    tutumDefault.base_url = server.url;
    try {
      const providers = await tutumDefault.Provider.list();
      expect(providers.length).toBeGreaterThan(0);
      // The named classes use the module object's account too.
      expect((await Application.list()).map((x) => x.name)).toContain("alices-app");
    } finally {
      tutumDefault.logout();
      await tutumDefault.close();
    }
  });
});
