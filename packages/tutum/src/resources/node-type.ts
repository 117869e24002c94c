// tutum.NodeType (pk `name`): a provider's machine size. Read-only: list, fetch, refresh.
import { defineResource } from "../resource.js";

/** python-tutum's `NodeType`: a provider's machine size (read-only). */
export class NodeType extends defineResource("NodeType") {}
