// pyVmomi's recordings of real vCenter and ESXi servers (vcrpy cassettes beside the repository, see
// ../shared/specs/vsphere/recordings/SOURCE.txt), read as the requests pyVmomi sent and the answers it got.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

export const recordingsDir = fileURLToPath(new URL("../../../../../shared/specs/vsphere/recordings/", import.meta.url));

/** Whether the recordings are here; prints a notice when they are not (a clone without ../shared). */
export function haveRecordings(): boolean {
  const present = existsSync(`${recordingsDir}SOURCE.txt`);
  if (!present) console.log(`skipped: ${recordingsDir} is absent (no ../shared beside this clone)`);
  return present;
}

export interface RecordedCall {
  cassette: string;
  /** The SOAP operation (Fetch is pyVmomi 8's property read), or `GET` for a plain request. */
  op: string;
  /** `_this`'s type and id. */
  thisType: string;
  thisId: string;
  /** Fetch's property path. */
  prop?: string;
  soapAction: string;
  uri: string;
  status: number;
  requestBody: string;
  responseBody: string;
}

// pyVmomi recorded some bodies under Python 2, tagged !!python/unicode: plain strings.
const customTags = [{ tag: "tag:yaml.org,2002:python/unicode", resolve: (text: string) => text }];

interface Interaction {
  request: { body: string | null; method: string; uri: string; headers: Record<string, string[] | undefined> };
  response: { body: { string: string }; status: { code: number } };
}

// The operation, `_this` and Fetch's property (vcrpy folds long lines: a tag may hold a space).
const REQUEST =
  /<soapenv:Body>\s*<(\w+)[^>]*>\s*<_this[^>]*?type="(\w+)"[^>]*>([^<]*)<\/_this\s*>\s*(?:<prop[^>]*>([^<]*)<\/prop\s*>)?/;

/** Every interaction of a cassette. */
export function readCassette(name: string): RecordedCall[] {
  const doc = YAML.parse(readFileSync(`${recordingsDir}${name}`, "utf8"), { customTags }) as {
    interactions: Interaction[];
  };
  return doc.interactions.map((i) => {
    const requestBody = i.request.body ?? "";
    const m = REQUEST.exec(requestBody);
    const header = Object.entries(i.request.headers).find(([k]) => k.toLowerCase() === "soapaction")?.[1]?.[0];
    return {
      cassette: name,
      op: m?.[1] ?? i.request.method,
      thisType: m?.[2] ?? "",
      thisId: m?.[3] ?? "",
      prop: m?.[4],
      soapAction: header?.replace(/"/g, "") ?? "",
      uri: i.request.uri,
      status: i.response.status.code,
      requestBody,
      responseBody: i.response.body.string,
    };
  });
}

export const cassettes = (): string[] => readdirSync(recordingsDir).filter((f) => f.endsWith(".yaml"));

/** pyVmomi's JSON of the objects a test_json_* cassette read, when there is one. */
export function expectedJson(cassette: string): unknown {
  const base = cassette.replace(/\.yaml$/, "");
  for (const file of [`${base}.expect`, `${base}_match.expect`]) {
    if (existsSync(`${recordingsDir}${file}`)) return JSON.parse(readFileSync(`${recordingsDir}${file}`, "utf8"));
  }
  return undefined;
}
