# ovirtsdk4 beside @nimbus-sdk/ovirt, for bench/scenarios/ovirt-list.mjs: one list of every VM in a process
# of its own, as bench/lib/ovirt-list-child.mjs does for ours. Run with /usr/bin/python3 where `import
# ovirtsdk4` works (it is on PyPI only: see the scenario's notes); settings come as JSON on stdin (url,
# username, password). Lists 100 VMs first (not measured), then every VM, and prints one JSON line: the
# call's wall and CPU time, the RSS just before it, the process's peak RSS (VmHWM) and what came back.
import json
import sys

import ovirtsdk4
from measured_call import measure

settings = json.loads(sys.stdin.read())
connection = ovirtsdk4.Connection(
    url=settings["url"], username=settings["username"], password=settings["password"], insecure=True
)
vms = connection.system_service().vms_service()
if len(vms.list(max=100)) != 100:
    raise RuntimeError("the warm-up list does not have 100 VMs")

measure(
    lambda: [vm.name for vm in vms.list()],
    lambda names: {"count": len(names), "last": max(names)},
)
