// What every Neutron resource object shares: Neutron's answer as last received, and get, update
// and delete on the object itself (pyrax's resource methods), each refreshing the fields.
import type { CallOptions, NeutronCollection, NeutronRecord } from "./collection.js";

/** The base of Neutron's resources: the record as last received, `update()`, `delete()` and `reload()`. */
export abstract class NeutronResource<R extends NeutronRecord, U extends object = object> {
  readonly manager: NeutronCollection<unknown, R>;
  #record: R;

  constructor(manager: NeutronCollection<unknown, R>, record: R) {
    this.manager = manager;
    this.#record = record;
  }

  /** Neutron's answer, as last received (fields under Neutron's own names). */
  get record(): R {
    return this.#record;
  }

  get id(): string {
    return this.#record.id;
  }

  get name(): string {
    return (this.#record.name as string | undefined) ?? "";
  }

  get description(): string {
    return (this.#record.description as string | undefined) ?? "";
  }

  /** The owning project. */
  get project_id(): string | undefined {
    return (this.#record.project_id ?? this.#record.tenant_id) as string | undefined;
  }

  /** Fetches the resource again and refreshes this object (pyrax's `get`). */
  async get(options: CallOptions = {}): Promise<this> {
    this.#record = await this.manager.getRecord(this.id, options);
    return this;
  }

  /** pyrax's `reload`: the same as `get`. */
  async reload(options: CallOptions = {}): Promise<this> {
    return this.get(options);
  }

  /** Changes fields (Neutron's names) and refreshes this object from the answer. */
  async update(changes: U, options: CallOptions = {}): Promise<this> {
    this.#record = await this.manager.updateRecord(this.id, changes, options);
    return this;
  }

  async delete(options: CallOptions = {}): Promise<void> {
    await this.manager.delete(this.id, options);
  }

  toJSON(): R {
    return this.#record;
  }

  /** For subclasses that learn more about themselves than the record holds (a network's cidr). */
  protected setRecord(record: R): void {
    this.#record = record;
  }
}
