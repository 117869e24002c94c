// What the Cloud Databases calls take (gophercloud's "requests"): option types, and the checks and
// bodies made from them before anything is sent.
import { ValidationError } from "@nimbus-sdk/common";
import { callArgs } from "../../arguments.js";
import { MissingCloudDatabaseParameter } from "../../errors.js";
import type { PagingOptions } from "../compute/listing.js";
import type { CloudDatabaseFlavor, DatabaseCallOptions, NameRef } from "./records.js";

export { idOf } from "../block-storage/requests.js";

/** pyrax's `list(limit, marker)`, or paging options. */
export type ListOptions = PagingOptions;

/** A flavor object, its id, its name, or its RAM in MB (pyrax's `_get_flavor_ref`). */
export type FlavorRef = CloudDatabaseFlavor | number | string;

/** pyrax's `create(name, flavor, volume, databases, users, version, type)`. */
export interface CreateInstanceOptions extends DatabaseCallOptions {
  /** Default 1 (pyrax's). */
  flavor?: FlavorRef;
  /** GB; default 1 (pyrax's). */
  volume?: number;
  /** Databases to create with the instance: names or `{ name, character_set, collate }`. */
  databases?: readonly (string | { name: string; character_set?: string; collate?: string })[];
  /** Users to create with the instance. */
  users?: readonly { name: string; password: string; host?: string; databases?: readonly NameRef[] }[];
  /** The datastore version ("5.7"); needs the datastore type too. */
  version?: string;
  /** pyrax's name for the datastore type ("mysql"). */
  type?: string;
  /** The same as `type`, by openstacksdk's name. */
  datastore?: string;
  /** Beyond pyrax: a configuration group (id or object) to attach. */
  configuration?: string | { id: string };
  availabilityZone?: string;
}

/** Options of `createUser`: the databases the user may reach, and its host. */
export interface CreateUserOptions extends DatabaseCallOptions {
  databaseNames?: NameRef | readonly NameRef[];
  host?: string;
}

/** What `updateUser` may change of a user: its name, password and host. */
export interface UpdateUserOptions extends DatabaseCallOptions {
  name?: string;
  password?: string;
  host?: string;
}

/** Options of `grantUserAccess` and `revokeUserAccess` (pyrax's `grant_user_access`, `revoke_user_access`). */
export interface AccessOptions extends DatabaseCallOptions {
  /** Check first that every database exists (NoSuchDatabase otherwise); default true, as pyrax. */
  strict?: boolean;
}

/** What `createConfiguration` takes: a configuration group's name, values and datastore (`POST /configurations`). */
export interface ConfigurationCreateOptions extends DatabaseCallOptions {
  name: string;
  values: Record<string, string | number | boolean>;
  description?: string;
  /** Datastore type and version; default: the cloud's default datastore. */
  datastore?: string;
  datastoreVersion?: string;
}

const CREATE_POSITIONAL = ["flavor", "volume", "databases", "users", "version", "type"] as const;

/** `create`'s arguments after the name: pyrax's positional order, and/or one options object. */
export function createArgs(args: readonly unknown[]): CreateInstanceOptions {
  const known = [...CREATE_POSITIONAL, "datastore", "configuration", "availabilityZone"] as const;
  // The flavor may be a number or a name, the volume a number, the lists arrays: no single type per position.
  const positional = args.filter((a, i) => !(i === args.length - 1 && isPlain(a)));
  positional.forEach((value, i) => {
    if (i >= CREATE_POSITIONAL.length) {
      throw new ValidationError(
        `create: cannot use argument ${String(value)}; it takes name, ${CREATE_POSITIONAL.join(", ")}`,
        {
          field: "options",
        },
      );
    }
  });
  const fromPositions = Object.fromEntries(
    positional.map((value, i) => [CREATE_POSITIONAL[i], value]).filter(([, v]) => v !== undefined && v !== null),
  );
  const last = args[args.length - 1];
  const given = isPlain(last) ? callArgs<CreateInstanceOptions>("create", [last], [], [...known]) : {};
  for (const key of Object.keys(given)) {
    if (key in fromPositions) throw new ValidationError(`create: ${key} was given twice`, { field: key });
  }
  return { ...fromPositions, ...given } as CreateInstanceOptions;
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

/** The datastore of a create: both type and version, or neither (pyrax's MissingCloudDatabaseParameter). */
export function datastoreOf(options: CreateInstanceOptions): { type: string; version: string } | undefined {
  if (options.type !== undefined && options.datastore !== undefined && options.type !== options.datastore) {
    throw new ValidationError("create: type and datastore name the same thing; give one", { field: "datastore" });
  }
  const type = options.type ?? options.datastore;
  const { version } = options;
  if (type === undefined && version === undefined) return undefined;
  if (!type || !version) {
    throw new MissingCloudDatabaseParameter(
      "Specifying a datastore requires both the datastore type as well as the version.",
      { field: type ? "version" : "type" },
    );
  }
  return { type, version };
}

export function nameOf(ref: NameRef | undefined, field: string): string {
  const name = typeof ref === "string" ? ref : ref?.name;
  if (typeof name !== "string" || name === "") {
    throw new ValidationError(`${field} must be a name or an object with a name`, { field });
  }
  return name;
}

/** pyrax's coerce_to_list of database names (or objects). */
export function namesOf(dbs: NameRef | readonly NameRef[] | undefined, field: string): string[] {
  if (dbs === undefined) return [];
  return (Array.isArray(dbs) ? (dbs as readonly NameRef[]) : [dbs as NameRef]).map((db) => nameOf(db, field));
}

/** A volume size: a whole number of GB >= 1. */
export function checkVolumeSize(size: unknown, field = "volume"): number {
  if (!Number.isInteger(size) || (size as number) < 1) {
    throw new ValidationError(`${field} must be a whole number of GB >= 1, not ${JSON.stringify(size)}`, { field });
  }
  return size as number;
}
