// pyrax's CloudBlockStorageVolumeType over a Cinder v3 volume type.
import type { CloudBlockStorage } from "./client.js";
import type { VolumeCallOptions } from "./requests.js";

/** A Cinder volume type as the API sends it. */
export interface VolumeTypeRecord {
  id: string;
  name: string;
  description: string | null;
  is_public: boolean;
  "os-volume-type-access:is_public"?: boolean;
  /** Admin-only: the backend properties the type selects. */
  extra_specs?: Record<string, string>;
  qos_specs_id?: string | null;
  [field: string]: unknown;
}

/** Fields of a new volume type (an administrator's call). */
export interface VolumeTypeCreateAttributes {
  name: string;
  description?: string;
  extra_specs?: Record<string, string>;
  /** Visible to every project (default true). */
  is_public?: boolean;
}

/** A Cinder volume type (read-only). */
export class VolumeType {
  readonly manager: CloudBlockStorage;
  readonly record: VolumeTypeRecord;

  constructor(manager: CloudBlockStorage, record: VolumeTypeRecord) {
    this.manager = manager;
    this.record = record;
  }

  get id(): string {
    return this.record.id;
  }
  get name(): string {
    return this.record.name;
  }
  get description(): string {
    return this.record.description ?? "";
  }
  get is_public(): boolean {
    return this.record.is_public ?? this.record["os-volume-type-access:is_public"] ?? true;
  }
  get extra_specs(): Readonly<Record<string, string>> {
    return this.record.extra_specs ?? {};
  }

  async delete(options: VolumeCallOptions = {}): Promise<void> {
    await this.manager.deleteType(this, options);
  }

  toJSON(): VolumeTypeRecord {
    return this.record;
  }
}
