// Every kind of document the simulator sends, checked by libxml2 against OpenNebula's own XSDs
// (`xmllint --schema`): each object's info and each pool's info, VMs in many states (disks, NICs,
// history, disk and system snapshots, locks), users and groups with quotas. oned sends no
// namespace while the XSDs declare one, so the test adds it to a copy before validating.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { methodDocuments, documentSchemas } from "../src/generated/schema.js";
import { ensureOpenNebulaTestPackages, startServer, type OneTestServer } from "../src/testing/index.js";
import { decodeMethodResponse } from "../src/xmlrpc/decode.js";
import { encodeMethodCall } from "../src/xmlrpc/encode.js";
import type { XmlRpcValue } from "../src/xmlrpc/types.js";

const run = promisify(execFile);
const xsdDir = fileURLToPath(new URL("../../../../shared/specs/opennebula/xsd/", import.meta.url));
const haveXsd = existsSync(xsdDir);
if (!haveXsd) console.log(`skipped: ${xsdDir} is absent (no ../shared beside this clone)`);
const maybe = haveXsd ? describe : describe.skip;
const NAMESPACE = "http://opennebula.org/XMLSchema";

interface Sample {
  label: string;
  xsd: string;
  xml: string;
}

let server: OneTestServer;
let workDir: string;
/** The LCM_STATE of the sample taken in a transition. */
let transitional = "";
const samples: Sample[] = [];

/** The answer's value, straight from the wire (no SDK decoding: the text is what is validated). */
async function rpc(method: string, params: XmlRpcValue[], on: OneTestServer = server): Promise<XmlRpcValue> {
  const response = await fetch(on.url, { method: "POST", body: encodeMethodCall(method, [on.session, ...params]) });
  const answer = decodeMethodResponse(await response.text()) as XmlRpcValue[];
  if (answer[0] !== true) throw new Error(`${method}(${JSON.stringify(params)}): ${String(answer[1])}`);
  return answer[1]!;
}

async function sample(
  label: string,
  method: keyof typeof methodDocuments,
  params: XmlRpcValue[],
  on: OneTestServer = server,
): Promise<string> {
  const document = methodDocuments[method];
  if (!document) throw new Error(`${method} has no XSD`);
  const xml = String(await rpc(method, params, on));
  samples.push({ label, xsd: documentSchemas[document.id].xsd, xml });
  return xml;
}

/** A copy in OpenNebula's namespace: the XSDs' targetNamespace, which oned leaves out. */
function namespaced(xml: string): string {
  return xml.replace(/^<([A-Z_]+)(\s|>|\/>)/, `<$1 xmlns="${NAMESPACE}"$2`);
}

/** xmllint's verdict on each sample; samples of the same XSD share one run. */
async function validate(list: readonly Sample[]): Promise<Map<Sample, string>> {
  const verdicts = new Map<Sample, string>();
  const byXsd = new Map<string, Sample[]>();
  for (const s of list) byXsd.set(s.xsd, [...(byXsd.get(s.xsd) ?? []), s]);
  for (const [xsd, group] of byXsd) {
    const files = group.map((s, i) => {
      const file = join(
        workDir,
        `${xsd.replace(".xsd", "")}-${samples.indexOf(s) >= 0 ? samples.indexOf(s) : `x${i}`}.xml`,
      );
      writeFileSync(file, namespaced(s.xml));
      return file;
    });
    let output: string;
    try {
      const result = await run("xmllint", ["--noout", "--schema", join(xsdDir, xsd), ...files]);
      output = result.stderr;
    } catch (error) {
      output = (error as { stderr?: string }).stderr ?? String(error);
    }
    group.forEach((s, i) => {
      const lines = output.split("\n").filter((line) => line.startsWith(files[i]!));
      verdicts.set(s, lines.join("\n"));
    });
  }
  return verdicts;
}

const validated = (verdict: string | undefined) => (verdict ?? "").trim().endsWith("validates");

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
}

const vmState = async (id: number, on: OneTestServer = server) => {
  const xml = String(await rpc("one.vm.info", [id], on));
  return `${/<STATE>(\d+)/.exec(xml)![1]}/${/<LCM_STATE>(\d+)/.exec(xml)![1]}`;
};

maybe("documents against OpenNebula's XSDs (xmllint --schema)", () => {
  beforeAll(async () => {
    ensureOpenNebulaTestPackages();
    workDir = mkdtempSync(join(tmpdir(), "one-xsd-"));
    server = await startServer({ transitionMs: 5 });

    // A cloud with something of every kind, odd values included.
    const tricky = 'NOTE="say \\"hi\\" \\\\ $HOME"\nMULTI="line one\nline two"\nEMPTY=\nLAST="$1"';
    await rpc("one.host.update", [0, `${tricky}\nLABELS="rack1"`, 1]);
    // "]]>" only passes in XML form (oned's text parser refuses it); it must not break the CDATA out.
    await rpc("one.host.update", [0, "<TEMPLATE><CDATA_END>x]]&gt;y</CDATA_END><V><A>1</A></V></TEMPLATE>", 1]);
    const vn = Number(await rpc("one.vn.allocate", [`NAME="lan"\nVN_MAD="dummy"\nAR=[TYPE="ETHER",SIZE="16"]`, -1]));
    const image = Number(await rpc("one.image.allocate", [`NAME="data"\nTYPE="DATABLOCK"\nSIZE="1024"`, 1, false]));
    await rpc("one.image.lock", [image, 2, false]);
    const template = Number(await rpc("one.template.allocate", [`NAME="tpl"\nCPU="2"\nMEMORY="1024"\n${tricky}`]));
    await rpc("one.template.lock", [template, 3, false]);
    await rpc("one.marketapp.lock", [0, 1, false]);
    const ds = Number(
      await rpc("one.datastore.allocate", [`NAME="backup"\nTYPE="BACKUP_DS"\nDS_MAD="rsync"\nTM_MAD="-"`, -1]),
    );
    await rpc("one.cluster.allocate", ["edge"]);
    const group = Number(await rpc("one.group.allocate", ["developers"]));
    const user = Number(await rpc("one.user.allocate", ["dev", "secret", "core", [group]]));
    await rpc("one.user.quota", [user, 'VM=[VMS="10",CPU="8",MEMORY="8192",SYSTEM_DISK_SIZE="-2"]']);
    await rpc("one.group.quota", [group, 'VM=[VMS="20",CPU="16",MEMORY="16384",SYSTEM_DISK_SIZE="-1"]']);
    await rpc("one.user.login", ["dev", "", 3600, -1]);

    // VMs: running (snapshots, an extra disk and NIC, moved to another host), held, powered off,
    // suspended, stopped, undeployed, done, rebooted, one with scheduled actions, TPM and VIDEO, and one
    // caught in a transition (on a second simulator whose transitions last a minute).
    const instantiate = async (name: string, hold = false) =>
      Number(await rpc("one.template.instantiate", [0, name, hold, 'LABELS="sim"\nDESCRIPTION="a \\"quoted\\" word"']));
    const running = await instantiate("running");
    const held = await instantiate("held", true);
    const others = await Promise.all(["off", "asleep", "stopped", "away", "gone"].map((n) => instantiate(n)));
    const all = [running, ...others];
    await waitFor(async () => (await Promise.all(all.map((id) => vmState(id)))).every((s) => s === "3/3"));
    await rpc("one.vm.snapshotcreate", [running, "before upgrade"]);
    await rpc("one.vm.disksnapshotcreate", [running, 0, "disk snap"]);
    await rpc("one.vm.disksnapshotcreate", [running, 0, "second"]);
    await rpc("one.vm.attach", [running, 'DISK=[IMAGE_ID="0"]']);
    await waitFor(async () => (await vmState(running)) === "3/3");
    await rpc("one.vm.attachnic", [running, `NIC=[NETWORK_ID="${vn}"]`]);
    await waitFor(async () => (await vmState(running)) === "3/3");
    const host = String(await rpc("one.vm.info", [running])).includes("<HID>0</HID>") ? 1 : 0;
    await rpc("one.vm.migrate", [running, host, true, false, -1]);
    await waitFor(async () => (await vmState(running)) === "3/3");
    await rpc("one.vm.update", [running, `${tricky}`, 1]);
    await rpc("one.vm.lock", [running, 1, false]);
    const [off, asleep, stopped, away, gone] = others as [number, number, number, number, number];
    await rpc("one.vm.action", ["poweroff", off]);
    await rpc("one.vm.action", ["suspend", asleep]);
    await rpc("one.vm.action", ["stop", stopped]);
    await rpc("one.vm.action", ["undeploy", away]);
    await rpc("one.vm.action", ["terminate", gone]);
    await waitFor(async () => {
      const states = await Promise.all([off, asleep, stopped, away, gone].map((id) => vmState(id)));
      return states.join(" ") === "8/0 5/0 4/0 9/0 6/0";
    });
    const rebooted = await instantiate("rebooted");
    await waitFor(async () => (await vmState(rebooted)) === "3/3");
    await rpc("one.vm.action", ["reboot", rebooted]);
    const shaped = Number(
      await rpc("one.vm.allocate", [
        'NAME="shaped"\nCPU="1"\nMEMORY="64"\nSCHED_ACTION=[ACTION="poweroff",TIME="+3600"]\n' +
          'SCHED_ACTION=[ACTION="resume",TIME="2000000000",REPEAT="1",DAYS="1,3"]\nTPM=[MODEL="tpm-crb"]\n' +
          'VIDEO=[TYPE="virtio",VRAM="16384",RESOLUTION="1280x720"]',
        false,
      ]),
    );
    await waitFor(async () => (await vmState(shaped)) === "3/3");
    await rpc("one.vn.lock", [vn, 1, false]);

    // One sample per document kind and state.
    for (const [label, id] of Object.entries({ running, held, off, asleep, stopped, away, gone, rebooted, shaped })) {
      await sample(`vm.info (${label})`, "one.vm.info", [id]);
    }
    const slow = await startServer({ transitionMs: 60_000 });
    try {
      // Deployed by hand: this simulator's scheduler, too, takes a minute.
      const moving = Number(await rpc("one.template.instantiate", [0, "moving", true, ""], slow));
      await rpc("one.vm.action", ["release", moving], slow);
      await rpc("one.vm.deploy", [moving, 0, false, -1], slow);
      const xml = await sample("vm.info (in a transition)", "one.vm.info", [moving], slow);
      transitional = /<LCM_STATE>(\d+)<\/LCM_STATE>/.exec(xml)![1]!;
      await sample("vmpool.infoextended (in a transition)", "one.vmpool.infoextended", [-2, -1, -1, -1], slow);
    } finally {
      await slow.close();
    }
    await sample("vmpool.info", "one.vmpool.info", [-2, -1, -1, -2]);
    await sample("vmpool.infoextended", "one.vmpool.infoextended", [-2, -1, -1, -2]);
    await sample("vmpool.info (a page)", "one.vmpool.info", [-2, 1, -2, -1]);
    await sample("template.info", "one.template.info", [template]);
    await sample("templatepool.info", "one.templatepool.info", [-2, -1, -1]);
    await sample("host.info", "one.host.info", [0]);
    await sample("hostpool.info", "one.hostpool.info", []);
    await sample("image.info", "one.image.info", [image]);
    await sample("image.info (used)", "one.image.info", [0]);
    await sample("imagepool.info", "one.imagepool.info", [-2, -1, -1]);
    await sample("vn.info (leases)", "one.vn.info", [0]);
    await sample("vn.info (locked)", "one.vn.info", [vn]);
    await sample("vnpool.info", "one.vnpool.info", [-2, -1, -1]);
    await sample("user.info (quotas, token)", "one.user.info", [user]);
    await sample("user.info (oneadmin)", "one.user.info", [0]);
    await sample("userpool.info", "one.userpool.info", []);
    await sample("group.info (quotas)", "one.group.info", [group]);
    await sample("grouppool.info", "one.grouppool.info", []);
    await sample("datastore.info", "one.datastore.info", [ds]);
    await sample("datastorepool.info", "one.datastorepool.info", []);
    await sample("cluster.info", "one.cluster.info", [0]);
    await sample("clusterpool.info", "one.clusterpool.info", []);
    await sample("market.info", "one.market.info", [0]);
    await sample("marketpool.info", "one.marketpool.info", []);
    await sample("marketapp.info", "one.marketapp.info", [0]);
    await sample("marketapppool.info", "one.marketapppool.info", [-2, -1, -1]);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it("covers every info and pool info the simulator implements", () => {
    const kinds = new Set(samples.map((s) => s.label.split(" ")[0]));
    for (const object of [
      "vm",
      "template",
      "host",
      "image",
      "vn",
      "user",
      "group",
      "datastore",
      "cluster",
      "market",
      "marketapp",
    ]) {
      expect(kinds).toContain(`${object}.info`);
      expect(kinds).toContain(`${object}pool.info`);
    }
    expect(server.errors()).toEqual([]);
  });

  it("samples a VM really caught in a transition, and one with scheduled actions", () => {
    expect(["1", "2"]).toContain(transitional); // PROLOG or BOOT, not RUNNING
    const shaped = samples.find((s) => s.label === "vm.info (shaped)")!.xml;
    expect(shaped).toMatch(/<SCHED_ACTIONS><ID>\d+<\/ID><ID>\d+<\/ID><\/SCHED_ACTIONS>/);
    expect(shaped).toMatch(/<SCHED_ACTION><ID>.*<PARENT_ID>.*<TYPE><!\[CDATA\[VM\]\]><\/TYPE>/);
  });

  it("every sample validates", async () => {
    const verdicts = await validate(samples);
    const invalid = samples.filter((s) => !validated(verdicts.get(s))).map((s) => `${s.label}: ${verdicts.get(s)}`);
    expect(invalid).toEqual([]);
  }, 60_000);

  it("a document with its elements out of order is refused (the check has teeth)", async () => {
    const vm = samples.find((s) => s.label === "vm.info (running)")!;
    const swapped = vm.xml.replace(/(<UID>\d+<\/UID>)(<GID>\d+<\/GID>)/, "$2$1");
    const missing = vm.xml.replace(/<DEPLOY_ID>[^<]*<\/DEPLOY_ID>/, "");
    expect(swapped).not.toBe(vm.xml);
    const broken = [
      { ...vm, label: "swapped", xml: swapped },
      { ...vm, label: "missing", xml: missing },
    ];
    const verdicts = await validate(broken);
    for (const b of broken) expect(validated(verdicts.get(b))).toBe(false);
  });
});
