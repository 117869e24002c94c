// The Cloud DNS simulator's reading of a BIND 9 zone file (domains/import): just the record forms an
// export writes, and what a hand-written zone file commonly has ($ORIGIN, $TTL, @, comments).
/** The domain of a BIND 9 zone file: its SOA gives name and e-mail, the rest become records (undefined without a SOA). */
export function parseZone(text: string): Record<string, unknown> | undefined {
  let origin = "";
  let defaultTtl = 3600;
  let soa: { name: string; email: string } | undefined;
  const records: Record<string, unknown>[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/;.*$/, "").trim();
    if (!line) continue;
    if (line.startsWith("$ORIGIN")) origin = line.split(/\s+/)[1]!.replace(/\.$/, "");
    else if (line.startsWith("$TTL")) defaultTtl = Number(line.split(/\s+/)[1]);
    else {
      const parts = line.split(/\s+/);
      const name = parts[0] === "@" ? origin : parts[0]!.replace(/\.$/, "");
      let i = 1;
      const ttl = /^\d+$/.test(parts[i]!) ? Number(parts[i++]) : defaultTtl;
      if (parts[i] === "IN") i++;
      const type = parts[i++]!.toUpperCase();
      const rest = parts.slice(i);
      if (type === "SOA") soa = { name, email: rest[1]!.replace(/\.$/, "").replace(".", "@") };
      else if (type === "NS" && name === (soa?.name ?? origin)) continue;
      else if (type === "MX" || type === "SRV") {
        records.push({ name, type, ttl, priority: Number(rest[0]), data: rest.slice(1).join(" ").replace(/\.$/, "") });
      } else
        records.push({
          name,
          type,
          ttl,
          data: rest
            .join(" ")
            .replace(/\.$/, "")
            .replace(/^"(.*)"$/, "$1"),
        });
    }
  }
  if (!soa) return undefined;
  return { name: soa.name, emailAddress: soa.email, recordsList: { records } };
}
