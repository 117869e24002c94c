// The service catalog, normalised across Keystone v3, v2.0 and Rackspace into pyrax's shape:
// services keyed by a short name (objectStore, compute …), each with endpoints by region.
import { NoEndpointForRegion, NoEndpointForService } from "../errors.js";

/** Which of a service's endpoints to use: public, internal or admin. */
export type EndpointInterface = "public" | "internal" | "admin";

/** One service's URLs in one region. */
export interface Endpoint {
  region: string;
  public?: string;
  internal?: string;
  admin?: string;
}

/** A service of the catalog: its key, type, name and endpoints by region and interface. */
export interface Service {
  /** The key on `identity.services` and on a context's regions (objectStore, image …). */
  key: string;
  /** The catalog's type (object-store, image, rax:dns …). */
  type: string;
  /** The catalog's name (swift, cloudFiles …). */
  name: string;
  endpoints: Record<string, Endpoint>;
  regions: string[];
}

// Catalog types to pyrax's service names, camelCased; a type not listed keeps its own name camelCased.
const KEYS: Record<string, string> = {
  "object-store": "objectStore",
  "rax:object-cdn": "objectCdn",
  compute: "compute",
  image: "image",
  volume: "volume",
  volumev2: "volume",
  volumev3: "volume",
  "block-storage": "volume",
  "rax:database": "database",
  database: "database",
  "rax:load-balancer": "loadBalancer",
  "load-balancer": "loadBalancer",
  "rax:dns": "dns",
  dns: "dns",
  network: "network",
  "rax:monitor": "monitor",
  "rax:autoscale": "autoscale",
  "rax:queues": "queues",
  messaging: "queues",
  identity: "identity",
};

/** Endpoints without a region (Rackspace's global DNS, say) are filed under "ALL", as pyrax does. */
export const GLOBAL_REGION = "ALL";

export function serviceKey(type: string): string {
  return KEYS[type] ?? type.replace(/^rax:/, "").replace(/[-_:]([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** A service's endpoints as the catalog lists them, one entry per region and interface. */
export interface CatalogEntry {
  type: string;
  name: string;
  endpoints: { region?: string; interface: EndpointInterface; url: string }[];
}

export function buildServices(entries: readonly CatalogEntry[]): Record<string, Service> {
  const services: Record<string, Service> = {};
  for (const entry of entries) {
    const key = serviceKey(entry.type);
    // A cloud may list volume, volumev2 and volumev3: the first one listed wins, as in pyrax.
    const service = (services[key] ??= { key, type: entry.type, name: entry.name, endpoints: {}, regions: [] });
    if (service.type !== entry.type) continue;
    for (const { region = GLOBAL_REGION, interface: face, url } of entry.endpoints) {
      const endpoint = (service.endpoints[region] ??= { region });
      endpoint[face] ??= url;
      if (!service.regions.includes(region)) service.regions.push(region);
    }
  }
  return services;
}

/** Every region any service has an endpoint in, the global pseudo-region excluded. */
export function regionsOf(services: Record<string, Service>): string[] {
  const regions = new Set<string>();
  for (const service of Object.values(services))
    for (const r of service.regions) if (r !== GLOBAL_REGION) regions.add(r);
  return [...regions].sort();
}

/** The URL of a service in a region; a global endpoint serves every region. */
export function endpointUrl(
  services: Record<string, Service>,
  key: string,
  region: string,
  face: EndpointInterface = "public",
): string {
  const service = services[key];
  if (!service) {
    throw new NoEndpointForService(
      `the catalog has no ${key} service (it has: ${Object.keys(services).sort().join(", ") || "none"})`,
    );
  }
  const endpoint = service.endpoints[region] ?? service.endpoints[GLOBAL_REGION];
  const url = endpoint?.[face] ?? (face === "internal" ? undefined : endpoint?.public);
  if (!endpoint || !url) {
    throw new NoEndpointForRegion(
      `the ${key} service has no ${face} endpoint in region ${region} (regions: ${service.regions.join(", ")})`,
    );
  }
  return url;
}
