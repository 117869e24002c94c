// One vmpool.info decode in a process of its own, for bench/scenarios/opennebula-vmpool-decode.mjs,
// so that its peak RSS is the client's alone. Reads its settings as JSON on stdin; prints one JSON
// line: the call's wall time and this process's CPU time (both for the measured call only), the RSS
// just before it, the process's peak RSS (VmHWM, its whole life), and what came back.
//   mode "xmlrpc": the npm `xmlrpc` client's methodCall, then @xmldom/xmldom's DOMParser on the
//                  embedded document, reading ID, NAME, STATE and LCM_STATE of every VM.
//   mode "ours":   `new OneServer(endpoint).vmpool.info(-2, -1, -1, -1)`: typed VM objects.
// Both first decode a page of 100 VMs (not measured), so the code the big call runs is compiled.
import { peakRssKiB } from "./child.mjs";

const settings = JSON.parse(await readStdin());
const args = [settings.session, -2, -1, -1, -1];
const warmArgs = [settings.session, -2, 0, -100, -1];
let call;

if (settings.mode === "xmlrpc") {
  const { default: xmlrpc } = await import("xmlrpc");
  const { DOMParser } = await import("@xmldom/xmldom");
  const url = new URL(settings.endpoint);
  const client = xmlrpc.createClient({ host: url.hostname, port: Number(url.port), path: url.pathname });
  const text = (element, name) => element.getElementsByTagName(name)[0]?.textContent ?? "";
  call = (params) =>
    new Promise((resolve, reject) => {
      client.methodCall("one.vmpool.info", params, (error, answer) => {
        if (error) return reject(error);
        if (answer[0] !== true) return reject(new Error(String(answer[1])));
        const document = new DOMParser().parseFromString(answer[1], "text/xml");
        const vms = [];
        for (let node = document.documentElement.firstChild; node; node = node.nextSibling) {
          if (node.nodeName !== "VM") continue;
          vms.push({
            ID: Number(text(node, "ID")),
            NAME: text(node, "NAME"),
            STATE: Number(text(node, "STATE")),
            LCM_STATE: Number(text(node, "LCM_STATE")),
          });
        }
        resolve(vms);
      });
    });
} else if (settings.mode === "ours") {
  const { OneServer } = await import("@nimbus-sdk/opennebula");
  const one = new OneServer(settings.endpoint, { session: settings.session });
  call = async ([, filter, start, end, state]) => (await one.vmpool.info(filter, start, end, state)).VM;
} else {
  throw new Error(`unknown mode ${settings.mode}`);
}

const warm = await call(warmArgs);
if (warm.length !== 100) throw new Error(`the warm-up page has ${warm.length} VMs, not 100`);
globalThis.gc?.();
const rssBeforeKiB = process.memoryUsage().rss / 1024;
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const vms = await call(args);
const elapsedUs = Number(process.hrtime.bigint() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const last = vms[vms.length - 1];
process.stdout.write(
  `${JSON.stringify({
    elapsedUs,
    cpuUs: cpu.user + cpu.system,
    rssBeforeKiB,
    maxRssKiB: peakRssKiB(),
    count: vms.length,
    last: { ID: last?.ID, NAME: last?.NAME, STATE: last?.STATE, LCM_STATE: last?.LCM_STATE },
  })}\n`,
);
// Open keep-alive sockets would hold the process; the report is out.
process.exit(0);

async function readStdin() {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text;
}
