// tutum.VolumeGroup (python-tutum 0.11.2+). Read-only: list, fetch, refresh.
import { defineResource } from "../resource.js";

/** python-tutum's `VolumeGroup`: the volumes of one service across its containers (read-only). */
export class VolumeGroup extends defineResource("VolumeGroup") {}
