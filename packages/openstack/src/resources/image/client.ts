// pyrax.images: Glance v2 images (list, get, create, update, delete, wait), their data (data.ts),
// tags, members (members.ts) and tasks, and the JSON schemas Glance publishes.
import {
  AwaitablePagedList,
  NotFoundError,
  PagedList,
  ValidationError,
  waitUntil,
  type Page,
} from "@nimbus-sdk/common";
import { NoSuchImage, NoUniqueMatch, UnexpectedStatus } from "../../errors.js";
import { checkOptions } from "../../arguments.js";
import { ServiceClient, type ServiceClientOptions } from "../../service-client.js";
import {
  checkFormats,
  computeImagePatch,
  glanceApiRoot,
  imageCreateBody,
  imageListQuery,
  isOneOf,
  nextPageQuery,
} from "./attributes.js";
import type { GlanceContext, ImageManager } from "./client-api.js";
import * as data from "./data.js";
import * as members from "./members.js";

import { Image, idOf, onImage, recordOf, type ImageRef, type ImageWaitOptions } from "./image.js";
import {
  IMAGE_STATUSES,
  type GlanceSchema,
  type ImageCallOptions,
  type ImageChanges,
  type ImageCreateAttributes,
  type ImageDownloadOptions,
  type ImageDownloadResult,
  type ImageDownloadTarget,
  type ImageFilters,
  type ImageListOptions,
  type ImageMember,
  type ImageMemberStatus,
  type ImageRecord,
  type ImageStatus,
  type ImageTask,
  type ImageTaskStatus,
  type ImageUploadOptions,
  type ImageUploadSource,
} from "./types.js";

const PATCH_CONTENT_TYPE = "application/openstack-images-v2.1-json-patch";
// Statuses an image never leaves: waiting past them would wait for ever. (An admin can reactivate a
// deactivated image, so that one is waited through.)
const DEAD_ENDS: readonly ImageStatus[] = ["killed", "deleted", "pending_delete"];

/** pyrax.images: Glance v2. */
export class Images extends ServiceClient implements ImageManager<Image> {
  /** The v2 API root, whatever version (or none) the catalog's endpoint names. */
  readonly apiRoot: URL;
  readonly projectId?: string;
  #imageSchema?: Promise<GlanceSchema>;
  readonly #glance: GlanceContext;

  constructor(options: ServiceClientOptions) {
    super(options);
    this.apiRoot = glanceApiRoot(this.endpoint);
    this.projectId = options.projectId;
    this.#glance = {
      request: (request) => this.transport.request(request),
      url: (...segments) => this.url(...segments),
      get: async (id, signal) => (await this.get(id, { signal })).record,
    };
  }

  /** The URL of a path under /v2 (segments are encoded). */
  url(...segments: string[]): URL {
    return new URL(segments.map((s) => encodeURIComponent(s)).join("/"), this.apiRoot);
  }

  // --- listing -------------------------------------------------------------------------------

  /**
   * The images matching the filters (pyrax's `list`): `await images.list()` gives an array, following
   * Glance's pages; `for await (const image of images.list())` fetches a page at a time. `limit` caps
   * how many in all (pyrax's `list(limit=…)` gives that many), `marker` starts after that image.
   */
  list(options: ImageListOptions = {}): AwaitablePagedList<Image, Record<string, string[]>> {
    const first = imageListQuery(options);
    const total = options.limit ?? Infinity;
    let seen = 0;
    return new AwaitablePagedList(
      async (cursor, { signal }) => {
        if (cursor === undefined) seen = 0;
        const page = await this.#page(cursor ?? first, signal);
        const items = page.items.slice(0, total - seen);
        seen += items.length;
        return { items, next: seen < total ? page.next : undefined };
      },
      { signal: options.signal },
    );
  }

  /** Every image matching the filters, following Glance's `next` links, in one array (pyrax's `list_all`). */
  async listAll(options: ImageListOptions = {}): Promise<Image[]> {
    checkOptions("listAll", options);
    return this.iterate(options).all();
  }

  /**
   * The images matching the filters, fetched a page at a time as they are consumed:
   * `for await (const image of images.iterate({ limit: 100 }))`, or `.pages()`.
   */
  iterate(options: ImageListOptions = {}): PagedList<Image, Record<string, string[]>> {
    checkOptions("iterate", options);
    const first = imageListQuery(options);
    return new PagedList((cursor, { signal }) => this.#page(cursor ?? first, signal), { signal: options.signal });
  }

  async #page(
    query: Record<string, string | string[]>,
    signal: AbortSignal | undefined,
  ): Promise<Page<Image, Record<string, string[]>>> {
    const body = await this.transport.json<{ images: ImageRecord[]; next?: string }>({
      url: this.url("images"),
      query,
      signal,
    });
    // `next` is rooted at /v2 and ignores any path prefix of the endpoint: keep only its query.
    return {
      items: body.images.map((r) => new Image(this, r)),
      next: body.next ? nextPageQuery(body.next) : undefined,
    };
  }

  /**
   * The one image matching the filters (usually `{ name }`): NoSuchImage when none does,
   * NoUniqueMatch when several do.
   */
  async find(filters: ImageFilters, options: ImageCallOptions = {}): Promise<Image> {
    checkOptions("find", options, []);
    const given = Object.entries(filters ?? {}).filter(([, v]) => v !== undefined);
    if (given.length === 0)
      throw new ValidationError("find needs at least one filter, such as name", { field: "name" });
    const matches = await this.listAll({ ...filters, signal: options.signal });
    const described = given.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ");
    if (matches.length === 0) throw new NoSuchImage(`no image matches ${described}`);
    if (matches.length > 1) {
      const ids = matches.map((m) => m.id);
      throw new NoUniqueMatch(
        `${matches.length} images match ${described} (${ids.slice(0, 5).join(", ")}${ids.length > 5 ? ", …" : ""}); ` +
          "give more filters or use the id",
        { matches: ids },
      );
    }
    return matches[0]!;
  }

  // --- single images -------------------------------------------------------------------------

  /** The image with that id; NoSuchImage when there is none. */
  async get(image: ImageRef, options: ImageCallOptions = {}): Promise<Image> {
    checkOptions("get", options, []);
    const id = idOf(image);
    const record = await onImage(id, () =>
      this.transport.json<ImageRecord>({ url: this.url("images", id), signal: options.signal }),
    );
    return new Image(this, record);
  }

  /**
   * Registers a new image (status queued, no data yet); `upload` gives it data. Formats are checked
   * against Glance's schema before anything is created.
   */
  async create(attributes: ImageCreateAttributes, options: ImageCallOptions = {}): Promise<Image> {
    checkOptions("create", options, []);
    const body = imageCreateBody(attributes);
    await this.validateFormats(body, options);
    const record = await this.transport.json<ImageRecord>({
      method: "POST",
      url: this.url("images"),
      json: body,
      signal: options.signal,
    });
    return new Image(this, record);
  }

  /**
   * Applies changes as a JSON patch: `{ name: "new", tags: ["a"], os_distro: "debian", old_prop: null }`.
   * With an id, the image is fetched first to tell added custom properties from replaced ones.
   */
  async update(image: ImageRef, changes: ImageChanges, options: ImageCallOptions = {}): Promise<Image> {
    checkOptions("update", options, []);
    const id = idOf(image);
    // Validate before any request: a bad change must not cost a round trip.
    computeImagePatch(recordOf(image), changes);
    await this.validateFormats(changes, options);
    const current = recordOf(image) ?? (await this.get(id, options)).record;
    const patch = computeImagePatch(current, changes);
    if (patch.length === 0) return image instanceof Image ? image : new Image(this, current);
    const record = await onImage(id, () =>
      this.transport.json<ImageRecord>({
        method: "PATCH",
        url: this.url("images", id),
        headers: { "content-type": PATCH_CONTENT_TYPE },
        body: JSON.stringify(patch),
        // Setting values can be replayed safely; removing twice fails, so such a patch is sent once.
        idempotent: patch.every((op) => op.op !== "remove"),
        signal: options.signal,
      }),
    );
    return new Image(this, record);
  }

  /** pyrax's `change_image_name`. */
  async changeImageName(image: ImageRef, name: string, options: ImageCallOptions = {}): Promise<Image> {
    checkOptions("changeImageName", options, []);
    return this.update(image, { name }, options);
  }

  /** Deletes the image and its data; NoSuchImage when it is not there, Forbidden when it is protected. */
  async delete(image: ImageRef, options: ImageCallOptions = {}): Promise<void> {
    checkOptions("delete", options, []);
    const id = idOf(image);
    await onImage(id, async () => {
      const response = await this.transport.request({ method: "DELETE", url: this.url("images", id), ...options });
      await response.dump();
    });
  }

  /**
   * Waits until the image has the status (or one of them), polling with `get`. Fails early with
   * UnexpectedStatus when it reaches a status it cannot leave (killed, deleted …); waiting for
   * "deleted" also ends when the image is gone.
   */
  async waitForStatus(
    image: ImageRef,
    status: ImageStatus | readonly ImageStatus[],
    options: ImageWaitOptions = {},
  ): Promise<Image> {
    checkOptions("waitForStatus", options);
    const id = idOf(image);
    const wanted: readonly ImageStatus[] = typeof status === "string" ? [status] : status;
    for (const s of wanted) {
      if (!isOneOf(IMAGE_STATUSES, s)) {
        throw new ValidationError(`waitForStatus: unknown status ${JSON.stringify(s)}`, { field: "status" });
      }
    }
    let last = recordOf(image);
    return waitUntil(
      async ({ signal }) => {
        try {
          const current = await this.get(id, { signal });
          last = current.record;
          return current;
        } catch (error) {
          if (wanted.includes("deleted") && error instanceof NotFoundError) {
            return new Image(this, { ...(last ?? ({ id } as ImageRecord)), status: "deleted" });
          }
          throw error;
        }
      },
      (current) => {
        if (wanted.includes(current.status)) return true;
        if (DEAD_ENDS.includes(current.status)) {
          throw new UnexpectedStatus(`image ${id} became ${current.status} while waiting for ${wanted.join(" or ")}`, {
            resourceId: id,
            resourceStatus: current.status,
          });
        }
        return false;
      },
      {
        interval: options.interval,
        timeout: options.timeout,
        signal: options.signal,
        onProgress: options.onProgress,
        description: `image ${id} to be ${wanted.join(" or ")}`,
      },
    );
  }

  /** Makes an active image's data unavailable to non-admins; Glance's policy decides who may. */
  async deactivate(image: ImageRef, options: ImageCallOptions = {}): Promise<void> {
    checkOptions("deactivate", options, []);
    await this.#action(image, "deactivate", options);
  }

  /** Undoes `deactivate`. */
  async reactivate(image: ImageRef, options: ImageCallOptions = {}): Promise<void> {
    checkOptions("reactivate", options, []);
    await this.#action(image, "reactivate", options);
  }

  async #action(image: ImageRef, action: string, options: ImageCallOptions): Promise<void> {
    const id = idOf(image);
    await onImage(id, async () => {
      const response = await this.transport.request({
        method: "POST",
        url: this.url("images", id, "actions", action),
        idempotent: true,
        signal: options.signal,
      });
      await response.dump();
    });
  }

  // --- data ----------------------------------------------------------------------------------

  /**
   * Uploads the image's data (`PUT /v2/images/{id}/file`); the image must be queued and have its
   * disk and container formats. Resolves to the image as Glance then reports it (active). With
   * `verifyChecksum` (default), the MD5 of what was sent must equal Glance's `checksum`, and the
   * SHA-512 its `os_hash_value` when that is the algorithm; else ChecksumMismatch.
   */
  async upload(image: ImageRef, source: ImageUploadSource, options: ImageUploadOptions = {}): Promise<Image> {
    checkOptions("upload", options);
    return new Image(this, await data.upload(this.#glance, image, source, options));
  }

  /**
   * Downloads the image's data to a stream or a file. A file is written under a temporary name and
   * renamed when complete and verified, so it is never left half written. The MD5 of what arrived is
   * checked against Glance's checksum (ChecksumMismatch; a stream target has then already received it).
   */
  async download(
    image: ImageRef,
    target: ImageDownloadTarget,
    options: ImageDownloadOptions = {},
  ): Promise<ImageDownloadResult> {
    checkOptions("download", options);
    return data.download(this.#glance, image, target, options);
  }

  // --- tags ----------------------------------------------------------------------------------

  /** pyrax's `add_image_tag`: adds one tag (adding a tag it has already is no error). */
  async addTag(image: ImageRef, tag: string, options: ImageCallOptions = {}): Promise<void> {
    checkOptions("addTag", options, []);
    const id = idOf(image);
    checkTag(tag);
    await onImage(id, async () => {
      await (
        await this.transport.request({ method: "PUT", url: this.url("images", id, "tags", tag), ...options })
      ).dump();
    });
  }

  /** pyrax's `delete_image_tag`; NotFound when the image does not have the tag (or does not exist). */
  async deleteTag(image: ImageRef, tag: string, options: ImageCallOptions = {}): Promise<void> {
    checkOptions("deleteTag", options, []);
    const id = idOf(image);
    checkTag(tag);
    await (
      await this.transport.request({ method: "DELETE", url: this.url("images", id, "tags", tag), ...options })
    ).dump();
  }

  // --- members -------------------------------------------------------------------------------

  /** pyrax's `list_image_members`. */
  async listImageMembers(image: ImageRef, options: ImageCallOptions = {}): Promise<ImageMember[]> {
    checkOptions("listImageMembers", options, []);
    return members.listImageMembers(this.#glance, image, options);
  }

  /** pyrax's `get_image_member`. */
  async getImageMember(image: ImageRef, memberId: string, options: ImageCallOptions = {}): Promise<ImageMember> {
    checkOptions("getImageMember", options, []);
    return members.getImageMember(this.#glance, image, memberId, options);
  }

  /**
   * pyrax's `add_image_member`: shares the image with a project. Glance accepts members only on
   * images whose visibility is "shared" (Forbidden otherwise).
   */
  async addImageMember(image: ImageRef, projectId: string, options: ImageCallOptions = {}): Promise<ImageMember> {
    checkOptions("addImageMember", options, []);
    return members.addImageMember(this.#glance, image, projectId, options);
  }

  /** pyrax's `delete_image_member`. */
  async deleteImageMember(image: ImageRef, projectId: string, options: ImageCallOptions = {}): Promise<void> {
    checkOptions("deleteImageMember", options, []);
    return members.deleteImageMember(this.#glance, image, projectId, options);
  }

  /**
   * pyrax's `update_image_member`: the project an image was shared with accepts, rejects or
   * postpones it. The member is `projectId` (default: the client's project).
   */
  async updateImageMember(
    image: ImageRef,
    status: ImageMemberStatus,
    options: ImageCallOptions & { projectId?: string } = {},
  ): Promise<ImageMember> {
    checkOptions("updateImageMember", options, ["projectId"]);
    return members.updateImageMember(this.#glance, image, status, options.projectId ?? this.projectId, options);
  }

  // --- tasks ---------------------------------------------------------------------------------

  /** pyrax's `list_tasks` (Glance allows tasks to admins only by default). */
  async listTasks(
    options: ImageCallOptions & { status?: ImageTaskStatus; type?: string; limit?: number } = {},
  ): Promise<ImageTask[]> {
    checkOptions("listTasks", options, ["status", "type", "limit"]);
    const tasks: ImageTask[] = [];
    let query: Record<string, string | string[] | number | undefined> = {
      status: options.status,
      type: options.type,
      limit: options.limit,
    };
    for (;;) {
      const body = await this.transport.json<{ tasks: ImageTask[]; next?: string }>({
        url: this.url("tasks"),
        query,
        signal: options.signal,
      });
      tasks.push(...body.tasks);
      if (!body.next || body.tasks.length === 0) return tasks;
      query = nextPageQuery(body.next);
    }
  }

  /** pyrax's `get_task`. */
  async getTask(taskId: string, options: ImageCallOptions = {}): Promise<ImageTask> {
    checkOptions("getTask", options, []);
    if (!taskId) throw new ValidationError("getTask needs a task id", { field: "taskId" });
    return this.transport.json<ImageTask>({ url: this.url("tasks", taskId), ...options });
  }

  /** Creates a task of any type Glance knows (`{ type: "import", input: {...} }`). */
  async createTask(
    task: { type: string; input: Record<string, unknown> },
    options: ImageCallOptions = {},
  ): Promise<ImageTask> {
    checkOptions("createTask", options, []);
    if (!task?.type) throw new ValidationError("createTask needs a type", { field: "type" });
    return this.transport.json<ImageTask>({ method: "POST", url: this.url("tasks"), json: task, ...options });
  }

  // --- schemas -------------------------------------------------------------------------------

  /** The JSON schema of an image (pyrax's `get_image_schema`); its enums list this cloud's formats. */
  async getImageSchema(options: ImageCallOptions = {}): Promise<GlanceSchema> {
    checkOptions("getImageSchema", options, []);
    return this.#schema("image", options);
  }
  async getImagesSchema(options: ImageCallOptions = {}): Promise<GlanceSchema> {
    checkOptions("getImagesSchema", options, []);
    return this.#schema("images", options);
  }
  async getImageMemberSchema(options: ImageCallOptions = {}): Promise<GlanceSchema> {
    checkOptions("getImageMemberSchema", options, []);
    return this.#schema("member", options);
  }
  async getImageMembersSchema(options: ImageCallOptions = {}): Promise<GlanceSchema> {
    checkOptions("getImageMembersSchema", options, []);
    return this.#schema("members", options);
  }
  async getImageTaskSchema(options: ImageCallOptions = {}): Promise<GlanceSchema> {
    checkOptions("getImageTaskSchema", options, []);
    return this.#schema("task", options);
  }
  async getImageTasksSchema(options: ImageCallOptions = {}): Promise<GlanceSchema> {
    checkOptions("getImageTasksSchema", options, []);
    return this.#schema("tasks", options);
  }

  #schema(name: string, options: ImageCallOptions): Promise<GlanceSchema> {
    return this.transport.json<GlanceSchema>({ url: this.url("schemas", name), ...options });
  }

  /**
   * Checks `disk_format` and `container_format` before sending: Glance's default values pass at once;
   * another value is looked up in this cloud's image schema (fetched once), since operators may
   * configure their own lists. An unknown value is a ValidationError listing the allowed ones.
   */
  async validateFormats(
    attributes: { disk_format?: unknown; container_format?: unknown },
    options: ImageCallOptions = {},
  ): Promise<void> {
    checkOptions("validateFormats", options, []);
    await checkFormats(
      attributes,
      () =>
        (this.#imageSchema ??= this.getImageSchema(options).catch((error: unknown) => {
          this.#imageSchema = undefined;
          throw error;
        })),
    );
  }
}

function checkTag(tag: string): void {
  if (typeof tag !== "string" || tag.length === 0 || tag.length > 255) {
    throw new ValidationError(`a tag must be a string of 1 to 255 characters, not ${JSON.stringify(tag)}`, {
      field: "tag",
    });
  }
}
