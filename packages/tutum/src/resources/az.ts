// tutum.AZ (pk `name`, python-tutum 0.16+): an availability zone of a region. Read-only: list, fetch, refresh.
import { defineResource } from "../resource.js";

/** python-tutum's `AZ`: an availability zone of a provider's region (read-only). */
export class AZ extends defineResource("AZ") {}
