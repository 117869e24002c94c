// Attaching a volume goes through Nova (os-volume_attachments), as pyrax's attach_to_instance does.
// Block Storage only needs these two calls, so it reaches Nova through this narrow door: the compute
// endpoint (resolved lazily from the same identity) and a transport with the same token.
import type { Transport } from "@nimbus-sdk/common";

/** What Nova answers for an attachment. */
export interface ServerVolumeAttachment {
  id: string;
  serverId: string;
  volumeId: string;
  device: string | null;
  [field: string]: unknown;
}

/** A server's attached volumes, through Nova's os-volume_attachments: list, attach and detach. */
export class ServerVolumes {
  readonly #transport: () => Transport;

  /** `transport` makes (once) a transport whose base URL is the compute endpoint. */
  constructor(transport: () => Transport) {
    this.#transport = transport;
  }

  /** novaclient's `volumes.create_server_volume(server_id, volume_id, device)`. */
  async createServerVolume(
    serverId: string,
    volumeId: string,
    device: string | null,
    options: { signal?: AbortSignal } = {},
  ): Promise<ServerVolumeAttachment> {
    const body = await this.#transport().json<{ volumeAttachment: ServerVolumeAttachment }>({
      method: "POST",
      url: `servers/${encodeURIComponent(serverId)}/os-volume_attachments`,
      json: { volumeAttachment: { volumeId, ...(device ? { device } : {}) } },
      signal: options.signal,
    });
    return body.volumeAttachment;
  }

  /** novaclient's `volumes.delete_server_volume(server_id, volume_id)`: Nova names an attachment by its volume. */
  async deleteServerVolume(serverId: string, volumeId: string, options: { signal?: AbortSignal } = {}) {
    const response = await this.#transport().request({
      method: "DELETE",
      url: `servers/${encodeURIComponent(serverId)}/os-volume_attachments/${encodeURIComponent(volumeId)}`,
      signal: options.signal,
    });
    await response.dump();
  }
}
