// Key pairs (novaclient's KeypairManager and Keypair); a key pair's id is its name.
import { ValidationError } from "@nimbus-sdk/common";
import { NotFound, notFoundAs } from "../../errors.js";
import { Manager, Resource, type Criteria } from "./base.js";
import type { CloudServers } from "./client.js";
import { nextLinkQuery, novaListing, type Listing, type NovaLink, type PagingOptions } from "./listing.js";
import { checkOptions, type ComputeCallOptions, type KeypairRecord } from "./wire.js";

/** A key pair, or its name. */
export type KeypairRef = string | { readonly name: string };

export interface KeypairCreateOptions extends ComputeCallOptions {
  /** The public key to import; without one Nova generates the pair and answers with `private_key`. */
  publicKey?: string;
  /** "ssh" (default) or "x509" (microversion 2.2). */
  keyType?: "ssh" | "x509";
  /** Create it for another user (admins; microversion 2.10). */
  userId?: string;
}

// Nova stopped generating key pairs at microversion 2.92; without a public key the call is sent at 2.91.
const GENERATE_MAX_VERSION = "2.91";

export class Keypair extends Resource<KeypairRecord & { id?: unknown }, KeypairManager> {
  declare readonly name: string;
  declare readonly public_key: string;
  declare readonly fingerprint: string;
  /** Only when Nova generated the pair, in create's answer. */
  declare readonly private_key?: string;
  declare readonly type?: "ssh" | "x509";
  [field: string]: unknown;

  constructor(manager: KeypairManager, record: KeypairRecord) {
    super(manager, record);
  }

  /** novaclient's Keypair.id: the name. */
  get id(): string {
    return this.record.name;
  }

  async get(options: ComputeCallOptions = {}): Promise<this> {
    return this.refreshFrom((await this.manager.get(this, options)).record);
  }
  async delete(options?: ComputeCallOptions): Promise<void> {
    return this.manager.delete(this, options);
  }
}

function nameOf(ref: KeypairRef): string {
  const name = typeof ref === "string" ? ref : ref?.name;
  if (typeof name !== "string" || name === "") {
    throw new ValidationError("a key pair is given by its name or a Keypair", { field: "keypair" });
  }
  return name;
}

/** `cs.keypairs`. */
export class KeypairManager extends Manager<Keypair> {
  protected readonly noun = "key pair";

  constructor(client: CloudServers) {
    super(client);
  }

  /** The key pairs (novaclient's `list(user_id)`); Nova pages them from microversion 2.35. */
  list(userId?: string | (PagingOptions & { userId?: string }), options: PagingOptions = {}): Listing<Keypair> {
    const all = typeof userId === "object" && userId !== null ? userId : { ...options, userId };
    checkOptions("keypairs.list", all, ["userId", "limit", "marker", "pageSize"]);
    return novaListing({ user_id: all.userId }, all, async (query, signal) => {
      const body = await this.client.json<{ keypairs: { keypair: KeypairRecord }[]; keypairs_links?: NovaLink[] }>({
        path: ["os-keypairs"],
        query,
        signal,
      });
      return {
        items: body.keypairs.map((k) => new Keypair(this, k.keypair)),
        next: nextLinkQuery(body.keypairs_links),
      };
    });
  }

  protected listForFind(_criteria: Criteria, options: ComputeCallOptions): Listing<Keypair> {
    return this.list({ signal: options.signal });
  }

  async get(keypair: KeypairRef, options: ComputeCallOptions & { userId?: string } = {}): Promise<Keypair> {
    const name = nameOf(keypair);
    const body = await notFoundAs(
      this.client.json<{ keypair: KeypairRecord }>({
        path: ["os-keypairs", name],
        query: { user_id: options.userId },
        signal: options.signal,
      }),
      NotFound,
      `no key pair named ${name}`,
    );
    return new Keypair(this, body.keypair);
  }

  /**
   * Imports a public key, or has Nova generate a pair (novaclient's `create(name, public_key)`);
   * the second argument is the public key or the options.
   */
  async create(name: string, publicKey?: string | KeypairCreateOptions, options: KeypairCreateOptions = {}) {
    const all = typeof publicKey === "object" && publicKey !== null ? publicKey : { ...options, publicKey };
    checkOptions("keypairs.create", all, ["publicKey", "keyType", "userId"]);
    if (typeof name !== "string" || name === "") {
      throw new ValidationError("keypairs.create: name must be a non-empty string", { field: "name" });
    }
    const keypair: Record<string, string> = { name };
    if (all.publicKey !== undefined) keypair.public_key = all.publicKey;
    if (all.keyType !== undefined) {
      await this.client.requireVersion("keyType", "2.2", all);
      keypair.type = all.keyType;
    }
    if (all.userId !== undefined) {
      await this.client.requireVersion("userId", "2.10", all);
      keypair.user_id = all.userId;
    }
    let maxVersion: string | undefined;
    if (all.publicKey === undefined) {
      if (this.client.pinned && (await this.client.atLeast("2.92", all))) {
        throw new ValidationError(
          `keypairs.create: Nova generates no key pairs from microversion 2.92 on (this client is pinned to ` +
            `${this.client.apiVersion}): give a publicKey`,
          { field: "publicKey" },
        );
      }
      maxVersion = GENERATE_MAX_VERSION;
    }
    const body = await this.client.json<{ keypair: KeypairRecord }>({
      method: "POST",
      path: ["os-keypairs"],
      json: { keypair },
      maxVersion,
      signal: all.signal,
    });
    return new Keypair(this, body.keypair);
  }

  async delete(keypair: KeypairRef, options: ComputeCallOptions & { userId?: string } = {}): Promise<void> {
    const name = nameOf(keypair);
    await notFoundAs(
      this.client.send({
        method: "DELETE",
        path: ["os-keypairs", name],
        query: { user_id: options.userId },
        signal: options.signal,
      }),
      NotFound,
      `no key pair named ${name}`,
    );
  }
}
