// A `GET /ovirt-engine/api/vms` answer as an engine 4.5 writes it (no `follow`): per VM its actions, the
// links of its sub-collections, references to its cluster, template, host and profiles, and the VM's
// own members. About 2.5 KB per VM, so 10,000 VMs make the 25 MB list of the benchmark (a real engine
// lists more actions and links per VM; fewer here keep the size at the issue's figure).

const ACTIONS = ["shutdown", "start", "stop"];
const LINKS = ["diskattachments", "nics", "snapshots"];

function uuid(n, salt) {
  const hex = ((n * 2654435761 + salt * 40503) >>> 0).toString(16).padStart(8, "0");
  return `${hex}-${(n & 0xffff).toString(16).padStart(4, "0")}-4${(salt & 0xfff).toString(16).padStart(3, "0")}-8000-${String(n).padStart(12, "0")}`;
}

const ref = (element, collection, id) => `<${element} href="/ovirt-engine/api/${collection}/${id}" id="${id}"/>`;

export function vmXml(i) {
  const id = uuid(i, 1);
  const href = `/ovirt-engine/api/vms/${id}`;
  const status = i % 3 === 0 ? "down" : "up";
  return [
    `<vm href="${href}" id="${id}">`,
    `<actions>${ACTIONS.map((a) => `<link href="${href}/${a}" rel="${a}"/>`).join("")}</actions>`,
    `<name>vm-${String(i).padStart(5, "0")}</name>`,
    `<description>Web server ${i} &amp; friends</description>`,
    `<comment></comment>`,
    LINKS.map((l) => `<link href="${href}/${l}" rel="${l}"/>`).join(""),
    `<bios><boot_menu><enabled>false</enabled></boot_menu><type>q35_sea_bios</type></bios>`,
    `<cpu><architecture>x86_64</architecture><topology><cores>${1 + (i % 4)}</cores><sockets>1</sockets><threads>1</threads></topology></cpu>`,
    `<cpu_shares>0</cpu_shares>`,
    `<creation_time>2024-03-0${1 + (i % 9)}T10:1${i % 10}:00.000+01:00</creation_time>`,
    `<delete_protected>false</delete_protected>`,
    `<display><monitors>1</monitors><type>vnc</type></display>`,
    `<high_availability><enabled>false</enabled><priority>0</priority></high_availability>`,
    `<io><threads>1</threads></io>`,
    `<memory>${1073741824 * (1 + (i % 8))}</memory>`,
    `<memory_policy><guaranteed>1073741824</guaranteed><max>4294967296</max></memory_policy>`,
    `<migration_downtime>-1</migration_downtime>`,
    `<multi_queues_enabled>true</multi_queues_enabled>`,
    `<origin>ovirt</origin>`,
    `<os><boot><devices><device>hd</device></devices></boot><type>rhel_8x64</type></os>`,
    `<placement_policy><affinity>migratable</affinity></placement_policy>`,
    `<sso><methods><method id="guest_agent"/></methods></sso>`,
    `<start_paused>false</start_paused>`,
    `<stateless>false</stateless>`,
    `<storage_error_resume_behaviour>auto_resume</storage_error_resume_behaviour>`,
    `<time_zone><name>Etc/GMT</name></time_zone>`,
    `<type>server</type>`,
    `<usb><enabled>false</enabled></usb>`,
    `<cluster href="/ovirt-engine/api/clusters/${uuid(1, 3)}" id="${uuid(1, 3)}"/>`,
    ref("cpu_profile", "cpuprofiles", uuid(2, 3)),
    `<next_run_configuration_exists>false</next_run_configuration_exists>`,
    `<numa_tune_mode>interleave</numa_tune_mode>`,
    `<status>${status}</status>`,
    status === "up"
      ? `<start_time>2024-05-0${1 + (i % 9)}T08:00:00.000+02:00</start_time>`
      : `<stop_time>2024-05-01T09:00:00.000+02:00</stop_time>`,
    `<stop_reason></stop_reason>`,
    status === "up" ? ref("host", "hosts", uuid(i % 50, 4)) : "",
    ref("original_template", "templates", "00000000-0000-0000-0000-000000000000"),
    ref("template", "templates", "00000000-0000-0000-0000-000000000000"),
    `</vm>`,
  ].join("");
}

/** The list document of `count` VMs. */
export function vmsXml(count) {
  const parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<vms>'];
  for (let i = 0; i < count; i++) parts.push(vmXml(i));
  parts.push("</vms>\n");
  return parts.join("\n");
}
