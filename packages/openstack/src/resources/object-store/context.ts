// What the Cloud Files calls share: the client's context (endpoint, request pipeline, defaults, and
// the client itself, which the resources it hands out call back), and how a call names a container
// or an object, by name or by resource.
import type { CdnContext } from "./cdn.js";
import type { ObjectStoreClient } from "./client-api.js";
import { Container } from "./container.js";
import { validateContainerName, validateObjectName } from "./names.js";
import type { StorageObject } from "./storage-object.js";

/** A container given by name or as a {@link Container}. */
export type ContainerRef = string | Container;
/** An object given by name or as a `StorageObject`. */
export type ObjectRef = string | StorageObject;

export interface ObjectStoreContext extends CdnContext {
  /** The account's URL, without a trailing slash (requests about the account itself). */
  readonly accountUrl: URL;
  /** The client, for the resources handed out. */
  readonly client: ObjectStoreClient<Container, StorageObject>;
  /** uploadFile's defaults. */
  readonly segmentSize: number;
  readonly concurrency: number;
  /** The account's temp URL key, once read or set. */
  tempUrlKey?: string;
}

const nameOf = (ref: { name: string } | string): string => (typeof ref === "object" && ref !== null ? ref.name : ref);

/** The container's name, checked. */
export function containerName(container: ContainerRef, field = "container"): string {
  return validateContainerName(nameOf(container), field);
}

/** The object's name, checked. */
export function objectName(obj: ObjectRef, field = "obj"): string {
  return validateObjectName(nameOf(obj), field);
}

/** The container itself, or one that knows only its name. */
export function containerOf(ctx: ObjectStoreContext, container: ContainerRef): Container {
  return container instanceof Container
    ? container
    : new Container(ctx.client, { name: container, objectCount: undefined, totalBytes: undefined });
}

export const toList = (value: string | readonly string[] | undefined): string[] =>
  value === undefined ? [] : typeof value === "string" ? [value] : [...value];
