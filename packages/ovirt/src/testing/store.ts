// The simulator's state: entities by the collection path that owns them (`vms`, `vms/<id>/nics`),
// each a record of wire members (XML names, wire text). Top-level entities are also found by type and
// id, which is how references (`<cluster id="..."/>`) get their href.
import { isRecord, type WireRecord, type WireValue } from "./xml.js";

export interface Entity {
  readonly id: string;
  /** Model struct name: `Vm`. */
  readonly type: string;
  /** The owning collection's path under the API root, without slashes around it: `vms/<id>/nics`. */
  readonly collection: string;
  record: WireRecord;
  /** Facts outside the model: a job's correlation id. */
  readonly meta: Record<string, string>;
}

export const pathOf = (entity: Entity): string => `${entity.collection}/${entity.id}`;

/** The id a reference value carries (`{ id }`), if any. */
export const refId = (value: WireValue | undefined): string | undefined =>
  isRecord(value) && typeof value.id === "string" ? value.id : undefined;

export class Store {
  private readonly collections = new Map<string, Map<string, Entity>>();

  insert(collection: string, type: string, record: WireRecord, meta: Record<string, string> = {}): Entity {
    const id = record.id;
    if (typeof id !== "string") throw new Error(`a ${type} needs an id`);
    let entries = this.collections.get(collection);
    if (!entries) this.collections.set(collection, (entries = new Map()));
    const entity: Entity = { id, type, collection, record, meta };
    entries.set(id, entity);
    return entity;
  }

  /** Removes an entity and everything stored under its path (its nics, its disk attachments). */
  remove(entity: Entity): void {
    this.collections.get(entity.collection)?.delete(entity.id);
    const prefix = `${pathOf(entity)}/`;
    for (const key of [...this.collections.keys()]) if (key.startsWith(prefix)) this.collections.delete(key);
  }

  get(collection: string, id: string): Entity | undefined {
    return this.collections.get(collection)?.get(id);
  }

  /** A collection's entities in the order they were added. */
  list(collection: string): Entity[] {
    return [...(this.collections.get(collection)?.values() ?? [])];
  }

  /** Every collection path holding entities. */
  paths(): string[] {
    return [...this.collections.keys()];
  }
}
