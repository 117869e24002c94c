// tutum.Volume (python-tutum 0.11.2+). Read-only: list, fetch, refresh.
import { defineResource } from "../resource.js";

export class Volume extends defineResource("Volume") {}
