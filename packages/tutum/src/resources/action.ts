// tutum.Action: the record of every asynchronous operation; its URI comes back in X-Tutum-Action-URI
// (an object's `tutum_action_uri`). Read-only, but it can be cancelled or retried (python-tutum 0.20+).
import type { LogMessage } from "../generated/api.js";
import { streamLogMessages, type LogStreamOptions } from "../logs.js";
import { defineResource, type CallSignal } from "../resource.js";

/** python-tutum's `Action`: a record of an API call that started work (read-only), with `cancel()` and `retry()`. */
export class Action extends defineResource("Action") {
  /** POST cancel/, for an action "Pending" or "In progress". */
  cancel(options: CallSignal = {}): Promise<boolean> {
    return this.performAction("cancel", options);
  }

  /** POST retry/, for an action that ended ("Success", "Failed", "Canceled"). */
  retry(options: CallSignal = {}): Promise<boolean> {
    return this.performAction("retry", options);
  }

  /** Its log from the stream API (python-tutum's `Action.logs(tail, follow, log_handler)`). */
  logStream(options: LogStreamOptions = {}): AsyncGenerator<LogMessage> {
    return streamLogMessages(this.client, "action", this.pk ?? "", options);
  }
}
