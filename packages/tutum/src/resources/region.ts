// tutum.Region (pk `name`): a provider's region. Read-only: list, fetch, refresh.
import { defineResource } from "../resource.js";

/** python-tutum's `Region`: a provider's region (read-only). */
export class Region extends defineResource("Region") {}
