// The vcsim launcher of "@nimbus-sdk/vsphere/testing": the offline build, the start (inventory size,
// TLS on and off, credentials), and the stop, checked with raw SOAP requests (no SDK involved).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AbortError, ValidationError } from "@nimbus-sdk/common";
import { freePort } from "@nimbus-sdk/common/testing";
import { ensureVcsim, startVcsim, type VcsimServer } from "../src/testing/index.js";

// A cold build takes 15-30 s on a busy machine; a 1000-VM inventory a few seconds more.
const BUILD_MS = 240_000;

interface Answer {
  status: number;
  body: string;
  cookie: string | undefined;
}

function send(
  url: string,
  options: { method?: string; body?: string; cookie?: string; ca?: string; verify?: boolean } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = url.startsWith("https:") ? httpsRequest : httpRequest;
    const headers: Record<string, string> = {};
    if (options.body !== undefined) {
      headers["content-type"] = "text/xml; charset=utf-8";
      headers.soapaction = "urn:vim25/6.5";
    }
    if (options.cookie) headers.cookie = options.cookie;
    const req = request(
      url,
      {
        method: options.method ?? (options.body === undefined ? "GET" : "POST"),
        headers,
        ca: options.ca,
        rejectUnauthorized: options.verify ?? false,
        agent: false,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        res.once("end", () =>
          resolve({ status: res.statusCode ?? 0, body, cookie: res.headers["set-cookie"]?.[0]?.split(";")[0] }),
        );
      },
    );
    req.once("error", reject);
    req.end(options.body);
  });
}

const envelope = (body: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>' +
  body +
  "</soapenv:Body></soapenv:Envelope>";

const retrieveServiceContent = envelope(
  '<RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></RetrieveServiceContent>',
);

const login = (username: string, password: string, sessionManager = "SessionManager") =>
  envelope(
    `<Login xmlns="urn:vim25"><_this type="SessionManager">${sessionManager}</_this>` +
      `<userName>${username}</userName><password>${password}</password></Login>`,
  );

/** The moref of `property` in a RetrieveServiceContent answer (vCenter and ESX name them differently). */
const moref = (serviceContent: string, property: string) =>
  new RegExp(`<${property} type="\\w+">([^<]+)</${property}>`).exec(serviceContent)?.[1] ?? "";

/** Logs in and counts the VirtualMachines under the root folder, through a container view and the property collector. */
async function countVms(server: VcsimServer): Promise<number> {
  const content = (await send(server.url, { body: retrieveServiceContent })).body;
  const session = await send(server.url, {
    body: login(server.username, server.password, moref(content, "sessionManager")),
  });
  expect(session.status).toBe(200);
  const cookie = session.cookie;
  const view = await send(server.url, {
    cookie,
    body: envelope(
      `<CreateContainerView xmlns="urn:vim25"><_this type="ViewManager">${moref(content, "viewManager")}</_this>` +
        `<container type="Folder">${moref(content, "rootFolder")}</container>` +
        "<type>VirtualMachine</type><recursive>true</recursive></CreateContainerView>",
    ),
  });
  const viewId = /<returnval type="ContainerView">([^<]+)<\/returnval>/.exec(view.body)?.[1];
  expect(viewId).toBeDefined();
  const rows = await send(server.url, {
    cookie,
    body: envelope(
      '<RetrievePropertiesEx xmlns="urn:vim25">' +
        `<_this type="PropertyCollector">${moref(content, "propertyCollector")}</_this>` +
        `<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet>` +
        `<objectSet><obj type="ContainerView">${viewId}</obj><skip>true</skip>` +
        '<selectSet xsi:type="TraversalSpec"><name>view</name><type>ContainerView</type><path>view</path>' +
        "<skip>false</skip></selectSet></objectSet></specSet><options><maxObjects>100000</maxObjects></options>" +
        "</RetrievePropertiesEx>",
    ),
  });
  expect(rows.body).not.toContain("<token>");
  return rows.body.match(/<obj type="VirtualMachine">/g)?.length ?? 0;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("ensureVcsim", () => {
  it(
    "builds once per cache folder, also when two callers race, and not again when current",
    async () => {
      const cacheDir = mkdtempSync(join(tmpdir(), "nimbus-vcsim-cache-test-"));
      try {
        const steps: string[] = [];
        const onProgress = (step: string) => steps.push(step);
        const [first, second] = await Promise.all([
          ensureVcsim({ cacheDir, onProgress }),
          ensureVcsim({ cacheDir, onProgress }),
        ]);
        expect(first).toBe(second);
        expect(steps.filter((s) => s.startsWith("building"))).toHaveLength(1);
        expect(statSync(first).mode & 0o111).not.toBe(0);
        expect(existsSync(join(cacheDir, "build.lock"))).toBe(false);

        expect(await ensureVcsim({ cacheDir, onProgress })).toBe(first);
        expect(steps.filter((s) => s.startsWith("building"))).toHaveLength(1);
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
      }
    },
    BUILD_MS,
  );
});

describe("startVcsim with the defaults", () => {
  let server: VcsimServer;
  beforeAll(async () => {
    server = await startVcsim();
  }, BUILD_MS);
  afterAll(() => server?.close());

  it("listens on 127.0.0.1 with HTTPS and a random password", () => {
    expect(server.url).toBe(`https://127.0.0.1:${server.port}/sdk`);
    expect(server.host).toBe("127.0.0.1");
    expect(server.username).toBe("user");
    expect(server.password).toMatch(/^[\w-]{16}$/);
    expect(server.credentials).toEqual({ username: server.username, password: server.password });
    expect(server.insecure).toBe(true);
    expect(server.env).toEqual({
      GOVC_URL: server.url,
      GOVC_USERNAME: "user",
      GOVC_PASSWORD: server.password,
      GOVC_INSECURE: "true",
    });
    expect(server.output()).not.toContain(server.password);
  });

  it("answers RetrieveServiceContent as a vCenter 6.5", async () => {
    const { status, body } = await send(server.url, { body: retrieveServiceContent });
    expect(status).toBe(200);
    expect(body).toContain("<RetrieveServiceContentResponse");
    expect(body).toContain("<fullName>VMware vCenter Server 6.5.0");
    expect(body).toContain("<apiVersion>6.5</apiVersion>");
    expect(body).toMatch(/<rootFolder type="Folder">group-d1<\/rootFolder>/);
  });

  it("serves /sdk/vimServiceVersions.xml", async () => {
    const { status, body } = await send(`${server.url}/vimServiceVersions.xml`);
    expect(status).toBe(200);
    expect(body).toMatch(/<name>urn:vim25<\/name>\s*<version>6.5<\/version>/);
  });

  it("accepts its own credentials only", async () => {
    const refused = await send(server.url, { body: login(server.username, "wrong") });
    expect(refused.status).toBe(500);
    expect(refused.body).toContain('xsi:type="InvalidLogin"');
    const accepted = await send(server.url, { body: login(server.username, server.password) });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toContain("<LoginResponse");
    expect(accepted.cookie).toMatch(/^vmware_soap_session=/);
  });

  it("has 4 VMs (2 in each of the 2 resource pools)", async () => {
    expect(await countVms(server)).toBe(4);
  });

  it("presents a certificate that verifies when given as the CA, and fails verification without it", async () => {
    expect(server.certificate).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
    // Its own P-256 key, not govmomi's 1024-bit RSA one (which Node 24's OpenSSL refuses), for 127.0.0.1.
    const x509 = new X509Certificate(server.certificate!);
    expect(x509.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: "prime256v1" });
    expect(x509.checkIP("127.0.0.1")).toBe("127.0.0.1");
    const verified = await send(`${server.url}/vimServiceVersions.xml`, { ca: server.certificate, verify: true });
    expect(verified.status).toBe(200);
    await expect(send(`${server.url}/vimServiceVersions.xml`, { verify: true })).rejects.toThrow(/self[- ]signed/i);
  });
});

describe("startVcsim options", () => {
  it(
    "scales the inventory with vm (per resource pool), serves plain HTTP with tls: false",
    async () => {
      await using server = await startVcsim({ vm: 250, tls: false, username: "admin", password: "s3cret" });
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/sdk`);
      expect(server.insecure).toBe(false);
      expect(server.certificate).toBeUndefined();
      expect(server.env.GOVC_INSECURE).toBe("false");
      expect(server.username).toBe("admin");
      expect(await countVms(server)).toBe(500);
    },
    BUILD_MS,
  );

  it(
    "scales hosts and clusters, and an ESX model",
    async () => {
      await using vcenter = await startVcsim({ cluster: 2, host: 2, standaloneHost: 0, vm: 3 });
      expect(await countVms(vcenter)).toBe(6);
      await using esx = await startVcsim({ esx: true, vm: 3 });
      const { body } = await send(esx.url, { body: retrieveServiceContent });
      expect(body).toContain("<apiType>HostAgent</apiType>");
      expect(await countVms(esx)).toBe(3);
    },
    BUILD_MS,
  );

  it(
    "runs two servers side by side on different ports, and close() ends each process",
    async () => {
      const [a, b] = await Promise.all([startVcsim(), startVcsim()]);
      const dirs: string[] = [];
      try {
        expect(a.port).not.toBe(b.port);
        dirs.push(...[a, b].map((s) => readlinkSync(`/proc/${s.pid}/cwd`)));
        for (const dir of dirs) expect(readdirSync(dir)).toEqual(expect.arrayContaining(["cert.pem", "key.pem"]));
        const answers = await Promise.all([a, b].map((s) => send(s.url, { body: retrieveServiceContent })));
        expect(answers.map((r) => r.status)).toEqual([200, 200]);
        expect(running(a.pid) && running(b.pid)).toBe(true);
        expect(a.certificate).not.toBe(b.certificate); // a certificate per run
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
      expect(running(a.pid)).toBe(false);
      expect(running(b.pid)).toBe(false);
      // Each ran in a private folder holding its certificate and key, removed by close().
      for (const dir of dirs) expect(existsSync(dir)).toBe(false);
      await a.close(); // a second close does nothing
      await expect(send(a.url, { body: retrieveServiceContent })).rejects.toThrow(/ECONNREFUSED/);
    },
    BUILD_MS,
  );

  it(
    "listens on the port asked for",
    async () => {
      const port = await freePort();
      await using server = await startVcsim({ port });
      expect(server.url).toBe(`https://127.0.0.1:${port}/sdk`);
      expect((await send(`${server.url}/vimServiceVersions.xml`)).status).toBe(200);
    },
    BUILD_MS,
  );

  it(
    "removes the working folder a killed launcher left behind",
    async () => {
      const gone = spawnSync("true").pid;
      const left = mkdtempSync(join(tmpdir(), "nimbus-vcsim-data-"));
      writeFileSync(join(left, "launcher.pid"), String(gone));
      await using server = await startVcsim();
      expect(existsSync(left)).toBe(false);
      expect(server.port).toBeGreaterThan(0);
    },
    BUILD_MS,
  );

  it("refuses a negative count before starting anything", async () => {
    await expect(startVcsim({ vm: -1 })).rejects.toThrow(ValidationError);
    await expect(startVcsim({ vm: -1 })).rejects.toThrow("vm must be a whole number, at least 0: -1");
  });

  it(
    "stops a start that is aborted",
    async () => {
      const controller = new AbortController();
      const start = startVcsim({
        vm: 1000,
        signal: controller.signal,
        onProgress: (step) => step === "starting vcsim" && controller.abort(),
      });
      await expect(start).rejects.toThrow(AbortError);
      await expect(startVcsim({ signal: AbortSignal.abort() })).rejects.toThrow(AbortError);
    },
    BUILD_MS,
  );
});
