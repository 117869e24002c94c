// python-tutum's TutumEvents (0.14+): handlers set with on_open / on_message / on_error / on_close, then
// run_forever(), over a client's events() stream (which drops `auth` messages, reconnects after a break
// and turns an UNAUTHORIZED message into TutumAuthError, as python-tutum does). `tutum.TutumEvents` is
// bound to the module object's account, as `tutum.Application` is.
import { AbortError } from "@nimbus-sdk/common";
import type { EventsOptions, Tutum } from "./client.js";
import type { EventMessage } from "./generated/api.js";

/** python-tutum's `TutumEvents`: the stream of resource events, over a WebSocket, with handlers for open, message, error and close. */
export class TutumEvents {
  readonly #client: Tutum;
  #onOpen?: () => void;
  #onMessage?: (event: EventMessage) => void;
  #onError?: (error: unknown) => void;
  #onClose?: () => void;

  constructor(client: Tutum) {
    this.#client = client;
  }

  on_open(handler: () => void): void {
    this.#onOpen = handler;
  }

  on_message(handler: (event: EventMessage) => void): void {
    this.#onMessage = handler;
  }

  on_error(handler: (error: unknown) => void): void {
    this.#onError = handler;
  }

  on_close(handler: () => void): void {
    this.#onClose = handler;
  }

  /**
   * Reads the events until `signal` aborts (then resolves, as python-tutum's loop ends on Ctrl-C); any other
   * end is an error passed to `on_error` and thrown (TutumAuthError for refused credentials).
   */
  async run_forever(options: Pick<EventsOptions, "signal" | "reconnectDelay"> = {}): Promise<void> {
    try {
      for await (const event of this.#client.events({ ...options, onOpen: () => this.#onOpen?.() })) {
        this.#onMessage?.(event);
      }
    } catch (error) {
      if (error instanceof AbortError) return;
      this.#onError?.(error);
      throw error;
    } finally {
      this.#onClose?.();
    }
  }
}
