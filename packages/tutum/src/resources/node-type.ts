// tutum.NodeType (pk `name`): a provider's machine size. Read-only: list, fetch, refresh.
import { defineResource } from "../resource.js";

export class NodeType extends defineResource("NodeType") {}
