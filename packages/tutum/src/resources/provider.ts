// tutum.Provider (pk `name`): a cloud provider nodes can be deployed to. Read-only: list, fetch, refresh.
import { defineResource } from "../resource.js";

/** python-tutum's `Provider`: a cloud provider Tutum deploys nodes to (read-only). */
export class Provider extends defineResource("Provider") {}
