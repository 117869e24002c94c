// A fresh node process's first connection, for bench/scenarios/vsphere-cold-start.mjs. Settings come
// as JSON in argv[2]. The clock starts on this module's first line, before anything is imported (all
// imports are dynamic), so node's own start-up is left out; the peak RSS is the whole process's.
//   mode "ours":  import @nimbus-sdk/vsphere, SmartConnect, RetrieveContent
//   mode "soap":  import soap, createClientAsync on the vim25 WSDL, RetrieveServiceContent, Login
//   mode "empty": nothing (node's own floor for the RSS)
// Prints one JSON line: elapsedUs and cpuUs from the first line to the end of the work, maxRssKiB (VmHWM).
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const settings = JSON.parse(process.argv[2]);
let finish = async () => undefined;

if (settings.mode === "ours") {
  const { SmartConnect, Disconnect } = await import("@nimbus-sdk/vsphere");
  const si = await SmartConnect(settings.connect);
  const content = await si.RetrieveContent();
  if (!content.rootFolder) throw new Error("RetrieveContent returned no rootFolder");
  finish = () => Disconnect(si);
} else if (settings.mode === "soap") {
  const { soapSession } = await import("./vsphere-soap.mjs");
  const session = await soapSession(settings.server);
  if (!session.content.rootFolder) throw new Error("RetrieveServiceContent returned no rootFolder");
  finish = () => session.close();
} else if (settings.mode !== "empty") {
  throw new Error(`unknown mode ${settings.mode}`);
}

const elapsedUs = (performance.now() - t0) * 1000;
const cpu = process.cpuUsage(cpu0);
const report = { elapsedUs, cpuUs: cpu.user + cpu.system, maxRssKiB: (await import("./child.mjs")).peakRssKiB() };
await finish();
process.stdout.write(`${JSON.stringify(report)}\n`);
// Keep-alive sockets would hold the process open; the report is out.
process.exit(0);
