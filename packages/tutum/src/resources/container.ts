// tutum.Container: containers of an Application (2014) or a Service, made by them, never created
// directly. Only `web_public_dns` can be changed (2014 API); python-tutum 0.14+ refuses `save()`.
import { followLogText, streamLogMessages, type LogLinesOptions, type LogStreamOptions } from "../logs.js";
import type { LogMessage } from "../generated/api.js";
import { defineResource, type CallSignal } from "../resource.js";
import { redeployRequest } from "./service.js";

/** Options of `Container.redeploy()`: whether to reuse volumes, and a signal. */
export interface ContainerRedeployOptions extends CallSignal {
  /** Keep the volumes (`?reuse_volumes=`); python-tutum sends true by default. */
  reuse_volumes?: boolean;
}

// The API description lists the July-2014 standalone `POST container/`, which Tutum itself dropped.
/** python-tutum's `Container`: one container of an application or service, with start, stop, redeploy, logs and execute. */
export class Container extends defineResource("Container", { canCreate: false }) {
  /** POST start/: "Stopped" → "Starting" → "Running". */
  start(options: CallSignal = {}): Promise<boolean> {
    return this.performAction("start", options);
  }

  /** POST stop/: "Running" → "Stopping" → "Stopped". */
  stop(options: CallSignal = {}): Promise<boolean> {
    return this.performAction("stop", options);
  }

  /** POST redeploy/?reuse_volumes= (python-tutum's `redeploy(reuse_volumes=True)`). */
  redeploy(options: ContainerRedeployOptions | boolean = {}): Promise<boolean> {
    return this.performAction("redeploy", redeployRequest(options));
  }

  /** Its log as one string (GET logs/, the 2014 REST form of python-tutum's `logs`). */
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
    return streamLogMessages(this.client, "container", this.pk ?? "", options);
  }
}
