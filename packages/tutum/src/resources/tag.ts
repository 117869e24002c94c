// tutum.Tag (python-tutum 0.11+): a helper editing the `tags` of a Service, Node or NodeCluster.
// `add`/`remove` change the object locally; `save()` PATCHes its whole `tags` list; `delete` is
// remove + save and refuses an object with other unsaved changes.
import { NotSaved, TutumApiError, UnsavedChanges } from "../errors.js";
import { Resource, detailUriOf, metaOf, type CallSignal } from "../resource.js";

/** An object with a `tags` field: Service, Node, NodeCluster. */
export interface Taggable extends Resource {
  tags?: Array<{ name?: string; [key: string]: unknown }>;
}

/** python-tutum's `Tag`: the tags of a service, node or node cluster (`Tag.fetch(service)`, `add`, `remove`, `save`). */
export class Tag {
  readonly taggable: Taggable;

  private constructor(taggable: Taggable) {
    this.taggable = taggable;
  }

  /** The tag helper of a saved object. */
  static async fetch(taggable: Taggable): Promise<Tag> {
    if (!(taggable instanceof Resource) || !metaOf(taggable).fields.some((f) => f.name === "tags")) {
      throw new TutumApiError("The object does not support tag");
    }
    if (!detailUriOf(taggable))
      throw new NotSaved("You must save the taggable object before performing this operation");
    return new Tag(taggable);
  }

  /** Adds one tag or several, locally. */
  add(names: string | readonly string[]): void {
    const list = typeof names === "string" ? [names] : names;
    this.taggable.tags = [...(this.taggable.tags ?? []), ...list.map((name) => ({ name }))];
  }

  /** Removes one tag or several, locally. */
  remove(names: string | readonly string[]): void {
    const list = new Set(typeof names === "string" ? [names] : names);
    this.taggable.tags = (this.taggable.tags ?? []).filter((t) => !list.has(t.name ?? ""));
  }

  /** Removes and saves at once; refuses when the object has other unsaved changes. */
  async delete(names: string | readonly string[], options: CallSignal = {}): Promise<boolean> {
    if (this.taggable.isDirty) {
      throw new UnsavedChanges("You must save the tagged object before deleting a tag (it has unsaved changes)");
    }
    this.remove(names);
    return this.save(options);
  }

  /** The object's tags. */
  list(): Array<{ name?: string; [key: string]: unknown }> {
    return [...(this.taggable.tags ?? [])];
  }

  /** Saves the object (PATCH of its changed fields, here `tags`). */
  save(options: CallSignal = {}): Promise<boolean> {
    return this.taggable.save(options);
  }
}
