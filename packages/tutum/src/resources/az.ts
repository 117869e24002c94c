// tutum.AZ (pk `name`, python-tutum 0.16+): an availability zone of a region. Read-only: list, fetch, refresh.
import { defineResource } from "../resource.js";

export class AZ extends defineResource("AZ") {}
