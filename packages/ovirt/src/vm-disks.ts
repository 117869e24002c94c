// `vm.disks`, the v3 SDK's sub-collection, over API v4's disk attachments (v4 engines no longer serve
// /vms/{id}/disks): `list()` reads the attachments with their disks inlined, `add(disk)` attaches a new
// disk, moving the members v3 kept on the disk (`interface`, `bootable`, `active`) to the attachment.
// The model has no such service, so this sits on the generated VmResource: a getter installed on its
// prototype when this module loads (src/index.ts loads it), typed by declaration merging.
import { PagedList, ValidationError } from "@nimbus-sdk/common";
import {
  ListRequest,
  checkExpect,
  checkPaging,
  type AddOptions,
  type ListOptions,
  type Selector,
} from "./collections.js";
import { compileConstraints } from "./constraints.js";
import { NotFound } from "./errors.js";
import { DiskAttachmentsCollection, DiskResource, VmResource } from "./generated/resources.js";
import type { Disk, DiskAttachment } from "./generated/types.js";
import { childContext, nodeContext, nodeUrl, type CallOptions } from "./node.js";
import type { Init } from "./params-base.js";
import { fetchEntity, type QueryOptions } from "./resource.js";
import { copyOf } from "./snapshot.js";
import { checkObject } from "./wire/encode.js";
import { v3ToV4 } from "./v3/to-v4.js";
import { waitUntilUnlocked } from "./wait.js";
import type { V3Object } from "./v3/params-object.js";
import { ROOT_SERVICE, wireService } from "./wire/services.js";
import type { DiskAttachmentView, DiskView } from "./generated/views.js";

/** The members v3 set on a disk that API v4 sets on the disk's attachment to a VM. */
const ATTACHMENT_MEMBERS = ["interface", "bootable", "active"] as const;

declare module "./generated/resources.js" {
  interface VmResource {
    /** The VM's disks, as v3's `vm.disks`: over its disk attachments. */
    readonly disks: VmDisks;
  }
}

/** A VM's disks as the v3 SDK shows them (`vm.disks`): list, get, add and detach, over API v4's disk attachments. */
export class VmDisks {
  readonly #vm: VmResource;

  constructor(vm: VmResource) {
    this.#vm = vm;
  }

  /** The VM's disks (its attachments' disks), those meeting the constraints given under any other key. */
  list(options: ListOptions = {}): ListRequest<DiskResource> {
    const { signal, timeout, query, search, max, pageSize: _pageSize, ...constraints } = options;
    checkPaging(options, "vm.disks.list");
    if (query !== undefined || search !== undefined) {
      throw new ValidationError("vm.disks cannot be searched: the engine takes no query on a VM's disks", {
        field: "query",
      });
    }
    const matches = compileConstraints("Disk", constraints, "vm.disks.list");
    const fetchAll = async () => {
      const disks = await this.#disks({ signal, timeout });
      const found = disks.filter((disk) => matches(disk as unknown as Record<string, unknown>));
      return max === undefined ? found : found.slice(0, max);
    };
    return new ListRequest(fetchAll, new PagedList(async () => ({ items: await fetchAll() }), { signal }));
  }

  /** The VM's disk with this id or name; `undefined` when it has none (v3's None). */
  async get(given: Selector, options: CallOptions = {}): Promise<DiskResource | undefined> {
    const selector = typeof given === "string" ? { name: given } : given;
    const disks = await this.#disks(options);
    return disks.find((disk) =>
      selector.id !== undefined
        ? disk.id === selector.id
        : selector.alias !== undefined
          ? disk.alias === selector.alias
          : disk.name === selector.name,
    );
  }

  /** As `get`, but a disk the VM does not have is a NotFound. */
  async getOrThrow(given: Selector, options: CallOptions = {}): Promise<DiskResource> {
    const selector = typeof given === "string" ? { name: given } : given;
    const found = await this.get(selector, options);
    if (!found) {
      const what =
        selector.id !== undefined
          ? `id ${selector.id}`
          : selector.alias !== undefined
            ? `alias ${JSON.stringify(selector.alias)}`
            : `name ${JSON.stringify(selector.name)}`;
      const context = nodeContext(this.#vm);
      throw new NotFound(`${context.path}: the VM has no disk with ${what}`, { url: nodeUrl(context), status: 404 });
    }
    return found;
  }

  /**
   * Creates a disk and attaches it to the VM, or attaches a disk that exists (one of `api.disks`, as v3 took
   * it); resolves to the disk (often `locked` at first: see waitFor; with v3's `expect: "201-created"`, once
   * it is no longer locked).
   */
  async add(
    disk: Init<Disk> | Disk | V3Object | DiskResource,
    given: CallOptions & AddOptions = {},
  ): Promise<DiskResource> {
    const { expect, ...options } = given;
    checkExpect(expect);
    const v4Disk = v3ToV4(disk, "Disk", "vm.disks.add");
    checkObject(v4Disk, "Disk", "vm.disks.add");
    const { interface: diskInterface, bootable, active, ...rest } = v4Disk as Disk;
    const attachment: Init<DiskAttachment> = {
      interface: diskInterface,
      bootable: bootable ?? false,
      active: active ?? true,
      disk: rest as Init<Disk>,
    };
    const attached = await this.#attachments().add(attachment, options);
    const id = attached.disk?.id;
    if (id === undefined) throw new ValidationError("the engine attached a disk without naming it");
    const created = await this.#disk(id, attached.disk!, { ...options }, pick(attached));
    return expect ? waitUntilUnlocked(created, { signal: options.signal }) : created;
  }

  #attachments(): DiskAttachmentsCollection {
    return new DiskAttachmentsCollection(childContext(nodeContext(this.#vm), "disk_attachments"));
  }

  async #disks(options: CallOptions): Promise<DiskResource[]> {
    const attachments = await this.#attachments().list({ follow: "disk", ...options });
    return Promise.all(
      attachments
        .filter((a) => a.disk?.id !== undefined)
        .map((a) => this.#disk(a.disk!.id!, a.disk!, { ...options }, pick(a))),
    );
  }

  /** The disk at /disks/{id} (fetched when the engine sent a reference only), with `extra` members. */
  async #disk(id: string, data: DiskView, options: QueryOptions, extra: object = {}): Promise<DiskResource> {
    const { connection } = nodeContext(this.#vm);
    const root = { connection, service: wireService(ROOT_SERVICE), path: "" };
    const context = childContext(childContext(root, "disks"), "disk", id);
    const isReference = Object.keys(data).every((key) => key === "id" || key === "href");
    const full = isReference ? await fetchEntity(context, options) : data;
    // A copy: the attachment's members stay its own.
    return new DiskResource(context, copyOf({ ...full, ...extra }) as object);
  }
}

/** The attachment's members v3 kept on the disk. */
function pick(attachment: DiskAttachmentView): object {
  const out: Partial<Disk> = {};
  for (const key of ATTACHMENT_MEMBERS) {
    if (attachment[key] !== undefined) (out as Record<string, unknown>)[key] = attachment[key];
  }
  return out;
}

Object.defineProperty(VmResource.prototype, "disks", {
  get(this: VmResource): VmDisks {
    return new VmDisks(this);
  },
  configurable: true,
});
