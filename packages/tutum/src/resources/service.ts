// tutum.Service (python-tutum 0.9+): creating one does not start it ("Not running"); `start()` does.
import { followLogText, streamLogMessages, type LogLinesOptions, type LogStreamOptions } from "../logs.js";
import type { LogMessage } from "../generated/api.js";
import { defineResource, type CallSignal } from "../resource.js";

/** Options of `redeploy()` on a Service or Stack: whether to reuse volumes (default true), and a signal. */
export interface RedeployOptions extends CallSignal {
  /** Keep the containers' volumes (`?reuse_volumes=`, default true as python-tutum). */
  reuse_volumes?: boolean;
}

/**
 * The redeploy action's request: python-tutum's `redeploy(reuse_volumes=True)` takes the flag
 * positionally too (`service.redeploy(False)`, as its CLI calls it), so a boolean stands for it.
 */
export function redeployRequest(options: RedeployOptions | boolean): {
  signal?: AbortSignal;
  query: { reuse_volumes: boolean };
} {
  const given = typeof options === "boolean" ? { reuse_volumes: options } : options;
  return { signal: given.signal, query: { reuse_volumes: given.reuse_volumes ?? true } };
}

/** python-tutum's `Service` (the Service era): containers of one image, started, stopped, scaled, redeployed and linked. */
export class Service extends defineResource("Service") {
  /** POST start/: "Not running"/"Stopped" → "Starting" → "Running". */
  start(options: CallSignal = {}): Promise<boolean> {
    return this.performAction("start", options);
  }

  /** POST stop/: "Running" → "Stopping" → "Stopped". */
  stop(options: CallSignal = {}): Promise<boolean> {
    return this.performAction("stop", options);
  }

  /** POST scale/: applies `target_num_containers` (set it and `save()` first) → "Scaling". */
  scale(options: CallSignal = {}): Promise<boolean> {
    return this.performAction("scale", options);
  }

  /** POST redeploy/?reuse_volumes= → "Redeploying". */
  redeploy(options: RedeployOptions | boolean = {}): Promise<boolean> {
    return this.performAction("redeploy", redeployRequest(options));
  }

  /** Its containers' logs as one string (GET logs/, python-tutum up to 0.14). */
  logs(options: CallSignal = {}): Promise<string> {
    return this.readAttribute<string>("logs", "logs", options).then((text) => text ?? "");
  }

  /** The log line by line; with `follow`, new lines as they come (read again every `interval` ms). */
  logLines(options: LogLinesOptions = {}): AsyncGenerator<string> {
    return followLogText(({ signal }) => this.logs({ signal }), options);
  }

  /**
   * Its log lines from the stream API as they come (python-tutum 0.15+'s `logs(tail, follow,
   * log_handler)`, as an async iterable): `{ type: "log", source, log, streamType, timestamp }`.
   */
  logStream(options: LogStreamOptions = {}): AsyncGenerator<LogMessage> {
    return streamLogMessages(this.client, "service", this.pk ?? "", options);
  }
}
