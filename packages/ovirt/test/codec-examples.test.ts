// Every XML example of ../shared/specs/ovirt/examples decoded through the SDK and compared, field by field,
// with an independent plain parse (common's fast-xml-parser preset), then encoded back and decoded again.
// The three documentation errors the specs README lists are checked for what they are.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { SafeXmlParser } from "@nimbus-sdk/common/xml";
import { decodeDocument, encodeObject } from "../src/index.js";
import { wireStruct, type WireMember, type WireStruct } from "../src/wire/metadata.js";

const examplesDir = fileURLToPath(new URL("../../../../shared/specs/ovirt/examples", import.meta.url));
const present = existsSync(examplesDir);
const files = present ? readdirSync(examplesDir).filter((f) => f.endsWith(".xml")) : [];
const read = (file: string) => readFileSync(`${examplesDir}/${file}`, "utf8");

/** The documentation errors: what the SDK reports as unknown, and what cannot be sent back. */
const DOCUMENTATION_ERRORS: Record<string, { unknown?: string[]; notEncodable?: RegExp }> = {
  "host-add-request.xml": {
    unknown: [
      "host/external_network_provider_configurations/external_network_provider_configuration/external_network_provider/@name",
    ],
  },
  "snapshot.xml": {
    notEncodable: /Snapshot\.type must be one of "desktop", "server", "high_performance", not "active"/,
  },
};

type Plain = Record<string, unknown>;
const asArray = (value: unknown): unknown[] =>
  value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value];

/** The plain parse's text of a primitive, as the member's type. */
function expected(member: WireMember, text: unknown): unknown {
  const value = typeof text === "object" && text !== null ? ((text as Plain)["#text"] ?? "") : String(text ?? "");
  switch (member.type) {
    case "Integer":
    case "Decimal":
      return Number(value);
    case "Boolean":
      return value === "true";
    case "Date":
      return Date.parse(String(value));
    default:
      return String(value);
  }
}

const actual = (value: unknown) => (value instanceof Date ? value.getTime() : value);

/** Compares the SDK's object with the plain parse, member by member; returns the differences. */
function compare(
  plain: Plain,
  decoded: Record<string, unknown>,
  struct: WireStruct,
  path: string,
  out: string[],
): void {
  const seen = new Set<string>();
  for (const [key, value] of Object.entries(plain)) {
    const at = `${path}/${key}`;
    if (key === "#text") continue; // the "..." elisions of documentation examples
    if (key === "@href" || key === "href") {
      seen.add("href");
      if (decoded.href !== value) out.push(`${at}: ${String(decoded.href)} != ${String(value)}`);
      continue;
    }
    if (key === "link" || key === "actions") {
      seen.add(key);
      const links = asArray(key === "link" ? value : (value as Plain).link).map((l) => ({
        rel: (l as Plain)["@rel"],
        href: (l as Plain)["@href"],
      }));
      expect([at, decoded[key]]).toEqual([at, links]);
      continue;
    }
    const name = key.startsWith("@") ? key.slice(1) : key;
    const member = struct.byXml.get(name);
    if (!member || member.attribute !== key.startsWith("@")) {
      out.push(`${at}: not in the model`);
      continue;
    }
    seen.add(name);
    if (member.list) {
      const items = asArray((value as Plain)[member.item!]);
      const got = decoded[name] as unknown[];
      if (!Array.isArray(got) || got.length !== items.length) {
        out.push(`${at}: ${items.length} items, decoded ${JSON.stringify(got)}`);
        continue;
      }
      items.forEach((item, i) =>
        member.kind === "struct"
          ? compare(item as Plain, got[i] as Record<string, unknown>, wireStruct(member.type), `${at}[${i}]`, out)
          : expect([`${at}[${i}]`, actual(got[i])]).toEqual([`${at}[${i}]`, expected(member, item)]),
      );
    } else if (member.kind === "struct") {
      compare(
        value === "" ? {} : (value as Plain),
        decoded[name] as Record<string, unknown>,
        wireStruct(member.type),
        at,
        out,
      );
    } else {
      expect([at, actual(decoded[name])]).toEqual([at, expected(member, value)]);
    }
  }
  const extra = Object.keys(decoded).filter((k) => !seen.has(k));
  if (extra.length) out.push(`${path}: decoded members the document does not have: ${extra.join(", ")}`);
}

const parser = new SafeXmlParser({ parseValues: false });

/** Drops what the encoder never sends (the engine's envelope), to compare a round trip. */
function withoutEnvelope(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEnvelope);
  if (typeof value !== "object" || value === null || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== "href" && k !== "link" && k !== "actions")
      .map(([k, v]) => [k, withoutEnvelope(v)]),
  );
}

describe("the specs' XML examples", () => {
  if (!present) {
    it("are absent (no ../shared beside this clone)", () => {
      console.log(`skipped: ${examplesDir} is absent`);
    });
    return;
  }

  it("are all there", () => {
    expect(files).toHaveLength(25);
  });

  it.each(files)("%s decodes as the plain parse reads it, and encodes back", (file) => {
    const xml = read(file);
    const unknown: string[] = [];
    const document = decodeDocument(xml, { onUnknown: (p) => unknown.push(p) });
    const plain = parser.parse(xml)[document.element] as Plain | string;
    const errors = DOCUMENTATION_ERRORS[file] ?? {};
    expect(unknown).toEqual(errors.unknown ?? []);
    const differences: string[] = [];
    if (document.list) {
      const items = asArray((plain as Plain)[document.struct.xml]);
      const decoded = document.value as Record<string, unknown>[];
      expect(decoded).toHaveLength(items.length);
      items.forEach((item, i) =>
        compare(item as Plain, decoded[i]!, document.struct, `${document.element}[${i}]`, differences),
      );
    } else {
      const object = document.value as Record<string, unknown>;
      const plainObject = typeof plain === "object" ? plain : {};
      // The unknown attribute of the documentation error is left out of both sides.
      compare(plainObject, object, document.struct, document.element, differences);
      if (errors.notEncodable) {
        expect(() => encodeObject(object, document.struct.name)).toThrow(errors.notEncodable);
      } else {
        const again = decodeDocument(encodeObject(object, document.struct.name, { element: document.element }));
        expect(again.value).toEqual(withoutEnvelope(object));
      }
    }
    expect(differences.filter((d) => !d.includes("@name: not in the model"))).toEqual([]);
  });

  it("api-entry-point.xml (documentation error): keeps its link to /api/capabilities as given, a link no model service has", () => {
    const { value } = decodeDocument(read("api-entry-point.xml"));
    expect((value as { link: { rel: string; href: string }[] }).link[0]).toEqual({
      rel: "capabilities",
      href: "/api/capabilities",
    });
    expect(wireStruct("Api").byXml.has("capabilities")).toBe(false);
  });

  it("snapshot.xml (documentation error): keeps <type>active</type> as read, which the model's Snapshot.type cannot send", () => {
    const { value } = decodeDocument(read("snapshot.xml"));
    expect(value).toMatchObject({ type: "active", persist_memorystate: false });
    expect(wireStruct("Snapshot").byXml.get("snapshot_type")?.type).toBe("SnapshotType");
    expect(() => encodeObject(value as object, "Snapshot")).toThrow(ValidationError);
  });

  it("host-add-request.xml (documentation error): reports name written as an attribute, and leaves it out", () => {
    const unknown: string[] = [];
    const { value } = decodeDocument(read("host-add-request.xml"), { onUnknown: (p) => unknown.push(p) });
    expect(unknown).toEqual(DOCUMENTATION_ERRORS["host-add-request.xml"]!.unknown);
    expect(value).toMatchObject({ external_network_provider_configurations: [{ external_network_provider: {} }] });
  });
});
