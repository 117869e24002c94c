// tutum.Provider (pk `name`): a cloud provider nodes can be deployed to. Read-only: list, fetch, refresh.
import { defineResource } from "../resource.js";

export class Provider extends defineResource("Provider") {}
