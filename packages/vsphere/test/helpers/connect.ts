// SmartConnect to a launcher's vcsim with its credentials and certificate, as most tests do.
import {
  SmartConnect,
  type vim,
  type ManagedClass,
  type ServiceInstance,
  type SmartConnectOptions,
} from "../../src/index.js";
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

/**
 * The samples' get_obj(content, vimtype, name) (tools/pchelper.py): the first object of a type, with that
 * name when one is given, through a container view that is destroyed afterwards.
 */
export async function getObj<T extends vim.ManagedEntity>(
  content: vim.ServiceContent,
  type: ManagedClass<T>,
  name?: string,
): Promise<T> {
  const view = await content.viewManager.CreateContainerView(content.rootFolder, [type], true);
  try {
    for (const obj of (await view.view) as T[]) if (name === undefined || (await obj.name) === name) return obj;
    throw new Error(`no ${type._wsdlName}${name === undefined ? "" : ` named ${name}`}`);
  } finally {
    await view.DestroyView();
  }
}
