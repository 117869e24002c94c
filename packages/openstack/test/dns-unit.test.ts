// Cloud DNS's checks that refuse a call before anything is sent: the endpoint below accepts no
// connection (port 9, discard, closed here), so a call that sent a request would fail differently.
import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { CloudDNS, InvalidDeviceType, MissingDNSSettings, NoMoreResults } from "../src/index.js";
import { CloudDNSDomain } from "../src/resources/dns/domain.js";

const dns = new CloudDNS({ endpoint: "http://127.0.0.1:9/", region: "RegionOne", auth: { authorize: () => {} } });
const dom = new CloudDNSDomain(dns, { id: "z1", name: "example.com" });

describe("Cloud DNS argument checks (no request sent)", () => {
  it("refuses options create does not take, and values of the wrong type", async () => {
    await expect(dns.create({ name: "a.com", emailAddress: "x@a.com", ttls: 5 } as never)).rejects.toThrow(
      /unknown option "ttls"/,
    );
    await expect(dns.create("a.com", "x@a.com", "3600" as never)).rejects.toThrow(/ttl must be a number/);
    await expect(dns.create("a.com", "x@a.com", 3600, "c", {} as never)).rejects.toThrow(/subdomains must be an array/);
    await expect(dns.create({ emailAddress: "x@a.com" })).rejects.toThrow(/name must be a non-empty string/);
  });

  it("checks records: known keys, type, name and data present, priority only on MX and SRV", async () => {
    await expect(
      dom.addRecords({ type: "A", name: "a.example.com", data: "192.0.2.1", weight: 1 } as never),
    ).rejects.toThrow(/unknown key "weight"/);
    await expect(dom.addRecords({ type: "A", name: "", data: "192.0.2.1" })).rejects.toThrow(ValidationError);
    await expect(dom.addRecords({ type: "A", name: "example.com", data: "192.0.2.1", priority: 1 })).rejects.toThrow(
      /priority is allowed on MX and SRV records only/,
    );
    await expect(
      dom.addRecords({ type: "SRV", name: "_sip._tcp.example.com", data: "5 5060 sip.example.com" }),
    ).rejects.toThrow(/SRV record needs a priority/);
  });

  it("says when there is nothing to change, no page to move to, or no device", async () => {
    await expect(dns.updateDomain(dom)).rejects.toThrow(MissingDNSSettings);
    await expect(dom.update()).rejects.toThrow(MissingDNSSettings);
    await expect(dns.listNextPage()).rejects.toThrow(NoMoreResults);
    await expect(dns.listRecordsPreviousPage()).rejects.toThrow(NoMoreResults);
    await expect(dns.listPtrRecords({ name: "not a device" } as never)).rejects.toThrow(InvalidDeviceType);
    expect(() => dns.setTimeout(-1)).toThrow(ValidationError);
    expect(() => dns.setDelay("1" as never)).toThrow(ValidationError);
  });
});
