// tutum.Region (pk `name`): a provider's region. Read-only: list, fetch, refresh.
import { defineResource } from "../resource.js";

export class Region extends defineResource("Region") {}
