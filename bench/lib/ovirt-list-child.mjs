// One list of 10,000 VMs in a process of its own, for bench/scenarios/ovirt-list.mjs, so
// that its time and peak RSS are the client's alone. Reads its settings as JSON on stdin; prints one
// JSON line: the call's wall time and this process's CPU time (both for the measured call only), the
// RSS just before it, the process's peak RSS (VmHWM, its whole life), and what came back.
//   mode "ours":  `API.connect(...)`, then `api.vms.list()`: the answer decoded as it streams in, into
//                 typed Vm resources (status objects, getters, methods).
//   mode "whole": an undici GET of the same URL with the same headers and a token from the SSO, the body
//                 read whole as text, then `decodeList(xml, "Vm")`: plain typed objects from a held answer
//                 (how the list was read before it was streamed).
// Both first list 100 VMs (not measured), so the code the big call runs is compiled, then run a full GC.
import { readFileSync } from "node:fs";
import { peakRssKiB } from "./child.mjs";

const settings = JSON.parse(await readStdin());
let list;

if (settings.mode === "ours") {
  const { API } = await import("@nimbus-sdk/ovirt");
  const api = await API.connect({
    url: settings.url,
    username: settings.username,
    password: settings.password,
    ...(settings.caFile ? { caFile: settings.caFile } : {}),
  });
  list = async (max) => (await api.vms.list(max === undefined ? {} : { max })).map((vm) => vm.name);
} else if (settings.mode === "whole") {
  const { Agent, request } = await import("undici");
  const { decodeList } = await import("@nimbus-sdk/ovirt");
  const dispatcher = new Agent(settings.caFile ? { connect: { ca: readFileSync(settings.caFile, "utf8") } } : {});
  const sso = await request(settings.ssoUrl, {
    method: "POST",
    dispatcher,
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({
      grant_type: "password",
      scope: "ovirt-app-api",
      username: settings.username,
      password: settings.password,
    }).toString(),
  });
  const { access_token: token } = await sso.body.json();
  list = async (max) => {
    const url = `${settings.url}/vms${max === undefined ? "" : `?max=${max}`}`;
    const { statusCode, body } = await request(url, {
      dispatcher,
      headers: { authorization: `Bearer ${token}`, version: "4", accept: "application/xml" },
    });
    const xml = await body.text();
    if (statusCode !== 200) throw new Error(`GET ${url}: status ${statusCode}`);
    return decodeList(xml, "Vm").map((vm) => vm.name);
  };
} else {
  throw new Error(`unknown mode ${settings.mode}`);
}

const warm = await list(100);
if (warm.length !== 100) throw new Error(`the warm-up list has ${warm.length} VMs, not 100`);
globalThis.gc?.();
const rssBeforeKiB = process.memoryUsage().rss / 1024;
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const names = await list(undefined);
const elapsedUs = Number(process.hrtime.bigint() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({
    elapsedUs,
    cpuUs: cpu.user + cpu.system,
    rssBeforeKiB,
    maxRssKiB: peakRssKiB(),
    count: names.length,
    last: names.sort().at(-1),
  })}\n`,
);
// Open keep-alive sockets would hold the process; the report is out.
process.exit(0);

async function readStdin() {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text;
}
