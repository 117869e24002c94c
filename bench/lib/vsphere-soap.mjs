// The npm `soap` package (1.13.0) driven by VMware's vim25 WSDL, the peer the issue names, for
// bench/scenarios/vsphere-*.mjs. It knows the operations and the XML shapes from the WSDL but
// nothing of vSphere: the version's SOAPAction, the session cookie, the `type` attribute of every
// moref and the `xsi:type` of a polymorphic TraversalSpec are wired by hand below, as a user of it
// has to. The WSDL is read at bench time from ../shared/specs/vsphere (never part of the project).
import { existsSync } from "node:fs";
import { Agent } from "node:https";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import soap from "soap";

/** VMware's WSDL, when the research folder beside the checkout is there. */
export const VIM_WSDL = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "shared",
  "specs",
  "vsphere",
  "vimService.wsdl",
);
export const hasVimWsdl = () => existsSync(VIM_WSDL);

/** A moref as `soap` writes and reads it: the type as an attribute, the id as the text. */
const moref = (type, value) => ({ attributes: { type }, $value: value });

/**
 * Loads the WSDL (the expensive part: about 0.4-0.8 s and 100 MB), signs in, and returns the calls
 * the benchmarks use.
 */
export async function soapSession({ url, username, password, insecure = true }) {
  const client = await soap.createClientAsync(VIM_WSDL, { endpoint: url });
  // vSphere picks the API version by SOAPAction; soap would send "urn:vim25/<Operation>".
  client.setSOAPAction("urn:vim25/6.5");
  const options = url.startsWith("https:")
    ? { httpsAgent: new Agent({ rejectUnauthorized: !insecure, keepAlive: true }) }
    : {};
  const call = async (operation, args) => (await client[`${operation}Async`](args, options))[0];

  const { returnval: content } = await call("RetrieveServiceContent", {
    _this: moref("ServiceInstance", "ServiceInstance"),
  });
  await call("Login", { _this: content.sessionManager, userName: username, password });
  // The session lives in a cookie that soap does not keep: copy it onto every later request.
  const cookie = [client.lastResponseHeaders?.["set-cookie"] ?? []].flat()[0]?.split(";")[0];
  if (!cookie) throw new Error("Login set no session cookie");
  client.addHttpHeader("Cookie", cookie);

  return {
    content,
    call,
    async containerView(type) {
      const { returnval } = await call("CreateContainerView", {
        _this: content.viewManager,
        container: content.rootFolder,
        type: [type],
        recursive: true,
      });
      return returnval;
    },
    /** `pathSet` of every object of `type` in a container view, page by page; rows of {ref, ...values}. */
    async collect(view, type, pathSet) {
      const specSet = {
        propSet: [{ type, pathSet }],
        objectSet: [
          {
            obj: view,
            skip: true,
            // The WSDL says SelectionSpec; only the xsi:type makes vSphere read it as a TraversalSpec.
            selectSet: [
              {
                attributes: { "xsi:type": "vim25:TraversalSpec" },
                name: "view",
                type: "ContainerView",
                path: "view",
                skip: false,
              },
            ],
          },
        ],
      };
      const rows = [];
      let page = (await call("RetrievePropertiesEx", { _this: content.propertyCollector, specSet, options: {} }))
        ?.returnval;
      while (page) {
        for (const object of [page.objects ?? []].flat()) {
          const row = { ref: object.obj.$value };
          for (const prop of [object.propSet ?? []].flat()) row[prop.name] = prop.val?.$value ?? prop.val;
          rows.push(row);
        }
        page = page.token
          ? (await call("ContinueRetrievePropertiesEx", { _this: content.propertyCollector, token: page.token }))
              ?.returnval
          : undefined;
      }
      return rows;
    },
    async close() {
      await call("Logout", { _this: content.sessionManager });
      options.httpsAgent?.destroy();
    },
  };
}
