// Name and power state of every VM of a 5000-VM vcsim through the property collector: ours
// (si.collect) against pyVmomi (Debian's python3-pyvmomi, a co-process timing itself) and the npm
// `soap` package driven by VMware's WSDL, with a raw POST that decodes nothing as the floor.
import { Agent, request } from "undici";
import { hasVimWsdl, soapSession } from "../lib/vsphere-soap.mjs";
import {
  CoProcess,
  connectOptions,
  DEBIAN_PYTHON,
  debianVersion,
  loadSdk,
  PYVMOMI_PACKAGE,
  PYVMOMI_SCRIPT,
  pyvmomiSettings,
  startSimulator,
} from "../lib/vsphere.mjs";
import { packageVersion } from "../lib/versions.mjs";

// -vm counts per resource pool: 4 clusters and 1 standalone host have 5 pools.
const INVENTORY = { cluster: 4, host: 4, vm: 1000 };
const VMS = 5000;
const PATHS = ["name", "runtime.powerState"];
const OURS = "ours (si.collect)";
const PYVMOMI = "pyVmomi 6.7.1 (Debian)";
const SOAP = "soap 1.13.0 (vim25 WSDL)";
const RAW = "raw POST, nothing decoded (floor)";

const envelope = (body) =>
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

/** A bare session for the floor: Login, a container view, and the RetrievePropertiesEx body to send. */
async function rawSession(server) {
  const dispatcher = new Agent({ connect: { rejectUnauthorized: false }, keepAliveTimeout: 60_000 });
  const post = async (body, cookie) => {
    const headers = { "content-type": "text/xml; charset=utf-8", soapaction: "urn:vim25/6.5" };
    if (cookie) headers.cookie = cookie;
    const answer = await request(server.url, { method: "POST", headers, body: envelope(body), dispatcher });
    const text = await answer.body.text();
    if (answer.statusCode !== 200) throw new Error(`vcsim answered ${answer.statusCode}: ${text.slice(0, 300)}`);
    return { text, cookie: [answer.headers["set-cookie"] ?? []].flat()[0]?.split(";")[0] };
  };
  const { cookie } = await post(
    '<Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this>' +
      `<userName>${server.username}</userName><password>${server.password}</password></Login>`,
  );
  const { text } = await post(
    '<CreateContainerView xmlns="urn:vim25"><_this type="ViewManager">ViewManager</_this>' +
      '<container type="Folder">group-d1</container><type>VirtualMachine</type><recursive>true</recursive>' +
      "</CreateContainerView>",
    cookie,
  );
  const view = /<returnval type="ContainerView">([^<]+)</.exec(text)?.[1];
  const retrieve =
    '<RetrievePropertiesEx xmlns="urn:vim25"><_this type="PropertyCollector">propertyCollector</_this><specSet>' +
    `<propSet><type>VirtualMachine</type>${PATHS.map((p) => `<pathSet>${p}</pathSet>`).join("")}</propSet>` +
    `<objectSet><obj type="ContainerView">${view}</obj><skip>true</skip>` +
    '<selectSet xsi:type="TraversalSpec"><name>view</name><type>ContainerView</type><path>view</path>' +
    "<skip>false</skip></selectSet></objectSet></specSet><options></options></RetrievePropertiesEx>";
  return { retrieve: () => post(retrieve, cookie), close: () => dispatcher.close() };
}

function expectAll(rows, variant) {
  if (rows !== VMS) throw new Error(`${variant} read ${rows} VMs, not ${VMS}`);
}

const soapVariant = hasVimWsdl()
  ? {
      [SOAP]: async (state) => {
        const rows = await state.soap.collect(state.soapView, "VirtualMachine", PATHS);
        expectAll(rows.length, SOAP);
      },
    }
  : {};

export default {
  name: "vsphere-property-collector",
  title: `name and runtime.powerState of ${VMS} VMs through the property collector (vcsim)`,
  description:
    `One operation: name and runtime.powerState of all ${VMS} VMs of one vcsim (-cluster 4 -host 4 -vm 1000, ` +
    "govmomi 0.24.2's simulator from Debian, built by @nimbus-sdk/vsphere/testing, on 127.0.0.1 over HTTPS) " +
    "through a container view and the property collector: RetrievePropertiesEx, then " +
    "ContinueRetrievePropertiesEx while a token comes back (vcsim answers in one page of about 2 MB). " +
    "Signing in and creating the view are not timed. Ours: `si.collect(view, vim.VirtualMachine, paths)`. " +
    "pyVmomi: the same calls with `vmodl.query.PropertyCollector` specs, in a /usr/bin/python3 co-process that " +
    "times each read itself (wall and its own CPU). soap: `createClientAsync` on VMware's vim25 WSDL (loaded " +
    "once, before the rounds), with the SOAPAction, session cookie and `xsi:type` of the TraversalSpec set by " +
    "hand; run only where ../shared/specs/vsphere is present. The floor: the same request as a bare undici POST " +
    "whose answer is read as text and not decoded: vcsim's own time plus the transfer. The server shares the " +
    "2 cores with the client.",
  baseline: PYVMOMI,
  goals: [{ variant: OURS, maxRatio: 0.5, text: "at most 0.5x pyVmomi's time (issue)" }],
  work: { perOp: VMS, unit: "VMs" },
  warmupRounds: 2,
  rounds: 12,
  opsPerRound: 1,

  versions() {
    return {
      "@nimbus-sdk/vsphere": packageVersion(import.meta.url, "@nimbus-sdk/vsphere"),
      soap: packageVersion(import.meta.url, "soap"),
      undici: packageVersion(import.meta.url, "undici"),
      "python3-pyvmomi (Debian)": this.pyvmomiVersion ?? "unknown",
      "golang-github-vmware-govmomi-dev (Debian, vcsim)": this.govmomiVersion ?? "unknown",
    };
  },

  async setup() {
    const { server, startMs } = await startSimulator(INVENTORY);
    const state = { server, startMs };
    try {
      this.pyvmomiVersion = await debianVersion(PYVMOMI_PACKAGE);
      this.govmomiVersion = await debianVersion("golang-github-vmware-govmomi-dev");
      const { SmartConnect, vim } = await loadSdk();
      state.vim = vim;
      state.si = await SmartConnect(connectOptions(server));
      const content = await state.si.RetrieveContent();
      state.view = await content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], true);
      state.pyvmomi = new CoProcess(DEBIAN_PYTHON, [PYVMOMI_SCRIPT, pyvmomiSettings(server, "collect")]);
      await state.pyvmomi.next();
      if (hasVimWsdl()) {
        state.soap = await soapSession(server);
        state.soapView = await state.soap.containerView("VirtualMachine");
      }
      state.raw = await rawSession(server);
      return state;
    } catch (error) {
      await this.teardown(state);
      throw error;
    }
  },

  variants: {
    [OURS]: async (state) => {
      const rows = await state.si.collect(state.view, state.vim.VirtualMachine, PATHS);
      expectAll(rows.length, OURS);
    },
    [PYVMOMI]: async (state) => {
      const report = await state.pyvmomi.request("collect");
      expectAll(report.rows, PYVMOMI);
      return { elapsedUs: report.elapsedUs, cpuUs: report.cpuUs };
    },
    ...soapVariant,
    [RAW]: async (state) => {
      const { text } = await state.raw.retrieve();
      if (text.length < VMS * 100) throw new Error(`the raw answer is only ${text.length} characters`);
    },
  },

  async teardown(state) {
    if (!state) return undefined;
    try {
      await Promise.allSettled([
        state.pyvmomi?.close(),
        state.soap?.close(),
        state.raw?.close(),
        (async () => {
          if (!state.si) return;
          await state.view?.DestroyView();
          const { Disconnect } = await loadSdk();
          await Disconnect(state.si);
        })(),
      ]);
      return {
        vcsimStartSeconds: Math.round(state.startMs / 100) / 10,
        vms: VMS,
        soap: hasVimWsdl() ? "measured" : "skipped: ../shared/specs/vsphere/vimService.wsdl is absent",
      };
    } finally {
      await state.server.close();
    }
  },
};
