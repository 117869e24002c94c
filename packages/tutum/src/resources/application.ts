// tutum.Application (python-tutum 0.6-0.7.3, the 2014 API): creating one deploys it (202, "Starting").
import { followLogText, type LogLinesOptions } from "../logs.js";
import { defineResource, type CallSignal } from "../resource.js";

/** Options of `Application.redeploy()`: the tag to redeploy and a signal. */
export interface ApplicationRedeployOptions extends CallSignal {
  /** Image tag to redeploy with (sent as `{"tag": ...}`; null keeps the current one). */
  tag?: string | null;
}

/** python-tutum's `Application` (the 2014 seed era): create, start, stop, redeploy and delete a set of containers of one image. */
export class Application extends defineResource("Application") {
  /** POST start/: "Stopped" → "Starting" → "Running". */
  start(options: CallSignal = {}): Promise<boolean> {
    return this.performAction("start", options);
  }

  /** POST stop/: "Running" → "Stopping" → "Stopped". */
  stop(options: CallSignal = {}): Promise<boolean> {
    return this.performAction("stop", options);
  }

  /** POST redeploy/ with `{"tag": ...}` (python-tutum's `redeploy(tag=None)`). */
  redeploy(options: ApplicationRedeployOptions = {}): Promise<boolean> {
    return this.performAction("redeploy", { signal: options.signal, json: { tag: options.tag ?? null } });
  }

  /** The logs of all its containers, as one string (python-tutum's `logs` property; GET logs/). */
  logs(options: CallSignal = {}): Promise<string> {
    return this.readAttribute<string>("logs", "logs", options).then((text) => text ?? "");
  }

  /** The log line by line; with `follow`, new lines as they come (read again every `interval` ms). */
  logLines(options: LogLinesOptions = {}): AsyncGenerator<string> {
    return followLogText(({ signal }) => this.logs({ signal }), options);
  }
}
