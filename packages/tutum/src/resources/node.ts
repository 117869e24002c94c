// tutum.Node: made by deploying a NodeCluster, never created directly; `nickname` and `tags` can change.
import { defineResource, type CallSignal } from "../resource.js";

/** python-tutum's `Node`: a host that runs containers, with deploy, upgrade-docker and delete. */
export class Node extends defineResource("Node") {
  /** POST deploy/. */
  deploy(options: CallSignal = {}): Promise<boolean> {
    return this.performAction("deploy", options);
  }

  /** POST docker-upgrade/ (python-tutum's `upgrade_docker()`) → "Upgrading". */
  upgradeDocker(options: CallSignal = {}): Promise<boolean> {
    return this.performAction("docker-upgrade", options);
  }

  /** POST health-check/ (python-tutum's `health_check()`; 0.20+). */
  healthCheck(options: CallSignal = {}): Promise<boolean> {
    return this.performAction("health-check", options);
  }
}
