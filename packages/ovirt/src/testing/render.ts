// The engine's documents: an entity with its href and id attributes, its `<actions>`, a
// `<link rel href/>` per sub-collection (or the sub-collection inlined when `follow` names it), its
// members in the marshaller's order, and references to other entities as `<cluster href id/>`.
import { wireStruct, type WireMember, type WireStruct } from "../wire/metadata.js";
import type { WireLocator, WireService } from "../wire/services.js";
import { elementMembers, isIdentified, topLevelOf } from "./catalog.js";
import type { Entity } from "./store.js";
import { isRecord, XmlOut, type WireRecord, type WireValue } from "./xml.js";

/** An entity as reached through one path (the same disk is `disks/<id>` and `vms/<vm>/diskattachments/<id>`). */
export interface Placed {
  readonly entity: Entity;
  /** Path under the API root: `vms/<id>`. */
  readonly path: string;
  /** The service answering at that path: its actions and sub-collections are the entity's. */
  readonly service: WireService;
}

/** `follow=disk_attachments.disk,nics` as a tree of member names. */
export type FollowTree = Map<string, FollowTree>;

export function parseFollow(text: string | null): FollowTree {
  const tree: FollowTree = new Map();
  for (const path of (text ?? "").split(",")) {
    let node = tree;
    for (const name of path.trim().split(".").filter(Boolean)) {
      let next = node.get(name);
      if (!next) node.set(name, (next = new Map()));
      node = next;
    }
  }
  return tree;
}

export interface RenderContext {
  /** `/ovirt-engine/api`. */
  readonly root: string;
  readonly allContent: boolean;
  /** The entities of a sub-collection of `owner`, placed under it. */
  children(owner: Placed, locator: WireLocator): Placed[];
  /** The entity a reference names, at its top-level path. */
  canonical(type: string, id: string): Placed | undefined;
}

/** Members the engine writes only with `all_content=true` (they are expensive for it to build). */
const ALL_CONTENT_ONLY = new Set(["initialization"]);

function subCollections(service: WireService): WireLocator[] {
  return [...service.locators.values()].filter((l) => l.path !== "{id}");
}

export class DocumentWriter {
  constructor(private readonly ctx: RenderContext) {}

  entity(out: XmlOut, element: string, placed: Placed, follow: FollowTree): void {
    const { entity, service } = placed;
    const href = `${this.ctx.root}/${placed.path}`;
    out.open(element, { href, id: entity.id });
    const actions = [...service.methods.values()].filter((m) => m.kind === "action");
    if (actions.length) {
      out.open("actions");
      for (const action of actions)
        out.leaf("link", undefined, { href: `${href}/${action.pathSuffix}`, rel: action.pathSuffix });
      out.close("actions");
    }
    this.members(out, wireStruct(entity.type), entity.record, follow, placed);
    out.close(element);
  }

  /** A whole document: one entity. */
  entityDocument(placed: Placed, follow: FollowTree): string {
    const out = new XmlOut();
    this.entity(out, wireStruct(placed.entity.type).xml, placed, follow);
    return out.toString();
  }

  /** A whole document: a list, `<vms><vm .../>...</vms>`. */
  listDocument(type: string, items: Placed[], follow: FollowTree): string {
    const struct = wireStruct(type);
    const plural = struct.plural ?? `${struct.xml}s`;
    const out = new XmlOut();
    if (items.length === 0) return out.leaf(plural).toString();
    out.open(plural);
    for (const item of items) this.entity(out, struct.xml, item, follow);
    return out.close(plural).toString();
  }

  /** A whole document of a struct that is not a stored entity (`<action>`, `<api>`'s parts). */
  structDocument(type: string, record: WireRecord): string {
    const out = new XmlOut();
    this.item(out, wireStruct(type).xml, type, record, undefined);
    return out.toString();
  }

  /** A struct's members; for an entity (`owner`), its sub-collection links after the Identified ones. */
  members(out: XmlOut, struct: WireStruct, record: WireRecord, follow: FollowTree, owner?: Placed): void {
    const locators = owner ? subCollections(owner.service) : [];
    const byLocator = new Set(locators.map((l) => l.name));
    let linksWritten = !owner;
    for (const member of elementMembers(struct)) {
      if (!linksWritten && member.declaredIn !== "Identified") {
        this.links(out, struct, locators, follow, owner!);
        linksWritten = true;
      }
      if (member.list && member.link && byLocator.has(member.xml)) continue;
      const value = record[member.xml];
      if (value === undefined || (ALL_CONTENT_ONLY.has(member.xml) && !this.ctx.allContent)) continue;
      this.value(out, member, value, follow.get(member.xml));
    }
    if (!linksWritten) this.links(out, struct, locators, follow, owner!);
  }

  private links(out: XmlOut, struct: WireStruct, locators: WireLocator[], follow: FollowTree, owner: Placed): void {
    for (const locator of locators) {
      const followed = follow.get(locator.name);
      if (!followed) {
        out.leaf("link", undefined, { href: `${this.ctx.root}/${owner.path}/${locator.path}`, rel: locator.path });
        continue;
      }
      const children = this.ctx.children(owner, locator);
      const member = struct.byXml.get(locator.name);
      const wrapper = member?.xml ?? locator.name;
      if (children.length === 0) {
        out.leaf(wrapper);
        continue;
      }
      out.open(wrapper);
      for (const child of children) {
        this.entity(out, member?.item ?? wireStruct(child.entity.type).xml, child, followed);
      }
      out.close(wrapper);
    }
  }

  private value(out: XmlOut, member: WireMember, value: WireValue, follow: FollowTree | undefined): void {
    if (!member.list) {
      this.item(out, member.xml, member.type, value, follow, member.kind !== "struct");
      return;
    }
    if (!Array.isArray(value) || value.length === 0) return;
    out.open(member.xml);
    for (const item of value)
      this.item(out, member.item ?? member.xml, member.type, item, follow, member.kind !== "struct");
    out.close(member.xml);
  }

  private item(
    out: XmlOut,
    element: string,
    type: string,
    value: WireValue,
    follow: FollowTree | undefined,
    text = false,
  ): void {
    if (text || !isRecord(value)) {
      out.leaf(element, typeof value === "string" ? value : "");
      return;
    }
    const struct = wireStruct(type);
    const id = typeof value.id === "string" ? value.id : undefined;
    if (id !== undefined && isIdentified(struct) && topLevelOf(type)) {
      const target = this.ctx.canonical(type, id);
      if (target && follow) this.entity(out, element, target, follow);
      else out.leaf(element, undefined, { href: target ? `${this.ctx.root}/${target.path}` : undefined, id });
      return;
    }
    const attributes: Record<string, string | undefined> = {};
    for (const member of struct.members) {
      const attribute = value[member.xml];
      if (member.attribute && typeof attribute === "string") attributes[member.xml] = attribute;
    }
    if (elementMembers(struct).every((m) => value[m.xml] === undefined)) {
      out.leaf(element, undefined, attributes);
      return;
    }
    out.open(element, attributes);
    this.members(out, struct, value, follow ?? new Map());
    out.close(element);
  }
}
