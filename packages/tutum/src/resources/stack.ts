// tutum.Stack (python-tutum 0.12+): a group of services, started, stopped and redeployed together.
import { defineResource, type CallSignal } from "../resource.js";
import { redeployRequest, type RedeployOptions } from "./service.js";

/** python-tutum's `Stack`: services defined together, started, stopped, redeployed and exported as a stackfile. */
export class Stack extends defineResource("Stack") {
  /** POST start/ → "Starting". */
  start(options: CallSignal = {}): Promise<boolean> {
    return this.performAction("start", options);
  }

  /** POST stop/ → "Stopping". */
  stop(options: CallSignal = {}): Promise<boolean> {
    return this.performAction("stop", options);
  }

  /** POST redeploy/?reuse_volumes= → "Redeploying". */
  redeploy(options: RedeployOptions | boolean = {}): Promise<boolean> {
    return this.performAction("redeploy", redeployRequest(options));
  }

  /** GET export/: the stack as a stackfile (service name → definition). */
  export(options: CallSignal = {}): Promise<Record<string, unknown>> {
    return this.readAttribute<Record<string, unknown> | undefined>("export", undefined, options).then((x) => x ?? {});
  }
}
