// pyrax.cloud_databases over Trove v1.0, or Rackspace Cloud Databases v1.0 (the API Trove grew from:
// the same paths and bodies): instances, flavors, databases, users, root, restart, resize and backups
// with pyrax's calls (positional as pyrax takes them, or one options object); openstacksdk's
// datastores and configuration groups come from the base (base.ts).
import { NotFoundError, ValidationError, waitUntil as poll } from "@nimbus-sdk/common";
import { checkOptions } from "../../arguments.js";
import {
  DBUpdateUnchanged,
  FlavorNotFound,
  InvalidVolumeResize,
  MissingDBUserParameters,
  NoSuchDatabase,
  NoSuchDatabaseUser,
  NoUniqueMatch,
  NotFound,
  notFoundAs,
} from "../../errors.js";
import type { ServiceClientOptions } from "../../service-client.js";
import { matching } from "../block-storage/requests.js";
import type { Listing } from "../compute/listing.js";
import { DatabaseServiceClient, pathOf } from "./base.js";
import { CloudDatabaseInstance, CloudDatabaseUser, type InstanceRecord } from "./instance.js";
import {
  CloudDatabaseBackup,
  CloudDatabaseDatabase,
  CloudDatabaseFlavor,
  type BackupRecord,
  type DatabaseCallOptions,
  type DatabaseRecord,
  type FlavorRecord,
  type NameRef,
  type Ref,
  type UserRecord,
} from "./records.js";
import {
  checkVolumeSize,
  createArgs,
  datastoreOf,
  idOf,
  nameOf,
  namesOf,
  type AccessOptions,
  type CreateInstanceOptions,
  type CreateUserOptions,
  type FlavorRef,
  type ListOptions,
  type UpdateUserOptions,
} from "./requests.js";

type InstanceRef = Ref | CloudDatabaseInstance;
/** How long a create waits for the guest to list the new database or user, in ms. */
const LISTED_TIMEOUT = 30_000;

const paging = (limit: number | ListOptions | undefined, marker: string | number | undefined): ListOptions =>
  typeof limit === "object"
    ? limit
    : { limit, marker: marker === undefined || marker === 0 ? undefined : String(marker) };

/** pyrax.cloud_databases (CloudDatabaseClient). */
export class CloudDatabases extends DatabaseServiceClient {
  readonly name = "Cloud Databases";

  constructor(options: ServiceClientOptions) {
    super(options);
  }

  #instancePath(instance: InstanceRef, ...rest: string[]): string {
    return pathOf("instances", idOf(instance, "instance"), ...rest);
  }

  // --- instances -------------------------------------------------------------------------------

  /** pyrax's `list(limit, marker)`: every instance (awaited: an array; `for await`: page by page). */
  list(limit?: number | ListOptions, marker?: string): Listing<CloudDatabaseInstance> {
    return this.listing("instances", "instances", paging(limit, marker), (r: InstanceRecord, signal) =>
      this.#instance(r, signal),
    );
  }

  async get(instance: InstanceRef, options: DatabaseCallOptions = {}): Promise<CloudDatabaseInstance> {
    const body = await this.json<{ instance: InstanceRecord }>({
      url: this.#instancePath(instance),
      signal: options.signal,
    });
    return this.#instance(body.instance, options.signal);
  }

  /** pyrax's `findall(**attrs)`: the instances whose attributes equal those given, compared client-side. */
  async findall(attrs: Record<string, unknown> & DatabaseCallOptions = {}): Promise<CloudDatabaseInstance[]> {
    const { signal, ...wanted } = attrs;
    return matching(await this.list({ signal }), wanted);
  }

  /** pyrax's `find(**attrs)`: the one matching instance; NotFound or NoUniqueMatch otherwise. */
  async find(attrs: Record<string, unknown> & DatabaseCallOptions): Promise<CloudDatabaseInstance> {
    const matches = await this.findall(attrs);
    const { signal: _signal, ...shown } = attrs;
    if (matches.length === 0) throw new NotFound(`no database instance matches ${JSON.stringify(shown)}`);
    if (matches.length > 1) {
      throw new NoUniqueMatch(`${matches.length} database instances match ${JSON.stringify(shown)}`, {
        matches: matches.map((i) => i.id),
      });
    }
    return matches[0]!;
  }

  /**
   * pyrax's `create(name, flavor=1, volume=1, databases=None, users=None, version=None, type=None)`:
   * positional, `create(name, { flavor, volume, datastore, version })`, or a mix ending in options.
   */
  async create(name: string, options?: CreateInstanceOptions): Promise<CloudDatabaseInstance>;
  async create(
    name: string,
    flavor?: FlavorRef,
    volume?: number,
    databases?: CreateInstanceOptions["databases"],
    users?: CreateInstanceOptions["users"],
    version?: string,
    type?: string,
    options?: CreateInstanceOptions,
  ): Promise<CloudDatabaseInstance>;
  async create(name: string, ...args: unknown[]): Promise<CloudDatabaseInstance> {
    if (typeof name !== "string" || name === "") throw new ValidationError("create needs a name", { field: "name" });
    const options = createArgs(args);
    const { signal } = options;
    const datastore = datastoreOf(options);
    const instance: Record<string, unknown> = {
      name,
      flavorRef: await this.flavorRef(options.flavor ?? 1, { signal }),
      volume: { size: checkVolumeSize(options.volume ?? 1) },
      databases: (options.databases ?? []).map((db) => (typeof db === "string" ? { name: db } : db)),
      users: (options.users ?? []).map(({ databases, ...user }) => ({
        ...user,
        databases: namesOf(databases, "users.databases").map((n) => ({ name: n })),
      })),
    };
    if (datastore) instance.datastore = datastore;
    if (options.configuration !== undefined) instance.configuration = idOf(options.configuration, "configuration");
    if (options.availabilityZone !== undefined) instance.availability_zone = options.availabilityZone;
    const body = await this.json<{ instance: InstanceRecord }>({
      method: "POST",
      url: "instances",
      json: { instance },
      signal,
    });
    return this.#instance(body.instance, signal);
  }

  async delete(instance: InstanceRef, options: DatabaseCallOptions = {}): Promise<void> {
    await this.json({ method: "DELETE", url: this.#instancePath(instance), signal: options.signal });
  }

  /** pyrax's `restore_backup(backup, name, flavor, volume)`: a new instance from a backup. */
  async restoreBackup(
    backup: Ref,
    name: string,
    flavor: FlavorRef,
    volume: number,
    options: DatabaseCallOptions = {},
  ): Promise<CloudDatabaseInstance> {
    const { signal } = options;
    const instance = {
      name,
      flavorRef: await this.flavorRef(flavor, { signal }),
      volume: { size: checkVolumeSize(volume) },
      restorePoint: { backupRef: idOf(backup, "backup") },
    };
    const body = await this.json<{ instance: InstanceRecord }>({
      method: "POST",
      url: "instances",
      json: { instance },
      signal,
    });
    return this.#instance(body.instance, signal);
  }

  // Trove names an instance's flavor by id and link only; pyrax's instance.flavor loaded the rest
  // (name, ram) on first use, which scripts print. Flavors do not change under an id, so each is
  // fetched once per client; one Trove no longer has leaves only the id and links.
  readonly #flavors = new Map<string, Promise<FlavorRecord | undefined>>();

  async #instance(record: InstanceRecord, signal?: AbortSignal): Promise<CloudDatabaseInstance> {
    const id = String(record.flavor?.id ?? "");
    let detail = this.#flavors.get(id);
    if (id !== "" && detail === undefined) {
      detail = this.getFlavor(id, { signal }).then(
        (flavor) => flavor.record,
        (error: unknown) => {
          if (error instanceof NotFoundError) return undefined;
          this.#flavors.delete(id);
          throw error;
        },
      );
      this.#flavors.set(id, detail);
    }
    return new CloudDatabaseInstance(this, record, await detail);
  }

  // pyrax's assure_instance: an id becomes the instance (one GET), an instance object is used as is.
  async #assure(instance: InstanceRef, signal?: AbortSignal): Promise<CloudDatabaseInstance> {
    return instance instanceof CloudDatabaseInstance ? instance : this.get(instance, { signal });
  }

  // --- flavors ---------------------------------------------------------------------------------

  listFlavors(limit?: number | ListOptions, marker?: string): Listing<CloudDatabaseFlavor> {
    return this.listing("flavors", "flavors", paging(limit, marker), (r: FlavorRecord) => new CloudDatabaseFlavor(r));
  }

  async getFlavor(flavorId: number | string, options: DatabaseCallOptions = {}): Promise<CloudDatabaseFlavor> {
    const body = await this.json<{ flavor: FlavorRecord }>({
      url: pathOf("flavors", String(flavorId)),
      signal: options.signal,
    });
    return new CloudDatabaseFlavor(body.flavor);
  }

  /**
   * pyrax's `_get_flavor_ref`: a flavor object, an id, a name or a RAM size (MB) to the flavor's id
   * (Trove and Rackspace take the id or the href; the href Trove lists may name another scheme).
   */
  async flavorRef(flavor: FlavorRef, options: DatabaseCallOptions = {}): Promise<string> {
    if (flavor instanceof CloudDatabaseFlavor) return String(flavor.id);
    if (typeof flavor === "number") {
      const byId = await this.getFlavor(flavor, options).catch((error: unknown) => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      });
      if (byId) return String(byId.id);
    }
    const flavors = await this.listFlavors({ signal: options.signal });
    const found =
      flavors.find((f) => f.name === flavor || String(f.id) === String(flavor)) ??
      flavors.find((f) => f.ram === flavor);
    if (!found) throw new FlavorNotFound(`Could not determine flavor from '${String(flavor)}'.`);
    return String(found.id);
  }

  // --- databases -------------------------------------------------------------------------------

  listDatabases(instance: InstanceRef, limit?: number | ListOptions, marker?: string): Listing<CloudDatabaseDatabase> {
    const drop = (name: string, options?: DatabaseCallOptions) => this.deleteDatabase(instance, name, options);
    return this.listing(
      this.#instancePath(instance, "databases"),
      "databases",
      paging(limit, marker),
      (r: DatabaseRecord) => new CloudDatabaseDatabase(r, drop),
    );
  }

  /** The database of that name; NoSuchDatabase when there is none. */
  async getDatabase(
    instance: InstanceRef,
    name: string,
    options: DatabaseCallOptions = {},
  ): Promise<CloudDatabaseDatabase> {
    const found = (await this.listDatabases(instance, options)).find((db) => db.name === name);
    if (!found) throw new NoSuchDatabase(`No database by the name '${name}' exists.`);
    return found;
  }

  /** pyrax's `create_database(instance, name, character_set="utf8", collate="utf8_general_ci")`. */
  async createDatabase(
    instance: InstanceRef,
    name: string,
    characterSet?: string | (DatabaseCallOptions & { characterSet?: string; collate?: string }),
    collate?: string,
    options: DatabaseCallOptions = {},
  ): Promise<CloudDatabaseDatabase> {
    const given =
      typeof characterSet === "object"
        ? checkOptions("createDatabase", characterSet, ["characterSet", "collate"])
        : { characterSet, collate, signal: options.signal };
    const database = {
      name: nameOf(name, "name"),
      character_set: given.characterSet ?? "utf8",
      collate: given.collate ?? "utf8_general_ci",
    };
    await this.json({
      method: "POST",
      url: this.#instancePath(instance, "databases"),
      json: { databases: [database] },
      signal: given.signal,
    });
    return this.#listed(() => this.getDatabase(instance, database.name, { signal: given.signal }), given.signal);
  }

  // Trove answers a create of databases and users with 202 and makes them in the guest afterwards (a
  // cast): pyrax's create_* returned the new one as found right away, which may not be listed yet.
  async #listed<T>(lookup: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    let found: T | undefined;
    const seen = async () => {
      try {
        found = await lookup();
        return true;
      } catch (error) {
        if (error instanceof NotFoundError) return false;
        throw error;
      }
    };
    await poll(seen, (ok) => ok, {
      interval: 250,
      timeout: LISTED_TIMEOUT,
      signal,
      description: "the new item to be listed",
    });
    return found!;
  }

  async deleteDatabase(instance: InstanceRef, name: NameRef, options: DatabaseCallOptions = {}): Promise<void> {
    const db = nameOf(name, "name");
    await notFoundAs(
      this.json({ method: "DELETE", url: this.#instancePath(instance, "databases", db), signal: options.signal }),
      NoSuchDatabase,
      `No database by the name '${db}' exists.`,
    );
  }

  // --- users -----------------------------------------------------------------------------------

  listUsers(instance: InstanceRef, limit?: number | ListOptions, marker?: string): Listing<CloudDatabaseUser> {
    const owner = idOf(instance, "instance");
    return this.listing(
      this.#instancePath(instance, "users"),
      "users",
      paging(limit, marker),
      (r: UserRecord) => new CloudDatabaseUser(this, owner, r),
    );
  }

  async getUser(instance: InstanceRef, name: string, options: DatabaseCallOptions = {}): Promise<CloudDatabaseUser> {
    const body = await notFoundAs(
      this.json<{ user: UserRecord }>({ url: this.#instancePath(instance, "users", name), signal: options.signal }),
      NoSuchDatabaseUser,
      `No user by the name '${name}' exists.`,
    );
    return new CloudDatabaseUser(this, idOf(instance, "instance"), body.user);
  }

  /** pyrax's `create_user(instance, name, password, database_names, host=None)`; or `{ databaseNames, host }`. */
  async createUser(
    instance: InstanceRef,
    name: string,
    password: string,
    databaseNames?: NameRef | readonly NameRef[] | CreateUserOptions,
    host?: string,
    options: DatabaseCallOptions = {},
  ): Promise<CloudDatabaseUser> {
    const given: CreateUserOptions =
      typeof databaseNames === "object" && !Array.isArray(databaseNames) && !("name" in databaseNames)
        ? checkOptions("createUser", databaseNames as CreateUserOptions, ["databaseNames", "host"])
        : { databaseNames: databaseNames as NameRef | readonly NameRef[] | undefined, host, signal: options.signal };
    if (typeof password !== "string" || password === "") {
      throw new ValidationError("createUser needs a password", { field: "password" });
    }
    const user: Record<string, unknown> = {
      name: nameOf(name, "name"),
      password,
      databases: namesOf(given.databaseNames, "databaseNames").map((db) => ({ name: db })),
    };
    if (given.host) user.host = given.host;
    await this.json({
      method: "POST",
      url: this.#instancePath(instance, "users"),
      json: { users: [user] },
      signal: given.signal,
    });
    return this.#listed(() => this.getUser(instance, user.name as string, { signal: given.signal }), given.signal);
  }

  async deleteUser(instance: InstanceRef, user: NameRef, options: DatabaseCallOptions = {}): Promise<void> {
    const name = nameOf(user, "user");
    await notFoundAs(
      this.json({ method: "DELETE", url: this.#instancePath(instance, "users", name), signal: options.signal }),
      NoSuchDatabaseUser,
      `User '${name}' does not exist.`,
    );
  }

  async changeUserPassword(
    instance: InstanceRef,
    user: NameRef,
    newPass: string,
    options: DatabaseCallOptions = {},
  ): Promise<void> {
    await this.updateUser(instance, user, { password: newPass, signal: options.signal });
  }

  /** pyrax's `update_user(instance, user, name=None, password=None, host=None)`: at least one change. */
  async updateUser(instance: InstanceRef, user: NameRef, changes: UpdateUserOptions): Promise<void> {
    const { name, password, host, signal } = checkOptions("updateUser", changes, ["name", "password", "host"]);
    if (!name && !password && !host) {
      throw new MissingDBUserParameters(
        "You must supply at least one of the following: new username, new password, or new host specification.",
      );
    }
    const current =
      user instanceof CloudDatabaseUser ? user : await this.getUser(instance, nameOf(user, "user"), { signal });
    const body: Record<string, string> = {};
    if (name && name !== current.name) body.name = name;
    if (host && host !== current.host) body.host = host;
    if (password) body.password = password;
    if (Object.keys(body).length === 0) {
      throw new DBUpdateUnchanged("You must supply at least one changed value when updating a user.");
    }
    await notFoundAs(
      this.json({
        method: "PUT",
        url: this.#instancePath(instance, "users", current.name),
        json: { user: body },
        signal,
      }),
      NoSuchDatabaseUser,
      `User '${current.name}' does not exist.`,
    );
  }

  async listUserAccess(
    instance: InstanceRef,
    user: NameRef,
    options: DatabaseCallOptions = {},
  ): Promise<CloudDatabaseDatabase[]> {
    const name = nameOf(user, "user");
    const body = await notFoundAs(
      this.json<{ databases: DatabaseRecord[] }>({
        url: this.#instancePath(instance, "users", name, "databases"),
        signal: options.signal,
      }),
      NoSuchDatabaseUser,
      `User '${name}' does not exist.`,
    );
    const drop = (db: string, o?: DatabaseCallOptions) => this.deleteDatabase(instance, db, o);
    return (body.databases ?? []).map((db) => new CloudDatabaseDatabase(db, drop));
  }

  /** pyrax's `grant_user_access(instance, user, db_names, strict=True)`. */
  async grantUserAccess(
    instance: InstanceRef,
    user: NameRef,
    dbNames: NameRef | readonly NameRef[],
    strict?: boolean | AccessOptions,
  ): Promise<void> {
    const name = nameOf(user, "user");
    const { names, signal } = await this.#checkedNames(instance, dbNames, strict);
    await notFoundAs(
      this.json({
        method: "PUT",
        url: this.#instancePath(instance, "users", name, "databases"),
        json: { databases: names.map((n) => ({ name: n })) },
        signal,
      }),
      NoSuchDatabaseUser,
      `User '${name}' does not exist.`,
    );
  }

  /** pyrax's `revoke_user_access(instance, user, db_names, strict=True)`: one DELETE per database. */
  async revokeUserAccess(
    instance: InstanceRef,
    user: NameRef,
    dbNames: NameRef | readonly NameRef[],
    strict?: boolean | AccessOptions,
  ): Promise<void> {
    const name = nameOf(user, "user");
    const { names, signal } = await this.#checkedNames(instance, dbNames, strict);
    for (const db of names) {
      await this.json({ method: "DELETE", url: this.#instancePath(instance, "users", name, "databases", db), signal });
    }
  }

  // pyrax's _get_db_names: with strict (the default), every database must exist on the instance.
  async #checkedNames(
    instance: InstanceRef,
    dbNames: NameRef | readonly NameRef[],
    strict: boolean | AccessOptions | undefined,
  ) {
    const given = typeof strict === "object" ? checkOptions("grantUserAccess", strict, ["strict"]) : { strict };
    const names = namesOf(dbNames, "dbNames");
    if (given.strict !== false) {
      const existing = new Set((await this.listDatabases(instance, { signal: given.signal })).map((db) => db.name));
      const bad = names.filter((n) => !existing.has(n));
      if (bad.length > 0) {
        throw new NoSuchDatabase(`The following database(s) were not found: ${bad.join(", ")}`);
      }
    }
    return { names, signal: given.signal };
  }

  // --- root and actions ------------------------------------------------------------------------

  /** Enables root from any host; resolves to the generated password. */
  async enableRootUser(instance: InstanceRef, options: DatabaseCallOptions = {}): Promise<string> {
    const body = await this.json<{ user: { password: string } }>({
      method: "POST",
      url: this.#instancePath(instance, "root"),
      signal: options.signal,
    });
    return body.user.password;
  }

  async rootUserStatus(instance: InstanceRef, options: DatabaseCallOptions = {}): Promise<boolean> {
    const body = await this.json<{ rootEnabled: boolean }>({
      url: this.#instancePath(instance, "root"),
      signal: options.signal,
    });
    return body.rootEnabled;
  }

  async #action(instance: InstanceRef, action: Record<string, unknown>, signal?: AbortSignal): Promise<void> {
    await this.json({ method: "POST", url: this.#instancePath(instance, "action"), json: action, signal });
  }

  async restart(instance: InstanceRef, options: DatabaseCallOptions = {}): Promise<void> {
    await this.#action(instance, { restart: {} }, options.signal);
  }

  /** pyrax's `resize(instance, flavor)`: another flavor (object, id, name or RAM size). */
  async resize(instance: InstanceRef, flavor: FlavorRef, options: DatabaseCallOptions = {}): Promise<void> {
    const flavorRef = await this.flavorRef(flavor, options);
    await this.#action(instance, { resize: { flavorRef } }, options.signal);
  }

  /** pyrax's `resize_volume(size)`: only to a larger size (InvalidVolumeResize, checked before sending). */
  async resizeVolume(instance: InstanceRef, size: number, options: DatabaseCallOptions = {}): Promise<void> {
    const current = await this.#assure(instance, options.signal);
    const now = current.volume?.size ?? 0;
    if (!(checkVolumeSize(size, "size") > now)) {
      throw new InvalidVolumeResize(`The new volume size must be larger than the current volume size of '${now}'.`, {
        field: "size",
      });
    }
    await this.#action(current, { resize: { volume: { size } } }, options.signal);
  }

  /** openstacksdk's attach: the configuration group's values apply to the instance (PUT /instances/{id}). */
  async attachConfiguration(
    instance: InstanceRef,
    configuration: Ref,
    options: DatabaseCallOptions = {},
  ): Promise<void> {
    const json = { instance: { configuration: idOf(configuration, "configuration") } };
    await this.json({ method: "PUT", url: this.#instancePath(instance), json, signal: options.signal });
  }

  /** Detaches the instance's configuration group (a PUT naming none). */
  async detachConfiguration(instance: InstanceRef, options: DatabaseCallOptions = {}): Promise<void> {
    await this.json({
      method: "PUT",
      url: this.#instancePath(instance),
      json: { instance: { configuration: null } },
      signal: options.signal,
    });
  }

  // --- backups ---------------------------------------------------------------------------------

  /** pyrax's `list_backups(instance=None, limit=20, marker=0)`: every backup, or one instance's. */
  listBackups(
    instance?: InstanceRef | null,
    limit?: number | ListOptions,
    marker?: string,
  ): Listing<CloudDatabaseBackup> {
    const path = instance ? this.#instancePath(instance, "backups") : "backups";
    return this.listing(path, "backups", paging(limit, marker), (r: BackupRecord) => new CloudDatabaseBackup(this, r));
  }

  async getBackup(backup: Ref, options: DatabaseCallOptions = {}): Promise<CloudDatabaseBackup> {
    const body = await this.json<{ backup: BackupRecord }>({
      url: pathOf("backups", idOf(backup, "backup")),
      signal: options.signal,
    });
    return new CloudDatabaseBackup(this, body.backup);
  }

  async deleteBackup(backup: Ref, options: DatabaseCallOptions = {}): Promise<void> {
    await this.json({ method: "DELETE", url: pathOf("backups", idOf(backup, "backup")), signal: options.signal });
  }

  /** pyrax's `create_backup(instance, name, description=None)`: the backup as Trove answers (status NEW). */
  async createBackup(
    instance: InstanceRef,
    name: string,
    description?: string | (DatabaseCallOptions & { description?: string }),
    options: DatabaseCallOptions = {},
  ): Promise<CloudDatabaseBackup> {
    const given =
      typeof description === "object"
        ? checkOptions("createBackup", description, ["description"])
        : { description, signal: options.signal };
    const backup: Record<string, string> = { instance: idOf(instance, "instance"), name: nameOf(name, "name") };
    if (given.description !== undefined) backup.description = given.description;
    const body = await this.json<{ backup: BackupRecord }>({
      method: "POST",
      url: "backups",
      json: { backup },
      signal: given.signal,
    });
    return new CloudDatabaseBackup(this, body.backup);
  }

  /** Not in Cloud Databases, as pyrax says. */
  getLimits(): never {
    throw new ValidationError("Limits are not available for Cloud Databases", { field: "getLimits" });
  }
}
