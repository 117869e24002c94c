// An image as pyrax hands it out: Glance's fields to read, and the calls about it on the object
// itself (image.update, image.delete …). Each call refreshes the fields from Glance's answer.
import { ValidationError } from "@nimbus-sdk/common";
import { NoSuchImage, notFoundAs } from "../../errors.js";
import type { ImageManager } from "./client-api.js";
import type {
  ImageCallOptions,
  ImageChanges,
  ImageDownloadOptions,
  ImageDownloadResult,
  ImageDownloadTarget,
  ImageMember,
  ImageRecord,
  ImageStatus,
  ImageUploadOptions,
  ImageUploadSource,
  ImageVisibility,
  WaitOptions,
} from "./types.js";

/** Glance's own image fields; anything else on a record is a custom property. */
export const IMAGE_BASE_FIELDS: ReadonlySet<string> = new Set([
  "id",
  "name",
  "status",
  "visibility",
  "protected",
  "os_hidden",
  "checksum",
  "os_hash_algo",
  "os_hash_value",
  "owner",
  "size",
  "virtual_size",
  "container_format",
  "disk_format",
  "created_at",
  "updated_at",
  "tags",
  "min_ram",
  "min_disk",
  "self",
  "file",
  "schema",
  "direct_url",
  "locations",
  "stores",
]);

/** Glance reserves this prefix for its own bookkeeping (os_glance_importing_to_stores …). */
export const GLANCE_RESERVED_PREFIX = "os_glance";

/** The custom properties of a record: every string field that is not one of Glance's own. */
export function customProperties(record: ImageRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    if (!IMAGE_BASE_FIELDS.has(key) && !key.startsWith(GLANCE_RESERVED_PREFIX) && typeof value === "string") {
      out[key] = value;
    }
  }
  return out;
}

/** An image, its id, or the record Glance returned for it. */
export type ImageRef = string | Image | ImageRecord;

/** Options of waiting for an image's status: interval, timeout, signal and a progress callback. */
export type ImageWaitOptions = WaitOptions<Image>;

/** An image of the image service (Glance v2), as pyrax's `Image`: its fields as properties, custom properties as attributes, members and tags. */
export class Image {
  /** Custom properties read as attributes, as pyrax's images show them: `image.os_distro`. */
  readonly [property: string]: unknown;
  /** The client this image came from (an Images). */
  readonly manager: ImageManager<Image>;
  #record: ImageRecord;

  constructor(manager: ImageManager<Image>, record: ImageRecord) {
    this.manager = manager;
    this.#record = record;
    this.#exposeProperties();
  }

  // Each custom property becomes an attribute reading the current record; a name the class already
  // uses (a field or method) stays the class's, and is read through `properties`.
  #exposeProperties(): void {
    for (const key of Object.keys(customProperties(this.#record))) {
      if (key in this) continue;
      Object.defineProperty(this, key, {
        get: () => customProperties(this.#record)[key],
        enumerable: true,
        configurable: true,
      });
    }
  }

  /** Glance's answer, as last received. */
  get record(): ImageRecord {
    return this.#record;
  }

  get id(): string {
    return this.#record.id;
  }
  get name(): string | null {
    return this.#record.name;
  }
  get status(): ImageStatus {
    return this.#record.status;
  }
  get visibility(): ImageVisibility {
    return this.#record.visibility;
  }
  get protected(): boolean {
    return this.#record.protected;
  }
  get os_hidden(): boolean {
    return this.#record.os_hidden;
  }
  get checksum(): string | null {
    return this.#record.checksum;
  }
  get os_hash_algo(): string | null {
    return this.#record.os_hash_algo;
  }
  get os_hash_value(): string | null {
    return this.#record.os_hash_value;
  }
  get owner(): string | null {
    return this.#record.owner;
  }
  get size(): number | null {
    return this.#record.size;
  }
  get virtual_size(): number | null {
    return this.#record.virtual_size;
  }
  get disk_format(): string | null {
    return this.#record.disk_format;
  }
  get container_format(): string | null {
    return this.#record.container_format;
  }
  get min_ram(): number {
    return this.#record.min_ram;
  }
  get min_disk(): number {
    return this.#record.min_disk;
  }
  get tags(): readonly string[] {
    return this.#record.tags;
  }
  get created_at(): string {
    return this.#record.created_at;
  }
  get updated_at(): string {
    return this.#record.updated_at;
  }

  /** Custom properties (os_distro, hw_disk_bus …), all strings. */
  get properties(): Record<string, string> {
    return customProperties(this.#record);
  }

  /** Fetches the image again (pyrax's `get`/`reload`). */
  async reload(options: ImageCallOptions = {}): Promise<this> {
    return this.#refresh(await this.manager.get(this.id, options));
  }

  /** pyrax's `image.update(value_dict)`: see `Images.update`. */
  async update(changes: ImageChanges, options: ImageCallOptions = {}): Promise<this> {
    return this.#refresh(await this.manager.update(this, changes, options));
  }

  /** pyrax's `image.change_name`. */
  async changeName(name: string, options: ImageCallOptions = {}): Promise<this> {
    return this.update({ name }, options);
  }

  async delete(options: ImageCallOptions = {}): Promise<void> {
    await this.manager.delete(this.id, options);
  }

  /** Uploads the data; see `Images.upload`. */
  async upload(source: ImageUploadSource, options: ImageUploadOptions = {}): Promise<this> {
    return this.#refresh(await this.manager.upload(this, source, options));
  }

  /** Downloads the data to a stream or `{ file }`; see `Images.download`. */
  async download(target: ImageDownloadTarget, options: ImageDownloadOptions = {}): Promise<ImageDownloadResult> {
    return this.manager.download(this, target, options);
  }

  async waitForStatus(status: ImageStatus | readonly ImageStatus[], options: ImageWaitOptions = {}): Promise<this> {
    return this.#refresh(await this.manager.waitForStatus(this, status, options));
  }

  async addTag(tag: string, options: ImageCallOptions = {}): Promise<void> {
    await this.manager.addTag(this, tag, options);
    if (!this.#record.tags.includes(tag)) this.#record = { ...this.#record, tags: [...this.#record.tags, tag] };
  }

  async deleteTag(tag: string, options: ImageCallOptions = {}): Promise<void> {
    await this.manager.deleteTag(this, tag, options);
    this.#record = { ...this.#record, tags: this.#record.tags.filter((t) => t !== tag) };
  }

  async listMembers(options: ImageCallOptions = {}): Promise<ImageMember[]> {
    return this.manager.listImageMembers(this, options);
  }

  async getMember(memberId: string, options: ImageCallOptions = {}): Promise<ImageMember> {
    return this.manager.getImageMember(this, memberId, options);
  }

  async addMember(projectId: string, options: ImageCallOptions = {}): Promise<ImageMember> {
    return this.manager.addImageMember(this, projectId, options);
  }

  async deleteMember(projectId: string, options: ImageCallOptions = {}): Promise<void> {
    await this.manager.deleteImageMember(this, projectId, options);
  }

  toJSON(): ImageRecord {
    return this.#record;
  }

  #refresh(other: Image): this {
    this.#record = other.record;
    this.#exposeProperties();
    return this;
  }
}

export function idOf(ref: ImageRef): string {
  const id = typeof ref === "string" ? ref : ref?.id;
  if (typeof id !== "string" || id.trim() === "") {
    throw new ValidationError("image must be an Image, an image record or a non-empty image id", { field: "image" });
  }
  return id;
}

/** The record behind a reference, when it carries one. */
export function recordOf(ref: ImageRef): ImageRecord | undefined {
  if (typeof ref === "string") return undefined;
  return ref instanceof Image ? ref.record : ref;
}

/** Runs a call about one image, turning a 404 into NoSuchImage. */
export function onImage<T>(id: string, call: () => Promise<T>): Promise<T> {
  return notFoundAs(call(), NoSuchImage, `no image with id ${id}`);
}
