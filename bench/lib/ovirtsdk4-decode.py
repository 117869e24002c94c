# ovirtsdk4's decode of the VM list beside ours, for bench/scenarios/ovirt-decode.mjs: its C XML reader
# (libxml2) reading the body as a stream and feeding the generated VmReader, as its services read an answer. Settings come as JSON in
# argv[1]: { file }. The document is read into bytes first (as an HTTP body would be), then the clock runs
# around the decode alone. Prints one JSON line as bench/lib/ovirt-decode-child.mjs does.
import gc
import io
import json
import sys
import time

from ovirtsdk4 import readers, xml

settings = json.loads(sys.argv[1])


def status_kib(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(field + " is not in /proc/self/status")


with open(settings["file"], "rb") as document:
    body = document.read()
gc.collect()
rss_before_kib = status_kib("VmRSS")
cpu0 = time.process_time()
t0 = time.perf_counter()
reader = xml.XmlReader(io.BytesIO(body))
vms = readers.VmReader.read_many(reader)
reader.close()
elapsed_us = (time.perf_counter() - t0) * 1e6
cpu_us = (time.process_time() - cpu0) * 1e6
print(
    json.dumps(
        {
            "elapsedUs": elapsed_us,
            "cpuUs": cpu_us,
            "rssBeforeKiB": rss_before_kib,
            "maxRssKiB": status_kib("VmHWM"),
            "items": len(vms),
        }
    )
)
