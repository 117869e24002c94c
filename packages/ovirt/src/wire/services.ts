// The services tree of the model, indexed: the generated table (src/generated/services.ts) read into
// objects the client and the simulator resolve paths and methods with.
import { ROOT_PATH, ROOT_SERVICE, SERVICES, type MethodKind } from "../generated/services.js";
import { ENUMS, STRUCTS } from "../generated/wire.js";
import type { MemberKind } from "./metadata.js";

export type { MethodKind };

/** Where a parameter goes: the request or response document, a URL parameter, or a child of `<action>`. */
export type ParameterPlace = "body" | "query" | "action";

export interface WireParameter {
  /** Wire name: `all_content`, `storage_domain`. */
  readonly xml: string;
  readonly type: string;
  readonly kind: MemberKind;
  readonly list: boolean;
  readonly where: ParameterPlace;
  readonly deprecated: boolean;
}

export interface WireMethod {
  /** Wire spelling of the method: `cancel_migration`, `get`. */
  readonly name: string;
  readonly kind: MethodKind;
  readonly httpMethod: string;
  /** What follows the service's path: `cancelmigration`, or "" for add/get/list/update/remove. */
  readonly pathSuffix: string;
  readonly input: readonly WireParameter[];
  readonly output: readonly WireParameter[];
}

export interface WireLocator {
  /** Wire spelling: `disk_attachments`; the `{id}` locator of a collection has the entity's name (`vm`). */
  readonly name: string;
  readonly service: string;
  /** The path segment: `diskattachments`, or `{id}`. */
  readonly path: string;
}

export interface WireService {
  readonly name: string;
  /** The struct it serves (get's result, or the items of list). */
  readonly type?: string;
  /** Has an `{id}` locator or a list method. */
  readonly collection: boolean;
  readonly methods: ReadonlyMap<string, WireMethod>;
  readonly locators: ReadonlyMap<string, WireLocator>;
  /** The `{id}` locator of a collection. */
  readonly idLocator?: WireLocator;
  /** The first method of a kind (`add`, `list`, `get` ...). */
  method(kind: Exclude<MethodKind, "action">): WireMethod | undefined;
}

export { ROOT_PATH, ROOT_SERVICE };

const cache = new Map<string, WireService>();

function parseParameter(token: string): WireParameter {
  const [xml, typeToken, where, deprecated] = token.split(" ") as [string, string, ParameterPlace, string?];
  const list = typeToken.endsWith("[]");
  const type = list ? typeToken.slice(0, -2) : typeToken;
  const kind: MemberKind = type in STRUCTS ? "struct" : type in ENUMS ? "enum" : "primitive";
  return { xml, type, kind, list, where, deprecated: deprecated === "deprecated" };
}

/** The service named `name` (`VmService`), or undefined. */
export function findWireService(name: string): WireService | undefined {
  const cached = cache.get(name);
  if (cached) return cached;
  const source = SERVICES[name];
  if (!source) return undefined;
  const methods = new Map<string, WireMethod>();
  for (const [method, kind, httpMethod, pathSuffix, input, output] of source.methods) {
    methods.set(method, {
      name: method,
      kind,
      httpMethod,
      pathSuffix,
      input: input.map(parseParameter),
      output: output.map(parseParameter),
    });
  }
  const locators = new Map<string, WireLocator>();
  for (const [locator, service, path] of source.locators) locators.set(locator, { name: locator, service, path });
  const service: WireService = {
    name,
    type: source.type,
    collection: source.collection === true,
    methods,
    locators,
    idLocator: [...locators.values()].find((l) => l.path === "{id}"),
    method: (kind) => [...methods.values()].find((m) => m.kind === kind),
  };
  cache.set(name, service);
  return service;
}

/** The service named `name`; throws for a name the model does not have (a bug, not user input). */
export function wireService(name: string): WireService {
  const service = findWireService(name);
  if (!service) throw new Error(`the oVirt model has no service ${JSON.stringify(name)}`);
  return service;
}
