// The read-only catalogue a fresh Tutum account saw (providers, regions, node types, availability
// zones, registries, public images, roles), plus one deployed node cluster so that services have a
// node to run on, and a short action history.
import { newUuid, rfc2822, type Store } from "./store.js";

interface ProviderSeed {
  name: string;
  label: string;
  regions: Array<{ name: string; label: string; zones?: string[] }>;
  nodeTypes: Array<{ name: string; label: string; cpu: number; memory: number; disk: number }>;
}

const PROVIDERS: ProviderSeed[] = [
  {
    name: "digitalocean",
    label: "Digital Ocean",
    regions: [
      { name: "lon1", label: "London 1" },
      { name: "nyc3", label: "New York 3" },
      { name: "ams3", label: "Amsterdam 3" },
      { name: "sfo1", label: "San Francisco 1" },
    ],
    nodeTypes: [
      { name: "512mb", label: "512MB", cpu: 1, memory: 512, disk: 20 },
      { name: "1gb", label: "1GB", cpu: 1, memory: 1024, disk: 30 },
      { name: "2gb", label: "2GB", cpu: 2, memory: 2048, disk: 40 },
    ],
  },
  {
    name: "aws",
    label: "Amazon Web Services",
    regions: [
      { name: "us-east-1", label: "US East (N. Virginia)", zones: ["us-east-1a", "us-east-1b"] },
      { name: "eu-west-1", label: "EU (Ireland)", zones: ["eu-west-1a", "eu-west-1b"] },
    ],
    nodeTypes: [
      { name: "t2.micro", label: "T2 Micro", cpu: 1, memory: 1024, disk: 60 },
      { name: "m3.medium", label: "M3 Medium", cpu: 1, memory: 3840, disk: 60 },
    ],
  },
  {
    name: "softlayer",
    label: "SoftLayer",
    regions: [{ name: "dal05", label: "Dallas 5" }],
    nodeTypes: [{ name: "1core-1gb", label: "1 Core 1GB", cpu: 1, memory: 1024, disk: 25 }],
  },
];

export const PUBLIC_IMAGES = [
  { name: "tutum/hello-world", description: "Hello world!", port: 80, command: "/run.sh" },
  { name: "tutum/mysql", description: "MySQL Server image", port: 3306, command: "/run.sh" },
  { name: "tutum/wordpress", description: "Wordpress with a bundled MySQL", port: 80, command: "/run.sh" },
  { name: "tutum/redis", description: "Redis image with password", port: 6379, command: "/run.sh" },
  { name: "tutum/haproxy", description: "HAProxy load balancer", port: 80, command: "python /haproxy/main.py" },
];

const REGISTRIES = [
  { host: "tutum.co", name: "Tutum private registry", is_tutum_registry: true, is_ssl: true },
  { host: "index.docker.io", name: "Docker Hub", is_tutum_registry: false, is_ssl: true },
  { host: "quay.io", name: "Quay.io", is_tutum_registry: false, is_ssl: true },
];

export const regionUri = (provider: string, name: string) => `/api/v1/region/${provider}/${name}/`;
export const nodeTypeUri = (provider: string, name: string) => `/api/v1/nodetype/${provider}/${name}/`;
export const azUri = (provider: string, region: string, name: string) => `/api/v1/az/${provider}/${region}/${name}/`;

export function seedCatalogue(store: Store): void {
  for (const p of PROVIDERS) {
    store.insert("Provider", {
      name: p.name,
      label: p.label,
      regions: p.regions.map((r) => regionUri(p.name, r.name)),
      available: true,
      resource_uri: `/api/v1/provider/${p.name}/`,
    });
    for (const r of p.regions) {
      store.insert("Region", {
        name: r.name,
        label: r.label,
        node_types: p.nodeTypes.map((t) => nodeTypeUri(p.name, t.name)),
        availability_zones: (r.zones ?? []).map((z) => azUri(p.name, r.name, z)),
        provider: `/api/v1/provider/${p.name}/`,
        available: true,
        resource_uri: regionUri(p.name, r.name),
      });
      for (const z of r.zones ?? []) {
        store.insert("AZ", {
          name: z,
          region: regionUri(p.name, r.name),
          available: true,
          resource_uri: azUri(p.name, r.name, z),
        });
      }
    }
    for (const t of p.nodeTypes) {
      store.insert("NodeType", {
        name: t.name,
        label: t.label,
        regions: p.regions.map((r) => regionUri(p.name, r.name)),
        availability_zones: p.regions.flatMap((r) => (r.zones ?? []).map((z) => azUri(p.name, r.name, z))),
        provider: `/api/v1/provider/${p.name}/`,
        available: true,
        resource_uri: nodeTypeUri(p.name, t.name),
      });
    }
  }
  for (const r of REGISTRIES) {
    store.insert("Registry", {
      ...r,
      resource_uri: `/api/v1/registry/${r.host}/`,
      icon_url: `https://${r.host}/favicon.ico`,
    });
  }
  for (const image of PUBLIC_IMAGES) {
    store.insert("Image", {
      name: image.name,
      resource_uri: `/api/v1/image/${image.name}/`,
      description: image.description,
      is_private_image: false,
      starred: true,
      base_image: false,
      docker_registry: "/api/v1/registry/index.docker.io/",
      imagetag_set: [`/api/v1/image/${image.name}/tag/latest/`],
      // The 2015 names of starred, docker_registry and imagetag_set (the API docs' image example).
      jumpstart: true,
      registry: "/api/v1/registry/index.docker.io/",
      tags: [`/api/v1/image/${image.name}/tag/latest/`],
      // Filter only (`Image.list(is_user_image=True)`, the CLI's default): images the account added.
      is_user_image: false,
      public_url: `https://hub.docker.com/r/${image.name}/`,
      state: "Success",
      build_source: {},
      in_use: false,
      categories: [{ name: "Tutum" }],
    });
  }
  store.insert("Role", { scope: "global", label: "Full access", resource_uri: "/api/v1/role/global/" });
}

/** Node specs for a node of `nodeType` (a seeded node type URI). */
export function nodeTypeSpecs(nodeType: string): { cpu: number; memory: number; disk: number } {
  for (const p of PROVIDERS) for (const t of p.nodeTypes) if (nodeTypeUri(p.name, t.name) === nodeType) return t;
  return { cpu: 1, memory: 1024, disk: 60 };
}

/** A short history like the one in 08_action_list_2014.json, one of them failed (so it can be retried). */
export function seedActions(store: Store, user: string, nodeCluster: string, node: string): void {
  const when = rfc2822(new Date(Date.now() - 3600_000));
  const items: Array<[string, string, string, string, string]> = [
    ["Node Cluster Create", "POST", "/api/v1/nodecluster/", nodeCluster, "Success"],
    ["Node Cluster Deploy", "POST", `${nodeCluster}deploy/`, nodeCluster, "Success"],
    ["Node Deploy", "POST", `${node}deploy/`, node, "Success"],
    ["Node Upgrade Docker", "POST", `${node}docker-upgrade/`, node, "Failed"],
  ];
  for (const [action, method, path, object, state] of items) {
    const uuid = newUuid();
    store.insert("Action", {
      uuid,
      resource_uri: `/api/v1/action/${uuid}/`,
      object,
      action,
      method,
      path,
      body: "",
      user_agent: "Mozilla/5.0 (seeded by the Tutum simulator)",
      ip: "127.0.0.1",
      location: "Localhost",
      start_date: when,
      end_date: when,
      state,
      logs: state === "Failed" ? "Docker upgrade failed: node unreachable\n" : "",
      is_user_action: true,
      can_be_canceled: false,
      can_be_retried: state === "Failed",
    });
  }
  void user;
}
