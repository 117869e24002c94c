// python-tutum's Utils (0.14+): find an object by what a person types, a full uuid, a uuid prefix, a
// name or "stack.name", and fetch any object from its resource URI.
import { NonUniqueIdentifier, ObjectNotFound, TutumApiError } from "./errors.js";
import { API_PREFIX, resourceByEndpoint } from "./generated/api.js";
import type { CallSignal, Resource, ResourceClass } from "./resource.js";
import type { Action } from "./resources/action.js";
import type { Application } from "./resources/application.js";
import type { Container } from "./resources/container.js";
import type { NodeCluster } from "./resources/node-cluster.js";
import type { Node } from "./resources/node.js";
import type { Service } from "./resources/service.js";
import type { Stack } from "./resources/stack.js";
import type { VolumeGroup } from "./resources/volume-group.js";
import type { Volume } from "./resources/volume.js";

const UUID4 = /^[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}/i;

/** Whether `identifier` starts like a uuid4, as python-tutum's `is_uuid4`. */
export function isUuid4(identifier: string): boolean {
  return UUID4.test(identifier);
}

/** Options of `fetch_remote_container`, `fetch_remote_service` …: whether to throw or return the error, and a signal. */
export interface FetchRemoteOptions extends CallSignal {
  /** false: resolve to the ObjectNotFound or NonUniqueIdentifier instead of throwing it (python's `raise_exceptions`). */
  raiseExceptions?: boolean;
}

type LookupError = ObjectNotFound | NonUniqueIdentifier;

/** The classes Utils looks objects up with (a client's own, so the lookups use its account). */
export interface UtilsClasses {
  Application: typeof Application;
  Action: typeof Action;
  Container: typeof Container;
  Node: typeof Node;
  NodeCluster: typeof NodeCluster;
  Service: typeof Service;
  Stack: typeof Stack;
  Volume: typeof Volume;
  VolumeGroup: typeof VolumeGroup;
  [name: string]: ResourceClass & Pick<typeof Resource, "list" | "fetch">;
}

type Lookup = "prefix" | "prefix-or-name";

/** How each kind is looked up: which list filters, and what "a.b" means. */
interface LookupRule {
  what: string;
  lookup: Lookup;
  /** Filters for "first.second" (stack and name). */
  dotted?: (first: string, second: string) => Record<string, string>;
}

/** python-tutum's `tutum.utils`: find a container, service, node or cluster by name, UUID or UUID prefix. */
export class TutumUtils {
  readonly #classes: UtilsClasses;

  constructor(classes: UtilsClasses) {
    this.#classes = classes;
  }

  /** The object a resource URI names ("/api/v1/service/{uuid}/", "/api/v1/region/aws/us-east-1/"). */
  async fetchByResourceUri(uri: string, options: CallSignal = {}): Promise<Resource> {
    const path = uri.replace(/^[a-z]+:\/\/[^/]+/i, "");
    const rest = path.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length) : path.replace(/^\/+/, "");
    const terms = rest.split("/").filter(Boolean);
    if (terms.length < 2) throw new TutumApiError(`Uri format is invalid: ${JSON.stringify(uri)}`);
    const type = terms[0]!.toLowerCase();
    const className = (resourceByEndpoint as Record<string, string>)[type];
    const cls = className ? this.#classes[className] : undefined;
    if (!cls) {
      const supported = Object.keys(resourceByEndpoint).filter(
        (k) => this.#classes[(resourceByEndpoint as Record<string, string>)[k]!],
      );
      throw new TutumApiError(`Unsupported resource type '${type}'. Only support: ${supported.join(", ")}`);
    }
    return cls.fetch(terms.slice(1).join("/"), options);
  }

  fetchRemoteApplication(id: string, options?: FetchRemoteOptions & { raiseExceptions?: true }): Promise<Application>;
  fetchRemoteApplication(id: string, options: FetchRemoteOptions): Promise<Application | LookupError>;
  fetchRemoteApplication(id: string, options: FetchRemoteOptions = {}) {
    return this.#fetchRemote(this.#classes.Application, id, { what: "application", lookup: "prefix-or-name" }, options);
  }

  fetchRemoteContainer(id: string, options?: FetchRemoteOptions & { raiseExceptions?: true }): Promise<Container>;
  fetchRemoteContainer(id: string, options: FetchRemoteOptions): Promise<Container | LookupError>;
  fetchRemoteContainer(id: string, options: FetchRemoteOptions = {}) {
    return this.#fetchRemote(
      this.#classes.Container,
      id,
      { what: "container", lookup: "prefix-or-name", dotted: (stack, name) => ({ service__stack__name: stack, name }) },
      options,
    );
  }

  fetchRemoteService(id: string, options?: FetchRemoteOptions & { raiseExceptions?: true }): Promise<Service>;
  fetchRemoteService(id: string, options: FetchRemoteOptions): Promise<Service | LookupError>;
  fetchRemoteService(id: string, options: FetchRemoteOptions = {}) {
    return this.#fetchRemote(
      this.#classes.Service,
      id,
      { what: "service", lookup: "prefix-or-name", dotted: (stack, name) => ({ stack__name: stack, name }) },
      options,
    );
  }

  fetchRemoteStack(id: string, options?: FetchRemoteOptions & { raiseExceptions?: true }): Promise<Stack>;
  fetchRemoteStack(id: string, options: FetchRemoteOptions): Promise<Stack | LookupError>;
  fetchRemoteStack(id: string, options: FetchRemoteOptions = {}) {
    return this.#fetchRemote(this.#classes.Stack, id, { what: "stack", lookup: "prefix-or-name" }, options);
  }

  fetchRemoteVolume(id: string, options?: FetchRemoteOptions & { raiseExceptions?: true }): Promise<Volume>;
  fetchRemoteVolume(id: string, options: FetchRemoteOptions): Promise<Volume | LookupError>;
  fetchRemoteVolume(id: string, options: FetchRemoteOptions = {}) {
    return this.#fetchRemote(this.#classes.Volume, id, { what: "volume", lookup: "prefix" }, options);
  }

  fetchRemoteVolumegroup(id: string, options?: FetchRemoteOptions & { raiseExceptions?: true }): Promise<VolumeGroup>;
  fetchRemoteVolumegroup(id: string, options: FetchRemoteOptions): Promise<VolumeGroup | LookupError>;
  fetchRemoteVolumegroup(id: string, options: FetchRemoteOptions = {}) {
    return this.#fetchRemote(
      this.#classes.VolumeGroup,
      id,
      { what: "volume group", lookup: "prefix-or-name" },
      options,
    );
  }

  fetchRemoteNode(id: string, options?: FetchRemoteOptions & { raiseExceptions?: true }): Promise<Node>;
  fetchRemoteNode(id: string, options: FetchRemoteOptions): Promise<Node | LookupError>;
  fetchRemoteNode(id: string, options: FetchRemoteOptions = {}) {
    return this.#fetchRemote(this.#classes.Node, id, { what: "node", lookup: "prefix" }, options);
  }

  fetchRemoteNodecluster(id: string, options?: FetchRemoteOptions & { raiseExceptions?: true }): Promise<NodeCluster>;
  fetchRemoteNodecluster(id: string, options: FetchRemoteOptions): Promise<NodeCluster | LookupError>;
  fetchRemoteNodecluster(id: string, options: FetchRemoteOptions = {}) {
    return this.#fetchRemote(
      this.#classes.NodeCluster,
      id,
      { what: "node cluster", lookup: "prefix-or-name" },
      options,
    );
  }

  fetchRemoteAction(id: string, options?: FetchRemoteOptions & { raiseExceptions?: true }): Promise<Action>;
  fetchRemoteAction(id: string, options: FetchRemoteOptions): Promise<Action | LookupError>;
  fetchRemoteAction(id: string, options: FetchRemoteOptions = {}) {
    return this.#fetchRemote(this.#classes.Action, id, { what: "action", lookup: "prefix" }, options);
  }

  async #fetchRemote<T extends Resource>(
    cls: ResourceClass<T> & Pick<typeof Resource, "list" | "fetch">,
    identifier: string,
    rule: LookupRule,
    options: FetchRemoteOptions,
  ): Promise<T | LookupError> {
    const { signal } = options;
    const notFound = (cause?: unknown) =>
      new ObjectNotFound(`Cannot find a ${rule.what} with the identifier '${identifier}'`, { cause });
    try {
      if (isUuid4(identifier)) {
        try {
          return await cls.fetch(identifier, { signal });
        } catch (error) {
          // Only "not there" becomes ObjectNotFound; a refused key or a server down stays what it is.
          if (error instanceof ObjectNotFound) throw notFound(error);
          throw error;
        }
      }
      const list = async (filters: Record<string, string>): Promise<T[]> => cls.list(filters as never, { signal });
      let matches: T[];
      if (rule.dotted && identifier.includes(".")) {
        const [first = "", ...rest] = identifier.split(".");
        matches = await list(rule.dotted(first, rest.join(".")));
      } else {
        matches = await list({ uuid__startswith: identifier });
        if (matches.length === 0 && rule.lookup === "prefix-or-name") matches = await list({ name: identifier });
      }
      if (matches.length === 1) return await cls.fetch(matches[0]!.pk!, { signal });
      if (matches.length === 0) throw notFound();
      throw new NonUniqueIdentifier(
        `More than one ${rule.what} has the same identifier '${identifier}', please use the long uuid`,
        { matches: matches.map((m) => m.pk ?? "") },
      );
    } catch (error) {
      if (
        options.raiseExceptions === false &&
        (error instanceof ObjectNotFound || error instanceof NonUniqueIdentifier)
      ) {
        return error;
      }
      throw error;
    }
  }
}
