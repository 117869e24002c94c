// tutum.NodeCluster: created in "Init", deployed by `deploy()`. `node_type` and `region` accept the
// NodeType and Region objects themselves, as python-tutum's NodeCluster.create does.
import { defineResource, type CallSignal } from "../resource.js";

/** python-tutum's `NodeCluster`: a group of nodes of one type, in one region, that Tutum deploys and scales. */
export class NodeCluster extends defineResource("NodeCluster") {
  /** POST deploy/: "Init" → "Deploying" → "Deployed". */
  deploy(options: CallSignal = {}): Promise<boolean> {
    return this.performAction("deploy", options);
  }

  /** POST docker-upgrade/ (python-tutum's `upgrade_docker()`). */
  upgradeDocker(options: CallSignal = {}): Promise<boolean> {
    return this.performAction("docker-upgrade", options);
  }
}
