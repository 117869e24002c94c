// Beyond PyONE: a pool as a listing to `for await` through, and lookup by name. The pools whose info
// takes (filter, start, end) are paged the way oned pages them: `start` is an offset and `end` a
// negative page size (`end < -1`), so a pool of 100,000 VMs never comes back as one huge answer; the
// others (hostpool, userpool …) come back whole, as one page.
import { PagedList, ValidationError, type Page } from "@nimbus-sdk/common";
import { OneNoExistsException, AmbiguousNameError, ONE_ERROR_CODE } from "./errors.js";
import { methods, type MethodMeta } from "./generated/methods.js";
import type { DocumentResults, VM } from "./generated/schema.js";
import type { CallOptions, OneMethods } from "./methods.js";

/** Every pool by PyONE's attribute, with the element its info lists. */
const POOL_ITEMS = {
  backupjobpool: "BACKUPJOB",
  clusterpool: "CLUSTER",
  datastorepool: "DATASTORE",
  documentpool: "DOCUMENT",
  grouppool: "GROUP",
  hookpool: "HOOK",
  hostpool: "HOST",
  imagepool: "IMAGE",
  marketapppool: "MARKETPLACEAPP",
  marketpool: "MARKETPLACE",
  secgrouppool: "SECURITY_GROUP",
  templatepool: "VMTEMPLATE",
  userpool: "USER",
  vdcpool: "VDC",
  vmgrouppool: "VM_GROUP",
  vmpool: "VM",
  vnpool: "VNET",
  vntemplatepool: "VNTEMPLATE",
  vrouterpool: "VROUTER",
  zonepool: "ZONE",
} as const;

/** A pool: "vmpool", "hostpool" … (`one.<pool>.info`). */
export type PoolName = keyof typeof POOL_ITEMS;

/** What a pool lists: `VM_POOL_VM` for "vmpool" (the short body), `HOST` for "hostpool" … */
export type PoolItem<P extends PoolName> =
  DocumentResults[`one.${P}.info`][(typeof POOL_ITEMS)[P]] extends readonly (infer Item)[] ? Item : never;

export interface PoolOptions extends CallOptions {
  /** Whose objects: -4 the user's primary group, -3 the user's, -2 all (default), -1 the user's and their groups', or a user id. */
  filter?: number;
  /** Objects per call for the pools oned pages (default 500; at least 2, since an end of -1 means "all"). */
  pageSize?: number;
}

export interface VmPoolOptions extends PoolOptions {
  /** VM_STATE to list: -2 any, -1 any but DONE (default), else a VM_STATE value. */
  state?: number;
  /** oned's KEY=VALUE filter on VM attributes. */
  kvFilter?: string;
  /** The full VM body (one.vmpool.infoextended: TEMPLATE with DISK, NIC …) instead of the short one. */
  extended?: boolean;
}

export interface DocumentPoolOptions extends PoolOptions {
  /** The document type (OneFlow services, for instance, use their own). */
  type: number;
}

/** The options a pool takes: documentpool needs its type. */
export type PoolOptionsArgument<P extends PoolName> = P extends "documentpool"
  ? [options: DocumentPoolOptions]
  : P extends "vmpool"
    ? [options?: VmPoolOptions]
    : [options?: PoolOptions];

const DEFAULT_PAGE_SIZE = 500;

// The pools whose info takes (filter, start, end), read from the method table rather than listed again.
const isPaged = (pool: PoolName): boolean => {
  const meta: MethodMeta = methods[`one.${pool}.info`];
  return meta.params[1]?.name === "start" && meta.params[2]?.name === "end";
};

type InfoFunction = (...args: unknown[]) => Promise<Record<string, unknown>>;

function checkPool(pool: string): asserts pool is PoolName {
  if (!Object.hasOwn(POOL_ITEMS, pool)) {
    throw new ValidationError(`${JSON.stringify(pool)} is not a pool (${Object.keys(POOL_ITEMS).join(", ")})`, {
      field: "pool",
    });
  }
}

/**
 * The objects of a pool, fetched a page at a time: `for await (const vm of iteratePool(one, "vmpool"))`,
 * `.pages()` for the pages, `.all()` for one array. `signal` stops between pages and cancels the call
 * in flight. For "vmpool", `{ extended: true }` lists full VM bodies.
 */
export function iteratePool(
  one: OneMethods,
  pool: "vmpool",
  options: VmPoolOptions & { extended: true },
): PagedList<VM, number>;
export function iteratePool<P extends PoolName>(
  one: OneMethods,
  pool: P,
  ...options: PoolOptionsArgument<P>
): PagedList<PoolItem<P>, number>;
export function iteratePool(
  one: OneMethods,
  pool: PoolName,
  options: PoolOptions & Partial<VmPoolOptions & DocumentPoolOptions> = {},
): PagedList<unknown, number> {
  checkPool(pool);
  const { filter = -2, pageSize = DEFAULT_PAGE_SIZE, signal, timeout } = options;
  if (!Number.isInteger(pageSize) || pageSize < 2 || pageSize > 2 ** 31 - 1) {
    throw new ValidationError(
      `pageSize must be an integer from 2 up (oned reads an end of -1 as "all"), not ${pageSize}`,
      {
        field: "pageSize",
      },
    );
  }
  if (pool === "documentpool" && options.type === undefined) {
    throw new ValidationError("documentpool needs { type }: the document type to list", { field: "type" });
  }
  const verbs = one[pool] as unknown as Record<string, InfoFunction>;
  const info = verbs[pool === "vmpool" && options.extended ? "infoextended" : "info"]!;
  const itemKey = POOL_ITEMS[pool];
  const paged = isPaged(pool);
  // Parameters after (filter, start, end), in oned's order.
  const extra: unknown[] =
    pool === "vmpool"
      ? [options.state ?? -1, ...(options.kvFilter === undefined ? [] : [options.kvFilter])]
      : pool === "documentpool"
        ? [options.type]
        : [];
  const fetchPage = async (offset = 0, call: { signal?: AbortSignal }): Promise<Page<unknown, number>> => {
    const callOptions: CallOptions = { signal: call.signal, ...(timeout === undefined ? {} : { timeout }) };
    const document = paged ? await info(filter, offset, -pageSize, ...extra, callOptions) : await info(callOptions);
    const items = (document[itemKey] ?? []) as unknown[];
    return { items, next: paged && items.length === pageSize ? offset + items.length : undefined };
  };
  return new PagedList(fetchPage, { signal });
}

/**
 * The one object of `pool` named `name` (as the pool lists it: a VM's short body, say; ask
 * `one.vm.info(found.ID)` for the rest). Throws OneNoExistsException when there is none and
 * AmbiguousNameError, with the ids, when there are several.
 */
export async function findByName<P extends PoolName>(
  one: OneMethods,
  pool: P,
  name: string,
  ...options: PoolOptionsArgument<P>
): Promise<PoolItem<P>> {
  checkPool(pool);
  const found: PoolItem<P>[] = [];
  for await (const item of iteratePool(one, pool, ...options)) {
    if ((item as { NAME?: unknown }).NAME === name) found.push(item);
  }
  const what = `${POOL_ITEMS[pool].toLowerCase()} named ${JSON.stringify(name)}`;
  if (found.length === 0) {
    throw new OneNoExistsException(`${pool}: no ${what}`, {
      method: `one.${pool}.info`,
      errorCode: ONE_ERROR_CODE.NO_EXISTS,
    });
  }
  if (found.length > 1) {
    const ids = found.map((item) => Number((item as { ID?: unknown }).ID));
    throw new AmbiguousNameError(`${pool}: ${found.length} objects are a ${what} (ids ${ids.join(", ")})`, {
      method: `one.${pool}.info`,
      ids,
    });
  }
  return found[0]!;
}
