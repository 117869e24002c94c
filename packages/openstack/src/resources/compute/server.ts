// Servers (novaclient's ServerManager and Server): list, find, create, the actions, metadata.
import { ValidationError } from "@nimbus-sdk/common";
import { notFoundAs, NotFound } from "../../errors.js";
import { Manager, Resource, type Criteria } from "./base.js";
import type { CloudServers } from "./client.js";
import { novaListing, nextLinkQuery, type Listing, type NovaLink } from "./listing.js";
import {
  CREATE_OPTIONS,
  base64,
  blockDeviceMappings,
  escapeRegExp,
  nicNetworks,
  REBOOT_TYPES,
  type RebootType,
  type RebuildOptions,
  type ServerCreateOptions,
  type ServerListOptions,
  type ServerSearchOptions,
} from "./server-requests.js";
import {
  checkOptions,
  checkStringMap,
  idOf,
  type ComputeCallOptions,
  type Ref,
  type ServerAddress,
  type ServerRecord,
} from "./wire.js";

/** A server (novaclient's Server): the record's fields are its properties, the actions its methods. */
export class Server extends Resource<ServerRecord, ServerManager> {
  declare readonly id: string;
  declare readonly name?: string;
  declare readonly status?: string;
  declare readonly addresses?: Record<string, ServerAddress[]>;
  declare readonly accessIPv4?: string;
  declare readonly accessIPv6?: string;
  declare readonly flavor?: ServerRecord["flavor"];
  declare readonly image?: ServerRecord["image"];
  declare readonly metadata?: Record<string, string>;
  declare readonly key_name?: string | null;
  declare readonly fault?: ServerRecord["fault"];
  declare readonly progress?: number;
  /** Only after `create` (and `rebuild`), as in novaclient. */
  declare readonly adminPass?: string;
  [field: string]: unknown;

  constructor(manager: ServerManager, record: ServerRecord) {
    super(manager, record);
  }

  /** `{ label: [ip, …] }` from `addresses`, as novaclient's `networks`. */
  get networks(): Record<string, string[]> {
    const networks: Record<string, string[]> = {};
    for (const [label, list] of Object.entries(this.record.addresses ?? {})) networks[label] = list.map((a) => a.addr);
    return networks;
  }

  /** Fetches the server again and updates this object (novaclient's `get`). */
  async get(options: ComputeCallOptions = {}): Promise<this> {
    return this.refreshFrom((await this.manager.get(this.id, options)).record);
  }

  async delete(options?: ComputeCallOptions): Promise<void> {
    return this.manager.delete(this, options);
  }
  async update(nameOrChanges?: string | { name?: string; description?: string | null }, options?: ComputeCallOptions) {
    return this.refreshFrom((await this.manager.update(this, nameOrChanges, options)).record);
  }
  async reboot(rebootType: RebootType = "SOFT", options?: ComputeCallOptions): Promise<void> {
    return this.manager.reboot(this, rebootType, options);
  }
  async stop(options?: ComputeCallOptions): Promise<void> {
    return this.manager.stop(this, options);
  }
  async start(options?: ComputeCallOptions): Promise<void> {
    return this.manager.start(this, options);
  }
  async pause(options?: ComputeCallOptions): Promise<void> {
    return this.manager.pause(this, options);
  }
  async unpause(options?: ComputeCallOptions): Promise<void> {
    return this.manager.unpause(this, options);
  }
  async suspend(options?: ComputeCallOptions): Promise<void> {
    return this.manager.suspend(this, options);
  }
  async resume(options?: ComputeCallOptions): Promise<void> {
    return this.manager.resume(this, options);
  }
  async lock(options?: ComputeCallOptions): Promise<void> {
    return this.manager.lock(this, options);
  }
  async unlock(options?: ComputeCallOptions): Promise<void> {
    return this.manager.unlock(this, options);
  }
  async rebuild(image: Ref, options?: RebuildOptions): Promise<this> {
    return this.refreshFrom((await this.manager.rebuild(this, image, options)).record);
  }
  async resize(flavor: Ref, options?: ComputeCallOptions & { diskConfig?: "AUTO" | "MANUAL" }): Promise<void> {
    return this.manager.resize(this, flavor, options);
  }
  async confirmResize(options?: ComputeCallOptions): Promise<void> {
    return this.manager.confirmResize(this, options);
  }
  async revertResize(options?: ComputeCallOptions): Promise<void> {
    return this.manager.revertResize(this, options);
  }
  async createImage(imageName: string, metadata?: Record<string, string>, options?: ComputeCallOptions) {
    return this.manager.createImage(this, imageName, metadata, options);
  }
  async changePassword(password: string, options?: ComputeCallOptions): Promise<void> {
    return this.manager.changePassword(this, password, options);
  }
  async getConsoleOutput(length?: number, options?: ComputeCallOptions): Promise<string> {
    return this.manager.getConsoleOutput(this, length, options);
  }
  async setMeta(metadata: Record<string, string>, options?: ComputeCallOptions): Promise<Record<string, string>> {
    const merged = await this.manager.setMeta(this, metadata, options);
    this.refreshFrom({ ...this.record, metadata: merged });
    return merged;
  }
  async setMetaItem(key: string, value: string, options?: ComputeCallOptions): Promise<Record<string, string>> {
    const item = await this.manager.setMetaItem(this, key, value, options);
    this.refreshFrom({ ...this.record, metadata: { ...this.record.metadata, ...item } });
    return item;
  }
  async getMeta(key?: string, options?: ComputeCallOptions): Promise<Record<string, string>> {
    return this.manager.getMeta(this, key, options);
  }
  async deleteMeta(keys: string | string[], options?: ComputeCallOptions): Promise<void> {
    await this.manager.deleteMeta(this, keys, options);
    const metadata = { ...this.record.metadata };
    for (const key of typeof keys === "string" ? [keys] : keys) delete metadata[key];
    this.refreshFrom({ ...this.record, metadata });
  }
  async addSecurityGroup(name: string, options?: ComputeCallOptions): Promise<void> {
    return this.manager.addSecurityGroup(this, name, options);
  }
  async removeSecurityGroup(name: string, options?: ComputeCallOptions): Promise<void> {
    return this.manager.removeSecurityGroup(this, name, options);
  }
  async listSecurityGroup(options?: ComputeCallOptions): Promise<{ id?: string; name: string }[]> {
    return this.manager.listSecurityGroup(this, options);
  }
}

/** `cs.servers`. */
export class ServerManager extends Manager<Server> {
  protected readonly noun = "server";

  constructor(client: CloudServers) {
    super(client);
  }

  /**
   * The servers: every page when awaited (an array), page by page with `for await`. Positional as
   * novaclient (`list(detailed, searchOpts)`), or one options object.
   */
  list(
    detailed?: boolean | ServerListOptions,
    searchOpts?: ServerSearchOptions,
    options: Omit<ServerListOptions, "detailed" | "searchOpts"> = {},
  ): Listing<Server> {
    const all: ServerListOptions =
      typeof detailed === "object" && detailed !== null ? detailed : { ...options, detailed, searchOpts };
    checkOptions("servers.list", all, [
      "detailed",
      "searchOpts",
      "limit",
      "marker",
      "pageSize",
      "sortKeys",
      "sortDirs",
    ]);
    const filters: Record<string, string | string[] | undefined> = {};
    for (const [key, value] of Object.entries(all.searchOpts ?? {})) {
      if (value === undefined) continue;
      // novaclient sends all_tenants as 1 and booleans as Nova spells them.
      filters[key] = key === "all_tenants" ? (value ? "1" : undefined) : String(value);
    }
    if (all.sortKeys) filters.sort_key = all.sortKeys;
    if (all.sortDirs) filters.sort_dir = all.sortDirs;
    const path = all.detailed === false ? ["servers"] : ["servers", "detail"];
    return novaListing(filters, all, async (query, signal) => {
      const body = await this.client.json<{ servers: ServerRecord[]; servers_links?: NovaLink[] }>({
        path,
        query,
        signal,
      });
      return { items: body.servers.map((r) => new Server(this, r)), next: nextLinkQuery(body.servers_links) };
    });
  }

  // Nova filters by name (a regular expression) and status itself; `findall` then compares exactly.
  protected listForFind(criteria: Criteria, options: ComputeCallOptions): Listing<Server> {
    const searchOpts: ServerSearchOptions = {};
    if (typeof criteria.name === "string") searchOpts.name = `^${escapeRegExp(criteria.name)}$`;
    if (typeof criteria.status === "string") searchOpts.status = criteria.status;
    return this.list({ searchOpts, signal: options.signal });
  }

  /** The server with that id; NotFound when there is none. */
  async get(server: Ref, options: ComputeCallOptions = {}): Promise<Server> {
    const id = idOf(server, "server");
    const body = await this.#onServer(
      id,
      this.client.json<{ server: ServerRecord }>({ path: ["servers", id], signal: options.signal }),
    );
    return new Server(this, body.server);
  }

  /**
   * Boots a server (novaclient's `create(name, image, flavor, …)`). The answer is the server as Nova
   * describes it right after (status BUILD), with `adminPass`, which only this answer carries.
   * With `reservationId: true`, the reservation id instead.
   */
  async create(name: string, image: Ref | null, flavor: Ref, options: ServerCreateOptions = {}): Promise<Server> {
    checkOptions("servers.create", options, CREATE_OPTIONS);
    if (typeof name !== "string" || name.trim() === "") {
      throw new ValidationError("servers.create: name must be a non-empty string", { field: "name" });
    }
    const { signal } = options;
    const server: Record<string, unknown> = {
      name,
      imageRef: image === null || image === "" ? "" : idOf(image, "image"),
      flavorRef: idOf(flavor, "flavor"),
    };
    if (options.meta !== undefined) server.metadata = checkStringMap(options.meta, "meta");
    if (options.userdata !== undefined) server.user_data = base64(options.userdata, "userdata");
    if (options.keyName !== undefined) server.key_name = options.keyName;
    if (options.availabilityZone !== undefined) server.availability_zone = options.availabilityZone;
    if (options.securityGroups !== undefined) {
      if (!Array.isArray(options.securityGroups)) {
        throw new ValidationError("servers.create: securityGroups must be an array of names", {
          field: "securityGroups",
        });
      }
      server.security_groups = options.securityGroups.map((group) => ({ name: group }));
    }
    if (options.minCount !== undefined) server.min_count = options.minCount;
    if (options.maxCount !== undefined) server.max_count = options.maxCount;
    if (options.reservationId) server.return_reservation_id = true;
    if (options.configDrive !== undefined) server.config_drive = options.configDrive;
    if (options.diskConfig !== undefined) server["OS-DCF:diskConfig"] = options.diskConfig;
    if (options.adminPass !== undefined) server.adminPass = options.adminPass;
    if (options.accessIpV4 !== undefined) server.accessIPv4 = options.accessIpV4;
    if (options.accessIpV6 !== undefined) server.accessIPv6 = options.accessIpV6;
    const bdm = blockDeviceMappings(options);
    if (bdm.legacy) server.block_device_mapping = bdm.legacy;
    if (bdm.v2) server.block_device_mapping_v2 = bdm.v2;
    // Versioned arguments: refused before sending when the microversion cannot carry them.
    if (options.description !== undefined) {
      await this.client.requireVersion("description", "2.19", { signal });
      server.description = options.description;
    }
    if (options.tags !== undefined) {
      await this.client.requireVersion("tags", "2.52", { signal });
      server.tags = options.tags;
    }
    if (options.hostname !== undefined) {
      await this.client.requireVersion("hostname", "2.90", { signal });
      server.hostname = options.hostname;
    }
    if (options.trustedImageCertificates !== undefined) {
      await this.client.requireVersion("trustedImageCertificates", "2.63", { signal });
      server.trusted_image_certificates = options.trustedImageCertificates;
    }
    server.networks = await this.#networks(options.nics, signal);
    const maxVersion = await this.#personality(server, options.files, "servers.create", signal);
    const body = await this.client.json<{ server?: ServerRecord; reservation_id?: string }>({
      method: "POST",
      path: ["servers"],
      json: { server, ...(options.schedulerHints ? { "os:scheduler_hints": options.schedulerHints } : {}) },
      maxVersion,
      signal,
    });
    if (!body.server) {
      // return_reservation_id: Nova answers with the reservation only.
      return new Server(this, { id: "", reservation_id: body.reservation_id });
    }
    const created = await this.get(body.server.id, { signal });
    return new Server(this, { ...created.record, adminPass: body.server.adminPass });
  }

  async delete(server: Ref, options: ComputeCallOptions = {}): Promise<void> {
    const id = idOf(server, "server");
    await this.#onServer(id, this.client.send({ method: "DELETE", path: ["servers", id], signal: options.signal }));
  }

  /** Renames (novaclient's `update(server, name, description)`); a string is the new name. */
  async update(
    server: Ref,
    nameOrChanges?: string | { name?: string; description?: string | null },
    options: ComputeCallOptions = {},
  ): Promise<Server> {
    const changes = typeof nameOrChanges === "string" ? { name: nameOrChanges } : (nameOrChanges ?? {});
    checkOptions("servers.update", changes, ["name", "description"]);
    const id = idOf(server, "server");
    const body: Record<string, unknown> = {};
    if (changes.name !== undefined) body.name = changes.name;
    if (changes.description !== undefined) {
      await this.client.requireVersion("description", "2.19", options);
      body.description = changes.description;
    }
    if (Object.keys(body).length === 0) return this.get(id, options);
    const answer = await this.#onServer(
      id,
      this.client.json<{ server: ServerRecord }>({
        method: "PUT",
        path: ["servers", id],
        json: { server: body },
        signal: options.signal,
      }),
    );
    return new Server(this, answer.server);
  }

  async reboot(server: Ref, rebootType: RebootType = "SOFT", options: ComputeCallOptions = {}): Promise<void> {
    if (!REBOOT_TYPES.has(rebootType)) {
      throw new ValidationError(`reboot type must be "SOFT" or "HARD", not ${JSON.stringify(rebootType)}`, {
        field: "rebootType",
      });
    }
    await this.#action(server, "reboot", { type: rebootType.toUpperCase() }, options);
  }

  async stop(server: Ref, options: ComputeCallOptions = {}): Promise<void> {
    await this.#action(server, "os-stop", null, options);
  }
  async start(server: Ref, options: ComputeCallOptions = {}): Promise<void> {
    await this.#action(server, "os-start", null, options);
  }
  async pause(server: Ref, options: ComputeCallOptions = {}): Promise<void> {
    await this.#action(server, "pause", null, options);
  }
  async unpause(server: Ref, options: ComputeCallOptions = {}): Promise<void> {
    await this.#action(server, "unpause", null, options);
  }
  async suspend(server: Ref, options: ComputeCallOptions = {}): Promise<void> {
    await this.#action(server, "suspend", null, options);
  }
  async resume(server: Ref, options: ComputeCallOptions = {}): Promise<void> {
    await this.#action(server, "resume", null, options);
  }
  async lock(server: Ref, options: ComputeCallOptions = {}): Promise<void> {
    await this.#action(server, "lock", null, options);
  }
  async unlock(server: Ref, options: ComputeCallOptions = {}): Promise<void> {
    await this.#action(server, "unlock", null, options);
  }

  /** Rebuilds on an image (novaclient's `rebuild(server, image, password, …)`); the answer carries adminPass. */
  async rebuild(server: Ref, image: Ref, options: RebuildOptions = {}): Promise<Server> {
    checkOptions("servers.rebuild", options, [
      "password",
      "diskConfig",
      "preserveEphemeral",
      "name",
      "meta",
      "files",
      "keyName",
      "userdata",
      "description",
    ]);
    const { signal } = options;
    const body: Record<string, unknown> = { imageRef: idOf(image, "image") };
    if (options.password !== undefined) body.adminPass = options.password;
    if (options.diskConfig !== undefined) body["OS-DCF:diskConfig"] = options.diskConfig;
    if (options.preserveEphemeral) body.preserve_ephemeral = true;
    if (options.name !== undefined) body.name = options.name;
    if (options.meta !== undefined) body.metadata = checkStringMap(options.meta, "meta");
    if (options.keyName !== undefined) {
      await this.client.requireVersion("keyName", "2.54", { signal });
      body.key_name = options.keyName;
    }
    if (options.userdata !== undefined) {
      await this.client.requireVersion("userdata", "2.57", { signal });
      body.user_data = options.userdata === null ? null : base64(options.userdata, "userdata");
    }
    if (options.description !== undefined) {
      await this.client.requireVersion("description", "2.19", { signal });
      body.description = options.description;
    }
    const maxVersion = await this.#personality(body, options.files, "servers.rebuild", signal);
    const answer = await this.#action<{ server: ServerRecord }>(server, "rebuild", body, { signal }, maxVersion);
    return new Server(this, answer!.server);
  }

  async resize(
    server: Ref,
    flavor: Ref,
    options: ComputeCallOptions & { diskConfig?: "AUTO" | "MANUAL" } = {},
  ): Promise<void> {
    checkOptions("servers.resize", options, ["diskConfig"]);
    const body: Record<string, unknown> = { flavorRef: idOf(flavor, "flavor") };
    if (options.diskConfig !== undefined) body["OS-DCF:diskConfig"] = options.diskConfig;
    await this.#action(server, "resize", body, options);
  }
  async confirmResize(server: Ref, options: ComputeCallOptions = {}): Promise<void> {
    await this.#action(server, "confirmResize", null, options);
  }
  async revertResize(server: Ref, options: ComputeCallOptions = {}): Promise<void> {
    await this.#action(server, "revertResize", null, options);
  }

  /** Snapshots the server to a new image; the answer is the image's id (novaclient's `create_image`). */
  async createImage(
    server: Ref,
    imageName: string,
    metadata?: Record<string, string>,
    options: ComputeCallOptions = {},
  ): Promise<string> {
    if (typeof imageName !== "string" || imageName === "") {
      throw new ValidationError("createImage needs an image name", { field: "imageName" });
    }
    const body: Record<string, unknown> = { name: imageName };
    if (metadata !== undefined) body.metadata = checkStringMap(metadata, "metadata");
    const response = await this.#actionResponse(server, "createImage", body, options);
    // From microversion 2.45 the id is in the body; before, in the Location header.
    const text = await response.text();
    const fromBody = text ? (JSON.parse(text) as { image_id?: string }).image_id : undefined;
    const fromLocation = response.headers.location?.split("/").pop();
    const imageId = fromBody ?? fromLocation;
    if (!imageId) throw new NotFound("Nova did not say which image createImage made", { status: response.status });
    return imageId;
  }

  async changePassword(server: Ref, password: string, options: ComputeCallOptions = {}): Promise<void> {
    if (typeof password !== "string" || password === "") {
      throw new ValidationError("changePassword needs a password", { field: "password" });
    }
    await this.#action(server, "changePassword", { adminPass: password }, options);
  }

  /** The console log, or its last `length` lines. */
  async getConsoleOutput(server: Ref, length?: number, options: ComputeCallOptions = {}): Promise<string> {
    if (length !== undefined && (!Number.isInteger(length) || length < 0)) {
      throw new ValidationError(`length must be a whole number >= 0, not ${length}`, { field: "length" });
    }
    const body = await this.#action<{ output: string }>(
      server,
      "os-getConsoleOutput",
      length === undefined ? {} : { length },
      options,
    );
    return body!.output;
  }

  // --- metadata ----------------------------------------------------------------------------

  /** Adds or changes these keys, keeping the others; the answer is the whole metadata (novaclient's `set_meta`). */
  async setMeta(server: Ref, metadata: Record<string, string>, options: ComputeCallOptions = {}) {
    const id = idOf(server, "server");
    const body = await this.#onServer(
      id,
      this.client.json<{ metadata: Record<string, string> }>({
        method: "POST",
        path: ["servers", id, "metadata"],
        json: { metadata: checkStringMap(metadata, "metadata") },
        signal: options.signal,
      }),
    );
    return body.metadata;
  }

  /** Sets one key (novaclient's `set_meta_item`). */
  async setMetaItem(server: Ref, key: string, value: string, options: ComputeCallOptions = {}) {
    const id = idOf(server, "server");
    checkStringMap({ [key]: value }, "metadata");
    const body = await this.#onServer(
      id,
      this.client.json<{ meta: Record<string, string> }>({
        method: "PUT",
        path: ["servers", id, "metadata", key],
        json: { meta: { [key]: value } },
        signal: options.signal,
      }),
    );
    return body.meta;
  }

  /** The metadata, or one key of it (`{ key: value }`; NotFound when the key is not set). */
  async getMeta(server: Ref, key?: string, options: ComputeCallOptions = {}): Promise<Record<string, string>> {
    const id = idOf(server, "server");
    if (key === undefined) {
      const body = await this.#onServer(
        id,
        this.client.json<{ metadata: Record<string, string> }>({
          path: ["servers", id, "metadata"],
          signal: options.signal,
        }),
      );
      return body.metadata;
    }
    const body = await this.client.json<{ meta: Record<string, string> }>({
      path: ["servers", id, "metadata", key],
      signal: options.signal,
    });
    return body.meta;
  }

  /** Removes these keys (novaclient's `delete_meta`); NotFound names a key that was not set. */
  async deleteMeta(server: Ref, keys: string | string[], options: ComputeCallOptions = {}): Promise<void> {
    const id = idOf(server, "server");
    for (const key of typeof keys === "string" ? [keys] : keys) {
      await this.client.send({ method: "DELETE", path: ["servers", id, "metadata", key], signal: options.signal });
    }
  }

  // --- security groups -------------------------------------------------------------------------

  async addSecurityGroup(server: Ref, name: string, options: ComputeCallOptions = {}): Promise<void> {
    await this.#action(server, "addSecurityGroup", { name }, options);
  }
  async removeSecurityGroup(server: Ref, name: string, options: ComputeCallOptions = {}): Promise<void> {
    await this.#action(server, "removeSecurityGroup", { name }, options);
  }
  /** The server's security groups (novaclient's `list_security_group`). */
  async listSecurityGroup(server: Ref, options: ComputeCallOptions = {}): Promise<{ id?: string; name: string }[]> {
    const id = idOf(server, "server");
    const body = await this.#onServer(
      id,
      this.client.json<{ security_groups: { id?: string; name: string }[] }>({
        path: ["servers", id, "os-security-groups"],
        signal: options.signal,
      }),
    );
    return body.security_groups;
  }

  // --- helpers ---------------------------------------------------------------------------------

  async #actionResponse(server: Ref, action: string, body: unknown, options: ComputeCallOptions, maxVersion?: string) {
    const id = idOf(server, "server");
    return this.#onServer(
      id,
      this.client.request({
        method: "POST",
        path: ["servers", id, "action"],
        json: { [action]: body },
        maxVersion,
        signal: options.signal,
      }),
    );
  }

  /** POST /servers/{id}/action; the JSON answer when there is one. */
  async #action<T>(
    server: Ref,
    action: string,
    body: unknown,
    options: ComputeCallOptions,
    maxVersion?: string,
  ): Promise<T | undefined> {
    const text = await (await this.#actionResponse(server, action, body, options, maxVersion)).text();
    return text ? (JSON.parse(text) as T) : undefined;
  }

  // Nova's `networks`: novaclient's nic entries translated; "auto" when none are given from 2.37 on
  // (Nova then requires the field; older versions attached every network, as "auto" does now).
  async #networks(nics: ServerCreateOptions["nics"], signal?: AbortSignal): Promise<unknown> {
    if (nics === "auto" || nics === "none") {
      await this.client.requireVersion("nics", "2.37", { signal });
      return nics;
    }
    if (nics === undefined) return (await this.client.atLeast("2.37", { signal })) ? "auto" : undefined;
    return nicNetworks(nics);
  }

  // Personality files: Nova took them up to microversion 2.56. With a negotiated version the call is
  // sent at 2.56; with one the caller pinned, newer than that, they are refused.
  async #personality(
    body: Record<string, unknown>,
    files: Record<string, string | Uint8Array> | undefined,
    call: string,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    if (files === undefined) return undefined;
    if (files === null || typeof files !== "object") {
      throw new ValidationError(`${call}: files must be an object of paths to contents`, { field: "files" });
    }
    if (this.client.pinned && (await this.client.atLeast("2.57", { signal }))) {
      throw new ValidationError(
        `${call}: files (personality) are not accepted from compute microversion 2.57 on; ` +
          `this client is pinned to ${this.client.apiVersion}: use userdata instead`,
        { field: "files" },
      );
    }
    body.personality = Object.entries(files).map(([path, contents]) => ({ path, contents: base64(contents, "files") }));
    return "2.56";
  }

  #onServer<T>(id: string, work: Promise<T>): Promise<T> {
    return notFoundAs(work, NotFound, `no server with id ${id}`);
  }
}
