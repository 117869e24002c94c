// The engine simulator over raw HTTP: TLS with its CA file, the SSO, the bearer check, the generic
// services tree, search, `max`, `follow`, `all_content`, VM actions with their status changes, disks,
// jobs, and the engine's faults.
import { request as httpsRequest } from "node:https";
import { request as httpRequest } from "node:http";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { parseXmlElement, type XmlElement } from "@nimbus-sdk/common";
import { startEngine, type EngineSimulator } from "../src/testing/index.js";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request with node's own client (trusting the simulator's CA file for https). */
function send(
  engine: EngineSimulator,
  method: string,
  url: string,
  options: { body?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const target = new URL(url);
  const request = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      { method, headers: options.headers, ca: engine.caFile ? readFileSync(engine.caFile) : undefined },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

async function login(engine: EngineSimulator, password = engine.password): Promise<Answer> {
  const form = new URLSearchParams({
    grant_type: "password",
    scope: "ovirt-app-api",
    username: engine.username,
    password,
  });
  return send(engine, "POST", engine.ssoUrl, {
    body: form.toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
  });
}

/** A raw API client holding a token, as the SDKs send requests. */
function client(engine: EngineSimulator, token: string) {
  return async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
    const answer = await send(engine, method, `${engine.url}${path}`, {
      body,
      headers: {
        Authorization: `Bearer ${token}`,
        Version: "4",
        Accept: "application/xml",
        ...(body !== undefined ? { "Content-Type": "application/xml" } : {}),
        ...headers,
      },
    });
    return {
      ...answer,
      xml:
        answer.text.trim().startsWith("<") && /xml/.test(String(answer.headers["content-type"]))
          ? parseXmlElement(answer.text)
          : undefined,
    };
  };
}

const child = (element: XmlElement | undefined, name: string) => element?.children.find((c) => c.name === name);
const text = (element: XmlElement | undefined, name: string) => child(element, name)?.text;
const items = (element: XmlElement | undefined) => element?.children ?? [];

let engine: EngineSimulator;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  engine = await startEngine({ stepMs: 20 });
  const answer = await login(engine);
  api = client(engine, JSON.parse(answer.text).access_token);
});

afterAll(async () => {
  await engine.close();
});

describe("startEngine", () => {
  it("listens on 127.0.0.1 over https with a CA file, and over plain http on request", async () => {
    expect(engine.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/ovirt-engine\/api$/);
    expect(readFileSync(engine.caFile!, "utf8")).toContain("BEGIN CERTIFICATE");
    expect(engine.username).toBe("admin@internal");
    const plain = await startEngine({ protocol: "http", seed: false, password: "secret" });
    try {
      expect(plain.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ovirt-engine\/api$/);
      expect(plain.caFile).toBeUndefined();
      expect((await login(plain, "secret")).status).toBe(200);
    } finally {
      // What `await using` calls; closing twice does nothing more.
      await plain[Symbol.asyncDispose]();
      await plain.close();
    }
  });

  it("honours an aborted signal", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(startEngine({ signal: controller.signal, protocol: "http" })).rejects.toThrow(/cancelled/);
  });
});

const vmXml = (name: string, extra = "") =>
  `<vm><name>${name}</name><cluster><name>Default</name></cluster><template><name>Blank</name></template>${extra}</vm>`;

async function addVm(name: string, extra = ""): Promise<string> {
  const answer = await api("POST", "/vms", vmXml(name, extra));
  expect(answer.status).toBe(201);
  return answer.xml!.attributes!.id!;
}

const fault = (answer: { status: number; xml?: XmlElement }) => ({
  status: answer.status,
  reason: text(answer.xml, "reason"),
  detail: text(answer.xml, "detail"),
});

describe("SSO", () => {
  it("issues a bearer token for the password grant with the API scope", async () => {
    const answer = await login(engine);
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toMatch(/application\/json/);
    const body = JSON.parse(answer.text);
    expect(body).toEqual({
      access_token: expect.any(String),
      scope: expect.stringContaining("ovirt-app-api"),
      exp: expect.any(String),
      token_type: "bearer",
    });
  });

  it("answers a wrong password with the SSO's JSON error", async () => {
    const answer = await login(engine, "wrong");
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({
      error_code: "access_denied",
      error:
        "Cannot authenticate user 'admin@internal': Unable to log in. Verify your login information or contact the system administrator..",
    });
  });

  it("names what is wrong with a token request", async () => {
    const post = (form: Record<string, string>, accept = "application/json") =>
      send(engine, "POST", engine.ssoUrl, {
        body: new URLSearchParams(form).toString(),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept },
      }).then((a) => ({ status: a.status, ...JSON.parse(a.text) }));
    const base = {
      grant_type: "password",
      scope: "ovirt-app-api",
      username: "admin@internal",
      password: engine.password,
    };
    expect(await post({ ...base }, "text/html")).toEqual({
      status: 400,
      error_code: "invalid_request",
      error: "Missing parameter: 'Accept Header'",
    });
    expect(await post({ ...base, grant_type: "client_credentials" })).toMatchObject({
      error_code: "unsupported_grant_type",
    });
    expect(await post({ scope: "ovirt-app-api", username: "admin@internal", password: "x" })).toMatchObject({
      error: "Missing parameter: 'grant_type'",
    });
    expect(await post({ ...base, username: "admin@nowhere" })).toMatchObject({
      error_code: "access_denied",
      error: "Cannot authenticate user 'admin@nowhere': No valid profile found in credentials..",
    });
  });

  it("revokes a token on logout, and the API then answers 401", async () => {
    const token = JSON.parse((await login(engine)).text).access_token as string;
    const mine = client(engine, token);
    expect((await mine("GET", "")).status).toBe(200);
    const revoked = engine.state.tokens.revoked;
    const out = await send(engine, "POST", engine.logoutUrl, {
      body: new URLSearchParams({ scope: "ovirt-app-api", token }).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(out.status).toBe(200);
    expect(engine.state.tokens.revoked).toBe(revoked + 1);
    const after = await mine("GET", "/vms");
    expect(after.status).toBe(401);
    expect(after.headers["www-authenticate"]).toMatch(/^Bearer/);
  });

  it("expires every token on demand; a new login works again", async () => {
    const other = await startEngine({ protocol: "http", stepMs: 0, password: "pw" });
    try {
      const token = JSON.parse((await login(other, "pw")).text).access_token as string;
      const mine = client(other, token);
      expect((await mine("GET", "/vms")).status).toBe(200);
      other.expireTokens();
      expect((await mine("GET", "/vms")).status).toBe(401);
      const again = client(other, JSON.parse((await login(other, "pw")).text).access_token);
      expect((await again("GET", "/vms")).status).toBe(200);
      expect(other.state.tokens.issued).toBe(2);
    } finally {
      await other.close();
    }
  });

  it("lets tokens expire after tokenLifetimeMs", async () => {
    const other = await startEngine({ protocol: "http", seed: false, password: "pw", tokenLifetimeMs: 30 });
    try {
      const mine = client(other, JSON.parse((await login(other, "pw")).text).access_token);
      expect((await mine("GET", "")).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect((await mine("GET", "")).status).toBe(401);
      expect(other.state.tokens.active).toBe(0);
    } finally {
      await other.close();
    }
  });

  it("refuses requests without credentials and accepts the deprecated Basic scheme", async () => {
    const none = await send(engine, "GET", engine.url);
    expect(none.status).toBe(401);
    expect(none.headers["content-type"]).toMatch(/text\/html/);
    const basic = `Basic ${Buffer.from(`admin@internal:${engine.password}`).toString("base64")}`;
    expect((await send(engine, "GET", engine.url, { headers: { Authorization: basic } })).status).toBe(200);
    const wrong = `Basic ${Buffer.from("admin@internal:nope").toString("base64")}`;
    expect((await send(engine, "GET", engine.url, { headers: { Authorization: wrong } })).status).toBe(401);
  });
});

describe("the API's envelope", () => {
  it("answers the entry point with links, product info, special objects and a summary", async () => {
    const root = await api("GET", "");
    expect(root.status).toBe(200);
    const rels = items(root.xml)
      .filter((c) => c.name === "link")
      .map((c) => c.attributes!.rel);
    expect(rels).toEqual(
      expect.arrayContaining(["vms", "vms/search", "clusters", "datacenters", "hosts", "templates", "jobs"]),
    );
    const product = child(root.xml, "product_info");
    expect(text(product, "name")).toBe("oVirt Engine");
    expect(text(child(product, "version"), "major")).toBe("4");
    const blank = child(child(root.xml, "special_objects"), "blank_template");
    expect(blank?.attributes).toEqual({
      href: "/ovirt-engine/api/templates/00000000-0000-0000-0000-000000000000",
      id: "00000000-0000-0000-0000-000000000000",
    });
    expect(text(child(child(root.xml, "summary"), "hosts"), "total")).toBe("1");
  });

  it("takes the version from the path or the header, and refuses other versions", async () => {
    expect((await api("GET", "/v4/vms")).status).toBe(200);
    const v3 = await api("GET", "/vms", undefined, { Version: "3" });
    expect(fault(v3)).toMatchObject({ status: 400, reason: "Operation Failed" });
  });

  it("answers 404 without a body for an unknown id or path, 400 for an id that is no UUID, 405 for a wrong method", async () => {
    const unknown = await api("GET", "/vms/7d6696b7-fbaf-471d-8e6b-ce7052586c24");
    expect([unknown.status, unknown.text]).toEqual([404, ""]);
    expect((await api("GET", "/spaceships")).status).toBe(404);
    expect((await api("POST", "/vms/7d6696b7-fbaf-471d-8e6b-ce7052586c24/fly", "<action/>")).status).toBe(404);
    expect(fault(await api("GET", "/vms/not-a-uuid"))).toEqual({
      status: 400,
      reason: "Operation failed",
      detail: "Invalid UUID string: not-a-uuid",
    });
    expect((await api("DELETE", "/vms")).status).toBe(405);
  });

  it("writes entities with href and id, actions, sub-collection links and references", async () => {
    const vm = (await api("GET", "/vms?search=name%3Dpython_vm")).xml!.children[0]!;
    expect(Object.keys(vm.attributes!)).toEqual(["href", "id"]);
    const actions = child(vm, "actions")!.children.map((l) => l.attributes!.rel);
    expect(actions).toEqual(expect.arrayContaining(["start", "stop", "shutdown", "suspend", "reboot"]));
    const links = vm.children.filter((c) => c.name === "link").map((c) => c.attributes!.rel);
    expect(links).toEqual(expect.arrayContaining(["nics", "diskattachments", "snapshots", "permissions"]));
    const cluster = child(vm, "cluster")!;
    expect(cluster.attributes!.href).toBe(`/ovirt-engine/api/clusters/${cluster.attributes!.id}`);
    expect(cluster.children).toEqual([]);
  });

  it("records the requests it received, without their credentials", async () => {
    await api("GET", "/clusters", undefined, { "Correlation-Id": "look-for-me" });
    const seen = engine.state.requests.find((r) => r.headers["correlation-id"] === "look-for-me")!;
    expect(seen).toMatchObject({ method: "GET", path: "/ovirt-engine/api/clusters" });
    expect(seen.headers.version).toBe("4");
    expect(seen.headers.authorization).toBe("<redacted>");
  });
});

describe("collections", () => {
  beforeAll(async () => {
    for (const name of ["web-1", "web-2", "Web-3", "db-1"])
      await addVm(name, `<memory>${name.startsWith("db") ? 4294967296 : 1073741824}</memory>`);
  });

  const names = async (query: string) => items((await api("GET", `/vms?${query}`)).xml).map((vm) => text(vm, "name"));

  it("searches with name=, wildcards, and, or, status= and cluster=", async () => {
    expect(await names("search=name%3Dweb-1")).toEqual(["web-1"]);
    expect(await names(`search=${encodeURIComponent("name=web-*")}`)).toEqual(["web-1", "web-2"]);
    expect(await names(`search=${encodeURIComponent("name=web-* or name=db*")}`)).toEqual(["db-1", "web-1", "web-2"]);
    expect(await names(`search=${encodeURIComponent("name=*-1 and memory>2000000000")}`)).toEqual(["db-1"]);
    expect(await names(`search=${encodeURIComponent("status=down name=db-1")}`)).toEqual(["db-1"]);
    expect(await names(`search=${encodeURIComponent("cluster=Default and name=web-2")}`)).toEqual(["web-2"]);
    expect(await names(`search=${encodeURIComponent("Vms: name=web-2")}`)).toEqual(["web-2"]);
  });

  it("searches case-sensitively unless case_sensitive=false", async () => {
    expect(await names(`search=${encodeURIComponent("name=web-*")}`)).not.toContain("Web-3");
    expect(await names(`search=${encodeURIComponent("name=web-*")}&case_sensitive=false`)).toEqual([
      "web-1",
      "web-2",
      "Web-3",
    ]);
    expect(await names(`search=${encodeURIComponent("status=DOWN and name=db-1")}`)).toEqual(["db-1"]);
  });

  it("pages with max and `page N`, sorts with sortby", async () => {
    expect(await names("max=2")).toHaveLength(2);
    const all = await names(`search=${encodeURIComponent("name=*-*")}&case_sensitive=false`);
    expect(await names(`search=${encodeURIComponent("name=*-* page 2")}&case_sensitive=false&max=2`)).toEqual(
      all.slice(2, 4),
    );
    expect(await names(`search=${encodeURIComponent("name=web-* sortby name desc")}`)).toEqual(["web-2", "web-1"]);
  });

  it("refuses a search naming an unknown property or with a syntax error", async () => {
    const unknown = fault(await api("GET", `/vms?search=${encodeURIComponent("colour=red")}`));
    expect(unknown).toMatchObject({ status: 400, reason: "Operation Failed" });
    expect(unknown.detail).toContain("'colour'");
    expect(fault(await api("GET", `/vms?search=${encodeURIComponent("name=")}`)).status).toBe(400);
    expect(fault(await api("GET", "/vms?max=lots"))).toMatchObject({ status: 400, reason: "Invalid value" });
  });

  it("shows a data center's clusters, a cluster's networks and a network's profiles as views", async () => {
    const dc = (await api("GET", "/datacenters")).xml!.children[0]!;
    const clusters = await api("GET", `/datacenters/${dc.attributes!.id}/clusters`);
    const cluster = clusters.xml!.children[0]!;
    expect(text(cluster, "name")).toBe("Default");
    expect(cluster.attributes!.href).toBe(
      `/ovirt-engine/api/datacenters/${dc.attributes!.id}/clusters/${cluster.attributes!.id}`,
    );
    const networks = await api("GET", `/clusters/${cluster.attributes!.id}/networks`);
    const network = networks.xml!.children[0]!;
    expect(text(network, "name")).toBe("ovirtmgmt");
    const profiles = await api("GET", `/networks/${network.attributes!.id}/vnicprofiles`);
    expect(items(profiles.xml).map((p) => text(p, "name"))).toEqual(["ovirtmgmt"]);
  });

  it("answers a list for every collection the entry point links to", async () => {
    const root = await api("GET", "");
    const rels = items(root.xml)
      .filter((c) => c.name === "link" && !c.attributes!.rel!.endsWith("/search"))
      .map((c) => c.attributes!.rel!);
    expect(rels.length).toBeGreaterThan(30);
    const statuses = new Set<number>();
    for (const rel of rels) {
      const answer = await api("GET", `/${rel}`);
      statuses.add(answer.status);
      if (answer.status === 200) expect([rel, answer.xml?.name]).toEqual([rel, expect.any(String)]);
    }
    // 405 for the few without a list method (`options` is reached by name only, `externalvmimports` takes a POST).
    expect([...statuses].sort()).toEqual([200, 405]);
  });

  it("serves every other collection of the model, empty", async () => {
    const vmId = await addVm("empty-collections");
    for (const path of [
      "/bookmarks",
      "/instancetypes",
      "/vmpools",
      `/vms/${vmId}/cdroms`,
      `/vms/${vmId}/permissions`,
      `/vms/${vmId}/statistics`,
    ]) {
      const answer = await api("GET", path);
      expect([path, answer.status, answer.xml?.children.length]).toEqual([path, 200, 0]);
    }
  });
});

describe("the audit log", () => {
  it("records logins and logouts as events, newest first", async () => {
    const token = JSON.parse((await login(engine)).text).access_token as string;
    await send(engine, "POST", engine.logoutUrl, {
      body: new URLSearchParams({ scope: "ovirt-app-api", token }).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    const events = items((await api("GET", "/events?max=2")).xml);
    expect(events.map((e) => text(e, "code"))).toEqual(["31", "30"]);
    expect(text(events[0], "description")).toBe("User admin@internal-authz logged out.");
    expect(text(events[1], "description")).toMatch(
      /^User admin@internal-authz connecting from '.+' using session '.+' logged in\.$/,
    );
    expect(Number(events[0]!.attributes!.id)).toBeGreaterThan(Number(events[1]!.attributes!.id));
  });
});

describe("add, update, remove", () => {
  it("adds a VM from names of its cluster and template, with the engine's defaults", async () => {
    const answer = await api(
      "POST",
      "/vms",
      vmXml("from-names", "<memory>536870912</memory><os><boot><devices><device>hd</device></devices></boot></os>"),
    );
    expect(answer.status).toBe(201);
    const vm = answer.xml!;
    expect(answer.headers.location).toBe(`/ovirt-engine/api/vms/${vm.attributes!.id}`);
    expect(text(vm, "status")).toBe("down");
    expect(text(vm, "memory")).toBe("536870912");
    expect(child(vm, "template")!.attributes!.id).toBe("00000000-0000-0000-0000-000000000000");
    expect(child(vm, "original_template")!.attributes!.id).toBe("00000000-0000-0000-0000-000000000000");
    expect(text(child(vm, "cpu"), "architecture")).toBe("x86_64");
    const snapshots = await api("GET", `/vms/${vm.attributes!.id}/snapshots`);
    expect(text(snapshots.xml!.children[0], "snapshot_type")).toBe("active");
  });

  it("refuses missing mandatory members, unknown references and duplicate names", async () => {
    expect(fault(await api("POST", "/vms", "<vm><cluster><name>Default</name></cluster></vm>"))).toEqual({
      status: 400,
      reason: "Incomplete parameters",
      detail: "Vm [name, template.id|name] required for add",
    });
    expect(fault(await api("POST", "/vms", vmXml("x").replace("<name>Default</name>", "<name>Nope</name>")))).toEqual({
      status: 404,
      reason: "Operation Failed",
      detail: "Entity not found: Cluster: name=Nope",
    });
    await addVm("twice");
    expect(fault(await api("POST", "/vms", vmXml("twice")))).toEqual({
      status: 409,
      reason: "Operation Failed",
      detail: "[Cannot add VM. The given name is already in use.]",
    });
  });

  it("refuses an element the model does not define, malformed XML and values of the wrong type", async () => {
    const syntax = fault(await api("POST", "/vms", vmXml("colourful", "<colour>red</colour>")));
    expect(syntax).toEqual({
      status: 400,
      reason: "Request syntactically incorrect.",
      detail: `For correct usage, see: ${engine.url.replace("/api", "/apidoc")}#services/vms/methods/add`,
    });
    expect(fault(await api("POST", "/vms", "<vm><name>broken</name>"))).toMatchObject({
      status: 400,
      reason: "Request syntactically incorrect.",
    });
    expect(fault(await api("POST", "/vms", "<nic><name>wrong-root</name></nic>"))).toMatchObject({ status: 400 });
    expect(fault(await api("POST", "/vms", vmXml("big", "<memory>lots</memory>")))).toEqual({
      status: 400,
      reason: "Invalid value",
      detail: 'Value "lots" isn\'t a valid integer',
    });
    const badEnum = fault(await api("POST", "/vms", vmXml("odd", "<type>mainframe</type>")));
    expect(badEnum).toMatchObject({ status: 400, reason: "Invalid value" });
    expect(badEnum.detail).toContain("desktop, server, high_performance");
  });

  it("updates members sent and keeps the others", async () => {
    const id = await addVm("to-update");
    const answer = await api("PUT", `/vms/${id}`, "<vm><description>updated_desc</description></vm>");
    expect(answer.status).toBe(200);
    expect(text(answer.xml, "description")).toBe("updated_desc");
    const again = await api("GET", `/vms/${id}`);
    expect([text(again.xml, "name"), text(again.xml, "description")]).toEqual(["to-update", "updated_desc"]);
    expect(fault(await api("PUT", `/vms/${id}`, "<vm><name>python_vm</name></vm>")).status).toBe(409);
  });

  it("adds NICs by network name (a vNIC profile on v4), lists, renames and removes them", async () => {
    const id = await addVm("with-nic");
    const added = await api(
      "POST",
      `/vms/${id}/nics`,
      "<nic><name>eth0</name><network><name>ovirtmgmt</name></network><interface>e1000</interface></nic>",
    );
    expect(added.status).toBe(201);
    const nic = added.xml!;
    expect(text(nic, "interface")).toBe("e1000");
    expect(text(child(nic, "mac"), "address")).toMatch(/^56:6f(:[0-9a-f]{2}){4}$/);
    expect(child(nic, "vm")!.attributes!.id).toBe(id);
    expect(child(nic, "vnic_profile")!.attributes!.href).toMatch(/^\/ovirt-engine\/api\/vnicprofiles\//);
    expect(child(nic, "network")).toBeUndefined();
    const nicPath = `/vms/${id}/nics/${nic.attributes!.id}`;
    expect(nic.attributes!.href).toBe(`/ovirt-engine/api${nicPath}`);
    expect(text((await api("PUT", nicPath, "<nic><name>eth01</name></nic>")).xml, "name")).toBe("eth01");
    expect(items((await api("GET", `/vms/${id}/nics`)).xml).map((n) => text(n, "name"))).toEqual(["eth01"]);
    expect((await api("DELETE", nicPath)).status).toBe(200);
    expect((await api("GET", nicPath)).status).toBe(404);
  });

  it("creates disks locked, then ok, with an 'Adding Disk' job, and lists them under their storage domain", async () => {
    const id = await addVm("with-disk");
    const sd = (await api("GET", "/storagedomains?search=name%3Dmydata")).xml!.children[0]!;
    const body =
      "<disk_attachment><bootable>true</bootable><interface>virtio</interface><active>true</active><disk>" +
      `<name>mydisk</name><format>cow</format><provisioned_size>5368709120</provisioned_size><storage_domains><storage_domain id="${sd.attributes!.id}"/></storage_domains>` +
      "</disk></disk_attachment>";
    const added = await api("POST", `/vms/${id}/diskattachments`, body);
    expect(added.status).toBe(201);
    const diskId = child(added.xml, "disk")!.attributes!.id!;
    expect(added.xml!.attributes!.id).toBe(diskId);
    expect(text((await api("GET", `/disks/${diskId}`)).xml, "status")).toBe("locked");
    await engine.idle();
    const disk = (await api("GET", `/disks/${diskId}`)).xml!;
    expect([text(disk, "status"), text(disk, "sparse"), text(disk, "provisioned_size")]).toEqual([
      "ok",
      "true",
      "5368709120",
    ]);
    const onDomain = await api("GET", `/storagedomains/${sd.attributes!.id}/disks`);
    expect(items(onDomain.xml).map((d) => d.attributes!.id)).toContain(diskId);
    const jobs = await api("GET", `/jobs?search=${encodeURIComponent('description="Adding Disk mydisk"')}`);
    expect(text(jobs.xml!.children[0], "status")).toBe("finished");
  });

  it("refuses a disk without its size, format or storage domain", async () => {
    const id = await addVm("disk-missing");
    const answer = await api(
      "POST",
      `/vms/${id}/diskattachments`,
      "<disk_attachment><interface>virtio</interface><disk><format>raw</format></disk></disk_attachment>",
    );
    expect(fault(answer)).toEqual({
      status: 400,
      reason: "Incomplete parameters",
      detail: "Disk [provisioned_size, storage_domains] required for add",
    });
  });

  it("removes a VM that is down, with its disks", async () => {
    const id = await addVm("to-remove");
    expect((await api("DELETE", `/vms/${id}`)).status).toBe(200);
    expect((await api("GET", `/vms/${id}`)).status).toBe(404);
  });
});

describe("follow and all_content", () => {
  let id: string;
  beforeAll(async () => {
    id = await addVm("followed", "<initialization><host_name>followed.example.com</host_name></initialization>");
    await api("POST", `/vms/${id}/nics`, "<nic><name>nic1</name></nic>");
    const sd = (await api("GET", "/storagedomains")).xml!.children[0]!.attributes!.id;
    await api(
      "POST",
      `/vms/${id}/diskattachments`,
      `<disk_attachment><interface>virtio_scsi</interface><disk><name>followed_disk</name><format>raw</format><provisioned_size>1073741824</provisioned_size><storage_domains><storage_domain id="${sd}"/></storage_domains></disk></disk_attachment>`,
    );
    await engine.idle();
  });

  it("inlines followed sub-collections and references instead of linking them", async () => {
    const vm = (await api("GET", `/vms/${id}?follow=disk_attachments.disk,nics`)).xml!;
    const rels = vm.children.filter((c) => c.name === "link").map((c) => c.attributes!.rel);
    expect(rels).not.toContain("diskattachments");
    expect(rels).not.toContain("nics");
    const attachment = child(child(vm, "disk_attachments"), "disk_attachment")!;
    expect(text(attachment, "interface")).toBe("virtio_scsi");
    const disk = child(attachment, "disk")!;
    expect([text(disk, "name"), text(disk, "status")]).toEqual(["followed_disk", "ok"]);
    expect(text(child(child(vm, "nics"), "nic"), "name")).toBe("nic1");
    const unfollowed = (await api("GET", `/vms/${id}`)).xml!;
    expect(child(unfollowed, "disk_attachments")).toBeUndefined();
  });

  it("follows in lists too, and follows plain references", async () => {
    const vms = (await api("GET", `/vms?search=name%3Dfollowed&follow=cluster`)).xml!;
    expect(text(child(vms.children[0], "cluster"), "name")).toBe("Default");
  });

  it("shows what only all_content shows with the parameter or the older header", async () => {
    expect(child((await api("GET", `/vms/${id}`)).xml, "initialization")).toBeUndefined();
    const all = (await api("GET", `/vms/${id}?all_content=true`)).xml;
    expect(text(child(all, "initialization"), "host_name")).toBe("followed.example.com");
    const header = (await api("GET", `/vms/${id}`, undefined, { "All-Content": "true" })).xml;
    expect(child(header, "initialization")).toBeDefined();
  });
});

describe("VM actions", () => {
  const action = (id: string, name: string, body = "<action/>", headers: Record<string, string> = {}) =>
    api("POST", `/vms/${id}/${name}`, body, headers);
  const status = async (id: string) => text((await api("GET", `/vms/${id}`)).xml, "status");

  it("starts a VM through wait_for_launch and powering_up to up, with a job found by its correlation id", async () => {
    const id = await addVm("to-start");
    // Held, the VM takes one step per turn of the loop below, so that every status is seen on a slow machine.
    let release = engine.hold();
    const answer = await action(
      id,
      "start",
      "<action><vm><os><boot><devices><device>cdrom</device></devices></boot></os></vm></action>",
      {
        "Correlation-Id": "start-to-start",
      },
    );
    expect(answer.status).toBe(200);
    expect(text(answer.xml, "status")).toBe("complete");
    const job = child(answer.xml, "job")!;
    expect(job.attributes!.href).toBe(`/ovirt-engine/api/jobs/${job.attributes!.id}`);
    const seen = [await status(id)];
    while (seen.at(-1) !== "up") {
      await new Promise((resolve) => setTimeout(resolve, 30));
      release();
      release = engine.hold();
      const now = await status(id);
      if (now !== seen.at(-1)) seen.push(now);
    }
    release();
    expect(seen).toEqual(["wait_for_launch", "powering_up", "up"]);
    const vm = (await api("GET", `/vms/${id}`)).xml!;
    expect(child(vm, "host")!.attributes!.href).toMatch(/^\/ovirt-engine\/api\/hosts\//);
    expect(text(vm, "start_time")).toBeDefined();
    const jobs = await api("GET", `/jobs?search=${encodeURIComponent("correlation_id=start-to-start")}`);
    const found = jobs.xml!.children[0]!;
    expect([found.attributes!.id, text(found, "status"), text(found, "description")]).toEqual([
      job.attributes!.id,
      "finished",
      "Launching VM to-start",
    ]);
    const steps = await api("GET", `/jobs/${job.attributes!.id}/steps`);
    expect(text(steps.xml!.children[0], "status")).toBe("finished");
  });

  it("answers the engine's 409 for an action the VM's state does not allow", async () => {
    const id = await addVm("conflicts");
    expect(fault(await action(id, "stop"))).toEqual({
      status: 409,
      reason: "Operation Failed",
      detail: "[Cannot stop VM. VM is not running.]",
    });
    expect(fault(await action(id, "suspend"))).toMatchObject({
      status: 409,
      detail: "[Cannot suspend VM. VM is not up.]",
    });
    await action(id, "start");
    expect(fault(await action(id, "start"))).toEqual({
      status: 409,
      reason: "Operation Failed",
      detail: "[Cannot run VM. VM is running.]",
    });
    expect(fault(await api("DELETE", `/vms/${id}`))).toEqual({
      status: 409,
      reason: "Operation Failed",
      detail: "[Cannot remove VM. VM is running.]",
    });
    await engine.idle();
    const release = engine.hold();
    expect((await action(id, "stop")).status).toBe(200);
    expect(await status(id)).toBe("powering_down");
    // Held, the change does not happen even well past its step.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await status(id)).toBe("powering_down");
    release();
    await engine.idle();
    expect(await status(id)).toBe("down");
  });

  it("shuts down, suspends and resumes, and refuses to run a VM whose disk is locked", async () => {
    const id = await addVm("cycle");
    await action(id, "start");
    await engine.idle();
    await action(id, "suspend");
    expect(await status(id)).toBe("saving_state");
    await engine.idle();
    expect(await status(id)).toBe("suspended");
    await action(id, "start");
    expect(await status(id)).toBe("restoring_state");
    await engine.idle();
    await action(id, "shutdown");
    await engine.idle();
    expect(await status(id)).toBe("down");
    const sd = (await api("GET", "/storagedomains")).xml!.children[0]!.attributes!.id;
    await api(
      "POST",
      `/vms/${id}/diskattachments`,
      `<disk_attachment><interface>virtio</interface><disk><alias>slow</alias><format>cow</format><provisioned_size>1</provisioned_size><storage_domains><storage_domain id="${sd}"/></storage_domains></disk></disk_attachment>`,
    );
    expect(fault(await action(id, "start"))).toEqual({
      status: 409,
      reason: "Operation Failed",
      detail: "[Cannot run VM: The following disks are locked: slow. Please try again in a few minutes.]",
    });
    await engine.idle();
  });

  it("answers 202 and a pending status to an asynchronous action", async () => {
    const id = await addVm("async");
    const answer = await action(id, "start", "<action><async>true</async></action>");
    expect([answer.status, text(answer.xml, "status"), text(answer.xml, "async")]).toEqual([202, "pending", "true"]);
    await engine.idle();
  });

  it("refuses an action body with an element the model does not define", async () => {
    const id = await addVm("odd-action");
    expect(fault(await action(id, "start", "<action><warp>9</warp></action>"))).toEqual({
      status: 400,
      reason: "Request syntactically incorrect.",
      detail: `For correct usage, see: ${engine.url.replace("/api", "/apidoc")}#services/vm/methods/start`,
    });
  });

  it("lets tests reach states clients cannot cause", async () => {
    const id = await addVm("paused");
    expect(engine.state.tamper("vms", id, { status: "paused" })).toBe(true);
    expect(await status(id)).toBe("paused");
    expect(engine.state.get("vms", id)?.name).toBe("paused");
    expect(engine.state.find("vms", "paused")?.id).toBe(id);
    expect(engine.state.tamper("vms", "nope", {})).toBe(false);
  });
});

describe("failures on demand", () => {
  it("answers a truncated document, a proxy's HTML page, a bare status or a reset connection", async () => {
    engine.failNext({ kind: "truncated-xml" });
    const truncated = await api("GET", "/vms").catch((error: Error) => error);
    expect(truncated).toBeInstanceOf(Error);
    engine.failNext({ kind: "html" });
    const html = await api("GET", "/vms");
    expect([html.status, html.headers["content-type"]]).toEqual([502, "text/html; charset=iso-8859-1"]);
    expect(html.text).toContain("Proxy Error");
    engine.failNext({ kind: "status", status: 503 }, { count: 2 });
    expect((await api("GET", "/vms")).status).toBe(503);
    expect((await api("GET", "/vms")).status).toBe(503);
    expect((await api("GET", "/vms")).status).toBe(200);
    engine.failNext({ kind: "reset" });
    await expect(api("GET", "/vms")).rejects.toThrow();
    engine.failNext({ kind: "html", status: 200 }, { target: "sso" });
    const page = await login(engine);
    expect([page.status, page.text.startsWith("<!DOCTYPE")]).toEqual([200, true]);
  });
});
