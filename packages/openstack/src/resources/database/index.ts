// Cloud Databases over Trove v1.0 or Rackspace Cloud Databases v1.0 (pyrax's cloud_databases): the
// public API of this folder. A context builds `new CloudDatabases(serviceClientOptions)` for the
// catalog's "database" (Trove) or "rax:database" (Rackspace) service.
export { CloudDatabases } from "./client.js";
export {
  CloudDatabaseInstance,
  CloudDatabaseUser,
  CloudDatabaseVolume,
  type InstanceRecord,
  type InstanceStatus,
} from "./instance.js";
export {
  CloudDatabaseBackup,
  CloudDatabaseDatabase,
  CloudDatabaseFlavor,
  Configuration,
  Datastore,
  DatastoreVersion,
  type BackupRecord,
  type BackupStatus,
  type ConfigurationParameterRecord,
  type ConfigurationRecord,
  type DatabaseCallOptions,
  type DatabaseRecord,
  type DatastoreRecord,
  type DatastoreVersionRecord,
  type FlavorRecord as DatabaseFlavorRecord,
  type NameRef as DatabaseNameRef,
  type UserRecord,
} from "./records.js";
export type {
  AccessOptions,
  ConfigurationCreateOptions,
  CreateInstanceOptions,
  CreateUserOptions,
  FlavorRef,
  UpdateUserOptions,
} from "./requests.js";
