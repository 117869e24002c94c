// pyrax.cloudservers: Nova's compute API v2.1, with microversions negotiated on first use (the
// highest both Nova and this SDK support, or the one asked for) and sent on every call.
import { NotFoundError, ValidationError, type RequestOptions } from "@nimbus-sdk/common";
import { ServiceClient, type ServiceClientOptions } from "../../service-client.js";
import { ComputeImageManager, type ComputeImage, type ComputeImageListOptions } from "./compute-image.js";
import { FlavorManager, type Flavor, type FlavorListOptions } from "./flavor.js";
import { KeypairManager } from "./keypair.js";
import type { Listing } from "./listing.js";
import {
  capMicroversion,
  chooseMicroversion,
  compareMicroversions,
  microversionHeaders,
  parseMicroversion,
  readVersionDocument,
  type ServerVersionRange,
} from "./microversion.js";
import { ServerGroupManager } from "./server-group.js";
import type { ServerListOptions, ServerSearchOptions } from "./server-requests.js";
import { ServerManager, type Server } from "./server.js";
import type { ComputeCallOptions } from "./wire.js";

export interface CloudServersOptions extends ServiceClientOptions {
  /** The microversion to use ("2.60"), or "latest" (default): the highest both sides support. */
  microversion?: string;
}

/** A request to Nova, relative to the endpoint, with the microversion rules of the call. */
export interface NovaRequest extends Omit<RequestOptions, "url"> {
  /** Path segments under the endpoint (each is encoded). */
  path: readonly string[];
  /** Send at most this microversion (a call Nova changed or removed later). */
  maxVersion?: string;
}

/** pyrax.cloudservers: `cs.servers`, `cs.flavors`, `cs.images`, `cs.keypairs`, `cs.serverGroups`. */
export class CloudServers extends ServiceClient {
  readonly servers: ServerManager;
  readonly flavors: FlavorManager;
  /** The compute view of images (Nova's image proxy); `pyrax.images` is Glance. */
  readonly images: ComputeImageManager;
  readonly keypairs: KeypairManager;
  readonly serverGroups: ServerGroupManager;
  readonly projectId?: string;
  #requested?: string;
  #negotiated?: Promise<string | undefined>;
  #version?: string;

  constructor(options: CloudServersOptions) {
    super(options);
    this.projectId = options.projectId;
    if (options.microversion !== undefined) this.setApiVersion(options.microversion);
    this.servers = new ServerManager(this);
    this.flavors = new FlavorManager(this);
    this.images = new ComputeImageManager(this);
    this.keypairs = new KeypairManager(this);
    this.serverGroups = new ServerGroupManager(this);
  }

  /** pyrax's `cs.list()`: the servers, as `cs.servers.list()`. */
  list(
    detailed?: boolean | ServerListOptions,
    searchOpts?: ServerSearchOptions,
    options?: Omit<ServerListOptions, "detailed" | "searchOpts">,
  ): Listing<Server> {
    return this.servers.list(detailed, searchOpts, options);
  }

  /** pyrax's `cs.list_images()`: the compute view of images. */
  listImages(options?: ComputeImageListOptions): Listing<ComputeImage> {
    return this.images.list(options);
  }

  /** pyrax's `cs.list_flavors()`. */
  listFlavors(options?: FlavorListOptions): Listing<Flavor> {
    return this.flavors.list(options);
  }

  /** pyrax's `cs.list_base_images()`: the images not made from a server. */
  async listBaseImages(options: ComputeCallOptions = {}): Promise<ComputeImage[]> {
    return (await this.images.list({ signal: options.signal })).filter((image) => image.record.server === undefined);
  }

  /** pyrax's `cs.list_snapshots()`: the images made from a server. */
  async listSnapshots(options: ComputeCallOptions = {}): Promise<ComputeImage[]> {
    return (await this.images.list({ signal: options.signal })).filter((image) => image.record.server !== undefined);
  }

  /** pyrax's `cs.find_images_by_name(expr)`: images whose name matches the regular expression, ignoring case. */
  async findImagesByName(expr: string | RegExp, options: ComputeCallOptions = {}): Promise<ComputeImage[]> {
    const pattern = typeof expr === "string" ? new RegExp(expr, "i") : expr;
    return (await this.images.list({ signal: options.signal })).filter((image) => pattern.test(image.name ?? ""));
  }

  // --- microversions ---------------------------------------------------------------------------

  /** The microversion in use, once negotiated (undefined before, and for a legacy v2 endpoint). */
  get apiVersion(): string | undefined {
    return this.#version;
  }

  /** Use this microversion ("2.60") from the next call on, or "latest" for the highest both support. */
  setApiVersion(version: string): void {
    if (version !== "latest") parseMicroversion(version);
    this.#requested = version;
    this.#negotiated = undefined;
    this.#version = undefined;
  }

  /** The compute API root: the endpoint without a trailing project id (where the versions document is). */
  get apiRoot(): URL {
    const url = new URL(this.endpoint);
    const segments = url.pathname.split("/").filter(Boolean);
    const last = segments.at(-1);
    if (last && !/^v\d+(\.\d+)?$/.test(last) && segments.length > 1) segments.pop();
    url.pathname = `/${segments.join("/")}`;
    return url;
  }

  /** The range of microversions this endpoint supports, from its versions document. */
  async getServerVersions(options: ComputeCallOptions = {}): Promise<ServerVersionRange> {
    try {
      return readVersionDocument(await this.transport.json({ url: this.apiRoot, signal: options.signal }));
    } catch (error) {
      // An endpoint without a versions document is the legacy v2 API: no microversions.
      if (error instanceof NotFoundError) return {};
      throw error;
    }
  }

  /** Negotiates (once) and returns the microversion every call sends; undefined for a legacy endpoint. */
  async getApiVersion(options: ComputeCallOptions = {}): Promise<string | undefined> {
    this.#negotiated ??= this.getServerVersions(options).then(
      (range) => (this.#version = chooseMicroversion(range, this.#requested)),
      (error: unknown) => {
        this.#negotiated = undefined;
        throw error;
      },
    );
    return this.#negotiated;
  }

  /**
   * Fails with a ValidationError naming `field` when the microversion in use is older than `min`
   * (the argument would be refused or ignored by Nova).
   */
  async requireVersion(field: string, min: string, options: ComputeCallOptions = {}): Promise<void> {
    const version = await this.getApiVersion(options);
    if (!version || compareMicroversions(version, min) < 0) {
      throw new ValidationError(
        `${field} needs compute microversion ${min} or newer; this client uses ${version ?? "none (legacy v2)"}`,
        { field },
      );
    }
  }

  /** Whether the microversion in use is at least `min`. */
  async atLeast(min: string, options: ComputeCallOptions = {}): Promise<boolean> {
    const version = await this.getApiVersion(options);
    return version !== undefined && compareMicroversions(version, min) >= 0;
  }

  /** Whether a microversion was asked for explicitly (it is then never lowered for a call). */
  get pinned(): boolean {
    return this.#requested !== undefined && this.#requested !== "latest";
  }

  /** Sends one request to Nova with the negotiated microversion (lowered to `maxVersion` if given). */
  async request(request: NovaRequest) {
    const { path, maxVersion, headers, ...rest } = request;
    const negotiated = await this.getApiVersion({ signal: request.signal });
    const version = maxVersion ? capMicroversion(negotiated, maxVersion) : negotiated;
    return this.transport.request({
      ...rest,
      url: this.url(...path),
      headers: { ...microversionHeaders(version), ...headers },
    });
  }

  /** `request` and the JSON body. */
  async json<T>(request: NovaRequest): Promise<T> {
    return (await this.request(request)).json<T>();
  }

  /** `request`, for calls whose answer has no body worth reading. */
  async send(request: NovaRequest): Promise<void> {
    await (await this.request(request)).dump();
  }

  /** The URL of a path under the endpoint (segments are encoded). */
  url(...segments: string[]): URL {
    return new URL(segments.map((s) => encodeURIComponent(s)).join("/"), this.endpoint);
  }
}
