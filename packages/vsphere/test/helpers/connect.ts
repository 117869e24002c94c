// SmartConnect to a launcher's vcsim with its credentials and certificate, as most tests do; useVcsim() for
// a file whose tests share one simulator and one session.
import { afterAll, beforeAll } from "@jest/globals";
import {
  Disconnect,
  SmartConnect,
  type vim,
  type ManagedClass,
  type ServiceInstance,
  type SmartConnectOptions,
} from "../../src/index.js";
import { startVcsim, type VcsimOptions, type VcsimServer } from "../../src/testing/index.js";

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

// The simulator and session of the file that called useVcsim() (once per file): live bindings, set by its
// beforeAll, named as the pyVmomi scripts the tests port name them. Each test file has a module registry of its
// own in jest, so files never share them.
export let server: VcsimServer;
export let si: ServiceInstance;
export let content: vim.ServiceContent;

/**
 * Starts vcsim before the file's (or describe block's) tests, connects (connectTo with `connect`, or the
 * function given, e.g. through a proxy) and reads the ServiceContent; disconnects and stops vcsim after them.
 */
export function useVcsim(
  options: VcsimOptions = {},
  connect: SmartConnectOptions | ((server: VcsimServer) => Promise<ServiceInstance>) = {},
): void {
  // A cold build of vcsim takes 15-30 s on a busy machine.
  beforeAll(async () => {
    server = await startVcsim(options);
    si = typeof connect === "function" ? await connect(server) : await connectTo(server, connect);
    content = await si.RetrieveContent();
  }, 240_000);
  afterAll(async () => {
    try {
      if (si) await Disconnect(si);
    } finally {
      await server?.close();
    }
  }, 60_000);
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

/**
 * The samples' get_all_obj(content, vimtype) (tools/pchelper.py): every object of a type, through a container
 * view, read, then view.Destroy().
 */
export async function getAllObj<T extends vim.ManagedEntity>(
  content: vim.ServiceContent,
  type: ManagedClass<T>,
): Promise<T[]> {
  const view = await content.viewManager.CreateContainerView(content.rootFolder, [type], true);
  const objects = (await view.view) as T[];
  await view.Destroy();
  return objects;
}
