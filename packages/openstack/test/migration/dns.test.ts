// Idioms of public scripts written against pyrax's cloud_dns, ported line by line and run against the
// real Designate of the shared stack. Each names its source; each asserts what the Python code relied on
// (return shapes, None, exceptions), and says where Designate makes a port differ.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { CloudDNS, CloudDNSDomain, exc, type CloudDNSRecord } from "../../src/index.js";
import { sharedComputeCloud, type ComputeCloud } from "../helpers/stack.js";

const RUN = randomBytes(3).toString("hex");
jest.setTimeout(180_000);

describe("pyrax cloud_dns idioms on Designate", () => {
  let cloud: ComputeCloud;
  let dns: CloudDNS;
  const made: string[] = [];

  beforeAll(async () => {
    cloud = await sharedComputeCloud();
    dns = new CloudDNS({ endpoint: cloud.endpoint("dns"), region: cloud.region, auth: cloud.auth });
    dns.setTimeout(90);
    dns.setDelay(0.2);
  }, 15 * 60_000);

  afterAll(async () => {
    for (const name of made.reverse()) await dns.delete(name, true).catch(() => undefined);
    await dns.close();
  });

  // pycontribs/pyrax samples/cloud_dns/add_records.py and create_subdomain.py: find the domain, create it on
  // NotFound, catch DomainCreationFailed; then add an A and an MX record in one call.
  async function findOrCreate(domainName: string): Promise<CloudDNSDomain> {
    try {
      return await dns.find({ name: domainName });
    } catch (error) {
      if (!(error instanceof exc.NotFound)) throw error;
      made.push(domainName);
      return dns.create({ name: domainName, emailAddress: "sample@example.edu", ttl: 900, comment: "sample domain" });
    }
  }

  it("find or create, then add_records with an A and an MX (pyrax's samples)", async () => {
    const domainName = `abc-${RUN}.example.edu`;
    const dom = await findOrCreate(domainName);
    expect((await findOrCreate(domainName)).id).toBe(dom.id);
    const aRec = { type: "A", name: domainName, data: "1.2.3.4", ttl: 6000 };
    const mxRec = {
      type: "MX",
      name: domainName,
      data: "mail.example.edu",
      priority: 50,
      comment: "Backup mail server",
    };
    const recs = await dom.addRecords([aRec, mxRec]);
    expect(recs.map((r) => [r.type, r.data, r.priority])).toEqual([
      ["A", "1.2.3.4", undefined],
      ["MX", "mail.example.edu", 50],
    ]);
    // create_subdomain.py: a second create of the same name fails as DomainCreationFailed.
    const subName = `sub.${domainName}`;
    made.push(subName);
    const sub = await dns.create({
      name: subName,
      emailAddress: "sample@example.edu",
      ttl: 900,
      comment: "sample subdomain",
    });
    await expect(dns.create({ name: subName, emailAddress: "sample@example.edu" })).rejects.toThrow(
      exc.DomainCreationFailed,
    );
    // delete_all_subdomains.py: iterate the subdomains and delete each.
    let count = 0;
    for await (const s of dns.getSubdomainIterator(dom)) {
      await s.delete();
      count++;
    }
    expect(count).toBe(1);
    await expect(dns.get(sub.id)).rejects.toThrow(exc.NotFound);
  });

  it("checks a domain in list(), then upserts an A record (a public deployment helper's checkDomain/addRecord)", async () => {
    // The script scans dns.list() for the name, creates the domain when absent, then walks list_records():
    // a record of that name with other data gets record.update(data=...), a missing one add_records(dict).
    const domainName = `deploy-${RUN}.example.org`;
    const checkDomain = async (name: string, email: string) => {
      const exists = (await dns.list()).some((d) => d.name === name);
      if (!exists) {
        made.push(name);
        await dns.create({ name, emailAddress: email });
      }
    };
    const addRecord = async (recordName: string, recordValue: string) => {
      let curdomain: CloudDNSDomain | undefined;
      for (const domain of await dns.list()) if (recordName.endsWith(domain.name)) curdomain = domain;
      let add = true;
      for (const record of await curdomain!.listRecords()) {
        if (record.name === recordName) {
          add = false;
          if (record.data !== recordValue) await record.update({ data: recordValue });
        }
      }
      if (add) await curdomain!.addRecords({ type: "A", name: recordName, data: recordValue, ttl: 300 });
    };
    await checkDomain(domainName, "ops@example.org");
    await checkDomain(domainName, "ops@example.org");
    await addRecord(`app.${domainName}`, "192.0.2.20");
    await addRecord(`app.${domainName}`, "192.0.2.21");
    const records = await dns.searchRecords(domainName, "A", `app.${domainName}`);
    expect(records.map((r) => r.data)).toEqual(["192.0.2.21"]);
  });

  it("adds an apex A record and a CNAME for the FQDN, one dict each (a public 'Challenge 4' script)", async () => {
    // The script passes one dict to add_records (not a list) and prints what it returns: a list of records.
    const name = `challenge-${RUN}.example.net`;
    made.push(name);
    const domain = await dns.create({ name, emailAddress: "me@example.net" });
    const a = await domain.addRecords({ type: "A", name, data: "192.0.2.4", ttl: 1000 });
    const cname = await domain.addRecords({ type: "CNAME", name: `www.${name}`, data: name, ttl: 1000 });
    expect([a.length, cname.length]).toEqual([1, 1]);
    expect([cname[0]!.type, cname[0]!.data, cname[0]!.ttl]).toEqual(["CNAME", name, 1000]);
  });

  it("iterates domains, updates a TTL and reloads, deletes every record but NS (pyrax's samples)", async () => {
    const name = `iter-${RUN}.example.edu`;
    made.push(name);
    const dom = await dns.create({ name, emailAddress: "sample@example.edu", ttl: 900 });
    // iterate_domains.py reads name, emailAddress and created of each.
    const seen: CloudDNSDomain[] = [];
    for await (const domain of dns.getDomainIterator()) seen.push(domain);
    const mine = seen.find((d) => d.name === name)!;
    expect([mine.emailAddress, typeof mine.created]).toEqual(["sample@example.edu", "string"]);
    // update_domain.py: dom.update(ttl=dom.ttl + 600); dom.reload().
    await dom.update({ ttl: dom.ttl! + 600 });
    await dom.reload();
    expect(dom.ttl).toBe(1500);
    // delete_all_records.py skips NS records, which Rackspace required. Designate also manages the SOA
    // and refuses to delete it: the port skips SOA too.
    await dom.addRecords([
      { type: "A", name: `a.${name}`, data: "192.0.2.1" },
      { type: "TXT", name, data: "v=spf1 -all" },
    ]);
    const doomed: CloudDNSRecord[] = [];
    for await (const rec of dns.getRecordIterator(dom)) if (rec.type !== "NS" && rec.type !== "SOA") doomed.push(rec);
    for (const rec of doomed) await rec.delete();
    expect(doomed).toHaveLength(2);
    expect((await dom.listRecords()).map((r) => r.type).sort()).toEqual(["NS", "SOA"]);
    const soa = (await dom.listRecords()).find((r) => r.type === "SOA")!;
    await expect(soa.delete()).rejects.toThrow(exc.DomainRecordDeletionFailed);
  });
});
