// tutum.Registry (pk `host`, python-tutum 0.6-0.7.5): a Docker registry Tutum knows. Read-only.
import { defineResource } from "../resource.js";

/** python-tutum's `Registry`: a Docker registry Tutum knows. */
export class Registry extends defineResource("Registry") {}
