// v3's per-call `correlation_id=`: the v3 SDK's brokers take it on add, update, delete and every action
// (oVirt/ovirt-engine-sdk, branch sdk_3.6, ovirtsdk/infrastructure/brokers.py: `VMs.add(vm,
// correlation_id=None, expect=None)`, `VM.start(action=params.Action(), correlation_id=None)`,
// `VM.delete(action=..., async=None, correlation_id=None)`) and send it as the call's Correlation-Id
// header; scripts then find the engine's jobs of that call with `api.jobs.list(query="correlation_id=...")`.
import { describe, expect, it } from "@jest/globals";
import { params } from "../../src/index.js";
import { eventually, useEngine } from "./harness.js";

const session = useEngine();

// The Correlation-Id header of the last request to a path ending in `suffix`.
function sentCorrelationId(suffix: string): string | undefined {
  const requests = session.engine.state.requests.filter((r) => r.path.endsWith(suffix));
  return requests.at(-1)?.headers["correlation-id"];
}

describe("correlation_id= on a call", () => {
  it("add, an action, update and delete send it as that call's Correlation-Id; the next call does not", async () => {
    const { api } = session;
    const vm = await api.vms.add(
      new params.VM({
        name: "correlated",
        cluster: new params.Cluster({ name: "Default" }),
        template: new params.Template({ name: "Blank" }),
      }),
      { correlation_id: "add-1" },
    );
    expect(sentCorrelationId("/vms")).toBe("add-1");
    await eventually(
      () => api.vms.get({ id: vm.id! }),
      (v) => v?.status?.state === "down",
    );

    await vm.start({ correlation_id: "start-1" });
    expect(sentCorrelationId(`/vms/${vm.id}/start`)).toBe("start-1");
    const jobs = await eventually(
      () => api.jobs.list({ query: "correlation_id=start-1" }),
      (found) => found.length === 1 && found[0]!.status?.state === "finished",
    );
    expect(jobs[0]!.description).toContain("correlated");
    await vm.stop();
    expect(sentCorrelationId(`/vms/${vm.id}/stop`)).toBeUndefined();
    await eventually(
      () => api.vms.get({ id: vm.id! }),
      (v) => v?.status?.state === "down",
    );

    vm.description = "with a correlation id";
    await vm.update({ correlation_id: "update-1" });
    expect(sentCorrelationId(`/vms/${vm.id}`)).toBe("update-1");
    await vm.delete({ correlation_id: "delete-1" });
    expect(sentCorrelationId(`/vms/${vm.id}`)).toBe("delete-1");
  });

  it("a correlation_id that is no string is refused before anything is sent", async () => {
    const { api, engine } = session;
    const before = engine.state.requests.length;
    const vm = new params.VM({ name: "never", cluster: new params.Cluster({ name: "Default" }) });
    await expect(api.vms.add(vm, { correlation_id: 42 as never })).rejects.toThrow(/correlation_id must be a string/);
    expect(engine.state.requests.length).toBe(before);
  });
});
