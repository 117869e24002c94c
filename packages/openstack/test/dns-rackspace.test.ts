// pyrax.cloudDns speaking Rackspace Cloud DNS v1.0 (identity_type rackspace). Rackspace's service cannot
// run here: these tests run against a SIMULATOR of its documented shapes (src/testing/rackspace/dns.ts),
// which checks what it receives and answers every change with an asynchronous job that reports RUNNING
// before COMPLETED or ERROR, as pyrax's _async_call expects.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  CloudDNS,
  DNSCallTimedOut,
  DomainCreationFailed,
  DomainRecordAdditionFailed,
  DomainRecordNotFound,
  DomainUpdateFailed,
  InvalidDeviceType,
  NoMoreResults,
  Pyrax,
} from "../src/index.js";
import { rackspaceDns, startRackspaceSimulator, type RackspaceSimulator } from "../src/testing/index.js";

describe("pyrax.cloudDns on Rackspace Cloud DNS v1.0 (a simulator of the documented API)", () => {
  let sim: RackspaceSimulator;
  const service = rackspaceDns();
  let pyrax: Pyrax;
  let dns: CloudDNS;

  beforeAll(async () => {
    sim = await startRackspaceSimulator([service]);
    pyrax = new Pyrax({ configPath: "/nonexistent/pyrax.cfg", env: {} });
    pyrax.setSetting("identity_type", "rackspace");
    pyrax.setSetting("auth_endpoint", sim.authEndpoint);
    await pyrax.setCredentials(sim.username, sim.apiKey);
    dns = pyrax.cloudDns!;
    dns.setDelay(0.01);
  });

  afterAll(async () => {
    await pyrax?.close();
    await sim?.stop();
  });

  const statusPolls = () => sim.requests.filter((r) => r.path.includes("/status/")).length;

  it("speaks Rackspace's API at the catalog's global rax:dns endpoint", async () => {
    expect(dns).toBeInstanceOf(CloudDNS);
    expect(dns.api).toBe("rackspace");
    expect(dns.endpoint.href).toBe(`${sim.serviceUrl("dns")}/`);
    expect(await pyrax.connectToCloudDns({ region: "ORD" })).toBeInstanceOf(CloudDNS);
  });

  it("runs the issue's snippet, waiting for each job", async () => {
    const polls = statusPolls();
    const dom = await dns.create({ name: "example.com", emailAddress: "admin@example.com", ttl: 3600, comment: "c" });
    // The job said RUNNING first: the client asked again until COMPLETED.
    expect(statusPolls() - polls).toBe(2);
    expect([dom.name, dom.emailAddress, dom.ttl, dom.comment]).toEqual(["example.com", "admin@example.com", 3600, "c"]);
    const [www] = await dom.addRecords([{ type: "A", name: "www.example.com", data: "192.0.2.10", ttl: 300 }]);
    expect(www!.id).toMatch(/^A-\d+$/);
    await dom.addRecord({ type: "MX", name: "example.com", data: "mail.example.com", priority: 10 });
    expect((await dns.list()).map((d) => d.name)).toContain("example.com");
    expect((await dns.find({ name: "example.com" })).id).toBe(dom.id);
    expect((await dom.listRecords()).map((r) => `${r.type} ${r.name} ${r.data} ${r.priority ?? ""}`).sort()).toEqual([
      "A www.example.com 192.0.2.10 ",
      "MX example.com mail.example.com 10",
    ]);
    expect((await dom.update({ ttl: 600 })).ttl).toBe(600);
    const found = await dom.searchRecords("A", "www.example.com");
    expect(found.map((r) => r.id)).toEqual([www!.id]);
    await dom.updateRecord(found[0]!, "192.0.2.11");
    expect((await dom.getRecord(www!.id)).data).toBe("192.0.2.11");
    const zone = await dom.export();
    expect(zone).toContain("www.example.com.\t300\tIN\tA\t192.0.2.11");
    await dom.deleteRecord(found[0]!);
    await expect(dom.findRecord("A", "www.example.com")).rejects.toThrow(DomainRecordNotFound);
    const seen: string[] = [];
    for await (const d of dns.listIterator()) seen.push(d.name);
    expect(seen).toContain("example.com");
    await dom.delete();
    expect(await dns.findall({ name: "example.com" })).toEqual([]);
    const imported = await dns.importDomain(zone);
    expect(imported.domains.map((d) => d.name)).toEqual(["example.com"]);
    expect((await dns.findRecord("example.com", "A", "www.example.com")).data).toBe("192.0.2.11");
    await dns.delete("example.com");
  });

  it("creates subdomains with their parent; a deleted parent leaves them as root domains", async () => {
    const parent = await dns.create("corp.example.net", "hostmaster@example.net", 3600, undefined, [
      { name: "eu.corp.example.net", comment: "Europe" },
    ]);
    expect((await parent.listSubdomains()).map((d) => d.name)).toEqual(["eu.corp.example.net"]);
    await parent.delete();
    const orphan = await dns.find({ name: "eu.corp.example.net" });
    expect(orphan.comment).toBe("Europe");
    const again = await dns.create({ name: "corp.example.net", emailAddress: "a@example.net" });
    await dns.delete(again, true);
    expect(await dns.findall({ name: "eu.corp.example.net" })).toEqual([]);
  });

  it("pages with limit and offset through Rackspace's links", async () => {
    const made = [];
    for (const n of ["a", "b", "c"])
      made.push(await dns.create({ name: `${n}.paging.test`, emailAddress: "x@y.test" }));
    expect((await dns.list(2, 0)).map((d) => d.name)).toEqual(["a.paging.test", "b.paging.test"]);
    expect((await dns.listNextPage()).map((d) => d.name)).toEqual(["c.paging.test"]);
    await expect(dns.listNextPage()).rejects.toThrow(NoMoreResults);
    for (const d of made) await d.delete();
  });

  it("fails with pyrax's exception names, from the job or from the immediate answer", async () => {
    const dom = await dns.create({ name: "errors.test", emailAddress: "a@errors.test" });
    // A duplicate is found while the job runs: the job ends in ERROR.
    const duplicate = await dns.create({ name: "errors.test", emailAddress: "a@errors.test" }).catch((e) => e);
    expect(duplicate).toBeInstanceOf(DomainCreationFailed);
    expect((duplicate as DomainCreationFailed).status).toBe(409);
    expect((duplicate as Error).message).toContain("Domain already exists: errors.test (409)");
    // Record data that does not fit its type is refused before any job: 400.
    const invalid = await dom.addRecords({ type: "A", name: "www.errors.test", data: "not-an-ip" }).catch((e) => e);
    expect(invalid).toBeInstanceOf(DomainRecordAdditionFailed);
    expect((invalid as DomainRecordAdditionFailed).status).toBe(400);
    expect((invalid as Error).message).toContain("is no IPv4 address");
    await expect(dom.update({ ttl: 5 })).rejects.toThrow(DomainUpdateFailed);
    // A job still RUNNING when the client's timeout passes: DNSCallTimedOut (the change may still complete).
    service.runningPolls = 1000;
    dns.setTimeout(0.2);
    try {
      await expect(dom.addRecords({ type: "TXT", name: "errors.test", data: "slow" })).rejects.toThrow(DNSCallTimedOut);
    } finally {
      dns.setTimeout(5);
      service.runningPolls = 1;
    }
    await dom.delete();
  });

  it("lists a domain's changes since a time, and the account's limits", async () => {
    const since = new Date(Date.now() - 1000);
    const dom = await dns.create({ name: "changes.test", emailAddress: "a@changes.test" });
    const [rec] = await dom.addRecords({ type: "A", name: "www.changes.test", data: "192.0.2.1" });
    await rec!.update({ data: "192.0.2.2" });
    const changes = await dom.changesSince(since);
    expect(changes.map((c) => [c.action, c.targetType, c.targetId])).toEqual([
      ["create", "Record", rec!.id],
      ["update", "Record", rec!.id],
    ]);
    expect(await dns.changesSince(dom, new Date(Date.now() + 3600_000))).toEqual([]);
    expect(await dns.getAbsoluteLimits()).toEqual({ domains: 500, "records per domain": 500 });
    const [rate] = await dns.getRateLimits();
    expect(rate!.uri).toBe("*/domains*");
    await dom.delete();
  });

  it("manages the PTR records of a device", async () => {
    const server = { kind: "server" as const, id: "srv-1", href: `${sim.url}/servers/srv-1` };
    expect(await dns.listPtrRecords(server)).toEqual([]);
    const [rec] = await dns.addPtrRecords(server, {
      type: "PTR",
      name: "www.example.org",
      data: "192.0.2.7",
      ttl: 900,
    });
    expect([rec!.name, rec!.data, rec!.ttl]).toEqual(["www.example.org", "192.0.2.7", 900]);
    expect(await dns.updatePtrRecord(server, rec!, "web.example.org", "192.0.2.7", 60)).toBe(true);
    const listed = await dns.listPtrRecords(server);
    // pyrax raises a TTL under 300 to 300 before sending it.
    expect(listed.map((r) => [r.name, r.ttl])).toEqual([["web.example.org", 300]]);
    expect(await listed[0]!.delete()).toBe(true);
    expect(await dns.listPtrRecords(server)).toEqual([]);
    await expect(dns.listPtrRecords({ id: "x" } as never)).rejects.toThrow(InvalidDeviceType);
  });
});
