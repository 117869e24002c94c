// The simulator's state: one map per pool (ids ascending, as oned's ORDER BY oid), sessions,
// and oned's authorization: object permissions, the default ACLs, locks, pool filters.
import { createHash, randomBytes } from "node:crypto";
import { OneFailure } from "./failure.js";
import { KINDS, type Kind, type ObjectOf, type OneObject, type Permissions, type UserObject } from "./objects.js";

/** Who is calling, after the session was checked. */
export interface Caller {
  readonly uid: number;
  readonly gid: number;
  readonly groups: ReadonlySet<number>;
  /** uid 0 or a member of group 0: every operation is allowed (locks aside). */
  readonly admin: boolean;
}

/** oned's operations (AuthRequest::Operation); a lock at level L blocks the operations ≥ L. */
export const OP = { USE: 1, MANAGE: 2, ADMIN: 4, CREATE: 8 } as const;
export type Operation = (typeof OP)[keyof typeof OP];
const OP_NAMES: Readonly<Record<number, string>> = { 1: "USE", 2: "MANAGE", 4: "ADMIN", 8: "CREATE" };

export const ONEADMIN_GROUP = 0;
export const USERS_GROUP = 1;

/** Pools the default ACLs and default VDC open to group "users" for USE (hosts, datastores, networks …). */
const USABLE_BY_USERS: ReadonlySet<Kind> = new Set<Kind>(["host", "datastore", "vn", "cluster"]);
/** `* MARKETPLACE+MARKETPLACEAPP/* USE *`: every user. */
const USABLE_BY_ALL: ReadonlySet<Kind> = new Set<Kind>(["market", "marketapp"]);
/** `@1 VM+IMAGE+TEMPLATE+… CREATE *`. */
const CREATABLE_BY_USERS: ReadonlySet<Kind> = new Set<Kind>(["vm", "image", "template"]);

export const hashPassword = (password: string): string => createHash("sha256").update(password).digest("hex");

type Pools = { [K in Kind]: Map<number, ObjectOf<K>> };

/** The simulator's state: every pool of objects, their IDs and the users' sessions. */
export class World {
  readonly pools: Pools = {
    vm: new Map(),
    template: new Map(),
    host: new Map(),
    image: new Map(),
    vn: new Map(),
    user: new Map(),
    group: new Map(),
    datastore: new Map(),
    cluster: new Map(),
    market: new Map(),
    marketapp: new Map(),
  };
  private readonly nextIds = new Map<Kind, number>();
  /** Incremented per call, for LOCK/REQ_ID. */
  requestId = 0;
  /** Incremented on every change anywhere: answers computed at one version stay right until the next. */
  version = 0;

  /** Seconds since the epoch, as oned's times are. */
  now(): number {
    return Math.floor(Date.now() / 1000);
  }

  pool<K extends Kind>(kind: K): Map<number, ObjectOf<K>> {
    return this.pools[kind] as Map<number, ObjectOf<K>>;
  }

  get<K extends Kind>(kind: K, id: number): ObjectOf<K> | undefined {
    return this.pool(kind).get(id);
  }

  /** The object, or oned's NO_EXISTS naming it ("Error getting image [7]."). */
  require<K extends Kind>(kind: K, id: number): ObjectOf<K> {
    const object = this.get(kind, id);
    if (!object) throw new OneFailure("NO_EXISTS", "", id, KINDS[kind].noun);
    return object;
  }

  /** The next id of a pool; system objects (ids below 100 for groups, 0..2 datastores) are seeded first. */
  /** Scheduled actions have ids of their own across all VMs (oned 7's scheduled action pool). */
  #nextSchedActionId = 0;
  nextSchedActionId(): number {
    return this.#nextSchedActionId++;
  }

  nextId(kind: Kind): number {
    const id = this.nextIds.get(kind) ?? 0;
    this.nextIds.set(kind, id + 1);
    return id;
  }

  /** Ids from `first` on (oned starts user groups at 100). */
  reserveIds(kind: Kind, first: number): void {
    this.nextIds.set(kind, Math.max(first, this.nextIds.get(kind) ?? 0));
  }

  add<O extends OneObject>(object: O): O {
    (this.pools[object.kind] as Map<number, OneObject>).set(object.id, object);
    this.version++;
    return object;
  }

  remove(object: OneObject): void {
    this.pools[object.kind].delete(object.id);
    this.version++;
  }

  touch(object: OneObject): void {
    object.version++;
    this.version++;
  }

  userName(uid: number): string {
    return this.get("user", uid)?.name ?? "";
  }

  groupName(gid: number): string {
    return this.get("group", gid)?.name ?? "";
  }

  findByName<K extends Kind>(kind: K, name: string, uid?: number): ObjectOf<K> | undefined {
    for (const object of this.pool(kind).values()) {
      if (object.name === name && (uid === undefined || object.uid === uid)) return object;
    }
    return undefined;
  }

  /** The caller of a session `user:password` or `user:token`; oned's AUTHENTICATION failure otherwise. */
  authenticate(session: string): Caller {
    const colon = session.indexOf(":");
    const user = colon > 0 ? this.findByName("user", session.slice(0, colon)) : undefined;
    const secret = session.slice(colon + 1);
    if (!user || !user.enabled || !this.secretMatches(user, secret)) throw new OneFailure("AUTHENTICATION");
    const groups = new Set(user.groups);
    return { uid: user.id, gid: user.gid, groups, admin: user.id === 0 || groups.has(ONEADMIN_GROUP) };
  }

  private secretMatches(user: UserObject, secret: string): boolean {
    if (user.password === hashPassword(secret)) return true;
    const now = this.now();
    user.tokens = user.tokens.filter((t) => t.expires < 0 || t.expires > now);
    return user.tokens.some((t) => t.token === secret);
  }

  /** When the next login token expires (seconds; Infinity when none will): answers may change then. */
  nextTokenExpiry(): number {
    let soonest = Infinity;
    for (const user of this.pool("user").values()) {
      for (const t of user.tokens) if (t.expires >= 0 && t.expires < soonest) soonest = t.expires;
    }
    return soonest;
  }

  /** A login token (one.user.login), valid for `seconds` (-1: as long as the user exists). */
  issueToken(user: UserObject, seconds: number, egid: number): string {
    const token = randomBytes(20).toString("hex");
    user.tokens.push({ token, expires: seconds < 0 ? -1 : this.now() + seconds, egid });
    this.touch(user);
    return token;
  }

  /** Throws oned's AUTHORIZATION failure unless `caller` may perform `op` on `object`. */
  authorize(caller: Caller, object: OneObject, op: Operation, lockable = true): void {
    const { type } = KINDS[object.kind];
    if (lockable && object.lock && object.lock.level <= op) {
      // oned answers a lock with an authorization failure, not with LOCKED (0x8000), which it never sends.
      throw new OneFailure(
        "AUTHORIZATION",
        caller.admin
          ? `${type} is locked. [${object.id}]`
          : `Not authorized to perform ${OP_NAMES[op]} ${type} [${object.id}]`,
      );
    }
    if (!this.allows(caller, object, op)) {
      throw new OneFailure("AUTHORIZATION", `Not authorized to perform ${OP_NAMES[op]} ${type} [${object.id}]`);
    }
  }

  /** Whether `caller` may create objects of `kind` (ACL `@1 VM+IMAGE+TEMPLATE… CREATE`). */
  authorizeCreate(caller: Caller, kind: Kind): void {
    if (caller.admin || (CREATABLE_BY_USERS.has(kind) && caller.groups.has(USERS_GROUP))) return;
    throw new OneFailure("AUTHORIZATION", `Not authorized to perform CREATE ${KINDS[kind].type}`);
  }

  private allows(caller: Caller, object: OneObject, op: Operation): boolean {
    if (caller.admin) return true;
    if (op === OP.USE && this.aclGrantsUse(caller, object.kind)) return true;
    const bit = op === OP.USE ? 0 : op === OP.MANAGE ? 1 : op === OP.ADMIN ? 2 : -1;
    if (bit < 0) return false;
    const p: readonly number[] = object.perms;
    if (object.uid === caller.uid && p[bit] === 1) return true;
    if (caller.groups.has(object.gid) && p[3 + bit] === 1) return true;
    return p[6 + bit] === 1;
  }

  private aclGrantsUse(caller: Caller, kind: Kind): boolean {
    return USABLE_BY_ALL.has(kind) || (USABLE_BY_USERS.has(kind) && caller.groups.has(USERS_GROUP));
  }

  /**
   * Whether a pool answer shows `object` to `caller` for oned's filter flag (PoolSQL::usr_filter):
   * -4 the caller's primary group, -3 the caller's, -2 all it may use, -1 its own and its groups', ≥0 that user's.
   */
  visible(caller: Caller, object: OneObject, filter: number): boolean {
    const all = caller.admin || this.aclGrantsUse(caller, object.kind);
    const mine = object.uid === caller.uid;
    const p: Permissions = object.perms;
    const groupUse = caller.groups.has(object.gid) && p[3] === 1;
    const shared = all || p[6] === 1 || groupUse;
    switch (filter) {
      case -4:
        return object.gid === caller.gid && (all || mine || p[6] === 1 || p[3] === 1);
      case -3:
        return mine;
      case -2:
        return mine || shared;
      case -1:
        return mine || (caller.groups.has(object.gid) && (all || p[6] === 1 || p[3] === 1));
      default:
        return object.uid === filter && (filter === caller.uid || shared);
    }
  }
}
