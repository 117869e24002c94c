// Flavors (novaclient's FlavorManager and Flavor): list, get, find, create, delete, extra specs.
import { ValidationError } from "@nimbus-sdk/common";
import { NotFound, notFoundAs } from "../../errors.js";
import { Manager, Resource, type Criteria } from "./base.js";
import type { CloudServers } from "./client.js";
import { nextLinkQuery, novaListing, type Listing, type NovaLink, type PagingOptions } from "./listing.js";
import { checkOptions, checkStringMap, idOf, type ComputeCallOptions, type FlavorRecord, type Ref } from "./wire.js";

export interface FlavorListOptions extends PagingOptions {
  detailed?: boolean;
  /** true (default): public flavors and the project's; false: private ones; null: all (admins). */
  isPublic?: boolean | null;
  minDisk?: number;
  minRam?: number;
  sortKey?: string;
  sortDir?: "asc" | "desc";
}

export interface FlavorCreateOptions extends ComputeCallOptions {
  /** The flavor's id; "auto" (default) lets Nova make a UUID. */
  flavorid?: string | number;
  ephemeral?: number;
  swap?: number;
  rxtxFactor?: number;
  isPublic?: boolean;
  description?: string;
}

export class Flavor extends Resource<FlavorRecord, FlavorManager> {
  declare readonly id: string;
  declare readonly name: string;
  declare readonly ram: number;
  declare readonly vcpus: number;
  declare readonly disk: number;
  declare readonly swap: number | "";
  declare readonly rxtx_factor?: number;
  declare readonly description?: string | null;
  [field: string]: unknown;

  constructor(manager: FlavorManager, record: FlavorRecord) {
    super(manager, record);
  }

  /** Ephemeral disk in GB (novaclient's `ephemeral`). */
  get ephemeral(): number | "N/A" {
    return this.record["OS-FLV-EXT-DATA:ephemeral"] ?? "N/A";
  }

  /** novaclient's `is_public`. */
  get is_public(): boolean | "N/A" {
    return this.record["os-flavor-access:is_public"] ?? "N/A";
  }

  async get(options: ComputeCallOptions = {}): Promise<this> {
    return this.refreshFrom((await this.manager.get(this.id, options)).record);
  }
  async delete(options?: ComputeCallOptions): Promise<void> {
    return this.manager.delete(this, options);
  }
  /** The extra specs (novaclient's `get_keys`). */
  async getKeys(options?: ComputeCallOptions): Promise<Record<string, string>> {
    return this.manager.getKeys(this, options);
  }
  async setKeys(metadata: Record<string, string>, options?: ComputeCallOptions): Promise<Record<string, string>> {
    return this.manager.setKeys(this, metadata, options);
  }
  async unsetKeys(keys: string[], options?: ComputeCallOptions): Promise<void> {
    return this.manager.unsetKeys(this, keys, options);
  }
}

/** `cs.flavors`. */
export class FlavorManager extends Manager<Flavor> {
  protected readonly noun = "flavor";

  constructor(client: CloudServers) {
    super(client);
  }

  /** The flavors: an array when awaited, page by page with `for await` (novaclient's `list(detailed, is_public)`). */
  list(detailed?: boolean | FlavorListOptions, isPublic?: boolean | null, options: FlavorListOptions = {}) {
    const all: FlavorListOptions =
      typeof detailed === "object" && detailed !== null ? detailed : { ...options, detailed, isPublic };
    checkOptions("flavors.list", all, [
      "detailed",
      "isPublic",
      "minDisk",
      "minRam",
      "sortKey",
      "sortDir",
      "limit",
      "marker",
      "pageSize",
    ]);
    const filters: Record<string, string | undefined> = {
      // novaclient: None lists every flavor (admins), False the private ones; True is Nova's default.
      is_public: all.isPublic === null ? "None" : all.isPublic === false ? "false" : undefined,
      minDisk: all.minDisk === undefined ? undefined : String(all.minDisk),
      minRam: all.minRam === undefined ? undefined : String(all.minRam),
      sort_key: all.sortKey,
      sort_dir: all.sortDir,
    };
    const path = all.detailed === false ? ["flavors"] : ["flavors", "detail"];
    return novaListing(filters, all, async (query, signal) => {
      const body = await this.client.json<{ flavors: FlavorRecord[]; flavors_links?: NovaLink[] }>({
        path,
        query,
        signal,
      });
      return { items: body.flavors.map((r) => new Flavor(this, r)), next: nextLinkQuery(body.flavors_links) };
    });
  }

  protected listForFind(_criteria: Criteria, options: ComputeCallOptions): Listing<Flavor> {
    return this.list({ signal: options.signal });
  }

  async get(flavor: Ref, options: ComputeCallOptions = {}): Promise<Flavor> {
    const id = idOf(flavor, "flavor");
    const body = await notFoundAs(
      this.client.json<{ flavor: FlavorRecord }>({ path: ["flavors", id], signal: options.signal }),
      NotFound,
      `no flavor with id ${id}`,
    );
    return new Flavor(this, body.flavor);
  }

  /** Creates a flavor (admins; novaclient's `create(name, ram, vcpus, disk, flavorid, …)`). */
  async create(
    name: string,
    ram: number,
    vcpus: number,
    disk: number,
    options: FlavorCreateOptions = {},
  ): Promise<Flavor> {
    checkOptions("flavors.create", options, ["flavorid", "ephemeral", "swap", "rxtxFactor", "isPublic", "description"]);
    if (typeof name !== "string" || name === "") {
      throw new ValidationError("flavors.create: name must be a non-empty string", { field: "name" });
    }
    for (const [field, value] of Object.entries({ ram, vcpus, disk })) {
      if (!Number.isInteger(value) || value < 0) {
        throw new ValidationError(`flavors.create: ${field} must be a whole number >= 0, not ${value}`, { field });
      }
    }
    const flavor: Record<string, unknown> = {
      name,
      ram,
      vcpus,
      disk,
      "OS-FLV-EXT-DATA:ephemeral": options.ephemeral ?? 0,
      swap: options.swap ?? 0,
      rxtx_factor: options.rxtxFactor ?? 1.0,
      "os-flavor-access:is_public": options.isPublic ?? true,
    };
    const flavorId = options.flavorid ?? "auto";
    if (flavorId !== "auto") flavor.id = String(flavorId);
    if (options.description !== undefined) {
      await this.client.requireVersion("description", "2.55", options);
      flavor.description = options.description;
    }
    const body = await this.client.json<{ flavor: FlavorRecord }>({
      method: "POST",
      path: ["flavors"],
      json: { flavor },
      signal: options.signal,
    });
    return new Flavor(this, body.flavor);
  }

  async delete(flavor: Ref, options: ComputeCallOptions = {}): Promise<void> {
    const id = idOf(flavor, "flavor");
    await notFoundAs(
      this.client.send({ method: "DELETE", path: ["flavors", id], signal: options.signal }),
      NotFound,
      `no flavor with id ${id}`,
    );
  }

  async getKeys(flavor: Ref, options: ComputeCallOptions = {}): Promise<Record<string, string>> {
    const id = idOf(flavor, "flavor");
    const body = await this.client.json<{ extra_specs: Record<string, string> }>({
      path: ["flavors", id, "os-extra_specs"],
      signal: options.signal,
    });
    return body.extra_specs;
  }

  async setKeys(flavor: Ref, metadata: Record<string, string>, options: ComputeCallOptions = {}) {
    const id = idOf(flavor, "flavor");
    const body = await this.client.json<{ extra_specs: Record<string, string> }>({
      method: "POST",
      path: ["flavors", id, "os-extra_specs"],
      json: { extra_specs: checkStringMap(metadata, "metadata") },
      signal: options.signal,
    });
    return body.extra_specs;
  }

  async unsetKeys(flavor: Ref, keys: string[], options: ComputeCallOptions = {}): Promise<void> {
    const id = idOf(flavor, "flavor");
    for (const key of keys) {
      await this.client.send({
        method: "DELETE",
        path: ["flavors", id, "os-extra_specs", key],
        signal: options.signal,
      });
    }
  }
}
