// pyrax.cloudDns on a real Designate v2 (Debian's python3-designate: api, central, worker and mdns with
// the fake pool backend), started here beside Keystone. mdns answers real DNS queries for the records.
import { Resolver } from "node:dns/promises";
import { Pyrax } from "@nimbus-sdk/openstack";
import { startServer } from "@nimbus-sdk/openstack/testing";

export const name = "openstack-dns";
export const title = "@nimbus-sdk/openstack: pyrax.cloudDns on a local Designate";

export async function run({ step, show, failure }) {
  step('starting Keystone and Designate on 127.0.0.1: startServer({ services: ["dns"] })');
  const cloud = await startServer({
    services: ["dns"],
    onProgress: (what, ms) => show(`${(ms / 1000).toFixed(1)} s  ${what}`),
  });
  const pyrax = new Pyrax({ configPath: "/nonexistent/pyrax.cfg", env: {} });
  try {
    pyrax.setSetting("identity_type", "keystone");
    pyrax.setSetting("auth_endpoint", cloud.url);
    const { username, password, projectName } = cloud.credentials;
    await pyrax.setCredentials(username, password, { tenantName: projectName });
    const dns = pyrax.cloudDns;
    // pyrax waits 5 s for a change; a busy machine may need longer for a zone to go ACTIVE.
    dns.setTimeout(60);

    step('dns.create({ name: "example.com", emailAddress: "admin@example.com", ttl: 3600, comment })');
    const dom = await dns.create({
      name: "example.com",
      emailAddress: "admin@example.com",
      ttl: 3600,
      comment: "made by the demo",
    });
    show(`domain ${dom.id}  ${dom.name}  ttl ${dom.ttl}  ${dom.status}`);

    step("dom.addRecords([...]): an A record, a second value for the same name, an MX with its priority");
    const added = await dom.addRecords([
      { type: "A", name: "www.example.com", data: "192.0.2.10", ttl: 300 },
      { type: "A", name: "www.example.com", data: "192.0.2.11", ttl: 300 },
      { type: "MX", name: "example.com", data: "mail.example.com", priority: 10 },
    ]);
    for (const r of added)
      show(`${r.type.padEnd(3)} ${r.name}  ${r.data}${r.priority === undefined ? "" : `  priority ${r.priority}`}`);
    show("(the two A records are two values of one Designate recordset; each keeps its own id)");

    step(`a DNS query to designate-mdns (127.0.0.1:${cloud.dnsPort}) for www.example.com`);
    const resolver = new Resolver();
    resolver.setServers([`127.0.0.1:${cloud.dnsPort}`]);
    show(`A ${(await resolver.resolve4("www.example.com")).sort().join(", ")}`);

    step("dns.list(), dns.find({ name }), dom.listRecords(), dom.update({ ttl: 600 })");
    show(`domains: ${(await dns.list()).map((d) => d.name).join(", ")}`);
    show(`found: ${(await dns.find({ name: "example.com" })).id}`);
    for (const r of await dom.listRecords()) show(`${r.type.padEnd(4)} ${r.name}  ${r.data}`);
    show(`ttl now ${(await dom.update({ ttl: 600 })).ttl}`);

    step('dom.searchRecords("A", "www.example.com"), then dom.deleteRecord(rec) of one value');
    const [first] = await dom.searchRecords("A", "www.example.com");
    await dom.deleteRecord(first);
    show(`left: ${(await dom.searchRecords("A", "www.example.com")).map((r) => r.data).join(", ")}`);

    step("dom.export(): the zone file");
    const zone = await dom.export();
    for (const line of zone.trim().split("\n")) show(line);

    step("a duplicate domain fails as pyrax's DomainCreationFailed; an invalid record as DomainRecordAdditionFailed");
    show((await failure(dns.create({ name: "example.com", emailAddress: "admin@example.com" }))).slice(0, 160));
    show((await failure(dom.addRecords({ type: "A", name: "bad.example.com", data: "not-an-address" }))).slice(0, 160));

    step("dom.delete(), then dns.importDomain(zoneFile) brings it back; for await over dns.listIterator()");
    await dom.delete();
    const { domains } = await dns.importDomain(zone);
    for await (const d of dns.listIterator()) show(`${d.name}  ${d.id}${d.id === domains[0].id ? "  (imported)" : ""}`);
    await dns.delete(domains[0]);
    show(`domains left: ${(await dns.list()).length}`);
  } finally {
    await pyrax.close();
    await cloud.stop();
  }
}
