// Server groups (novaclient's ServerGroupsManager): affinity and anti-affinity policies.
import { ValidationError } from "@nimbus-sdk/common";
import { NotFound, notFoundAs } from "../../errors.js";
import { Manager, Resource, type Criteria } from "./base.js";
import type { CloudServers } from "./client.js";
import { Listing } from "./listing.js";
import { checkOptions, idOf, type ComputeCallOptions, type Ref, type ServerGroupRecord } from "./wire.js";

/** How Nova places a server group's members. */
export type ServerGroupPolicy = "affinity" | "anti-affinity" | "soft-affinity" | "soft-anti-affinity";

export interface ServerGroupListOptions extends ComputeCallOptions {
  /** Every project's groups (admins). */
  allProjects?: boolean;
  /** Nova pages server groups by offset. */
  limit?: number;
  offset?: number;
}

export class ServerGroup extends Resource<ServerGroupRecord, ServerGroupManager> {
  declare readonly id: string;
  declare readonly name: string;
  declare readonly policies?: string[];
  declare readonly policy?: string;
  declare readonly rules?: ServerGroupRecord["rules"];
  declare readonly members: string[];
  [field: string]: unknown;

  constructor(manager: ServerGroupManager, record: ServerGroupRecord) {
    super(manager, record);
  }

  async get(options: ComputeCallOptions = {}): Promise<this> {
    return this.refreshFrom((await this.manager.get(this.id, options)).record);
  }
  async delete(options?: ComputeCallOptions): Promise<void> {
    return this.manager.delete(this, options);
  }
}

const PAGE = 1000;

/** `cs.serverGroups` (novaclient's `server_groups`). */
export class ServerGroupManager extends Manager<ServerGroup> {
  protected readonly noun = "server group";

  constructor(client: CloudServers) {
    super(client);
  }

  /** The groups (novaclient's `list(all_projects, limit, offset)`): every page unless `limit` is given. */
  list(allProjects?: boolean | ServerGroupListOptions, options: ServerGroupListOptions = {}): Listing<ServerGroup> {
    const all = typeof allProjects === "object" && allProjects !== null ? allProjects : { ...options, allProjects };
    checkOptions("serverGroups.list", all, ["allProjects", "limit", "offset"]);
    for (const field of ["limit", "offset"] as const) {
      const value = all[field];
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
        throw new ValidationError(`serverGroups.list: ${field} must be a whole number >= 0`, { field });
      }
    }
    const start = all.offset ?? 0;
    return new Listing(
      async (cursor, { signal }) => {
        const offset = cursor ? Number(cursor.offset![0]) : start;
        const size = all.limit ?? PAGE;
        const body = await this.client.json<{ server_groups: ServerGroupRecord[] }>({
          path: ["os-server-groups"],
          query: { all_projects: all.allProjects ? "True" : undefined, limit: size, offset },
          signal,
        });
        const items = body.server_groups.map((r) => new ServerGroup(this, r));
        const more = all.limit === undefined && items.length === size;
        return { items, next: more ? { offset: [String(offset + size)] } : undefined };
      },
      { signal: all.signal },
    );
  }

  protected listForFind(_criteria: Criteria, options: ComputeCallOptions): Listing<ServerGroup> {
    return this.list({ signal: options.signal });
  }

  async get(group: Ref, options: ComputeCallOptions = {}): Promise<ServerGroup> {
    const id = idOf(group, "serverGroup");
    const body = await notFoundAs(
      this.client.json<{ server_group: ServerGroupRecord }>({ path: ["os-server-groups", id], signal: options.signal }),
      NotFound,
      `no server group with id ${id}`,
    );
    return new ServerGroup(this, body.server_group);
  }

  /**
   * Creates a group (novaclient's `create(name, policy, rules)`); the policy is one name, or a list of
   * one as before microversion 2.64. `rules` (max_server_per_host) need 2.64.
   */
  async create(
    name: string,
    policy: ServerGroupPolicy | ServerGroupPolicy[],
    rules?: { max_server_per_host?: number },
    options: ComputeCallOptions = {},
  ): Promise<ServerGroup> {
    if (typeof name !== "string" || name === "") {
      throw new ValidationError("serverGroups.create: name must be a non-empty string", { field: "name" });
    }
    const policies = Array.isArray(policy) ? policy : [policy];
    if (policies.length !== 1 || typeof policies[0] !== "string") {
      throw new ValidationError("serverGroups.create: give exactly one policy", { field: "policy" });
    }
    if (rules !== undefined) checkOptions("serverGroups.create rules", rules, ["max_server_per_host"]);
    const modern = await this.client.atLeast("2.64", options);
    if (rules !== undefined && !modern) await this.client.requireVersion("rules", "2.64", options);
    const group: Record<string, unknown> = modern ? { name, policy: policies[0] } : { name, policies };
    if (rules !== undefined) group.rules = rules;
    const body = await this.client.json<{ server_group: ServerGroupRecord }>({
      method: "POST",
      path: ["os-server-groups"],
      json: { server_group: group },
      signal: options.signal,
    });
    return new ServerGroup(this, body.server_group);
  }

  async delete(group: Ref, options: ComputeCallOptions = {}): Promise<void> {
    const id = idOf(group, "serverGroup");
    await notFoundAs(
      this.client.send({ method: "DELETE", path: ["os-server-groups", id], signal: options.signal }),
      NotFound,
      `no server group with id ${id}`,
    );
  }
}
