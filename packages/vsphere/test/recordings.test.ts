// Conformance against real servers: every SOAP answer pyVmomi recorded from vCenter 8.0.3 (API 8.0.2.0), its
// ESXi hosts, vCenter 6.0 and 6.5 goes through the decoder. With the vSphere 8 types, nothing of the 8.0
// answers is left untyped (no unknown type, no raw field), and the values agree with pyVmomi's own JSON of
// the same objects (tests/files/*.expect). pyVmomi 8 reads properties with `Fetch` (one property of one
// object, the value as the result), which is decoded here with the property's declared type.
import { describe, expect, it } from "@jest/globals";
import { DataObject, ManagedObject, MethodFaultBase, vim } from "../src/index.js";
import { isRawField, wsdlNameOf } from "../src/model/data.js";
import { decodeResponse } from "../src/soap/decode.js";
import { managedType, operation, resolvePropertyPath, type OperationInfo } from "../src/soap/metadata.js";
import { compareVersions, negotiateFromVersionsXml } from "../src/soap/versions.js";
import { cassettes, expectedJson, haveRecordings, readCassette, type RecordedCall } from "./helpers/recordings.js";

const context = { url: "https://vcsa/sdk", status: 200 };

/** The operation a recorded call answers: Fetch's result is the property's type. */
function operationOf(call: RecordedCall): OperationInfo | undefined {
  if (call.op !== "Fetch") return operation(call.op);
  const type = managedType(call.thisType);
  const field = type && call.prop ? resolvePropertyPath(type, call.prop).field : undefined;
  if (!field) return undefined;
  // An array comes as one element typed ArrayOfX, which the anyType reader turns into an array.
  const result = field.array ? { ...field, type: { kind: "any", name: "anyType" } as const, array: false } : field;
  return { name: "Fetch", params: [], result: { ...result, name: "returnval", optional: true } };
}

/** Where a decoded value holds something the SDK did not know: a newer type, or a field kept raw. */
function untyped(value: unknown, path: string, out: string[]): string[] {
  if (Array.isArray(value)) value.forEach((v, i) => untyped(v, `${path}[${i}]`, out));
  else if (value instanceof DataObject || value instanceof MethodFaultBase) {
    const wire = wsdlNameOf(value);
    const known = (Object.getPrototypeOf(value) as { _wsdlName?: string })._wsdlName;
    if (wire !== known) out.push(`${path}: type ${wire}`);
    for (const [key, v] of Object.entries(value)) {
      if (isRawField(value, key)) out.push(`${path}.${key}: field of ${known}`);
      else untyped(v, `${path}.${key}`, out);
    }
  }
  return out;
}

function decodeCall(call: RecordedCall) {
  const op = operationOf(call);
  if (!op) throw new Error(`${call.cassette}: ${call.op} ${call.thisType}.${call.prop ?? ""} is unknown`);
  return decodeResponse(call.responseBody, op, undefined, { ...context, status: call.status });
}

const soapCalls = () =>
  cassettes()
    .flatMap(readCassette)
    // pbm_check_compatibility.yaml's Pbm* calls are the storage policy endpoint (docs/decisions/0019).
    .filter((c) => c.thisType && !c.op.startsWith("Pbm"));

describe("pyVmomi's recordings of real servers", () => {
  it("decodes every recorded SOAP answer (vCenter 6.0 to 8.0.3, ESXi) as a result or a typed fault", () => {
    if (!haveRecordings()) return;
    const calls = soapCalls();
    expect(calls.length).toBeGreaterThan(300);
    const kinds = { result: 0, fault: 0 };
    for (const call of calls) {
      const decoded = decodeCall(call);
      kinds[decoded.kind]++;
      if (decoded.kind === "fault") {
        // The one recorded fault: a wrong password (vCenter 6.0).
        expect([call.cassette, decoded.fault]).toEqual([call.cassette, expect.any(vim.fault.InvalidLogin)]);
      }
    }
    expect(kinds.fault).toBe(1);
    expect(kinds.result).toBe(calls.length - 1);
  });

  it("leaves nothing of the 8.0 answers untyped: every type and field is in the SDK's schema", () => {
    if (!haveRecordings()) return;
    const found: string[] = [];
    const calls = soapCalls().filter((c) => c.soapAction.startsWith("urn:vim25/8."));
    expect(calls.length).toBeGreaterThan(300);
    for (const call of calls) {
      const decoded = decodeCall(call);
      if (decoded.kind === "result") untyped(decoded.value, `${call.cassette} ${call.op} ${call.prop ?? ""}`, found);
    }
    expect(found).toEqual([]);
  });

  it("decodes values as pyVmomi does (its JSON of the same objects)", () => {
    if (!haveRecordings()) return;
    let compared = 0;
    const diffs: string[] = [];
    for (const cassette of cassettes()) {
      const expected = expectedJson(cassette);
      if (expected === undefined) continue;
      const fetches = readCassette(cassette).filter((c) => c.op === "Fetch");
      for (const object of [expected].flat() as Record<string, unknown>[]) {
        const id = object._vimid as string;
        for (const [prop, theirs] of Object.entries(object)) {
          if (prop.startsWith("_")) continue;
          const call = fetches.find((c) => c.thisId === id && c.prop === prop);
          if (!call) continue; // a property pyVmomi wrote from an earlier read
          const decoded = decodeCall(call);
          if (decoded.kind !== "result") throw new Error(`${cassette}: ${prop} answered a fault`);
          // As a property getter reads it: an unset array property is [].
          const array = resolvePropertyPath(managedType(call.thisType)!, prop).field?.array;
          compare(decoded.value ?? (array ? [] : undefined), theirs, `${cassette} ${id}.${prop}`, diffs);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(150);
    // The one difference: arrays of vSphere 8.0.3 that an 8.0.2.0 answer leaves unset.
    expect(diffs).toEqual([
      "test_json_host_explode.yaml host-14.hardware.memoryTierInfo[0].internalFlags: [] where pyVmomi has none",
      "test_json_host_explode.yaml host-14.runtime.partialMaintenanceMode: [] where pyVmomi has none",
      "test_json_host_explode.yaml host-14.summary.runtime.partialMaintenanceMode: [] where pyVmomi has none",
    ]);
  });

  it("negotiates the version pyVmomi spoke from the server's vimServiceVersions.xml", () => {
    if (!haveRecordings()) return;
    const negotiated = new Map<string, string>();
    for (const cassette of cassettes()) {
      const calls = readCassette(cassette);
      const versionsXml = calls.find((c) => c.uri.endsWith("/vimServiceVersions.xml"));
      const firstSoap = calls.find((c) => c.thisType);
      if (!versionsXml || !firstSoap || versionsXml.status !== 200) continue;
      const ours = negotiateFromVersionsXml(versionsXml.responseBody);
      expect([cassette, ours]).toEqual([cassette, firstSoap.soapAction.replace("urn:vim25/", "")]);
      negotiated.set(cassette, ours!);
    }
    // vCenter 8.0.3 lists its internal version first, then 8.0.2.0 and older: 8.0.2.0; vCenter 6.5: 6.5.
    expect(new Set(negotiated.values())).toEqual(new Set(["8.0.2.0", "6.5"]));
    expect(compareVersions("8.0.2.0", "8.0.3.0")).toBeLessThan(0);
  });
});

// pyVmomi's JSON (VmomiJSONEncoder) against a decoded value: references as "vim.Type:id", data objects with
// _vimtype and pyVmomi's dynamicType/dynamicProperty, dates with microseconds, binaries in base64.
function compare(ours: unknown, theirs: unknown, path: string, diffs: string[]): void {
  if ((theirs === null || theirs === undefined) && Array.isArray(ours) && ours.length === 0) {
    // An unset array member newer than the connection's version: absent from pyVmomi's JSON, [] here.
    diffs.push(`${path}: [] where pyVmomi has none`);
    return;
  }
  // pyVmomi writes a vmodl.TypeName as its Python type: "str" for string, "vim.HostSystem" for HostSystem.
  if (typeof ours === "string" && (theirs === `vim.${ours}` || (ours === "string" && theirs === "str"))) return;
  if (theirs === null || theirs === undefined) {
    if (ours !== undefined && ours !== null) diffs.push(`${path}: pyVmomi has null, we have ${String(ours)}`);
    return;
  }
  if (ours instanceof ManagedObject) {
    if (typeof theirs !== "string" || !theirs.endsWith(`:${ours._moId}`)) diffs.push(`${path}: ${String(ours)}`);
    return;
  }
  if (ours instanceof Date) {
    const same = typeof theirs === "string" && Math.abs(new Date(theirs).getTime() - ours.getTime()) < 1;
    if (!same) diffs.push(`${path}: ${ours.toISOString()} against ${String(theirs)}`);
    return;
  }
  if (ours instanceof Uint8Array) {
    if (Buffer.from(ours).toString("base64") !== theirs) diffs.push(`${path}: binary differs`);
    return;
  }
  if (Array.isArray(ours)) {
    if (!Array.isArray(theirs) || theirs.length !== ours.length) {
      diffs.push(`${path}: ${ours.length} items against ${Array.isArray(theirs) ? theirs.length : "none"}`);
      return;
    }
    ours.forEach((item, i) => compare(item, theirs[i], `${path}[${i}]`, diffs));
    return;
  }
  if (typeof ours === "object" && ours !== null) {
    if (typeof theirs !== "object") {
      diffs.push(`${path}: an object against ${JSON.stringify(theirs)}`);
      return;
    }
    const t = theirs as Record<string, unknown>;
    const o = ours as Record<string, unknown>;
    for (const key of new Set([...Object.keys(o), ...Object.keys(t)])) {
      if (key.startsWith("_") || key === "dynamicType" || key === "dynamicProperty") continue;
      compare(o[key], t[key], `${path}.${key}`, diffs);
    }
    return;
  }
  // Numbers (a long beyond 2^53 is a bigint here, a rounded float in pyVmomi's JSON), strings, booleans.
  const value = typeof ours === "bigint" ? Number(ours) : ours;
  if (value !== theirs) diffs.push(`${path}: ${String(ours)} against ${JSON.stringify(theirs)}`);
}
