// One decode of the VM list, in a process of its own, for bench/scenarios/ovirt-decode.mjs. Settings come
// as JSON in argv[2]: { mode, file }. The document is read into a string first (as an HTTP body would be),
// then the clock runs around the decode alone; the peak RSS is the whole process's.
//   mode "ours":            @nimbus-sdk/ovirt's decodeList(xml, "Vm"): typed Vm objects
//   mode "fast-xml-parser": XMLParser.parse with attributes, the generic object tree
//   mode "saxes":           a saxes handler building one plain object per element (text as strings)
//   mode "floor":           reads the document and decodes nothing (the RSS of node and the string)
// Prints one JSON line: elapsedUs, cpuUs, rssBeforeKiB (after reading the document and a full GC),
// maxRssKiB, items (the VMs found, as a check).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { peakRssKiB } from "./child.mjs";

const settings = JSON.parse(process.argv[2]);
const require = createRequire(import.meta.url);

async function decoder(mode) {
  if (mode === "ours") {
    const { decodeList } = await import("@nimbus-sdk/ovirt");
    return (xml) => decodeList(xml, "Vm").length;
  }
  if (mode === "fast-xml-parser") {
    // fast-xml-parser is common's optional peer: resolved from common, as the SDKs use it.
    const fromCommon = createRequire(require.resolve("@nimbus-sdk/common/package.json"));
    const { XMLParser } = fromCommon("fast-xml-parser");
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (n) => n === "vm" });
    return (xml) => parser.parse(xml).vms.vm.length;
  }
  if (mode === "saxes") {
    const { SaxesParser } = await import("saxes");
    return (xml) => {
      const parser = new SaxesParser();
      const stack = [{ children: {} }];
      let items = 0;
      parser.on("opentag", (tag) => stack.push({ attributes: tag.attributes, children: {}, text: "" }));
      parser.on("text", (text) => {
        stack[stack.length - 1].text += text;
      });
      parser.on("closetag", (tag) => {
        const node = stack.pop();
        const value = Object.keys(node.children).length || Object.keys(node.attributes).length ? node : node.text;
        const parent = stack[stack.length - 1].children;
        (parent[tag.name] ??= []).push(value);
        if (tag.name === "vm" && stack.length === 2) items++;
      });
      // Fed in 64 KiB pieces, as a stream would.
      for (let i = 0; i < xml.length; i += 65536) parser.write(xml.slice(i, i + 65536));
      parser.close();
      return items;
    };
  }
  if (mode === "floor") return () => 0;
  throw new Error(`unknown mode ${mode}`);
}

const decode = await decoder(settings.mode);
const xml = readFileSync(settings.file, "utf8");
globalThis.gc?.();
const rssBeforeKiB = process.memoryUsage().rss / 1024;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const items = decode(xml);
const elapsedUs = (performance.now() - t0) * 1000;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({ elapsedUs, cpuUs: cpu.user + cpu.system, rssBeforeKiB, maxRssKiB: peakRssKiB(), items })}\n`,
);
