// What Trove v1.0 (and Rackspace Cloud Databases v1.0, its ancestor) answers, and the small read-only
// objects pyrax wraps them in: flavors, databases, backups, datastores and configuration groups.
// Instances and users, which have calls of their own, are in instance.ts and user.ts.
import type { NovaLink } from "../compute/listing.js";

/** Options every Cloud Databases (Trove) call takes. */
export interface DatabaseCallOptions {
  signal?: AbortSignal;
}

/** A resource object, its record, or its id. */
export type Ref = string | { id: string };
/** A database or user object, or its name. */
export type NameRef = string | { name: string };

/** A Trove flavor as the API describes it (`GET /flavors`). */
export interface FlavorRecord {
  id: number | string;
  name: string;
  ram: number;
  vcpus?: number;
  disk?: number;
  /** Trove's string form of the id. */
  str_id?: string;
  links: NovaLink[];
  [field: string]: unknown;
}

/** A database on an instance as the API describes it (`GET /instances/{id}/databases`). */
export interface DatabaseRecord {
  name: string;
  character_set?: string;
  collate?: string;
}

/** A database user as the API describes it (`GET /instances/{id}/users`), with the databases it may reach. */
export interface UserRecord {
  name: string;
  host?: string;
  databases?: DatabaseRecord[];
}

/** A Trove backup's status. */
export type BackupStatus = "NEW" | "BUILDING" | "SAVING" | "COMPLETED" | "FAILED" | "DELETE_FAILED";

/** A Trove backup as the API describes it (`GET /backups/{id}`). */
export interface BackupRecord {
  id: string;
  name: string;
  description?: string | null;
  instance_id: string;
  status: BackupStatus;
  locationRef?: string | null;
  size?: number | null;
  created: string;
  updated: string;
  datastore?: { type: string; version: string; version_id?: string };
  parent_id?: string | null;
  [field: string]: unknown;
}

/** A datastore version as the API describes it (`GET /datastores/{id}/versions`). */
export interface DatastoreVersionRecord {
  id: string;
  name: string;
  version?: string;
  active?: boolean | number;
  datastore?: string;
  links?: NovaLink[];
  [field: string]: unknown;
}

/** A Trove datastore as the API describes it (`GET /datastores`): a database engine and its versions. */
export interface DatastoreRecord {
  id: string;
  name: string;
  default_version?: string;
  versions?: DatastoreVersionRecord[];
  links?: NovaLink[];
  [field: string]: unknown;
}

/** A Trove configuration group as the API describes it (`GET /configurations/{id}`). */
export interface ConfigurationRecord {
  id: string;
  name: string;
  description?: string | null;
  values?: Record<string, string | number | boolean>;
  datastore_name?: string;
  datastore_version_name?: string;
  datastore_version_id?: string;
  instance_count?: number;
  created?: string;
  updated?: string;
  [field: string]: unknown;
}

/** A parameter a configuration group may set (`GET /datastores/{ds}/versions/{v}/parameters`): its type and bounds. */
export interface ConfigurationParameterRecord {
  name: string;
  type: "integer" | "string" | "boolean" | "float";
  restart_required: boolean;
  min?: number;
  max?: number;
  datastore_version_id?: string;
}

/** A plain record behind getters: `flavor.ram`, `flavor.record`, and JSON as the server sent it. */
abstract class Wrapped<R extends object> {
  #record: R;
  constructor(record: R) {
    this.#record = record;
  }
  get record(): R {
    return this.#record;
  }
  protected set record(record: R) {
    this.#record = record;
  }
  toJSON(): R {
    return this.#record;
  }
}

/** pyrax's CloudDatabaseFlavor: read-only. */
export class CloudDatabaseFlavor extends Wrapped<FlavorRecord> {
  get id(): number | string {
    return this.record.id;
  }
  get name(): string {
    return this.record.name;
  }
  /** MB. */
  get ram(): number {
    return this.record.ram;
  }
  get vcpus(): number | undefined {
    return this.record.vcpus;
  }
  get links(): readonly NovaLink[] {
    return this.record.links ?? [];
  }
}

/** pyrax's CloudDatabaseDatabase: a database on an instance, known by its name. */
export class CloudDatabaseDatabase extends Wrapped<DatabaseRecord> {
  readonly #drop: (name: string, options?: DatabaseCallOptions) => Promise<void>;
  constructor(record: DatabaseRecord, drop: (name: string, options?: DatabaseCallOptions) => Promise<void>) {
    super(record);
    this.#drop = drop;
  }
  get name(): string {
    return this.record.name;
  }
  get character_set(): string | undefined {
    return this.record.character_set;
  }
  get collate(): string | undefined {
    return this.record.collate;
  }
  /** Drops the database from its instance. */
  async delete(options: DatabaseCallOptions = {}): Promise<void> {
    await this.#drop(this.name, options);
  }
}

/** What a backup needs of the client, so that `waitUntil(backup, "status", "COMPLETED")` can fetch it again. */
export interface BackupManager {
  getBackup(backup: Ref, options?: DatabaseCallOptions): Promise<CloudDatabaseBackup>;
  deleteBackup(backup: Ref, options?: DatabaseCallOptions): Promise<void>;
}

/** pyrax's CloudDatabaseBackup. */
export class CloudDatabaseBackup extends Wrapped<BackupRecord> {
  readonly manager: BackupManager;
  constructor(manager: BackupManager, record: BackupRecord) {
    super(record);
    this.manager = manager;
  }
  get id(): string {
    return this.record.id;
  }
  get name(): string {
    return this.record.name;
  }
  get description(): string | undefined {
    return this.record.description ?? undefined;
  }
  get instance_id(): string {
    return this.record.instance_id;
  }
  get status(): BackupStatus {
    return this.record.status;
  }
  /** GB, once COMPLETED. */
  get size(): number | undefined {
    return this.record.size ?? undefined;
  }
  get created(): string {
    return this.record.created;
  }
  /** Fetches the backup again (what `utils.waitUntil` calls). */
  async get(options: DatabaseCallOptions = {}): Promise<this> {
    this.record = (await this.manager.getBackup(this.id, options)).record;
    return this;
  }
  async delete(options: DatabaseCallOptions = {}): Promise<void> {
    await this.manager.deleteBackup(this.id, options);
  }
}

/** openstacksdk's Datastore (`GET /datastores`): a database engine and its versions. */
export class Datastore extends Wrapped<DatastoreRecord> {
  get id(): string {
    return this.record.id;
  }
  get name(): string {
    return this.record.name;
  }
  /** The id of the version used when a create names none. */
  get default_version(): string | undefined {
    return this.record.default_version;
  }
  get versions(): DatastoreVersion[] {
    return (this.record.versions ?? []).map((v) => new DatastoreVersion({ datastore: this.id, ...v }));
  }
}

/** One version of a datastore (`GET /datastores/{id}/versions`), as openstacksdk's DatastoreVersion. */
export class DatastoreVersion extends Wrapped<DatastoreVersionRecord> {
  get id(): string {
    return this.record.id;
  }
  get name(): string {
    return this.record.name;
  }
  /** The datastore's id. */
  get datastore(): string | undefined {
    return this.record.datastore;
  }
  get active(): boolean {
    return this.record.active === undefined ? true : Boolean(this.record.active);
  }
}

/** openstacksdk's configuration group: settings for the datastore, applied to the instances it is attached to. */
export class Configuration extends Wrapped<ConfigurationRecord> {
  get id(): string {
    return this.record.id;
  }
  get name(): string {
    return this.record.name;
  }
  get description(): string | undefined {
    return this.record.description ?? undefined;
  }
  get values(): Readonly<Record<string, string | number | boolean>> {
    return this.record.values ?? {};
  }
  get datastore_name(): string | undefined {
    return this.record.datastore_name;
  }
  get datastore_version_name(): string | undefined {
    return this.record.datastore_version_name;
  }
  get instance_count(): number | undefined {
    return this.record.instance_count;
  }
}
