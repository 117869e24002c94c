// The read loops of public pyVmomi scripts behind a flaky load balancer (503 pages, connections reset
// after the request arrived): the operations that only read are sent again, a task-starting call never.
import { afterAll, afterEach, describe, expect, it } from "@jest/globals";
import { ConnectionError, HttpError } from "@nimbus-sdk/common";
import { SmartConnect, WaitForTask, vim } from "../../src/index.js";
import { isReadOnlyOperation } from "../../src/soap/metadata.js";
import { content, getAllObj, useVcsim } from "../helpers/connect.js";
import { startFaultyProxy, type FaultyProxy } from "../helpers/faulty-proxy.js";

const SAMPLES = "vmware/pyvmomi-community-samples";

let proxy: FaultyProxy;

// The session goes through the proxy; the proxy passes everything again after each test (the Logout too) and
// closes after the session's Logout (jest runs afterAll hooks in the order they are declared).
useVcsim({ vm: 2, tls: false }, async (server) => {
  proxy = await startFaultyProxy(server.url);
  return SmartConnect({
    host: proxy.url,
    user: server.username,
    pwd: server.password,
    env: {},
    retry: { baseDelay: 1, maxDelay: 5 },
  });
});

afterEach(() => {
  if (proxy) proxy.decide = () => undefined;
});

afterAll(() => proxy?.close(), 60_000);

const allVms = () => getAllObj(content, vim.VirtualMachine);

const faultsOf = (fault: "503" | "reset") => proxy.log.filter((entry) => entry.fault === fault).length;

describe("the operations that only read", () => {
  it("are generated from the API's naming, tasks left out", () => {
    for (const op of ["RetrievePropertiesEx", "ContinueRetrievePropertiesEx", "WaitForUpdatesEx", "QueryPerf"])
      expect(isReadOnlyOperation(op)).toBe(true);
    for (const op of ["FindByUuid", "FindChild", "QueryEvents", "RetrieveServiceContent", "CurrentTime"])
      expect(isReadOnlyOperation(op)).toBe(true);
    for (const op of ["PowerOnVM_Task", "CloneVM_Task", "CreateSnapshot_Task", "QueryVMotionCompatibilityEx_Task"])
      expect(isReadOnlyOperation(op)).toBe(false);
    for (const op of ["ReadNextEvents", "Login", "CreateContainerView", "DestroyView", "CancelRetrievePropertiesEx"])
      expect(isReadOnlyOperation(op)).toBe(false);
  });

  it(`${SAMPLES} samples/getallvms.py: every property read of the loop succeeds when a third of requests get a 503`, async () => {
    const vms = await allVms();
    proxy.decide = (op, i) => (op === "RetrievePropertiesEx" && i % 3 === 0 ? "503" : undefined);
    const before = faultsOf("503");
    const names: string[] = [];
    for (let round = 0; round < 5; round++) {
      for (const vm of vms) names.push(`${await vm.name} ${(await vm.runtime).powerState}`);
    }
    proxy.decide = () => undefined;
    expect(names).toHaveLength(vms.length * 5);
    expect(faultsOf("503") - before).toBeGreaterThan(5);
  });

  it(`${SAMPLES} samples/find_by_uuid.py: FindByUuid after a connection reset`, async () => {
    const [vm] = await allVms();
    const uuid = (await vm!.config)!.uuid;
    let reset = false;
    proxy.decide = (op) => (op === "FindByUuid" && !reset ? ((reset = true), "reset") : undefined);
    const found = await content.searchIndex.FindByUuid(undefined, uuid, true);
    proxy.decide = () => undefined;
    expect(reset).toBe(true);
    expect(found).toBe(vm);
  });
});

describe("a task-starting call", () => {
  it("is sent once: a 503 is the caller's HttpError", async () => {
    const [vm] = await allVms();
    proxy.decide = (op) => (op === "CreateSnapshot_Task" ? "503" : undefined);
    const start = proxy.log.length;
    await expect(vm!.CreateSnapshot_Task("never", "", false, false)).rejects.toBeInstanceOf(HttpError);
    proxy.decide = () => undefined;
    expect(proxy.log.slice(start).filter((e) => e.op === "CreateSnapshot_Task")).toHaveLength(1);
    expect(await vm!.snapshot).toBeUndefined();
  });

  it("is sent once: a reset after sending is the caller's ConnectionError", async () => {
    const [vm] = await allVms();
    proxy.decide = (op) => (op === "PowerOffVM_Task" ? "reset" : undefined);
    const start = proxy.log.length;
    await expect(vm!.PowerOffVM_Task()).rejects.toBeInstanceOf(ConnectionError);
    proxy.decide = () => undefined;
    expect(proxy.log.slice(start).filter((e) => e.op === "PowerOffVM_Task")).toHaveLength(1);
    await WaitForTask(await vm!.PowerOnVM_Task()).catch(() => undefined);
  });
});
