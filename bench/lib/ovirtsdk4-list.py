# ovirtsdk4 beside @nimbus-sdk/ovirt, for bench/scenarios/ovirt-list.mjs: one list of every VM in a process
# of its own, as bench/lib/ovirt-list-child.mjs does for ours. Run with /usr/bin/python3 where `import
# ovirtsdk4` works (it is on PyPI only: see the scenario's notes); settings come as JSON on stdin (url,
# username, password). Lists 100 VMs first (not measured), then every VM, and prints one JSON line: the
# call's wall and CPU time, the RSS just before it, the process's peak RSS (VmHWM) and what came back.
import json
import sys
import time

import ovirtsdk4

settings = json.loads(sys.stdin.read())


def status_kib(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(field + " is not in /proc/self/status")


connection = ovirtsdk4.Connection(
    url=settings["url"], username=settings["username"], password=settings["password"], insecure=True
)
vms = connection.system_service().vms_service()
if len(vms.list(max=100)) != 100:
    raise RuntimeError("the warm-up list does not have 100 VMs")

rss_before_kib = status_kib("VmRSS")
cpu0 = time.process_time()
t0 = time.perf_counter()
names = [vm.name for vm in vms.list()]
elapsed_us = (time.perf_counter() - t0) * 1e6
cpu_us = (time.process_time() - cpu0) * 1e6
print(
    json.dumps(
        {
            "elapsedUs": elapsed_us,
            "cpuUs": cpu_us,
            "rssBeforeKiB": rss_before_kib,
            "maxRssKiB": status_kib("VmHWM"),
            "count": len(names),
            "last": max(names),
        }
    )
)
