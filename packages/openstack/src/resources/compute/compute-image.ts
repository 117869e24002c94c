// The compute view of images (Nova's image proxy, novaclient's ImageManager as pyrax's
// `cs.images`). Nova serves the proxy up to microversion 2.35, so these calls are sent at most at 2.35.
import { NotFound, notFoundAs } from "../../errors.js";
import { Manager, Resource, type Criteria } from "./base.js";
import type { CloudServers } from "./client.js";
import { nextLinkQuery, novaListing, type Listing, type NovaLink, type PagingOptions } from "./listing.js";
import { checkOptions, idOf, type ComputeCallOptions, type ComputeImageRecord, type Ref } from "./wire.js";

const PROXY_MAX_VERSION = "2.35";

export interface ComputeImageListOptions extends PagingOptions {
  detailed?: boolean;
  /** Nova's image filters: name, status, server, type, changes-since, minDisk, minRam. */
  filters?: Record<string, string>;
}

export class ComputeImage extends Resource<ComputeImageRecord, ComputeImageManager> {
  declare readonly id: string;
  declare readonly name?: string;
  declare readonly status?: string;
  declare readonly minDisk?: number;
  declare readonly minRam?: number;
  declare readonly metadata?: Record<string, string>;
  /** The server a snapshot was made from (absent on base images). */
  declare readonly server?: ComputeImageRecord["server"];
  [field: string]: unknown;

  constructor(manager: ComputeImageManager, record: ComputeImageRecord) {
    super(manager, record);
  }

  async get(options: ComputeCallOptions = {}): Promise<this> {
    return this.refreshFrom((await this.manager.get(this.id, options)).record);
  }
  async delete(options?: ComputeCallOptions): Promise<void> {
    return this.manager.delete(this, options);
  }
}

/** `cs.images`. */
export class ComputeImageManager extends Manager<ComputeImage> {
  protected readonly noun = "image";

  constructor(client: CloudServers) {
    super(client);
  }

  list(detailed?: boolean | ComputeImageListOptions, options: ComputeImageListOptions = {}): Listing<ComputeImage> {
    const all = typeof detailed === "object" && detailed !== null ? detailed : { ...options, detailed };
    checkOptions("images.list", all, ["detailed", "filters", "limit", "marker", "pageSize"]);
    const path = all.detailed === false ? ["images"] : ["images", "detail"];
    return novaListing({ ...all.filters }, all, async (query, signal) => {
      const body = await this.client.json<{ images: ComputeImageRecord[]; images_links?: NovaLink[] }>({
        path,
        query,
        maxVersion: PROXY_MAX_VERSION,
        signal,
      });
      return { items: body.images.map((r) => new ComputeImage(this, r)), next: nextLinkQuery(body.images_links) };
    });
  }

  protected listForFind(criteria: Criteria, options: ComputeCallOptions): Listing<ComputeImage> {
    const filters: Record<string, string> = {};
    if (typeof criteria.name === "string") filters.name = criteria.name;
    return this.list({ filters, signal: options.signal });
  }

  async get(image: Ref, options: ComputeCallOptions = {}): Promise<ComputeImage> {
    const id = idOf(image, "image");
    const body = await notFoundAs(
      this.client.json<{ image: ComputeImageRecord }>({
        path: ["images", id],
        maxVersion: PROXY_MAX_VERSION,
        signal: options.signal,
      }),
      NotFound,
      `no image with id ${id}`,
    );
    return new ComputeImage(this, body.image);
  }

  async delete(image: Ref, options: ComputeCallOptions = {}): Promise<void> {
    const id = idOf(image, "image");
    await notFoundAs(
      this.client.send({
        method: "DELETE",
        path: ["images", id],
        maxVersion: PROXY_MAX_VERSION,
        signal: options.signal,
      }),
      NotFound,
      `no image with id ${id}`,
    );
  }
}
