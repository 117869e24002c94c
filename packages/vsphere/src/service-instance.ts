// What the ServiceInstance has besides the API's methods: pyVmomi's RetrieveContent, and the bulk
// property helpers collect and watch (src/collector.ts), on every ServiceInstance.
import {
  collect,
  watch,
  type CollectOptions,
  type CollectSource,
  type CollectedRow,
  type PropertyQuery,
  type PropertyUpdate,
  type WatchOptions,
} from "./collector.js";
import type { vim } from "./generated/vim.js";
import type { CallOptions, ManagedClass, ManagedObjectBase } from "./model/base.js";
import { ConfigError } from "@nimbus-sdk/common/client";

/**
 * What the ServiceInstance adds to the API's methods: `RetrieveContent()`, and `collect`/`watch` over the
 * property collector.
 */
export interface ServiceInstanceHelpers {
  /** The ServiceContent (rootFolder, viewManager, propertyCollector ...), read once per connection. */
  RetrieveContent(options?: CallOptions): Promise<vim.ServiceContent>;
  /**
   * Reads `paths` of every `type` object of `from` (a view, a list of objects, or one object) through the
   * property collector, one round trip per page: `await` it for all rows, or `for await` row by row.
   */
  collect<T, const P extends readonly string[]>(
    from: CollectSource,
    type: ManagedClass<T> | string,
    paths: P,
    options?: CollectOptions,
  ): PropertyQuery<CollectedRow<T, P>>;
  /**
   * The WaitForUpdatesEx helper: yields each change of `paths` of the `type` objects of `from`, first their
   * current values ("enter"), then every change, until the loop is left or `signal` aborts.
   */
  watch<T, const P extends readonly string[]>(
    from: CollectSource,
    type: ManagedClass<T> | string,
    paths: P,
    options?: WatchOptions,
  ): AsyncGenerator<PropertyUpdate<T>>;
}

function stubOf(si: ManagedObjectBase) {
  if (!si._stub) throw new ConfigError("this ServiceInstance is not bound to a connection (use SmartConnect)");
  return si._stub;
}

/** The methods the ServiceInstance class gets besides the API's (src/model/managed.ts adds them). */
export const serviceInstanceMethods: ServiceInstanceHelpers = {
  RetrieveContent(this: ManagedObjectBase, options?: CallOptions) {
    return stubOf(this).serviceContent(options);
  },
  collect,
  watch,
};
