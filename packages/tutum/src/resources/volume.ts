// tutum.Volume (python-tutum 0.11.2+). Read-only: list, fetch, refresh.
import { defineResource } from "../resource.js";

/** python-tutum's `Volume`: a volume on a node (read-only). */
export class Volume extends defineResource("Volume") {}
