// The wire every Cloud Databases call shares (JSON requests, Trove's paged listings, its 422 typed),
// and openstacksdk's datastores and configuration groups, which pyrax's client never had: the base
// of CloudDatabases (client.ts).
import { HttpError, type RequestOptions } from "@nimbus-sdk/common";
import { checkOptions } from "../../arguments.js";
import { InstanceNotAvailable } from "../../errors.js";
import { ServiceClient } from "../../service-client.js";
import { nextLinkQuery, novaListing, type Listing, type NovaLink } from "../compute/listing.js";
import {
  Configuration,
  Datastore,
  DatastoreVersion,
  type ConfigurationParameterRecord,
  type ConfigurationRecord,
  type DatabaseCallOptions,
  type DatastoreRecord,
  type DatastoreVersionRecord,
  type Ref,
} from "./records.js";
import { idOf, nameOf, type ConfigurationCreateOptions, type ListOptions } from "./requests.js";

export const pathOf = (...parts: string[]) => parts.map(encodeURIComponent).join("/");

export abstract class DatabaseServiceClient extends ServiceClient {
  // --- the wire --------------------------------------------------------------------------------

  // Trove answers 422 both when the instance's state forbids the call (BUILD, RESIZE, ERROR …) and for
  // values a configuration group's rules refuse; only the first is InstanceNotAvailable.
  protected async json<T>(options: RequestOptions): Promise<T> {
    try {
      const response = await this.transport.request(options);
      const text = await response.text();
      return (text ? JSON.parse(text) : {}) as T;
    } catch (error) {
      if (
        error instanceof HttpError &&
        error.status === 422 &&
        /not currently available|status was|is not ready/i.test(error.message)
      ) {
        throw new InstanceNotAvailable(error.message, { ...error.context, cause: error });
      }
      throw error;
    }
  }

  protected listing<T, R>(
    path: string,
    key: string,
    options: ListOptions,
    wrap: (record: R, signal?: AbortSignal) => T | Promise<T>,
  ): Listing<T> {
    return novaListing({}, options, async (query, signal) => {
      const body = await this.json<Record<string, unknown>>({ url: path, query, signal });
      const items = await Promise.all(((body[key] ?? []) as R[]).map((record) => wrap(record, signal)));
      return { items, next: nextLinkQuery(body.links as NovaLink[]) };
    });
  }

  // --- datastores and configuration groups (openstacksdk) ---------------------------------------

  listDatastores(options: DatabaseCallOptions = {}): Listing<Datastore> {
    return this.listing("datastores", "datastores", options, (r: DatastoreRecord) => new Datastore(r));
  }

  async getDatastore(datastore: string, options: DatabaseCallOptions = {}): Promise<Datastore> {
    const body = await this.json<{ datastore: DatastoreRecord }>({
      url: pathOf("datastores", datastore),
      signal: options.signal,
    });
    return new Datastore(body.datastore);
  }

  listDatastoreVersions(datastore: string, options: DatabaseCallOptions = {}): Listing<DatastoreVersion> {
    return this.listing(
      pathOf("datastores", datastore, "versions"),
      "versions",
      options,
      (r: DatastoreVersionRecord) => new DatastoreVersion(r),
    );
  }

  /** The parameters a configuration group may set for this datastore version, with their types and bounds. */
  async listConfigurationParameters(
    datastore: string,
    version: string,
    options: DatabaseCallOptions = {},
  ): Promise<ConfigurationParameterRecord[]> {
    const body = await this.json<{ "configuration-parameters": ConfigurationParameterRecord[] }>({
      url: pathOf("datastores", datastore, "versions", version, "parameters"),
      signal: options.signal,
    });
    return body["configuration-parameters"] ?? [];
  }

  listConfigurations(options: ListOptions = {}): Listing<Configuration> {
    return this.listing("configurations", "configurations", options, (r: ConfigurationRecord) => new Configuration(r));
  }

  async getConfiguration(configuration: Ref, options: DatabaseCallOptions = {}): Promise<Configuration> {
    const body = await this.json<{ configuration: ConfigurationRecord }>({
      url: pathOf("configurations", idOf(configuration, "configuration")),
      signal: options.signal,
    });
    return new Configuration(body.configuration);
  }

  async createConfiguration(options: ConfigurationCreateOptions): Promise<Configuration> {
    const { name, values, description, datastore, datastoreVersion, signal } = checkOptions(
      "createConfiguration",
      options,
      ["name", "values", "description", "datastore", "datastoreVersion"],
    );
    const configuration: Record<string, unknown> = { name: nameOf(name, "name"), values, description };
    if (datastore !== undefined || datastoreVersion !== undefined)
      configuration.datastore = { type: datastore, version: datastoreVersion };
    const body = await this.json<{ configuration: ConfigurationRecord }>({
      method: "POST",
      url: "configurations",
      json: { configuration },
      signal,
    });
    return new Configuration(body.configuration);
  }

  /** Sets (adds or changes) these values, keeping the others (PATCH). */
  async updateConfiguration(
    configuration: Ref,
    values: Record<string, string | number | boolean>,
    options: DatabaseCallOptions = {},
  ): Promise<void> {
    await this.json({
      method: "PATCH",
      url: pathOf("configurations", idOf(configuration, "configuration")),
      json: { configuration: { values } },
      signal: options.signal,
    });
  }

  async deleteConfiguration(configuration: Ref, options: DatabaseCallOptions = {}): Promise<void> {
    await this.json({
      method: "DELETE",
      url: pathOf("configurations", idOf(configuration, "configuration")),
      signal: options.signal,
    });
  }
}
