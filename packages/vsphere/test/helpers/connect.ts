// SmartConnect to a launcher's vcsim with its credentials and certificate, as most tests do.
import { SmartConnect, type ServiceInstance, type SmartConnectOptions } from "../../src/index.js";
import type { VcsimServer } from "../../src/testing/index.js";

export function connectTo(server: VcsimServer, options: SmartConnectOptions = {}): Promise<ServiceInstance> {
  return SmartConnect({
    host: server.url,
    user: server.username,
    pwd: server.password,
    ca: server.certificate,
    env: {},
    ...options,
  });
}
