import { describe, expect, it } from "@jest/globals";
import { ValidationError } from "@nimbus-sdk/common";
import { methods, type MethodName } from "../src/generated/methods.js";
import { documentSchemas, methodDocuments } from "../src/generated/schema.js";
import { bindMethods, prepareCall, type CallOptions, type RpcCaller } from "../src/methods.js";
import type { OneServer } from "../src/server.js";

// OneServer is the caller users bind: this stops compiling if the two drift apart.
const serverIsACaller = (server: OneServer): RpcCaller => server;

interface Recorded {
  method: string;
  params: unknown[];
  options: CallOptions | undefined;
}

/**
 * A caller that records each call and answers what oned would for that method: an XML-typed method its
 * document's root element (decoded by bindMethods), a string-typed one a string, an int-typed one the
 * object's id (its first int parameter, the new id 42 for an allocate).
 */
function recorder(): RpcCaller & { calls: Recorded[] } {
  const calls: Recorded[] = [];
  return {
    calls,
    async call(method, params, options) {
      calls.push({ method, params: [...params], options });
      const meta = methods[method as MethodName];
      if (meta === undefined) throw new Error(`the recorder was called with an unknown method ${method}`);
      switch (meta.result.type) {
        case "xml": {
          const target = methodDocuments[meta.name as keyof typeof methodDocuments];
          const root = target ? (target.path.at(-1) ?? documentSchemas[target.id].root) : "RESULT";
          return `<${root}/>`;
        }
        case "string":
          return "7.0.0";
        default:
          return meta.verb === "allocate" ? 42 : (params.find((p) => typeof p === "number") ?? 0);
      }
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error("expected a ValidationError");
}

describe("bindMethods", () => {
  it("passes the full method name and the parameters through", async () => {
    const caller = recorder();
    const one = bindMethods(caller);
    await expect(one.vm.action("terminate", 7)).resolves.toBe(7);
    await expect(one.hostpool.info()).resolves.toEqual({ HOST: [] });
    await expect(one.vmpool.info(-1, -1, -1, -1)).resolves.toEqual({ VM: [] });
    await expect(one.host.allocate("localhost", "kvm", "kvm", 0)).resolves.toBe(42);
    await expect(one.system.version()).resolves.toBe("7.0.0");
    await one.template.instantiate(0, "my_VM", false, "");
    expect(caller.calls).toEqual([
      { method: "one.vm.action", params: ["terminate", 7], options: undefined },
      { method: "one.hostpool.info", params: [], options: undefined },
      { method: "one.vmpool.info", params: [-1, -1, -1, -1], options: undefined },
      { method: "one.host.allocate", params: ["localhost", "kvm", "kvm", 0], options: undefined },
      { method: "one.system.version", params: [], options: undefined },
      { method: "one.template.instantiate", params: [0, "my_VM", false, ""], options: undefined },
    ]);
  });

  it("binds all 301 methods under PyONE's object.verb names", () => {
    const one = bindMethods(recorder()) as unknown as Record<string, Record<string, unknown>>;
    const count = Object.values(one).reduce((n, verbs) => n + Object.keys(verbs).length, 0);
    expect(count).toBe(301);
    expect(typeof one.vn?.add_ar).toBe("function");
    expect(typeof one.marketapp?.update).toBe("function");
    expect(Object.isFrozen(one)).toBe(true);
  });

  it("hands the trailing { signal } to the caller, not to oned", async () => {
    const caller = recorder();
    const one = bindMethods(caller);
    const controller = new AbortController();
    await one.vm.info(3, undefined, { signal: controller.signal });
    await one.template.clone(1, "copy", true, { signal: controller.signal });
    expect(caller.calls[0]).toEqual({ method: "one.vm.info", params: [3], options: { signal: controller.signal } });
    expect(caller.calls[1]?.params).toEqual([1, "copy", true]);
    expect(caller.calls[1]?.options?.signal).toBe(controller.signal);
    await one.vmpool.info(-2, -1, -1, undefined, undefined, { timeout: 60_000 });
    expect(caller.calls[2]).toEqual({ method: "one.vmpool.info", params: [-2, -1, -1], options: { timeout: 60_000 } });
    // In a template parameter's slot too: options are told from templates by their shape.
    await one.template.instantiate(0, "x", false, { signal: controller.signal });
    expect(caller.calls[3]).toEqual({
      method: "one.template.instantiate",
      params: [0, "x", false],
      options: { signal: controller.signal },
    });
    await one.vm.deploy(3, 0, false, 1, { timeout: 5 });
    expect(caller.calls[4]).toEqual({ method: "one.vm.deploy", params: [3, 0, false, 1], options: { timeout: 5 } });
    // Anything else there stays a template: another key, or a value of another type.
    await one.template.instantiate(0, "x", false, { signal: "yes", MEMORY: 1 } as never);
    expect(caller.calls[5]?.params).toEqual([0, "x", false, { signal: "yes", MEMORY: 1 }]);
    await one.template.instantiate(0, "x", false, { timeout: "5" } as never);
    expect(caller.calls[6]?.params).toEqual([0, "x", false, { timeout: "5" }]);
    expect(typeof serverIsACaller).toBe("function");
  });

  it("takes template dictionaries where PyONE does, and casts them when asked", async () => {
    const caller = recorder();
    await bindMethods(caller).marketapp.update(0, { LABELS: "HD" }, 1);
    expect(caller.calls[0]?.params).toEqual([0, { LABELS: "HD" }, 1]);
    const cast = bindMethods(caller, { castTemplate: (t) => `CAST ${Object.keys(t).join(",")}` });
    await cast.template.update(1, { TEMPLATE: { NAME: "abc" } }, 1);
    expect(caller.calls[1]?.params).toEqual([1, "CAST TEMPLATE", 1]);
    await expect(rejection(bindMethods(caller).host.update(0, {}, 1))).resolves.toHaveProperty("field", "template");
    // Not a template parameter: a dictionary is refused.
    const error = await rejection(bindMethods(caller).vm.rename(0, { NAME: "x" } as unknown as string));
    expect(error.message).toContain("'name'");
  });

  it("sends i8 as BigInt and ACL masks as hex strings", async () => {
    const caller = recorder();
    const one = bindMethods(caller);
    await one.zone.fedreplicate(5, 4n, "SQL");
    expect(caller.calls[0]?.params).toEqual([5n, 4n, "SQL"]);
    await one.acl.addrule(0x100000000n, 0x1000000000n | 0x8n, "3");
    expect(caller.calls[1]?.params).toEqual(["100000000", "1000000008", "3"]);
    await one.acl.addrule("0x100000000", "1000000008", 3n, 2n ** 63n);
    expect(caller.calls[2]?.params).toEqual(["0x100000000", "1000000008", "3", "8000000000000000"]);
  });

  it("rejects wrong types before any call, naming the method, the parameter and what it expected", async () => {
    const caller = recorder();
    const one = bindMethods(caller);
    const asString = await rejection(one.vm.info("0" as unknown as number));
    expect(asString.message).toBe(
      `one.vm.info: parameter 'id' (#1) must be a 32-bit integer (int), not a string ("0")`,
    );
    expect(asString.field).toBe("id");
    const tooBig = await rejection(one.vm.action("terminate", 2 ** 32));
    expect(tooBig.message).toContain("'id'");
    expect(tooBig.message).toContain("32-bit");
    await rejection(one.vm.action("terminate", 1.5));
    await rejection(one.vm.action("terminate", 1n as unknown as number));
    await rejection(one.vm.action(3 as unknown as string, 0));
    await rejection(one.template.instantiate(0, "x", "no" as unknown as boolean, ""));
    await rejection(one.zone.fedreplicate(2 ** 60, 1n, ""));
    await rejection(one.zone.fedreplicate(2n ** 63n, 1n, ""));
    await rejection(one.acl.addrule("ff", "zz", "1"));
    await rejection(one.acl.addrule(-1n, "1", "1"));
    await rejection(one.user.allocate("u", "p", "core", [1, "2"] as unknown as number[]));
    expect(caller.calls).toEqual([]);
  });

  it("rejects wrong parameter counts before any call", async () => {
    const caller = recorder();
    const one = bindMethods(caller) as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>;
    const tooFew = await rejection(one.vm!.action!("terminate"));
    expect(tooFew.message).toBe("one.vm.action takes 2 parameters (action, id) after the session, got 1");
    expect(tooFew.field).toBe("id");
    // Past the last parameter oned ignores what it is given; only a value XML-RPC cannot carry is refused.
    const notScalar = await rejection(one.hostpool!.info!(-2, [1]));
    expect(notScalar.message).toContain("argument #2 (past the method's parameters, which oned ignores)");
    const range = await rejection(one.template!.clone!(1));
    expect(range.message).toContain("takes 2 to 3 parameters (id, name, recursive?)");
    await rejection(one.vmpool!.info!(-1, -1, -1, undefined, "A=1"));
    expect(caller.calls).toEqual([]);
  });

  it("sends trailing arguments oned ignores, as PyONE does, and leaves out optional ones", async () => {
    const caller = recorder();
    const one = bindMethods(caller);
    await one.imagepool.info(-2, -1, -1, -1);
    await one.hostpool.info(-2, -1, -1, { timeout: 5 });
    await one.vm.lock(3, 4);
    expect(caller.calls).toEqual([
      { method: "one.imagepool.info", params: [-2, -1, -1, -1], options: undefined },
      { method: "one.hostpool.info", params: [-2, -1, -1], options: { timeout: 5 } },
      { method: "one.vm.lock", params: [3, 4], options: undefined },
    ]);
  });
});

describe("prepareCall", () => {
  it("refuses unknown methods", () => {
    expect(() => prepareCall("one.vm.explode" as "one.vm.info", [])).toThrow(ValidationError);
  });
});
