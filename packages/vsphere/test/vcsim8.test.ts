// vSphere 8 negotiated with a live server: vcsim reporting API 8.0.2.0 (`apiVersion`, vcsim's -api-version)
// is spoken to in 8.0.2.0, the SOAPAction of every call says so, and the members newer than 8.0.2.0 are
// refused before sending while those up to it go out. The simulator's behaviour stays govmomi 0.24's: it
// ignores request elements its Go types lack, so this proves the negotiation and the wire, not 8.0 semantics
// (test/recordings.test.ts checks those against real 8.0 answers).
import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { WaitForTask, vim, vmodl } from "../src/index.js";
import { si, useVcsim } from "./helpers/connect.js";

const requests: string[] = [];
const logger = { debug: (m: string) => void requests.push(m), info() {}, warn() {}, error() {} };

useVcsim({ vm: 1, apiVersion: "8.0.2.0" }, { logger, debug: true });

async function firstVm(): Promise<vim.VirtualMachine> {
  const content = await si.RetrieveContent();
  const view = await content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], true);
  const [vm] = await view.view;
  await view.Destroy();
  return vm!;
}

describe("a server offering API 8.0.2.0", () => {
  it("is spoken to in 8.0.2.0, every call carrying it", async () => {
    expect(si._stub!.versionId).toBe("urn:vim25/8.0.2.0");
    expect((await si.RetrieveContent()).about.apiVersion).toBe("8.0.2.0");
    const actions = requests.filter((r) => r.startsWith("-> POST")).map((r) => /"soapaction":"([^"]+)"/.exec(r)?.[1]);
    expect(actions.length).toBeGreaterThan(1);
    expect(new Set(actions)).toEqual(new Set(["urn:vim25/8.0.2.0"]));
  });

  it("sends a member up to 8.0.2.0 and refuses one of 8.0.3.0 before sending", async () => {
    const vm = await firstVm();
    // rebootPowerOff is 8.0.0.1: it goes out (vcsim 0.24 does not know it and ignores it).
    requests.length = 0;
    await WaitForTask(await vm.ReconfigVM_Task(new vim.vm.ConfigSpec({ annotation: "v8", rebootPowerOff: true })));
    // (the debug log redacts values, not element names)
    expect(requests.find((r) => r.includes("<ReconfigVM_Task"))).toContain("<rebootPowerOff>");
    expect((await vm.config)!.annotation).toBe("v8");
    // metroFtEnabled is 8.0.3.0.
    requests.length = 0;
    const refused = vm.ReconfigVM_Task(new vim.vm.ConfigSpec({ metroFtEnabled: true }));
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toThrow(/spec\.metroFtEnabled needs vSphere API 8\.0\.3\.0/);
    expect(requests.filter((r) => r.startsWith("-> POST"))).toEqual([]);
  });

  it("answers an 8.0.3.0 operation with MethodNotFound, as pyVmomi does, without sending it", async () => {
    const content = await si.RetrieveContent();
    requests.length = 0;
    await expect(
      content.taskManager.CreateCollectorWithInfoFilterForTasks(new vim.TaskFilterSpec()),
    ).rejects.toBeInstanceOf(vmodl.fault.MethodNotFound);
    expect(requests.filter((r) => r.startsWith("-> POST"))).toEqual([]);
  });
});
