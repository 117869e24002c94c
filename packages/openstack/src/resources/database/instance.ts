// pyrax's CloudDatabaseInstance and CloudDatabaseUser: Trove's instance fields to read, and the calls
// about an instance (its databases, users, root user, restart, resize, backups) on the object itself.
// Every call goes through the client (pyrax's client has the same calls taking the instance first).
import type { NovaLink } from "../compute/listing.js";
import type { CloudDatabases } from "./client.js";
import { CloudDatabaseFlavor } from "./records.js";
import type {
  CloudDatabaseBackup,
  FlavorRecord,
  CloudDatabaseDatabase,
  DatabaseCallOptions,
  DatabaseRecord,
  NameRef,
  UserRecord,
} from "./records.js";
import type { AccessOptions, CreateUserOptions, FlavorRef, ListOptions, UpdateUserOptions } from "./requests.js";
import type { Listing } from "../compute/listing.js";

/** A Trove instance's status (other strings pass through). */
export type InstanceStatus =
  | "BUILD"
  | "ACTIVE"
  | "REBOOT"
  | "RESIZE"
  | "BACKUP"
  | "BLOCKED"
  | "SHUTDOWN"
  | "ERROR"
  | "FAILED"
  | "RESTART_REQUIRED"
  | "PROMOTE"
  | "EJECT"
  | "UPGRADE"
  | "DETACH"
  | "UNKNOWN"
  | (string & {});

/** A Trove instance as the API describes it (`GET /instances/{id}`). */
export interface InstanceRecord {
  id: string;
  name: string;
  status: InstanceStatus;
  flavor: { id: string | number; links?: NovaLink[] };
  volume?: { size: number; used?: number };
  datastore?: { type: string; version: string; version_number?: string };
  links?: NovaLink[];
  hostname?: string;
  ip?: string[];
  created?: string;
  updated?: string;
  region?: string;
  /** Why the instance went to ERROR, when Trove knows. */
  fault?: { message: string; created?: string; details?: string };
  configuration?: { id: string; name: string; links?: NovaLink[] };
  [field: string]: unknown;
}

/** pyrax's CloudDatabaseVolume: the instance's volume (GB), with pyrax's `resize`. */
export class CloudDatabaseVolume {
  readonly instance: CloudDatabaseInstance;
  readonly size: number;
  /** GB used, when the guest reports it. */
  readonly used?: number;
  constructor(instance: CloudDatabaseInstance, info: { size: number; used?: number }) {
    this.instance = instance;
    this.size = info.size;
    this.used = info.used;
  }
  /** pyrax's `volume.resize(size)`: a larger volume (InvalidVolumeResize otherwise). */
  async resize(size: number, options: DatabaseCallOptions = {}): Promise<void> {
    await this.instance.resizeVolume(size, options);
  }
}

/** pyrax's CloudDatabaseInstance: a Trove instance's fields, and the calls about it (databases, users, root user, restart, resize, backups). */
export class CloudDatabaseInstance {
  readonly manager: CloudDatabases;
  #record: InstanceRecord;
  #flavorDetail: FlavorRecord | undefined;

  constructor(manager: CloudDatabases, record: InstanceRecord, flavorDetail?: FlavorRecord) {
    this.manager = manager;
    this.#record = record;
    this.#flavorDetail = flavorDetail;
  }

  /** Trove's answer, as last received. */
  get record(): InstanceRecord {
    return this.#record;
  }
  get id(): string {
    return this.#record.id;
  }
  get name(): string {
    return this.#record.name;
  }
  get status(): InstanceStatus {
    return this.#record.status;
  }
  /** The flavor: Trove's id and links, with the name, ram and vcpus of the flavor of that id. */
  get flavor(): CloudDatabaseFlavor {
    const detail = String(this.#flavorDetail?.id) === String(this.#record.flavor.id) ? this.#flavorDetail : undefined;
    return new CloudDatabaseFlavor({ ...detail, ...this.#record.flavor } as FlavorRecord);
  }
  get volume(): CloudDatabaseVolume | undefined {
    return this.#record.volume && new CloudDatabaseVolume(this, this.#record.volume);
  }
  get datastore(): { type: string; version: string } | undefined {
    return this.#record.datastore;
  }
  get hostname(): string | undefined {
    return this.#record.hostname ?? this.#record.ip?.[0];
  }
  get links(): readonly NovaLink[] {
    return this.#record.links ?? [];
  }
  get fault(): { message: string; details?: string } | undefined {
    return this.#record.fault;
  }
  get created(): string | undefined {
    return this.#record.created;
  }

  /** Fetches the instance again (pyrax's `get`, which `utils.waitUntil` calls). */
  async get(options: DatabaseCallOptions = {}): Promise<this> {
    const fresh = await this.manager.get(this.id, options);
    this.#record = fresh.record;
    this.#flavorDetail = fresh.#flavorDetail;
    return this;
  }
  async reload(options: DatabaseCallOptions = {}): Promise<this> {
    return this.get(options);
  }
  async delete(options: DatabaseCallOptions = {}): Promise<void> {
    await this.manager.delete(this, options);
  }

  // --- databases ---
  listDatabases(limit?: number | ListOptions, marker?: string): Listing<CloudDatabaseDatabase> {
    return this.manager.listDatabases(this, limit, marker);
  }
  async getDatabase(name: string, options: DatabaseCallOptions = {}): Promise<CloudDatabaseDatabase> {
    return this.manager.getDatabase(this, name, options);
  }
  /** pyrax's `create_database(name, character_set="utf8", collate="utf8_general_ci")`. */
  async createDatabase(
    name: string,
    characterSet?: string | (DatabaseCallOptions & { characterSet?: string; collate?: string }),
    collate?: string,
    options: DatabaseCallOptions = {},
  ): Promise<CloudDatabaseDatabase> {
    return this.manager.createDatabase(this, name, characterSet, collate, options);
  }
  async deleteDatabase(nameOrObj: NameRef, options: DatabaseCallOptions = {}): Promise<void> {
    await this.manager.deleteDatabase(this, nameOrObj, options);
  }

  // --- users ---
  listUsers(limit?: number | ListOptions, marker?: string): Listing<CloudDatabaseUser> {
    return this.manager.listUsers(this, limit, marker);
  }
  async getUser(name: string, options: DatabaseCallOptions = {}): Promise<CloudDatabaseUser> {
    return this.manager.getUser(this, name, options);
  }
  /** pyrax's `create_user(name, password, database_names, host=None)`; `(name, password, { databaseNames, host })` too. */
  async createUser(
    name: string,
    password: string,
    databaseNames?: NameRef | readonly NameRef[] | CreateUserOptions,
    host?: string,
    options: DatabaseCallOptions = {},
  ): Promise<CloudDatabaseUser> {
    return this.manager.createUser(this, name, password, databaseNames, host, options);
  }
  async deleteUser(user: NameRef, options: DatabaseCallOptions = {}): Promise<void> {
    await this.manager.deleteUser(this, user, options);
  }
  async changeUserPassword(user: NameRef, newPass: string, options: DatabaseCallOptions = {}): Promise<void> {
    await this.manager.changeUserPassword(this, user, newPass, options);
  }
  /** pyrax's `update_user(user, name=None, password=None, host=None)`. */
  async updateUser(user: NameRef, changes: UpdateUserOptions): Promise<void> {
    await this.manager.updateUser(this, user, changes);
  }
  /** The databases the user may use. */
  async listUserAccess(user: NameRef, options: DatabaseCallOptions = {}): Promise<CloudDatabaseDatabase[]> {
    return this.manager.listUserAccess(this, user, options);
  }
  /** pyrax's `grant_user_access(user, db_names, strict=True)`; strict: NoSuchDatabase for a database not there. */
  async grantUserAccess(
    user: NameRef,
    dbNames: NameRef | readonly NameRef[],
    strict?: boolean | AccessOptions,
  ): Promise<void> {
    await this.manager.grantUserAccess(this, user, dbNames, strict);
  }
  async revokeUserAccess(
    user: NameRef,
    dbNames: NameRef | readonly NameRef[],
    strict?: boolean | AccessOptions,
  ): Promise<void> {
    await this.manager.revokeUserAccess(this, user, dbNames, strict);
  }

  /** The configuration group attached, if any. */
  get configuration(): { id: string; name: string } | undefined {
    return this.#record.configuration;
  }
  async attachConfiguration(configuration: string | { id: string }, options: DatabaseCallOptions = {}): Promise<void> {
    await this.manager.attachConfiguration(this, configuration, options);
  }
  async detachConfiguration(options: DatabaseCallOptions = {}): Promise<void> {
    await this.manager.detachConfiguration(this, options);
  }

  // --- root, actions, backups ---
  /** Enables root from any host; resolves to the generated root password. */
  async enableRootUser(options: DatabaseCallOptions = {}): Promise<string> {
    return this.manager.enableRootUser(this, options);
  }
  async rootUserStatus(options: DatabaseCallOptions = {}): Promise<boolean> {
    return this.manager.rootUserStatus(this, options);
  }
  async restart(options: DatabaseCallOptions = {}): Promise<void> {
    await this.manager.restart(this, options);
  }
  /** A different flavor (object, id, name or RAM size, as pyrax's `_get_flavor_ref`). */
  async resize(flavor: FlavorRef, options: DatabaseCallOptions = {}): Promise<void> {
    await this.manager.resize(this, flavor, options);
  }
  /** A larger volume, in GB (InvalidVolumeResize when not larger than now). */
  async resizeVolume(size: number, options: DatabaseCallOptions = {}): Promise<void> {
    await this.manager.resizeVolume(this, size, options);
  }
  listBackups(limit?: number | ListOptions, marker?: string): Listing<CloudDatabaseBackup> {
    return this.manager.listBackups(this, limit, marker);
  }
  async createBackup(
    name: string,
    description?: string | (DatabaseCallOptions & { description?: string }),
    options: DatabaseCallOptions = {},
  ): Promise<CloudDatabaseBackup> {
    return this.manager.createBackup(this, name, description, options);
  }

  toJSON(): InstanceRecord {
    return this.#record;
  }
}

/** pyrax's CloudDatabaseUser: a user of an instance, known by its name. */
export class CloudDatabaseUser {
  readonly manager: CloudDatabases;
  /** The id of the instance the user is on. */
  readonly instanceId: string;
  readonly #record: UserRecord;
  constructor(manager: CloudDatabases, instanceId: string, record: UserRecord) {
    this.manager = manager;
    this.instanceId = instanceId;
    this.#record = record;
  }
  get record(): UserRecord {
    return this.#record;
  }
  get name(): string {
    return this.#record.name;
  }
  get host(): string | undefined {
    return this.#record.host;
  }
  /** The databases Trove listed with the user. */
  get databases(): readonly DatabaseRecord[] {
    return this.#record.databases ?? [];
  }
  async delete(options: DatabaseCallOptions = {}): Promise<void> {
    await this.manager.deleteUser(this.instanceId, this, options);
  }
  async changePassword(newPass: string, options: DatabaseCallOptions = {}): Promise<void> {
    await this.manager.changeUserPassword(this.instanceId, this, newPass, options);
  }
  async update(changes: UpdateUserOptions): Promise<void> {
    await this.manager.updateUser(this.instanceId, this, changes);
  }
  async listUserAccess(options: DatabaseCallOptions = {}): Promise<CloudDatabaseDatabase[]> {
    return this.manager.listUserAccess(this.instanceId, this, options);
  }
  async grantUserAccess(dbNames: NameRef | readonly NameRef[], strict?: boolean | AccessOptions): Promise<void> {
    await this.manager.grantUserAccess(this.instanceId, this, dbNames, strict);
  }
  async revokeUserAccess(dbNames: NameRef | readonly NameRef[], strict?: boolean | AccessOptions): Promise<void> {
    await this.manager.revokeUserAccess(this.instanceId, this, dbNames, strict);
  }
  toJSON(): UserRecord {
    return this.#record;
  }
}
