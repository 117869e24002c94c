// What the simulator derives once from the generated model: where each entity type lives at the top
// level (`Vm` -> /vms), the order the engine writes members in, and which services answer a path.
import { isA, type WireMember, type WireStruct } from "../wire/metadata.js";
import { ROOT_SERVICE, wireService, type WireService } from "../wire/services.js";

/** The id of the Blank template and of the root tag, the same on every engine. */
export const BLANK_ID = "00000000-0000-0000-0000-000000000000";

export interface TopLevel {
  /** Path segment under the API root: `vms`. */
  readonly segment: string;
  /** The collection service (`VmsService`) and the service of one member (`VmService`). */
  readonly collection: WireService;
  readonly item: WireService;
}

let topLevels: Map<string, TopLevel> | undefined;

/** The root collection holding entities of `type` (`Vm` -> vms), if the API has one. */
export function topLevelOf(type: string): TopLevel | undefined {
  if (!topLevels) {
    topLevels = new Map();
    for (const locator of wireService(ROOT_SERVICE).locators.values()) {
      const collection = wireService(locator.service);
      if (!collection.type || !collection.idLocator || topLevels.has(collection.type)) continue;
      topLevels.set(collection.type, {
        segment: locator.path,
        collection,
        item: wireService(collection.idLocator.service),
      });
    }
  }
  return topLevels.get(type);
}

/** The root service: its locators are the top-level collections. */
export const rootService = (): WireService => wireService(ROOT_SERVICE);

/**
 * Members in the order the engine's marshaller writes them: from the root base down, each level's
 * attributes sorted by name, then its links sorted by name; `Identified` keeps name, description,
 * comment first. Members written as XML attributes are left out (they go on the start tag).
 */
const orderCache = new Map<string, WireMember[]>();
export function elementMembers(struct: WireStruct): WireMember[] {
  const cached = orderCache.get(struct.name);
  if (cached) return cached;
  const levels = [...struct.ancestors].reverse().concat(struct.name);
  const byName = (a: WireMember, b: WireMember) => a.xml.localeCompare(b.xml);
  const ordered = levels.flatMap((level) => {
    const own = struct.members.filter((m) => m.declaredIn === level && !m.attribute);
    if (level === "Identified") return own;
    return [...own.filter((m) => !m.link).sort(byName), ...own.filter((m) => m.link).sort(byName)];
  });
  orderCache.set(struct.name, ordered);
  return ordered;
}

/** Whether a struct is an entity with an id (what references, hrefs and `<link>`s apply to). */
export function isIdentified(struct: WireStruct): boolean {
  return isA(struct.name, "Identified");
}

/** `VmNicsService` -> `vm_nics`: how the engine's usage links name a service. */
export function usageName(service: WireService): string {
  return service.name
    .replace(/Service$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();
}
