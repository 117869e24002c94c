// tutum.Trigger (python-tutum 0.15+): the triggers of a service, a helper bound to it rather than an
// object of its own, as in python-tutum: `Trigger.fetch(service)`, then `add` + `save`, `list`,
// `delete(uuid)` and `call(uuid)` (a trigger's URL needs no credentials).
import { ValidationError } from "@nimbus-sdk/common";
import { NotSaved, TutumApiError } from "../errors.js";
import type { TriggerFields } from "../generated/api.js";
import {
  Resource,
  clientFor,
  detailUriOf,
  encodePath,
  metaOf,
  type CallSignal,
  type ResourceClient,
} from "../resource.js";
import type { Service } from "./service.js";

/** A trigger to create: `operation` is "REDEPLOY" or "SCALEUP". */
export type TriggerInput = Pick<TriggerFields, "name" | "operation">;

/** python-tutum's `Trigger`: a service's webhooks that redeploy or scale it (`Trigger.fetch(service)`, `add`, `save`, `call`). */
export class Trigger {
  /** `service/{uuid}/trigger/` */
  readonly endpoint: string;
  readonly #client: ResourceClient;
  #pending?: Partial<TriggerInput>;

  private constructor(endpoint: string, client: ResourceClient) {
    this.endpoint = endpoint;
    this.#client = client;
  }

  /** The triggers of a saved service. */
  static async fetch(triggerable: Service): Promise<Trigger> {
    if (!(triggerable instanceof Resource) || !metaOf(triggerable).actions.some((a) => a.segment === "trigger")) {
      throw new TutumApiError("The object does not support trigger");
    }
    const detail = detailUriOf(triggerable);
    if (!detail) throw new NotSaved("You must save the triggerable object before performing this operation");
    return new Trigger(`${detail}trigger/`, clientFor(triggerable));
  }

  /**
   * Prepares one trigger; `save()` creates it. python-tutum allows one pending trigger at a time. As in
   * python-tutum, `add(name, operation)` positionally (either may be left out), or `add({ name, operation })`.
   */
  add(trigger: Partial<TriggerInput>): void;
  add(name?: string, operation?: TriggerInput["operation"]): void;
  add(nameOrTrigger?: string | Partial<TriggerInput>, operation?: TriggerInput["operation"]): void {
    if (this.#pending) throw new NotSaved("You must save the object before performing this operation (Trigger.add)");
    if (typeof nameOrTrigger === "object" && operation !== undefined)
      throw new ValidationError("Trigger.add: give the operation inside the object, not after it", {
        field: "operation",
      });
    const given = typeof nameOrTrigger === "object" ? nameOrTrigger : { name: nameOrTrigger, operation };
    // python-tutum sends only what was given (the server defaults the operation to REDEPLOY).
    this.#pending = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined && v !== ""));
  }

  /** Creates the trigger `add` prepared (POST); resolves true, also when nothing was pending. */
  async save(options: CallSignal = {}): Promise<boolean> {
    if (!this.#pending) return true;
    await this.#client.call({ method: "POST", path: this.endpoint, json: this.#pending, signal: options.signal });
    this.#pending = undefined;
    return true;
  }

  /** Every trigger of the service (pages followed). */
  async list(options: CallSignal = {}): Promise<TriggerFields[]> {
    const out: TriggerFields[] = [];
    let offset: number | undefined;
    for (;;) {
      const { body } = await this.#client.call<{
        meta?: { next: string | null; offset: number; limit: number };
        objects?: TriggerFields[];
      }>({ method: "GET", path: this.endpoint, query: offset === undefined ? {} : { offset }, signal: options.signal });
      const objects = body?.objects ?? [];
      out.push(...objects);
      if (!body?.meta?.next || objects.length === 0) return out;
      offset = body.meta.offset + (body.meta.limit || objects.length);
    }
  }

  /** Deletes the trigger `uuid`; resolves true. */
  async delete(uuid: string, options: CallSignal = {}): Promise<boolean> {
    await this.#client.call({ method: "DELETE", path: `${this.endpoint}${encodePath(uuid)}/`, signal: options.signal });
    return true;
  }

  /** Calls the trigger `uuid` (POST {uuid}/call/, sent without credentials as its URL needs none). */
  async call(uuid: string, options: CallSignal = {}): Promise<boolean> {
    await this.#client.call({
      method: "POST",
      path: `${this.endpoint}${encodePath(uuid)}/call/`,
      anonymous: true,
      signal: options.signal,
    });
    return true;
  }

  /** Forgets the trigger `add` prepared. */
  clear(): void {
    this.#pending = undefined;
  }
}
