# pyVmomi (Debian's python3-pyvmomi) beside @nimbus-sdk/vsphere, for bench/scenarios/vsphere-*.mjs.
# Run with /usr/bin/python3; settings come as JSON in argv[1]: host, port, user, pwd, mode.
#
#   mode "collect": a co-process. Connects once, makes a container view of every VirtualMachine,
#     prints {"ready": ...}, then for each line "collect" on stdin reads name and runtime.powerState
#     of every VM through the property collector (RetrievePropertiesEx, then ContinueRetrievePropertiesEx
#     while a token comes back) and prints one JSON line: wall and CPU time of that read alone, and
#     the number of rows. "quit" (or the end of stdin) destroys the view and disconnects.
#   mode "cold": a fresh process's start: imports pyVmomi, SmartConnect, RetrieveContent, and prints
#     the time and CPU from the first line of this script (the interpreter's own start excluded) and
#     the peak RSS of the whole process (VmHWM).
import time

started_wall = time.perf_counter()
started_cpu = time.process_time()

import json  # noqa: E402
import ssl  # noqa: E402
import sys  # noqa: E402

settings = json.loads(sys.argv[1])


def connect():
    from pyVim.connect import SmartConnect

    return SmartConnect(
        host=settings["host"],
        port=settings["port"],
        user=settings["user"],
        pwd=settings["pwd"],
        sslContext=ssl._create_unverified_context(),
    )


def peak_rss_kib():
    """This process image's peak RSS (VmHWM): getrusage's maxrss would carry the parent's over exec."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def report(values):
    sys.stdout.write(json.dumps(values) + "\n")
    sys.stdout.flush()


def cold():
    si = connect()
    content = si.RetrieveContent()
    elapsed = time.perf_counter() - started_wall
    cpu = time.process_time() - started_cpu
    about = content.about.apiVersion
    from pyVim.connect import Disconnect

    Disconnect(si)
    report(
        {
            "elapsedUs": elapsed * 1e6,
            "cpuUs": cpu * 1e6,
            "maxRssKiB": peak_rss_kib(),
            "apiVersion": about,
        }
    )


def collect_server():
    from pyVim.connect import Disconnect
    from pyVmomi import vim, vmodl

    si = connect()
    content = si.RetrieveContent()
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
    collector = content.propertyCollector
    PC = vmodl.query.PropertyCollector
    spec = PC.FilterSpec(
        objectSet=[
            PC.ObjectSpec(
                obj=view,
                skip=True,
                selectSet=[PC.TraversalSpec(name="view", path="view", skip=False, type=vim.view.ContainerView)],
            )
        ],
        propSet=[PC.PropertySpec(type=vim.VirtualMachine, pathSet=["name", "runtime.powerState"])],
    )

    def read_all():
        rows = []
        page = collector.RetrievePropertiesEx([spec], PC.RetrieveOptions())
        while page is not None:
            for found in page.objects:
                values = {prop.name: prop.val for prop in found.propSet}
                rows.append((values.get("name"), values.get("runtime.powerState")))
            page = collector.ContinueRetrievePropertiesEx(page.token) if page.token else None
        return rows

    report({"ready": True, "apiVersion": si._stub.versionId})
    for line in sys.stdin:
        command = line.strip()
        if command == "quit":
            break
        if command != "collect":
            report({"error": "unknown command " + command})
            continue
        wall = time.perf_counter()
        cpu = time.process_time()
        rows = read_all()
        report(
            {
                "elapsedUs": (time.perf_counter() - wall) * 1e6,
                "cpuUs": (time.process_time() - cpu) * 1e6,
                "rows": len(rows),
                "poweredOn": sum(1 for _, state in rows if state == "poweredOn"),
            }
        )
    view.Destroy()
    Disconnect(si)


if settings["mode"] == "cold":
    cold()
else:
    collect_server()
