// Where a collection or a resource sits in the services tree (its connection, service and path), and the
// calls both make: checking and placing parameters, sending, decoding, actions.
import { ValidationError } from "@nimbus-sdk/common";
import { faultText, type Connection, type SendOptions, type XmlReply } from "./connection.js";
import { ActionFailed } from "./errors.js";
import { decodeObject } from "./wire/decode.js";
import { encodeObject, primitiveText } from "./wire/encode.js";
import { v3ToV4 } from "./v3/to-v4.js";
import { wireService, type WireMethod, type WireService } from "./wire/services.js";
import { withStatusObjects } from "./status.js";
import { asAccessed } from "./accessors.js";

/** Per-call options of every method. */
export interface CallOptions {
  signal?: AbortSignal;
  /** ms allowed for this call's answer (default: the connection's `timeout`). */
  timeout?: number;
  /**
   * The v3 SDK's `correlation_id=`: sent as this call's `Correlation-Id` header, which the engine puts
   * on the call's jobs and events (`api.jobs.list({ query: "correlation_id=..." })`).
   */
  correlation_id?: string;
}

export interface NodeContext {
  readonly connection: Connection;
  readonly service: WireService;
  /** Relative to the API URL: `vms/123/nics`; "" for the root. */
  readonly path: string;
}

const contexts = new WeakMap<object, NodeContext>();

export function bindNode(node: object, context: NodeContext): void {
  contexts.set(node, context);
}

export function nodeContext(node: object): NodeContext {
  const context = contexts.get(node);
  if (!context) throw new ValidationError("this object is not bound to an engine (it was not fetched through an API)");
  return context;
}

/** The absolute URL of the service at `context` (for messages and errors). */
export function nodeUrl(context: NodeContext): string {
  const base = context.connection.url.href.replace(/\/?$/, "/");
  return context.path ? new URL(context.path, base).href : context.connection.url.href;
}

/** The context of the service `locator` leads to from `context`. */
export function childContext(context: NodeContext, locator: string, id?: string): NodeContext {
  const found = context.service.locators.get(locator);
  if (!found) throw new Error(`${context.service.name} has no locator ${locator}`);
  const segment = found.path === "{id}" ? encodeURIComponent(id ?? "") : found.path;
  return {
    connection: context.connection,
    service: wireService(found.service),
    path: context.path ? `${context.path}/${segment}` : segment,
  };
}

/** The model method of `kind` (or the action `name`), or a ValidationError saying the service has none. */
export function requireMethod(context: NodeContext, name: string): WireMethod {
  const method = context.service.methods.get(name);
  if (!method) {
    throw new ValidationError(`${context.path || "the API root"} (${context.service.name}) has no ${name} method`, {
      field: name,
    });
  }
  return method;
}

const CALL_OPTION_NAMES = new Set(["signal", "timeout", "correlation_id"]);

/** Separates the call options (signal, timeout, correlation_id) from the method's parameters. */
export function splitOptions(options: object): { call: CallOptions; params: Record<string, unknown> } {
  const call: CallOptions = {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || value === null) continue;
    if (key === "correlation_id" && typeof value !== "string") {
      throw new ValidationError(`correlation_id must be a string (it is sent as the Correlation-Id header)`, {
        field: key,
      });
    }
    if (CALL_OPTION_NAMES.has(key)) (call as Record<string, unknown>)[key] = value;
    else params[key] = value;
  }
  return { call, params };
}

/** The query parameters of a call, each checked against the method's declaration. */
export function queryOf(
  context: NodeContext,
  method: WireMethod,
  params: Record<string, unknown>,
): Record<string, string> {
  const query: Record<string, string> = {};
  const label = `${context.path || "api"}.${method.name}`;
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const param = method.input.find((p) => p.xml === key && p.where === "query");
    // `follow` takes several links, as a list or already joined (`"nics,disk_attachments.disk"`).
    if (param && key === "follow" && Array.isArray(value)) {
      query[key] = value.map((link, i) => primitiveText(param, link, `${label}.${key}[${i}]`)).join(",");
      continue;
    }
    if (!param) {
      const known = method.input.filter((p) => p.where === "query").map((p) => p.xml);
      throw new ValidationError(
        `${label} takes no parameter "${key}" (it takes ${known.length ? known.join(", ") : "none"})`,
        { field: `${label}.${key}` },
      );
    }
    query[key] = primitiveText(param, value, `${label}.${key}`);
  }
  return query;
}

/**
 * Sends method `name` (`get`, `list`, `add`, `update`, `remove`) of the service at `context`: `options` are
 * the call options and the method's query parameters (checked against the model), `body` the document.
 */
export async function sendMethod(
  context: NodeContext,
  name: string,
  options: object,
  body?: string,
): Promise<XmlReply> {
  return context.connection.send(methodRequest(context, name, options, body));
}

/** The request of method `name` of the service at `context`, as sendMethod sends it. */
export function methodRequest(context: NodeContext, name: string, options: object, body?: string): SendOptions {
  const method = requireMethod(context, name);
  const { call, params } = splitOptions(options);
  return { method: method.httpMethod, path: context.path, query: queryOf(context, method, params), body, ...call };
}

/** Per-call options of every action: the call options, and v3's keyword `vm.start(action=params.Action(...))`. */
export interface ActionOptions extends CallOptions {
  /** The action's parameters as v3 gave them: a `params.Action` (or a plain object of its members). */
  action?: object;
}

/** `{ action: a, ...rest }` as a's members (v4's) beside the rest; a member given twice is refused. */
function withKeywordAction(options: object, label: string): object {
  const { action, ...rest } = options as { action?: unknown };
  if (action === undefined || action === null) return options;
  if (typeof action !== "object" || Array.isArray(action)) {
    throw new ValidationError(`${label}: action must be a params.Action, not ${typeof action}`, {
      field: `${label}.action`,
    });
  }
  const members = v3ToV4(action, "Action", `${label}.action`);
  for (const key of Object.keys(rest)) {
    if (key in members) {
      throw new ValidationError(`${label}: ${key} is given both in action and beside it`, { field: `${label}.${key}` });
    }
  }
  return { ...members, ...rest };
}

/**
 * Runs action `name` of the service at `node`: its parameters as an `<action>` document, POSTed to
 * the action's path. A `<fault>` in the answer is an ActionFailed error, even with a success status.
 * Resolves to the action's one output parameter when it has one (`ticket`), else to the `<action>`.
 */
export async function invokeAction(node: object, name: string, options: object): Promise<unknown> {
  const context = nodeContext(node);
  const method = requireMethod(context, name);
  const label = `${context.path || "api"}.${name}`;
  // v3's `vm.start(params.Action(vm=...))`, positional or as `action=`: the Action's members as v4's.
  const { call, params } = splitOptions(v3ToV4(withKeywordAction(options, label), "Action", label));
  for (const key of Object.keys(params)) {
    if (!method.input.some((p) => p.xml === key)) {
      const known = method.input.map((p) => p.xml);
      throw new ValidationError(`${label} takes no parameter "${key}" (it takes ${known.join(", ") || "none"})`, {
        field: `${label}.${key}`,
      });
    }
  }
  const body = encodeObject(params, "Action", { label });
  const path = [context.path, method.pathSuffix].filter(Boolean).join("/");
  const { connection } = context;
  const reply = await connection.send({ method: method.httpMethod, path, body, ...call });
  if (reply.xml.trim() === "") return {};
  const action = connection.decode(reply, (xml) => decodeObject(xml, "Action"));
  const fault = action.fault as { reason?: string; detail?: string } | undefined;
  if (fault) {
    throw new ActionFailed(`${reply.method} ${reply.url}: the action failed: ${faultText(fault)}`, {
      method: reply.method,
      url: reply.url,
      status: reply.status,
      requestId: reply.requestId,
      reason: fault.reason,
      detail: fault.detail,
    });
  }
  const outputs = method.output;
  return outputs.length === 1 ? action[outputs[0]!.xml] : asAccessed(withStatusObjects(action), "Action");
}
